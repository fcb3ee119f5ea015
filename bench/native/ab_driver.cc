// A/B driver for kernel changes: the same log-mel plan built from two copies
// of the core (the baseline compiled with -Daudiomill=audiomill_old), timed
// alternately in one process on the same input. Built and run by ab-kernel.sh.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "dsp/feature_plan.h"
#include "util/simd.h"

namespace audiomill_old {
struct FeatureConfig;
}

// The baseline is reached through a tiny C-style shim compiled with the old core.
double run_old(const float* x, long len, int n_fft, int hop, int n_mels, int reps, const char* level);

using namespace audiomill;

static FeatureConfig logmel_config(int n_fft, int hop, int n_mels) {
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
  return c;
}

double run_new(const float* x, long len, int n_fft, int hop, int n_mels, int reps, const char* level) {
  SimdLevel l;
  if (parse_simd_level(level, &l)) set_simd_level(l);
  FeaturePlan plan(logmel_config(n_fft, hop, n_mels));
  std::vector<float> out(static_cast<std::size_t>(plan.output_size(len)));
  double best = 1e30;
  for (int r = 0; r < reps; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    plan.compute(x, len, out.data(), 1);
    best = std::min(best, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  return best;
}

int main(int argc, char** argv) {
  const char* level = argc > 1 ? argv[1] : "avx512";
  const int rounds = argc > 2 ? std::atoi(argv[2]) : 15;
  std::vector<float> x(16000 * 60);
  unsigned long long s = 1;
  for (std::size_t i = 0; i < x.size(); ++i) {
    s = (s * 16807) % 2147483647;
    x[i] = static_cast<float>(std::sin(i * 0.01) * 0.5 + 0.2 * (s / 2147483647.0 - 0.5));
  }
  std::vector<double> a, b;
  for (int r = 0; r < rounds; ++r) {
    a.push_back(run_old(x.data(), static_cast<long>(x.size()), 512, 160, 64, 5, level));
    b.push_back(run_new(x.data(), static_cast<long>(x.size()), 512, 160, 64, 5, level));
  }
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  std::printf("%s, config A log-mel on 60 s, %d rounds of best-of-5: baseline median %.3f ms (min %.3f), "
              "change median %.3f ms (min %.3f), change/baseline %.3f\n",
              level, rounds, a[a.size() / 2], a[0], b[b.size() / 2], b[0], b[b.size() / 2] / a[a.size() / 2]);
}
