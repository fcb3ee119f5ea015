// The explorer's map layouts (core explore/): UMAP's and t-SNE's optimisation for src/explore/, sync or as a Promise.
#pragma once
#include <napi.h>

namespace audiomill {

Napi::Value UmapOptimizeJs(const Napi::CallbackInfo& info);
Napi::Value TsneOptimizeJs(const Napi::CallbackInfo& info);

}  // namespace audiomill
