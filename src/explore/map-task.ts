/**
 * The explorer's main-thread-heavy map work as plain-data tasks for a worker thread (map-worker.ts): the PCA map of
 * the embeddings (scikit-learn's `PCA`, two components) and the trustworthiness of a map on a sample of rows.
 */
import { PCA } from '../eval/models/pca.js';
import { trustworthiness } from './trustworthiness.js';

export type MapTask =
  | { kind: 'pca'; x: Float32Array; n: number; d: number; warnings?: boolean }
  | { kind: 'trust'; x: Float32Array; embedded: Float64Array; n: number; d: number; k: number; warnings?: boolean };

export interface MapResult {
  /** pca: n x 2 coordinates and the two explained variance ratios. */
  coords?: Float64Array;
  ratios?: number[];
  /** trust: the score. */
  value?: number;
}

export function runMapTask(t: MapTask): MapResult {
  if (t.kind === 'pca') {
    const X = { data: t.x, shape: [t.n, t.d] };
    const pca = new PCA({ nComponents: 2 }).fit(X);
    return { coords: pca.transform(X).data, ratios: Array.from(pca.explainedVarianceRatio) };
  }
  return { value: trustworthiness({ data: t.x, shape: [t.n, t.d] }, { data: t.embedded, shape: [t.n, 2] }, { nNeighbors: t.k }) };
}
