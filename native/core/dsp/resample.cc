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
// Dot products: every output is the same fixed-order float32 sum, whatever the ISA or call path
// (whole signal, signal edge, stream): tap r of a phase goes to partial sum r mod 32 (4 accumulators
// of 8 lanes, each acc += tap * x with a rounded product, never a fused multiply-add), then the
// accumulators are added as (a0 + a1) + (a2 + a3) and the 8 lanes as
// ((l0 + l4) + (l2 + l6)) + ((l1 + l5) + (l3 + l7)). The baseline build (SSE2 on x86-64) and the AVX2
// entry point therefore give bit-identical results, and so do process() and StreamResampler.
// 32 partial sums keep the rounding error of a 376-tap kaiser_best output near 1e-7.
//
// Threading: process() runs on the calling thread (the binding runs batches one clip per thread).
#include "dsp/resample.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <numeric>
#include <string>

#include "util/error.h"
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
constexpr int kAccs = 4;    // independent accumulators (chunk c goes to accumulator c mod 4)

[[noreturn]] void invalid(const std::string& msg) { throw CoreError("INVALID_ARGUMENT", msg); }

std::string num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

// Modified Bessel function of the first kind, order 0: sum_k ((x/2)^(2k)) / (k!)^2. All terms are
// positive, so the sum is accurate to a few ulps; it converges once k exceeds x/2 (about 100 terms
// at x = 90, the largest argument used here).
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

// acc += taps[0..8) * x[0..8), the product rounded before the add.
AM_INLINE void madd8(V8& acc, const float* taps, const float* x) {
  V8 a, b;
  std::memcpy(&a, taps, sizeof a);
  std::memcpy(&b, x, sizeof b);
  const V8 prod = a * b;
  acc += prod;
}

// sum_c taps[8c..8c+8) * chunk(c) over `chunks` chunks, chunk c into accumulator c mod 4, then the
// fixed reduction. The accumulators are named variables so they stay in registers.
template <class Chunk>
AM_INLINE float dot(const float* taps, int chunks, Chunk chunk) {
  V8 a0 = {}, a1 = {}, a2 = {}, a3 = {};
  int c = 0;
  for (; c + kAccs <= chunks; c += kAccs) {
    madd8(a0, taps + (c + 0) * kLanes, chunk(c + 0));
    madd8(a1, taps + (c + 1) * kLanes, chunk(c + 1));
    madd8(a2, taps + (c + 2) * kLanes, chunk(c + 2));
    madd8(a3, taps + (c + 3) * kLanes, chunk(c + 3));
  }
  if (c < chunks) madd8(a0, taps + c * kLanes, chunk(c));
  if (c + 1 < chunks) madd8(a1, taps + (c + 1) * kLanes, chunk(c + 1));
  if (c + 2 < chunks) madd8(a2, taps + (c + 2) * kLanes, chunk(c + 2));
  const V8 s = (a0 + a1) + (a2 + a3);
  return ((s[0] + s[4]) + (s[2] + s[6])) + ((s[1] + s[5]) + (s[3] + s[7]));
}

// Output whose input span lies inside the buffer.
AM_INLINE float dot_inside(const float* taps, const float* x, int chunks) {
  return dot(taps, chunks, [x](int c) { return x + c * kLanes; });
}

// Output whose span leaves [buf_start, buf_end): the same sums over samples gathered with zeros outside.
AM_INLINE float dot_edge(const float* taps, const float* buf, std::int64_t buf_start, std::int64_t buf_end,
                         std::int64_t start, int chunks) {
  float tmp[kAccs][kLanes];
  return dot(taps, chunks, [&](int c) {
    float* t = tmp[c % kAccs];
    const std::int64_t p0 = start + static_cast<std::int64_t>(c) * kLanes;
    for (int l = 0; l < kLanes; ++l) {
      const std::int64_t p = p0 + l;
      t[l] = (p >= buf_start && p < buf_end) ? buf[p - buf_start] : 0.0f;
    }
    return static_cast<const float*>(t);
  });
}

struct Tables {
  const float* taps;
  const std::int32_t* first;
  const std::int32_t* count;
  const std::int64_t* offset;
  std::int64_t o, n;
  int width;
};

AM_INLINE std::int64_t run_loop(const Tables& k, const float* buf, std::int64_t buf_start, std::int64_t buf_end,
                                std::int64_t m0, std::int64_t m_end, std::int64_t ready_end, float* y) {
  std::int64_t b = m0 / k.n;
  std::int64_t j = m0 % k.n;
  std::int64_t block_start = b * k.o - k.width;  // input index of tap k = 0 for block b
  std::int64_t m = m0;
  for (; m < m_end; ++m) {
    const std::int64_t start = block_start + k.first[j];
    const int cnt = k.count[j];
    if (start + cnt > ready_end) break;
    const float* taps = k.taps + k.offset[j];
    if (start >= buf_start && start + cnt <= buf_end) {
      *y++ = dot_inside(taps, buf + (start - buf_start), cnt / kLanes);
    } else {
      *y++ = dot_edge(taps, buf, buf_start, buf_end, start, cnt / kLanes);
    }
    if (++j == k.n) {
      j = 0;
      block_start += k.o;
    }
  }
  return m - m0;
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
    km.beta = static_cast<float>(c.beta);
    km.i0_beta = KernelMath::i0f(km.beta);
    // Past beta ~ 91, I0(beta) overflows float32 and torchaudio's kernel is all zeros (or NaN).
    if (!std::isfinite(km.i0_beta))
      invalid("resample: beta " + num(c.beta) + " is too large (I0(beta) overflows float32, which makes torchaudio's kernel all zeros)");
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
  const Tables t{taps_.data(), first_.data(), count_.data(), offset_.data(), orig_, new_, width_};
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

}  // namespace audiomill
