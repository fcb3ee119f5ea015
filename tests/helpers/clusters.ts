// Clustered synthetic embeddings for the map tests: `classes` random centres in [-1, 1)^d, each row its class's
// centre plus noise of 0.35 (seeded), classes in turn.
import { rng } from './reference.js';

export function clusters(n: number, d: number, classes: number, seed: number): { x: { data: Float32Array; shape: number[] }; labels: number[] } {
  const r = rng(seed);
  const centres = Array.from({ length: classes }, () => Float32Array.from({ length: d }, () => r()));
  const data = new Float32Array(n * d);
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % classes;
    labels.push(c);
    for (let j = 0; j < d; j++) data[i * d + j] = centres[c]![j]! + 0.35 * r();
  }
  return { x: { data, shape: [n, d] }, labels };
}

/** The share of rows whose nearest other row in a 2-D map has their label. */
export function nearestAgreement(map: ArrayLike<number>, labels: readonly number[]): number {
  const n = labels.length;
  let agree = 0;
  for (let i = 0; i < n; i++) {
    let best = -1, bd = Infinity;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const dd = (map[2 * i]! - map[2 * j]!) ** 2 + (map[2 * i + 1]! - map[2 * j + 1]!) ** 2;
      if (dd < bd) [bd, best] = [dd, j];
    }
    if (labels[best] === labels[i]) agree++;
  }
  return agree / n;
}
