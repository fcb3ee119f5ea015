// Dense float64 kernels for the evaluation models (src/eval/): products of row-major matrices, the
// Householder reduction of a symmetric matrix to tridiagonal form, and the shifted tridiagonal solves
// that ridge regression's leave-one-out needs for every penalty from one reduction. Every matrix is
// row-major and contiguous; `threads` caps the threads of one call (0 = the global cap).
#pragma once
#include <cstdint>

namespace audiomill {

// c (m x n) = a (m x k) · bᵀ with b (n x k): every entry is the dot product of a row of a and a row of b.
// With `symmetric` (b is a, n == m) the lower blocks are computed and mirrored, so c is exactly symmetric.
void gemm_nt(const double* a, std::int64_t m, const double* b, std::int64_t n, std::int64_t k, double* c,
             bool symmetric, int threads);

// c (k x n) = aᵀ b for a (m x k) and b (m x n): a few columns (n <= 16) in one pass over a's rows, each thread
// summing its own slice of c's rows; more through transposes and gemm_nt.
void gemm_tn(const double* a, std::int64_t m, std::int64_t k, const double* b, std::int64_t n, double* c, int threads);

// out (cols x rows) = the transpose of a (rows x cols), in cache-sized tiles.
void transpose(const double* a, std::int64_t rows, std::int64_t cols, double* out, int threads);

// Reduces the symmetric matrix a (p x p, both triangles stored) to tridiagonal form T = Qᵀ a Q in place.
// d (p) gets T's diagonal, e (p - 1) its off-diagonal, tau (p - 1) the reflector scales. Q = H_0 ⋯ H_{p-3}
// with H_k = I - tau[k] v_k v_kᵀ, v_k zero before index k + 1, one at k + 1, and a[k][k+2 ..] after it
// (row k of a holds v_k from column k + 1 on; tau[p - 2] is 0). a's other entries are left undefined.
void tridiagonalize(double* a, std::int64_t p, double* d, double* e, double* tau, int threads);

// x (n x p) ← x Q, with Q the reflectors tridiagonalize left in a and tau.
void apply_reflectors_right(double* x, std::int64_t n, std::int64_t p, const double* a, const double* tau, int threads);

// For T (diagonal d, off-diagonal e, p x p, positive semi-definite) and each penalty alphas[s] > 0:
//   quad[s * n + i] = z_iᵀ (T + alphas[s] I)⁻¹ z_i for the rows z_i of z (n x p), and
//   solve[s * p * t ...] (p x t) = (T + alphas[s] I)⁻¹ rhs, rhs p x t (t may be 0).
// T + αI is factored as L D Lᵀ (no pivoting: it is positive definite).
void shifted_tridiagonal(const double* z, std::int64_t n, std::int64_t p, const double* d, const double* e,
                         const double* alphas, std::int64_t n_alphas, const double* rhs, std::int64_t t,
                         double* quad, double* solve, int threads);

}  // namespace audiomill
