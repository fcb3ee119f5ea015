#!/usr/bin/env node
/**
 * Vector search at scale (`node bench/search-scale.mjs [N=1000000] [storage=f32|bf16]`): builds a
 * cosine VectorIndex of N random 768-d vectors (added in chunks of 50,000), then times 200 queries,
 * k = 20, with 1 and 2 threads (best of 2 after a warm-up). Prints the add time, the search times,
 * the row bytes and the process's peak RSS. No peer: this is the scaling and memory figure.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { BENCH_DIR, makeRng } from './signal.mjs';

const am = createRequire(import.meta.url)(join(BENCH_DIR, '..', 'dist', 'cjs', 'index.js'));
const N = Number(process.argv[2] ?? 1000000);
const storage = process.argv[3] ?? 'f32';
const D = 768, NQ = 200, K = 20, CHUNK = 50000;
const r = makeRng(7);
const index = new am.VectorIndex({ dim: D, metric: 'cosine', storage });
const t0 = performance.now();
for (let i = 0; i < N; i += CHUNK) {
  const x = new Float32Array(Math.min(CHUNK, N - i) * D);
  for (let j = 0; j < x.length; j++) x[j] = r() - 0.5;
  index.addSync(x);
}
const addSeconds = (performance.now() - t0) / 1000;
const q = new Float32Array(NQ * D);
for (let j = 0; j < q.length; j++) q[j] = r() - 0.5;
const times = {};
for (const threads of [1, 2]) {
  index.searchSync(q.subarray(0, 10 * D), K, { threads });
  let best = Infinity;
  for (let i = 0; i < 2; i++) {
    const t = performance.now();
    index.searchSync(q, K, { threads });
    best = Math.min(best, (performance.now() - t) / 1000);
  }
  times[`threads${threads}`] = best;
}
console.log(JSON.stringify({ N, D, NQ, K, storage, addSeconds, ...times, scaling: times.threads1 / times.threads2, rowMB: index.rowBytes / 1e6, peakRssMB: process.resourceUsage().maxRSS / 1024 }));
