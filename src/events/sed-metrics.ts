/**
 * sed_eval's event-based (collar) and segment-based metrics (Mesaros, Heittola, Virtanen, "Metrics for
 * Polyphonic Sound Event Detection", 2016), from their published definitions (the reference's "sed_eval"
 * sections; docs/events.md): counts per file, summed over files.
 */
import { checkEvent, type AudioEvent } from '../io/events.js';
import { num, oneOf, rangeError, typeError } from '../validate.js';
import { matchPairs } from './assignment.js';
import type { EventList, EventsByFile } from './match.js';
import { readEventsByFile } from './match.js';

/** Options of {@link eventBasedMetrics}. */
export interface EventBasedOptions {
  /** Onset (and offset) tolerance in seconds (sed_eval's `t_collar`, default 0.2). */
  tCollar?: number;
  /** The offset tolerance is at least this share of the reference event's length (`percentage_of_length`, 0.5). */
  percentageOfLength?: number;
  /** Which conditions make a hit (default 'onset+offset'). */
  evaluate?: 'onset+offset' | 'onset' | 'offset';
  /** 'optimal' (default, sed_eval ≥ 0.2): a maximum one-to-one matching; 'greedy': each reference event in order takes the first free estimate that hits it. */
  matching?: 'optimal' | 'greedy';
}

/** Overall (micro) event-based or segment-based scores. */
export interface SedScores {
  /** True positives (matched events, or active segment × label cells in both). */
  tp: number;
  /** Reference events (or active reference cells). */
  nRef: number;
  /** Estimated events (or active estimated cells). */
  nSys: number;
  substitutions: number;
  deletions: number;
  insertions: number;
  /** tp / nSys (0 when nSys is 0). */
  precision: number;
  /** tp / nRef (0 when nRef is 0). */
  recall: number;
  /** 2PR / (P + R) (0 when both are 0). */
  f1: number;
  /** (substitutions + deletions + insertions) / nRef; null when there is no reference. */
  errorRate: number | null;
  substitutionRate: number | null;
  deletionRate: number | null;
  insertionRate: number | null;
}

/** Overall, per-label and label-averaged scores. */
export interface SedMetrics {
  overall: SedScores;
  /** Per label (no substitutions: a miss is a deletion, an extra an insertion), by label. */
  perLabel: (SedScores & { label: string })[];
  /** Mean over labels: F1 over every label, error rate over the labels with a reference. */
  classWiseAverage: { f1: number; errorRate: number | null };
}

function scores(tp: number, nRef: number, nSys: number, subs: number, dels: number, ins: number): SedScores {
  const precision = nSys > 0 ? tp / nSys : 0;
  const recall = nRef > 0 ? tp / nRef : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  const rate = (v: number) => (nRef > 0 ? v / nRef : null);
  return {
    tp, nRef, nSys, substitutions: subs, deletions: dels, insertions: ins, precision, recall, f1,
    errorRate: rate(subs + dels + ins), substitutionRate: rate(subs), deletionRate: rate(dels), insertionRate: rate(ins),
  };
}

function average(rows: readonly SedScores[]): { f1: number; errorRate: number | null } {
  const withRef = rows.filter((r) => r.errorRate !== null);
  return {
    f1: rows.length > 0 ? rows.reduce((s, r) => s + r.f1, 0) / rows.length : 0,
    errorRate: withRef.length > 0 ? withRef.reduce((s, r) => s + r.errorRate!, 0) / withRef.length : null,
  };
}

function labelOf(e: AudioEvent): string {
  return e.label ?? '';
}

function sortedLabels(...lists: EventList[]): string[] {
  const set = new Set<string>();
  for (const l of lists) for (const e of l) set.add(labelOf(e));
  return [...set].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function readBoth(estimated: unknown, reference: unknown): { files: string[]; est: Map<string, EventList>; ref: Map<string, EventList> } {
  const est = readEventsByFile(estimated, 'estimated');
  const ref = readEventsByFile(reference, 'reference');
  for (const [name, m] of [['estimated', est], ['reference', ref]] as const) {
    for (const [file, list] of m) list.forEach((e, i) => checkEvent(e, `${name}[${JSON.stringify(file)}][${i}]`));
  }
  const files = [...new Set([...est.keys(), ...ref.keys()])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { files, est, ref };
}

/**
 * sed_eval's `EventBasedMetrics`: an estimate hits a reference event of the same label when its onset is within
 * `tCollar` of the reference onset and (with offsets evaluated) its offset within max(`tCollar`,
 * `percentageOfLength` × the reference length) of the reference offset. Per file: hits matched one-to-one
 * (optimal or greedy); then substitutions, each leftover reference event in order taking the first leftover estimate
 * (in order, any label) that meets the time conditions; insertions = nSys − tp − subs, deletions = nRef − tp − subs.
 * Per label the same without substitutions. Counts are summed over files.
 */
export function eventBasedMetrics(estimated: EventList | EventsByFile, reference: EventList | EventsByFile, options: EventBasedOptions = {}): SedMetrics {
  if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
  const tCollar = options.tCollar === undefined ? 0.2 : num(options.tCollar, 'tCollar', { min: 0 });
  const pol = options.percentageOfLength === undefined ? 0.5 : num(options.percentageOfLength, 'percentageOfLength', { min: 0 });
  const evaluate = options.evaluate === undefined ? 'onset+offset' : oneOf(options.evaluate, 'evaluate', ['onset+offset', 'onset', 'offset'] as const);
  const matching = options.matching === undefined ? 'optimal' : oneOf(options.matching, 'matching', ['optimal', 'greedy'] as const);
  const onset = evaluate !== 'offset', offset = evaluate !== 'onset';
  const hitsTime = (r: AudioEvent, e: AudioEvent) =>
    (!onset || Math.abs(r.begin - e.begin) <= tCollar) && (!offset || Math.abs(r.end - e.end) <= Math.max(tCollar, pol * (r.end - r.begin)));
  /** One-to-one matches between refs and ests (indices) among pairs where hit(r, e). */
  const match = (refs: EventList, ests: EventList, hit: (r: AudioEvent, e: AudioEvent) => boolean): [number, number][] => {
    const out: [number, number][] = [];
    if (matching === 'greedy') {
      const used = new Uint8Array(ests.length);
      for (let j = 0; j < refs.length; j++) {
        for (let i = 0; i < ests.length; i++) {
          if (!used[i] && hit(refs[j]!, ests[i]!)) {
            used[i] = 1;
            out.push([j, i]);
            break;
          }
        }
      }
      return out;
    }
    // Candidate pairs: estimates whose onset (or, offsets only, offset) is near the reference's, by binary search.
    const key = (e: AudioEvent) => (onset ? e.begin : e.end);
    const order = ests.map((_, i) => i).sort((x, y) => key(ests[x]!) - key(ests[y]!) || x - y);
    const pairs: { a: number; b: number; weight: number }[] = [];
    for (let j = 0; j < refs.length; j++) {
      const r = refs[j]!;
      // A little wider than the tolerance: the prefilter's subtraction rounds differently from hitsTime's, which decides.
      const reach = (onset ? tCollar : Math.max(tCollar, pol * (r.end - r.begin))) + 1e-9 * Math.max(1, Math.abs(key(r)));
      let lo = 0, hi = order.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (key(ests[order[mid]!]!) < key(r) - reach) lo = mid + 1;
        else hi = mid;
      }
      for (let q = lo; q < order.length && key(ests[order[q]!]!) <= key(r) + reach; q++) {
        const i = order[q]!;
        if (hit(r, ests[i]!)) pairs.push({ a: j, b: i, weight: 1 });
      }
    }
    for (const p of matchPairs(pairs)) out.push([p.a, p.b]);
    return out;
  };
  const sameLabel = (r: AudioEvent, e: AudioEvent) => labelOf(r) === labelOf(e) && hitsTime(r, e);

  const { files, est, ref } = readBoth(estimated, reference);
  let tp = 0, nRef = 0, nSys = 0, subs = 0;
  const perLabel = new Map<string, { tp: number; nRef: number; nSys: number }>();
  for (const file of files) {
    const refs = ref.get(file) ?? [], ests = est.get(file) ?? [];
    const pairs = match(refs, ests, sameLabel);
    const refUsed = new Uint8Array(refs.length), estUsed = new Uint8Array(ests.length);
    for (const [j, i] of pairs) {
      refUsed[j] = 1;
      estUsed[i] = 1;
    }
    let s = 0;
    for (let j = 0; j < refs.length; j++) {
      if (refUsed[j]) continue;
      for (let i = 0; i < ests.length; i++) {
        if (!estUsed[i] && hitsTime(refs[j]!, ests[i]!)) {
          estUsed[i] = 1;
          s++;
          break;
        }
      }
    }
    tp += pairs.length;
    subs += s;
    nRef += refs.length;
    nSys += ests.length;
    for (const label of sortedLabels(refs, ests)) {
      const r = refs.filter((e) => labelOf(e) === label), e = ests.filter((x) => labelOf(x) === label);
      const c = perLabel.get(label) ?? { tp: 0, nRef: 0, nSys: 0 };
      c.tp += match(r, e, hitsTime).length;
      c.nRef += r.length;
      c.nSys += e.length;
      perLabel.set(label, c);
    }
  }
  const rows = [...perLabel.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([label, c]) => ({ label, ...scores(c.tp, c.nRef, c.nSys, 0, c.nRef - c.tp, c.nSys - c.tp) }));
  return { overall: scores(tp, nRef, nSys, subs, nRef - tp - subs, nSys - tp - subs), perLabel: rows, classWiseAverage: average(rows) };
}

/** Options of {@link segmentBasedMetrics}. */
export interface SegmentBasedOptions {
  /** Segment length in seconds (sed_eval's `time_resolution`, default 1). */
  timeResolution?: number;
}

/**
 * sed_eval's `SegmentBasedMetrics`: per file, the time axis cut into segments of `timeResolution` seconds from 0 to
 * the latest offset of either side; a label is active in segment k when an event of it covers part of
 * [floor(onset / res), ceil(offset / res)). Per segment: TP, FP, FN over labels; S = min(FN, FP),
 * D = max(0, FN − FP), I = max(0, FP − FN); summed over segments and files. Per label: the segments' TP, FP, FN,
 * deletions FN and insertions FP.
 */
export function segmentBasedMetrics(estimated: EventList | EventsByFile, reference: EventList | EventsByFile, options: SegmentBasedOptions = {}): SedMetrics {
  if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
  const res = options.timeResolution === undefined ? 1 : num(options.timeResolution, 'timeResolution', { min: 0, exclusiveMin: true });
  const { files, est, ref } = readBoth(estimated, reference);
  const labels = sortedLabels(...[...est.values()], ...[...ref.values()]);
  const li = new Map(labels.map((l, i) => [l, i]));
  const L = labels.length;
  let tp = 0, nRef = 0, nSys = 0, subs = 0, dels = 0, ins = 0;
  const cls = labels.map(() => ({ tp: 0, fp: 0, fn: 0 }));
  for (const file of files) {
    const refs = ref.get(file) ?? [], ests = est.get(file) ?? [];
    let maxOffset = 0;
    for (const e of [...refs, ...ests]) maxOffset = Math.max(maxOffset, e.end);
    const segs = Math.ceil(maxOffset / res); // sed_eval: ceil(max_offset * 1 / time_resolution)
    if (segs * Math.max(1, L) > 2 ** 28) {
      throw rangeError(`a coarser time resolution (file ${file} would need ${segs} segments of ${res} s for ${L} labels)`, 'timeResolution', res);
    }
    const roll = (list: EventList) => {
      const r = new Uint8Array(segs * L);
      for (const e of list) {
        const on = Math.floor(e.begin / res), off = Math.min(segs, Math.ceil(e.end / res));
        const c = li.get(labelOf(e))!;
        for (let k = Math.max(0, on); k < off; k++) r[k * L + c] = 1;
      }
      return r;
    };
    const rr = roll(refs), er = roll(ests);
    for (let k = 0; k < segs; k++) {
      let segTp = 0, segFp = 0, segFn = 0, segRef = 0, segSys = 0;
      for (let c = 0; c < L; c++) {
        const r = rr[k * L + c]!, e = er[k * L + c]!;
        segRef += r;
        segSys += e;
        if (r && e) {
          segTp++;
          cls[c]!.tp++;
        } else if (e) {
          segFp++;
          cls[c]!.fp++;
        } else if (r) {
          segFn++;
          cls[c]!.fn++;
        }
      }
      tp += segTp;
      nRef += segRef;
      nSys += segSys;
      subs += Math.min(segFn, segFp);
      dels += Math.max(0, segFn - segFp);
      ins += Math.max(0, segFp - segFn);
    }
  }
  const rows = labels.map((label, c) => {
    const k = cls[c]!;
    return { label, ...scores(k.tp, k.tp + k.fn, k.tp + k.fp, 0, k.fn, k.fp) };
  });
  return { overall: scores(tp, nRef, nSys, subs, dels, ins), perLabel: rows, classWiseAverage: average(rows) };
}
