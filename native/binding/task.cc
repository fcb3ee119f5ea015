#include "task.h"

#include <new>

#include "convert.h"
#include "util/error.h"

namespace audiomill {
namespace {

class Task : public Napi::AsyncWorker {
 public:
  Task(Napi::Env env, const char* name, TaskWork work, TaskDone done, const std::vector<Napi::Value>& keep_alive)
      : Napi::AsyncWorker(env, name), deferred_(Napi::Promise::Deferred::New(env)), work_(std::move(work)),
        done_(std::move(done)) {
    for (const Napi::Value& v : keep_alive)
      refs_.push_back(v.IsObject() ? Napi::Persistent(v.As<Napi::Object>()) : Napi::ObjectReference());
  }
  Napi::Promise promise() const { return deferred_.Promise(); }

 protected:
  void Execute() override {
    try {
      work_();
    } catch (const CoreError& e) {
      fail(e.code(), e.what());
    } catch (const std::bad_alloc&) {
      fail("OUT_OF_MEMORY", "out of memory");
    } catch (const std::exception& e) {
      fail("INTERNAL", e.what());
    }
  }
  // Both settle the promise on the main thread. When the environment is tearing down (a
  // worker terminated, the process exiting) every N-API call fails and nobody is left to
  // tell, so nothing may escape: an exception leaving a libuv callback aborts the process.
  void OnOK() override {
    settle([&] {
      Napi::Env env = Env();
      std::vector<Napi::Value> kept;
      for (const Napi::ObjectReference& r : refs_) kept.push_back(r.IsEmpty() ? env.Undefined() : r.Value());
      deferred_.Resolve(guarded(env, [&] { return done_(env, kept); }));
    });
  }
  void OnError(const Napi::Error& error) override {
    settle([&] {
      Napi::Error e = Napi::Error::New(Env(), error.Message());
      e.Set("code", Napi::String::New(Env(), code_));
      deferred_.Reject(e.Value());
    });
  }

 private:
  template <class F>
  void settle(F&& f) noexcept {
    try {
      f();
    } catch (const Napi::Error& e) {
      try {
        deferred_.Reject(e.Value());
      } catch (...) {  // the environment is gone: there is no promise left to settle
      }
    } catch (...) {
    }
  }
  void fail(const std::string& code, const std::string& message) {
    code_ = code;
    SetError(message);
  }
  Napi::Promise::Deferred deferred_;
  TaskWork work_;
  TaskDone done_;
  std::string code_ = "INTERNAL";
  std::vector<Napi::ObjectReference> refs_;
};

}  // namespace

Napi::Promise queue_task(Napi::Env env, const char* name, TaskWork work, TaskDone done,
                         const std::vector<Napi::Value>& keep_alive) {
  auto* task = new Task(env, name, std::move(work), std::move(done), keep_alive);
  Napi::Promise promise = task->promise();
  task->Queue();
  return promise;
}

Napi::Value run_task(Napi::Env env, bool async, const char* name, TaskWork work, TaskDone done,
                     const std::vector<Napi::Value>& keep_alive) {
  if (async) return queue_task(env, name, std::move(work), std::move(done), keep_alive);
  return guarded(env, [&] {
    work();
    return done(env, keep_alive);
  });
}

}  // namespace audiomill
