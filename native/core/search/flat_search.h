// Exact (brute-force) nearest-neighbour search over stored rows (float32, or compressed: below), as
// FAISS's IndexFlatIP / IndexFlatL2 compute it, without materialising the queries x rows score matrix.
//
// Scores: inner product <q, x> (cosine is the inner product of L2-normalised vectors: the caller
// normalises rows once on add and queries per search with normalize_rows), or the squared L2
// distance |q - x|^2 = |q|^2 + |x|^2 - 2 <q, x> (FAISS's expansion; the row norms are kept).
//
// Kernel: queries are taken a group at a time (kQueryGroup), rows a block at a time (kBlock); a block
// is packed into panels and register-tiled dot products (Q queries x P rows of accumulators, a GEMM
// micro-kernel) fill a score tile whose scores are compared with each query's current k-th best
// (8 lanes at a time) before any reaches its bounded top-k heap. Work is split over threads by
// query groups, or, when there are too few queries, by row ranges with the partial top-k lists merged
// at the end. SSE / AVX2+FMA / AVX-512 clones by the active SIMD level; i8 and bf16 rows run on the
// CPU's matrix unit where one is present (search/scan_accel.h: AVX512-VNNI or AMX tiles,
// util/matrix_unit.h). Internals shared by the kernels are in search/scan.h.
//
// Results are best first: inner product descending, L2 distance ascending; equal scores order by
// the lower row. A query with fewer than k eligible rows gets id -1 and score NaN in the rest.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace audiomill {

enum class SearchMetric : int { InnerProduct = 0, L2 = 1 };
// Row formats (search/quantize.h). F32: float. BF16 / F16: 16-bit floats, widened to float while a
// block is packed and multiplied by the float queries (where AMX is in use, bf16 rows are multiplied
// by the queries rounded to bf16 on the tile unit instead, accumulating in float). I8: per-row int8
// codes and scales; the queries are quantised the same way, the kernel computes the integer dot
// product of the codes (VNNI or AMX where present, else exactly in float for dim <= 1040) and the
// score is that times both scales.
enum class RowStorage : int { F32 = 0, BF16 = 1, F16 = 2, I8 = 3 };

struct FlatSearchArgs {
  const float* rows = nullptr;  // n x dim, row-major (F32)
  const std::uint16_t* rows_u16 = nullptr;  // n x dim (BF16, F16)
  const std::int8_t* rows_i8 = nullptr;  // n x dim codes (I8)
  const float* row_scales = nullptr;  // n scales (I8)
  RowStorage storage = RowStorage::F32;
  std::int64_t n = 0;
  int dim = 0;
  // L2 only: |x_j|^2 per row (n values), as flat_row_norms computes them.
  const float* row_norms = nullptr;
  const float* queries = nullptr;  // nq x dim
  std::int64_t nq = 0;
  int k = 1;
  SearchMetric metric = SearchMetric::InnerProduct;
  // Optional: allow[j] != 0 for rows that may be returned (a filter, or live rows after removals).
  const std::uint8_t* allow = nullptr;
  // Optional: per query, a row never returned for it (its own row in a search by id), or -1.
  const std::int64_t* exclude = nullptr;
};

// Fills scores[nq * k] and ids[nq * k] (rows of k per query, best first). threads = 0: the global cap.
void flat_search(const FlatSearchArgs& a, float* scores, std::int64_t* ids, int threads);

// Every (query, row) pair with score >= threshold (inner product) or distance <= threshold (L2), best
// first per query: query q's matches are ids / scores [lims[q], lims[q + 1]). a.k is ignored.
void flat_range_search(const FlatSearchArgs& a, float threshold, std::vector<std::int64_t>& lims,
                       std::vector<float>& scores, std::vector<std::int64_t>& ids, int threads);

// Exact re-ranking: for each query, the candidate rows cand[q * kscan ...] (-1 = none) scored again
// from float32 rows in float64 (inner product, or squared L2 distance), the best kout kept, best
// first (ties by the lower row), padded with -1 / NaN. `queries` are as searched (normalised for cosine).
void rerank_exact(const float* rows, int dim, const float* queries, std::int64_t nq, const std::int64_t* cand, int kscan,
                  int kout, SearchMetric metric, float* scores, std::int64_t* ids, int threads);

// Scales each of the n rows (dim values) to unit L2 norm, in place. Returns the first row whose
// norm is zero or not finite (left unchanged), or -1 when all rows were normalised.
std::int64_t normalize_rows(float* x, std::int64_t n, int dim);

// |x_j|^2 for n rows, summed in float64 and stored as float.
void flat_row_norms(const float* x, std::int64_t n, int dim, float* out);

// The first row holding a NaN or Inf value, or -1.
std::int64_t first_non_finite_row(const float* x, std::int64_t n, int dim);

}  // namespace audiomill
