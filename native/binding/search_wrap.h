// Exact vector search (search/flat_search.h): the kernel call, sync or async, and the row helpers
// VectorIndex uses on add (normalisation, norms, finiteness).
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

// normalizeRows(x: Float32Array, n, dim) -> the first row that could not be normalised (zero or
// non-finite norm), or -1; the others are scaled to unit norm in place.
Napi::Value NormalizeRowsJs(const Napi::CallbackInfo& info);

// rowNorms(x, n, dim) -> Float32Array of |x_j|^2.
Napi::Value RowNormsJs(const Napi::CallbackInfo& info);

// firstNonFiniteRow(x, n, dim) -> the first row holding NaN or Inf, or -1.
Napi::Value FirstNonFiniteRowJs(const Napi::CallbackInfo& info);

// f32ToBf16(x: Float32Array) -> Uint16Array of bfloat16 (round to nearest even).
Napi::Value F32ToBf16Js(const Napi::CallbackInfo& info);

// bf16RowNorms(x: Uint16Array, n, dim) -> Float32Array of |x_j|^2.
Napi::Value Bf16RowNormsJs(const Napi::CallbackInfo& info);

}  // namespace audiomill
