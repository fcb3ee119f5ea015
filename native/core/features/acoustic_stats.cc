#include "features/acoustic_stats.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
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

inline bool is_finite_bits(float v) {
  std::uint32_t u;
  std::memcpy(&u, &v, sizeof u);
  return (u & 0x7f800000u) != 0x7f800000u;
}
inline float clean(float v) { return is_finite_bits(v) ? v : 0.0f; }

double level_db(double amplitude, double amin) { return 20.0 * std::log10(std::max(amplitude, amin)); }

// Sums one block contributes; combined in block order so the result does not
// depend on how blocks were spread over threads.
struct Partial {
  double sum = 0.0, sum_sq = 0.0, peak = 0.0;
  std::int64_t clipped = 0, non_finite = 0;
  double zcr = 0.0, centroid = 0.0, bandwidth = 0.0, rolloff = 0.0, flatness = 0.0;
};


// Per-frame accumulators of spectral_block, one double (or int) per frame of a block.
struct SpectralScratch {
  std::vector<double> sum_s, sum_ks, sum_kks, sum_pt, prod, cum, below, thr;
  std::vector<std::int64_t> exps;
  void resize(std::size_t frames) {
    if (sum_s.size() >= frames) return;
    for (auto* v : {&sum_s, &sum_ks, &sum_kks, &sum_pt, &prod, &cum, &below, &thr}) v->resize(frames);
    exps.resize(frames);
  }
};

// prod[t] = frexp(prod[t], &e), exps[t] += e, for t < C. Normal numbers take the
// exponent from the bits (lanes vectorise); a row with a zero, subnormal or
// non-finite value takes std::frexp (same result).
inline void renormalise(double* __restrict prod, std::int64_t* __restrict exps, std::int64_t C) {
  constexpr std::uint64_t kExpMask = 0x7ffULL << 52;
  int odd = 0;
  for (std::int64_t t = 0; t < C; ++t) {
    const double m = std::fabs(prod[t]);
    odd |= !(m >= std::numeric_limits<double>::min() && m <= std::numeric_limits<double>::max());
  }
  if (odd) {
    for (std::int64_t t = 0; t < C; ++t) {
      int ex;
      prod[t] = std::frexp(prod[t], &ex);
      exps[t] += ex;
    }
    return;
  }
  for (std::int64_t t = 0; t < C; ++t) {
    std::uint64_t u;
    std::memcpy(&u, prod + t, sizeof u);
    exps[t] += static_cast<std::int64_t>((u & kExpMask) >> 52) - 1022;
    u = (u & ~kExpMask) | (1022ULL << 52);  // mantissa in [0.5, 1)
    std::memcpy(prod + t, &u, sizeof u);
  }
}

// Power to the flatness value |X|^power (floored at amin).
template <bool kPower2>
inline double flat_term(float pw, double amin, double power) {
  if (kPower2) return std::max(amin, static_cast<double>(pw));
  return std::max(amin, std::pow(std::sqrt(static_cast<double>(pw)), power));
}

// R consecutive bins (rows k .. k+R-1 of the stage) folded into the per-frame
// sums. Per frame the additions run in bin order, as in a per-frame loop over
// k; the frames are independent lanes.
template <bool kPower2, int R>
inline void fold_rows(const float* __restrict row, std::int64_t B, int k, double amin, double power,
                      std::int64_t C, double* __restrict sum_s, double* __restrict sum_ks,
                      double* __restrict sum_kks, double* __restrict sum_pt, double* __restrict prod) {
  for (std::int64_t t = 0; t < C; ++t) {
    double s_ = sum_s[t], ks = sum_ks[t], kks = sum_kks[t], pts = sum_pt[t], pr = prod[t];
    for (int r = 0; r < R; ++r) {
      const double kd = k + r;
      const float pw = row[r * B + t];
      const double s = std::sqrt(pw);  // float sqrt (correctly rounded), then widened
      s_ += s;
      ks += kd * s;
      kks += (kd * kd) * s;
      const double pt = flat_term<kPower2>(pw, amin, power);
      pts += pt;
      pr *= pt;
    }
    sum_s[t] = s_;
    sum_ks[t] = ks;
    sum_kks[t] = kks;
    sum_pt[t] = pts;
    prod[t] = pr;
  }
}

template <bool kPower2>
void fold_all(const float* stage, std::int64_t B, int bins, double amin, double power, std::int64_t C,
              double* sum_s, double* sum_ks, double* sum_kks, double* sum_pt, double* prod, std::int64_t* exps) {
  int k = 0;
  for (; k + 4 <= bins; k += 4) {  // rows k..k+3, then k & 3 == 3: renormalise
    fold_rows<kPower2, 4>(stage + static_cast<std::size_t>(k) * B, B, k, amin, power, C, sum_s, sum_ks, sum_kks,
                          sum_pt, prod);
    renormalise(prod, exps, C);  // one log per frame instead of one per bin
  }
  for (; k < bins; ++k)
    fold_rows<kPower2, 1>(stage + static_cast<std::size_t>(k) * B, B, k, amin, power, C, sum_s, sum_ks, sum_kks,
                          sum_pt, prod);
}

// Rolloff scan over R rows: cum[t] += |X|, below[t] counts the bins whose
// cumulative magnitude is still under thr[t]. Returns whether any frame is
// still under its threshold.
template <int R>
inline bool cum_rows(const float* __restrict row, std::int64_t B, std::int64_t C, const double* __restrict thr,
                     double* __restrict cum, double* __restrict below) {
  std::int64_t open = 0;
  for (std::int64_t t = 0; t < C; ++t) {
    double c = cum[t], n_below = below[t];
    const double th = thr[t];
    for (int r = 0; r < R; ++r) {
      c += static_cast<double>(std::sqrt(row[r * B + t]));
      n_below += c < th ? 1.0 : 0.0;
    }
    cum[t] = c;
    below[t] = n_below;
  }
  for (std::int64_t t = 0; t < C; ++t) open |= static_cast<std::int64_t>(cum[t] < thr[t]);
  return open != 0;
}

// Spectral centroid, bandwidth, rolloff and flatness of the C frames of a
// block (stage: bins x C power values, frame stride B), added to p in frame order.
void spectral_block(const float* stage, std::int64_t B, std::int64_t C, int bins, double amin, bool power2,
                    double power, double roll_percent, double bin_hz, SpectralScratch& a, Partial& p) {
  a.resize(static_cast<std::size_t>(C));
  double* __restrict sum_s = a.sum_s.data();
  double* __restrict sum_ks = a.sum_ks.data();
  double* __restrict sum_kks = a.sum_kks.data();
  double* __restrict sum_pt = a.sum_pt.data();
  double* __restrict prod = a.prod.data();
  std::int64_t* __restrict exps = a.exps.data();
  for (std::int64_t t = 0; t < C; ++t) {
    sum_s[t] = sum_ks[t] = sum_kks[t] = sum_pt[t] = 0.0;
    prod[t] = 1.0;
    exps[t] = 0;
  }
  if (power2)
    fold_all<true>(stage, B, bins, amin, power, C, sum_s, sum_ks, sum_kks, sum_pt, prod, exps);
  else
    fold_all<false>(stage, B, bins, amin, power, C, sum_s, sum_ks, sum_kks, sum_pt, prod, exps);
  // Rolloff: the first bin whose cumulative magnitude reaches roll_percent of
  // the total. The cumulative sums never decrease (s >= 0), so that bin is the
  // count of bins still below the threshold (bins - 1 when none reaches it);
  // the scan stops once every frame has reached it.
  double* __restrict cum = a.cum.data();
  double* __restrict below = a.below.data();
  double* __restrict thr = a.thr.data();
  for (std::int64_t t = 0; t < C; ++t) {
    cum[t] = 0.0;
    below[t] = 0.0;
    thr[t] = roll_percent * sum_s[t];
  }
  for (int k0 = 0; k0 < bins; k0 += 8) {
    const float* row = stage + static_cast<std::size_t>(k0) * static_cast<std::size_t>(B);
    bool open = false;
    if (k0 + 8 <= bins) {
      open = cum_rows<8>(row, B, C, thr, cum, below);
    } else {
      for (int k = k0; k < bins; ++k) open = cum_rows<1>(row + (k - k0) * B, B, C, thr, cum, below);
    }
    if (!open) break;
  }
  for (std::int64_t t = 0; t < C; ++t) {
    if (sum_s[t] > 0.0) {
      const double c = sum_ks[t] / sum_s[t];
      // sum s (k - c)^2 = sum s k^2 - c sum s k (c sum s = sum s k)
      const double dev = std::max(0.0, sum_kks[t] - c * sum_ks[t]);
      p.centroid += c * bin_hz;
      p.bandwidth += std::sqrt(dev / sum_s[t]) * bin_hz;
    }
    p.rolloff += std::min(below[t], static_cast<double>(bins - 1)) * bin_hz;
    const double log_exp = std::log(prod[t]) + static_cast<double>(exps[t]) * kLn2;
    p.flatness += std::exp(log_exp / bins) / (sum_pt[t] / bins);
  }
}
// Whole-signal sums of the samples x[0..len): four interleaved partial sums
// (a fixed order, so independent of the thread count); a NaN/Inf sample
// counts as 0. Counts run in 32-bit lanes over chunks.
void time_sums(const float* x, std::int64_t len, float clip_thr, Partial& p) {
  // Peak, clip and non-finite counts on the bit patterns in 32-bit lanes: for
  // |x| (sign cleared) the signed integer order is the float order, and
  // |x| >= clip_thr matches the integer compare for every clip_thr (negative
  // thresholds have the sign bit set, NaN is above every finite |x|).
  std::int32_t clip_bits;
  std::memcpy(&clip_bits, &clip_thr, sizeof clip_bits);
  std::int32_t peak_bits = 0;
  std::int64_t clipped = 0, bad = 0;
  for (std::int64_t i = 0; i < len;) {
    const std::int64_t end = std::min<std::int64_t>(len, i + (1 << 20));
    std::int32_t c32 = 0, b32 = 0, pk = 0;
    for (; i < end; ++i) {
      std::int32_t u;
      std::memcpy(&u, x + i, sizeof u);
      const std::int32_t a = u & 0x7fffffff;
      const bool fin = a < 0x7f800000;
      const std::int32_t m = fin ? a : 0;
      pk = m > pk ? m : pk;
      c32 += m >= clip_bits ? 1 : 0;
      b32 += fin ? 0 : 1;
    }
    peak_bits = std::max(peak_bits, pk);
    clipped += c32;
    bad += b32;
  }
  float peak;
  std::memcpy(&peak, &peak_bits, sizeof peak);
  // Sums in four interleaved double partial sums (a fixed order, so independent
  // of the thread count); a NaN/Inf sample counts as 0.
  double s4[4] = {0.0, 0.0, 0.0, 0.0}, q4[4] = {0.0, 0.0, 0.0, 0.0};
  const std::int64_t len4 = len & ~std::int64_t{3};
  for (std::int64_t i = 0; i < len4; i += 4) {
    for (int l = 0; l < 4; ++l) {
      const float v = clean(x[i + l]);
      s4[l] += static_cast<double>(v);
      q4[l] += static_cast<double>(v) * v;
    }
  }
  for (std::int64_t i = len4; i < len; ++i) {
    const float v = clean(x[i]);
    s4[0] += static_cast<double>(v);
    q4[0] += static_cast<double>(v) * v;
  }
  p.sum = (s4[0] + s4[1]) + (s4[2] + s4[3]);
  p.sum_sq = (q4[0] + q4[1]) + (q4[2] + q4[3]);
  p.peak = peak;
  p.clipped = clipped;
  p.non_finite = bad;
}

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
    thread_local std::vector<double> run_sq;
    thread_local SpectralScratch acc;
    thread_local std::vector<std::int32_t> run_cross;
    if (run_sq.size() < seg_floats / g) run_sq.resize(seg_floats / g);
    if (run_cross.size() < seg_floats / g) run_cross.resize(seg_floats / g);
    if (seg.size() < seg_floats) seg.resize(seg_floats);
    if (stage.size() < stage_floats) stage.resize(stage_floats);
    if (scratch.size() < scratch_floats) scratch.resize(scratch_floats);
    for (std::size_t b = begin; b < end; ++b) {
      Partial& p = partials[b];
      const std::int64_t f0 = static_cast<std::int64_t>(b) * B;
      const std::int64_t C = std::min<std::int64_t>(B, T - f0);
      // 1. Whole-signal sums over the samples this block owns.
      const std::int64_t own0 = f0 * hop;
      const std::int64_t own1 = (b + 1 == blocks) ? n : std::min<std::int64_t>(n, (f0 + C) * hop);
      time_sums(x + own0, own1 - own0, clip_thr, p);
      // 2. The block's stretch of the zero-padded signal (frame t starts at seg[t*hop]).
      const std::int64_t s0 = f0 * hop - half;
      const std::int64_t seg_len = (C - 1) * hop + nfft;
      {
        const std::int64_t i0 = std::min(seg_len, std::max<std::int64_t>(0, -s0));  // first i with s0 + i >= 0
        const std::int64_t i1 = std::max(i0, std::min(seg_len, n - s0));           // first i with s0 + i >= n
        float* d = seg.data();
        std::fill(d, d + i0, 0.0f);
        for (std::int64_t i = i0; i < i1; ++i) d[i] = clean(x[s0 + i]);
        std::fill(d + i1, d + seg_len, 0.0f);
      }
      // 3. |X|^2 of the C frames, bins x C (stride B).
      for (std::int64_t t0 = 0; t0 < C; t0 += kernel.lanes) {
        BlockArgs args{plan_.get(), seg.data(), seg_len, t0,
                       static_cast<int>(std::min<std::int64_t>(kernel.lanes, C - t0)),
                       stage.data(), B, nullptr, nullptr, scratch.data()};
        kernel.fn(args);
      }
      // 4. Per-frame values. Sums of squares and sign-change counts over runs of
      // g = gcd(n_fft, hop) samples (frames add whole runs, and runs align with
      // the padded signal, so every block size gives the same powers).
      const std::int64_t runs = seg_len / g;
      const float* sv = seg.data();
      for (std::int64_t r = 0; r < runs; ++r) {
        const float* v = sv + r * g;
        double acc8[8] = {0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0};
        std::int64_t m = 0;
        for (; m + 8 <= g; m += 8)
          for (int l = 0; l < 8; ++l) acc8[l] += static_cast<double>(v[m + l]) * v[m + l];
        for (; m < g; ++m) acc8[0] += static_cast<double>(v[m]) * v[m];
        run_sq[static_cast<std::size_t>(r)] =
            ((acc8[0] + acc8[1]) + (acc8[2] + acc8[3])) + ((acc8[4] + acc8[5]) + (acc8[6] + acc8[7]));
        // Sign changes between samples i - 1 and i for i in the run (none at i = 0).
        std::int32_t changes = 0;
        for (std::int64_t i = std::max<std::int64_t>(r * g, 1); i < (r + 1) * g; ++i)
          changes += static_cast<std::int32_t>((sv[i] < -zthr) != (sv[i - 1] < -zthr));
        run_cross[static_cast<std::size_t>(r)] = changes;
      }
      const std::int64_t runs_per_frame = nfft / g;
      for (std::int64_t t = 0; t < C; ++t) {
        const std::int64_t r0 = t * hop / g;
        double e = 0.0;
        std::int64_t changes = 0;
        for (std::int64_t r = r0; r < r0 + runs_per_frame; ++r) {
          e += run_sq[static_cast<std::size_t>(r)];
          changes += run_cross[static_cast<std::size_t>(r)];
        }
        frame_power[static_cast<std::size_t>(f0 + t)] = e / nfft;
        // Zero crossings, with librosa's edge-replicating centre padding.
        const std::int64_t start = (f0 + t) * hop - half;
        int crossings = 0;
        if (start >= 0 && start + nfft <= n) {
          // Changes at o+1 .. o+nfft-1: the frame's runs minus the one at o.
          const std::int64_t o = t * hop;
          const bool at_o = o > 0 && ((sv[o] < -zthr) != (sv[o - 1] < -zthr));
          crossings = static_cast<int>(changes - at_o);
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
      }
      // 5. Spectral features of S = |X| (librosa definitions, in bin units),
      // bins outer and frames inner: for a fixed bin the C frames are
      // contiguous in the stage, so every per-frame sum runs in its own lane.
      spectral_block(stage.data(), B, C, bins, cfg_.flatness_amin, power2, cfg_.flatness_power,
                     cfg_.rolloff_percent, bin_hz, acc, p);
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
