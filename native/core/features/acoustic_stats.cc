#include "features/acoustic_stats.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include "dsp/feature_plan.h"
#include "util/error.h"
#include "util/simd.h"
#include "util/thread_pool.h"

namespace audiomill {

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kLn2 = 0.69314718055994530942;

void invalid(const std::string& message) { throw CoreError("INVALID_ARGUMENT", message); }

// Python-style floor division.
std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

inline float clean(float v) { return std::isfinite(v) ? v : 0.0f; }

double level_db(double amplitude, double amin) { return 20.0 * std::log10(std::max(amplitude, amin)); }

// Sums one block contributes; combined in block order so the result does not
// depend on how blocks were spread over threads.
struct Partial {
  double sum = 0.0, sum_sq = 0.0, peak = 0.0;
  std::int64_t clipped = 0, non_finite = 0;
  double zcr = 0.0, centroid = 0.0, bandwidth = 0.0, rolloff = 0.0, flatness = 0.0;
};

}  // namespace

AcousticStatsPlan::AcousticStatsPlan(const AcousticStatsConfig& cfg) : cfg_(cfg) {
  if (cfg_.n_fft < 2 || cfg_.n_fft > (1 << 20)) invalid("n_fft out of range");
  if (cfg_.hop < 1 || cfg_.hop > (1 << 24)) invalid("hop out of range");
  if (cfg_.block_frames < 1 || cfg_.block_frames > (1 << 16)) invalid("block_frames out of range");
  FeatureConfig fc;
  fc.frame_rule = FrameRule::TorchNoCenter;  // blocks arrive already padded
  fc.frame_length = cfg_.n_fft;
  fc.fft_size = cfg_.n_fft;
  fc.hop = cfg_.hop;
  fc.pad_mode = PadMode::Constant;
  fc.left_pad = 0;
  fc.power = 2.0f;
  fc.window.resize(static_cast<std::size_t>(cfg_.n_fft));
  for (int i = 0; i < cfg_.n_fft; ++i)  // periodic Hann
    fc.window[static_cast<std::size_t>(i)] = static_cast<float>(0.5 - 0.5 * std::cos(2.0 * kPi * i / cfg_.n_fft));
  plan_.reset(new FeaturePlan(std::move(fc)));
}

AcousticStatsPlan::~AcousticStatsPlan() = default;

std::int64_t AcousticStatsPlan::num_frames(std::int64_t n) const {
  if (n <= 0) return 0;
  const std::int64_t half = cfg_.n_fft / 2;
  return 1 + floor_div(n + 2 * half - cfg_.n_fft, cfg_.hop);
}

AcousticStats AcousticStatsPlan::compute(const float* x, std::int64_t n, int sample_rate, int threads) const {
  if (n < 0) invalid("negative length");
  if (sample_rate <= 0) invalid("sample_rate must be positive");
  if (n > 0 && x == nullptr) invalid("null input");
  AcousticStats out;
  out.duration = static_cast<double>(n) / sample_rate;
  const double floor_db = level_db(0.0, cfg_.amin);
  if (n == 0) {  // an empty clip reads as silence
    out.rms_db = out.peak_db = floor_db;
    out.silence_ratio = 1.0;
    out.spectral_flatness = 1.0;
    return out;
  }
  const int nfft = cfg_.n_fft, hop = cfg_.hop, half = nfft / 2;
  const std::int64_t T = num_frames(n);
  const std::int64_t B = cfg_.block_frames;
  const std::size_t blocks = static_cast<std::size_t>((T + B - 1) / B);
  const int bins = plan_->bins();
  const BlockKernel kernel = block_kernel(active_simd_level());
  const std::size_t scratch_floats = block_scratch_floats(*plan_, kernel.lanes);
  const std::size_t seg_floats = static_cast<std::size_t>((B - 1) * hop + nfft);
  const std::size_t stage_floats = static_cast<std::size_t>(bins) * static_cast<std::size_t>(B);
  const float zthr = static_cast<float>(cfg_.zcr_threshold);
  const float clip_thr = static_cast<float>(cfg_.clip_threshold);
  const bool power2 = cfg_.flatness_power == 2.0;
  const double bin_hz = static_cast<double>(sample_rate) / nfft;
  const std::int64_t g = std::gcd(nfft, hop);

  std::vector<Partial> partials(blocks);
  std::vector<double> frame_power(static_cast<std::size_t>(T));

  parallel_for(blocks, 1, threads, [&](std::size_t begin, std::size_t end) {
    thread_local std::vector<float> seg, stage, scratch;
    thread_local std::vector<double> mag, run_sq;
    thread_local std::vector<int> cross_prefix;
    if (run_sq.size() < seg_floats / g) run_sq.resize(seg_floats / g);
    if (cross_prefix.size() < seg_floats + 1) cross_prefix.resize(seg_floats + 1);
    if (seg.size() < seg_floats) seg.resize(seg_floats);
    if (stage.size() < stage_floats) stage.resize(stage_floats);
    if (scratch.size() < scratch_floats) scratch.resize(scratch_floats);
    if (mag.size() < static_cast<std::size_t>(bins)) mag.resize(static_cast<std::size_t>(bins));
    for (std::size_t b = begin; b < end; ++b) {
      Partial& p = partials[b];
      const std::int64_t f0 = static_cast<std::int64_t>(b) * B;
      const std::int64_t C = std::min<std::int64_t>(B, T - f0);
      // 1. Whole-signal sums over the samples this block owns.
      const std::int64_t own0 = f0 * hop;
      const std::int64_t own1 = (b + 1 == blocks) ? n : std::min<std::int64_t>(n, (f0 + C) * hop);
      for (std::int64_t i = own0; i < own1; ++i) {
        const float raw = x[i];
        if (!std::isfinite(raw)) {
          ++p.non_finite;
          continue;  // contributes 0 to every sum
        }
        const double v = raw;
        p.sum += v;
        p.sum_sq += v * v;
        const float a = std::fabs(raw);
        if (a > p.peak) p.peak = a;
        if (a >= clip_thr) ++p.clipped;
      }
      // 2. The block's stretch of the zero-padded signal (frame t starts at seg[t*hop]).
      const std::int64_t s0 = f0 * hop - half;
      const std::int64_t seg_len = (C - 1) * hop + nfft;
      for (std::int64_t i = 0; i < seg_len; ++i) {
        const std::int64_t j = s0 + i;
        seg[static_cast<std::size_t>(i)] = (j >= 0 && j < n) ? clean(x[j]) : 0.0f;
      }
      // 3. |X|^2 of the C frames, bins x C (stride B).
      for (std::int64_t t0 = 0; t0 < C; t0 += kernel.lanes) {
        BlockArgs args{plan_.get(), seg.data(), seg_len, t0,
                       static_cast<int>(std::min<std::int64_t>(kernel.lanes, C - t0)),
                       stage.data(), B, nullptr, nullptr, scratch.data()};
        kernel.fn(args);
      }
      // 4. Per-frame values. Sums of squares over runs of g = gcd(n_fft, hop)
      // samples (frame powers add whole runs, and runs align with the padded
      // signal, so every block size gives the same powers); crossing counts
      // through a prefix sum (frames clear of the signal's ends).
      const std::int64_t runs = seg_len / g;
      for (std::int64_t r = 0; r < runs; ++r) {
        const float* v = seg.data() + r * g;
        double a0 = 0.0, a1 = 0.0;
        std::int64_t m = 0;
        for (; m + 1 < g; m += 2) {
          a0 += static_cast<double>(v[m]) * v[m];
          a1 += static_cast<double>(v[m + 1]) * v[m + 1];
        }
        if (m < g) a0 += static_cast<double>(v[m]) * v[m];
        run_sq[static_cast<std::size_t>(r)] = a0 + a1;
      }
      {
        int count = 0;
        bool prev = seg[0] < -zthr;
        cross_prefix[0] = cross_prefix[1] = 0;
        for (std::int64_t i = 1; i < seg_len; ++i) {
          const bool neg = seg[static_cast<std::size_t>(i)] < -zthr;
          count += neg != prev;
          prev = neg;
          cross_prefix[static_cast<std::size_t>(i + 1)] = count;
        }
      }
      const std::int64_t runs_per_frame = nfft / g;
      for (std::int64_t t = 0; t < C; ++t) {
        const std::int64_t r0 = t * hop / g;
        double e = 0.0;
        for (std::int64_t r = r0; r < r0 + runs_per_frame; ++r) e += run_sq[static_cast<std::size_t>(r)];
        frame_power[static_cast<std::size_t>(f0 + t)] = e / nfft;
        // Zero crossings, with librosa's edge-replicating centre padding.
        const std::int64_t start = (f0 + t) * hop - half;
        int crossings = 0;
        if (start >= 0 && start + nfft <= n) {
          const std::size_t o = static_cast<std::size_t>(t * hop);
          crossings = cross_prefix[o + nfft] - cross_prefix[o + 1];
        } else {
          const float first = clean(x[0]), last = clean(x[n - 1]);
          auto at = [&](std::int64_t j) { return j < 0 ? first : (j >= n ? last : clean(x[j])); };
          bool prev = at(start) < -zthr;
          for (int m = 1; m < nfft; ++m) {
            const bool neg = at(start + m) < -zthr;
            crossings += neg != prev;
            prev = neg;
          }
        }
        p.zcr += static_cast<double>(crossings) / nfft;
        // Spectral features of S = |X| (librosa definitions, in bin units).
        double sum_s = 0.0, sum_ks = 0.0, log_exp = 0.0, sum_pt = 0.0, prod = 1.0;
        int exp_acc = 0;
        for (int k = 0; k < bins; ++k) {
          const double pw = stage[static_cast<std::size_t>(k) * B + t];
          const double s = std::sqrt(pw);
          mag[k] = s;
          sum_s += s;
          sum_ks += k * s;
          const double pt = std::max(cfg_.flatness_amin, power2 ? pw : std::pow(s, cfg_.flatness_power));
          sum_pt += pt;
          prod *= pt;
          if ((k & 3) == 3) {  // renormalise: one log per frame instead of one per bin
            int ex;
            prod = std::frexp(prod, &ex);
            exp_acc += ex;
          }
        }
        log_exp = std::log(prod) + exp_acc * kLn2;
        if (sum_s > 0.0) {
          const double c = sum_ks / sum_s;
          double dev = 0.0;
          for (int k = 0; k < bins; ++k) dev += mag[k] * (k - c) * (k - c);
          p.centroid += c * bin_hz;
          p.bandwidth += std::sqrt(dev / sum_s) * bin_hz;
        }
        const double thr = cfg_.rolloff_percent * sum_s;
        double cum = 0.0;
        int kr = bins - 1;
        for (int k = 0; k < bins; ++k) {
          cum += mag[k];
          if (cum >= thr) {
            kr = k;
            break;
          }
        }
        p.rolloff += kr * bin_hz;
        p.flatness += std::exp(log_exp / bins) / (sum_pt / bins);
      }
    }
  });

  // Combine in block order.
  Partial tot;
  for (const Partial& p : partials) {
    tot.sum += p.sum;
    tot.sum_sq += p.sum_sq;
    tot.peak = std::max(tot.peak, p.peak);
    tot.clipped += p.clipped;
    tot.non_finite += p.non_finite;
    tot.zcr += p.zcr;
    tot.centroid += p.centroid;
    tot.bandwidth += p.bandwidth;
    tot.rolloff += p.rolloff;
    tot.flatness += p.flatness;
  }
  const double dn = static_cast<double>(n), dt = static_cast<double>(T);
  out.frames = T;
  out.non_finite = tot.non_finite;
  out.dc_offset = tot.sum / dn;
  out.rms_db = level_db(std::sqrt(tot.sum_sq / dn), cfg_.amin);
  out.peak_db = level_db(tot.peak, cfg_.amin);
  out.crest_factor_db = out.peak_db - out.rms_db;
  out.clip_ratio = static_cast<double>(tot.clipped) / dn;
  out.zero_crossing_rate = tot.zcr / dt;
  out.spectral_centroid = tot.centroid / dt;
  out.spectral_bandwidth = tot.bandwidth / dt;
  out.spectral_rolloff = tot.rolloff / dt;
  out.spectral_flatness = tot.flatness / dt;

  // Frame levels: silence ratio and energy variance.
  std::int64_t silent = 0;
  double mean_db = 0.0;
  std::vector<double> db(static_cast<std::size_t>(T));
  for (std::int64_t t = 0; t < T; ++t) {
    const double l = level_db(std::sqrt(frame_power[static_cast<std::size_t>(t)]), cfg_.amin);
    if (l < cfg_.silence_threshold_db) ++silent;
    db[static_cast<std::size_t>(t)] = std::max(l, cfg_.energy_floor_db);
    mean_db += db[static_cast<std::size_t>(t)];
  }
  mean_db /= dt;
  double var = 0.0;
  for (double v : db) var += (v - mean_db) * (v - mean_db);
  out.silence_ratio = static_cast<double>(silent) / dt;
  out.energy_variance = var / dt;

  // SNR: mean power of the loudest k frames over that of the quietest k.
  std::int64_t k = static_cast<std::int64_t>(std::ceil(cfg_.snr_fraction * dt - 1e-9));
  k = std::max<std::int64_t>(1, std::min<std::int64_t>(k, T));
  std::vector<double>& sorted = db;  // reuse the buffer
  std::copy(frame_power.begin(), frame_power.end(), sorted.begin());
  std::sort(sorted.begin(), sorted.end());
  double lo = 0.0, hi = 0.0;
  for (std::int64_t i = 0; i < k; ++i) {
    lo += sorted[static_cast<std::size_t>(i)];
    hi += sorted[static_cast<std::size_t>(T - k + i)];
  }
  const double pmin = cfg_.amin * cfg_.amin;
  out.snr_db = 10.0 * std::log10(std::max(hi / k, pmin) / std::max(lo / k, pmin));
  return out;
}

AcousticStats compute_acoustic_stats(const float* x, std::int64_t n, int sample_rate, const AcousticStatsConfig& cfg,
                                     int threads) {
  return AcousticStatsPlan(cfg).compute(x, n, sample_rate, threads);
}

}  // namespace audiomill
