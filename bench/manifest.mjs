#!/usr/bin/env node
/**
 * Manifest benchmark (`npm run bench:manifest`, also run by `npm run bench`). See bench/README.md.
 *
 * A corpus of 2000 five-second 16-bit WAV clips at mixed rates (bench/lib/make-corpus.mjs: some
 * silent, clipped, short, corrupt), processed from scratch (no cache) into a Parquet manifest with
 * statistics at 16 kHz on 2 cores by `audiomill manifest`, and by bench/python/manifest_bench.py
 * (soundfile + numpy + scipy, multiprocessing with 2 workers) computing the same columns, in the
 * same run: after a warm-up of each, 5 alternating repetitions on the 2000 clips (medians compared). Reports
 * wall time, the ratio, and peak RSS at 500 / 1000 / 2000 clips (flat is the goal).
 *
 *   node bench/manifest.mjs [--quick] [--no-python]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { BENCH_DIR, TMP_DIR } from './signal.mjs';
import { makeCorpus } from './lib/make-corpus.mjs';

const argv = process.argv.slice(2);
const QUICK = argv.includes('--quick');
const PYTHON = '/usr/bin/python3';
const CLI = join(BENCH_DIR, '..', 'dist', 'cjs', 'cli', 'main.js');
const log = (...a) => console.error(...a);
const TARGET = 5;

/** Runs a command under /usr/bin/time-like accounting: wall ms and the child's peak RSS (MB). */
function timed(cmd, args, env = {}) {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 26 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return { ms, stdout: r.stdout, stderr: r.stderr };
}

/** Peak RSS of a node child: it prints process.resourceUsage().maxRSS at exit via --require. */
function ours(corpus, out) {
  rmSync(out, { force: true });
  rmSync(join(TMP_DIR, `.${out.split('/').pop()}.audiomill-cache.jsonl`), { force: true });
  const hook = join(TMP_DIR, 'rss-hook.cjs');
  writeFileSync(hook, "process.on('exit', () => process.stderr.write(`\\nRSS_MB ${(process.resourceUsage().maxRSS / 1024).toFixed(1)}\\n`));\n");
  const r = timed(process.execPath, ['--require', hook, CLI, 'manifest', corpus, '--sample-rate', '16000', '--out', out, '--quiet'], { AUDIOMILL_NUM_THREADS: '2' });
  const rss = Number(/RSS_MB ([0-9.]+)/.exec(r.stderr)?.[1]);
  return { ms: r.ms, peakRssMB: rss };
}

const REPS = QUICK ? 2 : 5;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function python(corpus, n) {
  const p = timed(PYTHON, [join(BENCH_DIR, 'python', 'manifest_bench.py'), corpus, join(TMP_DIR, `manifest_py_${n}.csv`), '2'], { OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' });
  return { ms: p.ms, ...JSON.parse(p.stdout.trim().split('\n').pop()) };
}

function main() {
  const sizes = QUICK ? [200] : [500, 1000, 2000];
  const results = { date: new Date().toISOString(), machine: `${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}`, node: process.version, quick: QUICK, reps: REPS, runs: [] };
  for (const n of sizes) {
    const corpus = makeCorpus(join(TMP_DIR, `corpus_${n}`), n);
    const out = join(TMP_DIR, `manifest_${n}.parquet`);
    const last = n === sizes[sizes.length - 1];
    const withPython = !argv.includes('--no-python') && existsSync(PYTHON) && last;
    // Warm-up (page cache, lazy imports), then alternate the two sides rep by rep on the largest corpus.
    ours(corpus, out);
    if (withPython) python(corpus, n);
    const a = [];
    const p = [];
    for (let r = 0; r < (last ? REPS : 1); r++) {
      a.push(ours(corpus, out));
      if (withPython) p.push(python(corpus, n));
    }
    const ms = a.map((x) => x.ms);
    const run = { clips: n, audiomill: { ms: median(ms), best: Math.min(...ms), worst: Math.max(...ms), peakRssMB: Math.max(...a.map((x) => x.peakRssMB)) } };
    log(`${n} clips: audiomill ${(run.audiomill.ms / 1000).toFixed(2)} s (median of ${ms.length}; ${(run.audiomill.best / 1000).toFixed(2)}-${(run.audiomill.worst / 1000).toFixed(2)}), peak RSS ${run.audiomill.peakRssMB} MB`);
    if (withPython) {
      const pms = p.map((x) => x.ms);
      run.python = { ...p[0], ms: median(pms), best: Math.min(...pms), worst: Math.max(...pms) };
      run.speedup = run.python.ms / run.audiomill.ms;
      log(`  python ${(run.python.ms / 1000).toFixed(2)} s (median; ${(run.python.best / 1000).toFixed(2)}-${(run.python.worst / 1000).toFixed(2)}): audiomill is ${run.speedup.toFixed(1)}x faster (target >= ${TARGET}x)`);
    }
    results.runs.push(run);
  }
  mkdirSync(join(BENCH_DIR, 'results'), { recursive: true });
  writeFileSync(join(BENCH_DIR, 'results', `${results.date.slice(0, 10)}-manifest.json`), JSON.stringify(results, null, 2) + '\n');
  const range = (x) => `${(x.ms / 1000).toFixed(2)} s${x.best !== undefined && x.best !== x.worst ? ` (${(x.best / 1000).toFixed(2)}-${(x.worst / 1000).toFixed(2)})` : ''}`;
  const lines = [
    `### Manifest (${results.machine}, Node ${results.node}, ${results.date.slice(0, 10)}${QUICK ? ', --quick' : ''})`,
    '',
    `Largest corpus: median of ${REPS} alternating runs after a warm-up (range in brackets); smaller corpora: one run after a warm-up (peak RSS).`,
    '',
    '| clips | audiomill manifest (2 threads) | peak RSS | Python soundfile+numpy+scipy (2 processes) | speed-up |',
    '| ---: | ---: | ---: | ---: | ---: |',
    ...results.runs.map((r) => `| ${r.clips} | ${range(r.audiomill)} | ${r.audiomill.peakRssMB} MB | ${r.python ? range(r.python) : 'n/a'} | ${r.speedup ? `**${r.speedup.toFixed(1)}x**` : ''} |`),
    '',
  ];
  writeFileSync(join(BENCH_DIR, 'results', 'manifest-latest.md'), lines.join('\n'));
  console.log(lines.join('\n'));
}

main();
