#!/usr/bin/env node
/**
 * Audio input benchmarks (`npm run bench:audio`, also run by `npm run bench`). See bench/README.md.
 *
 *   1. WAV s16 decode throughput: GB of file per second, one thread (taskset -c 0,
 *      AUDIOMILL_NUM_THREADS=1), warm page cache, best and median of the repetitions.
 *   2. Decode + resample 44.1 kHz -> 16 kHz of 60 s mono s16 WAV, one thread, against
 *      torchaudio 0.13 (torchaudio.load + F.resample, kaiser_window and the default window)
 *      timed by bench/python/resample_bench.py in the same run: ratios and max |Δ|.
 *   3. A 2-hour 48 kHz stereo WAV streamed through decode -> 16 kHz mono -> mel spectrogram
 *      (openAudioStream + FeatureStream): peak RSS of the process and × realtime.
 *
 * Each measurement runs in a fresh child process (bench/lib/audio-task.mjs).
 *   node bench/audio.mjs [--quick] [--no-python] [--no-long]
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, statSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import { join, relative } from 'node:path';
import { BENCH_DIR, TMP_DIR, makeRng } from './signal.mjs';
import { wavHeader } from './lib/wav-header.mjs';

const ROOT = join(BENCH_DIR, '..');
const RESULTS_DIR = join(BENCH_DIR, 'results');
const PYTHON = '/usr/bin/python3';
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const QUICK = flag('--quick');
const log = (...a) => console.error(...a);
const TARGETS = { wavGBps: 1, resampleVsTorchaudio: 3, longRssMB: 300 };

/** Writes a 16-bit PCM WAV of `seconds` at `rate` with `channels`, in 1 MiB pieces (bounded memory). */
function writeTestWav(path, { seconds, rate, channels }) {
  const frames = Math.round(seconds * rate);
  const dataBytes = frames * channels * 2;
  if (existsSync(path) && statSync(path).size === 44 + dataBytes) return path;
  const header = wavHeader({ rate, channels, frames });
  const fd = openSync(path, 'w');
  writeSync(fd, header);
  const rng = makeRng(0xa0d10 + channels);
  const block = new Int16Array(1 << 19);
  let phase = 0;
  for (let written = 0; written < frames * channels; ) {
    const n = Math.min(block.length, frames * channels - written);
    for (let i = 0; i < n; i++) {
      // A slow sweep plus noise: audio-like, not compressible to nothing.
      phase += (2 * Math.PI * (200 + ((written + i) % 4000))) / rate;
      block[i] = Math.round(8000 * Math.sin(phase) + 3000 * (rng() - 0.5));
    }
    writeSync(fd, new Uint8Array(block.buffer, 0, n * 2));
    written += n;
  }
  closeSync(fd);
  return path;
}

function runTask(args, { pin = true } = {}) {
  const env = { ...process.env, AUDIOMILL_NUM_THREADS: '1' };
  const cmd = pin && os.platform() === 'linux' ? 'taskset' : process.execPath;
  const full = pin && os.platform() === 'linux' ? ['-c', '0', process.execPath, ...args] : args;
  const r = spawnSync(cmd, full, { env, encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

const TASK = join(BENCH_DIR, 'lib', 'audio-task.mjs');

function main() {
  mkdirSync(TMP_DIR, { recursive: true });
  const results = { date: new Date().toISOString(), machine: machineName(), node: process.version, quick: QUICK };

  // 1. WAV decode throughput.
  const big = writeTestWav(join(TMP_DIR, 'decode_s16_stereo.wav'), { seconds: QUICK ? 300 : 1500, rate: 48000, channels: 2 });
  log(`wav decode: ${(statSync(big).size / 1e9).toFixed(2)} GB file`);
  results.wavDecode = runTask(['--expose-gc', TASK, 'wav-decode', big, QUICK ? '3' : '7']);
  log(`  ${results.wavDecode.bestGBps.toFixed(2)} GB/s best into reused arrays, ${results.wavDecode.freshBestGBps.toFixed(2)} GB/s loadAudioSync`);

  // 2. Decode + resample against torchaudio.
  const wav44 = writeTestWav(join(TMP_DIR, 'resample_44k_mono.wav'), { seconds: 60, rate: 44100, channels: 1 });
  results.resample = {};
  for (const method of ['sinc_interp_kaiser', 'sinc_interp_hann']) {
    results.resample[method] = runTask(['--expose-gc', TASK, 'decode-resample', wav44, method, QUICK ? '3' : '9']);
  }
  results.resample.kaiser_best = runTask(['--expose-gc', TASK, 'decode-resample', wav44, 'kaiser_best', QUICK ? '2' : '5']);
  if (!flag('--no-python') && existsSync(PYTHON)) {
    const env = { ...process.env, OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' };
    const out = join(TMP_DIR, 'resample_torchaudio.f32');
    const r = spawnSync('taskset', ['-c', '0', PYTHON, join(BENCH_DIR, 'python', 'resample_bench.py'), wav44, out, QUICK ? '3' : '9'], {
      env,
      encoding: 'utf8',
    });
    if (r.status === 0) {
      results.torchaudio = JSON.parse(r.stdout.trim().split('\n').pop());
      const check = runTask([TASK, 'compare', wav44, out], { pin: false });
      results.torchaudio.maxAbsDiffKaiser = check.maxAbs;
      for (const m of ['sinc_interp_kaiser', 'sinc_interp_hann']) {
        const ta = results.torchaudio[m];
        results.resample[m].vsTorchaudioMedian = ta.medianMs / results.resample[m].medianMs;
        results.resample[m].vsTorchaudioBest = ta.bestMs / results.resample[m].bestMs;
      }
    } else {
      log(`torchaudio skipped: ${r.stderr.trim().split('\n').pop()}`);
    }
  }
  for (const [m, v] of Object.entries(results.resample))
    log(`decode+resample ${m}: ${v.medianMs.toFixed(1)} ms median${v.vsTorchaudioMedian ? `, ${v.vsTorchaudioMedian.toFixed(1)}x torchaudio` : ''}`);

  // 3. Two hours, streamed.
  if (!flag('--no-long')) {
    const hours = QUICK ? 0.25 : 2;
    const long = writeTestWav(join(TMP_DIR, `long_${hours}h_48k_stereo.wav`), { seconds: hours * 3600, rate: 48000, channels: 2 });
    results.long = runTask([TASK, 'long', long], { pin: false });
    results.long.hours = hours;
    results.long.fileGB = statSync(long).size / 1e9;
    log(`long: ${hours} h, peak RSS ${results.long.peakRssMB.toFixed(0)} MB, ${results.long.realtime.toFixed(0)}x realtime`);
  }

  results.targets = TARGETS;
  const name = `${results.date.slice(0, 10)}-audio-${results.machine}.json`;
  writeFileSync(join(RESULTS_DIR, name), JSON.stringify(results, null, 2) + '\n');
  writeFileSync(join(RESULTS_DIR, 'audio-latest.md'), table(results));
  console.log(table(results));
  log(`wrote ${relative(ROOT, join(RESULTS_DIR, name))} and bench/results/audio-latest.md`);
}

function machineName() {
  const cpu = os.cpus()[0]?.model ?? 'cpu';
  const vendor = /intel/i.test(cpu) ? 'intel' : /amd/i.test(cpu) ? 'amd' : /apple|arm/i.test(cpu) ? 'arm' : 'cpu';
  const family = /xeon/i.test(cpu) ? 'xeon' : /epyc/i.test(cpu) ? 'epyc' : 'core';
  return `${vendor}-${family}-${os.cpus().length}c`;
}

function table(r) {
  const f = (x, d = 1) => (x === undefined ? 'n/a' : x.toFixed(d));
  const lines = [
    `### Audio input (${r.machine}, ${os.cpus()[0]?.model ?? ''}, Node ${r.node}, ${r.date.slice(0, 10)}${r.quick ? ', --quick' : ''})`,
    '',
    '| measurement | result | target |',
    '| --- | --- | --- |',
    `| WAV s16 stereo decode, 1 thread, into reused arrays | ${f(r.wavDecode.bestGBps, 2)} GB/s of file best, ${f(r.wavDecode.medianGBps, 2)} median | >= ${TARGETS.wavGBps} GB/s |`,
    `| WAV s16 stereo, loadAudioSync end to end (fresh output pages) | ${f(r.wavDecode.freshBestGBps, 2)} GB/s best, ${f(r.wavDecode.freshMedianGBps, 2)} median | |`,
  ];
  for (const m of ['sinc_interp_kaiser', 'sinc_interp_hann', 'kaiser_best']) {
    const v = r.resample[m];
    const ta = r.torchaudio?.[m];
    lines.push(
      `| decode + resample 44.1k->16k, 60 s, ${m}, 1 thread | ${f(v.medianMs)} ms${ta ? ` (torchaudio ${f(ta.medianMs)} ms): **${f(v.vsTorchaudioMedian)}x**` : ''} | ${m === 'sinc_interp_kaiser' ? `>= ${TARGETS.resampleVsTorchaudio}x torchaudio` : ''} |`,
    );
  }
  if (r.torchaudio) lines.push(`| max abs difference from torchaudio (kaiser) | ${r.torchaudio.maxAbsDiffKaiser.toExponential(2)} | <= 1e-5 |`);
  if (r.long)
    lines.push(
      `| ${r.long.hours} h 48 kHz stereo WAV (${f(r.long.fileGB, 2)} GB) streamed -> 16 kHz mel | peak RSS ${f(r.long.peakRssMB, 0)} MB, ${f(r.long.realtime, 0)}x realtime | < ${TARGETS.longRssMB} MB |`,
    );
  return lines.join('\n') + '\n';
}

main();
