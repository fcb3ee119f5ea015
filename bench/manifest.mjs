#!/usr/bin/env node
/**
 * Manifest benchmark (`npm run bench:manifest`, also run by `npm run bench`). See bench/README.md.
 *
 * A corpus of 2000 five-second 16-bit WAV clips at mixed rates (bench/lib/make-corpus.mjs: some
 * silent, clipped, short, corrupt), processed from scratch (no cache) into a Parquet manifest with
 * statistics at 16 kHz on 2 cores by `audiomill manifest`, and by bench/python/manifest_bench.py
 * (soundfile + numpy + scipy, multiprocessing with 2 workers) computing the same columns, in the
 * same run. Reports wall time, the ratio, and peak RSS at 500 / 1000 / 2000 clips (flat is the goal).
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

function main() {
  const sizes = QUICK ? [200] : [500, 1000, 2000];
  const results = { date: new Date().toISOString(), machine: `${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}`, node: process.version, quick: QUICK, runs: [] };
  for (const n of sizes) {
    const corpus = makeCorpus(join(TMP_DIR, `corpus_${n}`), n);
    const out = join(TMP_DIR, `manifest_${n}.parquet`);
    const a = ours(corpus, out);
    const run = { clips: n, audiomill: a };
    log(`${n} clips: audiomill ${(a.ms / 1000).toFixed(2)} s, peak RSS ${a.peakRssMB} MB`);
    if (!argv.includes('--no-python') && existsSync(PYTHON) && (QUICK || n === sizes[sizes.length - 1])) {
      const p = timed(PYTHON, [join(BENCH_DIR, 'python', 'manifest_bench.py'), corpus, join(TMP_DIR, `manifest_py_${n}.csv`), '2'], { OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' });
      run.python = { ms: p.ms, ...JSON.parse(p.stdout.trim().split('\n').pop()) };
      run.speedup = p.ms / a.ms;
      log(`  python ${(p.ms / 1000).toFixed(2)} s: audiomill is ${run.speedup.toFixed(1)}x faster (target >= ${TARGET}x)`);
    }
    results.runs.push(run);
  }
  mkdirSync(join(BENCH_DIR, 'results'), { recursive: true });
  writeFileSync(join(BENCH_DIR, 'results', `${results.date.slice(0, 10)}-manifest.json`), JSON.stringify(results, null, 2) + '\n');
  const lines = [
    `### Manifest (${results.machine}, Node ${results.node}, ${results.date.slice(0, 10)}${QUICK ? ', --quick' : ''})`,
    '',
    '| clips | audiomill manifest (2 threads) | peak RSS | Python soundfile+numpy+scipy (2 processes) | speed-up |',
    '| ---: | ---: | ---: | ---: | ---: |',
    ...results.runs.map((r) => `| ${r.clips} | ${(r.audiomill.ms / 1000).toFixed(2)} s | ${r.audiomill.peakRssMB} MB | ${r.python ? `${(r.python.ms / 1000).toFixed(2)} s` : 'n/a'} | ${r.speedup ? `**${r.speedup.toFixed(1)}x**` : ''} |`),
    '',
  ];
  writeFileSync(join(BENCH_DIR, 'results', 'manifest-latest.md'), lines.join('\n'));
  console.log(lines.join('\n'));
}

main();
