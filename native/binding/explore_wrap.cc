#include "explore_wrap.h"

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "convert.h"
#include "explore/tsne_layout.h"
#include "explore/umap_layout.h"
#include "task.h"

namespace audiomill {

namespace {
// An argument that must be a typed array of `type` (else INVALID_ARGUMENT naming `what`).
Napi::TypedArray typed(const Napi::Value& v, napi_typedarray_type type, const char* what) {
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != type)
    throw_js(v.Env(), "INVALID_ARGUMENT", std::string("Expected a typed array of the right type for ") + what);
  return v.As<Napi::TypedArray>();
}
}  // namespace

// umapOptimize(init, head, tail, epochsPerSample, { n, dim, epochs, a, b, gamma, negativeSampleRate, learningRate,
// seed }, async) -> Float32Array (n x dim): the layout optimised from a copy of `init` (or its Promise). The inputs
// are copied, so the work never reads arrays JS could change meanwhile.
Napi::Value UmapOptimizeJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const Napi::Object o = expect_object(info[4], "umapOptimize");
  const int n = get_int(o, "n", 0), dim = get_int(o, "dim", 0);
  UmapLayoutOptions lo;
  lo.epochs = get_int(o, "epochs", lo.epochs);
  lo.a = get_double(o, "a", lo.a);
  lo.b = get_double(o, "b", lo.b);
  lo.gamma = get_double(o, "gamma", lo.gamma);
  lo.negative_sample_rate = get_int(o, "negativeSampleRate", lo.negative_sample_rate);
  lo.learning_rate = get_double(o, "learningRate", lo.learning_rate);
  lo.seed = get_seed(o, "seed");
  const bool async = info[5].ToBoolean().Value();
  if (n < 1 || dim < 1 || dim > 64) throw_js(env, "INVALID_ARGUMENT", "Expected n >= 1 and dim in [1, 64]");
  Napi::TypedArray init = typed(info[0], napi_float32_array, "init"), head = typed(info[1], napi_int32_array, "head"),
                   tail = typed(info[2], napi_int32_array, "tail"), eps = typed(info[3], napi_float64_array, "epochsPerSample");
  const std::size_t edges = head.ElementLength();
  if (init.ElementLength() != static_cast<std::size_t>(n) * static_cast<std::size_t>(dim) || tail.ElementLength() != edges || eps.ElementLength() != edges)
    throw_js(env, "INVALID_ARGUMENT", "Expected n x dim initial coordinates and one tail and one epochs-per-sample value per edge");
  auto layout = std::make_shared<std::vector<float>>(init.As<Napi::Float32Array>().Data(), init.As<Napi::Float32Array>().Data() + init.ElementLength());
  auto h = std::make_shared<std::vector<std::int32_t>>(head.As<Napi::Int32Array>().Data(), head.As<Napi::Int32Array>().Data() + edges);
  auto t = std::make_shared<std::vector<std::int32_t>>(tail.As<Napi::Int32Array>().Data(), tail.As<Napi::Int32Array>().Data() + edges);
  auto e = std::make_shared<std::vector<double>>(eps.As<Napi::Float64Array>().Data(), eps.As<Napi::Float64Array>().Data() + edges);
  return run_task(
      env, async, "audiomill:umap-layout",
      [=] { umap_optimize_layout(layout->data(), n, dim, h->data(), t->data(), e->data(), static_cast<std::int64_t>(edges), lo); },
      [layout](Napi::Env env2, const std::vector<Napi::Value>&) -> Napi::Value {
        Napi::Float32Array out = Napi::Float32Array::New(env2, layout->size());
        std::copy(layout->begin(), layout->end(), out.Data());
        return out;
      });
}

// tsneOptimize(init, offsets, columns, values, { n, dim, iterations, exaggerationIterations, exaggeration,
// learningRate, threads }, async) -> { embedding: Float64Array (n x dim), kl } (or its Promise): P in CSR form by row
// (Int32Array offsets of n + 1, Int32Array columns, Float64Array values). The inputs are copied.
Napi::Value TsneOptimizeJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const Napi::Object o = expect_object(info[4], "tsneOptimize");
  const int n = get_int(o, "n", 0), dim = get_int(o, "dim", 0);
  TsneOptions to;
  to.iterations = get_int(o, "iterations", to.iterations);
  to.exaggeration_iterations = get_int(o, "exaggerationIterations", to.exaggeration_iterations);
  to.exaggeration = get_double(o, "exaggeration", to.exaggeration);
  to.learning_rate = get_double(o, "learningRate", to.learning_rate);
  to.threads = get_int(o, "threads", 0);
  const bool async = info[5].ToBoolean().Value();
  if (n < 2 || dim < 1 || dim > 3) throw_js(env, "INVALID_ARGUMENT", "Expected n >= 2 and dim in [1, 3]");
  Napi::TypedArray init = typed(info[0], napi_float64_array, "init"), offsets = typed(info[1], napi_int32_array, "offsets"),
                   columns = typed(info[2], napi_int32_array, "columns"), values = typed(info[3], napi_float64_array, "values");
  if (init.ElementLength() != static_cast<std::size_t>(n) * static_cast<std::size_t>(dim) || offsets.ElementLength() != static_cast<std::size_t>(n) + 1 ||
      values.ElementLength() != columns.ElementLength())
    throw_js(env, "INVALID_ARGUMENT", "Expected n x dim initial coordinates, n + 1 offsets and one value per column");
  const std::int32_t* off = offsets.As<Napi::Int32Array>().Data();
  if (off[n] != static_cast<std::int64_t>(columns.ElementLength())) throw_js(env, "INVALID_ARGUMENT", "Expected the last offset to be the number of entries");
  auto y = std::make_shared<std::vector<double>>(init.As<Napi::Float64Array>().Data(), init.As<Napi::Float64Array>().Data() + init.ElementLength());
  auto offs = std::make_shared<std::vector<std::int64_t>>(off, off + n + 1);
  auto cols = std::make_shared<std::vector<std::int32_t>>(columns.As<Napi::Int32Array>().Data(), columns.As<Napi::Int32Array>().Data() + columns.ElementLength());
  auto vals = std::make_shared<std::vector<double>>(values.As<Napi::Float64Array>().Data(), values.As<Napi::Float64Array>().Data() + values.ElementLength());
  auto kl = std::make_shared<double>(0.0);
  return run_task(
      env, async, "audiomill:tsne-layout", [=] { *kl = tsne_optimize(y->data(), n, dim, offs->data(), cols->data(), vals->data(), to); },
      [y, kl](Napi::Env env2, const std::vector<Napi::Value>&) -> Napi::Value {
        Napi::Object out = Napi::Object::New(env2);
        Napi::Float64Array e = Napi::Float64Array::New(env2, y->size());
        std::copy(y->begin(), y->end(), e.Data());
        out.Set("embedding", e);
        out.Set("kl", *kl);
        return out;
      });
}

}  // namespace audiomill
