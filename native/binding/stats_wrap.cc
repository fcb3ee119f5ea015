#include "stats_wrap.h"

#include <algorithm>
#include <string>
#include <vector>

#include "convert.h"
#include "task.h"
#include "util/thread_pool.h"

namespace audiomill {

Napi::Function AcousticStatsWrap::Define(Napi::Env env) {
  return DefineClass(env, "AcousticStatsPlan", {InstanceMethod("compute", &AcousticStatsWrap::Compute)});
}

Napi::Object acoustic_stats_to_js(Napi::Env env, const AcousticStats& s, bool spectral) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("duration", s.duration);
  o.Set("rms_db", s.rms_db);
  o.Set("rms_ac_db", s.rms_ac_db);
  o.Set("peak_db", s.peak_db);
  o.Set("crest_factor_db", s.crest_factor_db);
  o.Set("dc_offset", s.dc_offset);
  o.Set("clip_ratio", s.clip_ratio);
  o.Set("silence_ratio", s.silence_ratio);
  o.Set("zero_crossing_rate", s.zero_crossing_rate);
  o.Set("snr_db", s.snr_db);
  o.Set("energy_variance", s.energy_variance);
  if (spectral) {
    o.Set("spectral_centroid", s.spectral_centroid);
    o.Set("spectral_bandwidth", s.spectral_bandwidth);
    o.Set("spectral_rolloff", s.spectral_rolloff);
    o.Set("spectral_flatness", s.spectral_flatness);
  }
  o.Set("frames", static_cast<double>(s.frames));
  o.Set("non_finite", static_cast<double>(s.non_finite));
  return o;
}

// new AcousticStatsPlan({ nFft, hopLength, amin, clipThreshold, silenceThresholdDb, energyFloorDb, snrFraction,
//                         zcrThreshold, rollPercent, flatnessAmin, flatnessPower, spectral })
const napi_type_tag AcousticStatsWrap::kTypeTag = {0x6175646d696c6c01ULL, 0x616373746174730aULL};

AcousticStatsWrap::AcousticStatsWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<AcousticStatsWrap>(info) {
  Napi::Env env = info.Env();
  Value().TypeTag(&kTypeTag);
  Napi::Object o = expect_object(info[0], "AcousticStatsPlan");
  AcousticStatsConfig c;
  c.n_fft = get_int(o, "nFft", c.n_fft);
  c.hop = get_int(o, "hopLength", c.hop);
  c.amin = get_double(o, "amin", c.amin);
  c.clip_threshold = get_double(o, "clipThreshold", c.clip_threshold);
  c.silence_threshold_db = get_double(o, "silenceThresholdDb", c.silence_threshold_db);
  c.energy_floor_db = get_double(o, "energyFloorDb", c.energy_floor_db);
  c.snr_fraction = get_double(o, "snrFraction", c.snr_fraction);
  c.zcr_threshold = get_double(o, "zcrThreshold", c.zcr_threshold);
  c.rolloff_percent = get_double(o, "rollPercent", c.rolloff_percent);
  c.flatness_amin = get_double(o, "flatnessAmin", c.flatness_amin);
  c.flatness_power = get_double(o, "flatnessPower", c.flatness_power);
  c.spectral = get_bool(o, "spectral", c.spectral);
  plan_ = guarded(env, [&] { return std::make_shared<const AcousticStatsPlan>(c); });
}

// compute(xs: Float32Array[], { sampleRates: number[], threads }, async) -> stats objects, one per clip.
// Many clips run one per thread; a single clip fans out over frames.
Napi::Value AcousticStatsWrap::Compute(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  F32List in = expect_f32_list(info[0], "xs");
  const Napi::Object o = expect_object(info[1], "compute");
  const Napi::Value rates_v = o.Get("sampleRates");
  if (!rates_v.IsArray()) throw_js(env, "INVALID_ARGUMENT", "Expected an array of sample rates");
  Napi::Array rates = rates_v.As<Napi::Array>();
  if (in.views.size() != rates.Length()) throw_js(env, "INVALID_ARGUMENT", "one sample rate per clip");
  const int threads = get_int(o, "threads", 0);
  const bool async = info[2].ToBoolean().Value();
  struct Clip {
    F32View x;
    int rate;
    AcousticStats stats;
  };
  auto clips = std::make_shared<std::vector<Clip>>();
  for (uint32_t i = 0; i < rates.Length(); ++i) {
    const int rate = to_int(rates.Get(i), "sampleRate");
    if (rate < 1) throw_js(env, "INVALID_ARGUMENT", "sample rates must be positive");
    clips->push_back({in.views[i], rate, {}});
  }
  std::shared_ptr<const AcousticStatsPlan> plan = plan_;
  return run_task(
      env, async, "audiomill:acoustic-stats",
      [plan, clips, threads] {
        for_each_item(clips->size(), threads, [&](std::size_t i, int inner) {
          Clip& c = (*clips)[i];
          c.stats = plan->compute(c.x.x, c.x.n, c.rate, inner);
        });
      },
      [clips, plan](Napi::Env e, const std::vector<Napi::Value>&) -> Napi::Value {
        Napi::Array out = Napi::Array::New(e, clips->size());
        for (std::size_t i = 0; i < clips->size(); ++i)
          out.Set(static_cast<uint32_t>(i), acoustic_stats_to_js(e, (*clips)[i].stats, plan->config().spectral));
        return out;
      },
      in.keep);
}

}  // namespace audiomill
