#include "features/deltas.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "util/error.h"

namespace audiomill {

void compute_deltas(const float* x, std::int64_t rows, std::int64_t frames, int win_length, float* out) {
  if (win_length < 3) throw CoreError("INVALID_ARGUMENT", "win_length must be at least 3");
  const int n = (win_length - 1) / 2;
  const double nn = n;
  const float denom = static_cast<float>(nn * (nn + 1) * (2 * nn + 1) / 3.0);
  for (std::int64_t r = 0; r < rows; ++r) {
    const float* src = x + r * frames;
    float* dst = out + r * frames;
    for (std::int64_t t = 0; t < frames; ++t) {
      float acc = 0.0f;
      for (int j = -n; j <= n; ++j) {
        const std::int64_t i = std::min<std::int64_t>(std::max<std::int64_t>(t + j, 0), frames - 1);
        acc += static_cast<float>(j) * src[i];
      }
      dst[t] = acc / denom;
    }
  }
}

namespace {

// Weights h such that sum_i h[i] * y[i] is the `order`-th derivative at z0 of
// the degree-`degree` least-squares polynomial through (i - centre, y[i]).
std::vector<double> savgol_weights(int width, int degree, int order, double z0, double centre) {
  const int p = degree + 1;
  // Normal equations A = V^T V (p x p), solve A * G = V^T for G (p x width).
  std::vector<double> vt(static_cast<std::size_t>(p) * width);
  for (int i = 0; i < width; ++i) {
    double z = 1.0;
    for (int a = 0; a < p; ++a) {
      vt[static_cast<std::size_t>(a) * width + i] = z;
      z *= (i - centre);
    }
  }
  std::vector<double> aug(static_cast<std::size_t>(p) * (p + width));
  const int cols = p + width;
  for (int a = 0; a < p; ++a) {
    for (int b = 0; b < p; ++b) {
      double s = 0.0;
      for (int i = 0; i < width; ++i) s += vt[static_cast<std::size_t>(a) * width + i] * vt[static_cast<std::size_t>(b) * width + i];
      aug[static_cast<std::size_t>(a) * cols + b] = s;
    }
    for (int i = 0; i < width; ++i) aug[static_cast<std::size_t>(a) * cols + p + i] = vt[static_cast<std::size_t>(a) * width + i];
  }
  // Gauss-Jordan with partial pivoting (p <= 3 here).
  for (int col = 0; col < p; ++col) {
    int piv = col;
    for (int r = col + 1; r < p; ++r) {
      if (std::fabs(aug[static_cast<std::size_t>(r) * cols + col]) > std::fabs(aug[static_cast<std::size_t>(piv) * cols + col])) piv = r;
    }
    for (int k = 0; k < cols; ++k) std::swap(aug[static_cast<std::size_t>(col) * cols + k], aug[static_cast<std::size_t>(piv) * cols + k]);
    const double d = aug[static_cast<std::size_t>(col) * cols + col];
    for (int k = 0; k < cols; ++k) aug[static_cast<std::size_t>(col) * cols + k] /= d;
    for (int r = 0; r < p; ++r) {
      if (r == col) continue;
      const double f = aug[static_cast<std::size_t>(r) * cols + col];
      for (int k = 0; k < cols; ++k) aug[static_cast<std::size_t>(r) * cols + k] -= f * aug[static_cast<std::size_t>(col) * cols + k];
    }
  }
  // d^order/dz^order of sum_a beta_a z^a at z0.
  std::vector<double> h(width, 0.0);
  for (int a = order; a < p; ++a) {
    double coef = 1.0;
    for (int k = 0; k < order; ++k) coef *= (a - k);
    coef *= std::pow(z0, a - order);
    for (int i = 0; i < width; ++i) h[i] += coef * aug[static_cast<std::size_t>(a) * cols + p + i];
  }
  return h;
}

}  // namespace

void savgol_delta(const float* x, std::int64_t rows, std::int64_t frames, int width, int order, float* out) {
  if (width < 3 || width % 2 == 0) throw CoreError("INVALID_ARGUMENT", "width must be odd and at least 3");
  if (order < 1) throw CoreError("INVALID_ARGUMENT", "order must be at least 1");
  if (frames < width) throw CoreError("INVALID_ARGUMENT", "width exceeds the number of frames");
  const int half = width / 2;
  const int degree = order;  // librosa: polyorder = order
  const std::vector<double> centre = savgol_weights(width, degree, order, 0.0, half);
  std::vector<std::vector<double>> left(half), right(half);
  for (int e = 0; e < half; ++e) {
    left[e] = savgol_weights(width, degree, order, e - half, half);               // position e
    right[e] = savgol_weights(width, degree, order, (width - half + e) - half, half);  // position width-half+e
  }
  for (std::int64_t r = 0; r < rows; ++r) {
    const float* src = x + r * frames;
    float* dst = out + r * frames;
    for (std::int64_t t = half; t < frames - half; ++t) {
      double acc = 0.0;
      for (int i = 0; i < width; ++i) acc += centre[i] * src[t - half + i];
      dst[t] = static_cast<float>(acc);
    }
    for (int e = 0; e < half; ++e) {
      double a = 0.0, b = 0.0;
      const float* tail = src + frames - width;
      for (int i = 0; i < width; ++i) {
        a += left[e][i] * src[i];
        b += right[e][i] * tail[i];
      }
      dst[e] = static_cast<float>(a);
      dst[frames - half + e] = static_cast<float>(b);
    }
  }
}

}  // namespace audiomill
