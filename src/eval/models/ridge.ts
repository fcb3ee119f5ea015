/**
 * `Ridge` and `RidgeCV`: scikit-learn 1.2's `sklearn.linear_model.Ridge` (dense X, the `cholesky` solver that
 * `solver='auto'` picks, with its SVD / least-squares fallbacks) and `sklearn.linear_model.RidgeCV` (efficient
 * leave-one-out as `_RidgeGCV`, or k-fold / given folds as its `GridSearchCV` path). Formulas in
 * docs/evaluation.md, "Linear models".
 */
import { bool, int, rangeError, typeError } from '../../validate.js';
import {
  EPS,
  checkFeatures,
  checkSameRows,
  cholesky,
  choleskySolve,
  gramCols,
  gramRows,
  matmulABt,
  matmulAtB,
  notFitted,
  svd,
  symmetricEigen,
  takeRows,
  transpose,
} from '../linalg.js';
import { isArrayInput, readOptions, readSampleWeight, readMatrix, readTargets, type Matrix, type MatrixLike, type ReadMatrix, type ReadTargets, type TargetsLike } from '../inputs.js';
import { CONVERGENCE, UNDEFINED_METRIC, warn } from '../warnings.js';
import { kFold } from '../splitters.js';
import { getNumThreads } from '../../dsp/runtime.js';
import { addScaledRow, gemmTNRows, gramOfCols, ridgeLooParts, type RidgeLooProblem } from '../../linalg/dense.js';

/** Options of `Ridge` (scikit-learn's constructor arguments). */
export interface RidgeOptions {
  /** The L2 penalty, >= 0: one number, or one per target (default 1). */
  alpha?: number | ArrayLike<number>;
  /** Fit an intercept by centring X and y first (default true). */
  fitIntercept?: boolean;
}

/** Options of `Ridge.fit` and `RidgeCV.fit`. */
export interface RidgeFitOptions {
  /** A weight >= 0 per sample (or one number for all); default all 1 (scikit-learn's `sample_weight`). */
  sampleWeight?: ArrayLike<number> | number;
}

/** One train/test split of `RidgeCV`'s `cv` (the `Fold` of `src/eval/splitters.ts` fits). */
export interface RidgeCvFold {
  train: ArrayLike<number>;
  test: ArrayLike<number>;
}

/** Options of `RidgeCV` (scikit-learn's constructor arguments). */
export interface RidgeCVOptions {
  /** The penalties to try, each > 0 (default [0.1, 1, 10]). */
  alphas?: ArrayLike<number>;
  /** Fit an intercept (default true). */
  fitIntercept?: boolean;
  /**
   * undefined (default): efficient leave-one-out, scored by the mean squared error; a number k >= 2: k-fold
   * cross-validation without shuffling (scikit-learn's `KFold(k)`), scored by R²; or explicit folds.
   */
  cv?: number | readonly RidgeCvFold[];
  /** Leave-one-out only: choose the penalty of each target separately (default false). */
  alphaPerTarget?: boolean;
}

/** At most this many bytes of fitMany's row copies are held at once (beyond it, batches of the pool's threads). */
const RIDGE_BATCH_BYTES = 512 * 2 ** 20;

/** One fit of `RidgeCV.fitMany`: X and y, or with `rows` those rows of X (y then holds their targets, in order). */
export interface RidgeFitJob {
  X: MatrixLike;
  y: TargetsLike;
  /** Fit on these rows of X (indices; a row listed twice counts twice); X is then only read, and jobs on one X share the work on it. */
  rows?: ArrayLike<number>;
  options?: RidgeFitOptions;
}

/** A matrix fitMany's jobs take rows of (read once). */
interface SharedRows {
  x: ReadMatrix;
}

/** A job's share of the shared work: the overall mean, the Gram matrix of all rows and of those it leaves out. */
interface SharedGram {
  mean: Float64Array;
  all: Float64Array;
  left: Float64Array;
}

/**
 * A job's centred Gram matrix, all - left - n δδᵀ (δ its rows' mean less the overall mean: its own centring), made in
 * the place of `left` (which is the job's alone).
 */
function jobGram(sh: SharedGram, pr: Problem): Float64Array {
  const p = pr.p;
  const g = sh.left;
  addScaledRow(g, 1, p * p, sh.all, 1, undefined, -1);
  const delta = Float64Array.from(pr.xOffset, (v, c) => v - sh.mean[c]!);
  addScaledRow(g, p, p, delta, -pr.n, delta);
  return g;
}

/** The bytes a fitMany job's copy of its matrix takes (its rows of a shared X, or its own X as given). */
function copyBytes(job: RidgeFitJob, rows: Uint32Array | undefined, source: (X: MatrixLike) => SharedRows): number {
  if (rows) return 8 * rows.length * source(job.X).x.cols;
  const X = job.X as { shape?: readonly number[] };
  if (Array.isArray(X.shape)) return 8 * Number(X.shape[0]) * Number(X.shape[1]);
  if (Array.isArray(job.X)) return 8 * (job.X as readonly ArrayLike<number>[]).reduce((s, r) => s + (r?.length ?? 0), 0);
  return 0;
}

/** Row indices into a matrix of n rows, as a Uint32Array (each an integer in 0 .. n - 1). */
function readRows(rows: ArrayLike<number>, n: number, name: string): Uint32Array {
  if (!isArrayInput(rows)) throw typeError('an array of row indices', name, rows);
  if (rows.length === 0) throw rangeError('at least 1 row index', name, rows);
  const out = new Uint32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (!(typeof r === 'number' && Number.isInteger(r) && r >= 0 && r < n)) throw rangeError(`row indices in 0 .. ${n - 1}`, `${name}[${i}]`, r);
    out[i] = r;
  }
  return out;
}

/** The rows `rows` of x, copied in order. */
function gatherRows(x: ReadMatrix, rows: Uint32Array): { data: Float64Array; shape: [number, number] } {
  return { data: takeRows(x.data, x.cols, rows), shape: [rows.length, x.cols] };
}

/**
 * Centred, weighted problem: Xc = sqrt(w) (X - xOffset), Yc = sqrt(w) (Y - yOffset). Xc is either a matrix of its own
 * (`xc`), or (fitMany's unweighted jobs) `source`'s rows `rows`, less xOffset as they are read (`xc` then empty).
 */
interface Problem {
  xc: Float64Array;
  source?: { data: Float64Array; rows: Uint32Array };
  yc: Float64Array;
  n: number;
  p: number;
  t: number;
  xOffset: Float64Array;
  yOffset: Float64Array;
  /** sqrt of the sample weights (all 1 without weights). */
  sqrtSw: Float64Array;
  vector: boolean;
}

/**
 * The weighted column means Σ w_i a_i / wsum of a's first n rows (or of its rows `rows`), each column summed in row
 * order by the C++ core.
 */
function weightedMeans(a: Float64Array, n: number, cols: number, w: Float64Array, wsum: number, rows?: Uint32Array): Float64Array {
  return gemmTNRows(a, n, cols, w, 1, rows ? { rows } : {}).map((v) => v / wsum);
}

/** prepare for rows of a matrix already read, without weights: the rows are left where they are (Problem.source). */
function prepareRows(x: ReadMatrix, rows: Uint32Array, y: ReadTargets, fitIntercept: boolean): Problem {
  const n = rows.length, p = x.cols, t = y.cols;
  const yc = y.data;
  let xOffset: Float64Array = new Float64Array(p);
  let yOffset: Float64Array = new Float64Array(t);
  if (fitIntercept) {
    const ones = new Float64Array(n).fill(1);
    xOffset = weightedMeans(x.data, n, p, ones, n, rows);
    yOffset = weightedMeans(yc, n, t, ones, n);
    addScaledRow(yc, n, t, yOffset, -1);
  }
  return { xc: new Float64Array(0), source: { data: x.data, rows }, yc, n, p, t, xOffset, yOffset, sqrtSw: new Float64Array(n).fill(1), vector: y.vector };
}

/** Xcᵀ c (p x t, row-major as t x p: the coefficients' layout) for c (n x t). */
function xcT(pr: Problem, c: Float64Array): Float64Array {
  if (!pr.source) return matmulAtB(c, pr.n, pr.t, pr.xc, pr.p);
  const pt = gemmTNRows(pr.source.data, pr.n, pr.p, c, pr.t, { rows: pr.source.rows, shift: pr.xOffset });
  return pr.t === 1 ? pt : transpose(pt, pr.p, pr.t);
}

/** The native problem of ridgeLooParts for a problem (its rows where they are, for a Problem.source). */
function looProblem(pr: Problem, gram: Float64Array | undefined): RidgeLooProblem {
  const base = pr.source ? { x: pr.source.data, rows: pr.source.rows, shift: pr.xOffset } : { x: pr.xc };
  return { ...base, y: pr.yc, n: pr.n, p: pr.p, t: pr.t, ...(gram ? { gram } : {}) };
}

/** scikit-learn's `_preprocess_data` then `_rescale_data`: weighted centring, then rows scaled by sqrt(w). */
function prepare(x: ReadMatrix, y: ReadTargets, fitIntercept: boolean, sw: Float64Array | undefined): Problem {
  const { rows: n, cols: p } = x;
  const t = y.cols;
  const xc = x.data;
  const yc = y.data;
  let xOffset: Float64Array = new Float64Array(p);
  let yOffset: Float64Array = new Float64Array(t);
  if (fitIntercept) {
    const w = sw ?? new Float64Array(n).fill(1);
    let wsum = 0;
    for (let i = 0; i < n; i++) wsum += w[i]!;
    if (!(wsum > 0)) throw rangeError('weights with a positive sum', 'sampleWeight', wsum);
    xOffset = weightedMeans(xc, n, p, w, wsum);
    yOffset = weightedMeans(yc, n, t, w, wsum);
    addScaledRow(xc, n, p, xOffset, -1);
    addScaledRow(yc, n, t, yOffset, -1);
  }
  const sqrtSw = new Float64Array(n).fill(1);
  if (sw) {
    for (let i = 0; i < n; i++) {
      const s = Math.sqrt(sw[i]!);
      sqrtSw[i] = s;
      for (let j = 0; j < p; j++) xc[i * p + j] = xc[i * p + j]! * s;
      for (let j = 0; j < t; j++) yc[i * t + j] = yc[i * t + j]! * s;
    }
  }
  return { xc, yc, n, p, t, xOffset, yOffset, sqrtSw, vector: y.vector };
}

/** Pivot floor of the Cholesky attempts: below it the system is treated as singular (see `solveRidge`). */
function pivotFloor(dim: number): number {
  return dim * EPS;
}

/**
 * The penalty-free parts of a Ridge system, kept between calls of `solveRidge` on the same centred data (one
 * fold, many penalties): the Gram matrix (XᵀX when p <= n, XXᵀ otherwise) and Xᵀy.
 */
export interface RidgeGramCache {
  gram?: Float64Array;
  xty?: Float64Array;
}

/**
 * Ridge coefficients (t x p) of the centred problem for a penalty per target, as scikit-learn 1.2's
 * `_solve_cholesky` (p <= n: (XᵀX + αI) w = Xᵀy) or `_solve_cholesky_kernel` (p > n: (XXᵀ + αI) d = y,
 * w = Xᵀd), falling back like it to `_solve_svd` (w = V diag(s / (s² + α)) Uᵀ y over s > 1e-15) when the
 * primal system is singular, and to the least-squares dual (min-norm, singular values above eps s_max, with a
 * warning) when the dual system with one penalty is. `cache` (filled on the first call) lets calls on the same
 * data with other penalties skip the Gram matrix.
 */
export function solveRidge(
  xc: Float64Array,
  n: number,
  p: number,
  yc: Float64Array,
  t: number,
  alphas: Float64Array,
  cache: RidgeGramCache = {},
): Float64Array {
  const one = alphas.every((a) => a === alphas[0]);
  if (p <= n) {
    const A = (cache.gram ??= gramCols(xc, n, p));
    const xy = Float64Array.from((cache.xty ??= matmulAtB(xc, n, p, yc, t))); // p x t
    if (one) {
      const M = Float64Array.from(A);
      for (let i = 0; i < p; i++) M[i * p + i] = M[i * p + i]! + alphas[0]!;
      if (cholesky(M, p, pivotFloor(p))) {
        choleskySolve(M, p, xy, t);
        return transpose(xy, p, t);
      }
      return solveSvd(xc, n, p, yc, t, alphas);
    }
    const coef = new Float64Array(t * p);
    for (let c = 0; c < t; c++) {
      const M = Float64Array.from(A);
      for (let i = 0; i < p; i++) M[i * p + i] = M[i * p + i]! + alphas[c]!;
      if (!cholesky(M, p, pivotFloor(p))) return solveSvd(xc, n, p, yc, t, alphas);
      const b = new Float64Array(p);
      for (let i = 0; i < p; i++) b[i] = xy[i * t + c]!;
      choleskySolve(M, p, b, 1);
      coef.set(b, c * p);
    }
    return coef;
  }
  const K = (cache.gram ??= gramRows(xc, n, p));
  let dual: Float64Array; // n x t
  if (one) {
    const M = Float64Array.from(K);
    for (let i = 0; i < n; i++) M[i * n + i] = M[i * n + i]! + alphas[0]!;
    dual = Float64Array.from(yc);
    if (cholesky(M, n, pivotFloor(n))) {
      choleskySolve(M, n, dual, t);
    } else {
      warn(CONVERGENCE, 'Ridge: singular matrix in solving the dual problem; using the least-squares solution instead');
      const Ka = Float64Array.from(K);
      for (let i = 0; i < n; i++) Ka[i * n + i] = Ka[i * n + i]! + alphas[0]!;
      dual = lstsqMinNorm(Ka, n, n, yc, t);
    }
  } else {
    dual = new Float64Array(n * t);
    for (let c = 0; c < t; c++) {
      const M = Float64Array.from(K);
      for (let i = 0; i < n; i++) M[i * n + i] = M[i * n + i]! + alphas[c]!;
      if (!cholesky(M, n, pivotFloor(n))) return solveSvd(xc, n, p, yc, t, alphas);
      const b = new Float64Array(n);
      for (let i = 0; i < n; i++) b[i] = yc[i * t + c]!;
      choleskySolve(M, n, b, 1);
      for (let i = 0; i < n; i++) dual[i * t + c] = b[i]!;
    }
  }
  return matmulAtB(dual, n, t, xc, p);
}

/** scikit-learn's `_solve_svd`: w = V diag(s / (s² + α)) Uᵀ y, singular values <= 1e-15 dropped. */
function solveSvd(xc: Float64Array, n: number, p: number, yc: Float64Array, t: number, alphas: Float64Array): Float64Array {
  const { u, s, vt } = svd(xc, n, p);
  const r = s.length;
  const uty = matmulAtB(u, n, r, yc, t); // r x t
  const coef = new Float64Array(t * p);
  for (let j = 0; j < r; j++) {
    const sj = s[j]!;
    if (!(sj > 1e-15)) continue;
    for (let c = 0; c < t; c++) {
      const f = (sj / (sj * sj + alphas[c]!)) * uty[j * t + c]!;
      const row = c * p;
      for (let i = 0; i < p; i++) coef[row + i] = coef[row + i]! + (vt[j * p + i]! * f);
    }
  }
  return coef;
}

/** SciPy's `lstsq(a, b)` (gelsd, cond = eps): the minimum-norm least-squares solution, singular values <= eps s_max dropped. */
function lstsqMinNorm(a: Float64Array, m: number, k: number, b: Float64Array, t: number): Float64Array {
  const { u, s, vt } = svd(a, m, k);
  const r = s.length;
  const cut = EPS * (s[0] ?? 0);
  const utb = matmulAtB(u, m, r, b, t);
  const x = new Float64Array(k * t);
  for (let j = 0; j < r; j++) {
    const sj = s[j]!;
    if (!(sj > cut)) continue;
    for (let i = 0; i < k; i++) {
      const f = vt[j * k + i]! / sj;
      for (let c = 0; c < t; c++) x[i * t + c] = x[i * t + c]! + (f * utb[j * t + c]!);
    }
  }
  return x;
}

function readAlpha(value: unknown): number | Float64Array {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw rangeError('a finite number >= 0', 'alpha', value);
    return value;
  }
  if (ArrayBuffer.isView(value) || Array.isArray(value)) {
    const a = value as ArrayLike<unknown>;
    if (a.length === 0) throw rangeError('at least one penalty', 'alpha', value);
    const out = new Float64Array(a.length);
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (typeof v !== 'number') throw typeError('a number', `alpha[${i}]`, v);
      if (!Number.isFinite(v) || v < 0) throw rangeError('a finite number >= 0', `alpha[${i}]`, v);
      out[i] = v;
    }
    return out;
  }
  throw typeError('a number >= 0 or one per target', 'alpha', value);
}

/** Coefficients and intercept in scikit-learn's shapes: vector targets give a vector and a number. */
function shapeResult(coef: Float64Array, p: number, t: number, vector: boolean, intercept: Float64Array, fitIntercept: boolean) {
  const c: Float64Array | Matrix = vector ? coef : { data: coef, shape: [t, p] };
  const b: number | Float64Array = !fitIntercept ? 0 : vector ? intercept[0]! : intercept;
  return { coef: c, intercept: b };
}

/** intercept = yOffset - xOffset · coef (per target); scikit-learn's `_set_intercept`. */
function interceptOf(coef: Float64Array, p: number, t: number, xOffset: Float64Array, yOffset: Float64Array): Float64Array {
  const b = new Float64Array(t);
  for (let c = 0; c < t; c++) {
    let s = 0;
    for (let j = 0; j < p; j++) s += xOffset[j]! * coef[c * p + j]!;
    b[c] = yOffset[c]! - s;
  }
  return b;
}

/** Ridge on inputs already read: the fitted state (inputs are changed in place). */
function fitRidge(x: ReadMatrix, yy: ReadTargets, alpha: number | Float64Array, fitIntercept: boolean, sw: Float64Array | undefined): LinearState {
  const t = yy.cols;
  let alphas: Float64Array;
  if (typeof alpha === 'number') alphas = new Float64Array(t).fill(alpha);
  else if (alpha.length === t) alphas = alpha;
  else if (alpha.length === 1) alphas = new Float64Array(t).fill(alpha[0]!);
  else throw rangeError(`1 or ${t} penalties (one per target)`, 'alpha.length', alpha.length);
  const pr = prepare(x, yy, fitIntercept, sw);
  const coef = solveRidge(pr.xc, pr.n, pr.p, pr.yc, t, alphas);
  const interceptVec = fitIntercept ? interceptOf(coef, pr.p, t, pr.xOffset, pr.yOffset) : new Float64Array(t);
  return { coef, interceptVec, p: pr.p, t, vector: pr.vector, fitIntercept };
}

interface LinearState {
  coef: Float64Array; // t x p
  interceptVec: Float64Array; // t
  p: number;
  t: number;
  vector: boolean;
  fitIntercept: boolean;
}

/** X coefᵀ + intercept, shaped like the targets given to fit. */
function predictLinear(s: LinearState, X: MatrixLike): Float64Array | Matrix {
  const { data, rows, cols } = readMatrix(X, 'X', { readOnly: true });
  checkFeatures(cols, s.p, 'X');
  const out = matmulABt(data, rows, cols, s.coef, s.t);
  if (s.fitIntercept) for (let i = 0; i < rows; i++) for (let c = 0; c < s.t; c++) out[i * s.t + c] = out[i * s.t + c]! + s.interceptVec[c]!;
  return s.vector ? out : { data: out, shape: [rows, s.t] };
}

/**
 * What Ridge and RidgeCV share: the fitted state, its attributes shaped as scikit-learn's (`coef_`, `intercept_`,
 * `n_features_in_`), `predict`, and the reading of fit's inputs.
 */
abstract class LinearRidgeBase<S extends LinearState> {
  protected state?: S;

  protected abstract readonly modelName: string;

  protected fitted(): S {
    if (!this.state) throw notFitted(this.modelName);
    return this.state;
  }

  /** The coefficients (`coef_`): a vector for a vector y, else `[nTargets, nFeatures]`. */
  get coef(): Float64Array | Matrix {
    const s = this.fitted();
    return shapeResult(s.coef, s.p, s.t, s.vector, s.interceptVec, s.fitIntercept).coef;
  }
  /** The intercept (`intercept_`): a number for a vector y or without intercept, else one per target. */
  get intercept(): number | Float64Array {
    const s = this.fitted();
    return shapeResult(s.coef, s.p, s.t, s.vector, s.interceptVec, s.fitIntercept).intercept;
  }
  /** Number of features seen in fit (`n_features_in_`). */
  get nFeaturesIn(): number {
    return this.fitted().p;
  }

  /** X coefᵀ + intercept: a vector for a vector y in fit, else `[n, nTargets]`. */
  predict(X: MatrixLike): Float64Array | Matrix {
    return predictLinear(this.fitted(), X);
  }

  /** fit's inputs read and checked: X, y (same rows) and the sample weights. */
  protected readFit(X: MatrixLike, y: TargetsLike, options: RidgeFitOptions | undefined): { x: ReadMatrix; yy: ReadTargets; sw: Float64Array | undefined } {
    return this.readWith(readMatrix(X, 'X'), y, options);
  }

  /** readFit for rows of a matrix already read: a copy of those rows (not checked again), and y and the weights. */
  protected readFitRows(x: ReadMatrix, rows: Uint32Array, y: TargetsLike, options: RidgeFitOptions | undefined): { x: ReadMatrix; yy: ReadTargets; sw: Float64Array | undefined } {
    return this.readWith({ data: gatherRows(x, rows).data, rows: rows.length, cols: x.cols }, y, options);
  }

  /** y read and checked for `rows` rows of X. */
  protected readTargetsFor(rows: number, y: TargetsLike): ReadTargets {
    const yy = readTargets(y, 'y');
    checkSameRows(yy.rows, 'y', rows, 'X');
    return yy;
  }

  private readWith(x: ReadMatrix, y: TargetsLike, options: RidgeFitOptions | undefined): { x: ReadMatrix; yy: ReadTargets; sw: Float64Array | undefined } {
    const o = readOptions<RidgeFitOptions>(options);
    const yy = this.readTargetsFor(x.rows, y);
    return { x, yy, sw: readSampleWeight(o.sampleWeight, x.rows, { scalar: true, nonNegative: true }) ?? undefined };
  }
}

/**
 * Ridge regression: minimises ‖y - Xw - b‖² + α‖w‖² per target, equal to scikit-learn 1.2's `Ridge` with
 * `solver='auto'` on dense X (the `cholesky` solver).
 *
 * With `fitIntercept`, X and y are centred on their (weighted) means first and the intercept is
 * b = ȳ - x̄·w; sample weights w_i scale the rows by sqrt(w_i). For p <= n the primal normal equations
 * (XᵀX + αI) w = Xᵀy are solved by Cholesky, else the dual (XXᵀ + αI) d = y with w = Xᵀd. A singular primal
 * system (α = 0 with rank-deficient X) gives the minimum-norm SVD solution as scikit-learn's fallback; a
 * singular dual system gives the least-squares dual with a warning (code `AUDIOMILL_CONVERGENCE`), as
 * scikit-learn warns. Systems whose Cholesky pivot falls below dim·eps of the largest diagonal are treated as
 * singular too (scikit-learn then returns LAPACK's ill-conditioned solution with a `LinAlgWarning`).
 *
 * Fitted attributes (scikit-learn's `coef_`, `intercept_`): `coef` is a `Float64Array` (p) when y was a
 * vector, else a `[nTargets, p]` matrix; `intercept` is a number for a vector y (0 without intercept, for any
 * y), else one per target. Input is widened to float64 (scikit-learn keeps float32 input in float32).
 *
 * Errors: NaN or infinity in X or y, mismatched lengths, a negative α, or a number of penalties other than 1
 * or the number of targets are RangeErrors (scikit-learn's ValueErrors).
 */
export class Ridge extends LinearRidgeBase<LinearState> {
  readonly alpha: number | Float64Array;
  readonly fitIntercept: boolean;
  protected readonly modelName = 'Ridge';

  constructor(options?: RidgeOptions) {
    super();
    const o = readOptions<RidgeOptions>(options);
    this.alpha = o.alpha === undefined ? 1 : readAlpha(o.alpha);
    this.fitIntercept = o.fitIntercept === undefined ? true : bool(o.fitIntercept, 'fitIntercept');
  }

  /** Fits the coefficients to X (n x p) and y (n, or n x nTargets). Returns this. */
  fit(X: MatrixLike, y: TargetsLike, options?: RidgeFitOptions): this {
    const { x, yy, sw } = this.readFit(X, y, options);
    this.state = fitRidge(x, yy, this.alpha, this.fitIntercept, sw);
    return this;
  }
}

function readAlphas(value: unknown): Float64Array {
  if (!(ArrayBuffer.isView(value) || Array.isArray(value))) throw typeError('an array of penalties', 'alphas', value);
  const a = value as ArrayLike<unknown>;
  if (a.length === 0) throw rangeError('at least one penalty', 'alphas', value);
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (typeof v !== 'number') throw typeError('a number', `alphas[${i}]`, v);
    if (!Number.isFinite(v) || !(v > 0)) throw rangeError('a finite number > 0', `alphas[${i}]`, v);
    out[i] = v;
  }
  return out;
}

/** A score beats the best so far when it is larger, or when the best is NaN and it is not (NaN never wins). */
function beats(score: number, best: number): boolean {
  return Number.isNaN(best) ? !Number.isNaN(score) : score > best;
}

function readFolds(cv: readonly RidgeCvFold[], n: number): { train: Uint32Array; test: Uint32Array }[] {
  if (cv.length === 0) throw rangeError('at least one fold', 'cv', cv);
  return cv.map((f, k) => {
    if (f === null || typeof f !== 'object') throw typeError('a fold { train, test }', `cv[${k}]`, f);
    const read = (a: unknown, side: string) => {
      if (!(ArrayBuffer.isView(a) || Array.isArray(a))) throw typeError('an array of row indices', `cv[${k}].${side}`, a);
      const arr = a as ArrayLike<unknown>;
      const out = new Uint32Array(arr.length);
      for (let i = 0; i < arr.length; i++) {
        const v = arr[i];
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= n) throw rangeError(`a row index in 0 .. ${n - 1}`, `cv[${k}].${side}[${i}]`, v);
        out[i] = v;
      }
      if (out.length === 0) throw rangeError('at least one row', `cv[${k}].${side}`, a);
      return out;
    };
    return { train: read(f.train, 'train'), test: read(f.test, 'test') };
  });
}

/**
 * scikit-learn 1.2's `r2_score(y, y_pred)` with `multioutput='uniform_average'` (what `Ridge.score` returns):
 * 1 - SS_res / SS_tot per target, a constant target scoring 1 when predicted exactly and 0 otherwise
 * (`force_finite`), averaged over targets; NaN for fewer than two samples (the caller warns).
 */
function r2Uniform(yTrue: Float64Array, yPred: Float64Array, n: number, t: number): number {
  if (n < 2) return NaN;
  let total = 0;
  for (let c = 0; c < t; c++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += yTrue[i * t + c]!;
    mean /= n;
    let num = 0, den = 0;
    for (let i = 0; i < n; i++) {
      const v = yTrue[i * t + c]!;
      const r = v - yPred[i * t + c]!;
      num += r * r;
      den += (v - mean) * (v - mean);
    }
    total += den !== 0 ? 1 - num / den : num !== 0 ? 0 : 1;
  }
  return total / t;
}

/**
 * Ridge regression with the penalty chosen by cross-validation, equal to scikit-learn 1.2's `RidgeCV`.
 *
 * Leave-one-out (`cv` undefined, `_RidgeGCV`): for every α the leave-one-out residuals come in closed form,
 * e_i = c_i / G⁻¹_ii with G = XcXcᵀ + αI (the intercept direction unpenalised) and c = G⁻¹ y, from one
 * eigendecomposition: of XcᵀXc when n > p (scikit-learn's `gcv_mode='svd'`), of XcXcᵀ when n <= p (`'eigen'`).
 * The score is minus the mean of e² over samples and targets (per target with `alphaPerTarget`), `bestScore`
 * the best of them (scikit-learn's `best_score_`), ties going to the first α. The coefficients are Xcᵀ c of the
 * chosen α (equal to `Ridge({ alpha })`).
 *
 * k-fold (`cv` a number, or explicit folds): for every α, Ridge is fitted on each training side and scored by R²
 * (`r2_score`, uniform average over targets) on the test side (sample weights are used for fitting only, as
 * scikit-learn's `GridSearchCV`); `bestScore` is the best mean fold R², and the model is refitted on all data.
 *
 * Attributes: `alphaSelected` (`alpha_`; one per target with `alphaPerTarget` and several targets),
 * `bestScore` (`best_score_`; one per target with `alphaPerTarget` and a matrix y), `coef`, `intercept` (shaped as
 * in `Ridge`). Edge cases: a NaN score (one sample: 0/0 residuals; a test fold of one sample) is returned as
 * scikit-learn does, with a warning (code `AUDIOMILL_UNDEFINED_METRIC`); NaN never wins. α <= 0, `cv` < 2 or
 * above n, `alphaPerTarget` with `cv`, NaN or infinity in X or y, and mismatched lengths are RangeErrors.
 */
export class RidgeCV extends LinearRidgeBase<LinearState & { alpha: number | Float64Array; bestScore: number | Float64Array }> {
  readonly alphas: Float64Array;
  readonly fitIntercept: boolean;
  readonly cv: number | readonly RidgeCvFold[] | undefined;
  readonly alphaPerTarget: boolean;
  protected readonly modelName = 'RidgeCV';

  constructor(options?: RidgeCVOptions) {
    super();
    const o = readOptions<RidgeCVOptions>(options);
    this.alphas = o.alphas === undefined ? Float64Array.of(0.1, 1, 10) : readAlphas(o.alphas);
    this.fitIntercept = o.fitIntercept === undefined ? true : bool(o.fitIntercept, 'fitIntercept');
    this.alphaPerTarget = o.alphaPerTarget === undefined ? false : bool(o.alphaPerTarget, 'alphaPerTarget');
    if (o.cv === undefined) this.cv = undefined;
    else if (typeof o.cv === 'number') this.cv = int(o.cv, 'cv', 2);
    else if (Array.isArray(o.cv)) this.cv = o.cv;
    else throw typeError('undefined, a number of folds or an array of folds', 'cv', o.cv);
    if (this.cv !== undefined && this.alphaPerTarget) {
      throw rangeError('alphaPerTarget false when cv is given (per-target penalties need leave-one-out)', 'alphaPerTarget', true);
    }
  }

  /** The chosen penalty (`alpha_`): one per target with `alphaPerTarget` and several targets. */
  get alphaSelected(): number | Float64Array {
    return this.fitted().alpha;
  }
  /** The score of the chosen penalty (`best_score_`): minus the LOO mean squared error, or the mean fold R². */
  get bestScore(): number | Float64Array {
    return this.fitted().bestScore;
  }
  /** Chooses α and fits the coefficients. Returns this. */
  fit(X: MatrixLike, y: TargetsLike, options?: RidgeFitOptions): this {
    const { x, yy, sw } = this.readFit(X, y, options);
    if (this.cv === undefined) {
      const pr = prepare(x, yy, this.fitIntercept, sw);
      this.fitLoo(pr, pr.n > pr.p ? ridgeLooParts([looProblem(pr, undefined)], this.alphas)[0] : undefined);
    } else {
      this.fitFolds(x, yy, sw);
    }
    return this;
  }

  /**
   * Fits a new RidgeCV with this one's options to each job: the same models as `new RidgeCV(options).fit` on each in
   * turn (to rounding), faster. A job with `rows` fits those rows of its X (X is only read); with leave-one-out (no
   * `cv`), unweighted jobs that keep more than half of one X's rows and more rows than features, no row twice, share
   * the work on it: Gram matrices of the rows each leaves out, about X's mean, from which each job's comes. The
   * leave-one-out decompositions then run in one native batch on the pool (crossValidate hands its folds over this
   * way), or as many at a time as it has threads when their memory would pass 512 MiB.
   */
  fitMany(jobs: readonly RidgeFitJob[]): RidgeCV[] {
    if (!Array.isArray(jobs)) throw typeError('an array of jobs ({ X, y, rows?, options? })', 'jobs', jobs);
    jobs.forEach((j, i) => {
      if (j === null || typeof j !== 'object') throw typeError('a job ({ X, y, rows?, options? })', `jobs[${i}]`, j);
    });
    const options: RidgeCVOptions = { alphas: this.alphas, fitIntercept: this.fitIntercept, alphaPerTarget: this.alphaPerTarget, ...(this.cv === undefined ? {} : { cv: this.cv }) };
    const models = jobs.map(() => new RidgeCV(options));
    const sources = new Map<unknown, SharedRows>();
    const source = (X: MatrixLike): SharedRows => {
      let sh = sources.get(X);
      if (!sh) sources.set(X, (sh = { x: readMatrix(X, `jobs[${jobs.findIndex((j) => j.X === X)}].X`, { readOnly: true }) }));
      return sh;
    };
    const rowsOf = (j: RidgeFitJob, i: number): Uint32Array | undefined => (j.rows === undefined ? undefined : readRows(j.rows, source(j.X).x.rows, `jobs[${i}].rows`));
    if (this.cv !== undefined) {
      return models.map((m, i) => {
        const j = jobs[i]!;
        const rows = rowsOf(j, i);
        return m.fit(rows ? gatherRows(source(j.X).x, rows) : j.X, j.y, j.options);
      });
    }
    const rowLists = jobs.map((j, i) => rowsOf(j, i));
    // Unweighted rows of a shared X with more rows than features (crossValidate's folds) stay in X, read natively as
    // needed; other jobs are copied (their own X, or their rows) to be centred and weighted.
    const inPlace = jobs.map((j, i) => {
      const rows = rowLists[i];
      return rows !== undefined && readOptions<RidgeFitOptions>(j.options).sampleWeight === undefined && rows.length > source(j.X).x.cols;
    });
    // Memory: a job's copy, if any, and its p x p state while it is decomposed (its Gram matrix, the reflectors'
    // blocks: ~16 p² bytes); the shared Gram matrices (8 p² bytes a job) are made only when all of them fit the budget.
    // Every job goes in one native batch (its scheduler overlaps one job's reduction with another's rows) when the
    // whole fits RIDGE_BATCH_BYTES, else as many at a time as the pool has threads.
    const square = (i: number) => 8 * (rowLists[i] ? source(jobs[i]!.X).x.cols : 0) ** 2;
    const gramBytes = jobs.reduce((sum, _, i) => sum + square(i), 0);
    const shared = gramBytes <= RIDGE_BATCH_BYTES ? this.sharedGrams(jobs, rowLists, source) : new Map<number, SharedGram>();
    const bytes = jobs.reduce((sum, j, i) => sum + (inPlace[i] ? 0 : copyBytes(j, rowLists[i], source)) + 2 * square(i), 0);
    const batch = bytes <= RIDGE_BATCH_BYTES ? Math.max(1, jobs.length) : Math.max(1, getNumThreads());
    for (let b0 = 0; b0 < jobs.length; b0 += batch) {
      const ids = Array.from({ length: Math.min(batch, jobs.length - b0) }, (_, k) => b0 + k);
      const problems = ids.map((i) => {
        const j = jobs[i]!;
        const rows = rowLists[i];
        let pr: Problem;
        if (rows && inPlace[i]) {
          // Unweighted rows (crossValidate's folds): left in X, read natively as needed.
          pr = prepareRows(source(j.X).x, rows, models[i]!.readTargetsFor(rows.length, j.y), this.fitIntercept);
        } else {
          const { x, yy, sw } = rows ? models[i]!.readFitRows(source(j.X).x, rows, j.y, j.options) : models[i]!.readFit(j.X, j.y, j.options);
          pr = prepare(x, yy, this.fitIntercept, sw);
        }
        const sh = shared.get(i);
        shared.delete(i);
        return { pr, gram: sh && pr.n > pr.p ? jobGram(sh, pr) : undefined };
      });
      const primal = problems.flatMap((q, k) => (q.pr.n > q.pr.p ? [k] : []));
      const parts = ridgeLooParts(primal.map((k) => looProblem(problems[k]!.pr, problems[k]!.gram)), this.alphas);
      const partOf = new Map(primal.map((k, q) => [k, parts[q]!]));
      ids.forEach((i, k) => models[i]!.fitLoo(problems[k]!.pr, partOf.get(k)));
    }
    return models;
  }

  /**
   * The shared work of the jobs that take rows of one X (no sample weights, more rows than features, no row twice, and
   * fewer rows left out than kept): X centred on its mean, the Gram matrix of each job's rows left out, and the Gram
   * matrix of all rows, the sum of those when the rows left out partition X (k folds), else formed.
   */
  private sharedGrams(jobs: readonly RidgeFitJob[], rowLists: readonly (Uint32Array | undefined)[], source: (X: MatrixLike) => SharedRows): Map<number, SharedGram> {
    const out = new Map<number, SharedGram>();
    const groups = new Map<SharedRows, number[]>();
    jobs.forEach((j, i) => {
      const rows = rowLists[i];
      if (!rows || j.options?.sampleWeight !== undefined) return;
      const sh = source(j.X);
      if (rows.length <= sh.x.cols || 2 * rows.length <= sh.x.rows) return;
      groups.set(sh, [...(groups.get(sh) ?? []), i]);
    });
    for (const [sh, ids] of groups) {
      const { rows: n, cols: p } = sh.x;
      const left: Uint32Array[] = [];
      const keep: number[] = [];
      const times = new Uint32Array(n);
      for (const i of ids) {
        const mark = new Uint8Array(n);
        let twice = false;
        for (const r of rowLists[i]!) {
          if (mark[r] === 1) twice = true;
          mark[r] = 1;
        }
        if (twice) continue;
        const l = new Uint32Array(n - rowLists[i]!.length);
        for (let r = 0, k = 0; r < n; r++) if (mark[r] === 0) l[k++] = r;
        for (const r of l) times[r] = times[r]! + 1;
        left.push(l);
        keep.push(i);
      }
      if (keep.length === 0) continue;
      const mean = this.fitIntercept ? weightedMeans(sh.x.data, n, p, new Float64Array(n).fill(1), n) : new Float64Array(p);
      // The Gram matrices about the overall mean, of the rows each job leaves out and of all rows (read in place).
      const grams = left.map((l) => gramOfCols(sh.x.data, l.length, p, { rows: l, shift: mean }));
      let all: Float64Array;
      if (times.every((c) => c === 1)) {
        all = grams[0]!.slice();
        for (let f = 1; f < grams.length; f++) addScaledRow(all, 1, p * p, grams[f]!, 1);
      } else {
        all = gramOfCols(sh.x.data, n, p, { shift: mean });
      }
      keep.forEach((i, f) => out.set(i, { mean, all, left: grams[f]! }));
    }
    return out;
  }

  /** Leave-one-out over the penalties: `primal` holds the native parts (n > p), else the eigen path runs here. */
  private fitLoo(pr: Problem, primal: { quad: Float64Array; fitted: Float64Array } | undefined): void {
    const { xc, yc, n, p, t, sqrtSw } = pr;
    const fi = this.fitIntercept;
    let s2 = 0;
    for (let i = 0; i < n; i++) s2 += sqrtSw[i]! * sqrtSw[i]!;
    // sᵀY per target (the intercept direction's share of y; ~0 once y is centred).
    const sy = new Float64Array(t);
    for (let i = 0; i < n; i++) for (let c = 0; c < t; c++) sy[c] = sy[c]! + (sqrtSw[i]! * yc[i * t + c]!);

    // One decomposition serves every α: G⁻¹ (G = XcXcᵀ + αI, the intercept direction unpenalised) has
    // primal (n > p, scikit-learn's gcv_mode 'svd'): with XcᵀXc = Q T Qᵀ (T tridiagonal) and Z = Xc Q,
    //   G⁻¹ = (I - Z (T + αI)⁻¹ Zᵀ) / α - [fi] s sᵀ / (‖s‖² α)   (s ⟂ range(Xc): its direction is unpenalised),
    //   so diag(G⁻¹) and G⁻¹y need, per α, one L D Lᵀ of T + αI and a quadratic form per row (the C++ core);
    //   scikit-learn's SVD gives the same G⁻¹ through T's eigenvectors, which this never forms;
    // eigen (n <= p, gcv_mode 'eigen'): with XcXcᵀ + [fi] s sᵀ = Q diag(λ) Qᵀ,
    //   G⁻¹ = Q diag(w) Qᵀ, w = 1/(λ+α) except 0 on the eigenvector closest to s (scikit-learn's
    //   `_find_smallest_angle`), which keeps the intercept direction out without a cancellation.
    // fillAlpha(ai) writes diag(G⁻¹) into gdiag and G⁻¹Y into c.
    const gdiag = new Float64Array(n);
    const c = new Float64Array(n * t);
    const na = this.alphas.length;
    let fillAlpha: (ai: number) => void;
    if (primal !== undefined) {
      // Z (T + αI)⁻¹ Zᵀ Y and the quadratic forms for every α, from the C++ core (ridgeLooParts).
      const { quad, fitted } = primal;
      fillAlpha = (ai) => {
        const alpha = this.alphas[ai]!;
        for (let i = 0; i < n; i++) {
          const si = sqrtSw[i]!;
          gdiag[i] = (1 - quad[ai * n + i]!) / alpha - (fi ? (si * si) / (s2 * alpha) : 0);
          for (let cc = 0; cc < t; cc++) {
            c[i * t + cc] = (yc[i * t + cc]! - fitted[i * na * t + ai * t + cc]!) / alpha - (fi ? (si * sy[cc]!) / (s2 * alpha) : 0);
          }
        }
      };
    } else {
      const gram = gramRows(xc, n, p);
      if (fi) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) gram[i * n + j] = gram[i * n + j]! + sqrtSw[i]! * sqrtSw[j]!;
      const eig = symmetricEigen(gram, n);
      const lam = eig.values.map((v) => Math.max(v, 0));
      const z = transpose(eig.vectors, n, n); // z[i][j] = q_j[i]
      const zty = matmulAtB(z, n, n, yc, t);
      let interceptDim = -1;
      if (fi) {
        let best = -1;
        const sn = Math.sqrt(s2);
        for (let j = 0; j < n; j++) {
          let cs = 0;
          for (let i = 0; i < n; i++) cs += (sqrtSw[i]! / sn) * eig.vectors[j * n + i]!;
          if (Math.abs(cs) > best) {
            best = Math.abs(cs);
            interceptDim = j;
          }
        }
      }
      const w = new Float64Array(n);
      fillAlpha = (ai) => {
        const alpha = this.alphas[ai]!;
        for (let j = 0; j < n; j++) w[j] = j === interceptDim ? 0 : 1 / (lam[j]! + alpha);
        for (let i = 0; i < n; i++) {
          const zi = i * n;
          let g = 0;
          for (let j = 0; j < n; j++) g += w[j]! * z[zi + j]! * z[zi + j]!;
          gdiag[i] = g;
          for (let cc = 0; cc < t; cc++) {
            let v = 0;
            for (let j = 0; j < n; j++) v += w[j]! * z[zi + j]! * zty[j * t + cc]!;
            c[i * t + cc] = v;
          }
        }
      };
    }
    const perTarget = this.alphaPerTarget && t > 1;
    const scoreArray = this.alphaPerTarget && !pr.vector;

    let bestC: Float64Array | undefined;
    let bestScore: number | Float64Array = NaN;
    let bestAlpha: number | Float64Array = NaN;
    let sawNaN = false;
    for (let ai = 0; ai < na; ai++) {
      const alpha = this.alphas[ai]!;
      fillAlpha(ai);
      // Squared LOO errors (c / diag(G⁻¹))², averaged.
      const sums = new Float64Array(t);
      for (let i = 0; i < n; i++) {
        for (let cc = 0; cc < t; cc++) {
          const e = c[i * t + cc]! / gdiag[i]!;
          sums[cc] = sums[cc]! + e * e;
        }
      }
      let score: number | Float64Array;
      if (scoreArray) score = sums.map((s) => -s / n);
      else {
        let tot = 0;
        for (let cc = 0; cc < t; cc++) tot += sums[cc]!;
        score = -tot / (n * t);
      }
      if (typeof score === 'number' ? Number.isNaN(score) : score.some(Number.isNaN)) sawNaN = true;
      if (bestC === undefined) {
        bestC = Float64Array.from(c);
        bestScore = score;
        bestAlpha = perTarget ? new Float64Array(t).fill(alpha) : alpha;
      } else if (perTarget) {
        const bs = bestScore as Float64Array, sc = score as Float64Array, ba = bestAlpha as Float64Array;
        for (let cc = 0; cc < t; cc++) {
          if (beats(sc[cc]!, bs[cc]!)) {
            bs[cc] = sc[cc]!;
            ba[cc] = alpha;
            for (let i = 0; i < n; i++) bestC[i * t + cc] = c[i * t + cc]!;
          }
        }
      } else {
        const better = typeof score === 'number' ? beats(score, bestScore as number) : beats(score[0]!, (bestScore as Float64Array)[0]!);
        if (better) {
          bestC = Float64Array.from(c);
          bestScore = score;
          bestAlpha = alpha;
        }
      }
    }
    if (sawNaN) warn(UNDEFINED_METRIC, 'RidgeCV: a leave-one-out score is NaN (0/0 residuals, e.g. a single sample); NaN scores never win');
    const coef = xcT(pr, bestC!);
    const interceptVec = fi ? interceptOf(coef, p, t, pr.xOffset, pr.yOffset) : new Float64Array(t);
    this.state = { coef, interceptVec, p, t, vector: pr.vector, fitIntercept: fi, alpha: bestAlpha, bestScore };
  }

  private fitFolds(x: ReadMatrix, yy: ReadTargets, sw: Float64Array | undefined): void {
    const { rows: n, cols: p } = x;
    const t = yy.cols;
    let folds: { train: Uint32Array; test: Uint32Array }[];
    if (typeof this.cv === 'number') {
      if (this.cv > n) throw rangeError(`a number of folds <= the number of samples (${n})`, 'cv', this.cv);
      folds = kFold(n, { nSplits: this.cv });
    } else {
      folds = readFolds(this.cv!, n);
    }
    // Folds outer, penalties inner: one Gram matrix per fold serves every α (fold sums still taken in fold order).
    const sums = new Float64Array(this.alphas.length);
    for (const f of folds) {
      const xTr = { data: takeRows(x.data, p, f.train), rows: f.train.length, cols: p };
      const yTr = { data: takeRows(yy.data, t, f.train), rows: f.train.length, cols: t, vector: yy.vector };
      const swTr = sw ? Float64Array.from(f.train, (i) => sw[i]!) : undefined;
      const pr = prepare(xTr, yTr, this.fitIntercept, swTr);
      const cache: RidgeGramCache = {};
      const xTe = takeRows(x.data, p, f.test);
      const yTe = takeRows(yy.data, t, f.test);
      for (let ai = 0; ai < this.alphas.length; ai++) {
        const alphas = new Float64Array(t).fill(this.alphas[ai]!);
        const coef = solveRidge(pr.xc, pr.n, p, pr.yc, t, alphas, cache);
        const b = this.fitIntercept ? interceptOf(coef, p, t, pr.xOffset, pr.yOffset) : new Float64Array(t);
        const pred = matmulABt(xTe, f.test.length, p, coef, t);
        for (let i = 0; i < f.test.length; i++) for (let c = 0; c < t; c++) pred[i * t + c] = pred[i * t + c]! + b[c]!;
        sums[ai] = sums[ai]! + r2Uniform(yTe, pred, f.test.length, t);
      }
    }
    const scores = sums.map((v) => v / folds.length);
    const sawNaN = scores.some(Number.isNaN);
    let best = 0;
    for (let ai = 1; ai < scores.length; ai++) {
      if (scores[ai]! > scores[best]! || (Number.isNaN(scores[best]!) && !Number.isNaN(scores[ai]!))) best = ai;
    }
    if (sawNaN) {
      warn(UNDEFINED_METRIC, 'RidgeCV: one or more of the cross-validation scores are NaN (R² is not defined for a test fold of fewer than two samples); NaN scores never win');
    }
    const alpha = this.alphas[best]!;
    const refit = fitRidge(x, yy, alpha, this.fitIntercept, sw);
    this.state = { ...refit, alpha, bestScore: scores[best]! };
  }
}

