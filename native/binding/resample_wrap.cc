#include "resample_wrap.h"

#include <algorithm>
#include <string>
#include <vector>

#include "convert.h"
#include "task.h"
#include "util/thread_pool.h"

namespace audiomill {

Napi::Function ResamplerWrap::Define(Napi::Env env) {
  return DefineClass(env, "Resampler",
                     {InstanceMethod("info", &ResamplerWrap::Info),
                      InstanceMethod("outputLength", &ResamplerWrap::OutputLength),
                      InstanceMethod("process", &ResamplerWrap::Process),
                      InstanceMethod("processBatch", &ResamplerWrap::ProcessBatch)});
}

namespace {
constexpr EnumName<ResampleWindow> kResampleWindows[] = {{"hann", ResampleWindow::Hann}, {"kaiser", ResampleWindow::Kaiser}};
}  // namespace

ResampleConfig resample_config(const Napi::Object& o) {
  ResampleConfig c;
  c.orig_freq = static_cast<std::int64_t>(get_double(o, "origFreq", 0));
  c.new_freq = static_cast<std::int64_t>(get_double(o, "newFreq", 0));
  c.lowpass_filter_width = get_int(o, "lowpassFilterWidth", c.lowpass_filter_width);
  c.rolloff = get_double(o, "rolloff", c.rolloff);
  c.window = get_enum(o, "window", kResampleWindows, c.window);
  c.beta = get_double(o, "beta", c.beta);
  return c;
}

// new Resampler({ origFreq, newFreq, lowpassFilterWidth, rolloff, window: 'hann' | 'kaiser', beta })
const napi_type_tag ResamplerWrap::kTypeTag = {0x6175646d696c6c01ULL, 0x726573616d706c0cULL};

ResamplerWrap::ResamplerWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<ResamplerWrap>(info) {
  Napi::Env env = info.Env();
  Value().TypeTag(&kTypeTag);
  const ResampleConfig c = resample_config(expect_object(info[0], "Resampler"));
  kernel_ = guarded(env, [&] { return std::make_shared<const ResampleKernel>(c); });
}

Napi::Value ResamplerWrap::Info(const Napi::CallbackInfo& info) {
  Napi::Object o = Napi::Object::New(info.Env());
  o.Set("orig", static_cast<double>(kernel_->orig()));
  o.Set("new", static_cast<double>(kernel_->new_rate()));
  o.Set("width", kernel_->width());
  return o;
}

Napi::Value ResamplerWrap::OutputLength(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsNumber()) throw_js(info.Env(), "INVALID_ARGUMENT", "Expected a length");
  const double d = info[0].As<Napi::Number>().DoubleValue();
  if (!(d >= 0) || d > 9.0e15) throw_js(info.Env(), "INVALID_ARGUMENT", "Expected a non-negative length");
  return Napi::Number::New(info.Env(), static_cast<double>(kernel_->output_length(static_cast<std::int64_t>(d))));
}

namespace {
struct Clip {
  const float* input = nullptr;
  std::int64_t length = 0;
  std::int64_t out_length = 0;
  FloatBuffer out;
};

// Resamples every clip: several clips run one per thread; a single clip runs on the calling thread.
void resample_clips(const ResampleKernel& kernel, std::vector<Clip>& clips, int threads) {
  for (Clip& c : clips) c.out = alloc_floats(static_cast<std::size_t>(c.out_length));
  parallel_for(clips.size(), 1, threads, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) kernel.process(clips[i].input, clips[i].length, clips[i].out.get());
  });
}

Napi::Value clips_value(Napi::Env env, std::vector<Clip>& clips, bool single) {
  if (single) return adopt_floats(env, std::move(clips[0].out), static_cast<std::size_t>(clips[0].out_length));
  Napi::Array result = Napi::Array::New(env, clips.size());
  for (std::size_t i = 0; i < clips.size(); ++i)
    result.Set(static_cast<uint32_t>(i), adopt_floats(env, std::move(clips[i].out), static_cast<std::size_t>(clips[i].out_length)));
  return result;
}

Napi::Value run_clips(Napi::Env env, std::shared_ptr<const ResampleKernel> kernel, std::vector<Napi::Float32Array> inputs,
                      int threads, bool async, bool single) {
  auto clips = std::make_shared<std::vector<Clip>>();
  std::vector<Napi::Value> keep;
  for (const Napi::Float32Array& x : inputs) {
    Clip c;
    c.input = x.Data();
    c.length = static_cast<std::int64_t>(x.ElementLength());
    c.out_length = kernel->output_length(c.length);
    clips->push_back(std::move(c));
    keep.push_back(x);
  }
  return run_task(
      env, async, "audiomill:resample", [kernel, clips, threads] { resample_clips(*kernel, *clips, threads); },
      [clips, single](Napi::Env e, const std::vector<Napi::Value>&) { return clips_value(e, *clips, single); }, keep);
}
}  // namespace

// process(x, { threads }, async)
Napi::Value ResamplerWrap::Process(const Napi::CallbackInfo& info) {
  Napi::Float32Array x = expect_f32(info[0], "x");
  return run_clips(info.Env(), kernel_, {x}, threads_of(info[1]), info[2].ToBoolean().Value(), true);
}

// processBatch(xs, { threads }, async)
Napi::Value ResamplerWrap::ProcessBatch(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsArray()) throw_js(env, "INVALID_ARGUMENT", "Expected an array of Float32Array");
  Napi::Array arr = info[0].As<Napi::Array>();
  std::vector<Napi::Float32Array> xs;
  for (uint32_t i = 0; i < arr.Length(); ++i) xs.push_back(expect_f32(arr.Get(i), "inputs[i]"));
  return run_clips(env, kernel_, std::move(xs), threads_of(info[1]), info[2].ToBoolean().Value(), false);
}

Napi::Function ResampleStreamWrap::Define(Napi::Env env) {
  return DefineClass(env, "ResampleStream",
                     {InstanceMethod("push", &ResampleStreamWrap::Push), InstanceMethod("finish", &ResampleStreamWrap::Finish),
                      InstanceMethod("reset", &ResampleStreamWrap::Reset)});
}

// new ResampleStream(resampler)
ResampleStreamWrap::ResampleStreamWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<ResampleStreamWrap>(info) {
  Napi::Env env = info.Env();
  ResamplerWrap* r = unwrap_tagged<ResamplerWrap>(info.Length() > 0 ? info[0] : env.Undefined(), "resampler", "a Resampler");
  stream_ = guarded(env, [&] { return std::make_unique<StreamResampler>(r->kernel()); });
}

namespace {
// The first `used` of `cap` native floats as a Float32Array (a view on the adopted buffer).
Napi::Float32Array view_of(Napi::Env env, FloatBuffer data, std::int64_t cap, std::int64_t used) {
  Napi::Float32Array full = adopt_floats(env, std::move(data), static_cast<std::size_t>(cap));
  if (used == cap) return full;
  return Napi::Float32Array::New(env, static_cast<std::size_t>(used), full.ArrayBuffer(), 0);
}
}  // namespace

// push(x) -> the output samples now computable (a block's worth; runs on the calling thread).
Napi::Value ResampleStreamWrap::Push(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Float32Array x = expect_f32(info[0], "x");
  return guarded(env, [&]() -> Napi::Value {
    const std::int64_t n = static_cast<std::int64_t>(x.ElementLength());
    const std::int64_t cap = stream_->max_output(n);
    auto out = alloc_floats(static_cast<std::size_t>(cap));
    const std::int64_t k = stream_->push(x.Data(), n, out.get());
    return view_of(env, std::move(out), cap, k);
  });
}

Napi::Value ResampleStreamWrap::Finish(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    const std::int64_t cap = stream_->max_flush();
    auto out = alloc_floats(static_cast<std::size_t>(cap));
    const std::int64_t k = stream_->finish(out.get());
    return view_of(env, std::move(out), cap, k);
  });
}

Napi::Value ResampleStreamWrap::Reset(const Napi::CallbackInfo& info) {
  stream_->reset();
  return info.Env().Undefined();
}

}  // namespace audiomill
