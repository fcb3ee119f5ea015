// JS class `SpectralPlan`: per-frame librosa spectral features (features/spectral.h)
// for one clip or a batch, sync or on a worker thread.
#pragma once
#include <napi.h>

#include <memory>

#include "features/spectral.h"

namespace audiomill {

class SpectralWrap : public Napi::ObjectWrap<SpectralWrap> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit SpectralWrap(const Napi::CallbackInfo& info);

 private:
  Napi::Value Compute(const Napi::CallbackInfo& info);

  std::shared_ptr<const SpectralFeaturesPlan> plan_;
};

}  // namespace audiomill
