#include "search/flat_search.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "util/error.h"
#include "util/isa_clone.h"
#include "util/thread_pool.h"

namespace audiomill {
namespace {

constexpr int kQueryTile = 4;     // queries sharing one pass over the rows
constexpr std::int64_t kBlock = 240;  // rows per score block (a multiple of every row tile below)

// A bounded top-k list kept as a heap whose root is the worst kept entry. "Better" is a higher
// goodness (the inner product, or minus the L2 distance), then the lower row.
struct Heap {
  float* g = nullptr;
  std::int64_t* id = nullptr;
  int size = 0;
  int k = 0;
};

AM_INLINE bool worse(float ga, std::int64_t ia, float gb, std::int64_t ib) { return ga < gb || (ga == gb && ia > ib); }

AM_INLINE void sift_down(Heap& h, int i) {
  for (;;) {
    int w = i;
    const int l = 2 * i + 1, r = l + 1;
    if (l < h.size && worse(h.g[l], h.id[l], h.g[w], h.id[w])) w = l;
    if (r < h.size && worse(h.g[r], h.id[r], h.g[w], h.id[w])) w = r;
    if (w == i) return;
    std::swap(h.g[i], h.g[w]);
    std::swap(h.id[i], h.id[w]);
    i = w;
  }
}

AM_INLINE void push(Heap& h, float g, std::int64_t id) {
  if (h.size < h.k) {
    int i = h.size++;
    h.g[i] = g;
    h.id[i] = id;
    while (i > 0) {  // sift up: the worst rises to the root
      const int p = (i - 1) / 2;
      if (!worse(h.g[i], h.id[i], h.g[p], h.id[p])) break;
      std::swap(h.g[i], h.g[p]);
      std::swap(h.id[i], h.id[p]);
      i = p;
    }
  } else if (worse(h.g[0], h.id[0], g, id)) {
    h.g[0] = g;
    h.id[0] = id;
    sift_down(h, 0);
  }
}

// Sorts a heap's entries best first (in place).
void sort_best_first(Heap& h) {
  std::vector<std::pair<float, std::int64_t>> v(static_cast<std::size_t>(h.size));
  for (int i = 0; i < h.size; ++i) v[static_cast<std::size_t>(i)] = {h.g[i], h.id[i]};
  std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return worse(b.first, b.second, a.first, a.second); });
  for (int i = 0; i < h.size; ++i) {
    h.g[i] = v[static_cast<std::size_t>(i)].first;
    h.id[i] = v[static_cast<std::size_t>(i)].second;
  }
}

// Q x R dot products over dim, W float lanes across the dimension (GCC/Clang vector extensions:
// the clones below turn them into SSE, AVX2 or AVX-512 registers).
template <int W, int Q, int R>
AM_INLINE void tile_dots(const float* const* q, const float* x, int dim, float out[][kBlock], std::int64_t col) {
  typedef float V __attribute__((vector_size(W * sizeof(float))));
  V acc[Q][R];
  for (int i = 0; i < Q; ++i)
    for (int j = 0; j < R; ++j) acc[i][j] = V{};
  int d = 0;
  for (; d + W <= dim; d += W) {
    V qv[Q];
    for (int i = 0; i < Q; ++i) std::memcpy(&qv[i], q[i] + d, sizeof(V));
    for (int j = 0; j < R; ++j) {
      V xv;
      std::memcpy(&xv, x + static_cast<std::int64_t>(j) * dim + d, sizeof(V));
      for (int i = 0; i < Q; ++i) acc[i][j] += qv[i] * xv;
    }
  }
  for (int i = 0; i < Q; ++i) {
    for (int j = 0; j < R; ++j) {
      float s = 0.0f;
      for (int l = 0; l < W; ++l) s += acc[i][j][l];
      for (int t = d; t < dim; ++t) s += q[i][t] * x[static_cast<std::int64_t>(j) * dim + t];
      out[i][col + j] = s;
    }
  }
}

// Scores of Q queries against rows [r0, r1) (at most kBlock) into sc[Q][...].
template <int W, int Q, int R>
AM_INLINE void block_dots(const float* const* q, const float* rows, int dim, std::int64_t r0, std::int64_t r1,
                          float sc[][kBlock]) {
  std::int64_t j = r0;
  for (; j + R <= r1; j += R) tile_dots<W, Q, R>(q, rows + j * dim, dim, sc, j - r0);
  for (; j < r1; ++j) tile_dots<W, Q, 1>(q, rows + j * dim, dim, sc, j - r0);
}

struct Context {
  const FlatSearchArgs* a;
  std::vector<float> qnorm;  // L2: |q|^2 per query
};

// Queries [q0, q0 + Q) against rows [r0, r1), into their heaps.
template <int W, int Q, int R>
AM_INLINE void scan(const Context& c, std::int64_t q0, std::int64_t r0, std::int64_t r1, Heap* heaps) {
  const FlatSearchArgs& a = *c.a;
  const float* q[Q];
  for (int i = 0; i < Q; ++i) q[i] = a.queries + (q0 + i) * a.dim;
  alignas(64) float sc[Q][kBlock];
  const bool l2 = a.metric == SearchMetric::L2;
  for (std::int64_t b0 = r0; b0 < r1; b0 += kBlock) {
    const std::int64_t b1 = std::min(r1, b0 + kBlock);
    block_dots<W, Q, R>(q, a.rows, a.dim, b0, b1, sc);
    for (int i = 0; i < Q; ++i) {
      Heap& h = heaps[i];
      const std::int64_t skip = a.exclude ? a.exclude[q0 + i] : -1;
      const float qn = l2 ? c.qnorm[static_cast<std::size_t>(q0 + i)] : 0.0f;
      for (std::int64_t j = b0; j < b1; ++j) {
        const float s = sc[i][j - b0];
        // goodness: the inner product, or minus the squared distance (clamped at 0 like FAISS)
        const float g = l2 ? -std::max(0.0f, qn + a.row_norms[j] - 2.0f * s) : s;
        if (h.size == h.k && !worse(h.g[0], h.id[0], g, j)) continue;  // the common case: not in the top k
        if (j == skip || (a.allow && !a.allow[j])) continue;
        push(h, g, j);
      }
    }
  }
}

template <int W, int R>
AM_INLINE void scan_any(const Context& c, std::int64_t q0, int nqt, std::int64_t r0, std::int64_t r1, Heap* heaps) {
  switch (nqt) {
    case 4: return scan<W, 4, R>(c, q0, r0, r1, heaps);
    case 3: return scan<W, 3, R>(c, q0, r0, r1, heaps);
    case 2: return scan<W, 2, R>(c, q0, r0, r1, heaps);
    default: return scan<W, 1, R>(c, q0, r0, r1, heaps);
  }
}

using ScanFn = void (*)(const Context&, std::int64_t, int, std::int64_t, std::int64_t, Heap*);
// 4 queries x R rows of accumulators: 4 x 3 = 12 of 16 registers at SSE / AVX2 width, 4 x 6 = 24
// of 32 with AVX-512 (plus the 4 query vectors and one row vector).
void scan_base(const Context& c, std::int64_t q0, int nqt, std::int64_t r0, std::int64_t r1, Heap* h) {
  scan_any<4, 3>(c, q0, nqt, r0, r1, h);
}
#if defined(AM_ISA_CLONES)
__attribute__((target("avx2,fma"))) void scan_avx2(const Context& c, std::int64_t q0, int nqt, std::int64_t r0,
                                                   std::int64_t r1, Heap* h) {
  scan_any<8, 3>(c, q0, nqt, r0, r1, h);
}
__attribute__((target("avx512f,avx512dq,avx2,fma"))) void scan_avx512(const Context& c, std::int64_t q0, int nqt,
                                                                     std::int64_t r0, std::int64_t r1, Heap* h) {
  scan_any<16, 6>(c, q0, nqt, r0, r1, h);
}
#else
constexpr ScanFn scan_avx2 = scan_base, scan_avx512 = scan_base;
#endif

void run_scan(const Context& c, std::int64_t q0, int nqt, std::int64_t r0, std::int64_t r1, Heap* h) {
  isa_dispatch<ScanFn>(scan_base, scan_avx2, scan_avx512, c, q0, nqt, r0, r1, h);
}

// Writes a sorted heap to its output row: goodness back to the score, the rest padded.
void emit(Heap& h, const FlatSearchArgs& a, float* scores, std::int64_t* ids) {
  sort_best_first(h);
  for (int i = 0; i < a.k; ++i) {
    if (i < h.size) {
      scores[i] = a.metric == SearchMetric::L2 ? -h.g[i] : h.g[i];
      ids[i] = h.id[i];
    } else {
      scores[i] = std::numeric_limits<float>::quiet_NaN();
      ids[i] = -1;
    }
  }
}

}  // namespace

void flat_search(const FlatSearchArgs& a, float* scores, std::int64_t* ids, int threads) {
  if (a.dim <= 0 || a.k <= 0 || a.n < 0 || a.nq < 0) throw CoreError("INVALID_ARGUMENT", "bad search sizes");
  if (a.nq == 0) return;
  if ((a.n > 0 && !a.rows) || !a.queries || !scores || !ids) throw CoreError("INVALID_ARGUMENT", "null search buffer");
  if (a.metric == SearchMetric::L2 && a.n > 0 && !a.row_norms) throw CoreError("INVALID_ARGUMENT", "L2 search needs row norms");
  Context c;
  c.a = &a;
  if (a.metric == SearchMetric::L2) {
    c.qnorm.resize(static_cast<std::size_t>(a.nq));
    flat_row_norms(a.queries, a.nq, a.dim, c.qnorm.data());
  }
  const std::int64_t tiles = (a.nq + kQueryTile - 1) / kQueryTile;
  const int cap = threads > 0 ? std::min(threads, max_threads()) : max_threads();
  const auto tile_of = [&](std::int64_t t, std::int64_t& q0, int& nqt) {
    q0 = t * kQueryTile;
    nqt = static_cast<int>(std::min<std::int64_t>(kQueryTile, a.nq - q0));
  };
  if (tiles >= 2 * cap || a.n < 4 * kBlock || cap == 1) {
    // Enough queries: each thread takes whole query tiles, heaps live in the outputs.
    parallel_for(static_cast<std::size_t>(tiles), 1, cap, [&](std::size_t t0, std::size_t t1) {
      std::vector<float> g(static_cast<std::size_t>(kQueryTile) * a.k);
      std::vector<std::int64_t> id(g.size());
      for (std::size_t t = t0; t < t1; ++t) {
        std::int64_t q0;
        int nqt;
        tile_of(static_cast<std::int64_t>(t), q0, nqt);
        Heap h[kQueryTile];
        for (int i = 0; i < nqt; ++i) h[i] = Heap{g.data() + i * a.k, id.data() + i * a.k, 0, a.k};
        run_scan(c, q0, nqt, 0, a.n, h);
        for (int i = 0; i < nqt; ++i) emit(h[i], a, scores + (q0 + i) * a.k, ids + (q0 + i) * a.k);
      }
    });
    return;
  }
  // Few queries: split the rows into one range per thread, keep a top-k per query and range, merge.
  const int parts = cap;
  const std::int64_t span = (a.n + parts - 1) / parts;
  std::vector<float> g(static_cast<std::size_t>(parts) * a.nq * a.k);
  std::vector<std::int64_t> id(g.size());
  std::vector<int> sizes(static_cast<std::size_t>(parts) * a.nq, 0);
  parallel_for(static_cast<std::size_t>(parts), 1, cap, [&](std::size_t p0, std::size_t p1) {
    for (std::size_t p = p0; p < p1; ++p) {
      const std::int64_t r0 = static_cast<std::int64_t>(p) * span, r1 = std::min(a.n, r0 + span);
      for (std::int64_t t = 0; t < tiles; ++t) {
        std::int64_t q0;
        int nqt;
        tile_of(t, q0, nqt);
        Heap h[kQueryTile];
        for (int i = 0; i < nqt; ++i) {
          const std::size_t off = (p * static_cast<std::size_t>(a.nq) + static_cast<std::size_t>(q0 + i)) * a.k;
          h[i] = Heap{g.data() + off, id.data() + off, 0, a.k};
        }
        if (r0 < r1) run_scan(c, q0, nqt, r0, r1, h);
        for (int i = 0; i < nqt; ++i) sizes[p * static_cast<std::size_t>(a.nq) + static_cast<std::size_t>(q0 + i)] = h[i].size;
      }
    }
  });
  std::vector<float> mg(static_cast<std::size_t>(a.k));
  std::vector<std::int64_t> mid(mg.size());
  for (std::int64_t q = 0; q < a.nq; ++q) {
    Heap h{mg.data(), mid.data(), 0, a.k};
    for (int p = 0; p < parts; ++p) {
      const std::size_t slot = static_cast<std::size_t>(p) * a.nq + static_cast<std::size_t>(q);
      const std::size_t off = slot * a.k;
      for (int i = 0; i < sizes[slot]; ++i) push(h, g[off + i], id[off + i]);
    }
    emit(h, a, scores + q * a.k, ids + q * a.k);
  }
}

std::int64_t normalize_rows(float* x, std::int64_t n, int dim) {
  for (std::int64_t r = 0; r < n; ++r) {
    float* v = x + r * dim;
    double s = 0.0;
    for (int d = 0; d < dim; ++d) s += static_cast<double>(v[d]) * v[d];
    if (!(s > 0.0) || !std::isfinite(s)) return r;
    const float inv = static_cast<float>(1.0 / std::sqrt(s));
    for (int d = 0; d < dim; ++d) v[d] *= inv;
  }
  return -1;
}

void flat_row_norms(const float* x, std::int64_t n, int dim, float* out) {
  for (std::int64_t r = 0; r < n; ++r) {
    const float* v = x + r * dim;
    double s = 0.0;
    for (int d = 0; d < dim; ++d) s += static_cast<double>(v[d]) * v[d];
    out[r] = static_cast<float>(s);
  }
}

std::int64_t first_non_finite_row(const float* x, std::int64_t n, int dim) {
  for (std::int64_t r = 0; r < n; ++r)
    for (int d = 0; d < dim; ++d)
      if (!std::isfinite(x[r * dim + d])) return r;
  return -1;
}

}  // namespace audiomill
