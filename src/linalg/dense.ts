/**
 * Dense float64 kernels of the C++ core (`native/core/linalg/dense.h`) for the evaluation models: matrix products
 * of row-major matrices and Gram matrices, a row added to every row, and ridge regression's leave-one-out for every
 * penalty from one tridiagonal reduction (a batch of problems side by side).
 *
 * Internal building block (not exported from the package root): the callers (`src/eval/`) validate shapes and
 * values first, and these wrappers only check sizes, as the native side does again. Every call is synchronous
 * on the calling thread and parallel on the native pool; the evaluation's long runs call them from a worker
 * thread (`evaluateProbe`), so the event loop stays free.
 */
import { callNative } from '../errors.js';
import { native } from '../native/load.js';

function checkLength(what: string, a: Float64Array, need: number): void {
  if (a.length < need) throw new RangeError(`Expected at least ${need} values in ${what}, got ${a.length}`);
}

/** The transpose (cols x rows) of a (rows x cols). */
export function transpose(a: Float64Array, rows: number, cols: number): Float64Array {
  checkLength('a', a, rows * cols);
  return callNative(() => native().linalgTranspose(a, { rows, cols }));
}

/**
 * x (n x p) ← xScale · x + scale · r_i · v in every row i, in place (v: p values; r: a factor per row, default all 1;
 * xScale default 1). With r and a square x: the rank-one update x += scale · r vᵀ.
 */
export function addScaledRow(x: Float64Array, n: number, p: number, v: Float64Array, scale: number, r?: Float64Array, xScale = 1): void {
  checkLength('x', x, n * p);
  checkLength('v', v, p);
  if (r) checkLength('r', r, n);
  callNative(() => native().linalgAddScaledRow(x, v, r ?? null, { n, p, scale, xScale }));
}

/**
 * Σ_i (a_{rows[i]} - shift) b_iᵀ (k x n) over m rows of a (rows of k values; without `rows` its first m; without
 * `shift` none) and b (m x n): aᵀb of the chosen, shifted rows, which are never copied all at once.
 */
export function gemmTNRows(a: Float64Array, m: number, k: number, b: Float64Array, n: number, options: { rows?: Uint32Array; shift?: Float64Array } = {}): Float64Array {
  if (options.rows) {
    if (options.rows.length !== m) throw new RangeError(`Expected ${m} row indices, got ${options.rows.length}`);
  } else {
    checkLength('a', a, m * k);
  }
  if (options.shift) checkLength('shift', options.shift, k);
  checkLength('b', b, m * n);
  return callNative(() => native().linalgGemmTnRows(a, options.rows ?? null, options.shift ?? null, b, { m, k, n }));
}

/** a (m x k) · bᵀ for b (n x k): entry (i, j) is the dot product of row i of a and row j of b (m x n). */
export function gemmNT(a: Float64Array, m: number, k: number, b: Float64Array, n: number): Float64Array {
  checkLength('a', a, m * k);
  checkLength('b', b, n * k);
  return callNative(() => native().linalgGemmNt(a, b, { m, n, k }));
}

/** aᵀ b for a (m x k) and b (m x n): k x n (one pass over a's rows when b has few columns). */
export function gemmTN(a: Float64Array, m: number, k: number, b: Float64Array, n: number): Float64Array {
  checkLength('a', a, m * k);
  checkLength('b', b, m * n);
  return callNative(() => native().linalgGemmTnRows(a, null, null, b, { m, k, n }));
}

/** a aᵀ for a (m x k): the Gram matrix of the rows, exactly symmetric (m x m). */
export function gramOfRows(a: Float64Array, m: number, k: number): Float64Array {
  checkLength('a', a, m * k);
  return callNative(() => native().linalgGemmNt(a, a, { m, n: m, k, symmetric: true }));
}

/**
 * aᵀ a for a (m x k): the Gram matrix of the columns, exactly symmetric (k x k), without transposing a. With `rows`
 * (indices into a's rows of k values) those rows instead of the first m, and with `shift` (k values) each row less it:
 * Σ (a_r - shift)(a_r - shift)ᵀ, with no copy of the rows.
 */
export function gramOfCols(a: Float64Array, m: number, k: number, options: { rows?: Uint32Array; shift?: Float64Array } = {}): Float64Array {
  if (options.rows) {
    if (options.rows.length !== m) throw new RangeError(`Expected ${m} row indices, got ${options.rows.length}`);
  } else {
    checkLength('a', a, m * k);
  }
  if (options.shift) checkLength('shift', options.shift, k);
  return callNative(() => native().linalgGramCols(a, options.rows ?? null, options.shift ?? null, { m, k }));
}

/**
 * One centred ridge problem of {@link ridgeLooParts}: x (n x p, n > p) and y (n x t), only read; or with `rows` the
 * rows `rows` of x (a larger matrix of p columns), each less `shift` when given (never copied all at once).
 */
export interface RidgeLooProblem {
  x: Float64Array;
  y: Float64Array;
  n: number;
  p: number;
  t: number;
  rows?: Uint32Array;
  shift?: Float64Array;
  /** xᵀx when the caller has it (p x p; used as work space and overwritten); else it is formed from x. */
  gram?: Float64Array;
}

/**
 * Ridge regression's leave-one-out parts for every penalty of `alphas` (each > 0) on each problem, the problems side by
 * side on the native pool (a model's cross-validation folds): with xᵀx = Q T Qᵀ and Z = x Q, `quad[s * n + i]` =
 * z_iᵀ (T + α_s I)⁻¹ z_i and `fitted` (n x alphas·t; row i, column s·t + c) = Z (T + α_s I)⁻¹ Zᵀ y.
 */
export function ridgeLooParts(problems: readonly RidgeLooProblem[], alphas: Float64Array): { quad: Float64Array; fitted: Float64Array }[] {
  for (const pr of problems) {
    if (pr.rows) {
      if (pr.rows.length !== pr.n) throw new RangeError(`Expected ${pr.n} row indices, got ${pr.rows.length}`);
    } else {
      checkLength('x', pr.x, pr.n * pr.p);
    }
    if (pr.shift) checkLength('shift', pr.shift, pr.p);
    checkLength('y', pr.y, pr.n * pr.t);
    if (pr.gram) checkLength('gram', pr.gram, pr.p * pr.p);
  }
  return callNative(() => native().linalgRidgeLoo(problems.map((pr) => ({ ...pr })), alphas, {}));
}
