// Per-frame spectral features as librosa (>= 0.10, feature/spectral.py)
// defines them: spectral centroid, bandwidth, rolloff, flatness and contrast
// of the magnitude STFT, and the zero-crossing rate and RMS of the framed
// signal. Every formula and choice is in docs/features.md, "Spectral features
// (per frame)".
//
// Frames are processed in blocks of `block_frames`: each block copies its
// stretch of the (centre-padded) signal, runs the feature engine's SIMD block
// kernel for |X|^2 and reduces every frame to its values in double precision,
// written straight into the caller's buffers. Blocks run on the thread pool;
// results do not depend on the thread count. The only allocations of a call
// are per-thread block scratch and one max per block (contrast's top_db clamp).
#pragma once
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "dsp/feature_plan.h"

namespace audiomill {


enum SpectralFeature : unsigned {
  kSpectralCentroid = 1u << 0,
  kSpectralBandwidth = 1u << 1,
  kSpectralRolloff = 1u << 2,
  kSpectralFlatness = 1u << 3,
  kSpectralContrast = 1u << 4,
  kZeroCrossingRate = 1u << 5,
  kRms = 1u << 6,
  kAllSpectralFeatures = (1u << 7) - 1,
};

struct SpectralConfig {
  int sample_rate = 22050;
  // STFT: n_fft-point FFT of frames every `hop` samples, periodic Hann window
  // of win_length (0: n_fft) samples centred in the frame (librosa pad_center);
  // center: frame t centred on sample t*hop with zero padding (pad_mode constant).
  int n_fft = 2048;
  int hop = 512;
  int win_length = 0;
  bool center = true;
  // Frame length of the zero-crossing rate and RMS (0: n_fft); they share hop
  // and center (ZCR pads by repeating the edge samples, RMS with zeros).
  int frame_length = 0;
  unsigned features = kAllSpectralFeatures;
  double roll_percent = 0.85;      // spectral_rolloff roll_percent
  double flatness_amin = 1e-10;    // spectral_flatness amin (on |X|^power)
  double flatness_power = 2.0;     // spectral_flatness power
  double contrast_fmin = 200.0;    // spectral_contrast fmin, Hz
  int contrast_bands = 6;          // spectral_contrast n_bands (n_bands + 1 rows)
  double contrast_quantile = 0.02; // spectral_contrast quantile
  bool contrast_linear = false;    // peak - valley instead of power_to_db(peak) - power_to_db(valley)
  double contrast_amin = 1e-10;    // power_to_db amin
  double contrast_top_db = 80.0;   // power_to_db top_db (clamp at max - top_db over the clip); < 0: none
  double zcr_threshold = 1e-10;    // |x| <= threshold counts as zero
  int block_frames = 64;
};

// Caller-owned outputs: one float per frame (contrast: rows x frames, row-major);
// null for a feature not requested.
struct SpectralOutputs {
  float* centroid = nullptr;
  float* bandwidth = nullptr;
  float* rolloff = nullptr;
  float* flatness = nullptr;
  float* contrast = nullptr;
  float* zcr = nullptr;
  float* rms = nullptr;
  // workspace_floats(n) floats (the contrast valleys until the top_db clamp), or null when that is 0.
  float* workspace = nullptr;
};

// Configure once (window, FFT plan, contrast bands), compute many; compute() is thread-safe.
class SpectralFeaturesPlan {
 public:
  explicit SpectralFeaturesPlan(const SpectralConfig& cfg);
  ~SpectralFeaturesPlan();
  const SpectralConfig& config() const { return cfg_; }
  // STFT frames of an n-sample clip (0 for n == 0; INPUT_TOO_SHORT when center is
  // false and n < n_fft).
  std::int64_t num_frames(std::int64_t n) const;
  // Frames of the zero-crossing rate and RMS (same rules with frame_length).
  std::int64_t num_time_frames(std::int64_t n) const;
  int contrast_rows() const { return cfg_.contrast_bands + 1; }
  std::size_t workspace_floats(std::int64_t n) const;
  // threads = 0 uses the global cap. x may be null when n == 0.
  void compute(const float* x, std::int64_t n, const SpectralOutputs& out, int threads) const;

  struct Band {
    int first;     // first bin of the sorted sub-band
    int count;     // bins in the sub-band
    int quantile;  // values averaged at each end
  };
  const std::vector<Band>& bands() const { return bands_; }

 private:
  void compute_spectral(const float* x, std::int64_t n, const SpectralOutputs& out, int threads) const;
  void compute_time(const float* x, std::int64_t n, const SpectralOutputs& out, int threads) const;

  SpectralConfig cfg_;
  std::unique_ptr<FeaturePlan> plan_;
  std::vector<Band> bands_;
};

// Shared with acoustic_stats.cc (not part of the public interface).
namespace spectral_detail {

// NaN/Inf -> 0 (on the bits, so fast-math flags cannot fold it away; a mask, not a branch, so
// loops over it vectorise).
inline float clean(float v) {
  std::uint32_t u;
  std::memcpy(&u, &v, sizeof u);
  u &= (u & 0x7f800000u) == 0x7f800000u ? 0u : ~0u;
  std::memcpy(&v, &u, sizeof u);
  return v;
}

// Per-frame accumulators and results of frame_values, one slot per frame of a block.
struct FrameScratch {
  std::vector<double> sum_s, sum_ks, sum_kks, sum_pt, prod, cum, below, thr;
  std::vector<double> centroid, bandwidth, rolloff, flatness;  // results (Hz, Hz, Hz, ratio)
  std::vector<std::int64_t> exps;
  void resize(std::size_t frames);
};

// Python-style floor division.
inline std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

// The feature-engine plan of |X|^2 for blocks that arrive already padded:
// n_fft-point frames every hop samples, a periodic Hann window of win_length
// samples centred in the frame (librosa's pad_center).
std::unique_ptr<FeaturePlan> padded_stft_plan(int n_fft, int hop, int win_length);

// The block layout of one clip's T frames, and the per-thread buffers a block needs.
struct BlockGeometry {
  BlockGeometry(const FeaturePlan& plan, std::int64_t frames, int block_frames);
  std::int64_t B;            // frames per block
  std::size_t blocks;        // ceil(T / B)
  int bins;                  // n_fft / 2 + 1
  std::size_t seg_floats;    // padded samples of a block
  std::size_t stage_floats;  // bins x B
  BlockKernel kernel;         // the active SIMD level's block kernel
  std::size_t scratch_floats;
};
struct BlockBuffers {
  std::vector<float> seg, stage, scratch;
  void reserve(const BlockGeometry& g);
};

// Copies padded samples [s0, s0 + seg_len) of x (zeros outside [0, n), NaN/Inf
// as 0) into seg.
void fill_padded(const float* x, std::int64_t n, std::int64_t s0, std::int64_t seg_len, float* seg);

// fill_padded, then writes |X|^2 of the C frames (frame t at seg + t*hop) as
// bins x C rows of stride B into stage.
void padded_block_power(const FeaturePlan& plan, const BlockKernel& kernel, const float* x, std::int64_t n,
                        std::int64_t s0, std::int64_t seg_len, std::int64_t C, float* seg, float* stage,
                        std::int64_t B, float* scratch);

// librosa's centroid, bandwidth (p = 2), rolloff and flatness of the C frames
// of a stage (bins x C power values, stride B), into a.centroid[t], ... .
void frame_values(const float* stage, std::int64_t B, std::int64_t C, int bins, double amin, double power,
                  double roll_percent, double bin_hz, FrameScratch& a);

// Sums of squares and sign changes over runs of g = gcd(len, hop) samples of a
// block's segment, and the per-frame results built from them.
struct RunScratch {
  std::vector<double> run_sq;
  std::vector<std::int32_t> run_cross;
  std::vector<int> crossings;  // per frame of the block
};

// For the C frames of len samples every hop of a block whose zero-padded,
// cleaned segment seg starts at signal position s0 (frame t at seg + t*hop,
// (C - 1)*hop + len samples): power[t] = mean of x^2 over the frame (zero
// padding) and r.crossings[t] = its zero crossings with librosa's edge padding
// (edge_zero_crossings). Frames add whole runs, and runs align with the padded
// signal, so every block size gives the same values.
void frame_power_crossings(const float* x, std::int64_t n, const float* seg, std::int64_t s0, std::int64_t C, int hop,
                           int len, float thr, RunScratch& r, double* power);

// Crossings in the len samples from (possibly out-of-range) position start,
// edges repeated: samples with |x| <= thr count as 0 (positive), a crossing is
// a sign change from the previous sample, the first sample never counts.
int edge_zero_crossings(const float* x, std::int64_t n, std::int64_t start, int len, float thr);

}  // namespace spectral_detail

}  // namespace audiomill
