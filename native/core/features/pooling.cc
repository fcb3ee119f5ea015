#include "features/pooling.h"

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "dsp/feature_plan.h"
#include "util/error.h"

namespace audiomill {

namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

// Value i of dimension k: x is [t, d] (frames-major) or [d, t] (features-major). Sums run over i in the
// same order either way, so both layouts give the same bits.
struct View {
  const float* x;
  std::size_t t, d;
  bool features_major;
  float at(std::size_t i, std::size_t k) const { return features_major ? x[k * t + i] : x[i * d + k]; }
};

void pool_dimension(const View& v, std::size_t k, const PoolOptions& o, std::int64_t frame, float* out) {
  switch (o.mode) {
    case PoolMode::Frame:
      out[k] = v.at(static_cast<std::size_t>(frame), k);
      return;
    case PoolMode::Max: {
      float m = v.at(0, k);
      for (std::size_t i = 1; i < v.t && !std::isnan(m); ++i) {
        const float x = v.at(i, k);
        if (std::isnan(x) || x > m) m = x;  // a NaN wins, as torch.amax
      }
      out[k] = m;
      return;
    }
    case PoolMode::Mean:
    case PoolMode::MeanStd: {
      // Two passes in double: the mean, then the squared deviations from it (no cancellation). Four
      // interleaved partial sums (frame i into sum i mod 4) keep the adds from waiting on each other.
      double s[4] = {0.0, 0.0, 0.0, 0.0};
      std::size_t i = 0;
      for (; i + 4 <= v.t; i += 4)
        for (int j = 0; j < 4; ++j) s[j] += v.at(i + j, k);
      for (int j = 0; i < v.t; ++i, ++j) s[j] += v.at(i, k);
      const double mean = ((s[0] + s[1]) + (s[2] + s[3])) / static_cast<double>(v.t);
      out[k] = static_cast<float>(mean);
      if (o.mode == PoolMode::Mean) return;
      double q[4] = {0.0, 0.0, 0.0, 0.0};
      for (i = 0; i + 4 <= v.t; i += 4)
        for (int j = 0; j < 4; ++j) {
          const double e = v.at(i + j, k) - mean;
          q[j] += e * e;
        }
      for (int j = 0; i < v.t; ++i, ++j) {
        const double e = v.at(i, k) - mean;
        q[j] += e * e;
      }
      const double sq = (q[0] + q[1]) + (q[2] + q[3]);
      const double n = static_cast<double>(v.t) - o.ddof;
      out[v.d + k] = n > 0 ? static_cast<float>(std::sqrt(sq / n)) : kNaN;
      return;
    }
  }
  throw CoreError("INVALID_ARGUMENT", "unknown pooling mode");
}

}  // namespace

std::int64_t pooled_size(PoolMode mode, std::int64_t d) { return mode == PoolMode::MeanStd ? 2 * d : d; }

void pool_frames(const float* x, std::int64_t t, std::int64_t d, const PoolOptions& o, float* out) {
  if (t < 1) throw CoreError("INVALID_ARGUMENT", "no frames to pool");
  if (d < 1) throw CoreError("INVALID_ARGUMENT", "frames of width 0");
  if (o.ddof < 0) throw CoreError("INVALID_ARGUMENT", "ddof must be >= 0");
  const std::int64_t frame = o.frame < 0 ? t + o.frame : o.frame;
  if (o.mode == PoolMode::Frame && (frame < 0 || frame >= t))
    throw CoreError("INVALID_ARGUMENT", "frame " + std::to_string(o.frame) + " of " + std::to_string(t) + " frames");
  const View v{x, static_cast<std::size_t>(t), static_cast<std::size_t>(d), o.features_major};
  for (std::size_t k = 0; k < v.d; ++k) pool_dimension(v, k, o, frame, out);
  if (o.l2) {
    const std::size_t n = static_cast<std::size_t>(pooled_size(o.mode, d));
    double ss = 0.0;
    for (std::size_t k = 0; k < n; ++k) ss += static_cast<double>(out[k]) * out[k];
    if (ss > 0.0) {
      const double inv = 1.0 / std::sqrt(ss);
      for (std::size_t k = 0; k < n; ++k) out[k] = static_cast<float>(out[k] * inv);
    }
  }
}

void compute_pooled(const FeaturePlan& plan, const float* x, std::int64_t n, PoolOptions options, float* out,
                    int threads) {
  if (plan.config().complex_out) throw CoreError("INVALID_ARGUMENT", "pooling needs a two-dimensional output");
  thread_local std::vector<float> features;
  const std::int64_t t = plan.num_frames(n);
  const std::int64_t d = plan.num_features();
  const std::size_t size = static_cast<std::size_t>(t * d);
  if (features.size() < size) features.resize(size);
  plan.compute(x, n, features.data(), threads);
  options.features_major = !plan.config().frames_first;
  pool_frames(features.data(), t, d, options, out);
  if (features.size() > (std::size_t{1} << 23)) std::vector<float>().swap(features);
}

}  // namespace audiomill
