// Shared by the vector-search tests: seeded rows and a float64 brute force to compare against.
import { expect } from 'vitest';
import type { SearchResult, VectorMetric } from '../../src/index.js';
import { rng } from './reference.js';

export function randomRows(n: number, dim: number, seed: number): Float32Array {
  const r = rng(seed);
  return Float32Array.from({ length: n * dim }, () => r());
}

/** Float64 scores of every row for one query, as the metric defines them. */
export function exactScores(rows: Float32Array, dim: number, q: Float32Array, metric: VectorMetric): Float64Array {
  const n = rows.length / dim;
  const norm = (v: Float32Array, o: number) => {
    let s = 0;
    for (let j = 0; j < dim; j++) s += v[o + j]! * v[o + j]!;
    return Math.sqrt(s);
  };
  const qn = metric === 'cosine' ? norm(q, 0) : 1;
  const out = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const rn = metric === 'cosine' ? norm(rows, r * dim) : 1;
    let s = 0;
    for (let j = 0; j < dim; j++) {
      const a = rows[r * dim + j]!, b = q[j]!;
      s += metric === 'l2' ? (a - b) * (a - b) : a * b;
    }
    out[r] = metric === 'cosine' ? s / (qn * rn) : s;
  }
  return out;
}

/** Checks one query's results against the float64 ranking: same scores (1e-5), same ids except among near-ties. */
export function expectExact(res: SearchResult, qi: number, exact: Float64Array, metric: VectorMetric, allowed?: (r: number) => boolean) {
  const order = [...exact.keys()].filter((r) => !allowed || allowed(r)).sort((a, b) => (metric === 'l2' ? exact[a]! - exact[b]! : exact[b]! - exact[a]!) || a - b);
  const ids = res.ids as Int32Array;
  for (let i = 0; i < res.k; i++) {
    const got = ids[qi * res.k + i]!;
    const want = order[i]!;
    expect(Math.abs(res.scores[qi * res.k + i]! - exact[want]!)).toBeLessThan(2e-5 * Math.max(1, Math.abs(exact[want]!)));
    if (got !== want) expect(Math.abs(exact[got]! - exact[want]!)).toBeLessThan(1e-6 * Math.max(1, Math.abs(exact[want]!)) + 1e-6);
  }
}
