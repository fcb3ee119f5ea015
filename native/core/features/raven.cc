#include "features/raven.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "fft/fft.h"
#include "fft/plan.h"
#include "util/error.h"
#include "util/thread_pool.h"

namespace audiomill {

namespace {

constexpr double kPi = 3.14159265358979323846;

[[noreturn]] void invalid(std::size_t index, const std::string& what) {
  throw CoreError("INVALID_ARGUMENT", "selection " + std::to_string(index) + ": " + what);
}

std::vector<float> make_window(const RavenSpectrogramConfig& cfg) {
  const int n = cfg.window_size;
  std::vector<float> w(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    const double a = 2.0 * kPi * i / n;  // periodic forms (denominator N)
    double v = 1.0;
    switch (cfg.window) {
      case RavenWindow::Hann: v = 0.5 - 0.5 * std::cos(a); break;
      case RavenWindow::Hamming: v = 0.54 - 0.46 * std::cos(a); break;
      case RavenWindow::Blackman: v = 0.42 - 0.5 * std::cos(a) + 0.08 * std::cos(2.0 * a); break;
      case RavenWindow::Rectangular: v = 1.0; break;
    }
    w[static_cast<std::size_t>(i)] = static_cast<float>(v);
  }
  return w;
}

// First index whose cumulative sum reaches frac * total.
int percentile_index(const std::vector<double>& e, double total, double frac) {
  const double target = frac * total;
  double acc = 0.0;
  for (std::size_t k = 0; k < e.size(); ++k) {
    acc += e[k];
    if (acc >= target) return static_cast<int>(k);
  }
  return static_cast<int>(e.size()) - 1;  // rounding: the last index with energy
}

double entropy_bits(const double* p, std::size_t count, double total) {
  double h = 0.0;
  for (std::size_t k = 0; k < count; ++k) {
    if (p[k] > 0.0) {
      const double q = p[k] / total;
      h -= q * std::log2(q);
    }
  }
  return h;
}

struct Box {
  std::int64_t b = 0, e = 0;
  int slices = 0;
  int first_bin = 0, bins = 0;
};

Box resolve(std::size_t index, const Selection& s, std::int64_t n, int sr, const RavenSpectrogramConfig& cfg) {
  if (!std::isfinite(s.begin_s) || !std::isfinite(s.end_s) || !std::isfinite(s.low_hz) || !std::isfinite(s.high_hz))
    invalid(index, "begin, end, low and high must be finite");
  if (!(s.end_s > s.begin_s)) invalid(index, "end (" + std::to_string(s.end_s) + " s) must be after begin (" +
                                                 std::to_string(s.begin_s) + " s)");
  if (s.low_hz < 0.0) invalid(index, "low frequency must be >= 0 Hz");
  if (!(s.high_hz > s.low_hz)) invalid(index, "high frequency must be above low frequency");
  const double nyquist = sr / 2.0;
  if (s.high_hz > nyquist)
    invalid(index, "high frequency " + std::to_string(s.high_hz) + " Hz is above the Nyquist frequency " +
                       std::to_string(nyquist) + " Hz");
  const double duration = static_cast<double>(n) / sr;
  if (s.end_s <= 0.0 || s.begin_s >= duration)
    invalid(index, "lies outside the signal (0 to " + std::to_string(duration) + " s)");
  Box box;
  // Clamp before rounding so huge values cannot overflow llround.
  box.b = std::llround(std::max(0.0, s.begin_s) * sr);
  box.e = std::llround(std::min(duration, s.end_s) * sr);
  box.b = std::clamp<std::int64_t>(box.b, 0, n);
  box.e = std::clamp<std::int64_t>(box.e, 0, n);
  if (box.e <= box.b) invalid(index, "holds no sample after rounding to the sample grid");
  const std::int64_t len = box.e - box.b;
  const std::int64_t over = std::max<std::int64_t>(0, len - cfg.window_size);
  box.slices = static_cast<int>(1 + (over + cfg.hop - 1) / cfg.hop);

  const int nbins = cfg.fft_size / 2 + 1;
  const double df = static_cast<double>(sr) / cfg.fft_size;
  int lo = static_cast<int>(std::ceil(s.low_hz / df));
  int hi = static_cast<int>(std::floor(s.high_hz / df));
  // Guard against ceil/floor landing one off for values a hair from a bin.
  while (lo > 0 && (lo - 1) * df >= s.low_hz) --lo;
  while (lo * df < s.low_hz) ++lo;
  while ((hi + 1) * df <= s.high_hz && hi + 1 < nbins) ++hi;
  while (hi >= 0 && hi * df > s.high_hz) --hi;
  hi = std::min(hi, nbins - 1);
  if (hi < lo) {
    const double centre = 0.5 * (s.low_hz + s.high_hz);
    lo = hi = std::clamp(static_cast<int>(std::lround(centre / df)), 0, nbins - 1);
  }
  box.first_bin = lo;
  box.bins = hi - lo + 1;
  return box;
}

void measure(const float* x, const Box& box, int sr, const RavenSpectrogramConfig& cfg,
             const std::vector<float>& window, RavenMeasurements& out) {
  const int W = cfg.window_size, N = cfg.fft_size, K = box.bins, T = box.slices;
  std::vector<float> frame(static_cast<std::size_t>(N), 0.0f);
  std::vector<float> spec(2 * static_cast<std::size_t>(N / 2 + 1));
  // One pass over slices: row powers, E_t, E_f, the peak cell and each slice's
  // entropy, so memory stays O(slices + bins) for long selections.
  std::vector<double> row(static_cast<std::size_t>(K));
  std::vector<double> ef(static_cast<std::size_t>(K), 0.0), et(static_cast<std::size_t>(T), 0.0);
  double peak = -1.0, sum_h = 0.0;
  int peak_bin = 0, counted = 0;
  for (int i = 0; i < T; ++i) {
    const std::int64_t start = box.b + static_cast<std::int64_t>(i) * cfg.hop;
    for (int m = 0; m < W; ++m) {
      const std::int64_t s = start + m;
      frame[static_cast<std::size_t>(m)] = s < box.e ? x[s] * window[static_cast<std::size_t>(m)] : 0.0f;
    }
    rfft(frame.data(), N, spec.data());
    double ei = 0.0;
    for (int k = 0; k < K; ++k) {
      const std::size_t j = static_cast<std::size_t>(box.first_bin + k);
      const double re = spec[2 * j], im = spec[2 * j + 1];
      const double p = re * re + im * im;
      row[static_cast<std::size_t>(k)] = p;
      ef[static_cast<std::size_t>(k)] += p;
      ei += p;
      if (p > peak) {
        peak = p;
        peak_bin = k;
      }
    }
    et[static_cast<std::size_t>(i)] = ei;
    if (ei > 0.0) {
      sum_h += entropy_bits(row.data(), row.size(), ei);
      ++counted;
    }
  }
  double total = 0.0;
  for (double v : ef) total += v;

  out.first_sample = box.b;
  out.end_sample = box.e;
  out.slices = T;
  out.first_bin = box.first_bin;
  out.bins = K;
  if (!(total > 0.0) || !std::isfinite(total)) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    out.dur50_s = out.dur90_s = out.center_freq_hz = out.freq5_hz = out.freq25_hz = out.freq75_hz =
        out.freq95_hz = out.bw50_hz = out.bw90_hz = out.avg_entropy_bits = out.agg_entropy_bits =
            out.peak_freq_hz = nan;
    return;
  }
  const double df = static_cast<double>(sr) / N;
  const double dt = static_cast<double>(cfg.hop) / sr;
  auto freq = [&](double frac) { return (box.first_bin + percentile_index(ef, total, frac)) * df; };
  auto time = [&](double frac) { return percentile_index(et, total, frac) * dt; };
  out.freq5_hz = freq(0.05);
  out.freq25_hz = freq(0.25);
  out.center_freq_hz = freq(0.50);
  out.freq75_hz = freq(0.75);
  out.freq95_hz = freq(0.95);
  out.bw50_hz = out.freq75_hz - out.freq25_hz;
  out.bw90_hz = out.freq95_hz - out.freq5_hz;
  out.dur50_s = time(0.75) - time(0.25);
  out.dur90_s = time(0.95) - time(0.05);
  out.peak_freq_hz = (box.first_bin + peak_bin) * df;
  out.agg_entropy_bits = entropy_bits(ef.data(), ef.size(), total);
  out.avg_entropy_bits = sum_h / counted;
}

}  // namespace

std::vector<RavenMeasurements> raven_measurements(const float* x, std::int64_t n, int sample_rate,
                                                  const std::vector<Selection>& selections,
                                                  const RavenSpectrogramConfig& cfg, int threads) {
  if (sample_rate <= 0) throw CoreError("INVALID_ARGUMENT", "sample_rate must be positive");
  if (n < 0 || (n > 0 && x == nullptr)) throw CoreError("INVALID_ARGUMENT", "invalid signal buffer");
  if (cfg.window_size < 2 || cfg.window_size > kMaxFftLength)
    throw CoreError("INVALID_ARGUMENT", "window_size must be between 2 and " + std::to_string(kMaxFftLength));
  if (cfg.fft_size < cfg.window_size || cfg.fft_size > kMaxFftLength)
    throw CoreError("INVALID_ARGUMENT", "fft_size must be >= window_size and <= " + std::to_string(kMaxFftLength));
  if (cfg.hop < 1) throw CoreError("INVALID_ARGUMENT", "hop must be >= 1");
  const int wt = static_cast<int>(cfg.window);
  if (wt < 0 || wt > 3) throw CoreError("INVALID_ARGUMENT", "unknown window type");

  // Validate everything before any work, so a bad selection fails the call up front.
  std::vector<Box> boxes;
  boxes.reserve(selections.size());
  for (std::size_t i = 0; i < selections.size(); ++i) boxes.push_back(resolve(i, selections[i], n, sample_rate, cfg));

  const std::vector<float> window = make_window(cfg);
  real_fft_plan(cfg.fft_size);  // build (and cache) the plan once, before the workers share it
  std::vector<RavenMeasurements> out(selections.size());
  parallel_for(selections.size(), 1, threads, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) measure(x, boxes[i], sample_rate, cfg, window, out[i]);
  });
  return out;
}

}  // namespace audiomill
