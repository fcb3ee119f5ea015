// Our WAV reader: RIFF and RF64, PCM u8/s16/s24/s32, IEEE float32/float64,
// WAVE_FORMAT_EXTENSIBLE, G.711 mu-law and A-law. Samples come out as float32
// scaled as libsndfile/soundfile scale them (s16 / 32768, u8 (v-128)/128, ...).
//
// Every byte is untrusted: a malformed file throws CoreError with one of the codes
//   EMPTY               zero-byte file
//   DECODE_CORRUPT      not RIFF/RF64 WAVE, missing or inconsistent fmt/data chunks,
//                       absurd sizes (channels 0 or > 1024, rate 0, block align wrong)
//   DECODE_TRUNCATED    header cut off before the data chunk starts
//   UNSUPPORTED_FORMAT  a valid WAV whose codec we do not decode (ADPCM, GSM, ...)
// and never reads outside the source.
#pragma once
#include <cstdint>
#include <string>

#include "audio/byte_source.h"

namespace audiomill {

enum class WavEncoding : int { PcmU8 = 0, PcmS16, PcmS24, PcmS32, Float32, Float64, MuLaw, ALaw };

struct WavInfo {
  int sample_rate = 0;
  int channels = 0;
  WavEncoding encoding = WavEncoding::PcmS16;
  int bits_per_sample = 0;    // as stored (container bits for PCM)
  int block_align = 0;        // bytes per frame
  std::uint32_t channel_mask = 0;  // WAVE_FORMAT_EXTENSIBLE's dwChannelMask, 0 if absent
  bool rf64 = false;
  bool extensible = false;
  bool truncated = false;     // the data chunk declares more bytes than the file holds
  std::uint64_t data_offset = 0;  // byte offset of the first sample
  std::uint64_t num_frames = 0;   // whole frames actually present
  std::string subtype() const;    // "PCM_16", "PCM_24", "FLOAT", "ULAW", ... (soundfile's names)
  int valid_bits = 0;             // wValidBitsPerSample (extensible) or wBitsPerSample as written (12, 20, ...)
  std::uint16_t format_tag = 0;   // effective tag: 1 PCM, 3 float, 6 A-law, 7 mu-law (the subformat if extensible)
};

// Parses the header chunks (reads only the header bytes). A data size of 0 or
// 0xFFFFFFFF (streaming writers) means "to the end of the file".
WavInfo parse_wav(ByteSource& src);

// How decoded channels are laid out in the caller's buffers.
enum class ChannelMix : int {
  All = 0,     // out[c] receives channel c, for every channel
  Mean = 1,    // out[0] receives the mean of all channels
  Select = 2,  // out[0] receives channel `channel`
};

// Decodes frames [start, start + count) (clamped to num_frames) into out[...] per `mix`.
// Reads the file in bounded blocks. Returns the number of frames written.
std::uint64_t read_wav_frames(ByteSource& src, const WavInfo& info, std::uint64_t start, std::uint64_t count,
                              ChannelMix mix, int channel, float* const* out);

// Converts `frames` interleaved frames of raw bytes to floats, per mix (the per-block
// kernel used by read_wav_frames; exposed for tests and the fuzz target).
void decode_wav_block(const WavInfo& info, const unsigned char* bytes, std::size_t frames, ChannelMix mix, int channel,
                      float* const* out, std::size_t out_offset);

}  // namespace audiomill
