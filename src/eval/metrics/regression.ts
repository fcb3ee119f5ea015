/**
 * Regression metrics with scikit-learn 1.2.1's numbers: `r2Score`, `meanSquaredError`, `meanAbsoluteError`, for one
 * output (1-D targets) or several (2-D targets [n, outputs]), with sample weights and scikit-learn's `multioutput`
 * modes. Sums run in NumPy 1.24's order (pairwise over a single column, row by row over several), so results
 * usually equal scikit-learn's to the last bit.
 */
import { rangeError, typeError } from '../../validate.js';
import { UNDEFINED_METRIC, warn } from '../warnings.js';
import { isArrayInput, isTypedNumberArray, readOptions, readSampleWeight } from '../inputs.js';
import { numpySum } from '../numpy-sum.js';

/** One target per sample (1-D) or several ([n, outputs]: an array of rows, or `{ data, shape: [n, outputs] }`, row-major). */
export type RegressionTarget =
  | readonly number[]
  | ArrayLike<number>
  | readonly (readonly number[] | ArrayLike<number>)[]
  | { data: ArrayLike<number>; shape: readonly number[] };

/**
 * How the scores of several outputs are combined (scikit-learn's `multioutput`): 'uniform_average' (default, the
 * mean over outputs), 'raw_values' (one score per output, a Float64Array), 'variance_weighted' (`r2Score` only:
 * weighted by the variance of each output of yTrue), or an array of one weight per output.
 */
export type Multioutput = 'raw_values' | 'uniform_average' | 'variance_weighted' | ArrayLike<number>;

/** Options shared by the three metrics. */
export interface RegressionOptions {
  /** One weight per sample (default none: all 1). Finite numbers with a nonzero sum; negative weights are allowed as in scikit-learn. */
  sampleWeight?: ArrayLike<number> | null;
  /** How outputs are combined (default 'uniform_average'); see `Multioutput`. */
  multioutput?: Multioutput;
}

/** Options of `r2Score` (scikit-learn's `r2_score`). */
export interface R2ScoreOptions extends RegressionOptions {
  /**
   * Replace the non-finite scores of a constant yTrue output (default true, scikit-learn's `force_finite`): 1 when
   * the predictions are perfect, 0 otherwise. With false those outputs score NaN (perfect) or −Infinity, with a
   * warning.
   */
  forceFinite?: boolean;
}

/** Options of `meanSquaredError` (scikit-learn's `mean_squared_error`). */
export interface MeanSquaredErrorOptions extends Omit<RegressionOptions, 'multioutput'> {
  /** 'uniform_average' (default), 'raw_values' or one weight per output ('variance_weighted' is r2Score's only). */
  multioutput?: Exclude<Multioutput, 'variance_weighted'>;
  /** true (default): the mean squared error; false: its square root per output (RMSE), then averaged. */
  squared?: boolean;
}

/** Options of `meanAbsoluteError` (scikit-learn's `mean_absolute_error`). */
export interface MeanAbsoluteErrorOptions extends Omit<RegressionOptions, 'multioutput'> {
  /** 'uniform_average' (default), 'raw_values' or one weight per output. */
  multioutput?: Exclude<Multioutput, 'variance_weighted'>;
}

/** A target read and checked: row-major [n, k] float64 values. */
interface Target {
  data: Float64Array;
  n: number;
  k: number;
}



/** Reads a 1-D or 2-D target (values checked later, after the lengths, in scikit-learn's order). */
function readTarget(value: unknown, option: string): Target {
  // A Float64Array is read in place (nothing here writes to a target); other typed arrays are converted.
  if (isTypedNumberArray(value)) return { data: value instanceof Float64Array ? value : Float64Array.from(value), n: value.length, k: 1 };
  if (Array.isArray(value)) {
    const n = value.length;
    if (n > 0 && isArrayInput(value[0])) {
      const k = (value[0] as ArrayLike<unknown>).length;
      const data = new Float64Array(n * k);
      for (let i = 0; i < n; i++) {
        const row: unknown = value[i];
        if (!isArrayInput(row)) throw typeError('an array of rows (arrays of numbers)', `${option}[${i}]`, row);
        const r = row as ArrayLike<unknown>;
        if (r.length !== k) throw rangeError(`a row of ${k} values (as ${option}[0])`, `${option}[${i}]`, row);
        for (let j = 0; j < k; j++) {
          const v = r[j];
          if (typeof v !== 'number') throw typeError('a number', `${option}[${i}][${j}]`, v);
          data[i * k + j] = v;
        }
      }
      return { data, n, k };
    }
    const data = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v: unknown = value[i];
      if (typeof v !== 'number') throw typeError(isArrayInput(v) ? 'a number (rows may not follow numbers)' : 'a number', `${option}[${i}]`, v);
      data[i] = v;
    }
    return { data, n, k: 1 };
  }
  if (value !== null && typeof value === 'object' && 'data' in value && 'shape' in value) {
    const m = value as { data: unknown; shape: unknown };
    const shape = m.shape;
    if (!Array.isArray(shape) || shape.length < 1 || shape.length > 2 || !shape.every((s) => Number.isInteger(s) && s >= 0)) {
      throw typeError('a shape [n] or [n, outputs] of non-negative integers', `${option}.shape`, shape);
    }
    const n = shape[0] as number;
    const k = shape.length === 2 ? (shape[1] as number) : 1;
    if (!isArrayInput(m.data)) throw typeError('an array of numbers', `${option}.data`, m.data);
    const src = m.data as ArrayLike<unknown>;
    if (src.length !== n * k) throw rangeError(`${n * k} values (the product of ${option}.shape)`, `${option}.data`, m.data);
    const data = new Float64Array(n * k);
    for (let i = 0; i < data.length; i++) {
      const v = src[i];
      if (typeof v !== 'number') throw typeError('a number', `${option}.data[${i}]`, v);
      data[i] = v;
    }
    return { data, n, k };
  }
  throw typeError('an array of numbers, an array of rows, or { data, shape }', option, value);
}

/** scikit-learn's `_check_reg_targets` and the sample-weight checks, in its order. */
function checkTargets(
  yTrue: unknown,
  yPred: unknown,
  sampleWeight: unknown,
  multioutput: unknown,
  allowVariance: boolean,
): { t: Target; p: Target; w: Float64Array | null; mode: MultioutputMode } {
  const t = readTarget(yTrue, 'yTrue');
  const p = readTarget(yPred, 'yPred');
  if (p.n !== t.n) throw rangeError(`as many samples as yTrue (${t.n})`, 'yPred', p.n);
  for (const [target, option] of [
    [t, 'yTrue'],
    [p, 'yPred'],
  ] as const) {
    if (target.n === 0) throw rangeError('at least 1 sample (scikit-learn: "Found array with 0 sample(s)")', option, 0);
    if (target.k === 0) throw rangeError('at least 1 output (scikit-learn: "Found array with 0 feature(s)")', `${option}[0]`, 0);
    const d = target.data;
    for (let i = 0; i < d.length; i++) {
      if (!Number.isFinite(d[i]!)) {
        const where = target.k === 1 ? `${option}[${i}]` : `${option}[${Math.floor(i / target.k)}][${i % target.k}]`;
        throw rangeError('a finite number (scikit-learn: "Input contains NaN" / "infinity")', where, d[i]);
      }
    }
  }
  if (p.k !== t.k) throw rangeError(`${t.k} output${t.k === 1 ? '' : 's'} (as yTrue)`, 'yPred outputs', p.k);
  const mode = readMultioutput(multioutput, t.k, allowVariance);
  const w = readSampleWeight(sampleWeight, t.n, { lengthOf: 'yTrue' });
  return { t, p, w, mode };
}

/** NumPy's `np.average` refuses weights that sum to zero (ZeroDivisionError in scikit-learn). */
function checkWeightSum(w: Float64Array | null): void {
  if (w && numpySum(w) === 0) throw rangeError('sample weights with a nonzero sum (scikit-learn: "Weights sum to zero, can\'t be normalized")', 'sampleWeight', w);
}

type MultioutputMode = { mode: 'raw_values' | 'uniform_average' | 'variance_weighted' } | { mode: 'weights'; weights: Float64Array };

function readMultioutput(value: unknown, k: number, allowVariance: boolean): MultioutputMode {
  if (value === undefined) return { mode: 'uniform_average' };
  if (typeof value === 'string') {
    const allowed = allowVariance ? ['raw_values', 'uniform_average', 'variance_weighted'] : ['raw_values', 'uniform_average'];
    if (!allowed.includes(value)) throw rangeError(`one of ${allowed.map((a) => `'${a}'`).join(' | ')} or one weight per output`, 'multioutput', value);
    return { mode: value as 'raw_values' | 'uniform_average' | 'variance_weighted' };
  }
  if (!isArrayInput(value)) throw typeError("'raw_values', 'uniform_average' or an array of weights", 'multioutput', value);
  const src = value as ArrayLike<unknown>;
  if (k === 1) throw rangeError('a string (scikit-learn: "Custom weights are useful only in multi-output cases")', 'multioutput', value);
  if (src.length !== k) throw rangeError(`one weight per output (${k})`, 'multioutput', value);
  const weights = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const v = src[j];
    if (typeof v !== 'number') throw typeError('a number', `multioutput[${j}]`, v);
    if (!Number.isFinite(v)) throw rangeError('a finite number', `multioutput[${j}]`, v);
    weights[j] = v;
  }
  return { mode: 'weights', weights };
}

/**
 * The column sums of a row-major [n, k] matrix as NumPy's `sum(axis=0)` forms them: one column (k = 1) is summed
 * pairwise in 8192-value chunks (`numpySum`), several columns row by row.
 */
function sumAxis0(m: Float64Array, n: number, k: number): Float64Array {
  if (k === 1) return Float64Array.of(numpySum(m, 0, n));
  const out = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const row = i * k;
    for (let j = 0; j < k; j++) out[j] = out[j]! + m[row + j]!;
  }
  return out;
}

/** `np.average(m, axis=0, weights=w)` for a row-major [n, k] matrix. */
function averageAxis0(m: Float64Array, n: number, k: number, w: Float64Array | null): Float64Array {
  if (!w) {
    const s = sumAxis0(m, n, k);
    for (let j = 0; j < k; j++) s[j] = s[j]! / n;
    return s;
  }
  const prod = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) prod[i * k + j] = m[i * k + j]! * w[i]!;
  const s = sumAxis0(prod, n, k);
  const scale = numpySum(w);
  for (let j = 0; j < k; j++) s[j] = s[j]! / scale;
  return s;
}

/** `np.average(values, weights=w)` of a 1-D array (the mean over outputs). */
function average1d(values: Float64Array, w: Float64Array | null, option: string): number {
  if (!w) return numpySum(values) / values.length;
  const scale = numpySum(w);
  if (scale === 0) throw rangeError('output weights with a nonzero sum (NumPy: "Weights sum to zero, can\'t be normalized")', option, w);
  const prod = new Float64Array(values.length);
  for (let j = 0; j < values.length; j++) prod[j] = values[j]! * w[j]!;
  return numpySum(prod) / scale;
}

function combine(errors: Float64Array, mode: MultioutputMode): number | Float64Array {
  if (mode.mode === 'raw_values') return errors;
  if (mode.mode === 'weights') return average1d(errors, mode.weights, 'multioutput');
  return average1d(errors, null, 'multioutput');
}

/**
 * The coefficient of determination R² = 1 − Σ w (y − ŷ)² / Σ w (y − ȳ_w)² per output, ȳ_w the weighted mean of
 * yTrue (scikit-learn 1.2.1's `sklearn.metrics.r2_score(y_true, y_pred, sample_weight=..., multioutput=...,
 * force_finite=...)`). Outputs are combined by `multioutput`: their mean ('uniform_average', default), each
 * ('raw_values', a Float64Array), weighted by the denominators Σ w (y − ȳ_w)² ('variance_weighted'; uniform when
 * every output of yTrue is constant), or by given weights. 1 is a perfect fit; it can be negative.
 *
 * Edge cases (scikit-learn's outcome → audiomill's):
 * - a constant yTrue output (zero denominator): with forceFinite (default) the score is 1 for perfect predictions and
 *   0 otherwise; with forceFinite false it is NaN (perfect) or −Infinity (RuntimeWarning in NumPy) → the same with a
 *   warning.
 * - fewer than 2 samples: UndefinedMetricWarning and NaN → NaN with a warning ('raw_values' gives a Float64Array of
 *   NaN, one per output, where scikit-learn returns a single NaN).
 * - empty input, NaN or ±Infinity in yTrue / yPred, different lengths or output counts: ValueError → RangeError.
 * - sample weights summing to zero, custom output weights summing to zero: ZeroDivisionError → RangeError;
 *   non-finite sample weights: NaN in scikit-learn → RangeError here.
 * @throws TypeError for malformed arguments; RangeError as above or for a bad option.
 */
export function r2Score(yTrue: RegressionTarget, yPred: RegressionTarget, options: R2ScoreOptions & { multioutput: 'raw_values' }): Float64Array;
export function r2Score(yTrue: RegressionTarget, yPred: RegressionTarget, options?: R2ScoreOptions): number;
export function r2Score(yTrue: RegressionTarget, yPred: RegressionTarget, options?: R2ScoreOptions): number | Float64Array {
  const opts = readOptions(options);
  const forceFinite = opts.forceFinite === undefined ? true : opts.forceFinite;
  if (typeof forceFinite !== 'boolean') throw typeError('a boolean', 'forceFinite', forceFinite);
  const { t, p, w, mode } = checkTargets(yTrue, yPred, opts.sampleWeight, opts.multioutput, true);
  const { n, k } = t;
  if (n < 2) {
    warn(UNDEFINED_METRIC, 'r2Score: R^2 score is not well-defined with less than two samples (the score is NaN)');
    return mode.mode === 'raw_values' ? new Float64Array(k).fill(NaN) : NaN;
  }
  checkWeightSum(w);
  // numerator = Σ w (y − ŷ)², denominator = Σ w (y − ȳ_w)², in NumPy's order.
  const sq = new Float64Array(n * k);
  for (let i = 0; i < n * k; i++) {
    const d = t.data[i]! - p.data[i]!;
    sq[i] = w ? w[Math.floor(i / k)]! * (d * d) : d * d;
  }
  const numerator = sumAxis0(sq, n, k);
  const mean = averageAxis0(t.data, n, k, w);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      const d = t.data[i * k + j]! - mean[j]!;
      sq[i * k + j] = w ? w[i]! * (d * d) : d * d;
    }
  }
  const denominator = sumAxis0(sq, n, k);
  const scores = new Float64Array(k);
  let nonFinite = 0;
  for (let j = 0; j < k; j++) {
    const num = numerator[j]!;
    const den = denominator[j]!;
    if (forceFinite) scores[j] = num === 0 ? 1 : den === 0 ? 0 : 1 - num / den;
    else {
      scores[j] = 1 - num / den;
      if (!Number.isFinite(scores[j]!)) nonFinite++;
    }
  }
  if (nonFinite > 0) {
    warn(
      UNDEFINED_METRIC,
      `r2Score: ${nonFinite} output${nonFinite === 1 ? ' has' : 's have'} a constant yTrue; with forceFinite false the score is NaN (perfect predictions) or -Infinity`,
    );
  }
  if (mode.mode === 'raw_values') return scores;
  if (mode.mode === 'variance_weighted') {
    let anyNonzero = false;
    for (let j = 0; j < k; j++) if (denominator[j] !== 0) anyNonzero = true;
    return average1d(scores, anyNonzero ? denominator : null, 'multioutput');
  }
  return combine(scores, mode);
}

/**
 * The mean squared error Σ w (y − ŷ)² / Σ w per output (scikit-learn 1.2.1's `sklearn.metrics.mean_squared_error(
 * y_true, y_pred, sample_weight=..., multioutput=..., squared=...)`); with squared false, its square root per output
 * (the RMSE) before outputs are combined (their mean by default, each with 'raw_values', or given weights).
 *
 * Edge cases: empty input, NaN or ±Infinity, different lengths or output counts → RangeError (scikit-learn:
 * ValueError); sample or output weights summing to zero → RangeError (ZeroDivisionError); non-finite sample weights →
 * RangeError (scikit-learn returns NaN); 'variance_weighted' → RangeError (scikit-learn fails inside NumPy with a
 * TypeError). One sample is fine.
 * @throws TypeError for malformed arguments; RangeError as above or for a bad option.
 */
export function meanSquaredError(
  yTrue: RegressionTarget,
  yPred: RegressionTarget,
  options: MeanSquaredErrorOptions & { multioutput: 'raw_values' },
): Float64Array;
export function meanSquaredError(yTrue: RegressionTarget, yPred: RegressionTarget, options?: MeanSquaredErrorOptions): number;
export function meanSquaredError(yTrue: RegressionTarget, yPred: RegressionTarget, options?: MeanSquaredErrorOptions): number | Float64Array {
  const opts = readOptions(options);
  const squared = opts.squared === undefined ? true : opts.squared;
  if (typeof squared !== 'boolean') throw typeError('a boolean', 'squared', squared);
  const { t, p, w, mode } = checkTargets(yTrue, yPred, opts.sampleWeight, opts.multioutput, false);
  const { n, k } = t;
  checkWeightSum(w);
  const sq = new Float64Array(n * k);
  for (let i = 0; i < n * k; i++) {
    const d = t.data[i]! - p.data[i]!;
    sq[i] = d * d;
  }
  const errors = averageAxis0(sq, n, k, w);
  if (!squared) for (let j = 0; j < k; j++) errors[j] = Math.sqrt(errors[j]!);
  return combine(errors, mode);
}

/**
 * The mean absolute error Σ w |y − ŷ| / Σ w per output (scikit-learn 1.2.1's `sklearn.metrics.mean_absolute_error(
 * y_true, y_pred, sample_weight=..., multioutput=...)`), outputs combined by `multioutput` (their mean by default,
 * each with 'raw_values', or given weights).
 *
 * Edge cases: as `meanSquaredError`.
 * @throws TypeError for malformed arguments; RangeError for empty or non-finite input, mismatched lengths, weights
 * summing to zero or a bad option.
 */
export function meanAbsoluteError(
  yTrue: RegressionTarget,
  yPred: RegressionTarget,
  options: MeanAbsoluteErrorOptions & { multioutput: 'raw_values' },
): Float64Array;
export function meanAbsoluteError(yTrue: RegressionTarget, yPred: RegressionTarget, options?: MeanAbsoluteErrorOptions): number;
export function meanAbsoluteError(yTrue: RegressionTarget, yPred: RegressionTarget, options?: MeanAbsoluteErrorOptions): number | Float64Array {
  const opts = readOptions(options);
  const { t, p, w, mode } = checkTargets(yTrue, yPred, opts.sampleWeight, opts.multioutput, false);
  const { n, k } = t;
  checkWeightSum(w);
  const abs = new Float64Array(n * k);
  for (let i = 0; i < n * k; i++) abs[i] = Math.abs(p.data[i]! - t.data[i]!);
  return combine(averageAxis0(abs, n, k, w), mode);
}
