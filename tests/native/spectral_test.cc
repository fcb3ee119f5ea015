// Per-frame spectral features: edge inputs (empty, one sample, shorter than a
// frame, silence, DC, non-finite samples, center=false at the boundary),
// known answers, invalid configurations, block size and thread independence,
// and agreement with the per-clip means of acoustic_stats.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "check.h"
#include "features/acoustic_stats.h"
#include "features/spectral.h"
#include "util/error.h"

using namespace audiomill;
using amtest::check;

namespace {

struct Result {
  std::int64_t frames = 0, time_frames = 0;
  std::vector<float> centroid, bandwidth, rolloff, flatness, contrast, zcr, rms;
};

Result run(const SpectralConfig& cfg, const std::vector<float>& x, int threads = 1) {
  SpectralFeaturesPlan plan(cfg);
  const std::int64_t n = static_cast<std::int64_t>(x.size());
  Result r;
  r.frames = plan.num_frames(n);
  r.time_frames = plan.num_time_frames(n);
  const std::size_t T = static_cast<std::size_t>(r.frames), Tt = static_cast<std::size_t>(r.time_frames);
  // One spare float per array, checked afterwards: nothing writes past the frames.
  const float guard = -12345.0f;
  for (auto* v : {&r.centroid, &r.bandwidth, &r.rolloff, &r.flatness, &r.zcr, &r.rms}) v->assign(T + 1, guard);
  r.zcr.assign(Tt + 1, guard);
  r.rms.assign(Tt + 1, guard);
  r.contrast.assign(T * static_cast<std::size_t>(plan.contrast_rows()) + 1, guard);
  std::vector<float> ws(plan.workspace_floats(n) + 1);
  SpectralOutputs out;
  out.centroid = r.centroid.data();
  out.bandwidth = r.bandwidth.data();
  out.rolloff = r.rolloff.data();
  out.flatness = r.flatness.data();
  out.contrast = r.contrast.data();
  out.zcr = r.zcr.data();
  out.rms = r.rms.data();
  out.workspace = ws.data();
  plan.compute(x.empty() ? nullptr : x.data(), n, out, threads);
  bool intact = true;
  for (auto* v : {&r.centroid, &r.bandwidth, &r.rolloff, &r.flatness, &r.contrast, &r.zcr, &r.rms}) {
    intact = intact && v->back() == guard;
    v->pop_back();
  }
  check(intact, "no output is written past its frames");
  return r;
}

bool all_finite(const Result& r) {
  for (const auto* v : {&r.centroid, &r.bandwidth, &r.rolloff, &r.flatness, &r.contrast, &r.zcr, &r.rms})
    for (float f : *v)
      if (!std::isfinite(f)) return false;
  return true;
}

template <class F>
bool throws_code(F&& fn, const char* code) {
  try {
    fn();
  } catch (const CoreError& e) {
    return e.code() == code;
  }
  return false;
}

std::vector<float> sine(std::size_t n, double freq, double sr, double amp) {
  std::vector<float> x(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = static_cast<float>(amp * std::sin(2.0 * M_PI * freq * i / sr + 0.3));
  return x;
}

}  // namespace

TEST_SUITE(spectral_tests) {
  SpectralConfig d;
  d.sample_rate = 16000;

  {  // Empty input: no frames, nothing written.
    const Result r = run(d, {});
    check(r.frames == 0 && r.time_frames == 0 && r.centroid.empty() && r.contrast.empty(), "empty input has no frames");
  }
  {  // One sample: one frame, RMS over the zero-padded frame, no crossings.
    const Result r = run(d, {0.25f});
    check(r.frames == 1 && r.time_frames == 1, "one sample gives one frame");
    check(std::fabs(r.rms[0] - 0.25 / std::sqrt(2048.0)) < 1e-8, "rms of one sample in a 2048 frame");
    check(r.zcr[0] == 0.0f, "one sample has no crossings");
    check(all_finite(r), "one sample: every value finite");
  }
  {  // Shorter than a frame, and the frame-count rule 1 + n / hop.
    for (std::size_t n : {1u, 511u, 512u, 513u, 2047u, 2048u, 2049u, 5000u}) {
      const Result r = run(d, amtest::noise(n, 3));
      check(r.frames == 1 + static_cast<std::int64_t>(n) / 512 && r.time_frames == r.frames,
            "frames = 1 + n / hop for n = " + std::to_string(n));
      check(all_finite(r), "finite for n = " + std::to_string(n));
    }
  }
  {  // Silence: centroid, bandwidth, rolloff 0, flatness 1, contrast 0, zcr 0, rms 0.
    const Result r = run(d, std::vector<float>(4000, 0.0f));
    bool ok = true;
    for (std::size_t t = 0; t < r.centroid.size(); ++t)
      ok = ok && r.centroid[t] == 0.0f && r.bandwidth[t] == 0.0f && r.rolloff[t] == 0.0f && r.flatness[t] == 1.0f &&
           r.zcr[t] == 0.0f && r.rms[t] == 0.0f;
    for (float c : r.contrast) ok = ok && c == 0.0f;
    check(ok, "silence gives librosa's silent-frame values");
  }
  {  // Non-finite samples read as 0.
    std::vector<float> x = amtest::noise(3000, 5), y = x;
    x[0] = std::numeric_limits<float>::quiet_NaN();
    x[700] = std::numeric_limits<float>::infinity();
    x[2999] = -std::numeric_limits<float>::infinity();
    y[0] = y[700] = y[2999] = 0.0f;
    const Result a = run(d, x), b = run(d, y);
    check(a.centroid == b.centroid && a.contrast == b.contrast && a.zcr == b.zcr && a.rms == b.rms &&
              a.flatness == b.flatness,
          "NaN/Inf samples equal zeros");
    check(all_finite(a), "non-finite input gives finite output");
  }
  {  // Known answers: a 1 kHz sine has its centroid and rolloff near 1 kHz and zcr near 2 f / sr.
    const Result r = run(d, sine(16000, 1000.0, 16000.0, 0.5));
    const std::size_t mid = r.centroid.size() / 2;
    check(std::fabs(r.centroid[mid] - 1000.0f) < 5.0f, "sine centroid near 1 kHz");
    check(std::fabs(r.rolloff[mid] - 1000.0f) < 8.0f, "sine rolloff within a bin of 1 kHz");
    check(r.flatness[mid] < 1e-3f, "sine flatness near 0");
    check(std::fabs(r.zcr[mid] - 0.125f) < 2e-3f, "sine zcr near 2 f / sr");
    check(std::fabs(r.rms[mid] - 0.5f / std::sqrt(2.0f)) < 1e-3f, "sine rms = amplitude / sqrt 2");
  }
  {  // center = false: exactly one frame at n = n_fft, INPUT_TOO_SHORT below.
    SpectralConfig c = d;
    c.center = false;
    c.n_fft = 512;
    c.hop = 160;
    const Result r = run(c, amtest::noise(512, 9));
    check(r.frames == 1 && r.time_frames == 1, "center=false: one frame at n = n_fft");
    check(throws_code([&] { run(c, amtest::noise(511, 9)); }, "INPUT_TOO_SHORT"), "center=false: n < n_fft throws");
  }
  {  // Invalid configurations.
    SpectralConfig c = d;
    c.contrast_bands = 7;  // 200 * 2^6 = 12800 >= 8000 Hz
    check(throws_code([&] { SpectralFeaturesPlan p(c); }, "INVALID_ARGUMENT"), "contrast bands past Nyquist throw");
    c = d;
    c.n_fft = 32;  // 500 Hz bins: the 200-400 Hz band holds none
    check(throws_code([&] { SpectralFeaturesPlan p(c); }, "INVALID_ARGUMENT"), "an empty contrast band throws");
    c.features = kZeroCrossingRate | kRms;  // without contrast the bands do not matter
    check(run(c, amtest::noise(1100, 1)).zcr.size() == 3, "zcr and rms alone at n_fft 32");
    c = d;
    c.win_length = 4096;
    check(throws_code([&] { SpectralFeaturesPlan p(c); }, "INVALID_ARGUMENT"), "win_length > n_fft throws");
    SpectralFeaturesPlan p(d);
    float dummy = 0.0f;
    SpectralOutputs missing;
    missing.centroid = &dummy;
    check(throws_code([&] { p.compute(&dummy, 1, missing, 1); }, "INVALID_ARGUMENT"), "a missing output throws");
  }
  {  // Block size and thread count change nothing.
    const std::vector<float> x = amtest::noise(40000, 11);
    SpectralConfig small = d;
    small.block_frames = 3;
    const Result a = run(d, x, 1), b = run(d, x, 4), c = run(small, x, 2);
    check(a.centroid == b.centroid && a.contrast == b.contrast && a.rms == b.rms && a.zcr == b.zcr,
          "thread count independent");
    check(a.centroid == c.centroid && a.bandwidth == c.bandwidth && a.rolloff == c.rolloff &&
              a.flatness == c.flatness && a.contrast == c.contrast && a.zcr == c.zcr && a.rms == c.rms,
          "block size independent");
  }
  {  // Contrast (linear) against sorting each band of a whole power spectrogram, for small and large quantiles.
    const std::vector<float> x = amtest::noise(9000, 17);
    for (double quantile : {0.02, 0.3}) {
      SpectralConfig c = d;
      c.features = kSpectralContrast;
      c.contrast_linear = true;
      c.contrast_quantile = quantile;
      SpectralFeaturesPlan plan(c);
      const Result r = run(c, x);
      std::vector<float> padded(1024, 0.0f);
      padded.insert(padded.end(), x.begin(), x.end());
      padded.resize(padded.size() + 1024, 0.0f);
      const auto stft = spectral_detail::padded_stft_plan(2048, 512, 2048);
      const std::int64_t T = stft->num_frames(static_cast<std::int64_t>(padded.size()));
      std::vector<float> spec(static_cast<std::size_t>(stft->output_size(static_cast<std::int64_t>(padded.size()))));
      stft->compute(padded.data(), static_cast<std::int64_t>(padded.size()), spec.data(), 1);
      double worst = 0.0;
      for (std::size_t b = 0; b < plan.bands().size(); ++b) {
        const auto& bd = plan.bands()[b];
        for (std::int64_t t = 0; t < T; ++t) {
          std::vector<float> v;
          for (int k = bd.first; k < bd.first + bd.count; ++k) v.push_back(std::sqrt(spec[static_cast<std::size_t>(k * T + t)]));
          std::sort(v.begin(), v.end());
          double lo = 0.0, hi = 0.0;
          for (int j = 0; j < bd.quantile; ++j) {
            lo += v[static_cast<std::size_t>(j)];
            hi += v[v.size() - static_cast<std::size_t>(bd.quantile - j)];
          }
          const double want = (hi - lo) / bd.quantile;
          worst = std::max(worst, std::fabs(want - r.contrast[b * static_cast<std::size_t>(T) + static_cast<std::size_t>(t)]) /
                                      std::max(1e-6, std::fabs(want)));
        }
      }
      check(r.frames == T && worst < 1e-5, "linear contrast equals a sorted band mean, quantile " + std::to_string(quantile));
    }
  }
  {  // The acoustic statistics' spectral means are the means of these per-frame values.
    const std::vector<float> x = amtest::noise(20000, 13);
    const Result r = run(d, x);
    const AcousticStats s = compute_acoustic_stats(x.data(), static_cast<std::int64_t>(x.size()), 16000, {}, 1);
    auto mean = [](const std::vector<float>& v) {
      double a = 0.0;
      for (float f : v) a += f;
      return a / static_cast<double>(v.size());
    };
    check(std::fabs(mean(r.centroid) - s.spectral_centroid) < 1e-3 && std::fabs(mean(r.rolloff) - s.spectral_rolloff) < 1e-3 &&
              std::fabs(mean(r.flatness) - s.spectral_flatness) < 1e-6 && std::fabs(mean(r.zcr) - s.zero_crossing_rate) < 1e-7,
          "per-frame values average to the acoustic statistics");
  }
}
