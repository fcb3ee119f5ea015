/**
 * The native float64 kernels behind the evaluation models (src/linalg/dense.ts): products against plain loops,
 * a tridiagonal reduction that reconstructs its matrix, argument errors from both sides of the boundary, and
 * RidgeCV's leave-one-out (which runs on them when samples outnumber features) against a direct computation with
 * one Cholesky solve per penalty, at a size where the reduction's steps run on the native pool.
 */
import { describe, expect, it } from 'vitest';
import { cholesky, choleskySolve } from '../../src/eval/linalg.js';
import { RidgeCV } from '../../src/eval/models/ridge.js';
import { applyReflectors, gemmNT, gemmTN, gramOfRows, shiftedTridiagonal, transpose, tridiagonalize } from '../../src/linalg/dense.js';
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
  it('multiply (a·bᵀ, aᵀ·b), transpose and form Gram matrices as plain loops do', () => {
    const a = randn(37 * 19, 1), b = randn(23 * 19, 2);
    expect(maxAbsDiff(gemmNT(a, 37, 19, b, 23), naiveNT(a, 37, 19, b, 23))).toBeLessThan(1e-12);
    const g = gramOfRows(a, 37, 19);
    expect(maxAbsDiff(g, naiveNT(a, 37, 19, a, 37))).toBeLessThan(1e-12);
    for (let i = 0; i < 37; i++) for (let j = 0; j < 37; j++) expect(g[i * 37 + j]).toBe(g[j * 37 + i]);
    const c = randn(37 * 2, 4);
    expect(maxAbsDiff(gemmTN(a, 37, 19, c, 2), naiveNT(transpose(a, 37, 19), 19, 37, transpose(c, 37, 2), 2))).toBeLessThan(1e-12);
    const t = transpose(a, 37, 19);
    expect(t[5 * 37 + 3]).toBe(a[3 * 19 + 5]);
    expect(gemmNT(new Float64Array(0), 0, 4, b, 0)).toHaveLength(0);
  });

  it('reduce a symmetric matrix to tridiagonal form T = Qᵀ A Q', () => {
    const p = 12;
    const x = randn(20 * p, 3);
    const a = gramOfRows(transpose(x, 20, p), p, 20);
    const orig = Float64Array.from(a);
    const tri = tridiagonalize(a, p);
    // Q = I Q; then Q T Qᵀ must give A back.
    const q = new Float64Array(p * p);
    for (let i = 0; i < p; i++) q[i * p + i] = 1;
    applyReflectors(q, p, tri);
    const qt = new Float64Array(p * p);
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) {
      qt[i * p + j] = q[i * p + j]! * tri.d[j]! + (j > 0 ? q[i * p + j - 1]! * tri.e[j - 1]! : 0) + (j + 1 < p ? q[i * p + j + 1]! * tri.e[j]! : 0);
    }
    expect(maxAbsDiff(naiveNT(qt, p, p, q, p), orig)).toBeLessThan(1e-10 * Math.max(...orig.map(Math.abs)));
    // (T + αI)⁻¹ applied to T + αI's own columns gives the identity; quad forms of e_0 give its (0, 0) entry.
    const alpha = 0.7;
    const rhs = new Float64Array(p * p);
    for (let j = 0; j < p; j++) {
      rhs[j * p + j] = tri.d[j]! + alpha;
      if (j > 0) rhs[(j - 1) * p + j] = tri.e[j - 1]!;
      if (j + 1 < p) rhs[(j + 1) * p + j] = tri.e[j]!;
    }
    const { solve } = shiftedTridiagonal(new Float64Array(0), 0, tri, Float64Array.of(alpha), rhs, p);
    const eye = new Float64Array(p * p);
    for (let i = 0; i < p; i++) eye[i * p + i] = 1;
    expect(maxAbsDiff(solve, eye)).toBeLessThan(1e-12);
  });

  it('refuse arrays too short for their sizes, in TypeScript and natively', () => {
    expect(() => gemmNT(new Float64Array(5), 2, 3, new Float64Array(6), 2)).toThrow(RangeError);
    expect(() => tridiagonalize(new Float64Array(8), 3)).toThrow(/at least 9 values in a/);
    let err: unknown;
    try {
      native().linalgGemmNt(new Float64Array(5), new Float64Array(6), { m: 2, n: 2, k: 3 });
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(() => native().linalgTridiagonalize(new Float32Array(9) as unknown as Float64Array, { p: 3 })).toThrow(/Float64Array for a/);
    const tri = tridiagonalize(Float64Array.of(2, 1, 1, 2), 2);
    expect(() => native().linalgShiftedTridiagonal(new Float64Array(2), tri.d, tri.e, Float64Array.of(1, 0), new Float64Array(0), { n: 1, p: 2, t: 0 })).toThrow(
      /alpha > 0/,
    );
    expect(() => shiftedTridiagonal(new Float64Array(2), 2, tri, Float64Array.of(1), new Float64Array(0), 0)).toThrow(RangeError);
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
    expect(() => tridiagonalize(Float64Array.of(1, 1e308, 1e308, 1e308, 1, 0, 1e308, 0, 1), 3)).toThrow(/too large to reduce/);
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
