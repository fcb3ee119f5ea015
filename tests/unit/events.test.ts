/**
 * Event IoU, one-to-one matching and window-score post-processing (src/events/) on hand-checked cases: touching,
 * nested and zero-length boxes, one detection over two truths, duplicates, empty and one-sided files, a case
 * where greedy matching loses a pair that optimal matching keeps, labels, time-frequency boxes; threshold,
 * merging, gaps, minimum durations and the median filter of scoresToEvents; and argument errors.
 */
import { describe, expect, it } from 'vitest';
import { boxIou, timeIou } from '../../src/events/iou.js';
import { matchEvents } from '../../src/events/match.js';
import { scoresToEvents } from '../../src/events/scores-to-events.js';
import { eventBasedMetrics, segmentBasedMetrics } from '../../src/events/sed-metrics.js';

describe('IoU', () => {
  it('is 0 for boxes that only touch, and for zero-length boxes; the shorter length over the longer for nested ones', () => {
    expect(timeIou({ begin: 0, end: 1 }, { begin: 1, end: 2 })).toBe(0);
    expect(timeIou({ begin: 1, end: 1 }, { begin: 0, end: 2 })).toBe(0);
    expect(timeIou({ begin: 0, end: 4 }, { begin: 1, end: 2 })).toBe(0.25);
    expect(timeIou({ begin: 0, end: 2 }, { begin: 1, end: 3 })).toBeCloseTo(1 / 3, 15);
    expect(timeIou({ begin: 2, end: 5 }, { begin: 2, end: 5 })).toBe(1);
  });

  it('time-frequency: intersection area over union area; a missing highFreq takes maxFreq; touching bands give 0', () => {
    const a = { begin: 0, end: 2, lowFreq: 0, highFreq: 1000 };
    const b = { begin: 1, end: 3, lowFreq: 500, highFreq: 1500 };
    // intersection 1 s x 500 Hz = 500; union 2000 + 2000 - 500 = 3500.
    expect(boxIou(a, b)).toBeCloseTo(500 / 3500, 15);
    expect(boxIou({ begin: 0, end: 2, lowFreq: 1000, highFreq: 2000 }, a)).toBe(0);
    expect(boxIou({ begin: 0, end: 2 }, { begin: 0, end: 2, highFreq: 4000 }, 8000)).toBe(0.5);
    expect(() => boxIou({ begin: 0, end: 2 }, a)).toThrow(/highFreq/);
  });
});

describe('matchEvents', () => {
  it('matches one-to-one: one detection over two truths is one TP; a duplicate detection is a FP', () => {
    const truth = [{ begin: 0, end: 1 }, { begin: 1.2, end: 2 }];
    const r = matchEvents([{ begin: 0, end: 2 }], truth, { iou: 0.4 });
    expect(r.overall).toMatchObject({ tp: 1, fp: 0, fn: 1 });
    expect(r.pairs).toEqual([{ file: '', detection: 0, truth: 0, iou: 0.5 }]);
    const dup = matchEvents([{ begin: 0, end: 1 }, { begin: 0, end: 1 }], [{ begin: 0, end: 1 }]);
    expect(dup.overall).toMatchObject({ tp: 1, fp: 1, fn: 0, precision: 0.5, recall: 1 });
    expect(dup.overall.f1).toBeCloseTo(2 / 3, 15);
  });

  it('optimal matching keeps the pair greedy matching loses', () => {
    const truth = [{ begin: 0, end: 10 }, { begin: 8, end: 18 }];
    const dets = [{ begin: 0, end: 10.5 }, { begin: 1, end: 9 }];
    const greedy = matchEvents(dets, truth, { iou: 0.1, matching: 'greedy' });
    const optimal = matchEvents(dets, truth, { iou: 0.1 });
    expect(greedy.overall.tp).toBe(1);
    expect(greedy.pairs).toEqual([{ file: '', detection: 0, truth: 0, iou: 10 / 10.5 }]);
    expect(optimal.overall.tp).toBe(2);
    expect(optimal.pairs.map((p) => [p.detection, p.truth])).toEqual([[0, 1], [1, 0]]);
  });

  it('greedy ties go to the higher detection score', () => {
    const truth = [{ begin: 0, end: 1 }];
    const dets = [{ begin: 0, end: 1, score: 0.2 }, { begin: 0, end: 1, score: 0.9 }];
    expect(matchEvents(dets, truth, { matching: 'greedy' }).pairs).toEqual([{ file: '', detection: 1, truth: 0, iou: 1 }]);
  });

  it('counts per file: detections without a truth file are FP, truths without detections FN; empty inputs give zeros', () => {
    const r = matchEvents(
      { 'a.wav': [{ begin: 0, end: 1 }], 'b.wav': [{ begin: 0, end: 1 }, { begin: 3, end: 4 }] },
      new Map([['a.wav', [{ begin: 0.1, end: 1 }]], ['c.wav', [{ begin: 5, end: 6 }]]]),
    );
    expect(r.perFile.map((f) => [f.file, f.tp, f.fp, f.fn])).toEqual([['a.wav', 1, 0, 0], ['b.wav', 0, 2, 0], ['c.wav', 0, 0, 1]]);
    expect(r.overall).toMatchObject({ tp: 1, fp: 2, fn: 1, precision: 1 / 3, recall: 0.5 });
    expect(matchEvents([], [])).toEqual({ overall: { tp: 0, fp: 0, fn: 0, precision: 0, recall: 0, f1: 0 }, perFile: [{ file: '', tp: 0, fp: 0, fn: 0, precision: 0, recall: 0, f1: 0 }], perLabel: [], macro: null, pairs: [] });
  });

  it('byLabel matches within a label only, with per-label rows and their macro average', () => {
    const truth = [{ begin: 0, end: 1, label: 'bird' }, { begin: 2, end: 3, label: 'frog' }];
    const dets = [{ begin: 0, end: 1, label: 'frog' }, { begin: 2, end: 3, label: 'frog' }];
    const any = matchEvents(dets, truth);
    expect(any.overall.tp).toBe(2);
    const r = matchEvents(dets, truth, { byLabel: true });
    expect(r.overall).toMatchObject({ tp: 1, fp: 1, fn: 1 });
    expect(r.perLabel.map((l) => [l.label, l.tp, l.fp, l.fn])).toEqual([['bird', 0, 0, 1], ['frog', 1, 1, 0]]);
    expect(r.macro).toEqual({ precision: 0.25, recall: 0.5, f1: (0 + 2 / 3) / 2 });
  });

  it('time-frequency mode separates boxes at the same time in different bands', () => {
    const truth = [{ begin: 0, end: 1, lowFreq: 0, highFreq: 1000 }, { begin: 0, end: 1, lowFreq: 4000, highFreq: 6000 }];
    const dets = [{ begin: 0, end: 1, lowFreq: 4100, highFreq: 6000 }];
    const r = matchEvents(dets, truth, { mode: 'time-frequency', iou: 0.5 });
    expect(r.pairs).toEqual([{ file: '', detection: 0, truth: 1, iou: 0.95 }]);
    expect(() => matchEvents([{ begin: 0, end: 1 }], truth, { mode: 'time-frequency' })).toThrow(/highFreq/);
  });

  it('refuses bad events and options, naming them', () => {
    expect(() => matchEvents([{ begin: 2, end: 1 }], [])).toThrow(/detections\[""\]\[0\]\.end/);
    expect(() => matchEvents([], { 'x.wav': [{ begin: 'a' }] } as never)).toThrow(/truth\["x.wav"\]\[0\]\.begin/);
    expect(() => matchEvents([], [], { iou: 0 })).toThrow(/iou/);
    expect(() => matchEvents([], [], { matching: 'best' as never })).toThrow(/matching/);
    expect(() => matchEvents(5 as never, [])).toThrow(TypeError);
  });
});

describe('scoresToEvents', () => {
  const win = (scores: number[], hop = 0.05, len = 0.4) => ({
    begin: scores.map((_, i) => i * hop),
    end: scores.map((_, i) => i * hop + len),
    score: scores,
  });

  it('merges overlapping windows above the threshold, with the mean and max of their scores', () => {
    const ev = scoresToEvents(win([0.1, 0.5, 0.7, 0.2, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.9]), { threshold: 0.3 });
    expect(ev).toHaveLength(2);
    expect(ev[0]).toMatchObject({ windows: 2, scoreMax: 0.7 });
    expect(ev[0]!.begin).toBeCloseTo(0.05, 12);
    expect(ev[0]!.end).toBeCloseTo(0.5, 12);
    expect(ev[0]!.score).toBeCloseTo(0.6, 12);
    expect(ev[1]!.begin).toBeCloseTo(0.6, 12); // window 12; window 10 would have touched the first event and joined it
  });

  it('joins events closer than minGap, drops those shorter than minDuration, and can keep windows apart', () => {
    const s = { begin: [0, 1, 1.2, 5], end: [0.4, 1.4, 1.6, 5.1], score: [1, 1, 1, 1] };
    expect(scoresToEvents(s).map((e) => [e.begin, e.end])).toEqual([[0, 0.4], [1, 1.6], [5, 5.1]]);
    expect(scoresToEvents(s, { minGap: 0.7 }).map((e) => [e.begin, e.end])).toEqual([[0, 1.6], [5, 5.1]]);
    expect(scoresToEvents(s, { minDuration: 0.5 }).map((e) => [e.begin, e.end])).toEqual([[1, 1.6]]);
    expect(scoresToEvents(s, { mergeOverlapping: false, minGap: 10 })).toHaveLength(4);
    const labelled = scoresToEvents(s, { label: 'call', lowFreq: 500, highFreq: 9000 })[0]!;
    expect(labelled).toMatchObject({ label: 'call', lowFreq: 500, highFreq: 9000 });
  });

  it('median-filters the scores first: a one-window spike disappears, a one-window dip is filled', () => {
    const spike = win([0, 0, 1, 0, 0]);
    expect(scoresToEvents(spike)).toHaveLength(1);
    expect(scoresToEvents(spike, { medianFilter: 3 })).toHaveLength(0);
    const dip = { begin: [0, 1, 2, 3, 4], end: [0.5, 1.5, 2.5, 3.5, 4.5], score: [1, 1, 0, 1, 1] };
    expect(scoresToEvents(dip, { minGap: 0.6 })).toHaveLength(2);
    expect(scoresToEvents(dip, { medianFilter: 3, minGap: 0.6 })).toHaveLength(1);
  });

  it('refuses unsorted windows, non-finite scores, mismatched lengths and even filters', () => {
    expect(() => scoresToEvents({ begin: [1, 0], end: [2, 1], score: [1, 1] })).toThrow(/sorted by begin/);
    expect(() => scoresToEvents({ begin: [0], end: [1], score: [NaN] })).toThrow(/scores\.score\[0\]/);
    expect(() => scoresToEvents({ begin: [0], end: [1, 2], score: [1] })).toThrow(/as many as begins/);
    expect(() => scoresToEvents(win([1, 1]), { medianFilter: 2 })).toThrow(/odd/);
    expect(scoresToEvents({ begin: [], end: [], score: [] })).toEqual([]);
  });
});

describe('sed_eval metrics (hand-worked)', () => {
  it('event-based: a hit, a substitution, a deletion and an insertion; per label and class-wise averages', () => {
    const ref = [{ begin: 0, end: 1, label: 'dog' }, { begin: 2, end: 4, label: 'cat' }, { begin: 5, end: 6, label: 'dog' }];
    const est = [{ begin: 0.1, end: 1.1, label: 'dog' }, { begin: 2.1, end: 3, label: 'dog' }, { begin: 7, end: 8, label: 'dog' }];
    const m = eventBasedMetrics(est, ref);
    expect(m.overall).toMatchObject({ tp: 1, nRef: 3, nSys: 3, substitutions: 1, deletions: 1, insertions: 1, errorRate: 1 });
    expect(m.overall.f1).toBeCloseTo(1 / 3, 15);
    expect(m.perLabel.map((r) => [r.label, r.tp, r.deletions, r.insertions, r.errorRate])).toEqual([['cat', 0, 1, 0, 1], ['dog', 1, 1, 2, 1.5]]);
    expect(m.perLabel[1]!.f1).toBeCloseTo(0.4, 15);
    expect(m.classWiseAverage.f1).toBeCloseTo(0.2, 15);
    expect(m.classWiseAverage.errorRate).toBe(1.25);
    // Onset only: the second estimate's offset no longer matters; a tighter collar loses the first hit.
    expect(eventBasedMetrics(est, ref, { evaluate: 'onset' }).overall.tp).toBe(1);
    expect(eventBasedMetrics(est, ref, { tCollar: 0.05, percentageOfLength: 0 }).overall.tp).toBe(0);
  });

  it('event-based: an onset exactly at the collar is a hit for optimal and greedy alike (no rounding in the prefilter)', () => {
    const ref = [{ begin: 0.27, end: 1, label: 'a' }];
    const est = [{ begin: 0.02, end: 1, label: 'a' }];
    expect(eventBasedMetrics(est, ref, { tCollar: 0.25 }).overall.tp).toBe(eventBasedMetrics(est, ref, { tCollar: 0.25, matching: 'greedy' }).overall.tp);
    expect(eventBasedMetrics([{ begin: 0, end: 0.02 }], [{ begin: 0, end: 0.27 }], { tCollar: 0.25, percentageOfLength: 0, evaluate: 'offset' }).overall.tp).toBe(
      eventBasedMetrics([{ begin: 0, end: 0.02 }], [{ begin: 0, end: 0.27 }], { tCollar: 0.25, percentageOfLength: 0, evaluate: 'offset', matching: 'greedy' }).overall.tp,
    );
  });

  it('event-based: optimal matching finds two hits where greedy finds one', () => {
    const ref = [{ begin: 0.2, end: 1.2 }, { begin: 0, end: 1 }];
    const est = [{ begin: 0.05, end: 1.05 }, { begin: 0.35, end: 1.2 }];
    expect(eventBasedMetrics(est, ref).overall.tp).toBe(2);
    const g = eventBasedMetrics(est, ref, { matching: 'greedy' }).overall;
    expect(g).toMatchObject({ tp: 1, substitutions: 0, deletions: 1, insertions: 1 });
  });

  it('segment-based: 1-s segments from 0 to the last offset, substitutions per segment', () => {
    const ref = [{ begin: 0, end: 1.5, label: 'dog' }, { begin: 1.2, end: 2, label: 'cat' }];
    const est = [{ begin: 0.5, end: 1, label: 'dog' }, { begin: 2.5, end: 3, label: 'cat' }];
    const m = segmentBasedMetrics({ 'a.wav': est }, { 'a.wav': ref });
    expect(m.overall).toMatchObject({ tp: 1, nRef: 3, nSys: 2, substitutions: 0, deletions: 2, insertions: 1, errorRate: 1, precision: 0.5 });
    expect(m.overall.f1).toBeCloseTo(0.4, 15);
    expect(m.perLabel.map((r) => [r.label, r.tp, r.deletions, r.insertions, r.errorRate])).toEqual([['cat', 0, 1, 1, 2], ['dog', 1, 1, 0, 0.5]]);
    expect(m.classWiseAverage.f1).toBeCloseTo(1 / 3, 15);
    // The wrong label in a segment where the reference is active is a substitution.
    const s = segmentBasedMetrics([{ begin: 0, end: 1, label: 'cat' }], [{ begin: 0, end: 1, label: 'dog' }]);
    expect(s.overall).toMatchObject({ tp: 0, substitutions: 1, deletions: 0, insertions: 0, errorRate: 1 });
    // No reference at all: the error rates are undefined (null), never a NaN.
    expect(segmentBasedMetrics([{ begin: 0, end: 1 }], []).overall).toMatchObject({ nRef: 0, errorRate: null, insertions: 1 });
  });
});
