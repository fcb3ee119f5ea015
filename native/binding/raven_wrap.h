// ravenMeasurements(): Raven-style selection measurements (features/raven.h), sync or async.
#pragma once
#include <napi.h>

namespace audiomill {

// ravenMeasurements(x, sampleRate, boxes: Float64Array [begin, end, low, high] x n,
//                   config { windowSize, fftSize, hop, window }, threads, async)
//   -> Float64Array of n x kRavenFields values (see raven_wrap.cc), or its Promise.
Napi::Value RavenMeasurementsJs(const Napi::CallbackInfo& info);

}  // namespace audiomill
