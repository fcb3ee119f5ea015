// Unit tests of the classification and ranking metrics (src/eval/metrics/{labels,classification,ranking}.ts):
// label handling, the sort kernel against a comparator sort, the metrics against brute-force definitions,
// input forms (typed arrays, subarrays, matrices), option checks and the warning / error contract.
// scikit-learn equality itself is tested by tests/parity/eval-classification.test.ts.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AudiomillError } from '../../src/errors.js';
import {
  accuracyScore,
  balancedAccuracyScore,
  confusionMatrix,
  f1Score,
  fbetaScore,
  logLoss,
  precisionRecallFscoreSupport,
  precisionScore,
  recallScore,
} from '../../src/eval/metrics/classification.js';
import { compareCodePoints, compareLabels, encodeLabels, readLabelCodes, readLabels, readMatrix, uniqueLabels } from '../../src/eval/metrics/labels.js';
import { numpySum } from '../../src/eval/numpy-sum.js';
import {
  averagePrecisionScore,
  binaryClfCurve,
  precisionRecallCurve,
  rocAucScore,
  rocCurve,
  sortKeys,
  sortWithPayload,
} from '../../src/eval/metrics/ranking.js';

/** A small seeded generator (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

function binaryData(n: number, seed: number, ties = false): { y: number[]; s: Float64Array } {
  const r = rng(seed);
  const y: number[] = [];
  const s = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    y.push(i < 2 ? i : r() < 0.4 ? 1 : 0);
    const v = normal(r) + 0.8 * y[i]!;
    s[i] = ties ? Math.round(v * 2) / 2 : v;
  }
  return { y, s };
}

/** Mann–Whitney: P(score of a positive > score of a negative) + ½ P(tie), by brute force. */
function bruteAuc(y: readonly number[], s: ArrayLike<number>, w?: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] !== 1) continue;
    for (let j = 0; j < y.length; j++) {
      if (y[j] === 1) continue;
      const ww = w ? w[i]! * w[j]! : 1;
      den += ww;
      num += ww * (s[i]! > s[j]! ? 1 : s[i] === s[j] ? 0.5 : 0);
    }
  }
  return num / den;
}

/** AP by its definition: Σ over distinct thresholds (descending) of ΔR × P. */
function bruteAp(y: readonly number[], s: ArrayLike<number>): number {
  const th = [...new Set(Array.from(s))].sort((a, b) => b - a);
  const P = y.filter((v) => v === 1).length;
  let prevR = 0;
  let ap = 0;
  for (const t of th) {
    let tp = 0;
    let pp = 0;
    for (let i = 0; i < y.length; i++) {
      if (s[i]! >= t) {
        pp++;
        if (y[i] === 1) tp++;
      }
    }
    ap += (tp / P - prevR) * (tp / pp);
    prevR = tp / P;
  }
  return ap;
}

let warn: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
});
afterEach(() => warn.mockRestore());
const warnCodes = () => warn.mock.calls.map((c) => (c[1] as { code?: string } | undefined)?.code);

describe('labels', () => {
  it('sorts unique labels as np.unique: numbers ascending, strings by code point, booleans false < true', () => {
    expect(uniqueLabels([readLabels([3, -1, 2, 3, -1, 0], 'y')], ['y']).values).toEqual([-1, 0, 2, 3]);
    // '\u{1F600}' (a surrogate pair) sorts after '\uFFFD' by code point, before it by UTF-16 unit.
    const strs = ['b', '\u{1F600}', 'a', '\uFFFD', 'B', 'ab'];
    expect(uniqueLabels([readLabels(strs, 'y')], ['y']).values).toEqual(['B', 'a', 'ab', 'b', '\uFFFD', '\u{1F600}']);
    expect(compareCodePoints('\uFFFD', '\u{1F600}')).toBeLessThan(0);
    const bools = uniqueLabels([readLabels([true, false, true], 'y')], ['y']);
    expect(bools).toEqual({ kind: 'boolean', values: [0, 1] });
    // More than eight distinct values go through a Set; -0 and 0 are one label.
    const many = Array.from({ length: 40 }, (_, i) => (i * 7919) % 23);
    expect(uniqueLabels([readLabels(many, 'y')], ['y']).values).toEqual(Array.from({ length: 23 }, (_, i) => i));
    expect(uniqueLabels([readLabels(Float64Array.of(0, -0, 1), 'y')], ['y']).values).toEqual([0, 1]);
  });

  it('refuses mixed, continuous and malformed labels with the house messages', () => {
    expect(() => readLabels(['a', 1], 'yTrue')).toThrow(TypeError);
    expect(() => readLabels([0, 0.5], 'yTrue')).toThrow(/^Expected a finite integer class label .* for yTrue\[1\] but received 0.5$/);
    expect(() => readLabels(Float32Array.of(1, NaN), 'yTrue')).toThrow(RangeError);
    expect(() => readLabels([0, null], 'yTrue')).toThrow(/for yTrue\[1\] but received null/);
    expect(() => readLabels('ab', 'yTrue')).toThrow(TypeError);
    expect(() => accuracyScore(['a', 'b'], [0, 1])).toThrow(TypeError);
    // Booleans with numbers are numbers (true = 1), as NumPy compares them.
    expect(accuracyScore([true, false, true], [1, 0, 0])).toBeCloseTo(2 / 3, 15);
  });

  it('encodes labels with a table for small non-negative integers and a Map otherwise', () => {
    const small = readLabels([2, 0, 5, 2], 'y');
    expect(Array.from(encodeLabels(small, { kind: 'number', values: [0, 2, 5] }))).toEqual([1, 0, 2, 1]);
    const big = readLabels([-3, 1e9, 7, -3], 'y');
    expect(Array.from(encodeLabels(big, { kind: 'number', values: [-3, 7, 1e9] }))).toEqual([0, 2, 1, 0]);
    expect(Array.from(encodeLabels(big, { kind: 'number', values: [7] }))).toEqual([-1, -1, 0, -1]);
    expect(Array.from(encodeLabels(readLabels(['x', 'y'], 'y'), { kind: 'string', values: ['y'] }))).toEqual([-1, 0]);
  });

  it('one reader for every caller: the rules choose the numbers allowed and whether booleans join numbers', () => {
    // The metrics' rules (the default): finite integers; NaN and infinities name the element.
    expect(() => readLabels([0, NaN], 'yTrue')).toThrow(new RangeError('Expected a finite number for yTrue[1] but received NaN'));
    expect(() => readLabels(Float64Array.of(0, -Infinity), 'yTrue')).toThrow(new RangeError('Expected a finite number for yTrue[1] but received -Infinity'));
    expect(() => readLabels([true, 'a'], 'yTrue')).toThrow(new TypeError('Expected values of one kind (yTrue[0] is a boolean) for yTrue[1] but received "a"'));
    expect(() => readLabels(['a', 1], 'yTrue')).toThrow(new TypeError('Expected values of one kind (yTrue[0] is a string) for yTrue[1] but received 1'));
    expect(() => readLabels([1, 2n], 'yTrue')).toThrow(/^Expected a label \(a number, a string or a boolean\) for yTrue\[1\] but received 2$/);
    expect(() => readLabels(BigInt64Array.of(1n), 'yTrue')).toThrow(TypeError);
    expect(() => readLabels({ length: 1, 0: 1 }, 'yTrue')).toThrow(TypeError);
    expect(readLabels([true, 2, false], 'y')).toMatchObject({ kind: 'number', num: Float64Array.of(1, 2, 0) });
    expect(readLabels([], 'y')).toMatchObject({ kind: 'empty', length: 0 });
    expect(readLabels(new Float32Array(0), 'y')).toMatchObject({ kind: 'empty', length: 0 });
    // 'finite' (groups): fractions, but no infinity; 'notNaN' (model labels): infinities too.
    expect(() => readLabels([1, Infinity], 'g', { numbers: 'finite' })).toThrow(new RangeError('Expected a finite number for g[1] but received Infinity'));
    expect(readLabels([0.5, 1], 'g', { numbers: 'finite' }).integers).toBe(false);
    expect(readLabels(Float32Array.of(0.5, 1), 'g', { numbers: 'finite' }).integers).toBe(false);
    expect(readLabels([2, 1], 'g', { numbers: 'finite' }).integers).toBe(true);
    expect(() => readLabels([1, NaN], 'y', { numbers: 'notNaN' })).toThrow(new RangeError('Expected a label that is not NaN for y[1] but received NaN'));
    expect(readLabelCodes([Infinity, 1, -Infinity, 1], 'y', { numbers: 'notNaN' }).classes).toEqual([-Infinity, 1, Infinity]);
    // booleansAsNumbers: false keeps booleans a kind of their own.
    expect(() => readLabels([1, true], 'y', { booleansAsNumbers: false })).toThrow(new TypeError('Expected values of one kind (y[0] is a number) for y[1] but received true'));
    // A bad value is reported before a kind mismatch.
    expect(() => readLabels(['a', 0.5], 'y')).toThrow(RangeError);
  });

  it('finds and encodes fractional and infinite labels exactly (no integer shortcut)', () => {
    // (v - x)(v - y) underflows to 0 for these, so the integer shortcut would merge them.
    const tiny = readLabels([0, 1e-200, 2e-200, 1e-200, 0], 'g', { numbers: 'finite' });
    const set = uniqueLabels([tiny], ['g']);
    expect(set.values).toEqual([0, 1e-200, 2e-200]);
    expect(Array.from(encodeLabels(tiny, set))).toEqual([0, 1, 2, 1, 0]);
    const halves = readLabelCodes([1.5, 0.5, 1.5, 2], 'g', { numbers: 'finite' });
    expect(halves).toEqual({ classes: [0.5, 1.5, 2], codes: Int32Array.of(1, 0, 1, 2), counts: Int32Array.of(1, 2, 1) });
    const inf = readLabelCodes(Float64Array.of(Infinity, 3, Infinity, Infinity), 'y', { numbers: 'notNaN' });
    expect(inf).toEqual({ classes: [3, Infinity], codes: Int32Array.of(1, 0, 1, 1), counts: Int32Array.of(1, 3) });
  });

  it('readLabelCodes gives np.unique(return_inverse, return_counts) with the labels as given', () => {
    expect(readLabelCodes(['b', '\u{1F600}', 'a', '\uFFFD', 'b'], 'y')).toEqual({
      classes: ['a', 'b', '\uFFFD', '\u{1F600}'],
      codes: Int32Array.of(1, 3, 0, 2, 1),
      counts: Int32Array.of(1, 2, 1, 1),
    });
    expect(readLabelCodes([true, false, true], 'y')).toEqual({ classes: [false, true], codes: Int32Array.of(1, 0, 1), counts: Int32Array.of(1, 2) });
    expect(readLabelCodes([-0, 0, 7], 'y').classes).toEqual([0, 7]);
    expect(Object.is(readLabelCodes([-0, 1], 'y').classes[0], 0)).toBe(true);
    expect(readLabelCodes([], 'y')).toEqual({ classes: [], codes: new Int32Array(0), counts: new Int32Array(0) });
    expect(readLabelCodes(Int8Array.of(-3, 5, -3), 'y')).toEqual({ classes: [-3, 5], codes: Int32Array.of(0, 1, 0), counts: Int32Array.of(2, 1) });
    expect(compareLabels(false, true)).toBeLessThan(0);
    expect(compareLabels('\uFFFD', '\u{1F600}')).toBeLessThan(0);
    expect(compareLabels(-1, 2)).toBeLessThan(0);
  });

  it('sums in NumPy order (pairwise within 8192-value buffers)', () => {
    // Sequential summation loses the small terms; NumPy's eight accumulators keep some of them.
    const a = new Float64Array(16);
    a[0] = 1;
    for (let i = 1; i < 16; i++) a[i] = 2 ** -53;
    let seq = 0;
    for (const v of a) seq += v;
    expect(seq).toBe(1);
    // r0 = 1 + 2^-53 → 1 (ties to even), r1..r7 = 2^-52 each; ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7)).
    expect(numpySum(a)).toBe(1 + 7 * 2 ** -52);
    expect(numpySum([1, 2, 3])).toBe(6);
    expect(numpySum(new Float64Array(20000).fill(0.1))).toBeCloseTo(2000, 9);
    expect(numpySum(Float64Array.of(0.1, 0.2, 0.3), 0, 3, Math.fround)).toBe(Math.fround(Math.fround(Math.fround(0.1) + 0.2) + 0.3));
  });

  it('reads matrices given as rows or { data, shape } alike', () => {
    const rows = [
      [1, 2, 3],
      [4, 5, 6],
    ];
    const a = readMatrix(rows, 'm');
    const b = readMatrix({ data: [1, 2, 3, 4, 5, 6], shape: [2, 3] }, 'm');
    expect(a).toEqual(b);
    expect(() => readMatrix([[1, 2], [3]], 'm')).toThrow(/for m\[1\]/);
    expect(() => readMatrix({ data: [1, 2, 3], shape: [2, 2] }, 'm')).toThrow(RangeError);
    expect(() => readMatrix([[1, NaN]], 'm')).toThrow(/for m\[0\]\[1\] but received NaN/);
  });
});

describe('sort kernel', () => {
  const distributions: Record<string, (r: () => number, i: number) => number> = {
    uniform: (r) => r(),
    ties: (r) => Math.floor(r() * 5),
    normal: (r) => normal(r),
    sigmoid: (r) => 1 / (1 + Math.exp(-normal(r) * 40)),
    spread: (r) => (r() < 0.5 ? -1 : 1) * 10 ** (r() * 600 - 300),
    geometric: (_, i) => 2 ** -((i * 7) % 1500),
    constant: () => 0.25,
    huge: (r) => (r() < 0.5 ? -1.7e308 : 1.7e308) * r(),
    zeros: (r) => (r() < 0.5 ? 0 : -0) + (r() < 0.2 ? 1 : 0),
  };
  for (const [name, gen] of Object.entries(distributions)) {
    it(`sorts ${name} keys stably with their payload`, () => {
      for (const n of [0, 1, 2, 23, 24, 25, 100, 5000]) {
        const r = rng(n + name.length);
        const keys = new Float64Array(n);
        for (let i = 0; i < n; i++) keys[i] = gen(r, i) + 0;
        const payload = Uint32Array.from({ length: n }, (_, i) => i);
        const before = keys.slice();
        const got = sortWithPayload(keys, payload);
        expect(keys).toEqual(before); // inputs untouched
        const want = Array.from({ length: n }, (_, i) => i).sort((a, b) => keys[a]! - keys[b]! || a - b);
        expect(Array.from(got.payload)).toEqual(want);
        expect(Array.from(got.keys)).toEqual(want.map((i) => keys[i]!));
        expect(Array.from(sortKeys(keys))).toEqual(Array.from(keys).sort((a, b) => a - b));
      }
    });
  }
});

describe('ranking metrics', () => {
  it('rocAucScore equals the Mann–Whitney probability (ties count ½), weighted or not', () => {
    for (const [n, ties] of [
      [2, false],
      [7, true],
      [50, false],
      [300, true],
    ] as const) {
      const { y, s } = binaryData(n, n, ties);
      expect(rocAucScore(y, s)).toBeCloseTo(bruteAuc(y, s), 12);
      const w = Float64Array.from({ length: n }, (_, i) => 0.5 + (i % 3));
      expect(rocAucScore(y, s, { sampleWeight: w })).toBeCloseTo(bruteAuc(y, s, w), 12);
    }
  });

  it('averagePrecisionScore equals Σ ΔR × P over distinct thresholds', () => {
    for (const n of [2, 9, 120, 400]) {
      const { y, s } = binaryData(n, 100 + n, n > 100);
      expect(averagePrecisionScore(y, s)).toBeCloseTo(bruteAp(y, s), 12);
    }
  });

  it('the weighted curve with unit weights equals the unweighted curve', () => {
    const { y, s } = binaryData(2000, 7, true);
    const isPos = Uint8Array.from(y);
    const a = binaryClfCurve(isPos, s, null);
    const b = binaryClfCurve(isPos, s, new Float64Array(2000).fill(1));
    expect(Array.from(b.tps)).toEqual(Array.from(a.tps));
    expect(Array.from(b.fps)).toEqual(Array.from(a.fps));
    expect(Array.from(b.thresholds)).toEqual(Array.from(a.thresholds));
  });

  it('takes typed arrays, subarrays and plain arrays alike, and leaves them untouched', () => {
    const { y, s } = binaryData(500, 3);
    const want = rocAucScore(y, s);
    const buf = new Float64Array(600);
    buf.set(s, 50);
    const sub = buf.subarray(50, 550);
    const y8 = new Uint8Array(700);
    y8.set(y, 100);
    expect(rocAucScore(y8.subarray(100, 600), sub)).toBe(want);
    expect(rocAucScore(Int32Array.from(y), Array.from(s))).toBe(want);
    expect(rocAucScore(y, Float32Array.from(s))).toBeCloseTo(want, 5);
    expect(averagePrecisionScore(y8.subarray(100, 600), sub)).toBe(averagePrecisionScore(y, s));
    expect(Array.from(sub)).toEqual(Array.from(s));
    const withNegZero = [0, -0, 0.5, -0];
    rocCurve([0, 1, 1, 0], withNegZero);
    expect(Object.is(withNegZero[1], -0)).toBe(true);
  });

  it('rocCurve starts at (0, 0) with threshold max + 1 and ends at (1, 1)', () => {
    const { fpr, tpr, thresholds } = rocCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
    expect(Array.from(fpr)).toEqual([0, 0, 0.5, 0.5, 1]);
    expect(Array.from(tpr)).toEqual([0, 0.5, 0.5, 1, 1]);
    expect(Array.from(thresholds)).toEqual([1.8, 0.8, 0.4, 0.35, 0.1]);
    const all = rocCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], { dropIntermediate: false });
    expect(all.fpr.length).toBe(5);
    const pr = precisionRecallCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
    expect(Array.from(pr.precision)).toEqual([0.5, 2 / 3, 0.5, 1, 1]);
    expect(Array.from(pr.recall)).toEqual([1, 1, 0.5, 0.5, 0]);
    expect(Array.from(pr.thresholds)).toEqual([0.1, 0.35, 0.4, 0.8]);
  });

  it('multiclass: rows or { data, shape } give the same one-vs-rest and one-vs-one AUCs', () => {
    const r = rng(11);
    const n = 90;
    const y: number[] = [];
    const rows: number[][] = [];
    for (let i = 0; i < n; i++) {
      y.push(i % 3);
      const e = [0, 1, 2].map((c) => Math.exp(normal(r) + (c === i % 3 ? 1 : 0)));
      const sum = e.reduce((a, b) => a + b, 0);
      rows.push(e.map((v) => v / sum));
    }
    const flat = { data: Float64Array.from(rows.flat()), shape: [n, 3] };
    for (const multiClass of ['ovr', 'ovo'] as const) {
      expect(rocAucScore(y, rows, { multiClass })).toBe(rocAucScore(y, flat, { multiClass }));
    }
    const per = rocAucScore(y, rows, { multiClass: 'ovr', average: null }) as Float64Array;
    expect(per).toBeInstanceOf(Float64Array);
    expect(per.length).toBe(3);
    // One-vs-rest AUC of class c equals the binary AUC of (y == c) against column c.
    expect(per[1]).toBe(rocAucScore(y.map((v) => (v === 1 ? 1 : 0)), rows.map((row) => row[1]!)));
  });

  it('maxFpr gives the McClish-standardised partial AUC (0.5 for chance, 1 for perfect)', () => {
    expect(rocAucScore([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9], { maxFpr: 0.3 })).toBe(1);
    const { y, s } = binaryData(400, 5);
    const full = rocAucScore(y, s);
    expect(rocAucScore(y, s, { maxFpr: 1 })).toBe(full);
    const p = rocAucScore(y, s, { maxFpr: 0.2 });
    expect(p).toBeGreaterThan(0.5);
    expect(p).toBeLessThan(1);
  });

  it('undefined metrics: one class raises UNDEFINED_METRIC; a class without weight warns and returns NaN', () => {
    const err = (() => {
      try {
        rocAucScore([1, 1, 1], [0.1, 0.2, 0.3]);
      } catch (e) {
        return e as AudiomillError;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(AudiomillError);
    expect(err!.code).toBe('UNDEFINED_METRIC');
    expect(Number.isNaN(rocAucScore([0, 1, 0, 1], [0.2, 0.3, 0.1, 0.5], { sampleWeight: [1, 0, 2, 0] }))).toBe(true);
    expect(warnCodes()).toContain('AUDIOMILL_UNDEFINED_METRIC');
    warn.mockClear();
    expect(Object.is(averagePrecisionScore([0, 0, 0], [0.1, 0.2, 0.3]), -0)).toBe(true);
    expect(warnCodes()).toEqual(['AUDIOMILL_UNDEFINED_METRIC']);
  });

  it('checks options and inputs with the house messages', () => {
    const y = [0, 1, 0, 1];
    const s = [0.1, 0.9, 0.3, 0.6];
    expect(() => rocAucScore(y, [0.1, NaN, 0.3, 0.6])).toThrow(/^Expected a finite number for yScore\[1\] but received NaN$/);
    expect(() => rocAucScore(y, [0.1, 0.2])).toThrow(/^Expected 4 values \(the length of yTrue\) for yScore but received Array\(2\)$/);
    expect(() => rocAucScore(y, s, { average: 'mean' as never })).toThrow(RangeError);
    expect(() => rocAucScore(y, s, { multiClass: 'all' as never })).toThrow(/for multiClass/);
    expect(() => rocAucScore(y, s, { maxFpr: 0 })).toThrow(/for maxFpr but received 0/);
    expect(() => rocAucScore(y, s, { sampleWeight: [1, 1, Infinity, 1] })).toThrow(/for sampleWeight\[2\] but received Infinity/);
    expect(() => rocAucScore(y, s, 'x' as never)).toThrow(TypeError);
    expect(() => rocCurve(['a', 'b'], [0.1, 0.2])).toThrow(/for posLabel/);
    expect(() => rocCurve([0, 1], [0.1, 0.2], { dropIntermediate: 1 as never })).toThrow(TypeError);
    expect(() => averagePrecisionScore([0, 1], [0.1, 0.2], { posLabel: {} as never })).toThrow(TypeError);
    expect(() => precisionRecallCurve([], [])).toThrow(/at least one sample/);
    expect(() => averagePrecisionScore([[0, 1], [1, 2]], [[0.1, 0.2], [0.3, 0.4]])).toThrow(/multilabel indicator/);
  });

  it('averagePrecisionScore takes a multilabel indicator matrix per column', () => {
    const yt = [
      [1, 0],
      [0, 1],
      [1, 1],
      [0, 0],
    ];
    const ys = [
      [0.9, 0.2],
      [0.3, 0.8],
      [0.6, 0.4],
      [0.1, 0.5],
    ];
    const per = averagePrecisionScore(yt, ys, { average: null });
    expect(per).toBeInstanceOf(Float64Array);
    expect(per[0]).toBe(averagePrecisionScore([1, 0, 1, 0], [0.9, 0.3, 0.6, 0.1]));
    expect(per[1]).toBe(averagePrecisionScore([0, 1, 1, 0], [0.2, 0.8, 0.4, 0.5]));
    expect(averagePrecisionScore(yt, ys)).toBe((per[0]! + per[1]!) / 2);
  });
});

describe('classification metrics', () => {
  it('confusionMatrix: rows are true labels, labels come back in their own type', () => {
    const cm = confusionMatrix(['cat', 'dog', 'cat', 'emu'], ['dog', 'dog', 'cat', 'cat']);
    expect(cm.labels).toEqual(['cat', 'dog', 'emu']);
    expect(cm.shape).toEqual([3, 3]);
    expect(Array.from(cm.data)).toEqual([1, 1, 0, 0, 1, 0, 1, 0, 0]);
    const b = confusionMatrix([true, false, true], [true, true, false]);
    expect(b.labels).toEqual([false, true]);
    expect(Array.from(b.data)).toEqual([0, 1, 1, 1]);
    const norm = confusionMatrix([0, 0, 1], [0, 1, 1], { normalize: 'true' });
    expect(Array.from(norm.data)).toEqual([0.5, 0.5, 0, 1]);
    expect(() => confusionMatrix([0, 1], [0, 1], { labels: ['a'] })).toThrow(TypeError);
  });

  it('precision, recall and F-scores follow their definitions on a worked example', () => {
    const y = [0, 1, 1, 1, 0, 1];
    const p = [0, 1, 0, 1, 1, 1];
    // tp = 3, fp = 1, fn = 1
    expect(precisionScore(y, p)).toBe(0.75);
    expect(recallScore(y, p)).toBe(0.75);
    expect(f1Score(y, p)).toBe(0.75);
    expect(fbetaScore(y, p, 2)).toBeCloseTo((5 * 0.75 * 0.75) / (4 * 0.75 + 0.75), 15);
    expect(fbetaScore(y, p, Infinity)).toBe(0.75);
    const all = precisionRecallFscoreSupport(y, p);
    expect(all.support).toEqual(Float64Array.of(2, 4));
    expect(all.precision).toBeInstanceOf(Float64Array);
    const avg = precisionRecallFscoreSupport(y, p, { average: 'macro' });
    expect(avg.support).toBeNull();
    expect(typeof avg.precision).toBe('number');
    expect(precisionScore(y, p, { average: null })).toEqual(Float64Array.of(0.5, 0.75));
  });

  it('zero division: the value of zeroDivision, a warning only for "warn"', () => {
    expect(precisionScore([0, 1], [0, 0])).toBe(0);
    expect(warnCodes()).toEqual(['AUDIOMILL_UNDEFINED_METRIC']);
    expect(String(warn.mock.calls[0]![0])).toMatch(/^Precision is ill-defined and being set to 0\.0 due to no predicted samples/);
    warn.mockClear();
    expect(precisionScore([0, 1], [0, 0], { zeroDivision: 1 })).toBe(1);
    expect(precisionScore([0, 1], [0, 0], { zeroDivision: 0 })).toBe(0);
    expect(warn).not.toHaveBeenCalled();
    expect(() => precisionScore([0, 1], [0, 0], { zeroDivision: 'nan' as never })).toThrow(/for zeroDivision/);
  });

  it('posLabel with a non-binary average is ignored with its own warning code', () => {
    expect(precisionScore([0, 1, 1], [0, 1, 0], { average: 'macro', posLabel: 0 })).toBe(0.75);
    expect(warnCodes()).toEqual(['AUDIOMILL_IGNORED_OPTION']);
  });

  it('average "binary" needs at most two labels and a posLabel among them', () => {
    expect(() => f1Score([0, 1, 2], [0, 1, 1])).toThrow(/for average but received "binary"/);
    expect(() => f1Score(['a', 'b'], ['a', 'b'])).toThrow(/for posLabel but received 1/);
    expect(f1Score(['a', 'b'], ['a', 'b'], { posLabel: 'b' })).toBe(1);
  });

  it('accuracy and balanced accuracy: weights, empty input, classes only predicted', () => {
    expect(accuracyScore([0, 1, 1], [0, 0, 1], { sampleWeight: [1, 2, 1] })).toBe(0.5);
    expect(accuracyScore([0, 1, 1], [0, 0, 1], { normalize: false })).toBe(2);
    expect(Number.isNaN(accuracyScore([], []))).toBe(true);
    expect(warnCodes()).toEqual(['AUDIOMILL_UNDEFINED_METRIC']);
    expect(() => accuracyScore([0, 1], [0, 1], { sampleWeight: [0, 0] })).toThrow(AudiomillError);
    warn.mockClear();
    expect(balancedAccuracyScore([0, 0, 1], [0, 2, 1])).toBe(0.75);
    expect(warnCodes()).toEqual(['AUDIOMILL_UNDEFINED_METRIC']);
    expect(balancedAccuracyScore([0, 0, 1, 1], [0, 1, 1, 1], { adjusted: true })).toBeCloseTo(0.5, 15);
  });

  it('logLoss: 1-D binary equals the two-column form; float32 input is computed in float32', () => {
    const y = [0, 1, 1, 0, 1];
    const q = [0.1, 0.8, 0.6, 0.3, 0.9999999];
    const want = -(Math.log(0.9) + Math.log(0.8) + Math.log(0.6) + Math.log(0.7) + Math.log(0.9999999)) / 5;
    expect(logLoss(y, q)).toBeCloseTo(want, 14);
    expect(logLoss(y, q.map((v) => [1 - v, v]))).toBeCloseTo(want, 14);
    const f32 = logLoss(y, Float32Array.from(q));
    expect(f32).not.toBe(logLoss(y, Array.from(Float32Array.from(q))));
    expect(f32).toBeCloseTo(want, 6);
    expect(logLoss(y, { data: Float32Array.from(q.flatMap((v) => [1 - v, v])), shape: [5, 2] })).toBeCloseTo(want, 6);
    // Clipping: a certain wrong prediction costs -log(eps), not infinity.
    expect(logLoss([0, 1], [1, 1])).toBeCloseTo(-Math.log(2 ** -52) / 2, 9);
    expect(() => logLoss([1, 1], [0.5, 0.5])).toThrow(AudiomillError);
    expect(logLoss([1, 1], [0.5, 0.5], { labels: [0, 1] })).toBeCloseTo(Math.log(2), 15);
    expect(() => logLoss([0, 2], [0.5, 0.5], { labels: [0, 1] })).toThrow(/for yTrue\[1\] but received 2/);
  });
});
