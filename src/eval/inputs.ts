/**
 * The input readers every evaluation module shares: matrices and targets, option objects and sample weights, checked with the house's
 * messages (`Expected <what> for <option> but received <value>`).
 */
import { rangeError, typeError } from '../validate.js';

/** Whether `value` is a typed array of numbers (not a DataView or a BigInt array). */
export function isTypedNumberArray(value: unknown): value is ArrayLike<number> {
  return ArrayBuffer.isView(value) && !(value instanceof DataView) && !(value instanceof BigInt64Array) && !(value instanceof BigUint64Array);
}

/** Whether `value` is an array or a typed array of numbers (not a DataView or a BigInt array). */
export function isArrayInput(value: unknown): value is ArrayLike<unknown> {
  return Array.isArray(value) || isTypedNumberArray(value);
}

/** Reads an options object: undefined → {}; anything but a plain object is a TypeError. */
export function readOptions<T extends object>(value: T | undefined, option?: string): Partial<T>;
export function readOptions<T extends object>(value: unknown, option?: string): Partial<T>;
export function readOptions<T extends object>(value: unknown, option = 'options'): Partial<T> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw typeError('an options object', option, value);
  return value as Partial<T>;
}

/** How {@link readSampleWeight} checks the weights. */
export interface SampleWeightOptions {
  /** The input whose length the weights must have, named in the message; without it the message says "one per sample". */
  lengthOf?: string;
  /** One number for every sample is accepted too (scikit-learn's `_check_sample_weight`, as the linear models take it). */
  scalar?: boolean;
  /** Negative weights are a RangeError (the models); by default they are allowed (the metrics, as scikit-learn 1.2). */
  nonNegative?: boolean;
}

/**
 * Reads `sampleWeight`: undefined or null → null (every sample weighs 1); otherwise one finite weight per sample (a
 * Float64Array is used as is, other arrays are copied), or with `scalar` one number for all samples. NaN or infinite
 * weights are a RangeError (some scikit-learn metrics would return NaN).
 */
export function readSampleWeight(value: unknown, n: number, options: SampleWeightOptions = {}): Float64Array | null {
  const option = 'sampleWeight';
  const nonNegative = options.nonNegative ?? false;
  const what = nonNegative ? 'a finite number >= 0' : 'a finite number';
  if (value === undefined || value === null) return null;
  if (options.scalar && typeof value === 'number') {
    if (!Number.isFinite(value) || (nonNegative && value < 0)) throw rangeError(what, option, value);
    return new Float64Array(n).fill(value);
  }
  if (!isArrayInput(value)) throw typeError(options.scalar ? 'a number or one weight per sample (number[] or a typed array)' : 'an array of numbers', option, value);
  if (value.length !== n) throw rangeError(options.lengthOf === undefined ? `${n} weights (one per sample)` : `${n} values (the length of ${options.lengthOf})`, option, value);
  const out = value instanceof Float64Array ? value : new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = value[i];
    if (typeof v !== 'number') throw typeError('a number', `${option}[${i}]`, v);
    if (!Number.isFinite(v) || (nonNegative && v < 0)) throw rangeError(what, `${option}[${i}]`, v);
    if (out !== value) out[i] = v;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Matrices

/** A dense row-major float64 matrix: `data[i * shape[1] + j]` is row i, column j. */
export interface Matrix {
  data: Float64Array;
  shape: [number, number];
}

/**
 * A matrix given by the caller: `{ data, shape: [rows, cols] }` (row-major, `Float64Array`, `Float32Array` or a
 * plain array) or an array of rows (`number[][]` or an array of typed arrays).
 */
export type MatrixLike =
  | { readonly data: ArrayLike<number>; readonly shape: readonly number[] }
  | ReadonlyArray<ArrayLike<number>>;

/** Targets: a vector (one target: `number[]` or a typed array) or a matrix `[nSamples, nTargets]`. */
export type TargetsLike = ArrayLike<number> | MatrixLike;

/** A matrix read from the caller's input: a fresh float64 copy the models may change in place (unless read with `readOnly`). */
export interface ReadMatrix {
  data: Float64Array;
  rows: number;
  cols: number;
}

/** Options of `readMatrix`. */
export interface ReadMatrixOptions {
  /** Let NaN through (StandardScaler ignores it, like scikit-learn's `force_all_finite='allow-nan'`); default false. */
  allowNaN?: boolean;
  /** Let NaN and ±Infinity through (SciPy's `linkage` and `leaves_list` check their input themselves); default false. */
  allowNonFinite?: boolean;
  /** The fewest rows accepted (default 1; scikit-learn's `ensure_min_samples`). */
  minRows?: number;
  /** The fewest columns accepted (default 1; scikit-learn's `ensure_min_features`). */
  minCols?: number;
  /**
   * A caller that only reads the matrix: a `{ data: Float64Array, shape }` input is checked and used as is, not copied
   * (default false: a fresh copy the caller may change).
   */
  readOnly?: boolean;
}

function isMatrixObject(x: unknown): x is { data: ArrayLike<number>; shape: readonly number[] } {
  return x !== null && typeof x === 'object' && !Array.isArray(x) && !ArrayBuffer.isView(x) && 'data' in x && 'shape' in x;
}

function isArrayLikeOfNumbers(x: unknown): x is ArrayLike<number> {
  if (ArrayBuffer.isView(x)) return !(x instanceof DataView) && typeof (x as unknown as ArrayLike<unknown>)[0] !== 'bigint';
  return Array.isArray(x);
}

/** Whether every value is finite: v·0 is 0 for a finite v and NaN otherwise (four sums side by side). */
function allFinite(data: Float64Array): boolean {
  let z0 = 0, z1 = 0, z2 = 0, z3 = 0;
  const n4 = data.length - (data.length % 4);
  for (let q = 0; q < n4; q += 4) {
    z0 += data[q]! * 0;
    z1 += data[q + 1]! * 0;
    z2 += data[q + 2]! * 0;
    z3 += data[q + 3]! * 0;
  }
  for (let q = n4; q < data.length; q++) z0 += data[q]! * 0;
  return z0 + z1 + z2 + z3 === 0;
}

function checkValue(v: number, name: string, i: number, j: number, allowNaN: boolean, allowNonFinite: boolean): void {
  if (typeof v !== 'number') throw typeError('a number', `${name}[${i}][${j}]`, v);
  if (allowNonFinite || Number.isFinite(v) || (allowNaN && Number.isNaN(v))) return;
  throw rangeError(allowNaN ? 'a finite number or NaN' : 'a finite number (no NaN or infinity)', `${name}[${i}][${j}]`, v);
}

/**
 * Reads a caller's matrix into a fresh row-major `Float64Array` (float32 input is widened to float64), checking
 * its shape (at least `minRows` rows and one column) and that every value is finite (scikit-learn's
 * `check_array`: NaN or infinity is a ValueError there, a RangeError here naming the first bad cell).
 */
export function readMatrix(x: unknown, name: string, options: ReadMatrixOptions = {}): ReadMatrix {
  const allowNaN = options.allowNaN ?? false;
  const allowNonFinite = options.allowNonFinite ?? false;
  const minRows = options.minRows ?? 1;
  const minCols = options.minCols ?? 1;
  let rows: number, cols: number, data: Float64Array;
  if (isMatrixObject(x)) {
    const { shape } = x;
    if (!Array.isArray(shape) || shape.length !== 2 || !shape.every((s) => Number.isInteger(s) && s >= 0)) {
      throw rangeError('a shape [rows, cols] of two non-negative integers', `${name}.shape`, shape);
    }
    rows = shape[0]!;
    cols = shape[1]!;
    const src = x.data;
    if (!isArrayLikeOfNumbers(src)) throw typeError('a Float64Array, Float32Array or number[]', `${name}.data`, src);
    if (src.length !== rows * cols) throw rangeError(`${rows * cols} values (shape [${rows}, ${cols}])`, `${name}.data.length`, src.length);
    if (isTypedNumberArray(src)) {
      // A typed array of numbers: copied (and widened) at once, then scanned for values that are not finite.
      data = options.readOnly && src instanceof Float64Array ? src : new Float64Array(src as unknown as ArrayLike<number>);
      if (!allowNonFinite && !allFinite(data)) {
        for (let q = 0; q < data.length; q++) {
          const v = data[q]!;
          if (v - v !== 0) checkValue(v, name, Math.floor(q / cols), q % cols, allowNaN, false);
        }
      }
    } else {
      data = new Float64Array(rows * cols);
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < cols; j++) {
          const v = src[i * cols + j]!;
          checkValue(v, name, i, j, allowNaN, allowNonFinite);
          data[i * cols + j] = v;
        }
      }
    }
  } else if (Array.isArray(x)) {
    rows = x.length;
    cols = rows === 0 ? 0 : -1;
    for (let i = 0; i < rows; i++) {
      const row: unknown = x[i];
      if (!isArrayLikeOfNumbers(row)) throw typeError('an array of rows (number[][])', `${name}[${i}]`, row);
      if (cols === -1) cols = row.length;
      else if (row.length !== cols) throw rangeError(`a row of ${cols} values like row 0`, `${name}[${i}]`, row);
    }
    data = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      const row = x[i] as ArrayLike<number>;
      for (let j = 0; j < cols; j++) {
        const v = row[j]!;
        checkValue(v, name, i, j, allowNaN, allowNonFinite);
        data[i * cols + j] = v;
      }
    }
  } else {
    throw typeError('a matrix ({ data, shape: [rows, cols] } or number[][])', name, x);
  }
  if (rows < minRows) throw rangeError(`at least ${minRows} sample${minRows === 1 ? '' : 's'} (rows)`, name, `${rows} rows` as unknown);
  if (cols < minCols) throw rangeError(`at least ${minCols} feature${minCols === 1 ? '' : 's'} (columns)`, name, `${cols} columns` as unknown);
  return { data, rows, cols };
}

/** A matrix read by {@link readMatrix} as a {@link Matrix} (`{ data, shape: [rows, cols] }`), sharing its data. */
export function toMatrix(m: ReadMatrix): Matrix {
  return { data: m.data, shape: [m.rows, m.cols] };
}

/** Targets read from the caller's input: a fresh `[rows, cols]` copy and whether they were given as a vector. */
export interface ReadTargets extends ReadMatrix {
  /** True when the targets were a vector (scikit-learn's 1-D `y`: coefficients come back as a vector). */
  vector: boolean;
}

/**
 * Reads targets: a vector (`number[]` or a typed array; one target) or a matrix `[nSamples, nTargets]`, all
 * finite (scikit-learn's `check_array(y)`: NaN or infinity is a RangeError here).
 */
export function readTargets(y: unknown, name: string, options: ReadMatrixOptions = {}): ReadTargets {
  const isVector = ArrayBuffer.isView(y) || (Array.isArray(y) && (y.length === 0 || !isArrayLikeOfNumbers(y[0])));
  if (isMatrixObject(y) && Array.isArray(y.shape) && y.shape.length === 1) {
    const m = readMatrix({ data: y.data, shape: [y.shape[0]!, 1] }, name, options);
    return { ...m, vector: true };
  }
  if (isVector) {
    const v = y as ArrayLike<number>;
    if (!isArrayLikeOfNumbers(v)) throw typeError('a vector or a matrix of targets', name, y);
    const m = readMatrix({ data: v, shape: [v.length, 1] }, name, options);
    return { ...m, vector: true };
  }
  return { ...readMatrix(y, name, options), vector: false };
}
