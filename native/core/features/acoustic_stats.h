// Whole-clip acoustic statistics for manifests and QC (the columns `rms_db`,
// `rms_ac_db`, `peak_db`, `crest_factor_db`, `dc_offset`, `clip_ratio`, `silence_ratio`,
// `zero_crossing_rate`, `snr_db`, `energy_variance` and the means of librosa's
// spectral centroid, bandwidth, rolloff and flatness).
//
// One pass over the frames of the clip, in blocks of `block_frames` frames:
// each block copies its stretch of the (centre-padded) signal, runs the
// feature engine's SIMD block kernel on it for |X|^2, and folds time-domain and
// spectral values into per-block sums. Memory is bounded by the block size plus
// one double per frame (the frame powers, which the SNR percentiles need); no
// spectrogram is held. Results do not depend on the thread count (block sums
// are combined in block order). Every definition is in docs/features.md,
// "Acoustic statistics".
#pragma once
#include <cstdint>
#include <memory>

namespace audiomill {

struct AcousticStatsConfig {
  // Frames shared by every frame statistic: n_fft-sample frames every `hop`
  // samples, frame t centred on sample t*hop (1 + n/hop frames for n > 0).
  int n_fft = 2048;
  int hop = 512;
  // Amplitude floor of every level in dB: 20*log10(max(a, amin)) (1e-10 -> -200 dB).
  double amin = 1e-10;
  // A sample counts as clipped when |x| >= clip_threshold.
  double clip_threshold = 0.999;
  // A frame counts as silent when its RMS level (dBFS) is below this.
  double silence_threshold_db = -60.0;
  // energy_variance: frame levels are clamped below at this level first, so a
  // few frames of digital silence (-200 dB) do not dominate the variance.
  double energy_floor_db = -100.0;
  // snr_db: fraction of frames averaged at each end of the sorted frame powers.
  double snr_fraction = 0.1;
  // Zero-crossing: |x| <= zcr_threshold counts as zero (librosa's threshold).
  double zcr_threshold = 1e-10;
  // Spectral rolloff percentage (librosa roll_percent).
  double rolloff_percent = 0.85;
  // Spectral flatness floor on |X|^power, and the power (librosa amin, power).
  double flatness_amin = 1e-10;
  double flatness_power = 2.0;
  // The four spectral means need an n_fft STFT of every frame, about two thirds of the
  // statistics' time; false skips it (the spectral_* fields are then NaN).
  bool spectral = true;
  // Frames per block (memory and task granularity; results are identical for
  // any thread count, and equal to rounding for any block size).
  int block_frames = 64;
};

struct AcousticStats {
  double duration = 0.0;            // n / sample_rate, seconds
  double rms_db = 0.0;              // 20 log10(max(sqrt(mean x^2), amin))
  double rms_ac_db = 0.0;           // 20 log10(max(sqrt(mean (x - mean x)^2), amin)): the level without DC
  double peak_db = 0.0;             // 20 log10(max(max |x|, amin))
  double crest_factor_db = 0.0;     // peak_db - rms_db
  double dc_offset = 0.0;           // mean x
  double clip_ratio = 0.0;          // fraction of samples with |x| >= clip_threshold
  double silence_ratio = 0.0;       // fraction of frames with frame level < silence_threshold_db
  double zero_crossing_rate = 0.0;  // mean over frames of librosa's per-frame ZCR
  double snr_db = 0.0;              // 10 log10(loudest-fraction mean power / quietest-fraction mean power)
  double energy_variance = 0.0;     // population variance of max(frame level dB, energy_floor_db), dB^2
  double spectral_centroid = 0.0;   // means over frames of librosa's per-frame features, Hz (NaN when not computed)
  double spectral_bandwidth = 0.0;
  double spectral_rolloff = 0.0;
  double spectral_flatness = 0.0;   // dimensionless, 0..1
  std::int64_t frames = 0;          // frames averaged over (0 for empty input)
  std::int64_t non_finite = 0;      // NaN/Inf samples, each treated as 0 by every statistic
};

class FeaturePlan;

// Configure once (window, FFT plan), compute many; compute() is thread-safe.
class AcousticStatsPlan {
 public:
  explicit AcousticStatsPlan(const AcousticStatsConfig& cfg);
  ~AcousticStatsPlan();
  const AcousticStatsConfig& config() const { return cfg_; }
  // Frames of an n-sample clip (0 for n == 0).
  std::int64_t num_frames(std::int64_t n) const;
  // threads = 0 uses the global cap. x may be null when n == 0.
  AcousticStats compute(const float* x, std::int64_t n, int sample_rate, int threads) const;

 private:
  AcousticStatsConfig cfg_;
  std::unique_ptr<FeaturePlan> plan_;
};

// Convenience: builds a plan and computes once.
AcousticStats compute_acoustic_stats(const float* x, std::int64_t n, int sample_rate, const AcousticStatsConfig& cfg,
                                     int threads);

}  // namespace audiomill
