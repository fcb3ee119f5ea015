// JS class `AcousticStatsPlan`: whole-clip acoustic statistics (features/acoustic_stats.h)
// for one clip or a batch, sync or on a worker thread.
#pragma once
#include <napi.h>

#include <memory>

#include "features/acoustic_stats.h"

namespace audiomill {

class AcousticStatsWrap : public Napi::ObjectWrap<AcousticStatsWrap> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit AcousticStatsWrap(const Napi::CallbackInfo& info);
  static const napi_type_tag kTypeTag;  // checked by unwrap_tagged
  std::shared_ptr<const AcousticStatsPlan> plan() const { return plan_; }

 private:
  Napi::Value Compute(const Napi::CallbackInfo& info);

  std::shared_ptr<const AcousticStatsPlan> plan_;
};

// One clip's statistics as the JS object `compute` resolves to (the manifest's column names).
// The statistics as a JS object; the spectral_* keys only when the plan computed them.
Napi::Object acoustic_stats_to_js(Napi::Env env, const AcousticStats& s, bool spectral);

}  // namespace audiomill
