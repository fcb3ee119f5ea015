#!/usr/bin/env node
/**
 * Vector search benchmark (`npm run bench:search`): exact top-k over random L2-normalised float32
 * vectors, audiomill's VectorIndex (metric 'ip', f32) against FAISS IndexFlatIP (Debian's
 * python3-faiss, bench/python/faiss_bench.py) on the same .npy files, both pinned to one core
 * (`taskset -c 0`, AUDIOMILL_NUM_THREADS=1, faiss.omp_set_num_threads(1)), alternating rounds in
 * one run; OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are unset for the FAISS run only. Reports the
 * median seconds per search of all queries, the ratio, and recall@k of ours against FAISS's ids, for
 * every storage (f32, f16, bf16, i8; the compressed ones also with float32 re-ranking of 2 x k
 * candidates), on the matrix unit the CPU offers (capabilities().matrix: AMX / VNNI for bf16 and i8).
 * The JS peers (devDependencies) are timed on the first --peer-nq queries, pinned the same way:
 * usearch's exactSearch (f32, one thread) and hnswlib-node's BruteforceSearch (one query per call).
 *
 *   node bench/search.mjs [--quick] [--n 100000] [--dim 768] [--nq 1000] [--k 20] [--rounds 3] [--peer-nq 200]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { BENCH_DIR, TMP_DIR, makeRng } from './signal.mjs';

const argv = process.argv.slice(2);
const QUICK = argv.includes('--quick');
const opt = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : dflt;
};
const N = opt('n', QUICK ? 20000 : 100000);
const DIM = opt('dim', 768);
const NQ = opt('nq', QUICK ? 200 : 1000);
const K = opt('k', 20);
const ROUNDS = opt('rounds', QUICK ? 1 : 3);
const PEER_NQ = Math.min(opt('peer-nq', QUICK ? 50 : 200), NQ);
const PYTHON = '/usr/bin/python3';
const log = (...a) => console.error(...a);

/** The package's own .npy writer (numpy reads it). */
function npy(path, data, shape) {
  const { encodeNpy } = createRequire(import.meta.url)(join(BENCH_DIR, '..', 'dist', 'cjs', 'index.js'));
  writeFileSync(path, encodeNpy({ data, shape }));
}

function normalisedRandom(n, seed) {
  const r = makeRng(seed);
  const x = new Float32Array(n * DIM);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < DIM; j++) s += (x[i * DIM + j] = r() - 0.5) ** 2;
    const inv = 1 / Math.sqrt(s);
    for (let j = 0; j < DIM; j++) x[i * DIM + j] *= inv;
  }
  return x;
}

// The audiomill side, in its own pinned process (same conditions as the peer's).
const OURS = `
const am = require(${JSON.stringify(join(BENCH_DIR, '..', 'dist', 'cjs', 'index.js'))});
const fs = require('fs');
const load = (p) => { const a = am.decodeNpy(new Uint8Array(fs.readFileSync(p))); return a.data; };
const [rowsPath, qPath, k, reps, storage, rerank] = process.argv.slice(1);
const rows = load(rowsPath), q = load(qPath);
const dim = ${DIM};
const index = new am.VectorIndex({ dim, metric: 'ip', storage, ...(+rerank > 0 ? { keepF32: true } : {}) });
index.addSync(rows);
const opts = +rerank > 0 ? { rerank: +rerank } : {};
index.searchSync(q.subarray(0, 10 * dim), +k, opts);
const times = [];
let res;
for (let i = 0; i < +reps; i++) { const t = performance.now(); res = index.searchSync(q, +k, opts); times.push((performance.now() - t) / 1000); }
times.sort((a, b) => a - b);
console.log(JSON.stringify({ best: times[0], median: times[times.length >> 1], first_ids: Array.from(res.ids), rowBytes: index.rowBytes, matrix: am.capabilities().matrix }));
`;

// The JS peers on the first nq queries, in their own pinned process. ids as numbers, best first.
const PEERS = `
const am = require(${JSON.stringify(join(BENCH_DIR, '..', 'dist', 'cjs', 'index.js'))});
const fs = require('fs');
const load = (p) => am.decodeNpy(new Uint8Array(fs.readFileSync(p))).data;
const [rowsPath, qPath, k, nq, peer] = process.argv.slice(1);
const dim = ${DIM};
const rows = load(rowsPath), q = load(qPath).subarray(0, +nq * dim);
const n = rows.length / dim;
let search;
if (peer === 'usearch') {
  const u = require('usearch');
  search = () => { const r = u.exactSearch(rows, q, dim, +k, u.MetricKind.IP, 1); return Array.from(r.keys, Number); };
} else {
  const { BruteforceSearch } = require('hnswlib-node');
  const index = new BruteforceSearch('ip', dim);
  index.initIndex(n);
  for (let i = 0; i < n; i++) index.addPoint(Array.from(rows.subarray(i * dim, (i + 1) * dim)), i);
  const qs = Array.from({ length: +nq }, (_, i) => Array.from(q.subarray(i * dim, (i + 1) * dim)));
  search = () => qs.flatMap((v) => index.searchKnn(v, +k).neighbors);
}
const t = performance.now();
const ids = search();
console.log(JSON.stringify({ seconds: (performance.now() - t) / 1000, first_ids: ids }));
`;

/** Whether a devDependency peer can be loaded here. */
function hasPeer(name) {
  try {
    createRequire(import.meta.url).resolve(name);
    return true;
  } catch {
    return false;
  }
}

function run(cmd, args, env) {
  const r = spawnSync('taskset', ['-c', '0', cmd, ...args], { env, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}):\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

function main() {
  mkdirSync(TMP_DIR, { recursive: true });
  const rowsPath = join(TMP_DIR, `search_rows_${N}x${DIM}_xs.npy`); // _xs: bench/signal.mjs makeRng data
  const qPath = join(TMP_DIR, `search_queries_${NQ}x${DIM}_xs.npy`);
  if (!existsSync(rowsPath)) npy(rowsPath, normalisedRandom(N, 1), [N, DIM]);
  if (!existsSync(qPath)) npy(qPath, normalisedRandom(NQ, 2), [NQ, DIM]);
  const oursEnv = { ...process.env, AUDIOMILL_NUM_THREADS: '1' };
  const base = { ...process.env, OMP_NUM_THREADS: '1' };
  delete base.OPENBLAS_CORETYPE;
  delete base.OPENBLAS_L2_SIZE;
  const withFaiss = existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import faiss'], { env: base }).status === 0;
  if (!withFaiss) log('bench/search: python3-faiss not found (apt-get install python3-faiss): audiomill only');
  // Give FAISS its best OpenBLAS kernel: OpenBLAS's own detection (both variables unset) is not
  // always the fastest on new CPUs, so a first pass tries it and two named cores and keeps the best.
  let peerEnv = base;
  if (withFaiss) {
    let best = Infinity;
    for (const core of [undefined, 'SkylakeX', 'Haswell']) {
      const env = core ? { ...base, OPENBLAS_CORETYPE: core } : base;
      const t = run(PYTHON, [join(BENCH_DIR, 'python', 'faiss_bench.py'), rowsPath, qPath, String(K), '1', '1'], env).best;
      log(`faiss with OPENBLAS_CORETYPE=${core ?? '(unset)'}: ${t.toFixed(3)} s`);
      if (t < best) [best, peerEnv] = [t, env];
    }
  }
  const VARIANTS = [
    { name: 'f32', storage: 'f32', rerank: 0 },
    { name: 'f16', storage: 'f16', rerank: 0 },
    { name: 'bf16', storage: 'bf16', rerank: 0 },
    { name: 'bf16 + f32 re-rank x2', storage: 'bf16', rerank: 2 },
    { name: 'i8', storage: 'i8', rerank: 0 },
    { name: 'i8 + f32 re-rank x2', storage: 'i8', rerank: 2 },
  ];
  const PEER_LIST = ['usearch', 'hnswlib-node'].filter((p) => hasPeer(p) || (log(`bench/search: ${p} is not installed (npm install): skipped`), false));
  const peers = PEER_LIST.map(() => []);
  const ours = VARIANTS.map(() => []);
  const faiss = [];
  for (let r = 0; r < ROUNDS; r++) {
    VARIANTS.forEach((v, i) => {
      ours[i].push(run(process.execPath, ['-e', OURS, rowsPath, qPath, String(K), '3', v.storage, String(v.rerank)], oursEnv));
      log(`round ${r + 1}: audiomill ${v.name} ${ours[i][r].median.toFixed(3)} s`);
    });
    if (withFaiss) {
      faiss.push(run(PYTHON, [join(BENCH_DIR, 'python', 'faiss_bench.py'), rowsPath, qPath, String(K), '3', '1'], peerEnv));
      log(`round ${r + 1}: faiss ${faiss[r].median.toFixed(3)} s`);
    }
    if (r === 0) // the JS peers are 10-50x slower: one round each
      PEER_LIST.forEach((p, i) => {
        peers[i].push(run(process.execPath, ['-e', PEERS, rowsPath, qPath, String(K), String(PEER_NQ), p], oursEnv));
        log(`${p}: ${peers[i][0].seconds.toFixed(3)} s for ${PEER_NQ} queries`);
      });
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const result = { date: new Date().toISOString(), machine: `${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}`, node: process.version, n: N, dim: DIM, nq: NQ, k: K, rounds: ROUNDS, variants: [] };
  const f = withFaiss ? median(faiss.map((x) => x.median)) : undefined;
  if (withFaiss) result.faiss = { seconds: f, qps: NQ / f, openblasCoretype: peerEnv.OPENBLAS_CORETYPE ?? '(unset)' };
  const f32Bytes = N * DIM * 4;
  // recall@k against FAISS's exact ids (or, without FAISS, our f32 ids) over the first nq queries
  const truth = withFaiss ? faiss[0].all_ids : ours[0][0].first_ids;
  const recall = (ids, nq) => {
    let hit = 0;
    for (let q = 0; q < nq; q++) {
      const set = new Set(truth.slice(q * K, (q + 1) * K));
      for (let j = 0; j < K; j++) hit += set.has(ids[q * K + j]) ? 1 : 0;
    }
    return hit / (nq * K);
  };
  VARIANTS.forEach((v, i) => {
    const a = median(ours[i].map((x) => x.median));
    const unit = v.storage === 'i8' || v.storage === 'bf16' ? ours[i][0].matrix : 'none';
    const row = { name: v.name, seconds: a, qps: NQ / a, bytesVsF32: ours[i][0].rowBytes / f32Bytes, matrix: unit, recall: recall(ours[i][0].first_ids, NQ) };
    if (withFaiss) row.ratio = f / a;
    result.variants.push(row);
  });
  result.peers = PEER_LIST.map((p, i) => {
    const x = peers[i][0];
    return { name: p, nq: PEER_NQ, seconds: x.seconds, qps: PEER_NQ / x.seconds, recall: recall(x.first_ids, PEER_NQ), ...(withFaiss ? { ratio: PEER_NQ / x.seconds / (NQ / f) } : {}) };
  });
  mkdirSync(join(BENCH_DIR, 'results'), { recursive: true });
  writeFileSync(join(BENCH_DIR, 'results', `${result.date.slice(0, 10)}-search.json`), JSON.stringify(result, null, 2) + '\n');
  const lines = [
    `### Exact search, one core (${result.machine}, Node ${result.node}, ${result.date.slice(0, 10)}${QUICK ? ', --quick' : ''})`,
    '',
    `N = ${N}, D = ${DIM}, ${NQ} queries, k = ${K}; median of ${ROUNDS} alternating rounds (each the median of 3 searches); recall@${K} against ${withFaiss ? "FAISS's" : "audiomill f32's"} ids. JS peers: one run on the first ${PEER_NQ} queries.`,
    '',
    '| index | matrix unit | row bytes vs f32 | seconds | queries/s | throughput vs FAISS f32 | recall@k |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
    ...result.variants.map((v) => `| audiomill VectorIndex ${v.name} | ${v.matrix} | ${v.bytesVsF32.toFixed(2)} | ${v.seconds.toFixed(3)} | ${v.qps.toFixed(0)} | ${v.ratio ? `**${v.ratio.toFixed(2)}x**` : ''} | ${v.recall.toFixed(4)} |`),
    ...(result.faiss ? [`| FAISS IndexFlatIP (OPENBLAS_CORETYPE ${result.faiss.openblasCoretype}) | | 1.00 | ${result.faiss.seconds.toFixed(3)} | ${result.faiss.qps.toFixed(0)} | 1.00x | ${withFaiss ? '1 (reference)' : ''} |`] : []),
    ...result.peers.map((p) => `| ${p.name} ${p.name === 'usearch' ? 'exactSearch' : 'BruteforceSearch'} (${p.nq} queries) | | 1.00 | ${p.seconds.toFixed(3)} | ${p.qps.toFixed(0)} | ${p.ratio ? `${p.ratio.toFixed(2)}x` : ''} | ${p.recall.toFixed(4)} |`),
    '',
  ];
  writeFileSync(join(BENCH_DIR, 'results', 'search-latest.md'), lines.join('\n'));
  console.log(lines.join('\n'));
}

main();
