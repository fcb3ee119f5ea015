// The per-block frame pipeline, templated on a lane vector V: V::L frames are
// framed, preprocessed, windowed and transformed side by side, one frame per
// SIMD lane, so every FFT length runs at full vector width. Included once per
// instruction set (dsp/block_*.cc).
#pragma once
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "dsp/feature_plan.h"
#include "fft/kernel.h"

namespace audiomill {
inline namespace AUDIOMILL_ISA {

template <class V>
void process_block(const BlockArgs& args) {
  constexpr int L = V::L;
  const FeaturePlan& plan = *args.plan;
  const FeatureConfig& cfg = plan.config();
  const RealFftPlan& fft = plan.fft();
  const std::size_t buf_size = fft.buffer_floats(L);
  const int bins = fft.bins();
  float* const a = args.scratch;  // FFT buffer, complex-output buffer, spectrum, features
  float* const c = a + buf_size;
  float* const spec = c + buf_size;
  float* const feat = spec + static_cast<std::size_t>(bins) * L;
  // 1. Gather frames into lanes: window sample m goes to FFT slot win_offset + m
  // (a short window sits centred in the frame, so complex outputs keep
  // torch's phase). Slots the window does not cover (FFT zero-padding,
  // odd-length imaginary parts) must be zero.
  const int wlen = static_cast<int>(cfg.window.size());
  float* const w0 = a + fft.sample_offset(cfg.win_offset, L);
  if (!(fft.even && cfg.win_offset == 0 && wlen == fft.n)) std::fill(a, a + buf_size, 0.0f);
  const std::int64_t hop = args.hop;
  const std::int64_t begin0 = args.t0 * hop + args.first;  // index into x of lane 0's window sample 0
  const std::int64_t span = static_cast<std::int64_t>(L - 1) * hop + wlen;
  // The gather multiplies by the window, or by ones when Kaldi preprocessing
  // must see the raw samples first (see FeaturePlan::gather_window).
  const float* gw = plan.gather_window().data();
  // Edge blocks (padding, or a last block with fewer than L frames) first copy the padded
  // samples they span into a segment buffer, so they take the same tile path as inner blocks
  // (the per-sample padding lookup then runs only for samples outside the signal). Lanes past
  // args.count read padded samples and are computed but never stored.
  const float* src = args.x;
  std::int64_t src_begin = begin0;
  bool inside = args.count == L && begin0 >= 0 && begin0 + span <= args.len;
  const std::size_t seg_floats = block_segment_floats(cfg, L);
  if (!inside && seg_floats != 0) {
    float* seg = args.scratch + block_scratch_floats(plan, L) - seg_floats;
    const std::int64_t lo = std::max<std::int64_t>(0, -begin0);
    const std::int64_t hi = std::min<std::int64_t>(span, args.len - begin0);
    for (std::int64_t i = 0; i < std::min(lo, span); ++i) seg[i] = plan.sample_at(args.x, args.len, begin0 + i + cfg.zero_pad);
    if (hi > lo) std::memcpy(seg + lo, args.x + begin0 + lo, sizeof(float) * static_cast<std::size_t>(hi - lo));
    for (std::int64_t i = std::max(lo, hi); i < span; ++i) seg[i] = plan.sample_at(args.x, args.len, begin0 + i + cfg.zero_pad);
    src = seg;
    src_begin = 0;
    inside = true;
  }
  if (inside && fft.even) {
    // Whole block inside the signal (or its segment): L x L tile transposes.
    const float* rows[L];
    for (int lane = 0; lane < L; ++lane) rows[lane] = src + src_begin + static_cast<std::int64_t>(lane) * hop;
    int m0 = 0;
    for (; m0 + L <= wlen; m0 += L) {
      transpose_store(rows, w0 + static_cast<std::size_t>(m0) * L, L, gw + m0, static_cast<V*>(nullptr));
      for (int lane = 0; lane < L; ++lane) rows[lane] += L;
    }
    for (int m = m0; m < wlen; ++m) {
      for (int lane = 0; lane < L; ++lane) w0[static_cast<std::size_t>(m) * L + lane] = src[src_begin + static_cast<std::int64_t>(lane) * hop + m] * gw[m];
    }
  } else {
    for (int lane = 0; lane < (inside ? L : args.count); ++lane) {
      const std::int64_t begin = src_begin + static_cast<std::int64_t>(lane) * hop;
      float* dst = w0 + lane;
      if (inside || (begin >= 0 && begin + wlen <= args.len)) {
        const float* s = src + begin;
        for (int m = 0; m < wlen; ++m) dst[fft.sample_offset(m, L)] = s[m] * gw[m];
      } else {
        const std::int64_t pbegin = begin + cfg.zero_pad;  // padded coordinates
        for (int m = 0; m < wlen; ++m) dst[fft.sample_offset(m, L)] = plan.sample_at(args.x, args.len, pbegin + m) * gw[m];
      }
    }
  }
  auto at = [&](int m) { return w0 + fft.sample_offset(m, L); };

  // 2. Kaldi preprocessing.
  alignas(64) float lane_tmp[L];
  // Log energy of the frames as they are now, floored like Kaldi.
  auto store_energy = [&]() {
    V sumsq = V::zero();
    for (int m = 0; m < wlen; ++m) {
      const V v = V::load(at(m));
      sumsq = fmadd(v, v, sumsq);
    }
    sumsq.store(lane_tmp);
    for (int lane = 0; lane < args.count; ++lane) {
      const float e = std::log(std::max(lane_tmp[lane], 1.1920928955078125e-07f));
      args.energy[args.t0 + lane] = std::max(e, cfg.log_energy_floor);
    }
  };
  if (cfg.remove_dc) {
    V sum = V::zero();
    for (int m = 0; m < wlen; ++m) sum = sum + V::load(at(m));
    const V mean = sum * V::set1(1.0f / static_cast<float>(wlen));
    for (int m = 0; m < wlen; ++m) (V::load(at(m)) - mean).store(at(m));
  }
  if (cfg.energy == EnergyPoint::Raw) store_energy();
  if (cfg.preemphasis != 0.0f) {
    const V p = V::set1(cfg.preemphasis);
    for (int m = wlen - 1; m >= 1; --m) fnmadd(p, V::load(at(m - 1)), V::load(at(m))).store(at(m));
    fnmadd(p, V::load(at(0)), V::load(at(0))).store(at(0));
  }
  // 3. Window (already applied by the gather unless Kaldi preprocessing ran).
  if (!plan.window_in_gather()) {
    for (int m = 0; m < wlen; ++m) (V::load(at(m)) * V::set1(cfg.window[m])).store(at(m));
  }
  if (cfg.energy == EnergyPoint::Windowed) store_energy();

  // 4. FFT, consumed bin by bin: the complex spectrum, or |X|^power.
  const std::int64_t T = args.stride;
  const int nfft = fft.n;
  if (cfg.complex_out) {
    rfft_lanes<V>(fft, a, [&](int k, const Cx<V>& X) { cstore<V>(c, static_cast<std::size_t>(k), X); });
    const int out_bins = cfg.onesided ? bins : nfft;
    for (int k = 0; k < out_bins; ++k) {
      const int src = k < bins ? k : nfft - k;
      const float sign = k < bins ? 1.0f : -1.0f;
      const float* re = c + 2 * static_cast<std::size_t>(src) * L;
      const float* im = re + L;
      for (int lane = 0; lane < args.count; ++lane) {
        float* dst = args.stage + 2 * (static_cast<std::size_t>(k) * T + args.t0 + lane);
        dst[0] = re[lane];
        dst[1] = sign * im[lane];
      }
    }
    return;
  }
  const bool magnitude = cfg.power == 1.0f;
  rfft_lanes<V>(fft, a, [&](int k, const Cx<V>& X) {
    V p = fmadd(X.re, X.re, X.im * X.im);
    if (magnitude) p = vsqrt(p);
    p.store(spec + static_cast<std::size_t>(k) * L);
  });
  // 5. Other powers: |X|^p = (|X|^2)^(p/2).
  if (cfg.power != 1.0f && cfg.power != 2.0f) {
    const float e = cfg.power * 0.5f;
    for (std::size_t i = 0; i < static_cast<std::size_t>(bins) * L; ++i) spec[i] = std::pow(spec[i], e);
  }

  // 6. Filterbank.
  const float* rows = spec;
  int nrows = cfg.onesided ? bins : nfft;
  if (cfg.n_mels > 0) {
    const float* w = plan.mel_weights().data();
    for (int m = 0; m < cfg.n_mels; ++m) {
      const auto& f = plan.mel_filters()[m];
      V acc = V::zero();
      const float* s = spec + static_cast<std::size_t>(f.first_bin) * L;
      for (int j = 0; j < f.count; ++j) acc = fmadd(V::set1(w[f.offset + j]), V::load(s + static_cast<std::size_t>(j) * L), acc);
      acc.store(feat + static_cast<std::size_t>(m) * L);
    }
    rows = feat;
    nrows = cfg.n_mels;
  }

  // 7. Log, then store rows (features x frames), tracking the block maximum.
  V running = V::set1(-std::numeric_limits<float>::infinity());
  alignas(64) float tmp[L];
  for (int r = 0; r < nrows; ++r) {
    const int src = r < bins ? r : nfft - r;  // two-sided power mirrors the upper half
    const float* v = rows + static_cast<std::size_t>(cfg.n_mels > 0 ? r : src) * L;
    float* dst = args.stage + static_cast<std::size_t>(r) * T + args.t0;
    V y = V::load(v);
    // max(floor, x) keeps NaN (the second operand wins on NaN).
    if (cfg.log) y = fmadd(V::set1(cfg.log_scale), vlog(vmax(V::set1(cfg.log_floor), y + V::set1(cfg.log_add))), V::set1(cfg.log_offset));
    if (args.block_max) running = vmax_num(y, running);
    if (args.count == L) {
      y.store(dst);
    } else {
      y.store(tmp);
      std::memcpy(dst, tmp, sizeof(float) * static_cast<std::size_t>(args.count));
    }
  }
  if (args.block_max) {
    running.store(tmp);
    float m = -std::numeric_limits<float>::infinity();
    for (int lane = 0; lane < args.count; ++lane) m = std::max(m, tmp[lane]);
    args.block_max[args.t0 / L] = m;
  }
}

}  // namespace AUDIOMILL_ISA
}  // namespace audiomill
