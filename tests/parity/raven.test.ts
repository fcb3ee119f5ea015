// Raven selection measurements against the float64 reference of tests/parity/make_raven_fixtures.py
// (tolerances in its index.json: one bin, one hop, 1e-4 bits), through the public API, sync and
// async; plus MFCC statistics per selection (sync and async alike), AudioEvent defaults, and errors.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MFCC, RAVEN_MEASUREMENT_COLUMNS, selectionMeasurements, selectionMeasurementsSync, type AudioEvent } from '../../src/index.js';
import { readNpy } from '../helpers/npy.js';

interface Case {
  name: string;
  signal: string;
  sampleRate: number;
  config: { windowSize: number; fftSize: number; hop: number; window: 'hann' };
  selections: { begin: number; end: number; low: number; high: number }[];
  expected: Record<string, number>[];
}
const dir = join(__dirname, 'fixtures', 'raven');
const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { cases: Case[]; signals: Record<string, { path: string }> };

describe('selectionMeasurements equals the float64 reference', () => {
  it.each(index.cases.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const x = readNpy(join(dir, index.signals[c.signal]!.path)).data;
    const boxes = c.selections.map((s) => ({ begin: s.begin, end: s.end, lowFreq: s.low, highFreq: s.high }));
    const options = { winLength: c.config.windowSize, nFft: c.config.fftSize, hopLength: c.config.hop, window: c.config.window };
    const got = selectionMeasurementsSync(x, c.sampleRate, boxes, options);
    expect(await selectionMeasurements(x, c.sampleRate, boxes, options)).toEqual(got);
    const bin = c.sampleRate / c.config.fftSize;
    const hop = c.config.hop / c.sampleRate;
    got.forEach((m, i) => {
      const e = c.expected[i]!;
      expect([m.firstSample, m.endSample, m.slices, m.firstBin, m.bins]).toEqual([e.firstSample, e.endSample, e.slices, e.firstBin, e.bins]);
      for (const [name, column] of Object.entries(RAVEN_MEASUREMENT_COLUMNS)) {
        const v = m[name as keyof typeof RAVEN_MEASUREMENT_COLUMNS];
        const want = e[column];
        if (want === undefined || want === null || Number.isNaN(want)) {
          expect(v).toBeUndefined();
          continue;
        }
        const tol = column.includes('(Hz)') ? bin : column.includes('(s)') ? hop : 1e-4;
        expect(Math.abs(v! - want)).toBeLessThanOrEqual(tol + 1e-9);
      }
    });
  });

  it('MFCC means and standard deviations per selection equal those of the selection\'s samples, sync and async', async () => {
    const c = index.cases[0]!;
    const x = readNpy(join(dir, index.signals[c.signal]!.path)).data;
    const boxes: AudioEvent[] = [{ begin: 0.1, end: 0.6, lowFreq: 0, highFreq: 5000 }, { begin: 0.3, end: 0.9, label: 'b', score: 0.5 }];
    const options = { mfcc: { nMfcc: 13, deltas: 2 as const, melkwargs: { nFft: 512, hopLength: 128, nMels: 40 } } };
    const sync = selectionMeasurementsSync(x, c.sampleRate, boxes, options);
    const pending = selectionMeasurements(x, c.sampleRate, boxes, options);
    expect(pending).toBeInstanceOf(Promise);
    expect(await pending).toEqual(sync);
    const [m] = sync;
    const t = new MFCC({ sampleRate: c.sampleRate, nMfcc: 13, melkwargs: { nFft: 512, hopLength: 128, nMels: 40 } }).compute(x.subarray(m!.firstSample, m!.endSample));
    const frames = t.shape[1]!;
    const row0 = Array.from(t.data.subarray(0, frames));
    const mean = row0.reduce((a, b) => a + b, 0) / frames;
    expect(m!.mfcc!.mfcc_mean_0).toBeCloseTo(mean, 4);
    expect(Object.keys(m!.mfcc!)).toHaveLength(13 * 2 * 3);
  });

  it('an event without frequencies spans 0 Hz to the Nyquist frequency', () => {
    const c = index.cases[0]!;
    const x = readNpy(join(dir, index.signals[c.signal]!.path)).data;
    const [a, b] = selectionMeasurementsSync(x, c.sampleRate, [{ begin: 0.1, end: 0.6 }, { begin: 0.1, end: 0.6, lowFreq: 0, highFreq: c.sampleRate / 2 }]);
    expect(a).toEqual(b);
  });

  it('a selection outside the signal is an error naming it; bad events and options are argument errors', async () => {
    const x = new Float32Array(16000);
    expect(() => selectionMeasurementsSync(x, 16000, [{ begin: 0, end: 0.5, lowFreq: 0, highFreq: 4000 }, { begin: 2, end: 3, lowFreq: 0, highFreq: 4000 }])).toThrow(/selection 1/);
    await expect(selectionMeasurements(x, 16000, [{ begin: 2, end: 3 }])).rejects.toThrow(/selection 0/);
    expect(() => selectionMeasurementsSync(x, 16000, [{ begin: 0, end: 0.5, lowFreq: 0, highFreq: 4000 }], { window: 'kaiser' as 'hann' })).toThrow(RangeError);
    expect(() => selectionMeasurementsSync(x, 16000, [{ begin: 0.5, end: 0.25 }])).toThrow('Expected a finite number >= 0.5 for selections[0].end but received 0.25');
    expect(() => selectionMeasurementsSync(x, 16000, [{ begin: 0, end: 1, channel: 0 }])).toThrow(RangeError);
    expect(() => selectionMeasurementsSync(x, 16000, [], { hopLength: 0 })).toThrow('Expected an integer between 1 and 4194304 for hopLength but received 0');
    expect(() => selectionMeasurementsSync(x, 16000, [], { winLength: 512, nFft: 256 })).toThrow(/for nFft/);
  });
});
