// libFuzzer target for the random forest (run by scripts/fuzz.sh 60 forest). The first byte picks the mode:
// even, a forest model read from the bytes (as a model file reaches the core: offsets, features, children,
// thresholds, values) must be refused by check_forest or predict without reading outside its arrays; odd, a small
// training set read from the bytes (any floats: NaN, infinities, repeats; any labels and weights) must train
// (or be refused with CoreError) and predict. Anything else escaping, a hang, a crash or a sanitizer report is a
// finding.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "forest/forest.h"
#include "util/error.h"

namespace {

class Reader {
 public:
  Reader(const std::uint8_t* d, std::size_t n) : d_(d), n_(n) {}
  template <class T>
  T get() {
    T v{};
    if (at_ + sizeof(T) <= n_) std::memcpy(&v, d_ + at_, sizeof(T));
    at_ += sizeof(T);
    return v;
  }
  std::size_t left() const { return at_ < n_ ? n_ - at_ : 0; }

 private:
  const std::uint8_t* d_;
  std::size_t n_, at_ = 0;
};

void model(Reader& r) {
  const std::int64_t features = 1 + r.get<std::uint8_t>() % 8, classes = 1 + r.get<std::uint8_t>() % 4;
  const std::int64_t trees = 1 + r.get<std::uint8_t>() % 4, nodes = r.get<std::uint8_t>() % 32;
  // Exactly sized arrays, so ASan sees any read past them.
  std::vector<std::int32_t> offset(static_cast<std::size_t>(trees + 1)), feature(static_cast<std::size_t>(nodes)), left(feature.size()), right(feature.size());
  std::vector<double> threshold(feature.size()), value(static_cast<std::size_t>(nodes * classes));
  for (auto& v : offset) v = r.get<std::int8_t>();
  for (std::size_t i = 0; i < feature.size(); ++i) {
    feature[i] = r.get<std::int8_t>();
    left[i] = r.get<std::int8_t>();
    right[i] = r.get<std::int8_t>();
    threshold[i] = r.get<float>();
  }
  for (auto& v : value) v = r.get<std::uint8_t>() / 255.0;
  const audiomill::ForestView f{features, classes, trees, nodes, offset.data(), feature.data(), threshold.data(), left.data(), right.data(), value.data()};
  audiomill::check_forest(f);
  const std::int64_t rows = 1 + static_cast<std::int64_t>(r.left() / (4 * static_cast<std::size_t>(features)) % 16);
  std::vector<float> x(static_cast<std::size_t>(rows * features));
  for (auto& v : x) v = r.get<float>();
  std::vector<double> out(static_cast<std::size_t>(rows * classes));
  audiomill::forest_predict_proba(f, x.data(), rows, out.data(), 1);
}

void train(Reader& r) {
  const std::int64_t cols = 1 + r.get<std::uint8_t>() % 6, classes = 1 + r.get<std::uint8_t>() % 3;
  audiomill::ForestOptions o;
  o.trees = 1 + r.get<std::uint8_t>() % 4;
  o.max_depth = r.get<std::uint8_t>() % 6;
  o.min_samples_split = 2 + r.get<std::uint8_t>() % 4;
  o.min_samples_leaf = 1 + r.get<std::uint8_t>() % 3;
  o.max_features = r.get<std::uint8_t>() % (cols + 1);
  o.bootstrap = r.get<std::uint8_t>() & 1;
  o.seed = r.get<std::uint8_t>();
  o.threads = 1;
  const bool weighted = r.get<std::uint8_t>() & 1;
  const std::int64_t rows = 1 + static_cast<std::int64_t>(r.left() / (4 * static_cast<std::size_t>(cols) + 2) % 200);
  std::vector<float> x(static_cast<std::size_t>(rows * cols));
  std::vector<std::int32_t> y(static_cast<std::size_t>(rows));
  std::vector<double> w(y.size());
  for (std::size_t i = 0; i < y.size(); ++i) {
    y[i] = r.get<std::int8_t>() % 4;  // sometimes outside [0, classes): refused
    w[i] = r.get<std::uint8_t>() / 16.0;
    for (std::int64_t j = 0; j < cols; ++j) x[i * static_cast<std::size_t>(cols) + static_cast<std::size_t>(j)] = r.get<float>();
  }
  const audiomill::Forest f = audiomill::train_forest(x.data(), rows, cols, y.data(), classes, weighted ? w.data() : nullptr, o);
  const audiomill::ForestView v = audiomill::view_of(f);
  audiomill::check_forest(v);  // a trained forest always passes
  std::vector<double> out(static_cast<std::size_t>(rows * classes));
  audiomill::forest_predict_proba(v, x.data(), rows, out.data(), 1);
  for (std::int64_t i = 0; i < rows; ++i) {
    double s = 0;
    for (std::int64_t c = 0; c < classes; ++c) s += out[static_cast<std::size_t>(i * classes + c)];
    if (!(s > 0.999 && s < 1.001)) __builtin_trap();  // every row's probabilities sum to 1
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  Reader r(data + 1, size - 1);
  try {
    if (data[0] % 2 == 0)
      model(r);
    else
      train(r);
  } catch (const audiomill::CoreError&) {
  }
  return 0;
}
