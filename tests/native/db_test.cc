// The decibel kernel (features/db.h): the float32 log against a float64 log10 over the whole
// positive float range, identical bits at every SIMD level and thread count, NaN / inf / floor
// handling, in-place conversion, top_db per group, and invalid options.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "check.h"
#include "features/db.h"
#include "util/error.h"
#include "util/simd.h"
#include "util/thread_pool.h"

using namespace audiomill;
using amtest::check;

namespace {

const SimdLevel kLevels[] = {SimdLevel::Scalar, SimdLevel::Neon, SimdLevel::Avx2, SimdLevel::Avx512};

std::vector<float> convert(const std::vector<float>& x, const DbOptions& o, int threads = 1) {
  std::vector<float> y(x.size(), -12345.0f);
  amplitude_to_db(x.data(), x.size(), y.data(), o, threads);
  return y;
}

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
}

// Positive normal floats spread log-uniformly from FLT_MIN to FLT_MAX, plus every float in [1, 2)
// at a stride (the mantissa range the polynomial covers), plus edge values.
std::vector<float> sweep() {
  std::vector<float> x;
  for (std::uint32_t bits = 0x00800000u; bits < 0x7f800000u; bits += 4099u) {
    float v;
    std::memcpy(&v, &bits, sizeof v);
    x.push_back(v);
  }
  for (std::uint32_t bits = 0x3f800000u; bits < 0x40000000u; bits += 31u) {
    float v;
    std::memcpy(&v, &bits, sizeof v);
    x.push_back(v);
  }
  for (float v : {1.0f, 0.70710677f, 0.70710683f, 1.4142135f, 2.0f, 0.5f, 1e-10f, 1e10f}) x.push_back(v);
  return x;
}

}  // namespace

TEST_SUITE(db_log10_accuracy) {
  const std::vector<float> x = sweep();
  DbOptions o;
  o.amin = std::numeric_limits<float>::min();
  for (SimdLevel level : kLevels) {
    if (!set_simd_level(level)) continue;
    const std::vector<float> y = convert(x, o);
    double worst = 0;
    float at = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      const double ref = 10.0 * std::log10(static_cast<double>(x[i]));
      // Absolute error in dB, relative to the output's own float spacing (|y| up to ~385 dB).
      const double err = std::fabs(y[i] - ref) / std::max(1.0, std::fabs(ref));
      if (err > worst) {
        worst = err;
        at = x[i];
      }
    }
    check(worst < 4e-7, std::string("10 log10 within 4e-7 relative at ") + simd_level_name(level) + " (worst " +
                            std::to_string(worst) + " at x = " + std::to_string(at) + ")");
    // Near 0 dB (x ~ 1) the error must be absolute, not relative: within 2e-6 dB.
    double worst_abs = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      if (x[i] < 0.5f || x[i] > 2.0f) continue;
      worst_abs = std::max(worst_abs, std::fabs(y[i] - 10.0 * std::log10(static_cast<double>(x[i]))));
    }
    check(worst_abs < 2e-6, std::string("10 log10 near 1 within 2e-6 dB at ") + simd_level_name(level));
  }
  set_simd_level(detected_simd_level());
}

TEST_SUITE(db_levels_and_threads_agree) {
  // Long enough for several pool chunks; lengths that leave every tail size.
  std::vector<float> x = sweep();
  x.resize(300001);
  for (std::size_t i = 0; i < x.size(); i += 7) x[i] = 0.0f;  // below amin
  x[5] = std::numeric_limits<float>::quiet_NaN();
  DbOptions o;
  o.top_db = 80;
  std::vector<float> reference;
  for (SimdLevel level : kLevels) {
    if (!set_simd_level(level)) continue;
    for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{15}, std::size_t{17}, std::size_t{1000}, x.size()}) {
      const std::vector<float> part(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(n));
      DbOptions p = o;
      const std::vector<float> one = convert(part, p, 1);
      const std::vector<float> two = convert(part, p, 2);
      check(same_bits(one, two), std::string("threads 1 and 2 agree at ") + simd_level_name(level) + " n " + std::to_string(n));
      if (n == x.size()) {
        if (reference.empty()) reference = one;
        check(same_bits(one, reference), std::string("level ") + simd_level_name(level) + " equals the scalar result bit for bit");
      }
    }
  }
  set_simd_level(detected_simd_level());
}

TEST_SUITE(db_semantics) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  for (SimdLevel level : kLevels) {
    if (!set_simd_level(level)) continue;
    const std::string at = std::string(" at ") + simd_level_name(level);
    DbOptions o;  // power, amin 1e-10, ref 1, no clamp
    std::vector<float> y = convert({100.0f, 1.0f, 0.0f, -3.0f, nan, inf, 1e-20f}, o);
    check(std::fabs(y[0] - 20.0f) < 1e-5f && y[1] == 0.0f, "10 log10: 100 -> 20 dB, 1 -> 0 dB" + at);
    check(std::fabs(y[2] + 100.0f) < 1e-4f && y[3] == y[2] && y[6] == y[2], "values below amin give 10 log10(amin)" + at);
    check(std::isnan(y[4]) && y[5] == inf, "NaN stays NaN, +inf stays +inf" + at);
    o.scale = DbScale::Magnitude;
    o.ref = 10.0;
    y = convert({10.0f, 1000.0f}, o);
    check(std::fabs(y[0]) < 1e-5f && std::fabs(y[1] - 40.0f) < 1e-5f, "magnitude: 20 log10(x / ref)" + at);
    // top_db: one cutoff per group; NaN ignored by the maximum and kept.
    DbOptions c;
    c.top_db = 20;
    c.groups = 2;
    y = convert({1.0f, 1e-12f, nan, 1e-1f, 1e-3f, 1e-12f, 1e-4f, 1e-2f}, c);
    check(y[0] == 0.0f && y[1] == -20.0f && std::isnan(y[2]) && std::fabs(y[3] + 10.0f) < 1e-5f,
          "group 1 clamped to its max - top_db" + at);
    check(std::fabs(y[4] + 30.0f) < 1e-4f && std::fabs(y[5] + 40.0f) < 1e-4f && std::fabs(y[6] + 40.0f) < 1e-4f &&
              std::fabs(y[7] + 20.0f) < 1e-4f,
          "group 2 clamped to its own max (-20) - 20" + at);
    // In place equals out of place.
    std::vector<float> x = amtest::noise(5000, 3);
    for (float& v : x) v = v * v;
    const std::vector<float> separate = convert(x, c);
    amplitude_to_db(x.data(), x.size(), x.data(), c, 1);
    check(same_bits(separate, x), "in place equals a separate output" + at);
  }
  set_simd_level(detected_simd_level());
  DbOptions bad;
  auto throws = [](const DbOptions& o, std::size_t n) {
    std::vector<float> x(n, 1.0f), y(n);
    try {
      amplitude_to_db(x.data(), n, y.data(), o, 1);
    } catch (const CoreError& e) {
      return std::string(e.code()) == "INVALID_ARGUMENT";
    }
    return false;
  };
  bad.amin = 1e-40;
  check(throws(bad, 4), "a subnormal amin is refused");
  bad = DbOptions{};
  bad.ref = 0;
  check(throws(bad, 4), "ref 0 is refused");
  bad = DbOptions{};
  bad.groups = 3;
  check(throws(bad, 4), "groups that do not divide the size are refused");
}
