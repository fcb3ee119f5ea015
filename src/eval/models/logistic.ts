/**
 * L2-penalised logistic regression as scikit-learn 1.2's `sklearn.linear_model.LogisticRegression` with
 * `solver='lbfgs'`: binary, one-vs-rest and multinomial (softmax), class and sample weights, fitted by the
 * L-BFGS of src/eval/optimize.ts, which follows the iterates of the SciPy L-BFGS-B run scikit-learn makes.
 */
import { AudiomillError } from '../../errors.js';
import { bool, int, num, oneOf, rangeError, typeError } from '../../validate.js';
import { readMatrix, readOptions, readSampleWeight, toMatrix, type Matrix, type MatrixLike } from '../inputs.js';
import { CONVERGENCE, warn } from '../warnings.js';
import { minimizeLbfgs } from '../optimize.js';
import { type Label, type LabelsInput, compareLabels, readLabels } from './cluster.js';
import { checkFeatures, notFitted } from '../linalg.js';

/** Options of {@link LogisticRegression}; defaults are scikit-learn 1.2's. */
export interface LogisticRegressionOptions {
  /** 'l2' (default) or null: no penalty (C is then ignored). */
  penalty?: 'l2' | null;
  /** Inverse of the penalty strength, > 0. Default 1. */
  C?: number;
  /** Fit an intercept (never penalised). Default true. */
  fitIntercept?: boolean;
  /** Most L-BFGS iterations per problem. Default 100. */
  maxIter?: number;
  /**
   * Stop when every partial derivative of the objective is at most tol in magnitude. Default 1e-4. As in
   * scikit-learn (SciPy's L-BFGS-B with its default `ftol`), a fit also stops when an iteration lowers the
   * objective by at most 2.22e-9 of its value, so a tighter tol than about 1e-6 rarely changes the result.
   */
  tol?: number;
  /**
   * Weights per class, multiplying the sample weights. Default none (all 1). 'balanced': n / (classes × count of
   * the class) (for one-vs-rest, computed per binary problem on its positive/negative labels, as scikit-learn
   * does). An object keyed by the label as a string (`{ '0': 1, '1': 3.5 }`, `{ cat: 2 }`) or a Map from labels:
   * classes not listed weigh 1.
   */
  classWeight?: 'balanced' | Readonly<Record<string, number>> | ReadonlyMap<Label, number>;
  /**
   * 'auto' (default): 'ovr' for two classes, 'multinomial' for more. 'ovr': one binary problem per class
   * (one problem for two classes). 'multinomial': one softmax over all classes (also for two classes).
   */
  multiClass?: 'auto' | 'ovr' | 'multinomial';
}

/** Options of {@link LogisticRegression.fit}. */
export interface LogisticRegressionFitOptions {
  /** A non-negative weight per sample (default all 1). */
  sampleWeight?: ArrayLike<number>;
}

/**
 * Logistic regression with an L2 penalty (scikit-learn 1.2's `LogisticRegression(solver='lbfgs')`). For each
 * problem it minimises
 *
 *   Σᵢ sᵢ ℓ(yᵢ, W xᵢ + b) + ‖W‖² / (2C)
 *
 * (equivalently C·Σᵢ sᵢ ℓ + ½‖W‖²; the intercept b is not penalised), where sᵢ is the sample weight times the class
 * weight and ℓ the log-loss: log(1 + e^z) − y z for a binary problem (y ∈ {0, 1}), log Σ_c e^{z_c} − z_{yᵢ} for the
 * multinomial one. The multinomial intercepts are defined up to a common constant; like scikit-learn's (whose
 * L-BFGS starts from zero) they sum to zero.
 *
 * The optimiser follows SciPy's L-BFGS-B iterates ({@link minimizeLbfgs}) with scikit-learn's settings, so the
 * coefficients, the stopping point and `nIter` are scikit-learn's, to about 1e-10, at any `tol`. Note that
 * scikit-learn's fit stops on L-BFGS-B's relative-reduction test (ftol 2.2e-9) before very small tols are reached,
 * about 1e-6 to 1e-4 from the exact optimum; so does this one.
 *
 * Emits a warning (`AUDIOMILL_CONVERGENCE`, scikit-learn's ConvergenceWarning "lbfgs failed to converge") when a
 * problem hits `maxIter` or its line search fails; the coefficients reached are kept.
 *
 * @example
 * ```ts
 * const lr = new LogisticRegression({ C: 0.5 }).fit(X, y);
 * lr.coef; lr.intercept; lr.predict(Xtest); lr.predictProba(Xtest);
 * ```
 */
export class LogisticRegression {
  /** See {@link LogisticRegressionOptions.penalty}. */
  readonly penalty: 'l2' | null;
  /** See {@link LogisticRegressionOptions.C}. */
  readonly C: number;
  /** See {@link LogisticRegressionOptions.fitIntercept}. */
  readonly fitIntercept: boolean;
  /** See {@link LogisticRegressionOptions.maxIter}. */
  readonly maxIter: number;
  /** See {@link LogisticRegressionOptions.tol}. */
  readonly tol: number;
  /** See {@link LogisticRegressionOptions.classWeight}. */
  readonly classWeight: LogisticRegressionOptions['classWeight'];
  /** See {@link LogisticRegressionOptions.multiClass} (as given; `multinomial` tells what fit resolved). */
  readonly multiClass: 'auto' | 'ovr' | 'multinomial';

  /** The classes, sorted (scikit-learn's `classes_`). */
  classes!: Label[];
  /** Coefficients: 1 × features for two classes (also when multinomial: scikit-learn keeps the second softmax row), classes × features otherwise. */
  coef!: Matrix;
  /** Intercepts, one per row of `coef` (zeros without `fitIntercept`). */
  intercept!: Float64Array;
  /** Iterations per problem: one value, or one per class for one-vs-rest with more than two classes. */
  nIter!: Int32Array;
  /** Features seen in fit. */
  nFeaturesIn!: number;
  /** Whether the fit was multinomial (after resolving 'auto'). */
  multinomial!: boolean;

  /**
   * @param options {@link LogisticRegressionOptions}.
   * @throws TypeError / RangeError for a malformed option (C <= 0: scikit-learn's InvalidParameterError).
   */
  constructor(options: LogisticRegressionOptions = {}) {
    if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
    const penalty = options.penalty === undefined ? 'l2' : options.penalty;
    this.penalty = oneOf(penalty, 'penalty', ['l2', null] as const);
    this.C = num(options.C ?? 1, 'C', { min: 0, exclusiveMin: true });
    this.fitIntercept = bool(options.fitIntercept ?? true, 'fitIntercept');
    this.maxIter = int(options.maxIter ?? 100, 'maxIter', 0);
    this.tol = num(options.tol ?? 1e-4, 'tol', { min: 0 });
    const cw = options.classWeight;
    if (cw !== undefined && cw !== 'balanced' && !(cw instanceof Map) && (cw === null || typeof cw !== 'object' || Array.isArray(cw))) {
      throw (typeof cw === 'string' ? rangeError : typeError)(`'balanced', an object or a Map of class weights`, 'classWeight', cw);
    }
    this.classWeight = cw;
    this.multiClass = oneOf(options.multiClass ?? 'auto', 'multiClass', ['auto', 'ovr', 'multinomial'] as const);
  }

  /**
   * Fits the model.
   * @param X Samples × features (finite).
   * @param y The class of each sample: numbers (integer-valued), strings or booleans.
   * @param options {@link LogisticRegressionFitOptions}.
   * @returns this, fitted.
   * @throws AudiomillError `UNDEFINED_METRIC` when y holds a single class (scikit-learn's ValueError "This solver
   *   needs samples of at least 2 classes in the data, but the data contains only one class").
   * @throws RangeError for NaN or infinite values, y of another length than X's rows, non-integer numeric labels
   *   (scikit-learn: "Unknown label type: 'continuous'"), class weights naming classes that are not in y while
   *   others are left out (scikit-learn: "The classes, [...], are not in class_weight"), bad sample weights.
   */
  fit(X: MatrixLike, y: LabelsInput, options: LogisticRegressionFitOptions = {}): this {
    const m = toMatrix(readMatrix(X, 'X'));
    const [n, d] = m.shape;
    const enc = readLabels(y, 'y', n);
    for (const c of enc.classes) {
      if (typeof c === 'number' && !Number.isInteger(c)) {
        throw rangeError('class labels (integer numbers, strings or booleans; y looks continuous)', 'y', c);
      }
    }
    const { classes, codes, counts } = enc;
    const k = classes.length;
    if (k < 2) {
      throw new AudiomillError(
        'UNDEFINED_METRIC',
        `This solver needs samples of at least 2 classes in the data, but the data contains only one class: ${String(classes[0])}`,
      );
    }
    const sw = readSampleWeight(readOptions(options).sampleWeight, n, { nonNegative: true }) ?? new Float64Array(n).fill(1);
    const multinomial = this.multiClass === 'multinomial' || (this.multiClass === 'auto' && k > 2);
    const l2 = this.penalty === null ? 0 : 1 / this.C;
    const dof = d + (this.fitIntercept ? 1 : 0);
    const cw = this.classWeight;
    const dictWeights = cw !== undefined && cw !== 'balanced' ? classWeightVector(cw, classes) : undefined;

    const rows: Float64Array[] = [];
    const iters: number[] = [];
    const failures: string[] = [];
    if (multinomial) {
      const s = sw.slice();
      const perClass = dictWeights ?? (cw === 'balanced' ? balanced(counts, n) : undefined);
      if (perClass) for (let i = 0; i < n; i++) s[i] = s[i]! * perClass[codes[i]!]!;
      const fg = multinomialObjective(m.data, n, d, k, codes, s, l2, this.fitIntercept);
      const r = minimizeLbfgs(fg, new Float64Array(k * dof), { maxIter: this.maxIter, gtol: this.tol });
      iters.push(Math.min(r.nIter, this.maxIter));
      if (!r.converged) failures.push(r.message);
      for (let c = 0; c < k; c++) rows.push(r.x.slice(c * dof, (c + 1) * dof));
      if (k === 2) rows.splice(0, 1); // scikit-learn keeps the second softmax row for two classes
    } else {
      const problems = k === 2 ? [1] : classes.map((_, c) => c);
      for (const pos of problems) {
        const target = new Float64Array(n);
        for (let i = 0; i < n; i++) target[i] = codes[i] === pos ? 1 : 0;
        const s = sw.slice();
        if (dictWeights) for (let i = 0; i < n; i++) s[i] = s[i]! * dictWeights[codes[i]!]!;
        else if (cw === 'balanced') {
          const nPos = counts[pos]!;
          const wPos = n / (2 * nPos);
          const wNeg = n / (2 * (n - nPos));
          for (let i = 0; i < n; i++) s[i] = s[i]! * (target[i] === 1 ? wPos : wNeg);
        }
        const fg = binaryObjective(m.data, n, d, target, s, l2, this.fitIntercept);
        const r = minimizeLbfgs(fg, new Float64Array(dof), { maxIter: this.maxIter, gtol: this.tol });
        iters.push(Math.min(r.nIter, this.maxIter));
        if (!r.converged) failures.push(r.message);
        rows.push(r.x);
      }
    }
    if (failures.length > 0) {
      warn(CONVERGENCE, `lbfgs failed to converge (${failures[0]}). Increase the number of iterations (maxIter) or scale the data.`);
    }
    const r = rows.length;
    const coef = new Float64Array(r * d);
    const intercept = new Float64Array(r);
    rows.forEach((w, c) => {
      coef.set(w.subarray(0, d), c * d);
      if (this.fitIntercept) intercept[c] = w[d]!;
    });
    this.classes = classes;
    this.coef = { data: coef, shape: [r, d] };
    this.intercept = intercept;
    this.nIter = Int32Array.from(iters);
    this.nFeaturesIn = d;
    this.multinomial = multinomial;
    return this;
  }

  /**
   * X W + b: for two classes a Float64Array of n scores (positive favours `classes[1]`), otherwise an n × classes
   * matrix (scikit-learn's `decision_function`).
   */
  decisionFunction(X: MatrixLike): Float64Array | Matrix {
    const scores = this.scores(X);
    return scores.shape[1] === 1 ? scores.data : scores;
  }

  /**
   * Class probabilities, n × classes, columns in the order of `classes` (scikit-learn's `predict_proba`):
   * the softmax of the scores for a multinomial fit (of [−z, z] for two classes); for one-vs-rest, the logistic
   * sigmoid of each score, rows divided by their sum (for two classes [1 − σ(z), σ(z)]).
   */
  predictProba(X: MatrixLike): Matrix {
    const s = this.scores(X);
    const [n, r] = s.shape;
    const k = this.classes.length;
    const out = new Float64Array(n * k);
    for (let i = 0; i < n; i++) {
      if (r === 1) {
        const z = s.data[i]!;
        const p = this.multinomial ? sigmoid(2 * z) : sigmoid(z);
        out[i * 2] = 1 - p;
        out[i * 2 + 1] = p;
      } else if (this.multinomial) {
        let max = -Infinity;
        for (let c = 0; c < k; c++) max = Math.max(max, s.data[i * k + c]!);
        let sum = 0;
        for (let c = 0; c < k; c++) sum += out[i * k + c] = Math.exp(s.data[i * k + c]! - max);
        for (let c = 0; c < k; c++) out[i * k + c] = out[i * k + c]! / sum;
      } else {
        let sum = 0;
        for (let c = 0; c < k; c++) sum += out[i * k + c] = sigmoid(s.data[i * k + c]!);
        for (let c = 0; c < k; c++) out[i * k + c] = out[i * k + c]! / sum;
      }
    }
    return { data: out, shape: [n, k] };
  }

  /** The natural log of {@link predictProba} (scikit-learn's `predict_log_proba`). */
  predictLogProba(X: MatrixLike): Matrix {
    const p = this.predictProba(X);
    return { data: p.data.map(Math.log), shape: p.shape };
  }

  /** The class of highest score for each sample (the first of equal ones); for two classes, classes[1] when z > 0. */
  predict(X: MatrixLike): Label[] {
    const s = this.scores(X);
    const [n, r] = s.shape;
    const out: Label[] = new Array(n);
    for (let i = 0; i < n; i++) {
      if (r === 1) out[i] = this.classes[s.data[i]! > 0 ? 1 : 0]!;
      else {
        let best = 0;
        for (let c = 1; c < r; c++) if (s.data[i * r + c]! > s.data[i * r + best]!) best = c;
        out[i] = this.classes[best]!;
      }
    }
    return out;
  }

  /** The (weighted) fraction of samples whose predicted class is y (scikit-learn's `score`, mean accuracy). */
  score(X: MatrixLike, y: LabelsInput, options: LogisticRegressionFitOptions = {}): number {
    const pred = this.predict(X);
    const labels = y as ArrayLike<Label>;
    if (labels === null || typeof labels !== 'object' || labels.length !== pred.length) throw rangeError(`${pred.length} labels (one per row of X)`, 'y', y);
    const sw = readSampleWeight(readOptions(options).sampleWeight, pred.length, { nonNegative: true }) ?? new Float64Array(pred.length).fill(1);
    let hit = 0;
    let total = 0;
    for (let i = 0; i < pred.length; i++) {
      total += sw[i]!;
      if (compareLabels(pred[i]!, labels[i]!) === 0 && typeof pred[i] === typeof labels[i]) hit += sw[i]!;
    }
    return hit / total;
  }

  private scores(X: MatrixLike): Matrix {
    if (this.coef === undefined) throw notFitted('LogisticRegression');
    const m = toMatrix(readMatrix(X, 'X'));
    const [n, d] = m.shape;
    checkFeatures(d, this.nFeaturesIn!, 'X');
    const r = this.coef.shape[0];
    const out = new Float64Array(n * r);
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < r; c++) {
        let z = 0;
        for (let t = 0; t < d; t++) z += m.data[i * d + t]! * this.coef.data[c * d + t]!;
        out[i * r + c] = z + this.intercept[c]!;
      }
    }
    return { data: out, shape: [n, r] };
  }
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** n / (classes × count) per class (scikit-learn's `compute_class_weight('balanced')`). */
function balanced(counts: Int32Array, n: number): Float64Array {
  return Float64Array.from(counts, (c) => n / (counts.length * c));
}

/** Per class, the user's weight (1 when not given), with scikit-learn 1.2's check of unknown keys. */
function classWeightVector(cw: Readonly<Record<string, number>> | ReadonlyMap<Label, number>, classes: Label[]): Float64Array {
  const entries: [string, Label | string, unknown][] =
    cw instanceof Map ? [...cw.entries()].map(([key, v]) => [String(key), key, v]) : Object.entries(cw).map(([key, v]) => [key, key, v]);
  const byKey = new Map<string, number>();
  for (const [key, raw, v] of entries) {
    if (typeof v !== 'number') throw typeError('a number', `classWeight[${JSON.stringify(raw)}]`, v);
    if (!Number.isFinite(v) || v < 0) throw rangeError('a finite number >= 0', `classWeight[${JSON.stringify(raw)}]`, v);
    byKey.set(key, v);
  }
  const out = new Float64Array(classes.length).fill(1);
  const unweighted: string[] = [];
  classes.forEach((c, i) => {
    const v = byKey.get(String(c));
    if (v === undefined) unweighted.push(String(c));
    else out[i] = v;
  });
  const weighted = classes.length - unweighted.length;
  if (unweighted.length > 0 && weighted !== byKey.size) {
    const known = new Set(classes.map(String));
    const unknown = [...byKey.keys()].filter((key) => !known.has(key));
    throw rangeError(
      `class weights keyed by classes of y (${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not a class; the classes are ${classes.map(String).join(', ')})`,
      'classWeight',
      cw,
    );
  }
  return out;
}

/**
 * Σ sᵢ (log(1 + e^zᵢ) − yᵢ zᵢ) + l2 ‖w‖² / 2 and its gradient, over w = [coefficients, intercept?]
 * (scikit-learn 1.2's `LinearModelLoss(HalfBinomialLoss())`).
 */
function binaryObjective(x: Float64Array, n: number, d: number, y: Float64Array, s: Float64Array, l2: number, fitIntercept: boolean) {
  return (w: Float64Array, grad: Float64Array): number => {
    grad.fill(0);
    let f = 0;
    const b = fitIntercept ? w[d]! : 0;
    let gb = 0;
    for (let i = 0; i < n; i++) {
      const o = i * d;
      let z = b;
      for (let t = 0; t < d; t++) z += x[o + t]! * w[t]!;
      const yi = y[i]!;
      let loss: number;
      let g: number;
      if (z <= 0) {
        const e = Math.exp(z);
        loss = (z <= -37 ? e : Math.log1p(e)) - yi * z;
        g = ((1 - yi) * e - yi) / (1 + e);
      } else {
        const e = Math.exp(-z);
        loss = (z <= 18 ? Math.log1p(e) : e) + (1 - yi) * z;
        g = (1 - yi - yi * e) / (1 + e);
      }
      const si = s[i]!;
      f += si * loss;
      g *= si;
      for (let t = 0; t < d; t++) grad[t] = grad[t]! + g * x[o + t]!;
      gb += g;
    }
    let norm = 0;
    for (let t = 0; t < d; t++) {
      norm += w[t]! * w[t]!;
      grad[t] = grad[t]! + l2 * w[t]!;
    }
    if (fitIntercept) grad[d] = gb;
    return f + 0.5 * l2 * norm;
  };
}

/**
 * Σ sᵢ (log Σ_c e^{z_ic} − z_{i,yᵢ}) + l2 ‖W‖² / 2 and its gradient, over W = k rows of [coefficients, intercept?]
 * (scikit-learn 1.2's `LinearModelLoss(HalfMultinomialLoss())`).
 */
function multinomialObjective(
  x: Float64Array, n: number, d: number, k: number, codes: Int32Array, s: Float64Array, l2: number, fitIntercept: boolean,
) {
  const dof = d + (fitIntercept ? 1 : 0);
  const z = new Float64Array(k);
  const p = new Float64Array(k);
  return (w: Float64Array, grad: Float64Array): number => {
    grad.fill(0);
    let f = 0;
    for (let i = 0; i < n; i++) {
      const o = i * d;
      let max = -Infinity;
      for (let c = 0; c < k; c++) {
        const oc = c * dof;
        let s0 = fitIntercept ? w[oc + d]! : 0;
        let s1 = 0;
        let t = 0;
        for (; t + 1 < d; t += 2) {
          s0 += x[o + t]! * w[oc + t]!;
          s1 += x[o + t + 1]! * w[oc + t + 1]!;
        }
        if (t < d) s0 += x[o + t]! * w[oc + t]!;
        const v = s0 + s1;
        z[c] = v;
        if (v > max) max = v;
      }
      // As scikit-learn's HalfMultinomialLoss: p_c = e^(z_c − max) / Σ e^(z − max), loss = log Σ + max − z_y.
      let sum = 0;
      for (let c = 0; c < k; c++) sum += p[c] = Math.exp(z[c]! - max);
      const yi = codes[i]!;
      const si = s[i]!;
      f += si * (Math.log(sum) + max - z[yi]!);
      for (let c = 0; c < k; c++) {
        const g = si * (p[c]! / sum - (c === yi ? 1 : 0));
        const gc = c * dof;
        for (let t = 0; t < d; t++) grad[gc + t] = grad[gc + t]! + g * x[o + t]!;
        if (fitIntercept) grad[gc + d] = grad[gc + d]! + g;
      }
    }
    let norm = 0;
    for (let c = 0; c < k; c++) {
      for (let t = 0; t < d; t++) {
        const v = w[c * dof + t]!;
        norm += v * v;
        grad[c * dof + t] = grad[c * dof + t]! + l2 * v;
      }
    }
    return f + 0.5 * l2 * norm;
  };
}
