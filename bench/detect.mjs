#!/usr/bin/env node
/**
 * Detection benchmark (`npm run bench:detect`). See bench/README.md.
 *
 * 1. `audiomill detect` on a 2-hour 48-kHz tape (generated once: faint noise with a chirp every 20 s) with the seed
 *    workflow's windows (0.4 s every 0.05 s, log-mel of n_fft 2048 every 1024 samples, 64 mels) and a small ONNX
 *    window classifier (bench/models/scan-cnn.json: 4 convolution blocks, 3.3 M multiply-adds a window; and
 *    scan-cnn-wide.json, 46 M), a fresh process on 2 threads, median of 2: wall, × realtime, peak RSS (bounded: the
 *    tape is streamed).
 * 2. The same number of windows through its two stages alone, each a fresh process (bench/lib/scan-stages.cjs):
 *    onnxruntime-node alone as the scan runs it (two single-threaded sessions), and audiomill's log-mel of the windows
 *    alone. Inference's share of the scan's wall time, and audiomill's own (1 − inference ÷ scan; target <= 20 %).
 * 3. The Python peer (bench/python/detect_scan_bench.py: soundfile + torchaudio + the same CNN in torch, 2 threads).
 * 4. `audiomill eval detect` on 10,000 detections against 10,000 truths over 100 tapes (Raven tables written
 *    first), a fresh process, median of 3; target under 1 s.
 * 5. The filter's forest: RandomForestClassifier (100 trees, 2 threads) fitted on 5,000 rows of 90 features (the
 *    filter's width with 13 MFCCs and both deltas) and asked for 2,000 rows' probabilities, against scikit-learn's
 *    RandomForestClassifier(n_jobs=2) on the same data (bench/python/forest_bench.py), median of 3 fits each.
 *
 *   node bench/detect.mjs [--quick] [--no-python]      (--quick: a 10-minute tape)
 */
import { closeSync, existsSync, mkdirSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { BENCH_DIR, TMP_DIR } from './signal.mjs';
import { rssHook, rssOf, summarizeRuns, timed, writeReport, writeResults } from './lib/results.mjs';
import { wavHeader } from './lib/wav-header.mjs';

const argv = process.argv.slice(2);
const QUICK = argv.includes('--quick');
const PYTHON = '/usr/bin/python3';
const ROOT = join(BENCH_DIR, '..');
const CLI = join(ROOT, 'dist', 'cjs', 'cli', 'main.js');
const MODELS = ['scan-cnn', 'scan-cnn-wide'];
const RATE = 48000;
const log = (...a) => console.error(...a);
const ENV = { AUDIOMILL_NUM_THREADS: '2' };

/** The tape: faint noise, a 0.3-s rising chirp every 20 s; 16-bit mono WAV, written once. */
function makeTape(path, seconds) {
  const frames = seconds * RATE;
  if (existsSync(path) && statSync(path).size === 44 + frames * 2) return;
  mkdirSync(join(path, '..'), { recursive: true });
  const fd = openSync(path, 'w');
  writeSync(fd, wavHeader({ rate: RATE, channels: 1, frames }));
  let s = 0x9e3779b9;
  const block = Buffer.alloc(RATE * 2);
  for (let sec = 0; sec < seconds; sec++) {
    for (let i = 0; i < RATE; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      let v = (s / 2 ** 32 - 0.5) * 0.02;
      const t = (sec % 20) + i / RATE - 10; // a chirp at 10 s into every 20 s
      if (t >= 0 && t < 0.3) v += 0.3 * Math.sin(2 * Math.PI * (2000 * t + 5000 * t * t));
      block.writeInt16LE(Math.round(Math.max(-1, Math.min(1, v)) * 32767), 2 * i);
    }
    writeSync(fd, block);
  }
  closeSync(fd);
}

/** 100 tapes of 100 truths and 100 detections (jittered copies of 80 of them, plus 20 false alarms) as Raven tables. */
async function makeTables(dir) {
  const { writeRavenTable } = await import(join(ROOT, 'dist', 'esm', 'index.mjs'));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'truth'), { recursive: true });
  mkdirSync(join(dir, 'pred'), { recursive: true });
  let s = 12345;
  const r = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  for (let t = 0; t < 100; t++) {
    const truth = [];
    const pred = [];
    for (let k = 0; k < 100; k++) {
      const begin = k * 30 + r() * 20;
      const e = { begin, end: begin + 0.3 + r() * 2, lowFreq: 500 + r() * 1000, highFreq: 3000 + r() * 3000 };
      truth.push(e);
      if (k < 80) pred.push({ ...e, begin: e.begin + (r() - 0.5) * 0.2, end: e.end + (r() - 0.5) * 0.2, score: r() });
      else pred.push({ begin: k * 30 + 25, end: k * 30 + 26, lowFreq: 0, highFreq: 8000, score: r() });
    }
    await writeRavenTable(join(dir, 'truth', `tape${t}.Table.1.selections.txt`), truth);
    await writeRavenTable(join(dir, 'pred', `tape${t}.Table.1.selections.txt`), pred);
  }
}

/** 5,000 + 2,000 rows of 90 features, two classes told apart by 5 of them (seeded). */
function forestData() {
  let s = 777;
  const r = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const gauss = () => Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
  const rows = (n) => {
    const x = [];
    const y = [];
    for (let i = 0; i < n; i++) {
      const c = r() < 0.4 ? 1 : 0;
      x.push(Array.from({ length: 90 }, (_, j) => Math.fround(gauss() + (j < 5 ? c * 0.8 : 0))));
      y.push(c);
    }
    return { x, y };
  };
  const train = rows(5000);
  const test = rows(2000);
  return { x: train.x, y: train.y, xTest: test.x, yTest: test.y };
}

function stage(mode, windows, model) {
  return JSON.parse(timed(process.execPath, [join(ROOT, 'bench', 'lib', 'scan-stages.cjs'), mode, String(windows), model], ENV).stdout.trim());
}

async function main() {
  const seconds = QUICK ? 600 : 7200;
  const tape = join(TMP_DIR, 'detect', `tape-${seconds}s-48k.wav`);
  log(`making the ${seconds / 60}-minute tape ...`);
  makeTape(tape, seconds);
  const results = { date: new Date().toISOString(), machine: `${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}`, node: process.version, quick: QUICK, loadBefore: os.loadavg().map((x) => Number(x.toFixed(2))) };
  const out = join(TMP_DIR, 'detect', 'out');

  const { readFileSync } = await import('node:fs');
  results.scans = [];
  for (const model of MODELS) {
    // 1. The scan.
    const runs = [];
    for (let k = 0; k < 2; k++) {
      rmSync(out, { recursive: true, force: true });
      const spec = join(ROOT, 'bench', 'models', `${model}.json`);
      const r = timed(process.execPath, ['--require', rssHook(), CLI, 'detect', tape, '--model', spec, '--seq-len', '0.4', '--hop', '0.05', '--threshold', '0.5', '--activation', 'sigmoid', '--out', out, '--quiet'], ENV);
      runs.push({ ms: r.ms, ...rssOf(r.stderr) });
      log(`detect, ${model}: ${(r.ms / 1000).toFixed(1)} s`);
    }
    const index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8'));
    const scan = { model, seconds, windows: index.windows, selections: index.events, ...summarizeRuns(runs) };
    scan.realtime = seconds / (scan.ms / 1000);
    scan.usPerWindow = (scan.ms * 1000) / scan.windows;

    // 2. The stages alone.
    scan.inferenceMs = stage('inference', scan.windows, model).ms;
    scan.frontendMs = stage('frontend', scan.windows, model).ms;
    scan.inferenceShare = scan.inferenceMs / scan.ms;
    scan.ownShare = 1 - scan.inferenceShare;
    log(`${model}: scan ${(scan.ms / 1000).toFixed(1)} s (${scan.realtime.toFixed(0)}x realtime, ${scan.usPerWindow.toFixed(1)} us/window, peak RSS ${scan.peakRssMB} MB); inference alone ${(scan.inferenceMs / 1000).toFixed(1)} s (${(100 * scan.inferenceShare).toFixed(0)} %), frontend alone ${(scan.frontendMs / 1000).toFixed(1)} s; audiomill's own ${(100 * scan.ownShare).toFixed(0)} % (target <= 20 %)`);

    // 3. The Python peer.
    if (!argv.includes('--no-python') && existsSync(PYTHON)) {
      const p = timed(PYTHON, [join(ROOT, 'bench', 'python', 'detect_scan_bench.py'), tape, '0.5', model]);
      const py = { ms: p.ms, ...JSON.parse(p.stdout.trim()) };
      py.realtime = seconds / (py.ms / 1000);
      py.speedup = py.ms / scan.ms;
      scan.python = py;
      log(`${model}: python ${(py.ms / 1000).toFixed(1)} s (${py.realtime.toFixed(0)}x realtime): audiomill ${py.speedup.toFixed(1)}x`);
    }
    results.scans.push(scan);
  }

  // 4. eval detect.
  const tables = join(TMP_DIR, 'detect', 'tables');
  await makeTables(tables);
  const ev = [];
  for (let k = 0; k < 3; k++) {
    const r = timed(process.execPath, [CLI, 'eval', 'detect', '--truth', join(tables, 'truth'), '--pred', join(tables, 'pred'), '--iou', '0.4', '--quiet', '--out', join(tables, 'metrics.csv')]);
    ev.push({ ms: r.ms });
  }
  results.evalDetect = { detections: 10000, truths: 10000, tapes: 100, ...summarizeRuns(ev), metrics: readFileSync(join(tables, 'metrics.csv'), 'utf8').trim().split('\n')[1] };
  log(`eval detect: ${(results.evalDetect.ms / 1000).toFixed(2)} s (${results.evalDetect.metrics})`);
  // 5. The forest.
  const data = join(TMP_DIR, 'detect', 'forest.json');
  writeFileSync(data, JSON.stringify(forestData()));
  const ours = JSON.parse(timed(process.execPath, [join(ROOT, 'bench', 'lib', 'forest-run.mjs'), data], ENV).stdout.trim());
  results.forest = { rows: 5000, features: 90, trees: 100, audiomill: ours };
  if (existsSync(PYTHON)) results.forest.sklearn = JSON.parse(timed(PYTHON, [join(ROOT, 'bench', 'python', 'forest_bench.py'), data]).stdout.trim());
  const sk = results.forest.sklearn;
  log(`forest: fit ${ours.fit_ms.toFixed(0)} ms, predict ${ours.predict_ms.toFixed(1)} ms, accuracy ${ours.accuracy}${sk ? `; scikit-learn fit ${sk.fit_ms.toFixed(0)} ms, predict ${sk.predict_ms.toFixed(1)} ms, accuracy ${sk.accuracy}` : ''}`);
  results.loadAfter = os.loadavg().map((x) => Number(x.toFixed(2)));

  const { dest, name } = writeResults('detect', results, QUICK);
  log(`wrote ${join(dest, name)}`);
  const report = writeReport(dest, 'detect', 'Detection', results, [
    `Load average before ${results.loadBefore.join(' / ')}, after ${results.loadAfter.join(' / ')}. 2 threads; each run a fresh process.`,
    '',
    `A ${seconds / 60}-minute 48-kHz tape, windows of 0.4 s every 0.05 s (${results.scans[0].windows} windows), log-mel (n_fft 2048, hop 1024, 64 mels) and a window classifier (bench/models/; median of 2):`,
    '',
    '| classifier | `audiomill detect` | × realtime | µs a window | peak RSS | inference alone | audiomill\'s own work | log-mel alone | Python (torch, 2 threads) | speed-up |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...results.scans.map((c) => `| ${c.model} | ${(c.ms / 1000).toFixed(1)} s (${(c.best / 1000).toFixed(1)}-${(c.worst / 1000).toFixed(1)}) | **${c.realtime.toFixed(0)}×** | ${c.usPerWindow.toFixed(1)} | ${c.peakRssMB} MB | ${(c.inferenceMs / 1000).toFixed(1)} s | **${(100 * c.ownShare).toFixed(0)} %** (target <= 20 %) | ${(c.frontendMs / 1000).toFixed(1)} s | ${c.python ? `${(c.python.ms / 1000).toFixed(1)} s (${c.python.realtime.toFixed(0)}×)` : 'n/a'} | ${c.python ? `**${c.python.speedup.toFixed(1)}×**` : ''} |`),
    '',
    "Inference alone: onnxruntime-node on the same number of windows as the scan runs it (two single-threaded sessions, one per core); audiomill's own work: 1 − inference alone ÷ the scan.",
    '',
    `The filter's forest, 100 trees on 5,000 rows of 90 features (2 threads), median of 3: fit ${results.forest.audiomill.fit_ms.toFixed(0)} ms, probabilities of 2,000 rows ${results.forest.audiomill.predict_ms.toFixed(1)} ms, held-out accuracy ${results.forest.audiomill.accuracy}${results.forest.sklearn ? `; scikit-learn 1.2 (n_jobs 2): ${results.forest.sklearn.fit_ms.toFixed(0)} ms, ${results.forest.sklearn.predict_ms.toFixed(1)} ms, ${results.forest.sklearn.accuracy}: fit **${(results.forest.sklearn.fit_ms / results.forest.audiomill.fit_ms).toFixed(1)}×**, predict **${(results.forest.sklearn.predict_ms / results.forest.audiomill.predict_ms).toFixed(1)}×**` : ''}.`,
    '',
    `\`audiomill eval detect\`, 10,000 detections against 10,000 truths over 100 tapes (Raven tables), a fresh process, median of 3: **${(results.evalDetect.ms / 1000).toFixed(2)} s** (target under 1 s).`,
    '',
  ]);
  console.log(report);
}

main();
