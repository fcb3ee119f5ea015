// Raven Pro-style selection measurements (the definitions of the Raven Pro 1.4/1.5
// manuals as tabulated in PeerJ 2020;8:e10197) computed from
// a power spectrogram of each selection box.
//
// Definitions. Let P(i, j) be |X_i(j)|^2 for slice i and bin j inside the box,
// E = sum P, E_f(j) = sum_i P(i, j), E_t(i) = sum_j P(i, j).
//   Freq X%      frequency of the first bin whose cumulative E_f reaches X% of E
//                (Center Freq = Freq 50%); BW 90% = Freq 95% - Freq 5%,
//                BW 50% = Freq 75% - Freq 25%.
//   Dur X%       likewise over slices on E_t: Dur 90% = Time 95% - Time 5%,
//                Dur 50% = Time 75% - Time 25%.
//   Peak Freq    frequency of the single largest cell P(i, j).
//   Agg Entropy  -sum_j p_j log2 p_j with p_j = E_f(j) / E.
//   Avg Entropy  mean over slices of -sum_j q_ij log2 q_ij, q_ij = P(i,j) / E_t(i).
//
// Choices those definitions leave open (Raven itself was not available to check them):
// - Spectrogram defaults: Hann window of 512 samples, DFT 512, hop 256 (50 %
//   overlap), the defaults of Raven Pro's spectrogram view (the definitions give no numbers).
//   Windows are the periodic forms, denominator N (Hann, Hamming, Blackman), or rectangular.
// - Samples of the box: b = round(begin_s * sr), e = round(end_s * sr) (half
//   away from zero), the box holds samples [b, e). Slice i covers samples
//   b + i*hop ... b + i*hop + window - 1; samples at or after e (inside the
//   signal or not) count as zeros, so only the box's own samples carry energy.
//   Slices: 1 + ceil(max(0, (e - b) - window) / hop), so the last slice reaches
//   e and a box shorter than the window gives one zero-padded slice.
// - Times are slice indices times hop / sr, measured from slice starts; only
//   differences are reported, so start vs centre does not matter. Durations are
//   therefore multiples of hop / sr.
// - Bins: bin j (frequency j * sr / fft_size) belongs to the box when
//   low_hz <= f_j <= high_hz (both edges inclusive; a bin is taken whole or not
//   at all, no partial weighting). If no bin centre lies in the box, the one bin
//   nearest to its centre frequency is used.
// - No interpolation: every percentile snaps to a bin frequency or slice time
//   ("first reaches" means cumulative >= X/100 * E, accumulated in double).
// - Peak Freq from the largest cell (ties: earliest slice, then lowest bin), as
//   Raven's manual defines it via Max Power; not from the summed spectrum.
// - Avg Entropy averages only slices with E_t(i) > 0; 0 log 0 = 0.
// - A box with E = 0 (digital silence) gives NaN for every measurement.
// - Validation (CoreError "INVALID_ARGUMENT", message names the selection
//   index): non-finite values, end <= begin, low < 0, low >= high,
//   high > sr / 2, a box entirely outside the signal (end <= 0 or
//   begin >= duration), or one that holds no sample after rounding. A box
//   partly outside the signal is clamped to [0, duration] (Raven tables often
//   end a little past the file's end).
#pragma once
#include <cstdint>
#include <vector>

namespace audiomill {

enum class RavenWindow : int { Hann = 0, Hamming = 1, Blackman = 2, Rectangular = 3 };

struct RavenSpectrogramConfig {
  int window_size = 512;  // samples, >= 2
  int fft_size = 512;     // DFT size, >= window_size (zero-padded)
  int hop = 256;          // samples between slices, >= 1 (50 % overlap by default)
  RavenWindow window = RavenWindow::Hann;
};

struct Selection {
  double begin_s = 0.0;
  double end_s = 0.0;
  double low_hz = 0.0;
  double high_hz = 0.0;
};

struct RavenMeasurements {
  double dur50_s = 0.0;
  double dur90_s = 0.0;
  double center_freq_hz = 0.0;
  double freq5_hz = 0.0;
  double freq25_hz = 0.0;
  double freq75_hz = 0.0;
  double freq95_hz = 0.0;
  double bw50_hz = 0.0;
  double bw90_hz = 0.0;
  double avg_entropy_bits = 0.0;
  double agg_entropy_bits = 0.0;
  double peak_freq_hz = 0.0;
  // Geometry actually used (after clamping), for tables and tests.
  std::int64_t first_sample = 0;  // b
  std::int64_t end_sample = 0;    // e (exclusive)
  int slices = 0;
  int first_bin = 0;
  int bins = 0;
};

// Measures every selection of one mono signal. Selections run in parallel on
// the global pool (threads = 0: the global cap). Throws CoreError.
std::vector<RavenMeasurements> raven_measurements(const float* x, std::int64_t n, int sample_rate,
                                                  const std::vector<Selection>& selections,
                                                  const RavenSpectrogramConfig& cfg, int threads);

}  // namespace audiomill
