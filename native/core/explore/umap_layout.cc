#include "explore/umap_layout.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "util/error.h"
#include "util/rng.h"

namespace audiomill {

namespace {

using I64 = std::int64_t;

[[noreturn]] void bad(const std::string& message) { throw CoreError("INVALID_ARGUMENT", message); }

inline double clip4(double v) { return v > 4.0 ? 4.0 : (v < -4.0 ? -4.0 : v); }

}  // namespace

void umap_optimize_layout(float* embedding, I64 n, int dim, const std::int32_t* head, const std::int32_t* tail, const double* epochs_per_sample,
                          I64 edges, const UmapLayoutOptions& o) {
  if (n < 1 || dim < 1) bad("Expected at least one point and one dimension");
  if (o.epochs < 1) bad("Expected at least one epoch");
  if (o.negative_sample_rate < 0) bad("Expected a negative sample rate >= 0");
  if (!(o.a > 0) || !(o.b > 0) || !std::isfinite(o.a) || !std::isfinite(o.b)) bad("Expected positive finite curve parameters a and b");
  for (I64 e = 0; e < edges; ++e)
    if (head[e] < 0 || head[e] >= n || tail[e] < 0 || tail[e] >= n) bad("Edge " + std::to_string(e) + " joins a point outside [0, " + std::to_string(n) + ")");
  std::vector<double> next_sample(epochs_per_sample, epochs_per_sample + edges);
  std::vector<double> per_negative(static_cast<std::size_t>(edges)), next_negative(static_cast<std::size_t>(edges));
  for (I64 e = 0; e < edges; ++e) {
    per_negative[e] = o.negative_sample_rate > 0 ? epochs_per_sample[e] / o.negative_sample_rate : 0;
    next_negative[e] = per_negative[e];
  }
  Rng rng(o.seed);
  const double a = o.a, b = o.b;
  const float fb = static_cast<float>(b);  // the powers in float: the layout is float, and powf is twice as fast
  std::vector<double> grad(static_cast<std::size_t>(dim));
  for (int epoch = 0; epoch < o.epochs; ++epoch) {
    const double alpha = o.learning_rate * (1.0 - static_cast<double>(epoch) / o.epochs);
    for (I64 e = 0; e < edges; ++e) {
      if (!(epochs_per_sample[e] > 0) || next_sample[e] > epoch) continue;
      float* current = embedding + static_cast<I64>(head[e]) * dim;
      float* other = embedding + static_cast<I64>(tail[e]) * dim;
      double d2 = 0;
      for (int d = 0; d < dim; ++d) d2 += (static_cast<double>(current[d]) - other[d]) * (static_cast<double>(current[d]) - other[d]);
      // -2ab d^(2(b-1)) / (1 + a d^(2b)), with one power: d^(2(b-1)) = d^(2b) / d².
      double coeff = 0;
      if (d2 > 0) {
        const double p = static_cast<double>(std::pow(static_cast<float>(d2), fb));
        coeff = (-2.0 * a * b * p / d2) / (a * p + 1.0);
      }
      for (int d = 0; d < dim; ++d) {
        const double g = clip4(coeff * (static_cast<double>(current[d]) - other[d]));
        current[d] = static_cast<float>(current[d] + g * alpha);
        other[d] = static_cast<float>(other[d] - g * alpha);
      }
      next_sample[e] += epochs_per_sample[e];
      if (per_negative[e] <= 0) continue;
      const I64 negatives = static_cast<I64>((epoch - next_negative[e]) / per_negative[e]);
      for (I64 q = 0; q < negatives; ++q) {
        const I64 k = static_cast<I64>(rng.below(static_cast<std::uint64_t>(n)));
        if (k == head[e]) continue;
        float* far = embedding + k * dim;
        double f2 = 0;
        for (int d = 0; d < dim; ++d) f2 += (static_cast<double>(current[d]) - far[d]) * (static_cast<double>(current[d]) - far[d]);
        const double rc = f2 > 0 ? (2.0 * o.gamma * b) / ((0.001 + f2) * (a * static_cast<double>(std::pow(static_cast<float>(f2), fb)) + 1.0)) : 0.0;
        if (!(rc > 0)) continue;
        for (int d = 0; d < dim; ++d) current[d] = static_cast<float>(current[d] + clip4(rc * (static_cast<double>(current[d]) - far[d])) * alpha);
      }
      next_negative[e] += static_cast<double>(negatives) * per_negative[e];
    }
  }
}

}  // namespace audiomill
