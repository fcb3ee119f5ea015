#include "fft/fft.h"

#include <algorithm>
#include <vector>

#include "fft/kernel.h"
#include "fft/plan.h"

namespace audiomill {

void rfft(const float* x, int n, float* out) {
  auto plan = real_fft_plan(n);
  std::vector<float> a(plan->buffer_floats(1), 0.0f);
  for (int m = 0; m < n; ++m) a[plan->sample_offset(m, 1)] = x[m];
  rfft_lanes<VF1>(*plan, a.data(), [out](int k, const Cx<VF1>& v) {
    out[2 * k] = v.re.r;
    out[2 * k + 1] = v.im.r;
  });
}

void cfft(const float* x, int n, bool inverse, float* out) {
  auto plan = complex_fft_plan(n);
  const std::size_t size = 2 * static_cast<std::size_t>(n);
  std::vector<float> a(x, x + size), b(size);
  // The inverse is conj(FFT(conj(x))) / n.
  if (inverse) {
    for (int k = 0; k < n; ++k) a[2 * k + 1] = -a[2 * k + 1];
  }
  const float* r = fft_forward<VF1>(*plan, a.data(), b.data());
  if (inverse) {
    const float scale = 1.0f / static_cast<float>(n);
    for (int k = 0; k < n; ++k) {
      out[2 * k] = r[2 * k] * scale;
      out[2 * k + 1] = -r[2 * k + 1] * scale;
    }
  } else {
    std::copy(r, r + size, out);
  }
}

void irfft(const float* spec, int n, float* out) {
  const int bins = n / 2 + 1;
  std::vector<float> full(2 * static_cast<std::size_t>(n)), res(2 * static_cast<std::size_t>(n));
  for (int k = 0; k < bins; ++k) {
    full[2 * k] = spec[2 * k];
    full[2 * k + 1] = spec[2 * k + 1];
  }
  // Like numpy/torch: the imaginary parts of DC (and Nyquist for even n) are ignored.
  full[1] = 0.0f;
  if (n % 2 == 0) full[2 * (n / 2) + 1] = 0.0f;
  for (int k = bins; k < n; ++k) {
    full[2 * k] = full[2 * (n - k)];
    full[2 * k + 1] = -full[2 * (n - k) + 1];
  }
  cfft(full.data(), n, true, res.data());
  for (int m = 0; m < n; ++m) out[m] = res[2 * m];
}

}  // namespace audiomill
