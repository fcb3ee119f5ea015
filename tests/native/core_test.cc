// Native core tests, run under AddressSanitizer + UBSan by `npm run test:asan`.
// They drive the pure C++ core directly (no Node): FFT accuracy at every SIMD
// level, every framing/padding path on awkward lengths and non-finite input,
// the thread pool, and the delta filters.
#include <cmath>
#include <cstring>
#include <cstdio>
#include <functional>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "check.h"
#include "dsp/feature_plan.h"
#include "features/deltas.h"
#include "fft/fft.h"
#include "util/error.h"
#include "util/simd.h"
#include "util/thread_pool.h"

using namespace audiomill;
using amtest::check;
using amtest::noise;

namespace {

double rel_err_vs_dft(const float* frame, int n, const float* spec /* interleaved, stride */, std::size_t stride) {
  double num = 0, den = 0;
  for (int k = 0; k <= n / 2; ++k) {
    double re = 0, im = 0;
    for (int j = 0; j < n; ++j) {
      const double a = -2.0 * M_PI * static_cast<double>((static_cast<long long>(k) * j) % n) / n;
      re += frame[j] * std::cos(a);
      im += frame[j] * std::sin(a);
    }
    const double dr = spec[k * stride] - re, di = spec[k * stride + 1] - im;
    num += dr * dr + di * di;
    den += re * re + im * im;
  }
  return den == 0 ? std::sqrt(num) : std::sqrt(num / den);
}

FeatureConfig complex_config(int n) {
  FeatureConfig c;
  c.frame_rule = FrameRule::TorchNoCenter;
  c.frame_length = c.fft_size = n;
  c.hop = 1;
  c.window.assign(n, 1.0f);
  c.complex_out = true;
  return c;
}

void test_fft_levels() {
  for (SimdLevel level : {SimdLevel::Scalar, SimdLevel::Neon, SimdLevel::Avx2, SimdLevel::Avx512}) {
    if (!set_simd_level(level)) continue;
    double worst = 0;
    int worst_n = 0;
    for (int n = 1; n <= 300; ++n) {
      const int frames = 18;
      auto x = noise(n + frames - 1, n);
      FeaturePlan plan(complex_config(n));
      std::vector<float> out(plan.output_size(static_cast<std::int64_t>(x.size())));
      plan.compute(x.data(), static_cast<std::int64_t>(x.size()), out.data(), 2);
      for (int t : {0, 7, 16, 17}) {
        const double e = rel_err_vs_dft(x.data() + t, n, out.data() + 2 * t, 2 * static_cast<std::size_t>(frames));
        if (e > worst) { worst = e; worst_n = n; }
      }
    }
    check(worst <= 1e-5, std::string("lane FFT accuracy at ") + simd_level_name(level) + " worst n=" + std::to_string(worst_n));
  }
  set_simd_level(detected_simd_level());
  for (int n : {1, 2, 17, 61, 127, 1000, 4099}) {
    auto x = noise(n, 7 * n);
    std::vector<float> spec(2 * (n / 2 + 1)), back(n);
    rfft(x.data(), n, spec.data());
    check(rel_err_vs_dft(x.data(), n, spec.data(), 2) <= 1e-5, "rfft n=" + std::to_string(n));
    irfft(spec.data(), n, back.data());
    double e = 0;
    for (int i = 0; i < n; ++i) e = std::max(e, static_cast<double>(std::fabs(back[i] - x[i])));
    check(e <= 1e-5, "irfft round trip n=" + std::to_string(n));
  }
}

void run_all_lengths(FeatureConfig cfg, const std::string& name, bool expect_finite) {
  FeaturePlan plan(std::move(cfg));
  // The lengths the plan takes, computed alone here and as one batch below (short clips packed into shared blocks).
  std::vector<std::vector<float>> inputs, alone;
  for (std::int64_t len : {0, 1, 2, 3, 5, 100, 199, 200, 201, 399, 400, 401, 1234, 16000}) {
    auto x = noise(static_cast<std::size_t>(len), static_cast<unsigned>(len + 1));
    std::int64_t size = 0;
    try {
      size = plan.output_size(len);
    } catch (const CoreError& e) {
      check(std::string(e.code()) == "INPUT_TOO_SHORT", name + ": only INPUT_TOO_SHORT may refuse len " + std::to_string(len));
      continue;
    }
    std::vector<float> out(static_cast<std::size_t>(size), -12345.0f);
    plan.compute(x.data(), len, out.data(), 2);
    bool finite = true, written = true;
    for (float v : out) {
      if (!std::isfinite(v)) finite = false;
      if (v == -12345.0f) written = false;
    }
    check(written, name + ": every output cell written, len " + std::to_string(len));
    if (expect_finite) check(finite, name + ": finite output, len " + std::to_string(len));
    inputs.push_back(std::move(x));
    alone.push_back(std::move(out));
  }
  for (int threads : {1, 2}) {
    std::vector<const float*> xs;
    std::vector<std::int64_t> lens;
    std::vector<std::vector<float>> outs;
    std::vector<float*> ptrs;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      xs.push_back(inputs[i].data());
      lens.push_back(static_cast<std::int64_t>(inputs[i].size()));
      outs.emplace_back(alone[i].size(), -12345.0f);  // exactly sized: ASan sees a write past a clip's output
    }
    for (auto& o : outs) ptrs.push_back(o.data());
    compute_batch(plan, xs, lens, ptrs, threads);
    bool same = true;
    for (std::size_t i = 0; i < outs.size(); ++i)
      same = same && (outs[i].empty() || std::memcmp(outs[i].data(), alone[i].data(), sizeof(float) * outs[i].size()) == 0);
    check(same, name + ": compute_batch equals compute per clip bit for bit, " + std::to_string(threads) + " threads");
  }
}

FeatureConfig torch_config(PadMode mode, int n_fft, int win, int hop) {
  FeatureConfig c;
  c.frame_rule = FrameRule::TorchCenter;
  c.frame_length = c.fft_size = n_fft;
  c.hop = hop;
  c.pad_mode = mode;
  c.left_pad = n_fft / 2;
  c.win_offset = (n_fft - win) / 2;
  c.window.assign(win, 0.5f);
  return c;
}

void test_framing() {
  for (PadMode mode : {PadMode::Constant, PadMode::Reflect, PadMode::Replicate, PadMode::Circular, PadMode::Symmetric}) {
    run_all_lengths(torch_config(mode, 400, 300, 160), "pad mode " + std::to_string(static_cast<int>(mode)), true);
  }
  FeatureConfig nc = torch_config(PadMode::Reflect, 400, 400, 100);
  nc.frame_rule = FrameRule::TorchNoCenter;
  nc.left_pad = 0;
  nc.zero_pad = 7;
  run_all_lengths(nc, "no centre with pad", true);

  // Mel + dB + top_db + DCT, and the Kaldi layout with energy.
  FeatureConfig mel = torch_config(PadMode::Reflect, 512, 512, 160);
  mel.n_mels = 4;
  mel.fbank.assign(257 * 4, 0.0f);
  for (int k = 0; k < 257; ++k) mel.fbank[k * 4 + (k % 4)] = 1.0f;
  mel.log = true;
  mel.log_scale = 10.0f / std::log(10.0f);
  mel.log_floor = 1e-10f;
  mel.top_db = 80.0f;
  mel.n_out = 3;
  mel.dct.assign(4 * 3, 0.25f);
  run_all_lengths(mel, "mfcc chain", true);

  FeatureConfig kaldi;
  kaldi.frame_rule = FrameRule::KaldiNoSnip;
  kaldi.frame_length = 400;
  kaldi.fft_size = 512;
  kaldi.hop = 160;
  kaldi.pad_mode = PadMode::Symmetric;
  kaldi.left_pad = 200 - 80;
  kaldi.window.assign(400, 1.0f);
  kaldi.remove_dc = true;
  kaldi.preemphasis = 0.97f;
  kaldi.energy = EnergyPoint::Raw;
  kaldi.energy_mode = EnergyColumn::Prepend;
  kaldi.move_first_last = true;
  kaldi.frames_first = true;
  kaldi.subtract_mean = true;
  kaldi.n_mels = 2;
  kaldi.fbank.assign(257 * 2, 0.5f);
  kaldi.log = true;
  kaldi.log_floor = 1.1920929e-07f;
  run_all_lengths(kaldi, "kaldi no-snip", true);
  kaldi.frame_rule = FrameRule::KaldiSnip;
  run_all_lengths(kaldi, "kaldi snip", true);

  // Non-finite input never faults; NaN stays local to the frames that read it.
  FeaturePlan plan(torch_config(PadMode::Reflect, 64, 64, 16));
  auto x = noise(1000, 3);
  x[500] = std::numeric_limits<float>::quiet_NaN();
  x[10] = std::numeric_limits<float>::infinity();
  std::vector<float> out(plan.output_size(1000));
  plan.compute(x.data(), 1000, out.data(), 2);
  const auto shape = plan.output_shape(1000);
  const std::int64_t T = shape[1];
  bool far_ok = true;
  for (std::int64_t k = 0; k < shape[0]; ++k) far_ok = far_ok && std::isfinite(out[k * T + 45]);
  check(far_ok, "frames away from NaN/Inf stay finite");
  check(std::isnan(out[31]), "a frame containing NaN is NaN");
}

void test_errors() {
  bool threw = false;
  try {
    FeatureConfig c = torch_config(PadMode::Reflect, 400, 500, 160);
    FeaturePlan p(c);
  } catch (const CoreError& e) {
    threw = std::string(e.code()) == "INVALID_ARGUMENT";
  }
  check(threw, "a window larger than the frame is refused");
  threw = false;
  try {
    FeatureConfig c = torch_config(PadMode::Reflect, 64, 64, 16);
    c.complex_out = true;
    c.frames_first = true;  // would need a (T, F) re-layout of the (F, T, 2) output
    FeaturePlan p2(c);
  } catch (const CoreError& e) {
    threw = std::string(e.code()) == "INVALID_ARGUMENT";
  }
  check(threw, "complex output with post-processing is refused");
  FeaturePlan p(torch_config(PadMode::Reflect, 400, 400, 160));
  threw = false;
  try {
    p.num_frames(200);
  } catch (const CoreError& e) {
    threw = std::string(e.code()) == "INPUT_TOO_SHORT";
  }
  check(threw, "reflect padding refuses len <= n_fft/2");
}

void test_thread_pool() {
  std::vector<int> hits(10000, 0);
  parallel_for(hits.size(), 7, 0, [&](std::size_t b, std::size_t e) {
    for (std::size_t i = b; i < e; ++i) hits[i] += 1;
  });
  bool all_once = true;
  for (int h : hits) all_once = all_once && h == 1;
  check(all_once, "parallel_for visits every index once");
  bool caught = false;
  try {
    parallel_for(100, 1, 0, [&](std::size_t b, std::size_t) {
      if (b == 50) throw std::runtime_error("boom");
    });
  } catch (const std::runtime_error&) {
    caught = true;
  }
  check(caught, "parallel_for rethrows a task's exception");
  std::vector<int> nested(64, 0);
  parallel_for(8, 1, 0, [&](std::size_t b, std::size_t e) {
    for (std::size_t i = b; i < e; ++i) {
      parallel_for(8, 1, 0, [&](std::size_t b2, std::size_t e2) {
        for (std::size_t j = b2; j < e2; ++j) nested[i * 8 + j] += 1;
      });
    }
  });
  bool nested_ok = true;
  for (int h : nested) nested_ok = nested_ok && h == 1;
  check(nested_ok, "nested parallel_for completes");
}

void test_deltas() {
  for (int frames : {1, 2, 3, 9, 50}) {
    auto x = noise(static_cast<std::size_t>(3 * frames), static_cast<unsigned>(frames));
    std::vector<float> out(x.size());
    compute_deltas(x.data(), 3, frames, 5, out.data());
    bool finite = true;
    for (float v : out) finite = finite && std::isfinite(v);
    check(finite, "compute_deltas frames=" + std::to_string(frames));
    if (frames >= 9) {
      savgol_delta(x.data(), 3, frames, 9, 2, out.data());
      finite = true;
      for (float v : out) finite = finite && std::isfinite(v);
      check(finite, "savgol_delta frames=" + std::to_string(frames));
    }
  }
  // A linear ramp has derivative 1 everywhere, edges included.
  std::vector<float> ramp(20), d(20);
  for (int i = 0; i < 20; ++i) ramp[i] = static_cast<float>(i);
  savgol_delta(ramp.data(), 1, 20, 9, 1, d.data());
  double e = 0;
  for (float v : d) e = std::max(e, static_cast<double>(std::fabs(v - 1.0f)));
  check(e < 1e-5, "savgol_delta of a ramp is 1");
}

}  // namespace

int main() {
  test_fft_levels();
  test_framing();
  test_errors();
  test_thread_pool();
  test_deltas();
  for (const amtest::Suite& suite : amtest::suites()) suite.run();  // the other files' TEST_SUITEs
  std::printf("core: %d passed, %d failed\n", amtest::passed, amtest::failed);
  return amtest::failed == 0 ? 0 : 1;
}
