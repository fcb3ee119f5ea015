#!/usr/bin/env node
/**
 * audiomill vs torchaudio on the three workloads of a dataset pipeline (`npm run bench:features`):
 *
 *   meldb   AmplitudeToDB({ topDb: 80 }).compute(MelSpectrogram(A).compute(x)) on 600 s at 16 kHz,
 *           against torchaudio's AmplitudeToDB(top_db=80)(MelSpectrogram(...)(x))   target >= 10x
 *   logmel  LogMelSpectrogram(A).compute(x) on the same 600 s, against the same torchaudio idiom  target >= 12x
 *   clips   the 600 s cut into 120 five-second clips, LogMelSpectrogram.compute once per clip,
 *           against the torchaudio idiom once per clip                                  target >= 6x
 *
 * Config A of bench/configs.json (n_fft 512, hop 160, 64 HTK mels, reflect padding). Everything
 * runs pinned to CPU 0 (`taskset -c 0`) with one thread on both sides (AUDIOMILL_NUM_THREADS=1,
 * torch.set_num_threads(1), OMP/OPENBLAS/MKL_NUM_THREADS=1). Each round runs one fresh Node
 * process and one fresh Python process, in alternating order, and the ratio is taken per round
 * (same-run ratios); the table gives the median over rounds. audiomill is timed with fresh
 * outputs (the default call, the one the targets are judged on) and with `{ out }` arrays reused.
 *
 *   node bench/features.mjs [--rounds 5] [--reps 7] [--seconds 600] [--quick] [--clock-mhz MHZ]
 *   (--clock-mhz: the core clock for the FLOP peak, e.g. measured; default: /proc/cpuinfo's, nominal under a VM)
 *   node bench/features.mjs --worker '<json job>'     (one measurement process; used by the above)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { join, relative } from 'node:path';
import { BENCH_DIR, TMP_DIR, generateSignal, readF32, sha256, writeF32 } from './signal.mjs';
import { median } from './lib/stats.mjs';

const ROOT = join(BENCH_DIR, '..');
const RESULTS_DIR = join(BENCH_DIR, 'results');
const CONFIG_ID = 'A';
const CONFIG = JSON.parse(readFileSync(join(BENCH_DIR, 'configs.json'), 'utf8'))[CONFIG_ID];
const PYTHON = '/usr/bin/python3';
const PY_SCRIPT = join(BENCH_DIR, 'python', 'features_bench.py');
const CLIP_SECONDS = 5;
const TARGETS = { meldb: 10, logmel: 12, clips: 6 };
const LABELS = {
  meldb: 'MelSpectrogram + AmplitudeToDB(topDb 80), one long signal',
  logmel: 'LogMelSpectrogram, one long signal',
  clips: `LogMelSpectrogram, ${CLIP_SECONDS}-s clips one call each`,
};

const argv = process.argv.slice(2);
const opt = (name, def) => {
  const i = argv.indexOf(name);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : def;
};

// ---------------------------------------------------------------- the Node measurement process
async function worker(job) {
  const require = createRequire(import.meta.url);
  const am = require(ROOT);
  const x = readF32(job.signal);
  const clipLen = CLIP_SECONDS * CONFIG.sampleRate;
  const clips = [];
  for (let i = 0; i + clipLen <= x.length; i += clipLen) clips.push(x.slice(i, i + clipLen));
  const common = {
    sampleRate: CONFIG.sampleRate, nFft: CONFIG.nFft, winLength: CONFIG.winLength, hopLength: CONFIG.hopLength,
    nMels: CONFIG.nMels, melScale: CONFIG.melScale, norm: CONFIG.norm, padMode: CONFIG.padMode,
  };
  const mel = new am.MelSpectrogram(common);
  const db = new am.AmplitudeToDB({ topDb: CONFIG.topDb });
  const logmel = new am.LogMelSpectrogram({ ...common, topDb: CONFIG.topDb });
  const shape = mel.outputShape(x.length);
  const melOut = new Float32Array(shape[0] * shape[1]);
  const dbOut = new Float32Array(melOut.length);
  const clipOut = new Float32Array(logmel.outputShape(clipLen).reduce((a, b) => a * b, 1));
  if (job.check) {
    const ta = readF32(job.check);
    const y = db.compute(mel.compute(x)).data;
    const z = logmel.compute(x).data;
    let dMelDb = 0, dLogmel = 0, dFusedVsIdiom = 0;
    for (let i = 0; i < y.length; i++) {
      dMelDb = Math.max(dMelDb, Math.abs(y[i] - ta[i]));
      dLogmel = Math.max(dLogmel, Math.abs(z[i] - ta[i]));
      dFusedVsIdiom = Math.max(dFusedVsIdiom, Math.abs(z[i] - y[i]));
    }
    console.log(JSON.stringify({ sameShape: ta.length === y.length, maxAbsDbMeldb: dMelDb, maxAbsDbLogmel: dLogmel, maxAbsDbFusedVsIdiom: dFusedVsIdiom }));
    return;
  }
  const runs = {
    meldb: () => db.compute(mel.compute(x)),
    meldbOut: () => db.compute(mel.compute(x, { out: melOut }), { out: dbOut }),
    meldbJs: () => jsAmplitudeToDB(mel.compute(x, { out: melOut }).data, CONFIG.topDb, dbOut),
    melOnly: () => mel.compute(x, { out: melOut }),
    dbOnly: () => db.compute({ data: melOut, shape }, { out: dbOut }),
    dbOnlyJs: () => jsAmplitudeToDB(melOut, CONFIG.topDb, dbOut),
    logmel: () => logmel.compute(x),
    logmelOut: () => logmel.compute(x, { out: melOut }),
    clips: () => { for (const c of clips) logmel.compute(c); },
    clipsOut: () => { for (const c of clips) logmel.compute(c, { out: clipOut }); },
  };
  const gc = typeof globalThis.gc === 'function' ? globalThis.gc : () => {};
  const results = {};
  for (const [name, fn] of Object.entries(runs)) {
    for (let i = 0; i < job.warmup; i++) fn();
    const times = [];
    for (let i = 0; i < job.reps; i++) {
      if (name.endsWith('Out')) gc(); // the fresh-output rows keep their GC cost inside the timing
      const t0 = performance.now();
      fn();
      times.push(performance.now() - t0);
    }
    results[name] = { timesMs: times, bestMs: Math.min(...times), medianMs: median(times) };
  }
  console.log(JSON.stringify({
    simd: am.capabilities().simd, threads: am.getNumThreads(), frames: shape[1], clips: clips.length,
    clipFrames: logmel.outputShape(clipLen)[1], nonZeroMelWeights: Array.from(mel.fbanks.data).filter((v) => v !== 0).length,
    results,
  }));
}

/** AmplitudeToDB as audiomill computed it in JavaScript before 0.2 (float64 log10 per value). */
function jsAmplitudeToDB(x, topDb, out) {
  for (let i = 0; i < out.length; i++) out[i] = 10 * Math.log10(Math.max(x[i], 1e-10));
  let peak = -Infinity;
  for (let i = 0; i < out.length; i++) if (out[i] > peak) peak = out[i];
  const floor = peak - topDb;
  for (let i = 0; i < out.length; i++) if (out[i] < floor) out[i] = floor;
  return out;
}

// ---------------------------------------------------------------- orchestration
function run(cmd, args, env) {
  const r = spawnSync('taskset', ['-c', '0', cmd, ...args], { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 64 << 20, timeout: 1_200_000 });
  const last = (r.stdout ?? '').trim().split('\n').pop();
  try {
    if (r.status === 0) return JSON.parse(last);
  } catch {
    /* below */
  }
  return { error: `exit ${r.status}: ${(r.stderr ?? '').trim().split('\n').slice(-3).join(' | ')}` };
}

function oneThreadEnv() {
  const env = { ...process.env, AUDIOMILL_NUM_THREADS: '1', OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  delete env.AUDIOMILL_SIMD;
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return env;
}

function cpuInfo() {
  const model = /^Model name:\s*(.+)$/m.exec(spawnSync('lscpu', [], { encoding: 'utf8' }).stdout ?? '')?.[1]?.trim() ?? os.cpus()[0]?.model;
  const mhz = Number(/^cpu MHz\s*:\s*([\d.]+)/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]) || os.cpus()[0]?.speed || null;
  const flags = /^flags\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? '';
  return { model, mhz, avx512: / avx512f /.test(` ${flags} `), fma: / fma /.test(` ${flags} `), vendor: /AuthenticAMD/.test(readFileSync('/proc/cpuinfo', 'utf8')) ? 'AMD' : 'Intel/other' };
}

/** FLOPs per frame of config A: real FFT 5 N log2 N / 2, |X|^2, the mel product over non-zero weights, the log. */
function flopsPerFrame(nonZeroMelWeights) {
  const n = CONFIG.nFft, bins = n / 2 + 1;
  const fft = (5 * n * Math.log2(n)) / 2;
  const power = 3 * bins;
  const melMul = 2 * nonZeroMelWeights;
  const log = 25 * CONFIG.nMels; // range reduction + degree-9 polynomial + scale, per output
  return { fft, power, mel: melMul, log, total: fft + power + melMul + log };
}

const fmt = (v, d = 1) => (v == null || !Number.isFinite(v) ? '—' : v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(d));

function main() {
  const quick = argv.includes('--quick');
  const rounds = Number(opt('--rounds', quick ? 1 : 5));
  const reps = Number(opt('--reps', quick ? 3 : 7));
  const seconds = Number(opt('--seconds', quick ? 60 : 600));
  const started = new Date();
  mkdirSync(TMP_DIR, { recursive: true });
  const signal = join(TMP_DIR, `signal_${CONFIG.sampleRate}_${seconds}s.f32`);
  if (!existsSync(signal)) writeF32(signal, generateSignal(CONFIG.sampleRate, seconds));
  const env = oneThreadEnv();
  const cpu = cpuInfo();
  if (opt('--clock-mhz')) cpu.mhz = Number(opt('--clock-mhz'));
  const ta = spawnSync(PYTHON, ['-c', 'import torch, torchaudio; print(torch.__version__, torchaudio.__version__)'], { encoding: 'utf8', env });
  const haveTa = ta.status === 0;
  console.error(`features bench: ${seconds} s at ${CONFIG.sampleRate} Hz, ${rounds} round(s) x ${reps} reps; ${cpu.model}; torchaudio ${haveTa ? ta.stdout.trim() : 'not available (' + (ta.stderr ?? '').trim().split('\n').pop() + ')'}`);

  // Outputs agree before timing.
  let check = null;
  if (haveTa) {
    const dump = run(PYTHON, [PY_SCRIPT, '--signal', signal, '--dump', TMP_DIR], env);
    if (!dump.error) check = run(process.execPath, [join(BENCH_DIR, 'features.mjs'), '--worker', JSON.stringify({ signal, check: join(TMP_DIR, 'torchaudio_meldb.f32') })], env);
    console.error(`check: ${JSON.stringify(check ?? dump)}`);
  }

  const node = [], python = [];
  const loads = [];
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? ['node', 'python'] : ['python', 'node'];
    for (const who of order) {
      if (who === 'python' && !haveTa) continue;
      const t0 = os.loadavg()[0];
      const res = who === 'node'
        ? run(process.execPath, ['--expose-gc', join(BENCH_DIR, 'features.mjs'), '--worker', JSON.stringify({ signal, warmup: 2, reps })], env)
        : run(PYTHON, [PY_SCRIPT, '--signal', signal, '--reps', String(reps), '--warmup', '2', '--clip-seconds', String(CLIP_SECONDS)], env);
      loads.push(t0);
      if (res.error) throw new Error(`${who} round ${r + 1}: ${res.error}`);
      (who === 'node' ? node : python).push(res);
      const m = (k) => fmt(res.results[k]?.medianMs, 2);
      console.error(`round ${r + 1} ${who}: meldb ${m('meldb')} ms, logmel ${m('logmel')} ms, clips ${m('clips')} ms (load ${t0.toFixed(2)})`);
    }
  }

  const n0 = node[0];
  const audioSeconds = seconds;
  const frames = n0.frames;
  const clipFrames = n0.clipFrames * n0.clips;
  const f = flopsPerFrame(n0.nonZeroMelWeights);
  const laneFlops = cpu.avx512 ? 16 : 8;
  const peak = cpu.mhz ? (laneFlops * 2 * 2 * cpu.mhz) / 1000 : null; // GFLOP/s: lanes x (mul+add) x 2 FMA units x GHz
  const rows = [];
  const medOf = (list, key) => median(list.map((x) => x.results[key].medianMs));
  const bestOf = (list, key) => Math.min(...list.map((x) => x.results[key].bestMs));
  const perRound = (key, taKey) => (haveTa ? python.map((p, i) => p.results[taKey].medianMs / node[i].results[key].medianMs) : []);
  for (const [key, taKey, label] of [
    ['meldb', 'meldb', 'default call (fresh outputs)'],
    ['meldbOut', 'meldb', '`{ out }` reused'],
    ['logmel', 'logmel', 'default call (fresh outputs)'],
    ['logmelOut', 'logmel', '`{ out }` reused'],
    ['clips', 'clips', 'default call (fresh outputs)'],
    ['clipsOut', 'clips', '`{ out }` reused'],
  ]) {
    const ms = medOf(node, key);
    const workload = key.replace('Out', '');
    const nFrames = workload === 'clips' ? clipFrames : frames;
    const ratios = perRound(key, taKey);
    rows.push({
      workload, variant: label, medianMs: ms, bestMs: bestOf(node, key),
      torchaudioMedianMs: haveTa ? medOf(python, taKey) : null,
      ratioPerRound: ratios, ratio: ratios.length ? median(ratios) : null,
      xRealtime: audioSeconds / (ms / 1000),
      gflops: (nFrames * f.total) / (ms / 1000) / 1e9,
      target: TARGETS[workload],
    });
  }
  const dbRows = {
    melOnly: medOf(node, 'melOnly'), dbOnly: medOf(node, 'dbOnly'), dbOnlyJs: medOf(node, 'dbOnlyJs'), meldbJs: medOf(node, 'meldbJs'),
  };
  const result = {
    schema: 'audiomill-bench-features/1', date: started.toISOString(), command: `node bench/features.mjs ${argv.join(' ')}`.trim(),
    machine: { cpu: cpu.model, vendor: cpu.vendor, cores: os.cpus().length, mhz: cpu.mhz, simd: n0.simd, node: process.version, kernel: os.release(), loadavg: loads },
    torchaudio: haveTa ? ta.stdout.trim() : null, config: CONFIG, seconds, signal: { path: relative(ROOT, signal), sha256: sha256(signal) },
    rounds, reps, check, flopsPerFrame: f, peakGflops: peak, frames, clipFrames, rows, dbRows, node, python,
  };
  const day = started.toISOString().slice(0, 10);
  const slug = String(cpu.model).toLowerCase().replace(/\(r\)|\(tm\)|cpu|processor|@.*$/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  const name = `${day}-features-${slug}-${os.cpus().length}c`;
  const jsonPath = quick ? join(TMP_DIR, `quick-${name}.json`) : join(RESULTS_DIR, `${name}.json`);
  writeFileSync(jsonPath, JSON.stringify(result, null, 1) + '\n');
  const md = render(result, relative(RESULTS_DIR, jsonPath));
  if (!quick) writeFileSync(join(RESULTS_DIR, 'features-latest.md'), md);
  console.log(md);
}

function render(r, jsonName) {
  const m = r.machine;
  const out = ['# audiomill vs torchaudio: dB, long signals, many clips', '', '<!-- generated by bench/features.mjs; do not edit by hand -->', ''];
  out.push(`**Machine:** ${m.cpu}, ${m.cores} cores (${m.mhz} MHz reported), audiomill SIMD ${m.simd}, Node ${m.node}. **Date:** ${r.date.slice(0, 10)}. ` +
    `**Run:** \`${r.command}\`, ${r.rounds} round(s) × ${r.reps} reps, load average at each process start ${m.loadavg.map((v) => v.toFixed(2)).join(', ')}. ` +
    `torchaudio/torch ${r.torchaudio ?? 'not run'}. Raw data: [${jsonName}](${jsonName}).`, '');
  out.push(`Signal: ${r.seconds} s of the fixed-seed test signal at ${r.config.sampleRate} Hz (\`bench/signal.mjs\`), config ${CONFIG_ID} (${r.config.label}); ` +
    `the clips workload cuts the same signal into ${r.rows.find((x) => x.workload === 'clips') ? r.clipFrames / (r.node[0].clipFrames) : '?'} clips of ${CLIP_SECONDS} s. ` +
    'Both sides pinned to CPU 0 with one thread; one fresh Node and one fresh Python process per round, alternating order; "÷ torchaudio" is the median over rounds of the per-round ratio of medians.', '');
  if (r.check) out.push(`Output check (whole ${r.seconds}-s output, dB): audiomill MelSpectrogram + AmplitudeToDB vs torchaudio max |Δ| ${r.check.maxAbsDbMeldb?.toExponential(2)} dB; LogMelSpectrogram vs torchaudio ${r.check.maxAbsDbLogmel?.toExponential(2)} dB; fused vs two-step ${r.check.maxAbsDbFusedVsIdiom?.toExponential(2)} dB.`, '');
  out.push('| Workload | audiomill call | audiomill median ms | torchaudio median ms | ÷ torchaudio (per-round ratios) | target | × realtime | GFLOP/s (share of peak) |');
  out.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const row of r.rows) {
    const met = row.ratio == null ? '' : row.ratio >= row.target ? ' ✓' : ' ✗';
    out.push(`| ${LABELS[row.workload]} | ${row.variant} | ${fmt(row.medianMs, 2)} | ${fmt(row.torchaudioMedianMs, 1)} | ${row.ratio == null ? '—' : row.ratio.toFixed(1) + '×' + met} (${row.ratioPerRound.map((v) => v.toFixed(1)).join(', ')}) | ≥ ${row.target}× | ${fmt(row.xRealtime)}× | ${row.gflops.toFixed(1)}${r.peakGflops ? ` (${((100 * row.gflops) / r.peakGflops).toFixed(1)} %)` : ''} |`);
  }
  out.push('');
  const d = r.dbRows;
  out.push(`dB step alone on the ${r.frames}-frame mel output (${r.config.nMels} × ${r.frames} values, \`{ out }\` reused): native ${fmt(d.dbOnly, 2)} ms vs the former JavaScript loop ${fmt(d.dbOnlyJs, 2)} ms (${(d.dbOnlyJs / d.dbOnly).toFixed(1)}×); the mel spectrogram itself ${fmt(d.melOnly, 2)} ms.`, '');
  const f = r.flopsPerFrame;
  out.push(`FLOPs per frame (config ${CONFIG_ID}): real FFT 5·N·log2 N / 2 = ${f.fft}, |X|² ${f.power}, mel product 2 × non-zero weights = ${f.mel}, log ~25 per mel = ${f.log}: ${f.total} in all. ` +
    `Peak: ${r.machine.simd === 'avx512' ? 16 : 8} float lanes × 2 (multiply + add) × 2 FMA units × ${r.machine.mhz} MHz (${r.command.includes('--clock-mhz') ? 'given with --clock-mhz' : 'the clock /proc/cpuinfo reports; under KVM this is the nominal TSC clock, boost not visible'}) = ${r.peakGflops?.toFixed(0)} GFLOP/s. ` +
    (r.machine.vendor === 'AMD' ? 'Zen 4 cores (AMD EPYC 9xx4) execute 512-bit FMAs as two 256-bit halves, so their real fp32 peak is half that figure.' : ''), '');
  out.push('See bench/README.md for the method.', '');
  return out.join('\n');
}

// Last, so every const above is initialised.
if (argv[0] === '--worker') {
  await worker(JSON.parse(argv[1]));
} else {
  main();
}
