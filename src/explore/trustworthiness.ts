/**
 * How faithfully a 2-D map (or any lower-dimensional embedding) keeps each point's neighbours: scikit-learn's
 * `sklearn.manifold.trustworthiness`, equal to it on golden fixtures. Definition: docs/explore.md.
 */
import { gemmNT } from '../linalg/dense.js';
import { readMatrix, type MatrixLike } from '../eval/inputs.js';
import { int, oneOf, rangeError, typeError } from '../validate.js';

export interface TrustworthinessOptions {
  /** Neighbours compared (default 5, scikit-learn's); less than half the points. */
  nNeighbors?: number;
  /** Distance in the original space: 'euclidean' (default) or 'cosine'. The map's is always euclidean. */
  metric?: 'euclidean' | 'cosine';
}

/** Rows of the original space's distances (or a monotone function of them) from rows [r0, r1) to every row. */
function distanceRows(x: Float64Array, n: number, d: number, norms: Float64Array, r0: number, r1: number, cosine: boolean): Float64Array {
  const g = gemmNT(x.subarray(r0 * d, r1 * d), r1 - r0, d, x, n);
  for (let i = r0; i < r1; i++) {
    const row = g.subarray((i - r0) * n, (i - r0 + 1) * n);
    for (let j = 0; j < n; j++) {
      // Squared euclidean distance (its order is the distance's), or cosine distance 1 - cos (scikit-learn clips both).
      row[j] = cosine ? Math.min(2, Math.max(0, 1 - row[j]! / (Math.sqrt(norms[i]!) * Math.sqrt(norms[j]!) || 1))) : Math.max(0, norms[i]! + norms[j]! - 2 * row[j]!);
    }
    row[i] = Infinity; // a point is never its own neighbour
  }
  return g;
}

/**
 * T(k) = 1 − 2 / (n k (2n − 3k − 1)) · Σᵢ Σ_{j ∈ Nₖ(i) in the map} max(0, r(i, j) − k), where r(i, j) is j's rank
 * among i's neighbours in the original space (1 = nearest). 1 means every map neighbour is a true neighbour.
 * O(n² · d): for large sets, score a seeded sample of the points.
 */
export function trustworthiness(x: MatrixLike, embedded: MatrixLike, options: TrustworthinessOptions = {}): number {
  if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
  const a = readMatrix(x, 'x', { minRows: 3 });
  const e = readMatrix(embedded, 'embedded');
  if (e.rows !== a.rows) throw rangeError(`one embedded row per row of x (${a.rows})`, 'embedded', `${e.rows} rows`);
  const n = a.rows;
  const k = int(options.nNeighbors ?? 5, 'nNeighbors', 1);
  if (k >= n / 2) throw rangeError(`fewer than half the points (${n / 2})`, 'nNeighbors', k);
  const cosine = oneOf(options.metric ?? 'euclidean', 'metric', ['euclidean', 'cosine'] as const) === 'cosine';
  const d = a.cols;
  const norms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += a.data[i * d + j]! * a.data[i * d + j]!;
    norms[i] = s;
  }
  // Each point's k nearest in the map (ties: the lower index first).
  const m = e.cols;
  const near = new Int32Array(n * k);
  const best = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    best.fill(Infinity);
    const ids = near.subarray(i * k, (i + 1) * k).fill(-1);
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let s = 0;
      for (let c = 0; c < m; c++) {
        const t = e.data[i * m + c]! - e.data[j * m + c]!;
        s += t * t;
      }
      if (s >= best[k - 1]!) continue;
      let q = k - 1;
      while (q > 0 && best[q - 1]! > s) {
        best[q] = best[q - 1]!;
        ids[q] = ids[q - 1]!;
        q--;
      }
      best[q] = s;
      ids[q] = j;
    }
  }
  // Ranks in the original space, in blocks of rows (ties: the lower index first, as a stable sort).
  let t = 0;
  const block = Math.max(1, Math.min(n, Math.floor(2 ** 22 / n)));
  for (let r0 = 0; r0 < n; r0 += block) {
    const r1 = Math.min(n, r0 + block);
    const dist = distanceRows(a.data, n, d, norms, r0, r1, cosine);
    for (let i = r0; i < r1; i++) {
      const row = dist.subarray((i - r0) * n, (i - r0 + 1) * n);
      for (let q = 0; q < k; q++) {
        const j = near[i * k + q]!;
        const dj = row[j]!;
        let rank = 1;
        for (let c = 0; c < n; c++) if (row[c]! < dj || (row[c] === dj && c < j)) rank++;
        if (rank > k) t += rank - k;
      }
    }
  }
  return 1 - (t * 2) / (n * k * (2 * n - 3 * k - 1));
}
