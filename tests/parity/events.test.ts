// Event matching and score filtering against tests/parity/make_events_fixtures.py (SciPy 1.10): the optimal
// one-to-one matching's pair count and total IoU per file equal linear_sum_assignment's on the same weights, in
// both IoU modes, with and without labels, at three thresholds; greedy never finds more pairs than optimal; the
// median filter equals scipy.ndimage.median_filter (mode 'reflect').
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AudioEvent } from '../../src/io/events.js';
import { matchEvents } from '../../src/events/match.js';
import { medianFilter } from '../../src/events/scores-to-events.js';

interface MatchCase {
  name: string;
  files: Record<string, { detections: AudioEvent[]; truth: AudioEvent[] }>;
  results: { iou: number; mode: 'time' | 'time-frequency'; byLabel: boolean; perFile: Record<string, { tp: number; totalIou: number }> }[];
}
const doc = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'events', 'events.json'), 'utf8')) as {
  matching: MatchCase[];
  median: { x: number[]; k: number; expected: number[] }[];
};

describe('matchEvents (optimal) equals scipy.optimize.linear_sum_assignment', () => {
  it.each(doc.matching.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const dets = Object.fromEntries(Object.entries(c.files).map(([f, v]) => [f, v.detections]));
    const truth = Object.fromEntries(Object.entries(c.files).map(([f, v]) => [f, v.truth]));
    for (const r of c.results) {
      const got = matchEvents(dets, truth, { iou: r.iou, mode: r.mode, byLabel: r.byLabel });
      const greedy = matchEvents(dets, truth, { iou: r.iou, mode: r.mode, byLabel: r.byLabel, matching: 'greedy' });
      for (const [file, want] of Object.entries(r.perFile)) {
        const row = got.perFile.find((p) => p.file === file)!;
        const label = `${c.name} ${file} iou ${r.iou} ${r.mode}${r.byLabel ? ' byLabel' : ''}`;
        expect(row.tp, label).toBe(want.tp);
        const total = got.pairs.filter((p) => p.file === file).reduce((s, p) => s + p.iou, 0);
        expect(Math.abs(total - want.totalIou), label).toBeLessThan(1e-9);
        expect(greedy.perFile.find((p) => p.file === file)!.tp, label).toBeLessThanOrEqual(want.tp);
        // Every pair is one-to-one and above the threshold.
        const pairs = got.pairs.filter((p) => p.file === file);
        expect(new Set(pairs.map((p) => p.detection)).size).toBe(pairs.length);
        expect(new Set(pairs.map((p) => p.truth)).size).toBe(pairs.length);
        for (const p of pairs) expect(p.iou).toBeGreaterThanOrEqual(r.iou);
      }
    }
  });
});

describe('medianFilter equals scipy.ndimage.median_filter (mode reflect)', () => {
  it.each(doc.median.map((c) => [`n ${c.x.length} k ${c.k}`, c] as const))('%s', (_, c) => {
    expect(Array.from(medianFilter(c.x, c.k))).toEqual(c.expected);
  });
});
