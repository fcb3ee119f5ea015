#include "pooling_wrap.h"

#include <memory>
#include <string>
#include <vector>

#include "convert.h"
#include "features/pooling.h"
#include "task.h"
#include "util/thread_pool.h"

namespace audiomill {

namespace {
constexpr EnumName<PoolMode> kPoolModes[] = {
    {"mean", PoolMode::Mean}, {"max", PoolMode::Max}, {"mean+std", PoolMode::MeanStd}, {"frame", PoolMode::Frame}};
}  // namespace

PoolOptions pool_options(const Napi::Object& o) {
  PoolOptions p;
  p.mode = get_enum(o, "mode", kPoolModes, PoolMode::Mean);
  p.ddof = get_int(o, "ddof", p.ddof);
  p.frame = get_int(o, "frame", 0);
  p.l2 = get_bool(o, "l2", false);
  return p;
}

// poolFrames(xs: Float32Array[], { dim, mode: 'mean' | 'max' | 'mean+std' | 'frame', ddof, frame, l2, featuresMajor, threads }, async)
// -> Float32Array of n rows of pooled_size(mode, dim) (or its Promise): xs[i] holds the frames of clip i, row-major,
// a whole number of rows of `dim` floats (at least one). Clips are pooled in parallel.
Napi::Value PoolFramesJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  F32List in = expect_f32_list(info[0], "xs");
  const Napi::Object o = expect_object(info[1], "poolFrames");
  const std::int64_t dim = get_int(o, "dim", 0);
  if (dim < 1) throw_js(env, "INVALID_ARGUMENT", "Expected a frame width (dim) of at least 1");
  PoolOptions p = pool_options(o);
  p.features_major = get_bool(o, "featuresMajor", false);
  const int threads = get_int(o, "threads", 0);
  const bool async = info[2].ToBoolean().Value();
  for (std::size_t i = 0; i < in.views.size(); ++i) {
    const std::int64_t n = in.views[i].n;
    if (n == 0 || n % dim != 0)
      throw_js(env, "INVALID_ARGUMENT", "clip " + std::to_string(i) + " holds " + std::to_string(n) +
                                            " values: not a whole number (at least one) of frames of " + std::to_string(dim));
  }
  auto clips = std::make_shared<const std::vector<F32View>>(std::move(in.views));
  const std::size_t width = static_cast<std::size_t>(pooled_size(p.mode, dim));
  auto out = std::make_shared<FloatBuffer>(alloc_floats(std::max<std::size_t>(1, clips->size() * width)));
  return run_task(
      env, async, "audiomill:pool-frames",
      [=] {
        parallel_for(clips->size(), 1, threads, [&](std::size_t b, std::size_t e) {
          for (std::size_t i = b; i < e; ++i) pool_frames((*clips)[i].x, (*clips)[i].n / dim, dim, p, out->get() + i * width);
        });
      },
      [=](Napi::Env e, const std::vector<Napi::Value>&) -> Napi::Value {
        return adopt_floats(e, std::move(*out), clips->size() * width);
      },
      in.keep);
}

}  // namespace audiomill
