// Single FFTs on interleaved complex data (re, im, re, im, ...).
#pragma once
#include <cstddef>

namespace audiomill {

// out: 2*(n/2+1) floats.
void rfft(const float* x, int n, float* out);
// spec: 2*(n/2+1) floats (Hermitian half spectrum); out: n floats, scaled 1/n.
void irfft(const float* spec, int n, float* out);
// x, out: 2*n floats. inverse=true computes the unnormalised inverse times 1/n.
void cfft(const float* x, int n, bool inverse, float* out);

}  // namespace audiomill
