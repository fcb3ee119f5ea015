#include "util/thread_pool.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace audiomill {
namespace {

struct Job {
  const std::function<void(std::size_t, std::size_t)>* fn = nullptr;
  std::size_t n = 0;
  std::size_t grain = 1;
  std::atomic<std::size_t> next{0};
  int helper_slots = 0;  // guarded by Pool::mutex
  std::atomic<int> active{0};  // changed under Pool::mutex; read without it by a caller waiting for its helpers
  std::exception_ptr error;  // guarded by Pool::mutex
  std::condition_variable done;
};

int default_threads() {
  int n = static_cast<int>(std::thread::hardware_concurrency());
  if (n < 1) n = 1;
  if (const char* env = std::getenv("AUDIOMILL_NUM_THREADS")) {
    char* end = nullptr;
    long v = std::strtol(env, &end, 10);
    if (end != env && v >= 1 && v <= 1024) n = static_cast<int>(v);
  }
  return n;
}

class Pool {
 public:
  Pool() : cap_(default_threads()) {}
  // Never destroyed (see pool()): workers park on `wake_` until process exit.
  int cap() const { return cap_.load(); }
  void set_cap(int n) { cap_.store(std::max(1, n)); }

  void run(std::size_t n, std::size_t grain, int threads,
           const std::function<void(std::size_t, std::size_t)>& fn) {
    if (n == 0) return;
    grain = std::max<std::size_t>(1, grain);
    const std::size_t chunks = (n + grain - 1) / grain;
    int want = threads > 0 ? std::min(threads, cap()) : cap();
    want = static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(want), chunks));
    if (want <= 1) {
      fn(0, n);
      return;
    }
    Job job;
    job.fn = &fn;
    job.n = n;
    job.grain = grain;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ensure_workers(want - 1);
      job.helper_slots = want - 1;
      job.active = 1;  // the caller
      queue_.push_back(&job);
      queued_.fetch_add(1);
    }
    wake_.notify_all();
    work_on(job);
    std::unique_lock<std::mutex> lock(mutex_);
    auto it = std::find(queue_.begin(), queue_.end(), &job);
    if (it != queue_.end()) {
      queue_.erase(it);
      queued_.fetch_sub(1);
    }
    job.active -= 1;
    if (job.active.load() != 0) {
      // Helpers still at work: watch for their end a short while before sleeping (see spin_for_work). The mutex is
      // then taken again before returning, so a helper that ended the job has released it (and notified) by then.
      lock.unlock();
      const auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(kSpinMicros);
      for (int i = 0; job.active.load() != 0; ++i) {
        if ((i & 63) == 63 && std::chrono::steady_clock::now() >= until) break;
        std::this_thread::yield();
      }
      lock.lock();
    }
    job.done.wait(lock, [&] { return job.active.load() == 0; });
    if (job.error) std::rethrow_exception(job.error);
  }

 private:
  void ensure_workers(int n) {  // mutex held
    while (static_cast<int>(workers_.size()) < n) {
      workers_.emplace_back([this] { worker_loop(); });
    }
  }

  void work_on(Job& job) {
    for (;;) {
      const std::size_t begin = job.next.fetch_add(job.grain);
      if (begin >= job.n) break;
      const std::size_t end = std::min(job.n, begin + job.grain);
      try {
        (*job.fn)(begin, end);
      } catch (...) {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!job.error) job.error = std::current_exception();
        job.next.store(job.n);  // stop handing out work
      }
    }
  }

  // A worker that ran out of work watches the queue for a short while before it sleeps: loops that hand out one
  // short job after another (a matrix reduction's columns, ~0.1 ms each) then find it awake. On the VMs measured, a
  // sleeping thread took up to ~0.1 ms to wake, which cost a tridiagonal reduction of 1,024 columns most of its
  // second thread.
  void spin_for_work() {
    const auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(kSpinMicros);
    for (int i = 0;; ++i) {
      if (queued_.load(std::memory_order_relaxed) > 0) return;
      if ((i & 63) == 63 && std::chrono::steady_clock::now() >= until) return;
      std::this_thread::yield();
    }
  }

  void worker_loop() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      if (queue_.empty()) {
        lock.unlock();
        spin_for_work();
        lock.lock();
      }
      wake_.wait(lock, [&] { return !queue_.empty(); });
      Job* job = queue_.front();
      job->helper_slots -= 1;
      job->active += 1;
      if (job->helper_slots <= 0) {
        queue_.pop_front();
        queued_.fetch_sub(1);
      }
      lock.unlock();
      work_on(*job);
      lock.lock();
      job->active -= 1;
      if (job->active == 0) job->done.notify_all();
    }
  }

  static constexpr int kSpinMicros = 200;
  std::atomic<int> cap_;
  std::atomic<int> queued_{0};  // queue_.size(), readable without the mutex
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job*> queue_;
  std::vector<std::thread> workers_;
};

Pool& pool() {
  static Pool* instance = new Pool();  // never destroyed: workers may outlive static teardown
  return *instance;
}

}  // namespace

int max_threads() { return pool().cap(); }
void set_max_threads(int n) { pool().set_cap(n); }

void parallel_for(std::size_t n, std::size_t grain, int threads,
                  const std::function<void(std::size_t, std::size_t)>& fn) {
  pool().run(n, grain, threads, fn);
}

}  // namespace audiomill
