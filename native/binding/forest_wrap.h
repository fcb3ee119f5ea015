// Random forests (core forest/forest.h) for src/forest/: training and class probabilities, sync or as a Promise,
// trees (or rows) in parallel on the native pool.
#pragma once
#include <napi.h>

namespace audiomill {

Napi::Value ForestTrainJs(const Napi::CallbackInfo& info);
Napi::Value ForestPredictJs(const Napi::CallbackInfo& info);

}  // namespace audiomill
