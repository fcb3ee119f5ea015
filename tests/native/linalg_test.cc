// Dense float64 kernels (linalg/dense.h) against plain triple loops: gemm_nt (general and symmetric, sizes that
// are not multiples of the tiles, one thread and the pool), gemm_tn and gram_cols (packed tiles), add_scaled_row,
// the tridiagonal reduction (Qᵀ A Q reconstructs A: Q applied to the identity's rows, then compared), and
// ridge_loo_primal's batch (problems side by side, a given Gram matrix, rows read in place, the scheduler on 1-4
// threads) against dense solves.
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "check.h"
#include "linalg/dense.h"
#include "util/thread_pool.h"  // set_max_threads

using namespace audiomill;
using amtest::check;

namespace {

using I64 = std::int64_t;

std::vector<double> randn(std::size_t n, unsigned seed) {
  std::mt19937_64 gen(seed);
  std::normal_distribution<double> d(0.0, 1.0);
  std::vector<double> x(n);
  for (auto& v : x) v = d(gen);
  return x;
}

double max_rel(const std::vector<double>& a, const std::vector<double>& b) {
  double scale = 0, diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    scale = std::max(scale, std::fabs(b[i]));
    diff = std::max(diff, std::fabs(a[i] - b[i]));
  }
  return diff / std::max(scale, 1e-300);
}

std::vector<double> naive_nt(const std::vector<double>& a, I64 m, const std::vector<double>& b, I64 n, I64 k) {
  std::vector<double> c(static_cast<std::size_t>(m * n));
  for (I64 i = 0; i < m; ++i)
    for (I64 j = 0; j < n; ++j) {
      long double s = 0;
      for (I64 q = 0; q < k; ++q) s += static_cast<long double>(a[i * k + q]) * b[j * k + q];
      c[i * n + j] = static_cast<double>(s);
    }
  return c;
}

// Solves the dense system (p x p) with Gaussian elimination and partial pivoting (reference only).
std::vector<double> dense_solve(std::vector<double> m, I64 p, std::vector<double> b) {
  for (I64 c = 0; c < p; ++c) {
    I64 piv = c;
    for (I64 r = c + 1; r < p; ++r)
      if (std::fabs(m[r * p + c]) > std::fabs(m[piv * p + c])) piv = r;
    for (I64 j = 0; j < p; ++j) std::swap(m[c * p + j], m[piv * p + j]);
    std::swap(b[c], b[piv]);
    for (I64 r = c + 1; r < p; ++r) {
      const double f = m[r * p + c] / m[c * p + c];
      for (I64 j = c; j < p; ++j) m[r * p + j] -= f * m[c * p + j];
      b[r] -= f * b[c];
    }
  }
  for (I64 c = p - 1; c >= 0; --c) {
    double s = b[c];
    for (I64 j = c + 1; j < p; ++j) s -= m[c * p + j] * b[j];
    b[c] = s / m[c * p + c];
  }
  return b;
}

}  // namespace

TEST_SUITE(linalg) {
  // gemm_nt, general and symmetric, odd sizes around the tile and slice boundaries.
  const I64 shapes[][3] = {{1, 1, 1}, {2, 3, 5}, {7, 5, 3}, {13, 17, 259}, {200, 197, 300}, {64, 0, 8}, {5, 4, 0}};
  for (const auto& s : shapes) {
    const I64 m = s[0], n = s[1], k = s[2];
    const auto a = randn(static_cast<std::size_t>(m * k), 1), b = randn(static_cast<std::size_t>(n * k), 2);
    const auto ref = naive_nt(a, m, b, n, k);
    for (int threads : {1, 0}) {
      std::vector<double> c(static_cast<std::size_t>(m * n), 99.0);
      gemm_nt(a.data(), m, b.data(), n, k, c.data(), false, threads);
      check(max_rel(c, ref) < 1e-13, "gemm_nt " + std::to_string(m) + "x" + std::to_string(n) + "x" + std::to_string(k) +
                                         " threads " + std::to_string(threads));
    }
    const auto refs = naive_nt(a, m, a, m, k);
    std::vector<double> cs(static_cast<std::size_t>(m * m), 99.0);
    gemm_nt(a.data(), m, a.data(), m, k, cs.data(), true, 0);
    bool exact_sym = true;
    for (I64 i = 0; i < m; ++i)
      for (I64 j = 0; j < m; ++j) exact_sym = exact_sym && cs[i * m + j] == cs[j * m + i];
    check(max_rel(cs, refs) < 1e-13 && exact_sym, "gemm_nt symmetric " + std::to_string(m) + "x" + std::to_string(k));
  }

  // gemm_tn: aᵀ b, a few columns (one pass) and many (packed tiles, past a slice of 384 rows), one thread and the pool.
  for (const I64 n : {1, 3, 17, 500}) {
    const I64 m = 301, k = 530;
    const auto a = randn(static_cast<std::size_t>(m * k), 4), b = randn(static_cast<std::size_t>(m * n), 6);
    std::vector<double> at(static_cast<std::size_t>(k * m)), bt(static_cast<std::size_t>(n * m));
    for (I64 i = 0; i < m; ++i) {
      for (I64 j = 0; j < k; ++j) at[j * m + i] = a[i * k + j];
      for (I64 j = 0; j < n; ++j) bt[j * m + i] = b[i * n + j];
    }
    const auto ref = naive_nt(at, k, bt, n, m);
    for (int threads : {1, 0}) {
      std::vector<double> c(static_cast<std::size_t>(k * n), 99.0);
      gemm_tn(a.data(), m, k, b.data(), n, c.data(), threads);
      check(max_rel(c, ref) < 1e-13, "gemm_tn n " + std::to_string(n) + " threads " + std::to_string(threads));
    }
  }

  // gram_cols: aᵀ a, exactly symmetric, odd sizes around the tiles; add_scaled_row.
  for (const auto& mk : {std::pair<I64, I64>{1, 1}, {5, 3}, {17, 13}, {400, 37}, {801, 500}}) {
    const I64 m = mk.first, k = mk.second;
    const auto a = randn(static_cast<std::size_t>(m * k), 11);
    std::vector<double> at(static_cast<std::size_t>(k * m));
    for (I64 i = 0; i < m; ++i)
      for (I64 j = 0; j < k; ++j) at[j * m + i] = a[i * k + j];
    const auto ref = naive_nt(at, k, at, k, m);
    for (int threads : {1, 0}) {
      std::vector<double> c(static_cast<std::size_t>(k * k), 99.0);
      gram_cols(a.data(), m, k, c.data(), threads);
      bool exact_sym = true;
      for (I64 i = 0; i < k; ++i)
        for (I64 j = 0; j < k; ++j) exact_sym = exact_sym && c[i * k + j] == c[j * k + i];
      check(max_rel(c, ref) < 1e-13 && exact_sym, "gram_cols " + std::to_string(m) + "x" + std::to_string(k) + " threads " + std::to_string(threads));
    }
    std::vector<double> x = a;
    const auto v = randn(static_cast<std::size_t>(k), 12);
    add_scaled_row(x.data(), m, k, v.data(), -0.5, nullptr, 1.0, 0);
    bool ok = true;
    for (I64 i = 0; i < m; ++i)
      for (I64 j = 0; j < k; ++j) ok = ok && x[i * k + j] == a[i * k + j] + -0.5 * v[j];
    const auto r = randn(static_cast<std::size_t>(m), 13);
    std::vector<double> y = a;
    add_scaled_row(y.data(), m, k, v.data(), 2.0, r.data(), -1.0, 0);
    for (I64 i = 0; i < m; ++i)
      for (I64 j = 0; j < k; ++j) ok = ok && y[i * k + j] == -1.0 * a[i * k + j] + (2.0 * r[i]) * v[j];
    check(ok, "add_scaled_row " + std::to_string(m) + "x" + std::to_string(k));
  }

  // gram_cols and gemm_tn_rows on chosen rows less a shift: the same as on those rows copied and shifted.
  {
    const I64 rows_all = 500, k = 37, m = 401;
    const auto a = randn(static_cast<std::size_t>(rows_all * k), 14);
    const auto shift = randn(static_cast<std::size_t>(k), 15);
    const auto b = randn(static_cast<std::size_t>(m * 3), 16);
    std::vector<std::uint32_t> pick(static_cast<std::size_t>(m));
    for (I64 i = 0; i < m; ++i) pick[static_cast<std::size_t>(i)] = static_cast<std::uint32_t>((i * 7 + 3) % rows_all);
    std::vector<double> sel(static_cast<std::size_t>(m * k));
    for (I64 i = 0; i < m; ++i)
      for (I64 j = 0; j < k; ++j) sel[i * k + j] = a[pick[static_cast<std::size_t>(i)] * k + j] - shift[j];
    std::vector<double> ref(static_cast<std::size_t>(k * k)), got(ref.size());
    gram_cols(sel.data(), m, k, ref.data(), 1);
    gram_cols(a.data(), m, k, got.data(), 0, pick.data(), shift.data());
    check(max_rel(got, ref) < 1e-13, "gram_cols on chosen rows less a shift");
    std::vector<double> tref(static_cast<std::size_t>(k * 3)), tgot(tref.size());
    gemm_tn(sel.data(), m, k, b.data(), 3, tref.data(), 1);
    gemm_tn_rows(a.data(), pick.data(), shift.data(), m, k, b.data(), 3, tgot.data(), 0);
    check(max_rel(tgot, tref) < 1e-13, "gemm_tn_rows on chosen rows less a shift");
  }

  // ridge_loo_primal: per α, quad = x_iᵀ (XᵀX + αI)⁻¹ x_i and fitted = X (XᵀX + αI)⁻¹ Xᵀ y against dense solves; three
  // problems side by side (the last with its Gram matrix given) equal each alone.
  {
    const double alphas[] = {0.05, 2.0};
    const I64 t = 2;
    struct Case {
      I64 n, p;
    };
    const Case cases[] = {{40, 9}, {300, 280}, {33, 3}};
    std::vector<std::vector<double>> xs, ys, quads, fits, grams;
    std::vector<RidgeLooProblem> problems;
    for (int c = 0; c < 3; ++c) {
      const I64 n = cases[c].n, p = cases[c].p;
      xs.push_back(randn(static_cast<std::size_t>(n * p), 20 + c));
      ys.push_back(randn(static_cast<std::size_t>(n * t), 30 + c));
      quads.emplace_back(static_cast<std::size_t>(2 * n));
      fits.emplace_back(static_cast<std::size_t>(n * 2 * t));
    }
    grams.emplace_back(static_cast<std::size_t>(cases[2].p * cases[2].p));
    gram_cols(xs[2].data(), cases[2].n, cases[2].p, grams[0].data(), 1);
    for (int c = 0; c < 3; ++c) {
      RidgeLooProblem pr;
      pr.xc = xs[c].data();
      pr.n = cases[c].n;
      pr.p = cases[c].p;
      pr.yc = ys[c].data();
      pr.t = t;
      pr.quad = quads[c].data();
      pr.fitted = fits[c].data();
      pr.gram = c == 2 ? grams[0].data() : nullptr;
      problems.push_back(pr);
    }
    ridge_loo_primal(problems.data(), 3, alphas, 2, 0);
    for (int c = 0; c < 3; ++c) {
      const I64 n = cases[c].n, p = cases[c].p;
      const auto& x = xs[c];
      std::vector<double> xt(static_cast<std::size_t>(p * n));
      for (I64 i = 0; i < n; ++i)
        for (I64 j = 0; j < p; ++j) xt[j * n + i] = x[i * p + j];
      const auto g = naive_nt(xt, p, xt, p, n);
      double worst = 0;
      for (int s = 0; s < 2; ++s) {
        auto m = g;
        for (I64 j = 0; j < p; ++j) m[j * p + j] += alphas[s];
        for (I64 i = 0; i < std::min<I64>(n, 10); ++i) {
          std::vector<double> b(x.begin() + i * p, x.begin() + (i + 1) * p);
          const auto u = dense_solve(m, p, b);
          double q = 0;
          for (I64 j = 0; j < p; ++j) q += b[j] * u[j];
          worst = std::max(worst, std::fabs(quads[c][s * n + i] - q) / (1 + std::fabs(q)));
        }
        for (I64 cc = 0; cc < t; ++cc) {
          std::vector<double> xty(static_cast<std::size_t>(p), 0.0);
          for (I64 i = 0; i < n; ++i)
            for (I64 j = 0; j < p; ++j) xty[j] += x[i * p + j] * ys[c][i * t + cc];
          const auto w = dense_solve(m, p, xty);
          for (I64 i = 0; i < std::min<I64>(n, 10); ++i) {
            double f = 0;
            for (I64 j = 0; j < p; ++j) f += x[i * p + j] * w[j];
            worst = std::max(worst, std::fabs(fits[c][i * 2 * t + s * t + cc] - f) / (1 + std::fabs(f)));
          }
        }
      }
      check(worst < 1e-8, "ridge_loo_primal against dense solves, " + std::to_string(n) + "x" + std::to_string(p) + " (worst " + std::to_string(worst) + ")");
      // Alone, on one thread: the same values (to the last bits the thread count may move).
      std::vector<double> q1(quads[c].size()), f1(fits[c].size()), g1;
      RidgeLooProblem one = problems[static_cast<std::size_t>(c)];
      one.quad = q1.data();
      one.fitted = f1.data();
      if (c == 2) {
        g1.resize(static_cast<std::size_t>(p * p));
        gram_cols(x.data(), n, p, g1.data(), 1);
        one.gram = g1.data();
      }
      ridge_loo_primal(&one, 1, alphas, 2, 1);
      check(q1 == quads[c] && f1 == fits[c], "ridge_loo_primal alone, on one thread, equals the batch, " + std::to_string(n) + "x" + std::to_string(p));
    }
    // The scheduler on 1, 3 and 4 threads (reductions side by side, chunks shared): the same values, bit for bit.
    for (const int cap : {1, 3, 4}) {
      const int saved = max_threads();
      set_max_threads(cap);
      std::vector<std::vector<double>> q3, f3, g3;
      std::vector<RidgeLooProblem> again = problems;
      for (int c = 0; c < 3; ++c) {
        q3.emplace_back(quads[c].size());
        f3.emplace_back(fits[c].size());
        again[static_cast<std::size_t>(c)].quad = q3.back().data();
        again[static_cast<std::size_t>(c)].fitted = f3.back().data();
      }
      g3.emplace_back(static_cast<std::size_t>(cases[2].p * cases[2].p));
      gram_cols(xs[2].data(), cases[2].n, cases[2].p, g3[0].data(), 1);
      again[2].gram = g3[0].data();
      ridge_loo_primal(again.data(), 3, alphas, 2, 0);
      set_max_threads(saved);
      bool same = true;
      for (int c = 0; c < 3; ++c) same = same && q3[c] == quads[c] && f3[c] == fits[c];
      check(same, "ridge_loo_primal's scheduler on " + std::to_string(cap) + " threads");
    }
    // A problem of no rows beside one with rows: done once reduced (the scheduler does not wait for chunks it has none of).
    {
      std::vector<double> g0(9, 0.0), q0, f0;
      std::vector<double> qa(quads[0].size()), fa(fits[0].size());
      RidgeLooProblem empty;
      empty.xc = xs[0].data();
      empty.p = 3;
      empty.yc = ys[0].data();
      empty.t = t;
      empty.gram = g0.data();
      RidgeLooProblem pair[2] = {empty, problems[0]};
      pair[1].quad = qa.data();
      pair[1].fitted = fa.data();
      ridge_loo_primal(pair, 2, alphas, 2, 0);
      check(qa == quads[0] && fa == fits[0], "ridge_loo_primal with a problem of no rows beside it");
    }
    // The first problem's rows read in place from a larger matrix (every other row, the rest zero), less a shift.
    const I64 n = cases[0].n, p = cases[0].p;
    const auto shift = randn(static_cast<std::size_t>(p), 40);
    std::vector<double> big(static_cast<std::size_t>(2 * n * p), 0.0);
    std::vector<std::uint32_t> pick(static_cast<std::size_t>(n));
    for (I64 i = 0; i < n; ++i) {
      pick[static_cast<std::size_t>(i)] = static_cast<std::uint32_t>(2 * i + 1);
      for (I64 j = 0; j < p; ++j) big[(2 * i + 1) * p + j] = xs[0][i * p + j] + shift[j];
    }
    std::vector<double> q2(quads[0].size()), f2(fits[0].size());
    RidgeLooProblem inplace = problems[0];
    inplace.xc = big.data();
    inplace.rows = pick.data();
    inplace.shift = shift.data();
    inplace.quad = q2.data();
    inplace.fitted = f2.data();
    ridge_loo_primal(&inplace, 1, alphas, 2, 0);
    check(max_rel(q2, quads[0]) < 1e-10 && max_rel(f2, fits[0]) < 1e-10, "ridge_loo_primal on rows read in place, less a shift");
  }

  // Tridiagonal reduction of a Gram matrix: Q T Qᵀ equals A.
  for (I64 p : {1, 2, 3, 4, 9, 40, 300}) {  // 300: the reduction's steps above kParallelRows run on the pool
    const I64 n = p + 7;
    const auto x = randn(static_cast<std::size_t>(n * p), 3);
    std::vector<double> xt(static_cast<std::size_t>(p * n));
    for (I64 i = 0; i < n; ++i)
      for (I64 j = 0; j < p; ++j) xt[j * n + i] = x[i * p + j];
    std::vector<double> a(static_cast<std::size_t>(p * p));
    gemm_nt(xt.data(), p, xt.data(), p, n, a.data(), true, 0);
    const auto orig = a;
    std::vector<double> a1 = a, d1(static_cast<std::size_t>(p)), e1(static_cast<std::size_t>(std::max<I64>(p - 1, 1))),
        tau1(static_cast<std::size_t>(std::max<I64>(p - 1, 1)));
    tridiagonalize(a1.data(), p, d1.data(), e1.data(), tau1.data(), 1);
    std::vector<double> d(static_cast<std::size_t>(p)), e(static_cast<std::size_t>(std::max<I64>(p - 1, 1))),
        tau(static_cast<std::size_t>(std::max<I64>(p - 1, 1)));
    tridiagonalize(a.data(), p, d.data(), e.data(), tau.data(), 0);
    // The pool's split of a step sums the next step's product in another order: equal to rounding, not bit for bit.
    check(max_rel(d1, d) < 1e-12 && max_rel(e1, e) < 1e-12, "tridiagonalize on one thread agrees with the pool's, p " + std::to_string(p));
    // q = I Q (rows of the identity times Q): Q itself.
    std::vector<double> q(static_cast<std::size_t>(p * p), 0.0);
    for (I64 i = 0; i < p; ++i) q[i * p + i] = 1;
    apply_reflectors_right(q.data(), p, p, a.data(), tau.data(), 0);
    // A' = Q T Qᵀ.
    std::vector<double> qt(static_cast<std::size_t>(p * p), 0.0);  // (Q T) row i = Σ_j Q[i][j] T[j][:]
    for (I64 i = 0; i < p; ++i)
      for (I64 j = 0; j < p; ++j) {
        double s = q[i * p + j] * d[j];
        if (j > 0) s += q[i * p + j - 1] * e[j - 1];
        if (j + 1 < p) s += q[i * p + j + 1] * e[j];
        qt[i * p + j] = s;
      }
    const auto rec = naive_nt(qt, p, q, p, p);
    check(max_rel(rec, orig) < 1e-12, "tridiagonalize reconstructs A, p " + std::to_string(p));
    // Q is orthogonal.
    const auto qq = naive_nt(q, p, q, p, p);
    std::vector<double> eye(static_cast<std::size_t>(p * p), 0.0);
    for (I64 i = 0; i < p; ++i) eye[i * p + i] = 1;
    check(max_rel(qq, eye) < 1e-12, "Q is orthogonal, p " + std::to_string(p));
  }
}
