// The log-mel plan (config A shape) and best-of-reps timing shared by both
// sides of the A/B driver. Included by ab_driver.cc (current core) and by
// ab_shim.cc (baseline core, where -Daudiomill=audiomill_old renames the
// namespace); `static` keeps one private copy per translation unit.
#pragma once
#include <algorithm>
#include <chrono>
#include <cmath>
#include <vector>

#include "dsp/feature_plan.h"
#include "util/simd.h"

static double time_logmel(const float* x, long len, int n_fft, int hop, int n_mels, int reps, const char* level) {
  using namespace audiomill;
  SimdLevel l;
  if (parse_simd_level(level, &l)) set_simd_level(l);
  FeatureConfig c;
  c.frame_rule = FrameRule::TorchCenter;
  c.frame_length = c.fft_size = n_fft;
  c.hop = hop;
  c.left_pad = n_fft / 2;
  c.pad_mode = PadMode::Reflect;
  c.window.resize(n_fft);
  for (int i = 0; i < n_fft; ++i) c.window[i] = 0.5f - 0.5f * std::cos(2 * M_PI * i / n_fft);
  const int bins = n_fft / 2 + 1;
  c.n_mels = n_mels;
  c.fbank.assign(static_cast<std::size_t>(bins) * n_mels, 0.0f);
  for (int m = 0; m < n_mels; ++m) {
    const int k0 = m * (bins - 8) / n_mels;
    for (int j = 0; j < 8; ++j) c.fbank[static_cast<std::size_t>(k0 + j) * n_mels + m] = 0.1f;
  }
  c.log = true;
  c.log_scale = 10.0f / std::log(10.0f);
  c.log_floor = 1e-10f;
  c.top_db = 80.0f;
  FeaturePlan plan(c);
  std::vector<float> out(static_cast<std::size_t>(plan.output_size(len)));
  double best = 1e30;
  for (int r = 0; r < reps; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    plan.compute(x, len, out.data(), 1);
    best = std::min(best, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  return best;
}
