/**
 * Class labels and the other inputs the classification and ranking metrics share: reading and checking label
 * arrays (numbers, strings or booleans), their sorted unique values in NumPy's `np.unique` order, encoding to class
 * indices, scores, sample weights, matrices, summation in NumPy's order and the undefined-metric warning.
 *
 * The label reader here is the only one: the splitters (`y`, `groups`) and the models (cluster and
 * LogisticRegression labels) read through it too, with {@link LabelRules} for where their inputs differ.
 *
 * Conventions follow scikit-learn 1.2.1 (`sklearn.utils.multiclass.type_of_target`, `unique_labels`,
 * `sklearn.utils.validation.check_consistent_length`, `_check_sample_weight`) except where a comment says otherwise.
 */
import { AudiomillError } from '../../errors.js';
import { rangeError, typeError } from '../../validate.js';
import { isArrayInput, isTypedNumberArray } from '../inputs.js';
import { numpySum } from '../numpy-sum.js';

/** One class label: a number (an integer), a string or a boolean. */
export type Label = number | string | boolean;

/** An array of class labels: a plain array of numbers, strings or booleans, or a typed array of numbers. */
export type LabelArray = readonly Label[] | ArrayLike<number>;

/** An array of numbers: a plain array or a typed array. */
export type NumberArray = readonly number[] | ArrayLike<number>;

/** A row-major matrix: an array of equal-length rows, or `{ data, shape: [rows, cols] }`. */
export type MatrixInput = readonly (readonly number[] | ArrayLike<number>)[] | { data: ArrayLike<number>; shape: readonly number[] };

/**
 * The kind of a label array: `'number'` (booleans mixed with numbers count as numbers, true = 1, as NumPy casts
 * them), `'string'`, `'boolean'` (only booleans), or `'empty'` (no labels).
 */
export type LabelKind = 'number' | 'string' | 'boolean' | 'empty';

/** A label array read and checked once. Numbers and booleans live in `num` (booleans as 0/1), strings in `str`. */
export interface LabelColumn {
  kind: LabelKind;
  length: number;
  /** Numbers and booleans (as 0/1), always a Float64Array so that the loops over it stay monomorphic. */
  num: Float64Array | null;
  str: readonly string[] | null;
  /**
   * False when some number is a fraction or infinite (possible only with {@link LabelRules} `numbers` other than
   * 'integer'): the lookups then compare exactly instead of taking their integer shortcuts. Absent means true.
   */
  integers?: boolean;
}

/** The sorted unique labels of one or more columns (`np.unique` order: numbers ascending, strings by code point). */
export interface ClassSet {
  kind: LabelKind;
  /** Numbers (booleans as 0/1) ascending, or strings by code point. */
  values: readonly number[] | readonly string[];
}

/**
 * How {@link readLabels} checks a label array: the points where the callers' documented outcomes differ. The
 * defaults are the classification metrics'.
 */
export interface LabelRules {
  /**
   * What a number may be. 'integer' (default): a finite whole number, a class label (scikit-learn calls other
   * floats "continuous" targets and refuses them). 'finite': any finite number (the splitters' groups). 'notNaN':
   * any number but NaN, infinities included (the models' labels; LogisticRegression refuses fractions itself).
   */
  numbers?: 'integer' | 'finite' | 'notNaN';
  /**
   * Whether booleans mix with numbers (true = 1, as NumPy casts them; default true, the metrics). With false,
   * booleans are a kind of their own and an array of booleans and numbers is a TypeError (splitters, models).
   */
  booleansAsNumbers?: boolean;
}

/** The RangeError for a number that `numbers` refuses, or null when it allows it (v is not an integer). */
function numberError(v: number, numbers: NonNullable<LabelRules['numbers']>, at: string): RangeError | null {
  if (v !== v) return rangeError(numbers === 'notNaN' ? 'a label that is not NaN' : 'a finite number', at, v);
  if (numbers === 'notNaN') return null;
  if (v - v !== 0) return rangeError('a finite number', at, v); // ±Infinity
  if (numbers === 'integer') return rangeError('a finite integer class label (non-integer numbers are continuous targets)', at, v);
  return null;
}

/**
 * Reads a label array: a plain array of numbers, strings or booleans, or a typed array of numbers. By default
 * (the metrics' rules) numbers must be finite integers (scikit-learn calls non-integer floats "continuous"
 * targets and refuses them in classification metrics: RangeError) and booleans count as numbers; `rules`
 * relaxes the numbers or keeps booleans apart. Strings and numbers may not be mixed (TypeError naming the first
 * element of another kind than element 0; NumPy would silently turn the numbers into strings); anything else
 * (null, objects, bigints) is a TypeError. Element by element, a bad value is reported before a kind mismatch.
 */
export function readLabels(value: unknown, option: string, rules: LabelRules = {}): LabelColumn {
  const numbers = rules.numbers ?? 'integer';
  const booleansAsNumbers = rules.booleansAsNumbers ?? true;
  if (isTypedNumberArray(value)) {
    const n = value.length;
    const num = new Float64Array(n);
    num.set(value);
    let integers = true;
    if (value instanceof Float64Array || value instanceof Float32Array) {
      for (let i = 0; i < n; i++) {
        const v = num[i]!;
        if (Number.isInteger(v)) num[i] = v + 0; // -0 → 0
        else {
          const e = numberError(v, numbers, `${option}[${i}]`);
          if (e) throw e;
          integers = false;
        }
      }
    }
    return { kind: n === 0 ? 'empty' : 'number', length: n, num, str: null, integers };
  }
  if (!Array.isArray(value)) throw typeError('an array or typed array of labels (numbers, strings or booleans)', option, value);
  const n = value.length;
  if (n === 0) return { kind: 'empty', length: 0, num: null, str: null };
  const first = typeof value[0];
  const num = new Float64Array(n);
  let nNum = 0;
  let integers = true;
  for (let i = 0; i < n; i++) {
    const v: unknown = value[i];
    const t = typeof v;
    if (t === 'number') {
      const x = v as number;
      if (Number.isInteger(x)) num[i] = x + 0; // -0 → 0
      else {
        const e = numberError(x, numbers, `${option}[${i}]`);
        if (e) throw e;
        integers = false;
        num[i] = x;
      }
      nNum++;
    } else if (t === 'boolean') num[i] = v ? 1 : 0;
    else if (t !== 'string') throw typeError('a label (a number, a string or a boolean)', `${option}[${i}]`, v);
    // Element 0 passed the checks above, so `first` is one of the three kinds here.
    if (t !== first && (!booleansAsNumbers || t === 'string' || first === 'string')) {
      throw typeError(`values of one kind (${option}[0] is a ${first})`, `${option}[${i}]`, v);
    }
  }
  if (first === 'string') return { kind: 'string', length: n, num: null, str: value as string[] };
  return { kind: nNum === 0 ? 'boolean' : 'number', length: n, num, str: null, integers };
}

/** The common kind of several columns: booleans join numbers; strings with numbers are a TypeError. */
export function commonKind(cols: readonly LabelColumn[], options: readonly string[]): LabelKind {
  let kind: LabelKind = 'empty';
  cols.forEach((c, i) => {
    if (c.kind === 'empty') return;
    if (kind === 'empty') kind = c.kind;
    else if (kind !== c.kind) {
      if (kind === 'string' || c.kind === 'string') {
        throw typeError(`labels of the same type as ${options[0]} (numbers and strings may not be mixed)`, options[i]!, c.kind === 'string' ? 'strings' : 'numbers');
      }
      kind = 'number';
    }
  });
  return kind;
}

/** Compares two strings by Unicode code point (NumPy's order for 'U' arrays; JavaScript's `<` compares UTF-16 units). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const sx = x >= 0xd800 && x <= 0xdfff;
    const sy = y >= 0xd800 && y <= 0xdfff;
    if (sx !== sy) return sx ? 1 : -1; // a surrogate starts a code point above U+FFFF
    return x - y;
  }
  return a.length - b.length;
}

/** Sorted unique labels of the columns (as `np.unique` / `sklearn.utils.multiclass.unique_labels` 1.2.1 order them). */
export function uniqueLabels(cols: readonly LabelColumn[], options: readonly string[]): ClassSet {
  const kind = commonKind(cols, options);
  if (kind === 'string') {
    const seen = new Set<string>();
    for (const c of cols) if (c.str) for (const s of c.str) seen.add(s);
    return { kind, values: [...seen].sort(compareCodePoints) };
  }
  // Two distinct values (the usual case) are tracked in two variables, a few more in a small array, more in a Set.
  const few: number[] = [];
  let seen: Set<number> | null = null;
  for (const c of cols) {
    const a = c.num;
    if (!a) continue;
    let i = 0;
    // The shortcut below holds for integers only (for fractions the product can underflow to 0).
    if (few.length === 0 && a.length > 0 && c.integers !== false) {
      const x = a[0]!;
      let y = x;
      for (i = 1; i < a.length; i++) {
        const v = a[i]!;
        // Labels are integers: (v - x)(v - y) is 0 exactly when v is x or y (one well-predicted branch).
        if ((v - x) * (v - y) === 0) continue;
        if (x !== y) break;
        y = v;
      }
      few.push(x);
      if (y !== x) few.push(y);
    }
    for (; i < a.length; i++) {
      const v = a[i]! + 0;
      if (seen) {
        seen.add(v);
        continue;
      }
      let found = false;
      for (let j = 0; j < few.length; j++) {
        if (few[j] === v) {
          found = true;
          break;
        }
      }
      if (found) continue;
      few.push(v);
      if (few.length > 8) seen = new Set(few);
    }
  }
  return { kind, values: Array.from(Float64Array.from(seen ?? few).sort()) };
}

/** The labels of a ClassSet as users gave them: booleans for a boolean kind. */
export function labelValues(set: ClassSet): Label[] {
  if (set.kind === 'string') return [...(set.values as readonly string[])];
  const nums = Array.from(set.values as readonly number[]);
  return set.kind === 'boolean' ? nums.map((v) => v !== 0) : nums;
}

/**
 * A label given as an option (posLabel, an entry of `labels`) in the domain of `kind`: the number (booleans as 0/1)
 * for numeric kinds, the string for strings; null when it cannot equal any label of that kind.
 */
export function labelKey(label: Label, kind: LabelKind): number | string | null {
  if (kind === 'string') return typeof label === 'string' ? label : null;
  if (typeof label === 'boolean') return label ? 1 : 0;
  if (typeof label === 'number') return label + 0;
  return kind === 'empty' ? label : null;
}

/** Reads a `labels` option: an array of distinct-or-not labels of one type (not checked against the data). */
export function readLabelOption(value: unknown, option: string): LabelColumn {
  if (!isArrayInput(value)) throw typeError('an array of class labels', option, value);
  return readLabels(value, option);
}

/** The index of every row's label in `classes` (-1 when absent). */
export function encodeLabels(col: LabelColumn, classes: ClassSet): Int32Array {
  const out = new Int32Array(col.length);
  if (col.length === 0) return out;
  if (col.str) {
    const map = new Map<string, number>();
    if (classes.kind === 'string') (classes.values as readonly string[]).forEach((v, i) => map.set(v, i));
    for (let i = 0; i < col.length; i++) out[i] = map.get(col.str[i]!) ?? -1;
    return out;
  }
  const a = col.num!;
  if (classes.kind === 'string') return out.fill(-1);
  const vals = classes.values as readonly number[];
  const k = vals.length;
  // Small non-negative integer classes and integer labels: a lookup table; otherwise a Map.
  const max = k > 0 ? vals[k - 1]! : -1;
  if (k > 0 && vals[0]! >= 0 && max < 1 << 16 && Number.isInteger(max) && col.integers !== false) {
    const table = new Int32Array(max + 1).fill(-1);
    for (let j = 0; j < k; j++) table[vals[j]!] = j;
    for (let i = 0; i < a.length; i++) {
      const v = a[i]!;
      out[i] = v >= 0 && v <= max ? table[v]! : -1;
    }
    return out;
  }
  const map = new Map<number, number>();
  for (let j = 0; j < k; j++) map.set(vals[j]!, j);
  for (let i = 0; i < a.length; i++) out[i] = map.get(a[i]! + 0) ?? -1;
  return out;
}

/** A label column as `np.unique(column, return_inverse=True, return_counts=True)` gives it. */
export interface LabelCodes {
  /** The distinct labels in `np.unique` order, as given (booleans stay booleans). */
  classes: Label[];
  /** Each row's index into `classes`. */
  codes: Int32Array;
  /** How many rows carry each class. */
  counts: Int32Array;
}

/** Reads a label array ({@link readLabels} with `rules`) and encodes it against its own sorted distinct labels. */
export function readLabelCodes(value: unknown, option: string, rules?: LabelRules): LabelCodes {
  const col = readLabels(value, option, rules);
  const set = uniqueLabels([col], [option]);
  const codes = encodeLabels(col, set);
  const counts = new Int32Array(set.values.length);
  for (let i = 0; i < codes.length; i++) counts[codes[i]!]!++;
  return { classes: labelValues(set), codes, counts };
}

/**
 * `np.unique`'s order for two labels of one kind: numbers ascending, false before true, strings by code point
 * (labels of two kinds compare as strings).
 */
export function compareLabels(a: Label, b: Label): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return compareCodePoints(String(a), String(b));
}

/** The index of a label in a ClassSet, or -1. */
export function indexOfLabel(set: ClassSet, key: number | string | null): number {
  if (key === null) return -1;
  const vals = set.values as readonly (number | string)[];
  for (let i = 0; i < vals.length; i++) if (vals[i] === key) return i;
  return -1;
}

/** A label for messages (strings quoted, booleans as true/false). */
export function labelText(label: Label): string {
  return typeof label === 'string' ? JSON.stringify(label) : String(label);
}

/** Throws unless every length equals the first (as `check_consistent_length`). */
export function checkLengths(entries: readonly [option: string, value: unknown, length: number][]): void {
  const [first, , n] = entries[0]!;
  for (const [option, value, len] of entries.slice(1)) {
    if (len !== n) throw rangeError(`${n} values (the length of ${first})`, option, value);
  }
}

/**
 * Reads scores as float64 (a Float64Array is used as is): every value a finite number. scikit-learn raises
 * ValueError ("Input contains NaN / infinity") on such scores; here a RangeError names the option and index.
 */
export function readScores(value: unknown, option: string): Float64Array {
  if (!isArrayInput(value)) throw typeError('an array of numbers', option, value);
  const n = value.length;
  const out = value instanceof Float64Array ? value : new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = (value as ArrayLike<unknown>)[i];
    if (typeof v !== 'number') throw typeError('a number', `${option}[${i}]`, v);
    if (v - v !== 0) throw rangeError('a finite number', `${option}[${i}]`, v); // NaN or ±Infinity
    if (out !== value) out[i] = v;
  }
  return out;
}

/** A matrix read from MatrixInput: row-major data (float64, or float32 when given as a Float32Array), rows, cols. */
export interface Matrix {
  data: Float64Array | Float32Array;
  rows: number;
  cols: number;
}

/** Whether `value` looks like a matrix (an array of rows or `{ data, shape }`) rather than a 1-D array. */
export function isMatrixInput(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0 && isArrayInput(value[0]);
  return value !== null && typeof value === 'object' && !ArrayBuffer.isView(value) && 'data' in value && 'shape' in value;
}

/**
 * Reads a matrix given as rows or `{ data, shape: [rows, cols] }` (a 1-element shape `[n]` is a column). Values must
 * be finite (RangeError naming `option[row][col]`).
 */
export function readMatrix(value: unknown, option: string): Matrix {
  let data: Float64Array | Float32Array;
  let rows: number;
  let cols: number;
  if (Array.isArray(value)) {
    rows = value.length;
    cols = rows > 0 && isArrayInput(value[0]) ? (value[0] as ArrayLike<number>).length : 0;
    data = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      const row: unknown = value[r];
      if (!isArrayInput(row)) throw typeError('an array of rows (arrays of numbers)', `${option}[${r}]`, row);
      if (row.length !== cols) throw rangeError(`a row of ${cols} values (the length of the first row)`, `${option}[${r}]`, row);
      for (let c = 0; c < cols; c++) {
        const v = row[c];
        if (typeof v !== 'number') throw typeError('a number', `${option}[${r}][${c}]`, v);
        data[r * cols + c] = v;
      }
    }
  } else if (value !== null && typeof value === 'object' && 'data' in value && 'shape' in value) {
    const m = value as { data: unknown; shape: unknown };
    if (!isArrayInput(m.data)) throw typeError('an array or typed array of numbers', `${option}.data`, m.data);
    const shape = m.shape;
    if (!Array.isArray(shape) || shape.length < 1 || shape.length > 2 || !shape.every((s) => Number.isInteger(s) && s >= 0)) {
      throw typeError('a shape [rows, cols] of non-negative integers', `${option}.shape`, shape);
    }
    rows = shape[0] as number;
    cols = shape.length === 2 ? (shape[1] as number) : 1;
    if (m.data.length !== rows * cols) throw rangeError(`${rows * cols} values (rows × cols of ${option}.shape)`, `${option}.data`, m.data);
    if (m.data instanceof Float32Array || m.data instanceof Float64Array) data = m.data;
    else {
      data = new Float64Array(rows * cols);
      for (let i = 0; i < data.length; i++) {
        const v = (m.data as ArrayLike<unknown>)[i];
        if (typeof v !== 'number') throw typeError('a number', `${option}.data[${i}]`, v);
        data[i] = v;
      }
    }
  } else {
    throw typeError('a matrix (an array of rows, or { data, shape })', option, value);
  }
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v - v !== 0) throw rangeError('a finite number', `${option}[${Math.floor(i / cols)}][${i % cols}]`, v);
  }
  return { data, rows, cols };
}

/** `np.average(values, weights)`: sum(values × weights) / sum(weights), or the mean without weights. */
export function npAverage(values: ArrayLike<number>, weights: ArrayLike<number> | null): number {
  if (!weights) return numpySum(values) / values.length;
  const prod = new Float64Array(values.length);
  for (let i = 0; i < prod.length; i++) prod[i] = values[i]! * weights[i]!;
  return numpySum(prod) / numpySum(weights);
}

/** The error for data that make a metric undefined where scikit-learn raises (code UNDEFINED_METRIC). */
export function undefinedMetric(message: string): AudiomillError {
  return new AudiomillError('UNDEFINED_METRIC', message);
}

