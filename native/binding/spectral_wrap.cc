#include "spectral_wrap.h"

#include <algorithm>
#include <string>
#include <vector>

#include "convert.h"
#include "task.h"
#include "util/thread_pool.h"

namespace audiomill {

Napi::Function SpectralWrap::Define(Napi::Env env) {
  return DefineClass(env, "SpectralPlan", {InstanceMethod("compute", &SpectralWrap::Compute)});
}

namespace {
// The feature names, in the order of SpectralConfig's feature bits.
const char* const kNames[] = {"centroid", "bandwidth", "rolloff", "flatness", "contrast", "zcr", "rms"};
constexpr int kFeatures = 7;
}  // namespace

// new SpectralPlan({ sampleRate, nFft, hopLength, winLength, center, frameLength, features: names[], rollPercent,
//                    flatnessAmin, flatnessPower, contrastFmin, contrastBands, contrastQuantile, contrastLinear,
//                    contrastTopDb, zcrThreshold })
SpectralWrap::SpectralWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<SpectralWrap>(info) {
  Napi::Env env = info.Env();
  Napi::Object o = expect_object(info[0], "SpectralPlan");
  SpectralConfig c;
  c.sample_rate = get_int(o, "sampleRate", c.sample_rate);
  c.n_fft = get_int(o, "nFft", c.n_fft);
  c.hop = get_int(o, "hopLength", c.hop);
  c.win_length = get_int(o, "winLength", c.win_length);
  c.center = get_bool(o, "center", c.center);
  c.frame_length = get_int(o, "frameLength", c.frame_length);
  const Napi::Value names = o.Get("features");
  if (!names.IsUndefined()) {
    if (!names.IsArray()) throw_js(env, "INVALID_ARGUMENT", "Expected an array of feature names for features");
    const Napi::Array list = names.As<Napi::Array>();
    c.features = 0;
    for (uint32_t i = 0; i < list.Length(); ++i) {
      const Napi::Value v = list.Get(i);
      const std::string name = v.IsString() ? v.As<Napi::String>().Utf8Value() : std::string();
      const auto at = std::find_if(std::begin(kNames), std::end(kNames), [&](const char* n) { return name == n; });
      if (at == std::end(kNames)) throw_js(env, "INVALID_ARGUMENT", "unknown spectral feature '" + name + "'");
      c.features |= 1u << (at - std::begin(kNames));
    }
  }
  c.roll_percent = get_double(o, "rollPercent", c.roll_percent);
  c.flatness_amin = get_double(o, "flatnessAmin", c.flatness_amin);
  c.flatness_power = get_double(o, "flatnessPower", c.flatness_power);
  c.contrast_fmin = get_double(o, "contrastFmin", c.contrast_fmin);
  c.contrast_bands = get_int(o, "contrastBands", c.contrast_bands);
  c.contrast_quantile = get_double(o, "contrastQuantile", c.contrast_quantile);
  c.contrast_linear = get_bool(o, "contrastLinear", c.contrast_linear);
  c.contrast_top_db = get_double(o, "contrastTopDb", c.contrast_top_db);
  c.zcr_threshold = get_double(o, "zcrThreshold", c.zcr_threshold);
  plan_ = guarded(env, [&] { return std::make_shared<const SpectralFeaturesPlan>(c); });
}

namespace {

struct Clip {
  const float* x = nullptr;
  std::int64_t n = 0;
  std::int64_t frames = 0, time_frames = 0;
  FloatBuffer out[kFeatures];
  std::size_t size[kFeatures] = {};
};

void compute_clip(const SpectralFeaturesPlan& plan, Clip& c, int threads) {
  const unsigned mask = plan.config().features;
  float* ptr[kFeatures] = {};
  for (int i = 0; i < kFeatures; ++i) {
    if (!(mask & (1u << i))) continue;
    c.out[i] = alloc_floats(c.size[i]);
    ptr[i] = c.out[i].get();
  }
  const std::size_t ws = plan.workspace_floats(c.n);
  FloatBuffer workspace = alloc_floats(ws);
  SpectralOutputs out;
  out.centroid = ptr[0];
  out.bandwidth = ptr[1];
  out.rolloff = ptr[2];
  out.flatness = ptr[3];
  out.contrast = ptr[4];
  out.zcr = ptr[5];
  out.rms = ptr[6];
  out.workspace = ws > 0 ? workspace.get() : nullptr;
  plan.compute(c.x, c.n, out, threads);
}

}  // namespace

// compute(xs: Float32Array[], { threads }, async) -> one { frames, timeFrames, <feature>: Float32Array } per clip.
// Many clips run one per thread; a single clip fans out over frames.
Napi::Value SpectralWrap::Compute(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsArray()) throw_js(env, "INVALID_ARGUMENT", "Expected an array of clips");
  Napi::Array xs = info[0].As<Napi::Array>();
  const int threads = threads_of(info[1]);
  const bool async = info[2].ToBoolean().Value();
  std::shared_ptr<const SpectralFeaturesPlan> plan = plan_;
  const unsigned mask = plan->config().features;
  // Lengths are read once, here: outputs are sized from them and the native code never reads past them.
  auto clips = std::make_shared<std::vector<Clip>>(xs.Length());
  std::vector<Napi::Value> keep;
  for (uint32_t i = 0; i < xs.Length(); ++i) {
    Napi::Float32Array x = expect_f32(xs.Get(i), "xs[i]");
    Clip& c = (*clips)[i];
    c.x = x.Data();
    c.n = static_cast<std::int64_t>(x.ElementLength());
    guarded(env, [&] {
      c.frames = (mask & 0x1fu) ? plan->num_frames(c.n) : 0;
      c.time_frames = (mask & 0x60u) ? plan->num_time_frames(c.n) : 0;
    });
    for (int f = 0; f < kFeatures; ++f) {
      const std::int64_t frames = f < 5 ? c.frames : c.time_frames;
      c.size[f] = static_cast<std::size_t>(frames) * static_cast<std::size_t>(f == 4 ? plan->contrast_rows() : 1);
    }
    keep.push_back(x);
  }
  return run_task(
      env, async, "audiomill:spectral",
      [plan, clips, threads] {
        const int cap = threads > 0 ? std::min(threads, max_threads()) : max_threads();
        if (clips->size() >= 2 * static_cast<std::size_t>(cap)) {
          parallel_for(clips->size(), 1, cap, [&](std::size_t b, std::size_t e) {
            for (std::size_t i = b; i < e; ++i) compute_clip(*plan, (*clips)[i], 1);
          });
        } else {
          for (Clip& c : *clips) compute_clip(*plan, c, cap);
        }
      },
      [clips, mask](Napi::Env e, const std::vector<Napi::Value>&) -> Napi::Value {
        Napi::Array result = Napi::Array::New(e, clips->size());
        for (std::size_t i = 0; i < clips->size(); ++i) {
          Clip& c = (*clips)[i];
          Napi::Object o = Napi::Object::New(e);
          o.Set("frames", static_cast<double>(c.frames));
          o.Set("timeFrames", static_cast<double>(c.time_frames));
          for (int f = 0; f < kFeatures; ++f)
            if (mask & (1u << f)) o.Set(kNames[f], adopt_floats(e, std::move(c.out[f]), c.size[f]));
          result.Set(static_cast<uint32_t>(i), o);
        }
        return result;
      },
      keep);
}

}  // namespace audiomill
