// Module entry: context-aware (Napi::Addon), so it loads in worker_threads.
#include <napi.h>

#include <string>

#include "convert.h"
#include "feature_plan_wrap.h"
#include "raven_wrap.h"
#include "forest_wrap.h"
#include "explore_wrap.h"
#include "map_file_wrap.h"
#include "fs_wrap.h"
#include "linalg_wrap.h"
#include "pooling_wrap.h"
#include "search_wrap.h"
#include "resample_wrap.h"
#include "spectral_wrap.h"
#include "stats_wrap.h"
#include "wav_wrap.h"
#include "features/deltas.h"
#include "fft/fft.h"
#include "fft/plan.h"
#include "util/matrix_unit.h"
#include "util/simd.h"
#include "util/thread_pool.h"

namespace audiomill {
namespace {

int int_arg(const Napi::CallbackInfo& info, std::size_t i, const char* what) {
  return to_int(info.Length() > i ? info[i] : info.Env().Undefined(), what);
}

class Addon : public Napi::Addon<Addon> {
 public:
  Addon(Napi::Env env, Napi::Object exports) {
    DefineAddon(exports, {
        InstanceMethod("capabilities", &Addon::Capabilities),
        InstanceMethod("setNumThreads", &Addon::SetNumThreads),
        InstanceMethod("getNumThreads", &Addon::GetNumThreads),
        InstanceMethod("setSimdLevel", &Addon::SetSimdLevel),
        InstanceMethod("rfft", &Addon::Rfft),
        InstanceMethod("irfft", &Addon::Irfft),
        InstanceMethod("fft", &Addon::Fft),
        InstanceMethod("computeDeltas", &Addon::ComputeDeltas),
        InstanceMethod("savgolDelta", &Addon::SavgolDelta),
        InstanceMethod("amplitudeToDB", &Addon::AmplitudeToDB),
        InstanceValue("FeaturePlan", FeaturePlanWrap::Define(env)),
        InstanceValue("WavFile", WavFileWrap::Define(env)),
        InstanceValue("Resampler", ResamplerWrap::Define(env)),
        InstanceValue("ResampleStream", ResampleStreamWrap::Define(env)),
        InstanceValue("AcousticStatsPlan", AcousticStatsWrap::Define(env)),
        InstanceValue("SpectralPlan", SpectralWrap::Define(env)),
        InstanceMethod("ravenMeasurements", &Addon::RavenMeasurements),
        InstanceMethod("forestTrain", &Addon::ForestTrain),
        InstanceMethod("forestPredict", &Addon::ForestPredict),
        InstanceMethod("umapOptimize", &Addon::UmapOptimize),
        InstanceMethod("tsneOptimize", &Addon::TsneOptimize),
        InstanceMethod("flatSearch", &Addon::FlatSearch),
        InstanceMethod("flatRangeSearch", &Addon::FlatRangeSearch),
        InstanceMethod("firstNonFiniteRow", &Addon::FirstNonFiniteRow),
        InstanceMethod("prepareRows", &Addon::PrepareRows),
        InstanceMethod("storedRowNorms", &Addon::StoredRowNorms),
        InstanceMethod("setMatrixUnit", &Addon::SetMatrixUnit),
        InstanceMethod("mapFile", &Addon::MapFile),
        InstanceMethod("wavStatsFiles", &Addon::WavStatsFiles),
        InstanceMethod("wavPooledFeatures", &Addon::WavPooledFeatures),
        InstanceMethod("statFiles", &Addon::StatFiles),
        InstanceMethod("poolFrames", &Addon::PoolFrames),
        InstanceMethod("linalgGemmNt", &Addon::LinalgGemmNt),
        InstanceMethod("linalgGramCols", &Addon::LinalgGramCols),
        InstanceMethod("linalgGemmTnRows", &Addon::LinalgGemmTnRows),
        InstanceMethod("linalgAddScaledRow", &Addon::LinalgAddScaledRow),
        InstanceMethod("linalgTranspose", &Addon::LinalgTranspose),
        InstanceMethod("linalgRidgeLoo", &Addon::LinalgRidgeLoo),
    });
  }

 private:
  Napi::Value RavenMeasurements(const Napi::CallbackInfo& info) { return RavenMeasurementsJs(info); }
  Napi::Value ForestTrain(const Napi::CallbackInfo& info) { return ForestTrainJs(info); }
  Napi::Value ForestPredict(const Napi::CallbackInfo& info) { return ForestPredictJs(info); }
  Napi::Value UmapOptimize(const Napi::CallbackInfo& info) { return UmapOptimizeJs(info); }
  Napi::Value TsneOptimize(const Napi::CallbackInfo& info) { return TsneOptimizeJs(info); }
  Napi::Value FlatSearch(const Napi::CallbackInfo& info) { return FlatSearchJs(info); }
  Napi::Value FlatRangeSearch(const Napi::CallbackInfo& info) { return FlatRangeSearchJs(info); }
  Napi::Value FirstNonFiniteRow(const Napi::CallbackInfo& info) { return FirstNonFiniteRowJs(info); }
  Napi::Value PrepareRows(const Napi::CallbackInfo& info) { return PrepareRowsJs(info); }
  Napi::Value StoredRowNorms(const Napi::CallbackInfo& info) { return StoredRowNormsJs(info); }
  Napi::Value MapFile(const Napi::CallbackInfo& info) { return MapFileJs(info); }
  Napi::Value WavStatsFiles(const Napi::CallbackInfo& info) { return WavStatsFilesJs(info); }
  Napi::Value WavPooledFeatures(const Napi::CallbackInfo& info) { return WavPooledFeaturesJs(info); }
  Napi::Value StatFiles(const Napi::CallbackInfo& info) { return StatFilesJs(info); }
  Napi::Value PoolFrames(const Napi::CallbackInfo& info) { return PoolFramesJs(info); }
  Napi::Value LinalgGemmNt(const Napi::CallbackInfo& info) { return LinalgGemmNtJs(info); }
  Napi::Value LinalgGramCols(const Napi::CallbackInfo& info) { return LinalgGramColsJs(info); }
  Napi::Value LinalgGemmTnRows(const Napi::CallbackInfo& info) { return LinalgGemmTnRowsJs(info); }
  Napi::Value LinalgAddScaledRow(const Napi::CallbackInfo& info) { return LinalgAddScaledRowJs(info); }
  Napi::Value LinalgTranspose(const Napi::CallbackInfo& info) { return LinalgTransposeJs(info); }
  Napi::Value LinalgRidgeLoo(const Napi::CallbackInfo& info) { return LinalgRidgeLooJs(info); }
  Napi::Value AmplitudeToDB(const Napi::CallbackInfo& info) { return AmplitudeToDBJs(info); }
  Napi::Value Capabilities(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    Napi::Object o = Napi::Object::New(env);
    o.Set("simd", simd_level_name(active_simd_level()));
    o.Set("simdDetected", simd_level_name(detected_simd_level()));
    Napi::Array levels = Napi::Array::New(env);
    uint32_t n = 0;
    for (SimdLevel l : {SimdLevel::Scalar, SimdLevel::Neon, SimdLevel::Avx2, SimdLevel::Avx512}) {
      if (simd_level_supported(l)) levels.Set(n++, simd_level_name(l));
    }
    o.Set("simdLevels", levels);
    o.Set("matrix", matrix_unit_name(active_matrix_unit()));
    o.Set("matrixCap", matrix_unit_name(matrix_unit_cap()));
    o.Set("matrixDetected", matrix_unit_name(detected_matrix_unit()));
    Napi::Array units = Napi::Array::New(env);
    n = 0;
    for (MatrixUnit u : {MatrixUnit::None, MatrixUnit::Vnni, MatrixUnit::Amx}) {
      if (matrix_unit_supported(u)) units.Set(n++, matrix_unit_name(u));
    }
    o.Set("matrixUnits", units);
    o.Set("threads", max_threads());
    o.Set("cuda", false);
    return o;
  }
  Napi::Value SetNumThreads(const Napi::CallbackInfo& info) {
    const int n = int_arg(info, 0, "threads");
    if (n < 1) throw_js(info.Env(), "INVALID_ARGUMENT", "threads must be at least 1");
    set_max_threads(n);
    return info.Env().Undefined();
  }
  Napi::Value GetNumThreads(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), max_threads()); }
  Napi::Value SetSimdLevel(const Napi::CallbackInfo& info) {
    if (info.Length() < 1 || !info[0].IsString()) throw_js(info.Env(), "INVALID_ARGUMENT", "Expected a level name");
    SimdLevel level;
    const std::string name = info[0].As<Napi::String>().Utf8Value();
    if (!parse_simd_level(name.c_str(), &level)) return Napi::Boolean::New(info.Env(), false);
    return Napi::Boolean::New(info.Env(), set_simd_level(level));
  }
  Napi::Value SetMatrixUnit(const Napi::CallbackInfo& info) {
    if (info.Length() < 1 || !info[0].IsString()) throw_js(info.Env(), "INVALID_ARGUMENT", "Expected a matrix unit name");
    MatrixUnit unit;
    const std::string name = info[0].As<Napi::String>().Utf8Value();
    if (!parse_matrix_unit(name.c_str(), &unit)) return Napi::Boolean::New(info.Env(), false);
    return Napi::Boolean::New(info.Env(), set_matrix_unit(unit));
  }
  Napi::Value Rfft(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    Napi::Float32Array x = expect_f32(info[0], "x");
    return guarded(env, [&]() -> Napi::Value {
      if (x.ElementLength() < 1 || x.ElementLength() > static_cast<std::size_t>(kMaxFftLength))
        throw_js(env, "INVALID_ARGUMENT", "FFT length must be between 1 and 2^26");
      const int n = static_cast<int>(x.ElementLength());
      Napi::Float32Array out = Napi::Float32Array::New(env, 2 * static_cast<std::size_t>(n / 2 + 1));
      rfft(x.Data(), n, out.Data());
      return out;
    });
  }
  Napi::Value Irfft(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    Napi::Float32Array spec = expect_f32(info[0], "spectrum");
    const int n = int_arg(info, 1, "n");
    return guarded(env, [&]() -> Napi::Value {
      if (n < 1 || spec.ElementLength() != 2 * static_cast<std::size_t>(n / 2 + 1))
        throw_js(env, "INVALID_ARGUMENT", "spectrum length must be 2*(n/2+1)");
      Napi::Float32Array out = Napi::Float32Array::New(env, static_cast<std::size_t>(n));
      irfft(spec.Data(), n, out.Data());
      return out;
    });
  }
  Napi::Value Fft(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    Napi::Float32Array x = expect_f32(info[0], "x");
    const bool inverse = info.Length() > 1 && info[1].ToBoolean().Value();
    return guarded(env, [&]() -> Napi::Value {
      if (x.ElementLength() % 2 != 0 || x.ElementLength() < 2 || x.ElementLength() / 2 > static_cast<std::size_t>(kMaxFftLength))
        throw_js(env, "INVALID_ARGUMENT", "interleaved complex input needs an even length of 2 to 2^27");
      const int n = static_cast<int>(x.ElementLength() / 2);
      Napi::Float32Array out = Napi::Float32Array::New(env, x.ElementLength());
      cfft(x.Data(), n, inverse, out.Data());
      return out;
    });
  }
  // Deltas over a { x, rows, frames, ... } matrix; `fn` fills the output from the options.
  template <class F>
  static Napi::Value deltas(const Napi::CallbackInfo& info, const char* name, F&& fn) {
    Napi::Env env = info.Env();
    const Napi::Object o = expect_object(info[0], name);
    Napi::Float32Array x = expect_f32(o.Get("x"), "x");
    const int rows = get_int(o, "rows", -1), frames = get_int(o, "frames", -1);
    return guarded(env, [&]() -> Napi::Value {
      if (rows < 0 || frames < 0 || static_cast<std::size_t>(rows) * frames != x.ElementLength())
        throw_js(env, "INVALID_ARGUMENT", "rows x frames must match the data length");
      Napi::Float32Array out = Napi::Float32Array::New(env, x.ElementLength());
      fn(o, x.Data(), rows, frames, out.Data());
      return out;
    });
  }
  // computeDeltas({ x, rows, frames, winLength })
  Napi::Value ComputeDeltas(const Napi::CallbackInfo& info) {
    return deltas(info, "computeDeltas", [](const Napi::Object& o, const float* x, int rows, int frames, float* out) {
      compute_deltas(x, rows, frames, get_int(o, "winLength", 5), out);
    });
  }
  // savgolDelta({ x, rows, frames, width, order })
  Napi::Value SavgolDelta(const Napi::CallbackInfo& info) {
    return deltas(info, "savgolDelta", [](const Napi::Object& o, const float* x, int rows, int frames, float* out) {
      savgol_delta(x, rows, frames, get_int(o, "width", 9), get_int(o, "order", 1), out);
    });
  }
};

}  // namespace
}  // namespace audiomill

using audiomill::Addon;
NODE_API_ADDON(Addon)
