#include "wav_wrap.h"

#include <string>
#include <vector>

#include "convert.h"
#include "audio/wav_mono.h"
#include "audio/wav_resample.h"
#include "resample_wrap.h"
#include "stats_wrap.h"
#include "feature_plan_wrap.h"
#include "pooling_wrap.h"
#include "features/pooling.h"
#include "task.h"
#include "util/thread_pool.h"

namespace audiomill {

Napi::Function WavFileWrap::Define(Napi::Env env) {
  return DefineClass(env, "WavFile",
                     {InstanceMethod("info", &WavFileWrap::Info), InstanceMethod("read", &WavFileWrap::Read),
                      InstanceMethod("close", &WavFileWrap::Close)});
}

// new WavFile(pathOrBytes): opens and parses the header (a few small reads).
WavFileWrap::WavFileWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<WavFileWrap>(info) {
  Napi::Env env = info.Env();
  if (info.Length() > 0 && info[0].IsString()) {
    const std::string path = info[0].As<Napi::String>().Utf8Value();
    source_ = guarded(env, [&] { return std::make_shared<FileSource>(path); });
  } else if (info.Length() > 0 && info[0].IsTypedArray() &&
             info[0].As<Napi::TypedArray>().TypedArrayType() == napi_uint8_array) {
    Napi::Uint8Array bytes = info[0].As<Napi::Uint8Array>();
    bytes_ = Napi::Persistent(static_cast<Napi::Object>(bytes));
    source_ = std::make_shared<MemorySource>(bytes.Data(), bytes.ByteLength());
  } else {
    throw_js(env, "INVALID_ARGUMENT", "Expected a path or a Uint8Array");
  }
  info_ = guarded(env, [&] { return parse_wav(*source_); });
}

Napi::Value WavFileWrap::Info(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o = Napi::Object::New(env);
  o.Set("sampleRate", info_.sample_rate);
  o.Set("channels", info_.channels);
  o.Set("subtype", info_.subtype());
  o.Set("bitsPerSample", info_.bits_per_sample);
  o.Set("blockAlign", info_.block_align);
  o.Set("channelMask", static_cast<double>(info_.channel_mask));
  o.Set("rf64", info_.rf64);
  o.Set("extensible", info_.extensible);
  o.Set("truncated", info_.truncated);
  o.Set("dataOffset", static_cast<double>(info_.data_offset));
  o.Set("numFrames", static_cast<double>(info_.num_frames));
  o.Set("fileSize", static_cast<double>(source_ ? source_->size() : 0));
  return o;
}

namespace {
constexpr EnumName<ChannelMix> kMixNames[] = {{"all", ChannelMix::All}, {"mean", ChannelMix::Mean}, {"one", ChannelMix::Select}};

// The kernel of the options' `resampler` (a Resampler object), or null when there is none.
std::shared_ptr<const ResampleKernel> resampler_of(const Napi::Object& o) {
  const Napi::Value resampler = o.Get("resampler");
  if (!resampler.IsObject()) return nullptr;
  return unwrap_tagged<ResamplerWrap>(resampler, "resampler", "a Resampler")->kernel();
}

std::uint64_t frames_arg(const Napi::Object& o, const char* key) {
  const Napi::Value v = o.Get(key);
  if (!v.IsNumber()) throw_js(o.Env(), "INVALID_ARGUMENT", std::string("Expected a frame number for ") + key);
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= 0) || d > 9.0e15) throw_js(o.Env(), "INVALID_ARGUMENT", std::string("Expected a non-negative frame number for ") + key);
  return static_cast<std::uint64_t>(d);
}
}  // namespace

// read({ start, count, mix: 'all' | 'mean' | 'one', channel, out?, resampler? }, async) -> Float32Array[]
// (one per output channel) or its Promise. `out`: the caller's arrays (one per output channel, each at least the
// output's length) to write into instead of new ones; the result then holds views of them.
// `resampler`: a Resampler to pass the frames through on the way (read_wav_resampled).
Napi::Value WavFileWrap::Read(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!source_) throw_js(env, "IO", "the WAV file is closed");
  const Napi::Object o = expect_object(info[0], "read");
  const std::uint64_t start = frames_arg(o, "start");
  std::uint64_t count = frames_arg(o, "count");
  const ChannelMix mix = get_enum(o, "mix", kMixNames, ChannelMix::All);
  const int channel = get_int(o, "channel", 0);
  const bool async = info[1].ToBoolean().Value();
  if (mix == ChannelMix::Select && (channel < 0 || channel >= info_.channels))
    throw_js(env, "INVALID_ARGUMENT", "channel " + std::to_string(channel) + " does not exist (the file has " +
                                          std::to_string(info_.channels) + ")");
  count = start >= info_.num_frames ? 0 : std::min(count, info_.num_frames - start);
  const int outputs = mix == ChannelMix::All ? info_.channels : 1;
  const std::shared_ptr<const ResampleKernel> kernel = resampler_of(o);
  // Output samples per channel: the frames, or what the resampler makes of them.
  const std::uint64_t length =
      kernel ? static_cast<std::uint64_t>(guarded(env, [&] { return kernel->output_length(static_cast<std::int64_t>(count)); })) : count;

  struct Baton {
    std::vector<FloatBuffer> channels;  // allocated here when the caller gave no arrays
    std::vector<float*> given;          // the caller's arrays
    std::uint64_t frames = 0;
  };
  auto baton = std::make_shared<Baton>();
  std::vector<Napi::Value> keep;
  const Napi::Value out = o.Get("out");
  if (!out.IsUndefined() && !out.IsNull()) {
    if (!out.IsArray() || out.As<Napi::Array>().Length() != static_cast<uint32_t>(outputs))
      throw_js(env, "INVALID_ARGUMENT", "out must be an array of " + std::to_string(outputs) + " Float32Array");
    Napi::Array arr = out.As<Napi::Array>();
    for (uint32_t c = 0; c < arr.Length(); ++c) {
      Napi::Float32Array dst = expect_f32(arr.Get(c), "out[c]");
      if (dst.ElementLength() < length) throw_js(env, "INVALID_ARGUMENT", "out[c] is shorter than the samples to write");
      baton->given.push_back(dst.Data());
      keep.push_back(dst);
    }
  }
  std::shared_ptr<ByteSource> source = source_;
  const WavInfo wav = info_;
  // The object and, for in-memory sources, the bytes stay referenced until the read settles.
  Napi::Value self = Value();
  Napi::Value bytes = bytes_.IsEmpty() ? env.Undefined() : bytes_.Value();
  keep.insert(keep.begin(), {self, bytes});
  return run_task(
      env, async, "audiomill:wav-read",
      [=] {
        std::vector<float*> ptrs = baton->given;
        if (ptrs.empty()) {
          for (int c = 0; c < outputs; ++c) {
            baton->channels.push_back(alloc_floats(length));
            ptrs.push_back(baton->channels.back().get());
          }
        }
        baton->frames = kernel ? static_cast<std::uint64_t>(read_wav_resampled(*source, wav, start, count, mix, channel, kernel, ptrs.data()))
                               : read_wav_frames(*source, wav, start, count, mix, channel, ptrs.data());
      },
      [=](Napi::Env e, const std::vector<Napi::Value>& kept) -> Napi::Value {
        Napi::Array result = Napi::Array::New(e, outputs);
        if (!baton->given.empty()) {
          for (int c = 0; c < outputs; ++c) {
            Napi::Float32Array o = kept[2 + static_cast<std::size_t>(c)].As<Napi::Float32Array>();
            result.Set(static_cast<uint32_t>(c), Napi::Float32Array::New(e, baton->frames, o.ArrayBuffer(), o.ByteOffset()));
          }
          return result;
        }
        for (std::size_t c = 0; c < baton->channels.size(); ++c) {
          Napi::Float32Array full = adopt_floats(e, std::move(baton->channels[c]), length);
          // A file that shrank after the header was read gives fewer frames: a view, no copy.
          result.Set(static_cast<uint32_t>(c),
                     baton->frames == length ? full
                                            : Napi::Float32Array::New(e, baton->frames, full.ArrayBuffer(), 0));
        }
        return result;
      },
      keep);
}

namespace {
// The files' common options: { sampleRate?, resample?: { lowpassFilterWidth, rolloff, window, beta }, threads }.
struct FilesOptions {
  int target = 0;
  ResampleConfig resample;
  int threads = 0;
};
FilesOptions files_options(const Napi::Object& o) {
  FilesOptions f;
  f.target = get_int(o, "sampleRate", 0);
  if (f.target < 0) throw_js(o.Env(), "INVALID_ARGUMENT", "Expected a positive sampleRate");
  const Napi::Value rv = o.Get("resample");
  if (rv.IsObject()) f.resample = resample_config(rv.As<Napi::Object>());
  f.threads = get_int(o, "threads", 0);
  return f;
}

struct FileStats {
  bool ok = false;
  WavInfo info;
  std::uint64_t frames = 0;  // samples at the statistics' rate
  AcousticStats stats;
};
}  // namespace

// wavStatsFiles(paths, { plan, sampleRate?, resample?: { lowpassFilterWidth, rolloff, window, beta }, threads }, async)
// -> (null | { sampleRate, channels, subtype, truncated, frames, stats })[] or its Promise: each WAV file opened,
// read, mixed to mono, resampled to sampleRate (default: its own rate) and its acoustic statistics computed, all
// on worker threads (the samples never reach JS); null for a file our reader does not take (another format, a
// corrupt header, an I/O error). Equals WavFile.read then AcousticStatsPlan.compute bit for bit. Many files run
// one per thread; a few fan each file's statistics out.
Napi::Value WavStatsFilesJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::shared_ptr<std::vector<std::string>> paths = expect_paths(info[0]);
  const Napi::Object o = expect_object(info[1], "wavStatsFiles");
  std::shared_ptr<const AcousticStatsPlan> plan = unwrap_tagged<AcousticStatsWrap>(o.Get("plan"), "plan", "an AcousticStatsPlan")->plan();
  const FilesOptions f = files_options(o);
  const bool async = info[2].ToBoolean().Value();
  auto results = std::make_shared<std::vector<FileStats>>(paths->size());
  return run_task(
      env, async, "audiomill:wav-stats",
      [=] {
        for_each_item(paths->size(), f.threads, [&](std::size_t i, int threads) {
          FileStats& r = (*results)[i];
          r.ok = with_wav_mono((*paths)[i], f.target, f.resample, [&](const WavInfo& wav, const float* x, std::int64_t n, int rate) {
            r.info = wav;
            r.frames = static_cast<std::uint64_t>(n);
            r.stats = plan->compute(x, n, rate, threads);
          });
        });
      },
      [=](Napi::Env e, const std::vector<Napi::Value>&) -> Napi::Value {
        Napi::Array out = Napi::Array::New(e, results->size());
        const bool spectral = plan->config().spectral;
        for (std::size_t i = 0; i < results->size(); ++i) {
          const FileStats& r = (*results)[i];
          if (!r.ok) {
            out.Set(static_cast<uint32_t>(i), e.Null());
            continue;
          }
          Napi::Object f = Napi::Object::New(e);
          f.Set("sampleRate", r.info.sample_rate);
          f.Set("channels", r.info.channels);
          f.Set("subtype", r.info.subtype());
          f.Set("truncated", r.info.truncated);
          f.Set("frames", static_cast<double>(r.frames));
          f.Set("stats", acoustic_stats_to_js(e, r.stats, spectral));
          out.Set(static_cast<uint32_t>(i), f);
        }
        return out;
      });
}

// wavPooledFeatures(paths, { plan: FeaturePlan, mode, ddof, frame, l2, sampleRate?, resample?, threads }, async)
// -> { data: Float32Array (one pooled row per file), ok: Uint8Array } or its Promise: each WAV file opened, read,
// mixed to mono, resampled, its features computed (the plan's two-dimensional output) and pooled over its frames
// (features/pooling.h), all on worker threads; only the pooled rows reach JS. ok[i] is 0 (its row zeros) for a
// file our reader does not take. Equals loadAudio, then FeaturePlan.computeBatch, then poolFrames, bit for bit.
Napi::Value WavPooledFeaturesJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::shared_ptr<std::vector<std::string>> paths = expect_paths(info[0]);
  const Napi::Object o = expect_object(info[1], "wavPooledFeatures");
  std::shared_ptr<const FeaturePlan> plan = unwrap_tagged<FeaturePlanWrap>(o.Get("plan"), "plan", "a FeaturePlan")->plan();
  const PoolOptions p = pool_options(o);
  const FilesOptions f = files_options(o);
  const bool async = info[2].ToBoolean().Value();
  if (plan->config().complex_out) throw_js(env, "INVALID_ARGUMENT", "pooling needs a two-dimensional output");
  const std::size_t width = static_cast<std::size_t>(pooled_size(p.mode, plan->num_features()));
  auto data = std::make_shared<FloatBuffer>(alloc_floats(std::max<std::size_t>(1, paths->size() * width)));
  auto ok = std::make_shared<std::vector<std::uint8_t>>(paths->size(), 0);
  return run_task(
      env, async, "audiomill:wav-pooled-features",
      [=] {
        for_each_item(paths->size(), f.threads, [&](std::size_t i, int threads) {
          float* row = data->get() + i * width;
          (*ok)[i] = with_wav_mono((*paths)[i], f.target, f.resample, [&](const WavInfo&, const float* x, std::int64_t n, int) {
            compute_pooled(*plan, x, n, p, row, threads);
          }) ? 1 : 0;
          if (!(*ok)[i]) std::fill(row, row + width, 0.0f);
        });
      },
      [=](Napi::Env e, const std::vector<Napi::Value>&) -> Napi::Value {
        Napi::Object result = Napi::Object::New(e);
        result.Set("data", adopt_floats(e, std::move(*data), paths->size() * width));
        Napi::Uint8Array flags = Napi::Uint8Array::New(e, ok->size());
        for (std::size_t i = 0; i < ok->size(); ++i) flags[i] = (*ok)[i];
        result.Set("ok", flags);
        return result;
      });
}

Napi::Value WavFileWrap::Close(const Napi::CallbackInfo& info) {
  source_.reset();  // reads in flight keep their own reference
  if (!bytes_.IsEmpty()) bytes_.Reset();
  return info.Env().Undefined();
}

}  // namespace audiomill
