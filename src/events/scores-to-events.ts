/**
 * `scoresToEvents`: per-window scores of a sliding-window scan turned into events — an optional median filter
 * over the scores, a threshold, overlapping (or touching) windows above it merged into one event, events closer
 * than `minGap` joined, and events shorter than `minDuration` dropped (docs/events.md).
 */
import type { AudioEvent } from '../io/events.js';
import { bool, int, num, rangeError, typeError } from '../validate.js';

/** Per-window scores: window i spans [begin[i], end[i]) seconds and scored score[i]; windows sorted by begin. */
export interface WindowScores {
  begin: ArrayLike<number>;
  end: ArrayLike<number>;
  score: ArrayLike<number>;
}

/** Options of {@link scoresToEvents}. */
export interface ScoresToEventsOptions {
  /** A window is active when its (filtered) score is at least this (default 0.5). */
  threshold?: number;
  /**
   * Median filter over the scores before the threshold, in windows (odd, default 1: none). Edges as SciPy's
   * `ndimage.median_filter` default (`mode='reflect'`: the sequence mirrored about its ends, d c b a | a b c d).
   */
  medianFilter?: number;
  /**
   * true (default): active windows that overlap or touch form one event (begin of the first, end of the last);
   * false: every active window is an event of its own, and `minGap` does not apply.
   */
  mergeOverlapping?: boolean;
  /** Merged events whose gap (next begin − end) is below this many seconds are joined (default 0: none). */
  minGap?: number;
  /** Events shorter than this many seconds are dropped, after joining (default 0: none). */
  minDuration?: number;
  /** Label of every event (default none). */
  label?: string;
  /** Frequency band of every event in Hz (default none: the scorer's whole band). */
  lowFreq?: number;
  highFreq?: number;
}

/** An event made of windows: `score` is the mean of its active windows' scores, `scoreMax` their maximum. */
export interface DetectedEvent extends AudioEvent {
  score: number;
  scoreMax: number;
  /** How many active windows it was made of. */
  windows: number;
}

function readArray(value: unknown, option: string): ArrayLike<number> {
  if (!(Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView)))) throw typeError('an array of numbers', option, value);
  return value as ArrayLike<number>;
}

/** scipy.ndimage.median_filter(x, size=k) with mode 'reflect' (k odd). */
/** The widest median filter taken, in windows (a wider one is a mistake: 10,001 windows of 0.05 s are over 8 minutes). */
const MAX_MEDIAN = 10001;

export function medianFilter(x: ArrayLike<number>, k: number): Float64Array {
  if (x === null || typeof x !== 'object' || typeof x.length !== 'number') throw typeError('an array of numbers', 'x', x);
  int(k, 'k', 1, MAX_MEDIAN);
  if (k % 2 === 0) throw rangeError('an odd window size', 'k', k);
  const n = x.length;
  const out = new Float64Array(n);
  if (n === 0) return out;
  const h = (k - 1) >> 1;
  // 'reflect': index -1 → 0, -2 → 1, n → n - 1, n + 1 → n - 2 (repeated for windows wider than the sequence).
  const at = (i: number): number => {
    const period = 2 * n;
    let j = ((i % period) + period) % period;
    if (j >= n) j = period - 1 - j;
    return x[j]!;
  };
  const win = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    for (let q = 0; q < k; q++) win[q] = at(i - h + q);
    win.sort();
    out[i] = win[h]!;
  }
  return out;
}

/**
 * Events from per-window scores (see {@link ScoresToEventsOptions}). Windows must be sorted by begin with
 * end >= begin and finite scores (RangeError naming the first that is not). Returns events sorted by begin.
 */
export function scoresToEvents(scores: WindowScores, options: ScoresToEventsOptions = {}): DetectedEvent[] {
  if (scores === null || typeof scores !== 'object') throw typeError('window scores { begin, end, score }', 'scores', scores);
  if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
  const begin = readArray(scores.begin, 'scores.begin');
  const end = readArray(scores.end, 'scores.end');
  const raw = readArray(scores.score, 'scores.score');
  const n = begin.length;
  if (end.length !== n || raw.length !== n) throw rangeError(`${n} ends and scores (as many as begins)`, 'scores', `${end.length} ends and ${raw.length} scores`);
  const threshold = options.threshold === undefined ? 0.5 : num(options.threshold, 'threshold');
  const k = options.medianFilter === undefined ? 1 : int(options.medianFilter, 'medianFilter', 1, MAX_MEDIAN);
  if (k % 2 === 0) throw rangeError('an odd number of windows', 'medianFilter', k);
  const merge = options.mergeOverlapping === undefined ? true : bool(options.mergeOverlapping, 'mergeOverlapping');
  const minGap = options.minGap === undefined ? 0 : num(options.minGap, 'minGap', { min: 0 });
  const minDuration = options.minDuration === undefined ? 0 : num(options.minDuration, 'minDuration', { min: 0 });
  if (options.label !== undefined && typeof options.label !== 'string') throw typeError('a string', 'label', options.label);
  const lowFreq = options.lowFreq === undefined ? undefined : num(options.lowFreq, 'lowFreq', { min: 0 });
  const highFreq = options.highFreq === undefined ? undefined : num(options.highFreq, 'highFreq', { min: lowFreq ?? 0 });
  for (let i = 0; i < n; i++) {
    const b = begin[i]!, e = end[i]!, s = raw[i]!;
    if (typeof b !== 'number' || !Number.isFinite(b)) throw rangeError('a finite begin', `scores.begin[${i}]`, b);
    if (typeof e !== 'number' || !(e >= b) || !Number.isFinite(e)) throw rangeError(`a finite end >= its begin (${b})`, `scores.end[${i}]`, e);
    if (typeof s !== 'number' || !Number.isFinite(s)) throw rangeError('a finite score', `scores.score[${i}]`, s);
    if (i > 0 && b < begin[i - 1]!) throw rangeError(`windows sorted by begin (>= ${begin[i - 1]})`, `scores.begin[${i}]`, b);
  }
  const score = k === 1 ? raw : medianFilter(raw, k);

  // Runs of active windows (merged when they overlap or touch).
  interface Run { begin: number; end: number; sum: number; max: number; windows: number }
  const runs: Run[] = [];
  for (let i = 0; i < n; i++) {
    const s = score[i]!;
    if (!(s >= threshold)) continue;
    const last = runs[runs.length - 1];
    if (merge && last && begin[i]! <= last.end) {
      last.end = Math.max(last.end, end[i]!);
      last.sum += s;
      last.max = Math.max(last.max, s);
      last.windows++;
    } else {
      runs.push({ begin: begin[i]!, end: end[i]!, sum: s, max: s, windows: 1 });
    }
  }
  // Join events closer than minGap.
  const joined: Run[] = [];
  for (const r of runs) {
    const last = joined[joined.length - 1];
    if (merge && last && r.begin - last.end < minGap) {
      last.end = Math.max(last.end, r.end);
      last.sum += r.sum;
      last.max = Math.max(last.max, r.max);
      last.windows += r.windows;
    } else {
      joined.push({ ...r });
    }
  }
  const out: DetectedEvent[] = [];
  for (const r of joined) {
    if (r.end - r.begin < minDuration) continue;
    const ev: DetectedEvent = { begin: r.begin, end: r.end, score: r.sum / r.windows, scoreMax: r.max, windows: r.windows };
    if (lowFreq !== undefined) ev.lowFreq = lowFreq;
    if (highFreq !== undefined) ev.highFreq = highFreq;
    if (options.label !== undefined) ev.label = options.label;
    out.push(ev);
  }
  return out;
}
