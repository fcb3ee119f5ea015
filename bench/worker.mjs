#!/usr/bin/env node
/**
 * One measurement in a fresh process, started by bench/run.mjs (pinning and
 * thread caps are applied by the parent through taskset and the environment).
 * argv[2] is a JSON job; the last stdout line is the JSON result.
 *
 *   { task: 'time',  contender: 'audiomill'|'fftjs'|'meyda', config: 'A', threads: 1|'all', seconds?, simd?, out?, timing }
 *     out: true (audiomill only) times compute(x, { out }) with one output array allocated before the warm-up
 *     and reused by every repetition.
 *   { task: 'batch', config: 'A', threads: 1|2, clips: 200, clipSeconds: 5, timing }
 *   { task: 'check', configs: ['A', ...], torchaudioDir?: string, seconds? }
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_DIR, readF32, signalPath } from './signal.mjs';
import { loadAudiomill, makeTransform } from './lib/audiomill.mjs';
import { measure } from './lib/stats.mjs';

const CONFIGS = JSON.parse(readFileSync(join(BENCH_DIR, 'configs.json'), 'utf8'));

/** The signal a config reads (Kaldi takes int16-scaled samples, as torchaudio's kaldi.fbank). */
export function inputFor(cfg, seconds) {
  let x = readF32(signalPath(cfg.sampleRate));
  if (seconds) x = x.slice(0, Math.round(seconds * cfg.sampleRate));
  if (cfg.kind === 'kaldi') x = x.map((v) => v * 32768);
  return x;
}

async function peer(name, cfg) {
  const mod = name === 'fftjs' ? await import('./lib/fftjs-pipeline.mjs') : await import('./lib/meyda-pipeline.mjs');
  return mod.make(cfg);
}

async function timeJob(job) {
  const cfg = CONFIGS[job.config];
  const x = inputFor(cfg, job.seconds);
  const audioSeconds = x.length / cfg.sampleRate;
  const res = { ...job, audioSeconds, pid: process.pid };
  if (job.contender === 'audiomill') {
    const am = await loadAudiomill();
    if (job.simd) am.setSimdLevel(job.simd);
    if (job.threads === 1) am.setNumThreads(1);
    const caps = am.capabilities();
    res.simd = caps.simd;
    res.threadsUsed = caps.threads;
    res.addon = addonInfo();
    const t = makeTransform(am, cfg);
    let fn = () => t.compute(x);
    if (job.out) {
      // Allocated once, before the warm-up; every repetition writes into the same array.
      const out = new Float32Array(t.outputShape(x.length).reduce((a, b) => a * b, 1));
      res.outLength = out.length;
      fn = () => {
        const y = t.compute(x, { out });
        if (y.data !== out) throw new Error('compute(x, { out }) did not return out as its data');
        return y;
      };
    }
    const r = await measure(fn, job.timing);
    res.shape = r.sink.shape;
    Object.assign(res, strip(r));
  } else {
    const p = await peer(job.contender, cfg);
    if (!p) return { ...res, skipped: true };
    res.threadsUsed = 1;
    const r = await measure(() => p.compute(x), job.timing);
    res.shape = r.sink.shape;
    Object.assign(res, strip(r));
  }
  res.maxRssKb = process.resourceUsage().maxRSS;
  res.xRealtimeBest = audioSeconds / (res.bestMs / 1000);
  res.xRealtimeMedian = audioSeconds / (res.medianMs / 1000);
  return res;
}

async function batchJob(job) {
  const cfg = CONFIGS[job.config];
  const x = inputFor(cfg);
  const len = Math.round(job.clipSeconds * cfg.sampleRate);
  // Distinct clips from across the signal (offsets step by a prime, wrapping).
  const clips = [];
  for (let i = 0; i < job.clips; i++) {
    const off = (i * 104729) % (x.length - len);
    clips.push(x.slice(off, off + len));
  }
  const am = await loadAudiomill();
  const t = makeTransform(am, cfg);
  const caps = am.capabilities();
  const r = await measure(() => t.computeBatchAsync(clips, { threads: job.threads }), job.timing);
  const audioSeconds = (job.clips * len) / cfg.sampleRate;
  return {
    ...job,
    pid: process.pid,
    simd: caps.simd,
    poolCap: caps.threads,
    addon: addonInfo(),
    maxRssKb: process.resourceUsage().maxRSS,
    audioSeconds,
    outputs: r.sink.length,
    ...strip(r),
    xRealtimeBest: audioSeconds / (r.bestMs / 1000),
    xRealtimeMedian: audioSeconds / (r.medianMs / 1000),
  };
}

/** Which addon binary this process loaded (the addon may be rebuilt between jobs). */
function addonInfo() {
  try {
    const libs = process.report.getReport().sharedObjects.filter((p) => /audiomill[^/]*\.node$/.test(p));
    return libs.map((path) => {
      const st = statSync(path);
      return { path, size: st.size, mtime: st.mtime.toISOString(), sha256: createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 16) };
    });
  } catch {
    return null;
  }
}

/** Max |a-b| over all elements, in the output's own units. */
function maxAbsDiff(a, b) {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= m)) m = d; // NaN propagates as a failure
  }
  return m;
}

async function checkJob(job) {
  const am = await loadAudiomill();
  const out = [];
  for (const id of job.configs) {
    const cfg = CONFIGS[id];
    const x = inputFor(cfg, job.seconds);
    const ref = makeTransform(am, cfg).compute(x);
    // Kaldi outputs natural-log energies; convert |Δ| to dB (10/ln 10) so every row reads the same way.
    const toDb = cfg.kind === 'kaldi' ? 10 / Math.LN10 : 1;
    const row = { config: id, shape: ref.shape, simd: am.capabilities().simd, addon: addonInfo() };
    // The out= path (timed as "audiomill (out=)") must give the default call's output exactly: out starts as NaN
    // so a cell it fails to write shows up, and it is written twice so a stale read of the first call would too.
    {
      const t = makeTransform(am, cfg);
      const out = new Float32Array(ref.data.length).fill(NaN);
      t.compute(x, { out });
      const o = t.compute(x, { out });
      row.audiomillOut = o.data !== out ? { notOut: true } : sameShape(ref.shape, o.shape) ? { maxAbsDiffDb: maxAbsDiff(ref.data, out) * toDb } : { shapeMismatch: o.shape };
    }
    const f = await peer('fftjs', cfg);
    if (f) {
      const o = f.compute(x);
      row.fftjs = sameShape(ref.shape, o.shape) ? { maxAbsDiffDb: maxAbsDiff(ref.data, o.data) * toDb } : { shapeMismatch: o.shape };
    } else {
      row.fftjs = { skipped: 'n_fft not a power of two' };
    }
    const taPath = job.torchaudioDir ? join(job.torchaudioDir, `torchaudio_${id}.f32`) : null;
    if (taPath && existsSync(taPath)) {
      const meta = JSON.parse(readFileSync(taPath.replace(/\.f32$/, '.json'), 'utf8'));
      const o = readF32(taPath);
      row.torchaudio = sameShape(ref.shape, meta.shape) ? { maxAbsDiffDb: maxAbsDiff(ref.data, o) * toDb } : { shapeMismatch: meta.shape };
    }
    const mp = (await import('./lib/meyda-pipeline.mjs')).plan(cfg);
    row.meyda = { skipped: `not comparable: ${mp.note}` };
    out.push(row);
  }
  return { task: 'check', results: out };
}

const sameShape = (a, b) => a.length === b.length && a.every((v, i) => v === b[i]);
const strip = ({ sink, ...rest }) => rest;

const job = JSON.parse(process.argv[2] ?? '{}');
const run = { time: timeJob, batch: batchJob, check: checkJob }[job.task];
if (!run) {
  console.error(`unknown job ${process.argv[2]}`);
  process.exit(2);
}
run(job).then(
  (r) => process.stdout.write(JSON.stringify(r) + '\n'),
  (err) => {
    console.error(err?.stack ?? err);
    process.exit(1);
  },
);
