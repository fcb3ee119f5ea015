/**
 * The map layouts of the C++ core (`native/core/explore/`): UMAP's and t-SNE's optimisation, for the explorer's maps
 * (`src/explore/`). Internal building block (not exported from the package root): the callers build the graph or P
 * and validate their options; these wrappers only hand them over, as Promises (the work runs off the event loop).
 */
import { awaitNative } from '../errors.js';
import { native } from '../native/load.js';
import type { NativeTsneOptions, NativeUmapOptions } from '../native/binding.js';

/** UMAP's layout from `start` (n x dim) over the edges head[e] -> tail[e], each sampled every epochsPerSample[e] epochs. */
export function umapLayout(start: Float32Array, head: Int32Array, tail: Int32Array, epochsPerSample: Float64Array, options: NativeUmapOptions): Promise<Float32Array> {
  return awaitNative(() => native().umapOptimize(start, head, tail, epochsPerSample, options, true));
}

/** t-SNE's layout from `start` (n x dim) for P in CSR form by row; the final KL divergence with it. */
export function tsneLayout(start: Float64Array, offsets: Int32Array, columns: Int32Array, values: Float64Array, options: NativeTsneOptions): Promise<{ embedding: Float64Array; kl: number }> {
  return awaitNative(() => native().tsneOptimize(start, offsets, columns, values, options, true));
}
