// Per-ISA clones of a plain C++ loop: the body is written once as an always-inline function, and
// entry points compiled for AVX2 and AVX-512 (GCC/Clang target attributes) inline it, so the same
// source runs 2, 4 or 8 double lanes wide. isa_dispatch picks the entry for the active SIMD level
// (util/simd.h: detected once, AUDIOMILL_SIMD overrides). No FMA contraction in any clone (AVX2
// alone has none; the AVX-512 clone turns it off), so every level computes the same roundings.
#pragma once
#include <utility>

#include "util/simd.h"

#if defined(__GNUC__)
#define AM_INLINE inline __attribute__((always_inline))
#else
#define AM_INLINE inline
#endif

#if defined(__x86_64__) && defined(__GNUC__)
#define AM_ISA_CLONES 1
#define AM_TARGET_AVX2 __attribute__((target("avx2")))
#if defined(__clang__)
// Clang has no per-function fp-contract switch: its AVX-512 entry stays at AVX2 width.
#define AM_TARGET_AVX512 AM_TARGET_AVX2
#else
#define AM_TARGET_AVX512 __attribute__((target("avx512f"), optimize("fp-contract=off")))
#endif
#endif

namespace audiomill {

// Calls the clone for the active level (base where no clone applies) with `args`.
template <class Fn, class... Args>
inline auto isa_dispatch(Fn base, [[maybe_unused]] Fn avx2, [[maybe_unused]] Fn avx512, Args&&... args) {
#if defined(AM_ISA_CLONES)
  switch (active_simd_level()) {
    case SimdLevel::Avx512: return avx512(std::forward<Args>(args)...);
    case SimdLevel::Avx2: return avx2(std::forward<Args>(args)...);
    default: break;
  }
#endif
  return base(std::forward<Args>(args)...);
}

}  // namespace audiomill
