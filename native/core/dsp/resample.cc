// Polyphase windowed-sinc resampler reproducing torchaudio 0.13's F.resample on float32 waveforms.
//
// Kernel. F.resample passes the waveform dtype to _get_sinc_resample_kernel, so for float32 input the
// kernel is computed in float32 arithmetic (transforms.Resample, by contrast, computes it in float64 and
// rounds; the two differ by up to ~1e-5 per tap at 441/320, ~3e-5 on a worst-case [-1, 1] input). We
// follow F.resample, operation by operation (every scalar enters a float32 op rounded to float32):
//   g = gcd(orig, new), o = orig / g, n = new / g, base = min(o, n) * rolloff (double),
//   width = ceil(lpw * o / base) (double); for phase j < n and i in [-width, width + o):
//     t = (-j / n + i / o) * base, each op in float32, then clamped to [-lpw, lpw];
//     Hann:   w = cos(t * pi / lpw / 2)^2
//     Kaiser: w = I0(beta * sqrt(1 - (t / lpw)^2)) / I0(beta)        (I0 in float32 too)
//     K[j][i + width] = (t * pi == 0 ? 1 : sin(t * pi) / (t * pi)) * (w * (base / o)).
// sin, cos and I0 are evaluated in double and rounded to float32, i.e. within an ulp of torch's
// float32 functions: taps agree with torch's bit for bit or within ~2e-7, outputs within ~4e-7.
// Output m = b * n + j is sum_k K[j][k] * x[b * o + k - width] (x zero outside the signal), for
// m < ceil(n * L / o): torchaudio's conv1d with stride o on the input padded by width / width + o.
//
// Stored taps: per phase only the run of k with -lpw < t < lpw (before clamping). Every other tap
// of torchaudio's 2 * width + o has t = +-lpw after the clamp, so they all hold one value v_edge:
//   Hann: cos(float32(pi) / 2)^2 ~ 2e-15 times sin(float32(lpw * pi)) / (lpw * pi) ~ 1e-8: v_edge ~ 1e-24;
//   Kaiser: 1 / I0(beta) times that sinc: 4e-14 for kaiser_best, 1.2e-11 for the "fast" preset.
// They are dropped when (their number per phase) * |v_edge| <= 1e-7, i.e. they cannot move an output of
// a [-1, 1] signal by more than 1e-7; otherwise (Kaiser with beta below ~8) all of torchaudio's taps
// are kept. Each phase's run is zero-padded at its end to a multiple of 8 taps (the padding multiplies
// input samples just past the window by +0, which matters only for non-finite input, where torchaudio's
// 2 * width + o taps spread NaN further still).
//
// Dot products: every output is the same fixed-order float32 sum whatever computes it (ISA, whole
// signal or stream, signal edge or interior): chunk c of 8 taps goes to 8-lane accumulator c mod 2 in
// chunk order, acc += tap * x with the product rounded first (never a fused multiply-add, so the file
// must not be built with -mfma / -ffast-math), then s = acc0 + acc1 and the lanes are added as
// ((s0 + s4) + (s2 + s6)) + ((s1 + s5) + (s3 + s7)). Speed comes from computing 4 outputs of one
// phase in 4 consecutive blocks side by side (they share every tap load; 8 independent accumulators)
// and reducing them together by transposition (same additions, same bits). The baseline build (SSE2
// on x86-64) and the target("avx2") entry point give bit-identical results, and so do process() and
// StreamResampler. 16 partial sums keep the rounding error of a 376-tap kaiser_best output ~1e-7.
//
// Threading: process() runs on the calling thread (the binding runs batches one clip per thread).
#include "dsp/resample.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <limits>
#include <mutex>
#include <numeric>
#include <string>
#include <tuple>

#include "util/error.h"
#include "util/plan_cache.h"
#include "util/simd.h"

#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
#define AUDIOMILL_RESAMPLE_AVX2 1
#endif

namespace audiomill {
namespace {

constexpr float kPiF = static_cast<float>(3.14159265358979323846);  // math.pi in a float32 op
// Cap on stored kernel floats (256 MB), checked before anything is allocated.
constexpr double kMaxStoredTaps = static_cast<double>(std::int64_t{1} << 26);
constexpr int kLanes = 8;   // taps per chunk; each phase holds a whole number of chunks
constexpr double kMaxBeta = 88.0;

[[noreturn]] void invalid(const std::string& msg) { throw CoreError("INVALID_ARGUMENT", msg); }

std::string num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

// Modified Bessel function of the first kind, order 0: sum_k ((x/2)^(2k)) / (k!)^2. All terms are
// positive, so the sum is accurate to a few ulps (max 4e-15 relative to numpy.i0 on [0, 90]); it
// converges once k exceeds x/2 (about 100 terms at x = 88, the largest argument used here).
double bessel_i0(double x) {
  const double q = 0.25 * x * x;
  double term = 1.0, sum = 1.0;
  for (int k = 1; k < 1000; ++k) {
    term *= q / (static_cast<double>(k) * static_cast<double>(k));
    sum += term;
    if (term <= sum * 1e-17) break;
  }
  return sum;
}

// ceil(n * len / o) without overflowing for long streams.
std::int64_t ceil_ratio(std::int64_t len, std::int64_t n, std::int64_t o) {
  return (len / o) * n + ((len % o) * n + o - 1) / o;
}

// ---------------------------------------------------------------------------------------------------
// The fixed-order dot product. V8 is 8 floats; with GCC/Clang vector extensions it becomes two SSE
// registers in the baseline build and one AVX register inside the target("avx2") entry point. V8 values
// are never passed by value across functions (that would change the ABI with and without AVX).

#if defined(__GNUC__) || defined(__clang__)
#define AM_INLINE inline __attribute__((always_inline))
typedef float V8 __attribute__((vector_size(32)));
#else
#define AM_INLINE inline
struct V8 {
  float v[8];
  float& operator[](int l) { return v[l]; }
  float operator[](int l) const { return v[l]; }
  V8& operator+=(const V8& b) {
    for (int l = 0; l < 8; ++l) v[l] = v[l] + b.v[l];
    return *this;
  }
};
inline V8 operator+(V8 a, const V8& b) { return a += b; }
inline V8 operator*(V8 a, const V8& b) {
  for (int l = 0; l < 8; ++l) a.v[l] = a.v[l] * b.v[l];
  return a;
}
#endif

// Every output is two 8-lane accumulators: chunk c (taps[8c..8c+8) * x[8c..8c+8), each product
// rounded, then added: never a fused multiply-add) goes to accumulator c mod 2, in chunk order; then
// s = acc0 + acc1 and the lanes are added as ((s0 + s4) + (s2 + s6)) + ((s1 + s5) + (s3 + s7)).
// Computing several outputs side by side or one alone gives the same bits.
AM_INLINE float reduce(const V8& a0, const V8& a1) {
  const V8 s = a0 + a1;
  return ((s[0] + s[4]) + (s[2] + s[6])) + ((s[1] + s[5]) + (s[3] + s[7]));
}

#if defined(__clang__)
#define AUDIOMILL_RESAMPLE_SHUFFLE 1
#define AM_SHUFFLE(a, b, ...) __builtin_shufflevector(a, b, __VA_ARGS__)
#elif defined(__GNUC__)
#define AUDIOMILL_RESAMPLE_SHUFFLE 1
typedef int V8i __attribute__((vector_size(32)));
#define AM_SHUFFLE(a, b, ...) __builtin_shuffle(a, b, V8i{__VA_ARGS__})
#endif

#if defined(AUDIOMILL_RESAMPLE_SHUFFLE)
// reduce() for 4 outputs at once, by transposition: the same additions on the same operands (IEEE
// addition is commutative), so the same bits. y[i * ystride] = reduce(a0[i], a1[i]).
AM_INLINE void reduce4(const V8 (&a0)[4], const V8 (&a1)[4], float* y, std::int64_t ystride) {
  const V8 s0 = a0[0] + a1[0], s1 = a0[1] + a1[1], s2 = a0[2] + a1[2], s3 = a0[3] + a1[3];
  // t = [s_l + s_(l+4), l < 4] of two outputs per vector: [out0 t0..t3 | out1 t0..t3].
  const V8 t01 = AM_SHUFFLE(s0, s1, 0, 1, 2, 3, 8, 9, 10, 11) + AM_SHUFFLE(s0, s1, 4, 5, 6, 7, 12, 13, 14, 15);
  const V8 t23 = AM_SHUFFLE(s2, s3, 0, 1, 2, 3, 8, 9, 10, 11) + AM_SHUFFLE(s2, s3, 4, 5, 6, 7, 12, 13, 14, 15);
  // u = [t0 + t2, t1 + t3] per output: [out0 u v, out2 u v | out1 u v, out3 u v].
  const V8 u = AM_SHUFFLE(t01, t23, 0, 1, 8, 9, 4, 5, 12, 13) + AM_SHUFFLE(t01, t23, 2, 3, 10, 11, 6, 7, 14, 15);
  // u + v: [out0, out2, ., . | out1, out3, ., .].
  const V8 r = AM_SHUFFLE(u, u, 0, 2, 0, 2, 4, 6, 4, 6) + AM_SHUFFLE(u, u, 1, 3, 1, 3, 5, 7, 5, 7);
  y[0] = r[0];
  y[ystride] = r[4];
  y[2 * ystride] = r[1];
  y[3 * ystride] = r[5];
}
#endif

AM_INLINE void madd8(V8& acc, const V8& t, const float* x) {
  V8 v;
  std::memcpy(&v, x, sizeof v);
  const V8 prod = t * v;
  acc += prod;
}

// NB outputs of one phase in consecutive blocks: they share the taps, and their input spans are
// `stride` (= o) samples apart. Output i reads x0 + i * stride and goes to y[i * ystride].
template <int NB>
AM_INLINE void dot_batch(const float* taps, int chunks, const float* x0, std::int64_t stride, float* y,
                         std::int64_t ystride) {
  V8 a0[NB], a1[NB];
  const float* x[NB];
  for (int i = 0; i < NB; ++i) {
    a0[i] = V8{};
    a1[i] = V8{};
    x[i] = x0 + i * stride;
  }
  int c = 0;
  for (; c + 2 <= chunks; c += 2) {
    V8 t0, t1;
    std::memcpy(&t0, taps + c * kLanes, sizeof t0);
    std::memcpy(&t1, taps + (c + 1) * kLanes, sizeof t1);
    for (int i = 0; i < NB; ++i) {
      madd8(a0[i], t0, x[i] + c * kLanes);
      madd8(a1[i], t1, x[i] + (c + 1) * kLanes);
    }
  }
  if (c < chunks) {
    V8 t0;
    std::memcpy(&t0, taps + c * kLanes, sizeof t0);
    for (int i = 0; i < NB; ++i) madd8(a0[i], t0, x[i] + c * kLanes);
  }
#if defined(AUDIOMILL_RESAMPLE_SHUFFLE)
  if constexpr (NB == 4) {
    reduce4(a0, a1, y, ystride);
    return;
  }
#endif
  for (int i = 0; i < NB; ++i) y[i * ystride] = reduce(a0[i], a1[i]);
}

// One output whose span leaves [buf_start, buf_end): the same sums over samples gathered with zeros outside.
AM_INLINE float dot_edge(const float* taps, int chunks, const float* buf, std::int64_t buf_start, std::int64_t buf_end,
                         std::int64_t start) {
  V8 acc[2] = {V8{}, V8{}};
  for (int c = 0; c < chunks; ++c) {
    float tmp[kLanes];
    const std::int64_t p0 = start + static_cast<std::int64_t>(c) * kLanes;
    for (int l = 0; l < kLanes; ++l) {
      const std::int64_t p = p0 + l;
      tmp[l] = (p >= buf_start && p < buf_end) ? buf[p - buf_start] : 0.0f;
    }
    V8 t;
    std::memcpy(&t, taps + c * kLanes, sizeof t);
    madd8(acc[c & 1], t, tmp);
  }
  return reduce(acc[0], acc[1]);
}

struct Tables {
  const float* taps;
  const std::int32_t* first;
  const std::int32_t* count;
  const std::int64_t* offset;
  std::int64_t o, n;
  int width;
  std::int64_t min_first, span;  // min over phases of first, max of first + count
};

// floor(a / b) and ceil(a / b) for b > 0.
inline std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }
inline std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return -floor_div(-a, b); }

// Blocks per tile: the tile's input (tile * o samples) stays within ~64 KB, and a small o (3:1 decimation)
// gets long tiles so that the per-phase set-up is paid once for many outputs.
inline std::int64_t tile_blocks(std::int64_t o) { return std::max<std::int64_t>(4, std::min<std::int64_t>(1024, (16384 / o) & ~std::int64_t{3})); }

// Outputs [m0, m1), all computable (the caller checked readiness), written to y[m - m0]. Tiles of
// tile_blocks(o) blocks; within a tile, phase by phase, the outputs whose span lies inside the buffer go through
// dot_batch and the others through dot_edge.
AM_INLINE void compute_range(const Tables& k, const float* buf, std::int64_t buf_start, std::int64_t buf_end,
                             std::int64_t m0, std::int64_t m1, float* y) {
  const std::int64_t n = k.n, o = k.o;
  const std::int64_t b_first = m0 / n, b_last = (m1 - 1) / n;
  const std::int64_t tile = tile_blocks(o);
  for (std::int64_t bt = b_first; bt <= b_last; bt += tile) {
    const std::int64_t bt_end = std::min(bt + tile, b_last + 1);  // tile blocks [bt, bt_end)
    // Whole tile inside the buffer (the common case): no per-phase range arithmetic.
    const bool all_inside = bt * o - k.width + k.min_first >= buf_start && (bt_end - 1) * o - k.width + k.span <= buf_end;
    // A one-block tile (a stream's small push) visits only its own phases: n can be large (44100/44101).
    const std::int64_t j_begin = bt_end - bt == 1 ? std::max<std::int64_t>(0, m0 - bt * n) : 0;
    const std::int64_t j_end = bt_end - bt == 1 ? std::min(n, m1 - bt * n) : n;
    for (std::int64_t j = j_begin; j < j_end; ++j) {
      std::int64_t lo = bt, hi = bt_end;  // blocks of this phase inside [m0, m1)
      if (lo * n + j < m0) ++lo;
      if ((hi - 1) * n + j >= m1) --hi;
      if (lo >= hi) continue;
      const std::int64_t first = k.first[j] - k.width;  // span start of (b, j) is b * o + first
      const int cnt = k.count[j];
      const int chunks = cnt / kLanes;
      const float* taps = k.taps + k.offset[j];
      std::int64_t ilo = lo, ihi = hi;  // blocks whose span is inside [buf_start, buf_end)
      if (!all_inside) {
        ilo = std::max(lo, ceil_div(buf_start - first, o));
        ihi = std::min(hi, floor_div(buf_end - cnt - first, o) + 1);
        if (ihi < ilo) ihi = ilo;
      }
      for (std::int64_t b = lo; b < std::min(ilo, hi); ++b)
        y[b * n + j - m0] = dot_edge(taps, chunks, buf, buf_start, buf_end, b * o + first);
      // Four blocks at a time (they share every tap load), then the rest.
      std::int64_t b = ilo;
      for (; b + 4 <= ihi; b += 4)
        dot_batch<4>(taps, chunks, buf + (b * o + first - buf_start), o, y + (b * n + j - m0), n);
      if (b < ihi) {
        const float* x0 = buf + (b * o + first - buf_start);
        float* y0 = y + (b * n + j - m0);
        switch (ihi - b) {
          case 1: dot_batch<1>(taps, chunks, x0, o, y0, n); break;
          case 2: dot_batch<2>(taps, chunks, x0, o, y0, n); break;
          default: dot_batch<3>(taps, chunks, x0, o, y0, n); break;
        }
      }
      for (std::int64_t b = std::max(ihi, lo); b < hi; ++b)
        y[b * n + j - m0] = dot_edge(taps, chunks, buf, buf_start, buf_end, b * o + first);
    }
  }
}

// Outputs m0, m0 + 1, ... while m < m_end and output m reads nothing at or past ready_end.
AM_INLINE std::int64_t run_loop(const Tables& k, const float* buf, std::int64_t buf_start, std::int64_t buf_end,
                                std::int64_t m0, std::int64_t m_end, std::int64_t ready_end, float* y) {
  std::int64_t m_stop = m_end;
  if (ready_end < std::numeric_limits<std::int64_t>::max() && m0 < m_end) {
    // Blocks up to b_all have every phase ready; past them, check output by output (in order).
    const std::int64_t b_all = floor_div(ready_end + k.width - k.span, k.o);
    std::int64_t m = std::max(m0, (b_all + 1) * k.n);
    for (; m < m_end; ++m) {
      const std::int64_t j = m % k.n;
      if ((m / k.n) * k.o - k.width + k.first[j] + k.count[j] > ready_end) break;
    }
    m_stop = std::min(m, m_end);
  }
  if (m0 < m_stop) compute_range(k, buf, buf_start, buf_end, m0, m_stop, y);
  return m_stop - m0;
}

std::int64_t run_baseline(const Tables& k, const float* buf, std::int64_t buf_start, std::int64_t buf_end,
                          std::int64_t m0, std::int64_t m_end, std::int64_t ready_end, float* y) {
  return run_loop(k, buf, buf_start, buf_end, m0, m_end, ready_end, y);
}

#if defined(AUDIOMILL_RESAMPLE_AVX2)
// AVX2 without FMA: same rounding as the baseline path, twice the width.
__attribute__((target("avx2"))) std::int64_t run_avx2(const Tables& k, const float* buf, std::int64_t buf_start,
                                                       std::int64_t buf_end, std::int64_t m0, std::int64_t m_end,
                                                       std::int64_t ready_end, float* y) {
  return run_loop(k, buf, buf_start, buf_end, m0, m_end, ready_end, y);
}
#endif

// ---------------------------------------------------------------------------------------------------
// Kernel evaluation in float32, in torchaudio's order of operations (see the file comment). Each
// float32 transcendental (sin, cos, I0) is evaluated in double and rounded once, which is within an
// ulp of torch's float32 kernels.

struct KernelMath {
  std::int64_t o = 1, n = 1;
  float lpw = 0, base = 0, scale = 0, beta = 0, i0_beta = 1;
  bool kaiser = false;

  float phase(std::int64_t j) const { return -(static_cast<float>(j) / static_cast<float>(n)); }  // arange(0, -n, -1) / n
  float t_at(float p, std::int64_t i) const {
    const float idx = static_cast<float>(i) / static_cast<float>(o);  // arange(-width, width + o) / o
    const float t = p + idx;
    return t * base;
  }
  static float i0f(float x) { return static_cast<float>(bessel_i0(static_cast<double>(x))); }
  float tap(float t) const {
    t = std::min(std::max(t, -lpw), lpw);  // clamp_(-lpw, lpw)
    float w;
    if (kaiser) {
      float q = t / lpw;
      q = q * q;
      const float u = 1.0f - q;
      const float arg = beta * std::sqrt(u);
      w = i0f(arg) / i0_beta;
    } else {
      float a = t * kPiF;
      a = a / lpw;
      a = a / 2.0f;
      const float c = static_cast<float>(std::cos(static_cast<double>(a)));
      w = c * c;
    }
    const float tp = t * kPiF;
    const float s = tp == 0.0f ? 1.0f : static_cast<float>(std::sin(static_cast<double>(tp))) / tp;
    const float ws = w * scale;
    return s * ws;
  }
};

}  // namespace

ResampleKernel::ResampleKernel(const ResampleConfig& c) {
  if (c.orig_freq <= 0 || c.new_freq <= 0)
    invalid("resample: orig_freq and new_freq must be positive integers (got " + std::to_string(c.orig_freq) + " and " +
            std::to_string(c.new_freq) + ")");
  if (c.lowpass_filter_width <= 0)
    invalid("resample: lowpass_filter_width must be positive (got " + std::to_string(c.lowpass_filter_width) + ")");
  if (!(c.rolloff > 0.0 && c.rolloff <= 1.0)) invalid("resample: rolloff must be in (0, 1] (got " + num(c.rolloff) + ")");
  if (c.window != ResampleWindow::Hann && c.window != ResampleWindow::Kaiser)
    invalid("resample: window must be Hann (0) or Kaiser (1) (got " + std::to_string(static_cast<int>(c.window)) + ")");
  if (!(c.beta >= 0.0) || !std::isfinite(c.beta)) invalid("resample: beta must be finite and >= 0 (got " + num(c.beta) + ")");

  KernelMath km;
  km.kaiser = c.window == ResampleWindow::Kaiser;
  if (km.kaiser) {
    // torch's float32 I0 overflows from beta ~ 88.7 on (it goes through expf), which turns torchaudio's
    // kernel into zeros and NaN; our I0 would last to ~91, but such a window is useless anyway.
    if (c.beta > kMaxBeta)
      invalid("resample: beta must be <= 88 for the Kaiser window (got " + num(c.beta) +
              "; torchaudio's float32 I0(beta) overflows beyond ~88.7)");
    km.beta = static_cast<float>(c.beta);
    km.i0_beta = KernelMath::i0f(km.beta);
  }

  const std::int64_t g = std::gcd(c.orig_freq, c.new_freq);
  orig_ = c.orig_freq / g;
  new_ = c.new_freq / g;
  if (orig_ == new_) {  // equal rates: torchaudio returns the input unchanged
    identity_ = true;
    return;
  }

  const std::int64_t o = orig_, n = new_;
  const int lpw = c.lowpass_filter_width;
  const double base = static_cast<double>(std::min(o, n)) * c.rolloff;  // Python float
  km.o = o;
  km.n = n;
  km.lpw = static_cast<float>(lpw);
  km.base = static_cast<float>(base);
  km.scale = static_cast<float>(base / static_cast<double>(o));

  // Trimming: taps with t clamped to +-lpw all hold one value (sinc and window are even), v_edge.
  // Each phase has at most `clamped` of them (an interval of length 2 lpw o / base is in-window).
  const double wd = std::ceil(static_cast<double>(lpw) * static_cast<double>(o) / base);  // torchaudio's width
  const double in_window = 2.0 * lpw * static_cast<double>(o) / base;
  const double full = 2.0 * wd + static_cast<double>(o);
  const double clamped = std::max(0.0, full - std::floor(in_window) + 1.0);
  const double v_edge = std::max(std::fabs(static_cast<double>(km.tap(km.lpw))), std::fabs(static_cast<double>(km.tap(-km.lpw))));
  // Dropped taps may change an output by at most clamped * v_edge for |x| <= 1; keep them all when
  // that could reach 1e-7 (Kaiser with a small beta: sin(pi * float32(lpw * pi)) is ~1e-7, not ~1e-16).
  const bool trim = clamped * v_edge <= 1e-7;
  const double per_phase = (trim ? in_window + 1.0 : full) + 7.0;  // + padding to a multiple of 8
  const double estimate = static_cast<double>(n) * per_phase;
  if (estimate > kMaxStoredTaps) {
    invalid("resample: " + std::to_string(c.orig_freq) + " Hz -> " + std::to_string(c.new_freq) + " Hz reduces to " +
            std::to_string(o) + "/" + std::to_string(n) + ", whose kernel (lowpass_filter_width " + std::to_string(lpw) +
            ") would need about " + num(std::floor(estimate)) + " taps (" + num(std::floor(estimate / 262144.0)) +
            " MB); the limit is 67108864 taps. Use rates with a larger common divisor or a smaller lowpass_filter_width");
  }
  // From here o, n and the tap counts are below 2^26, so every index fits its type.
  width_ = static_cast<int>(wd);

  first_.resize(static_cast<std::size_t>(n));
  count_.resize(static_cast<std::size_t>(n));
  offset_.resize(static_cast<std::size_t>(n));
  const std::int64_t i_lo = -width_, i_hi = width_ + o;  // torchaudio's taps: i in [i_lo, i_hi)
  std::vector<std::int64_t> run_begin(static_cast<std::size_t>(n)), run_len(static_cast<std::size_t>(n));
  std::int64_t total = 0;
  for (std::int64_t j = 0; j < n; ++j) {
    std::int64_t begin = i_lo, end = i_hi;
    if (trim) {
      // t(i) is non-decreasing in i, so -lpw < t < lpw is one run: binary-search both ends.
      const float p = km.phase(j);
      auto first_where = [&](auto pred) {
        std::int64_t lo = i_lo, hi = i_hi;  // answer in [lo, hi]
        while (lo < hi) {
          const std::int64_t mid = lo + (hi - lo) / 2;
          if (pred(km.t_at(p, mid))) hi = mid; else lo = mid + 1;
        }
        return lo;
      };
      begin = first_where([&](float t) { return t > -km.lpw; });
      end = std::max(begin, first_where([&](float t) { return t >= km.lpw; }));
    }
    const std::int64_t len = end - begin;
    const std::int64_t padded = (len + kLanes - 1) / kLanes * kLanes;
    const std::size_t js = static_cast<std::size_t>(j);
    run_begin[js] = begin;
    run_len[js] = len;
    first_[js] = static_cast<std::int32_t>(begin + width_);
    count_[js] = static_cast<std::int32_t>(padded);
    offset_[js] = total;
    total += padded;
  }
  taps_.assign(static_cast<std::size_t>(total), 0.0f);
  min_first_ = std::numeric_limits<std::int32_t>::max();
  span_ = 0;
  for (std::int64_t j = 0; j < n; ++j) {
    const std::size_t js = static_cast<std::size_t>(j);
    const float p = km.phase(j);
    float* dst = taps_.data() + offset_[js];
    for (std::int64_t r = 0; r < run_len[js]; ++r) dst[r] = km.tap(km.t_at(p, run_begin[js] + r));
    min_first_ = std::min(min_first_, first_[js]);
    span_ = std::max<std::int64_t>(span_, static_cast<std::int64_t>(first_[js]) + count_[js]);
  }

#if defined(AUDIOMILL_RESAMPLE_AVX2)
  const SimdLevel level = active_simd_level();
  if (level == SimdLevel::Avx2 || level == SimdLevel::Avx512) isa_ = 1;
#endif
}

std::int64_t ResampleKernel::output_length(std::int64_t length) const {
  if (length <= 0) return 0;
  return ceil_ratio(length, new_, orig_);
}

std::int64_t ResampleKernel::keep_from(std::int64_t m) const {
  return std::max<std::int64_t>(0, (m / new_) * orig_ - width_ + min_first_);
}

std::int64_t ResampleKernel::run(const float* buf, std::int64_t buf_start, std::int64_t buf_end, std::int64_t m0,
                                 std::int64_t m_end, std::int64_t ready_end, float* y) const {
  if (m0 >= m_end) return 0;
  const Tables t{taps_.data(), first_.data(), count_.data(), offset_.data(), orig_, new_, width_, min_first_, span_};
#if defined(AUDIOMILL_RESAMPLE_AVX2)
  if (isa_ == 1) return run_avx2(t, buf, buf_start, buf_end, m0, m_end, ready_end, y);
#endif
  return run_baseline(t, buf, buf_start, buf_end, m0, m_end, ready_end, y);
}

void ResampleKernel::process(const float* x, std::int64_t length, float* y) const {
  if (length < 0) invalid("resample: negative input length");
  if (length == 0) return;
  if (identity_) {
    if (x != y) std::memmove(y, x, static_cast<std::size_t>(length) * sizeof(float));
    return;
  }
  run(x, 0, length, 0, output_length(length), std::numeric_limits<std::int64_t>::max(), y);
}

// ---------------------------------------------------------------------------------------------------

StreamResampler::StreamResampler(std::shared_ptr<const ResampleKernel> kernel) : kernel_(std::move(kernel)) {
  if (!kernel_) invalid("resample stream: null kernel");
  if (!kernel_->identity_) {
    // After every push, the samples still needed span at most max(span_, orig + width) (see
    // drop_unneeded); the rest of the capacity takes new input, at least `room` samples per round.
    const std::size_t keep = static_cast<std::size_t>(kernel_->span_ + kernel_->orig_ + kernel_->width_ + 16);
    const std::size_t room = std::max<std::size_t>(keep, 4096);
    capacity_ = keep + room;
    history_.reserve(capacity_);
  }
}

void StreamResampler::reset() {
  history_.clear();
  history_start_ = consumed_ = produced_ = 0;
  finished_ = false;
}

void StreamResampler::drop_unneeded() {
  // Every output >= produced_ reads only inputs >= keep_from(produced_).
  std::int64_t h = std::min(kernel_->keep_from(produced_), consumed_);
  if (h <= history_start_) return;
  const std::size_t drop = static_cast<std::size_t>(h - history_start_);
  history_.erase(history_.begin(), history_.begin() + static_cast<std::ptrdiff_t>(drop));
  history_start_ = h;
}

std::int64_t StreamResampler::max_output(std::int64_t n) const {
  if (finished_) return 0;
  if (n < 0) n = 0;
  if (kernel_->identity_) return n;
  return ceil_ratio(consumed_ + n, kernel_->new_, kernel_->orig_) - produced_;
}

std::int64_t StreamResampler::max_flush() const {
  if (finished_ || kernel_->identity_) return 0;
  return ceil_ratio(consumed_, kernel_->new_, kernel_->orig_) - produced_;
}

std::int64_t StreamResampler::push(const float* x, std::int64_t n, float* y) {
  if (n < 0) invalid("resample stream: negative block length");
  if (finished_) invalid("resample stream: push() after finish(); call reset() to start a new signal");
  if (n == 0) return 0;
  const ResampleKernel& k = *kernel_;
  if (k.identity_) {
    if (x != y) std::memmove(y, x, static_cast<std::size_t>(n) * sizeof(float));
    consumed_ += n;
    produced_ += n;
    return n;
  }
  std::int64_t written = 0;
  while (n > 0) {
    if (history_.size() >= capacity_) drop_unneeded();
    const std::int64_t take = std::min<std::int64_t>(n, static_cast<std::int64_t>(capacity_ - history_.size()));
    if (take <= 0) throw CoreError("INTERNAL", "resample stream: history did not drain");
    history_.insert(history_.end(), x, x + take);
    x += take;
    n -= take;
    consumed_ += take;
    const std::int64_t limit = ceil_ratio(consumed_, k.new_, k.orig_);
    const std::int64_t got = k.run(history_.data(), history_start_, consumed_, produced_, limit, consumed_, y + written);
    produced_ += got;
    written += got;
  }
  return written;
}

std::int64_t StreamResampler::finish(float* y) {
  if (finished_) return 0;
  finished_ = true;
  const ResampleKernel& k = *kernel_;
  if (k.identity_) return 0;
  const std::int64_t limit = ceil_ratio(consumed_, k.new_, k.orig_);
  const std::int64_t got = k.run(history_.data(), history_start_, consumed_, produced_, limit,
                                 std::numeric_limits<std::int64_t>::max(), y);
  produced_ += got;
  return got;
}

std::shared_ptr<const ResampleKernel> shared_resample_kernel(const ResampleConfig& c) {
  using Key = std::tuple<std::int64_t, std::int64_t, int, double, int, double>;
  // Never destroyed: a task still running at exit may hold the lock.
  static std::mutex* mutex = new std::mutex;
  static auto* cache = new std::map<Key, std::shared_ptr<const ResampleKernel>>;
  const Key key{c.orig_freq, c.new_freq, c.lowpass_filter_width, c.rolloff, static_cast<int>(c.window), c.beta};
  return cached_plan(*cache, *mutex, key, [&](const Key&) { return std::make_shared<const ResampleKernel>(c); });
}

}  // namespace audiomill
