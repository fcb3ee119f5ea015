// The native test harness: check() counts results; TEST_SUITE(name) { ... } registers
// a function that core_test.cc's main() runs, so each area keeps its tests in its own file.
#pragma once
#include <cstdio>
#include <random>
#include <string>
#include <vector>

namespace amtest {

inline int passed = 0, failed = 0;

inline void check(bool ok, const std::string& what) {
  if (ok) {
    ++passed;
  } else {
    ++failed;
    std::printf("FAIL: %s\n", what.c_str());
  }
}

// n samples of uniform noise in [-1, 1), reproducible per seed.
inline std::vector<float> noise(std::size_t n, unsigned seed) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<float> d(-1.0f, 1.0f);
  std::vector<float> x(n);
  for (auto& v : x) v = d(gen);
  return x;
}

struct Suite {
  const char* name;
  void (*run)();
};

inline std::vector<Suite>& suites() {
  static std::vector<Suite> all;
  return all;
}

struct Register {
  Register(const char* name, void (*run)()) { suites().push_back({name, run}); }
};

}  // namespace amtest

#define TEST_SUITE(name)                                            \
  static void name();                                               \
  static const amtest::Register name##_registered(#name, &name);    \
  static void name()
