/**
 * A random forest classifier computed by the C++ core (`native/core/forest/`): scikit-learn's
 * RandomForestClassifier split rules (Gini impurity, best split over a random subset of features, thresholds halfway
 * between distinct float32 values, bootstrap rows as integer weights, class probabilities averaged over trees),
 * trained with every tree on the native pool and saved as plain JSON. Definitions: docs/events.md, "Random-forest
 * filter".
 */
import { readFile } from 'node:fs/promises';
import { AudiomillError, awaitNative, callNative, ioError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic.js';
import { native } from '../native/load.js';
import type { NativeForest, NativeForestModel, NativeForestOptions } from '../native/binding.js';
import type { Tensor } from '../tensor.js';
import { bool, int, num, rangeError, threadsOption, typeError } from '../validate.js';

/** A class label: strings, or numbers (sorted numerically, as scikit-learn's classes_). */
export type ClassLabel = string | number;

/** Rows of features: an array of rows, or a [rows, cols] tensor. A NaN (a missing value) sorts below every number. */
export type FeatureRows = readonly ArrayLike<number>[] | Tensor;

export interface RandomForestOptions {
  /** Trees (default 100). */
  trees?: number;
  /** Depth limit (default null: grow until pure or too small). */
  maxDepth?: number | null;
  /** Rows a node needs before it is split (default 2). */
  minSamplesSplit?: number;
  /** Rows each child keeps at least (default 1). */
  minSamplesLeaf?: number;
  /** Features searched per split: 'sqrt' (default, scikit-learn's), 'log2', a count >= 1, a fraction in (0, 1), or null for all. */
  maxFeatures?: 'sqrt' | 'log2' | number | null;
  /** Each tree on a bootstrap sample of the rows (default true). */
  bootstrap?: boolean;
  /** 'balanced' (n / (classes · count)), weights by class, or null (default: every row weighs 1). */
  classWeight?: 'balanced' | Readonly<Record<string, number>> | null;
  /** Seed of every random draw (default 0): the same seed and data give the same forest on any thread count. */
  seed?: number;
  /** Names of the feature columns (default f0, f1, ...); kept in the model so a later table can be checked against them. */
  featureNames?: readonly string[];
  /** Threads of the native pool (default: the global cap). */
  threads?: number;
}

/** The model file (`RandomForestClassifier.save`): plain JSON, thresholds exact (JSON numbers round-trip doubles). */
export interface RandomForestJson {
  format: 'audiomill.random-forest';
  version: 1;
  classes: ClassLabel[];
  featureNames: string[];
  options: { trees: number; maxDepth: number | null; minSamplesSplit: number; minSamplesLeaf: number; maxFeatures: number; bootstrap: boolean; seed: number; classWeight: 'balanced' | Record<string, number> | null };
  importances: number[];
  trees: { offset: number[]; feature: number[]; threshold: number[]; left: number[]; right: number[]; value: number[] };
  /** Anything the caller keeps beside the model (the filter keeps its feature options here). */
  meta?: Record<string, unknown>;
}

type Resolved = RandomForestJson['options'];

function resolveMaxFeatures(v: RandomForestOptions['maxFeatures'], cols: number): number {
  if (v === null) return cols;
  if (v === undefined || v === 'sqrt') return Math.max(1, Math.floor(Math.sqrt(cols)));
  if (v === 'log2') return Math.max(1, Math.floor(Math.log2(cols)));
  if (typeof v !== 'number') throw typeError("'sqrt', 'log2', a count >= 1, a fraction in (0, 1) or null", 'maxFeatures', v);
  if (!Number.isFinite(v) || v <= 0) throw rangeError('a count >= 1 or a fraction in (0, 1)', 'maxFeatures', v);
  if (v < 1) return Math.max(1, Math.floor(v * cols));
  if (!Number.isInteger(v)) throw rangeError('an integer count or a fraction in (0, 1)', 'maxFeatures', v);
  if (v > cols) throw rangeError(`at most ${cols} (the number of features)`, 'maxFeatures', v);
  return v;
}

/** Rows as one float32 matrix. */
function matrixOf(x: FeatureRows, cols: number | undefined, what = 'x'): { data: Float32Array; rows: number; cols: number } {
  if (x !== null && typeof x === 'object' && !Array.isArray(x) && 'data' in x && 'shape' in x) {
    const t = x as Tensor;
    if (!(t.data instanceof Float32Array) || t.shape.length !== 2) throw typeError('a [rows, cols] tensor of float32', what, x);
    const [rows, c] = [t.shape[0]!, t.shape[1]!];
    if (cols !== undefined && c !== cols) throw rangeError(`${cols} feature columns`, what, `${c} columns`);
    if (t.data.length !== rows * c) throw rangeError(`${rows * c} values for shape [${rows}, ${c}]`, what, t.data.length);
    return { data: t.data, rows, cols: c };
  }
  if (!Array.isArray(x)) throw typeError('an array of feature rows or a [rows, cols] tensor', what, x);
  const rows = x.length;
  const c = cols ?? (rows > 0 ? (x[0] as ArrayLike<number>).length : 0);
  const data = new Float32Array(rows * c);
  (x as readonly ArrayLike<number>[]).forEach((row, i) => {
    if (row === null || typeof row !== 'object' || typeof row.length !== 'number') throw typeError('an array of numbers', `${what}[${i}]`, row);
    if (row.length !== c) throw rangeError(`${c} values (as every row)`, `${what}[${i}]`, `${row.length} values`);
    for (let j = 0; j < c; j++) {
      const v = row[j];
      if (typeof v !== 'number') throw typeError('a number', `${what}[${i}][${j}]`, v);
      data[i * c + j] = v;
    }
  });
  return { data, rows, cols: c };
}

/** Sorted distinct labels (numbers numerically, else strings by code unit) and each row's class index. */
function encodeLabels(y: readonly ClassLabel[]): { classes: ClassLabel[]; codes: Int32Array } {
  if (!Array.isArray(y)) throw typeError('an array of class labels (strings or numbers)', 'y', y);
  const numeric = y.every((v) => typeof v === 'number');
  y.forEach((v, i) => {
    if (typeof v !== 'string' && !(typeof v === 'number' && Number.isFinite(v))) throw typeError('a string or finite number label', `y[${i}]`, v);
    if (!numeric && typeof v !== 'string') throw typeError('labels of one type (all strings or all numbers)', `y[${i}]`, v);
  });
  const classes = [...new Set(y)].sort((a, b) => (numeric ? (a as number) - (b as number) : a < b ? -1 : a > b ? 1 : 0));
  const index = new Map(classes.map((c, i) => [c, i]));
  return { classes, codes: Int32Array.from(y, (v) => index.get(v)!) };
}

function weightsOf(cw: RandomForestOptions['classWeight'], classes: readonly ClassLabel[], codes: Int32Array): Float64Array | null {
  if (cw === undefined || cw === null) return null;
  const per = new Float64Array(classes.length);
  if (cw === 'balanced') {
    const count = new Float64Array(classes.length);
    for (const c of codes) count[c]!++;
    classes.forEach((_, k) => (per[k] = codes.length / (classes.length * count[k]!)));
  } else if (typeof cw === 'object') {
    classes.forEach((c, k) => {
      const w = (cw as Record<string, number>)[String(c)];
      per[k] = w === undefined ? 1 : num(w, `classWeight.${String(c)}`, { min: 0 });
    });
  } else throw typeError("'balanced', an object of weights by class, or null", 'classWeight', cw);
  return Float64Array.from(codes, (c) => per[c]!);
}

function toNumbers(a: ArrayLike<number>): number[] {
  return Array.from(a);
}

/** Only fit, fitSync, fromJSON and load make forests. */
const MAKE = Symbol('RandomForestClassifier');

/** A trained forest: class probabilities for new rows, feature importances, and a JSON model file. */
export class RandomForestClassifier {
  private constructor(
    token: symbol,
    /** The class labels, sorted; predictProba's columns follow this order. */
    readonly classes: readonly ClassLabel[],
    readonly featureNames: readonly string[],
    readonly options: Readonly<Resolved>,
    /** Mean decrease in impurity per feature (scikit-learn's feature_importances_), summing to 1. */
    readonly featureImportances: Float64Array,
    private readonly model: NativeForestModel,
    /** What the caller stored beside the model (`meta` of the JSON). */
    readonly meta: Readonly<Record<string, unknown>> = {},
  ) {
    if (token !== MAKE) throw typeError('RandomForestClassifier.fit, fitSync, fromJSON or load to make a forest', 'new RandomForestClassifier()', token);
  }

  private static prepare(x: FeatureRows, y: readonly ClassLabel[], options: RandomForestOptions) {
    if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
    const m = matrixOf(x, undefined);
    if (m.rows === 0 || m.cols === 0) throw rangeError('at least one row and one feature', 'x', `${m.rows} x ${m.cols}`);
    const { classes, codes } = encodeLabels(y);
    if (codes.length !== m.rows) throw rangeError(`one label per row (${m.rows})`, 'y', `${codes.length} labels`);
    const names = options.featureNames === undefined ? Array.from({ length: m.cols }, (_, j) => `f${j}`) : [...options.featureNames];
    if (names.length !== m.cols || names.some((n) => typeof n !== 'string')) throw typeError(`${m.cols} feature names`, 'featureNames', options.featureNames);
    const resolved: Resolved = {
      trees: int(options.trees ?? 100, 'trees', 1, 100_000),
      maxDepth: options.maxDepth === undefined || options.maxDepth === null ? null : int(options.maxDepth, 'maxDepth', 1, 100_000),
      minSamplesSplit: int(options.minSamplesSplit ?? 2, 'minSamplesSplit', 2, 2 ** 31 - 1),
      minSamplesLeaf: int(options.minSamplesLeaf ?? 1, 'minSamplesLeaf', 1, 2 ** 31 - 1),
      maxFeatures: resolveMaxFeatures(options.maxFeatures, m.cols),
      bootstrap: options.bootstrap === undefined ? true : bool(options.bootstrap, 'bootstrap'),
      seed: int(options.seed ?? 0, 'seed', 0),
      classWeight: options.classWeight === undefined || options.classWeight === null ? null : options.classWeight === 'balanced' ? 'balanced' : { ...options.classWeight },
    };
    const weight = weightsOf(options.classWeight, classes, codes);
    const args: NativeForestOptions = {
      rows: m.rows,
      cols: m.cols,
      classes: classes.length,
      trees: resolved.trees,
      maxDepth: resolved.maxDepth ?? 0,
      minSamplesSplit: resolved.minSamplesSplit,
      minSamplesLeaf: resolved.minSamplesLeaf,
      maxFeatures: resolved.maxFeatures,
      bootstrap: resolved.bootstrap,
      seed: resolved.seed,
    };
    const threads = threadsOption(options.threads);
    if (threads !== undefined) args.threads = threads;
    return { m, codes, weight, args, build: (f: NativeForest) => new RandomForestClassifier(MAKE, classes, names, resolved, f.importance, { ...f, features: m.cols, classes: classes.length }) };
  }

  /** Trains a forest off the event loop (trees in parallel on the native pool). */
  static async fit(x: FeatureRows, y: readonly ClassLabel[], options: RandomForestOptions = {}): Promise<RandomForestClassifier> {
    const p = RandomForestClassifier.prepare(x, y, options);
    return p.build(await awaitNative(() => native().forestTrain(p.m.data, p.codes, p.weight, p.args, true)));
  }

  /** {@link RandomForestClassifier.fit} on the calling thread. */
  static fitSync(x: FeatureRows, y: readonly ClassLabel[], options: RandomForestOptions = {}): RandomForestClassifier {
    const p = RandomForestClassifier.prepare(x, y, options);
    return p.build(callNative(() => native().forestTrain(p.m.data, p.codes, p.weight, p.args, false)));
  }

  /** Nodes over every tree. */
  get nodeCount(): number {
    return this.model.feature.length;
  }

  private rowsOf(x: FeatureRows) {
    return matrixOf(x, this.featureNames.length);
  }

  /** Class probabilities: one row per input row, one column per class (in `classes` order), rows x classes. */
  async predictProba(x: FeatureRows, options: { threads?: number } = {}): Promise<Float64Array> {
    const m = this.rowsOf(x);
    const threads = threadsOption(options.threads);
    return awaitNative(() => native().forestPredict(this.model, m.data, { rows: m.rows, ...(threads === undefined ? {} : { threads }) }, true));
  }

  /** {@link RandomForestClassifier.predictProba} on the calling thread. */
  predictProbaSync(x: FeatureRows, options: { threads?: number } = {}): Float64Array {
    const m = this.rowsOf(x);
    const threads = threadsOption(options.threads);
    return callNative(() => native().forestPredict(this.model, m.data, { rows: m.rows, ...(threads === undefined ? {} : { threads }) }, false));
  }

  /** The most probable class of each row (the first in `classes` order on ties, as scikit-learn's argmax). */
  async predict(x: FeatureRows, options: { threads?: number } = {}): Promise<ClassLabel[]> {
    return this.argmax(await this.predictProba(x, options));
  }

  private argmax(p: Float64Array): ClassLabel[] {
    const k = this.classes.length;
    const out: ClassLabel[] = [];
    for (let i = 0; i < p.length / k; i++) {
      let best = 0;
      for (let c = 1; c < k; c++) if (p[i * k + c]! > p[i * k + best]!) best = c;
      out.push(this.classes[best]!);
    }
    return out;
  }

  /** The model as plain JSON (`meta` kept beside it). */
  toJSON(meta: Record<string, unknown> = { ...this.meta }): RandomForestJson {
    const f = this.model;
    return {
      format: 'audiomill.random-forest',
      version: 1,
      classes: [...this.classes],
      featureNames: [...this.featureNames],
      options: { ...this.options, classWeight: this.options.classWeight === null || this.options.classWeight === 'balanced' ? this.options.classWeight : { ...this.options.classWeight } },
      importances: toNumbers(this.featureImportances),
      trees: { offset: toNumbers(f.offset), feature: toNumbers(f.feature), threshold: toNumbers(f.threshold), left: toNumbers(f.left), right: toNumbers(f.right), value: toNumbers(f.value) },
      ...(Object.keys(meta).length > 0 ? { meta } : {}),
    };
  }

  /** Writes the model file atomically. */
  async save(path: string, meta?: Record<string, unknown>): Promise<void> {
    await writeFileAtomic(path, JSON.stringify(this.toJSON(meta))).catch((err: unknown) => {
      throw ioError('write the random forest', path, err);
    });
  }

  /**
   * A forest from its JSON: every field checked (a file that is not a forest, or a malformed one, is an
   * AudiomillError `MODEL_INPUT` naming `path`), and the trees' structure checked by the core before any use.
   */
  static fromJSON(json: unknown, path?: string): RandomForestClassifier {
    const fail = (why: string): never => {
      throw new AudiomillError('MODEL_INPUT', `Not an audiomill random forest${path ? ` (${path})` : ''}: ${why}`, path === undefined ? {} : { path });
    };
    const j = json as RandomForestJson;
    if (j === null || typeof j !== 'object' || j.format !== 'audiomill.random-forest') fail("no format 'audiomill.random-forest'");
    if (j.version !== 1) fail(`version ${String(j.version)} is not 1`);
    if (!Array.isArray(j.classes) || j.classes.length === 0 || !j.classes.every((c) => typeof c === 'string' || (typeof c === 'number' && Number.isFinite(c)))) fail('classes is not a list of labels');
    if (new Set(j.classes).size !== j.classes.length) fail('classes has a label twice');
    if (!Array.isArray(j.featureNames) || j.featureNames.length === 0 || !j.featureNames.every((n) => typeof n === 'string')) fail('featureNames is not a list of names');
    if (j.options === null || typeof j.options !== 'object') fail('no options');
    const t = j.trees;
    if (t === null || typeof t !== 'object') fail('no trees');
    const ints = (k: 'offset' | 'feature' | 'left' | 'right'): Int32Array => {
      const a = t[k];
      if (!Array.isArray(a) || !a.every((v) => Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31)) fail(`trees.${k} is not a list of 32-bit integers`);
      return Int32Array.from(a);
    };
    const doubles = (a: unknown, what: string): Float64Array => {
      if (!Array.isArray(a) || !a.every((v) => typeof v === 'number')) fail(`${what} is not a list of numbers`);
      return Float64Array.from(a as number[]);
    };
    const model: NativeForestModel = {
      features: j.featureNames.length,
      classes: j.classes.length,
      offset: ints('offset'),
      feature: ints('feature'),
      threshold: doubles(t.threshold, 'trees.threshold'),
      left: ints('left'),
      right: ints('right'),
      value: doubles(t.value, 'trees.value'),
    };
    const n = model.feature.length;
    if (model.offset.length < 2 || n === 0 || model.threshold.length !== n || model.left.length !== n || model.right.length !== n || model.value.length !== n * model.classes) {
      fail('the tree arrays disagree in length');
    }
    const importances = doubles(j.importances, 'importances');
    if (importances.length !== model.features) fail('importances does not hold one value per feature');
    try {
      callNative(() => native().forestPredict(model, new Float32Array(0), { rows: 0 }, false));
    } catch (err) {
      fail((err as Error).message);
    }
    const o = j.options;
    const resolved: Resolved = {
      trees: model.offset.length - 1,
      maxDepth: typeof o.maxDepth === 'number' ? o.maxDepth : null,
      minSamplesSplit: Number(o.minSamplesSplit),
      minSamplesLeaf: Number(o.minSamplesLeaf),
      maxFeatures: Number(o.maxFeatures),
      bootstrap: o.bootstrap === true,
      seed: Number(o.seed),
      classWeight: o.classWeight ?? null,
    };
    const meta = j.meta !== null && typeof j.meta === 'object' ? j.meta : {};
    return new RandomForestClassifier(MAKE, [...j.classes], [...j.featureNames], resolved, importances, model, meta);
  }

  /** Reads a model file written by {@link RandomForestClassifier.save}. */
  static async load(path: string): Promise<RandomForestClassifier> {
    const text = await readFile(path, 'utf8').catch((err: unknown) => {
      throw ioError('read the random forest', path, err);
    });
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new AudiomillError('MODEL_INPUT', `Not an audiomill random forest (${path}): not JSON (${(err as Error).message})`, { path, cause: err });
    }
    return RandomForestClassifier.fromJSON(json, path);
  }
}
