#include "umap_wrap.h"

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "convert.h"
#include "explore/umap_layout.h"
#include "task.h"

namespace audiomill {

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
  const auto typed = [&](const Napi::Value& v, napi_typedarray_type type, const char* what) {
    if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != type) throw_js(env, "INVALID_ARGUMENT", std::string("Expected a typed array of the right type for ") + what);
    return v.As<Napi::TypedArray>();
  };
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

}  // namespace audiomill
