#include "explore_wrap.h"

#include <memory>
#include <string>
#include <vector>

#include "convert.h"
#include "explore/tsne_layout.h"
#include "explore/umap_layout.h"
#include "task.h"

namespace audiomill {

// Both layouts copy their inputs, so the work never reads arrays JS could change meanwhile.

// umapOptimize(init, head, tail, epochsPerSample, { n, dim, epochs, a, b, gamma, negativeSampleRate, learningRate,
// seed }, async) -> Float32Array (n x dim): the layout optimised from a copy of `init` (or its Promise).
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
  const Napi::Float32Array init = expect_typed<float>(info[0], "init");
  const Napi::Int32Array head = expect_typed<std::int32_t>(info[1], "head"), tail = expect_typed<std::int32_t>(info[2], "tail");
  const Napi::Float64Array eps = expect_typed<double>(info[3], "epochsPerSample");
  const std::size_t edges = head.ElementLength();
  if (init.ElementLength() != static_cast<std::size_t>(n) * static_cast<std::size_t>(dim) || tail.ElementLength() != edges || eps.ElementLength() != edges)
    throw_js(env, "INVALID_ARGUMENT", "Expected n x dim initial coordinates and one tail and one epochs-per-sample value per edge");
  auto layout = std::make_shared<std::vector<float>>(vector_of(init, init.ElementLength()));
  auto h = std::make_shared<std::vector<std::int32_t>>(vector_of(head, edges));
  auto t = std::make_shared<std::vector<std::int32_t>>(vector_of(tail, edges));
  auto e = std::make_shared<std::vector<double>>(vector_of(eps, edges));
  return run_task(
      env, async, "audiomill:umap-layout",
      [=] { umap_optimize_layout(layout->data(), n, dim, h->data(), t->data(), e->data(), static_cast<std::int64_t>(edges), lo); },
      [layout](Napi::Env env2, const std::vector<Napi::Value>&) -> Napi::Value { return typed_copy(env2, *layout); });
}

// tsneOptimize(init, offsets, columns, values, { n, dim, iterations, exaggerationIterations, exaggeration,
// learningRate, threads }, async) -> { embedding: Float64Array (n x dim), kl } (or its Promise): P in CSR form by row
// (Int32Array offsets of n + 1, Int32Array columns, Float64Array values).
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
  const Napi::Float64Array init = expect_typed<double>(info[0], "init"), values = expect_typed<double>(info[3], "values");
  const Napi::Int32Array offsets = expect_typed<std::int32_t>(info[1], "offsets"), columns = expect_typed<std::int32_t>(info[2], "columns");
  if (init.ElementLength() != static_cast<std::size_t>(n) * static_cast<std::size_t>(dim) || offsets.ElementLength() != static_cast<std::size_t>(n) + 1 ||
      values.ElementLength() != columns.ElementLength())
    throw_js(env, "INVALID_ARGUMENT", "Expected n x dim initial coordinates, n + 1 offsets and one value per column");
  if (offsets.Data()[n] != static_cast<std::int64_t>(columns.ElementLength())) throw_js(env, "INVALID_ARGUMENT", "Expected the last offset to be the number of entries");
  auto y = std::make_shared<std::vector<double>>(vector_of(init, init.ElementLength()));
  auto offs = std::make_shared<std::vector<std::int64_t>>(offsets.Data(), offsets.Data() + n + 1);
  auto cols = std::make_shared<std::vector<std::int32_t>>(vector_of(columns, columns.ElementLength()));
  auto vals = std::make_shared<std::vector<double>>(vector_of(values, values.ElementLength()));
  auto kl = std::make_shared<double>(0.0);
  return run_task(
      env, async, "audiomill:tsne-layout", [=] { *kl = tsne_optimize(y->data(), n, dim, offs->data(), cols->data(), vals->data(), to); },
      [y, kl](Napi::Env env2, const std::vector<Napi::Value>&) -> Napi::Value {
        Napi::Object out = Napi::Object::New(env2);
        out.Set("embedding", typed_copy(env2, *y));
        out.Set("kl", *kl);
        return out;
      });
}

}  // namespace audiomill
