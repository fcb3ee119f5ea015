#include "explore/tsne_layout.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "util/error.h"
#include "util/thread_pool.h"

namespace audiomill {

namespace {
using I64 = std::int64_t;
[[noreturn]] void bad(const std::string& message) { throw CoreError("INVALID_ARGUMENT", message); }
}  // namespace

double tsne_optimize(double* y, I64 n, int dim, const I64* offsets, const std::int32_t* columns, const double* values, const TsneOptions& o) {
  if (n < 2 || dim < 1 || dim > 3) bad("Expected at least two points and 1 to 3 dimensions");
  if (o.iterations < 1 || o.exaggeration_iterations < 0 || !(o.learning_rate > 0)) bad("Expected iterations >= 1 and a positive learning rate");
  if (offsets[0] != 0) bad("Expected CSR offsets from 0");
  for (I64 i = 0; i < n; ++i) {
    if (offsets[i + 1] < offsets[i]) bad("Expected non-decreasing CSR offsets");
    for (I64 q = offsets[i]; q < offsets[i + 1]; ++q)
      if (columns[q] < 0 || columns[q] >= n) bad("Entry " + std::to_string(q) + " of P names a point outside [0, " + std::to_string(n) + ")");
  }
  const std::size_t cells = static_cast<std::size_t>(n * dim);
  std::vector<double> grad(cells), update(cells, 0.0), gains(cells, 1.0), zrow(static_cast<std::size_t>(n));
  for (int it = 0; it < o.iterations; ++it) {
    const bool early = it < o.exaggeration_iterations;
    const double exaggeration = early ? o.exaggeration : 1.0;
    const double momentum = early ? o.momentum_early : o.momentum_late;
    // Repulsion and the normaliser Z, exact: rep_i = Σ_j w_ij² (y_i − y_j), Z = Σ_{i≠j} w_ij, w = 1 / (1 + d²).
    parallel_for(static_cast<std::size_t>(n), 32, o.threads, [&](std::size_t b, std::size_t e) {
      for (std::size_t i = b; i < e; ++i) {
        const double* yi = y + i * dim;
        if (dim == 2) {
          // The common case without branches (vectorises): the point itself adds w = 1 to z and nothing to rep.
          const double y0 = yi[0], y1 = yi[1];
          double r0 = 0, r1 = 0, z = 0;
          for (I64 j = 0; j < n; ++j) {
            const double d0 = y0 - y[2 * j], d1 = y1 - y[2 * j + 1];
            const double w = 1.0 / (1.0 + d0 * d0 + d1 * d1);
            z += w;
            r0 += w * w * d0;
            r1 += w * w * d1;
          }
          zrow[i] = z - 1.0;
          grad[i * 2] = r0;
          grad[i * 2 + 1] = r1;
          continue;
        }
        double rep[3] = {0, 0, 0}, z = 0;
        for (I64 j = 0; j < n; ++j) {
          if (static_cast<std::size_t>(j) == i) continue;
          const double* yj = y + j * dim;
          double d2 = 0, diff[3];
          for (int c = 0; c < dim; ++c) {
            diff[c] = yi[c] - yj[c];
            d2 += diff[c] * diff[c];
          }
          const double w = 1.0 / (1.0 + d2);
          z += w;
          for (int c = 0; c < dim; ++c) rep[c] += w * w * diff[c];
        }
        zrow[i] = z;
        for (int c = 0; c < dim; ++c) grad[i * dim + c] = rep[c];
      }
    });
    double z = 0;
    for (double v : zrow) z += v;
    z = std::max(z, 1e-300);
    // Attraction over P's entries, then the step (scikit-learn's _gradient_descent).
    parallel_for(static_cast<std::size_t>(n), 64, o.threads, [&](std::size_t b, std::size_t e) {
      for (std::size_t i = b; i < e; ++i) {
        const double* yi = y + i * dim;
        double att[3] = {0, 0, 0};
        for (I64 q = offsets[i]; q < offsets[i + 1]; ++q) {
          const double* yj = y + static_cast<I64>(columns[q]) * dim;
          double d2 = 0, diff[3];
          for (int c = 0; c < dim; ++c) {
            diff[c] = yi[c] - yj[c];
            d2 += diff[c] * diff[c];
          }
          const double pw = values[q] * exaggeration / (1.0 + d2);
          for (int c = 0; c < dim; ++c) att[c] += pw * diff[c];
        }
        for (int c = 0; c < dim; ++c) grad[i * dim + c] = 4.0 * (att[c] - grad[i * dim + c] / z);
      }
    });
    for (std::size_t k = 0; k < cells; ++k) {
      gains[k] = update[k] * grad[k] < 0.0 ? gains[k] + 0.2 : gains[k] * 0.8;
      gains[k] = std::max(gains[k], o.min_gain);
      update[k] = momentum * update[k] - o.learning_rate * gains[k] * grad[k];
      y[k] += update[k];
    }
  }
  // KL(P || Q) of the final layout.
  double z = 0;
  for (I64 i = 0; i < n; ++i)
    for (I64 j = 0; j < n; ++j) {
      if (i == j) continue;
      double d2 = 0;
      for (int c = 0; c < dim; ++c) d2 += (y[i * dim + c] - y[j * dim + c]) * (y[i * dim + c] - y[j * dim + c]);
      z += 1.0 / (1.0 + d2);
    }
  double kl = 0;
  for (I64 i = 0; i < n; ++i)
    for (I64 q = offsets[i]; q < offsets[i + 1]; ++q) {
      const I64 j = columns[q];
      if (!(values[q] > 0)) continue;
      double d2 = 0;
      for (int c = 0; c < dim; ++c) d2 += (y[i * dim + c] - y[j * dim + c]) * (y[i * dim + c] - y[j * dim + c]);
      const double qij = 1.0 / (1.0 + d2) / z;
      kl += values[q] * std::log(std::max(values[q], 1e-12) / std::max(qij, 1e-12));
    }
  return kl;
}

}  // namespace audiomill
