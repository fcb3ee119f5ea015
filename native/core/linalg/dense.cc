#include "linalg/dense.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>
#include <condition_variable>
#include <exception>
#include <mutex>

#include "util/error.h"
#include "util/isa_clone.h"
#include "util/thread_pool.h"

// The lane type below is only ever used inside always-inline functions: no call passes it by value.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wpsabi"
#endif

namespace audiomill {
namespace {

using I64 = std::int64_t;

// Dot products run kLanes partial sums side by side (one SIMD register at AVX2 width), summed pairwise at the end.
constexpr int kLanes = 4;
// gemm_nt tiles: kMr rows of a against kNr rows of b (12 accumulators), over kKc-long slices of the rows, for kNc
// rows of b at a time (kNc x kKc doubles stay in L2 while every row block of a passes over them).
constexpr int kMr = 3;
constexpr int kNr = 4;
constexpr I64 kKc = 256;
constexpr I64 kNc = 192;
// Reflectors per compact-WY block and rows of x per task in reflect_rows; rows per lane block of the quadratic forms.
constexpr int kWyBlock = 16;
static_assert(kWyBlock == 16, "reflect_rows_impl's W T product keeps a block row in four lane groups");
constexpr I64 kWyRows = 32;
// Columns per panel of the reflector updates (16 reflectors x 64 columns: 8 KiB).
constexpr I64 kWyPanel = 64;
constexpr int kQuadRows = 16;
// gemm_tn: at most this many columns of b take the one-pass path, over slices of this many columns of a.
constexpr I64 kTnColumns = 16;
constexpr I64 kTnSlice = 256;
// gemm_tn's packed path: a kPackMr x (kPackNv lanes) register tile of c over kPackKc-long slices of the shared
// dimension, for kPackNc columns of c at a time (the packed slice of b, kPackKc x kPackNc doubles, stays in L2).
constexpr int kPackMr = 3;
constexpr int kPackNv = 3;
constexpr int kPackNr = kPackNv * 4;
constexpr I64 kPackKc = 384;
static_assert(kPackMr == 3 && kPackNv == 3, "tn_blocks_impl's register tile is written out for 3 x 3");
constexpr I64 kPackNc = 480;
// Below this many rows a tridiagonalization step runs on the calling thread (a pool hand-off costs more).
constexpr I64 kParallelRows = 256;

// Four doubles as one value (GCC/Clang vector extension): one AVX2 register, two SSE2 registers.
#if defined(__GNUC__)
typedef double Lanes __attribute__((vector_size(4 * sizeof(double))));
#else
struct Lanes {
  double v[4];
  double operator[](int i) const { return v[i]; }
  Lanes operator*(const Lanes& o) const { return {{v[0] * o.v[0], v[1] * o.v[1], v[2] * o.v[2], v[3] * o.v[3]}}; }
  Lanes& operator+=(const Lanes& o) {
    for (int i = 0; i < 4; ++i) v[i] += o.v[i];
    return *this;
  }
  Lanes& operator-=(const Lanes& o) {
    for (int i = 0; i < 4; ++i) v[i] -= o.v[i];
    return *this;
  }
};
#endif

AM_INLINE Lanes load_lanes(const double* p) {
  Lanes v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

AM_INLINE void store_lanes(double* p, const Lanes& v) { std::memcpy(p, &v, sizeof v); }

AM_INLINE Lanes splat(double x) { return Lanes{x, x, x, x}; }

// splat(*p): with kWide (an AVX2 clone) one broadcast load (GCC's own splat is a load and a lane shuffle, which takes
// an FP pipe a multiply or add needs).
template <bool kWide>
AM_INLINE Lanes splat_at(const double* p) {
#if defined(__GNUC__) && defined(__x86_64__)
  if constexpr (kWide) {
    Lanes v;
    __asm__("vbroadcastsd %1, %0" : "=x"(v) : "m"(*p));
    return v;
  }
#endif
  return splat(*p);
}

AM_INLINE double reduce_lanes(const Lanes& s) { return (s[0] + s[1]) + (s[2] + s[3]); }

// out[i][j] = a[i][0 .. len) · b[j][0 .. len) for an MR x NR tile of rows.
template <int MR, int NR>
AM_INLINE void dot_tile(const double* const* a, const double* const* b, I64 len, double (*out)[NR]) {
  Lanes acc[MR][NR];
  for (int i = 0; i < MR; ++i)
    for (int j = 0; j < NR; ++j) acc[i][j] = Lanes{};
  I64 q = 0;
  for (; q + kLanes <= len; q += kLanes) {
    Lanes bv[NR];
    for (int j = 0; j < NR; ++j) bv[j] = load_lanes(b[j] + q);
    for (int i = 0; i < MR; ++i) {
      const Lanes av = load_lanes(a[i] + q);
      for (int j = 0; j < NR; ++j) acc[i][j] += av * bv[j];
    }
  }
  for (int i = 0; i < MR; ++i) {
    for (int j = 0; j < NR; ++j) {
      double s = reduce_lanes(acc[i][j]);
      for (I64 r = q; r < len; ++r) s += a[i][r] * b[j][r];
      out[i][j] = s;
    }
  }
}

AM_INLINE double dot(const double* a, const double* b, I64 len) {
  double out[1][1];
  dot_tile<1, 1>(&a, &b, len, out);
  return out[0][0];
}

// Row blocks [ib0, ib1) of c (ka x n) = aᵀ b over the slice [s0, s0 + kc) of the shared dimension, for c's columns
// [j0, j1) whose slice of b is packed in bp (per kPackNr columns: kc rows of kPackNr values, zero past n). Each block
// packs its kPackMr columns of a into ap (kc x kPackMr, zero past ka), then runs the register tile over the panel,
// each entry summed over the slice in order. With `symmetric` only tiles reaching the lower triangle run.
template <bool kWide>
AM_INLINE void tn_blocks_impl(const double* a, I64 ka, const double* bp, double* c, I64 n, bool symmetric, I64 ib0, I64 ib1,
                              I64 j0, I64 j1, I64 s0, I64 kc, double* ap) {
  for (I64 ib = ib0; ib < ib1; ++ib) {
    const I64 i0 = ib * kPackMr;
    const int mr = static_cast<int>(std::min<I64>(kPackMr, ka - i0));
    for (I64 q = 0; q < kc; ++q) {
      const double* src = a + (s0 + q) * ka + i0;
      for (int r = 0; r < kPackMr; ++r) ap[q * kPackMr + r] = r < mr ? src[r] : 0.0;
    }
    const I64 jend = symmetric ? std::min(j1, i0 + mr) : j1;
    for (I64 jb = j0; jb < jend; jb += kPackNr) {
      const double* bq = bp + (jb - j0) * kc;
      // Named accumulators (GCC keeps an array of them partly on the stack inside the loop).
      Lanes c00{}, c01{}, c02{}, c10{}, c11{}, c12{}, c20{}, c21{}, c22{};
      const double* aq = ap;
      for (I64 q = 0; q < kc; ++q, bq += kPackNr, aq += kPackMr) {
        const Lanes b0 = load_lanes(bq), b1 = load_lanes(bq + kLanes), b2 = load_lanes(bq + 2 * kLanes);
        Lanes f = splat_at<kWide>(aq);
        c00 += f * b0;
        c01 += f * b1;
        c02 += f * b2;
        f = splat_at<kWide>(aq + 1);
        c10 += f * b0;
        c11 += f * b1;
        c12 += f * b2;
        f = splat_at<kWide>(aq + 2);
        c20 += f * b0;
        c21 += f * b1;
        c22 += f * b2;
      }
      double tile[kPackMr][kPackNr];
      store_lanes(tile[0], c00);
      store_lanes(tile[0] + kLanes, c01);
      store_lanes(tile[0] + 2 * kLanes, c02);
      store_lanes(tile[1], c10);
      store_lanes(tile[1] + kLanes, c11);
      store_lanes(tile[1] + 2 * kLanes, c12);
      store_lanes(tile[2], c20);
      store_lanes(tile[2] + kLanes, c21);
      store_lanes(tile[2] + 2 * kLanes, c22);
      const int nr = static_cast<int>(std::min<I64>(kPackNr, n - jb));
      for (int r = 0; r < mr; ++r) {
        double* crow = c + (i0 + r) * n + jb;
        for (int x = 0; x < nr; ++x) crow[x] += tile[r][x];
      }
    }
  }
}

// One kc slice of gemm_nt for the row blocks [ib0, ib1) of a against b's rows [j0, j1).
AM_INLINE void gemm_slice_impl(const double* a, I64 m, const double* b, I64 n, I64 k, double* c, bool symmetric, I64 ib0,
                               I64 ib1, I64 j0, I64 j1, I64 k0, I64 k1) {
  const double* ar[kMr];
  const double* br[kNr];
  double tile[kMr][kNr];
  for (I64 ib = ib0; ib < ib1; ++ib) {
    const I64 i0 = ib * kMr;
    const int mr = static_cast<int>(std::min<I64>(kMr, m - i0));
    for (int r = 0; r < kMr; ++r) ar[r] = a + (i0 + std::min(r, mr - 1)) * k + k0;
    const I64 jend = symmetric ? std::min(j1, i0 + mr) : j1;
    for (I64 jb = j0; jb < jend; jb += kNr) {
      const int nr = static_cast<int>(std::min<I64>(kNr, n - jb));
      for (int r = 0; r < kNr; ++r) br[r] = b + (jb + std::min(r, nr - 1)) * k + k0;
      dot_tile<kMr, kNr>(ar, br, k1 - k0, tile);
      for (int r = 0; r < mr; ++r) {
        double* crow = c + (i0 + r) * n + jb;
        for (int s = 0; s < nr; ++s) crow[s] += tile[r][s];
      }
    }
  }
}

// Compact WY form of a run of reflectors (LAPACK's dlarft, forward, columnwise): H_k0 ⋯ H_{k0+nb-1} = I - Vᵀ T V
// with V (nb x len) the reflectors side by side over columns k0 + 1 .. p - 1 (row r zero before column r) and T
// (nb x nb) upper triangular.
struct WyBlock {
  I64 k0 = 0;
  int nb = 0;
  I64 len = 0;
  std::vector<double> v;
  std::vector<double> vt;  // Vᵀ (len x kWyBlock, zero past nb): row q holds the reflectors' entries at column q
  std::vector<double> t;
};

// Rows [r0, r1) of x ← x Q, block after block: W = X Vᵀ (dot tiles), W ← W T, X -= W V (rank-nb update).
template <bool kWide>
AM_INLINE void reflect_rows_impl(double* x, I64 p, const WyBlock* blocks, I64 n_blocks, I64 r0, I64 r1, double* w) {
  for (I64 bi = 0; bi < n_blocks; ++bi) {
    const WyBlock& b = blocks[bi];
    const int nb = b.nb;
    const I64 len = b.len, col = b.k0 + 1;
    const double* v = b.v.data();
    const double* t = b.t.data();
    const I64 rows = r1 - r0;
    // W = X Vᵀ (rows x nb): two rows of x against Vᵀ's rows, every reflector at once (kWyBlock / 4 lanes each).
    constexpr int kWv = kWyBlock / kLanes;
    const double* vt = b.vt.data();
    // Over slices of kWyPanel columns (the slice of Vᵀ stays in L1 while every row passes), partial sums in part.
    double* part = w + kWyRows * kWyBlock;
    std::fill(part, part + (rows + 1) * kWyBlock, 0.0);
    for (I64 q0 = 0; q0 < len; q0 += kWyPanel) {
    const I64 q1 = std::min(len, q0 + kWyPanel);
    for (I64 i0 = 0; i0 < rows; i0 += 2) {
      const double* x0 = x + (r0 + i0) * p + col;
      const double* x1 = i0 + 1 < rows ? x0 + p : x0;
      Lanes acc[2][kWv];
      for (int r = 0; r < 2; ++r)
        for (int u = 0; u < kWv; ++u) acc[r][u] = Lanes{};
      for (I64 q = q0; q < q1; ++q) {
        Lanes bv[kWv];
        for (int u = 0; u < kWv; ++u) bv[u] = load_lanes(vt + q * kWyBlock + u * kLanes);
        const Lanes a0 = splat_at<kWide>(x0 + q), a1 = splat_at<kWide>(x1 + q);
        for (int u = 0; u < kWv; ++u) {
          acc[0][u] += a0 * bv[u];
          acc[1][u] += a1 * bv[u];
        }
      }
      for (int r = 0; r < 2; ++r) {
        for (int u = 0; u < kWv; ++u) {
          Lanes sum = load_lanes(part + (i0 + r) * kWyBlock + u * kLanes);
          sum += acc[r][u];
          store_lanes(part + (i0 + r) * kWyBlock + u * kLanes, sum);
        }
      }
    }
    }
    for (I64 i = 0; i < rows; ++i)
      for (int q = 0; q < nb; ++q) w[i * nb + q] = part[i * kWyBlock + q];
    // W ← W T (T upper triangular): a full block row by row in lanes (T's zeros below the diagonal add nothing, so
    // every entry is the same sum as the scalar loop's, q = 0 .. c in order), a last, narrower block in place from
    // its last column down.
    if (nb == kWyBlock) {
      for (I64 i = 0; i < rows; ++i) {
        double* wi = w + i * nb;
        Lanes c0{}, c1{}, c2{}, c3{};
        for (int q = 0; q < kWyBlock; ++q) {
          const Lanes f = splat(wi[q]);
          const double* tq = t + q * kWyBlock;
          c0 += f * load_lanes(tq);
          c1 += f * load_lanes(tq + kLanes);
          c2 += f * load_lanes(tq + 2 * kLanes);
          c3 += f * load_lanes(tq + 3 * kLanes);
        }
        store_lanes(wi, c0);
        store_lanes(wi + kLanes, c1);
        store_lanes(wi + 2 * kLanes, c2);
        store_lanes(wi + 3 * kLanes, c3);
      }
    } else {
      for (I64 i = 0; i < rows; ++i) {
        double* wi = w + i * nb;
        for (int c = nb - 1; c >= 0; --c) {
          double s = 0;
          for (int q = 0; q <= c; ++q) s += wi[q] * t[q * nb + c];
          wi[c] = s;
        }
      }
    }
    // X -= W V, over panels of kWyPanel columns (the reflectors' share of a panel stays in L1 while every row passes):
    // four rows by eight columns at a time.
    for (I64 jp = 0; jp < len; jp += kWyPanel) {
      const I64 jend = std::min(len, jp + kWyPanel);
      I64 i0 = 0;
      for (; i0 + 4 <= rows; i0 += 4) {
        double* xr[4];
        for (int r = 0; r < 4; ++r) xr[r] = x + (r0 + i0 + r) * p + col;
        const double* wr = w + i0 * nb;
        I64 j = jp;
        for (; j + 8 <= jend; j += 8) {
          // Named accumulators: GCC kept an array of them partly on the stack inside the loop.
          Lanes a00 = load_lanes(xr[0] + j), a01 = load_lanes(xr[0] + j + 4);
          Lanes a10 = load_lanes(xr[1] + j), a11 = load_lanes(xr[1] + j + 4);
          Lanes a20 = load_lanes(xr[2] + j), a21 = load_lanes(xr[2] + j + 4);
          Lanes a30 = load_lanes(xr[3] + j), a31 = load_lanes(xr[3] + j + 4);
          const double* vq = v + j;
          for (int q = 0; q < nb; ++q, vq += len) {
            const Lanes v0 = load_lanes(vq), v1 = load_lanes(vq + 4);
            Lanes f = splat_at<kWide>(wr + q);
            a00 -= f * v0;
            a01 -= f * v1;
            f = splat_at<kWide>(wr + nb + q);
            a10 -= f * v0;
            a11 -= f * v1;
            f = splat_at<kWide>(wr + 2 * nb + q);
            a20 -= f * v0;
            a21 -= f * v1;
            f = splat_at<kWide>(wr + 3 * nb + q);
            a30 -= f * v0;
            a31 -= f * v1;
          }
          store_lanes(xr[0] + j, a00);
          store_lanes(xr[0] + j + 4, a01);
          store_lanes(xr[1] + j, a10);
          store_lanes(xr[1] + j + 4, a11);
          store_lanes(xr[2] + j, a20);
          store_lanes(xr[2] + j + 4, a21);
          store_lanes(xr[3] + j, a30);
          store_lanes(xr[3] + j + 4, a31);
        }
        for (; j < jend; ++j) {
          for (int r = 0; r < 4; ++r) {
            double s = xr[r][j];
            for (int q = 0; q < nb; ++q) s -= wr[r * nb + q] * v[q * len + j];
            xr[r][j] = s;
          }
        }
      }
      for (; i0 < rows; ++i0) {
        double* xi = x + (r0 + i0) * p + col;
        const double* wi = w + i0 * nb;
        for (I64 j = jp; j < jend; ++j) {
          double s = xi[j];
          for (int q = 0; q < nb; ++q) s -= wi[q] * v[q * len + j];
          xi[j] = s;
        }
      }
    }
  }
}

// Quadratic forms z_iᵀ (T + αI)⁻¹ z_i for rows [r0, r1), kQuadRows rows side by side (one per lane), every α.
// fac holds per α: dinv (p) then l (p - 1), T + αI = L D Lᵀ.
AM_INLINE void quad_rows_impl(const double* z, I64 n, I64 p, const double* fac, I64 n_alphas, double* quad, I64 r0, I64 r1,
                              double* scratch) {
  static_assert(kQuadRows == 4 * kLanes, "quad_rows_impl keeps four lane groups of rows");
  for (I64 i0 = r0; i0 < r1; i0 += kQuadRows) {
    const int nr = static_cast<int>(std::min<I64>(kQuadRows, r1 - i0));
    for (I64 j = 0; j < p; ++j) {
      for (int r = 0; r < kQuadRows; ++r) scratch[j * kQuadRows + r] = z[(i0 + std::min(r, nr - 1)) * p + j];
    }
    for (I64 s = 0; s < n_alphas; ++s) {
      const double* dinv = fac + s * (2 * p - 1);
      const double* l = dinv + p;
      // Four independent recurrences u_j = z_j - l_j u_{j-1} side by side (named: GCC keeps arrays on the stack).
      Lanes u0 = load_lanes(scratch), u1 = load_lanes(scratch + kLanes), u2 = load_lanes(scratch + 2 * kLanes), u3 = load_lanes(scratch + 3 * kLanes);
      const Lanes d0 = splat(dinv[0]);
      Lanes a0 = u0 * u0 * d0, a1 = u1 * u1 * d0, a2 = u2 * u2 * d0, a3 = u3 * u3 * d0;
      for (I64 j = 1; j < p; ++j) {
        const Lanes lj = splat(l[j - 1]), dj = splat(dinv[j]);
        const double* zj = scratch + j * kQuadRows;
        Lanes z0 = load_lanes(zj), z1 = load_lanes(zj + kLanes), z2 = load_lanes(zj + 2 * kLanes), z3 = load_lanes(zj + 3 * kLanes);
        z0 -= lj * u0;
        z1 -= lj * u1;
        z2 -= lj * u2;
        z3 -= lj * u3;
        u0 = z0;
        u1 = z1;
        u2 = z2;
        u3 = z3;
        a0 += u0 * u0 * dj;
        a1 += u1 * u1 * dj;
        a2 += u2 * u2 * dj;
        a3 += u3 * u3 * dj;
      }
      double acc[kQuadRows];
      store_lanes(acc, a0);
      store_lanes(acc + kLanes, a1);
      store_lanes(acc + 2 * kLanes, a2);
      store_lanes(acc + 3 * kLanes, a3);
      for (int r = 0; r < nr; ++r) quad[s * n + i0 + r] = acc[r];
    }
  }
}

// gemm_tn's few-column pass over one slice of a's columns: acc[q * kTnSlice + j] += b[i][q] a[i][j0 + j] row by row.
AM_INLINE void tn_few_impl(const double* a, I64 m, I64 k, const double* b, I64 n, I64 j0, I64 len, double* acc) {
  for (I64 i = 0; i < m; ++i) {
    const double* ai = a + i * k + j0;
    for (I64 q = 0; q < n; ++q) {
      const Lanes f = splat(b[i * n + q]);
      double* out = acc + q * kTnSlice;
      I64 j = 0;
      for (; j + kLanes <= len; j += kLanes) {
        Lanes o = load_lanes(out + j);
        o += f * load_lanes(ai + j);
        store_lanes(out + j, o);
      }
      for (; j < len; ++j) out[j] += f[0] * ai[j];
    }
  }
}

using TnFewFn = void (*)(const double*, I64, I64, const double*, I64, I64, I64, double*);
using TnBlocksFn = void (*)(const double*, I64, const double*, double*, I64, bool, I64, I64, I64, I64, I64, I64, double*);
using GemmSliceFn = void (*)(const double*, I64, const double*, I64, I64, double*, bool, I64, I64, I64, I64, I64, I64);
using ReflectFn = void (*)(double*, I64, const WyBlock*, I64, I64, I64, double*);
using QuadFn = void (*)(const double*, I64, I64, const double*, I64, double*, I64, I64, double*);

void gemm_slice_base(const double* a, I64 m, const double* b, I64 n, I64 k, double* c, bool sym, I64 ib0, I64 ib1, I64 j0, I64 j1, I64 k0, I64 k1) {
  gemm_slice_impl(a, m, b, n, k, c, sym, ib0, ib1, j0, j1, k0, k1);
}
void tn_blocks_base(const double* a, I64 ka, const double* bp, double* c, I64 n, bool sym, I64 ib0, I64 ib1, I64 j0, I64 j1, I64 s0, I64 kc, double* ap) {
  tn_blocks_impl<false>(a, ka, bp, c, n, sym, ib0, ib1, j0, j1, s0, kc, ap);
}
void tn_few_base(const double* a, I64 m, I64 k, const double* b, I64 n, I64 j0, I64 len, double* acc) { tn_few_impl(a, m, k, b, n, j0, len, acc); }
void reflect_base(double* x, I64 p, const WyBlock* b, I64 nb, I64 r0, I64 r1, double* w) { reflect_rows_impl<false>(x, p, b, nb, r0, r1, w); }
void quad_base(const double* z, I64 n, I64 p, const double* fac, I64 na, double* q, I64 r0, I64 r1, double* s) { quad_rows_impl(z, n, p, fac, na, q, r0, r1, s); }

#if defined(AM_ISA_CLONES)
#define AM_LINALG_CLONES(SUFFIX, TARGET)                                                                                     \
  TARGET void gemm_slice_##SUFFIX(const double* a, I64 m, const double* b, I64 n, I64 k, double* c, bool sym, I64 ib0,       \
                                  I64 ib1, I64 j0, I64 j1, I64 k0, I64 k1) {                                                 \
    gemm_slice_impl(a, m, b, n, k, c, sym, ib0, ib1, j0, j1, k0, k1);                                                        \
  }                                                                                                                          \
  TARGET void tn_blocks_##SUFFIX(const double* a, I64 ka, const double* bp, double* c, I64 n, bool sym, I64 ib0, I64 ib1,    \
                                 I64 j0, I64 j1, I64 s0, I64 kc, double* ap) {                                               \
    tn_blocks_impl<true>(a, ka, bp, c, n, sym, ib0, ib1, j0, j1, s0, kc, ap);                                                \
  }                                                                                                                          \
  TARGET void tn_few_##SUFFIX(const double* a, I64 m, I64 k, const double* b, I64 n, I64 j0, I64 len, double* acc) {         \
    tn_few_impl(a, m, k, b, n, j0, len, acc);                                                                                \
  }                                                                                                                          \
  TARGET void reflect_##SUFFIX(double* x, I64 p, const WyBlock* b, I64 nb, I64 r0, I64 r1, double* w) {                   \
    reflect_rows_impl<true>(x, p, b, nb, r0, r1, w);                                                                         \
  }                                                                                                                          \
  TARGET void quad_##SUFFIX(const double* z, I64 n, I64 p, const double* fac, I64 na, double* q, I64 r0, I64 r1, double* s) { \
    quad_rows_impl(z, n, p, fac, na, q, r0, r1, s);                                                                          \
  }
// One AVX2 entry serves the AVX-512 level too: measured on Zen 4, the AVX-512 clone (its optimize attribute)
// ran these loops 1.6x slower, and 256-bit lanes already keep both FP pipes busy.
AM_LINALG_CLONES(avx2, AM_TARGET_AVX2)
#undef AM_LINALG_CLONES
constexpr TnBlocksFn tn_blocks_avx512 = tn_blocks_avx2;
constexpr GemmSliceFn gemm_slice_avx512 = gemm_slice_avx2;
constexpr ReflectFn reflect_avx512 = reflect_avx2;
constexpr QuadFn quad_avx512 = quad_avx2;
#else
constexpr TnFewFn tn_few_avx2 = tn_few_base;
constexpr TnBlocksFn tn_blocks_avx2 = tn_blocks_base, tn_blocks_avx512 = tn_blocks_base;
constexpr GemmSliceFn gemm_slice_avx2 = gemm_slice_base, gemm_slice_avx512 = gemm_slice_base;
constexpr ReflectFn reflect_avx2 = reflect_base, reflect_avx512 = reflect_base;
constexpr QuadFn quad_avx2 = quad_base, quad_avx512 = quad_base;
#endif

// Runs fn(begin, end) over [0, n) rows: on the pool for large n, else on the calling thread.
template <class Fn>
void rows_for(I64 n, I64 grain, int threads, Fn&& fn) {
  if (n < kParallelRows || threads == 1) {
    fn(I64{0}, n);
    return;
  }
  parallel_for(static_cast<std::size_t>(n), static_cast<std::size_t>(grain), threads,
               [&](std::size_t b, std::size_t e) { fn(static_cast<I64>(b), static_cast<I64>(e)); });
}

}  // namespace

void gemm_nt(const double* a, I64 m, const double* b, I64 n, I64 k, double* c, bool symmetric, int threads) {
  std::fill(c, c + m * n, 0.0);
  if (m == 0 || n == 0 || k == 0) return;
  const I64 blocks = (m + kMr - 1) / kMr;
  for (I64 j0 = 0; j0 < n; j0 += kNc) {
    const I64 j1 = std::min(n, j0 + kNc);
    // Symmetric: row blocks above the panel have no lower entries in it.
    const I64 first = symmetric ? j0 / kMr : 0;
    for (I64 k0 = 0; k0 < k; k0 += kKc) {
      const I64 k1 = std::min(k, k0 + kKc);
      const std::size_t count = static_cast<std::size_t>(blocks - first);
      const auto run = [&](std::size_t lo, std::size_t hi) {
        isa_dispatch<GemmSliceFn>(gemm_slice_base, gemm_slice_avx2, gemm_slice_avx512, a, m, b, n, k, c, symmetric,
                                  first + static_cast<I64>(lo), first + static_cast<I64>(hi), j0, j1, k0, k1);
      };
      if (static_cast<double>(count) * static_cast<double>(j1 - j0) * static_cast<double>(k1 - k0) < 2e5 || threads == 1) run(0, count);
      else parallel_for(count, 4, threads, run);
    }
  }
  if (symmetric) {
    rows_for(m, 64, threads, [&](I64 r0, I64 r1) {
      for (I64 i = r0; i < r1; ++i)
        for (I64 j = i + 1; j < m; ++j) c[i * m + j] = c[j * m + i];
    });
  }
}

namespace {

// Turns x (m values) into the reflector v (v_0 = 1) of H = I - τ v vᵀ with H x = β e_0 (LAPACK's dlarfg
// convention: β has the opposite sign of x_0); returns τ (0: H = I, x left as is but for v_0) and sets beta.
double make_reflector(double* x, I64 m, double* beta) {
  double scale = 0;
  for (I64 j = 1; j < m; ++j) scale = std::max(scale, std::fabs(x[j]));
  double tail = 0;
  if (scale > 0) {
    for (I64 j = 1; j < m; ++j) {
      const double q = x[j] / scale;
      tail += q * q;
    }
    tail = scale * std::sqrt(tail);
  }
  if (!std::isfinite(tail) || !std::isfinite(x[0])) throw CoreError("INVALID_ARGUMENT", "a column of the matrix is not finite, or too large to reduce (its norm overflows float64)");
  if (tail == 0) {
    *beta = x[0];
    x[0] = 1;
    return 0;
  }
  const double alpha = x[0];
  const double b = -std::copysign(std::hypot(alpha, tail), alpha);
  if (!std::isfinite(alpha - b)) throw CoreError("INVALID_ARGUMENT", "a column of the matrix is too large to reduce (its norm overflows float64)");
  const double inv = 1 / (alpha - b);
  for (I64 j = 1; j < m; ++j) x[j] *= inv;
  x[0] = 1;
  *beta = b;
  return (b - alpha) / b;
}

// Rows [r0, r1) (each >= 1) of the trailing block B (m x m at a + off, stride p; only its upper triangle is kept, so a
// row holds what the lower triangle would hold of the column: contiguous): with v, B[i][i .. m) -= v_i w + w_i v (row 0
// is updated before); then, with a next reflector v2 over B' = B[1 .., 1 ..], the row's share of B' v2:
// y2[i - 1] += B'[i - 1][i - 1 ..] · v2 and y2[j] += B'[i - 1][j] v2[i - 1] for j > i - 1 (the lower triangle by
// symmetry), while the row is in cache.
AM_INLINE void upper_rows_impl(double* a, I64 p, I64 off, I64 m, const double* v, const double* w, const double* v2, double* y2, I64 r0,
                               I64 r1) {
  for (I64 i = r0; i < r1; ++i) {
    double* row = a + off + i * p;
    if (v != nullptr) {
      const double vi = v[i], wi = w[i];
      for (I64 j = i; j < m; ++j) row[j] -= vi * w[j] + wi * v[j];
    }
    if (v2 == nullptr) continue;
    const I64 ii = i - 1, mm = m - 1;
    const double* r = row + 1;  // B'[ii][..], entries from ii on
    const double vii = v2[ii];
    const Lanes vs = splat(vii);
    Lanes acc = Lanes{};
    I64 j = ii + 1;
    for (; j + kLanes <= mm; j += kLanes) {
      const Lanes rv = load_lanes(r + j);
      acc += rv * load_lanes(v2 + j);
      Lanes yv = load_lanes(y2 + j);
      yv += rv * vs;
      store_lanes(y2 + j, yv);
    }
    double sum = reduce_lanes(acc);
    for (; j < mm; ++j) {
      sum += r[j] * v2[j];
      y2[j] += r[j] * vii;
    }
    y2[ii] += sum + r[ii] * vii;
  }
}

using UpperFn = void (*)(double*, I64, I64, I64, const double*, const double*, const double*, double*, I64, I64);
void upper_base(double* a, I64 p, I64 off, I64 m, const double* v, const double* w, const double* v2, double* y2, I64 r0, I64 r1) {
  upper_rows_impl(a, p, off, m, v, w, v2, y2, r0, r1);
}
#if defined(AM_ISA_CLONES)
AM_TARGET_AVX2 void upper_avx2(double* a, I64 p, I64 off, I64 m, const double* v, const double* w, const double* v2, double* y2, I64 r0,
                               I64 r1) {
  upper_rows_impl(a, p, off, m, v, w, v2, y2, r0, r1);
}
#else
constexpr UpperFn upper_avx2 = upper_base;
#endif

// One pass of upper_rows over rows [1, m) of B, split in ranges of equal work (row i costs ~m - i), each range with its
// own y2 buffer; y2 = tau2 · their sum. With v2 null only the update runs.
void upper_pass(double* a, I64 p, I64 off, I64 m, const double* v, const double* w, const double* v2, double tau2, double* y2,
                std::vector<double>& buffers, int threads) {
  const int cap = threads > 0 ? std::min(threads, max_threads()) : max_threads();
  const int parts = m - 1 < kParallelRows ? 1 : cap;
  const std::size_t len = static_cast<std::size_t>(std::max<I64>(m - 1, 1));
  if (v2 != nullptr) buffers.assign(len * static_cast<std::size_t>(parts), 0.0);
  const auto bound = [&](int q) {
    return q == parts ? m : m - static_cast<I64>(static_cast<double>(m - 1) * std::sqrt(static_cast<double>(parts - q) / parts));
  };
  const auto run = [&](int q) {
    double* yq = v2 != nullptr ? buffers.data() + static_cast<std::size_t>(q) * len : nullptr;
    isa_dispatch<UpperFn>(upper_base, upper_avx2, upper_avx2, a, p, off, m, v, w, v2, yq, bound(q), bound(q + 1));
  };
  if (parts == 1) {
    run(0);
  } else {
    parallel_for(static_cast<std::size_t>(parts), 1, parts, [&](std::size_t b, std::size_t e) {
      for (std::size_t q = b; q < e; ++q) run(static_cast<int>(q));
    });
  }
  if (v2 == nullptr) return;
  for (I64 j = 0; j < m - 1; ++j) {
    double s = 0;
    for (int q = 0; q < parts; ++q) s += buffers[static_cast<std::size_t>(q) * len + static_cast<std::size_t>(j)];
    y2[j] = tau2 * s;
  }
}

}  // namespace

void add_scaled_row(double* x, I64 n, I64 p, const double* v, double s, const double* r, double xs, int threads) {
  if (n <= 0 || p <= 0) return;
  const auto run = [&](I64 r0, I64 r1) {
    for (I64 i = r0; i < r1; ++i) {
      double* xi = x + i * p;
      const double si = r == nullptr ? s : s * r[i];
      if (xs == 1) {
        for (I64 j = 0; j < p; ++j) xi[j] += si * v[j];
      } else {
        for (I64 j = 0; j < p; ++j) xi[j] = xs * xi[j] + si * v[j];
      }
    }
  };
  if (n * p < 65536 || threads == 1) run(0, n);
  else parallel_for(static_cast<std::size_t>(n), 16, threads, [&](std::size_t b, std::size_t e) { run(static_cast<I64>(b), static_cast<I64>(e)); });
}

void transpose(const double* a, I64 rows, I64 cols, double* out, int threads) {
  constexpr I64 kTile = 32;
  const I64 bands = (rows + kTile - 1) / kTile;
  const auto run = [&](I64 b0, I64 b1) {
    for (I64 i0 = b0 * kTile; i0 < std::min(rows, b1 * kTile); i0 += kTile) {
      const I64 i1 = std::min(rows, i0 + kTile);
      for (I64 j0 = 0; j0 < cols; j0 += kTile) {
        const I64 j1 = std::min(cols, j0 + kTile);
        for (I64 i = i0; i < i1; ++i)
          for (I64 j = j0; j < j1; ++j) out[j * rows + i] = a[i * cols + j];
      }
    }
  };
  if (rows * cols < 65536 || threads == 1) run(0, bands);
  else parallel_for(static_cast<std::size_t>(bands), 4, threads, [&](std::size_t b, std::size_t e) { run(static_cast<I64>(b), static_cast<I64>(e)); });
}

namespace {

// c (k x k) above the diagonal ← its lower triangle, in 32 x 32 tiles (row blocks in parallel).
void mirror_lower(double* c, I64 k, int threads) {
  constexpr I64 kTile = 32;
  const I64 bands = (k + kTile - 1) / kTile;
  const auto run = [&](I64 b0, I64 b1) {
    for (I64 i0 = b0 * kTile; i0 < std::min(k, b1 * kTile); i0 += kTile) {
      const I64 i1 = std::min(k, i0 + kTile);
      for (I64 j0 = i0; j0 < k; j0 += kTile) {
        const I64 j1 = std::min(k, j0 + kTile);
        for (I64 i = i0; i < i1; ++i)
          for (I64 j = std::max(j0, i + 1); j < j1; ++j) c[i * k + j] = c[j * k + i];
      }
    }
  };
  if (k < 256 || threads == 1) run(0, bands);
  else parallel_for(static_cast<std::size_t>(bands), 1, threads, [&](std::size_t b, std::size_t e) { run(static_cast<I64>(b), static_cast<I64>(e)); });
}

// gemm_tn for many columns (or aᵀa with `symmetric`): b's slices packed once per panel, a's columns per row block.
// c (k x n) += aᵀ b, b's slices packed once per panel, a's columns per row block; with `symmetric` (b is a) only the
// blocks reaching the lower triangle.
void tn_accumulate(const double* a, I64 m, I64 k, const double* b, I64 n, double* c, bool symmetric, int threads) {
  if (m == 0 || k == 0 || n == 0) return;
  const I64 blocks = (k + kPackMr - 1) / kPackMr;
  std::vector<double> bp(static_cast<std::size_t>(kPackKc * (kPackNc + kPackNr)));
  for (I64 j0 = 0; j0 < n; j0 += kPackNc) {
    const I64 j1 = std::min(n, j0 + kPackNc);
    const I64 first = symmetric ? j0 / kPackMr : 0;
    // Slices of equal length, at most kPackKc (no short last slice whose tiles would cost as much as a full one's).
    const I64 slice = (m + (m + kPackKc - 1) / kPackKc - 1) / ((m + kPackKc - 1) / kPackKc);
    for (I64 s0 = 0; s0 < m; s0 += slice) {
      const I64 kc = std::min(slice, m - s0);
      // b's slice, kPackNr columns side by side per row (zero past n).
      for (I64 jb = j0; jb < j1; jb += kPackNr) {
        double* dst = bp.data() + (jb - j0) * kc;
        const I64 nr = std::min<I64>(kPackNr, n - jb);
        for (I64 q = 0; q < kc; ++q) {
          const double* src = b + (s0 + q) * n + jb;
          for (I64 x = 0; x < kPackNr; ++x) dst[q * kPackNr + x] = x < nr ? src[x] : 0.0;
        }
      }
      const std::size_t count = static_cast<std::size_t>(blocks - first);
      const auto run = [&](std::size_t lo, std::size_t hi) {
        std::vector<double> ap(static_cast<std::size_t>(kc * kPackMr));
        isa_dispatch<TnBlocksFn>(tn_blocks_base, tn_blocks_avx2, tn_blocks_avx512, a, k, bp.data(), c, n, symmetric,
                                 first + static_cast<I64>(lo), first + static_cast<I64>(hi), j0, j1, s0, kc, ap.data());
      };
      if (static_cast<double>(count) * static_cast<double>(j1 - j0) * static_cast<double>(kc) < 2e5 || threads == 1) run(0, count);
      else parallel_for(count, 4, threads, run);
    }
  }
}

// gemm_tn for many columns (or aᵀa with `symmetric`: the lower blocks, mirrored).
void gemm_tn_packed(const double* a, I64 m, I64 k, const double* b, I64 n, double* c, bool symmetric, int threads) {
  std::fill(c, c + k * n, 0.0);
  tn_accumulate(a, m, k, b, n, c, symmetric, threads);
  if (symmetric) mirror_lower(c, k, threads);
}

}  // namespace

void gemm_tn(const double* a, I64 m, I64 k, const double* b, I64 n, double* c, int threads) {
  if (n > kTnColumns && k <= kTnColumns) {
    // Few rows of c: cᵀ = bᵀ a in the one-pass path (a's columns as b's), transposed.
    std::vector<double> ct(static_cast<std::size_t>(n * k));
    gemm_tn(b, m, n, a, k, ct.data(), threads);
    transpose(ct.data(), n, k, c, threads);
    return;
  }
  if (n > kTnColumns) {
    gemm_tn_packed(a, m, k, b, n, c, false, threads);
    return;
  }
  std::fill(c, c + k * n, 0.0);
  if (m == 0 || k == 0 || n == 0) return;
  // Slices of kTnSlice columns of a: c's rows j of the slice gather Σ_i a[i][j] b[i][:] (summed in row order).
  const I64 slices = (k + kTnSlice - 1) / kTnSlice;
  const auto run = [&](I64 s0, I64 s1) {
    std::vector<double> acc(static_cast<std::size_t>(kTnSlice * n));
    for (I64 sl = s0; sl < s1; ++sl) {
      const I64 j0 = sl * kTnSlice, len = std::min<I64>(kTnSlice, k - j0);
      std::fill(acc.begin(), acc.end(), 0.0);
      isa_dispatch<TnFewFn>(tn_few_base, tn_few_avx2, tn_few_avx2, a, m, k, b, n, j0, len, acc.data());
      for (I64 j = 0; j < len; ++j)
        for (I64 q = 0; q < n; ++q) c[(j0 + j) * n + q] = acc[static_cast<std::size_t>(q * kTnSlice + j)];
    }
  };
  if (slices < 2 || threads == 1 || m * k < 65536) run(0, slices);
  else parallel_for(static_cast<std::size_t>(slices), 1, threads, [&](std::size_t b0, std::size_t e0) { run(static_cast<I64>(b0), static_cast<I64>(e0)); });
}

void tridiagonalize(double* a, I64 p, double* d, double* e, double* tau, int threads) {
  if (p <= 0) return;
  // Step k reduces column k (the same numbers as row k right of the diagonal, which is what is kept) with the
  // reflector of its part off the diagonal, made in place in row k from column k + 1 on (where the reflector stays).
  // Only the upper triangle of the trailing block B = a[k+1 .., k+1 ..] is updated: B -= v wᵀ + w vᵀ,
  // w = y - (τ/2)(yᵀv) v, y = τ B v. B's first row is updated first and gives the next reflector; one pass over B's
  // other rows then updates each and adds its share of the next step's y. Every access is along a row.
  std::vector<double> y(static_cast<std::size_t>(p)), w(static_cast<std::size_t>(p)), buffers;
  if (p >= 3) {
    d[0] = a[0];
    tau[0] = make_reflector(a + 1, p - 1, &e[0]);
    // y = τ B v for B = a[1 .., 1 ..]: the pass below with no update, over B's rows 1 .. p - 1 seen from a[0][0].
    if (tau[0] != 0) upper_pass(a, p, 0, p, nullptr, nullptr, a + 1, tau[0], y.data(), buffers, threads);
  }
  for (I64 k = 0; k + 2 < p; ++k) {
    const I64 m = p - k - 1;
    const I64 off = (k + 1) * p + k + 1;
    const double* v = a + k * p + k + 1;
    const double t = tau[k];
    if (t != 0) {
      double yv = 0;
      for (I64 j = 0; j < m; ++j) yv += y[static_cast<std::size_t>(j)] * v[j];
      const double half = 0.5 * t * yv;
      for (I64 j = 0; j < m; ++j) w[static_cast<std::size_t>(j)] = y[static_cast<std::size_t>(j)] - half * v[j];
      for (I64 i = 0; i < m; ++i) a[off + i] -= v[0] * w[static_cast<std::size_t>(i)] + w[0] * v[i];
    }
    d[k + 1] = a[off];
    const double* vu = t != 0 ? v : nullptr;
    if (k + 3 >= p) {  // the last step: no reflector for row k + 1
      if (vu != nullptr) upper_pass(a, p, off, m, vu, w.data(), nullptr, 0.0, nullptr, buffers, threads);
      continue;
    }
    double* v2 = a + off + 1;
    const double t2 = make_reflector(v2, m - 1, &e[k + 1]);
    tau[k + 1] = t2;
    if (vu != nullptr || t2 != 0) upper_pass(a, p, off, m, vu, w.data(), t2 != 0 ? v2 : nullptr, t2, y.data(), buffers, threads);
  }
  if (p >= 2) {
    d[p - 2] = a[(p - 2) * p + p - 2];
    e[p - 2] = a[(p - 2) * p + p - 1];
    tau[p - 2] = 0;
  }
  d[p - 1] = a[(p - 1) * p + p - 1];
}

namespace {

// The reflectors tridiagonalize left in a and tau as compact-WY blocks of kWyBlock.
std::vector<WyBlock> make_wy_blocks(const double* a, I64 p, const double* tau) {
  std::vector<WyBlock> blocks;
  if (p < 3) return blocks;
  const I64 nref = p - 2;
  for (I64 k0 = 0; k0 < nref; k0 += kWyBlock) {
    WyBlock b;
    b.k0 = k0;
    b.nb = static_cast<int>(std::min<I64>(kWyBlock, nref - k0));
    b.len = p - k0 - 1;
    const int nb = b.nb;
    b.v.assign(static_cast<std::size_t>(nb * b.len), 0.0);
    for (int r = 0; r < nb; ++r) {
      const I64 k = k0 + r;
      std::memcpy(b.v.data() + r * b.len + r, a + k * p + k + 1, sizeof(double) * static_cast<std::size_t>(b.len - r));
    }
    b.vt.assign(static_cast<std::size_t>(kWyBlock * b.len), 0.0);
    for (int r = 0; r < nb; ++r)
      for (I64 q = 0; q < b.len; ++q) b.vt[static_cast<std::size_t>(q * kWyBlock + r)] = b.v[static_cast<std::size_t>(r * b.len + q)];
    // T: T[r][r] = τ_r, T[0:r, r] = -τ_r T[0:r, 0:r] (V[0:r] · v_r).
    b.t.assign(static_cast<std::size_t>(nb * nb), 0.0);
    std::vector<double> z(static_cast<std::size_t>(nb));
    for (int r = 0; r < nb; ++r) {
      const double tr = tau[k0 + r];
      b.t[static_cast<std::size_t>(r * nb + r)] = tr;
      if (tr == 0) continue;
      const double* vr = b.v.data() + r * b.len;
      for (int q = 0; q < r; ++q) z[static_cast<std::size_t>(q)] = dot(b.v.data() + q * b.len + r, vr + r, b.len - r);
      for (int i = 0; i < r; ++i) {
        double s = 0;
        for (int q = i; q < r; ++q) s += b.t[static_cast<std::size_t>(i * nb + q)] * z[static_cast<std::size_t>(q)];
        b.t[static_cast<std::size_t>(i * nb + r)] = -tr * s;
      }
    }
    blocks.push_back(std::move(b));
  }
  return blocks;
}

// Rows [r0, r1) of x ← x Q, kWyRows rows at a time (w: (2 kWyRows + 1) kWyBlock doubles of work space).
void reflect_rows(double* x, I64 p, const std::vector<WyBlock>& blocks, I64 r0, I64 r1, double* w) {
  for (I64 c = r0; c < r1; c += kWyRows) {
    isa_dispatch<ReflectFn>(reflect_base, reflect_avx2, reflect_avx512, x, p, blocks.data(), static_cast<I64>(blocks.size()), c,
                            std::min(r1, c + kWyRows), w);
  }
}

constexpr std::size_t kReflectWork = (2 * kWyRows + 1) * kWyBlock;

// L D Lᵀ of T + αI per α into fac (per α: dinv (p), then l (p - 1)): dd_0 = d_0 + α, l_j = e_j / dd_j,
// dd_{j+1} = d_{j+1} + α - l_j e_j.
void shifted_factor(const double* d, const double* e, I64 p, const double* alphas, I64 n_alphas, double* fac) {
  const I64 stride = 2 * p - 1;
  std::vector<double> dd(static_cast<std::size_t>(p));
  for (I64 s = 0; s < n_alphas; ++s) {
    double* dinv = fac + s * stride;
    double* l = dinv + p;
    // For T positive semi-definite every pivot is at least α (dd_j = 1 / [(T_j + αI)⁻¹]_jj >= λ_min >= α), so a
    // pivot rounded below α (tiny α, rank-deficient T) is raised to it instead of reaching 0 and an infinite inverse.
    dd[0] = std::max(d[0] + alphas[s], alphas[s]);
    for (I64 j = 1; j < p; ++j) {
      l[j - 1] = e[j - 1] / dd[static_cast<std::size_t>(j - 1)];
      dd[static_cast<std::size_t>(j)] = std::max(d[j] + alphas[s] - l[j - 1] * e[j - 1], alphas[s]);
    }
    for (I64 j = 0; j < p; ++j) dinv[j] = 1 / dd[static_cast<std::size_t>(j)];
  }
}

// (T + αI)⁻¹ rhs per α from shifted_factor's fac, column by column: L u = b, then D Lᵀ x = u.
void shifted_solve(const double* fac, I64 p, I64 n_alphas, const double* rhs, I64 t, double* solve) {
  const I64 stride = 2 * p - 1;
  for (I64 s = 0; s < n_alphas; ++s) {
    const double* dinv = fac + s * stride;
    const double* l = dinv + p;
    for (I64 c = 0; c < t; ++c) {
      double* out = solve + s * p * t + c;
      out[0] = rhs[c];
      for (I64 j = 1; j < p; ++j) out[j * t] = rhs[j * t + c] - l[j - 1] * out[(j - 1) * t];
      out[(p - 1) * t] *= dinv[p - 1];
      for (I64 j = p - 2; j >= 0; --j) out[j * t] = out[j * t] * dinv[j] - l[j] * out[(j + 1) * t];
    }
  }
}

}  // namespace

void apply_reflectors_right(double* x, I64 n, I64 p, const double* a, const double* tau, int threads) {
  if (n <= 0 || p < 3) return;
  const std::vector<WyBlock> blocks = make_wy_blocks(a, p, tau);
  const I64 chunks = (n + kWyRows - 1) / kWyRows;
  const auto run = [&](I64 c0, I64 c1) {
    std::vector<double> w(kReflectWork);
    reflect_rows(x, p, blocks, c0 * kWyRows, std::min(n, c1 * kWyRows), w.data());
  };
  if (chunks < 2 || threads == 1) run(0, chunks);
  else parallel_for(static_cast<std::size_t>(chunks), 1, threads, [&](std::size_t b, std::size_t e) { run(static_cast<I64>(b), static_cast<I64>(e)); });
}

namespace {

// Rows [r0, r1) of the chosen, shifted rows of a (k values each) into dst (row r0 first).
void gather_rows(const double* a, I64 k, const std::uint32_t* rows, const double* shift, I64 r0, I64 r1, double* dst) {
  for (I64 q = r0; q < r1; ++q) {
    const double* src = a + (rows != nullptr ? static_cast<I64>(rows[q]) : q) * k;
    double* out = dst + (q - r0) * k;
    if (shift != nullptr) {
      for (I64 j = 0; j < k; ++j) out[j] = src[j] - shift[j];
    } else {
      std::copy(src, src + k, out);
    }
  }
}

// The m chosen, shifted rows of a in slices of equal length (at most kPackKc), each copied into one reused buffer
// (never all of them at once) and handed to fn(buf, s0, kc) in order.
template <class Fn>
void for_row_slices(const double* a, I64 k, const std::uint32_t* rows, const double* shift, I64 m, int threads, Fn&& fn) {
  if (m <= 0) return;
  const I64 slices = (m + kPackKc - 1) / kPackKc;
  const I64 slice = (m + slices - 1) / slices;
  std::vector<double> buf(static_cast<std::size_t>(slice * k));
  for (I64 s0 = 0; s0 < m; s0 += slice) {
    const I64 kc = std::min(slice, m - s0);
    rows_for(kc, 16, threads, [&](I64 q0, I64 q1) { gather_rows(a, k, rows, shift, s0 + q0, s0 + q1, buf.data() + q0 * k); });
    fn(buf.data(), s0, kc);
  }
}

}  // namespace

void gemm_tn_rows(const double* a, const std::uint32_t* rows, const double* shift, I64 m, I64 k, const double* b, I64 n, double* c,
                  int threads) {
  if (rows == nullptr && shift == nullptr) {
    gemm_tn(a, m, k, b, n, c, threads);
    return;
  }
  std::fill(c, c + k * n, 0.0);
  std::vector<double> part(static_cast<std::size_t>(k * n));
  for_row_slices(a, k, rows, shift, m, threads, [&](const double* buf, I64 s0, I64 kc) {
    gemm_tn(buf, kc, k, b + s0 * n, n, part.data(), threads);
    for (std::size_t q = 0; q < part.size(); ++q) c[q] += part[q];
  });
}

void gram_cols(const double* a, I64 m, I64 k, double* c, int threads, const std::uint32_t* rows, const double* shift) {
  if (rows == nullptr && shift == nullptr) {
    gemm_tn_packed(a, m, k, a, k, c, true, threads);
    return;
  }
  // Each slice's products added in turn.
  std::fill(c, c + k * k, 0.0);
  for_row_slices(a, k, rows, shift, m, threads, [&](const double* buf, I64, I64 kc) { tn_accumulate(buf, kc, k, buf, k, c, true, threads); });
  mirror_lower(c, k, threads);
}

namespace {

// Rows per task of ridge_loo_primal's second stage (a multiple of kWyRows).
constexpr I64 kLooChunkRows = 4 * kWyRows;

// One problem of ridge_loo_primal, in two stages: reduce (the Gram matrix if not given, its tridiagonal reduction, the
// reflectors as WY blocks, Zᵀy = Qᵀ(xcᵀy) and the solves (T + αI)⁻¹ Zᵀy) on one thread, then row chunks side by side
// (a chunk of Z's rows = xc's rows Q in a buffer of the thread's, their quadratic forms and fitted values: Z is never
// held whole).
struct LooFold {
  const RidgeLooProblem* pr = nullptr;
  std::vector<double> own_gram, d, e, tau, fac, st;
  std::vector<WyBlock> blocks;
  I64 chunks = 0;
  I64 next_chunk = 0;  // guarded by the scheduler's mutex, as are the two below
  I64 chunks_left = 0;
  bool ready = false;
};

void loo_reduce(LooFold& f, const double* alphas, I64 na) {
  const RidgeLooProblem& pr = *f.pr;
  const I64 n = pr.n, p = pr.p, t = pr.t;
  double* g = pr.gram;
  if (g == nullptr) {
    f.own_gram.resize(static_cast<std::size_t>(p * p));
    g = f.own_gram.data();
    gram_cols(pr.xc, n, p, g, 1, pr.rows, pr.shift);
  }
  f.d.resize(static_cast<std::size_t>(p));
  f.e.resize(static_cast<std::size_t>(std::max<I64>(p - 1, 1)));
  f.tau.resize(f.e.size());
  tridiagonalize(g, p, f.d.data(), f.e.data(), f.tau.data(), 1);
  f.blocks = make_wy_blocks(g, p, f.tau.data());
  // Zᵀy = Qᵀ (xcᵀ y) = H_{p-3} ⋯ H_0 (xcᵀ y): the reflectors applied to a p x t matrix.
  std::vector<double> zty(static_cast<std::size_t>(p * t));
  gemm_tn_rows(pr.xc, pr.rows, pr.shift, n, p, pr.yc, t, zty.data(), 1);
  for (I64 k = 0; k + 2 < p; ++k) {
    const double tk = f.tau[static_cast<std::size_t>(k)];
    if (tk == 0) continue;
    const double* v = g + k * p + k + 1;  // v[0] = 1, over rows k + 1 ..
    for (I64 c = 0; c < t; ++c) {
      double sv = 0;
      for (I64 j = 0; j < p - k - 1; ++j) sv += v[j] * zty[static_cast<std::size_t>((k + 1 + j) * t + c)];
      sv *= tk;
      for (I64 j = 0; j < p - k - 1; ++j) zty[static_cast<std::size_t>((k + 1 + j) * t + c)] -= sv * v[j];
    }
  }
  f.fac.resize(static_cast<std::size_t>(na * (2 * p - 1)));
  shifted_factor(f.d.data(), f.e.data(), p, alphas, na, f.fac.data());
  std::vector<double> solve(static_cast<std::size_t>(na * p * t));
  shifted_solve(f.fac.data(), p, na, zty.data(), t, solve.data());
  // The solves side by side, transposed (na·t x p), for the fitted values Z (T + αI)⁻¹ Zᵀy.
  f.st.resize(static_cast<std::size_t>(na * t * p));
  for (I64 s = 0; s < na; ++s)
    for (I64 j = 0; j < p; ++j)
      for (I64 c = 0; c < t; ++c) f.st[static_cast<std::size_t>((s * t + c) * p + j)] = solve[static_cast<std::size_t>(s * p * t + j * t + c)];
  f.own_gram.clear();
  f.own_gram.shrink_to_fit();
}

// Work space of one scheduler thread, kept between its chunks (no fresh pages per chunk).
struct LooWork {
  std::vector<double> z, w, scratch;
};

void loo_chunk(LooFold& f, I64 chunk, I64 na, LooWork& work) {
  const RidgeLooProblem& pr = *f.pr;
  const I64 n = pr.n, p = pr.p, t = pr.t;
  const I64 r0 = chunk * kLooChunkRows, r1 = std::min(n, r0 + kLooChunkRows), rows = r1 - r0;
  std::vector<double>& z = work.z;
  std::vector<double>& w = work.w;
  std::vector<double>& scratch = work.scratch;
  z.resize(static_cast<std::size_t>(kLooChunkRows * p));
  w.resize(kReflectWork);
  scratch.resize(static_cast<std::size_t>(p * kQuadRows));
  gather_rows(pr.xc, p, pr.rows, pr.shift, r0, r1, z.data());
  reflect_rows(z.data(), p, f.blocks, 0, rows, w.data());
  isa_dispatch<QuadFn>(quad_base, quad_avx2, quad_avx512, z.data(), n, p, f.fac.data(), na, pr.quad + r0, 0, rows, scratch.data());
  gemm_nt(z.data(), rows, f.st.data(), na * t, p, pr.fitted + r0 * na * t, false, 1);
}

}  // namespace

void ridge_loo_primal(const RidgeLooProblem* problems, I64 count, const double* alphas, I64 n_alphas, int threads) {
  if (count <= 0) return;
  const int cap = threads > 0 ? std::min(threads, max_threads()) : max_threads();
  std::vector<LooFold> folds(static_cast<std::size_t>(count));
  for (I64 i = 0; i < count; ++i) {
    LooFold& f = folds[static_cast<std::size_t>(i)];
    f.pr = problems + i;
    f.chunks = f.chunks_left = (problems[i].n + kLooChunkRows - 1) / kLooChunkRows;
  }
  // A list scheduler on `cap` threads: a thread takes the next reduction while fewer than cap / 2 (at least one) run,
  // else a row chunk of a reduced problem, else the next reduction anyway, else waits for one to finish. So reductions
  // (bound by memory traffic) mostly run beside row chunks (bound by arithmetic), and the last problems' chunks are
  // shared by every thread.
  std::mutex mu;
  std::condition_variable cv;
  I64 next_reduce = 0, done = 0;
  int reducing = 0;
  const int reduce_limit = std::max(1, cap / 2);
  std::exception_ptr error;
  const auto worker = [&] {
    LooWork work;
    std::unique_lock<std::mutex> lock(mu);
    for (;;) {
      if (error || done == count) return;
      LooFold* f = nullptr;
      I64 chunk = -1;
      if (next_reduce < count && reducing < reduce_limit) {
        f = &folds[static_cast<std::size_t>(next_reduce++)];
      } else {
        for (LooFold& g : folds) {
          if (g.ready && g.next_chunk < g.chunks) {
            f = &g;
            chunk = g.next_chunk++;
            break;
          }
        }
        if (f == nullptr && next_reduce < count) f = &folds[static_cast<std::size_t>(next_reduce++)];
      }
      if (f == nullptr) {
        cv.wait(lock);
        continue;
      }
      if (chunk < 0) ++reducing;
      lock.unlock();
      try {
        if (chunk < 0) loo_reduce(*f, alphas, n_alphas);
        else loo_chunk(*f, chunk, n_alphas, work);
      } catch (...) {
        lock.lock();
        if (!error) error = std::current_exception();
        cv.notify_all();
        return;
      }
      lock.lock();
      if (chunk < 0) {
        --reducing;
        f->ready = true;
      } else {
        --f->chunks_left;
      }
      if (f->ready && f->chunks_left == 0) {  // (a problem of no rows is done once reduced)
        ++done;
        // Its O(p²) state goes now, not when the batch ends.
        f->blocks = std::vector<WyBlock>();
        f->st = f->fac = f->d = f->e = f->tau = std::vector<double>();
      }
      cv.notify_all();
    }
  };
  parallel_for(static_cast<std::size_t>(cap), 1, cap, [&](std::size_t b, std::size_t e) {
    for (std::size_t i = b; i < e; ++i) worker();
  });
  if (error) std::rethrow_exception(error);
}

}  // namespace audiomill
