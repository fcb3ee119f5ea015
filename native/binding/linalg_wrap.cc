#include "linalg_wrap.h"

#include <string>

#include "convert.h"
#include "linalg/dense.h"

namespace audiomill {

namespace {

using I64 = std::int64_t;

// An output of `count` values: refused above 2^31 (16 GiB of float64), before any multiplication can wrap.
void check_output(Napi::Env env, I64 rows, I64 cols, const char* what) {
  if (rows > 0 && cols > (I64{1} << 31) / rows) throw_js(env, "INVALID_ARGUMENT", std::string("The output ") + what + " would hold more than 2^31 values");
}

}  // namespace

// Every option (including `threads`, whose getter could run JS) is read before any typed array is taken, so no JS
// runs between taking a data pointer and the native call.

// linalgGemmNt(a, b, { m, n, k, symmetric, threads }) -> Float64Array c (m x n) = a (m x k) · bᵀ (b n x k).
Napi::Value LinalgGemmNtJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const Napi::Object o = expect_object(info[2], "linalgGemmNt");
  const I64 m = get_size(o, "m", 0), n = get_size(o, "n", 0), k = get_size(o, "k", 0);
  const bool symmetric = get_bool(o, "symmetric", false);
  const int threads = get_int(o, "threads", 0);
  if (symmetric && m != n) throw_js(env, "INVALID_ARGUMENT", "Expected m == n for a symmetric product");
  check_output(env, m, n, "c");
  Napi::Float64Array c = Napi::Float64Array::New(env, static_cast<std::size_t>(m * n));
  Napi::Float64Array a = expect_typed<double>(info[0], "a", m * k);
  Napi::Float64Array b = expect_typed<double>(info[1], "b", n * k);
  guarded(env, [&] { gemm_nt(a.Data(), m, b.Data(), n, k, c.Data(), symmetric, threads); });
  return c;
}

// linalgGemmTn(a, b, { m, k, n, threads }) -> Float64Array c (k x n) = aᵀ (a: m x k) · b (m x n).
Napi::Value LinalgGemmTnJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const Napi::Object o = expect_object(info[2], "linalgGemmTn");
  const I64 m = get_size(o, "m", 0), k = get_size(o, "k", 0), n = get_size(o, "n", 0);
  const int threads = get_int(o, "threads", 0);
  check_output(env, k, n, "c");
  Napi::Float64Array c = Napi::Float64Array::New(env, static_cast<std::size_t>(k * n));
  Napi::Float64Array a = expect_typed<double>(info[0], "a", m * k);
  Napi::Float64Array b = expect_typed<double>(info[1], "b", m * n);
  guarded(env, [&] { gemm_tn(a.Data(), m, k, b.Data(), n, c.Data(), threads); });
  return c;
}

// linalgTranspose(a, { rows, cols, threads }) -> Float64Array (cols x rows).
Napi::Value LinalgTransposeJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const Napi::Object o = expect_object(info[1], "linalgTranspose");
  const I64 rows = get_size(o, "rows", 0), cols = get_size(o, "cols", 0);
  const int threads = get_int(o, "threads", 0);
  check_output(env, rows, cols, "matrix");
  Napi::Float64Array out = Napi::Float64Array::New(env, static_cast<std::size_t>(rows * cols));
  Napi::Float64Array a = expect_typed<double>(info[0], "a", rows * cols);
  guarded(env, [&] { transpose(a.Data(), rows, cols, out.Data(), threads); });
  return out;
}

// linalgTridiagonalize(a, { p, threads }) -> { d, e, tau }: a (p x p, symmetric) is reduced in place; its rows keep
// the reflectors for linalgApplyReflectors.
Napi::Value LinalgTridiagonalizeJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const Napi::Object o = expect_object(info[1], "linalgTridiagonalize");
  const I64 p = get_size(o, "p", 1);
  const int threads = get_int(o, "threads", 0);
  check_output(env, p, p, "matrix");
  Napi::Float64Array d = Napi::Float64Array::New(env, static_cast<std::size_t>(p));
  Napi::Float64Array e = Napi::Float64Array::New(env, static_cast<std::size_t>(p - 1));
  Napi::Float64Array tau = Napi::Float64Array::New(env, static_cast<std::size_t>(p - 1));
  Napi::Float64Array a = expect_typed<double>(info[0], "a", p * p);
  guarded(env, [&] { tridiagonalize(a.Data(), p, d.Data(), e.Data(), tau.Data(), threads); });
  Napi::Object out = Napi::Object::New(env);
  out.Set("d", d);
  out.Set("e", e);
  out.Set("tau", tau);
  return out;
}

// linalgApplyReflectors(x, a, tau, { n, p, threads }): x (n x p) ← x Q in place, Q from linalgTridiagonalize.
Napi::Value LinalgApplyReflectorsJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const Napi::Object o = expect_object(info[3], "linalgApplyReflectors");
  const I64 n = get_size(o, "n", 0), p = get_size(o, "p", 1);
  const int threads = get_int(o, "threads", 0);
  check_output(env, n, p, "x");
  check_output(env, p, p, "a");
  Napi::Float64Array x = expect_typed<double>(info[0], "x", n * p);
  Napi::Float64Array a = expect_typed<double>(info[1], "a", p * p);
  Napi::Float64Array tau = expect_typed<double>(info[2], "tau", p - 1);
  guarded(env, [&] { apply_reflectors_right(x.Data(), n, p, a.Data(), tau.Data(), threads); });
  return env.Undefined();
}

// linalgShiftedTridiagonal(z, d, e, alphas, rhs, { n, p, t, threads }) -> { quad, solve }: per α, z_iᵀ (T + αI)⁻¹ z_i
// (quad, alphas x n) and (T + αI)⁻¹ rhs (solve, alphas x p x t).
Napi::Value LinalgShiftedTridiagonalJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const Napi::Object o = expect_object(info[5], "linalgShiftedTridiagonal");
  const I64 n = get_size(o, "n", 0), p = get_size(o, "p", 1), t = get_size(o, "t", 0);
  const int threads = get_int(o, "threads", 0);
  check_output(env, n, p, "z");
  check_output(env, p, t, "rhs");
  Napi::Float64Array z = expect_typed<double>(info[0], "z", n * p);
  Napi::Float64Array d = expect_typed<double>(info[1], "d", p);
  Napi::Float64Array e = expect_typed<double>(info[2], "e", p - 1);
  Napi::Float64Array alphas = expect_typed<double>(info[3], "alphas", 0);
  Napi::Float64Array rhs = expect_typed<double>(info[4], "rhs", p * t);
  const I64 na = static_cast<I64>(alphas.ElementLength());
  check_output(env, na, n, "quad");
  check_output(env, na, p * t, "solve");
  for (I64 s = 0; s < na; ++s)
    if (!(alphas[static_cast<std::size_t>(s)] > 0)) throw_js(env, "INVALID_ARGUMENT", "Expected every alpha > 0");
  Napi::Float64Array quad = Napi::Float64Array::New(env, static_cast<std::size_t>(na * n));
  Napi::Float64Array solve = Napi::Float64Array::New(env, static_cast<std::size_t>(na * p * t));
  guarded(env, [&] {
    shifted_tridiagonal(z.Data(), n, p, d.Data(), e.Data(), alphas.Data(), na, rhs.Data(), t, quad.Data(), solve.Data(), threads);
  });
  Napi::Object out = Napi::Object::New(env);
  out.Set("quad", quad);
  out.Set("solve", solve);
  return out;
}

}  // namespace audiomill
