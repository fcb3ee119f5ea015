#include "audio/wav_resample.h"

#include <algorithm>
#include <vector>

namespace audiomill {

std::int64_t read_wav_resampled(ByteSource& src, const WavInfo& info, std::uint64_t start, std::uint64_t count,
                                ChannelMix mix, int channel, const std::shared_ptr<const ResampleKernel>& kernel,
                                float* const* out) {
  constexpr std::uint64_t kBlock = 1 << 16;  // frames decoded per step
  count = start >= info.num_frames ? 0 : std::min(count, info.num_frames - start);
  const int outputs = mix == ChannelMix::All ? info.channels : 1;
  std::vector<std::vector<float>> scratch(static_cast<std::size_t>(outputs), std::vector<float>(kBlock));
  std::vector<float*> scratch_ptrs;
  std::vector<StreamResampler> streams;
  for (auto& s : scratch) scratch_ptrs.push_back(s.data());
  for (int c = 0; c < outputs; ++c) streams.emplace_back(kernel);
  std::int64_t produced = 0;
  for (std::uint64_t done = 0; done < count;) {
    const std::uint64_t want = std::min(kBlock, count - done);
    const std::uint64_t got = read_wav_frames(src, info, start + done, want, mix, channel, scratch_ptrs.data());
    std::int64_t written = 0;
    for (int c = 0; c < outputs; ++c)
      written = streams[static_cast<std::size_t>(c)].push(scratch_ptrs[static_cast<std::size_t>(c)],
                                                          static_cast<std::int64_t>(got), out[c] + produced);
    produced += written;
    done += got;
    if (got < want) break;  // the file shrank
  }
  std::int64_t tail = 0;
  for (int c = 0; c < outputs; ++c) tail = streams[static_cast<std::size_t>(c)].finish(out[c] + produced);
  return produced + tail;
}

}  // namespace audiomill
