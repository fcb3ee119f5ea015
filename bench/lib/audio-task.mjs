/**
 * One measurement of bench/audio.mjs, in its own process; prints one JSON line.
 *   wav-decode <file.wav> <reps>                 loadAudioSync(mono: false), GB of file per second
 *   decode-resample <file.wav> <method> <reps>   loadAudioSync at 16 kHz (one thread), ms
 *   compare <file.wav> <torchaudio.f32>          max |Δ| between our kaiser resample and torchaudio's
 *   long <file.wav>                              openAudioStream -> 16 kHz mono -> MelSpectrogram stream
 */
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { measure, summarize } from './stats.mjs';

const require = createRequire(import.meta.url);
const am = require('../../dist/cjs/index.js');
const [task, file, a, b] = process.argv.slice(2);

function resampleOption(method) {
  return method === 'kaiser_best' ? 'kaiser_best' : { method };
}

async function main() {
  if (task === 'wav-decode') {
    // The decoder into arrays that are reused (what a reader of many spans does with { out }), and
    // loadAudioSync end to end, whose fresh output pages the OS must first fault in and zero.
    const bytes = statSync(file).size;
    const reps = { warmup: 1, minReps: Number(a), maxReps: Number(a), minTimeMs: 0 };
    const f = am.openAudioFileSync(file);
    const out = Array.from({ length: f.info.channels }, () => new Float32Array(f.info.numFrames));
    const reused = summarize((await measure(() => f.readSync(0, f.info.numFrames, { out })[0].length, reps)).timesMs);
    f.close();
    const fresh = summarize((await measure(() => am.loadAudioSync(file, { mono: false }).numFrames, reps)).timesMs);
    const gbps = (ms) => bytes / 1e9 / (ms / 1e3);
    return {
      fileBytes: bytes,
      reused,
      fresh,
      bestGBps: gbps(reused.bestMs),
      medianGBps: gbps(reused.medianMs),
      freshBestGBps: gbps(fresh.bestMs),
      freshMedianGBps: gbps(fresh.medianMs),
    };
  }
  if (task === 'decode-resample') {
    const options = { sampleRate: 16000, resample: resampleOption(a), threads: 1 };
    const { timesMs: times } = await measure(() => am.loadAudioSync(file, options).numFrames, { warmup: 1, minReps: Number(b), maxReps: Number(b), minTimeMs: 0 });
    return summarize(times);
  }
  if (task === 'compare') {
    const ours = am.loadAudioSync(file, { sampleRate: 16000, resample: { method: 'sinc_interp_kaiser' } }).channels[0];
    const buf = readFileSync(a);
    const ref = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
    let m = ours.length === ref.length ? 0 : Infinity;
    for (let i = 0; i < Math.min(ours.length, ref.length); i++) m = Math.max(m, Math.abs(ours[i] - ref[i]));
    return { maxAbs: m, ours: ours.length, ref: ref.length };
  }
  if (task === 'long') {
    const mel = new am.MelSpectrogram({ sampleRate: 16000, nFft: 400, hopLength: 160, nMels: 80 });
    const fs = mel.stream();
    const t0 = performance.now();
    let frames = 0;
    let samples = 0;
    let checksum = 0;
    for await (const block of am.openAudioStream(file, { sampleRate: 16000, blockSize: 16000 * 30 })) {
      samples += block.numFrames;
      const t = fs.push(block.channels[0]);
      frames += t.shape[1];
      checksum += t.data[0] ?? 0;
    }
    frames += fs.flush().shape[1];
    const seconds = (performance.now() - t0) / 1e3;
    return {
      seconds,
      samples,
      frames,
      expectedFrames: mel.numFrames(samples),
      realtime: samples / 16000 / seconds,
      peakRssMB: process.resourceUsage().maxRSS / 1024,
      checksum,
    };
  }
  throw new Error(`unknown task ${task}`);
}

main().then((r) => console.log(JSON.stringify(r)));
