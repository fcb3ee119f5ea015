// The linear-algebra kernels of src/eval/linalg.ts against naive references and their defining identities, and
// the properties of the linear models that the scikit-learn fixtures (tests/parity/eval-linear.test.ts) do not
// pin down: brute-force leave-one-out, weights as repeated rows, round trips, sign conventions, planted factors
// in parallel analysis, argument checks and the not-fitted state.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AudiomillError } from '../../src/errors.js';
import {
  cholesky,
  choleskySolve,
  columnMeans,
  columnStd,
  gramCols,
  gramRows,
  matmul,
  matmulABt,
  matmulAtB,
  matTVec,
  matVec,
  pinv,
  svd,
  symmetricEigen,
  transpose,
} from '../../src/eval/linalg.js';
import { readMatrix, readTargets, type Matrix } from '../../src/eval/inputs.js';
import { CCA } from '../../src/eval/models/cca.js';
import { NormalGenerator, PCA, parallelAnalysis } from '../../src/eval/models/pca.js';
import { Ridge, RidgeCV } from '../../src/eval/models/ridge.js';
import { StandardScaler } from '../../src/eval/models/scaler.js';

/** A seeded standard-normal matrix (rows x cols). */
function randn(seed: number, rows: number, cols: number): Float64Array {
  const g = new NormalGenerator(seed);
  return Float64Array.from({ length: rows * cols }, () => g.normal());
}

function naiveMatmul(a: Float64Array, m: number, k: number, b: Float64Array, n: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let t = 0; t < k; t++) s += a[i * k + t]! * b[t * n + j]!;
    c[i * n + j] = s;
  }
  return c;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

const M = (data: Float64Array, rows: number, cols: number): Matrix => ({ data, shape: [rows, cols] });
const vec = (x: Float64Array | Matrix): Float64Array => (x instanceof Float64Array ? x : x.data);

let warn: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
});
afterEach(() => warn.mockRestore());

describe('products and Gram matrices', () => {
  it.each([
    [1, 1, 1],
    [3, 5, 2],
    [40, 70, 33],
    [65, 300, 129],
    [7, 513, 5],
  ])('agree with the naive triple loop (%i x %i times %i)', (m, k, n) => {
    const a = randn(m * 1000 + k, m, k), b = randn(n * 7 + 1, k, n);
    const want = naiveMatmul(a, m, k, b, n);
    expect(maxAbsDiff(matmul(a, m, k, b, n), want)).toBeLessThan(1e-11);
    expect(maxAbsDiff(matmulABt(a, m, k, transpose(b, k, n), n), want)).toBeLessThan(1e-11);
    expect(maxAbsDiff(matmulAtB(transpose(a, m, k), k, m, b, n), want)).toBeLessThan(1e-11);
    const at = transpose(a, m, k);
    expect(maxAbsDiff(gramRows(a, m, k), naiveMatmul(a, m, k, at, m))).toBeLessThan(1e-11);
    expect(maxAbsDiff(gramCols(a, m, k), naiveMatmul(at, k, m, a, k))).toBeLessThan(1e-11);
    const x = randn(5, k, 1), z = randn(6, m, 1);
    expect(maxAbsDiff(matVec(a, m, k, x), naiveMatmul(a, m, k, x, 1))).toBeLessThan(1e-11);
    expect(maxAbsDiff(matTVec(a, m, k, z), naiveMatmul(at, k, m, z, 1))).toBeLessThan(1e-11);
  });

  it('Gram matrices are exactly symmetric', () => {
    const a = randn(3, 50, 37);
    const g = gramCols(a, 50, 37);
    for (let i = 0; i < 37; i++) for (let j = 0; j < 37; j++) expect(g[i * 37 + j]).toBe(g[j * 37 + i]);
  });

  it('column means and std follow NumPy to the last bit (a constant column: 0 when its mean is exact)', () => {
    const a = Float64Array.from([1, 0.1, 5, 2, 0.1, 7, 4, 0.1, 9, 3, 0.1, 8]);
    expect(Array.from(columnMeans(a, 4, 3))).toEqual([2.5, 0.1, 7.25]); // (((0.1 + 0.1) + 0.1) + 0.1) / 4 is 0.1 again
    const b = Float64Array.from([1, 0.1, 5, 2, 0.1, 7, 4, 0.1, 9]);
    // np.std([[1, .1, 5], [2, .1, 7], [4, .1, 9]], axis=0, ddof=1): the rounding of the mean of 0.1s shows.
    expect(columnStd(b, 3, 3, 1)[1]).toBe(1.6996749443881478e-17);
    const sd = columnStd(Float64Array.from([1, 3, 5, 2, 3, 7, 4, 3, 9]), 3, 3, 1);
    expect(sd[1]).toBe(0);
    expect(sd[2]).toBeCloseTo(2, 14);
    expect(columnStd(a, 3, 3, 0)[0]).toBeCloseTo(Math.sqrt(14 / 9), 14);
  });
});

describe('Cholesky', () => {
  it('factors and solves SPD systems (residual at rounding level)', () => {
    for (const n of [1, 2, 5, 40, 130]) {
      const b = randn(n, n + 3, n);
      const A = gramCols(b, n + 3, n);
      for (let i = 0; i < n; i++) A[i * n + i] = A[i * n + i]! + 0.5;
      const L = Float64Array.from(A);
      expect(cholesky(L, n)).toBe(true);
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) expect(L[i * n + j]).toBe(0);
      expect(maxAbsDiff(naiveMatmul(L, n, n, transpose(L, n, n), n), A)).toBeLessThan(1e-10 * n);
      const rhs = randn(n + 100, n, 3);
      const x = Float64Array.from(rhs);
      choleskySolve(L, n, x, 3);
      expect(maxAbsDiff(naiveMatmul(A, n, n, x, 3), rhs)).toBeLessThan(1e-9);
    }
  });

  it('refuses matrices that are not positive definite, and pivots below the floor', () => {
    expect(cholesky(Float64Array.from([1, 2, 2, 1]), 2)).toBe(false);
    expect(cholesky(Float64Array.from([1, 1, 1, 1]), 2)).toBe(false); // exactly singular
    expect(cholesky(Float64Array.from([0, 0, 0, 1]), 2)).toBe(false);
    expect(cholesky(Float64Array.from([1, 0, 0, 1e-20]), 2)).toBe(true);
    expect(cholesky(Float64Array.from([1, 0, 0, 1e-20]), 2, 1e-15)).toBe(false);
  });
});

describe('symmetricEigen (Householder + implicit QL)', () => {
  function check(a: Float64Array, n: number) {
    const { values, vectors } = symmetricEigen(a, n);
    let scale = 1;
    for (const v of values) scale = Math.max(scale, Math.abs(v));
    for (let k = 1; k < n; k++) expect(values[k]).toBeGreaterThanOrEqual(values[k - 1]!);
    for (let k = 0; k < n; k++) {
      const v = vectors.subarray(k * n, k * n + n);
      const av = matVec(a, n, n, v);
      for (let i = 0; i < n; i++) expect(Math.abs(av[i]! - values[k]! * v[i]!)).toBeLessThan(1e-12 * scale * n);
    }
    const vvt = naiveMatmul(vectors, n, n, transpose(vectors, n, n), n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(Math.abs(vvt[i * n + j]! - (i === j ? 1 : 0))).toBeLessThan(1e-12 * n);
    const only = symmetricEigen(a, n, { vectors: false });
    expect(only.vectors.length).toBe(0);
    expect(maxAbsDiff(only.values, values)).toBeLessThan(1e-12 * scale * n);
    return values;
  }

  it.each([1, 2, 3, 7, 31, 100])('random symmetric %i x %i', (n) => {
    const b = randn(n + 11, n, n);
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = b[i * n + j]! + b[j * n + i]!;
    check(a, n);
  });

  it('degenerate spectra: zero, identity, repeated and diagonal', () => {
    expect(Array.from(check(new Float64Array(9), 3))).toEqual([0, 0, 0]);
    const id = new Float64Array(16);
    for (let i = 0; i < 4; i++) id[i * 4 + i] = 1;
    expect(Array.from(check(id, 4))).toEqual([1, 1, 1, 1]);
    const diag = Float64Array.from([3, 0, 0, 0, -1, 0, 0, 0, 2]);
    expect(Array.from(check(diag, 3))).toEqual([-1, 2, 3]);
    // Rank one: u uᵀ has eigenvalues 0 (n - 1 times) and ‖u‖².
    const u = [1, 2, 3, 4, 5];
    const r1 = Float64Array.from({ length: 25 }, (_, k) => u[Math.floor(k / 5)]! * u[k % 5]!);
    const v = check(r1, 5);
    expect(v[4]).toBeCloseTo(55, 12);
    expect(Math.abs(v[0]!)).toBeLessThan(1e-13);
  });
});

describe('svd and pinv', () => {
  it.each([
    [1, 1],
    [6, 3],
    [3, 6],
    [50, 12],
    [12, 50],
    [30, 30],
  ])('reconstructs A (%i x %i) with orthonormal factors and sorted singular values', (m, n) => {
    const a = randn(m * 31 + n, m, n);
    const { u, s, vt } = svd(a, m, n);
    const r = Math.min(m, n);
    const us = Float64Array.from(u);
    for (let i = 0; i < m; i++) for (let j = 0; j < r; j++) us[i * r + j] = us[i * r + j]! * s[j]!;
    expect(maxAbsDiff(naiveMatmul(us, m, r, vt, n), a)).toBeLessThan(1e-12 * Math.max(m, n));
    for (let j = 1; j < r; j++) expect(s[j]).toBeLessThanOrEqual(s[j - 1]!);
    const utu = naiveMatmul(transpose(u, m, r), r, m, u, r);
    const vvt = naiveMatmul(vt, r, n, transpose(vt, r, n), r);
    for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) {
      expect(Math.abs(utu[i * r + j]! - (i === j ? 1 : 0))).toBeLessThan(1e-12 * m);
      expect(Math.abs(vvt[i * r + j]! - (i === j ? 1 : 0))).toBeLessThan(1e-12 * n);
    }
  });

  it('exact rank deficiency gives exact zero singular values; pinv satisfies the Penrose conditions', () => {
    const m = 9, n = 5;
    const a = randn(77, m, n);
    for (let i = 0; i < m; i++) {
      a[i * n + 3] = a[i * n + 0]!; // duplicate column
      a[i * n + 4] = 0; // zero column
    }
    const { s, rank } = svd(a, m, n);
    expect(rank).toBe(3);
    expect(s[3]).toBe(0);
    expect(s[4]).toBe(0);
    const p = pinv(a, m, n);
    const apa = naiveMatmul(naiveMatmul(a, m, n, p, m), m, m, a, n);
    const pap = naiveMatmul(naiveMatmul(p, n, m, a, n), n, n, p, m);
    expect(maxAbsDiff(apa, a)).toBeLessThan(1e-12);
    expect(maxAbsDiff(pap, p)).toBeLessThan(1e-12);
    const ap = naiveMatmul(a, m, n, p, m);
    expect(maxAbsDiff(ap, transpose(ap, m, m))).toBeLessThan(1e-12);
    expect(Array.from(pinv(new Float64Array(6), 2, 3))).toEqual([0, 0, 0, 0, 0, 0]);
  });
});

describe('reading inputs', () => {
  it('takes number[][], { data, shape } with Float64Array / Float32Array / number[], rows of typed arrays, and subarrays', () => {
    const rows = [[1, 2, 3], [4, 5, 6]];
    const want = { data: Float64Array.from([1, 2, 3, 4, 5, 6]), rows: 2, cols: 3 };
    expect(readMatrix(rows, 'X')).toEqual(want);
    expect(readMatrix({ data: Float32Array.from([1, 2, 3, 4, 5, 6]), shape: [2, 3] }, 'X')).toEqual(want);
    expect(readMatrix({ data: [1, 2, 3, 4, 5, 6], shape: [2, 3] }, 'X')).toEqual(want);
    expect(readMatrix([Float32Array.of(1, 2, 3), Float64Array.of(4, 5, 6)], 'X')).toEqual(want);
    const backing = Float64Array.from([9, 9, 1, 2, 3, 4, 5, 6, 9]);
    expect(readMatrix({ data: backing.subarray(2, 8), shape: [2, 3] }, 'X')).toEqual(want);
    const src = Float64Array.from([1, 2]);
    const m = readMatrix({ data: src, shape: [1, 2] }, 'X');
    m.data[0] = 7;
    expect(src[0]).toBe(1); // a copy
    expect(readTargets([1, 2, 3], 'y')).toMatchObject({ rows: 3, cols: 1, vector: true });
    expect(readTargets(Float32Array.of(1, 2), 'y')).toMatchObject({ rows: 2, cols: 1, vector: true });
    expect(readTargets([[1, 2], [3, 4], [5, 6]], 'y')).toMatchObject({ rows: 3, cols: 2, vector: false });
  });

  it('names the bad cell or shape in the house message', () => {
    expect(() => readMatrix([[1, 2], [3]], 'X')).toThrow(new RangeError('Expected a row of 2 values like row 0 for X[1] but received Array(1)'));
    expect(() => readMatrix([[1, NaN]], 'X')).toThrow(new RangeError('Expected a finite number (no NaN or infinity) for X[0][1] but received NaN'));
    expect(() => readMatrix([[1, -Infinity]], 'X', { allowNaN: true })).toThrow(/X\[0\]\[1\] but received -Infinity/);
    expect(() => readMatrix({ data: new Float64Array(5), shape: [2, 3] }, 'X')).toThrow(/Expected 6 values/);
    expect(() => readMatrix({ data: new Float64Array(6), shape: [6] }, 'X')).toThrow(/shape \[rows, cols\]/);
    expect(() => readMatrix([], 'X')).toThrow(/at least 1 sample/);
    expect(() => readMatrix([[1]], 'X', { minRows: 2 })).toThrow(/at least 2 samples/);
    expect(() => readMatrix('abc', 'X')).toThrow(TypeError);
    expect(() => readMatrix([[1, '2' as unknown as number]], 'X')).toThrow(TypeError);
  });
});

describe('StandardScaler', () => {
  it('standardises to mean 0 and population std 1, round-trips, keeps NaN, and reads float32', () => {
    const X = randn(1, 40, 3).map((v, i) => v * (i % 3 + 1) + 10);
    const s = new StandardScaler();
    const z = s.fitTransform(M(X, 40, 3));
    const mu = columnMeans(z.data, 40, 3), sd = columnStd(z.data, 40, 3, 0);
    for (let j = 0; j < 3; j++) {
      expect(Math.abs(mu[j]!)).toBeLessThan(1e-14);
      expect(sd[j]).toBeCloseTo(1, 13);
    }
    expect(maxAbsDiff(s.inverseTransform(z).data, X)).toBeLessThan(1e-13);
    const withNaN = Float64Array.from(X);
    withNaN[4] = NaN;
    const t = new StandardScaler().fit(M(withNaN, 40, 3)).transform(M(withNaN, 40, 3));
    expect(t.data[4]).toBeNaN();
    expect(new StandardScaler().fit(M(withNaN, 40, 3)).nSamplesSeen).toEqual(Float64Array.of(40, 39, 40));
    const f32 = new StandardScaler().fit({ data: Float32Array.from(X), shape: [40, 3] });
    expect(maxAbsDiff(f32.mean!, columnMeans(Float64Array.from(Float32Array.from(X)), 40, 3))).toBeLessThan(1e-12);
  });

  it('weights equal repeated rows', () => {
    const X = randn(2, 6, 2);
    const reps = [1, 3, 0, 2, 1, 4];
    const rows: number[][] = [];
    reps.forEach((r, i) => {
      for (let k = 0; k < r; k++) rows.push([X[2 * i]!, X[2 * i + 1]!]);
    });
    const a = new StandardScaler().fit(M(X, 6, 2), undefined, { sampleWeight: reps });
    const b = new StandardScaler().fit(rows);
    expect(maxAbsDiff(a.mean!, b.mean!)).toBeLessThan(1e-14);
    expect(maxAbsDiff(a.var!, b.var!)).toBeLessThan(1e-14);
    expect(a.nSamplesSeen).toBe(11);
  });

  it('checks its arguments and its state', () => {
    expect(() => new StandardScaler({ withMean: 1 as unknown as boolean })).toThrow(TypeError);
    expect(() => new StandardScaler().mean).toThrow(AudiomillError);
    const s = new StandardScaler().fit([[1, 2], [3, 4]]);
    expect(() => s.transform([[1, 2, 3]])).toThrow(/Expected 2 features \(as in fit\) for the columns of X but received 3/);
    expect(() => s.fit([[1, 2]], undefined, { sampleWeight: [1, 2] })).toThrow(/Expected 1 weights \(one per sample\) for sampleWeight/);
    expect(() => s.fit([[1, 2]], undefined, { sampleWeight: [NaN] })).toThrow(RangeError);
    expect(warn).not.toHaveBeenCalled();
    new StandardScaler().fit([[NaN, 1], [NaN, 2]]);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/feature 0 had no non-NaN value/), { code: 'AUDIOMILL_UNDEFINED_METRIC' });
  });
});

/** A regression problem with known structure. */
function problem(seed: number, n: number, p: number, t = 1) {
  const X = randn(seed, n, p);
  const W = randn(seed + 1, p, t);
  const noise = randn(seed + 2, n, t);
  const Y = naiveMatmul(X, n, p, W, t).map((v, i) => v + 0.7 * noise[i]! + 2);
  return { X, Y, W };
}

describe('Ridge', () => {
  it('recovers noise-free coefficients with a tiny alpha, and the intercept', () => {
    const { X, W } = problem(10, 30, 4);
    const y = naiveMatmul(X, 30, 4, W, 1).map((v) => v - 3);
    const r = new Ridge({ alpha: 1e-12 }).fit(M(X, 30, 4), y);
    expect(maxAbsDiff(vec(r.coef), W)).toBeLessThan(1e-9);
    expect(r.intercept as number).toBeCloseTo(-3, 9);
    expect(maxAbsDiff(vec(r.predict(M(X, 30, 4))), y)).toBeLessThan(1e-9);
  });

  it('solves the penalised normal equations: Xcᵀ(y - Xc w) = α w (primal and dual)', () => {
    for (const [n, p] of [[40, 6], [8, 20]] as const) {
      const { X, Y } = problem(n + p, n, p);
      const r = new Ridge({ alpha: 0.3 }).fit(M(X, n, p), Y);
      const mx = columnMeans(X, n, p);
      const my = Y.reduce((a, b) => a + b) / n;
      const w = vec(r.coef);
      const xc = X.map((v, i) => v - mx[i % p]!);
      const res = Y.map((v, i) => v - my - matVec(xc, n, p, w)[i]!);
      const lhs = matTVec(xc, n, p, res);
      expect(maxAbsDiff(lhs, w.map((v) => 0.3 * v))).toBeLessThan(1e-10);
    }
  });

  it('a penalty per target equals one fit per target; integer weights equal repeated rows', () => {
    const { X, Y } = problem(5, 25, 5, 3);
    const all = new Ridge({ alpha: [0.1, 1, 10] }).fit(M(X, 25, 5), M(Y, 25, 3));
    const coef = all.coef as Matrix;
    expect(coef.shape).toEqual([3, 5]);
    [0.1, 1, 10].forEach((alpha, c) => {
      const y = Float64Array.from({ length: 25 }, (_, i) => Y[i * 3 + c]!);
      const one = new Ridge({ alpha }).fit(M(X, 25, 5), y);
      expect(maxAbsDiff(coef.data.subarray(c * 5, c * 5 + 5), vec(one.coef))).toBeLessThan(1e-12);
      expect((all.intercept as Float64Array)[c]).toBeCloseTo(one.intercept as number, 12);
    });
    const w = Array.from({ length: 25 }, (_, i) => i % 3);
    const rows: number[][] = [], ys: number[] = [];
    w.forEach((k, i) => {
      for (let r = 0; r < k; r++) {
        rows.push(Array.from(X.subarray(i * 5, i * 5 + 5)));
        ys.push(Y[i * 3]!);
      }
    });
    const y0 = Float64Array.from({ length: 25 }, (_, i) => Y[i * 3]!);
    const a = new Ridge({ alpha: 2 }).fit(M(X, 25, 5), y0, { sampleWeight: w });
    const b = new Ridge({ alpha: 2 }).fit(rows, ys);
    expect(maxAbsDiff(vec(a.coef), vec(b.coef))).toBeLessThan(1e-12);
    expect(a.intercept as number).toBeCloseTo(b.intercept as number, 12);
  });

  it('shapes results like scikit-learn and checks its arguments', () => {
    const { X, Y } = problem(9, 10, 3, 2);
    const r = new Ridge({ fitIntercept: false }).fit(M(X, 10, 3), M(Y, 10, 2));
    expect(r.intercept).toBe(0);
    expect((r.predict(M(X, 10, 3)) as Matrix).shape).toEqual([10, 2]);
    expect(() => new Ridge({ alpha: -1 })).toThrow(new RangeError('Expected a finite number >= 0 for alpha but received -1'));
    expect(() => new Ridge({ alpha: 'a' as unknown as number })).toThrow(TypeError);
    expect(() => new Ridge({ alpha: [1, 2, 3] }).fit(M(X, 10, 3), M(Y, 10, 2))).toThrow(/Expected 1 or 2 penalties \(one per target\) for alpha.length but received 3/);
    expect(() => new Ridge().fit(M(X, 10, 3), Y.subarray(0, 9))).toThrow(/Expected 10 samples \(as many as X has rows\) for the rows of y but received 9/);
    expect(() => new Ridge().fit(M(X, 10, 3), Y.subarray(0, 10), { sampleWeight: new Array(10).fill(-1) })).toThrow(RangeError);
    expect(() => new Ridge().fit(M(X, 10, 3), Y.subarray(0, 10), { sampleWeight: new Array(10).fill(0) })).toThrow(/positive sum/);
    expect(() => new Ridge().predict(M(X, 10, 3))).toThrow(AudiomillError);
    expect(() => r.predict(M(X.subarray(0, 10), 5, 2))).toThrow(/Expected 3 features \(as in fit\) for the columns of X but received 2/);
  });
});

/** Leave-one-out squared errors by refitting Ridge n times. */
function bruteLoo(X: Float64Array, y: Float64Array, n: number, p: number, alpha: number, fitIntercept: boolean): number {
  let sse = 0;
  for (let i = 0; i < n; i++) {
    const rows: number[][] = [], ys: number[] = [];
    for (let k = 0; k < n; k++) if (k !== i) {
      rows.push(Array.from(X.subarray(k * p, k * p + p)));
      ys.push(y[k]!);
    }
    const r = new Ridge({ alpha, fitIntercept }).fit(rows, ys);
    const e = y[i]! - (r.predict([Array.from(X.subarray(i * p, i * p + p))]) as Float64Array)[0]!;
    sse += e * e;
  }
  return -sse / n;
}

describe('RidgeCV', () => {
  it.each([
    [30, 5, true],
    [30, 5, false],
    [12, 25, true],
    [12, 25, false],
    [15, 15, true],
  ])('the closed-form LOO score equals refitting n times (n=%i, p=%i, intercept %s)', (n, p, fitIntercept) => {
    const { X, Y } = problem(n * 3 + p, n, p);
    for (const alpha of [0.01, 1, 30]) {
      const cv = new RidgeCV({ alphas: [alpha], fitIntercept }).fit(M(X, n, p), Y);
      const want = bruteLoo(X, Y, n, p, alpha, fitIntercept);
      expect(Math.abs((cv.bestScore as number) - want)).toBeLessThan(1e-9 * Math.abs(want));
    }
  });

  it('picks the best alpha and then equals Ridge with it', () => {
    const { X, Y } = problem(3, 40, 8);
    const alphas = [0.001, 0.01, 0.1, 1, 10, 100];
    const cv = new RidgeCV({ alphas }).fit(M(X, 40, 8), Y);
    const scores = alphas.map((a) => bruteLoo(X, Y, 40, 8, a, true));
    expect(cv.alphaSelected).toBe(alphas[scores.indexOf(Math.max(...scores))]);
    const r = new Ridge({ alpha: cv.alphaSelected as number }).fit(M(X, 40, 8), Y);
    expect(maxAbsDiff(vec(cv.coef), vec(r.coef))).toBeLessThan(1e-10);
    expect(cv.intercept as number).toBeCloseTo(r.intercept as number, 10);
  });

  it('k-fold equals explicit contiguous folds, and scores the mean fold R²', () => {
    const { X, Y } = problem(4, 23, 4);
    const a = new RidgeCV({ alphas: [0.1, 1, 10], cv: 4 }).fit(M(X, 23, 4), Y);
    const bounds = [0, 6, 12, 18, 23];
    const folds = [0, 1, 2, 3].map((f) => {
      const test = Array.from({ length: bounds[f + 1]! - bounds[f]! }, (_, i) => bounds[f]! + i);
      return { test, train: Array.from({ length: 23 }, (_, i) => i).filter((i) => !test.includes(i)) };
    });
    const b = new RidgeCV({ alphas: [0.1, 1, 10], cv: folds }).fit(M(X, 23, 4), Y);
    expect(b.alphaSelected).toBe(a.alphaSelected);
    expect(b.bestScore).toBe(a.bestScore);
    expect(a.bestScore as number).toBeLessThanOrEqual(1);
  });

  it('warns when a score is NaN (one sample) and checks its arguments', () => {
    const r = new RidgeCV().fit([[1, 2]], [3]);
    expect(r.bestScore).toBeNaN();
    expect(r.alphaSelected).toBe(0.1);
    expect(r.intercept).toBe(3);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/NaN/), { code: 'AUDIOMILL_UNDEFINED_METRIC' });
    expect(() => new RidgeCV({ alphas: [1, 0] })).toThrow(new RangeError('Expected a finite number > 0 for alphas[1] but received 0'));
    expect(() => new RidgeCV({ alphas: [] })).toThrow(RangeError);
    expect(() => new RidgeCV({ cv: 1 })).toThrow(RangeError);
    expect(() => new RidgeCV({ cv: 3, alphaPerTarget: true })).toThrow(RangeError);
    expect(() => new RidgeCV({ cv: [{ train: [0], test: [5] }] }).fit([[1], [2]], [1, 2])).toThrow(/cv\[0\].test\[0\]/);
    expect(() => new RidgeCV({ cv: 'loo' as unknown as number })).toThrow(TypeError);
    expect(() => new RidgeCV().alphaSelected).toThrow(AudiomillError);
  });
});

describe('PCA', () => {
  it('components are orthonormal, signed like svd_flip, and a full transform round-trips', () => {
    for (const [n, d] of [[40, 6], [6, 40]] as const) {
      const X = randn(n + d, n, d);
      const p = new PCA().fit(M(X, n, d));
      const k = Math.min(n, d);
      const C = p.components;
      expect(C.shape).toEqual([k, d]);
      const cct = naiveMatmul(C.data, k, d, transpose(C.data, k, d), k);
      for (let i = 0; i < k - 1; i++) for (let j = 0; j < k - 1; j++) expect(Math.abs(cct[i * k + j]! - (i === j ? 1 : 0))).toBeLessThan(1e-10);
      const Z = p.transform(M(X, n, d));
      // U = Z / s: the largest-magnitude entry of each column is positive.
      for (let j = 0; j < k - (n < d ? 1 : 0); j++) {
        let best = 0, arg = 0;
        for (let i = 0; i < n; i++) if (Math.abs(Z.data[i * k + j]!) > best) {
          best = Math.abs(Z.data[i * k + j]!);
          arg = i;
        }
        expect(Z.data[arg * k + j]).toBeGreaterThan(0);
      }
      if (n >= d) expect(maxAbsDiff(p.inverseTransform(Z).data, X)).toBeLessThan(1e-12);
      let total = 0;
      for (const v of p.explainedVarianceRatio) total += v;
      expect(total).toBeCloseTo(1, 14);
    }
  });

  it('whitening gives unit-variance projections; a fraction keeps the fewest components above it', () => {
    const X = randn(8, 50, 5).map((v, i) => v * [5, 3, 1, 0.5, 0.1][i % 5]!);
    const p = new PCA({ nComponents: 3, whiten: true }).fit(M(X, 50, 5));
    const sd = columnStd(p.transform(M(X, 50, 5)).data, 50, 3, 1);
    for (const s of sd) expect(s).toBeCloseTo(1, 12);
    const full = new PCA().fit(M(X, 50, 5)).explainedVarianceRatio;
    const f = new PCA({ nComponents: 0.95 }).fit(M(X, 50, 5));
    let cum = 0, want = 0;
    while (cum <= 0.95) cum += full[want++]!;
    expect(f.nComponentsSelected).toBe(want);
    expect(f.noiseVariance).toBeGreaterThan(0);
  });

  it('checks its arguments', () => {
    expect(() => new PCA({ nComponents: 1.5 })).toThrow(/an integer >= 0 or a fraction in \(0, 1\)/);
    expect(() => new PCA({ nComponents: -1 })).toThrow(RangeError);
    expect(() => new PCA({ nComponents: 4 }).fit([[1, 2, 3], [4, 5, 6]])).toThrow(/Expected an integer between 0 and min\(nSamples, nFeatures\) = 2 for nComponents but received 4/);
    expect(() => new PCA().transform([[1]])).toThrow(AudiomillError);
  });
});

describe('parallel analysis', () => {
  /** n samples of d variables driven by k strong common factors plus unit noise. */
  function planted(seed: number, n: number, d: number, k: number): Matrix {
    const F = randn(seed, n, k), L = randn(seed + 1, k, d).map((v) => v * 1.5), E = randn(seed + 2, n, d);
    return M(naiveMatmul(F, n, k, L, d).map((v, i) => v + E[i]!), n, d);
  }

  it.each([
    [1, 300, 10, 1],
    [2, 300, 10, 2],
    [3, 400, 15, 3],
    [4, 500, 19, 4],
  ])('retains the planted factors (seed %i: %i x %i, k = %i)', (seed, n, d, k) => {
    const r = parallelAnalysis(planted(seed * 10, n, d, k), { nIter: 60, seed });
    expect(r.nComponents).toBe(k);
    expect(r.eigenvalues.length).toBe(d);
    for (let j = 0; j < k; j++) expect(r.eigenvalues[j]).toBeGreaterThan(r.thresholds[j]!);
    // Standardised data: the eigenvalues of the correlation matrix times n / (n - 1) sum to d n / (n - 1).
    let s = 0;
    for (const v of r.eigenvalues) s += v;
    expect(s).toBeCloseTo((d * n) / (n - 1), 10);
  });

  it('pure noise retains at most one component; results are deterministic for a seed', () => {
    const X = M(randn(99, 200, 8), 200, 8);
    const a = parallelAnalysis(X, { nIter: 50, seed: 7 });
    expect(a.nComponents).toBeLessThanOrEqual(1);
    expect(parallelAnalysis(X, { nIter: 50, seed: 7 })).toEqual(a);
    expect(parallelAnalysis(X, { nIter: 50, seed: 8 }).thresholds).not.toEqual(a.thresholds);
    // Random eigenvalues of n x d standard normals average about (1 ± sqrt(d / n))² at the ends (Marchenko–Pastur).
    expect(a.randomMean[0]).toBeGreaterThan(1);
    expect(a.randomMean[7]).toBeLessThan(1);
    const c = parallelAnalysis(X, { nIter: 50, seed: 7, standardize: false });
    expect(c.eigenvalues).not.toEqual(a.eigenvalues);
  });

  it('the generator draws standard normals; options are checked', () => {
    const g = new NormalGenerator(123);
    let s = 0, s2 = 0;
    const N = 200000;
    for (let i = 0; i < N; i++) {
      const v = g.normal();
      s += v;
      s2 += v * v;
    }
    expect(Math.abs(s / N)).toBeLessThan(0.01);
    expect(Math.abs(s2 / N - 1)).toBeLessThan(0.01);
    expect(new NormalGenerator(5).nextUint32()).toBe(new NormalGenerator(5).nextUint32());
    expect(() => parallelAnalysis([[1, 2]])).toThrow(/at least 2 samples/);
    expect(() => parallelAnalysis([[1, 2], [3, 4]], { percentile: 101 })).toThrow(RangeError);
    expect(() => parallelAnalysis([[1, 2], [3, 4]], { nIter: 0 })).toThrow(RangeError);
    expect(() => parallelAnalysis([[1, 2], [3, 4]], { seed: -1 })).toThrow(RangeError);
  });
});

describe('CCA', () => {
  /** The canonical correlations from their definition: singular values of Cxx^-1/2 Cxy Cyy^-1/2. */
  function canonical(X: Float64Array, Y: Float64Array, n: number, p: number, q: number): Float64Array {
    const center = (a: Float64Array, c: number) => {
      const m = columnMeans(a, n, c);
      return a.map((v, i) => v - m[i % c]!);
    };
    const xc = center(X, p), yc = center(Y, q);
    const invSqrt = (g: Float64Array, d: number) => {
      const { values, vectors } = symmetricEigen(g, d);
      const out = new Float64Array(d * d);
      for (let k = 0; k < d; k++) for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) {
        out[i * d + j] = out[i * d + j]! + (vectors[k * d + i]! * vectors[k * d + j]!) / Math.sqrt(values[k]!);
      }
      return out;
    };
    const a = invSqrt(gramCols(xc, n, p), p), b = invSqrt(gramCols(yc, n, q), q);
    const cxy = matmulAtB(xc, n, p, yc, q);
    return svd(naiveMatmul(naiveMatmul(a, p, p, cxy, q), p, q, b, q), p, q).s;
  }

  it('the first canonical correlation is the largest one from the definition', () => {
    const n = 80, p = 5, q = 3;
    const L = randn(1, n, 1);
    const X = randn(2, n, p).map((v, i) => v + 1.2 * L[Math.floor(i / p)]!);
    const Y = randn(3, n, q).map((v, i) => v + 0.8 * L[Math.floor(i / q)]!);
    const m = new CCA({ nComponents: 1, tol: 1e-14, maxIter: 10000 }).fit(M(X, n, p), M(Y, n, q));
    const want = canonical(X, Y, n, p, q)[0]!;
    expect(m.canonicalCorrelations[0]).toBeCloseTo(want, 10);
    const scores = m.transform(M(X, n, p));
    expect(scores.shape).toEqual([n, 1]);
    expect(m.transform(M(X, n, p), M(Y, n, q)).xScores).toEqual(scores);
    expect(m.predict(M(X, n, p)).shape).toEqual([n, q]);
    expect(m.fitTransform(M(X, n, p), M(Y, n, q)).yScores.shape).toEqual([n, 1]);
  });

  it('warns when Y runs out of variance or the iterations run out, and checks its arguments', () => {
    const X = randn(4, 20, 3);
    const y = randn(5, 20, 1);
    const Y = M(Float64Array.from({ length: 40 }, (_, i) => y[i >> 1]! * (i % 2 ? 2 : 1)), 20, 2);
    const m = new CCA({ nComponents: 2 }).fit(M(X, 20, 3), Y);
    expect(m.nIter.length).toBe(1);
    expect(m.canonicalCorrelations[1]).toBeNaN();
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/Y residual is constant at iteration 1/), { code: 'AUDIOMILL_UNDEFINED_METRIC' });
    warn.mockClear();
    new CCA({ nComponents: 1, maxIter: 1 }).fit(M(X, 20, 3), M(randn(6, 20, 2), 20, 2));
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/maximum number of iterations/), { code: 'AUDIOMILL_CONVERGENCE' });
    expect(() => new CCA({ nComponents: 0 })).toThrow(RangeError);
    expect(() => new CCA({ tol: -1 })).toThrow(RangeError);
    expect(() => new CCA({ nComponents: 3 }).fit(M(X, 20, 3), Y)).toThrow(/min\(nSamples, nFeatures of X, nFeatures of Y\) = 2/);
    expect(() => new CCA().xWeights).toThrow(AudiomillError);
    expect(() => m.transform(M(X, 20, 3), M(y, 20, 1))).toThrow(/features/);
  });
});
