// UMAP's layout optimisation (core explore/umap_layout.h) for src/explore/: sync or as a Promise.
#pragma once
#include <napi.h>

namespace audiomill {

Napi::Value UmapOptimizeJs(const Napi::CallbackInfo& info);

}  // namespace audiomill
