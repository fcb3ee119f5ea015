// Random forests of classification trees (CART, Gini impurity), trained and applied on the native pool.
// The split rules are scikit-learn's (RandomForestClassifier / DecisionTreeClassifier): features as float32,
// thresholds halfway between neighbouring distinct values (as float64), values closer than 1e-7 never split,
// a node is a leaf when it is pure, at the depth limit, or too small to split; bootstrap samples enter as integer
// weights; class probabilities are the weighted class shares of a leaf, averaged over the trees. Only the random
// draws differ (each tree has its own stream from the seed, so results do not depend on the thread count).
// A missing value (NaN) counts as -infinity, in training and prediction alike; thresholds are always finite.
#pragma once
#include <cstdint>
#include <vector>

namespace audiomill {

struct ForestOptions {
  int trees = 100;
  int max_depth = 0;          // 0: unlimited
  int min_samples_split = 2;  // samples (not weights) a node needs to be split
  int min_samples_leaf = 1;   // samples each child must keep
  int max_features = 0;       // features drawn per split (scikit-learn's count: constant ones too, until one is not); 0: all
  bool bootstrap = true;      // each tree on a bootstrap sample of the rows
  std::uint64_t seed = 0;
  int threads = 0;            // 0: the global cap
};

// Trees stored flat, node by node: tree t holds nodes [offset[t], offset[t + 1]); `left` / `right` index nodes of
// the same tree (relative to its first node) and are always greater than their parent's index, so no walk loops.
struct Forest {
  std::int64_t features = 0;
  std::int64_t classes = 0;
  std::vector<std::int32_t> offset;    // trees + 1
  std::vector<std::int32_t> feature;   // per node; -1 at a leaf
  std::vector<double> threshold;       // per node: a row goes left when its value <= threshold
  std::vector<std::int32_t> left, right;
  std::vector<double> value;           // nodes x classes: the weighted class shares of the node's samples
  std::vector<double> importance;      // features: mean decrease in impurity, normalised to sum 1 (zeros: no split)
};

// A forest read from elsewhere (a model file): pointers into the caller's arrays, in this order.
struct ForestView {
  std::int64_t features = 0, classes = 0, trees = 0, nodes = 0;
  const std::int32_t* offset = nullptr;
  const std::int32_t* feature = nullptr;
  const double* threshold = nullptr;
  const std::int32_t* left = nullptr;
  const std::int32_t* right = nullptr;
  const double* value = nullptr;
};

// x: rows x cols float32, row-major; y: class indices in [0, classes); sample_weight: rows non-negative finite
// weights, or null for ones. Throws CoreError INVALID_ARGUMENT on bad input.
Forest train_forest(const float* x, std::int64_t rows, std::int64_t cols, const std::int32_t* y, std::int64_t classes,
                    const double* sample_weight, const ForestOptions& options);

ForestView view_of(const Forest& f);

// Throws CoreError INVALID_ARGUMENT unless every tree is well formed (offsets increasing from 0 to nodes, features
// in range or -1, children inside the tree and after their parent).
void check_forest(const ForestView& f);

// out: rows x classes, the mean over trees of the leaf's class shares. f must have passed check_forest.
void forest_predict_proba(const ForestView& f, const float* x, std::int64_t rows, double* out, int threads);

}  // namespace audiomill
