// StandardScaler, Ridge, RidgeCV, PCA (+ parallel analysis) and CCA against scikit-learn 1.2.1, from the golden
// fixtures of tests/parity/make_eval_linear_fixtures.py (fixtures/eval/linear.json): fitted attributes, outputs,
// warnings (whether scikit-learn warned), and the calls it refuses.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Matrix } from '../../src/eval/inputs.js';
import { CONVERGENCE, UNDEFINED_METRIC } from '../../src/eval/warnings.js';
import { CCA } from '../../src/eval/models/cca.js';
import { PCA, parallelAnalysis } from '../../src/eval/models/pca.js';
import { Ridge, RidgeCV } from '../../src/eval/models/ridge.js';
import { StandardScaler } from '../../src/eval/models/scaler.js';
import { decodeNonFinite } from '../helpers/fixtures.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Any = any;

const decode = (v: Json): Any => decodeNonFinite(v);

const fixture = decode(JSON.parse(readFileSync(join(__dirname, 'fixtures', 'eval', 'linear.json'), 'utf8')));
const cases = (section: string): [string, Any][] => fixture[section].map((c: Any) => [c.name, c]);

interface Tol {
  rel: number;
  abs: number;
}
const DEFAULT: Tol = { rel: 1e-9, abs: 1e-12 };
const CCA_TOL: Tol = { rel: 1e-8, abs: 1e-10 };

/** Largest relative difference seen per quantity (reported at the end, for the record). */
const worst = new Map<string, number>();

function flat(x: Any): number[] {
  if (x === null || x === undefined) return [];
  if (typeof x === 'number') return [x];
  if (ArrayBuffer.isView(x)) return Array.from(x as Float64Array);
  if (Array.isArray(x)) return x.flatMap(flat);
  if (typeof x === 'object' && 'data' in x) return Array.from((x as Matrix).data);
  throw new Error(`cannot flatten ${String(x)}`);
}

function shapeOf(x: Any): number[] {
  if (typeof x === 'number') return [];
  if (ArrayBuffer.isView(x)) return [(x as Float64Array).length];
  if (Array.isArray(x)) return x.length && Array.isArray(x[0]) ? [x.length, x[0].length] : [x.length];
  return [...(x as Matrix).shape];
}

function close(got: Any, want: Any, label: string, tol: Tol = DEFAULT, key = `${label.split('_')[0]}.${label.split(':').pop()!.trim()}`): void {
  if (want === null) {
    expect(got, label).toBeNull();
    return;
  }
  expect(shapeOf(got), `${label} shape`).toEqual(shapeOf(want));
  const g = flat(got), w = flat(want);
  for (let i = 0; i < w.length; i++) {
    const a = g[i]!, e = w[i]!;
    if (Number.isNaN(e) || !Number.isFinite(e)) {
      expect(a, `${label}[${i}]`).toBe(e);
      continue;
    }
    const diff = Math.abs(a - e);
    const rel = diff / Math.max(Math.abs(e), 1e-300);
    if (Math.abs(e) >= 1e-8 || diff > tol.abs) worst.set(key, Math.max(worst.get(key) ?? 0, rel));
    if (!(diff <= Math.max(tol.abs, tol.rel * Math.abs(e)))) {
      throw new Error(`${label}[${i}]: got ${a}, want ${e} (diff ${diff.toExponential(2)}, rel ${rel.toExponential(2)})`);
    }
  }
}

const mat = (rows: number[][]): Matrix => ({ data: Float64Array.from(rows.flat()), shape: [rows.length, rows[0]?.length ?? 0] });
const targets = (y: number[] | number[][]) => (Array.isArray(y[0]) ? mat(y as number[][]) : Float64Array.from(y as number[]));

let warn: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
});
afterEach(() => {
  warn.mockRestore();
});
const warned = () => warn.mock.calls.length > 0;
// scikit-learn's ConvergenceWarning and its singular-matrix warning are AUDIOMILL_CONVERGENCE, the rest AUDIOMILL_UNDEFINED_METRIC.
const codeOf = (w: unknown): string => {
  const { category, message } = w as { category?: string; message?: string };
  return category === 'ConvergenceWarning' || message?.startsWith('Singular matrix') ? CONVERGENCE : UNDEFINED_METRIC;
};
function expectWarnings(c: { warnings: unknown[] }): void {
  expect(warned(), `warned (scikit-learn: ${JSON.stringify(c.warnings)})`).toBe(c.warnings.length > 0);
  const codes = new Set(c.warnings.map(codeOf));
  for (const call of warn.mock.calls) expect(codes).toContain((call[1] as { code?: string })?.code);
}

describe('StandardScaler equals scikit-learn', () => {
  it.each(cases('scaler'))('%s', (_, c: Any) => {
    const s = new StandardScaler(c.options);
    s.fit(mat(c.X), undefined, c.sampleWeight === null ? undefined : { sampleWeight: c.sampleWeight });
    const e = c.expected;
    close(s.mean, e.mean, `${c.name}: mean`);
    close(s.var, e.var, `${c.name}: var`);
    close(s.scale, e.scale, `${c.name}: scale`);
    close(s.nSamplesSeen, e.nSamplesSeen, `${c.name}: nSamplesSeen`);
    const t = s.transform(mat(c.Xnew ?? c.X));
    close(t, e.transform, `${c.name}: transform`);
    close(s.inverseTransform(t), e.inverseTransform, `${c.name}: inverseTransform`);
    expectWarnings(c);
  });
});

describe('Ridge equals scikit-learn (cholesky / svd / lstsq paths)', () => {
  it.each(cases('ridge'))('%s', (_, c: Any) => {
    const r = new Ridge(c.options).fit(mat(c.X), targets(c.y), c.sampleWeight === null ? undefined : { sampleWeight: c.sampleWeight });
    const e = c.expected;
    close(r.coef, e.coef, `${c.name}: coef`);
    close(r.intercept, e.intercept, `${c.name}: intercept`);
    close(r.predict(mat(c.Xnew)), e.predict, `${c.name}: predict`);
    expectWarnings(c);
  });
});

describe('RidgeCV equals scikit-learn (efficient LOO and k-fold)', () => {
  it.each(cases('ridgecv'))('%s', (_, c: Any) => {
    const o = { ...c.options, cv: c.options.cv ?? undefined };
    const r = new RidgeCV(o).fit(mat(c.X), targets(c.y), c.sampleWeight === null ? undefined : { sampleWeight: c.sampleWeight });
    const e = c.expected;
    close(r.alphaSelected, e.alpha, `${c.name}: alpha`);
    close(r.bestScore, e.bestScore, `${c.name}: bestScore`);
    close(r.coef, e.coef, `${c.name}: coef`);
    close(r.intercept, e.intercept, `${c.name}: intercept`);
    close(r.predict(mat(c.X.slice(0, 3))), e.predict, `${c.name}: predict`);
    expectWarnings(c);
  });
});

describe('PCA equals scikit-learn (full SVD, svd_flip signs)', () => {
  it.each(cases('pca'))('%s', (_, c: Any) => {
    const p = new PCA({ nComponents: c.options.nComponents ?? undefined, whiten: c.options.whiten }).fit(mat(c.X));
    const e = c.expected;
    expect(p.nComponentsSelected).toBe(e.nComponents);
    close(p.mean, e.mean, `${c.name}: mean`);
    close(p.explainedVariance, e.explainedVariance, `${c.name}: explainedVariance`);
    close(p.explainedVarianceRatio, e.explainedVarianceRatio, `${c.name}: explainedVarianceRatio`);
    close(p.singularValues, e.singularValues, `${c.name}: singularValues`);
    close(p.noiseVariance, e.noiseVariance, `${c.name}: noiseVariance`);
    // Components beyond the rank of the centred data are an arbitrary completion in both: compare the rest.
    const sv: number[] = e.singularValues;
    const determined = sv.filter((s) => s > 1e-9 * (sv[0] ?? 0)).length;
    const k = e.nComponents as number;
    const d = (c.X[0] as number[]).length;
    expect(p.components.shape).toEqual([k, d]);
    const t = p.transform(mat(c.Xnew));
    expect(t.shape).toEqual([(c.Xnew as number[][]).length, k]);
    if (determined > 0) {
      close({ data: p.components.data.subarray(0, determined * d), shape: [determined, d] }, (e.components as number[][]).slice(0, determined), `${c.name}: components`);
      const cols = (m: Any, rows: number, w: number) => Array.from({ length: rows }, (_, i) => Array.from(flat(m).slice(i * w, i * w + determined)));
      close(cols(t, t.shape[0], k), (e.transform as number[][]).map((r) => r.slice(0, determined)), `${c.name}: transform`);
    }
    if (determined === k) close(p.inverseTransform(mat(c.Z)), e.inverseTransform, `${c.name}: inverseTransform`);
    expectWarnings(c);
  });
});

describe('CCA equals scikit-learn (NIPALS, mode B, tight tol)', () => {
  it.each(cases('cca'))('%s', (_, c: Any) => {
    const m = new CCA(c.options).fit(mat(c.X), targets(c.Y));
    const e = c.expected;
    expect(m.nIter).toEqual(e.nIter);
    close(m.canonicalCorrelations, e.canonicalCorrelations, `${c.name}: canonicalCorrelations`, { rel: 1e-9, abs: 1e-9 });
    close(m.xWeights, e.xWeights, `${c.name}: xWeights`, CCA_TOL);
    close(m.yWeights, e.yWeights, `${c.name}: yWeights`, CCA_TOL);
    close(m.xLoadings, e.xLoadings, `${c.name}: xLoadings`, CCA_TOL);
    close(m.yLoadings, e.yLoadings, `${c.name}: yLoadings`, CCA_TOL);
    close(m.xRotations, e.xRotations, `${c.name}: xRotations`, CCA_TOL);
    close(m.yRotations, e.yRotations, `${c.name}: yRotations`, CCA_TOL);
    close(m.coef, e.coef, `${c.name}: coef`, CCA_TOL);
    close(m.intercept, e.intercept, `${c.name}: intercept`, CCA_TOL);
    const { xScores, yScores } = m.transform(mat(c.X), targets(c.Y));
    const rows = (e.xScores as number[][]).length;
    const k = xScores.shape[1];
    close({ data: xScores.data.subarray(0, rows * k), shape: [rows, k] }, e.xScores, `${c.name}: xScores`, CCA_TOL);
    close({ data: yScores.data.subarray(0, rows * k), shape: [rows, k] }, e.yScores, `${c.name}: yScores`, CCA_TOL);
    close(m.predict(mat(c.Xnew)), e.predict, `${c.name}: predict`, CCA_TOL);
    expectWarnings(c);
  });
});

describe("parallel analysis follows the piano audit's procedure", () => {
  it.each(cases('parallel'))('%s', (_, c: Any) => {
    const r = parallelAnalysis(mat(c.X), { nIter: 400, seed: 42 });
    const e = c.expected;
    close(r.eigenvalues, e.eigenvalues, `${c.name}: eigenvalues`);
    expect(r.nComponents).toBe(e.nComponents);
    // Another random stream: the 95th percentiles agree statistically (within 5%).
    close(r.thresholds, e.thresholdsNumpy, `${c.name}: thresholds`, { rel: 0.05, abs: 0 }, 'parallel thresholds (statistical)');
  });
});

describe('calls scikit-learn refuses are RangeErrors', () => {
  const run: Record<string, (i: Any) => unknown> = {
    ridge_nan_x: (i) => new Ridge().fit(mat(i.X), i.y),
    ridge_inf_x: (i) => new Ridge().fit(mat(i.X), i.y),
    ridge_nan_y: (i) => new Ridge().fit(mat(i.X), i.y),
    ridge_mismatched_lengths: (i) => new Ridge().fit(mat(i.X), i.y),
    ridge_negative_alpha: (i) => new Ridge({ alpha: i.alpha }).fit(mat(i.X), i.y),
    ridge_alpha_count: (i) => new Ridge({ alpha: i.alpha }).fit(mat(i.X), mat(i.y)),
    ridge_no_samples: (i) => new Ridge().fit({ data: new Float64Array(0), shape: [0, 3] }, i.y),
    ridgecv_zero_alpha: (i) => new RidgeCV({ alphas: i.alphas }).fit(mat(i.X), i.y),
    ridgecv_cv_and_alpha_per_target: (i) => new RidgeCV({ cv: i.cv, alphaPerTarget: true }).fit(mat(i.X), i.y),
    ridgecv_more_folds_than_samples: (i) => new RidgeCV({ cv: i.cv }).fit(mat(i.X), i.y),
    ridgecv_nan_x: (i) => new RidgeCV().fit(mat(i.X), i.y),
    pca_too_many_components: (i) => new PCA({ nComponents: i.nComponents }).fit(mat(i.X)),
    pca_nan: (i) => new PCA().fit(mat(i.X)),
    pca_inf: (i) => new PCA().fit(mat(i.X)),
    cca_too_many_components: (i) => new CCA({ nComponents: i.nComponents }).fit(mat(i.X), mat(i.Y)),
    cca_one_sample: (i) => new CCA({ nComponents: i.nComponents }).fit(mat(i.X), i.Y),
    cca_nan_y: (i) => new CCA({ nComponents: i.nComponents }).fit(mat(i.X), i.Y),
    cca_mismatched_lengths: (i) => new CCA({ nComponents: i.nComponents }).fit(mat(i.X), i.Y),
    scaler_inf: (i) => new StandardScaler().fit(mat(i.X)),
    scaler_no_samples: () => new StandardScaler().fit({ data: new Float64Array(0), shape: [0, 3] }),
  };
  it('covers every error case of the fixtures', () => {
    expect(Object.keys(run).sort()).toEqual(fixture.errors.map((e: Any) => e.name).sort());
  });
  it.each(cases('errors'))('%s', (_, e: Any) => {
    expect(['ValueError', 'InvalidParameterError']).toContain(e.exception.type);
    expect(() => run[e.name]!(e.inputs)).toThrow(RangeError);
    expect(() => run[e.name]!(e.inputs)).toThrow(/^Expected /);
  });
});

describe('agreement report', () => {
  it('records the largest relative differences (informational)', () => {
    const rows = [...worst.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}: ${v.toExponential(2)}`);
    if (process.env.AUDIOMILL_REPORT) console.log(rows.join('\n'));
    expect(rows.length).toBeGreaterThan(0);
  });
});
