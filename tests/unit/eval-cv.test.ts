// crossValidate's documented outcomes for the inputs that go wrong (docs/evaluation.md, "Cross-validation"):
// single-class training folds, single-class test folds under a probability scoring, more folds than groups,
// rows no fold tests, a probability scoring without predictProba, unknown scorings, 'logo' without groups.
import { describe, expect, it } from 'vitest';
import { crossValidate, type Estimator } from '../../src/eval/cross-validate.js';
import { LogisticRegression } from '../../src/eval/models/logistic.js';
import { Ridge } from '../../src/eval/models/ridge.js';
import { rng } from '../helpers/reference.js';

const r = rng(3);
const X = Array.from({ length: 12 }, (_, i) => [i % 2 === 0 ? 1 + r() : -1 + r(), r()]);
const labels = X.map((_, i) => (i % 2 === 0 ? 'a' : 'b'));
const target = Float64Array.from(X, (x) => 2 * x[0]! - x[1]!);
const logistic = () => new LogisticRegression() as unknown as Estimator;
const ridge = () => new Ridge() as unknown as Estimator;

describe('crossValidate: what goes wrong', () => {
  it('a training fold with one class: the classifier refuses it (UNDEFINED_METRIC, as scikit-learn raises)', () => {
    const a = labels.map((l, i) => (l === 'a' ? i : -1)).filter((i) => i >= 0);
    const folds = [{ train: Uint32Array.from(a), test: Uint32Array.of(1, 3) }];
    expect(() => crossValidate(logistic, X, labels, { cv: folds })).toThrow(expect.objectContaining({ name: 'AudiomillError', code: 'UNDEFINED_METRIC' }));
  });

  it('a test fold with one class under roc_auc: UNDEFINED_METRIC, as scikit-learn raises', () => {
    const folds = [{ train: Uint32Array.of(0, 1, 2, 3, 4, 5, 6, 7), test: Uint32Array.of(8, 10) }];
    expect(() => crossValidate(logistic, X, labels, { cv: folds, scoring: 'roc_auc' })).toThrow(expect.objectContaining({ code: 'UNDEFINED_METRIC' }));
  });

  it('more folds than groups is refused before any fit', () => {
    const groups = X.map((_, i) => i % 3);
    let fits = 0;
    const counting = () => {
      const m = new Ridge();
      const fit = m.fit.bind(m);
      m.fit = ((...a: Parameters<typeof fit>) => (fits++, fit(...a))) as typeof m.fit;
      return m as unknown as Estimator;
    };
    expect(() => crossValidate(counting, X, target, { cv: 4, groups })).toThrow();
    expect(fits).toBe(0);
  });

  it('rows no fold tests keep NaN predictions and stay out of the pooled score', () => {
    const folds = [
      { train: Uint32Array.of(2, 3, 4, 5, 6, 7, 8, 9), test: Uint32Array.of(0, 1) },
      { train: Uint32Array.of(0, 1, 4, 5, 6, 7, 8, 9), test: Uint32Array.of(2, 3) },
    ];
    const res = crossValidate(ridge, X, target, { cv: folds, scoring: 'neg_mean_squared_error' });
    const p = res.predictions as Float64Array;
    expect(Array.from(p.subarray(4)).every(Number.isNaN)).toBe(true);
    expect(Array.from(p.subarray(0, 4)).every(Number.isFinite)).toBe(true);
    let mse = 0;
    for (let i = 0; i < 4; i++) mse += (p[i]! - target[i]!) ** 2;
    expect(res.scores.neg_mean_squared_error!.pooled).toBeCloseTo(-mse / 4, 12);
    // Mean and population std of the fold scores.
    const f = res.scores.neg_mean_squared_error!.folds;
    const mean = (f[0]! + f[1]!) / 2;
    expect(res.scores.neg_mean_squared_error!.mean).toBeCloseTo(mean, 14);
    expect(res.scores.neg_mean_squared_error!.std).toBeCloseTo(Math.abs(f[0]! - f[1]!) / 2, 14);
  });

  it('refuses a probability scoring without predictProba, an unknown scoring, and logo without groups', () => {
    expect(() => crossValidate(ridge, X, target, { cv: 2, scoring: 'roc_auc' })).toThrow(TypeError);
    expect(() => crossValidate(ridge, X, target, { scoring: 'auc' as never })).toThrow(/scoring/);
    expect(() => crossValidate(ridge, X, target, { cv: 'logo' })).toThrow(/groups/);
    expect(() => crossValidate(ridge, X, target, { cv: 1 })).toThrow(RangeError);
    expect(() => crossValidate('ridge' as never, X, target)).toThrow(TypeError);
  });

  it('a classifier is cross-validated on stratified folds by default; the same seed gives the same folds', () => {
    const a = crossValidate(logistic, X, labels, { cv: 3, shuffle: true, randomState: 7 });
    const b = crossValidate(logistic, X, labels, { cv: 3, shuffle: true, randomState: 7 });
    expect(a.folds.map((f) => Array.from(f.test))).toEqual(b.folds.map((f) => Array.from(f.test)));
    for (const f of a.folds) {
      const inTest = Array.from(f.test, (i) => labels[i]);
      expect(inTest.filter((l) => l === 'a').length).toBe(2); // 6 of each class over 3 folds
    }
    expect(a.scores.accuracy!.folds).toHaveLength(3);
  });
});

describe('crossValidate: explicit folds', () => {
  it('a training row index out of range is a RangeError naming it (not a silent row of zeros)', () => {
    const folds = [{ train: Uint32Array.of(0, 1, 2, 3, 4, 5, 6, 100), test: Uint32Array.of(8, 9) }];
    expect(() => crossValidate(ridge, X, target, { cv: folds })).toThrow(RangeError);
    expect(() => crossValidate(ridge, X, target, { cv: folds })).toThrow(/cv\[0\]\.train\[7\]/);
    expect(() => crossValidate(ridge, X, target, { cv: [{ train: [0, 1, 2, -1] as unknown as Uint32Array, test: Uint32Array.of(8, 9) }] })).toThrow(/cv\[0\]\.train\[3\]/);
  });
});
