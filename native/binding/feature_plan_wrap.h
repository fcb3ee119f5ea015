// JS class `FeaturePlan`: owns a core FeaturePlan and runs it synchronously or
// on AsyncWorkers (one per call; the worker fans out on the core thread pool).
#pragma once
#include <napi.h>

#include <memory>

#include "dsp/feature_plan.h"

namespace audiomill {

class FeaturePlanWrap : public Napi::ObjectWrap<FeaturePlanWrap> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit FeaturePlanWrap(const Napi::CallbackInfo& info);
  static const napi_type_tag kTypeTag;  // checked by unwrap_tagged
  std::shared_ptr<const FeaturePlan> plan() const { return plan_; }

 private:
  Napi::Value NumFrames(const Napi::CallbackInfo& info);
  Napi::Value OutputShape(const Napi::CallbackInfo& info);
  Napi::Value Compute(const Napi::CallbackInfo& info);
  Napi::Value ComputeBatch(const Napi::CallbackInfo& info);
  Napi::Value ComputePooled(const Napi::CallbackInfo& info);

  std::shared_ptr<const FeaturePlan> plan_;
};

// amplitudeToDB({ input, out?, stype, amin, ref, topDb?, groups, threads? }, async): decibels of a
// power ('power') or magnitude ('magnitude') tensor, into `out` or a new array; a Promise when async.
Napi::Value AmplitudeToDBJs(const Napi::CallbackInfo& info);

}  // namespace audiomill
