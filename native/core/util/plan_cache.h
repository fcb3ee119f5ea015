// A bounded cache of immutable plans by key (FFT plans by length, resampler kernels by configuration): the
// caller owns the map and its mutex (and so chooses their lifetime); plans handed out stay alive through their
// shared_ptr holders after the cache forgets them.
#pragma once
#include <map>
#include <memory>
#include <mutex>

namespace audiomill {

// The plan for `key`, built by build(key) on a miss. Bounded: past 64 entries the cache starts afresh, so many
// one-off keys (standalone rfft calls, unusual rate pairs) never pin memory.
template <class Key, class Plan, class Build>
std::shared_ptr<const Plan> cached_plan(std::map<Key, std::shared_ptr<const Plan>>& cache, std::mutex& mutex,
                                        const Key& key, Build&& build) {
  std::lock_guard<std::mutex> lock(mutex);
  auto it = cache.find(key);
  if (it != cache.end()) return it->second;
  if (cache.size() >= 64) cache.clear();
  std::shared_ptr<const Plan> plan = build(key);
  cache.emplace(key, plan);
  return plan;
}

}  // namespace audiomill
