// Pooling of frame embeddings (features/pooling.h) against float64 references: mean, max (NaN wins),
// mean + std with ddof 0 and 1 (NaN for one frame at ddof 1, as torch), a chosen frame (negative from
// the end), L2 normalisation (a zero vector stays zero), and invalid arguments; compute_pooled against
// FeaturePlan::compute then pool_frames in both output layouts.
#include <cmath>
#include <string>
#include <vector>

#include "check.h"
#include "dsp/feature_plan.h"
#include "features/pooling.h"
#include "util/error.h"

using namespace audiomill;
using amtest::check;

namespace {

std::vector<float> pool(const std::vector<float>& x, std::int64_t t, std::int64_t d, const PoolOptions& o) {
  std::vector<float> out(static_cast<std::size_t>(pooled_size(o.mode, d)), -7.0f);
  pool_frames(x.data(), t, d, o, out.data());
  return out;
}

bool near(double a, double b, double tol) { return std::fabs(a - b) <= tol * std::max(1.0, std::fabs(b)); }

bool throws(const std::vector<float>& x, std::int64_t t, std::int64_t d, const PoolOptions& o) {
  try {
    pool(x, t, d, o);
  } catch (const CoreError& e) {
    return std::string(e.code()) == "INVALID_ARGUMENT";
  }
  return false;
}

}  // namespace

TEST_SUITE(pooling) {
  const std::int64_t t = 37, d = 5;
  const std::vector<float> x = amtest::noise(static_cast<std::size_t>(t * d), 11);
  PoolOptions o;
  bool mean_ok = true, std_ok = true, std0_ok = true, max_ok = true;
  o.mode = PoolMode::MeanStd;
  const std::vector<float> ms = pool(x, t, d, o);
  o.ddof = 0;
  const std::vector<float> ms0 = pool(x, t, d, o);
  o = PoolOptions{};
  o.mode = PoolMode::Max;
  const std::vector<float> mx = pool(x, t, d, o);
  for (std::int64_t k = 0; k < d; ++k) {
    double s = 0, ss = 0, m = -1e30;
    for (std::int64_t i = 0; i < t; ++i) {
      s += x[i * d + k];
      m = std::max(m, static_cast<double>(x[i * d + k]));
    }
    const double mean = s / t;
    for (std::int64_t i = 0; i < t; ++i) ss += (x[i * d + k] - mean) * (x[i * d + k] - mean);
    mean_ok = mean_ok && near(ms[k], mean, 1e-6);
    std_ok = std_ok && near(ms[d + k], std::sqrt(ss / (t - 1)), 1e-6);
    std0_ok = std0_ok && near(ms0[d + k], std::sqrt(ss / t), 1e-6);
    max_ok = max_ok && mx[k] == static_cast<float>(m);
  }
  check(mean_ok, "mean+std: the mean of every dimension (float64 reference)");
  check(std_ok, "mean+std: the std with ddof 1 (torch's Tensor.std)");
  check(std0_ok, "mean+std: the std with ddof 0 (numpy's std)");
  check(max_ok, "max of every dimension");
  o = PoolOptions{};
  check(pool(x, t, d, o) == std::vector<float>(ms.begin(), ms.begin() + d), "mean equals the first half of mean+std");

  o.mode = PoolMode::MeanStd;
  const std::vector<float> one = pool(x, 1, d, o);
  check(std::isnan(one[d]) && one[0] == x[0], "one frame: mean is the frame, std (ddof 1) is NaN");

  std::vector<float> withnan = x;
  withnan[3 * d + 2] = std::nanf("");
  o = PoolOptions{};
  o.mode = PoolMode::Max;
  const std::vector<float> mn = pool(withnan, t, d, o);
  check(std::isnan(mn[2]) && !std::isnan(mn[1]), "max: a NaN value wins in its dimension only");

  o = PoolOptions{};
  o.mode = PoolMode::Frame;
  o.frame = -1;
  check(pool(x, t, d, o) == std::vector<float>(x.end() - d, x.end()), "frame -1 is the last frame");
  o.frame = 0;
  check(pool(x, t, d, o) == std::vector<float>(x.begin(), x.begin() + d), "frame 0 is the first (a CLS token)");
  o.frame = t;
  check(throws(x, t, d, o), "a frame past the end is refused");

  o = PoolOptions{};
  o.l2 = true;
  const std::vector<float> l2 = pool(x, t, d, o);
  double n2 = 0;
  for (float v : l2) n2 += static_cast<double>(v) * v;
  check(near(n2, 1.0, 1e-6), "l2: a unit vector");
  const std::vector<float> zeros(static_cast<std::size_t>(t * d), 0.0f);
  check(pool(zeros, t, d, o) == std::vector<float>(static_cast<std::size_t>(d), 0.0f), "l2 of a zero vector stays zero");

  // The features-major layout ([d, t]) gives the same bits for every mode.
  std::vector<float> xt(x.size());
  for (std::int64_t i = 0; i < t; ++i)
    for (std::int64_t k = 0; k < d; ++k) xt[k * t + i] = x[i * d + k];
  bool same = true;
  for (PoolMode m : {PoolMode::Mean, PoolMode::Max, PoolMode::MeanStd, PoolMode::Frame}) {
    PoolOptions a;
    a.mode = m;
    a.frame = 5;
    a.l2 = m == PoolMode::MeanStd;
    PoolOptions b = a;
    b.features_major = true;
    same = same && pool(x, t, d, a) == pool(xt, t, d, b);
  }
  check(same, "features-major input gives the same bits as frames-major, every mode");

  check(throws(x, 0, d, PoolOptions{}), "no frames is refused");
  o = PoolOptions{};
  o.ddof = -1;
  check(throws(x, t, d, o), "a negative ddof is refused");
}

TEST_SUITE(compute_pooled) {
  // A power spectrogram with centre padding (frames [F, T]), and the same frames first ([T, F]).
  FeatureConfig c;
  c.frame_rule = FrameRule::TorchCenter;
  c.frame_length = c.fft_size = 64;
  c.hop = 16;
  c.pad_mode = PadMode::Reflect;
  c.left_pad = 32;
  c.window.assign(64, 0.5f);
  const std::vector<float> x = amtest::noise(1000, 5);
  bool same = true;
  for (bool frames_first : {false, true}) {
    c.frames_first = frames_first;
    const FeaturePlan plan(c);
    const std::int64_t t = plan.num_frames(1000), d = plan.num_features();
    std::vector<float> full(static_cast<std::size_t>(plan.output_size(1000)));
    plan.compute(x.data(), 1000, full.data(), 1);
    for (PoolMode m : {PoolMode::Mean, PoolMode::Max, PoolMode::MeanStd, PoolMode::Frame}) {
      PoolOptions o;
      o.mode = m;
      o.frame = -3;
      std::vector<float> got(static_cast<std::size_t>(pooled_size(m, d)), -7.0f);
      compute_pooled(plan, x.data(), 1000, o, got.data(), 2);
      o.features_major = !frames_first;
      same = same && got == pool(full, t, d, o);
    }
  }
  check(same, "compute_pooled equals compute then pool_frames, bit for bit, in both layouts and every mode");
  c.frames_first = false;
  c.complex_out = true;
  const FeaturePlan complex(c);
  bool refused = false;
  try {
    float out[64];
    compute_pooled(complex, x.data(), 1000, PoolOptions{}, out, 1);
  } catch (const CoreError& e) {
    refused = std::string(e.code()) == "INVALID_ARGUMENT";
  }
  check(refused, "a plan with complex output is refused");
}
