/** The first principal coordinates of a matrix's rows: the start of the explorer's map layouts (UMAP, t-SNE). */
import { gramCols, matmulABt } from '../eval/linalg.js';

/**
 * The rows' coordinates on the first `dim` principal axes (n x dim), by subspace iteration on the covariance (a
 * start for the layout: converged to the axes' directions, each signed so its largest loading is positive).
 */
export function principalCoordinates(x: Float64Array, n: number, d: number, dim: number): Float64Array {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] = mean[j]! + x[i * d + j]! / n;
  // The centred rows a block at a time (memory: one block, not a second copy of the matrix).
  const block = Math.max(1, Math.floor(2 ** 21 / d));
  const centred = (r0: number, r1: number) => Float64Array.from(x.subarray(r0 * d, r1 * d), (v, idx) => v - mean[idx % d]!);
  const cov = new Float64Array(d * d);
  for (let r0 = 0; r0 < n; r0 += block) {
    const r1 = Math.min(n, r0 + block);
    const g = gramCols(centred(r0, r1), r1 - r0, d);
    for (let i = 0; i < d * d; i++) cov[i] = cov[i]! + g[i]!;
  }
  let v = new Float64Array(d * dim); // dim columns, stored as rows
  for (let c = 0; c < dim; c++) for (let j = 0; j < d; j++) v[c * d + j] = Math.sin(1 + 7 * c + 13 * j); // a fixed start
  for (let it = 0; it < 300; it++) {
    const next = new Float64Array(d * dim);
    for (let c = 0; c < dim; c++) {
      for (let r = 0; r < d; r++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += cov[r * d + j]! * v[c * d + j]!;
        next[c * d + r] = s;
      }
      // Gram-Schmidt against the columns before it.
      for (let q = 0; q < c; q++) {
        let dot = 0;
        for (let j = 0; j < d; j++) dot += next[c * d + j]! * next[q * d + j]!;
        for (let j = 0; j < d; j++) next[c * d + j] = next[c * d + j]! - dot * next[q * d + j]!;
      }
      let norm = 0;
      for (let j = 0; j < d; j++) norm += next[c * d + j]! ** 2;
      norm = Math.sqrt(norm) || 1;
      for (let j = 0; j < d; j++) next[c * d + j] = next[c * d + j]! / norm;
    }
    let change = 0;
    for (let i = 0; i < d * dim; i++) change = Math.max(change, Math.abs(Math.abs(next[i]!) - Math.abs(v[i]!)));
    v = next;
    if (change < 1e-10) break;
  }
  for (let c = 0; c < dim; c++) {
    let big = 0;
    for (let j = 0; j < d; j++) if (Math.abs(v[c * d + j]!) > Math.abs(v[c * d + big]!)) big = j;
    if (v[c * d + big]! < 0) for (let j = 0; j < d; j++) v[c * d + j] = -v[c * d + j]!;
  }
  const out = new Float64Array(n * dim);
  for (let r0 = 0; r0 < n; r0 += block) {
    const r1 = Math.min(n, r0 + block);
    out.set(matmulABt(centred(r0, r1), r1 - r0, d, v, dim), r0 * dim);
  }
  return out;
}
