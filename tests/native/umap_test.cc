// UMAP's layout optimisation (explore/umap_layout.h): two cliques joined by nothing end up apart, each tight; the
// same seed gives the same layout bit for bit; edges outside [0, n) and bad options are refused with CoreError.
#include <cmath>
#include <string>
#include <vector>

#include "check.h"
#include "explore/umap_layout.h"
#include "util/error.h"

using namespace audiomill;
using amtest::check;

TEST_SUITE(umap_layout) {
  const int n = 40;
  std::vector<std::int32_t> head, tail;
  std::vector<double> eps;
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j)
      if (i != j && (i < n / 2) == (j < n / 2)) {
        head.push_back(i);
        tail.push_back(j);
        eps.push_back(1.0);
      }
  std::vector<float> start = amtest::noise(2 * n, 5);
  for (auto& v : start) v *= 10;
  UmapLayoutOptions o;
  o.epochs = 200;
  o.seed = 3;
  std::vector<float> a = start, b = start;
  umap_optimize_layout(a.data(), n, 2, head.data(), tail.data(), eps.data(), static_cast<std::int64_t>(head.size()), o);
  umap_optimize_layout(b.data(), n, 2, head.data(), tail.data(), eps.data(), static_cast<std::int64_t>(head.size()), o);
  check(a == b, "one seed gives one layout");
  auto centre = [&](int first) {
    double x = 0, y = 0;
    for (int i = first; i < first + n / 2; ++i) {
      x += a[2 * i];
      y += a[2 * i + 1];
    }
    return std::pair<double, double>{x / (n / 2), y / (n / 2)};
  };
  const auto c0 = centre(0), c1 = centre(n / 2);
  double spread = 0;
  for (int i = 0; i < n; ++i) {
    const auto c = i < n / 2 ? c0 : c1;
    spread = std::max(spread, std::hypot(a[2 * i] - c.first, a[2 * i + 1] - c.second));
  }
  const double apart = std::hypot(c0.first - c1.first, c0.second - c1.second);
  check(apart > 2 * spread, "two cliques end up apart (centres " + std::to_string(apart) + ", widest cluster radius " + std::to_string(spread) + ")");
  bool refused = false;
  try {
    std::vector<std::int32_t> bad_tail(tail);
    bad_tail[0] = n;
    umap_optimize_layout(a.data(), n, 2, head.data(), bad_tail.data(), eps.data(), static_cast<std::int64_t>(head.size()), o);
  } catch (const CoreError& e) {
    refused = e.code() == "INVALID_ARGUMENT";
  }
  check(refused, "an edge to a point outside [0, n) is refused");
  refused = false;
  try {
    UmapLayoutOptions z = o;
    z.b = 0;
    umap_optimize_layout(a.data(), n, 2, head.data(), tail.data(), eps.data(), static_cast<std::int64_t>(head.size()), z);
  } catch (const CoreError& e) {
    refused = e.code() == "INVALID_ARGUMENT";
  }
  check(refused, "b = 0 is refused");
}
