#include "forest_wrap.h"

#include <cmath>
#include <memory>
#include <string>

#include "convert.h"
#include "forest/forest.h"
#include "task.h"

namespace audiomill {

namespace {

using I64 = std::int64_t;

template <class Array>
Array typed_arg(const Napi::Value& v, napi_typedarray_type type, const char* kind, const char* what, I64 need) {
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != type)
    throw_js(v.Env(), "INVALID_ARGUMENT", std::string("Expected ") + kind + " for " + what);
  Array a = v.As<Array>();
  if (static_cast<I64>(a.ElementLength()) < need)
    throw_js(v.Env(), "INVALID_ARGUMENT", std::string("Expected at least ") + std::to_string(need) + " values in " + what + ", got " +
                                              std::to_string(a.ElementLength()));
  return a;
}

I64 size_opt(const Napi::Object& o, const char* key, I64 lo) {
  const int v = get_int(o, key, -1);
  if (v < lo) throw_js(o.Env(), "INVALID_ARGUMENT", std::string("Expected an integer >= ") + std::to_string(lo) + " for " + key);
  return v;
}

template <class T, class Array>
Array copy_out(Napi::Env env, const std::vector<T>& v) {
  Array a = Array::New(env, v.size());
  std::copy(v.begin(), v.end(), a.Data());
  return a;
}

}  // namespace

// forestTrain(x, y, weight | null, { rows, cols, classes, trees, maxDepth, minSamplesSplit, minSamplesLeaf, maxFeatures,
// bootstrap, seed, threads }, async) -> { offset, feature, threshold, left, right, value, importance } (or its Promise):
// x a Float32Array rows x cols, y an Int32Array of class indices, weight a Float64Array of sample weights.
Napi::Value ForestTrainJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const Napi::Object o = expect_object(info[3], "forestTrain");
  const I64 rows = size_opt(o, "rows", 1), cols = size_opt(o, "cols", 1), classes = size_opt(o, "classes", 1);
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
  Napi::Float32Array x = typed_arg<Napi::Float32Array>(info[0], napi_float32_array, "a Float32Array", "x", rows * cols);
  Napi::Int32Array y = typed_arg<Napi::Int32Array>(info[1], napi_int32_array, "an Int32Array", "y", rows);
  const bool weighted = !info[2].IsNull() && !info[2].IsUndefined();
  Napi::Float64Array w = weighted ? typed_arg<Napi::Float64Array>(info[2], napi_float64_array, "a Float64Array", "weight", rows) : Napi::Float64Array();
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
        out.Set("offset", copy_out<std::int32_t, Napi::Int32Array>(e, forest->offset));
        out.Set("feature", copy_out<std::int32_t, Napi::Int32Array>(e, forest->feature));
        out.Set("threshold", copy_out<double, Napi::Float64Array>(e, forest->threshold));
        out.Set("left", copy_out<std::int32_t, Napi::Int32Array>(e, forest->left));
        out.Set("right", copy_out<std::int32_t, Napi::Int32Array>(e, forest->right));
        out.Set("value", copy_out<double, Napi::Float64Array>(e, forest->value));
        out.Set("importance", copy_out<double, Napi::Float64Array>(e, forest->importance));
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
  const I64 features = size_opt(fo, "features", 1), classes = size_opt(fo, "classes", 1);
  const I64 rows = size_opt(o, "rows", 0);
  const int threads = get_int(o, "threads", 0);
  const bool async = info[3].ToBoolean().Value();
  if (rows > 0 && (features > (I64{1} << 40) / rows || classes > (I64{1} << 31) / rows)) throw_js(env, "INVALID_ARGUMENT", "Expected fewer rows");
  const Napi::Value offset_v = fo.Get("offset"), feature_v = fo.Get("feature"), threshold_v = fo.Get("threshold"), left_v = fo.Get("left"),
                    right_v = fo.Get("right"), value_v = fo.Get("value");
  Napi::Int32Array offset = typed_arg<Napi::Int32Array>(offset_v, napi_int32_array, "an Int32Array", "offset", 2);
  Napi::Int32Array feature = typed_arg<Napi::Int32Array>(feature_v, napi_int32_array, "an Int32Array", "feature", 1);
  const I64 nodes = static_cast<I64>(feature.ElementLength());
  Napi::Float64Array threshold = typed_arg<Napi::Float64Array>(threshold_v, napi_float64_array, "a Float64Array", "threshold", nodes);
  Napi::Int32Array left = typed_arg<Napi::Int32Array>(left_v, napi_int32_array, "an Int32Array", "left", nodes);
  Napi::Int32Array right = typed_arg<Napi::Int32Array>(right_v, napi_int32_array, "an Int32Array", "right", nodes);
  Napi::Float64Array value = typed_arg<Napi::Float64Array>(value_v, napi_float64_array, "a Float64Array", "value", nodes * classes);
  Napi::Float32Array x = typed_arg<Napi::Float32Array>(info[1], napi_float32_array, "a Float32Array", "x", rows * features);
  // The model is copied (a few MB at most): the work never reads arrays JS could detach or change meanwhile.
  auto model = std::make_shared<Forest>();
  model->features = features;
  model->classes = classes;
  model->offset.assign(offset.Data(), offset.Data() + offset.ElementLength());
  model->feature.assign(feature.Data(), feature.Data() + nodes);
  model->threshold.assign(threshold.Data(), threshold.Data() + nodes);
  model->left.assign(left.Data(), left.Data() + nodes);
  model->right.assign(right.Data(), right.Data() + nodes);
  model->value.assign(value.Data(), value.Data() + nodes * classes);
  guarded(env, [&] { check_forest(view_of(*model)); });
  const float* xp = x.Data();
  auto out = std::make_shared<std::vector<double>>(static_cast<std::size_t>(rows * classes));
  return run_task(
      env, async, "audiomill:forest-predict", [=] { forest_predict_proba(view_of(*model), xp, rows, out->data(), threads); },
      [out](Napi::Env e, const std::vector<Napi::Value>&) -> Napi::Value { return copy_out<double, Napi::Float64Array>(e, *out); },
      {x});
}

}  // namespace audiomill
