/**
 * Dense float64 kernels of the C++ core (`native/core/linalg/dense.h`) for the evaluation models: matrix products
 * of row-major matrices, the Householder reduction of a symmetric matrix to tridiagonal form, and the shifted
 * tridiagonal solves that give ridge regression's leave-one-out for every penalty from one reduction.
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
  return callNative(() => native().linalgGemmTn(a, b, { m, k, n }));
}

/** a aᵀ for a (m x k): the Gram matrix of the rows, exactly symmetric (m x m). */
export function gramOfRows(a: Float64Array, m: number, k: number): Float64Array {
  checkLength('a', a, m * k);
  return callNative(() => native().linalgGemmNt(a, a, { m, n: m, k, symmetric: true }));
}

/**
 * T = Qᵀ A Q of a symmetric A: its diagonal `d` (p), off-diagonal `e` (p - 1), and Q as Householder reflectors
 * (`reflectors`, the reduced matrix, with `tau`), for `applyReflectors`.
 */
export interface Tridiagonal {
  readonly p: number;
  readonly d: Float64Array;
  readonly e: Float64Array;
  readonly tau: Float64Array;
  readonly reflectors: Float64Array;
}

/** Reduces the symmetric matrix `a` (p x p, both triangles; overwritten with the reflectors) to tridiagonal form. */
export function tridiagonalize(a: Float64Array, p: number): Tridiagonal {
  checkLength('a', a, p * p);
  const { d, e, tau } = callNative(() => native().linalgTridiagonalize(a, { p }));
  return { p, d, e, tau, reflectors: a };
}

/** x (n x p) ← x Q in place, with Q of a tridiagonal reduction of a p x p matrix. */
export function applyReflectors(x: Float64Array, n: number, t: Tridiagonal): void {
  checkLength('x', x, n * t.p);
  callNative(() => native().linalgApplyReflectors(x, t.reflectors, t.tau, { n, p: t.p }));
}

/**
 * For T of `t` and every penalty α of `alphas` (each > 0, T positive semi-definite): `quad[s * n + i]` =
 * z_iᵀ (T + αI)⁻¹ z_i over the rows of z (n x p), and `solve` (alphas x p x cols) = (T + αI)⁻¹ rhs for rhs (p x cols).
 */
export function shiftedTridiagonal(
  z: Float64Array, n: number, t: Tridiagonal, alphas: Float64Array, rhs: Float64Array, cols: number,
): { quad: Float64Array; solve: Float64Array } {
  checkLength('z', z, n * t.p);
  checkLength('rhs', rhs, t.p * cols);
  return callNative(() => native().linalgShiftedTridiagonal(z, t.d, t.e, alphas, rhs, { n, p: t.p, t: cols }));
}
