// Dense float64 kernels for the evaluation models (src/eval/): products of row-major matrices and Gram matrices,
// the Householder reduction of a symmetric matrix to tridiagonal form, and ridge regression's leave-one-out for every
// penalty from one reduction (shifted tridiagonal solves), for a batch of problems. Every matrix is row-major and
// contiguous; `threads` caps the threads of one call (0 = the global cap).
#pragma once
#include <cstdint>

namespace audiomill {

// c (m x n) = a (m x k) · bᵀ with b (n x k): every entry is the dot product of a row of a and a row of b.
// With `symmetric` (b is a, n == m) the lower blocks are computed and mirrored, so c is exactly symmetric.
void gemm_nt(const double* a, std::int64_t m, const double* b, std::int64_t n, std::int64_t k, double* c,
             bool symmetric, int threads);

// c (k x n) = aᵀ b for a (m x k) and b (m x n): a few columns (n <= 16), or a few rows (k <= 16, as cᵀ = bᵀ a), in one
// pass over the rows, each thread summing its own slice of the output; more in packed register tiles (as gram_cols).
void gemm_tn(const double* a, std::int64_t m, std::int64_t k, const double* b, std::int64_t n, double* c, int threads);

// c (k x k) = aᵀ a for a (m x k): the Gram matrix of a's columns, exactly symmetric (packed register tiles, the lower
// blocks computed and mirrored; no transpose of a). With `rows` (m indices into a's rows) those rows are used, and with
// `shift` (k values) each row less it: Σ (a_r - shift)(a_r - shift)ᵀ without a copy of the rows.
void gram_cols(const double* a, std::int64_t m, std::int64_t k, double* c, int threads, const std::uint32_t* rows = nullptr,
               const double* shift = nullptr);

// x (n x p) ← xs x + s r_i v in every row i (v: p values; r: n row factors, or null for all 1), rows in parallel. With
// r and x square this is the rank-one update x += s r vᵀ.
void add_scaled_row(double* x, std::int64_t n, std::int64_t p, const double* v, double s, const double* r, double xs, int threads);

// c (k x n) = Σ_i (a_{rows[i]} - shift) b_iᵀ over m rows chosen from a (rows of k values; rows null: the first m; shift
// k values or null) and b (m x n): aᵀb of the chosen, shifted rows, taken in slices (never all copied at once).
void gemm_tn_rows(const double* a, const std::uint32_t* rows, const double* shift, std::int64_t m, std::int64_t k, const double* b,
                  std::int64_t n, double* c, int threads);

// out (cols x rows) = the transpose of a (rows x cols), in cache-sized tiles.
void transpose(const double* a, std::int64_t rows, std::int64_t cols, double* out, int threads);

// Reduces the symmetric matrix a (p x p; its upper triangle is read, the lower may hold anything) to tridiagonal form
// T = Qᵀ a Q in place.
// d (p) gets T's diagonal, e (p - 1) its off-diagonal, tau (p - 1) the reflector scales. Q = H_0 ⋯ H_{p-3}
// with H_k = I - tau[k] v_k v_kᵀ, v_k zero before index k + 1, one at k + 1, and a[k][k+2 ..] after it
// (row k of a holds v_k from column k + 1 on; tau[p - 2] is 0). a's other entries are left undefined.
void tridiagonalize(double* a, std::int64_t p, double* d, double* e, double* tau, int threads);

// x (n x p) ← x Q, with Q the reflectors tridiagonalize left in a and tau.
void apply_reflectors_right(double* x, std::int64_t n, std::int64_t p, const double* a, const double* tau, int threads);

// One ridge regression's leave-one-out parts for every penalty, on centred data with more rows than columns (RidgeCV's
// primal path): with xcᵀ xc = Q T Qᵀ (T tridiagonal) and Z = xc Q,
//   quad (n_alphas x n):      quad[s * n + i] = z_iᵀ (T + α_s I)⁻¹ z_i, and
//   fitted (n x n_alphas·t):  row i, column s · t + c of Z (T + α_s I)⁻¹ Zᵀ yc.
// xc (n x p) and yc (n x t) are only read; a given gram is overwritten.
struct RidgeLooProblem {
  // xc's rows: xc's first n rows, or with `rows` the rows rows[0 .. n) of xc (a larger matrix of p columns), and with
  // `shift` each less shift (p values): the rows are then taken from the source as needed, never all copied at once.
  const double* xc = nullptr;
  const std::uint32_t* rows = nullptr;
  const double* shift = nullptr;
  std::int64_t n = 0;
  std::int64_t p = 0;
  const double* yc = nullptr;
  std::int64_t t = 0;
  double* gram = nullptr;  // xcᵀ xc (p x p) when the caller has it, used as work space; else formed

  double* quad = nullptr;
  double* fitted = nullptr;
};

// Every problem's parts, on the pool: each problem's reduction on one thread, then its rows in chunks on any (see the
// scheduler in dense.cc); the same values on any number of threads.
void ridge_loo_primal(const RidgeLooProblem* problems, std::int64_t count, const double* alphas, std::int64_t n_alphas,
                      int threads);

}  // namespace audiomill
