/**
 * `PCA` (scikit-learn 1.2's `sklearn.decomposition.PCA` with full-SVD semantics) and Horn's parallel analysis
 * as the piano embedding audit runs it. Formulas in docs/evaluation.md, "PCA".
 */
import { bool, int, num, rangeError } from '../../validate.js';
import {
  EPS,
  centerColumns,
  checkFeatures,
  columnMeans,
  gramCols,
  gramRows,
  matmul,
  matmulABt,
  notFitted,
  symmetricEigen,
} from '../linalg.js';
import { readOptions, readMatrix, type Matrix, type MatrixLike } from '../inputs.js';
import { UNDEFINED_METRIC, warn } from '../warnings.js';
import { StandardScaler } from './scaler.js';

/** Options of `PCA` (scikit-learn's constructor arguments). */
export interface PCAOptions {
  /**
   * Components kept: an integer 0 .. min(nSamples, nFeatures) (default: all of them), or a fraction in (0, 1):
   * the fewest components whose explained variance ratios sum above it (scikit-learn's float `n_components`).
   */
  nComponents?: number;
  /** Scale the projections to unit variance (divide by sqrt(explainedVariance)); default false. */
  whiten?: boolean;
}

interface PcaState {
  mean: Float64Array;
  components: Float64Array; // k x d
  k: number;
  d: number;
  n: number;
  explainedVariance: Float64Array;
  explainedVarianceRatio: Float64Array;
  singularValues: Float64Array;
  noiseVariance: number;
}

/**
 * Eigenvalues (descending) and unit eigenvectors (rows) of a Gram matrix summed over `terms` products per entry.
 * Eigenvalues at or below the Gram matrix's rounding noise (terms · eps · the largest) are 0: a rank-deficient
 * direction would otherwise get a singular value of order sqrt(eps) times the largest, where an SVD of X (as
 * scikit-learn's) gives one of order eps.
 */
function descendingEigen(g: Float64Array, dim: number, vectors: boolean, terms: number): { values: Float64Array; vectors: Float64Array } {
  const e = symmetricEigen(g, dim, { vectors });
  let top = 0;
  for (let j = 0; j < dim; j++) top = Math.max(top, e.values[j]!);
  const floor = terms * EPS * top;
  const values = new Float64Array(dim);
  const vecs = new Float64Array(vectors ? dim * dim : 0);
  for (let j = 0; j < dim; j++) {
    const src = dim - 1 - j;
    values[j] = e.values[src]! > floor ? e.values[src]! : 0;
    if (vectors) vecs.set(e.vectors.subarray(src * dim, src * dim + dim), j * dim);
  }
  return { values, vectors: vecs };
}

/** The sign that makes the largest-magnitude entry of u positive (scikit-learn's `svd_flip`, u-based; first index on ties). */
function flipSign(u: Float64Array, off: number, len: number, stride: number): number {
  let best = 0, arg = -1;
  for (let i = 0; i < len; i++) {
    const a = Math.abs(u[off + i * stride]!);
    if (a > best) {
      best = a;
      arg = i;
    }
  }
  return arg >= 0 && u[off + arg * stride]! < 0 ? -1 : 1;
}

/**
 * Principal component analysis, equal to scikit-learn 1.2's `PCA` with `svd_solver='full'` (which `'auto'`
 * picks whenever max(nSamples, nFeatures) <= 500; above that, for few components, scikit-learn switches to a
 * randomized SVD whose results agree only approximately; audiomill always computes the exact decomposition).
 *
 * With Xc = X - mean and its SVD Xc = U S Vᵀ (computed from the eigendecomposition of XcᵀXc when n >= d,
 * of XcXcᵀ otherwise): `components` are the first k rows of Vᵀ, signed so that the largest-magnitude entry of
 * each column of U is positive (scikit-learn's `svd_flip`, so they match exactly, not just up to sign);
 * `explainedVariance` = S² / (n - 1); `explainedVarianceRatio` = that over the sum of all min(n, d) of them;
 * `singularValues` = S; `noiseVariance` = the mean of the explained variances not kept (0 when all are kept).
 *
 * `transform(X)` = (X - mean) componentsᵀ (divided by sqrt(explainedVariance) with `whiten`);
 * `inverseTransform(Z)` maps back: Z components (times sqrt(explainedVariance) with `whiten`) + mean.
 *
 * Edge cases: nComponents > min(nSamples, nFeatures), NaN or infinity in X are RangeErrors (scikit-learn's
 * ValueErrors). One sample: explained variances are 0/0 = NaN (as scikit-learn), with a warning; constant data:
 * ratios 0/0 = NaN with a warning. Components beyond the rank of Xc (zero singular values) are an arbitrary
 * orthonormal completion in scikit-learn (LAPACK's choice) and here (a Gram–Schmidt completion): they are not
 * comparable. Input is widened to float64 (scikit-learn keeps float32 input in float32).
 */
export class PCA {
  readonly nComponents: number | undefined;
  readonly whiten: boolean;
  private state?: PcaState;

  constructor(options?: PCAOptions) {
    const o = readOptions<PCAOptions>(options);
    if (o.nComponents === undefined) this.nComponents = undefined;
    else {
      const v = num(o.nComponents, 'nComponents', { min: 0 });
      if (!Number.isInteger(v) && !(v > 0 && v < 1)) throw rangeError('an integer >= 0 or a fraction in (0, 1)', 'nComponents', v);
      this.nComponents = v;
    }
    this.whiten = o.whiten === undefined ? false : bool(o.whiten, 'whiten');
  }

  private fitted(): PcaState {
    if (!this.state) throw notFitted('PCA');
    return this.state;
  }

  /** `components_`: k x nFeatures, rows are the principal axes (unit vectors, svd_flip signs). */
  get components(): Matrix {
    const s = this.fitted();
    return { data: s.components, shape: [s.k, s.d] };
  }
  /** `explained_variance_`: S² / (n - 1) of the kept components. */
  get explainedVariance(): Float64Array {
    return this.fitted().explainedVariance;
  }
  /** `explained_variance_ratio_`: the kept explained variances over their total over all components. */
  get explainedVarianceRatio(): Float64Array {
    return this.fitted().explainedVarianceRatio;
  }
  /** `singular_values_`: the kept singular values of the centred X. */
  get singularValues(): Float64Array {
    return this.fitted().singularValues;
  }
  /** `mean_`: the per-feature mean removed before projecting. */
  get mean(): Float64Array {
    return this.fitted().mean;
  }
  /** `noise_variance_`: the mean explained variance of the components not kept (0 if all are kept). */
  get noiseVariance(): number {
    return this.fitted().noiseVariance;
  }
  /** `n_components_`: the number of components kept (resolved from a fraction when one was given). */
  get nComponentsSelected(): number {
    return this.fitted().k;
  }
  /** `n_samples_`: the number of samples seen in fit. */
  get nSamples(): number {
    return this.fitted().n;
  }
  /** `n_features_in_`. */
  get nFeaturesIn(): number {
    return this.fitted().d;
  }

  /** Fits the principal axes of X (`y` is ignored, as in scikit-learn). Returns this. */
  fit(X: MatrixLike, y?: unknown): this {
    void y;
    const { data: xc, rows: n, cols: d } = readMatrix(X, 'X');
    const r = Math.min(n, d);
    const nc = this.nComponents;
    if (nc !== undefined && Number.isInteger(nc) && nc > r) {
      throw rangeError(`an integer between 0 and min(nSamples, nFeatures) = ${r}`, 'nComponents', nc);
    }
    const mean = columnMeans(xc, n, d);
    centerColumns(xc, n, d, mean);
    const primal = n >= d;
    const eig = descendingEigen(primal ? gramCols(xc, n, d) : gramRows(xc, n, d), r, true, Math.max(n, d));
    const lam = eig.values; // S², r of them
    const ev = lam.map((v) => v / (n - 1));
    let total = 0;
    for (let j = 0; j < r; j++) total += ev[j]!;
    const ratio = ev.map((v) => v / total);
    if (n < 2) warn(UNDEFINED_METRIC, 'PCA: explained variance is 0/0 = NaN with a single sample (ddof 1)');
    else if (!(total > 0)) warn(UNDEFINED_METRIC, 'PCA: X is constant, the explained variance ratios are 0/0 = NaN');

    let k: number;
    if (nc === undefined) k = r;
    else if (Number.isInteger(nc)) k = nc;
    else {
      // searchsorted(cumsum(ratio), nc, side='right') + 1
      let cum = 0;
      k = 0;
      while (k < r) {
        cum += ratio[k]!;
        if (cum > nc) break;
        k++;
      }
      k = Math.min(k + 1, r);
    }

    // Components (rows of Vᵀ) and the sign of each from its column of U.
    const components = new Float64Array(k * d);
    const sv = new Float64Array(k);
    const sMax = Math.sqrt(lam[0] ?? 0);
    const tiny = Math.max(n, d) * EPS * sMax;
    if (primal) {
      // V rows from the eigenvectors of XcᵀXc; U = Xc V / s.
      const vk = eig.vectors.subarray(0, k * d);
      const z = matmulABt(xc, n, d, vk, k); // n x k
      for (let j = 0; j < k; j++) {
        const sign = flipSign(z, j, n, k);
        for (let c = 0; c < d; c++) components[j * d + c] = sign * vk[j * d + c]!;
        sv[j] = Math.sqrt(lam[j]!);
      }
    } else {
      // U columns are the eigenvectors of XcXcᵀ (rows of eig.vectors); V = Xcᵀ U / s.
      for (let j = 0; j < k; j++) {
        const s = Math.sqrt(lam[j]!);
        sv[j] = s;
        const sign = flipSign(eig.vectors, j * n, n, 1);
        const row = j * d;
        if (s > tiny) {
          for (let i = 0; i < n; i++) {
            const f = (sign * eig.vectors[j * n + i]!) / s;
            if (f === 0) continue;
            for (let c = 0; c < d; c++) components[row + c] = components[row + c]! + (f * xc[i * d + c]!);
          }
          normalise(components, row, d);
        } else {
          completeBasis(components, j, d);
        }
      }
    }
    const noiseVariance = k < r ? mean_(ev, k, r) : 0;
    this.state = {
      mean,
      components,
      k,
      d,
      n,
      explainedVariance: ev.slice(0, k),
      explainedVarianceRatio: ratio.slice(0, k),
      singularValues: sv,
      noiseVariance,
    };
    return this;
  }

  /** Projects X on the components: (X - mean) componentsᵀ, divided by sqrt(explainedVariance) with `whiten`. */
  transform(X: MatrixLike): Matrix {
    const s = this.fitted();
    const { data, rows, cols } = readMatrix(X, 'X');
    checkFeatures(cols, s.d, 'X');
    centerColumns(data, rows, cols, s.mean);
    const out = matmulABt(data, rows, cols, s.components, s.k);
    if (this.whiten) {
      const sd = s.explainedVariance.map(Math.sqrt);
      for (let i = 0; i < rows; i++) for (let j = 0; j < s.k; j++) out[i * s.k + j] = out[i * s.k + j]! / sd[j]!;
    }
    return { data: out, shape: [rows, s.k] };
  }

  /** Maps projections back to feature space: Z components (× sqrt(explainedVariance) with `whiten`) + mean. */
  inverseTransform(Z: MatrixLike): Matrix {
    const s = this.fitted();
    const { data, rows, cols } = readMatrix(Z, 'Z', { minCols: 0 });
    checkFeatures(cols, s.k, 'Z');
    let comp = s.components;
    if (this.whiten) {
      comp = Float64Array.from(comp);
      for (let j = 0; j < s.k; j++) {
        const f = Math.sqrt(s.explainedVariance[j]!);
        for (let c = 0; c < s.d; c++) comp[j * s.d + c] = comp[j * s.d + c]! * f;
      }
    }
    const out = matmul(data, rows, cols, comp, s.d);
    for (let i = 0; i < rows; i++) for (let c = 0; c < s.d; c++) out[i * s.d + c] = out[i * s.d + c]! + s.mean[c]!;
    return { data: out, shape: [rows, s.d] };
  }

  /** `fit(X)` then `transform(X)`. */
  fitTransform(X: MatrixLike, y?: unknown): Matrix {
    return this.fit(X, y).transform(X);
  }
}

function mean_(v: Float64Array, from: number, to: number): number {
  let s = 0;
  for (let j = from; j < to; j++) s += v[j]!;
  return s / (to - from);
}

function normalise(a: Float64Array, off: number, len: number): void {
  let s = 0;
  for (let i = 0; i < len; i++) s += a[off + i]! * a[off + i]!;
  const f = s > 0 ? 1 / Math.sqrt(s) : 0;
  for (let i = 0; i < len; i++) a[off + i] = a[off + i]! * f;
}

/**
 * Row j of `rows` (k x d) becomes a unit vector orthogonal to rows 0 .. j-1: the first standard basis vector
 * whose residual after Gram–Schmidt (twice) is not small.
 */
function completeBasis(rows: Float64Array, j: number, d: number): void {
  const v = new Float64Array(d);
  for (let e = 0; e < d; e++) {
    v.fill(0);
    v[e] = 1;
    for (let pass = 0; pass < 2; pass++) {
      for (let q = 0; q < j; q++) {
        let dp = 0;
        for (let c = 0; c < d; c++) dp += rows[q * d + c]! * v[c]!;
        for (let c = 0; c < d; c++) v[c] = v[c]! - (dp * rows[q * d + c]!);
      }
    }
    let nn = 0;
    for (let c = 0; c < d; c++) nn += v[c]! * v[c]!;
    if (nn > 0.25) {
      const f = 1 / Math.sqrt(nn);
      for (let c = 0; c < d; c++) rows[j * d + c] = v[c]! * f;
      return;
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Parallel analysis

/**
 * A small seeded generator for the random baselines: xoshiro128** (Blackman and Vigna, 2018) seeded through
 * splitmix32, uniforms of 53 bits, standard normals by the Box–Muller transform (both values of each pair used).
 * It is not NumPy's stream: results are reproducible for a seed across runs and platforms, not equal to NumPy's.
 */
export class NormalGenerator {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare = NaN;

  constructor(seed: number) {
    let x = (seed >>> 0) ^ Math.imul(Math.floor(seed / 4294967296), 0x9e3779b9);
    const next = () => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** The next 32-bit output of xoshiro128**. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** A uniform double in (0, 1) from 53 random bits. */
  uniform(): number {
    for (;;) {
      const a = this.nextUint32() >>> 5, b = this.nextUint32() >>> 6;
      const u = (a * 67108864 + b) / 9007199254740992;
      if (u > 0) return u;
    }
  }

  /** A standard normal draw (Box–Muller). */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const v = this.spare;
      this.spare = NaN;
      return v;
    }
    const r = Math.sqrt(-2 * Math.log(this.uniform()));
    const th = 2 * Math.PI * this.uniform();
    this.spare = r * Math.sin(th);
    return r * Math.cos(th);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Options of `parallelAnalysis`. */
export interface ParallelAnalysisOptions {
  /** Random datasets drawn (default 100; the piano audit uses 1000). */
  nIter?: number;
  /** Percentile of the random eigenvalues each data eigenvalue must exceed, in [0, 100] (default 95). */
  percentile?: number;
  /** Seed of the random baseline (default 0): a non-negative safe integer. */
  seed?: number;
  /**
   * Standardise X first (StandardScaler, as the audit does before its PCA; default true): the eigenvalues are
   * then those of the correlation matrix times n / (n - 1). With false, those of the covariance matrix of X.
   */
  standardize?: boolean;
}

/** What `parallelAnalysis` found. */
export interface ParallelAnalysisResult {
  /** The number of components retained: data eigenvalues above their random threshold. */
  nComponents: number;
  /** The data's eigenvalues, descending: PCA explained variances (ddof 1) of the (standardised) data. */
  eigenvalues: Float64Array;
  /** Per component, the chosen percentile of the random datasets' eigenvalues (linear interpolation, NumPy's default). */
  thresholds: Float64Array;
  /** Per component, the mean of the random datasets' eigenvalues. */
  randomMean: Float64Array;
}

/** NumPy's `percentile(x, q)` with its default linear interpolation, on a sorted copy. */
function percentileLinear(values: Float64Array, q: number): number {
  const s = Float64Array.from(values).sort();
  const pos = (q / 100) * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, s.length - 1);
  const f = pos - lo;
  return s[lo]! + f * (s[hi]! - s[lo]!);
}

/**
 * Horn's parallel analysis as the piano embedding audit runs it: the data's PCA eigenvalues (explained variances
 * with ddof 1, after standardising with `StandardScaler` unless `standardize` is false) against the
 * `percentile`-th percentile, per component index, of the eigenvalues of `nIter` random datasets of the same
 * shape (independent standard normals, their covariance eigenvalues, not standardised: as the audit does).
 * `nComponents` counts the data eigenvalues above their threshold (the audit's
 * `sum(explained_variance_ > threshold)`; both sequences are descending, so this is almost always the leading run).
 *
 * The random numbers come from `NormalGenerator` (seeded, reproducible, not NumPy's stream), so thresholds
 * equal the audit's only statistically. Needs at least 2 samples (RangeError otherwise); NaN or infinity in X
 * is a RangeError. A constant column standardises to zeros (scale 1, as StandardScaler).
 */
export function parallelAnalysis(X: MatrixLike, options?: ParallelAnalysisOptions): ParallelAnalysisResult {
  const o = readOptions<ParallelAnalysisOptions>(options);
  const nIter = o.nIter === undefined ? 100 : int(o.nIter, 'nIter', 1);
  const percentile = o.percentile === undefined ? 95 : num(o.percentile, 'percentile', { min: 0, max: 100 });
  const seed = o.seed === undefined ? 0 : int(o.seed, 'seed', 0);
  const standardize = o.standardize === undefined ? true : bool(o.standardize, 'standardize');
  const x = readMatrix(X, 'X', { minRows: 2 });
  const { rows: n, cols: d } = x;
  const input = { data: x.data, shape: [n, d] as [number, number] };
  const data = standardize ? new StandardScaler().fitTransform(input) : input;
  const eigenvalues = eigenvaluesOf(data.data, n, d);
  const r = eigenvalues.length;
  const gen = new NormalGenerator(seed);
  const draws = new Float64Array(nIter * r);
  const buf = new Float64Array(n * d);
  for (let it = 0; it < nIter; it++) {
    for (let i = 0; i < n * d; i++) buf[i] = gen.normal();
    draws.set(eigenvaluesOf(buf, n, d), it * r);
  }
  const thresholds = new Float64Array(r);
  const randomMean = new Float64Array(r);
  const col = new Float64Array(nIter);
  for (let j = 0; j < r; j++) {
    let s = 0;
    for (let it = 0; it < nIter; it++) {
      col[it] = draws[it * r + j]!;
      s += col[it]!;
    }
    thresholds[j] = percentileLinear(col, percentile);
    randomMean[j] = s / nIter;
  }
  let nComponents = 0;
  for (let j = 0; j < r; j++) if (eigenvalues[j]! > thresholds[j]!) nComponents++;
  return { nComponents, eigenvalues, thresholds, randomMean };
}

/** PCA explained variances (ddof 1, descending) of an n x d matrix, without the vectors. */
function eigenvaluesOf(a: Float64Array, n: number, d: number): Float64Array {
  const xc = Float64Array.from(a);
  centerColumns(xc, n, d, columnMeans(xc, n, d));
  const r = Math.min(n, d);
  const { values } = descendingEigen(n >= d ? gramCols(xc, n, d) : gramRows(xc, n, d), r, false, Math.max(n, d));
  return values.map((v) => v / (n - 1));
}

