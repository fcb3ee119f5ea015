#include "raven_wrap.h"

#include <memory>
#include <string>
#include <vector>

#include "convert.h"
#include "features/raven.h"
#include "task.h"

namespace audiomill {

namespace {
// Per selection, in this order: the 12 measurements, then first/end sample, slices, first bin, bins.
constexpr int kRavenFields = 17;

void put(const RavenMeasurements& m, double* o) {
  const double v[kRavenFields] = {m.dur50_s, m.dur90_s, m.center_freq_hz, m.freq5_hz, m.freq25_hz, m.freq75_hz,
                                  m.freq95_hz, m.bw50_hz, m.bw90_hz, m.avg_entropy_bits, m.agg_entropy_bits,
                                  m.peak_freq_hz, static_cast<double>(m.first_sample), static_cast<double>(m.end_sample),
                                  static_cast<double>(m.slices), static_cast<double>(m.first_bin), static_cast<double>(m.bins)};
  for (int i = 0; i < kRavenFields; ++i) o[i] = v[i];
}
constexpr EnumName<RavenWindow> kRavenWindows[] = {
    {"hann", RavenWindow::Hann}, {"hamming", RavenWindow::Hamming}, {"blackman", RavenWindow::Blackman},
    {"rectangular", RavenWindow::Rectangular}};

}  // namespace

// ravenMeasurements({ x, sampleRate, boxes, winLength, nFft, hopLength, window, threads }, async):
// boxes holds [begin s, end s, low Hz, high Hz] per selection.
Napi::Value RavenMeasurementsJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const Napi::Object o = expect_object(info[0], "ravenMeasurements");
  Napi::Float32Array x = expect_f32(o.Get("x"), "x");
  const int rate = to_int(o.Get("sampleRate"), "sampleRate");
  const Napi::Value boxes_v = o.Get("boxes");
  if (!boxes_v.IsTypedArray() || boxes_v.As<Napi::TypedArray>().TypedArrayType() != napi_float64_array)
    throw_js(env, "INVALID_ARGUMENT", "Expected a Float64Array for boxes");
  Napi::Float64Array boxes = boxes_v.As<Napi::Float64Array>();
  if (boxes.ElementLength() % 4 != 0) throw_js(env, "INVALID_ARGUMENT", "boxes must hold 4 values per selection");
  RavenSpectrogramConfig cfg;
  cfg.window_size = get_int(o, "winLength", cfg.window_size);
  cfg.fft_size = get_int(o, "nFft", cfg.fft_size);
  cfg.hop = get_int(o, "hopLength", cfg.hop);
  cfg.window = get_enum(o, "window", kRavenWindows, cfg.window);
  const int threads = get_int(o, "threads", 0);
  const bool async = info[1].ToBoolean().Value();
  std::vector<Selection> sel(boxes.ElementLength() / 4);
  for (std::size_t i = 0; i < sel.size(); ++i) sel[i] = {boxes[4 * i], boxes[4 * i + 1], boxes[4 * i + 2], boxes[4 * i + 3]};
  auto result = std::make_shared<std::vector<RavenMeasurements>>();
  const float* data = x.Data();
  const std::int64_t n = static_cast<std::int64_t>(x.ElementLength());
  return run_task(
      env, async, "audiomill:raven",
      [=] { *result = raven_measurements(data, n, rate, sel, cfg, threads); },
      [result](Napi::Env e, const std::vector<Napi::Value>&) -> Napi::Value {
        Napi::Float64Array out = Napi::Float64Array::New(e, result->size() * kRavenFields);
        for (std::size_t i = 0; i < result->size(); ++i) put((*result)[i], out.Data() + i * kRavenFields);
        return out;
      },
      {x});
}

}  // namespace audiomill
