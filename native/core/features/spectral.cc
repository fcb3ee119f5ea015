#include "features/spectral.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include "dsp/feature_plan.h"
#include "util/error.h"
#include "util/isa_clone.h"
#include "util/simd.h"
#include "util/thread_pool.h"

namespace audiomill {

namespace spectral_detail {
namespace {

// Helpers of frame_values are always inlined, so each ISA clone below (util/isa_clone.h) compiles
// them for its own target.

constexpr double kLn2 = 0.69314718055994530942;

// prod[t] = frexp(prod[t], &e), exps[t] += e, for t < C. Normal numbers take the
// exponent from the bits (lanes vectorise); a row with a zero, subnormal or
// non-finite value takes std::frexp (same result).
AM_INLINE void renormalise(double* __restrict prod, std::int64_t* __restrict exps, std::int64_t C) {
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
AM_INLINE double flat_term(float pw, double amin, double power) {
  if (kPower2) return std::max(amin, static_cast<double>(pw));
  return std::max(amin, std::pow(std::sqrt(static_cast<double>(pw)), power));
}

// R consecutive bins (rows k .. k+R-1 of the stage) folded into the per-frame
// sums. Per frame the additions run in bin order, as in a per-frame loop over
// k; the frames are independent lanes.
template <bool kPower2, int R>
AM_INLINE void fold_rows(const float* __restrict row, std::int64_t B, int k, double amin, double power,
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
AM_INLINE void fold_all(const float* stage, std::int64_t B, int bins, double amin, double power, std::int64_t C,
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
AM_INLINE bool cum_rows(const float* __restrict row, std::int64_t B, std::int64_t C, const double* __restrict thr,
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

AM_INLINE void frame_values_impl(const float* stage, std::int64_t B, std::int64_t C, int bins, double amin, double power,
                                 double roll_percent, double bin_hz, FrameScratch& a) {
  const bool power2 = power == 2.0;
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
    double c = 0.0, bw = 0.0;
    if (sum_s[t] > 0.0) {
      c = sum_ks[t] / sum_s[t];
      // sum s (k - c)^2 = sum s k^2 - c sum s k (c sum s = sum s k)
      const double dev = std::max(0.0, sum_kks[t] - c * sum_ks[t]);
      bw = std::sqrt(dev / sum_s[t]) * bin_hz;
      c *= bin_hz;
    }
    a.centroid[t] = c;
    a.bandwidth[t] = bw;
    a.rolloff[t] = std::min(below[t], static_cast<double>(bins - 1)) * bin_hz;
    const double log_exp = std::log(prod[t]) + static_cast<double>(exps[t]) * kLn2;
    a.flatness[t] = std::exp(log_exp / bins) / (sum_pt[t] / bins);
  }
}

using FrameValuesFn = void (*)(const float*, std::int64_t, std::int64_t, int, double, double, double, double, FrameScratch&);
void frame_values_base(const float* stage, std::int64_t B, std::int64_t C, int bins, double amin, double power,
                       double roll_percent, double bin_hz, FrameScratch& a) {
  frame_values_impl(stage, B, C, bins, amin, power, roll_percent, bin_hz, a);
}
#if defined(AM_ISA_CLONES)
AM_TARGET_AVX2 void frame_values_avx2(const float* stage, std::int64_t B, std::int64_t C, int bins, double amin,
                                      double power, double roll_percent, double bin_hz, FrameScratch& a) {
  frame_values_impl(stage, B, C, bins, amin, power, roll_percent, bin_hz, a);
}
AM_TARGET_AVX512 void frame_values_avx512(const float* stage, std::int64_t B, std::int64_t C, int bins, double amin,
                                          double power, double roll_percent, double bin_hz, FrameScratch& a) {
  frame_values_impl(stage, B, C, bins, amin, power, roll_percent, bin_hz, a);
}
#else
constexpr FrameValuesFn frame_values_avx2 = frame_values_base, frame_values_avx512 = frame_values_base;
#endif

}  // namespace

void frame_values(const float* stage, std::int64_t B, std::int64_t C, int bins, double amin, double power,
                  double roll_percent, double bin_hz, FrameScratch& a) {
  a.resize(static_cast<std::size_t>(C));
  isa_dispatch<FrameValuesFn>(frame_values_base, frame_values_avx2, frame_values_avx512, stage, B, C, bins, amin, power,
                              roll_percent, bin_hz, a);
}

void FrameScratch::resize(std::size_t frames) {
  if (sum_s.size() >= frames) return;
  for (auto* v : {&sum_s, &sum_ks, &sum_kks, &sum_pt, &prod, &cum, &below, &thr, &centroid, &bandwidth, &rolloff,
                  &flatness})
    v->resize(frames);
  exps.resize(frames);
}

void fill_padded(const float* x, std::int64_t n, std::int64_t s0, std::int64_t seg_len, float* seg) {
  const std::int64_t i0 = std::min(seg_len, std::max<std::int64_t>(0, -s0));  // first i with s0 + i >= 0
  const std::int64_t i1 = std::max(i0, std::min(seg_len, n - s0));           // first i with s0 + i >= n
  std::fill(seg, seg + i0, 0.0f);
  for (std::int64_t i = i0; i < i1; ++i) seg[i] = clean(x[s0 + i]);
  std::fill(seg + i1, seg + seg_len, 0.0f);
}

void frame_power_crossings(const float* x, std::int64_t n, const float* seg, std::int64_t s0, std::int64_t C, int hop,
                           int len, float thr, RunScratch& rs, double* power) {
  const std::int64_t g = std::gcd(len, hop);
  const std::int64_t seg_len = (C - 1) * hop + len;
  const std::int64_t runs = seg_len / g;
  if (rs.run_sq.size() < static_cast<std::size_t>(runs)) {
    rs.run_sq.resize(static_cast<std::size_t>(runs));
    rs.run_cross.resize(static_cast<std::size_t>(runs));
  }
  if (rs.crossings.size() < static_cast<std::size_t>(C)) rs.crossings.resize(static_cast<std::size_t>(C));
  const float* sv = seg;
  for (std::int64_t r = 0; r < runs; ++r) {
    const float* v = sv + r * g;
    double acc8[8] = {0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0};
    std::int64_t m = 0;
    for (; m + 8 <= g; m += 8)
      for (int l = 0; l < 8; ++l) acc8[l] += static_cast<double>(v[m + l]) * v[m + l];
    for (; m < g; ++m) acc8[0] += static_cast<double>(v[m]) * v[m];
    rs.run_sq[static_cast<std::size_t>(r)] =
        ((acc8[0] + acc8[1]) + (acc8[2] + acc8[3])) + ((acc8[4] + acc8[5]) + (acc8[6] + acc8[7]));
    // Sign changes between samples i - 1 and i for i in the run (none at i = 0).
    std::int32_t changes = 0;
    for (std::int64_t i = std::max<std::int64_t>(r * g, 1); i < (r + 1) * g; ++i)
      changes += static_cast<std::int32_t>((sv[i] < -thr) != (sv[i - 1] < -thr));
    rs.run_cross[static_cast<std::size_t>(r)] = changes;
  }
  const std::int64_t runs_per_frame = len / g;
  for (std::int64_t t = 0; t < C; ++t) {
    const std::int64_t r0 = t * hop / g;
    double e = 0.0;
    std::int64_t changes = 0;
    for (std::int64_t r = r0; r < r0 + runs_per_frame; ++r) {
      e += rs.run_sq[static_cast<std::size_t>(r)];
      changes += rs.run_cross[static_cast<std::size_t>(r)];
    }
    power[t] = e / len;
    const std::int64_t start = s0 + t * hop;
    int crossings = 0;
    if (start >= 0 && start + len <= n) {
      // Changes at o+1 .. o+len-1: the frame's runs minus the one at o.
      const std::int64_t o = t * hop;
      const bool at_o = o > 0 && ((sv[o] < -thr) != (sv[o - 1] < -thr));
      crossings = static_cast<int>(changes - at_o);
    } else {
      crossings = edge_zero_crossings(x, n, start, len, thr);
    }
    rs.crossings[static_cast<std::size_t>(t)] = crossings;
  }
}

std::unique_ptr<FeaturePlan> padded_stft_plan(int n_fft, int hop, int win_length) {
  constexpr double kPi = 3.14159265358979323846;
  FeatureConfig fc;
  fc.frame_rule = FrameRule::TorchNoCenter;  // blocks arrive already padded
  fc.frame_length = n_fft;
  fc.fft_size = n_fft;
  fc.hop = hop;
  fc.pad_mode = PadMode::Constant;
  fc.left_pad = 0;
  fc.power = 2.0f;
  fc.win_offset = (n_fft - win_length) / 2;
  fc.window.resize(static_cast<std::size_t>(win_length));
  for (int i = 0; i < win_length; ++i)  // periodic Hann
    fc.window[static_cast<std::size_t>(i)] = static_cast<float>(0.5 - 0.5 * std::cos(2.0 * kPi * i / win_length));
  return std::make_unique<FeaturePlan>(std::move(fc));
}

BlockGeometry::BlockGeometry(const FeaturePlan& plan, std::int64_t frames, int block_frames)
    : B(block_frames),
      blocks(static_cast<std::size_t>((frames + block_frames - 1) / block_frames)),
      bins(plan.bins()),
      seg_floats(static_cast<std::size_t>((B - 1) * plan.config().hop + plan.config().frame_length)),
      stage_floats(static_cast<std::size_t>(bins) * static_cast<std::size_t>(B)),
      kernel(block_kernel(active_simd_level())),
      scratch_floats(block_scratch_floats(plan, kernel.lanes)) {}

void BlockBuffers::reserve(const BlockGeometry& g) {
  if (seg.size() < g.seg_floats) seg.resize(g.seg_floats);
  if (stage.size() < g.stage_floats) stage.resize(g.stage_floats);
  if (scratch.size() < g.scratch_floats) scratch.resize(g.scratch_floats);
}

void padded_block_power(const FeaturePlan& plan, const BlockKernel& kernel, const float* x, std::int64_t n,
                        std::int64_t s0, std::int64_t seg_len, std::int64_t C, float* seg, float* stage,
                        std::int64_t B, float* scratch) {
  fill_padded(x, n, s0, seg_len, seg);
  for (std::int64_t t0 = 0; t0 < C; t0 += kernel.lanes) {
    BlockArgs args{&plan, seg, seg_len, t0, static_cast<int>(std::min<std::int64_t>(kernel.lanes, C - t0)),
                   stage, B, nullptr, nullptr, scratch, plan.config().hop, plan.frame_origin()};
    kernel.fn(args);
  }
}

int edge_zero_crossings(const float* x, std::int64_t n, std::int64_t start, int len, float thr) {
  int crossings = 0;
  if (start >= 0 && start + len <= n) {
    bool prev = clean(x[start]) < -thr;
    for (int m = 1; m < len; ++m) {
      const bool neg = clean(x[start + m]) < -thr;
      crossings += neg != prev;
      prev = neg;
    }
    return crossings;
  }
  const float first = clean(x[0]), last = clean(x[n - 1]);
  auto at = [&](std::int64_t j) { return j < 0 ? first : (j >= n ? last : clean(x[j])); };
  bool prev = at(start) < -thr;
  for (int m = 1; m < len; ++m) {
    const bool neg = at(start + m) < -thr;
    crossings += neg != prev;
    prev = neg;
  }
  return crossings;
}

}  // namespace spectral_detail

namespace {

void invalid(const std::string& message) { throw CoreError("INVALID_ARGUMENT", message); }

using spectral_detail::floor_div;

// Frames of n samples for frames of `len` every `hop` (librosa: centre padding by len / 2 on each side).
std::int64_t frames_for(std::int64_t n, int len, int hop, bool center) {
  if (n <= 0) return 0;
  if (center) return std::max<std::int64_t>(0, 1 + floor_div(n + 2 * (len / 2) - len, hop));
  if (n < len)
    throw CoreError("INPUT_TOO_SHORT",
                    "input shorter than one frame (" + std::to_string(len) + " samples) with center=false");
  return 1 + (n - len) / hop;
}

// Means of the q smallest and of the q largest of v[0..count) (q <= count), each
// summed in ascending order as over a sorted band. Small q keeps two sorted
// buffers of q values in one pass; large q selects with nth_element on a copy
// in `work` (count floats).
void mean_extremes(const float* v, int count, int q, float* work, double& lo, double& hi) {
  constexpr int kSmallQ = 32;
  if (q == 1) {
    float mn = v[0], mx = v[0];
    for (int i = 1; i < count; ++i) {
      mn = std::min(mn, v[i]);
      mx = std::max(mx, v[i]);
    }
    lo = mn;
    hi = mx;
    return;
  }
  double sum_lo = 0.0, sum_hi = 0.0;
  if (q <= kSmallQ) {
    float small[kSmallQ], large[kSmallQ];  // ascending
    for (int i = 0; i < q; ++i) small[i] = v[i];
    std::sort(small, small + q);
    std::copy(small, small + q, large);
    for (int i = q; i < count; ++i) {
      const float x = v[i];
      if (x < small[q - 1]) {
        int j = q - 1;
        for (; j > 0 && small[j - 1] > x; --j) small[j] = small[j - 1];
        small[j] = x;
      }
      if (x > large[0]) {
        int j = 0;
        for (; j + 1 < q && large[j + 1] < x; ++j) large[j] = large[j + 1];
        large[j] = x;
      }
    }
    for (int i = 0; i < q; ++i) {
      sum_lo += small[i];
      sum_hi += large[i];
    }
  } else {
    std::copy(v, v + count, work);
    std::nth_element(work, work + (q - 1), work + count);
    std::sort(work, work + q);
    for (int i = 0; i < q; ++i) sum_lo += work[i];
    std::nth_element(work, work + (count - q), work + count);
    std::sort(work + (count - q), work + count);
    for (int i = count - q; i < count; ++i) sum_hi += work[i];
  }
  lo = sum_lo / q;
  hi = sum_hi / q;
}

struct BlockMax {
  double peak = -std::numeric_limits<double>::infinity();
  double valley = -std::numeric_limits<double>::infinity();
};

}  // namespace

SpectralFeaturesPlan::SpectralFeaturesPlan(const SpectralConfig& cfg) : cfg_(cfg) {
  if (cfg_.sample_rate < 1) invalid("sample_rate must be positive");
  if (cfg_.n_fft < 2 || cfg_.n_fft > (1 << 20)) invalid("n_fft out of range");
  if (cfg_.hop < 1 || cfg_.hop > (1 << 24)) invalid("hop out of range");
  if (cfg_.win_length == 0) cfg_.win_length = cfg_.n_fft;
  if (cfg_.frame_length == 0) cfg_.frame_length = cfg_.n_fft;
  if (cfg_.win_length < 1 || cfg_.win_length > cfg_.n_fft) invalid("win_length out of range");
  if (cfg_.frame_length < 1 || cfg_.frame_length > (1 << 24)) invalid("frame_length out of range");
  if (cfg_.block_frames < 1 || cfg_.block_frames > (1 << 16)) invalid("block_frames out of range");
  if ((cfg_.features & ~static_cast<unsigned>(kAllSpectralFeatures)) != 0) invalid("unknown feature bits");
  if (!(cfg_.flatness_amin > 0.0) || !(cfg_.flatness_power > 0.0)) invalid("flatness amin and power must be positive");
  plan_ = spectral_detail::padded_stft_plan(cfg_.n_fft, cfg_.hop, cfg_.win_length);

  if (cfg_.features & kSpectralContrast) {
    const int nb = cfg_.contrast_bands;
    const double fmin = cfg_.contrast_fmin;
    if (nb < 1 || nb > 64) invalid("contrast n_bands out of range");
    if (!(fmin > 0.0)) invalid("contrast fmin must be positive");
    if (!(cfg_.contrast_quantile > 0.0 && cfg_.contrast_quantile < 1.0)) invalid("contrast quantile out of (0, 1)");
    if (!(cfg_.contrast_amin > 0.0)) invalid("contrast amin must be positive");
    // Bin frequencies as numpy's rfftfreq(n_fft, 1 / sr): k * (1 / (n_fft * (1 / sr))).
    const int bins = plan_->bins();
    const double val = 1.0 / (cfg_.n_fft * (1.0 / cfg_.sample_rate));
    std::vector<double> octa(static_cast<std::size_t>(nb) + 2, 0.0);
    for (int j = 1; j <= nb + 1; ++j) octa[static_cast<std::size_t>(j)] = fmin * std::ldexp(1.0, j - 1);
    if (octa[static_cast<std::size_t>(nb)] >= 0.5 * cfg_.sample_rate)
      invalid("contrast bands exceed the Nyquist frequency: reduce fmin or n_bands");
    for (int k = 0; k <= nb; ++k) {
      const double lo = octa[static_cast<std::size_t>(k)], hi = octa[static_cast<std::size_t>(k) + 1];
      int first = -1, last = -1;
      for (int b = 0; b < bins; ++b) {
        const double f = static_cast<double>(b) * val;
        if (f >= lo && f <= hi) {
          if (first < 0) first = b;
          last = b;
        }
      }
      if (first < 0) invalid("contrast band " + std::to_string(k) + " holds no FFT bin: increase n_fft or fmin");
      if (k > 0) --first;                  // the bin below the band joins it
      if (k == nb) last = bins - 1;        // the top band runs to Nyquist
      const int in_band = last - first + 1;  // the count the quantile applies to
      const int count = k < nb ? in_band - 1 : in_band;  // the band's top bin is left out below the top band
      if (count < 1) invalid("contrast band " + std::to_string(k) + " holds no FFT bin: increase n_fft or fmin");
      const int q = std::max(1, static_cast<int>(std::nearbyint(cfg_.contrast_quantile * in_band)));
      bands_.push_back({first, count, std::min(q, count)});
    }
  }
}

SpectralFeaturesPlan::~SpectralFeaturesPlan() = default;

std::int64_t SpectralFeaturesPlan::num_frames(std::int64_t n) const {
  if (n < 0) invalid("negative length");
  return frames_for(n, cfg_.n_fft, cfg_.hop, cfg_.center);
}

std::int64_t SpectralFeaturesPlan::num_time_frames(std::int64_t n) const {
  if (n < 0) invalid("negative length");
  return frames_for(n, cfg_.frame_length, cfg_.hop, cfg_.center);
}

std::size_t SpectralFeaturesPlan::workspace_floats(std::int64_t n) const {
  if (!(cfg_.features & kSpectralContrast) || cfg_.contrast_linear) return 0;
  return static_cast<std::size_t>(num_frames(n)) * static_cast<std::size_t>(contrast_rows());
}

void SpectralFeaturesPlan::compute(const float* x, std::int64_t n, const SpectralOutputs& out, int threads) const {
  if (n < 0) invalid("negative length");
  if (n > 0 && x == nullptr) invalid("null input");
  const unsigned f = cfg_.features;
  if (((f & kSpectralCentroid) && !out.centroid) || ((f & kSpectralBandwidth) && !out.bandwidth) ||
      ((f & kSpectralRolloff) && !out.rolloff) || ((f & kSpectralFlatness) && !out.flatness) ||
      ((f & kSpectralContrast) && !out.contrast) || ((f & kZeroCrossingRate) && !out.zcr) ||
      ((f & kRms) && !out.rms) || (workspace_floats(n) > 0 && !out.workspace))
    invalid("missing output buffer");
  if (f & (kSpectralCentroid | kSpectralBandwidth | kSpectralRolloff | kSpectralFlatness | kSpectralContrast))
    compute_spectral(x, n, out, threads);
  if (f & (kZeroCrossingRate | kRms)) compute_time(x, n, out, threads);
}

void SpectralFeaturesPlan::compute_spectral(const float* x, std::int64_t n, const SpectralOutputs& out,
                                            int threads) const {
  const std::int64_t T = num_frames(n);
  if (T == 0) return;
  const unsigned f = cfg_.features;
  const int nfft = cfg_.n_fft, hop = cfg_.hop;
  const std::int64_t left = cfg_.center ? nfft / 2 : 0;
  const spectral_detail::BlockGeometry geo(*plan_, T, cfg_.block_frames);
  const std::int64_t B = geo.B;
  const std::size_t blocks = geo.blocks;
  const int bins = geo.bins;
  const double bin_hz = static_cast<double>(cfg_.sample_rate) / nfft;
  const bool moments = (f & (kSpectralCentroid | kSpectralBandwidth | kSpectralRolloff | kSpectralFlatness)) != 0;
  const bool contrast = (f & kSpectralContrast) != 0;
  const bool db = contrast && !cfg_.contrast_linear;
  const int rows = contrast_rows();
  std::vector<BlockMax> maxima(db ? blocks : 0);

  parallel_for(blocks, 1, threads, [&](std::size_t begin, std::size_t end) {
    thread_local spectral_detail::BlockBuffers buf;
    thread_local std::vector<float> band, select;
    thread_local spectral_detail::FrameScratch acc;
    buf.reserve(geo);
    if (band.size() < static_cast<std::size_t>(bins)) band.resize(static_cast<std::size_t>(bins));
    if (select.size() < static_cast<std::size_t>(bins)) select.resize(static_cast<std::size_t>(bins));
    for (std::size_t b = begin; b < end; ++b) {
      const std::int64_t f0 = static_cast<std::int64_t>(b) * B;
      const std::int64_t C = std::min<std::int64_t>(B, T - f0);
      spectral_detail::padded_block_power(*plan_, geo.kernel, x, n, f0 * hop - left, (C - 1) * hop + nfft, C,
                                          buf.seg.data(), buf.stage.data(), B, buf.scratch.data());
      const std::vector<float>& stage = buf.stage;
      if (moments) {
        acc.resize(static_cast<std::size_t>(C));
        spectral_detail::frame_values(stage.data(), B, C, bins, cfg_.flatness_amin, cfg_.flatness_power,
                                      cfg_.roll_percent, bin_hz, acc);
        for (std::int64_t t = 0; t < C; ++t) {
          const std::size_t i = static_cast<std::size_t>(t);
          if (out.centroid) out.centroid[f0 + t] = static_cast<float>(acc.centroid[i]);
          if (out.bandwidth) out.bandwidth[f0 + t] = static_cast<float>(acc.bandwidth[i]);
          if (out.rolloff) out.rolloff[f0 + t] = static_cast<float>(acc.rolloff[i]);
          if (out.flatness) out.flatness[f0 + t] = static_cast<float>(acc.flatness[i]);
        }
      }
      if (!contrast) continue;
      // Contrast: per band, the means of the q smallest and q largest magnitudes.
      BlockMax m;
      for (std::int64_t t = 0; t < C; ++t) {
        float* mag = band.data();
        for (int k = 0; k < bins; ++k)
          mag[k] = std::sqrt(stage[static_cast<std::size_t>(k) * static_cast<std::size_t>(B) + static_cast<std::size_t>(t)]);
        for (int r = 0; r < rows; ++r) {
          const Band& bd = bands_[static_cast<std::size_t>(r)];
          double valley, peak;
          mean_extremes(mag + bd.first, bd.count, bd.quantile, select.data(), valley, peak);
          const std::size_t o = static_cast<std::size_t>(r) * static_cast<std::size_t>(T) +
                                static_cast<std::size_t>(f0 + t);
          if (!db) {
            out.contrast[o] = static_cast<float>(peak - valley);
            continue;
          }
          const double pdb = 10.0 * std::log10(std::max(peak, cfg_.contrast_amin));
          const double vdb = 10.0 * std::log10(std::max(valley, cfg_.contrast_amin));
          out.contrast[o] = static_cast<float>(pdb);
          out.workspace[o] = static_cast<float>(vdb);
          m.peak = std::max(m.peak, pdb);
          m.valley = std::max(m.valley, vdb);
        }
      }
      if (db) maxima[b] = m;
    }
  });
  if (!db) return;
  // power_to_db's top_db clamp, over the whole clip (librosa clamps each array at its maximum - top_db).
  BlockMax all;
  for (const BlockMax& m : maxima) {
    all.peak = std::max(all.peak, m.peak);
    all.valley = std::max(all.valley, m.valley);
  }
  const bool clamp = cfg_.contrast_top_db >= 0.0;
  const float pfloor = static_cast<float>(all.peak - cfg_.contrast_top_db);
  const float vfloor = static_cast<float>(all.valley - cfg_.contrast_top_db);
  const std::size_t cells = static_cast<std::size_t>(rows) * static_cast<std::size_t>(T);
  for (std::size_t i = 0; i < cells; ++i) {
    const float p = out.contrast[i], v = out.workspace[i];
    out.contrast[i] = clamp ? std::max(p, pfloor) - std::max(v, vfloor) : p - v;
  }
}

void SpectralFeaturesPlan::compute_time(const float* x, std::int64_t n, const SpectralOutputs& out,
                                        int threads) const {
  const std::int64_t T = num_time_frames(n);
  if (T == 0) return;
  const int len = cfg_.frame_length, hop = cfg_.hop;
  const std::int64_t left = cfg_.center ? len / 2 : 0;
  const std::int64_t B = cfg_.block_frames;
  const std::size_t blocks = static_cast<std::size_t>((T + B - 1) / B);
  const float thr = static_cast<float>(cfg_.zcr_threshold);
  parallel_for(blocks, 1, threads, [&](std::size_t begin, std::size_t end) {
    thread_local std::vector<float> seg;
    thread_local std::vector<double> power;
    thread_local spectral_detail::RunScratch runs;
    const std::size_t seg_floats = static_cast<std::size_t>((B - 1) * hop + len);
    if (seg.size() < seg_floats) seg.resize(seg_floats);
    if (power.size() < static_cast<std::size_t>(B)) power.resize(static_cast<std::size_t>(B));
    for (std::size_t b = begin; b < end; ++b) {
      const std::int64_t f0 = static_cast<std::int64_t>(b) * B;
      const std::int64_t C = std::min<std::int64_t>(B, T - f0);
      const std::int64_t s0 = f0 * hop - left;
      spectral_detail::fill_padded(x, n, s0, (C - 1) * hop + len, seg.data());
      spectral_detail::frame_power_crossings(x, n, seg.data(), s0, C, hop, len, thr, runs, power.data());
      for (std::int64_t t = 0; t < C; ++t) {
        const std::size_t i = static_cast<std::size_t>(t);
        if (out.zcr) out.zcr[f0 + t] = static_cast<float>(static_cast<double>(runs.crossings[i]) / len);
        if (out.rms) out.rms[f0 + t] = static_cast<float>(std::sqrt(power[i]));
      }
    }
  });
}

}  // namespace audiomill
