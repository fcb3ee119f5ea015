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

bool given(const Napi::Value& v) { return !v.IsNull() && !v.IsUndefined(); }

// A matrix argument of rows of k values, m of them chosen: `a`, with `rows` (m indices into a's rows; null or undefined:
// a's first m rows) and `shift` (k values subtracted from each; null or undefined: none), checked.
struct ChosenRows {
  Napi::Float64Array a;
  Napi::Uint32Array rows;
  Napi::Float64Array shift;
  const std::uint32_t* rows_data() const { return rows.IsEmpty() ? nullptr : rows.Data(); }
  const double* shift_data() const { return shift.IsEmpty() ? nullptr : shift.Data(); }
};

ChosenRows chosen_rows(Napi::Env env, const Napi::Value& a, const Napi::Value& rows, const Napi::Value& shift, I64 m, I64 k,
                       const std::string& name) {
  ChosenRows out;
  const bool picked = given(rows);
  out.a = expect_typed<double>(a, name.c_str(), picked ? 0 : m * k);
  if (picked) {
    out.rows = expect_typed<std::uint32_t>(rows, (name + " rows").c_str(), m);
    const I64 have = k > 0 ? static_cast<I64>(out.a.ElementLength()) / k : 0;
    for (I64 i = 0; i < m; ++i)
      if (static_cast<I64>(out.rows[static_cast<std::size_t>(i)]) >= have) throw_js(env, "INVALID_ARGUMENT", "Expected row indices below the rows of " + name);
  }
  if (given(shift)) out.shift = expect_typed<double>(shift, (name + " shift").c_str(), k);
  return out;
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

// linalgGemmTnRows(a, rows, shift, b, { m, k, n, threads }) -> Float64Array c (k x n) = Σ_i (a_{rows[i]} - shift) b_iᵀ
// (a: rows of k values; rows: m indices, or null for the first m; shift: k values or null; b: m x n).
Napi::Value LinalgGemmTnRowsJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const Napi::Object o = expect_object(info[4], "linalgGemmTnRows");
  const I64 m = get_size(o, "m", 0), k = get_size(o, "k", 0), n = get_size(o, "n", 0);
  const int threads = get_int(o, "threads", 0);
  check_output(env, k, n, "c");
  Napi::Float64Array c = Napi::Float64Array::New(env, static_cast<std::size_t>(k * n));
  const ChosenRows a = chosen_rows(env, info[0], info[1], info[2], m, k, "a");
  Napi::Float64Array b = expect_typed<double>(info[3], "b", m * n);
  guarded(env, [&] { gemm_tn_rows(a.a.Data(), a.rows_data(), a.shift_data(), m, k, b.Data(), n, c.Data(), threads); });
  return c;
}

// linalgGramCols(a, rows, shift, { m, k, threads }) -> Float64Array c (k x k) = Σ (a_r - shift)(a_r - shift)ᵀ over the rows
// r of a (a: rows of k values; rows: m indices, or null for a's first m rows; shift: k values or null), exactly symmetric.
Napi::Value LinalgGramColsJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const Napi::Object o = expect_object(info[3], "linalgGramCols");
  const I64 m = get_size(o, "m", 0), k = get_size(o, "k", 0);
  const int threads = get_int(o, "threads", 0);
  check_output(env, k, k, "c");
  Napi::Float64Array c = Napi::Float64Array::New(env, static_cast<std::size_t>(k * k));
  const ChosenRows a = chosen_rows(env, info[0], info[1], info[2], m, k, "a");
  guarded(env, [&] { gram_cols(a.a.Data(), m, k, c.Data(), threads, a.rows_data(), a.shift_data()); });
  return c;
}

// linalgAddScaledRow(x, v, r, { n, p, scale, xScale, threads }): x (n x p) ← xScale · x + scale · r_i · v in every row
// i, in place (v: p values; r: n row factors, or null for all 1; xScale default 1).
Napi::Value LinalgAddScaledRowJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const Napi::Object o = expect_object(info[3], "linalgAddScaledRow");
  const I64 n = get_size(o, "n", 0), p = get_size(o, "p", 0);
  const double scale = get_double(o, "scale", 1.0);
  const double xs = get_double(o, "xScale", 1.0);
  const int threads = get_int(o, "threads", 0);
  check_output(env, n, p, "x");
  Napi::Float64Array x = expect_typed<double>(info[0], "x", n * p);
  Napi::Float64Array v = expect_typed<double>(info[1], "v", p);
  const bool rows = given(info[2]);
  Napi::Float64Array r = rows ? expect_typed<double>(info[2], "r", n) : Napi::Float64Array();
  guarded(env, [&] { add_scaled_row(x.Data(), n, p, v.Data(), scale, rows ? r.Data() : nullptr, xs, threads); });
  return env.Undefined();
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

// linalgRidgeLoo(problems, alphas, { threads }) -> [{ quad, fitted }]: for each problem { x, y, n, p, t, rows?, shift?,
// gram? } (x n x p, or with rows those n rows of x, each less shift; y n x t; centred, n > p; gram xᵀx, overwritten),
// per α the quadratic forms (quad, alphas x n) and the fitted values (fitted, n x alphas·t) of
// ridge regression's leave-one-out; the problems side by side on the pool.
Napi::Value LinalgRidgeLooJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const Napi::Object o = expect_object(info[2], "linalgRidgeLoo");
  const int threads = get_int(o, "threads", 0);
  if (!info[0].IsArray()) throw_js(env, "INVALID_ARGUMENT", "Expected an array of problems for problems");
  const Napi::Array list = info[0].As<Napi::Array>();
  const std::uint32_t count = list.Length();
  std::vector<Napi::Object> objects;
  std::vector<RidgeLooProblem> problems(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    objects.push_back(expect_object(list.Get(i), "problems[i]"));
    RidgeLooProblem& pr = problems[i];
    pr.n = get_size(objects[i], "n", 1);
    pr.p = get_size(objects[i], "p", 1);
    pr.t = get_size(objects[i], "t", 0);
    if (pr.n <= pr.p) throw_js(env, "INVALID_ARGUMENT", "Expected more rows than columns (n > p) in every problem");
    check_output(env, pr.n, pr.p, "x");
    check_output(env, pr.p, pr.p, "Gram matrix");
    check_output(env, pr.n, pr.t, "y");
  }
  // Typed arrays last: no JS runs between taking their data pointers and the call.
  std::vector<ChosenRows> xs;
  std::vector<Napi::Float64Array> keep;
  for (std::uint32_t i = 0; i < count; ++i) {
    RidgeLooProblem& pr = problems[i];
    xs.push_back(chosen_rows(env, objects[i].Get("x"), objects[i].Get("rows"), objects[i].Get("shift"), pr.n, pr.p, "problems[i].x"));
    keep.push_back(expect_typed<double>(objects[i].Get("y"), "problems[i].y", pr.n * pr.t));
    const Napi::Value gram = objects[i].Get("gram");
    keep.push_back(given(gram) ? expect_typed<double>(gram, "problems[i].gram", pr.p * pr.p) : Napi::Float64Array());
  }
  Napi::Float64Array alphas = expect_typed<double>(info[1], "alphas", 0);
  const I64 na = static_cast<I64>(alphas.ElementLength());
  for (I64 s = 0; s < na; ++s)
    if (!(alphas[static_cast<std::size_t>(s)] > 0)) throw_js(env, "INVALID_ARGUMENT", "Expected every alpha > 0");
  Napi::Array out = Napi::Array::New(env, count);
  for (std::uint32_t i = 0; i < count; ++i) {
    RidgeLooProblem& pr = problems[i];
    check_output(env, na, pr.n, "quad");
    check_output(env, pr.n, na * pr.t, "fitted");
    Napi::Float64Array quad = Napi::Float64Array::New(env, static_cast<std::size_t>(na * pr.n));
    Napi::Float64Array fitted = Napi::Float64Array::New(env, static_cast<std::size_t>(pr.n * na * pr.t));
    pr.xc = xs[i].a.Data();
    pr.rows = xs[i].rows_data();
    pr.shift = xs[i].shift_data();
    pr.yc = keep[2 * i].Data();
    pr.gram = keep[2 * i + 1].IsEmpty() ? nullptr : keep[2 * i + 1].Data();
    pr.quad = quad.Data();
    pr.fitted = fitted.Data();
    Napi::Object r = Napi::Object::New(env);
    r.Set("quad", quad);
    r.Set("fitted", fitted);
    out.Set(i, r);
  }
  guarded(env, [&] { ridge_loo_primal(problems.data(), static_cast<I64>(count), alphas.Data(), na, threads); });
  return out;
}

}  // namespace audiomill
