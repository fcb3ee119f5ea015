/**
 * The native float64 kernels behind the evaluation models (src/linalg/dense.ts): products and Gram matrices against
 * plain loops, ridgeLooParts (a batch of problems, one with its Gram matrix given) against dense solves, argument
 * errors from both sides of the boundary, and RidgeCV's leave-one-out (which runs on them when samples outnumber
 * features) against a direct computation with one Cholesky solve per penalty, at a size where the reduction's steps
 * run on the native pool.
 */
import { describe, expect, it } from 'vitest';
import { cholesky, choleskySolve } from '../../src/eval/linalg.js';
import { RidgeCV } from '../../src/eval/models/ridge.js';
import { addScaledRow, gemmNT, gemmTN, gramOfCols, gramOfRows, ridgeLooParts, transpose } from '../../src/linalg/dense.js';
import { native } from '../../src/native/load.js';

/** Seeded normal-ish values (sum of uniforms), reproducible. */
function randn(n: number, seed: number): Float64Array {
  let s = seed >>> 0;
  const u = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  return Float64Array.from({ length: n }, () => u() + u() + u() - 1.5);
}

function naiveNT(a: Float64Array, m: number, k: number, b: Float64Array, n: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let q = 0; q < k; q++) s += a[i * k + q]! * b[j * k + q]!;
    c[i * n + j] = s;
  }
  return c;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}

describe('native dense kernels', () => {
  it('multiply (a·bᵀ, aᵀ·b), transpose, form Gram matrices and add a row as plain loops do', () => {
    const a = randn(37 * 19, 1), b = randn(23 * 19, 2);
    expect(maxAbsDiff(gemmNT(a, 37, 19, b, 23), naiveNT(a, 37, 19, b, 23))).toBeLessThan(1e-12);
    const g = gramOfRows(a, 37, 19);
    expect(maxAbsDiff(g, naiveNT(a, 37, 19, a, 37))).toBeLessThan(1e-12);
    for (let i = 0; i < 37; i++) for (let j = 0; j < 37; j++) expect(g[i * 37 + j]).toBe(g[j * 37 + i]);
    const gc = gramOfCols(a, 37, 19);
    expect(maxAbsDiff(gc, naiveNT(transpose(a, 37, 19), 19, 37, transpose(a, 37, 19), 19))).toBeLessThan(1e-12);
    for (let i = 0; i < 19; i++) for (let j = 0; j < 19; j++) expect(gc[i * 19 + j]).toBe(gc[j * 19 + i]);
    for (const cols of [2, 20]) { // one pass over a's rows; packed tiles
      const c = randn(37 * cols, 4);
      expect(maxAbsDiff(gemmTN(a, 37, 19, c, cols), naiveNT(transpose(a, 37, 19), 19, 37, transpose(c, 37, cols), cols))).toBeLessThan(1e-12);
    }
    const t = transpose(a, 37, 19);
    expect(t[5 * 37 + 3]).toBe(a[3 * 19 + 5]);
    expect(gemmNT(new Float64Array(0), 0, 4, b, 0)).toHaveLength(0);
    const x = Float64Array.of(1, 2, 3, 4, 5, 6);
    addScaledRow(x, 2, 3, Float64Array.of(1, 0, -1), -2);
    expect(Array.from(x)).toEqual([-1, 2, 5, 2, 5, 8]);
    addScaledRow(x, 2, 3, Float64Array.of(1, 1, 1), 1, Float64Array.of(0, 10));
    expect(Array.from(x)).toEqual([-1, 2, 5, 12, 15, 18]);
    addScaledRow(x, 1, 6, Float64Array.of(1, 1, 1, 1, 1, 1), 1, undefined, -1);
    expect(Array.from(x)).toEqual([2, -1, -4, -11, -14, -17]);
  });

  it('give ridge leave-one-out parts equal to dense solves, for a batch and with a Gram matrix given', () => {
    const shapes = [[20, 12], [31, 5], [26, 9]] as const;
    const alphas = Float64Array.of(0.3, 4);
    const problems = shapes.map(([n, p], c) => ({ x: randn(n * p, 10 + c), y: randn(n * 2, 20 + c), n, p, t: 2 }));
    const given = { ...problems[2]!, gram: gramOfCols(problems[2]!.x, 26, 9) };
    const parts = ridgeLooParts([problems[0]!, problems[1]!, given], alphas);
    problems.forEach(({ x, y, n, p }, c) => {
      const xtx = gramOfCols(x, n, p);
      alphas.forEach((alpha, s) => {
        const l = Float64Array.from(xtx);
        for (let j = 0; j < p; j++) l[j * p + j] = l[j * p + j]! + alpha;
        expect(cholesky(l, p)).toBe(true);
        const sol = transpose(x, n, p); // (XᵀX + αI)⁻¹ Xᵀ, p x n
        choleskySolve(l, p, sol, n);
        for (let i = 0; i < n; i++) {
          let q = 0;
          for (let j = 0; j < p; j++) q += x[i * p + j]! * sol[j * n + i]!;
          expect(parts[c]!.quad[s * n + i]).toBeCloseTo(q, 10);
          for (let cc = 0; cc < 2; cc++) {
            let f = 0; // row i of X (XᵀX + αI)⁻¹ Xᵀ y
            for (let r = 0; r < n; r++) {
              let h = 0;
              for (let j = 0; j < p; j++) h += x[i * p + j]! * sol[j * n + r]!;
              f += h * y[r * 2 + cc]!;
            }
            expect(parts[c]!.fitted[i * 4 + s * 2 + cc]).toBeCloseTo(f, 10);
          }
        }
      });
    });
  });

  it('refuse arrays too short for their sizes, in TypeScript and natively', () => {
    expect(() => gemmNT(new Float64Array(5), 2, 3, new Float64Array(6), 2)).toThrow(RangeError);
    expect(() => ridgeLooParts([{ x: new Float64Array(8), y: new Float64Array(3), n: 3, p: 3, t: 1 }], Float64Array.of(1))).toThrow(/at least 9 values in x/);
    expect(() => addScaledRow(new Float64Array(5), 2, 3, new Float64Array(3), 1)).toThrow(RangeError);
    let err: unknown;
    try {
      native().linalgGemmNt(new Float64Array(5), new Float64Array(6), { m: 2, n: 2, k: 3 });
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'INVALID_ARGUMENT' });
    const problem = { x: new Float64Array(6), y: new Float64Array(3), n: 3, p: 2, t: 1 };
    expect(() => native().linalgRidgeLoo([{ ...problem, x: new Float32Array(6) as unknown as Float64Array }], Float64Array.of(1), {})).toThrow(/Float64Array for problems\[i\]\.x/);
    expect(() => native().linalgRidgeLoo([problem], Float64Array.of(1, 0), {})).toThrow(/alpha > 0/);
    expect(() => native().linalgRidgeLoo([{ ...problem, n: 2 }], Float64Array.of(1), {})).toThrow(/more rows than columns/);
    expect(() => native().linalgRidgeLoo([{ ...problem, gram: new Float64Array(3) }], Float64Array.of(1), {})).toThrow(/at least 4 values in problems\[i\]\.gram/);
  });
});

describe('RidgeCV leave-one-out on the tridiagonal reduction', () => {
  it('stays finite for a penalty far below the rounding of a rank-deficient Gram matrix (a pivot floored at α)', () => {
    const n = 10;
    const x = new Float64Array(n * 2);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x[2 * i] = x[2 * i + 1] = i * 0.37 - 1; // two identical columns
      y[i] = 2 * x[2 * i]! + Math.sin(i);
    }
    const m = new RidgeCV({ alphas: [1e-20, 1] }).fit({ data: x, shape: [n, 2] }, y);
    expect(Number.isFinite(m.bestScore as number)).toBe(true);
    for (const c of m.coef as Float64Array) expect(Number.isFinite(c)).toBe(true);
  });

  it('refuses, natively, sizes whose output would not fit and columns too large to reduce', () => {
    expect(() => native().linalgGemmNt(new Float64Array(0), new Float64Array(0), { m: 1073764994, n: 2147437309, k: 0 })).toThrow(/more than 2\^31/);
    const huge = { x: Float64Array.of(1, 1e308, 1e308, 1e308, 1, 0, 1e308, 0, 1, 1, 1, 1), y: new Float64Array(4), n: 4, p: 3, t: 1 };
    expect(() => ridgeLooParts([huge], Float64Array.of(1))).toThrow(/not finite, or too large to reduce/);
  });

  it('equals a direct computation with one Cholesky solve per penalty (300 samples, 260 features)', () => {
    const n = 300, p = 260;
    const x = randn(n * p, 7);
    const beta = randn(p, 8);
    const noise = randn(n, 9);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 3;
      for (let j = 0; j < p; j++) s += x[i * p + j]! * beta[j]! * 0.2;
      y[i] = s + noise[i]!;
    }
    const alphas = [0.5, 5, 50];
    const model = new RidgeCV({ alphas }).fit({ data: x, shape: [n, p] }, y);

    // Direct: centre, then for each α: h_ii = x_iᵀ (XcᵀXc + αI)⁻¹ x_i + 1/n, e_i = (y_i - ŷ_i) / (1 - h_ii).
    const mean = new Float64Array(p);
    let ym = 0;
    for (let i = 0; i < n; i++) {
      ym += y[i]! / n;
      for (let j = 0; j < p; j++) mean[j] = mean[j]! + x[i * p + j]! / n;
    }
    const xc = Float64Array.from(x, (v, idx) => v - mean[idx % p]!);
    const yc = Float64Array.from(y, (v) => v - ym);
    const xtx = naiveNT(transpose(xc, n, p), p, n, transpose(xc, n, p), p);
    const scores = alphas.map((alpha) => {
      const l = Float64Array.from(xtx);
      for (let j = 0; j < p; j++) l[j * p + j] = l[j * p + j]! + alpha;
      expect(cholesky(l, p)).toBe(true);
      const sol = transpose(xc, n, p); // p x n: (C + αI)⁻¹ Xcᵀ
      choleskySolve(l, p, sol, n);
      const w = new Float64Array(p);
      for (let j = 0; j < p; j++) for (let i = 0; i < n; i++) w[j] = w[j]! + sol[j * n + i]! * yc[i]!;
      let mse = 0;
      for (let i = 0; i < n; i++) {
        let h = 1 / n, fit = 0;
        for (let j = 0; j < p; j++) {
          h += xc[i * p + j]! * sol[j * n + i]!;
          fit += xc[i * p + j]! * w[j]!;
        }
        const e = (yc[i]! - fit) / (1 - h);
        mse += (e * e) / n;
      }
      return -mse;
    });
    const best = scores.indexOf(Math.max(...scores));
    expect(model.alphaSelected).toBe(alphas[best]);
    expect(Math.abs((model.bestScore as number) - scores[best]!)).toBeLessThan(1e-9 * Math.abs(scores[best]!));
  });
});
