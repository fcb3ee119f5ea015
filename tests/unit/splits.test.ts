// Splits: deterministic for a seed, close to the ratios in every stratum, and no group in two
// splits (checked on many random datasets); fold columns drive fixed splits and k-fold.
import { describe, expect, it } from 'vitest';
import { AudiomillError } from '../../src/errors.js';
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
    const splits = splitRows(rows, { ratios: { a: 0.25, b: 0.75 } });
    expect(splits.filter((s) => s === 'a').length).toBe(250);
  });

  it('refuses bad ratios', () => {
    expect(() => splitRows([], { ratios: {} })).toThrow(RangeError);
    expect(() => splitRows([], { ratios: { train: -1 } })).toThrow(/ratios.train/);
  });

  it('refuses ratios that do not sum to 1 (within 1e-6) instead of renormalising them', () => {
    const rows = [{ path: 'a.wav' }];
    expect(() => splitRows(rows, { ratios: { a: 1, b: 3 } })).toThrow(/Expected split ratios that sum to 1 \(these sum to 4\) for ratios/);
    expect(() => splitRows(rows, { ratios: { train: 0.8, test: 0.3 } })).toThrow(RangeError);
    expect(() => splitRows(rows, { ratios: { train: 0.8, test: 0.2 + 2e-6 } })).toThrow(RangeError);
    expect(splitRows(rows, { ratios: { train: 0.7, val: 0.2, test: 0.1 } })).toEqual(['train']); // 0.9999999999999999
    expect(splitRows(rows, { ratios: { train: 0.8, test: 0.2 + 5e-7 } })).toHaveLength(1);
  });

  it('refuses a stratify or group column no row has, listing the columns that exist', () => {
    const rows = [{ path: 'a.wav', category: 'dog' }, { path: 'b.wav', src_file: 'x' }];
    const ratios = { train: 0.5, test: 0.5 };
    expect(() => splitRows(rows, { ratios, stratify: 'nosuchcol' })).toThrow(/Expected one of the columns path, category, src_file for stratify but received "nosuchcol"/);
    expect(() => splitRows(rows, { ratios, group: 'nosuchcol' })).toThrow(/for group but received "nosuchcol"/);
    expect(() => splitRows(rows, { ratios, group: 'nosuchcol' })).toThrow(RangeError);
    expect(splitRows(rows, { ratios, group: 'src_file', stratify: 'category' })).toHaveLength(2); // one row has it: a column
  });
});

describe('parseSplitSpec', () => {
  it('parses the CLI form', () => {
    expect(parseSplitSpec('train=0.8,val=0.1,test=0.1')).toEqual({ train: 0.8, val: 0.1, test: 0.1 });
    expect(() => parseSplitSpec('train:0.8')).toThrow(/split/);
    expect(() => parseSplitSpec('a=1,a=2')).toThrow(/repeats/);
  });

  it('refuses ratios that do not sum to 1, naming the option', () => {
    expect(() => parseSplitSpec('train=2', '--split')).toThrow('Expected split ratios that sum to 1 (these sum to 2) for --split but received "train=2"');
    expect(() => parseSplitSpec('train=0.8,test=0.3', '--split')).toThrow(/sum to 1.1\) for --split/);
    expect(parseSplitSpec('train=0.7,val=0.2,test=0.1')).toEqual({ train: 0.7, val: 0.2, test: 0.1 });
    expect(parseSplitSpec('all=1')).toEqual({ all: 1 });
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

  it('a fold column that does not exist says so and lists the columns', () => {
    const err = (() => {
      try {
        splitsFromFolds([{ path: 'a.wav', category: 'dog' }], { column: 'fold' });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(AudiomillError);
    expect(err).toMatchObject({ code: 'INVALID_ARGUMENT', message: "the fold column 'fold' does not exist; the columns are path, category" });
  });
});
