// Resampler tests (dsp/resample.h): the kernel read back through impulse responses against an
// independent float64 evaluation of torchaudio's formula, the output-length rule, equal rates,
// streaming == whole signal bit for bit for random block sizes, identical results at every SIMD
// level, invalid configurations, and the filter's effect on sines below and above the new Nyquist.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "check.h"
#include "dsp/resample.h"
#include "util/error.h"
#include "util/simd.h"

using namespace audiomill;
using amtest::check;
using amtest::noise;

namespace {

constexpr double kPi = 3.14159265358979323846;

ResampleConfig config(std::int64_t orig, std::int64_t neu, const std::string& preset = "torchaudio") {
  ResampleConfig c;
  c.orig_freq = orig;
  c.new_freq = neu;
  if (preset == "kaiser_best") {
    c.lowpass_filter_width = 64;
    c.rolloff = 0.9475937167399596;
    c.window = ResampleWindow::Kaiser;
    c.beta = 14.769656459379492;
  } else if (preset == "fast") {
    c.lowpass_filter_width = 16;
    c.rolloff = 0.85;
    c.window = ResampleWindow::Kaiser;
    c.beta = 8.555504641634386;
  } else if (preset == "kaiser6") {  // torchaudio's 'kaiser_window' with its other defaults
    c.window = ResampleWindow::Kaiser;
  }
  return c;
}

std::string label(const ResampleConfig& c) {
  return std::to_string(c.orig_freq) + "->" + std::to_string(c.new_freq) + " lpw " + std::to_string(c.lowpass_filter_width) +
         (c.window == ResampleWindow::Kaiser ? " kaiser beta " + std::to_string(c.beta) : " hann");
}

std::vector<float> whole(const ResampleKernel& k, const std::vector<float>& x) {
  std::vector<float> y(static_cast<std::size_t>(k.output_length(static_cast<std::int64_t>(x.size()))));
  k.process(x.data(), static_cast<std::int64_t>(x.size()), y.data());
  return y;
}

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
}

// I0 by the trapezoid rule on (1/pi) * integral_0^pi exp(x cos th) dth: a different method from the
// library's power series (the periodic integrand makes the rule converge exponentially).
double i0_quadrature(double x) {
  const int N = 64;  // error ~ I_128(x) / I0(x): far below 1e-16 for x <= 30
  double s = 0.5 * (std::exp(x) + std::exp(-x));
  for (int m = 1; m < N; ++m) s += std::exp(x * std::cos(kPi * m / N));
  return s / N;
}

// torchaudio's tap K[j][k] (k in [0, 2 * width + o)) from the formula in float64, exact phases.
double ref_tap(const ResampleConfig& c, std::int64_t o, std::int64_t n, std::int64_t j, std::int64_t k, double i0_beta) {
  const double lpw = c.lowpass_filter_width;
  const double base = static_cast<double>(std::min(o, n)) * c.rolloff;
  const double width = std::ceil(lpw * static_cast<double>(o) / base);
  const double i = static_cast<double>(k) - width;
  double t = (i / static_cast<double>(o) - static_cast<double>(j) / static_cast<double>(n)) * base;
  t = std::min(lpw, std::max(-lpw, t));
  double w;
  if (c.window == ResampleWindow::Kaiser) {
    w = i0_quadrature(c.beta * std::sqrt(std::max(0.0, 1.0 - (t / lpw) * (t / lpw)))) / i0_beta;
  } else {
    w = std::cos(kPi * t / (2.0 * lpw));
    w *= w;
  }
  const double sinc = t == 0.0 ? 1.0 : std::sin(kPi * t) / (kPi * t);
  return sinc * w * base / static_cast<double>(o);
}

// The kernel read back from impulse responses: with x = delta at q, y[b * n + j] = K[j][q - b * o + width].
void test_kernel_vs_formula() {
  struct Spec {
    ResampleConfig c;
    double tol;  // absolute; F.resample computes the kernel in float32 (t = (p + i / o) * base in float32)
  };
  ResampleConfig beta0 = config(1, 2, "fast");
  beta0.beta = 0.0;  // rectangular window: the clamped taps are ~2e-8, not ~1e-16
  ResampleConfig rect = config(44100, 16000, "kaiser6");
  rect.beta = 0.0;  // here the clamped taps (~4e-9 each, 441 per phase) are kept: torchaudio's full 475-tap phases
  ResampleConfig small = config(5, 3, "kaiser6");
  small.beta = 3.0;
  const Spec specs[] = {
      {config(44100, 16000), 2e-5},       {config(16000, 44100, "fast"), 2e-5},
      {config(16000, 48000, "kaiser_best"), 2e-6},
      {config(48000, 16000, "fast"), 2e-6}, {config(22050, 16000), 3e-5},
      {config(8000, 16000, "kaiser6"), 2e-6}, {beta0, 2e-6},
      {small, 2e-6},    {rect, 2e-5},
  };
  for (const Spec& s : specs) {
    const ResampleKernel k(s.c);
    const std::int64_t o = k.orig(), n = k.new_rate(), K = 2 * k.width() + o;
    const std::int64_t L = 2 * K + 2 * o + 17;
    const double i0_beta = i0_quadrature(s.c.beta);
    std::vector<double> ref_k(static_cast<std::size_t>(n * K));
    for (std::int64_t j = 0; j < n; ++j)
      for (std::int64_t kk = 0; kk < K; ++kk) ref_k[static_cast<std::size_t>(j * K + kk)] = ref_tap(s.c, o, n, j, kk, i0_beta);
    double worst = 0, peak = 0;
    std::int64_t checked = 0;
    // Impulses at o consecutive positions: every (phase, tap) pair shows up once.
    for (std::int64_t q = K; q < K + o; ++q) {
      std::vector<float> x(static_cast<std::size_t>(L), 0.0f);
      x[static_cast<std::size_t>(q)] = 1.0f;
      const std::vector<float> y = whole(k, x);
      for (std::int64_t m = 0; m < static_cast<std::int64_t>(y.size()); ++m) {
        const std::int64_t b = m / n, j = m % n, kk = q - b * o + k.width();
        const bool in = kk >= 0 && kk < K;
        const double ref = in ? ref_k[static_cast<std::size_t>(j * K + kk)] : 0.0;
        worst = std::max(worst, std::fabs(y[static_cast<std::size_t>(m)] - ref));
        peak = std::max(peak, std::fabs(ref));
        checked += in ? 1 : 0;
      }
    }
    char msg[200];
    std::snprintf(msg, sizeof msg, ": max |d| %.3g (peak tap %.3g), %lld of %lld taps seen", worst, peak,
                  static_cast<long long>(checked), static_cast<long long>(n * K));
    check(worst <= s.tol && checked == n * K, "kernel vs float64 formula " + label(s.c) + msg);
  }
}

void test_kernel_shape() {
  // torchaudio's width = ceil(lpw * o / (min(o, n) * rolloff)) after gcd reduction.
  const ResampleKernel a(config(44100, 16000));
  check(a.orig() == 441 && a.new_rate() == 160 && a.width() == 17, "44100->16000 reduces to 441/160, width 17");
  const ResampleKernel b(config(16000, 44100, "kaiser_best"));
  check(b.orig() == 160 && b.new_rate() == 441 && b.width() == 68, "16000->44100 kaiser_best: width ceil(64 / 0.9476) = 68");
  const ResampleKernel c(config(48000, 16000, "fast"));
  check(c.orig() == 3 && c.new_rate() == 1 && c.width() == 57, "48000->16000 fast: width ceil(16 * 3 / 0.85) = 57");
  // DC gain of a downsampler: sum of a phase's taps ~ 1 (rolloff scales the sinc, the window is ~1 near 0).
  std::vector<float> ones(20000, 1.0f);
  const std::vector<float> y = whole(a, ones);
  const double mid = y[y.size() / 2];
  check(std::fabs(mid - 1.0) < 2e-3, "44100->16000 passes DC with gain ~1: " + std::to_string(mid));
}

void test_output_length() {
  const std::int64_t pairs[][2] = {{44100, 16000}, {16000, 44100}, {48000, 16000}, {22050, 16000}, {8000, 16000},
                                   {16000, 8000},  {3, 1},         {1, 3},         {147, 160},     {44100, 48000},
                                   {7, 5},         {16000, 16000}, {96000, 44100}};
  int bad = 0, runs = 0;
  for (const auto& p : pairs) {
    const ResampleKernel k(config(p[0], p[1]));
    for (std::int64_t L : {0, 1, 2, 3, 5, 159, 160, 161, 440, 441, 442, 1000, 4409, 16000, 44100, 44101}) {
      const std::int64_t want = (p[1] * L + p[0] - 1) / p[0];  // ceil(new * L / orig) on the unreduced rates
      if (k.output_length(L) != want) ++bad;
      if (L > 5000) continue;
      // process() writes exactly that many samples.
      std::vector<float> x = noise(static_cast<std::size_t>(L), static_cast<unsigned>(L + 7));
      std::vector<float> y(static_cast<std::size_t>(want) + 4, 12345.0f);
      k.process(x.data(), L, y.data());
      for (std::int64_t i = 0; i < want; ++i)
        if (!std::isfinite(y[static_cast<std::size_t>(i)]) || y[static_cast<std::size_t>(i)] == 12345.0f) ++bad;
      for (std::size_t i = static_cast<std::size_t>(want); i < y.size(); ++i)
        if (y[i] != 12345.0f) ++bad;
      ++runs;
    }
  }
  check(bad == 0 && runs > 100, "output length is ceil(new * L / orig), incl. L = 0 and 1 (" + std::to_string(bad) + " bad)");
  const ResampleKernel k(config(44100, 16000));
  check(k.output_length(-5) == 0, "output_length of a negative length is 0");
  check(k.output_length(std::int64_t{1} << 50) == ((std::int64_t{1} << 50) / 441) * 160 + ((((std::int64_t{1} << 50) % 441) * 160 + 440) / 441),
        "output_length does not overflow for 2^50 samples");
}

void test_equal_rates() {
  for (std::int64_t r : {16000, 44100, 1}) {
    const ResampleKernel k(config(r, r, "kaiser_best"));
    const std::vector<float> x = noise(1001, 3);
    const std::vector<float> y = whole(k, x);
    check(k.orig() == 1 && k.new_rate() == 1 && same_bits(x, y), "equal rates copy the input (" + std::to_string(r) + ")");
    auto sk = std::make_shared<const ResampleKernel>(config(r, r));
    StreamResampler s(sk);
    std::vector<float> out(1001);
    const std::int64_t a = s.push(x.data(), 400, out.data());
    const std::int64_t b = s.push(x.data() + 400, 601, out.data() + a);
    check(a == 400 && b == 601 && s.max_flush() == 0 && s.finish(nullptr) == 0 && same_bits(x, out),
          "equal-rate stream passes blocks through");
  }
}

// Pushes x in random blocks (sizes from `sizes`, 0 and 1 included), checking the max_output / max_flush
// bounds; returns the concatenated output.
std::vector<float> stream_all(StreamResampler& s, const std::vector<float>& x, std::mt19937& gen,
                              const std::vector<std::int64_t>& sizes, bool* bounds_ok) {
  std::vector<float> out;
  std::size_t i = 0;
  std::uniform_int_distribution<std::size_t> pick(0, sizes.size() - 1);
  while (i < x.size()) {
    std::int64_t b = sizes[pick(gen)];
    if (b > 16) b = std::uniform_int_distribution<std::int64_t>(0, b)(gen);
    b = std::min<std::int64_t>(b, static_cast<std::int64_t>(x.size() - i));
    const std::int64_t cap = s.max_output(b);
    std::vector<float> y(static_cast<std::size_t>(cap) + 1, 7.0f);
    const std::int64_t got = s.push(x.data() + i, b, y.data());
    if (got < 0 || got > cap || y[static_cast<std::size_t>(cap)] != 7.0f) *bounds_ok = false;
    out.insert(out.end(), y.begin(), y.begin() + got);
    i += static_cast<std::size_t>(b);
  }
  const std::int64_t cap = s.max_flush();
  std::vector<float> y(static_cast<std::size_t>(cap) + 1, 7.0f);
  const std::int64_t got = s.finish(y.data());
  if (got != cap || y[static_cast<std::size_t>(cap)] != 7.0f) *bounds_ok = false;
  out.insert(out.end(), y.begin(), y.begin() + got);
  return out;
}

void test_streaming() {
  const std::int64_t ratios[][2] = {{441, 160}, {3, 1}, {1, 2}, {160, 441}, {147, 160}};
  const char* presets[] = {"torchaudio", "kaiser6", "kaiser_best", "fast"};
  std::mt19937 gen(1234);
  for (const auto& r : ratios) {
    for (const char* p : presets) {
      auto k = std::make_shared<const ResampleKernel>(config(r[0], r[1], p));
      for (std::size_t len : {std::size_t{0}, std::size_t{1}, std::size_t{2}, std::size_t{37}, std::size_t{1500}, std::size_t{9001}}) {
        const std::vector<float> x = noise(len, static_cast<unsigned>(len * 31 + 5));
        const std::vector<float> ref = whole(*k, x);
        StreamResampler s(k);
        bool bounds = true;
        bool same = true;
        const std::vector<std::vector<std::int64_t>> size_sets = {{0, 1}, {1, 2, 3, 0}, {0, 1, 64, 500}, {4000, 0, 1}};
        for (const auto& sizes : size_sets) {
          s.reset();
          same = same_bits(stream_all(s, x, gen, sizes, &bounds), ref) && same;
        }
        check(same && bounds, "stream == whole bit for bit, " + label(config(r[0], r[1], p)) +
                                  ", L " + std::to_string(len) + (bounds ? "" : " (max_output/max_flush bound broken)"));
      }
    }
  }
  // One push much larger than the stream's history buffer, then tiny pushes, on a long signal.
  auto k = std::make_shared<const ResampleKernel>(config(44100, 16000, "kaiser_best"));
  const std::vector<float> x = noise(300000, 99);
  const std::vector<float> ref = whole(*k, x);
  StreamResampler s(k);
  std::vector<float> out(static_cast<std::size_t>(s.max_output(250000)));
  std::int64_t got = s.push(x.data(), 250000, out.data());
  out.resize(static_cast<std::size_t>(got));
  for (std::size_t i = 250000; i < x.size(); i += 7) {
    const std::int64_t b = static_cast<std::int64_t>(std::min<std::size_t>(7, x.size() - i));
    std::vector<float> y(static_cast<std::size_t>(s.max_output(b)));
    const std::int64_t g = s.push(x.data() + i, b, y.data());
    out.insert(out.end(), y.begin(), y.begin() + g);
  }
  std::vector<float> tail(static_cast<std::size_t>(s.max_flush()));
  got = s.finish(tail.data());
  out.insert(out.end(), tail.begin(), tail.begin() + got);
  check(same_bits(out, ref), "stream == whole for a 300000-sample push-then-trickle kaiser_best stream");
  // finish() twice gives nothing more; push() after finish() is refused until reset().
  check(s.finish(tail.data()) == 0 && s.max_flush() == 0, "second finish() returns 0");
  bool threw = false;
  try {
    float v = 0, w[4];
    s.push(&v, 1, w);
  } catch (const CoreError& e) {
    threw = e.code() == "INVALID_ARGUMENT";
  }
  check(threw, "push() after finish() throws INVALID_ARGUMENT");
  s.reset();
  std::vector<float> again(static_cast<std::size_t>(s.max_output(static_cast<std::int64_t>(x.size()))));
  got = s.push(x.data(), static_cast<std::int64_t>(x.size()), again.data());
  again.resize(static_cast<std::size_t>(got));
  tail.assign(static_cast<std::size_t>(s.max_flush()), 0.0f);
  got = s.finish(tail.data());
  again.insert(again.end(), tail.begin(), tail.begin() + got);
  check(same_bits(again, ref), "reset() starts a new signal");
}

void test_simd_levels() {
  const SimdLevel detected = active_simd_level();
  const std::vector<float> x = noise(20000, 5);
  for (const char* p : {"torchaudio", "kaiser_best", "fast"}) {
    std::vector<std::vector<float>> outs;
    std::string names;
    for (SimdLevel level : {SimdLevel::Scalar, SimdLevel::Neon, SimdLevel::Avx2, SimdLevel::Avx512}) {
      if (!set_simd_level(level)) continue;
      const ResampleKernel k(config(44100, 16000, p));  // the dot-product path is chosen at construction
      outs.push_back(whole(k, x));
      names += std::string(" ") + simd_level_name(level);
    }
    set_simd_level(detected);
    bool same = true;
    for (const auto& o : outs) same = same && same_bits(o, outs[0]);
    check(same && !outs.empty(), std::string("identical output at every SIMD level (") + p + ":" + names + ")");
  }
}

void expect_invalid(const ResampleConfig& c, const std::string& what) {
  std::string code;
  try {
    ResampleKernel k(c);
  } catch (const CoreError& e) {
    code = e.code();
  }
  check(code == "INVALID_ARGUMENT", "invalid config throws INVALID_ARGUMENT: " + what);
}

void test_invalid() {
  ResampleConfig c = config(44100, 16000);
  c.orig_freq = 0;
  expect_invalid(c, "orig 0");
  c = config(44100, -16000);
  expect_invalid(c, "new < 0");
  c = config(44100, 16000);
  c.lowpass_filter_width = 0;
  expect_invalid(c, "lpw 0");
  c.lowpass_filter_width = -3;
  expect_invalid(c, "lpw < 0");
  for (double r : {0.0, -0.5, 1.0000001, std::nan("")}) {
    c = config(44100, 16000);
    c.rolloff = r;
    expect_invalid(c, "rolloff " + std::to_string(r));
  }
  for (double b : {-1.0, std::nan(""), static_cast<double>(INFINITY), 88.5, 200.0}) {
    c = config(44100, 16000, "kaiser6");
    c.beta = b;
    expect_invalid(c, "beta " + std::to_string(b));
  }
  c = config(44100, 16000);
  c.beta = 200.0;  // beta only matters for Kaiser
  bool hann_ok = true;
  try {
    ResampleKernel k(c);
  } catch (const CoreError&) {
    hann_ok = false;
  }
  check(hann_ok, "a large beta is ignored by the Hann window");
  c = config(44100, 16000, "kaiser6");
  c.beta = 88.0;
  bool big_ok = true;
  try {
    const ResampleKernel k(c);
    const std::vector<float> y = whole(k, noise(2000, 4));
    big_ok = std::all_of(y.begin(), y.end(), [](float v) { return std::isfinite(v); });
  } catch (const CoreError&) {
    big_ok = false;
  }
  check(big_ok, "beta 88 (the largest accepted) gives a finite kernel");
  c = config(44100, 16000);
  c.window = static_cast<ResampleWindow>(7);
  expect_invalid(c, "window 7");
  c = config(2147483647, 2147483646);
  expect_invalid(c, "2147483647 -> 2147483646 (coprime: ~2.6e10 taps)");
  c = config(1, 100000000);
  expect_invalid(c, "1 -> 1e8 (1e8 phases)");
  c = config(96000, 44101);
  c.lowpass_filter_width = 1024;
  expect_invalid(c, "96000 -> 44101 with lpw 1024 (~2e8 taps)");
  // Large but reasonable: 44100 -> 44101 (coprime) is built (about 0.9M taps).
  bool ok = true;
  try {
    const ResampleKernel k(config(44100, 44101));
    ok = k.orig() == 44100 && k.new_rate() == 44101;
    const std::vector<float> x = noise(50000, 8);
    const std::vector<float> y = whole(k, x);
    ok = ok && y.size() == 50002 && std::all_of(y.begin(), y.end(), [](float v) { return std::isfinite(v); });
  } catch (const CoreError&) {
    ok = false;
  }
  check(ok, "44100 -> 44101 builds and runs");
  if (ok) {  // 44101 phases: streamed in small blocks, one partial block at a time
    auto big = std::make_shared<const ResampleKernel>(config(44100, 44101));
    const std::vector<float> x = noise(100000, 9);
    StreamResampler s(big);
    std::mt19937 gen(77);
    bool bounds = true;
    check(same_bits(stream_all(s, x, gen, {0, 1, 700, 5000}, &bounds), whole(*big, x)) && bounds,
          "stream == whole bit for bit, 44100 -> 44101");
  }
  // Hot-path arguments that protect memory.
  const ResampleKernel k(config(44100, 16000));
  bool threw = false;
  try {
    float v = 0;
    k.process(&v, -1, &v);
  } catch (const CoreError& e) {
    threw = e.code() == "INVALID_ARGUMENT";
  }
  check(threw, "process() with a negative length throws");
  threw = false;
  try {
    StreamResampler s(std::make_shared<const ResampleKernel>(config(44100, 16000)));
    float v = 0;
    s.push(&v, -2, &v);
  } catch (const CoreError& e) {
    threw = e.code() == "INVALID_ARGUMENT";
  }
  check(threw, "push() with a negative length throws");
}

// A sine well below both Nyquists comes through (interior samples against the ideal sine at the new
// rate); one above the new Nyquist is attenuated.
void test_sines() {
  struct Case {
    const char* preset;
    std::int64_t orig, neu;
    double pass_hz, pass_tol, stop_hz, stop_db;
  };
  const Case cases[] = {
      {"torchaudio", 44100, 16000, 1000.0, 1e-3, 10000.0, 40.0},   // measured 3.2e-4, 45 dB
      {"kaiser_best", 44100, 16000, 3000.0, 2e-5, 9000.0, 100.0},  // 4.7e-6, 110 dB
      {"fast", 48000, 16000, 1000.0, 2e-5, 9000.0, 85.0},          // 2.6e-6, 97 dB
      {"torchaudio", 16000, 44100, 2000.0, 1e-3, 0, 0},            // 1.4e-4
      {"kaiser6", 22050, 16000, 440.0, 5e-5, 10900.0, 20.0},       // 1.1e-5, 26 dB (lpw 6: wide transition)
  };
  for (const Case& c : cases) {
    const ResampleKernel k(config(c.orig, c.neu, c.preset));
    const std::size_t L = static_cast<std::size_t>(c.orig);  // 1 s
    const std::int64_t margin = 2 * static_cast<std::int64_t>(k.width()) * c.neu / c.orig + 64;
    auto sine = [&](double f, double sr, std::size_t n) {
      std::vector<float> x(n);
      for (std::size_t i = 0; i < n; ++i) x[i] = static_cast<float>(0.8 * std::sin(2.0 * kPi * f * static_cast<double>(i) / sr));
      return x;
    };
    const std::vector<float> y = whole(k, sine(c.pass_hz, static_cast<double>(c.orig), L));
    double err = 0;
    for (std::int64_t m = margin; m < static_cast<std::int64_t>(y.size()) - margin; ++m) {
      const double ideal = 0.8 * std::sin(2.0 * kPi * c.pass_hz * static_cast<double>(m) / static_cast<double>(c.neu));
      err = std::max(err, std::fabs(y[static_cast<std::size_t>(m)] - ideal));
    }
    check(err <= c.pass_tol, std::string(c.preset) + " " + std::to_string(c.orig) + "->" + std::to_string(c.neu) + ": " +
                                 std::to_string(c.pass_hz) + " Hz sine passes, max err " + std::to_string(err));
    if (c.stop_hz <= 0) continue;
    const std::vector<float> z = whole(k, sine(c.stop_hz, static_cast<double>(c.orig), L));
    double peak = 0;
    for (std::int64_t m = margin; m < static_cast<std::int64_t>(z.size()) - margin; ++m)
      peak = std::max(peak, std::fabs(static_cast<double>(z[static_cast<std::size_t>(m)])));
    const double db = 20.0 * std::log10(0.8 / std::max(peak, 1e-30));
    check(db >= c.stop_db, std::string(c.preset) + " " + std::to_string(c.orig) + "->" + std::to_string(c.neu) + ": " +
                               std::to_string(c.stop_hz) + " Hz (above the new Nyquist) attenuated by " + std::to_string(db) + " dB");
  }
}

}  // namespace

TEST_SUITE(resample_tests) {
  test_kernel_vs_formula();
  test_kernel_shape();
  test_output_length();
  test_equal_rates();
  test_streaming();
  test_simd_levels();
  test_invalid();
  test_sines();
}
