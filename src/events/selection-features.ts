/**
 * The features a random-forest filter sees per selection (the seed workflow's RF extractor): Raven measurements
 * (Dur 50% / 90%, Center Freq, Freq 5/25/75/95%, BW 50% / 90%, Avg / Agg Entropy) on the tape's spectrogram, MFCC
 * means and standard deviations (with Δ and ΔΔ) over the selection's frames, and the selection's mean window score
 * (`cnn_logit_mean`). Selections are read from the tape a few seconds at a time (never the whole tape), mixed to
 * mono at the tape's own rate. A value that cannot be computed (a selection too short for one MFCC frame, a table
 * without scores) is NaN: the forest treats it as lower than every number.
 */
import { loadAudio, probeAudio } from '../audio/load.js';
import { AudiomillError } from '../errors.js';
import { selectionMeasurements, type SelectionMeasurement } from '../features/raven.js';
import { csvField } from '../io/csv.js';
import type { AudioEvent } from '../io/events.js';
import { RAVEN_MEASUREMENT_COLUMNS, type RavenMeasurementName } from '../io/raven-table.js';
import { bool, int, typeError } from '../validate.js';

export interface SelectionFeatureOptions {
  /** DFT size and window length of the spectrogram and the MFCC, in samples (default 2048, the seed's). */
  nFft?: number;
  /** Samples between frames (default 1024, the seed's). */
  hopLength?: number;
  /** MFCC coefficients (default 13). */
  nMfcc?: number;
  /** Mel bands under the MFCC (default 40). */
  nMels?: number;
  /** 0: MFCC only; 1: also Δ; 2: also ΔΔ (default 2, the seed's include_deltas). */
  deltas?: 0 | 1 | 2;
  /** The selection's score (a table's `Score` column: the mean of the windows merged) as `cnn_logit_mean` (default true). */
  score?: boolean;
}

export type ResolvedFeatureOptions = Required<SelectionFeatureOptions>;

/** The measurements used, in column order (Peak Freq is not one of the seed's features). */
const MEASUREMENTS: readonly RavenMeasurementName[] = ['dur50', 'dur90', 'centerFreq', 'freq5', 'freq25', 'freq75', 'freq95', 'bw50', 'bw90', 'avgEntropy', 'aggEntropy'];

/** Selections read together when they fit in this many seconds of a tape. */
const SPAN_SECONDS = 30;

export function resolveFeatureOptions(o: SelectionFeatureOptions = {}): ResolvedFeatureOptions {
  if (o === null || typeof o !== 'object') throw typeError('an options object', 'features', o);
  const nMels = int(o.nMels ?? 40, 'nMels', 1, 1024);
  const deltas = o.deltas ?? 2;
  if (deltas !== 0 && deltas !== 1 && deltas !== 2) throw typeError('0, 1 or 2', 'deltas', o.deltas);
  return {
    nFft: int(o.nFft ?? 2048, 'nFft', 16, 1 << 20),
    hopLength: int(o.hopLength ?? 1024, 'hopLength', 1, 1 << 20),
    nMfcc: int(o.nMfcc ?? 13, 'nMfcc', 1, nMels),
    nMels,
    deltas,
    score: o.score === undefined ? true : bool(o.score, 'score'),
  };
}

/** The feature columns, in order: measurements (Raven's headers), mfcc_mean_i, mfcc_std_i, d1_..., d2_..., cnn_logit_mean. */
export function selectionFeatureNames(options: SelectionFeatureOptions = {}): string[] {
  const o = resolveFeatureOptions(options);
  const names: string[] = MEASUREMENTS.map((k) => RAVEN_MEASUREMENT_COLUMNS[k]);
  for (const prefix of ['mfcc', 'd1', 'd2'].slice(0, 1 + o.deltas)) {
    for (const stat of ['mean', 'std']) for (let i = 0; i < o.nMfcc; i++) names.push(`${prefix}_${stat}_${i}`);
  }
  if (o.score) names.push('cnn_logit_mean');
  return names;
}

/**
 * The feature rows of one tape's selections, in the selections' order (see {@link selectionFeatureNames}).
 * `selections` are seconds on the tape, with `score` where the table has one.
 */
export async function selectionFeatures(tape: string, selections: readonly AudioEvent[], options: SelectionFeatureOptions = {}, signal?: AbortSignal): Promise<number[][]> {
  const o = resolveFeatureOptions(options);
  const names = selectionFeatureNames(o);
  const info = await probeAudio(tape);
  const rate = info.sampleRate;
  const rows: number[][] = selections.map(() => new Array<number>(names.length).fill(Number.NaN));
  const order = selections.map((_, i) => i).sort((a, b) => selections[a]!.begin - selections[b]!.begin || a - b);
  const mfcc = { nMfcc: o.nMfcc, melkwargs: { nFft: o.nFft, hopLength: o.hopLength, nMels: o.nMels }, deltas: o.deltas };
  for (let g = 0; g < order.length; ) {
    if (signal?.aborted) throw new AudiomillError('ABORTED', `Stopped while measuring the selections of ${tape}`, { path: tape });
    const first = selections[order[g]!]!.begin;
    let h = g;
    let last = first;
    while (h < order.length && (h === g || (Math.max(last, selections[order[h]!]!.end) - first <= SPAN_SECONDS && h - g < 1024))) {
      last = Math.max(last, selections[order[h]!]!.end);
      h++;
    }
    const group = order.slice(g, h);
    g = h;
    const s0 = Math.min(info.numFrames, Math.max(0, Math.floor(first * rate)));
    const s1 = Math.min(info.numFrames, Math.ceil(last * rate));
    if (s1 <= s0) continue; // past the end of the tape: every feature missing
    const audio = await loadAudio(tape, { offset: s0 / rate, duration: (s1 - s0) / rate, mono: true });
    const samples = audio.channels[0]!;
    const t0 = s0 / rate;
    const span = samples.length / rate;
    // Each box clipped to the audio read and to the tape's band; one with no whole sample or no band is left missing.
    const nyquist = rate / 2;
    const measured: number[] = [];
    const boxes: { begin: number; end: number; lowFreq: number; highFreq: number }[] = [];
    for (const i of group) {
      const s = selections[i]!;
      const begin = Math.max(0, s.begin - t0), end = Math.min(span, s.end - t0);
      const high = Math.min(s.highFreq ?? nyquist, nyquist), low = Math.max(0, s.lowFreq ?? 0);
      if (!((end - begin) * rate >= 1) || !(high > low)) continue;
      measured.push(i);
      boxes.push({ begin, end, lowFreq: low, highFreq: high });
    }
    const settings = { winLength: o.nFft, nFft: o.nFft, hopLength: o.hopLength, mfcc };
    let m: (SelectionMeasurement | null)[];
    try {
      m = await selectionMeasurements(samples, rate, boxes, settings);
    } catch (err) {
      if ((err as { code?: string }).code !== 'INVALID_ARGUMENT') throw err;
      // A box the measurements refuse (rounding at an edge): measured one by one, the refused ones left missing.
      m = await Promise.all(boxes.map((b) => selectionMeasurements(samples, rate, [b], settings).then((r) => r[0]!, (e: unknown) => {
        if ((e as { code?: string }).code === 'INVALID_ARGUMENT') return null;
        throw e;
      })));
    }
    measured.forEach((i, k) => {
      const row = rows[i]!;
      const mk = m[k];
      if (!mk) return;
      MEASUREMENTS.forEach((name, j) => (row[j] = mk[name] ?? Number.NaN));
      if (mk.mfcc) for (let j = MEASUREMENTS.length; j < names.length; j++) row[j] = mk.mfcc[names[j]!] ?? Number.NaN;
    });
  }
  if (o.score) selections.forEach((s, i) => (rows[i]![names.length - 1] = s.score ?? Number.NaN));
  return rows;
}

/** A feature dump as CSV: selection, begin_time, end_time, low_freq, high_freq, the features, then any extra columns given per row. */
export function featuresCsv(names: readonly string[], selections: readonly (AudioEvent & { selection?: number })[], rows: readonly number[][], extra: Record<string, readonly unknown[]> = {}): string {
  const head = ['selection', 'begin_time', 'end_time', 'low_freq', 'high_freq', ...names, ...Object.keys(extra)];
  const lines = selections.map((s, i) =>
    [s.selection ?? i + 1, s.begin, s.end, s.lowFreq ?? '', s.highFreq ?? '', ...rows[i]!, ...Object.values(extra).map((col) => col[i])].map((v) => csvField(v)).join(','),
  );
  return [head.map((h) => csvField(h)).join(','), ...lines].join('\n') + '\n';
}
