/**
 * Cross-validation of any estimator with `fit` and `predict` (scikit-learn's `cross_validate` and
 * `cross_val_predict` in one call): per-fold scores, their mean and std, the out-of-fold predictions, and the
 * pooled score of those predictions (the piano audit's R² of all folds' predictions together). Definitions in
 * docs/evaluation.md, "Cross-validation".
 */
import { AudiomillError } from '../errors.js';
import { int, oneOf, rangeError, typeError } from '../validate.js';
import { readMatrix, toMatrix, type Matrix, type MatrixLike } from './inputs.js';
import { takeRows as copyRows } from './linalg.js';
import { accuracyScore, balancedAccuracyScore, f1Score, logLoss } from './metrics/classification.js';
import { rocAucScore } from './metrics/ranking.js';
import { meanAbsoluteError, meanSquaredError, r2Score } from './metrics/regression.js';
import { StandardScaler } from './models/scaler.js';
import { foldOf, groupKFold, kFold, leaveOneGroupOut, stratifiedKFold, type Fold, type LabelArray } from './splitters.js';

/** What crossValidate needs of a model: scikit-learn's estimator protocol. */
export interface Estimator {
  fit(X: Matrix, y: never): unknown;
  predict(X: Matrix): ArrayLike<unknown> | Matrix;
  /** Classifiers: class probabilities [n, classes], columns in the order of `classes`. */
  predictProba?(X: Matrix): Matrix;
  classes?: readonly unknown[];
  /**
   * Optional: fits a new model with this one's options to each job's rows of X, giving the models `fit` on those rows
   * would. crossValidate hands every fold over at once when the first model made has it (and `standardize` is off), so
   * a model can share work between the folds and run them side by side (RidgeCV's leave-one-out). X is the caller's
   * matrix: read it, never change it.
   */
  fitMany?(jobs: readonly { X: Matrix; y: never; rows: ArrayLike<number> }[]): Estimator[];
}

/** scikit-learn's scoring names that crossValidate knows. */
export const SCORINGS = ['r2', 'neg_mean_squared_error', 'neg_root_mean_squared_error', 'neg_mean_absolute_error', 'accuracy', 'balanced_accuracy', 'f1', 'f1_macro', 'f1_micro', 'f1_weighted', 'roc_auc', 'roc_auc_ovr', 'neg_log_loss'] as const;
export type Scoring = (typeof SCORINGS)[number];

export interface CrossValidateOptions {
  /**
   * The folds: a number of folds (stratified for a classifier, one with `predictProba`, as scikit-learn's
   * `check_cv`; group k-fold with `groups`), 'logo' (leave one group out: one fold per group), or folds made by a
   * splitter. Default 5.
   */
  cv?: number | 'logo' | readonly Fold[];
  /** A group per row, for `cv` 'logo' or a number of folds (then groupKFold). */
  groups?: LabelArray;
  /** One or more of SCORINGS (default 'r2' for a regressor, 'accuracy' for a classifier). */
  scoring?: Scoring | readonly Scoring[];
  /** Standardise the features of each fold with a StandardScaler fitted on its training rows (the piano audit's probe). */
  standardize?: boolean;
  /** With a number of folds and no groups: shuffle before splitting, seeded as scikit-learn's `random_state`. */
  shuffle?: boolean;
  randomState?: number;
}

export interface CrossValidateScore {
  /** One value per fold. */
  folds: Float64Array;
  /** Their mean and population std (NumPy's `scores.mean()`, `scores.std()`). */
  mean: number;
  std: number;
  /** The scoring of every row's out-of-fold prediction at once (over the rows some fold tested). */
  pooled: number;
}

export interface CrossValidateResult {
  folds: (Fold & { scores: Record<string, number> })[];
  scores: Record<string, CrossValidateScore>;
  /** Out-of-fold predictions in row order (null / NaN for a row no fold tested). */
  predictions: unknown[] | Float64Array | Matrix;
  /** Out-of-fold class probabilities, for a classifier with predictProba (when a scoring needs them). */
  probabilities?: Matrix;
  /** The classes of the probabilities' columns, in order. */
  classes?: readonly unknown[];
}

const PROBA: ReadonlySet<string> = new Set(['roc_auc', 'roc_auc_ovr', 'neg_log_loss']);

function takeRows(x: Matrix, rows: ArrayLike<number>): Matrix {
  return { data: copyRows(x.data, x.shape[1], rows), shape: [rows.length, x.shape[1]] };
}

/** y as given: numbers (a vector or [n, targets]) or labels. */
type Targets = { kind: 'vector'; data: Float64Array } | { kind: 'matrix'; m: Matrix } | { kind: 'labels'; values: readonly unknown[] };

function readY(y: unknown, n: number): Targets {
  if (ArrayBuffer.isView(y)) {
    const v = Float64Array.from(y as unknown as ArrayLike<number>);
    if (v.length !== n) throw rangeError(`${n} targets, one per row of X`, 'y', `${v.length} values`);
    return { kind: 'vector', data: v };
  }
  if (Array.isArray(y)) {
    if (y.length !== n) throw rangeError(`${n} targets, one per row of X`, 'y', `${y.length} values`);
    if (y.length > 0 && (Array.isArray(y[0]) || ArrayBuffer.isView(y[0]))) {
      const m = readMatrix(y, 'y');
      return { kind: 'matrix', m: { data: m.data, shape: [m.rows, m.cols] } };
    }
    if (y.every((v) => typeof v === 'number')) return { kind: 'vector', data: Float64Array.from(y as number[]) };
    return { kind: 'labels', values: y };
  }
  if (y !== null && typeof y === 'object' && 'data' in y && 'shape' in y) {
    const m = readMatrix(y, 'y');
    if (m.rows !== n) throw rangeError(`${n} rows of targets`, 'y', `${m.rows} rows`);
    return { kind: 'matrix', m: { data: m.data, shape: [m.rows, m.cols] } };
  }
  throw typeError('targets: numbers, labels or a [n, targets] matrix', 'y', y);
}

function subsetY(t: Targets, rows: ArrayLike<number>): unknown {
  if (t.kind === 'vector') return Float64Array.from(rows, (r) => t.data[r]!);
  if (t.kind === 'labels') return Array.from(rows, (r) => t.values[r]);
  return takeRows(t.m, rows);
}

/**
 * Fits a fresh model (from `make`) on each fold's training rows and scores its predictions on the test rows.
 * Deterministic for a given `randomState`.
 */
export function crossValidate(make: () => Estimator, X: MatrixLike, y: unknown, options: CrossValidateOptions = {}): CrossValidateResult {
  if (typeof make !== 'function') throw typeError('a function that returns a new, unfitted model', 'make', make);
  if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
  const x = toMatrix(readMatrix(X, 'X', { minRows: 2, readOnly: true }));
  const n = x.shape[0];
  const t = readY(y, n);
  const probe = make();
  const classifier = typeof probe.predictProba === 'function' || t.kind === 'labels';
  const scorings: Scoring[] = (options.scoring === undefined ? [classifier ? 'accuracy' : 'r2'] : typeof options.scoring === 'string' ? [options.scoring] : [...options.scoring]).map((s, i) => oneOf(s, `scoring[${i}]`, SCORINGS));
  const folds = foldsOf(options, n, t, classifier);
  const needProba = scorings.some((s) => PROBA.has(s));
  // Out-of-fold predictions.
  let oofLabels: unknown[] | null = null;
  let oofVector: Float64Array | null = null;
  let oofMatrix: Matrix | null = null;
  let oofProba: Matrix | null = null;
  let classes: readonly unknown[] | null = null;
  const tested = new Uint8Array(n);
  const result: CrossValidateResult['folds'] = [];
  // A model with fitMany gets every fold at once, as rows of X (without standardising: each fold's scaler changes X).
  const models = typeof probe.fitMany === 'function' && !options.standardize ? probe.fitMany(folds.map((f) => ({ X: x, y: subsetY(t, f.train) as never, rows: f.train }))) : null;
  folds.forEach((fold, f) => {
    let xTest = takeRows(x, fold.test);
    if (models) {
      scoreFold(fold, xTest, models[f]!);
      return;
    }
    let xTrain = takeRows(x, fold.train);
    if (options.standardize) {
      const s = new StandardScaler().fit(xTrain);
      xTrain = s.transform(xTrain);
      xTest = s.transform(xTest);
    }
    const model = make();
    model.fit(xTrain, subsetY(t, fold.train) as never);
    scoreFold(fold, xTest, model);
  });
  /** The fold's predictions placed among the out-of-fold ones, and its scores. */
  function scoreFold(fold: Fold, xTest: Matrix, model: Estimator): void {
    const pred = model.predict(xTest);
    let proba: Matrix | null = null;
    if (needProba) {
      if (typeof model.predictProba !== 'function') throw typeError('a classifier with predictProba (for a probability scoring)', 'make', model);
      proba = model.predictProba(xTest);
      const cls = model.classes ?? [];
      if (classes === null) classes = cls;
      else if (cls.length !== classes.length || cls.some((c, i) => c !== classes![i])) throw new AudiomillError('UNDEFINED_METRIC', `a fold's training rows hold the classes [${cls.join(', ')}], another's [${classes.join(', ')}]: probabilities of the folds cannot be pooled (use stratified folds)`);
      oofProba ??= { data: new Float64Array(n * cls.length).fill(NaN), shape: [n, cls.length] };
      for (let i = 0; i < fold.test.length; i++) oofProba.data.set(proba.data.subarray(i * cls.length, (i + 1) * cls.length), fold.test[i]! * cls.length);
    }
    // Place the predictions.
    if (t.kind === 'labels' || classifier) {
      oofLabels ??= new Array<unknown>(n).fill(null);
      const p = pred as ArrayLike<unknown>;
      for (let i = 0; i < fold.test.length; i++) oofLabels[fold.test[i]!] = p[i];
    } else if (t.kind === 'vector') {
      oofVector ??= new Float64Array(n).fill(NaN);
      const p = pred as ArrayLike<number>;
      for (let i = 0; i < fold.test.length; i++) oofVector[fold.test[i]!] = p[i]!;
    } else {
      const p = pred as Matrix;
      oofMatrix ??= { data: new Float64Array(n * t.m.shape[1]).fill(NaN), shape: [n, t.m.shape[1]] };
      for (let i = 0; i < fold.test.length; i++) oofMatrix.data.set(p.data.subarray(i * t.m.shape[1], (i + 1) * t.m.shape[1]), fold.test[i]! * t.m.shape[1]);
    }
    for (const r of fold.test) tested[r] = 1;
    const yTest = subsetY(t, fold.test);
    const scores: Record<string, number> = {};
    for (const s of scorings) scores[s] = score(s, yTest, pred, proba, model.classes ?? null);
    result.push({ train: fold.train, test: fold.test, scores });
  }
  const rows = Uint32Array.from({ length: n }, (_, i) => i).filter((i) => tested[i] === 1);
  const predictions = oofLabels ?? oofVector ?? oofMatrix!;
  const pooledPred = oofLabels ? rows.reduce<unknown[]>((a, r) => (a.push(oofLabels![r]), a), []) : oofVector ? Float64Array.from(rows, (r) => oofVector![r]!) : takeRows(oofMatrix!, rows);
  const pooledProba = oofProba ? takeRows(oofProba, rows) : null;
  const out: Record<string, CrossValidateScore> = {};
  for (const s of scorings) {
    const f = Float64Array.from(result, (r) => r.scores[s]!);
    const mean = f.reduce((a, v) => a + v, 0) / f.length;
    const std = Math.sqrt(f.reduce((a, v) => a + (v - mean) * (v - mean), 0) / f.length);
    out[s] = { folds: f, mean, std, pooled: score(s, subsetY(t, rows), pooledPred, pooledProba, classes) };
  }
  return { folds: result, scores: out, predictions, ...(oofProba ? { probabilities: oofProba, classes: classes ?? [] } : {}) };
}

function foldsOf(options: CrossValidateOptions, n: number, t: Targets, classifier: boolean): readonly Fold[] {
  const cv = options.cv ?? 5;
  if (Array.isArray(cv)) {
    foldOf(cv as Fold[], n); // checks that every test index is a row and no row is tested twice
    // foldOf does not look at the training rows: an index outside 0 .. n - 1 would train on a row of zeros.
    (cv as readonly Fold[]).forEach((fold, f) => {
      const train = fold.train as ArrayLike<unknown>;
      for (let i = 0; i < train.length; i++) {
        const r = train[i];
        if (!(typeof r === 'number' && Number.isInteger(r) && r >= 0 && r < n)) throw rangeError(`row indices in 0 .. ${n - 1}`, `cv[${f}].train[${i}]`, r);
      }
    });
    return cv as readonly Fold[];
  }
  if (cv === 'logo') {
    if (options.groups === undefined) throw typeError("groups (one per row) with cv 'logo'", 'groups', undefined);
    return leaveOneGroupOut(options.groups);
  }
  const k = int(cv, 'cv', 2);
  if (options.groups !== undefined) return groupKFold(options.groups, { nSplits: k });
  const shuffle = options.shuffle === true ? { shuffle: true, ...(options.randomState !== undefined ? { randomState: options.randomState } : {}) } : {};
  if (classifier && t.kind !== 'matrix') return stratifiedKFold((t.kind === 'labels' ? t.values : Array.from(t.data)) as LabelArray, { nSplits: k, ...shuffle });
  return kFold(n, { nSplits: k, ...shuffle });
}

function score(s: Scoring, yTrue: unknown, pred: unknown, proba: Matrix | null, classes: readonly unknown[] | null): number {
  const yt = yTrue as never;
  const yp = pred as never;
  switch (s) {
    case 'r2':
      return r2Score(yt, yp) as number;
    case 'neg_mean_squared_error':
      return -(meanSquaredError(yt, yp) as number);
    case 'neg_root_mean_squared_error':
      return -(meanSquaredError(yt, yp, { squared: false }) as number);
    case 'neg_mean_absolute_error':
      return -(meanAbsoluteError(yt, yp) as number);
    case 'accuracy':
      return accuracyScore(yt, yp) as number;
    case 'balanced_accuracy':
      return balancedAccuracyScore(yt, yp) as number;
    case 'f1':
      return f1Score(yt, yp) as number;
    case 'f1_macro':
    case 'f1_micro':
    case 'f1_weighted':
      return f1Score(yt, yp, { average: s.slice(3) as 'macro' }) as number;
    case 'roc_auc':
    case 'roc_auc_ovr': {
      const k = proba!.shape[1];
      if (s === 'roc_auc' && k === 2) return rocAucScore(yt, Float64Array.from({ length: proba!.shape[0] }, (_, i) => proba!.data[i * 2 + 1]!)) as number;
      return rocAucScore(yt, proba as never, { multiClass: 'ovr', labels: classes as never }) as number;
    }
    case 'neg_log_loss':
      return -(logLoss(yt, proba as never, { labels: classes as never }) as number);
  }
}
