// Exact vector search (search/flat_search.h): the kernel call, sync or async, and the row helpers
// VectorIndex uses on add and load (prepareRows: finiteness, normalisation, bf16, norms).
#pragma once
#include <napi.h>

namespace audiomill {

// flatSearch(rows: Float32Array | Uint16Array (bf16), n, dim, rowNorms: Float32Array | undefined, queries: Float32Array, nq, k,
//            metric (0 inner product, 1 L2), allow: Uint8Array | undefined, exclude: Float64Array | undefined,
//            threads, async) -> { scores: Float32Array(nq*k), ids: Int32Array(nq*k) } or its Promise.
Napi::Value FlatSearchJs(const Napi::CallbackInfo& info);

// flatRangeSearch(same arguments, with the threshold in place of k) -> { lims: Float64Array(nq + 1),
// ids: Int32Array, scores: Float32Array }: query q's matches are [lims[q], lims[q + 1]), best first.
Napi::Value FlatRangeSearchJs(const Napi::CallbackInfo& info);

// rowNorms(x, n, dim) -> Float32Array of |x_j|^2.
Napi::Value RowNormsJs(const Napi::CallbackInfo& info);

// firstNonFiniteRow(x, n, dim) -> the first row holding NaN or Inf, or -1.
Napi::Value FirstNonFiniteRowJs(const Napi::CallbackInfo& info);

// prepareRows(x: Float32Array, n, dim, flags, async) -> { nonFinite, zero, half?, norms? } or its Promise:
// the first non-finite row (or -1; then nothing else is done), then with flags & 1 the rows normalised in
// place (zero: the first zero row, or -1), & 2 their bf16 copy, & 4 their |x|^2 (of the bf16 rows with & 2).
Napi::Value PrepareRowsJs(const Napi::CallbackInfo& info);

// bf16RowNorms(x: Uint16Array, n, dim) -> Float32Array of |x_j|^2.
Napi::Value Bf16RowNormsJs(const Napi::CallbackInfo& info);

}  // namespace audiomill
