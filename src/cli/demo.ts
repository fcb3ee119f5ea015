/**
 * `audiomill demo`: the main job on built-in defaults. Builds a small dataset from the three CC-licensed clips
 * shipped in the package (manifest, embeddings, a cosine index, the explorer page) and prints where the page is.
 * `audiomill demo --speed`: a log-mel spectrogram (16 kHz, nFft 512, hop 160, 64 mels, top_db 80) of a built-in
 * test signal at every SIMD level, one thread and all threads, and the speed.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import { capabilities, setNumThreads, setSimdLevel, type SimdLevel } from '../dsp/runtime.js';
import { LogMelSpectrogram } from '../features/spectrogram.js';
import { parseNumber } from './args.js';
import { exploreReport, serveUntilStopped, stagedProgress } from './explore.js';
import { interruptSignal } from './progress.js';

/** Chirp 50 Hz -> 7 kHz plus two tones and light noise, deterministic. */
export function demoSignal(seconds: number, sampleRate = 16000): Float32Array {
  const n = Math.round(seconds * sampleRate);
  const x = new Float32Array(n);
  let seed = 12345;
  for (let i = 0; i < n; i++) {
    const t = i / sampleRate;
    const sweep = 50 + ((7000 - 50) * (t % 10)) / 10;
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    const noise = (seed / 4294967296 - 0.5) * 0.02;
    x[i] = 0.4 * Math.sin(2 * Math.PI * ((50 + sweep) / 2) * (t % 10)) + 0.2 * Math.sin(2 * Math.PI * 440 * t) + noise;
  }
  return x;
}

function timeBest(fn: () => void, reps: number): number {
  let best = Infinity;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best / 1000;
}

/** `demo --speed`: the log-mel of the built-in signal, timed at every SIMD level. */
async function speedDemo(opts: { seconds: string; reps: string }): Promise<void> {
  const seconds = Number(opts.seconds);
  const reps = Number(opts.reps);
  if (!(seconds > 0 && seconds <= 36000)) throw new RangeError(`Expected a number of seconds in (0, 36000] for --seconds but received ${opts.seconds}`);
  if (!(Number.isInteger(reps) && reps >= 1)) throw new RangeError(`Expected an integer >= 1 for --reps but received ${opts.reps}`);
  const caps = capabilities();
  const x = demoSignal(seconds);
  const logmel = new LogMelSpectrogram({ sampleRate: 16000, nFft: 512, hopLength: 160, nMels: 64 });
  const out = await logmel.computeAsync(x);
  let min = Infinity, max = -Infinity, sum = 0;
  for (const v of out.data) {
    min = Math.min(min, v);
    max = Math.max(max, v);
    sum += v;
  }
  const lines = [
    `audiomill demo: log-mel (16 kHz, nFft 512, hop 160, 64 mels, top_db 80) of a ${seconds} s built-in signal`,
    `result shape [${out.shape.join(', ')}], dB range ${min.toFixed(2)} .. ${max.toFixed(2)}, mean ${(sum / out.data.length).toFixed(2)}`,
    `SIMD detected: ${caps.simdDetected}; threads available: ${caps.threads}`,
    '',
    'level     threads   x realtime',
  ];
  const threadCap = caps.threads;
  for (const level of caps.simdLevels as SimdLevel[]) {
    setSimdLevel(level);
    for (const threads of [...new Set([1, threadCap])]) {
      setNumThreads(threads);
      logmel.compute(x.subarray(0, 16000));
      const s = timeBest(() => logmel.compute(x), reps);
      lines.push(`${level.padEnd(9)} ${String(threads).padEnd(9)} ${(seconds / s).toFixed(0).padStart(10)}`);
    }
  }
  setSimdLevel(caps.simd);
  setNumThreads(threadCap);
  process.stdout.write(`${lines.join('\n')}\n`);
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('the main job on built-in defaults: a small dataset from three shipped CC-licensed clips (speech, bird, trumpet) through manifest, embeddings and index to the explorer page; --speed: log-mel speed at every SIMD level')
    .option('--out <dir>', 'folder for the demo dataset and page', 'audiomill-demo')
    .option('--serve', 'then serve the page on 127.0.0.1 and print its URL (Ctrl-C stops)')
    .option('--port <n>', 'with --serve: the port (0: any free one)', '8765')
    .option('--quiet', 'no progress or report')
    .option('--speed', 'instead: time a log-mel spectrogram of a built-in signal at every SIMD level')
    .option('--seconds <n>', 'with --speed: length of the built-in signal in seconds', '60')
    .option('--reps <n>', 'with --speed: repetitions (best is reported)', '5')
    .action(async (opts: { out: string; serve?: boolean; port: string; quiet?: boolean; speed?: boolean; seconds: string; reps: string }) => {
      if (opts.speed) return speedDemo(opts);
      const port = parseNumber(opts.port, '--port', true);
      if (port < 0 || port > 65535) throw new RangeError(`Expected a port from 0 to 65535 for --port but received ${opts.port}`);
      const { buildDemo } = await import('../explore/demo.js');
      const r = await buildDemo({ out: opts.out, signal: interruptSignal(process.stderr, 'demo'), ...(opts.quiet ? {} : { progress: stagedProgress(process.stderr, 'demo') }) });
      if (!opts.quiet) {
        process.stderr.write(`Demo dataset in ${r.out}: ${r.rows} one-second segments of speech, a bird call and a trumpet (CC BY; attributions in ${resolve(r.out, 'audio')}).\n`);
        process.stderr.write(`  manifest ${r.manifest}, embeddings ${r.embeddings} (builtin:logmel-stats), index ${r.index}\n`);
        process.stderr.write(`${exploreReport(r.explorer)}\nOpen the page in a browser:\n`);
      }
      process.stdout.write(`${pathToFileURL(resolve(r.explorer.index)).href}\n`);
      if (opts.serve) await serveUntilStopped(r.explorer.out, port);
    });
}
