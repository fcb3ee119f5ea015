// The random-forest filter end to end: an energy detector finds tone calls and noise bursts alike on synthetic
// tapes; `filter train` labels its selections on training tapes against the truth (IoU) and fits a forest on their
// Raven measurements, MFCC statistics and scores; `filter apply` on held-out tapes drops the noise bursts and keeps
// every call (eval detect: precision 1, recall 1 where the detector alone had half its selections wrong); `detect
// --filter` writes the same selections in one step; and the errors a user meets first.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { detectTapes } from '../../src/events/detect-run.js';
import { evaluateDetections } from '../../src/events/evaluate-detections.js';
import { filterSelections, trainSelectionFilter } from '../../src/events/selection-filter.js';
import type { WindowScorer } from '../../src/events/sliding-window.js';
import { readRavenTable, writeRavenTable } from '../../src/io/raven-table.js';
import { rng } from '../helpers/reference.js';
import { tempDir } from '../helpers/temp.js';
import { writeWav } from '../helpers/wav.js';

const cli = (args: string[]) => spawnSync(process.execPath, [join(__dirname, '../../dist/cjs/cli/main.js'), ...args], { encoding: 'utf8' });
const RATE = 16000;
const energy: WindowScorer = { sampleRate: RATE, scoreWindows: async (ws) => Float32Array.from(ws, (w) => Math.sqrt(w.reduce((s, v) => s + v * v, 0) / w.length)) };

/** A 16-s tape of faint noise with 4 tone calls (1.5-3 kHz sweeps) and 4 noise bursts at seeded, separate times; returns the calls. */
function tape(path: string, seed: number): [number, number][] {
  const s = rng(seed);
  const r = () => (s() + 1) / 2; // [0, 1)
  const x = new Float32Array(16 * RATE);
  for (let i = 0; i < x.length; i++) x[i] = (r() - 0.5) * 0.01;
  const calls: [number, number][] = [];
  for (let k = 0; k < 8; k++) {
    const begin = 0.5 + 2 * k + r() * 0.8;
    const len = 0.4 + r() * 0.4;
    const a = Math.round(begin * RATE);
    const n = Math.round(len * RATE);
    if (k % 2 === 0) {
      const f0 = 1500 + r() * 500;
      let phase = 0;
      for (let i = 0; i < n; i++) {
        phase += (2 * Math.PI * (f0 + (1000 * i) / n)) / RATE;
        x[a + i] = x[a + i]! + 0.4 * Math.sin(phase);
      }
      calls.push([a / RATE, (a + n) / RATE]);
    } else {
      for (let i = 0; i < n; i++) x[a + i] = x[a + i]! + (r() - 0.5) * 1.2;
    }
  }
  writeWav(path, x, RATE);
  return calls;
}

let dir = '';
beforeAll(async () => {
  dir = tempDir('filter');
  for (const [split, seeds] of [['train', [1, 2, 3, 4]], ['test', [5, 6]]] as const) {
    mkdirSync(join(dir, `truth-${split}`), { recursive: true });
    for (const s of seeds) {
      const calls = tape(join(dir, split, `tape${s}.wav`), s);
      await writeRavenTable(join(dir, `truth-${split}`, `tape${s}.Table.1.selections.txt`), calls.map(([begin, end]) => ({ begin, end, lowFreq: 0, highFreq: 8000, label: 'call' })));
    }
    await detectTapes({ input: join(dir, split), model: energy, seqLen: 0.2, hop: 0.05, threshold: 0.1, minGap: 0.1, out: join(dir, `ann-${split}`) });
  }
}, 60_000);

describe('trainSelectionFilter and filterSelections', () => {
  it('learn from training tapes to drop the noise bursts of held-out tapes and keep every call', async () => {
    const t = await trainSelectionFilter({ tables: join(dir, 'ann-train'), tapes: join(dir, 'train'), truth: join(dir, 'truth-train'), out: join(dir, 'rf.json'), featuresOut: join(dir, 'feat'), trees: 50, nFft: 512, hopLength: 256 });
    expect(t.tapes).toBe(4);
    expect(t.classes).toEqual([{ label: 0, count: 16 }, { label: 1, count: 16 }]);
    expect(t.importances).toHaveLength(11 + 3 * 2 * 13 + 1);
    const dump = readFileSync(join(dir, 'feat', 'tape1.Table.1.selections.features_all.csv'), 'utf8').trim().split('\n');
    expect(dump).toHaveLength(9);
    expect(dump[0]!.split(',').slice(0, 6)).toEqual(['selection', 'begin_time', 'end_time', 'low_freq', 'high_freq', 'Dur 50% (s)']);
    expect(dump[0]!.split(',').slice(-2)).toEqual(['cnn_logit_mean', 'label']);

    const before = await evaluateDetections({ truth: join(dir, 'truth-test'), pred: [join(dir, 'ann-test')], iou: 0.4 });
    expect(before.overall[0]).toMatchObject({ tp: 8, fp: 8, fn: 0 });
    const f = await filterSelections({ tables: join(dir, 'ann-test'), tapes: join(dir, 'test'), model: join(dir, 'rf.json'), out: join(dir, 'postrf') });
    expect(f).toMatchObject({ selections: 16, kept: 8, threshold: 0.5 });
    const after = await evaluateDetections({ truth: join(dir, 'truth-test'), pred: [join(dir, 'ann-test'), join(dir, 'postrf')], iou: 0.4 });
    expect(after.overall.map((r) => [r.layer, r.tp, r.fp, r.fn])).toEqual([['ann-test', 8, 8, 0], ['postrf', 8, 0, 0]]);
    const kept = await readRavenTable(join(dir, 'postrf', 'tape5.Table.1.selections.txt'));
    expect(kept.rows.every((r) => Number(r.extra['RF Score']) >= 0.5 && r.score !== undefined)).toBe(true);
    expect(existsSync(join(dir, 'postrf', 'features', 'tape5.Table.1.selections.features_all.csv'))).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'postrf', 'index.json'), 'utf8'))).toMatchObject({ command: 'filter', positive: 1, kept: 8, selections: 16 });
  });
});

describe('audiomill filter', () => {
  it('trains and applies from the command line; detect --filter keeps the same selections in one step', async () => {
    const train = cli(['filter', 'train', '--tables', join(dir, 'ann-train'), '--tapes', join(dir, 'train'), '--truth', join(dir, 'truth-train'), '--trees', '50', '--n-fft', '512', '--hop', '256', '--seed', '3', '--out', join(dir, 'cli-rf.json')]);
    expect(train.stderr).toMatch(/Trained on 32 selections from 4 tapes \(0: 16, 1: 16\)/);
    expect(train.status).toBe(0);
    const apply = cli(['filter', 'apply', '--tables', join(dir, 'ann-test'), '--tapes', join(dir, 'test'), '--model', join(dir, 'cli-rf.json'), '--no-features', '--out', join(dir, 'cli-postrf')]);
    expect(apply.stderr).toMatch(/Kept 8 of 16 selections \(probability >= 0\.5\) over 2 tables/);
    expect(existsSync(join(dir, 'cli-postrf', 'features'))).toBe(false);
    const one = await detectTapes({ input: join(dir, 'test'), model: energy, seqLen: 0.2, hop: 0.05, threshold: 0.1, minGap: 0.1, filter: join(dir, 'cli-rf.json'), out: join(dir, 'ann-filtered') });
    expect(one.tapes.map((t) => [t.events, t.unfiltered])).toEqual([[4, 8], [4, 8]]);
    for (const name of ['tape5', 'tape6']) {
      const a = await readRavenTable(join(dir, 'cli-postrf', `${name}.Table.1.selections.txt`));
      const b = await readRavenTable(join(dir, 'ann-filtered', `${name}.Table.1.selections.txt`));
      expect(b.rows.map((r) => [r.selection, r.begin, r.end, r.extra['RF Score']])).toEqual(a.rows.map((r) => [r.selection, r.begin, r.end, r.extra['RF Score']]));
    }
    expect(existsSync(join(dir, 'ann-filtered', 'features', 'tape5.Table.1.selections.features_all.csv'))).toBe(true);
  });

  it('leaves a selection it cannot measure missing instead of failing the run; refuses to write over its input', async () => {
    const { selectionFeatures } = await import('../../src/events/selection-features.js');
    const rows = await selectionFeatures(join(dir, 'test', 'tape5.wav'), [
      { begin: 1, end: 1.5, lowFreq: 500, highFreq: 4000, score: 0.7 },
      { begin: 15.99999, end: 16.5, score: 0.2 }, // under one sample before the end
      { begin: 20, end: 21, score: 0.1 }, // past the end
      { begin: 2, end: 2.5, lowFreq: 9000, highFreq: 12000, score: 0.3 }, // above the Nyquist frequency (8 kHz)
    ], { nFft: 512, hopLength: 256 });
    expect(rows[0]!.every(Number.isFinite)).toBe(true);
    for (const r of rows.slice(1)) {
      expect(r.slice(0, -1).every(Number.isNaN)).toBe(true);
      expect(Number.isFinite(r[r.length - 1])).toBe(true); // the score is still there
    }
    await expect(filterSelections({ tables: join(dir, 'ann-test'), tapes: join(dir, 'test'), model: join(dir, 'rf.json'), out: join(dir, 'ann-test') })).rejects.toThrow(/outside the tables folder/);
    await expect(filterSelections({ tables: join(dir, 'ann-test'), tapes: join(dir, 'test'), model: join(dir, 'rf.json'), out: join(dir, 'ann-test', 'postrf') })).rejects.toBeInstanceOf(RangeError);
  });

  it('says what is wrong with a model file, a missing positive class and one-class labels', () => {
    writeFileSync(join(dir, 'not-rf.json'), '{"format":"something else"}');
    const bad = cli(['filter', 'apply', '--tables', join(dir, 'ann-test'), '--tapes', join(dir, 'test'), '--model', join(dir, 'not-rf.json'), '--out', join(dir, 'x')]);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/Not an audiomill random forest \(.*not-rf\.json\): no format 'audiomill\.random-forest'/);
    const noPositive = cli(['filter', 'train', '--tables', join(dir, 'truth-train'), '--tapes', join(dir, 'train'), '--out', join(dir, 'y.json')]);
    expect(noPositive.status).not.toBe(0);
    expect(noPositive.stderr).toMatch(/--positive/);
    const oneClass = cli(['filter', 'train', '--tables', join(dir, 'truth-train'), '--tapes', join(dir, 'train'), '--positive', 'call', '--out', join(dir, 'y.json')]);
    expect(oneClass.status).not.toBe(0);
    expect(oneClass.stderr).toMatch(/All 16 selections are of class "call": a filter needs examples of what to drop too/);
    expect(existsSync(join(dir, 'y.json'))).toBe(false);
  });
});
