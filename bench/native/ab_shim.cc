// Compiled with the baseline core and -Daudiomill=audiomill_old (see ab-kernel.sh).
#include "ab_logmel.h"

double run_old(const float* x, long len, int n_fft, int hop, int n_mels, int reps, const char* level) {
  return time_logmel(x, len, n_fft, hop, n_mels, reps, level);
}
