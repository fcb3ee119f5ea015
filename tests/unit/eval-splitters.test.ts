// Cross-validation splitters on many random inputs (sizes, seeds, class balances, group sizes): folds cover
// every row once as test, train and test are disjoint and make up all rows, no group crosses train/test,
// stratified folds hold each class within one of n_c / k; plus determinism, input kinds, warnings and errors.
// Exact equality with scikit-learn is in tests/parity/eval-splitters.test.ts.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AudiomillError } from '../../src/errors.js';
import { MAX_SEED, RandomState } from '../../src/eval/random.js';
import { compareCodePoints } from '../../src/eval/metrics/labels.js';
import {
  encodeLabels,
  type Fold,
  foldOf,
  groupKFold,
  kFold,
  leaveOneGroupOut,
  numpyArgsortQuick,
  predefinedSplit,
  stratifiedGroupKFold,
  stratifiedKFold,
} from '../../src/eval/splitters.js';
import { numpySum } from '../../src/eval/numpy-sum.js';
import { UNDEFINED_METRIC } from '../../src/eval/warnings.js';

type Value = number | string | boolean;

afterEach(() => {
  vi.restoreAllMocks();
});

function silence() {
  return vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
}

/**
 * Checks the shape every splitter promises: ascending Uint32Array sides, disjoint, together all n rows;
 * returns each row's test count. (Plain loops, one expect per property: the checks run millions of times.)
 */
function checkPartition(folds: Fold[], n: number): Uint32Array {
  const tested = new Uint32Array(n);
  folds.forEach(({ train, test }, f) => {
    expect(train instanceof Uint32Array && test instanceof Uint32Array, `fold ${f}: Uint32Array sides`).toBe(true);
    expect(train.length + test.length, `fold ${f}: train + test = n`).toBe(n);
    const seen = new Uint8Array(n);
    let ascending = true;
    let disjoint = true;
    for (let j = 0; j < test.length; j++) {
      if (j && !(test[j]! > test[j - 1]!)) ascending = false;
      seen[test[j]!] = 1;
      tested[test[j]!]!++;
    }
    for (let j = 0; j < train.length; j++) {
      if (j && !(train[j]! > train[j - 1]!)) ascending = false;
      if (seen[train[j]!]) disjoint = false;
      seen[train[j]!] = 1;
    }
    expect(ascending, `fold ${f}: ascending`).toBe(true);
    expect(disjoint, `fold ${f}: train and test disjoint`).toBe(true);
    expect(seen.every((v) => v === 1), `fold ${f}: train and test make up all rows`).toBe(true);
  });
  return tested;
}

/** Every row is in exactly one test set. */
function checkCover(folds: Fold[], n: number): void {
  const tested = checkPartition(folds, n);
  expect(tested.every((t) => t === 1), 'every row tested exactly once').toBe(true);
}

/** No group has rows on both sides of any fold. */
function checkGroups(folds: Fold[], groups: readonly Value[]): void {
  folds.forEach(({ train, test }, f) => {
    const inTest = new Set(Array.from(test, (i) => groups[i]));
    const crossing = Array.from(train).filter((i) => inTest.has(groups[i]!));
    expect(crossing, `fold ${f}: rows of test groups in train`).toEqual([]);
  });
}

/** Each class's count in each test fold is within one of n_c / k. */
function checkStratified(folds: Fold[], y: readonly Value[]): void {
  const total = new Map<Value, number>();
  for (const v of y) total.set(v, (total.get(v) ?? 0) + 1);
  folds.forEach(({ test }, f) => {
    const got = new Map<Value, number>();
    for (const i of test) got.set(y[i]!, (got.get(y[i]!) ?? 0) + 1);
    for (const [c, nc] of total) {
      const d = Math.abs((got.get(c) ?? 0) - nc / folds.length);
      if (!(d < 1)) expect.fail(`fold ${f}, class ${String(c)}: ${got.get(c) ?? 0} rows vs n_c / k = ${nc / folds.length}`);
    }
  });
}

/** Random class labels with a random balance (weights drawn per case). */
function randomLabels(rs: RandomState, n: number, classes: number, kind: 'int' | 'str' | 'bool'): Value[] {
  const w = Array.from({ length: classes }, () => 0.05 + rs.randomSample());
  const sum = w.reduce((a, b) => a + b, 0);
  return Array.from({ length: n }, () => {
    let u = rs.randomSample() * sum;
    let c = 0;
    while (c < classes - 1 && u >= w[c]!) u -= w[c++]!;
    return kind === 'str' ? `class-${c}` : kind === 'bool' ? c % 2 === 1 : c * 5 - 7;
  });
}

/** Random groups of random sizes (1 .. maxSize rows), rows interleaved. */
function randomGroups(rs: RandomState, nGroups: number, maxSize: number, strings = false): Value[] {
  const rows: Value[] = [];
  for (let g = 0; g < nGroups; g++) {
    const size = 1 + rs.randint(0, maxSize);
    for (let j = 0; j < size; j++) rows.push(strings ? `rec${g * 7}` : g * 3 - 10);
  }
  rs.shuffle(rows);
  return rows;
}

function sameFolds(a: Fold[], b: Fold[]): boolean {
  return a.length === b.length && a.every((f, i) => f.test.length === b[i]!.test.length && f.test.every((v, j) => v === b[i]!.test[j]));
}

describe('kFold', () => {
  it('cuts n rows into nSplits blocks, the first n mod k one longer (every n 2..120, every k)', () => {
    for (let n = 2; n <= 120; n++) {
      for (let k = 2; k <= Math.min(n, 12); k++) {
        const folds = kFold(n, { nSplits: k });
        checkCover(folds, n);
        let start = 0;
        folds.forEach((f, i) => {
          const size = Math.floor(n / k) + (i < n % k ? 1 : 0);
          expect(f.test.length).toBe(size);
          expect(f.test[0]).toBe(start);
          expect(f.test[size - 1]).toBe(start + size - 1);
          start += size;
        });
      }
    }
  });

  it('shuffled: a partition with the same fold sizes, deterministic for a seed (500 cases)', () => {
    const rs = new RandomState(11);
    for (let t = 0; t < 500; t++) {
      const n = 2 + rs.randint(0, 400);
      const k = 2 + rs.randint(0, Math.min(n, 15) - 1);
      const seed = rs.randint(0, 2 ** 32);
      const folds = kFold(n, { nSplits: k, shuffle: true, randomState: seed });
      checkCover(folds, n);
      folds.forEach((f, i) => expect(f.test.length).toBe(Math.floor(n / k) + (i < n % k ? 1 : 0)));
      expect(sameFolds(folds, kFold(n, { nSplits: k, shuffle: true, randomState: seed }))).toBe(true);
    }
  });

  it('different seeds give different folds; no seed gives a fresh shuffle each call', () => {
    const a = kFold(200, { shuffle: true, randomState: 1 });
    const b = kFold(200, { shuffle: true, randomState: 2 });
    expect(sameFolds(a, b)).toBe(false);
    const c = kFold(200, { shuffle: true });
    const d = kFold(200, { shuffle: true });
    checkCover(c, 200);
    expect(sameFolds(c, d)).toBe(false);
  });

  it('defaults to 5 folds and takes seeds 0 and 2^32 - 1', () => {
    expect(kFold(10)).toHaveLength(5);
    checkCover(kFold(7, { nSplits: 7, shuffle: true, randomState: 0 }), 7);
    checkCover(kFold(7, { nSplits: 2, shuffle: true, randomState: MAX_SEED }), 7);
  });
});

describe('stratifiedKFold', () => {
  it('covers every row once and keeps each class within one of n_c / k (400 random label sets)', () => {
    const spy = silence();
    const rs = new RandomState(5);
    for (let t = 0; t < 400; t++) {
      const n = 4 + rs.randint(0, 400);
      const kind = (['int', 'str', 'bool'] as const)[t % 3]!;
      const y = randomLabels(rs, n, 1 + rs.randint(0, kind === 'bool' ? 2 : 9), kind);
      const largest = Math.max(...Array.from(encodeLabels(y, 'y').counts));
      const k = 2 + rs.randint(0, Math.max(1, Math.min(largest, 12) - 1));
      if (k > largest) continue;
      const shuffle = t % 2 === 1;
      const folds = stratifiedKFold(y, shuffle ? { nSplits: k, shuffle, randomState: t } : { nSplits: k });
      checkCover(folds, n);
      checkStratified(folds, y);
      if (shuffle) {
        // The shuffle moves rows between folds but not the per-fold class counts.
        const plain = stratifiedKFold(y, { nSplits: k });
        folds.forEach((f, i) => {
          const count = (fold: Fold, c: Value) => Array.from(fold.test).filter((j) => y[j] === c).length;
          for (const c of new Set(y)) expect(count(f, c)).toBe(count(plain[i]!, c));
        });
      }
    }
    for (const call of spy.mock.calls) expect(call[1]).toEqual({ code: UNDEFINED_METRIC });
  });

  it('without shuffle, each class takes its folds in ascending blocks in row order', () => {
    const y = [3, 3, 1, 2, 1, 3, 2, 1, 1, 3, 2, 2, 3];
    const fold = foldOf(stratifiedKFold(y, { nSplits: 3 }));
    for (const c of [1, 2, 3]) {
      const f = y.flatMap((v, i) => (v === c ? [fold[i]!] : []));
      expect(f).toEqual([...f].sort((a, b) => a - b));
    }
  });

  it('warns (and returns folds) when a class has fewer members than nSplits', () => {
    const spy = silence();
    const folds = stratifiedKFold([0, 0, 0, 0, 0, 0, 1, 1], { nSplits: 3 });
    checkCover(folds, 8);
    expect(spy).toHaveBeenCalledTimes(1);
    expect(String(spy.mock.calls[0]![0])).toMatch(/smallest class in y has 2 members, fewer than nSplits = 3/);
    expect(spy.mock.calls[0]![1]).toEqual({ code: UNDEFINED_METRIC });
  });

  it('a single class splits like kFold', () => {
    const spy = silence();
    const folds = stratifiedKFold(new Array(13).fill('only'), { nSplits: 4 });
    expect(Array.from(foldOf(folds))).toEqual(Array.from(foldOf(kFold(13, { nSplits: 4 }))));
    expect(spy).not.toHaveBeenCalled();
  });

  it('throws UNDEFINED_METRIC when every class has fewer members than nSplits', () => {
    expect(() => stratifiedKFold([0, 0, 1, 1, 2, 2], { nSplits: 3 })).toThrow(AudiomillError);
    try {
      stratifiedKFold([0, 0, 1, 1, 2, 2], { nSplits: 3 });
    } catch (err) {
      expect((err as AudiomillError).code).toBe('UNDEFINED_METRIC');
      expect((err as Error).message).toMatch(/largest has 2/);
    }
  });

  it('takes typed arrays and gives the same folds as plain arrays', () => {
    const y = [2, 0, 1, 1, 0, 2, 2, 0, 1, 0, 1, 2];
    const big = new Int32Array([9, 9, ...y, 9]);
    const opts = { nSplits: 3, shuffle: true, randomState: 7 };
    const want = foldOf(stratifiedKFold(y, opts));
    expect(foldOf(stratifiedKFold(Int32Array.from(y), opts))).toEqual(want);
    expect(foldOf(stratifiedKFold(Float64Array.from(y), opts))).toEqual(want);
    expect(foldOf(stratifiedKFold(big.subarray(2, 2 + y.length), opts))).toEqual(want);
  });
});

describe('groupKFold', () => {
  it('never splits a group, covers every row once, balances fold sizes within the largest group (400 cases)', () => {
    const rs = new RandomState(21);
    for (let t = 0; t < 400; t++) {
      const nGroups = 2 + rs.randint(0, 80);
      const maxSize = 1 + rs.randint(0, t % 4 === 0 ? 2 : 25); // many ties in some cases
      const groups = randomGroups(rs, nGroups, maxSize, t % 3 === 0);
      const k = 2 + rs.randint(0, Math.min(nGroups, 10) - 1);
      const folds = groupKFold(groups, { nSplits: k });
      expect(folds).toHaveLength(k);
      checkCover(folds, groups.length);
      checkGroups(folds, groups);
      const sizes = folds.map((f) => f.test.length);
      const counts = Array.from(encodeLabels(groups, 'groups').counts);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(Math.max(...counts));
    }
  });

  it('puts the largest groups first, each into the lightest fold', () => {
    // Sizes: a 4, b 3, c 2, d 1 -> a: fold 0, b: fold 1, c: fold 1 (3 < 4), d: fold 0 (4 < 5).
    const groups = ['a', 'a', 'a', 'a', 'b', 'b', 'b', 'c', 'c', 'd'];
    expect(Array.from(foldOf(groupKFold(groups, { nSplits: 2 })))).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 1, 0]);
  });

  it('throws UNDEFINED_METRIC with fewer groups than nSplits, RangeError with fewer rows', () => {
    expect(() => groupKFold([1, 1, 2, 2, 3, 3], { nSplits: 4 })).toThrow(/more than the number of groups \(3\)/);
    try {
      groupKFold([1, 1, 2, 2, 3, 3], { nSplits: 4 });
    } catch (err) {
      expect((err as AudiomillError).code).toBe('UNDEFINED_METRIC');
    }
    expect(() => groupKFold([1, 2, 3], { nSplits: 4 })).toThrow(RangeError);
    expect(() => groupKFold([], { nSplits: 2 })).toThrow(RangeError);
  });

  it('takes no shuffle (scikit-learn 1.2 GroupKFold has none)', () => {
    expect(() => groupKFold([1, 2, 3], { nSplits: 2, shuffle: true } as object)).toThrow(/no shuffle \(groupKFold does not shuffle/);
    expect(() => groupKFold([1, 2, 3], { nSplits: 2, randomState: 1 } as object)).toThrow(RangeError);
  });
});

describe('stratifiedGroupKFold', () => {
  it('never splits a group and tests every row once (400 cases, with and without shuffle)', () => {
    const spy = silence();
    const rs = new RandomState(31);
    for (let t = 0; t < 400; t++) {
      const nGroups = 2 + rs.randint(0, 60);
      const groups = randomGroups(rs, nGroups, 1 + rs.randint(0, 10), t % 3 === 0);
      const classes = 1 + rs.randint(0, 6);
      // Labels follow the group a little: each group has a main class.
      const main = new Map<Value, number>();
      const y = groups.map((g) => {
        if (!main.has(g)) main.set(g, rs.randint(0, classes));
        return rs.randomSample() < 0.7 ? main.get(g)! : rs.randint(0, classes);
      });
      const largest = Math.max(...Array.from(encodeLabels(y, 'y').counts));
      const k = 2 + rs.randint(0, Math.min(nGroups, 8) - 1);
      if (k > largest || k > y.length) continue;
      const shuffle = t % 2 === 1;
      spy.mockClear();
      const folds = stratifiedGroupKFold(y, groups, shuffle ? { nSplits: k, shuffle, randomState: t } : { nSplits: k });
      expect(folds).toHaveLength(k);
      checkCover(folds, y.length);
      checkGroups(folds, groups);
      const empty = folds.some((f) => f.test.length === 0);
      const warnedEmpty = spy.mock.calls.some((c) => /no test rows/.test(String(c[0])));
      expect(warnedEmpty).toBe(empty);
    }
  });

  it('with one row per group (no shuffle), keeps each class within one of n_c / k (300 cases)', () => {
    silence();
    const rs = new RandomState(41);
    let checked = 0;
    for (let t = 0; t < 300; t++) {
      const n = 6 + rs.randint(0, 200);
      const y = randomLabels(rs, n, 1 + rs.randint(0, 6), 'int');
      const k = 2 + rs.randint(0, 7);
      if (k > Math.max(...Array.from(encodeLabels(y, 'y').counts))) continue;
      const folds = stratifiedGroupKFold(y, y.map((_, i) => i), { nSplits: k });
      checkCover(folds, n);
      checkStratified(folds, y);
      checked++;
    }
    expect(checked).toBeGreaterThan(200);
  });

  it('with fewer groups than folds, returns the empty folds (as scikit-learn 1.2) and warns', () => {
    const spy = silence();
    const folds = stratifiedGroupKFold([0, 1, 0, 1, 0, 1, 0, 1], [1, 1, 1, 1, 2, 2, 2, 2], { nSplits: 3 });
    expect(folds.map((f) => f.test.length)).toEqual([4, 4, 0]);
    expect(folds[2]!.train).toHaveLength(8);
    expect(spy).toHaveBeenCalledTimes(1);
    expect(String(spy.mock.calls[0]![0])).toMatch(/fold 2 of 3 has no test rows/);
  });

  it('a group holding every class stays whole', () => {
    const y = [0, 1, 2, 0, 1, 2, 0, 0, 1, 1, 2, 2];
    const groups = ['a', 'a', 'a', 'b', 'c', 'd', 'b', 'e', 'c', 'f', 'd', 'f'];
    const folds = stratifiedGroupKFold(y, groups, { nSplits: 3 });
    checkCover(folds, 12);
    checkGroups(folds, groups);
  });

  it('rejects mismatched lengths', () => {
    expect(() => stratifiedGroupKFold([0, 1, 0, 1], [1, 2, 3], { nSplits: 2 })).toThrow(
      'Expected the same length as y (4) for groups but received Array(3)',
    );
  });
});

describe('leaveOneGroupOut', () => {
  it('one fold per group in numpy.unique order, each testing exactly that group (200 cases)', () => {
    const rs = new RandomState(51);
    for (let t = 0; t < 200; t++) {
      const groups = randomGroups(rs, 2 + rs.randint(0, 30), 1 + rs.randint(0, 6), t % 2 === 0);
      const folds = leaveOneGroupOut(groups);
      const { classes } = encodeLabels(groups, 'groups');
      expect(folds).toHaveLength(classes.length);
      checkCover(folds, groups.length);
      checkGroups(folds, groups);
      folds.forEach((f, i) => {
        expect(new Set(Array.from(f.test, (j) => groups[j]))).toEqual(new Set([classes[i]]));
        expect(f.test.length).toBe(groups.filter((g) => g === classes[i]).length);
      });
    }
  });

  it('orders numbers ascending and strings by code point', () => {
    const nums = leaveOneGroupOut([2, -1.5, 10, 2, 0.25]);
    expect(nums.map((f) => Array.from(f.test))).toEqual([[1], [4], [0, 3], [2]]);
    const strs = leaveOneGroupOut(['\u{1F600}', '\uFF21', 'b', 'B', 'a']);
    expect(strs.map((f) => Array.from(f.test))).toEqual([[3], [4], [2], [1], [0]]);
  });

  it('throws UNDEFINED_METRIC for one group and RangeError for none', () => {
    expect(() => leaveOneGroupOut(['v1', 'v1'])).toThrow(AudiomillError);
    expect(() => leaveOneGroupOut([])).toThrow(RangeError);
  });
});

describe('predefinedSplit', () => {
  it('one fold per number other than -1, ascending; -1 rows always train (200 cases)', () => {
    silence();
    const rs = new RandomState(61);
    for (let t = 0; t < 200; t++) {
      const n = 1 + rs.randint(0, 120);
      const testFold = Array.from({ length: n }, () => rs.randint(-1, 6) * (t % 2 ? 1 : 3));
      const folds = predefinedSplit(testFold);
      const numbers = [...new Set(testFold.filter((v) => v !== -1))].sort((a, b) => a - b);
      expect(folds).toHaveLength(numbers.length);
      const tested = checkPartition(folds, n);
      expect(testFold.every((v, i) => tested[i] === (v === -1 ? 0 : 1))).toBe(true);
      folds.forEach((f, i) => expect(Array.from(f.test).every((j) => testFold[j] === numbers[i])).toBe(true));
    }
  });

  it('ESC-50-style folds 1..5 (a typed array works)', () => {
    const col = Int8Array.from([1, 2, 3, 4, 5, 1, 2, 3, 4, 5]);
    const folds = predefinedSplit(col);
    expect(folds.map((f) => Array.from(f.test))).toEqual([[0, 5], [1, 6], [2, 7], [3, 8], [4, 9]]);
  });

  it('only -1 or empty: no folds, with a warning', () => {
    const spy = silence();
    expect(predefinedSplit([-1, -1])).toEqual([]);
    expect(predefinedSplit([])).toEqual([]);
    expect(spy).toHaveBeenCalledTimes(2);
    expect(spy.mock.calls[0]![1]).toEqual({ code: UNDEFINED_METRIC });
  });

  it('rejects fractions, non-finite and non-numbers', () => {
    expect(() => predefinedSplit([0, 1.5])).toThrow('Expected a whole fold number (-1: always train) for testFold[1] but received 1.5');
    expect(() => predefinedSplit([0, NaN])).toThrow(RangeError);
    expect(() => predefinedSplit(['a'] as unknown as number[])).toThrow(TypeError);
  });
});

describe('argument checks (house message shape)', () => {
  it('nSplits, shuffle, randomState', () => {
    expect(() => kFold(10, { nSplits: 1 })).toThrow('Expected an integer >= 2 for nSplits but received 1');
    expect(() => kFold(10, { nSplits: 2.5 })).toThrow(RangeError);
    expect(() => kFold(10, { nSplits: '3' as unknown as number })).toThrow(TypeError);
    expect(() => kFold(3, { nSplits: 5 })).toThrow('Expected at most as many splits as rows (3) for nSplits but received 5');
    expect(() => kFold(0)).toThrow(RangeError);
    expect(() => kFold(10, { randomState: 0 })).toThrow(/no randomState when shuffle is false/);
    expect(() => kFold(10, { shuffle: true, randomState: -1 })).toThrow('Expected an integer between 0 and 4294967295 for randomState but received -1');
    expect(() => kFold(10, { shuffle: true, randomState: 2 ** 32 })).toThrow(RangeError);
    expect(() => kFold(10, { shuffle: 'yes' as unknown as boolean })).toThrow(TypeError);
    expect(() => kFold(10, null as unknown as object)).toThrow(TypeError);
    expect(() => kFold(-1)).toThrow(RangeError);
  });

  it('labels and groups', () => {
    expect(() => stratifiedKFold('abc' as unknown as number[])).toThrow('Expected an array or typed array for y but received "abc"');
    expect(() => stratifiedKFold([0, 'a', 1, 'b'], { nSplits: 2 })).toThrow('Expected values of one kind (y[0] is a number) for y[1] but received "a"');
    expect(() => stratifiedKFold([0, 1, 0.5, 1], { nSplits: 2 })).toThrow(RangeError);
    expect(() => stratifiedKFold([0, 1, NaN, 1], { nSplits: 2 })).toThrow('Expected a finite number for y[2] but received NaN');
    expect(() => groupKFold([1, Infinity, 2], { nSplits: 2 })).toThrow(RangeError);
    expect(() => groupKFold([1, null, 2] as unknown as number[], { nSplits: 2 })).toThrow(TypeError);
    // Groups may be fractional numbers; class labels may not.
    checkCover(groupKFold([0.5, 0.25, 0.5, 1.75], { nSplits: 2 }), 4);
  });

  it('reads labels and groups through the metrics\' reader, one kind per array', () => {
    // np.unique(..., return_inverse=True, return_counts=True) plus the order of first appearance.
    const e = encodeLabels(['b', 'a', 'b', 'c', 'a'], 'y', true);
    expect(e.classes).toEqual(['a', 'b', 'c']);
    expect(Array.from(e.codes)).toEqual([1, 0, 1, 2, 0]);
    expect(Array.from(e.counts)).toEqual([2, 2, 1]);
    expect(Array.from(e.appearance)).toEqual([0, 1, 0, 2, 1]);
    expect(Array.from(e.appearanceToSorted)).toEqual([1, 0, 2]);
    const b = encodeLabels([true, false, false], 'y', true);
    expect(b.classes).toEqual([false, true]);
    expect(Array.from(b.appearanceToSorted)).toEqual([1, 0]);
    expect(encodeLabels(Float32Array.of(2, -1, 2), 'groups').classes).toEqual([-1, 2]);
    expect(encodeLabels([], 'groups')).toMatchObject({ classes: [], codes: new Int32Array(0), counts: new Int32Array(0) });
    // Groups: distinct fractions stay distinct, even where (v - x)(v - y) underflows.
    expect(encodeLabels([0, 1e-200, 2e-200, 0], 'groups').classes).toEqual([0, 1e-200, 2e-200]);
    expect(() => encodeLabels(Float64Array.of(1, Infinity), 'groups')).toThrow('Expected a finite number for groups[1] but received Infinity');
    expect(() => encodeLabels([1, NaN], 'groups')).toThrow('Expected a finite number for groups[1] but received NaN');
    expect(() => encodeLabels(Float64Array.of(0, 0.5), 'y', true)).toThrow(/^Expected a finite integer class label .* for y\[1\] but received 0.5$/);
    // Booleans are a kind of their own here (the metrics count them as numbers).
    expect(() => stratifiedKFold([0, true, 1, false], { nSplits: 2 })).toThrow('Expected values of one kind (y[0] is a number) for y[1] but received true');
    expect(() => groupKFold(BigInt64Array.of(1n, 2n) as unknown as number[], { nSplits: 2 })).toThrow(TypeError);
    expect(() => leaveOneGroupOut(['a', {} as unknown as string])).toThrow(/^Expected a label \(a number, a string or a boolean\) for groups\[1\]/);
  });
});

describe('foldOf', () => {
  it('gives each row its test fold, -1 when never tested', () => {
    silence();
    expect(Array.from(foldOf(predefinedSplit([3, -1, 1, 3])))).toEqual([1, -1, 0, 1]);
    expect(Array.from(foldOf([], 3))).toEqual([-1, -1, -1]);
  });

  it('rejects overlapping test sets and rows past n', () => {
    const a = { train: new Uint32Array([1]), test: new Uint32Array([0]) };
    expect(() => foldOf([a, a])).toThrow(/do not overlap/);
    expect(() => foldOf([a], 0)).toThrow(RangeError);
  });
});

describe('RandomState', () => {
  it('is MT19937: seed 5489 starts 3499211612, 581869302 (the reference generator)', () => {
    const rs = new RandomState(5489);
    expect([rs.nextUint32(), rs.nextUint32()]).toEqual([3499211612, 581869302]);
  });

  it('validates seeds and bounds', () => {
    expect(() => new RandomState(-1)).toThrow(RangeError);
    expect(() => new RandomState(2 ** 32)).toThrow(RangeError);
    expect(() => new RandomState(1.5)).toThrow(RangeError);
    expect(() => new RandomState('1' as unknown as number)).toThrow(TypeError);
    const rs = new RandomState(1);
    expect(() => rs.randint(5, 5)).toThrow(RangeError);
    expect(() => rs.randint(0, 2 ** 53 + 2)).toThrow(RangeError);
    expect(() => rs.randint(0, 3, -1)).toThrow(RangeError);
  });

  it('without a seed draws a fresh one and reports it', () => {
    const a = new RandomState();
    expect(Number.isInteger(a.seed) && a.seed >= 0 && a.seed <= MAX_SEED).toBe(true);
    const b = new RandomState(a.seed);
    expect(a.randint(0, 1000, 5)).toEqual(b.randint(0, 1000, 5));
  });

  it('randint stays in range; a one-value range draws nothing', () => {
    const rs = new RandomState(3);
    const v = rs.randint(-7, 13, 2000);
    expect(Math.min(...v)).toBe(-7);
    expect(Math.max(...v)).toBe(12);
    const a = new RandomState(9);
    const b = new RandomState(9);
    expect(a.randint(4, 5)).toBe(4);
    expect(a.nextUint32()).toBe(b.nextUint32());
    expect(new RandomState(2).randint(10)).toBeLessThan(10);
  });

  it('shuffle and permutation keep the elements', () => {
    const rs = new RandomState(4);
    const arr = ['a', 'b', 'c', 'd', 'e'];
    const p = rs.permutation(arr);
    expect(arr).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect([...p].sort()).toEqual(arr);
    const q = rs.permutation(50);
    expect(Array.from(q).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(() => rs.shuffle(5 as unknown as number[])).toThrow(TypeError);
    expect(Math.max(...Array.from({ length: 1000 }, () => rs.randomSample()))).toBeLessThan(1);
  });
});

describe('helpers', () => {
  it('compareCodePoints orders astral characters after U+FFFF', () => {
    expect(compareCodePoints('\u{1F600}', '\uFFFF')).toBeGreaterThan(0);
    expect('\u{1F600}' < '\uFFFF').toBe(true); // UTF-16 order differs
    expect(compareCodePoints('ab', 'abc')).toBeLessThan(0);
    expect(compareCodePoints('b', 'a')).toBeGreaterThan(0);
    expect(compareCodePoints('x', 'x')).toBe(0);
  });

  it('numpyArgsortQuick sorts (ties in NumPy order) and numpySum honours an offset', () => {
    const rs = new RandomState(8);
    for (let t = 0; t < 50; t++) {
      const v = rs.randint(0, 1 + rs.randint(0, 20), 1 + rs.randint(0, 500));
      const idx = numpyArgsortQuick(v);
      expect(Array.from(idx).sort((a, b) => a - b)).toEqual(Array.from(v, (_, i) => i));
      for (let i = 1; i < idx.length; i++) expect(v[idx[i]!]! >= v[idx[i - 1]!]!).toBe(true);
    }
    const a = Float64Array.from({ length: 40 }, (_, i) => i + 0.5);
    expect(numpySum(a, 3, 10)).toBe(numpySum(a.slice(3, 13)));
  });
});
