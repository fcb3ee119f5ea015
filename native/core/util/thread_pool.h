// One process-wide pool of worker threads shared by every transform.
// parallel_for hands out index ranges dynamically; the calling thread always
// takes part, so a cap of 1 runs everything on the caller.
#pragma once
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

}  // namespace audiomill
