// t-SNE's optimisation (explore/tsne_layout.h): two groups whose P links only within each group end up apart, each
// tight; one thread gives the pool's layout bit for bit; the KL divergence is finite and positive; P entries naming a
// point outside [0, n) and offsets that decrease are refused with CoreError.
#include <cmath>
#include <string>
#include <vector>

#include "check.h"
#include "explore/tsne_layout.h"
#include "util/error.h"

using namespace audiomill;
using amtest::check;

TEST_SUITE(tsne_layout) {
  const std::int64_t n = 60;
  std::vector<std::int64_t> offsets{0};
  std::vector<std::int32_t> columns;
  std::vector<double> values;
  for (std::int64_t i = 0; i < n; ++i) {
    for (std::int64_t j = 0; j < n; ++j)
      if (i != j && (i < n / 2) == (j < n / 2)) columns.push_back(static_cast<std::int32_t>(j));
    offsets.push_back(static_cast<std::int64_t>(columns.size()));
  }
  values.assign(columns.size(), 1.0 / static_cast<double>(columns.size()));
  std::vector<float> noise = amtest::noise(2 * n, 9);
  std::vector<double> a(noise.begin(), noise.end()), b;
  for (auto& v : a) v *= 1e-4;
  b = a;
  TsneOptions o;
  o.iterations = 300;
  o.learning_rate = 50;
  const double kl = tsne_optimize(a.data(), n, 2, offsets.data(), columns.data(), values.data(), o);
  o.threads = 1;
  tsne_optimize(b.data(), n, 2, offsets.data(), columns.data(), values.data(), o);
  check(a == b, "one thread gives the pool's layout bit for bit");
  check(std::isfinite(kl) && kl > 0, "the KL divergence is finite and positive (" + std::to_string(kl) + ")");
  double c[2][2] = {{0, 0}, {0, 0}};
  for (std::int64_t i = 0; i < n; ++i)
    for (int d = 0; d < 2; ++d) c[i < n / 2 ? 0 : 1][d] += a[i * 2 + d] / (n / 2);
  double radius = 0;
  for (std::int64_t i = 0; i < n; ++i) {
    const double* ci = c[i < n / 2 ? 0 : 1];
    radius = std::max(radius, std::hypot(a[i * 2] - ci[0], a[i * 2 + 1] - ci[1]));
  }
  const double apart = std::hypot(c[0][0] - c[1][0], c[0][1] - c[1][1]);
  check(apart > 2 * radius, "two groups end up apart (centres " + std::to_string(apart) + ", widest radius " + std::to_string(radius) + ")");
  bool refused = false;
  try {
    std::vector<std::int32_t> bad(columns);
    bad[0] = static_cast<std::int32_t>(n);
    tsne_optimize(a.data(), n, 2, offsets.data(), bad.data(), values.data(), o);
  } catch (const CoreError& e) {
    refused = e.code() == "INVALID_ARGUMENT";
  }
  check(refused, "a P entry naming a point outside [0, n) is refused");
  refused = false;
  try {
    std::vector<std::int64_t> off(offsets);
    off[5] = off[4] - 1;
    tsne_optimize(a.data(), n, 2, off.data(), columns.data(), values.data(), o);
  } catch (const CoreError& e) {
    refused = e.code() == "INVALID_ARGUMENT";
  }
  check(refused, "decreasing offsets are refused");
}
