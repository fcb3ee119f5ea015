// t-SNE's optimisation (van der Maaten and Hinton 2008) as scikit-learn's TSNE runs it: gradient descent with
// momentum (0.5, then 0.8) and per-coordinate gains (+0.2 / ×0.8, at least 0.01), early exaggeration of P for the
// first iterations; the attraction over P's sparse entries, the repulsion exact over every pair (O(n²) an
// iteration, rows in parallel; each row's sums in a fixed order, so the result does not depend on the threads).
#pragma once
#include <cstdint>

namespace audiomill {

struct TsneOptions {
  int iterations = 1000;
  int exaggeration_iterations = 250;
  double exaggeration = 12.0;
  double learning_rate = 200.0;
  double momentum_early = 0.5, momentum_late = 0.8;
  double min_gain = 0.01;
  int threads = 0;
};

// y: n x dim, updated in place. P in CSR form by row (offsets n + 1, columns, values; symmetric, summing to 1).
// Returns the KL divergence of the final layout (without exaggeration). Throws CoreError INVALID_ARGUMENT.
double tsne_optimize(double* y, std::int64_t n, int dim, const std::int64_t* offsets, const std::int32_t* columns,
                     const double* values, const TsneOptions& options);

}  // namespace audiomill
