// One process-wide pool of worker threads shared by every transform.
// parallel_for hands out index ranges dynamically; the calling thread always
// takes part, so a cap of 1 runs everything on the caller.
#pragma once
#include <algorithm>
#include <cstddef>
#include <functional>

namespace audiomill {

// Upper bound on threads used by one call (callers + workers). Defaults to the
// machine's hardware concurrency, or AUDIOMILL_NUM_THREADS when set.
int max_threads();
// Changes the cap (n >= 1); grows the pool when needed.
void set_max_threads(int n);

// Calls fn(begin, end) over [0, n) in chunks of `grain` indices, on at most
// `threads` threads (0 = the global cap). Rethrows the first exception.
void parallel_for(std::size_t n, std::size_t grain, int threads,
                  const std::function<void(std::size_t, std::size_t)>& fn);

// Runs each(i, inner) for every i in [0, n): one item per thread (inner = 1) when there are at least twice as many
// items as threads, else the items one after another, each given every thread (inner = the cap). `threads` as
// parallel_for's.
template <class Each>
void for_each_item(std::size_t n, int threads, Each&& each) {
  const int cap = threads > 0 ? std::min(threads, max_threads()) : max_threads();
  if (n >= 2 * static_cast<std::size_t>(cap)) {
    parallel_for(n, 1, cap, [&](std::size_t b, std::size_t e) {
      for (std::size_t i = b; i < e; ++i) each(i, 1);
    });
  } else {
    for (std::size_t i = 0; i < n; ++i) each(i, cap);
  }
}

}  // namespace audiomill
