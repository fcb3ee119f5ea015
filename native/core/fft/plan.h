// FFT plans: factorisation, twiddles, output order and Bluestein data, built
// once per length and shared read-only between threads (cached by length).
//
// The transforms run in place, decimation in frequency (Sande-Tukey), mixed
// radix: the output comes out in digit-reversed order and `pos[k]` says where
// X[k] is. In-place passes keep the working set of the lane kernels (one
// frame per SIMD lane) at one buffer, which is what keeps them in L1.
//
// Data layout used by every kernel: a sequence of complex elements, element i
// stored as L real parts followed by L imaginary parts (one independent
// transform per lane), i.e. re at buf[2*i*L + lane], im at buf[(2*i+1)*L + lane].
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

namespace audiomill {

// Radices above this are handled by Bluestein's algorithm.
constexpr int kMaxDirectRadix = 31;
// Longest FFT (keeps every size computation, Bluestein's 2n-1 included, in int).
constexpr int kMaxFftLength = 1 << 26;

template <class T>
struct FftPlan {
  struct Stage {
    int radix = 0;
    int span = 0;           // length of the sub-transforms this stage splits
    int m = 0;              // span / radix: distance between butterfly inputs
    std::vector<T> tw;      // (m * (radix-1)) complex twiddles W_span^(j q), interleaved re/im
    std::vector<T> roots;   // radix complex roots of unity (generic radices only)
  };
  int n = 0;
  std::vector<Stage> stages;
  std::vector<int> pos;     // X[k] is at element pos[k] after the in-place passes
  // Bluestein (any prime factor > kMaxDirectRadix): always run in double.
  bool bluestein = false;
  int m = 0;                          // power-of-two convolution length >= 2n-1
  std::vector<double> chirp;          // n complex: exp(-i*pi*k^2/n)
  std::vector<double> kernel_hat;     // m complex: FFT of the conjugate chirp
  std::shared_ptr<const FftPlan<double>> sub;  // plan of length m
};

// Plan for the complex FFT of length n >= 1.
template <class T>
std::shared_ptr<const FftPlan<T>> make_fft_plan(int n);

// Real-input FFT of length n >= 1 on lanes: even n packs pairs of samples into
// a complex FFT of n/2 and untangles; odd n runs a complex FFT of n.
struct RealFftPlan {
  int n = 0;
  bool even = false;
  std::shared_ptr<const FftPlan<float>> cplx;  // n/2 (even) or n (odd)
  std::vector<float> post;                     // even: (n/2+1) complex e^{-2 pi i k/n}
  const int* pos() const { return cplx->pos.data(); }
  // Offset (in floats, per lane unit) of input sample m in the lane buffer.
  std::size_t sample_offset(int m_index, int lanes) const {
    return even ? static_cast<std::size_t>(m_index) * lanes
                : static_cast<std::size_t>(2 * m_index) * lanes;
  }
  int bins() const { return n / 2 + 1; }
  // Floats a work buffer needs for `lanes` lanes.
  std::size_t buffer_floats(int lanes) const {
    return static_cast<std::size_t>(2 * (even ? n / 2 + 1 : n)) * lanes + 2 * lanes;
  }
};

// Per-thread scratch of at least n doubles for Bluestein transforms (kept out
// of the per-ISA kernels so no standard-library code is compiled with their flags).
double* bluestein_scratch(std::size_t n);

// Cached, thread-safe plan lookup.
std::shared_ptr<const RealFftPlan> real_fft_plan(int n);
std::shared_ptr<const FftPlan<float>> complex_fft_plan(int n);

}  // namespace audiomill
