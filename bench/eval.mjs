#!/usr/bin/env node
/**
 * Evaluation benchmark (`npm run bench:eval`). See bench/README.md.
 *
 * `rocAucScore` and `averagePrecisionScore` on 1,000,000 binary scores (with ties: scores rounded to 1e-4)
 * against scikit-learn 1.2's `roc_auc_score` / `average_precision_score` on the same data in the same run
 * (bench/python/eval_metrics_bench.py), and the plain NumPy + SciPy rank-sum AUC a user would write. Each side
 * in-process, one warm-up, median of the repetitions. Target: audiomill >= 3x scikit-learn on each, equal results.
 * Then a ridge probe: crossValidate(RidgeCV with 10 alphas, leave-one-out inside each fold) on a 2,000 x 1,024 float64
 * matrix with 5 folds against scikit-learn's cross_validate(RidgeCV(alphas), cv=KFold(5)) (target: under 1 s and
 * >= 3x scikit-learn; 500 x 256 with --quick), in alternating rounds (scikit-learn's process, then ours) so that a
 * slow spell of a shared machine falls on both sides.
 *
 *   node bench/eval.mjs [--quick]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { join } from 'node:path';
import { BENCH_DIR, TMP_DIR } from './signal.mjs';
import { writeReport, writeResults } from './lib/results.mjs';
import { median } from './lib/stats.mjs';

const require = createRequire(import.meta.url);
const QUICK = process.argv.includes('--quick');
const N = QUICK ? 100_000 : 1_000_000;
const REPS = QUICK ? 3 : 7;
const am = require(join(BENCH_DIR, '..', 'dist', 'cjs', 'index.js'));

function npy(data, path) {
  writeFileSync(path, am.encodeNpy({ data, shape: [data.length] }));
}

function main() {
  const results = { date: new Date().toISOString(), machine: `${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}`, node: process.version, quick: QUICK, n: N, loadBefore: os.loadavg().map((x) => Number(x.toFixed(2))) };
  // Scores: a noisy function of the label, rounded so that ties occur; deterministic.
  let a = 12345;
  const rand = () => ((a = (Math.imul(a, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const y = new Float64Array(N);
  const s = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    y[i] = rand() < 0.3 ? 1 : 0;
    s[i] = Math.round((y[i] * 0.8 + rand()) * 1e4) / 1e4;
  }
  mkdirSync(TMP_DIR, { recursive: true });
  npy(s, join(TMP_DIR, 'eval_scores.npy'));
  npy(y, join(TMP_DIR, 'eval_labels.npy'));
  const py = JSON.parse(execFileSync('/usr/bin/python3', [join(BENCH_DIR, 'python', 'eval_metrics_bench.py'), join(TMP_DIR, 'eval_scores.npy'), join(TMP_DIR, 'eval_labels.npy'), String(REPS)], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' } }).trim());
  const time = (fn) => {
    fn();
    const ms = [];
    let v;
    for (let r = 0; r < REPS; r++) {
      const t = performance.now();
      v = fn();
      ms.push(performance.now() - t);
    }
    return { v, ms };
  };
  const auc = time(() => am.rocAucScore(y, s));
  const ap = time(() => am.averagePrecisionScore(y, s));
  const rel = (x, ref) => Math.abs(x - ref) / Math.abs(ref);
  results.auc = { audiomill: auc.v, sklearn: py.auc, numpy: py.auc_numpy, relDiff: rel(auc.v, py.auc), ms: median(auc.ms), sklearnMs: median(py.ms.sklearn_auc), numpyMs: median(py.ms.numpy_auc) };
  results.ap = { audiomill: ap.v, sklearn: py.ap, relDiff: rel(ap.v, py.ap), ms: median(ap.ms), sklearnMs: median(py.ms.sklearn_ap) };
  results.auc.speedup = results.auc.sklearnMs / results.auc.ms;
  results.auc.speedupNumpy = results.auc.numpyMs / results.auc.ms;
  results.ap.speedup = results.ap.sklearnMs / results.ap.ms;
  // The ridge probe.
  const [pn, pd] = QUICK ? [500, 256] : [2000, 1024];
  const X = new Float64Array(pn * pd);
  const w = Float64Array.from({ length: pd }, () => rand() - 0.5);
  const yp = new Float64Array(pn);
  for (let i = 0; i < pn; i++) {
    let t = 0;
    for (let j = 0; j < pd; j++) t += (X[i * pd + j] = rand() * 2 - 1) * w[j];
    yp[i] = t + (rand() - 0.5);
  }
  writeFileSync(join(TMP_DIR, 'eval_X.npy'), am.encodeNpy({ data: X, shape: [pn, pd] }));
  npy(yp, join(TMP_DIR, 'eval_y.npy'));
  const alphas = [0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30, 100, 300];
  // Rounds of (scikit-learn, then audiomill), so a slow spell of the machine falls on both sides.
  const rounds = QUICK ? 1 : 4;
  const probeReps = QUICK ? 2 : 2;
  const ours = [];
  const theirs = [];
  let scores;
  let pyScores;
  const probe = () => am.crossValidate(() => new am.RidgeCV({ alphas }), { data: X, shape: [pn, pd] }, yp, { cv: 5, scoring: 'r2' }).scores.r2.folds;
  probe(); // warm-up
  for (let round = 0; round < rounds; round++) {
    const py = JSON.parse(execFileSync('/usr/bin/python3', [join(BENCH_DIR, 'python', 'eval_metrics_bench.py'), '--probe', join(TMP_DIR, 'eval_X.npy'), join(TMP_DIR, 'eval_y.npy'), alphas.join(','), String(probeReps)], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '2', OPENBLAS_NUM_THREADS: '2' } }).trim());
    theirs.push(...py.ms);
    pyScores = py.scores;
    for (let r = 0; r < probeReps; r++) {
      const t = performance.now();
      scores = probe();
      ours.push(performance.now() - t);
    }
  }
  results.probe = { rows: pn, dims: pd, alphas: alphas.length, ms: median(ours), sklearnMs: median(theirs), runs: ours.length, msAll: ours.map((v) => Number(v.toFixed(1))), sklearnMsAll: theirs.map((v) => Number(v.toFixed(1))), maxScoreDiff: Math.max(...Array.from(scores, (v, i) => Math.abs(v - pyScores[i]))) };
  results.probe.speedup = results.probe.sklearnMs / results.probe.ms;
  results.loadAfter = os.loadavg().map((x) => Number(x.toFixed(2)));
  const { dest, name } = writeResults('eval', results, QUICK);
  const f = (x) => `${x.toFixed(1)} ms`;
  const report = writeReport(dest, 'eval', 'Evaluation metrics', results, [
    `Load average before ${results.loadBefore.join(' / ')}, after ${results.loadAfter.join(' / ')}. ${N.toLocaleString('en')} binary scores with ties, median of ${REPS} calls after a warm-up, each side in-process.`,
    '',
    '| metric | audiomill | scikit-learn 1.2 | speed-up | plain NumPy + SciPy | relative difference |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    `| rocAucScore | ${f(results.auc.ms)} | ${f(results.auc.sklearnMs)} | **${results.auc.speedup.toFixed(1)}×** | ${f(results.auc.numpyMs)} (${results.auc.speedupNumpy.toFixed(1)}×) | ${results.auc.relDiff.toExponential(1)} |`,
    `| averagePrecisionScore | ${f(results.ap.ms)} | ${f(results.ap.sklearnMs)} | **${results.ap.speedup.toFixed(1)}×** | | ${results.ap.relDiff.toExponential(1)} |`,
    '',
    `Ridge probe: ${results.probe.rows} × ${results.probe.dims} float64, 5 folds, RidgeCV over ${results.probe.alphas} alphas (leave-one-out inside each training fold), median of ${results.probe.runs} runs each side in ${rounds} alternating rounds: audiomill ${f(results.probe.ms)}, scikit-learn (OpenBLAS, 2 threads) ${f(results.probe.sklearnMs)}: **${results.probe.speedup.toFixed(2)}×** (target >= 3× and under 1 s); largest fold-R² difference ${results.probe.maxScoreDiff.toExponential(1)}.`,
    '',
  ]);
  console.error(`wrote ${join(dest, name)}`);
  console.log(report);
}

main();
