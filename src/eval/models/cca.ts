/**
 * `CCA`: scikit-learn 1.2's `sklearn.cross_decomposition.CCA` (`_PLS` with canonical deflation, mode B, the
 * NIPALS power method). Formulas in docs/evaluation.md, "CCA".
 */
import { bool, int, num, rangeError } from '../../validate.js';
import {
  EPS,
  centerColumns,
  checkFeatures,
  checkSameRows,
  columnMeans,
  columnStd,
  matVec,
  matmul,
  matmulABt,
  notFitted,
  pinv,
  transpose,
} from '../linalg.js';
import { readOptions, readMatrix, readTargets, type Matrix, type MatrixLike, type TargetsLike } from '../inputs.js';
import { CONVERGENCE, UNDEFINED_METRIC, warn } from '../warnings.js';

/** Options of `CCA` (scikit-learn's constructor arguments). */
export interface CCAOptions {
  /** Number of canonical pairs, 1 .. min(nSamples, nFeatures of X, nFeatures of Y) (default 2). */
  nComponents?: number;
  /** Divide X and Y by their per-feature sample standard deviation (ddof 1) after centring (default true). */
  scale?: boolean;
  /** Most power-method iterations per component (default 500). */
  maxIter?: number;
  /** Convergence: stop when the squared change of the x weights is below it (default 1e-6). */
  tol?: number;
}

/** Scores of `CCA.transform(X, Y)`. */
export interface CCAScores {
  xScores: Matrix;
  yScores: Matrix;
}

interface CcaState {
  p: number;
  q: number;
  k: number;
  xMean: Float64Array;
  yMean: Float64Array;
  xStd: Float64Array;
  yStd: Float64Array;
  xWeights: Float64Array; // p x k
  yWeights: Float64Array; // q x k
  xLoadings: Float64Array; // p x k
  yLoadings: Float64Array; // q x k
  xRotations: Float64Array; // p x k
  yRotations: Float64Array; // q x k
  coef: Float64Array; // q x p
  nIter: number[];
  canonicalCorrelations: Float64Array;
}

/** Pearson correlation as NumPy's `corrcoef(a, b)[0, 1]` (clipped to [-1, 1]); NaN for a constant input. */
function corr(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  let ma = 0, mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= n;
  mb /= n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i]! - ma, db = b[i]! - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  const r = sab / (n - 1) / Math.sqrt((saa / (n - 1)) * (sbb / (n - 1)));
  return Number.isNaN(r) ? r : Math.max(-1, Math.min(1, r));
}

function column(a: Float64Array, rows: number, cols: number, j: number): Float64Array {
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) out[i] = a[i * cols + j]!;
  return out;
}

/** scikit-learn's `_pinv2_old`: the pseudo-inverse keeping singular values above s_max 1e6 eps. */
function pinvOld(a: Float64Array, m: number, n: number): Float64Array {
  return pinv(a, m, n, (sMax) => sMax * 1e6 * EPS);
}

/**
 * Canonical correlation analysis, equal to scikit-learn 1.2's `CCA` (NIPALS, canonical deflation, mode B).
 *
 * X and Y are centred and (with `scale`) divided by their per-feature standard deviation (ddof 1; 1 for a
 * constant feature). For each component, on the deflated Xk, Yk: starting from the first non-constant column
 * of Yk as the y score, the power method alternates u = Xk⁺ y_score / ‖·‖, x_score = Xk u,
 * v = Yk⁺ x_score / ‖·‖, y_score = Yk v / (vᵀv) (‖·‖ + eps in the divisions as scikit-learn; pseudo-inverses
 * keep singular values above s_max 1e6 eps), until ‖u - u_old‖² < tol (one iteration when Y has one column);
 * the signs are fixed so the largest |u| entry is positive; then both blocks are deflated by their own scores
 * (Xk -= x_score x_loadingᵀ, x_loading = Xkᵀ x_score / ‖x_score‖², same for Y). Rotations turn new data into
 * scores: `xRotations` = W (PᵀW)⁺, `yRotations` = C (QᵀC)⁺ (SciPy's `pinv`).
 *
 * Attributes (scikit-learn's names): `xWeights`, `yWeights`, `xLoadings`, `yLoadings`, `xRotations`,
 * `yRotations` (`[features, nComponents]`), `coef` (`[nTargets, nFeatures]`, scikit-learn 1.3's orientation of
 * `coef_`, 1.2's private `_coef_`), `intercept` (the Y means), `nIter` (iterations per component), and
 * `canonicalCorrelations`: the Pearson correlation of x and y scores of each component on the training data
 * (`np.corrcoef` of the columns of `fit_transform(X, Y)`, as the piano audit computes them).
 *
 * Edge cases: nComponents above min(nSamples, nFeatures X, nFeatures Y), fewer than 2 samples, NaN or infinity,
 * mismatched lengths are RangeErrors (scikit-learn's ValueErrors). When the Y residual becomes constant,
 * scikit-learn warns and stops: the remaining components stay zero (and their correlation is NaN); here the
 * same with warnings (code `AUDIOMILL_UNDEFINED_METRIC`); reaching `maxIter` warns with code `AUDIOMILL_CONVERGENCE`.
 */
export class CCA {
  readonly nComponents: number;
  readonly scale: boolean;
  readonly maxIter: number;
  readonly tol: number;
  private state?: CcaState;

  constructor(options?: CCAOptions) {
    const o = readOptions<CCAOptions>(options);
    this.nComponents = o.nComponents === undefined ? 2 : int(o.nComponents, 'nComponents', 1);
    this.scale = o.scale === undefined ? true : bool(o.scale, 'scale');
    this.maxIter = o.maxIter === undefined ? 500 : int(o.maxIter, 'maxIter', 1);
    this.tol = o.tol === undefined ? 1e-6 : num(o.tol, 'tol', { min: 0 });
  }

  private fitted(): CcaState {
    if (!this.state) throw notFitted('CCA');
    return this.state;
  }

  /** `x_weights_` (p x k): the X weight vectors u of each component. */
  get xWeights(): Matrix {
    const s = this.fitted();
    return { data: s.xWeights, shape: [s.p, s.k] };
  }
  /** `y_weights_` (q x k). */
  get yWeights(): Matrix {
    const s = this.fitted();
    return { data: s.yWeights, shape: [s.q, s.k] };
  }
  /** `x_loadings_` (p x k). */
  get xLoadings(): Matrix {
    const s = this.fitted();
    return { data: s.xLoadings, shape: [s.p, s.k] };
  }
  /** `y_loadings_` (q x k). */
  get yLoadings(): Matrix {
    const s = this.fitted();
    return { data: s.yLoadings, shape: [s.q, s.k] };
  }
  /** `x_rotations_` (p x k): (standardised X) xRotations = x scores. */
  get xRotations(): Matrix {
    const s = this.fitted();
    return { data: s.xRotations, shape: [s.p, s.k] };
  }
  /** `y_rotations_` (q x k). */
  get yRotations(): Matrix {
    const s = this.fitted();
    return { data: s.yRotations, shape: [s.q, s.k] };
  }
  /** Regression coefficients of Y on X, `[nTargets, nFeatures]` (scikit-learn's `_coef_`). */
  get coef(): Matrix {
    const s = this.fitted();
    return { data: s.coef, shape: [s.q, s.p] };
  }
  /** `intercept_`: the Y means. */
  get intercept(): Float64Array {
    return this.fitted().yMean;
  }
  /** `n_iter_`: power-method iterations of each component. */
  get nIter(): number[] {
    return this.fitted().nIter;
  }
  /** Pearson correlation of the x and y scores of each component on the training data. */
  get canonicalCorrelations(): Float64Array {
    return this.fitted().canonicalCorrelations;
  }
  /** Per-feature means and scales used to standardise X and Y (scikit-learn's private `_x_mean` ...). */
  get standardization(): { xMean: Float64Array; xStd: Float64Array; yMean: Float64Array; yStd: Float64Array } {
    const s = this.fitted();
    return { xMean: s.xMean, xStd: s.xStd, yMean: s.yMean, yStd: s.yStd };
  }

  /** Fits the canonical pairs of X (n x p) and Y (n, or n x q). Returns this. */
  fit(X: MatrixLike, Y: TargetsLike): this {
    const x = readMatrix(X, 'X', { minRows: 2 });
    const y = readTargets(Y, 'Y', { minRows: 2 });
    checkSameRows(y.rows, 'Y', x.rows, 'X');
    const n = x.rows, p = x.cols, q = y.cols;
    const k = this.nComponents;
    const bound = Math.min(n, p, q);
    if (k > bound) throw rangeError(`an integer between 1 and min(nSamples, nFeatures of X, nFeatures of Y) = ${bound}`, 'nComponents', k);

    const xk = x.data, yk = y.data;
    const xMean = columnMeans(xk, n, p);
    centerColumns(xk, n, p, xMean);
    const yMean = columnMeans(yk, n, q);
    centerColumns(yk, n, q, yMean);
    let xStd: Float64Array = new Float64Array(p).fill(1);
    let yStd: Float64Array = new Float64Array(q).fill(1);
    if (this.scale) {
      xStd = columnStd(xk, n, p, 1).map((v) => (v === 0 ? 1 : v));
      yStd = columnStd(yk, n, q, 1).map((v) => (v === 0 ? 1 : v));
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < p; j++) xk[i * p + j] = xk[i * p + j]! / xStd[j]!;
        for (let j = 0; j < q; j++) yk[i * q + j] = yk[i * q + j]! / yStd[j]!;
      }
    }

    const xWeights = new Float64Array(p * k), yWeights = new Float64Array(q * k);
    const xLoadings = new Float64Array(p * k), yLoadings = new Float64Array(q * k);
    const nIter: number[] = [];
    for (let comp = 0; comp < k; comp++) {
      // Columns of Yk that are all ~0 become exactly 0.
      for (let j = 0; j < q; j++) {
        let small = true;
        for (let i = 0; i < n && small; i++) if (!(Math.abs(yk[i * q + j]!) < 10 * EPS)) small = false;
        if (small) for (let i = 0; i < n; i++) yk[i * q + j] = 0;
      }
      const found = this.powerMethod(xk, yk, n, p, q, comp);
      if (!found) break;
      const { u, v, iterations } = found;
      nIter.push(iterations);
      // svd_flip on the 1-D pair.
      let arg = 0, best = -1;
      for (let j = 0; j < p; j++) {
        if (Math.abs(u[j]!) > best) {
          best = Math.abs(u[j]!);
          arg = j;
        }
      }
      const sign = Math.sign(u[arg]!);
      for (let j = 0; j < p; j++) u[j] = u[j]! * sign;
      for (let j = 0; j < q; j++) v[j] = v[j]! * sign;
      const xs = matVec(xk, n, p, u);
      const ys = matVec(yk, n, q, v);
      const xl = deflate(xk, n, p, xs);
      const yl = deflate(yk, n, q, ys);
      for (let j = 0; j < p; j++) {
        xWeights[j * k + comp] = u[j]!;
        xLoadings[j * k + comp] = xl[j]!;
      }
      for (let j = 0; j < q; j++) {
        yWeights[j * k + comp] = v[j]!;
        yLoadings[j * k + comp] = yl[j]!;
      }
    }
    const xRotations = rotations(xWeights, xLoadings, p, k);
    const yRotations = rotations(yWeights, yLoadings, q, k);
    // coef (q x p) = ((xRotations yLoadingsᵀ) * yStd)ᵀ
    const c = matmulABt(xRotations, p, k, yLoadings, q); // p x q
    for (let j = 0; j < p; j++) for (let t = 0; t < q; t++) c[j * q + t] = c[j * q + t]! * yStd[t]!;
    const coef = transpose(c, p, q);

    const state: CcaState = {
      p, q, k, xMean, yMean, xStd, yStd, xWeights, yWeights, xLoadings, yLoadings, xRotations, yRotations, coef, nIter,
      canonicalCorrelations: new Float64Array(k),
    };
    this.state = state;
    const scores = this.transform(X, Y);
    const nanCols: number[] = [];
    for (let j = 0; j < k; j++) {
      const r = corr(column(scores.xScores.data, n, k, j), column(scores.yScores.data, n, k, j));
      state.canonicalCorrelations[j] = r;
      if (Number.isNaN(r)) nanCols.push(j);
    }
    if (nanCols.length > 0) warn(UNDEFINED_METRIC, `CCA: the scores of component${nanCols.length > 1 ? 's' : ''} ${nanCols.join(', ')} are constant: their canonical correlation is NaN`);
    return this;
  }

  /** The first singular pair of XkᵀYk by scikit-learn's power method (mode B); undefined when Yk is constant. */
  private powerMethod(xk: Float64Array, yk: Float64Array, n: number, p: number, q: number, comp: number) {
    let start = -1;
    for (let j = 0; j < q && start < 0; j++) for (let i = 0; i < n; i++) if (Math.abs(yk[i * q + j]!) > EPS) {
      start = j;
      break;
    }
    if (start < 0) {
      warn(UNDEFINED_METRIC, `CCA: Y residual is constant at iteration ${comp}: the remaining components are zero`);
      return undefined;
    }
    let yScore: Float64Array = column(yk, n, q, start);
    const xPinv = pinvOld(xk, n, p); // p x n
    const yPinv = pinvOld(yk, n, q); // q x n
    let u: Float64Array = new Float64Array(p);
    let v: Float64Array = new Float64Array(q);
    let old: Float64Array | undefined;
    let i = 0;
    for (; i < this.maxIter; i++) {
      u = matVec(xPinv, p, n, yScore);
      const nu = Math.sqrt(dotv(u, u)) + EPS;
      for (let j = 0; j < p; j++) u[j] = u[j]! / nu;
      const xScore = matVec(xk, n, p, u);
      v = matVec(yPinv, q, n, xScore);
      const nv = Math.sqrt(dotv(v, v)) + EPS;
      for (let j = 0; j < q; j++) v[j] = v[j]! / nv;
      const yy = dotv(v, v) + EPS;
      yScore = matVec(yk, n, q, v);
      for (let t = 0; t < n; t++) yScore[t] = yScore[t]! / yy;
      let diff = 0;
      for (let j = 0; j < p; j++) {
        const dj = u[j]! - (old ? old[j]! : 100);
        diff += dj * dj;
      }
      if (diff < this.tol || q === 1) break;
      old = u;
    }
    const iterations = Math.min(i + 1, this.maxIter);
    if (iterations === this.maxIter) warn(CONVERGENCE, `CCA: maximum number of iterations (${this.maxIter}) reached for component ${comp}`);
    return { u, v, iterations };
  }

  /** Scores of new data: ((X - xMean) / xStd) xRotations, and the same for Y when given. */
  transform(X: MatrixLike): Matrix;
  transform(X: MatrixLike, Y: TargetsLike): CCAScores;
  transform(X: MatrixLike, Y?: TargetsLike): Matrix | CCAScores {
    const s = this.fitted();
    const xs = this.scores(X, 'X', s.xMean, s.xStd, s.xRotations, s.p);
    if (Y === undefined) return xs;
    const y = readTargets(Y, 'Y');
    checkSameRows(y.rows, 'Y', xs.shape[0], 'X');
    const ys = this.scores({ data: y.data, shape: [y.rows, y.cols] }, 'Y', s.yMean, s.yStd, s.yRotations, s.q);
    return { xScores: xs, yScores: ys };
  }

  /** `fit(X, Y)` then `transform(X, Y)`. */
  fitTransform(X: MatrixLike, Y: TargetsLike): CCAScores {
    return this.fit(X, Y).transform(X, Y);
  }

  /** Predicted Y: ((X - xMean) / xStd) coefᵀ + intercept, `[n, nTargets]` (a matrix even for a vector Y, as scikit-learn). */
  predict(X: MatrixLike): Matrix {
    const s = this.fitted();
    const { data, rows, cols } = readMatrix(X, 'X');
    checkFeatures(cols, s.p, 'X');
    standardise(data, rows, cols, s.xMean, s.xStd);
    const out = matmulABt(data, rows, cols, s.coef, s.q);
    for (let i = 0; i < rows; i++) for (let t = 0; t < s.q; t++) out[i * s.q + t] = out[i * s.q + t]! + s.yMean[t]!;
    return { data: out, shape: [rows, s.q] };
  }

  private scores(M: MatrixLike, name: string, mean: Float64Array, std: Float64Array, rot: Float64Array, cols0: number): Matrix {
    const { data, rows, cols } = readMatrix(M, name);
    checkFeatures(cols, cols0, name);
    standardise(data, rows, cols, mean, std);
    const k = this.fitted().k;
    return { data: matmul(data, rows, cols, rot, k), shape: [rows, k] };
  }
}

function standardise(a: Float64Array, rows: number, cols: number, mean: Float64Array, std: Float64Array): void {
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) a[i * cols + j] = (a[i * cols + j]! - mean[j]!) / std[j]!;
}

function dotv(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** loading = Mᵀ score / ‖score‖²; M -= score loadingᵀ (in place). Returns the loading. */
function deflate(m: Float64Array, n: number, cols: number, score: Float64Array): Float64Array {
  const ss = dotv(score, score);
  const loading = new Float64Array(cols);
  for (let i = 0; i < n; i++) {
    const si = score[i]!;
    for (let j = 0; j < cols; j++) loading[j] = loading[j]! + (si * m[i * cols + j]!);
  }
  for (let j = 0; j < cols; j++) loading[j] = loading[j]! / ss;
  for (let i = 0; i < n; i++) {
    const si = score[i]!;
    for (let j = 0; j < cols; j++) m[i * cols + j] = m[i * cols + j]! - si * loading[j]!;
  }
  return loading;
}

/** W (Pᵀ W)⁺ for W, P (dim x k); SciPy's `pinv` rule for the k x k matrix. */
function rotations(w: Float64Array, pl: Float64Array, dim: number, k: number): Float64Array {
  const ptw = matmul(transpose(pl, dim, k), k, dim, w, k); // k x k
  return matmul(w, dim, k, pinv(ptw, k, k), k);
}
