#include "features/acoustic_stats.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <numeric>
#include <vector>

#include "dsp/feature_plan.h"
#include "features/spectral.h"
#include "util/error.h"
#include "util/isa_clone.h"
#include "util/simd.h"
#include "util/thread_pool.h"

namespace audiomill {

namespace {

void invalid(const std::string& message) { throw CoreError("INVALID_ARGUMENT", message); }

using spectral_detail::floor_div;

using spectral_detail::clean;

double level_db(double amplitude, double amin) { return 20.0 * std::log10(std::max(amplitude, amin)); }

// Sums one block contributes; combined in block order so the result does not
// depend on how blocks were spread over threads.
struct Partial {
  double sum = 0.0, sum_sq = 0.0, peak = 0.0;
  // Sums of d = x - shift and d^2 (shift: the clip's first sample, the same for every
  // block): the AC variance sum_d2/n - (sum_d/n)^2 without the cancellation of sum_sq/n - mean^2
  // when the DC offset dwarfs the AC level (a constant clip gives exactly 0).
  double sum_d = 0.0, sum_d2 = 0.0;
  std::int64_t clipped = 0, non_finite = 0;
  double zcr = 0.0, centroid = 0.0, bandwidth = 0.0, rolloff = 0.0, flatness = 0.0;
};


// Whole-signal sums of the samples x[0..len): four interleaved partial sums
// (a fixed order, so independent of the thread count); a NaN/Inf sample
// counts as 0. Counts run in 32-bit lanes over chunks.
AM_INLINE void time_sums_impl(const float* x, std::int64_t len, float clip_thr, double shift, Partial& p) {
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
  double a4[4] = {0.0, 0.0, 0.0, 0.0}, b4[4] = {0.0, 0.0, 0.0, 0.0};  // shifted sums
  const std::int64_t len4 = len & ~std::int64_t{3};
#if defined(__GNUC__)
  // Lane l of the vectors is partial sum l (GCC/Clang vector extensions: 2 SSE2, 1 AVX2 register).
  typedef std::int32_t I4 __attribute__((vector_size(16)));
  typedef float F4 __attribute__((vector_size(16)));
  typedef double D4 __attribute__((vector_size(32)));
  D4 sv = {0.0, 0.0, 0.0, 0.0}, qv = {0.0, 0.0, 0.0, 0.0};
  D4 av = {0.0, 0.0, 0.0, 0.0}, bv = {0.0, 0.0, 0.0, 0.0};
  const D4 kv = {shift, shift, shift, shift};
  for (std::int64_t i = 0; i < len4; i += 4) {
    I4 u;
    std::memcpy(&u, x + i, sizeof u);
    u &= (u & 0x7f800000) != 0x7f800000;  // -1 (keep) where finite, 0 (NaN/Inf -> 0) elsewhere
    F4 f;
    std::memcpy(&f, &u, sizeof f);
    const D4 d = __builtin_convertvector(f, D4);
    sv += d;
    qv += d * d;
    // A NaN/Inf sample is 0 here as well (d is already 0 for it).
    const D4 e = d - kv;
    av += e;
    bv += e * e;
  }
  for (int l = 0; l < 4; ++l) {
    s4[l] = sv[l];
    q4[l] = qv[l];
    a4[l] = av[l];
    b4[l] = bv[l];
  }
#else
  for (std::int64_t i = 0; i < len4; i += 4) {
    for (int l = 0; l < 4; ++l) {
      const double d = static_cast<double>(clean(x[i + l]));
      s4[l] += d;
      q4[l] += d * d;
      a4[l] += d - shift;
      b4[l] += (d - shift) * (d - shift);
    }
  }
#endif
  for (std::int64_t i = len4; i < len; ++i) {
    const float v = clean(x[i]);
    s4[0] += static_cast<double>(v);
    q4[0] += static_cast<double>(v) * v;
    a4[0] += static_cast<double>(v) - shift;
    b4[0] += (static_cast<double>(v) - shift) * (static_cast<double>(v) - shift);
  }
  p.sum = (s4[0] + s4[1]) + (s4[2] + s4[3]);
  p.sum_sq = (q4[0] + q4[1]) + (q4[2] + q4[3]);
  p.sum_d = (a4[0] + a4[1]) + (a4[2] + a4[3]);
  p.sum_d2 = (b4[0] + b4[1]) + (b4[2] + b4[3]);
  p.peak = peak;
  p.clipped = clipped;
  p.non_finite = bad;
}

using TimeSumsFn = void (*)(const float*, std::int64_t, float, double, Partial&);
void time_sums_base(const float* x, std::int64_t len, float clip_thr, double shift, Partial& p) {
  time_sums_impl(x, len, clip_thr, shift, p);
}
#if defined(AM_ISA_CLONES)
AM_TARGET_AVX2 void time_sums_avx2(const float* x, std::int64_t len, float clip_thr, double shift, Partial& p) {
  time_sums_impl(x, len, clip_thr, shift, p);
}
AM_TARGET_AVX512 void time_sums_avx512(const float* x, std::int64_t len, float clip_thr, double shift, Partial& p) {
  time_sums_impl(x, len, clip_thr, shift, p);
}
#else
constexpr TimeSumsFn time_sums_avx2 = time_sums_base, time_sums_avx512 = time_sums_base;
#endif

// The same sums with the widest lanes this machine runs (identical results at every level).
void time_sums(const float* x, std::int64_t len, float clip_thr, double shift, Partial& p) {
  isa_dispatch<TimeSumsFn>(time_sums_base, time_sums_avx2, time_sums_avx512, x, len, clip_thr, shift, p);
}

// The spectral means of a plan without them (spectral = false): NaN, never a number that was not computed.
void no_spectral(AcousticStats& out) {
  out.spectral_centroid = out.spectral_bandwidth = out.spectral_rolloff = out.spectral_flatness =
      std::numeric_limits<double>::quiet_NaN();
}

}  // namespace

AcousticStatsPlan::AcousticStatsPlan(const AcousticStatsConfig& cfg) : cfg_(cfg) {
  if (cfg_.n_fft < 2 || cfg_.n_fft > (1 << 20)) invalid("n_fft out of range");
  if (cfg_.hop < 1 || cfg_.hop > (1 << 24)) invalid("hop out of range");
  if (cfg_.block_frames < 1 || cfg_.block_frames > (1 << 16)) invalid("block_frames out of range");
  plan_ = spectral_detail::padded_stft_plan(cfg_.n_fft, cfg_.hop, cfg_.n_fft);
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
    out.rms_db = out.rms_ac_db = out.peak_db = floor_db;
    out.silence_ratio = 1.0;
    out.spectral_flatness = 1.0;
    if (!cfg_.spectral) no_spectral(out);
    return out;
  }
  const int nfft = cfg_.n_fft, hop = cfg_.hop, half = nfft / 2;
  const std::int64_t T = num_frames(n);
  const spectral_detail::BlockGeometry geo(*plan_, T, cfg_.block_frames);
  const std::int64_t B = geo.B;
  const std::size_t blocks = geo.blocks;
  const int bins = geo.bins;
  const float zthr = static_cast<float>(cfg_.zcr_threshold);
  const float clip_thr = static_cast<float>(cfg_.clip_threshold);
  const double bin_hz = static_cast<double>(sample_rate) / nfft;

  std::vector<Partial> partials(blocks);
  // The shift of the AC sums: the first sample (a NaN/Inf one reads as 0, as everywhere). Any
  // value near the mean keeps the sums exact; the first sample is near it whenever DC dominates.
  const double shift = static_cast<double>(clean(x[0]));
  std::vector<double> frame_power(static_cast<std::size_t>(T));

  parallel_for(blocks, 1, threads, [&](std::size_t begin, std::size_t end) {
    thread_local spectral_detail::BlockBuffers buf;
    thread_local spectral_detail::FrameScratch acc;
    thread_local spectral_detail::RunScratch runs;
    buf.reserve(geo);
    std::vector<float>& seg = buf.seg;
    std::vector<float>& stage = buf.stage;
    for (std::size_t b = begin; b < end; ++b) {
      Partial& p = partials[b];
      const std::int64_t f0 = static_cast<std::int64_t>(b) * B;
      const std::int64_t C = std::min<std::int64_t>(B, T - f0);
      // 1. Whole-signal sums over the samples this block owns.
      const std::int64_t own0 = f0 * hop;
      const std::int64_t own1 = (b + 1 == blocks) ? n : std::min<std::int64_t>(n, (f0 + C) * hop);
      time_sums(x + own0, own1 - own0, clip_thr, shift, p);
      // 2-3. The block's stretch of the zero-padded signal (frame t starts at
      // seg[t*hop]) and |X|^2 of its C frames, bins x C (stride B).
      const std::int64_t s0 = f0 * hop - half;
      const std::int64_t seg_len = (C - 1) * hop + nfft;
      if (cfg_.spectral)
        spectral_detail::padded_block_power(*plan_, geo.kernel, x, n, s0, seg_len, C, seg.data(), stage.data(), B,
                                            buf.scratch.data());
      else
        spectral_detail::fill_padded(x, n, s0, seg_len, seg.data());
      // 4. Per-frame powers and zero crossings (runs of gcd(n_fft, hop) samples).
      spectral_detail::frame_power_crossings(x, n, seg.data(), s0, C, hop, nfft, zthr, runs,
                                             frame_power.data() + f0);
      for (std::int64_t t = 0; t < C; ++t)
        p.zcr += static_cast<double>(runs.crossings[static_cast<std::size_t>(t)]) / nfft;
      if (!cfg_.spectral) continue;
      // 5. Spectral features of S = |X| (librosa definitions, in bin units),
      // bins outer and frames inner: for a fixed bin the C frames are
      // contiguous in the stage, so every per-frame sum runs in its own lane.
      acc.resize(static_cast<std::size_t>(C));
      spectral_detail::frame_values(stage.data(), B, C, bins, cfg_.flatness_amin, cfg_.flatness_power,
                                    cfg_.rolloff_percent, bin_hz, acc);
      for (std::size_t t = 0; t < static_cast<std::size_t>(C); ++t) {  // in frame order
        p.centroid += acc.centroid[t];
        p.bandwidth += acc.bandwidth[t];
        p.rolloff += acc.rolloff[t];
        p.flatness += acc.flatness[t];
      }
    }
  });

  // Combine in block order.
  Partial tot;
  for (const Partial& p : partials) {
    tot.sum += p.sum;
    tot.sum_sq += p.sum_sq;
    tot.sum_d += p.sum_d;
    tot.sum_d2 += p.sum_d2;
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
  const double mean_d = tot.sum_d / dn;
  out.rms_ac_db = level_db(std::sqrt(std::max(0.0, tot.sum_d2 / dn - mean_d * mean_d)), cfg_.amin);
  out.peak_db = level_db(tot.peak, cfg_.amin);
  out.crest_factor_db = out.peak_db - out.rms_db;
  out.clip_ratio = static_cast<double>(tot.clipped) / dn;
  out.zero_crossing_rate = tot.zcr / dt;
  out.spectral_centroid = tot.centroid / dt;
  out.spectral_bandwidth = tot.bandwidth / dt;
  out.spectral_rolloff = tot.rolloff / dt;
  out.spectral_flatness = tot.flatness / dt;
  if (!cfg_.spectral) no_spectral(out);

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
