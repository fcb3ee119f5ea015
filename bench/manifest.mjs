#!/usr/bin/env node
/**
 * Manifest benchmark (`npm run bench:manifest`, also run by `npm run bench`). See bench/README.md.
 *
 * A corpus of 2002 five-second 16-bit WAV clips at mixed rates (bench/lib/make-corpus.mjs: some
 * silent, clipped, short, corrupt), processed from scratch (no cache) into a Parquet manifest with
 * statistics at 16 kHz on 2 cores by `audiomill manifest`, and by two Python peers (soundfile + numpy +
 * scipy `resample_poly`, multiprocessing with 2 workers), in the same run:
 *   - seed columns (bench/python/manifest_seed_bench.py): the plain script of the segment-manifest workflow,
 *     rms_db, silence_ratio, zero_crossing_rate, snr_db, energy_variance, clip_ratio and the QC flags;
 *   - all columns (bench/python/manifest_bench.py): the seed columns plus peak_db, crest_factor_db, dc_offset and
 *     the four spectral means of `manifest --spectral` (compared with that run of audiomill).
 * After a warm-up of each, 5 alternating repetitions on the largest corpus (medians compared). Reports
 * wall time, the ratios, and peak RSS at 500 / 1000 / 2002 clips (flat is the goal).
 *
 *   node bench/manifest.mjs [--quick] [--no-python]
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { BENCH_DIR, TMP_DIR } from './signal.mjs';
import { makeCorpus } from './lib/make-corpus.mjs';
import { rssHook, rssOf, secondsRange, summarizeRuns, timed, writeReport, writeResults } from './lib/results.mjs';

const argv = process.argv.slice(2);
const QUICK = argv.includes('--quick');
const PYTHON = '/usr/bin/python3';
const CLI = join(BENCH_DIR, '..', 'dist', 'cjs', 'cli', 'main.js');
const log = (...a) => console.error(...a);
const TARGET = 5;

/** Peak RSS of a node child: it prints process.resourceUsage().maxRSS at exit via --require. */
function ours(corpus, out, spectral = false) {
  // From scratch: no output and no row journal (`.<out>.audiomill-cache.journal`, and the 0.1 cache's `.jsonl`);
  // with the journal left in place every timed run after the warm-up would reuse the rows.
  rmSync(out, { force: true });
  for (const ext of ['journal', 'jsonl']) rmSync(join(TMP_DIR, `.${out.split('/').pop()}.audiomill-cache.${ext}`), { force: true });
  const r = timed(process.execPath, ['--require', rssHook(), CLI, 'manifest', corpus, '--sample-rate', '16000', '--out', out, '--quiet', ...(spectral ? ['--spectral'] : [])], { AUDIOMILL_NUM_THREADS: '2' });
  const summary = JSON.parse(readFileSync(out.replace(/\.parquet$/, '.summary.json'), 'utf8'));
  if (summary.reused !== 0) throw new Error(`the run was not fresh: ${summary.reused} files' rows came from the journal`);
  return { ms: r.ms, ...rssOf(r.stderr) };
}

const REPS = QUICK ? 2 : 5;

/** The two Python peers: the seed workflow's columns, and those plus peak_db, crest_factor_db, dc_offset and the spectral means. */
const PEERS = { seed: 'manifest_seed_bench.py', full: 'manifest_bench.py' };

function python(peer, corpus, n) {
  const p = timed(PYTHON, [join(BENCH_DIR, 'python', PEERS[peer]), corpus, join(TMP_DIR, `manifest_py_${peer}_${n}.csv`), '2'], { OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' });
  const { cpu_s: cpuS, ...rest } = JSON.parse(p.stdout.trim().split('\n').pop());
  return { ms: p.ms, cpuS, ...rest };
}

function main() {
  const sizes = QUICK ? [200] : [500, 1000, 2002];
  // The load average before and after: other work on the cores slows the two sides differently.
  const results = { date: new Date().toISOString(), machine: `${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}`, node: process.version, quick: QUICK, reps: REPS, loadBefore: os.loadavg().map((x) => Number(x.toFixed(2))), runs: [] };
  for (const n of sizes) {
    const corpus = makeCorpus(join(TMP_DIR, `corpus_${n}`), n);
    const out = join(TMP_DIR, `manifest_${n}.parquet`);
    const last = n === sizes[sizes.length - 1];
    const withPython = !argv.includes('--no-python') && existsSync(PYTHON) && last;
    // Warm-up (page cache, lazy imports), then alternate the two sides rep by rep on the largest corpus.
    // Each peer against the audiomill run with the same columns: the default manifest against the seed script, and
    // the manifest with --spectral against the all-columns script.
    const peers = withPython ? Object.keys(PEERS) : [];
    const spectralRun = withPython;
    ours(corpus, out);
    if (spectralRun) ours(corpus, out, true);
    for (const peer of peers) python(peer, corpus, n);
    const a = [];
    const s = [];
    const p = Object.fromEntries(peers.map((peer) => [peer, []]));
    for (let r = 0; r < (last ? REPS : 1); r++) {
      a.push(ours(corpus, out));
      if (spectralRun) s.push(ours(corpus, out, true));
      for (const peer of peers) p[peer].push(python(peer, corpus, n));
    }
    const run = { clips: n, audiomill: summarizeRuns(a), ...(spectralRun ? { audiomillSpectral: summarizeRuns(s) } : {}) };
    const reps = a.length;
    log(`${n} clips: audiomill ${(run.audiomill.ms / 1000).toFixed(2)} s (median of ${reps}; ${(run.audiomill.best / 1000).toFixed(2)}-${(run.audiomill.worst / 1000).toFixed(2)}), peak RSS ${run.audiomill.peakRssMB} MB`);
    if (spectralRun) log(`  audiomill --spectral ${(run.audiomillSpectral.ms / 1000).toFixed(2)} s (median of ${reps}; ${(run.audiomillSpectral.best / 1000).toFixed(2)}-${(run.audiomillSpectral.worst / 1000).toFixed(2)})`);
    for (const peer of peers) {
      const key = peer === 'seed' ? 'pythonSeed' : 'python';
      const mine = peer === 'seed' ? run.audiomill : run.audiomillSpectral;
      run[key] = { ...p[peer][0], ...summarizeRuns(p[peer]) };
      run[peer === 'seed' ? 'speedupSeed' : 'speedup'] = run[key].ms / mine.ms;
      // CPU seconds (all threads and processes): a ratio that other work on the machine skews less than wall time.
      run[peer === 'seed' ? 'cpuRatioSeed' : 'cpuRatio'] = run[key].cpuS / mine.cpuS;
      log(`  python (${peer === 'seed' ? 'seed columns' : 'all columns'}) ${(run[key].ms / 1000).toFixed(2)} s (median; ${(run[key].best / 1000).toFixed(2)}-${(run[key].worst / 1000).toFixed(2)}): audiomill${peer === 'seed' ? '' : ' --spectral'} is ${(run[key].ms / mine.ms).toFixed(1)}x faster${peer === 'seed' ? ` (target >= ${TARGET}x)` : ''}; CPU ${run[key].cpuS.toFixed(2)} s vs ${mine.cpuS.toFixed(2)} s: ${(run[key].cpuS / mine.cpuS).toFixed(1)}x`);
    }
    results.runs.push(run);
  }
  results.loadAfter = os.loadavg().map((x) => Number(x.toFixed(2)));
  const { dest, name } = writeResults('manifest', results, QUICK);
  log(`wrote ${join(dest, name)}`);
  const range = secondsRange;
  const report = writeReport(dest, 'manifest', 'Manifest', results, [
    `Largest corpus: median of ${REPS} alternating runs after a warm-up (range in brackets); smaller corpora: one run after a warm-up (peak RSS). Load average (1/5/15 min) before ${results.loadBefore.join(' / ')}, after ${results.loadAfter.join(' / ')}.`,
    '',
    `Python peers: soundfile + numpy + scipy \`resample_poly\`, 2 processes. Seed columns: the segment-manifest workflow's stats and flags, against the default manifest (target >= ${TARGET}x); all columns: the spectral means too, against \`manifest --spectral\`.`,
    '',
    'Wall time, and in brackets the range; CPU: user + system seconds of every thread and process (median), and the CPU-time ratio, which other work on the machine skews less.',
    '',
    '| clips | audiomill manifest (2 threads) | CPU | peak RSS | Python, seed columns | CPU | speed-up (wall / CPU) | audiomill --spectral | CPU | Python, all columns | CPU | speed-up (wall / CPU) |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...results.runs.map((r) => {
      const cpu = (x) => (x === undefined ? '' : `${Number(x).toFixed(2)} s`);
      const seed = r.pythonSeed ? `${range(r.pythonSeed)} | ${cpu(r.pythonSeed.cpuS)} | **${r.speedupSeed.toFixed(1)}x** / **${r.cpuRatioSeed.toFixed(1)}x**` : 'n/a | | ';
      const spectral = r.audiomillSpectral ? `${range(r.audiomillSpectral)} | ${cpu(r.audiomillSpectral.cpuS)}` : 'n/a | ';
      const full = r.python ? `${range(r.python)} | ${cpu(r.python.cpuS)} | ${r.speedup.toFixed(1)}x / ${r.cpuRatio.toFixed(1)}x` : 'n/a | | ';
      return `| ${r.clips} | ${range(r.audiomill)} | ${cpu(r.audiomill.cpuS)} | ${r.audiomill.peakRssMB} MB | ${seed} | ${spectral} | ${full} |`;
    }),
    '',
  ]);
  console.log(report);
}

main();
