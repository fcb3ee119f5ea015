// Decoding and resampling fused, block by block: a span of a WAV file goes through a
// StreamResampler per output channel straight into the caller's output, so no full-rate
// copy of the span is ever held (bounded scratch; the output equals read_wav_frames
// followed by ResampleKernel::process bit for bit).
#pragma once
#include <cstdint>
#include <memory>

#include "audio/wav.h"
#include "dsp/resample.h"

namespace audiomill {

// Resamples frames [start, start + count) (clamped to the file) into out[...] per `mix`;
// each out[c] must hold kernel->output_length(clamped count) floats. Returns the output
// samples written per channel (fewer only if the file shrank while being read).
std::int64_t read_wav_resampled(ByteSource& src, const WavInfo& info, std::uint64_t start, std::uint64_t count,
                                ChannelMix mix, int channel, const std::shared_ptr<const ResampleKernel>& kernel,
                                float* const* out);

}  // namespace audiomill
