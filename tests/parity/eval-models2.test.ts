// LogisticRegression, KMeans, silhouette and hierarchical clustering against scikit-learn 1.2.1 / SciPy 1.10.1, on
// the golden fixtures of tests/parity/make_eval_models2_fixtures.py (tests/parity/fixtures/eval/models2.json).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AudiomillError } from '../../src/errors.js';
import { correlationOrder, leavesList, linkage, silhouetteSamples, silhouetteScore } from '../../src/eval/models/cluster.js';
import { KMeans } from '../../src/eval/models/kmeans.js';
import { LogisticRegression, type LogisticRegressionOptions } from '../../src/eval/models/logistic.js';
import { decodeNonFinite } from '../helpers/fixtures.js';

type Num = number | 'nan' | 'inf' | '-inf';
type Warn = { category: string; message: string };
const fixture = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'eval', 'models2.json'), 'utf8'));
const decode = (v: Num): number => decodeNonFinite(v) as number;
const matrix = (rows: Num[][]): number[][] => rows.map((r) => r.map(decode));

/** |a - e| <= max(abs, rel·|e|). */
function close(actual: number, expected: number, rel: number, abs: number, what: string): void {
  const bound = Math.max(abs, rel * Math.abs(expected));
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(bound);
}

function captureWarnings(): { codes: string[]; messages: string[] } {
  const seen = { codes: [] as string[], messages: [] as string[] };
  vi.spyOn(process, 'emitWarning').mockImplementation(((message: string | Error, opts?: { code?: string }) => {
    seen.messages.push(String(message));
    seen.codes.push(opts?.code ?? '');
  }) as typeof process.emitWarning);
  return seen;
}

afterEach(() => vi.restoreAllMocks());

it('the fixtures come from the reference versions', () => {
  expect(fixture.versions.sklearn).toBe('1.2.1');
  expect(fixture.versions.scipy).toBe('1.10.1');
  expect(fixture.versions.numpy).toMatch(/^1\.24\./);
});

describe('LogisticRegression equals scikit-learn 1.2 (lbfgs)', () => {
  const tol = fixture.tolerances;
  it.each(fixture.logistic.map((c: { name: string }) => [c.name, c]))('%s', (_name, c) => {
    const data = fixture.datasets[c.data];
    const o = c.options;
    const options: LogisticRegressionOptions = { tol: o.tol, maxIter: o.maxIter };
    if (o.C !== undefined) options.C = o.C;
    if (o.fitIntercept !== undefined) options.fitIntercept = o.fitIntercept;
    if (o.multiClass !== undefined) options.multiClass = o.multiClass;
    if (o.penalty !== undefined) options.penalty = o.penalty;
    if (o.classWeight !== undefined) options.classWeight = o.classWeight;
    const seen = captureWarnings();
    const lr = new LogisticRegression(options).fit(matrix(data.X), data.y, c.sampleWeight ? { sampleWeight: c.sampleWeight } : {});
    expect(seen.codes).toEqual([]);
    const e = c.expected;
    expect(lr.classes).toEqual(e.classes);
    expect(lr.coef.shape).toEqual([e.coef.length, e.coef[0].length]);
    const d = e.coef[0].length;
    e.coef.forEach((row: number[], r: number) =>
      row.forEach((v, j) => close(lr.coef.data[r * d + j]!, v, 0, tol.logisticCoef.abs, `coef[${r}][${j}]`)),
    );
    e.intercept.forEach((v: number, r: number) => close(lr.intercept[r]!, v, 0, tol.logisticCoef.abs, `intercept[${r}]`));
    // The same L-BFGS-B path: the same number of iterations per problem.
    expect(Array.from(lr.nIter)).toEqual(e.nIter);
    const Xt = matrix(c.Xtest);
    const dec = lr.decisionFunction(Xt);
    const decFlat = dec instanceof Float64Array ? dec : dec.data;
    (e.decision as (number | number[])[]).flat().forEach((v, i) => close(decFlat[i]!, v, tol.logisticProba.abs, tol.logisticProba.abs, `decision[${i}]`));
    const proba = lr.predictProba(Xt);
    (e.proba as number[][]).flat().forEach((v, i) => close(proba.data[i]!, v, 0, tol.logisticProba.abs, `proba[${i}]`));
    expect(lr.predict(Xt)).toEqual(e.predict);
  });

  it('reaches scikit-learn\'s stopping point, not the exact optimum (L-BFGS-B\'s ftol stops first)', () => {
    // The fixture records the Newton-polished optimum: scikit-learn 1.2 stops 1e-6 .. 1e-4 away from it even at
    // tol=1e-10, and so does LogisticRegression, by the same distance.
    for (const c of fixture.logistic) {
      const data = fixture.datasets[c.data];
      const o = c.options;
      const lr = new LogisticRegression({ ...o, penalty: o.penalty === undefined ? 'l2' : o.penalty }).fit(matrix(data.X), data.y, c.sampleWeight ? { sampleWeight: c.sampleWeight } : {});
      let gap = 0;
      (c.expected.newtonCoef as number[][]).forEach((row, r) => row.forEach((v, j) => (gap = Math.max(gap, Math.abs(lr.coef.data[r * row.length + j]! - v)))));
      (c.expected.newtonIntercept as number[]).forEach((v, r) => (gap = Math.max(gap, Math.abs(lr.intercept[r]! - v))));
      close(gap, c.expected.sklearnVsNewton, 0, 1e-9, `${c.name}: distance to the exact optimum`);
    }
  });
});

describe('KMeans equals scikit-learn 1.2 for the same randomState', () => {
  const tol = fixture.tolerances;
  it.each(fixture.kmeans.map((c: { name: string }) => [c.name, c]))('%s', (_name, c) => {
    const o = c.options;
    const seen = captureWarnings();
    const km = new KMeans({ nClusters: o.nClusters, randomState: o.randomState, nInit: o.nInit, init: o.init, maxIter: o.maxIter, tol: o.tol });
    km.fit(matrix(c.X), c.sampleWeight ? { sampleWeight: c.sampleWeight } : {});
    expect(seen.messages).toEqual(c.expected.warnings.map((w: Warn) => w.message));
    // The same seeding draws and Lloyd steps: the very same labels (not only the same partition).
    expect(Array.from(km.labels)).toEqual(c.expected.labels);
    expect(km.nIter).toBe(c.expected.nIter);
    close(km.inertia, c.expected.inertia, tol.kmeansInertia.rel, 1e-12, 'inertia');
    const d = c.expected.centers[0].length;
    (c.expected.centers as number[][]).forEach((row, r) =>
      row.forEach((v, j) => close(km.clusterCenters.data[r * d + j]!, v, tol.kmeansCenters.rel, tol.kmeansCenters.abs, `center[${r}][${j}]`)),
    );
    const Xp = matrix(c.X).slice(0, 12).map((row) => row.map((v) => v + 0.1));
    expect(Array.from(km.predict(Xp))).toEqual(c.expected.predict);
    close(km.score(matrix(c.X)), c.expected.score, tol.kmeansInertia.rel, 1e-12, 'score');
    if (c.planted) {
      // Planted, well-separated clusters are found exactly, up to the naming of the clusters.
      const map = new Map<number, number>();
      km.labels.forEach((l, i) => {
        if (!map.has(l)) map.set(l, c.planted[i]);
        expect(map.get(l)).toBe(c.planted[i]);
      });
      expect(new Set(map.values()).size).toBe(o.nClusters);
    }
  });
});

describe('silhouetteSamples / silhouetteScore equal scikit-learn 1.2', () => {
  const { rel, abs } = fixture.tolerances.silhouette;
  it.each(fixture.silhouette.map((c: { name: string }) => [c.name, c]))('%s', (_name, c) => {
    const X = matrix(c.X);
    const s = silhouetteSamples(X, c.labels, { metric: c.metric });
    expect(s.length).toBe(c.expected.samples.length);
    (c.expected.samples as number[]).forEach((v, i) => close(s[i]!, v, rel, abs, `sample ${i}`));
    close(silhouetteScore(X, c.labels, { metric: c.metric }), c.expected.score, rel, abs, 'score');
  });
});

describe('linkage / leavesList equal SciPy 1.10', () => {
  const { rel, abs } = fixture.tolerances.linkageDistance;
  it.each(fixture.linkage.map((c: { name: string }) => [c.name, c]))('%s', (_name, c) => {
    const seen = captureWarnings();
    const input = c.X ? matrix(c.X) : (c.y as number[]);
    const Z = linkage(input, c.X ? { method: c.method, metric: c.metric } : { method: c.method });
    expect(seen.codes).toEqual(c.expected.warnings.map(() => 'AUDIOMILL_CLUSTER_WARNING'));
    expect(Z.shape).toEqual([c.expected.Z.length, 4]);
    (c.expected.Z as number[][]).forEach((row, r) => {
      expect([Z.data[r * 4], Z.data[r * 4 + 1], Z.data[r * 4 + 3]], `row ${r}`).toEqual([row[0], row[1], row[3]]);
      close(Z.data[r * 4 + 2]!, row[2]!, rel, abs, `distance of row ${r}`);
    });
    expect(Array.from(leavesList(Z))).toEqual(c.expected.leaves);
    expect(Array.from(leavesList(c.expected.Z))).toEqual(c.expected.leaves);
  });

  it.each(fixture.correlationOrder.map((c: { name: string }) => [c.name, c]))('correlationOrder: %s', (_name, c) => {
    const seen = captureWarnings();
    expect(Array.from(correlationOrder(matrix(c.corr)))).toEqual(c.expected.leaves);
    expect(Array.from(correlationOrder(matrix(c.corr), { asDistanceMatrix: true }))).toEqual(c.expected.condensedLeaves);
    // The piano audit's call makes SciPy warn that 1 - corr looks like a distance matrix; correlationOrder reads it
    // the same way on purpose and stays quiet.
    expect(c.expected.warnings.map((w: Warn) => w.category)).toEqual(['ClusterWarning']);
    expect(seen.codes).toEqual([]);
  });
});

describe('edge cases: the reference raises or warns, audiomill throws or warns the documented way', () => {
  const byName = new Map<string, { args: Record<string, unknown>; outcome: { raises?: string; message?: string; warns?: Warn[]; value?: unknown } }>(
    fixture.errors.map((e: { name: string }) => [e.name, e]),
  );
  const get = (name: string) => {
    const e = byName.get(name);
    if (!e) throw new Error(`no fixture ${name}`);
    return { ...e, X: e.args.X ? matrix(e.args.X as Num[][]) : undefined };
  };
  const undefinedMetric = (fn: () => unknown, message: string) => {
    let err: unknown;
    try {
      fn();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AudiomillError);
    expect((err as AudiomillError).code).toBe('UNDEFINED_METRIC');
    expect((err as AudiomillError).message).toContain(message);
  };

  it('one class in y: UNDEFINED_METRIC (scikit-learn: ValueError)', () => {
    const e = get('logistic_single_class');
    expect(e.outcome.raises).toBe('ValueError');
    undefinedMetric(() => new LogisticRegression().fit(e.X!, e.args.y as number[]), e.outcome.message!);
  });

  it.each([
    ['logistic_nan', (e: ReturnType<typeof get>) => new LogisticRegression().fit(e.X!, e.args.y as number[])],
    ['logistic_inf', (e: ReturnType<typeof get>) => new LogisticRegression().fit(e.X!, e.args.y as number[])],
    ['logistic_mismatched', (e: ReturnType<typeof get>) => new LogisticRegression().fit(e.X!, e.args.y as number[])],
    ['logistic_continuous_y', (e: ReturnType<typeof get>) => new LogisticRegression().fit(e.X!, e.args.y as number[])],
    [
      'logistic_class_weight_unknown',
      (e: ReturnType<typeof get>) => new LogisticRegression({ classWeight: e.args.classWeight as Record<string, number> }).fit(e.X!, e.args.y as number[]),
    ],
    ['logistic_bad_C', () => new LogisticRegression({ C: 0 })],
    ['kmeans_more_clusters_than_samples', (e: ReturnType<typeof get>) => new KMeans({ nClusters: 7, randomState: 0 }).fit(e.X!)],
    ['kmeans_nan', (e: ReturnType<typeof get>) => new KMeans({ nClusters: 2, randomState: 0 }).fit(e.X!)],
    ['kmeans_mismatched_weights', (e: ReturnType<typeof get>) => new KMeans({ nClusters: 2, randomState: 0 }).fit(e.X!, { sampleWeight: [1, 1, 1] })],
    ['silhouette_nan', (e: ReturnType<typeof get>) => silhouetteScore(e.X!, e.args.labels as number[])],
    ['silhouette_mismatched', (e: ReturnType<typeof get>) => silhouetteScore(e.X!, e.args.labels as number[])],
    ['silhouette_precomputed_diagonal', (e: ReturnType<typeof get>) => silhouetteScore(e.X!, e.args.labels as number[], { metric: 'precomputed' })],
    ['linkage_one_observation', (e: ReturnType<typeof get>) => linkage(e.X!, { method: 'average' })],
    ['linkage_nan', (e: ReturnType<typeof get>) => linkage(e.X!, { method: 'average' })],
    ['linkage_bad_condensed_length', (e: ReturnType<typeof get>) => linkage(e.args.y as number[], { method: 'average' })],
    ['linkage_empty_condensed', (e: ReturnType<typeof get>) => linkage(e.args.y as number[], { method: 'average' })],
    ['linkage_ward_cosine', (e: ReturnType<typeof get>) => linkage(e.X!, { method: 'ward', metric: 'cosine' })],
    ['correlation_order_constant_dimension', (e: ReturnType<typeof get>) => correlationOrder(matrix(e.args.corr as Num[][]))],
  ] as const)('%s: the reference raises; RangeError here', (name, fn) => {
    const e = get(name);
    expect(e.outcome.raises).toMatch(/ValueError|InvalidParameterError/);
    expect(() => fn(e)).toThrow(RangeError);
    expect(() => fn(e)).toThrow(/^Expected .+ for .+ but received /);
  });

  it('one cluster, or every sample its own cluster: UNDEFINED_METRIC for the silhouette', () => {
    for (const name of ['silhouette_one_cluster', 'silhouette_every_sample_its_own']) {
      const e = get(name);
      expect(e.outcome.raises).toBe('ValueError');
      undefinedMetric(() => silhouetteScore(e.X!, e.args.labels as number[]), e.outcome.message!);
    }
  });

  it('maxIter reached: the coefficients so far and a convergence warning', () => {
    const e = get('logistic_max_iter_reached');
    expect(e.outcome.warns!.map((w) => w.category)).toEqual(['ConvergenceWarning']);
    expect(e.outcome.warns![0]!.message).toContain('STOP: TOTAL NO. of ITERATIONS REACHED LIMIT');
    const seen = captureWarnings();
    const lr = new LogisticRegression({ maxIter: e.args.maxIter as number }).fit(e.X!, e.args.y as number[]);
    expect(Array.from(lr.nIter)).toEqual(e.outcome.value);
    expect(seen.codes).toEqual(['AUDIOMILL_CONVERGENCE']);
    expect(seen.messages[0]).toContain('STOP: TOTAL NO. of ITERATIONS REACHED LIMIT');
  });

  it('duplicate points: fewer distinct clusters than asked, the same labels and a convergence warning', () => {
    const e = get('kmeans_duplicates');
    const seen = captureWarnings();
    const km = new KMeans({ nClusters: 3, randomState: e.args.randomState as number }).fit(e.X!);
    const value = e.outcome.value as { labels: number[]; inertia: number };
    expect(Array.from(km.labels)).toEqual(value.labels);
    expect(km.inertia).toBe(value.inertia);
    expect(seen.codes).toEqual(['AUDIOMILL_CONVERGENCE']);
    expect(seen.messages).toEqual(e.outcome.warns!.map((w) => w.message));
  });

  it('a square distance matrix given as observations: SciPy\'s result and its ClusterWarning', () => {
    const e = get('linkage_square_distance_warning');
    const seen = captureWarnings();
    const Z = linkage(e.X!, { method: 'average' });
    expect(e.outcome.warns!.map((w) => w.category)).toEqual(['ClusterWarning']);
    expect(seen.codes).toEqual(['AUDIOMILL_CLUSTER_WARNING']);
    expect(seen.messages[0]).toContain(e.outcome.warns![0]!.message);
    (e.outcome.value as number[][]).forEach((row, r) => {
      expect([Z.data[r * 4], Z.data[r * 4 + 1], Z.data[r * 4 + 3]]).toEqual([row[0], row[1], row[3]]);
      close(Z.data[r * 4 + 2]!, row[2]!, 1e-9, 1e-12, `row ${r}`);
    });
  });

  it('every recorded edge case is exercised above', () => {
    expect(byName.size).toBe(24);
  });
});
