// Thin lane-vector types used by the templated kernels. Each kernel header is
// compiled once per instruction set; the type decides the lane count L.
//   VF1  float x1 (portable scalar)   VD1 double x1 (Bluestein, references)
//   VF8  float x8 (AVX2+FMA)          VF16 float x16 (AVX-512F)
//   VF4  float x4 (NEON)
#pragma once
#include <cmath>
#include <cstddef>

#if defined(__AVX2__) || defined(__AVX512F__)
#include <immintrin.h>
#endif
#if defined(__ARM_NEON)
#include <arm_neon.h>
#endif

// Every kernel header lives in an inline namespace named after the instruction
// set its translation unit is compiled for, so template instances built with
// AVX-512 flags can never be merged with (and picked over) portable ones.
#ifndef AUDIOMILL_ISA
#define AUDIOMILL_ISA portable
#endif

namespace audiomill {
inline namespace AUDIOMILL_ISA {

// vmax(a, b): NaN in either gives NaN... on x86 and scalar the second operand
// wins when a is NaN, so vmax(floor, x) keeps a NaN x. vmax_num(a, b) ignores a
// NaN a (returns b) on every ISA: used for running maxima.
//
// Natural log on lanes: x = m * 2^e with m in [sqrt(1/2), sqrt(2)), then
// ln x = e ln 2 + ln(1 + f), f = m - 1, by the classic minimax polynomial
// (Cephes logf coefficients; max relative error about 1e-7). NaN and +inf pass
// through; x <= 0 is never fed to it (callers clamp to a positive floor first).
namespace logpoly {
constexpr float kSqrtHalf = 0.707106781186547524f;
constexpr float kP[9] = {7.0376836292e-2f, -1.1514610310e-1f, 1.1676998740e-1f, -1.2420140846e-1f, 1.4249322787e-1f,
                         -1.6668057665e-1f, 2.0000714765e-1f, -2.4999993993e-1f, 3.3333331174e-1f};
constexpr float kLn2Lo = -2.12194440e-4f;
constexpr float kLn2Hi = 0.693359375f;
}  // namespace logpoly

#define AUDIOMILL_VEC_SCALAR(Name, Type)                                               \
  struct Name {                                                                        \
    using T = Type;                                                                    \
    static constexpr int L = 1;                                                        \
    Type r;                                                                            \
    static Name load(const Type* p) { return {*p}; }                                   \
    static Name set1(Type x) { return {x}; }                                           \
    static Name zero() { return {Type(0)}; }                                           \
    void store(Type* p) const { *p = r; }                                              \
  };                                                                                   \
  inline Name operator+(Name a, Name b) { return {a.r + b.r}; }                        \
  inline Name operator-(Name a, Name b) { return {a.r - b.r}; }                        \
  inline Name operator*(Name a, Name b) { return {a.r * b.r}; }                        \
  inline Name fmadd(Name a, Name b, Name c) { return {a.r * b.r + c.r}; }              \
  inline Name fnmadd(Name a, Name b, Name c) { return {c.r - a.r * b.r}; }             \
  inline Name vsqrt(Name a) { return {std::sqrt(a.r)}; }                               \
  inline Name vmax(Name a, Name b) { return {a.r > b.r ? a.r : b.r}; }          \
  inline Name vmax_num(Name a, Name b) { return vmax(a, b); }                      \
  inline Name vlog(Name a) { return {std::log(a.r)}; }                             \
  /* out[j*stride] = rows[0][j] * win[j] for j < L: an L x L transpose (trivial here) */ \
  inline void transpose_store(const Type* const* rows, Type* out, std::size_t stride,    \
                              const Type* win, Name*) {                                  \
    out[0] = rows[0][0] * win[0];                                                        \
    (void)stride;                                                                        \
  }

AUDIOMILL_VEC_SCALAR(VF1, float)
AUDIOMILL_VEC_SCALAR(VD1, double)
#undef AUDIOMILL_VEC_SCALAR

#if defined(__AVX2__) && defined(__FMA__)
struct VF8 {
  using T = float;
  static constexpr int L = 8;
  __m256 r;
  static VF8 load(const float* p) { return {_mm256_loadu_ps(p)}; }
  static VF8 set1(float x) { return {_mm256_set1_ps(x)}; }
  static VF8 zero() { return {_mm256_setzero_ps()}; }
  void store(float* p) const { _mm256_storeu_ps(p, r); }
};
inline VF8 operator+(VF8 a, VF8 b) { return {_mm256_add_ps(a.r, b.r)}; }
inline VF8 operator-(VF8 a, VF8 b) { return {_mm256_sub_ps(a.r, b.r)}; }
inline VF8 operator*(VF8 a, VF8 b) { return {_mm256_mul_ps(a.r, b.r)}; }
inline VF8 fmadd(VF8 a, VF8 b, VF8 c) { return {_mm256_fmadd_ps(a.r, b.r, c.r)}; }
inline VF8 fnmadd(VF8 a, VF8 b, VF8 c) { return {_mm256_fnmadd_ps(a.r, b.r, c.r)}; }
inline VF8 vsqrt(VF8 a) { return {_mm256_sqrt_ps(a.r)}; }
inline VF8 vmax(VF8 a, VF8 b) { return {_mm256_max_ps(a.r, b.r)}; }
inline VF8 vmax_num(VF8 a, VF8 b) { return vmax(a, b); }  // maxps returns b when a is NaN
inline VF8 vlog(VF8 a) {
  using namespace logpoly;
  const __m256i bits = _mm256_castps_si256(a.r);
  __m256 e = _mm256_cvtepi32_ps(_mm256_sub_epi32(_mm256_srli_epi32(bits, 23), _mm256_set1_epi32(126)));
  __m256 m = _mm256_castsi256_ps(
      _mm256_or_si256(_mm256_and_si256(bits, _mm256_set1_epi32(0x007fffff)), _mm256_set1_epi32(0x3f000000)));
  const __m256 small = _mm256_cmp_ps(m, _mm256_set1_ps(kSqrtHalf), _CMP_LT_OQ);
  e = _mm256_sub_ps(e, _mm256_and_ps(small, _mm256_set1_ps(1.0f)));
  m = _mm256_add_ps(m, _mm256_and_ps(small, m));
  const __m256 f = _mm256_sub_ps(m, _mm256_set1_ps(1.0f));
  const __m256 z = _mm256_mul_ps(f, f);
  __m256 p = _mm256_set1_ps(kP[0]);
  for (int i = 1; i < 9; ++i) p = _mm256_fmadd_ps(p, f, _mm256_set1_ps(kP[i]));
  __m256 y = _mm256_mul_ps(_mm256_mul_ps(p, f), z);
  y = _mm256_fmadd_ps(e, _mm256_set1_ps(kLn2Lo), y);
  y = _mm256_fnmadd_ps(z, _mm256_set1_ps(0.5f), y);
  __m256 r = _mm256_add_ps(f, y);
  r = _mm256_fmadd_ps(e, _mm256_set1_ps(kLn2Hi), r);
  const __m256 special = _mm256_cmp_ps(a.r, _mm256_set1_ps(3.4028234663852886e38f), _CMP_NLE_UQ);  // NaN or +inf
  return {_mm256_blendv_ps(r, a.r, special)};
}
// Loads 8 samples from each of 8 rows and stores the transpose times the
// window: lane l of output vector j (at out + j*stride) is rows[l][j] * win[j].
inline void transpose_store(const float* const* rows, float* out, std::size_t stride, const float* win, VF8* /*tag*/) {
  const __m256 r0 = _mm256_loadu_ps(rows[0]), r1 = _mm256_loadu_ps(rows[1]), r2 = _mm256_loadu_ps(rows[2]),
               r3 = _mm256_loadu_ps(rows[3]), r4 = _mm256_loadu_ps(rows[4]), r5 = _mm256_loadu_ps(rows[5]),
               r6 = _mm256_loadu_ps(rows[6]), r7 = _mm256_loadu_ps(rows[7]);
  const __m256 t0 = _mm256_unpacklo_ps(r0, r1), t1 = _mm256_unpackhi_ps(r0, r1);
  const __m256 t2 = _mm256_unpacklo_ps(r2, r3), t3 = _mm256_unpackhi_ps(r2, r3);
  const __m256 t4 = _mm256_unpacklo_ps(r4, r5), t5 = _mm256_unpackhi_ps(r4, r5);
  const __m256 t6 = _mm256_unpacklo_ps(r6, r7), t7 = _mm256_unpackhi_ps(r6, r7);
  const __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xEE);
  const __m256 u2 = _mm256_shuffle_ps(t1, t3, 0x44), u3 = _mm256_shuffle_ps(t1, t3, 0xEE);
  const __m256 u4 = _mm256_shuffle_ps(t4, t6, 0x44), u5 = _mm256_shuffle_ps(t4, t6, 0xEE);
  const __m256 u6 = _mm256_shuffle_ps(t5, t7, 0x44), u7 = _mm256_shuffle_ps(t5, t7, 0xEE);
  _mm256_storeu_ps(out + 0 * stride, _mm256_mul_ps(_mm256_permute2f128_ps(u0, u4, 0x20), _mm256_set1_ps(win[0])));
  _mm256_storeu_ps(out + 1 * stride, _mm256_mul_ps(_mm256_permute2f128_ps(u1, u5, 0x20), _mm256_set1_ps(win[1])));
  _mm256_storeu_ps(out + 2 * stride, _mm256_mul_ps(_mm256_permute2f128_ps(u2, u6, 0x20), _mm256_set1_ps(win[2])));
  _mm256_storeu_ps(out + 3 * stride, _mm256_mul_ps(_mm256_permute2f128_ps(u3, u7, 0x20), _mm256_set1_ps(win[3])));
  _mm256_storeu_ps(out + 4 * stride, _mm256_mul_ps(_mm256_permute2f128_ps(u0, u4, 0x31), _mm256_set1_ps(win[4])));
  _mm256_storeu_ps(out + 5 * stride, _mm256_mul_ps(_mm256_permute2f128_ps(u1, u5, 0x31), _mm256_set1_ps(win[5])));
  _mm256_storeu_ps(out + 6 * stride, _mm256_mul_ps(_mm256_permute2f128_ps(u2, u6, 0x31), _mm256_set1_ps(win[6])));
  _mm256_storeu_ps(out + 7 * stride, _mm256_mul_ps(_mm256_permute2f128_ps(u3, u7, 0x31), _mm256_set1_ps(win[7])));
}
#endif

#if defined(__AVX512F__)
struct VF16 {
  using T = float;
  static constexpr int L = 16;
  __m512 r;
  static VF16 load(const float* p) { return {_mm512_loadu_ps(p)}; }
  static VF16 set1(float x) { return {_mm512_set1_ps(x)}; }
  static VF16 zero() { return {_mm512_setzero_ps()}; }
  void store(float* p) const { _mm512_storeu_ps(p, r); }
};
inline VF16 operator+(VF16 a, VF16 b) { return {_mm512_add_ps(a.r, b.r)}; }
inline VF16 operator-(VF16 a, VF16 b) { return {_mm512_sub_ps(a.r, b.r)}; }
inline VF16 operator*(VF16 a, VF16 b) { return {_mm512_mul_ps(a.r, b.r)}; }
inline VF16 fmadd(VF16 a, VF16 b, VF16 c) { return {_mm512_fmadd_ps(a.r, b.r, c.r)}; }
inline VF16 fnmadd(VF16 a, VF16 b, VF16 c) { return {_mm512_fnmadd_ps(a.r, b.r, c.r)}; }
inline VF16 vsqrt(VF16 a) { return {_mm512_sqrt_ps(a.r)}; }
inline VF16 vmax(VF16 a, VF16 b) { return {_mm512_max_ps(a.r, b.r)}; }
inline VF16 vmax_num(VF16 a, VF16 b) { return vmax(a, b); }
inline VF16 vlog(VF16 a) {
  using namespace logpoly;
  const __m512i bits = _mm512_castps_si512(a.r);
  __m512 e = _mm512_cvtepi32_ps(_mm512_sub_epi32(_mm512_srli_epi32(bits, 23), _mm512_set1_epi32(126)));
  __m512 m = _mm512_castsi512_ps(
      _mm512_or_si512(_mm512_and_si512(bits, _mm512_set1_epi32(0x007fffff)), _mm512_set1_epi32(0x3f000000)));
  const __mmask16 small = _mm512_cmp_ps_mask(m, _mm512_set1_ps(kSqrtHalf), _CMP_LT_OQ);
  e = _mm512_mask_sub_ps(e, small, e, _mm512_set1_ps(1.0f));
  m = _mm512_mask_add_ps(m, small, m, m);
  const __m512 f = _mm512_sub_ps(m, _mm512_set1_ps(1.0f));
  const __m512 z = _mm512_mul_ps(f, f);
  __m512 p = _mm512_set1_ps(kP[0]);
  for (int i = 1; i < 9; ++i) p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(kP[i]));
  __m512 y = _mm512_mul_ps(_mm512_mul_ps(p, f), z);
  y = _mm512_fmadd_ps(e, _mm512_set1_ps(kLn2Lo), y);
  y = _mm512_fnmadd_ps(z, _mm512_set1_ps(0.5f), y);
  __m512 r = _mm512_add_ps(f, y);
  r = _mm512_fmadd_ps(e, _mm512_set1_ps(kLn2Hi), r);
  const __mmask16 special = _mm512_cmp_ps_mask(a.r, _mm512_set1_ps(3.4028234663852886e38f), _CMP_NLE_UQ);
  return {_mm512_mask_blend_ps(special, r, a.r)};
}
// 16 x 16 transpose times the window: lane l of output vector j (at out + j*stride) is rows[l][j] * win[j].
inline void transpose_store(const float* const* rows, float* out, std::size_t stride, const float* win, VF16* /*tag*/) {
  __m512 r[16], t[16];
  for (int i = 0; i < 16; ++i) r[i] = _mm512_loadu_ps(rows[i]);
  for (int i = 0; i < 16; i += 2) {
    t[i] = _mm512_unpacklo_ps(r[i], r[i + 1]);
    t[i + 1] = _mm512_unpackhi_ps(r[i], r[i + 1]);
  }
  for (int i = 0; i < 16; i += 4) {
    r[i] = _mm512_shuffle_ps(t[i], t[i + 2], 0x44);
    r[i + 1] = _mm512_shuffle_ps(t[i], t[i + 2], 0xEE);
    r[i + 2] = _mm512_shuffle_ps(t[i + 1], t[i + 3], 0x44);
    r[i + 3] = _mm512_shuffle_ps(t[i + 1], t[i + 3], 0xEE);
  }
  // r[4q + k] now holds, per 128-bit chunk c, rows (4q..4q+3) of column 4c + k.
  for (int k = 0; k < 4; ++k) {
    const __m512 a = _mm512_shuffle_f32x4(r[k], r[4 + k], 0x88);       // chunks 0,2 of rows 0-3 | 4-7
    const __m512 b = _mm512_shuffle_f32x4(r[k], r[4 + k], 0xDD);       // chunks 1,3
    const __m512 c = _mm512_shuffle_f32x4(r[8 + k], r[12 + k], 0x88);
    const __m512 d = _mm512_shuffle_f32x4(r[8 + k], r[12 + k], 0xDD);
    _mm512_storeu_ps(out + (0 + k) * stride, _mm512_mul_ps(_mm512_shuffle_f32x4(a, c, 0x88), _mm512_set1_ps(win[(0 + k)])));   // column k
    _mm512_storeu_ps(out + (4 + k) * stride, _mm512_mul_ps(_mm512_shuffle_f32x4(b, d, 0x88), _mm512_set1_ps(win[(4 + k)])));   // column 4 + k
    _mm512_storeu_ps(out + (8 + k) * stride, _mm512_mul_ps(_mm512_shuffle_f32x4(a, c, 0xDD), _mm512_set1_ps(win[(8 + k)])));   // column 8 + k
    _mm512_storeu_ps(out + (12 + k) * stride, _mm512_mul_ps(_mm512_shuffle_f32x4(b, d, 0xDD), _mm512_set1_ps(win[(12 + k)])));  // column 12 + k
  }
}
#endif

#if defined(__ARM_NEON) && defined(__aarch64__)
struct VF4 {
  using T = float;
  static constexpr int L = 4;
  float32x4_t r;
  static VF4 load(const float* p) { return {vld1q_f32(p)}; }
  static VF4 set1(float x) { return {vdupq_n_f32(x)}; }
  static VF4 zero() { return {vdupq_n_f32(0.0f)}; }
  void store(float* p) const { vst1q_f32(p, r); }
};
inline VF4 operator+(VF4 a, VF4 b) { return {vaddq_f32(a.r, b.r)}; }
inline VF4 operator-(VF4 a, VF4 b) { return {vsubq_f32(a.r, b.r)}; }
inline VF4 operator*(VF4 a, VF4 b) { return {vmulq_f32(a.r, b.r)}; }
inline VF4 fmadd(VF4 a, VF4 b, VF4 c) { return {vfmaq_f32(c.r, a.r, b.r)}; }
inline VF4 fnmadd(VF4 a, VF4 b, VF4 c) { return {vfmsq_f32(c.r, a.r, b.r)}; }
inline VF4 vsqrt(VF4 a) { return {vsqrtq_f32(a.r)}; }
inline VF4 vmax(VF4 a, VF4 b) { return {vmaxq_f32(a.r, b.r)}; }
inline VF4 vmax_num(VF4 a, VF4 b) { return {vmaxnmq_f32(a.r, b.r)}; }
inline VF4 vlog(VF4 a) {
  using namespace logpoly;
  const uint32x4_t bits = vreinterpretq_u32_f32(a.r);
  float32x4_t e = vcvtq_f32_s32(vsubq_s32(vreinterpretq_s32_u32(vshrq_n_u32(bits, 23)), vdupq_n_s32(126)));
  float32x4_t m = vreinterpretq_f32_u32(vorrq_u32(vandq_u32(bits, vdupq_n_u32(0x007fffff)), vdupq_n_u32(0x3f000000)));
  const uint32x4_t small = vcltq_f32(m, vdupq_n_f32(kSqrtHalf));
  e = vsubq_f32(e, vreinterpretq_f32_u32(vandq_u32(small, vreinterpretq_u32_f32(vdupq_n_f32(1.0f)))));
  m = vaddq_f32(m, vreinterpretq_f32_u32(vandq_u32(small, vreinterpretq_u32_f32(m))));
  const float32x4_t f = vsubq_f32(m, vdupq_n_f32(1.0f));
  const float32x4_t z = vmulq_f32(f, f);
  float32x4_t p = vdupq_n_f32(kP[0]);
  for (int i = 1; i < 9; ++i) p = vfmaq_f32(vdupq_n_f32(kP[i]), p, f);
  float32x4_t y = vmulq_f32(vmulq_f32(p, f), z);
  y = vfmaq_f32(y, e, vdupq_n_f32(kLn2Lo));
  y = vfmsq_f32(y, z, vdupq_n_f32(0.5f));
  float32x4_t r = vaddq_f32(f, y);
  r = vfmaq_f32(r, e, vdupq_n_f32(kLn2Hi));
  const uint32x4_t normal = vcleq_f32(a.r, vdupq_n_f32(3.4028234663852886e38f));  // false for NaN and +inf
  return {vbslq_f32(normal, r, a.r)};
}
// 4 x 4 transpose times the window: lane l of output vector j (at out + j*stride) is rows[l][j] * win[j].
inline void transpose_store(const float* const* rows, float* out, std::size_t stride, const float* win, VF4* /*tag*/) {
  const float32x4x2_t a = vtrnq_f32(vld1q_f32(rows[0]), vld1q_f32(rows[1]));
  const float32x4x2_t b = vtrnq_f32(vld1q_f32(rows[2]), vld1q_f32(rows[3]));
  vst1q_f32(out + 0 * stride, vmulq_n_f32(vcombine_f32(vget_low_f32(a.val[0]), vget_low_f32(b.val[0])), win[0]));
  vst1q_f32(out + 1 * stride, vmulq_n_f32(vcombine_f32(vget_low_f32(a.val[1]), vget_low_f32(b.val[1])), win[1]));
  vst1q_f32(out + 2 * stride, vmulq_n_f32(vcombine_f32(vget_high_f32(a.val[0]), vget_high_f32(b.val[0])), win[2]));
  vst1q_f32(out + 3 * stride, vmulq_n_f32(vcombine_f32(vget_high_f32(a.val[1]), vget_high_f32(b.val[1])), win[3]));
}
#endif

}  // namespace AUDIOMILL_ISA
}  // namespace audiomill
