/**
 * Correlation statistics with SciPy 1.10.1's numbers: `pearsonr` and `spearmanr` with their p-values, `rankdata`,
 * and the sensitivity index `dPrime` of a ROC AUC as the HEAR benchmark reports it.
 *
 * Where SciPy warns and returns NaN (ConstantInputWarning) or returns NaN silently, the same value is returned and a
 * warning is emitted with code AUDIOMILL_UNDEFINED_METRIC (`process.emitWarning`); where SciPy raises because an
 * argument is malformed (lengths, n < 2 for pearsonr, NaN with nanPolicy 'raise', non-finite input to pearsonr) the
 * error is a RangeError / TypeError with the house message; where it raises because the data leave the statistic
 * undefined (too few pairs after omitting NaN) it is an AudiomillError with code UNDEFINED_METRIC.
 */
import { AudiomillError } from '../../errors.js';
import { oneOf, rangeError, typeError } from '../../validate.js';
import { UNDEFINED_METRIC, warn } from '../warnings.js';
import { readOptions } from '../inputs.js';
import { numpySum } from '../numpy-sum.js';
import { betaincPair, normPpfUnchecked, studentTCdfUnchecked } from './special.js';

/** The alternative hypothesis of a correlation test (SciPy's `alternative`). */
export type Alternative = 'two-sided' | 'less' | 'greater';
/** How NaN inputs are handled (SciPy's `nan_policy`). */
export type NanPolicy = 'propagate' | 'raise' | 'omit';
/** How tied values are ranked (SciPy's `rankdata` `method`). */
export type RankMethod = 'average' | 'min' | 'max' | 'dense' | 'ordinal';

/** A correlation coefficient and the p-value of the test of no correlation. */
export interface CorrelationResult {
  /** The correlation coefficient, in [−1, 1] (NaN where it is undefined; a warning says why). */
  statistic: number;
  /** The p-value for the chosen alternative (NaN where it is undefined; a warning says why). */
  pvalue: number;
}

/** Options of `pearsonr` (SciPy 1.10's `scipy.stats.pearsonr`). */
export interface PearsonrOptions {
  /**
   * The alternative hypothesis (default 'two-sided'): 'two-sided' (the correlation is nonzero), 'less' (negative),
   * 'greater' (positive).
   */
  alternative?: Alternative;
}

/** Options of `spearmanr` (SciPy 1.10's `scipy.stats.spearmanr` for two 1-D arrays). */
export interface SpearmanrOptions {
  /** The alternative hypothesis (default 'two-sided'), as in `pearsonr`. */
  alternative?: Alternative;
  /**
   * What NaN inputs do (default 'propagate'): 'propagate' returns NaN (with a warning), 'raise' throws a
   * RangeError, 'omit' drops every pair in which either value is NaN or ±Infinity (SciPy's masked path).
   */
  nanPolicy?: NanPolicy;
}

/** Options of `rankdata` (SciPy 1.10's `scipy.stats.rankdata` of a 1-D array). */
export interface RankdataOptions {
  /**
   * How ties are ranked (default 'average'): 'average' (the mean of the ranks the tied values span), 'min',
   * 'max', 'dense' (1, 2, 3, … over the distinct values) or 'ordinal' (distinct ranks, ties in input order).
   */
  method?: RankMethod;
  /** What NaN inputs do (default 'propagate'): all ranks NaN (with a warning), a RangeError, or NaN ranks for the NaN values only. */
  nanPolicy?: NanPolicy;
}

const ALTERNATIVES: readonly Alternative[] = ['two-sided', 'less', 'greater'];
const NAN_POLICIES: readonly NanPolicy[] = ['propagate', 'raise', 'omit'];
const RANK_METHODS: readonly RankMethod[] = ['average', 'min', 'max', 'dense', 'ordinal'];

/** An array or typed array of numbers as a Float64Array (a copy; NaN and ±Infinity are kept for the caller to judge). */
function readNumbers(value: unknown, option: string): Float64Array {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    if (value instanceof BigInt64Array || value instanceof BigUint64Array) throw typeError('an array of numbers', option, value);
    return Float64Array.from(value as unknown as ArrayLike<number>);
  }
  if (!Array.isArray(value)) throw typeError('an array of numbers', option, value);
  const out = new Float64Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const v: unknown = value[i];
    if (typeof v !== 'number') throw typeError('a number', `${option}[${i}]`, v);
    out[i] = v;
  }
  return out;
}

/** SciPy's constant test `(x == x[0]).all()`: NaN is never equal, −0 equals +0. */
function isConstant(x: Float64Array): boolean {
  const x0 = x[0]!;
  for (let i = 1; i < x.length; i++) if (x[i] !== x0) return false;
  return x0 === x0; // a lone NaN is not "constant" either
}

// ---------------------------------------------------------------------------------------------------
// Ranks

const LITTLE_ENDIAN = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

/**
 * The indices of the values `x[idx[k]]` in ascending order, ties in the order of `idx` (a stable sort), −0 equal to
 * +0, no NaN among them. Short inputs use a comparison sort; long ones an LSD radix sort (four 16-bit passes) on the
 * IEEE-754 bits made order-preserving (sign bit flipped for positives, all bits for negatives).
 */
function stableArgsort(x: Float64Array, idx: Uint32Array): Uint32Array {
  const m = idx.length;
  if (m <= 2048) {
    const order = Array.from(idx);
    order.sort((i, j) => {
      const a = x[i]!;
      const b = x[j]!;
      return a < b ? -1 : a > b ? 1 : i - j;
    });
    return Uint32Array.from(order);
  }
  const vals = new Float64Array(m);
  for (let k = 0; k < m; k++) vals[k] = x[idx[k]!]! + 0; // −0 + 0 = +0
  const words = new Uint32Array(vals.buffer);
  let hi = new Uint32Array(m);
  let lo = new Uint32Array(m);
  let ix = Uint32Array.from(idx);
  const hiWord = LITTLE_ENDIAN ? 1 : 0;
  for (let k = 0; k < m; k++) {
    const h = words[2 * k + hiWord]!;
    const l = words[2 * k + 1 - hiWord]!;
    if (h & 0x80000000) {
      hi[k] = ~h >>> 0;
      lo[k] = ~l >>> 0;
    } else {
      hi[k] = (h | 0x80000000) >>> 0;
      lo[k] = l;
    }
  }
  let hi2 = new Uint32Array(m);
  let lo2 = new Uint32Array(m);
  let ix2 = new Uint32Array(m);
  const count = new Uint32Array(65536);
  for (let pass = 0; pass < 4; pass++) {
    const src = pass < 2 ? lo : hi;
    const shift = pass & 1 ? 16 : 0;
    count.fill(0);
    for (let k = 0; k < m; k++) count[(src[k]! >>> shift) & 0xffff]!++;
    if (count[(src[0]! >>> shift) & 0xffff] === m) continue; // one digit value: the order stands
    let sum = 0;
    for (let d = 0; d < 65536; d++) {
      const c = count[d]!;
      count[d] = sum;
      sum += c;
    }
    for (let k = 0; k < m; k++) {
      const pos = count[(src[k]! >>> shift) & 0xffff]!++;
      hi2[pos] = hi[k]!;
      lo2[pos] = lo[k]!;
      ix2[pos] = ix[k]!;
    }
    [hi, hi2] = [hi2, hi];
    [lo, lo2] = [lo2, lo];
    [ix, ix2] = [ix2, ix];
  }
  return ix;
}

/**
 * Ranks of the non-NaN values of `x` (NaN values get NaN), ties by `method`, as SciPy's `rankdata` computes them:
 * a stable sort, then per run [lo, hi) of equal values in sorted order (−0 equals +0): average ½ (lo + hi + 1),
 * min lo + 1, max hi, dense the run's number, ordinal the position + 1 (ties in input order, as SciPy's mergesort).
 */
function rankValues(x: Float64Array, method: RankMethod): Float64Array {
  const n = x.length;
  const out = new Float64Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) if (x[i] === x[i]) m++;
  const idx = new Uint32Array(m);
  for (let i = 0, k = 0; i < n; i++) {
    if (x[i] === x[i]) idx[k++] = i;
    else out[i] = NaN;
  }
  const order = stableArgsort(x, idx);
  let dense = 0;
  for (let lo = 0; lo < m; ) {
    const v = x[order[lo]!]!;
    let hi = lo + 1;
    while (hi < m && x[order[hi]!] === v) hi++;
    dense++;
    for (let t = lo; t < hi; t++) {
      const i = order[t]!;
      switch (method) {
        case 'average':
          out[i] = 0.5 * (hi + lo + 1);
          break;
        case 'min':
          out[i] = lo + 1;
          break;
        case 'max':
          out[i] = hi;
          break;
        case 'dense':
          out[i] = dense;
          break;
        case 'ordinal':
          out[i] = t + 1;
          break;
      }
    }
    lo = hi;
  }
  return out;
}

/**
 * Ranks of the values of a 1-D array, 1 for the smallest, with ties handled by `method` (SciPy 1.10's
 * `scipy.stats.rankdata(a, method, nan_policy=...)`; always a Float64Array, where SciPy returns integers for
 * methods other than 'average').
 *
 * NaN: SciPy tests `isnan(sum(a))`, so an array holding both +Infinity and −Infinity counts as containing NaN too;
 * this is reproduced. With nanPolicy 'propagate' (default) every rank is NaN and a warning is emitted; 'raise'
 * throws a RangeError; 'omit' gives the NaN values the rank NaN and ranks the others among themselves.
 * An empty array gives an empty result.
 * @throws TypeError for a non-array or non-number values; RangeError for a bad option or NaN with nanPolicy 'raise'.
 */
export function rankdata(a: ArrayLike<number>, options?: RankdataOptions): Float64Array {
  const opts = readOptions(options);
  const method = opts.method === undefined ? 'average' : oneOf(opts.method, 'method', RANK_METHODS);
  const nanPolicy = opts.nanPolicy === undefined ? 'propagate' : oneOf(opts.nanPolicy, 'nanPolicy', NAN_POLICIES);
  const x = readNumbers(a, 'a');
  if (Number.isNaN(numpySum(x))) {
    if (nanPolicy === 'raise') throw nanError(x, 'a');
    if (nanPolicy === 'propagate') {
      warn(UNDEFINED_METRIC, "rankdata: the input contains NaN (or both +Infinity and -Infinity) and nanPolicy is 'propagate': every rank is NaN");
      return new Float64Array(x.length).fill(NaN);
    }
  }
  return rankValues(x, method);
}

/** The RangeError for NaN input under nanPolicy 'raise' (SciPy: "The input contains nan values"). */
function nanError(x: Float64Array, option: string, y?: Float64Array, optionY?: string): RangeError {
  for (let i = 0; i < x.length; i++) if (Number.isNaN(x[i])) return rangeError("values that are not NaN (nanPolicy is 'raise')", `${option}[${i}]`, x[i]);
  if (y) for (let i = 0; i < y.length; i++) if (Number.isNaN(y[i])) return rangeError("values that are not NaN (nanPolicy is 'raise')", `${optionY}[${i}]`, y[i]);
  return rangeError(
    "values whose sum is not NaN (nanPolicy is 'raise'; SciPy tests isnan(sum), which +Infinity and -Infinity together fail)",
    y ? `${option} and ${optionY}` : option,
    x,
  );
}

// ---------------------------------------------------------------------------------------------------
// Pearson

function checkAlternative(value: unknown): Alternative {
  return value === undefined ? 'two-sided' : oneOf(value, 'alternative', ALTERNATIVES);
}

/** The p-value of Pearson's r for n >= 3 from the beta distribution of r under independence (no checks). */
function pearsonPvalueUnchecked(r: number, n: number, alternative: Alternative): number {
  if (Number.isNaN(r)) return NaN;
  // r ~ Beta(n/2 − 1, n/2 − 1) on [−1, 1]; SciPy evaluates the distribution at (r + 1) / 2.
  const ab = n / 2 - 1;
  if (alternative === 'two-sided') {
    const xs = (Math.abs(r) + 1) / 2; // >= 0.5, so 1 − xs is exact
    return 2 * betaincPair(ab, ab, xs, 1 - xs)[1];
  }
  const xs = (r + 1) / 2;
  const [cdf, sf] = betaincPair(ab, ab, xs, 1 - xs);
  return alternative === 'less' ? cdf : sf;
}

/**
 * The p-value of a Pearson correlation coefficient r from n pairs, as `pearsonr` computes it (SciPy 1.10):
 * under independence of normal samples r follows the beta distribution Beta(n/2 − 1, n/2 − 1) on [−1, 1], so
 * two-sided p = 2·P(R >= |r|) = 2 I_{(1−|r|)/2}(n/2 − 1, n/2 − 1), 'less' p = P(R <= r), 'greater' p = P(R >= r).
 * n = 2 gives 1 (SciPy's convention for two points). ~1e-14 relative down to ~1e-300.
 * @throws RangeError unless −1 <= r <= 1 and n is an integer >= 2.
 */
export function pearsonrPvalue(r: number, n: number, alternative: Alternative = 'two-sided'): number {
  if (typeof r !== 'number') throw typeError('a number', 'r', r);
  if (!(r >= -1 && r <= 1)) throw rangeError('a number between -1 and 1', 'r', r);
  if (typeof n !== 'number') throw typeError('an integer', 'n', n);
  if (!Number.isInteger(n) || n < 2) throw rangeError('an integer >= 2', 'n', n);
  const alt = oneOf(alternative, 'alternative', ALTERNATIVES);
  return n === 2 ? 1 : pearsonPvalueUnchecked(r, n, alt);
}

/** The Euclidean norm, scaled when the squares would overflow or underflow (as scipy.linalg.norm never overflows). */
function norm2(v: Float64Array): number {
  const sq = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) sq[i] = v[i]! * v[i]!;
  const s = numpySum(sq);
  if (s < Infinity && s > 1e-290) return Math.sqrt(s);
  let big = 0;
  for (let i = 0; i < v.length; i++) big = Math.max(big, Math.abs(v[i]!));
  if (big === 0 || big === Infinity) return big;
  for (let i = 0; i < v.length; i++) sq[i] = (v[i]! / big) ** 2;
  return big * Math.sqrt(numpySum(sq));
}

/**
 * Pearson's correlation coefficient r = Σ (x − x̄)(y − ȳ) / (‖x − x̄‖ ‖y − ȳ‖) and the p-value of the test of no
 * correlation (SciPy 1.10's `scipy.stats.pearsonr(x, y, alternative=...)`): the p-value comes from the exact
 * distribution of r for independent normal samples, Beta(n/2 − 1, n/2 − 1) on [−1, 1] (see `pearsonrPvalue`).
 * The statistic is computed as SciPy does (means in NumPy's summation order, each centred vector divided by its
 * norm, then the dot product, clipped to [−1, 1]); it agrees with SciPy's to a few units in the last place.
 *
 * Edge cases (SciPy's outcome → audiomill's):
 * - x and y of different lengths, or fewer than 2 values: ValueError → RangeError.
 * - a constant x or y: ConstantInputWarning and NaN → `{ statistic: NaN, pvalue: NaN }` and a warning.
 * - nearly constant input (‖x − x̄‖ < 1e-13 |x̄|): NearConstantInputWarning and the value → the value and a warning.
 * - n = 2: r = sign(x₁ − x₀)·sign(y₁ − y₀), p = 1 (NaN input there gives r = NaN with p = 1 → the same and a warning).
 * - n >= 3 with NaN or ±Infinity: ValueError (from scipy.linalg.norm) → RangeError.
 * @throws TypeError for non-arrays or non-number values; RangeError as above or for a bad `alternative`.
 */
export function pearsonr(x: ArrayLike<number>, y: ArrayLike<number>, options?: PearsonrOptions): CorrelationResult {
  const opts = readOptions(options);
  const alternative = checkAlternative(opts.alternative);
  const xs = readNumbers(x, 'x');
  const ys = readNumbers(y, 'y');
  const n = xs.length;
  if (ys.length !== n) throw rangeError(`an array as long as x (${n})`, 'y', y);
  if (n < 2) throw rangeError('at least 2 values', 'x', x);
  if (isConstant(xs) || isConstant(ys)) {
    warn(UNDEFINED_METRIC, 'pearsonr: an input array is constant; the correlation coefficient is not defined (statistic and pvalue are NaN)');
    return { statistic: NaN, pvalue: NaN };
  }
  if (n === 2) {
    const r = Math.sign(xs[1]! - xs[0]!) * Math.sign(ys[1]! - ys[0]!);
    if (Number.isNaN(r)) warn(UNDEFINED_METRIC, 'pearsonr: an input contains NaN; the correlation coefficient is NaN (SciPy returns pvalue 1 for two points)');
    return { statistic: r, pvalue: 1 };
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(xs[i]!)) throw rangeError('finite values (SciPy raises "array must not contain infs or NaNs")', `x[${i}]`, xs[i]);
    if (!Number.isFinite(ys[i]!)) throw rangeError('finite values (SciPy raises "array must not contain infs or NaNs")', `y[${i}]`, ys[i]);
  }
  const xmean = numpySum(xs) / n;
  const ymean = numpySum(ys) / n;
  if (!Number.isFinite(xmean)) throw rangeError('values whose sum is finite (the mean overflows)', 'x', x);
  if (!Number.isFinite(ymean)) throw rangeError('values whose sum is finite (the mean overflows)', 'y', y);
  for (let i = 0; i < n; i++) {
    xs[i] = xs[i]! - xmean;
    ys[i] = ys[i]! - ymean;
  }
  const normx = norm2(xs);
  const normy = norm2(ys);
  if (normx < 1e-13 * Math.abs(xmean) || normy < 1e-13 * Math.abs(ymean)) {
    warn(UNDEFINED_METRIC, 'pearsonr: an input array is nearly constant; the computed correlation coefficient may be inaccurate');
  }
  const prod = new Float64Array(n);
  for (let i = 0; i < n; i++) prod[i] = (xs[i]! / normx) * (ys[i]! / normy);
  let r = numpySum(prod);
  r = Math.max(Math.min(r, 1), -1);
  return { statistic: r, pvalue: pearsonPvalueUnchecked(r, n, alternative) };
}

// ---------------------------------------------------------------------------------------------------
// Spearman

/** SciPy's `_ttest_finish`: the p-value of t with df degrees of freedom (NaN when df <= 0 or t is NaN). */
function tTestPvalue(df: number, t: number, alternative: Alternative): number {
  if (alternative === 'less') return studentTCdfUnchecked(t, df);
  if (alternative === 'greater') return studentTCdfUnchecked(-t, df);
  return studentTCdfUnchecked(-Math.abs(t), df) * 2;
}

/** SciPy's t statistic of a rank correlation: rs √(df / ((rs + 1)(1 − rs))), the square root's argument clipped at 0. */
function spearmanT(rs: number, df: number): number {
  const q = df / ((rs + 1.0) * (1.0 - rs));
  return rs * Math.sqrt(q < 0 ? 0 : q); // NaN stays NaN, as np.clip keeps it
}

/**
 * The p-value of a Spearman rank correlation rs from n pairs, as `spearmanr` computes it (SciPy 1.10): the t
 * statistic t = rs √((n − 2) / ((1 + rs)(1 − rs))) against Student's t distribution with n − 2 degrees of
 * freedom; |rs| = 1 gives t = ±Infinity and p = 0 (or 1 for the opposite one-sided alternative); n = 2 gives NaN
 * (SciPy: 0 degrees of freedom) and a warning.
 * @throws RangeError unless −1 <= rs <= 1 and n is an integer >= 2.
 */
export function spearmanrPvalue(rs: number, n: number, alternative: Alternative = 'two-sided'): number {
  if (typeof rs !== 'number') throw typeError('a number', 'rs', rs);
  if (!(rs >= -1 && rs <= 1)) throw rangeError('a number between -1 and 1', 'rs', rs);
  if (typeof n !== 'number') throw typeError('an integer', 'n', n);
  if (!Number.isInteger(n) || n < 2) throw rangeError('an integer >= 2', 'n', n);
  const alt = oneOf(alternative, 'alternative', ALTERNATIVES);
  const p = tTestPvalue(n - 2, spearmanT(rs, n - 2), alt);
  if (Number.isNaN(p)) warn(UNDEFINED_METRIC, 'spearmanrPvalue: the p-value is not defined with 2 observations (0 degrees of freedom): NaN');
  return p;
}

/** Sums of squares and products of the centred ranks: [s00, s11, s01], exact while they stay below 2^53. */
function centredRankSums(rx: Float64Array, ry: Float64Array): [number, number, number] {
  const n = rx.length;
  const mx = numpySum(rx) / n;
  const my = numpySum(ry) / n;
  let s00 = 0;
  let s11 = 0;
  let s01 = 0;
  for (let i = 0; i < n; i++) {
    const a = rx[i]! - mx;
    const b = ry[i]! - my;
    s00 += a * a;
    s11 += b * b;
    s01 += a * b;
  }
  return [s00, s11, s01];
}

/**
 * Spearman's rank correlation coefficient (Pearson's r of the ranks, ties given their average rank) and the
 * p-value of the test of no correlation (SciPy 1.10's `scipy.stats.spearmanr(a, b, nan_policy=..., alternative=...)`
 * for two 1-D arrays). The coefficient is computed as SciPy does, to the last bit: NumPy's `corrcoef` of the ranks
 * (covariance scaled by 1/(n − 1), divided by each standard deviation in turn, clipped to [−1, 1]); the p-value
 * from rs with the t distribution with n − 2 degrees of freedom (see `spearmanrPvalue`).
 *
 * Edge cases (SciPy's outcome → audiomill's):
 * - a and b of different lengths: ValueError → RangeError.
 * - fewer than 2 pairs (empty input included): NaN, NaN silently → NaN, NaN and a warning.
 * - a constant a or b: ConstantInputWarning, NaN → NaN, NaN and a warning.
 * - 2 pairs: rs = ±1 (to rounding) and p = NaN (0 degrees of freedom) → the same and a warning.
 * - |rs| = 1 with n >= 3: p = 0 (t = ±Infinity).
 * - NaN (SciPy's test is isnan(sum of all values), so +Infinity and −Infinity together count as NaN too):
 *   'propagate' → NaN, NaN silently → the same and a warning; 'raise' → ValueError → RangeError; 'omit' → SciPy's
 *   masked-array path: pairs with NaN or ±Infinity in either array are dropped; if all that is left is 0 (or
 *   nothing) → NaN, NaN silently → the same and a warning; fewer than 2 pairs left → ValueError → AudiomillError
 *   UNDEFINED_METRIC; a column constant after the omission → SciPy 1.10 returns statistic 0 (and p 1 two-sided)
 *   silently → the same and a warning; 2 pairs left → p NaN and a warning. This path computes r as
 *   (s01/n) / √((s11/n)(s00/n)) without clipping, as `numpy.ma.corrcoef` does.
 * - ±Infinity without NaN and without the other sign's infinity: ranked as the largest / smallest values.
 * @throws TypeError for non-arrays or non-number values; RangeError / AudiomillError as above or for a bad option.
 */
export function spearmanr(a: ArrayLike<number>, b: ArrayLike<number>, options?: SpearmanrOptions): CorrelationResult {
  const opts = readOptions(options);
  const alternative = checkAlternative(opts.alternative);
  const nanPolicy = opts.nanPolicy === undefined ? 'propagate' : oneOf(opts.nanPolicy, 'nanPolicy', NAN_POLICIES);
  const xs = readNumbers(a, 'a');
  const ys = readNumbers(b, 'b');
  const n = xs.length;
  if (ys.length !== n) throw rangeError(`an array as long as a (${n})`, 'b', b);
  if (n <= 1) {
    warn(UNDEFINED_METRIC, `spearmanr: ${n} observation${n === 1 ? '' : 's'}; the correlation is not defined with fewer than 2 (statistic and pvalue are NaN)`);
    return { statistic: NaN, pvalue: NaN };
  }
  if (isConstant(xs) || isConstant(ys)) {
    warn(UNDEFINED_METRIC, 'spearmanr: an input array is constant; the correlation coefficient is not defined (statistic and pvalue are NaN)');
    return { statistic: NaN, pvalue: NaN };
  }
  // SciPy sums the column-stacked [n, 2] array (row-major: a0, b0, a1, b1, …) and tests the sum for NaN.
  const stacked = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    stacked[2 * i] = xs[i]!;
    stacked[2 * i + 1] = ys[i]!;
  }
  if (Number.isNaN(numpySum(stacked))) {
    if (nanPolicy === 'raise') throw nanError(xs, 'a', ys, 'b');
    if (nanPolicy === 'propagate') {
      warn(UNDEFINED_METRIC, "spearmanr: the input contains NaN (or both +Infinity and -Infinity) and nanPolicy is 'propagate': statistic and pvalue are NaN");
      return { statistic: NaN, pvalue: NaN };
    }
    return spearmanOmit(xs, ys, alternative);
  }
  const rx = rankValues(xs, 'average');
  const ry = rankValues(ys, 'average');
  const [s00, s11, s01] = centredRankSums(rx, ry);
  // np.corrcoef: c = cov · (1 / (n − 1)); c[1,0] / sd[1] / sd[0]; clipped.
  const inv = 1 / (n - 1);
  const c01 = s01 * inv;
  const sd0 = Math.sqrt(s00 * inv);
  const sd1 = Math.sqrt(s11 * inv);
  let rs = c01 / sd1 / sd0;
  rs = Math.min(Math.max(rs, -1), 1);
  const pvalue = tTestPvalue(n - 2, spearmanT(rs, n - 2), alternative);
  if (Number.isNaN(pvalue)) warn(UNDEFINED_METRIC, 'spearmanr: the p-value is not defined with 2 observations (0 degrees of freedom): pvalue is NaN');
  return { statistic: rs, pvalue };
}

/** SciPy 1.10's `mstats_basic.spearmanr` path taken by nan_policy='omit' (see `spearmanr`). */
function spearmanOmit(xs: Float64Array, ys: Float64Array, alternative: Alternative): CorrelationResult {
  const n = xs.length;
  const keep: number[] = [];
  let anyNonzero = false;
  for (let i = 0; i < n; i++) {
    const u = xs[i]!;
    const v = ys[i]!;
    if (Number.isFinite(u) && Number.isFinite(v)) {
      keep.push(i);
      if (u !== 0 || v !== 0) anyNonzero = true;
    }
  }
  const m = keep.length;
  if (!anyNonzero) {
    warn(
      UNDEFINED_METRIC,
      `spearmanr: ${m === 0 ? 'no pairs are' : 'only zeros are'} left after omitting NaN and infinite values (nanPolicy 'omit'): statistic and pvalue are NaN`,
    );
    return { statistic: NaN, pvalue: NaN };
  }
  if (m < 2) {
    throw new AudiomillError(
      'UNDEFINED_METRIC',
      `spearmanr: ${m} pair is left after omitting NaN and infinite values (nanPolicy 'omit'); the correlation needs at least 2 (SciPy raises "The input must have at least 3 entries!")`,
    );
  }
  const kx = new Float64Array(m);
  const ky = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    kx[j] = xs[keep[j]!]!;
    ky[j] = ys[keep[j]!]!;
  }
  const [s00, s11, s01] = centredRankSums(rankValues(kx, 'average'), rankValues(ky, 'average'));
  // numpy.ma.corrcoef: c = dot / n; r = c01 / √(c11 · c00); a denominator numpy.ma deems zero (|c01|·tiny >= den)
  // masks the quotient and leaves the numerator in its place; no clipping.
  const c01 = s01 / m;
  const den = Math.sqrt((s11 / m) * (s00 / m));
  let rs: number;
  if (Math.abs(c01) * 2.2250738585072014e-308 >= den) {
    rs = c01;
    warn(
      UNDEFINED_METRIC,
      `spearmanr: after omitting NaN and infinite values (nanPolicy 'omit') an input is constant; SciPy 1.10 returns the statistic ${rs} in this case, not NaN`,
    );
  } else rs = c01 / den;
  const pvalue = tTestPvalue(m - 2, spearmanT(rs, m - 2), alternative);
  if (Number.isNaN(pvalue)) warn(UNDEFINED_METRIC, "spearmanr: the p-value is not defined with 2 pairs left after omitting NaN (0 degrees of freedom): pvalue is NaN");
  return { statistic: rs, pvalue };
}

// ---------------------------------------------------------------------------------------------------
// d'

function dPrimeOne(auc: unknown, option: string): number {
  if (typeof auc !== 'number') throw typeError('a number', option, auc);
  if (!(auc >= 0 && auc <= 1)) throw rangeError('an AUC between 0 and 1', option, auc);
  return normPpfUnchecked(auc) * Math.SQRT2;
}

/**
 * The sensitivity index d′ of a ROC AUC as the HEAR benchmark's evaluation kit reports it (hear-eval-kit,
 * `heareval.score.DPrime`): d′ = √2 · Φ⁻¹(AUC), Φ⁻¹ the standard normal quantile (`scipy.stats.norm().ppf(auc) *
 * np.sqrt(2.0)`). This is the equal-variance Gaussian signal-detection model, in which AUC = Φ(d′/√2). HEAR computes
 * it per class from `roc_auc_score(targets, predictions, average=None)` and reports the mean over classes; pass the
 * per-class AUCs as an array and average the result to get HEAR's `d_prime`.
 *
 * AUC 0.5 gives 0, AUC 1 gives +Infinity and AUC 0 gives −Infinity (as SciPy).
 * @param auc One AUC, or an array of AUCs (then a Float64Array of the same length).
 * @throws TypeError for a non-number; RangeError for NaN or an AUC outside [0, 1] (SciPy would return NaN).
 */
export function dPrime(auc: number): number;
export function dPrime(auc: ArrayLike<number>): Float64Array;
export function dPrime(auc: number | ArrayLike<number>): number | Float64Array {
  if (typeof auc === 'number') return dPrimeOne(auc, 'auc');
  if (!Array.isArray(auc) && !(ArrayBuffer.isView(auc) && !(auc instanceof DataView))) throw typeError('a number or an array of numbers', 'auc', auc);
  const values = auc as ArrayLike<unknown>;
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = dPrimeOne(values[i], `auc[${i}]`);
  return out;
}
