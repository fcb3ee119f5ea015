// Acoustic statistics: known answers on synthetic signals, edge inputs, and
// the block-streamed computation against a direct one (full spectrogram).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "check.h"
#include "dsp/feature_plan.h"
#include "features/acoustic_stats.h"
#include "util/simd.h"

using namespace audiomill;
using amtest::check;

namespace {

bool near(double a, double b, double tol) { return std::fabs(a - b) <= tol; }
bool rel_near(double a, double b, double rtol, double atol = 0.0) {
  return std::fabs(a - b) <= atol + rtol * std::max(std::fabs(a), std::fabs(b));
}

std::string fmt(const char* what, double got) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "%s (got %.9g)", what, got);
  return buf;
}

std::vector<float> sine(std::size_t n, double freq, double sr, double amp, double phase = 0.3) {
  std::vector<float> x(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = static_cast<float>(amp * std::sin(2.0 * M_PI * freq * i / sr + phase));
  return x;
}

AcousticStats stats(const std::vector<float>& x, int sr = 16000, AcousticStatsConfig cfg = {}, int threads = 1) {
  return compute_acoustic_stats(x.data(), static_cast<std::int64_t>(x.size()), sr, cfg, threads);
}

// Every field equal within rtol (atol for values near zero).
bool same(const AcousticStats& a, const AcousticStats& b, double rtol, double atol = 1e-12) {
  const double va[] = {a.duration, a.rms_db, a.rms_ac_db, a.peak_db, a.crest_factor_db, a.dc_offset, a.clip_ratio,
                       a.silence_ratio, a.zero_crossing_rate, a.snr_db, a.energy_variance, a.spectral_centroid,
                       a.spectral_bandwidth, a.spectral_rolloff, a.spectral_flatness};
  const double vb[] = {b.duration, b.rms_db, b.rms_ac_db, b.peak_db, b.crest_factor_db, b.dc_offset, b.clip_ratio,
                       b.silence_ratio, b.zero_crossing_rate, b.snr_db, b.energy_variance, b.spectral_centroid,
                       b.spectral_bandwidth, b.spectral_rolloff, b.spectral_flatness};
  bool ok = a.frames == b.frames && a.non_finite == b.non_finite;
  for (std::size_t i = 0; i < sizeof va / sizeof va[0]; ++i) {
    if (!rel_near(va[i], vb[i], rtol, atol)) {
      std::printf("  field %zu: %.12g vs %.12g\n", i, va[i], vb[i]);
      ok = false;
    }
  }
  return ok;
}

// Direct computation from a full librosa-style power spectrogram (FeaturePlan,
// centre + constant padding) and plain loops, for comparison with the blocks.
AcousticStats direct(const std::vector<float>& x, int sr) {
  const int nfft = 2048, hop = 512, bins = nfft / 2 + 1;
  const std::int64_t n = static_cast<std::int64_t>(x.size());
  FeatureConfig fc;
  fc.frame_rule = FrameRule::TorchCenter;
  fc.frame_length = fc.fft_size = nfft;
  fc.hop = hop;
  fc.pad_mode = PadMode::Constant;
  fc.left_pad = nfft / 2;
  fc.power = 2.0f;
  fc.window.resize(nfft);
  for (int i = 0; i < nfft; ++i) fc.window[i] = static_cast<float>(0.5 - 0.5 * std::cos(2.0 * M_PI * i / nfft));
  FeaturePlan plan(fc);
  const std::int64_t T = plan.num_frames(n);
  std::vector<float> spec(static_cast<std::size_t>(plan.output_size(n)));
  plan.compute(x.data(), n, spec.data(), 1);
  AcousticStats r;
  r.frames = T;
  r.duration = static_cast<double>(n) / sr;
  double s = 0, s2 = 0, pk = 0;
  std::int64_t clip = 0;
  for (float v : x) {
    s += v;
    s2 += static_cast<double>(v) * v;
    pk = std::max(pk, static_cast<double>(std::fabs(v)));
    clip += std::fabs(v) >= 0.999f;
  }
  r.dc_offset = s / n;
  r.rms_db = 20 * std::log10(std::max(std::sqrt(s2 / n), 1e-10));
  double ac = 0;  // two passes: the variance about the mean
  for (float v : x) ac += (v - r.dc_offset) * (v - r.dc_offset);
  r.rms_ac_db = 20 * std::log10(std::max(std::sqrt(ac / n), 1e-10));
  r.peak_db = 20 * std::log10(std::max(pk, 1e-10));
  r.crest_factor_db = r.peak_db - r.rms_db;
  r.clip_ratio = static_cast<double>(clip) / n;
  std::vector<double> fp(T), db(T);
  double zcr = 0, cen = 0, bw = 0, ro = 0, fl = 0;
  auto padded0 = [&](std::int64_t j) { return (j < 0 || j >= n) ? 0.0f : x[j]; };
  auto edge = [&](std::int64_t j) { return x[std::min(std::max<std::int64_t>(j, 0), n - 1)]; };
  for (std::int64_t t = 0; t < T; ++t) {
    const std::int64_t st = t * hop - nfft / 2;
    double e = 0;
    int cr = 0;
    for (int m = 0; m < nfft; ++m) {
      const double v = padded0(st + m);
      e += v * v;
      if (m > 0) cr += (edge(st + m) < -1e-10f) != (edge(st + m - 1) < -1e-10f);
    }
    fp[t] = e / nfft;
    zcr += static_cast<double>(cr) / nfft;
    double ss = 0, sk = 0, sp = 0, slog = 0;
    for (int k = 0; k < bins; ++k) {
      const double p = spec[static_cast<std::size_t>(k) * T + t];
      ss += std::sqrt(p);
      sk += k * std::sqrt(p);
      sp += std::max(p, 1e-10);
      slog += std::log(std::max(p, 1e-10));
    }
    const double c = ss > 0 ? sk / ss : 0;
    double dev = 0, cum = 0;
    int kr = -1;
    for (int k = 0; k < bins; ++k) {
      const double m = std::sqrt(static_cast<double>(spec[static_cast<std::size_t>(k) * T + t]));
      dev += m * (k - c) * (k - c);
      cum += m;
      if (kr < 0 && cum >= 0.85 * ss) kr = k;
    }
    cen += c * sr / nfft;
    bw += (ss > 0 ? std::sqrt(dev / ss) : 0) * sr / nfft;
    ro += kr * static_cast<double>(sr) / nfft;
    fl += std::exp(slog / bins) / (sp / bins);
  }
  r.zero_crossing_rate = zcr / T;
  r.spectral_centroid = cen / T;
  r.spectral_bandwidth = bw / T;
  r.spectral_rolloff = ro / T;
  r.spectral_flatness = fl / T;
  std::int64_t silent = 0;
  double mean = 0;
  for (std::int64_t t = 0; t < T; ++t) {
    const double l = 20 * std::log10(std::max(std::sqrt(fp[t]), 1e-10));
    silent += l < -60;
    db[t] = std::max(l, -100.0);
    mean += db[t];
  }
  mean /= T;
  double var = 0;
  for (double v : db) var += (v - mean) * (v - mean);
  r.silence_ratio = static_cast<double>(silent) / T;
  r.energy_variance = var / T;
  std::vector<double> so = fp;
  std::sort(so.begin(), so.end());
  const std::int64_t k = std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(0.1 * T - 1e-9)));
  double lo = 0, hi = 0;
  for (std::int64_t i = 0; i < k; ++i) {
    lo += so[i];
    hi += so[T - k + i];
  }
  r.snr_db = 10 * std::log10(std::max(hi / k, 1e-20) / std::max(lo / k, 1e-20));
  return r;
}

}  // namespace

TEST_SUITE(acoustic_stats_tests) {
  const int sr = 16000;
  const std::size_t n5 = 5 * sr;

  // Full-scale sine: RMS -3.01 dB, crest 3.01 dB, narrow spectrum at the tone.
  {
    const auto x = sine(n5, 440.0, sr, 1.0);
    const AcousticStats s = stats(x, sr);
    check(s.frames == 1 + static_cast<std::int64_t>(n5) / 512, "sine: frame count 1 + n/hop");
    check(near(s.duration, 5.0, 1e-12), "sine: duration");
    check(near(s.rms_db, -3.0103, 2e-3), fmt("sine: rms_db -3.01", s.rms_db));
    check(near(s.peak_db, 0.0, 2e-3), fmt("sine: peak_db 0", s.peak_db));
    check(near(s.crest_factor_db, 3.0103, 4e-3), fmt("sine: crest 3.01", s.crest_factor_db));
    check(near(s.dc_offset, 0.0, 1e-4), fmt("sine: dc 0", s.dc_offset));
    check(s.clip_ratio > 0.0 && s.clip_ratio < 0.05, fmt("sine: a few samples at full scale", s.clip_ratio));
    check(s.silence_ratio == 0.0, "sine: no silent frames");
    check(near(s.zero_crossing_rate, 2 * 440.0 / sr, 2e-3), fmt("sine: zcr 2f/sr", s.zero_crossing_rate));
    check(near(s.spectral_centroid, 440.0, 15.0), fmt("sine: centroid 440 Hz", s.spectral_centroid));
    check(near(s.spectral_rolloff, 440.0, 20.0), fmt("sine: rolloff at the tone", s.spectral_rolloff));
    check(s.spectral_bandwidth < 150.0, fmt("sine: narrow bandwidth", s.spectral_bandwidth));
    check(s.spectral_flatness < 1e-2, fmt("sine: flatness near 0", s.spectral_flatness));
    check(near(s.snr_db, 0.0, 0.5), fmt("sine: steady signal has ~0 dB percentile SNR", s.snr_db));
    check(s.energy_variance < 1.0, fmt("sine: steady level", s.energy_variance));
    const AcousticStats h = stats(sine(n5, 440.0, sr, 0.5), sr);
    check(near(h.rms_db - s.rms_db, -6.0206, 1e-3), "sine: half amplitude is 6.02 dB down");
    check(h.clip_ratio == 0.0, "sine: half amplitude never clips");
    check(near(h.spectral_centroid, s.spectral_centroid, 1e-3), "sine: centroid independent of level");
  }

  // DC: offset, level, no crossings, crest 0.
  {
    const std::vector<float> x(n5, 0.5f);
    const AcousticStats s = stats(x, sr);
    check(near(s.dc_offset, 0.5, 1e-9), "dc: offset 0.5");
    check(near(s.rms_db, -6.0206, 1e-3), fmt("dc: rms_db", s.rms_db));
    check(near(s.crest_factor_db, 0.0, 1e-9), "dc: crest 0");
    check(s.rms_ac_db == -200.0, fmt("dc: no AC level (exactly 0, at the amin floor)", s.rms_ac_db));
    // DC under a sine: rms_db counts the offset, rms_ac_db is the sine's level alone.
    auto y = sine(n5, 300.0, sr, 0.05);
    for (float& v : y) v += 0.356f;
    const AcousticStats d = stats(y, sr);
    double mean = 0, var = 0;
    for (float v : y) mean += v;
    mean /= static_cast<double>(y.size());
    for (float v : y) var += (v - mean) * (v - mean);
    const double want = 20 * std::log10(std::sqrt(var / static_cast<double>(y.size())));
    check(near(d.rms_ac_db, want, 1e-9), fmt("dc + sine: rms_ac_db is the level about the mean", d.rms_ac_db));
    check(near(d.rms_ac_db, 20 * std::log10(0.05 / std::sqrt(2.0)), 1e-3) && d.rms_db > d.rms_ac_db + 15, "dc + sine: AC level of the sine");
    check(s.zero_crossing_rate == 0.0, "dc: zcr 0");
    check(s.clip_ratio == 0.0, "dc: no clipping");
    check(s.spectral_centroid < 50.0, fmt("dc: centroid near 0 Hz", s.spectral_centroid));
    const std::vector<float> neg(n5, -0.5f);
    check(stats(neg, sr).zero_crossing_rate == 0.0, "dc: negative DC has no crossings either");
  }

  // Clipped square wave and hard-clipped sine.
  {
    std::vector<float> sq(n5);
    for (std::size_t i = 0; i < n5; ++i) sq[i] = ((i / 20) % 2) ? 1.0f : -1.0f;
    const AcousticStats s = stats(sq, sr);
    check(s.clip_ratio == 1.0, "square: every sample clipped");
    check(near(s.rms_db, 0.0, 1e-9) && near(s.crest_factor_db, 0.0, 1e-9), "square: 0 dB rms, crest 0");
    check(near(s.zero_crossing_rate, 1.0 / 20, 2e-3), fmt("square: zcr 1/20", s.zero_crossing_rate));
    auto c = sine(n5, 440.0, sr, 2.0);
    std::int64_t expect = 0;
    for (auto& v : c) {
      v = std::max(-1.0f, std::min(1.0f, v));
      expect += std::fabs(v) >= 0.999f;
    }
    const AcousticStats cs = stats(c, sr);
    check(near(cs.clip_ratio, static_cast<double>(expect) / n5, 1e-12), "clipped sine: clip ratio counts |x| >= 0.999");
    check(near(cs.clip_ratio, 1.0 - 2.0 / M_PI * std::asin(0.4995), 0.01), fmt("clipped sine: ~2/3", cs.clip_ratio));
    AcousticStatsConfig cfg;
    cfg.clip_threshold = 1.5;
    check(stats(c, sr, cfg).clip_ratio == 0.0, "clip threshold is configurable");
  }

  // Silence and empty input.
  {
    const std::vector<float> z(n5, 0.0f);
    const AcousticStats s = stats(z, sr);
    check(s.rms_db == -200.0 && s.peak_db == -200.0 && s.crest_factor_db == 0.0, "silence: levels at the amin floor");
    check(s.silence_ratio == 1.0, "silence: all frames silent");
    check(s.snr_db == 0.0, "silence: snr 0");
    check(s.energy_variance == 0.0, "silence: no variance");
    check(s.zero_crossing_rate == 0.0, "silence: zcr 0");
    check(s.spectral_centroid == 0.0 && s.spectral_bandwidth == 0.0 && s.spectral_rolloff == 0.0,
          "silence: centroid, bandwidth, rolloff 0 (librosa)");
    check(near(s.spectral_flatness, 1.0, 1e-12), fmt("silence: flatness 1 (librosa)", s.spectral_flatness));
    const AcousticStats e = compute_acoustic_stats(nullptr, 0, sr, {}, 1);
    check(e.frames == 0 && e.duration == 0.0, "empty: no frames");
    check(e.rms_db == -200.0 && e.silence_ratio == 1.0 && near(e.spectral_flatness, 1.0, 1e-12) && e.snr_db == 0.0,
          "empty: reads as silence");
  }

  // Very short inputs (< one frame) give finite, documented results.
  {
    for (std::size_t n : {1u, 2u, 100u, 511u, 512u, 2047u, 2048u, 2049u}) {
      const auto x = sine(n, 1000.0, sr, 0.8);
      const AcousticStats s = stats(x, sr);
      const bool finite = std::isfinite(s.rms_db) && std::isfinite(s.snr_db) && std::isfinite(s.spectral_centroid) &&
                          std::isfinite(s.spectral_flatness) && std::isfinite(s.energy_variance);
      check(s.frames == 1 + static_cast<std::int64_t>(n) / 512 && finite, "short input n=" + std::to_string(n));
      check(same(s, direct(x, sr), 1e-6, 1e-9), "short input matches direct n=" + std::to_string(n));
    }
  }

  // Half silent: noise then digital silence.
  {
    auto x = amtest::noise(2 * n5, 7);
    std::fill(x.begin() + n5, x.end(), 0.0f);
    const AcousticStats s = stats(x, sr);
    check(near(s.silence_ratio, 0.5, 3.0 / s.frames), fmt("half silent: silence_ratio ~0.5", s.silence_ratio));
    check(s.snr_db > 100.0, fmt("half silent: noise floor at amin gives a large snr", s.snr_db));
    check(near(s.energy_variance, 0.25 * (100.0 - 4.77) * (100.0 - 4.77), 150.0),
          fmt("half silent: variance of two levels (floored at -100 dB)", s.energy_variance));
    AcousticStatsConfig cfg;
    cfg.silence_threshold_db = -300.0;
    check(stats(x, sr, cfg).silence_ratio == 0.0, "silence threshold is configurable");
  }

  // White (uniform) noise: flat spectrum. A periodogram's bins are ~exponential,
  // so the per-frame flatness of white noise is exp(-gamma) ~ 0.56, not 1.
  {
    const auto x = amtest::noise(n5, 3);
    const AcousticStats s = stats(x, sr);
    check(near(s.rms_db, 20 * std::log10(1 / std::sqrt(3.0)), 0.05), fmt("noise: rms of U(-1,1)", s.rms_db));
    check(near(s.spectral_flatness, std::exp(-0.5772156649), 0.04), fmt("noise: flatness ~0.56", s.spectral_flatness));
    check(near(s.spectral_centroid, sr / 4.0, 100.0), fmt("noise: centroid sr/4", s.spectral_centroid));
    check(near(s.spectral_rolloff, 0.85 * sr / 2, 150.0), fmt("noise: rolloff 0.85 sr/2", s.spectral_rolloff));
    check(near(s.spectral_bandwidth, sr / 2 / std::sqrt(12.0), 100.0), fmt("noise: bandwidth sr/2/sqrt(12)", s.spectral_bandwidth));
    check(near(s.zero_crossing_rate, 0.5, 0.02), fmt("noise: zcr ~0.5", s.zero_crossing_rate));
    check(s.spectral_flatness > 50 * stats(sine(n5, 440.0, sr, 1.0), sr).spectral_flatness, "noise flatter than sine");
  }

  // Streaming: block sizes and thread counts against each other and a direct computation.
  {
    auto x = amtest::noise(n5 + 333, 11);
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = 0.3f * x[i] * static_cast<float>(std::sin(i * 1e-4)) + 0.01f;
    const AcousticStats ref = stats(x, sr);
    check(same(ref, direct(x, sr), 1e-9, 1e-12), "streamed equals direct computation");
    for (int bf : {1, 3, 7, 64, 1000000}) {
      AcousticStatsConfig cfg;
      cfg.block_frames = std::min(bf, 65536);
      check(same(stats(x, sr, cfg, 1), ref, 1e-12), "block_frames " + std::to_string(bf) + " equals default");
    }
    for (int th : {2, 4}) check(same(stats(x, sr, {}, th), ref, 0.0, 0.0), "threads " + std::to_string(th) + " bit-identical");
    // Every SIMD level agrees.
    const SimdLevel was = active_simd_level();
    for (SimdLevel level : {SimdLevel::Scalar, SimdLevel::Neon, SimdLevel::Avx2, SimdLevel::Avx512}) {
      if (!set_simd_level(level)) continue;
      check(same(stats(x, sr), ref, 1e-5, 1e-6), std::string("simd level ") + simd_level_name(level) + " agrees");
    }
    set_simd_level(was);
    // A plan reused for many clips gives the same as the one-shot function.
    AcousticStatsPlan plan{AcousticStatsConfig{}};
    check(same(plan.compute(x.data(), static_cast<std::int64_t>(x.size()), sr, 1), ref, 0.0, 0.0), "plan reuse");
    check(plan.num_frames(0) == 0 && plan.num_frames(1) == 1 && plan.num_frames(512) == 2, "num_frames");
  }

  // Non-finite samples are counted and read as 0.
  {
    auto x = sine(n5, 300.0, sr, 0.5);
    auto z = x;
    const std::size_t at[] = {0, 1000, 40000, n5 - 1};
    const float bad[] = {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity(),
                         -std::numeric_limits<float>::infinity(), std::numeric_limits<float>::quiet_NaN()};
    for (int i = 0; i < 4; ++i) {
      x[at[i]] = bad[i];
      z[at[i]] = 0.0f;
    }
    const AcousticStats s = stats(x, sr), r = stats(z, sr);
    check(s.non_finite == 4 && r.non_finite == 0, "non-finite: counted");
    AcousticStats s2 = s;
    s2.non_finite = 0;
    check(same(s2, r, 0.0, 0.0), "non-finite: same as zeros at those samples");
    check(std::isfinite(s.rms_db) && std::isfinite(s.spectral_flatness), "non-finite: results finite");
  }

  // Frequencies scale with the sample rate.
  {
    const auto x = sine(n5, 1000.0, 16000, 0.5);
    const AcousticStats a = stats(x, 16000), b = stats(x, 32000);
    check(rel_near(b.spectral_centroid, 2 * a.spectral_centroid, 1e-12) &&
              rel_near(b.spectral_rolloff, 2 * a.spectral_rolloff, 1e-12) && near(b.duration, a.duration / 2, 1e-12),
          "sample rate scales frequencies and duration");
  }

  // Bad arguments throw, never crash.
  {
    bool threw = false;
    try {
      AcousticStatsConfig cfg;
      cfg.hop = 0;
      AcousticStatsPlan p(cfg);
    } catch (const std::exception&) {
      threw = true;
    }
    check(threw, "hop 0 rejected");
    threw = false;
    try {
      const float v = 0;
      compute_acoustic_stats(&v, 1, 0, {}, 1);
    } catch (const std::exception&) {
      threw = true;
    }
    check(threw, "sample rate 0 rejected");
  }
}
