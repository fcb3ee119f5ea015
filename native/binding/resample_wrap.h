// JS classes `Resampler` (a built ResampleKernel: whole signals and batches, sync or
// async) and `ResampleStream` (block-by-block resampling with carried state).
#pragma once
#include <napi.h>

#include <memory>

#include "dsp/resample.h"

namespace audiomill {

// The kernel options { lowpassFilterWidth, rolloff, window: 'hann' | 'kaiser', beta } and, when given, origFreq and
// newFreq, over torchaudio's defaults.
ResampleConfig resample_config(const Napi::Object& o);

class ResamplerWrap : public Napi::ObjectWrap<ResamplerWrap> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit ResamplerWrap(const Napi::CallbackInfo& info);
  static const napi_type_tag kTypeTag;  // checked by unwrap_tagged
  std::shared_ptr<const ResampleKernel> kernel() const { return kernel_; }

 private:
  Napi::Value Info(const Napi::CallbackInfo& info);
  Napi::Value OutputLength(const Napi::CallbackInfo& info);
  Napi::Value Process(const Napi::CallbackInfo& info);
  Napi::Value ProcessBatch(const Napi::CallbackInfo& info);

  std::shared_ptr<const ResampleKernel> kernel_;
};

class ResampleStreamWrap : public Napi::ObjectWrap<ResampleStreamWrap> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit ResampleStreamWrap(const Napi::CallbackInfo& info);

 private:
  Napi::Value Push(const Napi::CallbackInfo& info);
  Napi::Value Finish(const Napi::CallbackInfo& info);
  Napi::Value Reset(const Napi::CallbackInfo& info);

  std::unique_ptr<StreamResampler> stream_;
};

}  // namespace audiomill
