/**
 * Raven-style selection measurements (Dur 50/90 %, Center Freq, Freq 5/25/75/95 %, BW 50/90 %,
 * Avg/Agg Entropy, Peak Freq) of many selections of one recording, computed natively in
 * parallel; optionally MFCC means and standard deviations (with deltas) per selection.
 * Definitions: docs/features.md, "Raven selection measurements".
 */
import { awaitNative, callNative } from '../errors.js';
import { native } from '../native/load.js';
import { float32, int, num, oneOf, threadsOption, typeError } from '../validate.js';
import { computeDeltas } from './deltas.js';
import { MFCC, type MFCCOptions } from './mfcc.js';
import type { RavenMeasurementValues } from '../io/raven-table.js';

export interface SelectionBox {
  /** Seconds from the start of the recording. */
  begin: number;
  end: number;
  /** Hz; highFreq at most the Nyquist frequency. */
  lowFreq: number;
  highFreq: number;
}

export interface RavenSpectrogramOptions {
  /** Window length in samples (default 512, Raven's). */
  windowSize?: number;
  /** DFT size, >= windowSize (default windowSize). */
  fftSize?: number;
  /** Samples between slices (default windowSize / 2: 50 % overlap). */
  hopSize?: number;
  window?: 'hann' | 'hamming' | 'blackman' | 'rectangular';
}

export interface SelectionMfccOptions extends Omit<MFCCOptions, 'sampleRate'> {
  /** 0: coefficients only (default); 1: also deltas; 2: also delta-deltas (torchaudio compute_deltas). */
  deltas?: 0 | 1 | 2;
}

export interface SelectionMeasurementOptions extends RavenSpectrogramOptions {
  /** Also MFCC means and standard deviations per selection (mfcc_mean_i, mfcc_std_i, d1_mean_i, ...). */
  mfcc?: SelectionMfccOptions;
  threads?: number;
}

export interface SelectionMeasurement extends RavenMeasurementValues {
  /** The samples, slices and bins used after clamping the box to the signal. */
  firstSample: number;
  endSample: number;
  slices: number;
  firstBin: number;
  bins: number;
  /** With options.mfcc: mfcc_mean_0.., mfcc_std_0.., and d1_/d2_ likewise. */
  mfcc?: Record<string, number>;
}

const WINDOWS = ['hann', 'hamming', 'blackman', 'rectangular'] as const;
const NAMES = ['dur50', 'dur90', 'centerFreq', 'freq5', 'freq25', 'freq75', 'freq95', 'bw50', 'bw90', 'avgEntropy', 'aggEntropy', 'peakFreq'] as const;
const FIELDS = 17;

function prepare(samples: Float32Array, sampleRate: number, selections: readonly SelectionBox[], options: SelectionMeasurementOptions) {
  float32(samples, 'samples');
  int(sampleRate, 'sampleRate', 1, 2 ** 31 - 1);
  if (!Array.isArray(selections)) throw typeError('an array of { begin, end, lowFreq, highFreq }', 'selections', selections);
  if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
  const windowSize = int(options.windowSize ?? 512, 'windowSize', 2, 1 << 20);
  const config = {
    windowSize,
    fftSize: int(options.fftSize ?? windowSize, 'fftSize', windowSize, 1 << 22),
    hop: int(options.hopSize ?? Math.max(1, windowSize >> 1), 'hopSize', 1, 1 << 22),
    window: WINDOWS.indexOf(oneOf(options.window ?? 'hann', 'window', WINDOWS)),
  };
  const boxes = new Float64Array(selections.length * 4);
  selections.forEach((s, i) => {
    if (s === null || typeof s !== 'object') throw typeError('{ begin, end, lowFreq, highFreq }', `selections[${i}]`, s);
    boxes.set([num(s.begin, `selections[${i}].begin`), num(s.end, `selections[${i}].end`), num(s.lowFreq, `selections[${i}].lowFreq`), num(s.highFreq, `selections[${i}].highFreq`)], 4 * i);
  });
  const threads = threadsOption(options.threads);
  return { config, boxes, threads };
}

function unpack(flat: Float64Array, samples: Float32Array, sampleRate: number, options: SelectionMeasurementOptions): SelectionMeasurement[] {
  const out: SelectionMeasurement[] = [];
  const mfcc = options.mfcc ? new MFCC({ ...options.mfcc, sampleRate }) : null;
  for (let i = 0; i < flat.length / FIELDS; i++) {
    const v = flat.subarray(i * FIELDS, (i + 1) * FIELDS);
    const m: SelectionMeasurement = { firstSample: v[12]!, endSample: v[13]!, slices: v[14]!, firstBin: v[15]!, bins: v[16]! };
    NAMES.forEach((name, k) => {
      if (!Number.isNaN(v[k]!)) m[name] = v[k]!;
    });
    if (mfcc) m.mfcc = mfccStats(mfcc, samples.subarray(m.firstSample, m.endSample), options.mfcc!.deltas ?? 0);
    out.push(m);
  }
  return out;
}

/** Means and standard deviations over frames of the MFCC (and deltas) of one selection's samples. */
function mfccStats(t: MFCC, x: Float32Array, deltas: 0 | 1 | 2): Record<string, number> {
  const out: Record<string, number> = {};
  let c = t.compute(x);
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

/** Measurements of every selection of one recording, on the calling thread (selections in parallel). */
export function selectionMeasurements(samples: Float32Array, sampleRate: number, selections: readonly SelectionBox[], options: SelectionMeasurementOptions = {}): SelectionMeasurement[] {
  const { config, boxes, threads } = prepare(samples, sampleRate, selections, options);
  const flat = callNative(() => native().ravenMeasurements(samples, sampleRate, boxes, config, threads, false));
  return unpack(flat, samples, sampleRate, options);
}

/** selectionMeasurements off the event loop. */
export async function selectionMeasurementsAsync(samples: Float32Array, sampleRate: number, selections: readonly SelectionBox[], options: SelectionMeasurementOptions = {}): Promise<SelectionMeasurement[]> {
  const { config, boxes, threads } = prepare(samples, sampleRate, selections, options);
  const flat = await awaitNative(() => native().ravenMeasurements(samples, sampleRate, boxes, config, threads, true));
  return unpack(flat, samples, sampleRate, options);
}
