// UMAP's layout optimisation (McInnes, Healy and Melville 2018; umap-learn's optimize_layout_euclidean): stochastic
// gradient descent on a fuzzy graph's edges, attraction along sampled edges and repulsion from negative samples,
// with umap-learn's schedules (an edge is sampled every epochs_per_sample[e] epochs, negative samples at
// negative_sample_rate times that rate, the learning rate falling linearly to 0, gradients clipped to ±4).
// Single-threaded and seeded, so one seed gives one layout.
#pragma once
#include <cstdint>

namespace audiomill {

struct UmapLayoutOptions {
  int epochs = 500;
  double a = 1.577, b = 0.895;  // the low-dimensional similarity 1 / (1 + a d^(2b))
  double gamma = 1.0;           // repulsion weight
  int negative_sample_rate = 5;
  double learning_rate = 1.0;
  std::uint64_t seed = 0;
};

// embedding: n x dim, updated in place. Edges e: head[e] -> tail[e] (both in [0, n)), sampled every
// epochs_per_sample[e] epochs (<= 0: never). Throws CoreError INVALID_ARGUMENT on out-of-range input.
void umap_optimize_layout(float* embedding, std::int64_t n, int dim, const std::int32_t* head, const std::int32_t* tail,
                          const double* epochs_per_sample, std::int64_t edges, const UmapLayoutOptions& options);

}  // namespace audiomill
