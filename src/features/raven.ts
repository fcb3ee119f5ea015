/**
 * Raven-style selection measurements (Dur 50/90 %, Center Freq, Freq 5/25/75/95 %, BW 50/90 %,
 * Avg/Agg Entropy, Peak Freq) of many selections of one recording, computed natively in
 * parallel; optionally MFCC means and standard deviations (with deltas) per selection.
 * Definitions: docs/features.md, "Raven selection measurements".
 */
import { awaitNative, callNative } from '../errors.js';
import { checkEvent, type AudioEvent } from '../io/events.js';
import type { RavenMeasurementValues } from '../io/raven-table.js';
import { native } from '../native/load.js';
import type { NativeRavenArgs } from '../native/binding.js';
import type { Tensor } from '../tensor.js';
import { float32, int, oneOf, threadsOption, typeError } from '../validate.js';
import { computeDeltas } from './deltas.js';
import { MFCC, type MFCCOptions } from './mfcc.js';

/** The spectrogram the measurements are taken on (Raven's spectrogram view). */
export interface RavenSpectrogramOptions {
  /** Window length in samples (default 512, Raven's). */
  winLength?: number;
  /** DFT size in samples, >= winLength (default winLength). */
  nFft?: number;
  /** Samples between slices (default winLength / 2: 50 % overlap). */
  hopLength?: number;
  /** Window shape (default 'hann'). */
  window?: 'hann' | 'hamming' | 'blackman' | 'rectangular';
}

export interface SelectionMfccOptions extends Omit<MFCCOptions, 'sampleRate'> {
  /** 0: coefficients only (default); 1: also deltas; 2: also delta-deltas (torchaudio compute_deltas). */
  deltas?: 0 | 1 | 2;
}

export interface SelectionMeasurementOptions extends RavenSpectrogramOptions {
  /** Also MFCC means and standard deviations per selection (mfcc_mean_i, mfcc_std_i, d1_mean_i, ...). */
  mfcc?: SelectionMfccOptions;
  /** Threads of the native pool for this call (default: the global cap). */
  threads?: number;
}

export interface SelectionMeasurement extends RavenMeasurementValues {
  /** The samples, slices and bins used after clamping the box to the signal. */
  firstSample: number;
  endSample: number;
  slices: number;
  firstBin: number;
  bins: number;
  /** With options.mfcc: mfcc_mean_0.., mfcc_std_0.., and d1_/d2_ likewise (absent where the selection is too short for one MFCC frame). */
  mfcc?: Record<string, number>;
}

const WINDOWS = ['hann', 'hamming', 'blackman', 'rectangular'] as const;
const NAMES = ['dur50', 'dur90', 'centerFreq', 'freq5', 'freq25', 'freq75', 'freq95', 'bw50', 'bw90', 'avgEntropy', 'aggEntropy', 'peakFreq'] as const;
const FIELDS = 17;

function prepare(samples: Float32Array, sampleRate: number, selections: readonly AudioEvent[], options: SelectionMeasurementOptions) {
  float32(samples, 'samples');
  int(sampleRate, 'sampleRate', 1, 2 ** 31 - 1);
  if (!Array.isArray(selections)) throw typeError('an array of events { begin, end, lowFreq?, highFreq? }', 'selections', selections);
  if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
  const winLength = int(options.winLength ?? 512, 'winLength', 2, 1 << 20);
  const nFft = int(options.nFft ?? winLength, 'nFft', winLength, 1 << 22);
  const hopLength = int(options.hopLength ?? Math.max(1, winLength >> 1), 'hopLength', 1, 1 << 22);
  const window = oneOf(options.window ?? 'hann', 'window', WINDOWS);
  const boxes = new Float64Array(selections.length * 4);
  selections.forEach((s, i) => {
    checkEvent(s, `selections[${i}]`);
    boxes.set([s.begin, s.end, s.lowFreq ?? 0, s.highFreq ?? sampleRate / 2], 4 * i);
  });
  const threads = threadsOption(options.threads);
  const args: NativeRavenArgs = { x: samples, sampleRate, boxes, winLength, nFft, hopLength, window, threads };
  return { args, threads };
}

function unpack(flat: Float64Array): SelectionMeasurement[] {
  const out: SelectionMeasurement[] = [];
  for (let i = 0; i < flat.length / FIELDS; i++) {
    const v = flat.subarray(i * FIELDS, (i + 1) * FIELDS);
    const m: SelectionMeasurement = { firstSample: v[12]!, endSample: v[13]!, slices: v[14]!, firstBin: v[15]!, bins: v[16]! };
    NAMES.forEach((name, k) => {
      if (!Number.isNaN(v[k]!)) m[name] = v[k]!;
    });
    out.push(m);
  }
  return out;
}

/** Means and standard deviations over frames of an MFCC tensor (and its deltas). */
function mfccStats(c: Tensor, deltas: 0 | 1 | 2): Record<string, number> {
  const out: Record<string, number> = {};
  const add = (prefix: string) => {
    const [rows, frames] = [c.shape[0]!, c.shape[1]!];
    for (let r = 0; r < rows; r++) {
      let s = 0;
      let s2 = 0;
      for (let f = 0; f < frames; f++) {
        const v = c.data[r * frames + f]!;
        s += v;
        s2 += v * v;
      }
      const mean = s / frames;
      out[`${prefix}_mean_${r}`] = mean;
      out[`${prefix}_std_${r}`] = Math.sqrt(Math.max(0, s2 / frames - mean * mean));
    }
  };
  add('mfcc');
  for (let d = 1; d <= deltas; d++) {
    c = computeDeltas(c);
    add(`d${d}`);
  }
  return out;
}

/** A selection too short for one MFCC frame (the transform's RangeError; options were checked before) has no `mfcc`. */
function tooShort(err: unknown): null {
  if (err instanceof RangeError) return null;
  throw err;
}

/**
 * Raven measurements of every selection (an {@link AudioEvent}: begin and end in seconds,
 * lowFreq default 0 Hz, highFreq default the Nyquist frequency) of one recording, off the event
 * loop: the measurements run on one native worker (selections in parallel on the native pool),
 * and the MFCC of each selection (options.mfcc) through MFCC.computeAsync.
 */
export async function selectionMeasurements(samples: Float32Array, sampleRate: number, selections: readonly AudioEvent[], options: SelectionMeasurementOptions = {}): Promise<SelectionMeasurement[]> {
  const { args, threads } = prepare(samples, sampleRate, selections, options);
  const mfcc = options.mfcc ? new MFCC({ ...options.mfcc, sampleRate }) : null;
  const flat = await awaitNative(() => native().ravenMeasurements(args, true));
  const out = unpack(flat);
  if (mfcc) {
    const deltas = options.mfcc!.deltas ?? 0;
    const tensors = await Promise.all(out.map((m) => mfcc.computeAsync(samples.subarray(m.firstSample, m.endSample), threads === undefined ? {} : { threads }).catch(tooShort)));
    out.forEach((m, i) => {
      if (tensors[i]) m.mfcc = mfccStats(tensors[i]!, deltas);
    });
  }
  return out;
}

/** {@link selectionMeasurements} on the calling thread (selections in parallel on the native pool). */
export function selectionMeasurementsSync(samples: Float32Array, sampleRate: number, selections: readonly AudioEvent[], options: SelectionMeasurementOptions = {}): SelectionMeasurement[] {
  const { args, threads } = prepare(samples, sampleRate, selections, options);
  const mfcc = options.mfcc ? new MFCC({ ...options.mfcc, sampleRate }) : null;
  const out = unpack(callNative(() => native().ravenMeasurements(args, false)));
  if (mfcc) {
    const deltas = options.mfcc!.deltas ?? 0;
    for (const m of out) {
      let t: Tensor | null;
      try {
        t = mfcc.compute(samples.subarray(m.firstSample, m.endSample), threads === undefined ? {} : { threads });
      } catch (err) {
        t = tooShort(err);
      }
      if (t) m.mfcc = mfccStats(t, deltas);
    }
  }
  return out;
}
