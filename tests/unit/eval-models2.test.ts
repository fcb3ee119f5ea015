// Unit tests of src/eval/optimize.ts and src/eval/models/{logistic,kmeans,cluster}.ts: behaviour, properties and
// argument checks (the numbers against scikit-learn / SciPy are in tests/parity/eval-models2.test.ts); also
// StandardScaler (src/eval/models/scaler.ts) on values near the largest float64.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AudiomillError } from '../../src/errors.js';
import { correlationOrder, leavesList, linkage, readLabels, silhouetteSamples, silhouetteScore } from '../../src/eval/models/cluster.js';
import { KMeans } from '../../src/eval/models/kmeans.js';
import { LogisticRegression } from '../../src/eval/models/logistic.js';
import { StandardScaler } from '../../src/eval/models/scaler.js';
import { minimizeLbfgs } from '../../src/eval/optimize.js';

/** A small seeded generator for test data (mulberry32 + Box–Muller). */
function rng(seed: number) {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  return { uniform, normal };
}

function blobs(seed: number, k: number, per: number, d: number, spread = 0.3, gap = 10) {
  const r = rng(seed);
  const centers = Array.from({ length: k }, () => Array.from({ length: d }, () => r.normal() * gap));
  const X: number[][] = [];
  const y: number[] = [];
  for (let c = 0; c < k; c++) for (let i = 0; i < per; i++) {
    X.push(centers[c]!.map((v) => v + r.normal() * spread));
    y.push(c);
  }
  return { X, y };
}

function captureWarnings() {
  const seen: { code: string; message: string }[] = [];
  vi.spyOn(process, 'emitWarning').mockImplementation(((message: string | Error, opts?: { code?: string }) => {
    seen.push({ code: opts?.code ?? '', message: String(message) });
  }) as typeof process.emitWarning);
  return seen;
}

function expectCode(fn: () => unknown, code: string): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(AudiomillError);
  expect((err as AudiomillError).code).toBe(code);
}

afterEach(() => vi.restoreAllMocks());

describe('minimizeLbfgs', () => {
  const rosenbrock = (x: Float64Array, g: Float64Array) => {
    const [a, b] = [x[0]!, x[1]!];
    g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
    g[1] = 200 * (b - a * a);
    return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
  };

  it('finds the minimum of the Rosenbrock function', () => {
    const r = minimizeLbfgs(rosenbrock, [-1.2, 1], { gtol: 1e-10, ftol: 0, maxIter: 1000 });
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 7);
    expect(r.x[1]).toBeCloseTo(1, 7);
    expect(r.fun).toBeLessThan(1e-14);
    expect(r.nFev).toBeGreaterThanOrEqual(r.nIter);
  });

  it('minimises a convex quadratic in at most a few iterations per dimension', () => {
    const A = [4, 1, 0, 1, 3, 0.5, 0, 0.5, 2];
    const b = [1, -2, 3];
    const fg = (x: Float64Array, g: Float64Array) => {
      let f = 0;
      for (let i = 0; i < 3; i++) {
        let s = 0;
        for (let j = 0; j < 3; j++) s += A[i * 3 + j]! * x[j]!;
        g[i] = s - b[i]!;
        f += 0.5 * x[i]! * s - b[i]! * x[i]!;
      }
      return f;
    };
    const r = minimizeLbfgs(fg, [0, 0, 0], { gtol: 1e-8, ftol: 0 });
    expect(r.converged).toBe(true);
    // A x = b at the minimum.
    for (let i = 0; i < 3; i++) {
      let s = 0;
      for (let j = 0; j < 3; j++) s += A[i * 3 + j]! * r.x[j]!;
      expect(s).toBeCloseTo(b[i]!, 8);
    }
    // SciPy 1.10's L-BFGS-B (gtol 1e-8, ftol 0) also stops after 7 iterations.
    expect(r.nIter).toBe(7);
  });

  it('follows SciPy 1.10\'s L-BFGS-B iterates (Rosenbrock from (-1.2, 1), default options)', () => {
    // scipy.optimize.minimize(rosen, [-1.2, 1], jac=True, method='L-BFGS-B'): nit 36, nfev 44,
    // x = [0.9999989453492764, 0.9999980209057228], REL_REDUCTION_OF_F.
    const r = minimizeLbfgs(rosenbrock, [-1.2, 1]);
    expect([r.nIter, r.nFev, r.status]).toEqual([36, 44, 'ftol']);
    expect(Math.abs(r.x[0]! - 0.9999989453492764)).toBeLessThan(1e-13);
    expect(Math.abs(r.x[1]! - 0.9999980209057228)).toBeLessThan(1e-13);
  });

  it('stops at once when the start already satisfies gtol, and reports the limits it hits', () => {
    const flat = (_x: Float64Array, g: Float64Array) => {
      g.fill(0);
      return 3;
    };
    expect(minimizeLbfgs(flat, [1, 2])).toMatchObject({ status: 'gtol', nIter: 0, nFev: 1, converged: true, fun: 3 });
    const r = minimizeLbfgs(rosenbrock, [-1.2, 1], { maxIter: 3 });
    expect(r).toMatchObject({ status: 'maxIter', nIter: 3, converged: false, message: 'STOP: TOTAL NO. of ITERATIONS REACHED LIMIT' });
    expect(minimizeLbfgs(rosenbrock, [-1.2, 1], { maxFun: 5 }).status).toBe('maxFun');
    const nan = (_x: Float64Array, g: Float64Array) => {
      g.fill(NaN);
      return NaN;
    };
    expect(minimizeLbfgs(nan, [0]).status).toBe('nonFinite');
  });

  it('the ftol test stops when an iteration barely lowers f (SciPy\'s default factr)', () => {
    const r = minimizeLbfgs(rosenbrock, [-1.2, 1], { gtol: 1e-14 });
    expect(r.status).toBe('ftol');
    expect(r.message).toBe('CONVERGENCE: REL_REDUCTION_OF_F_<=_FACTR*EPSMCH');
  });

  it('each accepted step satisfies sufficient decrease (f never rises between iterations)', () => {
    const values: number[] = [];
    const r = minimizeLbfgs(
      (x, g) => {
        const f = rosenbrock(x, g);
        values.push(f);
        return f;
      },
      [-1.2, 1],
      { gtol: 1e-9, ftol: 0 },
    );
    expect(r.converged).toBe(true);
    expect(r.fun).toBeLessThanOrEqual(values[0]!);
    expect(r.fun).toBe(Math.min(...values));
  });

  it('checks its arguments', () => {
    expect(() => minimizeLbfgs('f' as never, [0])).toThrow(TypeError);
    expect(() => minimizeLbfgs(rosenbrock, 3 as never)).toThrow(TypeError);
    expect(() => minimizeLbfgs(rosenbrock, [0, 0], { gtol: -1 })).toThrow(/Expected a finite number >= 0 for gtol but received -1/);
    expect(() => minimizeLbfgs(rosenbrock, [0, 0], { memory: 0 })).toThrow(RangeError);
    expect(() => minimizeLbfgs(rosenbrock, [0, 0], { maxIter: 1.5 })).toThrow(RangeError);
  });
});

describe('LogisticRegression', () => {
  const { X, y } = blobs(1, 3, 30, 2, 1.5, 2);
  const binX = X.slice(0, 60);
  const binY = y.slice(0, 60);

  it('fits two classes: one row of coefficients, probabilities that sum to 1, predictions from the sign', () => {
    const lr = new LogisticRegression().fit(binX, binY);
    expect(lr.classes).toEqual([0, 1]);
    expect(lr.coef.shape).toEqual([1, 2]);
    expect(lr.intercept.length).toBe(1);
    expect(lr.nIter.length).toBe(1);
    expect(lr.multinomial).toBe(false);
    const z = lr.decisionFunction(binX) as Float64Array;
    expect(z).toBeInstanceOf(Float64Array);
    const p = lr.predictProba(binX);
    expect(p.shape).toEqual([60, 2]);
    for (let i = 0; i < 60; i++) {
      expect(p.data[i * 2]! + p.data[i * 2 + 1]!).toBeCloseTo(1, 14);
      expect(p.data[i * 2 + 1]).toBeCloseTo(1 / (1 + Math.exp(-z[i]!)), 14);
    }
    expect(lr.predict(binX)).toEqual(Array.from(z, (v) => (v > 0 ? 1 : 0)));
    expect(lr.score(binX, binY)).toBeGreaterThan(0.8);
    const logp = lr.predictLogProba(binX);
    expect(logp.data[3]).toBeCloseTo(Math.log(p.data[3]!), 14);
  });

  it('fits more classes as one softmax; its intercepts sum to zero', () => {
    const lr = new LogisticRegression({ C: 0.5 }).fit(X, y);
    expect(lr.multinomial).toBe(true);
    expect(lr.coef.shape).toEqual([3, 2]);
    expect(Math.abs(lr.intercept[0]! + lr.intercept[1]! + lr.intercept[2]!)).toBeLessThan(1e-12);
    const s = lr.decisionFunction(X) as { data: Float64Array; shape: number[] };
    expect(s.shape).toEqual([90, 3]);
    const p = lr.predictProba(X);
    for (let i = 0; i < 90; i++) expect(p.data[i * 3]! + p.data[i * 3 + 1]! + p.data[i * 3 + 2]!).toBeCloseTo(1, 14);
  });

  it('one-vs-rest fits a problem per class and normalises the sigmoids', () => {
    const lr = new LogisticRegression({ multiClass: 'ovr' }).fit(X, y);
    expect(lr.coef.shape).toEqual([3, 2]);
    expect(lr.nIter.length).toBe(3);
    // The first problem alone is a binary fit of class 0 against the rest.
    const alone = new LogisticRegression().fit(X, y.map((v) => (v === 0 ? 'yes' : 'no')));
    expect(alone.classes).toEqual(['no', 'yes']);
    expect(alone.coef.data[0]).toBeCloseTo(lr.coef.data[0]!, 12);
    expect(alone.intercept[0]).toBeCloseTo(lr.intercept[0]!, 12);
  });

  it('takes string and boolean labels, typed-array and { data, shape } inputs alike', () => {
    const names = binY.map((v) => (v ? 'dog' : 'cat'));
    const a = new LogisticRegression().fit(binX, names);
    expect(a.classes).toEqual(['cat', 'dog']);
    const b = new LogisticRegression().fit({ data: Float64Array.from(binX.flat()), shape: [60, 2] }, binY.map(Boolean));
    expect(b.classes).toEqual([false, true]);
    expect(Array.from(b.coef.data)).toEqual(Array.from(a.coef.data));
    expect(b.predict(binX.slice(0, 4))).toEqual(a.predict(binX.slice(0, 4)).map((v) => v === 'dog'));
    const c = new LogisticRegression().fit(binX.map((r) => Float64Array.from(r)), Int32Array.from(binY));
    expect(Array.from(c.coef.data)).toEqual(Array.from(a.coef.data));
    // Float32 input is read as float64 (like scikit-learn's lbfgs).
    const x32 = Float32Array.from(binX.flat());
    const d = new LogisticRegression().fit({ data: x32, shape: [60, 2] }, binY);
    const e = new LogisticRegression().fit({ data: Float64Array.from(x32), shape: [60, 2] }, binY);
    expect(Array.from(d.coef.data)).toEqual(Array.from(e.coef.data));
  });

  it('an integer sample weight is the same as repeating the sample', () => {
    const w = binY.map((_, i) => (i % 7 === 0 ? 2 : 1));
    const rep: number[][] = [];
    const repY: number[] = [];
    binX.forEach((row, i) => {
      for (let k = 0; k < w[i]!; k++) {
        rep.push(row);
        repY.push(binY[i]!);
      }
    });
    const opts = { tol: 1e-10, maxIter: 1000 };
    const a = new LogisticRegression(opts).fit(binX, binY, { sampleWeight: w });
    const b = new LogisticRegression(opts).fit(rep, repY);
    for (let j = 0; j < 2; j++) expect(Math.abs(a.coef.data[j]! - b.coef.data[j]!)).toBeLessThan(1e-4);
  });

  it('class weights: an object keyed by label, a Map, and balanced', () => {
    const a = new LogisticRegression({ classWeight: { '0': 1, '1': 3 } }).fit(binX, binY);
    const b = new LogisticRegression({ classWeight: new Map([[1, 3]]) }).fit(binX, binY);
    const c = new LogisticRegression().fit(binX, binY, { sampleWeight: binY.map((v) => (v ? 3 : 1)) });
    expect(Array.from(b.coef.data)).toEqual(Array.from(a.coef.data));
    expect(Array.from(c.coef.data)).toEqual(Array.from(a.coef.data));
    // Balanced with equal class counts changes nothing.
    const d = new LogisticRegression({ classWeight: 'balanced' }).fit(binX, binY);
    const e = new LogisticRegression().fit(binX, binY);
    expect(Array.from(d.coef.data)).toEqual(Array.from(e.coef.data));
  });

  it('penalty null fits without the L2 term; fitIntercept false leaves zero intercepts', () => {
    const noisy = blobs(5, 2, 40, 2, 3, 1);
    const loose = new LogisticRegression({ penalty: null }).fit(noisy.X, noisy.y);
    const tight = new LogisticRegression({ C: 0.01 }).fit(noisy.X, noisy.y);
    const norm = (m: LogisticRegression) => Math.hypot(...m.coef.data);
    expect(norm(loose)).toBeGreaterThan(norm(tight));
    const z = new LogisticRegression({ fitIntercept: false }).fit(binX, binY);
    expect(Array.from(z.intercept)).toEqual([0]);
  });

  it('a single class is UNDEFINED_METRIC; a failed convergence warns with AUDIOMILL_CONVERGENCE', () => {
    expectCode(() => new LogisticRegression().fit(binX, binX.map(() => 'a')), 'UNDEFINED_METRIC');
    const seen = captureWarnings();
    const lr = new LogisticRegression({ maxIter: 1 }).fit(X, y);
    expect(Array.from(lr.nIter)).toEqual([1]);
    expect(seen.map((s) => s.code)).toEqual(['AUDIOMILL_CONVERGENCE']);
    expect(seen[0]!.message).toMatch(/lbfgs failed to converge/);
  });

  it('checks its arguments with the house message', () => {
    expect(() => new LogisticRegression({ C: -1 })).toThrow(/^Expected a finite number > 0 for C but received -1$/);
    expect(() => new LogisticRegression({ multiClass: 'x' as never })).toThrow(RangeError);
    expect(() => new LogisticRegression({ classWeight: 'even' as never })).toThrow(RangeError);
    expect(() => new LogisticRegression({ classWeight: 3 as never })).toThrow(TypeError);
    expect(() => new LogisticRegression({ fitIntercept: 1 as never })).toThrow(TypeError);
    const lr = new LogisticRegression();
    expect(() => lr.predict(binX)).toThrow(/not fitted yet: call fit\(\) before using it/);
    expect(() => lr.fit(binX, binY.slice(1))).toThrow(/^Expected 60 labels \(one per row of X\) for y but received Array\(59\)$/);
    expect(() => lr.fit([[1, NaN], [2, 3]], [0, 1])).toThrow(/^Expected a finite number \(no NaN or infinity\) for X\[0\]\[1\] but received NaN$/);
    expect(() => lr.fit([[1], [2, 3]], [0, 1])).toThrow(RangeError);
    expect(() => lr.fit(binX, binY.map((v, i) => (i === 0 ? 'a' : v)) as never)).toThrow(TypeError);
    expect(() => lr.fit([[0], [1], [2]], [0.5, 1.5, 0.5])).toThrow(/continuous/);
    expect(() => lr.fit(binX, binY, { sampleWeight: [1] })).toThrow(RangeError);
    expect(() => lr.fit(binX, binY, { sampleWeight: binY.map(() => -1) })).toThrow(RangeError);
    expect(() => new LogisticRegression({ classWeight: { '0': 2, '7': 1 } }).fit(binX, binY)).toThrow(/7 is not a class/);
    lr.fit(binX, binY);
    expect(() => lr.predict([[1, 2, 3]])).toThrow(/2 features/);
  });
});

describe('KMeans', () => {
  it('finds planted clusters exactly, up to naming, and is deterministic for a seed', () => {
    const { X, y } = blobs(3, 4, 25, 3);
    const a = new KMeans({ nClusters: 4, randomState: 7 }).fit(X);
    const b = new KMeans({ nClusters: 4, randomState: 7 }).fit(X);
    expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
    expect(a.inertia).toBe(b.inertia);
    const map = new Map<number, number>();
    a.labels.forEach((l, i) => {
      if (!map.has(l)) map.set(l, y[i]!);
      expect(map.get(l)).toBe(y[i]);
    });
    expect(new Set(map.values()).size).toBe(4);
    expect(a.clusterCenters.shape).toEqual([4, 3]);
    expect(a.nFeaturesIn).toBe(3);
  });

  it('the best of nInit runs is never worse than its first run alone', () => {
    const r = rng(11);
    const X = Array.from({ length: 120 }, () => [r.normal(), r.normal(), r.normal()]);
    for (const seed of [0, 1, 2, 3, 4]) {
      const many = new KMeans({ nClusters: 6, randomState: seed, nInit: 10 }).fit(X);
      const one = new KMeans({ nClusters: 6, randomState: seed, nInit: 1 }).fit(X);
      expect(many.inertia).toBeLessThanOrEqual(one.inertia);
    }
  });

  it('inertia is the weighted sum of squared distances to the assigned centers; predict, transform and score agree', () => {
    const { X } = blobs(4, 3, 20, 2, 1, 4);
    const w = X.map((_, i) => 0.5 + (i % 3));
    const km = new KMeans({ nClusters: 3, randomState: 1 }).fit(X, { sampleWeight: w });
    const c = km.clusterCenters.data;
    let inertia = 0;
    X.forEach((row, i) => {
      const l = km.labels[i]!;
      inertia += w[i]! * ((row[0]! - c[l * 2]!) ** 2 + (row[1]! - c[l * 2 + 1]!) ** 2);
    });
    expect(km.inertia).toBeCloseTo(inertia, 9);
    expect(Array.from(km.predict(X))).toEqual(Array.from(km.labels));
    expect(km.score(X, { sampleWeight: w })).toBeCloseTo(-km.inertia, 9);
    const t = km.transform(X);
    expect(t.shape).toEqual([60, 3]);
    expect(t.data[0]).toBeCloseTo(Math.hypot(X[0]![0]! - c[0]!, X[0]![1]! - c[1]!), 12);
    expect(Array.from(km.fitPredict(X, { sampleWeight: w }))).toEqual(Array.from(km.labels));
  });

  it('init: random, an explicit matrix (one run), nInit auto', () => {
    const { X } = blobs(8, 3, 15, 2);
    const r = new KMeans({ nClusters: 3, init: 'random', randomState: 2 }).fit(X);
    const k = new KMeans({ nClusters: 3, randomState: 2 }).fit(X);
    expect(r.inertia).toBeCloseTo(k.inertia, 9);
    const init = [X[0]!, X[15]!, X[30]!];
    const m = new KMeans({ nClusters: 3, init, nInit: 5 });
    expect(m.nInit).toBe(1);
    m.fit(X);
    expect(m.labels[0]).toBe(0);
    expect(m.labels[15]).toBe(1);
    expect(m.labels[30]).toBe(2);
    expect(new KMeans({ nInit: 'auto' }).nInit).toBe(1);
    expect(new KMeans({ nInit: 'auto', init: 'random' }).nInit).toBe(10);
  });

  it('more clusters than samples is a RangeError; duplicates warn with AUDIOMILL_CONVERGENCE', () => {
    expect(() => new KMeans({ nClusters: 5 }).fit([[0], [1]])).toThrow(/^Expected at most as many clusters as samples \(2\) for nClusters but received 5$/);
    const seen = captureWarnings();
    const km = new KMeans({ nClusters: 3, randomState: 0 }).fit([[0, 0], [0, 0], [0, 0], [1, 1], [1, 1]]);
    expect(km.inertia).toBe(0);
    expect(seen.map((s) => s.code)).toEqual(['AUDIOMILL_CONVERGENCE']);
    expect(seen[0]!.message).toMatch(/Number of distinct clusters \(2\) found smaller than n_clusters \(3\)/);
  });

  it('checks its arguments', () => {
    expect(() => new KMeans({ nClusters: 0 })).toThrow(RangeError);
    expect(() => new KMeans({ init: 'best' as never })).toThrow(RangeError);
    expect(() => new KMeans({ randomState: -1 })).toThrow(RangeError);
    expect(() => new KMeans({ randomState: 2 ** 32 })).toThrow(RangeError);
    expect(() => new KMeans({ tol: -1 })).toThrow(RangeError);
    expect(() => new KMeans({ nClusters: 2, init: [[0, 0]] })).toThrow(/2 initial centers/);
    expect(() => new KMeans({ nClusters: 1 }).fit([[0, Infinity]])).toThrow(RangeError);
    expect(() => new KMeans({ nClusters: 1 }).fit([[0], [1]], { sampleWeight: [1, NaN] })).toThrow(RangeError);
    expect(() => new KMeans().predict([[0]])).toThrow(/not fitted yet: call fit\(\) before using it/);
    expect(() => new KMeans({ nClusters: 1 }).fit('x' as never)).toThrow(TypeError);
  });
});

describe('silhouette', () => {
  it('matches the definition on a hand-computed example', () => {
    // 1-D points 0, 1 (cluster a) and 4, 6 (cluster b).
    const X = [[0], [1], [4], [6]];
    const s = silhouetteSamples(X, ['a', 'a', 'b', 'b']);
    const expected = [
      (5 - 1) / 5, // a = 1, b = (4 + 6) / 2
      (4 - 1) / 4, // a = 1, b = (3 + 5) / 2
      (3.5 - 2) / 3.5, // a = 2, b = (4 + 3) / 2
      (5.5 - 2) / 5.5, // a = 2, b = (6 + 5) / 2
    ];
    expected.forEach((v, i) => expect(s[i]).toBeCloseTo(v, 15));
    expect(silhouetteScore(X, ['a', 'a', 'b', 'b'])).toBeCloseTo(expected.reduce((p, q) => p + q) / 4, 15);
  });

  it('a sample alone in its cluster scores 0; precomputed distances equal the Euclidean metric', () => {
    const X = [[0, 0], [0, 1], [5, 5], [9, 9], [9, 8]];
    const labels = [0, 0, 1, 2, 2];
    const s = silhouetteSamples(X, labels);
    expect(s[2]).toBe(0);
    const D = X.map((a) => X.map((b) => Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!)));
    const p = silhouetteSamples(D, labels, { metric: 'precomputed' });
    s.forEach((v, i) => expect(p[i]).toBeCloseTo(v, 14));
  });

  it('cosine ignores the scale of each sample', () => {
    const X = [[1, 0], [2, 0.1], [0, 1], [0.1, 3], [1, 1]];
    const scaled = X.map((r, i) => r.map((v) => v * (i + 1)));
    const a = silhouetteSamples(X, [0, 0, 1, 1, 1], { metric: 'cosine' });
    const b = silhouetteSamples(scaled, [0, 0, 1, 1, 1], { metric: 'cosine' });
    a.forEach((v, i) => expect(b[i]).toBeCloseTo(v, 13));
  });

  it('one cluster or one cluster per sample is UNDEFINED_METRIC; bad input is a RangeError', () => {
    expectCode(() => silhouetteScore([[0], [1], [2]], [1, 1, 1]), 'UNDEFINED_METRIC');
    expectCode(() => silhouetteScore([[0], [1], [2]], [1, 2, 3]), 'UNDEFINED_METRIC');
    expect(() => silhouetteScore([[0], [NaN], [2]], [1, 1, 2])).toThrow(RangeError);
    expect(() => silhouetteScore([[0], [1], [2]], [1, 1])).toThrow(/^Expected 3 labels \(one per row of X\) for labels but received Array\(2\)$/);
    expect(() => silhouetteScore([[0, 1], [1, 0], [1, 1]], [1, 1, 2], { metric: 'precomputed' })).toThrow(RangeError);
    expect(() => silhouetteScore([[0], [1]], [0, 1], { metric: 'manhattan' as never })).toThrow(RangeError);
    expect(() => silhouetteScore([[0], [1], [2]], [0, NaN, 1])).toThrow(RangeError);
  });

  it('labels sort like numpy.unique', () => {
    expect(readLabels([10, 2, -1, 2], 'y').classes).toEqual([-1, 2, 10]);
    expect(readLabels(['b', 'B', 'a'], 'y').classes).toEqual(['B', 'a', 'b']);
    expect(readLabels([true, false], 'y').classes).toEqual([false, true]);
    expect(Array.from(readLabels(Int8Array.from([3, 1, 3]), 'y').codes)).toEqual([1, 0, 1]);
  });

  it('labels: any number but NaN, one kind per array, the length checked first', () => {
    expect(readLabels([Infinity, 2, -Infinity, 2], 'y')).toEqual({ classes: [-Infinity, 2, Infinity], codes: Int32Array.of(2, 1, 0, 1), counts: Int32Array.of(1, 2, 1) });
    expect(readLabels([0.5, 0.25, 0.5], 'y').classes).toEqual([0.25, 0.5]);
    expect(() => readLabels([1, NaN], 'y')).toThrow(new RangeError('Expected a label that is not NaN for y[1] but received NaN'));
    expect(() => readLabels([1, true], 'y')).toThrow(new TypeError('Expected values of one kind (y[0] is a number) for y[1] but received true'));
    expect(() => readLabels(['a', 1], 'labels')).toThrow(TypeError);
    expect(() => readLabels([1, null], 'y', 3)).toThrow(/^Expected 3 labels \(one per row of X\) for y but received Array\(2\)$/);
    expect(() => readLabels([1, null], 'y', 2)).toThrow(/^Expected a label \(a number, a string or a boolean\) for y\[1\] but received null$/);
    expect(() => readLabels('ab', 'y')).toThrow(TypeError);
    expect(readLabels([], 'y', 0).classes).toEqual([]);
    // Silhouette with string and boolean clusters equals the numeric encoding.
    const X = [[0], [0.1], [5], [5.2], [0.2]];
    const a = silhouetteSamples(X, [0, 0, 1, 1, 0]);
    expect(silhouetteSamples(X, ['x', 'x', 'y', 'y', 'x'])).toEqual(a);
    expect(silhouetteSamples(X, [false, false, true, true, false])).toEqual(a);
    expect(() => silhouetteScore(X, [0, 0, true, true, 0] as never)).toThrow(TypeError);
  });
});

describe('linkage, leavesList, correlationOrder', () => {
  it('average linkage of four points on a line', () => {
    // 0, 1 merge at 1; 10, 12 at 2; then the two pairs at the mean of the 4 cross distances (10.5).
    const Z = linkage([[0], [1], [10], [12]], { method: 'average' });
    expect(Z.shape).toEqual([3, 4]);
    expect(Array.from(Z.data)).toEqual([0, 1, 1, 2, 2, 3, 2, 2, 4, 5, 10.5, 4]);
    expect(Array.from(leavesList(Z))).toEqual([0, 1, 2, 3]);
  });

  it('a condensed distance matrix gives the same tree as the observations', () => {
    const r = rng(2);
    const X = Array.from({ length: 9 }, () => [r.normal(), r.normal()]);
    const y: number[] = [];
    for (let i = 0; i < 9; i++) for (let j = i + 1; j < 9; j++) y.push(Math.hypot(X[i]![0]! - X[j]![0]!, X[i]![1]! - X[j]![1]!));
    for (const method of ['single', 'complete', 'average', 'weighted', 'ward'] as const) {
      const a = linkage(X, { method });
      const b = linkage(Float64Array.from(y), { method });
      Array.from(a.data).forEach((v, i) => expect(b.data[i]).toBeCloseTo(v, 13));
    }
  });

  it('merge heights never decrease, and every observation appears once in the leaves', () => {
    const r = rng(3);
    const X = Array.from({ length: 30 }, () => [r.normal(), r.normal(), r.normal()]);
    const Z = linkage(X, { method: 'average' });
    for (let i = 1; i < 29; i++) expect(Z.data[i * 4 + 2]).toBeGreaterThanOrEqual(Z.data[(i - 1) * 4 + 2]!);
    expect(Z.data[28 * 4 + 3]).toBe(30);
    expect([...leavesList(Z)].sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i));
  });

  it('correlationOrder puts correlated variables together, quietly', () => {
    const seen = captureWarnings();
    // Variables 0 and 2 correlate, as do 1 and 3.
    const corr = [
      [1, 0.1, 0.9, 0.0],
      [0.1, 1, 0.05, 0.8],
      [0.9, 0.05, 1, 0.1],
      [0.0, 0.8, 0.1, 1],
    ];
    const order = Array.from(correlationOrder(corr));
    const pos = (v: number) => order.indexOf(v);
    expect(Math.abs(pos(0) - pos(2))).toBe(1);
    expect(Math.abs(pos(1) - pos(3))).toBe(1);
    expect(Array.from(correlationOrder(corr, { asDistanceMatrix: true })).length).toBe(4);
    expect(seen).toEqual([]);
    // linkage itself warns for the same square matrix, like SciPy.
    linkage(corr.map((r) => r.map((v) => 1 - v)), { method: 'average' });
    expect(seen.map((s) => s.code)).toEqual(['AUDIOMILL_CLUSTER_WARNING']);
  });

  it('checks its arguments', () => {
    captureWarnings();
    expect(() => linkage([[1, 2]])).toThrow(/^Expected at least 2 observations for y/);
    expect(() => linkage([1, 2])).toThrow(/n\(n - 1\)\/2/);
    expect(() => linkage([])).toThrow(RangeError);
    expect(() => linkage([1, NaN, 2])).toThrow(/finite distances/);
    expect(() => linkage([[0, 0], [0, 0]], { metric: 'cosine' })).toThrow(RangeError);
    expect(() => linkage([[0], [1]], { method: 'ward', metric: 'cityblock' })).toThrow(RangeError);
    expect(() => linkage([[0], [1]], { method: 'centroid' as never })).toThrow(RangeError);
    expect(() => leavesList([[0, 1, 1, 2], [0, 2, 2, 2]])).toThrow(/valid linkage/);
    expect(() => leavesList([[0, 1, 1]])).toThrow(/4 columns/);
    expect(() => correlationOrder([[1, NaN], [NaN, 1]])).toThrow(/constant variable/);
    expect(() => correlationOrder([[1, 0.5]])).toThrow(/square/);
    expect(() => correlationOrder([[1]])).toThrow(/at least 2 variables/);
    expect(() => correlationOrder([[1, 0], [0, 1]], { asDistanceMatrix: 'yes' as never })).toThrow(TypeError);
  });
});

describe('StandardScaler on values near the largest float64', () => {
  const col = (X: number[][], j = 0) => X.map((r) => r[j]!);

  it('±1e308: mean 0, scale 1e308 (var overflows to Infinity), transform ±1, inverse exact', () => {
    const seen = captureWarnings();
    const X = [[1e308], [-1e308], [1e308], [-1e308]];
    const s = new StandardScaler().fit(X);
    expect(Array.from(s.mean!)).toEqual([0]);
    expect(Array.from(s.scale!)).toEqual([1e308]);
    expect(Array.from(s.var!)).toEqual([Infinity]);
    const z = s.transform(X);
    expect(Array.from(z.data)).toEqual([1, -1, 1, -1]);
    expect(Array.from(s.inverseTransform(z).data)).toEqual(col(X));
    // In an order whose running sum overflows (the mean was NaN before), and next to an ordinary column.
    const Y = [[1e308, 1], [1e308, 2], [-1e308, 3], [-1e308, NaN]];
    const t = new StandardScaler().fit(Y);
    expect(Array.from(t.mean!)).toEqual([0, 2]);
    expect(Array.from(t.transform(Y).data)).toEqual([1, -1.224744871391589, 1, 0, -1, 1.224744871391589, -1, NaN]);
    const ordinary = new StandardScaler().fit(Y.map((r) => [r[1]!]));
    expect([t.mean![1], t.var![1], t.scale![1]]).toEqual([ordinary.mean![0], ordinary.var![0], ordinary.scale![0]]);
    expect(seen).toEqual([]);
  });

  it('equals the fit of the same data scaled by a power of two, scaled back (also withMean: false, weights)', () => {
    const big = [[1.7e308, 3], [-1.7e308, 4], [-1.7e308, 5], [-1.7e308, 3.5], [Number.MAX_VALUE, 1]];
    const k = 2 ** 1000;
    const small = big.map((r) => [r[0]! / k, r[1]!]);
    const w = [1, 2, 0.5, 3, 1];
    for (const [options, fitOptions] of [[{}, {}], [{ withMean: false }, {}], [{}, { sampleWeight: w }]] as const) {
      const a = new StandardScaler(options).fit(big, undefined, fitOptions);
      const b = new StandardScaler(options).fit(small, undefined, fitOptions);
      expect(a.mean![0]).toBe(b.mean![0]! * k);
      expect(a.scale![0]).toBe(b.scale![0]! * k);
      expect(a.var![0]).toBe(Infinity);
      expect([a.mean![1], a.var![1], a.scale![1]]).toEqual([b.mean![1], b.var![1], b.scale![1]]);
      // transform: (x - mean) overflows for 1.7e308 - (-mean), yet the result is finite and that of the scaled data.
      const za = a.transform(big).data;
      const zb = b.transform(small).data;
      expect(Array.from(za)).toEqual(Array.from(zb));
      expect(za.every(Number.isFinite)).toBe(true);
    }
    // A constant column of 1e308 (its sum overflows): mean 1e308, variance 0, scale 1, transform 0.
    const c = new StandardScaler().fit([[1e308], [1e308], [1e308]]);
    expect([c.mean![0], c.var![0], c.scale![0]]).toEqual([1e308, 0, 1]);
    expect(Array.from(c.transform([[1e308], [1e308]]).data)).toEqual([0, 0]);
    // withStd: false, withMean: true: only the mean needs rescaling.
    const m = new StandardScaler({ withStd: false }).fit([[1e308], [1e308], [5e307]]);
    expect(m.mean![0]).toBe(new StandardScaler({ withStd: false }).fit([[1e308 / k], [1e308 / k], [5e307 / k]]).mean![0]! * k);
  });

  it('a standard deviation or mean beyond the largest float64 is a RangeError naming the feature, never NaN', () => {
    // Only negative sample weights can push them past the largest |value| (Popoviciu: std <= (max - min) / 2).
    const X = [[1, 1.5e308], [2, -1.5e308], [3, 0]];
    expect(() => new StandardScaler().fit(X, undefined, { sampleWeight: [1, 1, -1] })).toThrow(
      new RangeError(
        'Expected a feature whose standard deviation fits in a float64 (at most 1.7976931348623157e+308; rescale it) for X (feature 1) ' +
          'but received "a standard deviation of about 2.12e+308"',
      ),
    );
    expect(() => new StandardScaler().fit([[1e308], [0]], undefined, { sampleWeight: [1, -0.5] })).toThrow(
      /^Expected a feature whose mean fits in a float64 \(rescale it\) for X \(feature 0\) but received "a mean of about 2.00e\+308"$/,
    );
    expect(() => new StandardScaler({ withStd: false }).fit([[1e308], [0]], undefined, { sampleWeight: [1, -0.5] })).toThrow(/mean fits in a float64/);
  });
});
