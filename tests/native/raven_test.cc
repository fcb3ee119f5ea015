// Raven-style selection measurements (features/raven.h): known answers on tones, tone
// bursts and noise, box geometry (clamping, bin inclusion), validation messages naming the
// selection, silence, and parallel == sequential.
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "check.h"
#include "features/raven.h"
#include "util/error.h"

using namespace audiomill;
using amtest::check;
using amtest::noise;

namespace {

constexpr double kPi = 3.14159265358979323846;

std::vector<float> tone(std::size_t n, double f, int sr, double amp = 0.5) {
  std::vector<float> x(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = static_cast<float>(amp * std::sin(2.0 * kPi * f * i / sr));
  return x;
}

RavenMeasurements one(const std::vector<float>& x, int sr, Selection s, RavenSpectrogramConfig cfg = {},
                      int threads = 1) {
  return raven_measurements(x.data(), static_cast<std::int64_t>(x.size()), sr, {s}, cfg, threads).at(0);
}

std::string error_of(const std::vector<float>& x, int sr, const std::vector<Selection>& sel,
                     RavenSpectrogramConfig cfg = {}) {
  try {
    raven_measurements(x.data(), static_cast<std::int64_t>(x.size()), sr, sel, cfg, 1);
  } catch (const CoreError& e) {
    return e.code() + ": " + e.what();
  }
  return "";
}

bool same(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }

bool same(const RavenMeasurements& a, const RavenMeasurements& b) {
  return same(a.dur50_s, b.dur50_s) && same(a.dur90_s, b.dur90_s) && same(a.center_freq_hz, b.center_freq_hz) &&
         same(a.freq5_hz, b.freq5_hz) && same(a.freq25_hz, b.freq25_hz) && same(a.freq75_hz, b.freq75_hz) &&
         same(a.freq95_hz, b.freq95_hz) && same(a.bw50_hz, b.bw50_hz) && same(a.bw90_hz, b.bw90_hz) &&
         same(a.avg_entropy_bits, b.avg_entropy_bits) && same(a.agg_entropy_bits, b.agg_entropy_bits) &&
         same(a.peak_freq_hz, b.peak_freq_hz) && a.slices == b.slices && a.bins == b.bins;
}

// Band-limited noise: white noise with FFT bins outside [f1, f2] zeroed (by direct DFT-free
// synthesis: a sum of random-phase sines on a fine grid inside the band).
std::vector<float> band_noise(std::size_t n, int sr, double f1, double f2, unsigned seed) {
  std::vector<float> x(n, 0.0f);
  const auto phases = noise(4096, seed);
  const int comps = 200;
  std::vector<double> acc(n, 0.0);
  for (int c = 0; c < comps; ++c) {
    const double f = f1 + (f2 - f1) * (c + 0.5) / comps;
    const double ph = kPi * phases[static_cast<std::size_t>(c)];
    for (std::size_t i = 0; i < n; ++i) acc[i] += std::sin(2.0 * kPi * f * i / sr + ph);
  }
  for (std::size_t i = 0; i < n; ++i) x[i] = static_cast<float>(acc[i] / comps);
  return x;
}

}  // namespace

TEST_SUITE(raven_tests) {
  const int sr = 22050;
  const RavenSpectrogramConfig cfg;  // Hann 512, hop 256
  const double df = static_cast<double>(sr) / cfg.fft_size;

  // Pure tone: every frequency measure at the tone, within a bin; aggregate entropy small.
  {
    const double f = 3000.0;
    const auto x = tone(static_cast<std::size_t>(sr), f, sr);
    const auto m = one(x, sr, {0.1, 0.9, 0.0, sr / 2.0});
    check(std::fabs(m.peak_freq_hz - f) <= df, "tone peak freq " + std::to_string(m.peak_freq_hz));
    check(std::fabs(m.center_freq_hz - f) <= df, "tone center freq " + std::to_string(m.center_freq_hz));
    check(std::fabs(m.freq5_hz - f) <= df && std::fabs(m.freq95_hz - f) <= df, "tone freq 5/95 within a bin");
    check(m.bw90_hz <= df + 1e-9, "tone BW 90% <= one bin");
    // A Hann main lobe spreads the tone over about 4 bins: entropy ~1.5 bits, far below log2(257).
    check(m.agg_entropy_bits < 2.0, "tone agg entropy small: " + std::to_string(m.agg_entropy_bits));
    check(m.avg_entropy_bits < 2.0, "tone avg entropy small: " + std::to_string(m.avg_entropy_bits));
    check(std::fabs(m.dur90_s - 0.9 * 0.8) <= 2.0 * cfg.hop / sr, "tone Dur 90% ~ 0.9 x length: " + std::to_string(m.dur90_s));
    check(m.first_sample == 2205 && m.end_sample == 19845, "tone box samples");
    check(m.slices == 1 + (17640 - 512 + 255) / 256, "tone slice count");
    // A bin-centred tone in a narrow box around it.
    const double fb = 40 * df;
    const auto y = tone(static_cast<std::size_t>(sr), fb, sr);
    const auto mb = one(y, sr, {0.0, 1.0, fb - 3 * df, fb + 3 * df});
    check(mb.peak_freq_hz == fb && mb.center_freq_hz == fb, "bin-centred tone exactly at its bin");
    check(mb.bins == 7 && mb.first_bin == 37, "box edges on bin centres are inclusive");
  }

  // Tone burst: Dur 90% / 50% of a constant-amplitude burst are 90 % / 50 % of its length.
  {
    const std::size_t n = static_cast<std::size_t>(2 * sr);
    std::vector<float> x(n, 0.0f);
    const auto t = tone(n, 1500.0, sr);
    const std::size_t b = static_cast<std::size_t>(0.5 * sr), e = static_cast<std::size_t>(1.3 * sr);
    for (std::size_t i = b; i < e; ++i) x[i] = t[i];
    const auto m = one(x, sr, {0.25, 1.75, 500.0, 5000.0});
    const double len = 0.8, slack = 2.0 * cfg.hop / sr;
    check(std::fabs(m.dur90_s - 0.9 * len) <= slack, "burst Dur 90% " + std::to_string(m.dur90_s));
    check(std::fabs(m.dur50_s - 0.5 * len) <= slack, "burst Dur 50% " + std::to_string(m.dur50_s));
    check(std::fmod(m.dur90_s * sr / cfg.hop + 1e-9, 1.0) < 1e-6, "durations are whole hops");
  }

  // White noise: aggregate entropy near log2(bins); per-slice entropy lower by about
  // (1 - Euler gamma) / ln 2 = 0.61 bits (exponentially distributed cell powers).
  {
    const auto x = noise(static_cast<std::size_t>(4 * sr), 7);
    const auto m = one(x, sr, {0.0, 4.0, 0.0, sr / 2.0});
    const double hmax = std::log2(static_cast<double>(m.bins));
    check(m.bins == cfg.fft_size / 2 + 1, "full band holds every bin");
    check(m.agg_entropy_bits > hmax - 0.05 && m.agg_entropy_bits <= hmax + 1e-9,
          "noise agg entropy " + std::to_string(m.agg_entropy_bits) + " vs " + std::to_string(hmax));
    check(std::fabs(m.avg_entropy_bits - (hmax - 0.61)) < 0.1, "noise avg entropy " + std::to_string(m.avg_entropy_bits));
    check(std::fabs(m.center_freq_hz - sr / 4.0) < 300.0, "noise center freq near sr/4");
    check(std::fabs(m.bw90_hz - 0.9 * sr / 2.0) < 400.0, "noise BW 90% ~ 0.9 x band");
    // A sub-box of the same noise: BW scales with the box.
    const auto s = one(x, sr, {0.0, 4.0, 2000.0, 6000.0});
    check(std::fabs(s.bw90_hz - 3600.0) < 250.0 && std::fabs(s.bw50_hz - 2000.0) < 250.0,
          "noise sub-box BW " + std::to_string(s.bw90_hz) + " / " + std::to_string(s.bw50_hz));
    check(s.freq5_hz >= 2000.0 && s.freq95_hz <= 6000.0, "percentiles stay inside the box");
  }

  // Band-limited noise 2-4 kHz measured in a wide box: BW 90% ~ 1.8 kHz, BW 50% ~ 1 kHz.
  {
    const auto x = band_noise(static_cast<std::size_t>(sr), sr, 2000.0, 4000.0, 11);
    const auto m = one(x, sr, {0.0, 1.0, 0.0, 10000.0});
    check(std::fabs(m.bw90_hz - 1800.0) < 3 * df, "band noise BW 90% " + std::to_string(m.bw90_hz));
    check(std::fabs(m.bw50_hz - 1000.0) < 3 * df, "band noise BW 50% " + std::to_string(m.bw50_hz));
    check(std::fabs(m.center_freq_hz - 3000.0) < 2 * df, "band noise center " + std::to_string(m.center_freq_hz));
    check(m.peak_freq_hz >= 2000.0 - df && m.peak_freq_hz <= 4000.0 + df, "band noise peak inside the band");
  }

  // Geometry: a box shorter than the window gives one slice and Dur 0; clamping at the end.
  {
    const auto x = noise(static_cast<std::size_t>(sr), 3);
    const auto m = one(x, sr, {0.5, 0.51, 100.0, 8000.0});
    check(m.slices == 1 && m.dur90_s == 0.0 && m.dur50_s == 0.0, "short box: one slice, zero durations");
    const auto c = one(x, sr, {0.9, 1.5, 100.0, 8000.0});
    check(c.end_sample == sr && c.first_sample == static_cast<std::int64_t>(std::llround(0.9 * sr)),
          "box past the end is clamped to the signal");
    const auto c2 = one(x, sr, {-0.5, 0.2, 100.0, 8000.0});
    check(c2.first_sample == 0, "box before the start is clamped to 0");
    // Narrower than a bin, between bin centres: the bin nearest to its centre.
    const auto nb = one(x, sr, {0.0, 1.0, 10.5 * df, 10.9 * df});
    check(nb.bins == 1 && nb.first_bin == 11 && nb.agg_entropy_bits == 0.0, "box between bins uses the nearest bin");
    // High exactly at Nyquist is allowed.
    const auto ny = one(x, sr, {0.0, 1.0, 0.0, sr / 2.0});
    check(ny.first_bin == 0 && ny.bins == 257, "Nyquist bin included");
  }

  // Silence: NaN everywhere, no throw.
  {
    const std::vector<float> z(static_cast<std::size_t>(sr), 0.0f);
    const auto m = one(z, sr, {0.1, 0.5, 0.0, 5000.0});
    check(std::isnan(m.center_freq_hz) && std::isnan(m.dur90_s) && std::isnan(m.avg_entropy_bits) &&
              std::isnan(m.peak_freq_hz),
          "silence gives NaN");
  }

  // Other window types and a zero-padded DFT still find the tone.
  {
    const auto x = tone(static_cast<std::size_t>(sr), 5000.0, sr);
    for (auto w : {RavenWindow::Hamming, RavenWindow::Blackman, RavenWindow::Rectangular}) {
      RavenSpectrogramConfig c;
      c.window = w;
      c.window_size = 300;
      c.fft_size = 1024;
      c.hop = 100;
      const auto m = one(x, sr, {0.0, 1.0, 1000.0, 9000.0}, c);
      check(std::fabs(m.peak_freq_hz - 5000.0) <= static_cast<double>(sr) / 1024,
            "window " + std::to_string(static_cast<int>(w)) + " peak " + std::to_string(m.peak_freq_hz));
    }
  }

  // Validation: the message names the selection index.
  {
    const auto x = noise(static_cast<std::size_t>(sr), 5);
    const Selection ok{0.1, 0.2, 100.0, 1000.0};
    auto e1 = error_of(x, sr, {ok, {0.5, 0.5, 100.0, 1000.0}});
    check(e1.rfind("INVALID_ARGUMENT: selection 1:", 0) == 0, "end == begin: " + e1);
    auto e2 = error_of(x, sr, {ok, ok, {0.1, 0.2, 1000.0, 1000.0}});
    check(e2.rfind("INVALID_ARGUMENT: selection 2:", 0) == 0, "low >= high: " + e2);
    auto e3 = error_of(x, sr, {{0.1, 0.2, 100.0, 12000.0}});
    check(e3.rfind("INVALID_ARGUMENT: selection 0:", 0) == 0 && e3.find("Nyquist") != std::string::npos,
          "high above Nyquist: " + e3);
    auto e4 = error_of(x, sr, {{1.5, 2.0, 100.0, 1000.0}});
    check(e4.find("selection 0") != std::string::npos && e4.find("outside") != std::string::npos,
          "entirely after the signal: " + e4);
    auto e5 = error_of(x, sr, {{-2.0, -1.0, 100.0, 1000.0}});
    check(e5.find("outside") != std::string::npos, "entirely before the signal: " + e5);
    auto e6 = error_of(x, sr, {{0.1, std::numeric_limits<double>::quiet_NaN(), 100.0, 1000.0}});
    check(e6.find("finite") != std::string::npos, "NaN end: " + e6);
    auto e7 = error_of(x, sr, {{0.1, 0.2, -5.0, 1000.0}});
    check(e7.find("selection 0") != std::string::npos, "negative low: " + e7);
    auto e8 = error_of(x, sr, {{0.1, 0.1 + 0.1 / sr, 100.0, 1000.0}});
    check(e8.find("no sample") != std::string::npos, "sub-sample box: " + e8);
    RavenSpectrogramConfig bad;
    bad.fft_size = 256;
    check(error_of(x, sr, {ok}, bad).find("fft_size") != std::string::npos, "fft_size < window_size rejected");
    bad = {};
    bad.hop = 0;
    check(error_of(x, sr, {ok}, bad).find("hop") != std::string::npos, "hop 0 rejected");
    check(error_of(x, 0, {ok}).find("sample_rate") != std::string::npos, "sample rate 0 rejected");
    check(raven_measurements(x.data(), static_cast<std::int64_t>(x.size()), sr, {}, cfg, 0).empty(),
          "no selections, no output");
  }

  // Parallel equals sequential, bit for bit, over many selections.
  {
    const auto x = noise(static_cast<std::size_t>(3 * sr), 9);
    std::vector<Selection> sel;
    for (int i = 0; i < 64; ++i) {
      const double b = 0.04 * i;
      sel.push_back({b, b + 0.05 + 0.01 * (i % 7), 100.0 * (i % 5), 2000.0 + 130.0 * i});
    }
    const auto a = raven_measurements(x.data(), static_cast<std::int64_t>(x.size()), sr, sel, cfg, 1);
    const auto p = raven_measurements(x.data(), static_cast<std::int64_t>(x.size()), sr, sel, cfg, 0);
    const auto q = raven_measurements(x.data(), static_cast<std::int64_t>(x.size()), sr, sel, cfg, 3);
    bool all = a.size() == sel.size() && p.size() == sel.size() && q.size() == sel.size();
    for (std::size_t i = 0; all && i < a.size(); ++i) all = same(a[i], p[i]) && same(a[i], q[i]);
    check(all, "parallel == sequential over 64 selections");
  }
}
