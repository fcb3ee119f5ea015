// Unit tests of the evaluation statistics (src/eval/metrics/special.ts, correlation.ts, regression.ts): argument
// checks and their messages, warnings, identities of the special functions, invariances of the correlations, and
// input forms (typed arrays, subarrays, rows, { data, shape }). Numbers against SciPy / scikit-learn are in
// tests/parity/eval-stats.test.ts.
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { AudiomillError } from '../../src/errors.js';
import { dPrime, pearsonr, pearsonrPvalue, rankdata, spearmanr, spearmanrPvalue } from '../../src/eval/metrics/correlation.js';
import { meanAbsoluteError, meanSquaredError, r2Score } from '../../src/eval/metrics/regression.js';
import {
  betainc,
  betaincc,
  betaln,
  erf,
  erfc,
  gammaln,
  normCdf,
  normPpf,
  normSf,
  studentTCdf,
  studentTSf,
} from '../../src/eval/metrics/special.js';
import { numpySum } from '../../src/eval/numpy-sum.js';

const MESSAGE = /^Expected .+ for .+ but received .+$/;

let warn: MockInstance<typeof process.emitWarning>;
beforeEach(() => {
  warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
});
afterEach(() => {
  warn.mockRestore();
});
/** The messages of the AUDIOMILL_UNDEFINED_METRIC warnings emitted so far. */
const warnings = () =>
  warn.mock.calls.filter((c) => (c[1] as { code?: string } | undefined)?.code === 'AUDIOMILL_UNDEFINED_METRIC').map((c) => String(c[0]));

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('did not throw');
}

/** A seeded generator of uniform numbers in [0, 1) (mulberry32), for reproducible random inputs. */
function uniform(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const randoms = (n: number, seed: number) => {
  const u = uniform(seed);
  return Array.from({ length: n }, () => u() * 2 - 1);
};

describe('special functions', () => {
  it('gammaln: factorials, Γ(½) = √π, poles, reflection', () => {
    let f = 1;
    for (let n = 1; n <= 25; n++) {
      expect(gammaln(n)).toBeCloseTo(Math.log(f), 12);
      f *= n;
    }
    expect(gammaln(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14);
    expect(gammaln(1)).toBe(0);
    expect(gammaln(2)).toBe(0);
    for (const x of [0, -1, -2, -50]) expect(gammaln(x)).toBe(Infinity);
    expect(gammaln(Infinity)).toBe(Infinity);
    // Γ(−½) = −2√π.
    expect(gammaln(-0.5)).toBeCloseTo(Math.log(2 * Math.sqrt(Math.PI)), 14);
    // Recurrence ln Γ(x + 1) = ln Γ(x) + ln x.
    for (const x of [0.3, 4.7, 9.5, 10.2, 123.4]) expect(gammaln(x + 1)).toBeCloseTo(gammaln(x) + Math.log(x), 12);
  });

  it('betaln is symmetric and equals the log-gamma form', () => {
    for (const [a, b] of [
      [0.5, 3],
      [2, 7.5],
      [12, 40],
      [3, 2e4],
    ] as const) {
      expect(betaln(a, b)).toBe(betaln(b, a));
      expect(betaln(a, b)).toBeCloseTo(gammaln(a) + gammaln(b) - gammaln(a + b), 9);
    }
  });

  it('betainc: closed forms, symmetry, complement', () => {
    for (const x of [0, 1e-9, 0.1, 0.37, 0.5, 0.9, 1]) {
      expect(betainc(1, 1, x)).toBeCloseTo(x, 14);
      expect(betainc(3, 1, x)).toBeCloseTo(x ** 3, 14);
      expect(betainc(1, 2, x)).toBeCloseTo(1 - (1 - x) ** 2, 14);
      // Arcsine law: I_x(½, ½) = (2/π) asin(√x).
      expect(betainc(0.5, 0.5, x)).toBeCloseTo((2 / Math.PI) * Math.asin(Math.sqrt(x)), 14);
    }
    for (const [a, b, x] of [
      [2.5, 7, 0.2],
      [40, 40, 0.45],
      [0.5, 300, 0.001],
      [5000, 0.5, 0.9995],
    ] as const) {
      const lo = betainc(a, b, x);
      const hi = betaincc(a, b, x);
      expect(lo + hi).toBeCloseTo(1, 14);
      expect(betainc(b, a, 1 - x)).toBeCloseTo(hi, 14);
    }
    expect(betainc(2, 3, 0)).toBe(0);
    expect(betainc(2, 3, 1)).toBe(1);
    expect(betaincc(2, 3, 1)).toBe(0);
  });

  it('the normal distribution: Φ, its tail and its inverse', () => {
    expect(normCdf(0)).toBe(0.5);
    expect(normCdf(Infinity)).toBe(1);
    expect(normCdf(-Infinity)).toBe(0);
    expect(normPpf(0.5)).toBe(0);
    expect(normPpf(0)).toBe(-Infinity);
    expect(normPpf(1)).toBe(Infinity);
    // Round trips through the lower tail (an upper-tail p near 1 carries only absolute accuracy).
    for (const x of [-37, -20, -8, -3, -1, -1e-3, 0.4]) {
      expect(normSf(-x)).toBe(normCdf(x));
      const p = normCdf(x);
      expect(Math.abs(normPpf(p) - x)).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(x)));
      if (p > 1e-3) expect(Math.abs(normPpf(1 - p) + x)).toBeLessThanOrEqual(1e-14 / p);
    }
    expect(normCdf(1.959963984540054)).toBeCloseTo(0.975, 15);
  });

  it('erf and erfc: odd, complementary, accurate tail', () => {
    for (const x of [1e-10, 0.2, 0.46875, 0.5, 1.7, 3.9, 4.2, 6]) {
      expect(erf(-x)).toBe(-erf(x));
      expect(erf(x) + erfc(x)).toBeCloseTo(1, 15);
      expect(erfc(-x)).toBeCloseTo(2 - erfc(x), 15);
    }
    expect(erf(0)).toBe(0);
    expect(erfc(0)).toBe(1);
    expect(erfc(30)).toBe(0);
    expect(erfc(26) / 5.663192408856142e-296 - 1).toBeLessThan(1e-14);
  });

  it("Student's t: closed forms for 1 and 2 degrees of freedom, symmetry, limits", () => {
    for (const t of [-1e6, -30, -2.5, -0.4, 0.3, 1, 7]) {
      expect(studentTCdf(t, 1)).toBeCloseTo(0.5 + Math.atan(t) / Math.PI, 14); // Cauchy
      expect(studentTCdf(t, 2)).toBeCloseTo(0.5 + t / (2 * Math.sqrt(2 + t * t)), 14);
      expect(studentTCdf(t, 9.5) + studentTCdf(-t, 9.5)).toBeCloseTo(1, 15);
      expect(studentTSf(t, 4)).toBe(studentTCdf(-t, 4));
    }
    expect(studentTCdf(0, 3)).toBe(0.5);
    expect(studentTCdf(-Infinity, 3)).toBe(0);
    expect(studentTCdf(Infinity, 3)).toBe(1);
    expect(studentTCdf(1.5, Infinity)).toBe(normCdf(1.5));
    expect(studentTCdf(-3, 1e12)).toBeCloseTo(normCdf(-3), 12);
  });

  it('refuse NaN and arguments outside their domain with the house message', () => {
    const bad: [() => unknown, typeof TypeError | typeof RangeError][] = [
      [() => gammaln(NaN), RangeError],
      [() => gammaln('1' as unknown as number), TypeError],
      [() => betaln(0, 1), RangeError],
      [() => betainc(-1, 1, 0.5), RangeError],
      [() => betainc(1, 1, 1.5), RangeError],
      [() => betaincc(1, Infinity, 0.5), RangeError],
      [() => normCdf(NaN), RangeError],
      [() => normPpf(-0.1), RangeError],
      [() => normPpf(NaN), RangeError],
      [() => erf(NaN), RangeError],
      [() => erfc(undefined as unknown as number), TypeError],
      [() => studentTCdf(1, 0), RangeError],
      [() => studentTCdf(NaN, 3), RangeError],
      [() => studentTSf(1, -2), RangeError],
    ];
    for (const [fn, type] of bad) {
      const err = thrown(fn);
      expect(err).toBeInstanceOf(type);
      expect((err as Error).message).toMatch(MESSAGE);
    }
  });

  it("numpySum adds in NumPy's order: pairwise within 8192-value chunks", () => {
    // 1 + 2^-53 + … : a naive left-to-right sum loses every small term, pairwise summation keeps them.
    const a = new Float64Array(1024).fill(2 ** -53);
    a[0] = 1;
    expect(numpySum(a)).toBeGreaterThan(1);
    expect(numpySum([1, 2, 3, 4, 5])).toBe(15);
    expect(numpySum([])).toBe(0);
    const big = Float64Array.from(randoms(20000, 7));
    const chunks = numpySum(big, 0, 8192) + numpySum(big, 8192, 8192) + numpySum(big, 16384, 20000 - 16384);
    expect(numpySum(big)).toBe(chunks);
  });
});

describe('pearsonr', () => {
  const x = randoms(200, 1);
  const y = x.map((v, i) => 0.4 * v + randoms(200, 2)[i]!);

  it('is symmetric, invariant to positive affine maps, and its alternatives agree', () => {
    const r = pearsonr(x, y);
    expect(pearsonr(y, x).statistic).toBeCloseTo(r.statistic, 15);
    expect(pearsonr(x.map((v) => 3 * v + 7), y).statistic).toBeCloseTo(r.statistic, 13);
    expect(pearsonr(x.map((v) => -v), y).statistic).toBeCloseTo(-r.statistic, 15);
    const less = pearsonr(x, y, { alternative: 'less' }).pvalue;
    const greater = pearsonr(x, y, { alternative: 'greater' }).pvalue;
    expect(less + greater).toBeCloseTo(1, 14);
    expect(r.pvalue).toBeCloseTo(2 * Math.min(less, greater), 15);
    expect(r.pvalue).toBe(pearsonrPvalue(r.statistic, 200));
    expect(warnings()).toEqual([]);
  });

  it('accepts typed arrays and subarrays (byteOffset honoured)', () => {
    const r = pearsonr(x, y);
    expect(pearsonr(Float64Array.from(x), Float64Array.from(y))).toEqual(r);
    const buf = new Float64Array(210);
    buf.set(x, 10);
    expect(pearsonr(buf.subarray(10), y)).toEqual(r);
    const x32 = Float32Array.from(x);
    expect(pearsonr(x32, y)).toEqual(pearsonr(Array.from(x32), y));
  });

  it('two points: r = ±1 and p = 1 (SciPy)', () => {
    expect(pearsonr([1, 2], [3, 5])).toEqual({ statistic: 1, pvalue: 1 });
    expect(pearsonr([1, 2], [5, 3], { alternative: 'less' })).toEqual({ statistic: -1, pvalue: 1 });
    expect(pearsonr([1, Infinity], [5, 3])).toEqual({ statistic: -1, pvalue: 1 });
    const r = pearsonr([NaN, 2], [5, 3]);
    expect(r.statistic).toBeNaN();
    expect(r.pvalue).toBe(1);
    expect(warnings()).toHaveLength(1);
  });

  it('constant input: NaN with a warning; nearly constant: the value with a warning', () => {
    const r = pearsonr([2, 2, 2, 2], [1, 2, 3, 4]);
    expect(r.statistic).toBeNaN();
    expect(r.pvalue).toBeNaN();
    expect(warnings()[0]).toMatch(/constant/);
    const near = pearsonr([1, 1, 1 + 2 ** -52, 1], [1, 2, 3, 4]);
    expect(Number.isFinite(near.statistic)).toBe(true);
    expect(warnings()[1]).toMatch(/nearly constant/);
  });

  it('refuses malformed input', () => {
    const cases: [() => unknown, typeof TypeError | typeof RangeError][] = [
      [() => pearsonr([1], [2]), RangeError],
      [() => pearsonr([], []), RangeError],
      [() => pearsonr([1, 2, 3], [1, 2]), RangeError],
      [() => pearsonr([1, NaN, 3], [1, 2, 3]), RangeError],
      [() => pearsonr([1, 2, 3], [1, -Infinity, 3]), RangeError],
      [() => pearsonr([1, 2, 3], [1, 2, 4], { alternative: 'two_sided' as never }), RangeError],
      [() => pearsonr([1, 2, 3], [1, 2, 4], { alternative: 2 as never }), TypeError],
      [() => pearsonr('123' as never, [1, 2, 4]), TypeError],
      [() => pearsonr([1, '2', 3] as never, [1, 2, 4]), TypeError],
      [() => pearsonr([1, 2, 3], [1, 2, 4], null as never), TypeError],
      [() => pearsonr([1e308, 1.5e308, 1e308], [1, 2, 4]), RangeError],
    ];
    for (const [fn, type] of cases) {
      const err = thrown(fn);
      expect(err).toBeInstanceOf(type);
      expect((err as Error).message).toMatch(MESSAGE);
    }
  });

  it('pearsonrPvalue: limits and checks', () => {
    expect(pearsonrPvalue(0, 10)).toBeCloseTo(1, 14);
    expect(pearsonrPvalue(1, 10)).toBe(0);
    expect(pearsonrPvalue(-1, 10, 'greater')).toBe(1);
    expect(pearsonrPvalue(0.3, 2)).toBe(1);
    // n = 4: r is uniform on [−1, 1], so P(|R| >= r) = 1 − r.
    expect(pearsonrPvalue(0.37, 4)).toBeCloseTo(0.63, 15);
    expect(() => pearsonrPvalue(1.5, 10)).toThrow(RangeError);
    expect(() => pearsonrPvalue(0.5, 2.5)).toThrow(RangeError);
    expect(() => pearsonrPvalue(0.5, 10, 'both' as never)).toThrow(RangeError);
  });
});

describe('spearmanr', () => {
  const x = randoms(300, 3);
  const y = x.map((v, i) => Math.round(4 * (v + randoms(300, 4)[i]!)));

  it('is invariant to strictly increasing maps (to the last bit) and equals Pearson of the ranks', () => {
    const r = spearmanr(x, y);
    expect(spearmanr(x.map((v) => Math.exp(3 * v)), y.map((v) => v ** 3))).toEqual(r);
    const pr = pearsonr(rankdata(x), rankdata(y));
    expect(r.statistic).toBeCloseTo(pr.statistic, 14);
    expect(r.pvalue).toBe(spearmanrPvalue(r.statistic, 300));
    expect(spearmanr(Float32Array.from(x), Int32Array.from(y))).toEqual(spearmanr(Array.from(Float32Array.from(x)), y));
    expect(warnings()).toEqual([]);
  });

  it('perfect rank correlation: ±1 and p = 0 (or 1 for the other side)', () => {
    expect(spearmanr([1, 2, 3, 4], [10, 20, 30, 1000])).toEqual({ statistic: 1, pvalue: 0 });
    expect(spearmanr([1, 2, 3, 4], [4, 3, 2, 1], { alternative: 'greater' })).toEqual({ statistic: -1, pvalue: 1 });
  });

  it('undefined cases return NaN with a warning, never silently', () => {
    const nan = (r: { statistic: number; pvalue: number }) => Number.isNaN(r.statistic) && Number.isNaN(r.pvalue);
    expect(nan(spearmanr([], []))).toBe(true);
    expect(nan(spearmanr([1], [2]))).toBe(true);
    expect(nan(spearmanr([3, 3, 3], [1, 2, 3]))).toBe(true);
    expect(nan(spearmanr([1, NaN, 3], [1, 2, 3]))).toBe(true);
    expect(nan(spearmanr([1, Infinity, 3], [1, 2, -Infinity]))).toBe(true); // SciPy's isnan(sum) test
    expect(nan(spearmanr([0, 0, NaN], [0, 0, 3], { nanPolicy: 'omit' }))).toBe(true);
    const two = spearmanr([1, 2], [2, 1]);
    expect(two.statistic).toBeCloseTo(-1, 15);
    expect(two.pvalue).toBeNaN();
    expect(warnings()).toHaveLength(7);
  });

  it("nanPolicy 'omit' drops pairs with NaN or ±Infinity; 'raise' throws", () => {
    const a = [1, 2, NaN, 4, 5, 6, Infinity, 8];
    const b = [2, 1, 4, 3, 7, 5, 8, 6];
    const keep = [0, 1, 3, 4, 5, 7];
    const omitted = spearmanr(a, b, { nanPolicy: 'omit' });
    const direct = spearmanr(keep.map((i) => a[i]!), keep.map((i) => b[i]!));
    expect(omitted.statistic).toBeCloseTo(direct.statistic, 15);
    expect(omitted.pvalue).toBeCloseTo(direct.pvalue, 14);
    const err = thrown(() => spearmanr(a, b, { nanPolicy: 'raise' }));
    expect(err).toBeInstanceOf(RangeError);
    expect((err as Error).message).toMatch(MESSAGE);
    expect((err as Error).message).toMatch(/a\[2\]/);
    // Infinity without NaN (and without the other sign) is a value like any other.
    expect(spearmanr([1, Infinity, 3], [1, 2, 3], { nanPolicy: 'raise' }).statistic).toBe(0.5);
  });

  it('too few pairs left after omitting NaN is an UNDEFINED_METRIC error', () => {
    const err = thrown(() => spearmanr([1, NaN, NaN], [1, 2, 3], { nanPolicy: 'omit' }));
    expect(err).toBeInstanceOf(AudiomillError);
    expect((err as AudiomillError).code).toBe('UNDEFINED_METRIC');
  });

  it('a column constant after omission: statistic 0 as SciPy 1.10, with a warning', () => {
    expect(spearmanr([1, 1, 1, NaN], [1, 2, 3, 4], { nanPolicy: 'omit' })).toEqual({ statistic: 0, pvalue: 1 });
    expect(warnings()[0]).toMatch(/constant/);
  });

  it('refuses malformed input and options', () => {
    expect(() => spearmanr([1, 2, 3], [1, 2])).toThrow(RangeError);
    expect(() => spearmanr([1, 2, 3], [1, 2, 3], { nanPolicy: 'skip' as never })).toThrow(RangeError);
    expect(() => spearmanr([1, 2, 3], [1, 2, 3], { alternative: 'up' as never })).toThrow(RangeError);
    expect(() => spearmanr({} as never, [1, 2, 3])).toThrow(TypeError);
    expect(() => spearmanr([1, 2, 3], [1n, 2n, 3n] as never)).toThrow(TypeError);
    expect(() => spearmanrPvalue(0.5, 1)).toThrow(RangeError);
    expect(() => spearmanrPvalue(-1.01, 10)).toThrow(RangeError);
  });
});

describe('rankdata', () => {
  const a = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5];

  it('ranks ties by each method', () => {
    expect(Array.from(rankdata(a))).toEqual([4.5, 1.5, 6, 1.5, 8, 11, 3, 10, 8, 4.5, 8]);
    expect(Array.from(rankdata(a, { method: 'min' }))).toEqual([4, 1, 6, 1, 7, 11, 3, 10, 7, 4, 7]);
    expect(Array.from(rankdata(a, { method: 'max' }))).toEqual([5, 2, 6, 2, 9, 11, 3, 10, 9, 5, 9]);
    expect(Array.from(rankdata(a, { method: 'dense' }))).toEqual([3, 1, 4, 1, 5, 7, 2, 6, 5, 3, 5]);
    expect(Array.from(rankdata(a, { method: 'ordinal' }))).toEqual([4, 1, 6, 2, 7, 11, 3, 10, 8, 5, 9]);
  });

  it('−0 ties with +0; an empty array gives an empty result', () => {
    expect(Array.from(rankdata([0, -0, 1, -0], { method: 'ordinal' }))).toEqual([1, 2, 4, 3]);
    expect(Array.from(rankdata([0, -0, 1, -0]))).toEqual([2, 2, 4, 2]);
    expect(rankdata([])).toEqual(new Float64Array(0));
  });

  it('agrees with a direct definition on a large random array with many ties', () => {
    const u = uniform(11);
    const v = Array.from({ length: 3000 }, () => Math.floor(u() * 100));
    const sorted = [...v].sort((p, q) => p - q);
    const first = (x: number) => sorted.indexOf(x);
    const last = (x: number) => sorted.lastIndexOf(x);
    const avg = rankdata(v);
    const min = rankdata(v, { method: 'min' });
    const max = rankdata(v, { method: 'max' });
    const dense = rankdata(v, { method: 'dense' });
    const ord = rankdata(v, { method: 'ordinal' });
    const distinct = [...new Set(sorted)];
    const seen = new Map<number, number>();
    v.forEach((x, i) => {
      expect(min[i]).toBe(first(x) + 1);
      expect(max[i]).toBe(last(x) + 1);
      expect(avg[i]).toBe((first(x) + last(x) + 2) / 2);
      expect(dense[i]).toBe(distinct.indexOf(x) + 1);
      const k = seen.get(x) ?? 0;
      expect(ord[i]).toBe(first(x) + 1 + k);
      seen.set(x, k + 1);
    });
  });

  it('long arrays (radix sort) rank by the definition: signs, −0, subnormals, infinities, ties', () => {
    const u = uniform(21);
    const special = [0, -0, Infinity, -Infinity, 1e-310, -1e-310, Number.MAX_VALUE, -Number.MAX_VALUE];
    const v = Array.from({ length: 6000 }, (_, i) => (i % 50 === 0 ? special[(i / 50) % special.length]! : Math.round((u() - 0.5) * 2000) / 8));
    for (const method of ['average', 'min', 'max', 'dense', 'ordinal'] as const) {
      const long = rankdata(v, { method, nanPolicy: 'omit' }); // ±Infinity together would count as NaN otherwise
      const order = v.map((x, i) => [x, i] as const).sort((p, q) => (p[0] < q[0] ? -1 : p[0] > q[0] ? 1 : p[1] - q[1]));
      const want = new Float64Array(v.length);
      for (let lo = 0, dense = 1; lo < order.length; dense++) {
        let hi = lo + 1;
        while (hi < order.length && order[hi]![0] === order[lo]![0]) hi++;
        for (let t = lo; t < hi; t++) {
          const r = { average: (lo + hi + 1) / 2, min: lo + 1, max: hi, dense, ordinal: t + 1 }[method];
          want[order[t]![1]] = r;
        }
        lo = hi;
      }
      expect(long).toEqual(want);
    }
  });

  it('NaN: propagate (all NaN, a warning), raise, omit', () => {
    const v = [3, NaN, 1, 3];
    expect(Array.from(rankdata(v)).every(Number.isNaN)).toBe(true);
    expect(warnings()).toHaveLength(1);
    expect(() => rankdata(v, { nanPolicy: 'raise' })).toThrow(RangeError);
    expect(Array.from(rankdata(v, { nanPolicy: 'omit' }))).toEqual([2.5, NaN, 1, 2.5]);
    // SciPy's NaN test is isnan(sum): +Infinity with −Infinity counts as NaN.
    expect(() => rankdata([1, Infinity, -Infinity], { nanPolicy: 'raise' })).toThrow(RangeError);
    expect(Array.from(rankdata([1, Infinity, -Infinity], { nanPolicy: 'omit' }))).toEqual([2, 3, 1]);
  });

  it('refuses bad options', () => {
    expect(() => rankdata([1, 2], { method: 'mean' as never })).toThrow(RangeError);
    expect(() => rankdata([1, 2], { nanPolicy: 1 as never })).toThrow(TypeError);
  });
});

describe('dPrime', () => {
  it('is √2 Φ⁻¹(AUC)', () => {
    expect(dPrime(0.5)).toBe(0);
    expect(dPrime(1)).toBe(Infinity);
    expect(dPrime(0)).toBe(-Infinity);
    for (const d of [-3, -0.5, 0.2, 1, 2.5]) expect(dPrime(normCdf(d / Math.SQRT2))).toBeCloseTo(d, 13);
    expect(dPrime(0.75)).toBe(normPpf(0.75) * Math.SQRT2);
  });

  it('maps an array of per-class AUCs', () => {
    const out = dPrime([0.5, 0.9, 0.6]);
    expect(out).toBeInstanceOf(Float64Array);
    expect(Array.from(out)).toEqual([dPrime(0.5), dPrime(0.9), dPrime(0.6)]);
    expect(dPrime(new Float32Array([0.25]))[0]).toBe(dPrime(Math.fround(0.25)));
  });

  it('refuses NaN and AUCs outside [0, 1]', () => {
    for (const bad of [NaN, -0.1, 1.01]) expect(() => dPrime(bad)).toThrow(RangeError);
    expect(() => dPrime([0.5, NaN])).toThrow(/auc\[1\]/);
    expect(() => dPrime('0.5' as never)).toThrow(TypeError);
  });
});

describe('regression metrics', () => {
  const yt = [3, -0.5, 2, 7];
  const yp = [2.5, 0, 2, 8];

  it("scikit-learn's documented examples", () => {
    expect(meanSquaredError(yt, yp)).toBe(0.375);
    expect(meanSquaredError(yt, yp, { squared: false })).toBeCloseTo(0.6123724356957945, 15);
    expect(meanAbsoluteError(yt, yp)).toBe(0.5);
    expect(r2Score(yt, yp)).toBeCloseTo(0.9486081370449679, 15);
    const mt = [
      [0.5, 1],
      [-1, 1],
      [7, -6],
    ];
    const mp = [
      [0, 2],
      [-1, 2],
      [8, -5],
    ];
    expect(meanSquaredError(mt, mp)).toBeCloseTo(0.7083333333333334, 15);
    expect(Array.from(meanSquaredError(mt, mp, { multioutput: 'raw_values' }))).toEqual([0.4166666666666667, 1]);
    expect(meanSquaredError(mt, mp, { multioutput: [0.3, 0.7] })).toBeCloseTo(0.825, 15);
    expect(meanAbsoluteError(mt, mp)).toBe(0.75);
    expect(r2Score(mt, mp, { multioutput: 'variance_weighted' })).toBeCloseTo(0.9382566585956417, 15);
    expect(r2Score([1, 2, 3], [1, 2, 3])).toBe(1);
    expect(r2Score([1, 2, 3], [2, 2, 2])).toBe(0);
    expect(r2Score([1, 2, 3], [3, 2, 1])).toBe(-3);
  });

  it('the same through typed arrays, rows of typed arrays and { data, shape }', () => {
    const mt = [
      [0.5, 1],
      [-1, 1],
      [7, -6],
    ];
    const mp = [
      [0, 2],
      [-1, 2],
      [8, -5],
    ];
    const r = r2Score(mt, mp, { multioutput: 'raw_values' });
    expect(r2Score({ data: mt.flat(), shape: [3, 2] }, { data: Float64Array.from(mp.flat()), shape: [3, 2] }, { multioutput: 'raw_values' })).toEqual(r);
    expect(r2Score(mt.map((row) => Float64Array.from(row)), mp, { multioutput: 'raw_values' })).toEqual(r);
    expect(meanSquaredError(Float64Array.from(yt), new Float32Array(yp))).toBe(meanSquaredError(yt, Array.from(new Float32Array(yp))));
    // A single output given as [n, 1] equals the 1-D form.
    expect(r2Score(yt.map((v) => [v]), yp)).toBe(r2Score(yt, yp));
  });

  it('sample weights: unit weights change nothing, scaling them changes nothing, zeros drop samples', () => {
    const u = uniform(5);
    const t = Array.from({ length: 50 }, () => u());
    const p = t.map((v) => v + 0.1 * (u() - 0.5));
    const ones = new Array(50).fill(1);
    expect(r2Score(t, p, { sampleWeight: ones })).toBe(r2Score(t, p));
    expect(meanSquaredError(t, p, { sampleWeight: ones })).toBe(meanSquaredError(t, p));
    const w = Array.from({ length: 50 }, () => u() + 0.1);
    expect(meanAbsoluteError(t, p, { sampleWeight: w.map((v) => 4 * v) })).toBeCloseTo(meanAbsoluteError(t, p, { sampleWeight: w }), 14);
    const w0 = w.map((v, i) => (i < 10 ? 0 : v));
    expect(meanSquaredError(t, p, { sampleWeight: w0 })).toBeCloseTo(meanSquaredError(t.slice(10), p.slice(10), { sampleWeight: w.slice(10) }), 14);
  });

  it('constant yTrue: forceFinite gives 1 / 0; without it NaN / −Infinity with a warning', () => {
    expect(r2Score([2, 2, 2], [2, 2, 2])).toBe(1);
    expect(r2Score([2, 2, 2], [1, 2, 3])).toBe(0);
    expect(warnings()).toEqual([]);
    expect(r2Score([2, 2, 2], [2, 2, 2], { forceFinite: false })).toBeNaN();
    expect(r2Score([2, 2, 2], [1, 2, 3], { forceFinite: false })).toBe(-Infinity);
    expect(warnings()).toHaveLength(2);
  });

  it('fewer than two samples: r2 is NaN with a warning; the errors are defined', () => {
    expect(r2Score([1], [2])).toBeNaN();
    const raw = r2Score([[1, 2]], [[2, 2]], { multioutput: 'raw_values' });
    expect(Array.from(raw).every(Number.isNaN)).toBe(true);
    expect(raw).toHaveLength(2);
    expect(warnings()).toHaveLength(2);
    expect(warnings()[0]).toMatch(/less than two samples/);
    expect(meanSquaredError([1], [3])).toBe(4);
    expect(meanAbsoluteError([1], [3])).toBe(2);
  });

  it('refuses malformed input with the house message', () => {
    const cases: [() => unknown, typeof TypeError | typeof RangeError][] = [
      [() => r2Score([], []), RangeError],
      [() => r2Score([1, 2, 3], [1, 2]), RangeError],
      [() => r2Score([1, NaN, 3], [1, 2, 3]), RangeError],
      [() => meanSquaredError([1, 2, 3], [1, 2, Infinity]), RangeError],
      [() => meanAbsoluteError([[1, 2], [3, 4]], [[1], [3]]), RangeError],
      [() => meanAbsoluteError([[1, 2], [3]], [[1, 2], [3, 4]]), RangeError],
      [() => r2Score([[], []], [[], []]), RangeError],
      [() => r2Score([1, 2, 3], [1, 2, 3], { sampleWeight: [1, 1] }), RangeError],
      [() => r2Score([1, 2, 3], [1, 2, 4], { sampleWeight: [0, 0, 0] }), RangeError],
      [() => meanSquaredError([1, 2, 3], [1, 2, 4], { sampleWeight: [1, -1, 0] }), RangeError],
      [() => meanSquaredError([1, 2, 3], [1, 2, 4], { sampleWeight: [1, NaN, 1] }), RangeError],
      [() => meanSquaredError([1, 2, 3], [1, 2, 4], { multioutput: [1] }), RangeError],
      [() => meanSquaredError([[1, 2]], [[1, 2]], { multioutput: [1, 2, 3] }), RangeError],
      [() => meanSquaredError([[1, 2]], [[1, 2]], { multioutput: [1, -1] }), RangeError],
      [() => meanSquaredError([1, 2], [1, 2], { multioutput: 'variance_weighted' as never }), RangeError],
      [() => r2Score([1, 2], [1, 2], { multioutput: 'mean' as never }), RangeError],
      [() => r2Score([1, 2], [1, 2], { forceFinite: 1 as never }), TypeError],
      [() => meanSquaredError([1, 2], [1, 2], { squared: 'no' as never }), TypeError],
      [() => r2Score('12' as never, [1, 2]), TypeError],
      [() => r2Score([1, '2'] as never, [1, 2]), TypeError],
      [() => r2Score({ data: [1, 2, 3], shape: [2, 2] }, [1, 2]), RangeError],
      [() => r2Score({ data: [1, 2], shape: [2, -1] } as never, [1, 2]), TypeError],
    ];
    for (const [fn, type] of cases) {
      const err = thrown(fn);
      expect(err, String(fn)).toBeInstanceOf(type);
      expect((err as Error).message).toMatch(MESSAGE);
    }
  });
});
