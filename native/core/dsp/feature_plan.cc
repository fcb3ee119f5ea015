#include "dsp/feature_plan.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "util/error.h"
#include "util/thread_pool.h"

namespace audiomill {

void process_block_scalar(const BlockArgs& args);
#if defined(AUDIOMILL_HAVE_AVX2)
void process_block_avx2(const BlockArgs& args);
#endif
#if defined(AUDIOMILL_HAVE_AVX512)
void process_block_avx512(const BlockArgs& args);
#endif
#if defined(AUDIOMILL_HAVE_NEON)
void process_block_neon(const BlockArgs& args);
#endif

BlockKernel block_kernel(SimdLevel level) {
  switch (level) {
#if defined(AUDIOMILL_HAVE_AVX512)
    case SimdLevel::Avx512: return {process_block_avx512, 16};
#endif
#if defined(AUDIOMILL_HAVE_AVX2)
    case SimdLevel::Avx2: return {process_block_avx2, 8};
#endif
#if defined(AUDIOMILL_HAVE_NEON)
    case SimdLevel::Neon: return {process_block_neon, 4};
#endif
    default: return {process_block_scalar, 1};
  }
}

namespace {

void invalid(const std::string& message) { throw CoreError("INVALID_ARGUMENT", message); }

// Python's floor division (the frame-count formulas can have negative numerators).
std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

}  // namespace

FeaturePlan::FeaturePlan(FeatureConfig config) : cfg_(std::move(config)) {
  // Only what protects memory is re-checked here; TypeScript validates the rest.
  if (cfg_.fft_size < 1 || cfg_.fft_size > (1 << 24)) invalid("fft_size out of range");
  if (cfg_.frame_length < 1 || cfg_.frame_length > (1 << 24) || cfg_.hop < 1 || cfg_.zero_pad < 0 ||
      cfg_.zero_pad > (1 << 30) || cfg_.left_pad < -(1 << 24) || cfg_.left_pad > (1 << 24))
    invalid("bad framing");
  if (cfg_.window.size() > (1u << 24)) invalid("window too long");
  if (cfg_.window.empty() || cfg_.win_offset < 0 ||
      cfg_.win_offset + static_cast<int>(cfg_.window.size()) > cfg_.fft_size ||
      cfg_.win_offset + static_cast<int>(cfg_.window.size()) > cfg_.frame_length)
    invalid("window does not fit the frame");
  fft_ = real_fft_plan(cfg_.fft_size);
  window_in_gather_ = !cfg_.remove_dc && cfg_.preemphasis == 0.0f && cfg_.energy == EnergyPoint::None;
  gather_window_ = window_in_gather_ ? cfg_.window : std::vector<float>(cfg_.window.size(), 1.0f);
  const int nb = fft_->bins();
  // The complex (F, T, 2) layout is written by the kernel directly; nothing may post-process it.
  if (cfg_.complex_out && (cfg_.n_mels > 0 || cfg_.log || cfg_.n_out > 0 || !std::isnan(cfg_.top_db) ||
                           cfg_.post_scale != 1.0f || cfg_.post_offset != 0.0f || cfg_.energy != EnergyPoint::None ||
                           cfg_.energy_mode != EnergyColumn::None || cfg_.move_first_last || cfg_.subtract_mean || cfg_.frames_first))
    invalid("complex output cannot be post-processed");
  // The SIMD log needs a normal positive floor.
  if (cfg_.log && !(cfg_.log_floor >= std::numeric_limits<float>::min())) cfg_.log_floor = std::numeric_limits<float>::min();
  if (cfg_.n_mels < 0 || cfg_.n_out < 0) invalid("negative sizes");
  if (cfg_.n_mels > 0) {
    if (!cfg_.onesided) invalid("a filterbank needs a onesided spectrum");
    if (cfg_.fbank.size() != static_cast<std::size_t>(nb) * cfg_.n_mels) invalid("filterbank must be (n_fft/2+1) x n_mels");
    // Transpose to one sparse row per filter: only its non-zero span is summed.
    for (int m = 0; m < cfg_.n_mels; ++m) {
      int first = -1, last = -1;
      for (int k = 0; k < nb; ++k) {
        if (cfg_.fbank[static_cast<std::size_t>(k) * cfg_.n_mels + m] != 0.0f) {
          if (first < 0) first = k;
          last = k;
        }
      }
      MelFilter f{first < 0 ? 0 : first, first < 0 ? 0 : last - first + 1, mel_weights_.size()};
      for (int j = 0; j < f.count; ++j) mel_weights_.push_back(cfg_.fbank[static_cast<std::size_t>(f.first_bin + j) * cfg_.n_mels + m]);
      mel_filters_.push_back(f);
    }
  }
  if (cfg_.n_out > 0 && cfg_.dct.size() != static_cast<std::size_t>(stage_features()) * cfg_.n_out)
    invalid("DCT matrix must be (features x n_out)");
  if (cfg_.energy_mode != EnergyColumn::None && cfg_.energy == EnergyPoint::None) invalid("energy output needs energy computation");
}

int FeaturePlan::stage_features() const {
  if (cfg_.n_mels > 0) return cfg_.n_mels;
  return cfg_.onesided ? fft_->bins() : cfg_.fft_size;
}

std::int64_t FeaturePlan::num_frames(std::int64_t len) const {
  if (len < 0) invalid("negative length");
  const std::int64_t l1 = len + 2 * static_cast<std::int64_t>(cfg_.zero_pad);
  std::int64_t frames = 0;
  switch (cfg_.frame_rule) {
    case FrameRule::TorchCenter: {
      if (cfg_.pad_mode == PadMode::Reflect && cfg_.left_pad >= l1 && cfg_.left_pad > 0)
        throw CoreError("INPUT_TOO_SHORT", "input too short for reflect padding: needs more than " +
                                               std::to_string(cfg_.left_pad) + " samples");
      if ((cfg_.pad_mode == PadMode::Circular || cfg_.pad_mode == PadMode::Replicate) && l1 == 0 && cfg_.left_pad > 0)
        throw CoreError("INPUT_TOO_SHORT", "cannot pad an empty input");
      if (cfg_.pad_mode == PadMode::Circular && cfg_.left_pad > l1)
        throw CoreError("INPUT_TOO_SHORT", "input too short for circular padding");
      frames = 1 + floor_div(l1 + 2 * static_cast<std::int64_t>(cfg_.left_pad) - cfg_.frame_length, cfg_.hop);
      break;
    }
    case FrameRule::TorchNoCenter:
      if (l1 < cfg_.frame_length)
        throw CoreError("INPUT_TOO_SHORT", "input shorter than n_fft (" + std::to_string(cfg_.frame_length) +
                                               ") with center=false");
      frames = 1 + (l1 - cfg_.frame_length) / cfg_.hop;
      break;
    case FrameRule::KaldiSnip:
    case FrameRule::KaldiNoSnip:
      // torchaudio.compliance.kaldi refuses signals shorter than one window in both modes.
      if (len < cfg_.frame_length)
        throw CoreError("INPUT_TOO_SHORT", "input shorter than one Kaldi window (" + std::to_string(cfg_.frame_length) +
                                               " samples)");
      frames = cfg_.frame_rule == FrameRule::KaldiSnip ? 1 + (len - cfg_.frame_length) / cfg_.hop
                                                       : (len + cfg_.hop / 2) / cfg_.hop;
      break;
  }
  frames -= cfg_.drop_last;
  return std::max<std::int64_t>(frames, 0);
}

std::int64_t FeaturePlan::num_features() const {
  const std::int64_t f = cfg_.n_out > 0 ? cfg_.n_out : stage_features();
  return cfg_.energy_mode == EnergyColumn::Prepend ? f + 1 : f;
}

std::vector<std::int64_t> FeaturePlan::output_shape(std::int64_t len) const {
  const std::int64_t t = num_frames(len);
  const std::int64_t f = num_features();
  if (cfg_.complex_out) return {f, t, 2};
  if (cfg_.frames_first) return {t, f};
  return {f, t};
}

std::int64_t FeaturePlan::output_size(std::int64_t len) const {
  std::int64_t size = 1;
  for (std::int64_t d : output_shape(len)) {
    if (d != 0 && size > (std::int64_t{1} << 50) / d) throw CoreError("OUT_OF_MEMORY", "output too large");
    size *= d;
  }
  return size;
}

float FeaturePlan::sample_at(const float* x, std::int64_t len, std::int64_t i) const {
  const std::int64_t l1 = len + 2 * static_cast<std::int64_t>(cfg_.zero_pad);
  if (l1 <= 0) return 0.0f;
  std::int64_t j = i;
  if (j < 0 || j >= l1) {
    switch (cfg_.pad_mode) {
      case PadMode::Constant: return 0.0f;
      case PadMode::Reflect:
        if (l1 == 1) { j = 0; break; }
        while (j < 0 || j >= l1) j = j < 0 ? -j : 2 * (l1 - 1) - j;
        break;
      case PadMode::Replicate: j = j < 0 ? 0 : l1 - 1; break;
      case PadMode::Circular: j = ((j % l1) + l1) % l1; break;
      case PadMode::Symmetric:
        while (j < 0 || j >= l1) j = j < 0 ? -j - 1 : 2 * l1 - 1 - j;
        break;
    }
  }
  const std::int64_t k = j - cfg_.zero_pad;
  return (k < 0 || k >= len) ? 0.0f : x[k];
}

std::size_t block_segment_floats(const FeatureConfig& cfg, int lanes) {
  const std::size_t wlen = cfg.window.size();
  if (static_cast<std::size_t>(cfg.hop) > wlen) return 0;
  return static_cast<std::size_t>(lanes - 1) * static_cast<std::size_t>(cfg.hop) + wlen;
}

std::size_t block_scratch_floats(const FeaturePlan& plan, int lanes) {
  return 2 * plan.fft().buffer_floats(lanes) +
         static_cast<std::size_t>(plan.bins() + std::max(plan.config().n_mels, 0)) * lanes +
         block_segment_floats(plan.config(), lanes);
}

namespace {

// Frames handed to one task: whole blocks, about 64 frames.
std::size_t blocks_per_task(int lanes) { return static_cast<std::size_t>(std::max(1, 64 / lanes)); }

}  // namespace

void run_blocks(const FeaturePlan& plan, const BlockKernel& kernel, const float* x, std::int64_t len,
                std::int64_t frames, float* stage, float* energy, float* block_max, int threads) {
  const std::size_t blocks = static_cast<std::size_t>((frames + kernel.lanes - 1) / kernel.lanes);
  const std::size_t scratch_floats = block_scratch_floats(plan, kernel.lanes);
  parallel_for(blocks, blocks_per_task(kernel.lanes), threads, [&](std::size_t begin, std::size_t end) {
    thread_local std::vector<float> scratch;
    if (scratch.size() < scratch_floats) scratch.resize(scratch_floats);
    const FeatureConfig& cfg = plan.config();
    BlockArgs args{&plan, x, len, 0, 0, stage, frames, energy, block_max, scratch.data(), cfg.hop, plan.frame_origin()};
    for (std::size_t blk = begin; blk < end; ++blk) {
      args.t0 = static_cast<std::int64_t>(blk) * kernel.lanes;
      args.count = static_cast<int>(std::min<std::int64_t>(kernel.lanes, frames - args.t0));
      kernel.fn(args);
    }
  });
}

void FeaturePlan::compute(const float* x, std::int64_t len, float* out, int threads) const {
  compute(x, len, out, threads, block_kernel(active_simd_level()));
}

bool FeaturePlan::reshapes() const {
  return cfg_.n_out > 0 || cfg_.energy_mode != EnergyColumn::None || cfg_.move_first_last || cfg_.subtract_mean || cfg_.frames_first;
}

void FeaturePlan::compute(const float* x, std::int64_t len, float* out, int threads, const BlockKernel& kernel) const {
  const std::int64_t frames = num_frames(len);
  if (frames == 0) return;
  std::vector<float> energy(cfg_.energy != EnergyPoint::None ? static_cast<std::size_t>(frames) : 0);
  // The block stage writes straight into `out` unless the final layout differs.
  std::unique_ptr<float[]> stage_owner;
  float* stage = out;
  if (reshapes()) {
    stage_owner.reset(new float[static_cast<std::size_t>(stage_features()) * static_cast<std::size_t>(frames)]);
    stage = stage_owner.get();
  }
  const std::size_t blocks = static_cast<std::size_t>((frames + kernel.lanes - 1) / kernel.lanes);
  const bool clamp = !std::isnan(cfg_.top_db);
  std::vector<float> block_max(clamp ? blocks : 0);
  run_blocks(*this, kernel, x, len, frames, stage, energy.empty() ? nullptr : energy.data(),
             clamp ? block_max.data() : nullptr, threads);
  float peak = -std::numeric_limits<float>::infinity();
  for (float m : block_max) peak = std::max(peak, m);
  finish(stage, energy, frames, peak, out, threads);
}

void FeaturePlan::finish(float* stage, const std::vector<float>& energy, std::int64_t frames, float peak, float* out, int threads) const {
  const bool clamp = !std::isnan(cfg_.top_db);
  const std::size_t cells = static_cast<std::size_t>(stage_features()) * static_cast<std::size_t>(frames);
  if (clamp || cfg_.post_scale != 1.0f || cfg_.post_offset != 0.0f) {
    // y = max(y, peak - top_db) * scale + offset; NaN cells stay NaN.
    const float floor = clamp ? peak - cfg_.top_db : -std::numeric_limits<float>::infinity();
    const float scale = cfg_.post_scale, offset = cfg_.post_offset;
    const std::size_t chunk = 1 << 16;
    parallel_for((cells + chunk - 1) / chunk, 1, threads, [&](std::size_t b0, std::size_t b1) {
      const std::size_t end = std::min(cells, b1 * chunk);
      for (std::size_t i = b0 * chunk; i < end; ++i) {
        const float v = stage[i] < floor ? floor : stage[i];
        stage[i] = v * scale + offset;
      }
    });
  }
  if (reshapes()) assemble(stage, energy, frames, out, threads);
}

void FeaturePlan::compute_packed(const float* const* xs, const std::int64_t* lens, float* const* outs, std::size_t count,
                                 const BlockKernel& kernel) const {
  const int L = kernel.lanes;
  const std::int64_t wlen = static_cast<std::int64_t>(cfg_.window.size());
  const std::int64_t first = frame_origin();
  std::vector<std::int64_t> frames(count), col(count + 1, 0);
  for (std::size_t i = 0; i < count; ++i) {
    frames[i] = num_frames(lens[i]);
    col[i + 1] = col[i] + frames[i];
  }
  const std::int64_t padded = (col[count] + L - 1) / L * L;  // whole blocks: the tail lanes are zero frames, never stored
  if (padded == 0) return;
  thread_local std::vector<float> packed, stage, scratch, energy, clip;
  packed.resize(static_cast<std::size_t>(padded * wlen));
  // Each frame's window samples, as the kernel would gather them from its clip (padding included).
  for (std::size_t i = 0; i < count; ++i) {
    const float* x = xs[i];
    const std::int64_t len = lens[i];
    for (std::int64_t t = 0; t < frames[i]; ++t) {
      float* dst = packed.data() + (col[i] + t) * wlen;
      const std::int64_t begin = t * cfg_.hop + first;
      if (begin >= 0 && begin + wlen <= len) {
        std::memcpy(dst, x + begin, sizeof(float) * static_cast<std::size_t>(wlen));
      } else {
        for (std::int64_t m = 0; m < wlen; ++m) dst[m] = sample_at(x, len, begin + m + cfg_.zero_pad);
      }
    }
  }
  std::fill(packed.begin() + col[count] * wlen, packed.end(), 0.0f);
  const int width = cfg_.complex_out ? 2 : 1;  // floats per stage cell
  const std::int64_t rows = cfg_.complex_out ? (cfg_.onesided ? bins() : cfg_.fft_size) : stage_features();
  stage.resize(static_cast<std::size_t>(rows * padded * width));
  energy.resize(cfg_.energy != EnergyPoint::None ? static_cast<std::size_t>(padded) : 0);
  scratch.resize(block_scratch_floats(*this, L));
  BlockArgs args{this, packed.data(), padded * wlen, 0, L, stage.data(), padded, energy.empty() ? nullptr : energy.data(), nullptr,
                 scratch.data(), wlen, 0};
  for (args.t0 = 0; args.t0 < padded; args.t0 += L) kernel.fn(args);
  // Each clip's columns, finished on their own.
  const bool own_stage = reshapes();
  for (std::size_t i = 0; i < count; ++i) {
    const std::int64_t F = frames[i];
    if (F == 0) continue;
    if (own_stage) clip.resize(static_cast<std::size_t>(rows * F * width));
    float* dst = own_stage ? clip.data() : outs[i];
    for (std::int64_t r = 0; r < rows; ++r)
      std::memcpy(dst + r * F * width, stage.data() + (r * padded + col[i]) * width, sizeof(float) * static_cast<std::size_t>(F * width));
    float peak = -std::numeric_limits<float>::infinity();
    if (!std::isnan(cfg_.top_db))
      for (std::int64_t k = 0; k < rows * F; ++k) peak = dst[k] > peak ? dst[k] : peak;  // NaN never wins
    const std::vector<float> e = energy.empty() ? std::vector<float>() : std::vector<float>(energy.begin() + col[i], energy.begin() + col[i] + F);
    finish(dst, e, F, peak, outs[i], 1);
  }
}

void FeaturePlan::assemble(const float* stage, const std::vector<float>& energy, std::int64_t frames, float* out,
                           int threads) const {
  const std::size_t T = static_cast<std::size_t>(frames);
  const int nstage = stage_features();
  // 1. DCT: features (n_out x T) = dct^T (n_out x nstage) * stage (nstage x T).
  std::vector<float> cep;
  const float* feats = stage;
  int nfeat = nstage;
  if (cfg_.n_out > 0) {
    nfeat = cfg_.n_out;
    cep.resize(static_cast<std::size_t>(nfeat) * T);
    const std::size_t chunk = 256;
    // Accumulated in double: a long float sum of large equal terms (silence at
    // -100 dB) would otherwise drift by ~1e-3 from a BLAS matmul.
    parallel_for((T + chunk - 1) / chunk, 1, threads, [&](std::size_t b0, std::size_t b1) {
      std::vector<double> acc(chunk);
      for (std::size_t t0 = b0 * chunk; t0 < std::min(T, b1 * chunk); t0 += chunk) {
        const std::size_t n = std::min(chunk, T - t0);
        for (int c = 0; c < nfeat; ++c) {
          std::fill(acc.begin(), acc.end(), 0.0);
          for (int m = 0; m < nstage; ++m) {
            const double w = cfg_.dct[static_cast<std::size_t>(m) * nfeat + c];
            const float* src = stage + static_cast<std::size_t>(m) * T + t0;
            for (std::size_t t = 0; t < n; ++t) acc[t] += w * src[t];
          }
          float* dst = cep.data() + static_cast<std::size_t>(c) * T + t0;
          for (std::size_t t = 0; t < n; ++t) dst[t] = static_cast<float>(acc[t]);
        }
      }
    });
    feats = cep.data();
  }
  // 3. Assemble output rows: energy column, htk ordering, mean removal, layout.
  struct Row {
    const float* src;
    float scale;
  };
  std::vector<Row> rows;
  if (cfg_.energy_mode == EnergyColumn::Prepend) rows.push_back({energy.data(), 1.0f});
  for (int f = 0; f < nfeat; ++f) rows.push_back({feats + static_cast<std::size_t>(f) * T, 1.0f});
  if (cfg_.energy_mode == EnergyColumn::ReplaceFirst && !rows.empty()) rows[0].src = energy.data();
  if (cfg_.move_first_last && rows.size() > 1) {
    Row first = rows.front();
    first.scale = cfg_.moved_scale;
    rows.erase(rows.begin());
    rows.push_back(first);
  }
  const std::size_t nrows = rows.size();
  for (std::size_t r = 0; r < nrows; ++r) {
    double mean = 0.0;
    if (cfg_.subtract_mean) {
      for (std::size_t t = 0; t < T; ++t) mean += rows[r].src[t] * rows[r].scale;
      mean /= static_cast<double>(T);
    }
    const float fm = static_cast<float>(mean);
    for (std::size_t t = 0; t < T; ++t) {
      const float v = rows[r].src[t] * rows[r].scale - fm;
      if (cfg_.frames_first) out[t * nrows + r] = v;
      else out[r * T + t] = v;
    }
  }
}

constexpr std::int64_t kPackedMaxWindow = 1 << 14;

void compute_batch(const FeaturePlan& plan, const std::vector<const float*>& inputs,
                   const std::vector<std::int64_t>& lengths, const std::vector<float*>& outputs, int threads) {
  const std::size_t n = inputs.size();
  const int cap = threads > 0 ? std::min(threads, max_threads()) : max_threads();
  const BlockKernel kernel = block_kernel(active_simd_level());  // one SIMD level for the whole batch
  if (static_cast<int>(n) >= 2 * cap) {
    // Many clips: one task per long clip, each on a single thread; clips of fewer than 4 blocks of frames are
    // packed several to a task (compute_packed), about 8 blocks or 1 MiB of frame samples each. Windows longer
    // than kPackedMaxWindow are not packed: their FFTs dwarf the lanes a short clip leaves empty, and a task's
    // packed frames would take tens of MB per thread.
    const std::int64_t lanes = kernel.lanes;
    const std::int64_t wlen = std::max<std::int64_t>(1, static_cast<std::int64_t>(plan.config().window.size()));
    const std::int64_t group_frames = std::max<std::int64_t>(lanes, std::min<std::int64_t>(8 * lanes, (std::int64_t{1} << 18) / wlen));
    std::vector<std::pair<std::size_t, std::size_t>> tasks;  // [begin, end) of `shorts`, packed together
    std::vector<std::size_t> shorts, longs;                  // clips packed; clips computed alone
    std::int64_t pending = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const std::int64_t frames = plan.num_frames(lengths[i]);
      if (frames >= 4 * lanes || wlen > kPackedMaxWindow) {
        longs.push_back(i);
        continue;
      }
      if (pending == 0) tasks.push_back({shorts.size(), shorts.size()});
      shorts.push_back(i);
      ++tasks.back().second;
      pending += frames;
      if (pending >= group_frames) pending = 0;
    }
    const std::size_t groups = tasks.size();
    parallel_for(groups + longs.size(), 1, cap, [&](std::size_t begin, std::size_t end) {
      std::vector<const float*> xs;
      std::vector<std::int64_t> lens;
      std::vector<float*> outs;
      for (std::size_t k = begin; k < end; ++k) {
        if (k >= groups) {
          const std::size_t i = longs[k - groups];
          plan.compute(inputs[i], lengths[i], outputs[i], 1, kernel);
          continue;
        }
        xs.clear();
        lens.clear();
        outs.clear();
        for (std::size_t j = tasks[k].first; j < tasks[k].second; ++j) {
          xs.push_back(inputs[shorts[j]]);
          lens.push_back(lengths[shorts[j]]);
          outs.push_back(outputs[shorts[j]]);
        }
        plan.compute_packed(xs.data(), lens.data(), outs.data(), xs.size(), kernel);
      }
    });
  } else {
    for (std::size_t i = 0; i < n; ++i) plan.compute(inputs[i], lengths[i], outputs[i], cap, kernel);
  }
}

}  // namespace audiomill
