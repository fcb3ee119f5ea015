// Delta (derivative) features along the last axis of a (rows x frames) matrix.
#pragma once
#include <cstdint>

namespace audiomill {

// torchaudio.functional.compute_deltas: regression over +-N frames,
// N = (win_length-1)/2, edges padded by replication.
void compute_deltas(const float* x, std::int64_t rows, std::int64_t frames, int win_length, float* out);

// librosa.feature.delta(mode='interp'): Savitzky-Golay derivative of `order`
// with a polynomial of degree `order` over `width` frames (odd, 3 <= width <=
// frames); the edges evaluate the polynomial fitted to the first/last window.
void savgol_delta(const float* x, std::int64_t rows, std::int64_t frames, int width, int order, float* out);

}  // namespace audiomill
