// Compressed row formats for the vector index, and their conversions from float32.
//
// - bf16: the top 16 bits of the float, rounded to nearest even (8 significant bits, float's range).
// - f16: IEEE binary16, rounded to nearest even (11 significant bits, |x| <= 65504).
// - i8: per row, codes c_d = round(x_d / s) in [-127, 127] with the scale s = max_d |x_d| / 127 (s = 0
//   for a zero row), so x_d ~ c_d * s and <x, y> ~ s_x s_y <c_x, c_y> (an exact integer dot product).
#pragma once
#include <cstddef>
#include <cstdint>

namespace audiomill {

// float -> bfloat16, rounded to nearest even (finite values).
void f32_to_bf16(const float* x, std::size_t n, std::uint16_t* out);

// float -> binary16, rounded to nearest even. Returns the index of the first value whose magnitude
// overflows binary16 (|x| >= 65520, which rounds to infinity), or -1 when all fit.
std::int64_t f32_to_f16(const float* x, std::size_t n, std::uint16_t* out);

// binary16 -> float (finite values: the format never stores infinities or NaN).
inline float f16_to_f32(std::uint16_t h);
inline float bf16_to_f32(std::uint16_t b);

// Per-row int8 codes (n x dim) and scales (n), as above.
void quantize_i8_rows(const float* x, std::int64_t n, int dim, std::int8_t* codes, float* scales);

// |x_j|^2 of the stored (rounded) rows, summed in float64, stored as float.
void bf16_row_norms(const std::uint16_t* x, std::int64_t n, int dim, float* out);
void f16_row_norms(const std::uint16_t* x, std::int64_t n, int dim, float* out);
void i8_row_norms(const std::int8_t* codes, const float* scales, std::int64_t n, int dim, float* out);

}  // namespace audiomill

#include <cstring>

namespace audiomill {

inline float f16_to_f32(std::uint16_t h) {
  // The 15 magnitude bits shifted into a float's exponent and mantissa, with the exponent rebiased
  // (+112), are the float. A subnormal half (exponent 0) is its mantissa m times 2^-24: built as the
  // float 2^-14 * (1 + m / 1024) minus 2^-14, exactly, without touching float subnormals.
  const std::uint32_t o = static_cast<std::uint32_t>(h & 0x7fffu) << 13;
  const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000u) << 16;
  float f;
  if (o & 0x0f800000u) {
    const std::uint32_t u = (o + (112u << 23)) | sign;
    std::memcpy(&f, &u, sizeof f);
    return f;
  }
  const std::uint32_t u = o + (113u << 23), base = 113u << 23;
  float fu, fb;
  std::memcpy(&fu, &u, sizeof fu);
  std::memcpy(&fb, &base, sizeof fb);
  f = fu - fb;
  return sign ? -f : f;
}

inline float bf16_to_f32(std::uint16_t b) {
  const std::uint32_t u = static_cast<std::uint32_t>(b) << 16;
  float f;
  std::memcpy(&f, &u, sizeof f);
  return f;
}

}  // namespace audiomill
