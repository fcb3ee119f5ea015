// Pooling of frame embeddings (an encoder's [T, D] output per clip) into one vector per clip:
// mean, max, the mean followed by the standard deviation (statistics pooling, 2·D values), or one
// frame (a CLS token). Optional L2 normalisation of the pooled vector. Sums run in double, so the
// result does not depend on T's size or the thread count.
#pragma once
#include <cstdint>

namespace audiomill {

class FeaturePlan;

enum class PoolMode : int { Mean = 0, Max = 1, MeanStd = 2, Frame = 3 };

struct PoolOptions {
  PoolMode mode = PoolMode::Mean;
  // MeanStd: the std divides the squared deviations by T - ddof (torch's Tensor.std: ddof 1;
  // numpy's std: 0). With T <= ddof the std is NaN, as torch gives for one frame.
  int ddof = 1;
  // Frame: the frame taken (0 = the first, a CLS token at the front; negative counts from the end).
  std::int64_t frame = 0;
  // Divide the pooled vector by its L2 norm (a zero vector stays zero).
  bool l2 = false;
  // x is [d, t] (each dimension's t values contiguous: a transform's features x frames) instead of [t, d].
  bool features_major = false;
};

// Width of the pooled vector for frames of width d.
std::int64_t pooled_size(PoolMode mode, std::int64_t d);

// x: t frames of d floats, row-major ([t, d]; [d, t] with features_major). out: pooled_size(mode, d) floats. t must be >= 1 (a clip
// without frames has nothing to pool); throws CoreError INVALID_ARGUMENT otherwise or for a
// frame index outside [-t, t). NaN in x propagates (max: a NaN frame value wins, as torch.amax).
void pool_frames(const float* x, std::int64_t t, std::int64_t d, const PoolOptions& options, float* out);

// A plan's features of one clip, pooled over its frames: plan.compute into this thread's scratch (kept from clip to
// clip, released past 8 M floats), then pool_frames in the plan's layout (options.features_major is set here), so
// no clip's feature matrix outlives the call. out: pooled_size(options.mode, plan.num_features()) floats. Equals
// plan.compute then pool_frames bit for bit. Throws CoreError INVALID_ARGUMENT for a plan with complex output, or
// as num_frames and pool_frames do (a clip without frames).
void compute_pooled(const FeaturePlan& plan, const float* x, std::int64_t n, PoolOptions options, float* out,
                    int threads);

}  // namespace audiomill
