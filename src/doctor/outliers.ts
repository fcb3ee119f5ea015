/**
 * Outliers in embedding space: each clip's cosine distance to its k-th nearest other clip (exact `VectorIndex`
 * search) and a local density score, the k-distance divided by the median k-distance of its k neighbours (1 for a
 * clip as isolated as its neighbourhood, well above 1 for a clip far from a dense region: the idea of the local
 * outlier factor, Breunig et al. 2000, with k-distances in place of reachability distances).
 */
import { readMatrix } from '../eval/inputs.js';
import { VectorIndex } from '../search/vector-index.js';
import { int, typeError } from '../validate.js';

export interface OutliersResult {
  k: number;
  /** Per row: cosine distance (1 − similarity) to the k-th nearest other row. */
  kDistance: Float64Array;
  /** Per row: kDistance ÷ the median kDistance of its k neighbours. */
  score: Float64Array;
  /** Rows by score, highest first. */
  ranking: Int32Array;
}

export async function findOutliers(embeddings: { data: ArrayLike<number>; shape: readonly number[] }, options: { k?: number } = {}): Promise<OutliersResult> {
  if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
  const m = readMatrix(embeddings, 'embeddings', { minRows: 2 });
  const n = m.rows, d = m.cols;
  const k = Math.min(int(options.k ?? 10, 'k', 1, 1000), n - 1);
  const x = Float32Array.from(m.data);
  const index = new VectorIndex({ dim: d, metric: 'cosine' });
  await index.add(x);
  const found = await index.search(x, k, { excludeSelf: true });
  const ids = found.ids as Int32Array;
  const kDistance = new Float64Array(n);
  for (let i = 0; i < n; i++) kDistance[i] = Math.max(0, 1 - found.scores[i * k + k - 1]!);
  const score = new Float64Array(n);
  const near = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) near[j] = kDistance[ids[i * k + j]!]!;
    near.sort();
    const median = k % 2 ? near[(k - 1) / 2]! : (near[k / 2 - 1]! + near[k / 2]!) / 2;
    // A neighbourhood of exact copies (median 0) is floored, so the score stays finite and ranks first.
    score[i] = kDistance[i]! > 0 ? kDistance[i]! / Math.max(median, 1e-6) : 1;
  }
  const ranking = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => score[b]! - score[a]! || a - b);
  return { k, kDistance, score, ranking };
}
