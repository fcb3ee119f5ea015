#include "feature_plan_wrap.h"

#include <memory>
#include <string>
#include <vector>

#include "convert.h"
#include "features/pooling.h"
#include "pooling_wrap.h"
#include "util/thread_pool.h"
#include "features/db.h"
#include "task.h"

namespace audiomill {
namespace {

constexpr EnumName<FrameRule> kFrameRules[] = {{"torchCenter", FrameRule::TorchCenter},
                                               {"torchNoCenter", FrameRule::TorchNoCenter},
                                               {"kaldiSnip", FrameRule::KaldiSnip},
                                               {"kaldiNoSnip", FrameRule::KaldiNoSnip}};
constexpr EnumName<PadMode> kPadModes[] = {{"constant", PadMode::Constant}, {"reflect", PadMode::Reflect},
                                           {"replicate", PadMode::Replicate}, {"circular", PadMode::Circular},
                                           {"symmetric", PadMode::Symmetric}};
constexpr EnumName<EnergyPoint> kEnergyPoints[] = {
    {"none", EnergyPoint::None}, {"raw", EnergyPoint::Raw}, {"windowed", EnergyPoint::Windowed}};
constexpr EnumName<EnergyColumn> kEnergyColumns[] = {
    {"none", EnergyColumn::None}, {"prepend", EnergyColumn::Prepend}, {"replaceFirst", EnergyColumn::ReplaceFirst}};

// Every absent field keeps FeatureConfig's own default.
FeatureConfig parse_config(const Napi::Object& o) {
  FeatureConfig c;
  c.frame_rule = get_enum(o, "frameRule", kFrameRules, c.frame_rule);
  c.frame_length = get_int(o, "frameLength", c.frame_length);
  c.fft_size = get_int(o, "nFft", c.frame_length);
  c.hop = get_int(o, "hopLength", c.hop);
  c.zero_pad = get_int(o, "zeroPad", c.zero_pad);
  c.pad_mode = get_enum(o, "padMode", kPadModes, c.pad_mode);
  c.left_pad = get_int(o, "leftPad", c.left_pad);
  c.drop_last = get_int(o, "dropLast", c.drop_last);
  c.win_offset = get_int(o, "winOffset", c.win_offset);
  c.window = f32_vector(o.Get("window"), "window");
  c.remove_dc = get_bool(o, "removeDc", c.remove_dc);
  c.preemphasis = get_float(o, "preemphasis", c.preemphasis);
  c.energy = get_enum(o, "energy", kEnergyPoints, c.energy);
  c.log_energy_floor = get_float(o, "logEnergyFloor", c.log_energy_floor);
  c.complex_out = get_bool(o, "complex", c.complex_out);
  c.power = get_float(o, "power", c.power);
  c.onesided = get_bool(o, "onesided", c.onesided);
  c.n_mels = get_int(o, "nMels", c.n_mels);
  c.fbank = f32_vector(o.Get("fbank"), "fbank");
  c.log = get_bool(o, "log", c.log);
  c.log_scale = get_float(o, "logScale", c.log_scale);
  c.log_add = get_float(o, "logAdd", c.log_add);
  c.log_floor = get_float(o, "logFloor", c.log_floor);
  c.log_offset = get_float(o, "logOffset", c.log_offset);
  c.top_db = get_float(o, "topDb", c.top_db);
  c.post_scale = get_float(o, "postScale", c.post_scale);
  c.post_offset = get_float(o, "postOffset", c.post_offset);
  c.n_out = get_int(o, "nOut", c.n_out);
  c.dct = f32_vector(o.Get("dct"), "dct");
  c.energy_mode = get_enum(o, "energyColumn", kEnergyColumns, c.energy_mode);
  c.move_first_last = get_bool(o, "moveFirstLast", c.move_first_last);
  c.moved_scale = get_float(o, "movedScale", c.moved_scale);
  c.subtract_mean = get_bool(o, "subtractMean", c.subtract_mean);
  c.frames_first = get_bool(o, "framesFirst", c.frames_first);
  return c;
}

// One clip of a computation: its input, and either the caller's output array or
// floats the addon allocates (on the thread that computes) and hands to JS after.
struct Slot {
  const float* input = nullptr;
  std::int64_t length = 0;
  std::size_t out_size = 0;
  float* out = nullptr;  // the caller's array, or owned.get() once allocated
  FloatBuffer owned;
};

Slot make_slot(const FeaturePlan& plan, const Napi::Float32Array& input, Napi::Float32Array* out) {
  Slot slot;
  slot.input = input.Data();
  slot.length = static_cast<std::int64_t>(input.ElementLength());
  slot.out_size = static_cast<std::size_t>(plan.output_size(slot.length));
  if (out != nullptr) {
    if (out->ElementLength() != slot.out_size)
      throw_js(input.Env(), "INVALID_ARGUMENT", "out must have exactly " + std::to_string(slot.out_size) + " elements");
    slot.out = out->Data();
  }
  return slot;
}

// Allocates the outputs the caller did not give, then computes every slot.
void run_slots(const FeaturePlan& plan, std::vector<Slot>& slots, int threads) {
  std::vector<const float*> inputs;
  std::vector<std::int64_t> lengths;
  std::vector<float*> outputs;
  for (Slot& s : slots) {
    if (s.out == nullptr) {
      s.owned = alloc_floats(s.out_size);
      s.out = s.owned.get();
    }
    inputs.push_back(s.input);
    lengths.push_back(s.length);
    outputs.push_back(s.out);
  }
  compute_batch(plan, inputs, lengths, outputs, threads);
}

// The JS value of a computed slot: the caller's array or the adopted native floats.
Napi::Value slot_value(Napi::Env env, Slot& slot, const Napi::Value& given) {
  if (slot.owned == nullptr) return given;
  return adopt_floats(env, std::move(slot.owned), slot.out_size);
}

}  // namespace

Napi::Function FeaturePlanWrap::Define(Napi::Env env) {
  return DefineClass(env, "FeaturePlan",
                     {InstanceMethod("numFrames", &FeaturePlanWrap::NumFrames),
                      InstanceMethod("outputShape", &FeaturePlanWrap::OutputShape),
                      InstanceMethod("compute", &FeaturePlanWrap::Compute),
                      InstanceMethod("computeBatch", &FeaturePlanWrap::ComputeBatch),
                      InstanceMethod("computePooled", &FeaturePlanWrap::ComputePooled)});
}

const napi_type_tag FeaturePlanWrap::kTypeTag = {0x6175646d696c6c01ULL, 0x6665617470616e0bULL};

FeaturePlanWrap::FeaturePlanWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<FeaturePlanWrap>(info) {
  Napi::Env env = info.Env();
  Value().TypeTag(&kTypeTag);
  if (info.Length() < 1 || !info[0].IsObject()) throw_js(env, "INVALID_ARGUMENT", "Expected a config object");
  Napi::Object cfg = info[0].As<Napi::Object>();
  plan_ = guarded(env, [&] { return std::make_shared<const FeaturePlan>(parse_config(cfg)); });
}

namespace {
std::int64_t length_arg(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsNumber()) throw_js(info.Env(), "INVALID_ARGUMENT", "Expected a length");
  const double d = info[0].As<Napi::Number>().DoubleValue();
  if (!(d >= 0) || d > 9.0e15) throw_js(info.Env(), "INVALID_ARGUMENT", "Expected a non-negative length");
  return static_cast<std::int64_t>(d);
}
}  // namespace

Napi::Value FeaturePlanWrap::NumFrames(const Napi::CallbackInfo& info) {
  const std::int64_t len = length_arg(info);
  return guarded(info.Env(), [&] { return Napi::Number::New(info.Env(), static_cast<double>(plan_->num_frames(len))); });
}

Napi::Value FeaturePlanWrap::OutputShape(const Napi::CallbackInfo& info) {
  const std::int64_t len = length_arg(info);
  return guarded(info.Env(), [&] { return shape_array(info.Env(), plan_->output_shape(len)); });
}

// compute(input, { threads?, out? }, async): one clip, into `out` (the output's exact length) or a new array.
Napi::Value FeaturePlanWrap::Compute(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Float32Array input = expect_f32(info[0], "input");
  const Napi::Object o = expect_object(info[1], "compute");
  const int threads = get_int(o, "threads", 0);
  const bool async = info[2].ToBoolean().Value();
  Napi::Float32Array out;
  const Napi::Value out_value = o.Get("out");
  if (!out_value.IsUndefined() && !out_value.IsNull()) out = expect_f32(out_value, "out");
  auto slots = std::make_shared<std::vector<Slot>>();
  guarded(env, [&] { slots->push_back(make_slot(*plan_, input, out.IsEmpty() ? nullptr : &out)); });
  std::shared_ptr<const FeaturePlan> plan = plan_;
  Napi::Value given = out.IsEmpty() ? env.Undefined() : Napi::Value(out);
  return run_task(
      env, async, "audiomill:features", [plan, slots, threads] { run_slots(*plan, *slots, threads); },
      [slots](Napi::Env e, const std::vector<Napi::Value>& kept) { return slot_value(e, (*slots)[0], kept[1]); },
      {input, given});
}

// computeBatch(inputs, { threads? }, async): many clips, one output array each.
Napi::Value FeaturePlanWrap::ComputeBatch(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsArray()) throw_js(env, "INVALID_ARGUMENT", "Expected an array of Float32Array");
  Napi::Array arr = info[0].As<Napi::Array>();
  const int threads = threads_of(info[1]);
  const bool async = info[2].ToBoolean().Value();
  // Each input's length is read once, here: outputs are sized from it and the
  // native code never reads past it, even if a getter resized an input later.
  auto slots = std::make_shared<std::vector<Slot>>();
  std::vector<Napi::Value> keep;
  for (uint32_t i = 0; i < arr.Length(); ++i) {
    Napi::Float32Array input = expect_f32(arr.Get(i), "inputs[i]");
    guarded(env, [&] { slots->push_back(make_slot(*plan_, input, nullptr)); });
    keep.push_back(input);
  }
  std::shared_ptr<const FeaturePlan> plan = plan_;
  return run_task(
      env, async, "audiomill:features", [plan, slots, threads] { run_slots(*plan, *slots, threads); },
      [slots](Napi::Env e, const std::vector<Napi::Value>&) -> Napi::Value {
        Napi::Array result = Napi::Array::New(e, slots->size());
        for (std::size_t i = 0; i < slots->size(); ++i)
          result.Set(static_cast<uint32_t>(i), slot_value(e, (*slots)[i], e.Undefined()));
        return result;
      },
      keep);
}

// computePooled(inputs, { threads?, mode, ddof, frame, l2 }, async) -> Float32Array of one pooled row per clip (or
// its Promise): each clip's features computed into native scratch and pooled over its frames (compute_pooled,
// features/pooling.h), so only the pooled vectors reach JS. Equals computeBatch then poolFrames bit for bit.
// Two-dimensional outputs only.
Napi::Value FeaturePlanWrap::ComputePooled(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  F32List in = expect_f32_list(info[0], "inputs");
  const Napi::Object o = expect_object(info[1], "computePooled");
  const int threads = get_int(o, "threads", 0);
  const PoolOptions p = pool_options(o);
  const bool async = info[2].ToBoolean().Value();
  if (plan_->config().complex_out) throw_js(env, "INVALID_ARGUMENT", "pooling needs a two-dimensional output");
  // A length the plan refuses (shorter than a Kaldi window) is an error now, before the task.
  for (const F32View& v : in.views) guarded(env, [&] { plan_->num_frames(v.n); });
  auto clips = std::make_shared<const std::vector<F32View>>(std::move(in.views));
  const std::size_t width = static_cast<std::size_t>(pooled_size(p.mode, plan_->num_features()));
  auto out = std::make_shared<FloatBuffer>(alloc_floats(std::max<std::size_t>(1, clips->size() * width)));
  std::shared_ptr<const FeaturePlan> plan = plan_;
  return run_task(
      env, async, "audiomill:features-pooled",
      [=] {
        for_each_item(clips->size(), threads, [&](std::size_t i, int inner) {
          compute_pooled(*plan, (*clips)[i].x, (*clips)[i].n, p, out->get() + i * width, inner);
        });
      },
      [=](Napi::Env e, const std::vector<Napi::Value>&) -> Napi::Value { return adopt_floats(e, std::move(*out), clips->size() * width); },
      in.keep);
}

// amplitudeToDB({ input, out?, stype: 'power' | 'magnitude', amin, ref, topDb?, groups, threads }, async)
Napi::Value AmplitudeToDBJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  static constexpr EnumName<DbScale> kScales[] = {{"power", DbScale::Power}, {"magnitude", DbScale::Magnitude}};
  const Napi::Object o = expect_object(info[0], "amplitudeToDB");
  Napi::Float32Array input = expect_f32(o.Get("input"), "input");
  DbOptions options;
  if (o.Get("stype").IsUndefined()) throw_js(env, "INVALID_ARGUMENT", "Expected 'power' or 'magnitude' for stype");
  options.scale = get_enum(o, "stype", kScales, DbScale::Power);
  options.amin = get_double(o, "amin", options.amin);
  options.ref = get_double(o, "ref", options.ref);
  const Napi::Value top = o.Get("topDb");
  if (!top.IsUndefined() && !top.IsNull()) {
    options.top_db = get_double(o, "topDb", -1);
    if (!(options.top_db >= 0)) throw_js(env, "INVALID_ARGUMENT", "topDb must be a non-negative number or null");
  }
  const double groups = get_double(o, "groups", 1);
  if (!(groups >= 1) || groups > 9.0e15 || groups != static_cast<double>(static_cast<std::int64_t>(groups)))
    throw_js(env, "INVALID_ARGUMENT", "groups must be a positive integer");
  options.groups = static_cast<std::int64_t>(groups);
  const int threads = get_int(o, "threads", 0);
  const bool async = info[1].ToBoolean().Value();
  auto slot = std::make_shared<Slot>();
  slot->input = input.Data();
  slot->out_size = input.ElementLength();
  Napi::Value given = env.Undefined();
  const Napi::Value out_value = o.Get("out");
  if (!out_value.IsUndefined() && !out_value.IsNull()) {
    Napi::Float32Array out = expect_f32(out_value, "out");
    if (out.ElementLength() != slot->out_size)
      throw_js(env, "INVALID_ARGUMENT", "out must have exactly " + std::to_string(slot->out_size) + " elements");
    // The same array as the input converts in place; any other overlap would read converted values.
    const float* a = input.Data();
    float* b = out.Data();
    if (b != a && b < a + slot->out_size && a < b + slot->out_size) throw_js(env, "INVALID_ARGUMENT", "out overlaps the input");
    slot->out = b;
    given = out;
  }
  guarded(env, [&] { db_log_params(options); });  // bad options fail before any work is queued
  return run_task(
      env, async, "audiomill:amplitudeToDB",
      [slot, options, threads] {
        if (slot->out == nullptr) {
          slot->owned = alloc_floats(slot->out_size);
          slot->out = slot->owned.get();
        }
        amplitude_to_db(slot->input, slot->out_size, slot->out, options, threads);
      },
      [slot](Napi::Env e, const std::vector<Napi::Value>& kept) { return slot_value(e, *slot, kept[1]); }, {input, given});
}

}  // namespace audiomill
