/**
 * `matchEvents`: detections against truth, one-to-one per file (tape), at an IoU threshold — TP / FP / FN,
 * precision, recall and F1 overall (summed over files), per file and per label, with the matched pairs. The
 * definitions are the reference's ("One-to-one matching", docs/events.md).
 */
import { checkEvent, type AudioEvent } from '../io/events.js';
import { bool, num, oneOf, rangeError, typeError } from '../validate.js';
import { matchPairs } from './assignment.js';
import { eventIou, type IouMode } from './iou.js';

/** Events of one file. */
export type EventList = readonly AudioEvent[];
/** Events per file (tape), keyed by the file's name: a Map or a plain object. */
export type EventsByFile = ReadonlyMap<string, EventList> | Readonly<Record<string, EventList>>;

/** Options of {@link matchEvents}. */
export interface MatchEventsOptions {
  /** A pair may match when its IoU is at least this, in (0, 1] (default 0.4, the seed workflow's). */
  iou?: number;
  /** 'time' (default): IoU of the time intervals; 'time-frequency': of the boxes. */
  mode?: IouMode;
  /**
   * 'optimal' (default): the most pairs, and among those the largest total IoU (an assignment problem per group
   * of overlapping events); 'greedy': pairs by IoU, highest first (ties: the higher detection score, then the
   * earlier detection, then the earlier truth), each taken when both ends are free.
   */
  matching?: 'optimal' | 'greedy';
  /** Match only events with the same label (an event without one has the label ''); default false. */
  byLabel?: boolean;
  /** Time-frequency mode: the upper frequency of boxes without `highFreq` (e.g. the Nyquist frequency). */
  maxFreq?: number;
}

/** Counts and scores of one row: overall, one file or one label. */
export interface MatchCounts {
  /** Matched pairs. */
  tp: number;
  /** Detections left unmatched. */
  fp: number;
  /** Truths left unmatched. */
  fn: number;
  /** tp / (tp + fp); 0 with no detections. */
  precision: number;
  /** tp / (tp + fn); 0 with no truths. */
  recall: number;
  /** 2 · precision · recall / (precision + recall); 0 when both are 0. */
  f1: number;
}

/** One matched pair: indices into the file's detection and truth lists as given. */
export interface EventPair {
  file: string;
  detection: number;
  truth: number;
  iou: number;
}

/** What {@link matchEvents} returns. */
export interface MatchEventsResult {
  /** Sums over every file (micro). */
  overall: MatchCounts;
  /** One row per file present on either side, by file name (code-point order). */
  perFile: (MatchCounts & { file: string })[];
  /** With `byLabel`: one row per label present on either side, by label; else empty. */
  perLabel: (MatchCounts & { label: string })[];
  /** With `byLabel`: the mean precision, recall and F1 over `perLabel`'s rows (macro); else null. */
  macro: { precision: number; recall: number; f1: number } | null;
  /** Every matched pair, by file, then detection index. */
  pairs: EventPair[];
}

/** Counts to scores. */
export function matchCounts(tp: number, fp: number, fn: number): MatchCounts {
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { tp, fp, fn, precision, recall, f1 };
}

/** Events of one file (an array: the file '') or per file, as a Map of file name to its events. */
export function readEventsByFile(value: unknown, option: string): Map<string, EventList> {
  if (Array.isArray(value)) return new Map([['', value as EventList]]);
  const entries: [string, unknown][] =
    value instanceof Map ? [...(value as Map<unknown, unknown>).entries()].map(([k, v]) => {
      if (typeof k !== 'string') throw typeError('file names (strings) as keys', option, k);
      return [k, v];
    }) : value !== null && typeof value === 'object' ? Object.entries(value) : (() => {
      throw typeError('an array of events, or events per file (a Map or an object of arrays)', option, value);
    })();
  const out = new Map<string, EventList>();
  for (const [file, list] of entries) {
    if (!Array.isArray(list)) throw typeError('an array of events', `${option}[${JSON.stringify(file)}]`, list);
    out.set(file, list as EventList);
  }
  return out;
}

function checkList(list: EventList, option: string, mode: IouMode, maxFreq: number | undefined): void {
  for (let i = 0; i < list.length; i++) {
    const e = checkEvent(list[i], `${option}[${i}]`);
    if (mode === 'time-frequency' && e.highFreq === undefined && maxFreq === undefined) {
      throw rangeError('a highFreq (or the maxFreq option) for time-frequency matching', `${option}[${i}].highFreq`, undefined);
    }
    if (maxFreq !== undefined && e.highFreq === undefined && (e.lowFreq ?? 0) > maxFreq) {
      throw rangeError(`a lowFreq <= maxFreq (${maxFreq})`, `${option}[${i}].lowFreq`, e.lowFreq);
    }
  }
}

interface Candidate {
  d: number;
  t: number;
  iou: number;
}

/** Pairs with IoU >= threshold (and > 0) between detections and truths (indices into the given lists). */
function candidates(dets: EventList, truths: EventList, di: readonly number[], ti: readonly number[], threshold: number, mode: IouMode, maxFreq?: number): Candidate[] {
  // Truths by begin; a running maximum of their ends stops the backward scan.
  const order = [...ti].sort((a, b) => truths[a]!.begin - truths[b]!.begin || a - b);
  const maxEnd = new Float64Array(order.length);
  let run = -Infinity;
  for (let k = 0; k < order.length; k++) {
    run = Math.max(run, truths[order[k]!]!.end);
    maxEnd[k] = run;
  }
  const out: Candidate[] = [];
  for (const d of di) {
    const de = dets[d]!;
    // Truths beginning before the detection ends: order[0 .. hi).
    let lo = 0, hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (truths[order[mid]!]!.begin < de.end) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo - 1; k >= 0 && maxEnd[k]! > de.begin; k--) {
      const t = order[k]!;
      const iou = eventIou(de, truths[t]!, mode, maxFreq);
      if (iou > 0 && iou >= threshold) out.push({ d, t, iou });
    }
  }
  return out;
}

function matchGreedy(cands: Candidate[], dets: EventList, truths: EventList): Candidate[] {
  const score = (d: number) => dets[d]!.score ?? -Infinity;
  cands.sort((a, b) => b.iou - a.iou || score(b.d) - score(a.d) || dets[a.d]!.begin - dets[b.d]!.begin || truths[a.t]!.begin - truths[b.t]!.begin || a.d - b.d || a.t - b.t);
  const usedD = new Set<number>(), usedT = new Set<number>();
  const out: Candidate[] = [];
  for (const c of cands) {
    if (usedD.has(c.d) || usedT.has(c.t)) continue;
    usedD.add(c.d);
    usedT.add(c.t);
    out.push(c);
  }
  return out;
}

/**
 * Matches detections to truth one-to-one per file at an IoU threshold (see {@link MatchEventsOptions}).
 * `detections` and `truth` are arrays (one file) or events per file; a file on one side only counts all its
 * events as FP (detections) or FN (truths). Events are checked as `AudioEvent`s (RangeError / TypeError naming the
 * file and index).
 */
export function matchEvents(detections: EventList | EventsByFile, truth: EventList | EventsByFile, options: MatchEventsOptions = {}): MatchEventsResult {
  if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
  const threshold = options.iou === undefined ? 0.4 : num(options.iou, 'iou', { min: 0, max: 1, exclusiveMin: true });
  const mode = options.mode === undefined ? 'time' : oneOf(options.mode, 'mode', ['time', 'time-frequency'] as const);
  const matching = options.matching === undefined ? 'optimal' : oneOf(options.matching, 'matching', ['optimal', 'greedy'] as const);
  const byLabel = options.byLabel === undefined ? false : bool(options.byLabel, 'byLabel');
  const maxFreq = options.maxFreq === undefined ? undefined : num(options.maxFreq, 'maxFreq', { min: 0, exclusiveMin: true });
  const dets = readEventsByFile(detections, 'detections');
  const truths = readEventsByFile(truth, 'truth');
  const files = [...new Set([...dets.keys(), ...truths.keys()])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

  const perFile: (MatchCounts & { file: string })[] = [];
  const labelCounts = new Map<string, { tp: number; nd: number; nt: number }>();
  const pairs: EventPair[] = [];
  let tp = 0, nd = 0, nt = 0;
  for (const file of files) {
    const dl = dets.get(file) ?? [];
    const tl = truths.get(file) ?? [];
    checkList(dl, `detections[${JSON.stringify(file)}]`, mode, maxFreq);
    checkList(tl, `truth[${JSON.stringify(file)}]`, mode, maxFreq);
    // Groups that may match: everything, or one group per label.
    const groups = new Map<string, { d: number[]; t: number[] }>();
    const group = (label: string) => {
      let g = groups.get(label);
      if (!g) groups.set(label, (g = { d: [], t: [] }));
      return g;
    };
    for (let i = 0; i < dl.length; i++) group(byLabel ? (dl[i]!.label ?? '') : '').d.push(i);
    for (let i = 0; i < tl.length; i++) group(byLabel ? (tl[i]!.label ?? '') : '').t.push(i);
    const matched: Candidate[] = [];
    for (const [label, g] of groups) {
      const cands = candidates(dl, tl, g.d, g.t, threshold, mode, maxFreq);
      const m = matching === 'greedy' ? matchGreedy(cands, dl, tl) : matchPairs(cands.map((c) => ({ a: c.d, b: c.t, weight: c.iou, c }))).map((p) => p.c);
      matched.push(...m);
      if (byLabel) {
        const lc = labelCounts.get(label) ?? { tp: 0, nd: 0, nt: 0 };
        lc.tp += m.length;
        lc.nd += g.d.length;
        lc.nt += g.t.length;
        labelCounts.set(label, lc);
      }
    }
    matched.sort((a, b) => a.d - b.d);
    for (const c of matched) pairs.push({ file, detection: c.d, truth: c.t, iou: c.iou });
    perFile.push({ file, ...matchCounts(matched.length, dl.length - matched.length, tl.length - matched.length) });
    tp += matched.length;
    nd += dl.length;
    nt += tl.length;
  }
  const perLabel = [...labelCounts.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([label, c]) => ({ label, ...matchCounts(c.tp, c.nd - c.tp, c.nt - c.tp) }));
  const macro = byLabel
    ? perLabel.length === 0
      ? { precision: 0, recall: 0, f1: 0 }
      : {
          precision: perLabel.reduce((s, r) => s + r.precision, 0) / perLabel.length,
          recall: perLabel.reduce((s, r) => s + r.recall, 0) / perLabel.length,
          f1: perLabel.reduce((s, r) => s + r.f1, 0) / perLabel.length,
        }
    : null;
  return { overall: matchCounts(tp, nd - tp, nt - tp), perFile, perLabel, macro, pairs };
}
