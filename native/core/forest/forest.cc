#include "forest/forest.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <utility>

#include "util/error.h"
#include "util/rng.h"
#include "util/thread_pool.h"

namespace audiomill {

namespace {

using I64 = std::int64_t;
constexpr double kFeatureThreshold = 1e-7;  // values closer than this are one value (scikit-learn's FEATURE_THRESHOLD)
constexpr double kEpsilon = std::numeric_limits<double>::epsilon();

[[noreturn]] void bad(const std::string& message) { throw CoreError("INVALID_ARGUMENT", message); }

inline float value_at(const float* x, I64 cols, I64 row, I64 f) {
  const float v = x[static_cast<I64>(row) * cols + f];
  return std::isnan(v) ? -std::numeric_limits<float>::infinity() : v;
}

// Gini impurity of weighted class sums (scikit-learn's arithmetic: 1 - Σ s² / W²).
double gini(const double* sums, I64 classes, double w) {
  double sq = 0;
  for (I64 c = 0; c < classes; ++c) sq += sums[c] * sums[c];
  return 1.0 - sq / (w * w);
}

struct Tree {
  std::vector<std::int32_t> feature, left, right;
  std::vector<double> threshold, value, importance;
};

struct Split {
  I64 feature = -1;
  double threshold = 0;
  double proxy = -std::numeric_limits<double>::infinity();
};

class TreeBuilder {
 public:
  TreeBuilder(const float* x, I64 rows, I64 cols, const std::int32_t* y, I64 classes, const double* weight, const ForestOptions& o,
              int max_features, std::uint64_t seed, const std::vector<double>& prior)
      : x_(x), cols_(cols), y_(y), classes_(classes), o_(o), max_features_(max_features), rng_(seed), w_(static_cast<std::size_t>(rows)),
        feats_(static_cast<std::size_t>(cols)), total_(static_cast<std::size_t>(classes)), lefts_(static_cast<std::size_t>(classes)),
        rights_(static_cast<std::size_t>(classes)), prior_(prior) {
    for (I64 r = 0; r < rows; ++r) w_[r] = weight ? weight[r] : 1.0;
    if (o.bootstrap) {
      std::vector<double> count(static_cast<std::size_t>(rows), 0.0);
      for (I64 i = 0; i < rows; ++i) count[rng_.below(static_cast<std::uint64_t>(rows))] += 1.0;
      for (I64 r = 0; r < rows; ++r) w_[r] *= count[r];
    }
    for (I64 r = 0; r < rows; ++r)
      if (w_[r] > 0) samples_.push_back(static_cast<std::int32_t>(r));
    std::iota(feats_.begin(), feats_.end(), 0);
    buf_.resize(samples_.size());
    tree_.importance.assign(static_cast<std::size_t>(cols), 0.0);
  }

  Tree build() {
    struct Item {
      I64 start, end;
      int depth;
      I64 parent;
      bool is_left;
    };
    std::vector<Item> stack{{0, static_cast<I64>(samples_.size()), 0, -1, false}};
    double root_weight = 0;
    while (!stack.empty()) {
      const Item it = stack.back();
      stack.pop_back();
      const auto id = static_cast<std::int32_t>(tree_.feature.size());
      if (it.parent >= 0) (it.is_left ? tree_.left : tree_.right)[it.parent] = id;
      const I64 n = it.end - it.start;
      std::fill(total_.begin(), total_.end(), 0.0);
      double w = 0;
      for (I64 i = it.start; i < it.end; ++i) {
        const std::int32_t r = samples_[i];
        total_[y_[r]] += w_[r];
        w += w_[r];
      }
      tree_.feature.push_back(-1);
      tree_.threshold.push_back(0);
      tree_.left.push_back(-1);
      tree_.right.push_back(-1);
      if (!(w > 0)) {  // a bootstrap sample without weight: the classes' overall shares
        tree_.value.insert(tree_.value.end(), prior_.begin(), prior_.end());
        continue;
      }
      for (I64 c = 0; c < classes_; ++c) tree_.value.push_back(total_[c] / w);
      if (it.parent < 0) root_weight = w;
      const double impurity = gini(total_.data(), classes_, w);
      const bool leaf = (o_.max_depth > 0 && it.depth >= o_.max_depth) || n < o_.min_samples_split || n < 2 * static_cast<I64>(o_.min_samples_leaf) ||
                        impurity <= kEpsilon;
      if (leaf) continue;
      const Split s = best_split(it.start, it.end, w);
      if (s.feature < 0) continue;
      // Rows at or below the threshold first.
      const auto mid = std::partition(samples_.begin() + it.start, samples_.begin() + it.end, [&](std::int32_t r) {
        return static_cast<double>(value_at(x_, cols_, r, s.feature)) <= s.threshold;
      });
      const I64 pos = mid - samples_.begin();
      if (pos == it.start || pos == it.end) continue;  // cannot happen with the thresholds above; never loop on it
      double wl = 0;
      std::fill(lefts_.begin(), lefts_.end(), 0.0);
      for (I64 i = it.start; i < pos; ++i) {
        lefts_[y_[samples_[i]]] += w_[samples_[i]];
        wl += w_[samples_[i]];
      }
      const double wr = w - wl;
      for (I64 c = 0; c < classes_; ++c) rights_[c] = total_[c] - lefts_[c];
      tree_.importance[s.feature] += w * impurity - wl * gini(lefts_.data(), classes_, wl) - wr * gini(rights_.data(), classes_, wr);
      tree_.feature[id] = static_cast<std::int32_t>(s.feature);
      tree_.threshold[id] = s.threshold;
      stack.push_back({pos, it.end, it.depth + 1, id, false});
      stack.push_back({it.start, pos, it.depth + 1, id, true});
    }
    double sum = 0;
    for (double& v : tree_.importance) sum += (v /= root_weight > 0 ? root_weight : 1.0);
    if (sum > 0)
      for (double& v : tree_.importance) v /= sum;
    return std::move(tree_);
  }

 private:
  // scikit-learn's BestSplitter: features in random order until max_features non-constant ones were searched; in
  // each, every boundary between distinct values that leaves min_samples_leaf on both sides; the best Gini proxy
  // (-W_r·gini_r - W_l·gini_l) wins, the first one found on ties.
  Split best_split(I64 start, I64 end, double w) {
    Split best;
    const I64 n = end - start;
    const I64 p = cols_;
    const I64 min_leaf = o_.min_samples_leaf;
    // scikit-learn's count: every feature drawn is visited, constant ones included, but the search goes on while
    // every feature drawn so far was constant.
    int visited = 0, constants = 0;
    for (I64 k = 0; k < p && (visited < max_features_ || visited <= constants); ++k) {
      std::swap(feats_[k], feats_[k + static_cast<I64>(rng_.below(static_cast<std::uint64_t>(p - k)))]);
      const I64 f = feats_[k];
      float lo = std::numeric_limits<float>::infinity(), hi = -lo;
      for (I64 i = 0; i < n; ++i) {
        const std::int32_t r = samples_[start + i];
        const float v = value_at(x_, cols_, r, f);
        buf_[i] = {v, r};
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
      ++visited;
      if (static_cast<double>(hi) <= static_cast<double>(lo) + kFeatureThreshold) {
        ++constants;
        continue;
      }
      std::sort(buf_.begin(), buf_.begin() + n, [](const auto& a, const auto& b) { return a.first < b.first; });
      std::fill(lefts_.begin(), lefts_.end(), 0.0);
      double wl = 0;
      for (I64 q = 1; q < n; ++q) {
        const std::int32_t r = buf_[q - 1].second;
        lefts_[y_[r]] += w_[r];
        wl += w_[r];
        if (static_cast<double>(buf_[q].first) <= static_cast<double>(buf_[q - 1].first) + kFeatureThreshold) continue;
        if (q < min_leaf || n - q < min_leaf) continue;
        const double wr = w - wl;
        for (I64 c = 0; c < classes_; ++c) rights_[c] = total_[c] - lefts_[c];
        const double proxy = -wr * gini(rights_.data(), classes_, wr) - wl * gini(lefts_.data(), classes_, wl);
        if (proxy > best.proxy) {
          double t = static_cast<double>(buf_[q - 1].first) / 2.0 + static_cast<double>(buf_[q].first) / 2.0;
          // Like scikit-learn, the lower value where the midpoint rounds onto the upper one or overflows; also where
          // it is NaN (-inf and +inf as neighbours), so the split always sends exactly the first q rows left.
          if (t == static_cast<double>(buf_[q].first) || !std::isfinite(t)) t = buf_[q - 1].first;
          // A missing value's -inf below a number: the lowest double stands in (every float is above it), so a
          // threshold is always finite and a model file (JSON) keeps it.
          if (std::isinf(t)) t = -std::numeric_limits<double>::max();
          best = {f, t, proxy};
        }
      }
    }
    return best;
  }

  const float* x_;
  I64 cols_;
  const std::int32_t* y_;
  I64 classes_;
  const ForestOptions& o_;
  int max_features_;
  Rng rng_;
  std::vector<double> w_;
  std::vector<std::int32_t> samples_;
  std::vector<std::int32_t> feats_;
  std::vector<std::pair<float, std::int32_t>> buf_;
  std::vector<double> total_, lefts_, rights_;
  const std::vector<double>& prior_;
  Tree tree_;
};

}  // namespace

Forest train_forest(const float* x, I64 rows, I64 cols, const std::int32_t* y, I64 classes, const double* sample_weight, const ForestOptions& o) {
  if (rows < 1 || rows > std::numeric_limits<std::int32_t>::max()) bad("Expected between 1 and 2^31 - 1 rows");
  if (cols < 1 || cols > std::numeric_limits<std::int32_t>::max()) bad("Expected at least one feature column");
  if (classes < 1 || classes > (1 << 20)) bad("Expected between 1 and 2^20 classes");
  if (o.trees < 1) bad("Expected at least one tree");
  if (o.max_depth < 0) bad("Expected a maximum depth >= 0 (0: unlimited)");
  if (o.min_samples_split < 2) bad("Expected minSamplesSplit >= 2");
  if (o.min_samples_leaf < 1) bad("Expected minSamplesLeaf >= 1");
  if (o.max_features < 0 || o.max_features > cols) bad("Expected maxFeatures between 1 and the number of features (0: all)");
  std::vector<double> prior(static_cast<std::size_t>(classes), 0.0);
  double total = 0;
  for (I64 r = 0; r < rows; ++r) {
    if (y[r] < 0 || y[r] >= classes) bad("Row " + std::to_string(r) + " has class " + std::to_string(y[r]) + ", outside [0, " + std::to_string(classes) + ")");
    const double w = sample_weight ? sample_weight[r] : 1.0;
    if (!std::isfinite(w) || w < 0) bad("Row " + std::to_string(r) + " has a sample weight that is negative or not finite");
    prior[y[r]] += w;
    total += w;
  }
  if (!(total > 0)) bad("Expected a positive total sample weight");
  if (!std::isfinite(total)) bad("The sample weights sum to infinity: scale them down");
  for (double& v : prior) v /= total;
  const int max_features = o.max_features == 0 ? static_cast<int>(cols) : o.max_features;
  std::vector<Tree> trees(static_cast<std::size_t>(o.trees));
  parallel_for(trees.size(), 1, o.threads, [&](std::size_t b, std::size_t e) {
    for (std::size_t t = b; t < e; ++t) {
      std::uint64_t z = o.seed ^ (0xD1B54A32D192ED03ULL * (t + 1));
      TreeBuilder builder(x, rows, cols, y, classes, sample_weight, o, max_features, splitmix(z), prior);
      trees[t] = builder.build();
    }
  });
  Forest f;
  f.features = cols;
  f.classes = classes;
  f.offset.push_back(0);
  f.importance.assign(static_cast<std::size_t>(cols), 0.0);
  int split_trees = 0;
  for (Tree& t : trees) {
    if (f.feature.size() + t.feature.size() > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) bad("The forest would hold more than 2^31 nodes");
    f.feature.insert(f.feature.end(), t.feature.begin(), t.feature.end());
    f.threshold.insert(f.threshold.end(), t.threshold.begin(), t.threshold.end());
    f.left.insert(f.left.end(), t.left.begin(), t.left.end());
    f.right.insert(f.right.end(), t.right.begin(), t.right.end());
    f.value.insert(f.value.end(), t.value.begin(), t.value.end());
    f.offset.push_back(static_cast<std::int32_t>(f.feature.size()));
    if (t.feature.size() > 1) {
      ++split_trees;
      for (I64 k = 0; k < cols; ++k) f.importance[k] += t.importance[k];
    }
    t = Tree();
  }
  double sum = 0;
  for (double v : f.importance) sum += v;
  if (split_trees > 0 && sum > 0)
    for (double& v : f.importance) v /= sum;
  return f;
}

ForestView view_of(const Forest& f) {
  return {f.features, f.classes, static_cast<I64>(f.offset.size()) - 1, static_cast<I64>(f.feature.size()), f.offset.data(), f.feature.data(),
          f.threshold.data(), f.left.data(), f.right.data(), f.value.data()};
}

void check_forest(const ForestView& f) {
  if (f.features < 1) bad("Expected a forest over at least one feature");
  if (f.classes < 1) bad("Expected a forest of at least one class");
  if (f.trees < 1) bad("Expected a forest of at least one tree");
  if (f.offset[0] != 0 || f.offset[f.trees] != f.nodes) bad("The forest's tree offsets do not start at 0 and end at its node count");
  for (I64 t = 0; t < f.trees; ++t)  // every offset first: then each tree lies inside the node arrays
    if (f.offset[t + 1] <= f.offset[t]) bad("Tree " + std::to_string(t) + " has no nodes (its offsets do not increase)");
  for (I64 t = 0; t < f.trees; ++t) {
    const I64 base = f.offset[t], size = static_cast<I64>(f.offset[t + 1]) - base;
    for (I64 k = 0; k < size; ++k) {
      const I64 i = base + k;
      if (f.feature[i] == -1) continue;
      if (f.feature[i] < 0 || f.feature[i] >= f.features) bad("Node " + std::to_string(k) + " of tree " + std::to_string(t) + " splits on feature " + std::to_string(f.feature[i]) + ", outside [0, " + std::to_string(f.features) + ")");
      if (f.left[i] <= k || f.left[i] >= size || f.right[i] <= k || f.right[i] >= size)
        bad("Node " + std::to_string(k) + " of tree " + std::to_string(t) + " has a child outside (" + std::to_string(k) + ", " + std::to_string(size) + ")");
    }
  }
}

void forest_predict_proba(const ForestView& f, const float* x, I64 rows, double* out, int threads) {
  const I64 classes = f.classes, cols = f.features;
  parallel_for(static_cast<std::size_t>(rows), 64, threads, [&](std::size_t b, std::size_t e) {
    for (std::size_t r = b; r < e; ++r) {
      double* o = out + static_cast<I64>(r) * classes;
      std::fill(o, o + classes, 0.0);
      for (I64 t = 0; t < f.trees; ++t) {
        const I64 base = f.offset[t];
        I64 k = 0;
        while (f.feature[base + k] >= 0) {
          const double v = value_at(x, cols, static_cast<I64>(r), f.feature[base + k]);
          k = v <= f.threshold[base + k] ? f.left[base + k] : f.right[base + k];
        }
        const double* leaf = f.value + (base + k) * classes;
        for (I64 c = 0; c < classes; ++c) o[c] += leaf[c];
      }
      for (I64 c = 0; c < classes; ++c) o[c] /= static_cast<double>(f.trees);
    }
  });
}

}  // namespace audiomill
