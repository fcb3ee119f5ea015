/**
 * RidgeCV.fitMany, the batch crossValidate hands its folds to: the models equal fitting each job alone (to rounding)
 * whichever way the shared work goes (rows left out that partition X, that overlap, a row listed twice, weights, no
 * intercept, fewer rows than features, explicit folds inside), and crossValidate's scores and predictions equal those
 * of the same model fitted fold by fold.
 */
import { describe, expect, it } from 'vitest';
import { crossValidate, getNumThreads, RidgeCV, setNumThreads, type Estimator } from '../../src/index.js';
import type { RidgeFitJob } from '../../src/eval/models/ridge.js';

function data(n: number, p: number, seed: number): { X: { data: Float64Array; shape: [number, number] }; y: Float64Array } {
  let s = seed >>> 0;
  const u = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
  const X = Float64Array.from({ length: n * p }, () => u() * 2 - 1 + 3); // a mean away from 0: the centring matters
  const y = Float64Array.from({ length: n }, (_, i) => X[i * p]! - 2 * X[i * p + 1]! + u());
  return { X: { data: X, shape: [n, p] }, y };
}

function pick(X: { data: Float64Array; shape: [number, number] }, rows: number[]): { data: Float64Array; shape: [number, number] } {
  const p = X.shape[1];
  const out = new Float64Array(rows.length * p);
  rows.forEach((r, i) => out.set(X.data.subarray(r * p, (r + 1) * p), i * p));
  return { data: out, shape: [rows.length, p] };
}

function expectSameModel(a: RidgeCV, b: RidgeCV): void {
  expect(a.alphaSelected).toBe(b.alphaSelected);
  const rel = (x: number, y: number) => Math.abs(x - y) / Math.max(1e-300, Math.abs(y));
  expect(rel(a.bestScore as number, b.bestScore as number)).toBeLessThan(1e-9);
  const ca = a.coef as Float64Array, cb = b.coef as Float64Array;
  const scale = Math.max(...Array.from(cb, Math.abs));
  for (let j = 0; j < cb.length; j++) expect(Math.abs(ca[j]! - cb[j]!)).toBeLessThan(1e-9 * scale);
  expect(Math.abs((a.intercept as number) - (b.intercept as number))).toBeLessThan(1e-9 * Math.max(1, Math.abs(b.intercept as number)));
}

describe('RidgeCV.fitMany', () => {
  const n = 90, p = 20;
  const { X, y } = data(n, p, 3);
  const all = Array.from({ length: n }, (_, i) => i);
  const alphas = [0.01, 0.3, 3, 30];

  const cases: [string, () => RidgeFitJob[], boolean?][] = [
    ['five folds (the rows left out partition X)', () => [0, 1, 2, 3, 4].map((f) => {
      const rows = all.filter((i) => Math.floor(i / 18) !== f);
      return { X, y: Float64Array.from(rows, (r) => y[r]!), rows };
    })],
    ['overlapping rows left out', () => [0, 1, 2].map((f) => {
      const rows = all.filter((i) => i < 20 * f || i >= 20 * f + 30);
      return { X, y: Float64Array.from(rows, (r) => y[r]!), rows };
    })],
    ['a row listed twice, and sample weights', () => {
      const rows = [...all.slice(0, 60), 5];
      return [
        { X, y: Float64Array.from(rows, (r) => y[r]!), rows },
        { X, y: y.slice(0, 70), rows: all.slice(0, 70), options: { sampleWeight: Float64Array.from({ length: 70 }, (_, i) => 1 + (i % 3)) } },
      ];
    }],
    ['no intercept', () => [0, 1].map((f) => {
      const rows = all.filter((i) => i % 2 !== f || i < 30);
      return { X, y: Float64Array.from(rows, (r) => y[r]!), rows };
    }), false],
    ['fewer rows than features, and a job with its own X', () => [
      { X, y: y.slice(0, 15), rows: all.slice(0, 15) },
      { X: pick(X, all.slice(10, 80)), y: y.slice(10, 80) },
    ]],
  ];
  for (const [what, jobs, fitIntercept = true] of cases) {
    it(`gives each job the model fit gives it: ${what}`, () => {
      const list = jobs();
      const many = new RidgeCV({ alphas, fitIntercept }).fitMany(list);
      expect(many).toHaveLength(list.length);
      list.forEach((j, i) => {
        const alone = new RidgeCV({ alphas, fitIntercept }).fit(j.rows ? pick(X, Array.from(j.rows)) : j.X, j.y, j.options);
        expectSameModel(many[i]!, alone);
      });
    });
  }

  it('names the job in its errors: not an object, no rows, rows not an array of numbers, X unreadable', () => {
    const m = new RidgeCV({ alphas });
    expect(() => m.fitMany([null as never])).toThrow(TypeError);
    expect(() => m.fitMany([null as never])).toThrow(/jobs\[0\]/);
    expect(() => m.fitMany([{ X, y: [], rows: [] }])).toThrow(/at least 1 row index for jobs\[0\]\.rows/);
    expect(() => m.fitMany([{ X, y: [1], rows: new DataView(new ArrayBuffer(8)) as never }])).toThrow(/array of row indices for jobs\[0\]\.rows/);
    expect(() => m.fitMany([{ X: { data: Float64Array.of(1, NaN), shape: [2, 1] }, y: [1], rows: [0] }])).toThrow(/jobs\[0\]\.X\[1\]\[0\]/);
  });

  it('fits explicit-fold models too (cv given), and leaves X unchanged', () => {
    const before = X.data.slice();
    const rows = all.slice(0, 60);
    const [m] = new RidgeCV({ alphas, cv: 3 }).fitMany([{ X, y: y.slice(0, 60), rows }]);
    expectSameModel(m!, new RidgeCV({ alphas, cv: 3 }).fit(pick(X, rows), y.slice(0, 60)));
    expect(X.data).toEqual(before);
  });
});

describe('crossValidate with a model that has fitMany', () => {
  it('gives the same numbers, bit for bit, on one thread and on several', () => {
    const { X, y } = data(300, 120, 5); // reductions above the pool's threshold
    const saved = getNumThreads();
    const run = (threads: number) => {
      setNumThreads(threads);
      try {
        return crossValidate(() => new RidgeCV({ alphas: [0.1, 1, 10] }), X, y, { cv: 5 });
      } finally {
        setNumThreads(saved);
      }
    };
    const one = run(1), three = run(3);
    expect(Array.from(three.scores.r2!.folds)).toEqual(Array.from(one.scores.r2!.folds));
    expect(Array.from(three.predictions as Float64Array)).toEqual(Array.from(one.predictions as Float64Array));
  });

  it('fits several targets as fold by fold (the coefficients of rows read in place)', () => {
    const { X, y } = data(100, 12, 11);
    const Y = { data: Float64Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? y[i >> 1]! : -0.5 * y[i >> 1]! + (i % 7))), shape: [100, 2] as [number, number] };
    const plain = (): Estimator => {
      const m = new RidgeCV({ alphas: [0.1, 10] });
      return { fit: (a, b) => m.fit(a, b), predict: (a) => m.predict(a) as never };
    };
    const fast = crossValidate(() => new RidgeCV({ alphas: [0.1, 10] }), X, Y, { cv: 4 });
    const slow = crossValidate(plain, X, Y, { cv: 4 });
    fast.scores.r2!.folds.forEach((v, f) => expect(Math.abs(v - slow.scores.r2!.folds[f]!)).toBeLessThan(1e-10));
    const fp = (fast.predictions as { data: Float64Array }).data, sp = (slow.predictions as { data: Float64Array }).data;
    for (let i = 0; i < 200; i++) expect(Math.abs(fp[i]! - sp[i]!)).toBeLessThan(1e-10 * Math.max(1, Math.abs(sp[i]!)));
  });

  it('scores and predicts as the same model fitted fold by fold', () => {
    const { X, y } = data(120, 30, 7);
    const alphas = [0.1, 1, 10];
    /** RidgeCV without fitMany: crossValidate then fits it fold by fold. */
    const plain = (): Estimator => {
      const m = new RidgeCV({ alphas });
      return { fit: (a, b) => m.fit(a, b), predict: (a) => m.predict(a) as Float64Array };
    };
    for (const cv of [5, 'logo'] as const) {
      const groups = Array.from({ length: 120 }, (_, i) => `g${i % 4}`);
      const options = { cv, scoring: ['r2', 'neg_mean_squared_error'] as const, ...(cv === 'logo' ? { groups } : {}) };
      const fast = crossValidate(() => new RidgeCV({ alphas }), X, y, { ...options, scoring: [...options.scoring] });
      const slow = crossValidate(plain, X, y, { ...options, scoring: [...options.scoring] });
      for (const s of ['r2', 'neg_mean_squared_error']) {
        fast.scores[s]!.folds.forEach((v, f) => expect(Math.abs(v - slow.scores[s]!.folds[f]!)).toBeLessThan(1e-10 * Math.max(1, Math.abs(v))));
      }
      const fp = fast.predictions as Float64Array, sp = slow.predictions as Float64Array;
      for (let i = 0; i < 120; i++) expect(Math.abs(fp[i]! - sp[i]!)).toBeLessThan(1e-10 * Math.max(1, Math.abs(sp[i]!)));
    }
  });
});
