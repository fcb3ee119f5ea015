#include "search/quantize.h"

#include <cmath>
#include <cstring>

namespace audiomill {
namespace {

std::uint32_t bits(float f) {
  std::uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  return u;
}

float from_bits(std::uint32_t u) {
  float f;
  std::memcpy(&f, &u, sizeof f);
  return f;
}

template <class Widen, class T>
void row_norms(const T* x, std::int64_t n, int dim, float* out, Widen widen) {
  for (std::int64_t r = 0; r < n; ++r) {
    double s = 0.0;
    for (int d = 0; d < dim; ++d) {
      const double v = widen(x[r * dim + d]);
      s += v * v;
    }
    out[r] = static_cast<float>(s);
  }
}

}  // namespace

void f32_to_bf16(const float* x, std::size_t n, std::uint16_t* out) {
  for (std::size_t i = 0; i < n; ++i) {
    std::uint32_t u = bits(x[i]);
    u += 0x7fffu + ((u >> 16) & 1u);  // round to nearest, ties to even (finite input)
    out[i] = static_cast<std::uint16_t>(u >> 16);
  }
}

std::int64_t f32_to_f16(const float* x, std::size_t n, std::uint16_t* out) {
  std::int64_t overflow = -1;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t u = bits(x[i]);
    const std::uint32_t sign = (u >> 16) & 0x8000u;
    const std::uint32_t a = u & 0x7fffffffu;
    std::uint32_t h;
    if (a >= 0x477ff000u) {  // >= 65520: rounds to infinity
      if (overflow < 0) overflow = static_cast<std::int64_t>(i);
      h = 0x7c00u;
    } else if (a < 0x38800000u) {  // below 2^-14: a subnormal half (or zero)
      // |x| * 2^24 rounded to an integer, to nearest even, is the subnormal's mantissa: adding
      // 0.5 (as a float with the right exponent) lets the FPU round. a / 2^-24 = value in units of 2^-24.
      const float f = from_bits(a) + 0.5f;  // 0.5 = 2^-1: aligns the units of 2^-24 with f's mantissa end
      h = bits(f) - 0x3f000000u;
    } else {
      const std::uint32_t odd = (a >> 13) & 1u;
      h = (a + 0xc8000fffu + odd) >> 13;  // rebias the exponent (-112 << 23) and round to nearest even
    }
    out[i] = static_cast<std::uint16_t>(sign | h);
  }
  return overflow;
}

void quantize_i8_rows(const float* x, std::int64_t n, int dim, std::int8_t* codes, float* scales) {
  for (std::int64_t r = 0; r < n; ++r) {
    const float* v = x + r * dim;
    std::int8_t* c = codes + r * dim;
    float m = 0.0f;
    for (int d = 0; d < dim; ++d) m = std::fmax(m, std::fabs(v[d]));
    if (!(m > 0.0f)) {
      std::memset(c, 0, static_cast<std::size_t>(dim));
      scales[r] = 0.0f;
      continue;
    }
    const float inv = 127.0f / m;
    constexpr float kRound = 12582912.0f;  // 1.5 * 2^23: adding and subtracting it rounds to an integer, ties to even
    for (int d = 0; d < dim; ++d) {
      const float t = v[d] * inv;
      const float q = (t + kRound) - kRound;
      c[d] = static_cast<std::int8_t>(q > 127.0f ? 127.0f : (q < -127.0f ? -127.0f : q));
    }
    scales[r] = m / 127.0f;
  }
}

void bf16_row_norms(const std::uint16_t* x, std::int64_t n, int dim, float* out) {
  row_norms(x, n, dim, out, bf16_to_f32);
}

void f16_row_norms(const std::uint16_t* x, std::int64_t n, int dim, float* out) {
  row_norms(x, n, dim, out, f16_to_f32);
}

void i8_row_norms(const std::int8_t* codes, const float* scales, std::int64_t n, int dim, float* out) {
  for (std::int64_t r = 0; r < n; ++r) {
    std::int64_t s = 0;
    for (int d = 0; d < dim; ++d) s += static_cast<std::int64_t>(codes[r * dim + d]) * codes[r * dim + d];
    const double sc = scales[r];
    out[r] = static_cast<float>(static_cast<double>(s) * sc * sc);
  }
}

}  // namespace audiomill
