// Exact vector search (search/flat_search.h): the kernel call, sync or async, and the row helpers
// VectorIndex uses on add and load (prepareRows: finiteness, normalisation, bf16, norms).
#pragma once
#include <napi.h>

namespace audiomill {

// Storage codes: 0 f32 (rows a Float32Array), 1 bf16 / 2 f16 (Uint16Array), 3 i8 (Int8Array codes
// plus a Float32Array of row scales); search/quantize.h has the formats.
//
// flatSearch(rows, n, dim, rowNorms: Float32Array | undefined, queries: Float32Array, nq, k,
//            metric (0 inner product, 1 L2), allow: Uint8Array | undefined, exclude: Float64Array | undefined,
//            threads, async, storage, rowScales: Float32Array | undefined,
//            exactRows: Float32Array | undefined, kOut)
//   -> { scores: Float32Array(nq*kOut), ids: Int32Array(nq*kOut) } or its Promise. With exactRows, the k
//   best candidates are scored again from them in float64 and the best kOut kept (rerank_exact).
Napi::Value FlatSearchJs(const Napi::CallbackInfo& info);

// flatRangeSearch(same arguments, with the threshold in place of k) -> { lims: Float64Array(nq + 1),
// ids: Int32Array, scores: Float32Array }: query q's matches are [lims[q], lims[q + 1]), best first.
Napi::Value FlatRangeSearchJs(const Napi::CallbackInfo& info);

// firstNonFiniteRow(x, n, dim) -> the first row holding NaN or Inf, or -1.
Napi::Value FirstNonFiniteRowJs(const Napi::CallbackInfo& info);

// prepareRows(x: Float32Array, n, dim, flags, async) -> { nonFinite, zero, overflow, codes?, scales?, norms? }
// or its Promise: the first non-finite row (or -1; then nothing else is done), then with flags & 1 the
// rows normalised in place (zero: the first zero row, or -1), then the rows in the storage (flags >> 8
// & 3: codes, and scales for i8; overflow: the first row too large for f16, or -1), and with flags & 4
// the |x|^2 of the rows as stored.
Napi::Value PrepareRowsJs(const Napi::CallbackInfo& info);

// storedRowNorms(rows, n, dim, storage, rowScales?) -> Float32Array of |x_j|^2 of stored rows.
Napi::Value StoredRowNormsJs(const Napi::CallbackInfo& info);

}  // namespace audiomill
