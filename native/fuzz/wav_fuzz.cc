// libFuzzer target for the WAV reader (run by scripts/fuzz.sh). Any input must either
// parse or throw CoreError; decoding must stay inside the source and the output buffers.
// Anything else escaping, a crash or a sanitizer report is a finding.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "audio/byte_source.h"
#include "audio/wav.h"
#include "util/error.h"

namespace {

constexpr std::uint64_t kMaxFrames = 1 << 16;  // per read, so memory stays small
constexpr int kMaxChannels = 64;               // channels decoded with ChannelMix::All

using audiomill::ChannelMix;

void read_span(audiomill::ByteSource& src, const audiomill::WavInfo& info, std::uint64_t start, std::uint64_t count,
               ChannelMix mix, int channel) {
  const std::uint64_t avail = start < info.num_frames ? info.num_frames - start : 0;
  const std::size_t n = static_cast<std::size_t>(std::min({count, avail, kMaxFrames}));
  const int outs = mix == ChannelMix::All ? info.channels : 1;
  // One exactly sized buffer per output channel, so ASan sees any write past the span.
  std::vector<std::vector<float>> bufs(static_cast<std::size_t>(outs), std::vector<float>(n));
  std::vector<float*> ptrs;
  for (auto& b : bufs) ptrs.push_back(b.data());
  const std::uint64_t got = audiomill::read_wav_frames(src, info, start, n, mix, channel, ptrs.data());
  if (got > n) __builtin_trap();  // wrote more frames than asked for
  volatile float sink = 0.0f;     // touch the output so nothing is optimised away
  for (const auto& b : bufs)
    for (std::size_t i = 0; i < static_cast<std::size_t>(got); i += 64) sink = sink + b[i];
  (void)sink;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  audiomill::MemorySource src(data, size);
  audiomill::WavInfo info;
  try {
    info = audiomill::parse_wav(src);
  } catch (const audiomill::CoreError&) {
    return 0;
  }
  // What parse_wav promises about a successful parse.
  if (info.channels < 1 || info.channels > 1024 || info.sample_rate < 1 || info.block_align < info.channels ||
      info.data_offset > size ||
      info.num_frames > (size - info.data_offset) / static_cast<std::uint64_t>(info.block_align))
    __builtin_trap();
  (void)info.subtype();

  try {
    if (info.channels <= kMaxChannels) read_span(src, info, 0, kMaxFrames, ChannelMix::All, 0);
    read_span(src, info, 0, kMaxFrames, ChannelMix::Mean, 0);
    read_span(src, info, 0, kMaxFrames, ChannelMix::Select, info.channels - 1);
    // a span in the middle, and one starting past the end
    const std::uint64_t mid = info.num_frames / 3;
    read_span(src, info, mid, info.num_frames / 2 + 1, ChannelMix::Select, info.channels / 2);
    if (info.channels <= kMaxChannels) read_span(src, info, mid, 1000, ChannelMix::All, 0);
    read_span(src, info, info.num_frames + 1, 10, ChannelMix::Mean, 0);
    // the block kernel on the raw bytes directly, with an output offset
    const std::uint64_t frames = std::min<std::uint64_t>(info.num_frames, 4096);
    if (frames > 0) {
      std::vector<float> out(static_cast<std::size_t>(frames) + 7);
      float* p = out.data();
      audiomill::decode_wav_block(info, data + info.data_offset, static_cast<std::size_t>(frames), ChannelMix::Mean,
                                  0, &p, 7);
    }
  } catch (const audiomill::CoreError&) {
    __builtin_trap();  // a successfully parsed file must decode
  }
  return 0;
}
