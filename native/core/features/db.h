// Decibel conversion with torchaudio's semantics (torchaudio.functional.amplitude_to_DB):
//   y = multiplier * log10(max(x, amin)) - multiplier * log10(max(amin, ref))
// with multiplier 10 for power and 20 for magnitude input, then, with top_db, every value
// clamped to (max over its group) - top_db. A NaN input stays NaN and is ignored by the
// maximum; +inf stays +inf.
//
// The logarithm is a vectorised float32 one (range reduction to [sqrt(1/2), sqrt(2)) and the
// Cephes logf minimax polynomial, max error ~1 ulp of ln x): the same source is compiled for the
// baseline ISA and as AVX2 / AVX-512 clones without FMA contraction, so every SIMD level returns
// identical bits.
#pragma once
#include <cstddef>
#include <cstdint>

namespace audiomill {

enum class DbScale : int { Power = 0, Magnitude = 1 };

struct DbOptions {
  DbScale scale = DbScale::Power;
  double amin = 1e-10;  // floor before the log; at least FLT_MIN (the float32 log has no subnormal path)
  double ref = 1.0;     // reference: output is dB relative to ref
  double top_db = -1;   // < 0: no clamp
  std::int64_t groups = 1;  // the input splits into `groups` equal parts, each with its own top_db maximum
};

// The affine factors of the log step: y = log_scale * ln(max(x, floor)) + log_offset.
struct DbLog {
  float log_scale;
  float floor;
  float log_offset;
};
DbLog db_log_params(const DbOptions& options);

// y = log_scale * ln(max(x[i], floor)) + log_offset for i < n, with the active SIMD level;
// returns the maximum of the non-NaN outputs (-inf when there is none).
float db_values(const float* x, std::size_t n, float* y, const DbLog& p);
// y[i] = max(y[i], floor) for i < n (NaN stays NaN).
void db_clamp(float* y, std::size_t n, float floor);

// The whole conversion of n values into out (out may equal x), on at most `threads` threads
// (0: the global cap). Throws CoreError for bad options or an n not divisible by groups.
void amplitude_to_db(const float* x, std::size_t n, float* out, const DbOptions& options, int threads);

}  // namespace audiomill
