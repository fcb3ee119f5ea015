// Internal to the search kernels (flat_search.cc, scan_accel.cc): the per-query result sinks (a
// bounded top-k heap, or a range list), the context a search shares across threads, and the step
// every kernel ends a panel with, update_sinks (scores -> sinks, with the filters applied).
#pragma once
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <utility>
#include <vector>

#include "search/flat_search.h"
#include "util/isa_clone.h"
#include "util/matrix_unit.h"

namespace audiomill {
namespace search_detail {

constexpr int kQueryGroup = 1024;     // queries that pass over a row block while it is in cache
constexpr std::int64_t kBlock = 128;  // rows per block (a multiple of every panel and tile; 384 KB of f32 at 768-d)

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
inline void sort_best_first(Heap& h) {
  std::vector<std::pair<float, std::int64_t>> v(static_cast<std::size_t>(h.size));
  for (int i = 0; i < h.size; ++i) v[static_cast<std::size_t>(i)] = {h.g[i], h.id[i]};
  std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return worse(b.first, b.second, a.first, a.second); });
  for (int i = 0; i < h.size; ++i) {
    h.g[i] = v[static_cast<std::size_t>(i)].first;
    h.id[i] = v[static_cast<std::size_t>(i)].second;
  }
}

// What a search shares across threads: its arguments and what make_context derived from them.
struct Context {
  const FlatSearchArgs* a;
  std::vector<float> qnorm;  // L2: |q|^2 per query
  // i8 storage: per query, its int8 codes (nq x dim, row-major) and scale; scores are then
  // dot * qscale[q] * row_scales[j]. The float kernels multiply the codes as floats (qcodes_f).
  std::vector<std::int8_t> qcodes;
  std::vector<float> qcodes_f;
  std::vector<float> qscale;
  // The matrix unit this search runs on (scan_accel.cc), the dimension padded to its 64-byte K
  // chunk, and the queries packed for it.
  MatrixUnit unit = MatrixUnit::None;
  int dpad = 0;
  std::vector<std::uint8_t> qpacked;

  // The float queries the float kernels multiply.
  const float* queries() const { return qcodes_f.empty() ? a->queries : qcodes_f.data(); }
};

// Every pair with a goodness at or above `threshold` (range search).
struct RangeSink {
  std::vector<std::pair<float, std::int64_t>> hits;
  float threshold = 0.0f;
};

// Whether a candidate can enter the sink (checked before the filters: the common case is a no).
AM_INLINE bool accepts(const Heap& h, float g, std::int64_t j) { return h.size < h.k || worse(h.g[0], h.id[0], g, j); }
AM_INLINE bool accepts(const RangeSink& r, float g, std::int64_t) { return g >= r.threshold; }
AM_INLINE void add(Heap& h, float g, std::int64_t j) { push(h, g, j); }
AM_INLINE void add(RangeSink& r, float g, std::int64_t j) { r.hits.emplace_back(g, j); }

// The lowest goodness a sink may still take (ties are decided by accepts()).
AM_INLINE float floor_of(const Heap& h) { return h.size < h.k ? -std::numeric_limits<float>::infinity() : h.g[0]; }
AM_INLINE float floor_of(const RangeSink& r) { return r.threshold; }

// Offers candidate (g, j) to query q's sink, after its exclusions; returns the sink's new floor.
template <class Sink>
AM_INLINE float offer(const FlatSearchArgs& a, std::int64_t q, Sink& h, float g, std::int64_t j) {
  if (accepts(h, g, j) && !(a.exclude && a.exclude[q] == j) && !(a.allow && !a.allow[j])) add(h, g, j);
  return floor_of(h);
}

// 8 lanes of goodness at a time (GCC / Clang vector extensions: the SIMD width of the clone). The
// helpers are always inlined, so the vector ABI of a baseline build (-Wpsabi, off in the files that
// include this one) never applies.
#pragma GCC diagnostic ignored "-Wpsabi"
typedef float F8 __attribute__((vector_size(32)));
typedef int I8v __attribute__((vector_size(32)));
typedef long long L4 __attribute__((vector_size(32)));

AM_INLINE F8 load8(const float* p) {
  F8 v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
AM_INLINE F8 splat8(float x) { return F8{} + x; }
AM_INLINE bool any8(const I8v& m) {
  const L4 l = reinterpret_cast<L4>(m);
  return (l[0] | l[1] | l[2] | l[3]) != 0;
}

// Scores as goodness: the inner product (i8: the codes' dot product times both scales), or minus the
// squared distance (clamped at 0 like FAISS).
template <bool L2, bool SCALED>
AM_INLINE F8 goodness8(const F8& score, const F8& qs, const F8& rs, const F8& qn, const F8& rn) {
  const F8 s = SCALED ? score * qs * rs : score;
  if (!L2) return s;
  const F8 d = qn + rn - 2.0f * s;
  return -(d > 0.0f ? d : F8{});
}

// The scores of queries q0 + i (i < nqt) against rows [p0, p1), sc[i * SI + (j - p0) * SJ], into their
// sinks. Goodness is computed 8 lanes at a time and compared with each sink's floor; only the rare
// scores that beat a floor reach the sinks.
template <int SI, int SJ, bool L2, bool SCALED, class Sink>
AM_INLINE void update_sinks_as(const Context& c, std::int64_t q0, int nqt, std::int64_t p0, std::int64_t p1, const float* sc,
                               Sink* sinks) {
  const FlatSearchArgs& a = *c.a;
  constexpr float kInf = std::numeric_limits<float>::infinity();
  const int m = static_cast<int>(p1 - p0);
  if constexpr (SI == 1) {
    // [row][query]: per row, the SJ queries against their floors.
    constexpr int N = SJ;
    static_assert(N % 8 == 0, "query lanes come in 8s");
    alignas(32) float floor[N], qsv[N] = {}, qnv[N] = {}, g[N];
    for (int i = 0; i < N; ++i) {
      floor[i] = i < nqt ? floor_of(sinks[i]) : kInf;
      if (SCALED && i < nqt) qsv[i] = c.qscale[static_cast<std::size_t>(q0 + i)];
      if (L2 && i < nqt) qnv[i] = c.qnorm[static_cast<std::size_t>(q0 + i)];
    }
    for (int r = 0; r < m; ++r) {
      const std::int64_t j = p0 + r;
      const float* s = sc + r * SJ;
      const F8 rs = splat8(SCALED ? a.row_scales[j] : 0.0f), rn = splat8(L2 ? a.row_norms[j] : 0.0f);
      I8v hit{};
      for (int i = 0; i < N; i += 8) {
        const F8 gv = goodness8<L2, SCALED>(load8(s + i), load8(qsv + i), rs, load8(qnv + i), rn);
        std::memcpy(g + i, &gv, sizeof gv);
        hit |= gv >= load8(floor + i);
      }
      if (!any8(hit)) continue;
      for (int i = 0; i < nqt; ++i)
        if (g[i] >= floor[i]) floor[i] = offer(a, q0 + i, sinks[i], g[i], j);
    }
  } else {
    // [query][row]: per query, its row of SI scores against its floor.
    static_assert(SJ == 1, "scores are [query][row] or [row][query]");
    constexpr int N = SI;
    static_assert(N % 8 == 0, "row lanes come in 8s");
    alignas(32) float rsv[N] = {}, rnv[N] = {}, g[N];
    for (int r = 0; r < N; ++r) {
      const std::int64_t j = p0 + std::min(r, m - 1);  // lanes past p1 repeat the last row (and are masked)
      if (SCALED) rsv[r] = a.row_scales[j];
      if (L2) rnv[r] = a.row_norms[j];
    }
    for (int i = 0; i < nqt; ++i) {
      Sink& h = sinks[i];
      float floor = floor_of(h);
      const F8 qs = splat8(SCALED ? c.qscale[static_cast<std::size_t>(q0 + i)] : 0.0f);
      const F8 qn = splat8(L2 ? c.qnorm[static_cast<std::size_t>(q0 + i)] : 0.0f);
      const float* s = sc + i * SI;
      const F8 fl = splat8(floor);
      I8v hit{};
      for (int r = 0; r < N; r += 8) {
        const F8 gv = goodness8<L2, SCALED>(load8(s + r), qs, load8(rsv + r), qn, load8(rnv + r));
        std::memcpy(g + r, &gv, sizeof gv);
        const I8v lane = I8v{0, 1, 2, 3, 4, 5, 6, 7} + r;
        hit |= (gv >= fl) & (lane < m);
      }
      if (!any8(hit)) continue;
      for (int r = 0; r < m; ++r)
        if (g[r] >= floor) floor = offer(a, q0 + i, h, g[r], p0 + r);
    }
  }
}

template <int SI, int SJ, class Sink>
AM_INLINE void update_sinks(const Context& c, std::int64_t q0, int nqt, std::int64_t p0, std::int64_t p1, const float* sc,
                            Sink* sinks) {
  const bool l2 = c.a->metric == SearchMetric::L2, scaled = !c.qscale.empty();
  if (l2 && scaled) update_sinks_as<SI, SJ, true, true>(c, q0, nqt, p0, p1, sc, sinks);
  else if (l2) update_sinks_as<SI, SJ, true, false>(c, q0, nqt, p0, p1, sc, sinks);
  else if (scaled) update_sinks_as<SI, SJ, false, true>(c, q0, nqt, p0, p1, sc, sinks);
  else update_sinks_as<SI, SJ, false, false>(c, q0, nqt, p0, p1, sc, sinks);
}

}  // namespace search_detail
}  // namespace audiomill
