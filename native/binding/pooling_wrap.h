// poolFrames(xs, options, async): frame embeddings pooled per clip on the native pool.
#pragma once
#include <napi.h>

#include "features/pooling.h"

namespace audiomill {

Napi::Value PoolFramesJs(const Napi::CallbackInfo& info);

// The pooling options of an options object: { mode: 'mean' | 'max' | 'mean+std' | 'frame', ddof, frame, l2 }.
PoolOptions pool_options(const Napi::Object& o);

}  // namespace audiomill
