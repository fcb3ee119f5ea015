#include "features/db.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "util/error.h"
#include "util/isa_clone.h"
#include "util/thread_pool.h"

namespace audiomill {
namespace {

constexpr float kSqrtHalf = 0.707106781186547524f;
constexpr float kLn2Lo = -2.12194440e-4f;
constexpr float kLn2Hi = 0.693359375f;
constexpr float kFltMax = std::numeric_limits<float>::max();
constexpr float kNegInf = -std::numeric_limits<float>::infinity();
// Values per inner block: the running maximum lives in kLanes independent lanes.
constexpr std::size_t kLanes = 16;

// Natural log of a positive normal float (or +inf / NaN, returned unchanged), branch-free so that
// the loops below vectorise: x = m * 2^e, m in [sqrt(1/2), sqrt(2)), ln x = e ln 2 + ln(1 + f).
AM_INLINE float ln_poly(float x) {
  std::uint32_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  float e = static_cast<float>(static_cast<std::int32_t>(bits >> 23) - 126);
  const std::uint32_t mbits = (bits & 0x007fffffu) | 0x3f000000u;
  float m;
  std::memcpy(&m, &mbits, sizeof m);
  const bool small = m < kSqrtHalf;
  e = small ? e - 1.0f : e;
  m = small ? m + m : m;
  const float f = m - 1.0f;
  const float z = f * f;
  float p = 7.0376836292e-2f;
  p = p * f + -1.1514610310e-1f;
  p = p * f + 1.1676998740e-1f;
  p = p * f + -1.2420140846e-1f;
  p = p * f + 1.4249322787e-1f;
  p = p * f + -1.6668057665e-1f;
  p = p * f + 2.0000714765e-1f;
  p = p * f + -2.4999993993e-1f;
  p = p * f + 3.3333331174e-1f;
  float y = p * f * z;
  y = y + e * kLn2Lo;
  y = y - z * 0.5f;
  float r = f + y;
  r = r + e * kLn2Hi;
  return x <= kFltMax ? r : x;  // NaN and +inf pass through
}

AM_INLINE float db_one(float v, float scale, float floor, float offset) {
  v = v < floor ? floor : v;  // keeps NaN
  return ln_poly(v) * scale + offset;
}

AM_INLINE float db_values_impl(const float* __restrict x, std::size_t n, float* __restrict y, float scale, float floor,
                               float offset) {
  float lane_max[kLanes];
  for (std::size_t j = 0; j < kLanes; ++j) lane_max[j] = kNegInf;
  std::size_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    for (std::size_t j = 0; j < kLanes; ++j) {
      const float d = db_one(x[i + j], scale, floor, offset);
      y[i + j] = d;
      lane_max[j] = d > lane_max[j] ? d : lane_max[j];  // NaN never wins
    }
  }
  float m = kNegInf;
  for (; i < n; ++i) {
    const float d = db_one(x[i], scale, floor, offset);
    y[i] = d;
    m = d > m ? d : m;
  }
  for (std::size_t j = 0; j < kLanes; ++j) m = lane_max[j] > m ? lane_max[j] : m;
  return m;
}

// In place (x == y) is allowed: each value is read before it is written. __restrict above
// promises nothing overlapping *partially*; an exact alias is handled by this wrapper.
AM_INLINE float db_values_any(const float* x, std::size_t n, float* y, float scale, float floor, float offset) {
  if (x != y) return db_values_impl(x, n, y, scale, floor, offset);
  float buf[1024];
  float m = kNegInf;
  for (std::size_t i = 0; i < n; i += 1024) {
    const std::size_t k = std::min<std::size_t>(1024, n - i);
    std::memcpy(buf, x + i, k * sizeof(float));
    const float b = db_values_impl(buf, k, y + i, scale, floor, offset);
    m = b > m ? b : m;
  }
  return m;
}

AM_INLINE void clamp_impl(float* y, std::size_t n, float floor) {
  for (std::size_t i = 0; i < n; ++i) y[i] = y[i] < floor ? floor : y[i];
}

using ValuesFn = float (*)(const float*, std::size_t, float*, float, float, float);
using ClampFn = void (*)(float*, std::size_t, float);

float values_base(const float* x, std::size_t n, float* y, float s, float f, float o) { return db_values_any(x, n, y, s, f, o); }
void clamp_base(float* y, std::size_t n, float floor) { clamp_impl(y, n, floor); }
#if defined(AM_ISA_CLONES)
AM_TARGET_AVX2 float values_avx2(const float* x, std::size_t n, float* y, float s, float f, float o) { return db_values_any(x, n, y, s, f, o); }
AM_TARGET_AVX512 float values_avx512(const float* x, std::size_t n, float* y, float s, float f, float o) { return db_values_any(x, n, y, s, f, o); }
AM_TARGET_AVX2 void clamp_avx2(float* y, std::size_t n, float floor) { clamp_impl(y, n, floor); }
AM_TARGET_AVX512 void clamp_avx512(float* y, std::size_t n, float floor) { clamp_impl(y, n, floor); }
#else
constexpr ValuesFn values_avx2 = values_base, values_avx512 = values_base;
constexpr ClampFn clamp_avx2 = clamp_base, clamp_avx512 = clamp_base;
#endif

void invalid(const char* message) { throw CoreError("INVALID_ARGUMENT", message); }

}  // namespace

DbLog db_log_params(const DbOptions& o) {
  if (!(o.amin >= static_cast<double>(std::numeric_limits<float>::min())) || !std::isfinite(o.amin))
    invalid("amin must be a finite number >= FLT_MIN");
  if (!(o.ref > 0) || !std::isfinite(o.ref)) invalid("ref must be a positive finite number");
  const double multiplier = o.scale == DbScale::Magnitude ? 20.0 : 10.0;
  // The same float factors as the fused log-mel step (LogMelSpectrogram's native log).
  return {static_cast<float>(multiplier / std::log(10.0)), static_cast<float>(o.amin),
          static_cast<float>(-multiplier * std::log10(std::max(o.amin, o.ref)))};
}

float db_values(const float* x, std::size_t n, float* y, const DbLog& p) {
  return isa_dispatch<ValuesFn>(values_base, values_avx2, values_avx512, x, n, y, p.log_scale, p.floor, p.log_offset);
}

void db_clamp(float* y, std::size_t n, float floor) { isa_dispatch<ClampFn>(clamp_base, clamp_avx2, clamp_avx512, y, n, floor); }

void amplitude_to_db(const float* x, std::size_t n, float* out, const DbOptions& options, int threads) {
  const DbLog p = db_log_params(options);
  const bool clamp = options.top_db >= 0;
  if (clamp && !std::isfinite(options.top_db)) invalid("top_db must be finite");
  if (options.groups < 1 || n % static_cast<std::size_t>(options.groups) != 0) invalid("groups must divide the size");
  if (n == 0) return;
  const std::size_t groups = static_cast<std::size_t>(options.groups);
  const std::size_t size = n / groups;
  // Chunks of 64 Ki values per task; a chunk never straddles two groups.
  constexpr std::size_t kChunk = std::size_t{1} << 16;
  const std::size_t per_group = (size + kChunk - 1) / kChunk;
  const std::size_t tasks = per_group * groups;
  auto range = [&](std::size_t task, std::size_t* begin, std::size_t* len) {
    const std::size_t g = task / per_group, c = task % per_group;
    *begin = g * size + c * kChunk;
    *len = std::min(kChunk, size - c * kChunk);
  };
  std::vector<float> chunk_max(tasks, kNegInf);
  const int cap = n < 2 * kChunk ? 1 : threads;  // short inputs: no pool round trip
  parallel_for(tasks, 1, cap, [&](std::size_t t0, std::size_t t1) {
    for (std::size_t t = t0; t < t1; ++t) {
      std::size_t b, len;
      range(t, &b, &len);
      chunk_max[t] = db_values(x + b, len, out + b, p);
    }
  });
  if (!clamp) return;
  const float top_db = static_cast<float>(options.top_db);
  std::vector<float> floors(groups);
  for (std::size_t g = 0; g < groups; ++g) {
    float peak = kNegInf;
    for (std::size_t c = 0; c < per_group; ++c) peak = std::max(peak, chunk_max[g * per_group + c]);
    floors[g] = peak - top_db;
  }
  parallel_for(tasks, 1, cap, [&](std::size_t t0, std::size_t t1) {
    for (std::size_t t = t0; t < t1; ++t) {
      std::size_t b, len;
      range(t, &b, &len);
      db_clamp(out + b, len, floors[t / per_group]);
    }
  });
}

}  // namespace audiomill
