// One configurable frame-feature engine behind Spectrogram, MelSpectrogram,
// log-mel, MFCC, Whisper log-mel and Kaldi fbank/MFCC. The TypeScript layer
// resolves presets and defaults into a FeatureConfig (windows, filterbanks and
// DCT matrices included); the plan precomputes everything else once, and
// compute() then only reads it.
#pragma once
#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

#include "fft/plan.h"
#include "util/simd.h"

namespace audiomill {

enum class PadMode : int { Constant = 0, Reflect = 1, Replicate = 2, Circular = 3, Symmetric = 4 };
enum class FrameRule : int { TorchCenter = 0, TorchNoCenter = 1, KaldiSnip = 2, KaldiNoSnip = 3 };
// Where Kaldi's log energy of a frame is taken: not at all, from the raw frame (before pre-emphasis and
// the window, Kaldi's raw_energy), or from the windowed frame.
enum class EnergyPoint : int { None = 0, Raw = 1, Windowed = 2 };
// What the energy does in the output: nothing, an extra first feature (fbank), or feature 0 (MFCC's C0).
enum class EnergyColumn : int { None = 0, Prepend = 1, ReplaceFirst = 2 };

struct FeatureConfig {
  // --- framing
  FrameRule frame_rule = FrameRule::TorchCenter;
  int frame_length = 400;   // frame geometry (n_fft for torchaudio, window size for Kaldi)
  int fft_size = 400;       // FFT length (>= frame_length)
  int hop = 200;
  int zero_pad = 0;         // torchaudio `pad`: zeros added to both ends first
  PadMode pad_mode = PadMode::Reflect;
  int left_pad = 0;         // samples of padding before frame 0 (centre / Kaldi)
  int drop_last = 0;        // frames dropped from the end (Whisper drops 1)
  int win_offset = 0;       // first sample of the frame the window covers
  std::vector<float> window;  // window values (normalisation folded in)
  // --- Kaldi per-frame preprocessing
  bool remove_dc = false;
  float preemphasis = 0.0f;
  EnergyPoint energy = EnergyPoint::None;
  float log_energy_floor = -std::numeric_limits<float>::infinity();
  // --- spectrum
  bool complex_out = false;  // power = None: output (F, T, 2)
  float power = 2.0f;
  bool onesided = true;
  // --- filterbank: (bins x n_mels) row-major as torchaudio's melscale_fbanks
  int n_mels = 0;
  std::vector<float> fbank;
  // --- log: y = log_scale * ln(max(x + log_add, log_floor)) + log_offset
  bool log = false;
  float log_scale = 1.0f, log_add = 0.0f, log_floor = 0.0f, log_offset = 0.0f;
  // --- whole-output post-processing
  float top_db = std::numeric_limits<float>::quiet_NaN();  // y = max(y, max(y) - top_db)
  float post_scale = 1.0f, post_offset = 0.0f;              // after the clamp
  int n_out = 0;                 // DCT outputs; dct is (n_mels x n_out), lifter folded in
  std::vector<float> dct;
  EnergyColumn energy_mode = EnergyColumn::None;
  bool move_first_last = false;  // Kaldi htk_compat
  float moved_scale = 1.0f;
  bool subtract_mean = false;
  bool frames_first = false;     // output (T, F) as torchaudio.compliance.kaldi does
};

struct BlockKernel;

class FeaturePlan {
 public:
  explicit FeaturePlan(FeatureConfig config);

  const FeatureConfig& config() const { return cfg_; }
  // Frames produced for `len` input samples (0 when the input is too short for
  // Kaldi's snip_edges). Throws CoreError for inputs the padding cannot handle.
  std::int64_t num_frames(std::int64_t len) const;
  // Features per frame (the output's feature dimension; without the complex axis). Independent of the length.
  std::int64_t num_features() const;
  std::vector<std::int64_t> output_shape(std::int64_t len) const;
  std::int64_t output_size(std::int64_t len) const;
  // Writes output_size(len) floats to out. threads = 0 uses the global cap.
  void compute(const float* x, std::int64_t len, float* out, int threads) const;
  // The same with a given kernel (compute_batch keeps one SIMD level for all clips).
  void compute(const float* x, std::int64_t len, float* out, int threads, const BlockKernel& kernel) const;
  // Several clips on the calling thread, their frames packed into shared blocks: each frame's padded samples are
  // copied one after another, so every block of lanes is full however few frames a clip has (a 0.4-s window of
  // 19 frames would otherwise fill 2 blocks of 16 lanes, both with padding). Equal to compute() per clip, bit for
  // bit. For clips of a few blocks of frames (compute_batch decides).
  void compute_packed(const float* const* xs, const std::int64_t* lens, float* const* outs, std::size_t count,
                      const BlockKernel& kernel) const;

  // --- used by the per-ISA block kernels
  struct MelFilter {
    int first_bin;
    int count;
    std::size_t offset;  // into mel_weights
  };
  const RealFftPlan& fft() const { return *fft_; }
  int bins() const { return fft_->bins(); }
  int stage_features() const;  // rows written by the block stage
  const std::vector<MelFilter>& mel_filters() const { return mel_filters_; }
  const std::vector<float>& mel_weights() const { return mel_weights_; }
  // The factors the gather multiplies samples by: the window itself, or ones
  // when Kaldi preprocessing (DC removal, energy, pre-emphasis) must run first.
  bool window_in_gather() const { return window_in_gather_; }
  const std::vector<float>& gather_window() const { return gather_window_; }
  // Index into the input of frame 0's window sample 0 (negative where padding comes first): frame t's window
  // sample m is input sample t * hop + frame_origin() + m.
  std::int64_t frame_origin() const {
    return static_cast<std::int64_t>(cfg_.win_offset) - cfg_.left_pad - cfg_.zero_pad;
  }
  // Sample at padded position i (frame t, sample m: i = t*hop - left_pad + m).
  float sample_at(const float* x, std::int64_t len, std::int64_t i) const;

 private:
  // Whether the output layout differs from the block stage's (cepstra, energy columns, reordering, mean removal,
  // frames-first): then the stage is a separate buffer.
  bool reshapes() const;
  // The stage of one clip finished into `out`: the top_db clamp against `peak` (the stage's largest non-NaN value),
  // the post scale and offset, then assemble() when the layout differs (stage may be out otherwise).
  void finish(float* stage, const std::vector<float>& energy, std::int64_t frames, float peak, float* out, int threads) const;
  // Cepstra, energy columns, ordering, mean removal and layout of the output.
  void assemble(const float* stage, const std::vector<float>& energy, std::int64_t frames, float* out,
                int threads) const;

  FeatureConfig cfg_;
  std::shared_ptr<const RealFftPlan> fft_;
  std::vector<MelFilter> mel_filters_;
  std::vector<float> mel_weights_;
  bool window_in_gather_ = true;
  std::vector<float> gather_window_;
};

// Computes many inputs in one call, spreading clips (or frames of few long
// clips) over the pool.
void compute_batch(const FeaturePlan& plan, const std::vector<const float*>& inputs,
                   const std::vector<std::int64_t>& lengths, const std::vector<float*>& outputs,
                   int threads);

// Per-ISA block kernels: compute frames [t0, t0 + count) (count <= lanes) into
// the stage buffer (features x frames_stride) and energy[t0...] when enabled.
struct BlockArgs {
  const FeaturePlan* plan;
  const float* x;
  std::int64_t len;
  std::int64_t t0;
  int count;
  float* stage;
  std::int64_t stride;  // frames in the stage buffer
  float* energy;        // nullptr when config.energy is EnergyPoint::None
  float* block_max;     // when set: block_max[t0 / lanes] = max of the block's non-NaN outputs
  float* scratch;       // block_scratch_floats(lanes) floats owned by the caller
  std::int64_t hop;     // samples between frames in x (the config's hop; the frame length for packed frames)
  std::int64_t first;   // index into x of frame 0's window sample 0 (may be negative: padding)
};
using BlockFn = void (*)(const BlockArgs&);
struct BlockKernel {
  BlockFn fn;
  int lanes;
};
BlockKernel block_kernel(SimdLevel level);
// Runs the kernel over all blocks of frames on the pool.
void run_blocks(const FeaturePlan& plan, const BlockKernel& kernel, const float* x, std::int64_t len,
                std::int64_t frames, float* stage, float* energy, float* block_max, int threads);
std::size_t block_scratch_floats(const FeaturePlan& plan, int lanes);
// Floats of the padded-segment buffer at the end of the scratch (0: edge blocks gather sample by
// sample, when frames are far apart: hop > window length).
std::size_t block_segment_floats(const FeatureConfig& cfg, int lanes);

}  // namespace audiomill
