// A whole WAV file as mono samples at a chosen rate, for tasks that take files one after another on worker
// threads (the manifest's statistics, the built-in encoders' pooled features): opened, parsed, mixed to mono and
// resampled whole into this thread's buffers, which are kept from file to file (released past 8 M samples).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "audio/byte_source.h"
#include "audio/wav.h"
#include "dsp/resample.h"

namespace audiomill {

// Calls use(info, samples, count, rate) with the file mixed to mono and resampled to `target` (0: its own rate)
// with the kernel `resample` describes (its rates are set here; kernels shared by shared_resample_kernel). Equal,
// bit for bit, to read_wav_resampled's block-by-block stream. Returns false when
// anything fails, `use` included: the caller's generic path then reads the file again and words the error.
template <class Use>
bool with_wav_mono(const std::string& path, int target, const ResampleConfig& resample, Use&& use) {
  thread_local std::vector<float> frames_buf, out_buf;
  bool ok = false;
  try {
    FileSource source(path);
    const WavInfo info = parse_wav(source);
    const std::uint64_t count = info.num_frames;
    std::shared_ptr<const ResampleKernel> kernel;
    if (target > 0 && target != info.sample_rate) {
      ResampleConfig c = resample;
      c.orig_freq = info.sample_rate;
      c.new_freq = target;
      kernel = shared_resample_kernel(c);
    }
    if (frames_buf.size() < count) frames_buf.resize(count);
    float* ptr = frames_buf.data();
    std::uint64_t got = read_wav_frames(source, info, 0, count, ChannelMix::Mean, 0, &ptr);
    if (kernel) {
      const std::int64_t n = kernel->output_length(static_cast<std::int64_t>(got));
      if (out_buf.size() < static_cast<std::size_t>(n)) out_buf.resize(static_cast<std::size_t>(n));
      kernel->process(ptr, static_cast<std::int64_t>(got), out_buf.data());
      ptr = out_buf.data();
      got = static_cast<std::uint64_t>(n);
    }
    use(info, static_cast<const float*>(ptr), static_cast<std::int64_t>(got), kernel ? target : info.sample_rate);
    ok = true;
  } catch (...) {
    ok = false;
  }
  constexpr std::size_t kKeep = std::size_t{1} << 23;
  if (frames_buf.size() > kKeep) std::vector<float>().swap(frames_buf);
  if (out_buf.size() > kKeep) std::vector<float>().swap(out_buf);
  return ok;
}

}  // namespace audiomill
