// Splits: deterministic for a seed, close to the ratios in every stratum, and no group in two
// splits (checked on many random datasets); fold columns drive fixed splits and k-fold.
import { describe, expect, it } from 'vitest';
import { kFoldSplits, parseSplitSpec, splitRows, splitsFromFolds, type Row } from '../../src/manifest/splits.js';
import { rng } from '../helpers/reference.js';

/** A random dataset: clips cut from source files (groups) of a few categories. */
function dataset(seed: number, sources: number): Row[] {
  const r = rng(seed);
  const rows: Row[] = [];
  const cats = ['speech', 'music', 'noise', 'dog', 'rain'];
  for (let s = 0; s < sources; s++) {
    const category = cats[Math.floor(((r() + 1) / 2) * cats.length)]!;
    const clips = 1 + Math.floor(((r() + 1) / 2) * 6);
    for (let c = 0; c < clips; c++) rows.push({ path: `src${s}/clip${c}.wav`, src_file: `src${s}.wav`, category });
  }
  return rows;
}

describe('splitRows', () => {
  const ratios = { train: 0.8, val: 0.1, test: 0.1 };

  it('never puts one group in two splits (200 random datasets)', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const rows = dataset(seed, 20 + (seed % 50));
      const splits = splitRows(rows, { ratios, group: 'src_file', stratify: 'category', seed });
      const where = new Map<unknown, string>();
      rows.forEach((row, i) => {
        const seen = where.get(row.src_file);
        if (seen !== undefined) expect(splits[i]).toBe(seen);
        where.set(row.src_file, splits[i]!);
      });
    }
  });

  it('is deterministic for a seed, independent of row order, and changes with the seed', () => {
    const rows = dataset(7, 300);
    const a = splitRows(rows, { ratios, group: 'src_file', seed: 3 });
    expect(splitRows(rows, { ratios, group: 'src_file', seed: 3 })).toEqual(a);
    const reversed = [...rows].reverse();
    const b = splitRows(reversed, { ratios, group: 'src_file', seed: 3 }).reverse();
    expect(b).toEqual(a);
    expect(splitRows(rows, { ratios, group: 'src_file', seed: 4 })).not.toEqual(a);
  });

  it('keeps each stratum close to the ratios', () => {
    const rows = Array.from({ length: 5000 }, (_, i) => ({ path: `${i}.wav`, category: ['a', 'b', 'c'][i % 3]!, n: i }));
    const splits = splitRows(rows, { ratios, stratify: 'category', seed: 42 });
    for (const cat of ['a', 'b', 'c']) {
      const idx = rows.map((r, i) => (r.category === cat ? i : -1)).filter((i) => i >= 0);
      for (const [name, share] of Object.entries(ratios)) {
        const got = idx.filter((i) => splits[i] === name).length / idx.length;
        expect(Math.abs(got - share)).toBeLessThan(0.002);
      }
    }
  });

  it('without group or stratify, every row is its own group and shares match the ratios', () => {
    const rows = Array.from({ length: 1000 }, (_, i) => ({ path: `${i}.wav` }));
    const splits = splitRows(rows, { ratios: { a: 1, b: 3 } });
    expect(splits.filter((s) => s === 'a').length).toBe(250);
  });

  it('refuses bad ratios', () => {
    expect(() => splitRows([], { ratios: {} })).toThrow(RangeError);
    expect(() => splitRows([], { ratios: { train: -1 } })).toThrow(/ratios.train/);
  });
});

describe('parseSplitSpec', () => {
  it('parses the CLI form', () => {
    expect(parseSplitSpec('train=0.8,val=0.1,test=0.1')).toEqual({ train: 0.8, val: 0.1, test: 0.1 });
    expect(() => parseSplitSpec('train:0.8')).toThrow(/split/);
    expect(() => parseSplitSpec('a=1,a=2')).toThrow(/repeats/);
  });
});

describe('fold columns (ESC-50)', () => {
  const rows = Array.from({ length: 2000 }, (_, i) => ({ filename: `${i}.wav`, fold: 1 + (i % 5), src_file: `s${Math.floor(i / 5) * 5 + (i % 5)}` }));

  it('the last fold is the test split by default, and a val fold can be named', () => {
    const s = splitsFromFolds(rows, { column: 'fold' });
    rows.forEach((r, i) => expect(s[i]).toBe(r.fold === 5 ? 'test' : 'train'));
    const v = splitsFromFolds(rows, { column: 'fold', test: 1, val: 2 });
    rows.forEach((r, i) => expect(v[i]).toBe(r.fold === 1 ? 'test' : r.fold === 2 ? 'val' : 'train'));
  });

  it('k-fold: each fold is the test split once', () => {
    const k = kFoldSplits(rows, { column: 'fold' });
    expect(k.map((f) => f.fold)).toEqual(['1', '2', '3', '4', '5']);
    rows.forEach((r, i) => expect(k.filter((f) => f.splits[i] === 'test').map((f) => f.fold)).toEqual([String(r.fold)]));
  });

  it('a group spanning folds is reported as leakage', () => {
    const leaky = rows.map((r, i) => ({ ...r, src_file: `s${Math.floor(i / 10)}` }));
    expect(() => splitsFromFolds(leaky, { column: 'fold', group: 'src_file' })).toThrow(/leak/);
    expect(() => splitsFromFolds(rows, { column: 'fold', test: 9 })).toThrow(RangeError);
  });
});
