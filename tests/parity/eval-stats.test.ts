// Regression metrics, correlation statistics, d' and the special functions behind the p-values, against the
// golden values of tests/parity/make_eval_stats_fixtures.py (scikit-learn 1.2.1, SciPy 1.10.1, NumPy 1.24, and
// 40-digit mpmath values). Tolerance (fixture `tolerances`): |a − e| <= max(1e-12, 1e-9 |e|) against SciPy /
// scikit-learn, and 2e-13 relative against the mpmath values for the special functions and p-value grids.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { AudiomillError } from '../../src/errors.js';
import {
  dPrime,
  pearsonr,
  pearsonrPvalue,
  rankdata,
  spearmanr,
  spearmanrPvalue,
  type Alternative,
  type NanPolicy,
  type RankMethod,
} from '../../src/eval/metrics/correlation.js';
import { meanAbsoluteError, meanSquaredError, r2Score, type RegressionTarget } from '../../src/eval/metrics/regression.js';
import {
  betainc,
  betaincc,
  betaln,
  erf,
  erfc,
  gammaln,
  normCdf,
  normPpf,
  studentTCdf,
} from '../../src/eval/metrics/special.js';
import { decodeNonFinite } from '../helpers/fixtures.js';

const decode = decodeNonFinite;

type Arr = number[] | number[][];
interface Outcome {
  expected?: unknown;
  error?: { type: string; message: string };
  audiomillError?: 'RangeError' | 'UNDEFINED_METRIC';
  warnings?: string[];
  deviation?: string;
  audiomillWarns?: string;
}
interface PearsonCase extends Outcome {
  x: string;
  y: string;
  alternative: Alternative;
}
interface SpearmanCase extends Outcome {
  a: string;
  b: string;
  alternative: Alternative;
  nanPolicy: NanPolicy;
}
interface RankCase extends Outcome {
  name: string;
  a: string | number[];
  method: RankMethod;
  nanPolicy: NanPolicy;
}
interface RegressionCase extends Outcome {
  fn: 'r2Score' | 'meanSquaredError' | 'meanAbsoluteError';
  yTrue: string | Arr;
  yPred: string | Arr;
  options: Record<string, unknown>;
}
interface Fixture {
  tolerances: { rel: number; abs: number; truthRel: number };
  scipyAccuracy: Record<string, number>;
  datasets: Record<string, Record<string, Arr>>;
  pearsonr: PearsonCase[];
  spearmanr: SpearmanCase[];
  rankdata: RankCase[];
  regression: RegressionCase[];
  dPrime: { auc: number; expected: number }[];
  dPrimeHear: { aucs: number[]; expected: number };
  pearsonrPvalue: [number, number, Alternative, number, number][];
  spearmanrPvalue: [number, number, Alternative, number, number][];
  special: {
    gammaln: [number, number, number][];
    betaln: [number, number, number, number][];
    beta: [number, number, number, number, number, number, number][];
    stdtr: [number, number, number, number][];
    ndtr: [number, number, number][];
    ndtri: [number, number, number][];
    erf: [number, number, number][];
    erfc: [number, number, number][];
  };
}

const fx = decode(JSON.parse(readFileSync(join(__dirname, 'fixtures', 'eval', 'stats.json'), 'utf8'))) as Fixture;
const { rel: REL, abs: ABS, truthRel: TRUTH } = fx.tolerances;

function data(ref: string | Arr): Arr {
  if (typeof ref !== 'string') return ref;
  const [name, field] = ref.split('.') as [string, string];
  const v = fx.datasets[name]?.[field];
  if (!v) throw new Error(`no dataset ${ref}`);
  return v;
}

/** |a − e| <= max(abs, rel |e|); NaN equals NaN, infinities must be equal. */
function close(a: number, e: number, rel = REL, abs = ABS): boolean {
  if (Number.isNaN(e)) return Number.isNaN(a);
  if (!Number.isFinite(e)) return a === e;
  return Math.abs(a - e) <= Math.max(abs, rel * Math.abs(e));
}

function relErr(a: number, e: number): number {
  if (a === e || (Number.isNaN(a) && Number.isNaN(e))) return 0;
  return e === 0 ? Math.abs(a) : Math.abs(a - e) / Math.abs(e);
}

let warn: MockInstance<typeof process.emitWarning>;
beforeEach(() => {
  warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
});
afterEach(() => {
  warn.mockRestore();
});
const ourWarnings = () => warn.mock.calls.filter((c) => (c[1] as { code?: string } | undefined)?.code === 'AUDIOMILL_UNDEFINED_METRIC').length;

/**
 * The house's rule: where SciPy warned, where a NaN comes back (never silently), or where the fixture notes a silent
 * SciPy quirk audiomill flags (`audiomillWarns`), a warning was emitted; otherwise none.
 */
function checkWarnings(c: Outcome, values: number[]): void {
  const mustWarn = (c.warnings?.length ?? 0) > 0 || values.some((v) => Number.isNaN(v)) || c.audiomillWarns !== undefined;
  if (mustWarn) expect(ourWarnings(), 'a warning').toBeGreaterThan(0);
  else expect(ourWarnings(), 'no warning').toBe(0);
}

function checkError(c: Outcome, run: () => unknown): void {
  if (c.audiomillError === 'UNDEFINED_METRIC') {
    let err: unknown;
    try {
      run();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AudiomillError);
    expect((err as AudiomillError).code).toBe('UNDEFINED_METRIC');
  } else {
    expect(run).toThrow(RangeError);
  }
}

describe('pearsonr equals scipy.stats.pearsonr', () => {
  it.each(fx.pearsonr.map((c) => [`${c.x.split('.')[0]} ${c.alternative}`, c] as const))('%s', (_, c) => {
    const x = data(c.x) as number[];
    const y = data(c.y) as number[];
    if (c.audiomillError) return checkError(c, () => pearsonr(x, y, { alternative: c.alternative }));
    const want = c.expected as { statistic: number; pvalue: number };
    const got = pearsonr(x, y, { alternative: c.alternative });
    // r: a few ulps from SciPy's (its norms and dot product run in BLAS).
    expect(close(got.statistic, want.statistic, 1e-14, 1e-15), `r ${got.statistic} vs ${want.statistic}`).toBe(true);
    // The p-value function given SciPy's own r: within 1e-9 (to ~1e-13 in practice), down to 1e-300.
    const n = x.length;
    if (Number.isFinite(want.statistic)) {
      const atScipyR = n === 2 ? 1 : pearsonrPvalue(want.statistic, n, c.alternative);
      expect(close(atScipyR, want.pvalue), `p(r_scipy) ${atScipyR} vs ${want.pvalue}`).toBe(true);
    }
    // End to end within 1e-9 too (the p-values differ by < 1e-12 where r differs in its last bit), except where
    // the data are exactly linear and SciPy's BLAS rounds r to ±(1 − 1 ulp) while audiomill gets ±1: then SciPy's
    // one-sided p is tiny but not 0 (1.2e-40 for linear_neg_7 'less'), audiomill's is the exact 0.
    if (!close(got.pvalue, want.pvalue)) {
      expect(1 - Math.abs(want.statistic), `p ${got.pvalue} vs ${want.pvalue}`).toBeLessThan(1e-15);
      expect(Math.abs(got.statistic)).toBe(1);
    }
    checkWarnings(c, [got.statistic, got.pvalue]);
  });
});

describe('spearmanr equals scipy.stats.spearmanr', () => {
  it.each(fx.spearmanr.map((c) => [`${c.a.split('.')[0]} ${c.nanPolicy} ${c.alternative}`, c] as const))('%s', (_, c) => {
    const a = data(c.a) as number[];
    const b = data(c.b) as number[];
    const opts = { alternative: c.alternative, nanPolicy: c.nanPolicy };
    if (c.audiomillError) return checkError(c, () => spearmanr(a, b, opts));
    const want = c.expected as { statistic: number; pvalue: number };
    const got = spearmanr(a, b, opts);
    // The coefficient is computed in SciPy's exact sequence of roundings: equal to the last bit.
    expect(got.statistic, 'rs').toBe(want.statistic);
    expect(close(got.pvalue, want.pvalue), `p ${got.pvalue} vs ${want.pvalue}`).toBe(true);
    checkWarnings(c, [got.statistic, got.pvalue]);
    // Typed arrays give the same.
    expect(spearmanr(Float64Array.from(a), Float64Array.from(b), opts)).toEqual(got);
  });
});

describe('rankdata equals scipy.stats.rankdata', () => {
  it.each(fx.rankdata.map((c) => [`${c.name} ${c.method} ${c.nanPolicy}`, c] as const))('%s', (_, c) => {
    const opts = { method: c.method, nanPolicy: c.nanPolicy };
    const a = data(c.a) as number[];
    if (c.audiomillError) return checkError(c, () => rankdata(a, opts));
    const got = rankdata(a, opts);
    expect(got).toBeInstanceOf(Float64Array);
    expect(Array.from(got)).toEqual(c.expected as number[]);
    // With nanPolicy 'omit' a NaN input's rank is NaN by definition (not an undefined result).
    checkWarnings(c, Array.from(got).filter((_, i) => !(c.nanPolicy === 'omit' && Number.isNaN(a[i]))));
  });
});

function callRegression(c: RegressionCase, yTrue: RegressionTarget, yPred: RegressionTarget): number | Float64Array {
  const opts: Record<string, unknown> = { ...c.options };
  if (typeof opts.sampleWeight === 'string') opts.sampleWeight = data(opts.sampleWeight);
  if (c.fn === 'r2Score') return r2Score(yTrue, yPred, opts);
  if (c.fn === 'meanSquaredError') return meanSquaredError(yTrue, yPred, opts);
  return meanAbsoluteError(yTrue, yPred, opts);
}

/** A 2-D target as { data, shape } (row-major). */
function asShaped(v: Arr): RegressionTarget {
  if (v.length > 0 && Array.isArray(v[0])) {
    const rows = v as number[][];
    return { data: Float64Array.from(rows.flat()), shape: [rows.length, rows[0]!.length] };
  }
  return Float64Array.from(v as number[]);
}

describe('regression metrics equal scikit-learn', () => {
  const name = (c: RegressionCase) =>
    `${c.fn} ${typeof c.yTrue === 'string' ? c.yTrue : 'inline'} ${JSON.stringify(c.options).replace(/"/g, '')}`;
  it.each(fx.regression.map((c) => [name(c), c] as const))('%s', (_, c) => {
    const yTrue = data(c.yTrue);
    const yPred = data(c.yPred);
    if (c.audiomillError) return checkError(c, () => callRegression(c, yTrue, yPred));
    const got = callRegression(c, yTrue, yPred);
    const want = c.expected as number | number[];
    if (typeof want === 'number' && c.options.multioutput === 'raw_values') {
      // scikit-learn returns one NaN for r2 with fewer than two samples; audiomill one NaN per output.
      expect(Number.isNaN(want)).toBe(true);
      expect(got).toBeInstanceOf(Float64Array);
      expect(Array.from(got as Float64Array).every(Number.isNaN)).toBe(true);
    } else if (typeof want === 'number') {
      expect(typeof got).toBe('number');
      expect(close(got as number, want), `${got} vs ${want}`).toBe(true);
    } else {
      expect(got).toBeInstanceOf(Float64Array);
      const g = Array.from(got as Float64Array);
      expect(g.length).toBe(want.length);
      g.forEach((v, j) => expect(close(v, want[j]!), `[${j}] ${v} vs ${want[j]}`).toBe(true));
    }
    checkWarnings(c, typeof got === 'number' ? [got] : Array.from(got).filter((v) => Number.isNaN(v) || v === -Infinity));
    // The same through typed arrays / { data, shape }.
    const again = callRegression(c, asShaped(yTrue), asShaped(yPred));
    expect(again).toEqual(got);
  });
});

describe('dPrime equals HEAR eval kit: norm.ppf(auc) * sqrt(2)', () => {
  it('per AUC', () => {
    for (const c of fx.dPrime) expect(close(dPrime(c.auc), c.expected, 1e-14, 1e-15), `${c.auc}: ${dPrime(c.auc)} vs ${c.expected}`).toBe(true);
    const all = dPrime(fx.dPrime.map((c) => c.auc));
    fx.dPrime.forEach((c, i) => expect(all[i]).toBe(dPrime(c.auc)));
  });
  it("HEAR's macro d' is the mean over the per-class values", () => {
    const per = dPrime(fx.dPrimeHear.aucs);
    const mean = per.reduce((s, v) => s + v, 0) / per.length;
    expect(close(mean, fx.dPrimeHear.expected, 1e-13)).toBe(true);
  });
});

describe('p-value grids (down to 1e-300) equal SciPy and the 40-digit values', () => {
  it('pearsonrPvalue: beta distribution of r', () => {
    let worstScipy = 0;
    for (const [r, n, alt, p, truth] of fx.pearsonrPvalue) {
      const got = pearsonrPvalue(r, n, alt);
      expect(close(got, p), `r=${r} n=${n} ${alt}: ${got} vs SciPy ${p}`).toBe(true);
      if (truth > 1e-300) expect(relErr(got, truth), `r=${r} n=${n} ${alt}: ${got} vs ${truth}`).toBeLessThanOrEqual(TRUTH);
      worstScipy = Math.max(worstScipy, relErr(got, p));
    }
    expect(worstScipy).toBeLessThan(REL);
  });

  it('spearmanrPvalue: t distribution with n − 2 degrees of freedom', () => {
    for (const [rs, n, alt, p, truth] of fx.spearmanrPvalue) {
      const got = spearmanrPvalue(rs, n, alt);
      expect(close(got, p), `rs=${rs} n=${n} ${alt}: ${got} vs SciPy ${p}`).toBe(true);
      if (truth > 1e-300) expect(relErr(got, truth), `rs=${rs} n=${n} ${alt}: ${got} vs ${truth}`).toBeLessThanOrEqual(TRUTH);
    }
  });
});

describe('special functions equal SciPy and the 40-digit values', () => {
  const { special } = fx;
  it('gammaln (absolute error near its zeros at 1 and 2)', () => {
    for (const [x, sp, truth] of special.gammaln) {
      const got = gammaln(x);
      expect(close(got, sp, REL, 1e-9), `${x}: ${got} vs SciPy ${sp}`).toBe(true);
      expect(Math.abs(got - truth), `${x}: ${got} vs ${truth}`).toBeLessThanOrEqual(TRUTH * Math.max(1, Math.abs(truth)));
    }
  });
  it('betaln', () => {
    for (const [a, b, sp, truth] of special.betaln) {
      const got = betaln(a, b);
      expect(close(got, sp), `${a},${b}: ${got} vs SciPy ${sp}`).toBe(true);
      expect(Math.abs(got - truth)).toBeLessThanOrEqual(TRUTH * Math.max(1, Math.abs(truth)));
    }
  });
  it('betainc and betaincc (Boost through scipy.stats.beta)', () => {
    for (const [a, b, x, cdf, sf, tCdf, tSf] of special.beta) {
      const lo = betainc(a, b, x);
      const hi = betaincc(a, b, x);
      expect(close(lo, cdf, REL, 1e-300), `I ${a},${b},${x}: ${lo} vs ${cdf}`).toBe(true);
      expect(close(hi, sf, REL, 1e-300), `1-I ${a},${b},${x}: ${hi} vs ${sf}`).toBe(true);
      if (tCdf > 1e-300) expect(relErr(lo, tCdf), `I ${a},${b},${x}`).toBeLessThanOrEqual(TRUTH);
      if (tSf > 1e-300) expect(relErr(hi, tSf), `1-I ${a},${b},${x}`).toBeLessThanOrEqual(TRUTH);
    }
  });
  it('studentTCdf (CDFLIB cdft through scipy.special.stdtr)', () => {
    for (const [df, t, sp, truth] of special.stdtr) {
      const got = studentTCdf(t, df);
      expect(close(got, sp, REL, 1e-300), `df=${df} t=${t}: ${got} vs SciPy ${sp}`).toBe(true);
      if (truth > 1e-300) expect(relErr(got, truth), `df=${df} t=${t}: ${got} vs ${truth}`).toBeLessThanOrEqual(TRUTH);
    }
  });
  it('normCdf, normPpf, erf, erfc', () => {
    const pairs: [string, (x: number) => number, [number, number, number][]][] = [
      ['normCdf', normCdf, special.ndtr],
      ['normPpf', normPpf, special.ndtri],
      ['erf', erf, special.erf],
      ['erfc', erfc, special.erfc],
    ];
    for (const [label, fn, rows] of pairs) {
      for (const [x, sp, truth] of rows) {
        const got = fn(x);
        expect(close(got, sp, REL, 1e-300), `${label}(${x}): ${got} vs SciPy ${sp}`).toBe(true);
        if (Math.abs(truth) > 1e-300) expect(relErr(got, truth), `${label}(${x}): ${got} vs ${truth}`).toBeLessThanOrEqual(TRUTH);
      }
    }
  });
});
