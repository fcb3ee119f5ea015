// A/B driver for kernel changes: the same log-mel plan built from two copies
// of the core (the baseline compiled with -Daudiomill=audiomill_old), timed
// alternately in one process on the same input. Built and run by ab-kernel.sh.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "ab_logmel.h"

// The baseline, reached through ab_shim.cc (compiled with the old core).
double run_old(const float* x, long len, int n_fft, int hop, int n_mels, int reps, const char* level);

int main(int argc, char** argv) {
  const char* level = argc > 1 ? argv[1] : "avx512";
  const int rounds = argc > 2 ? std::atoi(argv[2]) : 15;
  std::vector<float> x(16000 * 60);
  unsigned long long s = 1;
  for (std::size_t i = 0; i < x.size(); ++i) {
    s = (s * 16807) % 2147483647;
    x[i] = static_cast<float>(std::sin(i * 0.01) * 0.5 + 0.2 * (s / 2147483647.0 - 0.5));
  }
  const long len = static_cast<long>(x.size());
  std::vector<double> a, b;
  for (int r = 0; r < rounds; ++r) {
    a.push_back(run_old(x.data(), len, 512, 160, 64, 5, level));
    b.push_back(time_logmel(x.data(), len, 512, 160, 64, 5, level));
  }
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  std::printf("%s, config A log-mel on 60 s, %d rounds of best-of-5: baseline median %.3f ms (min %.3f), "
              "change median %.3f ms (min %.3f), change/baseline %.3f\n",
              level, rounds, a[a.size() / 2], a[0], b[b.size() / 2], b[0], b[b.size() / 2] / a[a.size() / 2]);
}
