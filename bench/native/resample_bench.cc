// Resampler kernel timing (one thread): 5-s signals at 22.05, 44.1, 48 and 32 kHz to 16 kHz, the best of 7 rounds of
// 200 calls of ResampleKernel::process into a reused output. Build and run from the repository root:
//   g++ -O3 -fno-math-errno -std=c++17 -Inative/core bench/native/resample_bench.cc native/core/dsp/resample.cc \
//       native/core/util/*.cc -o /tmp/resample_bench -lpthread && /tmp/resample_bench
// The number in brackets is a checksum of the outputs: equal before and after a change that keeps the bits.
#include "dsp/resample.h"
#include <chrono>
#include <cstdio>
#include <cmath>
#include <vector>
using namespace audiomill;
int main() {
  for (int sr : {22050, 44100, 48000, 32000}) {
    ResampleConfig c; c.orig_freq = sr; c.new_freq = 16000;
    ResampleKernel k(c);
    std::vector<float> x(sr * 5); for (size_t i = 0; i < x.size(); ++i) x[i] = std::sin(i * 0.01f);
    std::vector<float> y(k.output_length(x.size()));
    double best = 1e9; double sum = 0;
    for (int rep = 0; rep < 7; ++rep) {
      auto t0 = std::chrono::steady_clock::now();
      for (int r = 0; r < 200; ++r) { k.process(x.data(), x.size(), y.data()); sum += y[r]; }
      auto t1 = std::chrono::steady_clock::now();
      best = std::min(best, std::chrono::duration<double, std::milli>(t1 - t0).count() / 200);
    }
    std::printf("%d %.3f ms (%g)\n", sr, best, sum);
  }
}
