// poolFrames(xs, options, async): frame embeddings pooled per clip on the native pool.
#pragma once
#include <napi.h>

namespace audiomill {

Napi::Value PoolFramesJs(const Napi::CallbackInfo& info);

}  // namespace audiomill
