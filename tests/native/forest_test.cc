// The random forest core (forest/forest.h): a fully grown tree fits its training rows; a forest learns XOR (which
// no single split separates); the same seed gives the same forest on one thread and on the pool; NaN counts as the
// lowest value; leaves' probabilities sum to 1; check_forest refuses offsets, features and children out of range;
// train_forest refuses bad labels, weights and options with CoreError.
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "check.h"
#include "forest/forest.h"
#include "util/error.h"

using namespace audiomill;
using amtest::check;

namespace {

template <class F>
bool refuses(F&& f) {
  try {
    f();
  } catch (const CoreError& e) {
    return e.code() == "INVALID_ARGUMENT";
  }
  return false;
}

}  // namespace

TEST_SUITE(forest_core) {
  // XOR of two uniform features, plus one noise feature.
  const std::int64_t n = 400, cols = 3;
  std::vector<float> x = amtest::noise(static_cast<std::size_t>(n * cols), 11);
  std::vector<std::int32_t> y(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) y[i] = (x[i * cols] > 0) != (x[i * cols + 1] > 0) ? 1 : 0;

  ForestOptions one;
  one.trees = 1;
  one.bootstrap = false;
  const Forest tree = train_forest(x.data(), n, cols, y.data(), 2, nullptr, one);
  std::vector<double> p(static_cast<std::size_t>(n * 2));
  forest_predict_proba(view_of(tree), x.data(), n, p.data(), 0);
  int wrong = 0;
  for (std::int64_t i = 0; i < n; ++i) wrong += (p[i * 2 + 1] > 0.5) != (y[i] == 1);
  check(wrong == 0, "a fully grown tree fits every training row (" + std::to_string(wrong) + " wrong)");

  ForestOptions o;
  o.trees = 50;
  o.seed = 5;
  const Forest f = train_forest(x.data(), n, cols, y.data(), 2, nullptr, o);
  const std::vector<float> test = amtest::noise(300 * cols, 12);
  std::vector<double> q(600);
  forest_predict_proba(view_of(f), test.data(), 300, q.data(), 0);
  int right = 0;
  bool sums = true;
  for (int i = 0; i < 300; ++i) {
    right += (q[i * 2 + 1] > 0.5) == ((test[i * cols] > 0) != (test[i * cols + 1] > 0));
    sums = sums && std::fabs(q[i * 2] + q[i * 2 + 1] - 1) < 1e-12;
  }
  check(right >= 270, "a forest learns XOR on held-out rows (" + std::to_string(right) + " / 300)");
  check(sums, "class probabilities sum to 1");
  check(f.importance[2] < f.importance[0] && f.importance[2] < f.importance[1], "the noise feature is the least important");

  ForestOptions single = o;
  single.threads = 1;
  const Forest g = train_forest(x.data(), n, cols, y.data(), 2, nullptr, single);
  check(g.feature == f.feature && g.threshold == f.threshold && g.value == f.value && g.offset == f.offset, "one thread gives the pool's forest exactly");
  ForestOptions other = o;
  other.seed = 6;
  check(train_forest(x.data(), n, cols, y.data(), 2, nullptr, other).threshold != f.threshold, "another seed gives another forest");

  // NaN: the lowest value. Rows with NaN in feature 0 belong to class 1 with the low values.
  std::vector<float> xn{std::nanf(""), 1.0f, 2.0f, 3.0f, std::nanf(""), 4.0f};
  std::vector<std::int32_t> yn{1, 1, 0, 0, 1, 0};
  const Forest fn = train_forest(xn.data(), 6, 1, yn.data(), 2, nullptr, one);
  std::vector<float> probe{std::nanf(""), -std::numeric_limits<float>::infinity(), 3.5f};
  std::vector<double> pn(6);
  forest_predict_proba(view_of(fn), probe.data(), 3, pn.data(), 1);
  check(pn[1] == 1 && pn[3] == 1 && pn[5] == 0, "NaN trains and predicts as the lowest value");
  std::vector<float> inf{-std::numeric_limits<float>::infinity(), std::numeric_limits<float>::infinity()};
  std::vector<std::int32_t> yi{0, 1};
  const Forest fi = train_forest(inf.data(), 2, 1, yi.data(), 2, nullptr, one);
  check(fi.feature.size() == 3 && fi.threshold[0] == -std::numeric_limits<double>::max(), "-inf and +inf as neighbours split at the lowest double (never NaN or infinite)");
  std::vector<float> xm{std::nanf(""), std::nanf(""), 1.0f, 2.0f};
  std::vector<std::int32_t> ym{1, 1, 0, 0};
  const Forest fm = train_forest(xm.data(), 4, 1, ym.data(), 2, nullptr, one);
  check(fm.threshold[0] == -std::numeric_limits<double>::max(), "NaN against numbers splits at the lowest double");

  // Refusals.
  std::vector<std::int32_t> bad_y{0, 2};
  std::vector<float> two{0.0f, 1.0f};
  check(refuses([&] { train_forest(two.data(), 2, 1, bad_y.data(), 2, nullptr, one); }), "a label outside the classes is refused");
  std::vector<double> w{1.0, -1.0}, zero{0.0, 0.0};
  check(refuses([&] { train_forest(two.data(), 2, 1, yi.data(), 2, w.data(), one); }), "a negative weight is refused");
  check(refuses([&] { train_forest(two.data(), 2, 1, yi.data(), 2, zero.data(), one); }), "zero total weight is refused");
  std::vector<double> huge{1e308, 1e308};
  check(refuses([&] { train_forest(two.data(), 2, 1, yi.data(), 2, huge.data(), one); }), "weights summing to infinity are refused");
  ForestOptions bad = one;
  bad.min_samples_split = 1;
  check(refuses([&] { train_forest(two.data(), 2, 1, yi.data(), 2, nullptr, bad); }), "minSamplesSplit 1 is refused");
  bad = one;
  bad.max_features = 2;
  check(refuses([&] { train_forest(two.data(), 2, 1, yi.data(), 2, nullptr, bad); }), "more features searched than there are is refused");

  ForestView v = view_of(f);
  check(!refuses([&] { check_forest(v); }), "a trained forest passes check_forest");
  std::vector<std::int32_t> offs(f.offset);
  offs[1] = offs[2] + 1;  // a tree reaching past the next
  ForestView vo = v;
  vo.offset = offs.data();
  check(refuses([&] { check_forest(vo); }), "offsets that do not increase are refused");
  std::vector<std::int32_t> feats(f.feature);
  feats[0] = static_cast<std::int32_t>(cols);
  ForestView vf = v;
  vf.feature = feats.data();
  check(refuses([&] { check_forest(vf); }), "a feature out of range is refused");
  std::vector<std::int32_t> lefts(f.left);
  lefts[0] = 0;  // a loop onto itself
  ForestView vl = v;
  vl.left = lefts.data();
  check(refuses([&] { check_forest(vl); }), "a child that is not after its parent is refused");
}
