#include "util/simd.h"

#include <atomic>
#include <cstdlib>
#include <cstring>

#if defined(__x86_64__) || defined(_M_X64) || defined(__i386__)
#define AUDIOMILL_X86 1
#include <cpuid.h>
#endif

namespace audiomill {

#if defined(AUDIOMILL_X86)
unsigned long long read_xcr0() {
  unsigned int eax = 0, edx = 0;
  __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
  return (static_cast<unsigned long long>(edx) << 32) | eax;
}
#endif

namespace {

#if defined(AUDIOMILL_X86)
SimdLevel probe() {
  unsigned int a = 0, b = 0, c = 0, d = 0;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return SimdLevel::Scalar;
  const bool osxsave = (c & (1u << 27)) != 0;
  const bool fma = (c & (1u << 12)) != 0;
  const bool avx = (c & (1u << 28)) != 0;
  if (!osxsave || !avx) return SimdLevel::Scalar;
  const unsigned long long xcr0 = read_xcr0();
  const bool ymm_state = (xcr0 & 0x6) == 0x6;
  const bool zmm_state = (xcr0 & 0xe6) == 0xe6;
  if (!ymm_state) return SimdLevel::Scalar;
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return SimdLevel::Scalar;
  const bool avx2 = (b & (1u << 5)) != 0;
  const bool avx512f = (b & (1u << 16)) != 0;
  const bool avx512dq = (b & (1u << 17)) != 0;
  if (avx512f && avx512dq && zmm_state && fma) return SimdLevel::Avx512;
  if (avx2 && fma) return SimdLevel::Avx2;
  return SimdLevel::Scalar;
}
#elif defined(__aarch64__) || defined(__ARM_NEON)
SimdLevel probe() { return SimdLevel::Neon; }
#else
SimdLevel probe() { return SimdLevel::Scalar; }
#endif

SimdLevel detected() {
  static const SimdLevel level = probe();
  return level;
}

SimdLevel initial_level() {
  SimdLevel level = detected();
  const char* env = std::getenv("AUDIOMILL_SIMD");
  SimdLevel forced;
  if (env != nullptr && *env != '\0' && parse_simd_level(env, &forced) &&
      simd_level_supported(forced)) {
    level = forced;
  }
  return level;
}

std::atomic<int>& current() {
  static std::atomic<int> level{static_cast<int>(initial_level())};
  return level;
}

}  // namespace

const char* simd_level_name(SimdLevel level) {
  switch (level) {
    case SimdLevel::Scalar: return "scalar";
    case SimdLevel::Neon: return "neon";
    case SimdLevel::Avx2: return "avx2";
    case SimdLevel::Avx512: return "avx512";
  }
  return "scalar";
}

bool parse_simd_level(const char* name, SimdLevel* out) {
  static const struct { const char* name; SimdLevel level; } kNames[] = {
      {"scalar", SimdLevel::Scalar}, {"neon", SimdLevel::Neon},
      {"avx2", SimdLevel::Avx2}, {"avx512", SimdLevel::Avx512}};
  for (const auto& entry : kNames) {
    if (std::strcmp(entry.name, name) == 0) {
      *out = entry.level;
      return true;
    }
  }
  return false;
}

SimdLevel detected_simd_level() { return detected(); }

bool simd_level_supported(SimdLevel level) {
  if (level == SimdLevel::Scalar) return true;
  const SimdLevel best = detected();
#if defined(AUDIOMILL_X86)
  return level != SimdLevel::Neon && static_cast<int>(level) <= static_cast<int>(best);
#else
  return level == SimdLevel::Neon && best == SimdLevel::Neon;
#endif
}

SimdLevel active_simd_level() { return static_cast<SimdLevel>(current().load()); }

bool set_simd_level(SimdLevel level) {
  if (!simd_level_supported(level)) return false;
  current().store(static_cast<int>(level));
  return true;
}

}  // namespace audiomill
