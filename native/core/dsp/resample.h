// Polyphase windowed-sinc resampling with torchaudio's F.resample kernel (0.13):
// the ratio is gcd-reduced to orig/new and the kernel is computed exactly as F.resample
// does for a float32 waveform, i.e. in float32 arithmetic (torchaudio passes the waveform
// dtype to its kernel builder; only transforms.Resample builds it in float64). Output n
// (counted from the stream start) is
//   y[n] = sum_k K[n mod new][k] * x[(n div new) * orig + k - width]
// with x zero outside the signal. Only taps inside the lowpass window are stored when
// the others (which torchaudio multiplies too) cannot move an output by 1e-7: they are
// <= 1e-11 for the presets (see resample.cc). The whole-signal output length is
// ceil(new * L / orig). Equal rates after reduction copy the input (width() is then 0).
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

namespace audiomill {

enum class ResampleWindow : int { Hann = 0, Kaiser = 1 };

struct ResampleConfig {
  std::int64_t orig_freq = 0;
  std::int64_t new_freq = 0;
  int lowpass_filter_width = 6;
  double rolloff = 0.99;
  ResampleWindow window = ResampleWindow::Hann;
  double beta = 14.769656459379492;  // kaiser only
};

// Immutable, shareable across threads.
class ResampleKernel {
 public:
  explicit ResampleKernel(const ResampleConfig& config);  // throws CoreError("INVALID_ARGUMENT")
  std::int64_t orig() const { return orig_; }             // reduced
  std::int64_t new_rate() const { return new_; }          // reduced
  int width() const { return width_; }
  // Output length for a whole signal of `length` input samples: ceil(new * length / orig).
  std::int64_t output_length(std::int64_t length) const;
  // Resamples a whole signal (x zero outside [0, length)).
  void process(const float* x, std::int64_t length, float* y) const;
  // ... phase tables, private
 private:
  friend class StreamResampler;
  // Writes outputs m0, m0+1, ... while m < m_end and output m needs no input at or
  // beyond `ready_end`; returns how many. `buf` holds input samples
  // [buf_start, buf_end) (absolute indices); other samples read as zero.
  std::int64_t run(const float* buf, std::int64_t buf_start, std::int64_t buf_end, std::int64_t m0,
                   std::int64_t m_end, std::int64_t ready_end, float* y) const;
  // Absolute input index of the first sample any output >= m reads.
  std::int64_t keep_from(std::int64_t m) const;

  std::int64_t orig_ = 0, new_ = 0;
  int width_ = 0;
  bool identity_ = false;              // equal rates after reduction: output = input
  int isa_ = 0;                        // dot-product implementation, chosen at construction
  std::int32_t min_first_ = 0;         // min over phases of first_
  std::int64_t span_ = 0;              // max over phases of first_ + count_
  std::vector<float> taps_;            // phase-major, each phase zero-padded to a multiple of 8
  std::vector<std::int32_t> first_;    // per phase: first k (index into torchaudio's 2*width+orig taps) stored
  std::vector<std::int32_t> count_;    // per phase: number of stored taps (a multiple of 8)
  std::vector<std::int64_t> offset_;   // per phase: start of its taps in taps_
};

// The kernel for a configuration, shared process-wide (immutable; a bounded cache, util/plan_cache.h): callers
// that resample file after file at a few rate pairs build each kernel once.
std::shared_ptr<const ResampleKernel> shared_resample_kernel(const ResampleConfig& config);

// Carries state across blocks: concatenating push() outputs and finish() equals
// process() on the concatenated input.
class StreamResampler {
 public:
  explicit StreamResampler(std::shared_ptr<const ResampleKernel> kernel);
  // Appends `n` input samples; writes every output sample now computable into y
  // (at most max_output(n) floats) and returns how many.
  std::int64_t push(const float* x, std::int64_t n, float* y);
  // Flushes the tail (zero-padded end); returns how many samples were written (<= max_flush()).
  std::int64_t finish(float* y);
  std::int64_t max_output(std::int64_t n) const;
  std::int64_t max_flush() const;
  void reset();
 private:
  void drop_unneeded();

  std::shared_ptr<const ResampleKernel> kernel_;
  std::vector<float> history_;     // input samples still needed (capacity fixed at construction)
  std::int64_t history_start_ = 0; // absolute index of history_[0]
  std::int64_t consumed_ = 0;      // input samples pushed so far
  std::int64_t produced_ = 0;      // output samples emitted so far
  std::size_t capacity_ = 0;       // history_ never holds more samples than this
  bool finished_ = false;          // finish() was called; push() needs reset() first
};

}  // namespace audiomill
