#include "features/pooling.h"

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "util/error.h"

namespace audiomill {

std::int64_t pooled_size(PoolMode mode, std::int64_t d) { return mode == PoolMode::MeanStd ? 2 * d : d; }

void pool_frames(const float* x, std::int64_t t, std::int64_t d, const PoolOptions& o, float* out) {
  if (t < 1) throw CoreError("INVALID_ARGUMENT", "no frames to pool");
  if (d < 1) throw CoreError("INVALID_ARGUMENT", "frames of width 0");
  if (o.ddof < 0) throw CoreError("INVALID_ARGUMENT", "ddof must be >= 0");
  const std::size_t D = static_cast<std::size_t>(d);
  switch (o.mode) {
    case PoolMode::Frame: {
      const std::int64_t f = o.frame < 0 ? t + o.frame : o.frame;
      if (f < 0 || f >= t)
        throw CoreError("INVALID_ARGUMENT", "frame " + std::to_string(o.frame) + " of " + std::to_string(t) + " frames");
      for (std::size_t k = 0; k < D; ++k) out[k] = x[static_cast<std::size_t>(f) * D + k];
      break;
    }
    case PoolMode::Max: {
      for (std::size_t k = 0; k < D; ++k) out[k] = x[k];
      for (std::int64_t i = 1; i < t; ++i) {
        const float* row = x + static_cast<std::size_t>(i) * D;
        for (std::size_t k = 0; k < D; ++k) {
          const float v = row[k];
          if (v > out[k] || std::isnan(v)) out[k] = std::isnan(out[k]) ? out[k] : v;
        }
      }
      break;
    }
    case PoolMode::Mean:
    case PoolMode::MeanStd: {
      // Two passes in double: the mean, then the squared deviations from it (no cancellation).
      std::vector<double> sum(D, 0.0);
      for (std::int64_t i = 0; i < t; ++i) {
        const float* row = x + static_cast<std::size_t>(i) * D;
        for (std::size_t k = 0; k < D; ++k) sum[k] += row[k];
      }
      for (std::size_t k = 0; k < D; ++k) sum[k] /= static_cast<double>(t);
      for (std::size_t k = 0; k < D; ++k) out[k] = static_cast<float>(sum[k]);
      if (o.mode == PoolMode::Mean) break;
      std::vector<double> sq(D, 0.0);
      for (std::int64_t i = 0; i < t; ++i) {
        const float* row = x + static_cast<std::size_t>(i) * D;
        for (std::size_t k = 0; k < D; ++k) {
          const double e = row[k] - sum[k];
          sq[k] += e * e;
        }
      }
      const double n = static_cast<double>(t - o.ddof);
      for (std::size_t k = 0; k < D; ++k)
        out[D + k] = n > 0 ? static_cast<float>(std::sqrt(sq[k] / n)) : std::numeric_limits<float>::quiet_NaN();
      break;
    }
    default:
      throw CoreError("INVALID_ARGUMENT", "unknown pooling mode");
  }
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

}  // namespace audiomill
