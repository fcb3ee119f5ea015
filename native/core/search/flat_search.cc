#include "search/flat_search.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>
#include <vector>

#include "search/quantize.h"
#include "search/scan.h"
#include "search/scan_accel.h"
#include "util/error.h"
#include "util/isa_clone.h"
#include "util/thread_pool.h"

namespace audiomill {
namespace {

using namespace search_detail;


// The kernel is a GEMM micro-kernel: a block of rows is packed dimension-major into panels of
// P = W * RV rows (panel[d * P + j] = row j's value d, zero past the block's end), then Q queries x
// P rows of accumulators are updated per dimension with one broadcast of each query's value and RV
// vector loads of the panel (outer products: no horizontal sums, the accumulators are the scores).

template <int W>
struct Lanes {
  typedef float V __attribute__((vector_size(W * sizeof(float))));
};

// Stored values as floats: bf16 and f16 widened exactly; i8 codes as integer-valued floats (their
// products, at most 127^2, sum exactly in float up to 1040 dimensions, so the dot product of the
// codes is the same integer the int8 kernels compute).
struct AsF32 {
  AM_INLINE float operator()(float x) const { return x; }
};
struct Bf16ToF32 {
  AM_INLINE float operator()(std::uint16_t b) const { return bf16_to_f32(b); }
};
struct F16ToF32 {
  AM_INLINE float operator()(std::uint16_t h) const { return f16_to_f32(h); }
};
struct I8ToF32 {
  AM_INLINE float operator()(std::int8_t c) const { return static_cast<float>(c); }
};

// Packs rows [b0, b1) (at most kBlock) into float panels of P rows (compressed rows are widened).
template <int P, class T, class Widen>
AM_INLINE void pack_block(const T* rows, int dim, std::int64_t b0, std::int64_t b1, float* packed, Widen widen) {
  constexpr int kSpan = 64;  // compressed rows are widened kSpan dimensions at a time (contiguous: vectorised)
  const std::int64_t m = b1 - b0;
  const std::int64_t panels = (m + P - 1) / P;
  alignas(64) float wide[P][kSpan];
  for (std::int64_t p = 0; p < panels; ++p) {
    float* dst = packed + p * static_cast<std::int64_t>(dim) * P;
    const int j1 = static_cast<int>(std::min<std::int64_t>(P, m - p * P));
    const T* src[P];
    for (int j = 0; j < j1; ++j) src[j] = rows + (b0 + p * P + j) * dim;
    for (int d0 = 0; d0 < dim; d0 += kSpan) {
      const int span = std::min(kSpan, dim - d0);
      const float* from[P];
      for (int j = 0; j < j1; ++j) {
        if constexpr (std::is_same<T, float>::value) {
          from[j] = src[j] + d0;
        } else {
          for (int d = 0; d < span; ++d) wide[j][d] = widen(src[j][d0 + d]);
          from[j] = wide[j];
        }
      }
      // d outer: the writes are sequential and the P source rows are read in step (P lines in L1).
      for (int d = 0; d < span; ++d) {
        float* out = dst + static_cast<std::int64_t>(d0 + d) * P;
        for (int j = 0; j < j1; ++j) out[j] = from[j][d];
        for (int j = j1; j < P; ++j) out[j] = 0.0f;
      }
    }
  }
}

// Scores of Q queries against one packed panel: out[i * P + j] = <q_i, row j>.
template <int W, int RV, int Q>
AM_INLINE void panel_dots(const float* const* q, const float* panel, int dim, float* out) {
  typedef typename Lanes<W>::V V;
  constexpr int P = W * RV;
  V acc[Q][RV];
  for (int i = 0; i < Q; ++i)
    for (int r = 0; r < RV; ++r) acc[i][r] = V{};
  for (int d = 0; d < dim; ++d) {
    V b[RV];
    for (int r = 0; r < RV; ++r) std::memcpy(&b[r], panel + d * P + r * W, sizeof(V));
    for (int i = 0; i < Q; ++i) {
      const float qd = q[i][d];  // vector * scalar: one broadcast (V{} + qd would add 0 first)
      for (int r = 0; r < RV; ++r) acc[i][r] += b[r] * qd;
    }
  }
  for (int i = 0; i < Q; ++i)
    for (int r = 0; r < RV; ++r) std::memcpy(out + i * P + r * W, &acc[i][r], sizeof(V));
}

// Query tile [q0, q0 + Q) against the packed block of rows [b0, b1), into heaps[0 .. Q).
template <int W, int RV, int Q, class Sink>
AM_INLINE void scan_tile(const Context& c, std::int64_t q0, std::int64_t b0, std::int64_t b1, const float* packed,
                         Sink* heaps) {
  constexpr int P = W * RV;
  const FlatSearchArgs& a = *c.a;
  const float* q[Q];
  const float* queries = c.queries();
  for (int i = 0; i < Q; ++i) q[i] = queries + (q0 + i) * a.dim;
  alignas(64) float sc[Q * P];
  for (std::int64_t p0 = b0; p0 < b1; p0 += P) {
    panel_dots<W, RV, Q>(q, packed + (p0 - b0) * a.dim, a.dim, sc);
    update_sinks<P, 1>(c, q0, Q, p0, std::min<std::int64_t>(b1, p0 + P), sc, heaps);
  }
}

// A group of queries [q0, q0 + nqg) against rows [r0, r1): row blocks outer (each block packed
// once and kept in cache while every query tile of the group passes over it), tiles of QT inner.
template <int W, int RV, int QT, class Sink>
AM_INLINE void scan_group(const Context& c, std::int64_t q0, int nqg, std::int64_t r0, std::int64_t r1, Sink* heaps) {
  const FlatSearchArgs& a = *c.a;
  constexpr int P = W * RV;
  thread_local std::vector<float> packed;
  packed.resize(static_cast<std::size_t>(kBlock) * static_cast<std::size_t>(a.dim));
  for (std::int64_t b0 = r0; b0 < r1; b0 += kBlock) {
    const std::int64_t b1 = std::min(r1, b0 + kBlock);
    switch (a.storage) {
      case RowStorage::BF16: pack_block<P>(a.rows_u16, a.dim, b0, b1, packed.data(), Bf16ToF32{}); break;
      case RowStorage::F16: pack_block<P>(a.rows_u16, a.dim, b0, b1, packed.data(), F16ToF32{}); break;
      case RowStorage::I8: pack_block<P>(a.rows_i8, a.dim, b0, b1, packed.data(), I8ToF32{}); break;
      default: pack_block<P>(a.rows, a.dim, b0, b1, packed.data(), AsF32{}); break;
    }
    int i = 0;
    for (; i + QT <= nqg; i += QT) scan_tile<W, RV, QT, Sink>(c, q0 + i, b0, b1, packed.data(), heaps + i);
    if (nqg - i >= 8) {
      scan_tile<W, RV, 8, Sink>(c, q0 + i, b0, b1, packed.data(), heaps + i);
      i += 8;
    }
    if (nqg - i >= 4) {
      scan_tile<W, RV, 4, Sink>(c, q0 + i, b0, b1, packed.data(), heaps + i);
      i += 4;
    }
    if (nqg - i >= 2) {
      scan_tile<W, RV, 2, Sink>(c, q0 + i, b0, b1, packed.data(), heaps + i);
      i += 2;
    }
    if (nqg - i == 1) scan_tile<W, RV, 1, Sink>(c, q0 + i, b0, b1, packed.data(), heaps + i);
  }
}

template <class Sink>
using ScanFn = void (*)(const Context&, std::int64_t, int, std::int64_t, std::int64_t, Sink*);
// Tiles of QT queries x P rows: SSE 4 x 8 (8 accumulators of 16 registers), AVX2 6 x 16 (12 of 16),
// AVX-512 12 x 32 (24 of 32), plus the panel vectors and one broadcast.
template <class Sink>
void scan_base(const Context& c, std::int64_t q0, int nqg, std::int64_t r0, std::int64_t r1, Sink* h) {
  scan_group<4, 2, 4>(c, q0, nqg, r0, r1, h);
}
#if defined(AM_ISA_CLONES)
template <class Sink>
__attribute__((target("avx2,fma"))) void scan_avx2(const Context& c, std::int64_t q0, int nqg, std::int64_t r0,
                                                   std::int64_t r1, Sink* h) {
  scan_group<8, 2, 6>(c, q0, nqg, r0, r1, h);
}
template <class Sink>
__attribute__((target("avx512f,avx512dq,avx2,fma"))) void scan_avx512(const Context& c, std::int64_t q0, int nqg,
                                                                     std::int64_t r0, std::int64_t r1, Sink* h) {
  scan_group<16, 2, 12>(c, q0, nqg, r0, r1, h);
}
#endif

template <class Sink>
void run_scan(const Context& c, std::int64_t q0, int nqg, std::int64_t r0, std::int64_t r1, Sink* h) {
  if (accel_scan(c, q0, nqg, r0, r1, h)) return;  // a matrix unit (VNNI, AMX) where one applies
#if defined(AM_ISA_CLONES)
  isa_dispatch<ScanFn<Sink>>(scan_base<Sink>, scan_avx2<Sink>, scan_avx512<Sink>, c, q0, nqg, r0, r1, h);
#else
  scan_base<Sink>(c, q0, nqg, r0, r1, h);
#endif
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

// Checks a search's sizes and buffers (nq > 0) and builds its context: the query norms for L2.
Context make_context(const FlatSearchArgs& a) {
  const void* rows = a.storage == RowStorage::F32 ? static_cast<const void*>(a.rows)
                     : a.storage == RowStorage::I8 ? static_cast<const void*>(a.rows_i8)
                                                   : static_cast<const void*>(a.rows_u16);
  if ((a.n > 0 && !rows) || !a.queries) throw CoreError("INVALID_ARGUMENT", "null search buffer");
  if (a.metric == SearchMetric::L2 && a.n > 0 && !a.row_norms) throw CoreError("INVALID_ARGUMENT", "L2 search needs row norms");
  if (a.storage == RowStorage::I8 && a.n > 0 && !a.row_scales) throw CoreError("INVALID_ARGUMENT", "i8 search needs row scales");
  Context c;
  c.a = &a;
  if (a.metric == SearchMetric::L2) {
    c.qnorm.resize(static_cast<std::size_t>(a.nq));
    flat_row_norms(a.queries, a.nq, a.dim, c.qnorm.data());
  }
  if (a.storage == RowStorage::I8) {  // the queries are quantised like the rows
    const std::size_t count = static_cast<std::size_t>(a.nq) * static_cast<std::size_t>(a.dim);
    c.qcodes.resize(count);
    c.qscale.resize(static_cast<std::size_t>(a.nq));
    quantize_i8_rows(a.queries, a.nq, a.dim, c.qcodes.data(), c.qscale.data());
  }
  prepare_accel(c);
  // The float kernels multiply i8 codes as floats; a matrix unit reads its own packing of them.
  if (a.storage == RowStorage::I8 && c.unit == MatrixUnit::None) c.qcodes_f.assign(c.qcodes.begin(), c.qcodes.end());
  return c;
}

// How a search is spread over threads: whole query groups per thread when there are enough of them
// (or few rows, or one thread), else one row range per thread with the partial results merged.
struct Split {
  std::int64_t groups;
  int cap;
  bool by_groups;
};

Split split_of(const FlatSearchArgs& a, int threads) {
  const std::int64_t groups = (a.nq + kQueryGroup - 1) / kQueryGroup;
  const int cap = threads > 0 ? std::min(threads, max_threads()) : max_threads();
  return {groups, cap, groups >= 2 * cap || a.n < 4 * kBlock || cap == 1};
}

}  // namespace

void flat_search(const FlatSearchArgs& a, float* scores, std::int64_t* ids, int threads) {
  if (a.dim <= 0 || a.k <= 0 || a.n < 0 || a.nq < 0) throw CoreError("INVALID_ARGUMENT", "bad search sizes");
  if (a.nq == 0) return;
  if (!scores || !ids) throw CoreError("INVALID_ARGUMENT", "null search buffer");
  const Context c = make_context(a);
  const Split sp = split_of(a, threads);
  const std::int64_t groups = sp.groups;
  const int cap = sp.cap;
  const auto group_of = [&](std::int64_t t, std::int64_t& q0, int& nqg) {
    q0 = t * kQueryGroup;
    nqg = static_cast<int>(std::min<std::int64_t>(kQueryGroup, a.nq - q0));
  };
  if (sp.by_groups) {
    // Enough queries: each thread takes whole query groups.
    parallel_for(static_cast<std::size_t>(groups), 1, cap, [&](std::size_t t0, std::size_t t1) {
      std::vector<float> g(static_cast<std::size_t>(kQueryGroup) * a.k);
      std::vector<std::int64_t> id(g.size());
      std::vector<Heap> h(kQueryGroup);
      for (std::size_t t = t0; t < t1; ++t) {
        std::int64_t q0;
        int nqg;
        group_of(static_cast<std::int64_t>(t), q0, nqg);
        for (int i = 0; i < nqg; ++i) h[static_cast<std::size_t>(i)] = Heap{g.data() + i * a.k, id.data() + i * a.k, 0, a.k};
        run_scan(c, q0, nqg, 0, a.n, h.data());
        for (int i = 0; i < nqg; ++i) emit(h[static_cast<std::size_t>(i)], a, scores + (q0 + i) * a.k, ids + (q0 + i) * a.k);
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
    std::vector<Heap> h(kQueryGroup);
    for (std::size_t p = p0; p < p1; ++p) {
      const std::int64_t r0 = static_cast<std::int64_t>(p) * span, r1 = std::min(a.n, r0 + span);
      for (std::int64_t t = 0; t < groups; ++t) {
        std::int64_t q0;
        int nqg;
        group_of(t, q0, nqg);
        for (int i = 0; i < nqg; ++i) {
          const std::size_t off = (p * static_cast<std::size_t>(a.nq) + static_cast<std::size_t>(q0 + i)) * a.k;
          h[static_cast<std::size_t>(i)] = Heap{g.data() + off, id.data() + off, 0, a.k};
        }
        if (r0 < r1) run_scan(c, q0, nqg, r0, r1, h.data());
        for (int i = 0; i < nqg; ++i)
          sizes[p * static_cast<std::size_t>(a.nq) + static_cast<std::size_t>(q0 + i)] = h[static_cast<std::size_t>(i)].size;
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

void flat_range_search(const FlatSearchArgs& a, float threshold, std::vector<std::int64_t>& lims,
                       std::vector<float>& scores, std::vector<std::int64_t>& ids, int threads) {
  if (a.dim <= 0 || a.n < 0 || a.nq < 0) throw CoreError("INVALID_ARGUMENT", "bad search sizes");
  lims.assign(static_cast<std::size_t>(a.nq) + 1, 0);
  scores.clear();
  ids.clear();
  if (a.nq == 0 || a.n == 0) return;
  const Context c = make_context(a);
  const float g = a.metric == SearchMetric::L2 ? -threshold : threshold;  // goodness >= g
  const Split sp = split_of(a, threads);
  const std::int64_t groups = sp.groups;
  const int cap = sp.cap;
  const bool by_groups = sp.by_groups;
  const int parts = by_groups ? 1 : cap;
  const std::int64_t span = (a.n + parts - 1) / parts;
  std::vector<RangeSink> sinks(static_cast<std::size_t>(parts) * static_cast<std::size_t>(a.nq));
  for (RangeSink& r : sinks) r.threshold = g;
  const std::size_t jobs = by_groups ? static_cast<std::size_t>(groups) : static_cast<std::size_t>(parts);
  parallel_for(jobs, 1, cap, [&](std::size_t j0, std::size_t j1) {
    for (std::size_t j = j0; j < j1; ++j) {
      const std::size_t part = by_groups ? 0 : j;
      const std::int64_t r0 = static_cast<std::int64_t>(part) * span, r1 = std::min(a.n, r0 + span);
      for (std::int64_t t = by_groups ? static_cast<std::int64_t>(j) : 0; t < (by_groups ? static_cast<std::int64_t>(j) + 1 : groups); ++t) {
        const std::int64_t q0 = t * kQueryGroup;
        const int nqg = static_cast<int>(std::min<std::int64_t>(kQueryGroup, a.nq - q0));
        if (r0 < r1) run_scan(c, q0, nqg, r0, r1, sinks.data() + part * static_cast<std::size_t>(a.nq) + static_cast<std::size_t>(q0));
      }
    }
  });
  std::vector<std::pair<float, std::int64_t>> hits;
  for (std::int64_t q = 0; q < a.nq; ++q) {
    hits.clear();
    for (int p = 0; p < parts; ++p) {
      const auto& h = sinks[static_cast<std::size_t>(p) * static_cast<std::size_t>(a.nq) + static_cast<std::size_t>(q)].hits;
      hits.insert(hits.end(), h.begin(), h.end());
    }
    std::sort(hits.begin(), hits.end(), [](const auto& x, const auto& y) { return worse(y.first, y.second, x.first, x.second); });
    for (const auto& h : hits) {
      scores.push_back(a.metric == SearchMetric::L2 ? -h.first : h.first);
      ids.push_back(h.second);
    }
    lims[static_cast<std::size_t>(q) + 1] = static_cast<std::int64_t>(ids.size());
  }
}

void rerank_exact(const float* rows, int dim, const float* queries, std::int64_t nq, const std::int64_t* cand, int kscan,
                  int kout, SearchMetric metric, float* scores, std::int64_t* ids, int threads) {
  if (dim <= 0 || kscan <= 0 || kout <= 0 || kout > kscan || nq < 0) throw CoreError("INVALID_ARGUMENT", "bad re-rank sizes");
  const bool l2 = metric == SearchMetric::L2;
  const int cap = threads > 0 ? std::min(threads, max_threads()) : max_threads();
  parallel_for(static_cast<std::size_t>(nq), 16, cap, [&](std::size_t q0, std::size_t q1) {
    std::vector<std::pair<double, std::int64_t>> c;
    for (std::size_t q = q0; q < q1; ++q) {
      const float* v = queries + q * static_cast<std::size_t>(dim);
      c.clear();
      const std::int64_t* cq = cand + q * static_cast<std::size_t>(kscan);
      for (int i = 0; i < kscan; ++i) {
        const std::int64_t r = cq[i];
        if (r < 0) continue;
        // The candidates are scattered over the rows: fetch the next one while this one is scored.
        if (i + 1 < kscan && cq[i + 1] >= 0)
          for (int d = 0; d < dim; d += 16) __builtin_prefetch(rows + cq[i + 1] * dim + d);
        const float* x = rows + r * dim;
        double acc[4] = {0.0, 0.0, 0.0, 0.0};  // four chains: the adds overlap
        int d = 0;
        for (; d + 4 <= dim; d += 4)
          for (int u = 0; u < 4; ++u) {
            const double t = l2 ? static_cast<double>(x[d + u]) - v[d + u] : static_cast<double>(x[d + u]) * v[d + u];
            acc[u] += l2 ? t * t : t;
          }
        for (; d < dim; ++d) {
          const double t = l2 ? static_cast<double>(x[d]) - v[d] : static_cast<double>(x[d]) * v[d];
          acc[0] += l2 ? t * t : t;
        }
        const double s = (acc[0] + acc[1]) + (acc[2] + acc[3]);
        c.emplace_back(l2 ? -s : s, r);  // goodness
      }
      std::sort(c.begin(), c.end(), [](const auto& a, const auto& b) { return a.first > b.first || (a.first == b.first && a.second < b.second); });
      for (int i = 0; i < kout; ++i) {
        const std::size_t o = q * static_cast<std::size_t>(kout) + static_cast<std::size_t>(i);
        const bool have = static_cast<std::size_t>(i) < c.size();
        scores[o] = have ? static_cast<float>(l2 ? -c[static_cast<std::size_t>(i)].first : c[static_cast<std::size_t>(i)].first) : std::numeric_limits<float>::quiet_NaN();
        ids[o] = have ? c[static_cast<std::size_t>(i)].second : -1;
      }
    }
  });
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
