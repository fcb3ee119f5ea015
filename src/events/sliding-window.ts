/**
 * `slidingWindowScores`: a recording of any length scanned in windows of `seqLen` seconds every `hop` seconds, each
 * window scored by a `WindowScorer` (an encoder with a head, Silero VAD, or any function of the samples), in bounded
 * memory: the audio is streamed, and only one window span plus the batches being scored are held (docs/events.md).
 */
import { openAudioStream } from '../audio/stream.js';
import type { AudioSource } from '../audio/types.js';
import { AudiomillError } from '../errors.js';
import type { AudioEncoder } from '../models/encoder.js';
import type { SpeechDetector } from '../models/vad.js';
import type { Tensor } from '../tensor.js';
import { int, num, oneOf, typeError } from '../validate.js';
import type { WindowScores } from './scores-to-events.js';

/** Scores windows of mono samples at `sampleRate`: one number per window. */
export interface WindowScorer {
  readonly sampleRate: number;
  scoreWindows(windows: readonly Float32Array[]): Promise<ArrayLike<number>>;
}

/** Options of {@link encoderScorer}. */
export interface EncoderScorerOptions {
  /**
   * From the scene embeddings [n, d] of a batch to one score per window (e.g. a fitted probe's decision function).
   * Default: column `output` of the embeddings (a classifier exported with its scores as the output).
   */
  head?: (embeddings: Tensor) => ArrayLike<number> | Promise<ArrayLike<number>>;
  /** Without a head: which column is the score (default 0). */
  output?: number;
  /** Without a head: 'none' (default) or 'sigmoid' (the column holds a logit). */
  activation?: 'none' | 'sigmoid';
}

/** A scorer over an encoder's scene embeddings (an ONNX classifier or encoder spec, or a built-in). */
export function encoderScorer(encoder: AudioEncoder, options: EncoderScorerOptions = {}): WindowScorer {
  if (encoder === null || typeof encoder !== 'object' || typeof encoder.sceneEmbeddings !== 'function') throw typeError('an encoder (OnnxEncoder, BuiltinEncoder)', 'encoder', encoder);
  if (options.head !== undefined && typeof options.head !== 'function') throw typeError('a function', 'head', options.head);
  const output = options.output === undefined ? 0 : int(options.output, 'output', 0);
  const activation = options.activation === undefined ? 'none' : oneOf(options.activation, 'activation', ['none', 'sigmoid'] as const);
  const head =
    options.head ??
    ((t: Tensor) => {
      const d = t.shape[1]!;
      if (output >= d) throw new RangeError(`Expected an output column below the embedding width (${d}) for output but received ${output}`);
      const n = t.shape[0]!;
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        const v = t.data[i * d + output]!;
        out[i] = activation === 'sigmoid' ? 1 / (1 + Math.exp(-v)) : v;
      }
      return out;
    });
  return {
    sampleRate: encoder.sampleRate,
    async scoreWindows(windows) {
      return head(await encoder.sceneEmbeddings(windows));
    },
  };
}

/** A scorer from Silero VAD's speech probabilities: each window's maximum (default), mean, or share of frames above 0.5. */
export function speechScorer(detector: SpeechDetector, options: { reduce?: 'max' | 'mean' | 'fractionAbove' } = {}): WindowScorer {
  if (detector === null || typeof detector !== 'object' || typeof detector.score !== 'function') throw typeError('a SpeechDetector', 'detector', detector);
  const reduce = options.reduce === undefined ? 'max' : oneOf(options.reduce, 'reduce', ['max', 'mean', 'fractionAbove'] as const);
  return {
    sampleRate: detector.sampleRate,
    async scoreWindows(windows) {
      const s = await detector.score(windows);
      return Float32Array.from(s, (x) => x[reduce]);
    },
  };
}

/** Options of {@link slidingWindowScores}. */
export interface SlidingWindowOptions {
  /** Window length in seconds (the seed's `sequence_len`, e.g. 0.4). */
  seqLen: number;
  /** Seconds between window starts (e.g. 0.05). */
  hop: number;
  /** Windows per scorer call (default 256); one call runs while the next batch is cut (at most two in flight). */
  batchSize?: number;
  /** Keep only this channel (0-based) instead of the mono mix. */
  channel?: number;
  /** Called after every batch with the seconds scanned so far. */
  onProgress?: (progress: { seconds: number; windows: number }) => void;
  /** Stops the scan when aborted (the Promise rejects with an AudiomillError `ABORTED`). */
  signal?: AbortSignal;
}

/** Per-window scores of a recording, with its length. */
export interface SlidingWindowResult extends WindowScores {
  begin: Float64Array;
  end: Float64Array;
  score: Float32Array;
  /** The scorer's rate, at which the windows were cut. */
  sampleRate: number;
  /** Seconds of audio scanned. */
  duration: number;
}

/**
 * Scores a recording window by window (see {@link SlidingWindowOptions}): window k covers samples
 * [k · hopSamples, k · hopSamples + seqLenSamples) at the scorer's rate (both rounded to whole samples), for every k
 * whose start is inside the recording; windows that run past the end are zero-padded, and their `end` is the
 * recording's end. A recording shorter than one window gives padded windows from 0 (every start inside it); an empty one, none.
 */
export async function slidingWindowScores(source: AudioSource, scorer: WindowScorer, options: SlidingWindowOptions): Promise<SlidingWindowResult> {
  if (scorer === null || typeof scorer !== 'object' || typeof scorer.scoreWindows !== 'function') throw typeError('a window scorer { sampleRate, scoreWindows }', 'scorer', scorer);
  if (options === null || typeof options !== 'object') throw typeError('an options object { seqLen, hop }', 'options', options);
  const rate = int(scorer.sampleRate, 'scorer.sampleRate', 1);
  const seqLen = num(options.seqLen, 'seqLen', { min: 0, exclusiveMin: true });
  const hop = num(options.hop, 'hop', { min: 0, exclusiveMin: true });
  const batchSize = options.batchSize === undefined ? 256 : int(options.batchSize, 'batchSize', 1);
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') throw typeError('a function', 'onProgress', options.onProgress);
  const win = Math.max(1, Math.round(seqLen * rate));
  const step = Math.max(1, Math.round(hop * rate));
  const signal = options.signal;
  const stream = openAudioStream(source, { sampleRate: rate, ...(options.channel === undefined ? { mono: true } : { channel: options.channel }), blockSize: Math.max(16384, step * 8) });

  const begins: number[] = [];
  const scores: number[] = [];
  // Samples from absolute index `bufStart` on; windows are cut from here and the front is dropped as they pass.
  let buf = new Float32Array(Math.max(win, 65536) * 2);
  let bufStart = 0;
  let bufLen = 0;
  let next = 0; // start sample of the next window
  let batchStarts: number[] = []; // windows cut but not yet submitted
  // Overlapping windows (hop < window) share one copy of their batch's span, their samples kept in buf until the
  // batch is submitted; windows further apart are copied one by one as they are cut, so neither the copy nor buf
  // ever holds the gaps between them.
  const shared = step < win;
  let copies: Float32Array[] = [];
  const inFlight: Promise<void>[] = [];
  let done = 0;

  const submit = () => {
    if (batchStarts.length === 0) return;
    const starts = batchStarts;
    batchStarts = [];
    let windows: Float32Array[];
    if (shared) {
      // One copy of the span the batch covers (zeros past the end of the recording); the windows are views into it,
      // so overlapping windows are copied once (a 0.4-s window every 0.05 s: 8 times less than a copy per window).
      const first = starts[0]!;
      const arena = new Float32Array(starts[starts.length - 1]! - first + win);
      const from = first - bufStart;
      arena.set(buf.subarray(from, Math.min(bufLen, from + arena.length)));
      windows = starts.map((st) => arena.subarray(st - first, st - first + win));
    } else {
      windows = copies;
      copies = [];
    }
    const slot = begins.length;
    for (const s of starts) begins.push(s);
    const p = (async () => {
      const got = await scorer.scoreWindows(windows);
      if (got === null || typeof got !== 'object' || typeof (got as ArrayLike<number>).length !== 'number' || got.length !== windows.length) {
        throw new AudiomillError('INVALID_ARGUMENT', `The scorer returned ${got?.length ?? String(got)} scores for ${windows.length} windows`);
      }
      for (let i = 0; i < windows.length; i++) {
        const v = Number(got[i]);
        if (!Number.isFinite(v)) throw new AudiomillError('INVALID_ARGUMENT', `The scorer returned a non-finite score (${v}) for the window at ${(starts[i]! / rate).toFixed(3)} s`);
        scores[slot + i] = v;
      }
      done += windows.length;
      options.onProgress?.({ seconds: (starts[starts.length - 1]! + win) / rate, windows: done });
    })();
    p.catch(() => undefined); // observed below; never an unhandled rejection meanwhile
    inFlight.push(p);
  };
  const cut = async (start: number) => {
    batchStarts.push(start);
    if (!shared) {
      const w = new Float32Array(win);
      const from = start - bufStart;
      w.set(buf.subarray(from, Math.min(bufLen, from + win)));
      copies.push(w);
    }
    if (batchStarts.length >= batchSize) {
      submit();
      while (inFlight.length > 1) await inFlight.shift()!;
    }
  };

  let total = 0;
  try {
    for await (const block of stream) {
      if (signal?.aborted) throw new AudiomillError('ABORTED', `the scan stopped at ${(bufStart + bufLen) / rate} s of ${typeof source === 'string' ? source : 'the recording'}`, typeof source === 'string' ? { path: source } : {});
      const x = block.channels[0]!;
      // When the block does not fit, drop what no window needs any more (the pending batch's windows included),
      // then grow if that is not enough: each sample is moved a bounded number of times, whatever the batch span.
      if (bufLen + x.length > buf.length) {
        const keepFrom = Math.min(shared && batchStarts.length > 0 ? batchStarts[0]! : next, bufStart + bufLen) - bufStart;
        if (keepFrom > 0) {
          buf.copyWithin(0, keepFrom, bufLen);
          bufLen -= keepFrom;
          bufStart += keepFrom;
        }
      }
      if (bufLen + x.length > buf.length) {
        const grown = new Float32Array(Math.max(buf.length * 2, bufLen + x.length));
        grown.set(buf.subarray(0, bufLen));
        buf = grown;
      }
      buf.set(x, bufLen);
      bufLen += x.length;
      total += x.length;
      while (next + win <= bufStart + bufLen) {
        await cut(next);
        next += step;
      }
    }
    // The tail: windows starting inside the recording, zero-padded past its end.
    while (next < total) {
      await cut(next);
      next += step;
    }
    submit();
    for (const p of inFlight.splice(0)) await p;
  } catch (err) {
    await Promise.allSettled(inFlight);
    throw err;
  }
  const n = begins.length;
  const begin = new Float64Array(n), end = new Float64Array(n), score = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    begin[i] = begins[i]! / rate;
    end[i] = Math.min(begins[i]! + win, total) / rate;
    score[i] = scores[i]!;
  }
  return { begin, end, score, sampleRate: rate, duration: total / rate };
}
