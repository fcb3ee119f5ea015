#include "forest_wrap.h"

#include <memory>
#include <string>

#include "convert.h"
#include "forest/forest.h"
#include "task.h"

namespace audiomill {

using I64 = std::int64_t;

// forestTrain(x, y, weight | null, { rows, cols, classes, trees, maxDepth, minSamplesSplit, minSamplesLeaf, maxFeatures,
// bootstrap, seed, threads }, async) -> { offset, feature, threshold, left, right, value, importance } (or its Promise):
// x a Float32Array rows x cols, y an Int32Array of class indices, weight a Float64Array of sample weights.
Napi::Value ForestTrainJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const Napi::Object o = expect_object(info[3], "forestTrain");
  const I64 rows = get_size(o, "rows", 1), cols = get_size(o, "cols", 1), classes = get_size(o, "classes", 1);
  ForestOptions fo;
  fo.trees = get_int(o, "trees", fo.trees);
  fo.max_depth = get_int(o, "maxDepth", fo.max_depth);
  fo.min_samples_split = get_int(o, "minSamplesSplit", fo.min_samples_split);
  fo.min_samples_leaf = get_int(o, "minSamplesLeaf", fo.min_samples_leaf);
  fo.max_features = get_int(o, "maxFeatures", fo.max_features);
  fo.bootstrap = get_bool(o, "bootstrap", fo.bootstrap);
  fo.seed = get_seed(o, "seed");
  fo.threads = get_int(o, "threads", 0);
  const bool async = info[4].ToBoolean().Value();
  if (cols > (I64{1} << 40) / rows) throw_js(env, "INVALID_ARGUMENT", "Expected fewer than 2^40 feature values");
  Napi::Float32Array x = expect_typed<float>(info[0], "x", rows * cols);
  Napi::Int32Array y = expect_typed<std::int32_t>(info[1], "y", rows);
  const bool weighted = !info[2].IsNull() && !info[2].IsUndefined();
  Napi::Float64Array w = weighted ? expect_typed<double>(info[2], "weight", rows) : Napi::Float64Array();
  const float* xp = x.Data();
  const std::int32_t* yp = y.Data();
  const double* wp = weighted ? w.Data() : nullptr;
  auto forest = std::make_shared<Forest>();
  std::vector<Napi::Value> keep{x, y};
  if (weighted) keep.push_back(w);
  return run_task(
      env, async, "audiomill:forest-train", [=] { *forest = train_forest(xp, rows, cols, yp, classes, wp, fo); },
      [forest](Napi::Env e, const std::vector<Napi::Value>&) -> Napi::Value {
        Napi::Object out = Napi::Object::New(e);
        out.Set("offset", typed_copy(e, forest->offset));
        out.Set("feature", typed_copy(e, forest->feature));
        out.Set("threshold", typed_copy(e, forest->threshold));
        out.Set("left", typed_copy(e, forest->left));
        out.Set("right", typed_copy(e, forest->right));
        out.Set("value", typed_copy(e, forest->value));
        out.Set("importance", typed_copy(e, forest->importance));
        return out;
      },
      keep);
}

// forestPredict({ features, classes, offset, feature, threshold, left, right, value }, x, { rows, threads }, async)
// -> Float64Array rows x classes of class probabilities (or its Promise). The forest is checked first (a malformed one
// is INVALID_ARGUMENT, never a wild read).
Napi::Value ForestPredictJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const Napi::Object fo = expect_object(info[0], "forest");
  const Napi::Object o = expect_object(info[2], "forestPredict");
  const I64 features = get_size(fo, "features", 1), classes = get_size(fo, "classes", 1);
  const I64 rows = get_size(o, "rows", 0);
  const int threads = get_int(o, "threads", 0);
  const bool async = info[3].ToBoolean().Value();
  if (rows > 0 && (features > (I64{1} << 40) / rows || classes > (I64{1} << 31) / rows)) throw_js(env, "INVALID_ARGUMENT", "Expected fewer rows");
  const Napi::Value offset_v = fo.Get("offset"), feature_v = fo.Get("feature"), threshold_v = fo.Get("threshold"), left_v = fo.Get("left"),
                    right_v = fo.Get("right"), value_v = fo.Get("value");
  Napi::Int32Array offset = expect_typed<std::int32_t>(offset_v, "offset", 2);
  Napi::Int32Array feature = expect_typed<std::int32_t>(feature_v, "feature", 1);
  const I64 nodes = static_cast<I64>(feature.ElementLength());
  Napi::Float64Array threshold = expect_typed<double>(threshold_v, "threshold", nodes);
  Napi::Int32Array left = expect_typed<std::int32_t>(left_v, "left", nodes);
  Napi::Int32Array right = expect_typed<std::int32_t>(right_v, "right", nodes);
  Napi::Float64Array value = expect_typed<double>(value_v, "value", nodes * classes);
  Napi::Float32Array x = expect_typed<float>(info[1], "x", rows * features);
  // The model is copied (a few MB at most): the work never reads arrays JS could detach or change meanwhile.
  auto model = std::make_shared<Forest>();
  model->features = features;
  model->classes = classes;
  model->offset = vector_of(offset, offset.ElementLength());
  model->feature = vector_of(feature, static_cast<std::size_t>(nodes));
  model->threshold = vector_of(threshold, static_cast<std::size_t>(nodes));
  model->left = vector_of(left, static_cast<std::size_t>(nodes));
  model->right = vector_of(right, static_cast<std::size_t>(nodes));
  model->value = vector_of(value, static_cast<std::size_t>(nodes * classes));
  guarded(env, [&] { check_forest(view_of(*model)); });
  const float* xp = x.Data();
  auto out = std::make_shared<std::vector<double>>(static_cast<std::size_t>(rows * classes));
  return run_task(
      env, async, "audiomill:forest-predict", [=] { forest_predict_proba(view_of(*model), xp, rows, out->data(), threads); },
      [out](Napi::Env e, const std::vector<Napi::Value>&) -> Napi::Value { return typed_copy(e, *out); },
      {x});
}

}  // namespace audiomill
