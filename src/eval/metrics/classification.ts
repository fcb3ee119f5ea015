/**
 * Classification metrics of predicted labels (and predicted probabilities, for the log loss), equal to scikit-learn
 * 1.2.1's `sklearn.metrics` functions of the same names: `accuracyScore`, `balancedAccuracyScore`,
 * `confusionMatrix`, `precisionRecallFscoreSupport`, `precisionScore`, `recallScore`, `f1Score`, `fbetaScore`,
 * `logLoss`. Definitions and edge cases: docs/evaluation.md ("Classification and ranking metrics").
 *
 * Sums follow NumPy's order (see `numpySum`), so results equal sklearn's to the last bit in most cases.
 */
import { oneOf, rangeError, typeError } from '../../validate.js';
import { isArrayInput, readOptions, readSampleWeight } from '../inputs.js';
import { numpySum } from '../numpy-sum.js';
import { IGNORED_OPTION, UNDEFINED_METRIC, warn } from '../warnings.js';
import {
  checkLengths,
  commonKind,
  encodeLabels,
  isMatrixInput,
  labelKey,
  labelText,
  labelValues,
  npAverage,
  readLabelOption,
  readLabels,
  readMatrix,
  uniqueLabels,
  undefinedMetric,
  type ClassSet,
  type Label,
  type LabelArray,
  type LabelColumn,
  type MatrixInput,
  type NumberArray,
} from './labels.js';

/** Reads yTrue and yPred as label columns of one kind and equal lengths. */
function readPair(yTrue: unknown, yPred: unknown): { t: LabelColumn; p: LabelColumn } {
  const t = readLabels(yTrue, 'yTrue');
  const p = readLabels(yPred, 'yPred');
  checkLengths([
    ['yTrue', yTrue, t.length],
    ['yPred', yPred, p.length],
  ]);
  commonKind([t, p], ['yTrue', 'yPred']);
  return { t, p };
}

function equalAt(t: LabelColumn, p: LabelColumn, i: number): boolean {
  return t.str ? t.str[i] === p.str![i] : t.num![i] === p.num![i];
}

// ---------------------------------------------------------------------------------------------------------------

/** Options of {@link accuracyScore}. */
export interface AccuracyOptions {
  /** true (default): the (weighted) fraction of correct predictions; false: their (weighted) count. */
  normalize?: boolean;
  /** Sample weights (default: all 1). */
  sampleWeight?: NumberArray;
}

/**
 * The fraction (or count) of samples whose predicted label equals the true label, equal to
 * `sklearn.metrics.accuracy_score` 1.2.1: Σᵢ wᵢ [ŷᵢ = yᵢ] / Σᵢ wᵢ.
 *
 * Edge cases: empty input → NaN with an AUDIOMILL_UNDEFINED_METRIC warning (sklearn: NaN, "Mean of empty slice"),
 * or 0 with `normalize: false`; weights summing to 0 → AudiomillError UNDEFINED_METRIC (sklearn: ZeroDivisionError);
 * numbers mixed with strings → TypeError.
 */
export function accuracyScore(yTrue: LabelArray, yPred: LabelArray, options?: AccuracyOptions): number {
  const o = readOptions(options);
  const normalize = o.normalize === undefined ? true : o.normalize;
  if (typeof normalize !== 'boolean') throw typeError('a boolean', 'normalize', normalize);
  const { t, p } = readPair(yTrue, yPred);
  const n = t.length;
  const w = readSampleWeight(o.sampleWeight, n, { lengthOf: 'yTrue' });
  const score = new Float64Array(n);
  for (let i = 0; i < n; i++) score[i] = equalAt(t, p, i) ? 1 : 0;
  if (normalize) {
    if (w) {
      const sw = numpySum(w);
      if (sw === 0) throw undefinedMetric('the sample weights sum to 0, so the accuracy cannot be normalised');
      return npAverage(score, w);
    }
    if (n === 0) {
      warn(UNDEFINED_METRIC, 'accuracyScore of empty input is NaN (the mean of no samples)');
      return NaN;
    }
    return numpySum(score) / n;
  }
  if (w) {
    let s = 0;
    for (let i = 0; i < n; i++) s += score[i]! * w[i]!;
    return s;
  }
  return numpySum(score);
}

// ---------------------------------------------------------------------------------------------------------------

/** Options of {@link confusionMatrix}. */
export interface ConfusionMatrixOptions {
  /**
   * The labels indexing the rows and columns, in this order (default: the sorted union of yTrue and yPred). Samples
   * whose true or predicted label is not listed are left out.
   */
  labels?: LabelArray;
  /** Sample weights (default: all 1). */
  sampleWeight?: NumberArray;
  /** Normalise over the true labels (rows), the predictions (columns) or all cells; null (default): counts. */
  normalize?: 'true' | 'pred' | 'all' | null;
}

/** A confusion matrix: data[i * k + j] counts samples of true label labels[i] predicted as labels[j]. */
export interface ConfusionMatrix {
  labels: Label[];
  data: Float64Array;
  shape: [number, number];
}

/** Counts (or weight sums) of true × predicted class indices; rows or columns of -1 are left out. */
function countMatrix(ti: Int32Array, pi: Int32Array, k: number, w: Float64Array | null): Float64Array {
  const cm = new Float64Array(k * k);
  for (let i = 0; i < ti.length; i++) {
    const a = ti[i]!;
    const b = pi[i]!;
    if (a < 0 || b < 0) continue;
    cm[a * k + b]! += w ? w[i]! : 1;
  }
  return cm;
}

/** `np.nan_to_num` of a quotient: NaN → 0, ±Infinity → ±largest double. */
function nanToNum(x: number): number {
  if (Number.isNaN(x)) return 0;
  if (x === Infinity) return Number.MAX_VALUE;
  if (x === -Infinity) return -Number.MAX_VALUE;
  return x;
}

/**
 * The confusion matrix of true (rows) against predicted (columns) labels, equal to `sklearn.metrics.confusion_matrix`
 * 1.2.1, optionally normalised over rows ('true'), columns ('pred') or all cells ('all'); a 0/0 cell of a normalised
 * matrix is 0 (as sklearn's nan_to_num).
 *
 * Edge cases: empty input → a 0 × 0 matrix (or k × k zeros when `labels` are given); `labels` empty, or with no label
 * of yTrue → RangeError naming labels (sklearn: ValueError); labels of another type than the data → TypeError.
 */
export function confusionMatrix(yTrue: LabelArray, yPred: LabelArray, options?: ConfusionMatrixOptions): ConfusionMatrix {
  const o = readOptions(options);
  const normalize = o.normalize === undefined ? null : oneOf(o.normalize, 'normalize', ['true', 'pred', 'all', null] as const);
  const { t, p } = readPair(yTrue, yPred);
  const w = readSampleWeight(o.sampleWeight, t.length, { lengthOf: 'yTrue' });
  let classes: ClassSet;
  if (o.labels !== undefined && o.labels !== null) {
    const lc = readLabelOption(o.labels, 'labels');
    if (lc.length === 0) throw rangeError('at least one label', 'labels', o.labels);
    const kind = commonKind([t, p, lc], ['yTrue', 'yPred', 'labels']);
    const values = lc.str ? [...lc.str] : Array.from(lc.num!);
    classes = { kind, values: values as number[] | string[] };
    const k = values.length;
    const shown = labelValuesOf(lc, kind);
    if (t.length === 0) return { labels: shown, data: new Float64Array(k * k), shape: [k, k] };
    const ti = encodeDup(t, classes);
    if (!ti.some((v) => v >= 0)) throw rangeError('labels of which at least one is in yTrue', 'labels', o.labels);
    const pi = encodeDup(p, classes);
    return finishMatrix(countMatrix(ti, pi, k, w), k, normalize, shown);
  }
  classes = uniqueLabels([t, p], ['yTrue', 'yPred']);
  const k = classes.values.length;
  const cm = countMatrix(encodeLabels(t, classes), encodeLabels(p, classes), k, w);
  return finishMatrix(cm, k, normalize, labelValues(classes));
}

/** The labels option as given (booleans as booleans when the data are booleans). */
function labelValuesOf(lc: LabelColumn, kind: string): Label[] {
  if (lc.str) return [...lc.str];
  const nums = Array.from(lc.num!);
  return kind === 'boolean' ? nums.map((v) => v !== 0) : nums;
}

/** Like encodeLabels for a label list that may repeat a label: the last position wins (as sklearn's dict). */
function encodeDup(col: LabelColumn, classes: ClassSet): Int32Array {
  const map = new Map<number | string, number>();
  (classes.values as readonly (number | string)[]).forEach((v, i) => map.set(typeof v === 'number' ? v + 0 : v, i));
  const out = new Int32Array(col.length);
  for (let i = 0; i < col.length; i++) out[i] = map.get(col.str ? col.str[i]! : col.num![i]! + 0) ?? -1;
  return out;
}

function finishMatrix(cm: Float64Array, k: number, normalize: 'true' | 'pred' | 'all' | null, labels: Label[]): ConfusionMatrix {
  if (normalize === 'true') {
    for (let r = 0; r < k; r++) {
      const s = numpySum(cm, r * k, k);
      for (let c = 0; c < k; c++) cm[r * k + c] = nanToNum(cm[r * k + c]! / s);
    }
  } else if (normalize === 'pred') {
    const sums = new Float64Array(k);
    for (let r = 0; r < k; r++) for (let c = 0; c < k; c++) sums[c]! += cm[r * k + c]!;
    for (let r = 0; r < k; r++) for (let c = 0; c < k; c++) cm[r * k + c] = nanToNum(cm[r * k + c]! / sums[c]!);
  } else if (normalize === 'all') {
    const s = numpySum(cm);
    for (let i = 0; i < cm.length; i++) cm[i] = nanToNum(cm[i]! / s);
  }
  return { labels, data: cm, shape: [k, k] };
}

// ---------------------------------------------------------------------------------------------------------------

/** Options of {@link balancedAccuracyScore}. */
export interface BalancedAccuracyOptions {
  /** Sample weights (default: all 1). */
  sampleWeight?: NumberArray;
  /** Rescale so that chance scores 0 and perfect 1: (score − 1/k) / (1 − 1/k) (default false). */
  adjusted?: boolean;
}

/**
 * The mean over classes of the recall of each class present in yTrue, equal to
 * `sklearn.metrics.balanced_accuracy_score` 1.2.1, optionally adjusted for chance.
 *
 * Edge cases: classes predicted but absent from yTrue are left out with an AUDIOMILL_UNDEFINED_METRIC warning
 * (sklearn: UserWarning "y_pred contains classes not in y_true"); empty input → NaN with a warning; `adjusted` with a
 * single class → NaN or -Infinity (a division by 1 − 1/1 = 0) with a warning, as sklearn returns.
 */
export function balancedAccuracyScore(yTrue: LabelArray, yPred: LabelArray, options?: BalancedAccuracyOptions): number {
  const o = readOptions(options);
  const adjusted = o.adjusted === undefined ? false : o.adjusted;
  if (typeof adjusted !== 'boolean') throw typeError('a boolean', 'adjusted', adjusted);
  const { t, p } = readPair(yTrue, yPred);
  const w = readSampleWeight(o.sampleWeight, t.length, { lengthOf: 'yTrue' });
  const classes = uniqueLabels([t, p], ['yTrue', 'yPred']);
  const k = classes.values.length;
  const cm = countMatrix(encodeLabels(t, classes), encodeLabels(p, classes), k, w);
  const perClass: number[] = [];
  let dropped = false;
  for (let c = 0; c < k; c++) {
    const v = cm[c * k + c]! / numpySum(cm, c * k, k);
    if (Number.isNaN(v)) dropped = true;
    else perClass.push(v);
  }
  if (dropped) warn(UNDEFINED_METRIC, 'yPred contains classes not in yTrue: they are left out of the balanced accuracy');
  if (perClass.length === 0) {
    warn(UNDEFINED_METRIC, 'balancedAccuracyScore of empty input is NaN (the mean of no classes)');
    return NaN;
  }
  let score = numpySum(perClass) / perClass.length;
  if (adjusted) {
    const chance = 1 / perClass.length;
    score -= chance;
    score /= 1 - chance;
    if (!Number.isFinite(score)) warn(UNDEFINED_METRIC, `the adjusted balanced accuracy of a single class is ${score} (a division by 1 - 1/1 = 0)`);
  }
  return score;
}

// ---------------------------------------------------------------------------------------------------------------

/** How precision, recall and F-scores are averaged over labels. */
export type PrfAverage = 'binary' | 'micro' | 'macro' | 'weighted' | null;

/** Options shared by {@link precisionScore}, {@link recallScore}, {@link f1Score} and {@link fbetaScore}. */
export interface PrfOptions {
  /**
   * The labels to score, in this order (default: the sorted labels of yTrue and yPred); labels absent from the data
   * score by `zeroDivision`. Ignored with average 'binary'.
   */
  labels?: LabelArray;
  /** The positive class of average 'binary' (default 1); must be a label of the data when there are two. */
  posLabel?: Label;
  /**
   * 'binary' (default: the score of posLabel; the data may have at most two labels), 'micro' (global counts),
   * 'macro' (the mean of per-label scores), 'weighted' (weighted by each label's support), null (a Float64Array
   * per label).
   */
  average?: PrfAverage;
  /** Sample weights (default: all 1). */
  sampleWeight?: NumberArray;
  /**
   * The value of a 0/0 score: 'warn' (default: 0 with an AUDIOMILL_UNDEFINED_METRIC warning), 0 or 1 (no warning).
   */
  zeroDivision?: 'warn' | 0 | 1;
}

/** The result of {@link precisionRecallFscoreSupport}: numbers when averaged (support null), else per label. */
export interface PrecisionRecallFscoreSupport<T extends number | Float64Array = number | Float64Array> {
  precision: T;
  recall: T;
  fbetaScore: T;
  /** The number (or weight) of true samples per label; null when averaged. */
  support: Float64Array | null;
}

type Metric = 'precision' | 'recall' | 'f-score';

function readZeroDivision(value: unknown): 'warn' | 0 | 1 {
  if (value === undefined) return 'warn';
  if (value === 'warn' || value === 0 || value === 1) return value;
  throw (typeof value === 'string' || typeof value === 'number' ? rangeError : typeError)("one of 'warn' | 0 | 1", 'zeroDivision', value);
}

function title(m: Metric): string {
  return m === 'precision' ? 'Precision' : m === 'recall' ? 'Recall' : 'F-score';
}

/** sklearn's `_warn_prf` (1.2.1), with our option names. */
function warnPrf(modifier: string, msgStart: string, size: number): void {
  const where = size === 1 ? 'due to' : 'in labels with';
  warn(UNDEFINED_METRIC, `${msgStart} ill-defined and being set to 0.0 ${where} no ${modifier} samples. Use the zeroDivision option to control this behavior.`);
}

/** sklearn's `_prf_divide` (1.2.1). */
function prfDivide(num: Float64Array, den: Float64Array, metric: Metric, modifier: string, warnFor: readonly Metric[], zeroDivision: 'warn' | 0 | 1): Float64Array {
  const out = new Float64Array(num.length);
  let any = false;
  for (let i = 0; i < num.length; i++) {
    if (den[i] === 0) {
      any = true;
      out[i] = zeroDivision === 1 ? 1 : 0;
    } else out[i] = num[i]! / den[i]!;
  }
  if (!any || zeroDivision !== 'warn' || !warnFor.includes(metric)) return out;
  const msgStart = warnFor.includes('f-score') ? `${title(metric)} and F-score are` : `${title(metric)} is`;
  warnPrf(modifier, msgStart, out.length);
  return out;
}

interface PrfInput extends PrfOptions {
  beta?: number;
}

function prfCore(
  yTrue: unknown,
  yPred: unknown,
  options: PrfInput | undefined,
  warnFor: readonly Metric[],
  defaultAverage: PrfAverage,
): { precision: number | Float64Array; recall: number | Float64Array; fbetaScore: number | Float64Array; support: Float64Array | null } {
  const o = readOptions(options);
  const zeroDivision = readZeroDivision(o.zeroDivision);
  const beta = o.beta === undefined ? 1 : o.beta;
  if (typeof beta !== 'number' || Number.isNaN(beta)) throw typeError('a number >= 0', 'beta', beta);
  if (beta < 0) throw rangeError('a number >= 0', 'beta', beta);
  if (o.average === ('samples' as unknown)) {
    throw rangeError("one of 'binary' | 'micro' | 'macro' | 'weighted' | null ('samples' needs multilabel targets)", 'average', o.average);
  }
  const average = o.average === undefined ? defaultAverage : oneOf(o.average, 'average', ['binary', 'micro', 'macro', 'weighted', null] as const);
  const posLabel = o.posLabel === undefined ? 1 : o.posLabel;
  if (!(typeof posLabel === 'string' || typeof posLabel === 'boolean' || (typeof posLabel === 'number' && Number.isFinite(posLabel)))) {
    throw typeError('a class label (a number, a string or a boolean)', 'posLabel', posLabel);
  }
  const { t, p } = readPair(yTrue, yPred);
  const w = readSampleWeight(o.sampleWeight, t.length, { lengthOf: 'yTrue' });
  const present = uniqueLabels([t, p], ['yTrue', 'yPred']);
  const nPresent = present.values.length;

  // The labels to score, as keys in the data's domain (null: cannot match any label).
  let keys: (number | string | null)[] | null = null;
  if (average === 'binary') {
    if (nPresent > 2) {
      throw rangeError(`another average than 'binary' (the data have ${nPresent} labels): one of 'micro' | 'macro' | 'weighted' | null`, 'average', average);
    }
    const key = labelKey(posLabel, present.kind);
    const found = key !== null && (present.values as readonly (number | string)[]).includes(key);
    if (!found && nPresent >= 2) throw rangeError(`one of the labels {${labelValues(present).map(labelText).join(', ')}}`, 'posLabel', posLabel);
    keys = [key];
  } else {
    if (posLabel !== 1 && posLabel !== true) {
      warn(IGNORED_OPTION, `posLabel (${labelText(posLabel)}) is ignored when average is not 'binary' (got ${average === null ? 'null' : `'${average}'`}); use labels: [posLabel] to score one class`);
    }
    if (o.labels !== undefined && o.labels !== null) {
      const lc = readLabelOption(o.labels, 'labels');
      const kind = commonKind([t, p, lc], ['yTrue', 'yPred', 'labels']);
      keys = lc.str ? [...lc.str] : Array.from(lc.num!, (v) => labelKey(v, kind));
    }
  }
  // Per present class: true positives, predictions and true samples (weighted: sums in row order, as np.bincount).
  const ti = encodeLabels(t, present);
  const pi = encodeLabels(p, present);
  const tpAll = new Float64Array(nPresent);
  const predAll = new Float64Array(nPresent);
  const trueAll = new Float64Array(nPresent);
  for (let i = 0; i < t.length; i++) {
    const wi = w ? w[i]! : 1;
    const a = ti[i]!;
    const b = pi[i]!;
    if (a === b) tpAll[a]! += wi;
    predAll[b]! += wi;
    trueAll[a]! += wi;
  }
  let tpSum: Float64Array;
  let predSum: Float64Array;
  let trueSum: Float64Array;
  if (keys === null) {
    tpSum = tpAll;
    predSum = predAll;
    trueSum = trueAll;
  } else {
    const k = keys.length;
    tpSum = new Float64Array(k);
    predSum = new Float64Array(k);
    trueSum = new Float64Array(k);
    const vals = present.values as readonly (number | string)[];
    keys.forEach((key, j) => {
      const idx = key === null ? -1 : vals.indexOf(key);
      if (idx < 0) return;
      tpSum[j] = tpAll[idx]!;
      predSum[j] = predAll[idx]!;
      trueSum[j] = trueAll[idx]!;
    });
  }
  if (average === 'micro') {
    tpSum = Float64Array.of(numpySum(tpSum));
    predSum = Float64Array.of(numpySum(predSum));
    trueSum = Float64Array.of(numpySum(trueSum));
  }
  const beta2 = beta ** 2;
  const precision = prfDivide(tpSum, predSum, 'precision', 'predicted', warnFor, zeroDivision);
  const recall = prfDivide(tpSum, trueSum, 'recall', 'true', warnFor, zeroDivision);
  if (zeroDivision === 'warn' && warnFor.length === 1 && warnFor[0] === 'f-score') {
    let both = false;
    for (let i = 0; i < trueSum.length; i++) if (trueSum[i] === 0 && predSum[i] === 0) both = true;
    if (both) warnPrf('true nor predicted', 'F-score is', trueSum.length);
  }
  let fscore: Float64Array;
  if (beta === Infinity) fscore = recall;
  else {
    fscore = new Float64Array(precision.length);
    for (let i = 0; i < fscore.length; i++) {
      let denom = beta2 * precision[i]! + recall[i]!;
      if (denom === 0) denom = 1;
      fscore[i] = ((1 + beta2) * precision[i]! * recall[i]!) / denom;
    }
  }
  if (average === null) return { precision, recall, fbetaScore: fscore, support: trueSum };
  let weights: Float64Array | null = null;
  if (average === 'weighted') {
    weights = trueSum;
    if (numpySum(weights) === 0) {
      const zdv = zeroDivision === 1 ? 1 : 0;
      if (numpySum(predSum) === 0) return { precision: zdv, recall: zdv, fbetaScore: zdv, support: null };
      return { precision: 0, recall: zdv, fbetaScore: 0, support: null };
    }
  }
  if (precision.length === 0) {
    warn(UNDEFINED_METRIC, `the ${average} average over no labels (empty input) is NaN`);
    return { precision: NaN, recall: NaN, fbetaScore: NaN, support: null };
  }
  return { precision: npAverage(precision, weights), recall: npAverage(recall, weights), fbetaScore: npAverage(fscore, weights), support: null };
}

/** Options of {@link precisionRecallFscoreSupport}. */
export interface PrecisionRecallFscoreSupportOptions extends PrfOptions {
  /** The weight of recall in the F-score (default 1); Infinity gives the recall. */
  beta?: number;
}

/**
 * Precision, recall, F-beta score and support, equal to `sklearn.metrics.precision_recall_fscore_support` 1.2.1
 * (whose default `average` is null: per label). Precision = tp / (tp + fp), recall = tp / (tp + fn),
 * F_β = (1 + β²) P R / (β² P + R) (0 when the denominator is 0).
 *
 * Edge cases as {@link precisionScore}; with zeroDivision 'warn', a warning is emitted for each of precision and
 * recall that is 0/0 somewhere.
 */
export function precisionRecallFscoreSupport(yTrue: LabelArray, yPred: LabelArray, options: PrecisionRecallFscoreSupportOptions & { average: Exclude<PrfAverage, null> }): PrecisionRecallFscoreSupport<number>;
export function precisionRecallFscoreSupport(yTrue: LabelArray, yPred: LabelArray, options?: PrecisionRecallFscoreSupportOptions): PrecisionRecallFscoreSupport<Float64Array>;
export function precisionRecallFscoreSupport(yTrue: LabelArray, yPred: LabelArray, options?: PrecisionRecallFscoreSupportOptions): PrecisionRecallFscoreSupport {
  return prfCore(yTrue, yPred, options, ['precision', 'recall', 'f-score'], null) as PrecisionRecallFscoreSupport;
}

/**
 * Precision tp / (tp + fp), equal to `sklearn.metrics.precision_score` 1.2.1 (average 'binary' by default).
 *
 * Edge cases: no predicted sample of a label → `zeroDivision` (default: 0 with an AUDIOMILL_UNDEFINED_METRIC
 * warning, as sklearn's UndefinedMetricWarning); labels only in yPred or only in `labels` count like any other;
 * average 'binary' with more than two labels → RangeError naming average (sklearn: ValueError); posLabel not a label
 * while the data have two labels → RangeError naming posLabel; posLabel with average other than 'binary' → ignored
 * with an AUDIOMILL_IGNORED_OPTION warning; 'weighted' with no true sample of any scored label → `zeroDivision`
 * (0 for 'warn') as sklearn; numbers mixed with strings → TypeError; mismatched lengths → RangeError.
 */
export function precisionScore(yTrue: LabelArray, yPred: LabelArray, options: PrfOptions & { average: null }): Float64Array;
export function precisionScore(yTrue: LabelArray, yPred: LabelArray, options?: PrfOptions): number;
export function precisionScore(yTrue: LabelArray, yPred: LabelArray, options?: PrfOptions): number | Float64Array {
  return prfCore(yTrue, yPred, options, ['precision'], 'binary').precision;
}

/** Recall tp / (tp + fn), equal to `sklearn.metrics.recall_score` 1.2.1; options and edge cases as {@link precisionScore} (0/0 when a label has no true sample). */
export function recallScore(yTrue: LabelArray, yPred: LabelArray, options: PrfOptions & { average: null }): Float64Array;
export function recallScore(yTrue: LabelArray, yPred: LabelArray, options?: PrfOptions): number;
export function recallScore(yTrue: LabelArray, yPred: LabelArray, options?: PrfOptions): number | Float64Array {
  return prfCore(yTrue, yPred, options, ['recall'], 'binary').recall;
}

/**
 * The F-beta score (1 + β²) P R / (β² P + R), equal to `sklearn.metrics.fbeta_score` 1.2.1 (`beta` positional here,
 * keyword-only there). β < 1 favours precision, β > 1 recall; β = Infinity gives the recall. The warning (with
 * zeroDivision 'warn') is emitted only when a label has neither true nor predicted samples, as sklearn; other edge
 * cases as {@link precisionScore}; β < 0 → RangeError.
 */
export function fbetaScore(yTrue: LabelArray, yPred: LabelArray, beta: number, options: PrfOptions & { average: null }): Float64Array;
export function fbetaScore(yTrue: LabelArray, yPred: LabelArray, beta: number, options?: PrfOptions): number;
export function fbetaScore(yTrue: LabelArray, yPred: LabelArray, beta: number, options?: PrfOptions): number | Float64Array {
  if (typeof beta !== 'number' || Number.isNaN(beta)) throw typeError('a number >= 0', 'beta', beta);
  return prfCore(yTrue, yPred, { ...readOptions(options), beta }, ['f-score'], 'binary').fbetaScore;
}

/** The F1 score 2 P R / (P + R), equal to `sklearn.metrics.f1_score` 1.2.1: {@link fbetaScore} with β = 1. */
export function f1Score(yTrue: LabelArray, yPred: LabelArray, options: PrfOptions & { average: null }): Float64Array;
export function f1Score(yTrue: LabelArray, yPred: LabelArray, options?: PrfOptions): number;
export function f1Score(yTrue: LabelArray, yPred: LabelArray, options?: PrfOptions): number | Float64Array {
  return prfCore(yTrue, yPred, { ...readOptions(options), beta: 1 }, ['f-score'], 'binary').fbetaScore;
}

// ---------------------------------------------------------------------------------------------------------------

/** Options of {@link logLoss}. */
export interface LogLossOptions {
  /**
   * Probabilities are clipped to [eps, 1 − eps]. 'auto' (default): the machine epsilon of yPred's type, 2⁻⁵² for
   * float64 and 2⁻²³ for a Float32Array (sklearn 1.2 uses `np.finfo(y_pred.dtype).eps`).
   */
  eps?: number | 'auto';
  /** true (default): the (weighted) mean loss per sample; false: the (weighted) sum. */
  normalize?: boolean;
  /** Sample weights (default: all 1). */
  sampleWeight?: NumberArray;
  /** The classes, sorted, that index yPred's columns (default: the sorted labels of yTrue). */
  labels?: LabelArray;
}

/**
 * The log loss (cross-entropy) −(1/Σw) Σᵢ wᵢ log p̂ᵢ,yᵢ, equal to `sklearn.metrics.log_loss` 1.2.1: yPred is the
 * probability of the positive class (1-D, two classes; the larger label in np.unique order is positive) or an
 * [n, k] matrix with a column per class in sorted label order. Probabilities are clipped to [eps, 1 − eps] and
 * each row renormalised to sum to 1 (1.2 does so silently). A Float32Array yPred (1-D, or as `{ data, shape }`) is
 * computed in float32 as NumPy does with float32 input, up to the logarithm.
 *
 * Edge cases: a single class in yTrue without `labels` → AudiomillError UNDEFINED_METRIC (sklearn: ValueError asking
 * for labels); fewer than two `labels` → RangeError; yPred columns not matching the number of classes → RangeError;
 * a yTrue label missing from `labels` → RangeError (sklearn 1.2.1 silently scores such a row as 0 loss or as the
 * first class); NaN/infinite probabilities, empty input, mismatched lengths → RangeError.
 */
export function logLoss(yTrue: LabelArray, yPred: NumberArray | MatrixInput, options?: LogLossOptions): number {
  const o = readOptions(options);
  const normalize = o.normalize === undefined ? true : o.normalize;
  if (typeof normalize !== 'boolean') throw typeError('a boolean', 'normalize', normalize);
  const col = readLabels(yTrue, 'yTrue');
  // yPred as rows × cols, float32 when given as a Float32Array.
  let data: Float64Array | Float32Array;
  let rows: number;
  let cols: number;
  if (isMatrixInput(yPred)) {
    const m = readMatrix(yPred, 'yPred');
    data = m.data;
    rows = m.rows;
    cols = m.cols;
  } else {
    if (!isArrayInput(yPred)) throw typeError('an array of probabilities or a matrix', 'yPred', yPred);
    rows = yPred.length;
    cols = 1;
    data = yPred instanceof Float32Array ? yPred : new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      const v = (yPred as ArrayLike<unknown>)[i];
      if (typeof v !== 'number') throw typeError('a number', `yPred[${i}]`, v);
      if (v - v !== 0) throw rangeError('a finite number', `yPred[${i}]`, v);
      if (data !== yPred) data[i] = v;
    }
  }
  const f32 = data instanceof Float32Array;
  let eps: number;
  if (o.eps === undefined || o.eps === 'auto') eps = f32 ? 2 ** -23 : 2 ** -52;
  else if (typeof o.eps !== 'number') throw typeError("a number or 'auto'", 'eps', o.eps);
  else if (!Number.isFinite(o.eps)) throw rangeError("a finite number or 'auto'", 'eps', o.eps);
  else eps = o.eps;
  checkLengths([
    ['yTrue', yTrue, col.length],
    ['yPred', yPred, rows],
  ]);
  if (rows === 0) throw rangeError('at least one sample', 'yPred', yPred);
  const w = readSampleWeight(o.sampleWeight, rows, { lengthOf: 'yTrue' });
  let classes: ClassSet;
  if (o.labels !== undefined && o.labels !== null) {
    const lc = readLabelOption(o.labels, 'labels');
    commonKind([col, lc], ['yTrue', 'labels']);
    classes = uniqueLabels([lc], ['labels']);
    if (classes.values.length < 2) throw rangeError('at least two distinct labels', 'labels', o.labels);
  } else {
    classes = uniqueLabels([col], ['yTrue']);
    if (classes.values.length < 2) {
      throw undefinedMetric(`yTrue contains only one label (${labelText(labelValues(classes)[0]!)}): pass the labels option to name the classes`);
    }
  }
  const k = classes.values.length;
  const enc = encodeLabels(col, classes);
  for (let i = 0; i < enc.length; i++) {
    if (enc[i]! < 0) throw rangeError(`a label among labels`, `yTrue[${i}]`, col.str ? col.str[i] : col.num![i]);
  }
  const round = f32 ? Math.fround : undefined;
  const r = f32 ? Math.fround : (x: number) => x;
  const lo = r(eps);
  const hi = r(1 - eps);
  const pcols = cols === 1 ? 2 : cols;
  if (pcols !== k) {
    throw rangeError(`${k} columns (one per class: ${labelValues(classes).map(labelText).join(', ')})`, 'yPred', `${cols} column${cols === 1 ? '' : 's'}`);
  }
  const loss = new Float64Array(rows);
  const row = f32 ? new Float32Array(pcols) : new Float64Array(pcols);
  for (let i = 0; i < rows; i++) {
    if (cols === 1) {
      const q = Math.min(Math.max(data[i]!, lo), hi);
      row[0] = r(1 - q);
      row[1] = q;
    } else {
      for (let c = 0; c < cols; c++) row[c] = Math.min(Math.max(data[i * cols + c]!, lo), hi);
    }
    const s = numpySum(row, 0, pcols, round);
    loss[i] = -Math.log(r(row[enc[i]!]! / s));
  }
  if (normalize) {
    if (w && numpySum(w) === 0) throw undefinedMetric('the sample weights sum to 0, so the log loss cannot be normalised');
    return npAverage(loss, w);
  }
  if (w) {
    let s = 0;
    for (let i = 0; i < rows; i++) s += loss[i]! * w[i]!;
    return s;
  }
  return numpySum(loss);
}
