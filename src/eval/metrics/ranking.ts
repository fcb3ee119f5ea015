/**
 * Ranking metrics of scores against binary (or one-vs-rest, one-vs-one multiclass) labels, equal to scikit-learn
 * 1.2.1's `sklearn.metrics` functions of the same names: `rocAucScore`, `rocCurve`, `averagePrecisionScore`,
 * `precisionRecallCurve`. Definitions and edge cases: docs/evaluation.md ("Classification and ranking metrics").
 *
 * The curves follow `sklearn.metrics._ranking._binary_clf_curve` (1.2.1): scores sorted descending with a stable
 * sort (ties keep the reverse of their input order, as `np.argsort(kind="mergesort")[::-1]`), one point per
 * distinct score, cumulative true and false positives (sums of weights in that order, as `np.cumsum`). The sort is
 * a stable bucket sort on the score values (linear in practice; a merge sort takes over for distributions it
 * cannot split), which keeps 1,000,000 scores well under 0.1 s.
 */
import { oneOf, rangeError, typeError } from '../../validate.js';
import { isArrayInput, readOptions, readSampleWeight } from '../inputs.js';
import { numpySum } from '../numpy-sum.js';
import { UNDEFINED_METRIC, warn } from '../warnings.js';
import {
  checkLengths,
  encodeLabels,
  indexOfLabel,
  isMatrixInput,
  labelKey,
  labelText,
  labelValues,
  npAverage,
  readLabelOption,
  readLabels,
  readMatrix,
  readScores,
  uniqueLabels,
  undefinedMetric,
  type ClassSet,
  type Label,
  type LabelArray,
  type LabelColumn,
  type MatrixInput,
  type NumberArray,
} from './labels.js';

// ---------------------------------------------------------------------------------------------------------------
// Sorting: ascending, stable, keys (float64 scores) carrying a uint32 payload (a label or a row index).

const SMALL = 24;
const MAX_DEPTH = 8;

function insertionSort(k: Float64Array, p: Uint32Array, off: number, n: number): void {
  for (let i = off + 1, end = off + n; i < end; i++) {
    const v = k[i]!;
    const q = p[i]!;
    let j = i - 1;
    while (j >= off && k[j]! > v) {
      k[j + 1] = k[j]!;
      p[j + 1] = p[j]!;
      j--;
    }
    k[j + 1] = v;
    p[j + 1] = q;
  }
}

/** Stable bottom-up merge sort of k[off, off+n) with its payload (the fallback for distributions buckets cannot split). */
function mergeSort(k: Float64Array, p: Uint32Array, off: number, n: number): void {
  const RUN = 32;
  for (let s = 0; s < n; s += RUN) insertionSort(k, p, off + s, Math.min(RUN, n - s));
  if (n <= RUN) return;
  let srcK = k.slice(off, off + n);
  let srcP = p.slice(off, off + n);
  let dstK = new Float64Array(n);
  let dstP = new Uint32Array(n);
  for (let width = RUN; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let o = lo;
      while (i < mid && j < hi) {
        if (srcK[j]! < srcK[i]!) {
          dstK[o] = srcK[j]!;
          dstP[o++] = srcP[j++]!;
        } else {
          dstK[o] = srcK[i]!;
          dstP[o++] = srcP[i++]!;
        }
      }
      while (i < mid) {
        dstK[o] = srcK[i]!;
        dstP[o++] = srcP[i++]!;
      }
      while (j < hi) {
        dstK[o] = srcK[j]!;
        dstP[o++] = srcP[j++]!;
      }
    }
    const tk = srcK;
    srcK = dstK;
    dstK = tk;
    const tp = srcP;
    srcP = dstP;
    dstP = tp;
  }
  k.set(srcK, off);
  p.set(srcP, off);
}

/**
 * Sorts src[sOff, sOff+n) into dst[dOff, dOff+n): one stable counting pass into n/2 equal-width buckets of the
 * value range (a monotone map, so ties share a bucket), then insertion sort of small buckets and recursion into
 * large ones; a merge sort past MAX_DEPTH levels or when the range overflows.
 */
function bucketSort(srcK: Float64Array, srcP: Uint32Array, sOff: number, dstK: Float64Array, dstP: Uint32Array, dOff: number, n: number, depth: number): void {
  if (n <= SMALL) {
    for (let i = 0; i < n; i++) {
      dstK[dOff + i] = srcK[sOff + i]!;
      dstP[dOff + i] = srcP[sOff + i]!;
    }
    insertionSort(dstK, dstP, dOff, n);
    return;
  }
  const sEnd = sOff + n;
  let min = srcK[sOff]!;
  let max = min;
  for (let i = sOff + 1; i < sEnd; i++) {
    const v = srcK[i]!;
    if (v < min) min = v;
    else if (v > max) max = v;
  }
  if (min === max) {
    dstK.set(srcK.subarray(sOff, sEnd), dOff);
    dstP.set(srcP.subarray(sOff, sEnd), dOff);
    return;
  }
  const nb = n >>> 1;
  const scale = nb / (max - min);
  if (!(scale < Infinity) || !(max - min < Infinity) || depth >= MAX_DEPTH) {
    dstK.set(srcK.subarray(sOff, sEnd), dOff);
    dstP.set(srcP.subarray(sOff, sEnd), dOff);
    mergeSort(dstK, dstP, dOff, n);
    return;
  }
  const counts = new Int32Array(nb + 1);
  const last = nb - 1;
  for (let i = sOff; i < sEnd; i++) {
    let b = ((srcK[i]! - min) * scale) | 0;
    if (b > last) b = last;
    counts[b + 1]!++;
  }
  for (let j = 1; j <= nb; j++) counts[j]! += counts[j - 1]!;
  for (let i = sOff; i < sEnd; i++) {
    const v = srcK[i]!;
    let b = ((v - min) * scale) | 0;
    if (b > last) b = last;
    const o = dOff + counts[b]!++;
    dstK[o] = v;
    dstP[o] = srcP[i]!;
  }
  // counts[j] is now the end of bucket j (and the start of bucket j + 1).
  let start = 0;
  for (let j = 0; j < nb; j++) {
    const end = counts[j]!;
    const size = end - start;
    if (size > 1) {
      if (size <= SMALL) insertionSort(dstK, dstP, dOff + start, size);
      else bucketSort(dstK.slice(dOff + start, dOff + end), dstP.slice(dOff + start, dOff + end), 0, dstK, dstP, dOff + start, size, depth + 1);
    }
    start = end;
  }
}

/**
 * Sorts `keys` ascending with a stable sort and permutes `payload` alike; returns new arrays (the inputs are
 * untouched). Keys must not be NaN; -0 and 0 are ties (callers pass keys with -0 normalised to 0).
 * @internal exported for tests
 */
export function sortWithPayload(keys: Float64Array, payload: Uint32Array): { keys: Float64Array; payload: Uint32Array } {
  const n = keys.length;
  const outK = new Float64Array(n);
  const outP = new Uint32Array(n);
  bucketSort(keys, payload, 0, outK, outP, 0, n, 0);
  return { keys: outK, payload: outP };
}

function insertionSortKeys(k: Float64Array, off: number, n: number): void {
  for (let i = off + 1, end = off + n; i < end; i++) {
    const v = k[i]!;
    let j = i - 1;
    while (j >= off && k[j]! > v) {
      k[j + 1] = k[j]!;
      j--;
    }
    k[j + 1] = v;
  }
}

/** {@link bucketSort} without a payload (the unweighted curves sort positives and negatives apart). */
function bucketSortKeys(src: Float64Array, sOff: number, dst: Float64Array, dOff: number, n: number, depth: number): void {
  if (n <= SMALL) {
    for (let i = 0; i < n; i++) dst[dOff + i] = src[sOff + i]!;
    insertionSortKeys(dst, dOff, n);
    return;
  }
  const sEnd = sOff + n;
  let min = src[sOff]!;
  let max = min;
  for (let i = sOff + 1; i < sEnd; i++) {
    const v = src[i]!;
    if (v < min) min = v;
    else if (v > max) max = v;
  }
  if (min === max) {
    dst.set(src.subarray(sOff, sEnd), dOff);
    return;
  }
  const nb = n >>> 1;
  const scale = nb / (max - min);
  if (!(scale < Infinity) || !(max - min < Infinity) || depth >= MAX_DEPTH) {
    dst.set(src.subarray(sOff, sEnd), dOff);
    dst.subarray(dOff, dOff + n).sort();
    return;
  }
  const counts = new Int32Array(nb + 1);
  const last = nb - 1;
  for (let i = sOff; i < sEnd; i++) {
    let b = ((src[i]! - min) * scale) | 0;
    if (b > last) b = last;
    counts[b + 1]!++;
  }
  for (let j = 1; j <= nb; j++) counts[j]! += counts[j - 1]!;
  // The bucket is computed again rather than stored: less memory traffic than a scratch array.
  for (let i = sOff; i < sEnd; i++) {
    const v = src[i]!;
    let b = ((v - min) * scale) | 0;
    if (b > last) b = last;
    dst[dOff + counts[b]!++] = v;
  }
  let start = 0;
  for (let j = 0; j < nb; j++) {
    const end = counts[j]!;
    const size = end - start;
    if (size === 2) {
      const a = dOff + start;
      const x = dst[a]!;
      const y = dst[a + 1]!;
      if (x > y) {
        dst[a] = y;
        dst[a + 1] = x;
      }
    } else if (size > 2) {
      if (size <= SMALL) insertionSortKeys(dst, dOff + start, size);
      else bucketSortKeys(dst.slice(dOff + start, dOff + end), 0, dst, dOff + start, size, depth + 1);
    }
    start = end;
  }
}

/**
 * Sorts finite keys ascending into a new array (-0 and 0 compare equal and may come out in either order).
 * @internal exported for tests
 */
export function sortKeys(keys: Float64Array): Float64Array {
  const out = new Float64Array(keys.length);
  bucketSortKeys(keys, 0, out, 0, keys.length, 0);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// The binary classification curve.

/** One point per distinct score, scores descending: cumulative false and true positives at or above each. */
export interface BinaryClfCurve {
  fps: Float64Array;
  tps: Float64Array;
  thresholds: Float64Array;
}

/**
 * `_binary_clf_curve` of scikit-learn 1.2.1 for positives `isPos` (1/0), finite `scores` and optional `weights`
 * (zero weights are dropped first, as sklearn does). Without `withThresholds`, the unweighted curve's thresholds
 * are not kept (the scalar metrics do not need them).
 * @internal
 */
export function binaryClfCurve(isPos: Uint8Array, scores: Float64Array, weights: Float64Array | null, withThresholds = true): BinaryClfCurve {
  let n = scores.length;
  if (weights) {
    let nz = 0;
    for (let i = 0; i < n; i++) if (weights[i] !== 0) nz++;
    if (nz === 0) throw rangeError('at least one non-zero weight', 'sampleWeight', weights);
    if (nz < n) {
      const s = new Float64Array(nz);
      const y = new Uint8Array(nz);
      const w = new Float64Array(nz);
      for (let i = 0, o = 0; i < n; i++) {
        if (weights[i] === 0) continue;
        s[o] = scores[i]!;
        y[o] = isPos[i]!;
        w[o++] = weights[i]!;
      }
      scores = s;
      isPos = y;
      weights = w;
      n = nz;
    }
    return weightedCurve(isPos, scores, weights);
  }
  return unweightedCurve(isPos, scores, withThresholds);
}

/** Weighted: one stable sort carrying row indices, cumulative weights in sklearn's order. */
function weightedCurve(isPos: Uint8Array, scores: Float64Array, weights: Float64Array): BinaryClfCurve {
  const n = scores.length;
  const keys = new Float64Array(n);
  const payload = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    keys[i] = scores[i]! + 0; // -0 → 0: one tie group, as np.diff sees them
    payload[i] = i;
  }
  const { keys: sk, payload: sp } = sortWithPayload(keys, payload);
  // Walk from the end: scores descending, ties in reverse input order (np.argsort mergesort, reversed), so the
  // running sums are np.cumsum's.
  let m = 0;
  for (let i = 0; i < n; i++) if (i === 0 || sk[i - 1] !== sk[i]) m++;
  const fps = new Float64Array(m);
  const tps = new Float64Array(m);
  const thresholds = new Float64Array(m);
  let tp = 0;
  let fp = 0;
  let g = 0;
  for (let i = n - 1; i >= 0; i--) {
    const idx = sp[i]!;
    if (isPos[idx]) tp += weights[idx]!;
    else fp += weights[idx]!;
    if (i === 0 || sk[i - 1] !== sk[i]) {
      tps[g] = tp;
      fps[g] = fp;
      thresholds[g++] = sk[i]!;
    }
  }
  return { fps, tps, thresholds };
}

/** Unweighted: positives and negatives sorted apart (keys only), merged from the top; counts are exact integers. */
function unweightedCurve(isPos: Uint8Array, scores: Float64Array, withThresholds: boolean): BinaryClfCurve {
  const n = scores.length;
  let np = 0;
  for (let i = 0; i < n; i++) np += isPos[i]!;
  // Branch-free split: every value is written to both arrays, and only one write pointer moves (one spare slot each).
  const pos = new Float64Array(np + 1);
  const neg = new Float64Array(n - np + 1);
  for (let i = 0, a = 0, b = 0; i < n; i++) {
    const v = scores[i]! + 0;
    const y = isPos[i]!;
    pos[a] = v;
    neg[b] = v;
    a += y;
    b += 1 - y;
  }
  const sp = sortKeys(pos.subarray(0, np));
  const sn = sortKeys(neg.subarray(0, n - np));
  const fps = new Float64Array(n);
  const tps = new Float64Array(n);
  // The scalar metrics need no thresholds: a small stand-in array spares 8 bytes a sample.
  const thresholds = new Float64Array(withThresholds ? n : 1);
  const thMask = withThresholds ? -1 : 0;
  let i = np - 1;
  let j = n - np - 1;
  let tp = 0;
  let fp = 0;
  let g = 0;
  while (i >= 0 || j >= 0) {
    const v = i < 0 ? sn[j]! : j < 0 ? sp[i]! : Math.max(sp[i]!, sn[j]!);
    while (i >= 0 && sp[i] === v) {
      tp++;
      i--;
    }
    while (j >= 0 && sn[j] === v) {
      fp++;
      j--;
    }
    tps[g] = tp;
    fps[g] = fp;
    thresholds[g & thMask] = v;
    g++;
  }
  return { fps: fps.subarray(0, g), tps: tps.subarray(0, g), thresholds: withThresholds ? thresholds.subarray(0, g) : thresholds };
}

/** `np.trapz(y, x)` with `sklearn.metrics.auc`'s direction check (1.2.1). */
function auc(x: Float64Array, y: Float64Array): number {
  const n = x.length;
  let anyNeg = false;
  let allNonPos = true;
  for (let i = 1; i < n; i++) {
    const d = x[i]! - x[i - 1]!;
    if (d < 0) anyNeg = true;
    if (!(d <= 0)) allNonPos = false;
  }
  let direction = 1;
  if (anyNeg) {
    if (allNonPos) direction = -1;
    else throw undefinedMetric('the false positive rates are neither increasing nor decreasing (negative sample weights), so the area under the curve is not defined');
  }
  const terms = new Float64Array(n - 1);
  for (let i = 1; i < n; i++) terms[i - 1] = ((x[i]! - x[i - 1]!) * (y[i]! + y[i - 1]!)) / 2;
  return direction * numpySum(terms);
}

interface RocPoints {
  fpr: Float64Array;
  tpr: Float64Array;
  thresholds: Float64Array;
}

/** `roc_curve`'s steps after the clf curve (1.2.1): drop collinear points, prepend (0, 0), divide, warn. */
function rocFromCurve(c: BinaryClfCurve, dropIntermediate: boolean): RocPoints {
  let { fps, tps, thresholds } = c;
  const m = fps.length;
  if (dropIntermediate && m > 2) {
    const keep = new Uint8Array(m);
    keep[0] = 1;
    keep[m - 1] = 1;
    let count = 2;
    for (let i = 1; i < m - 1; i++) {
      // np.diff(a, 2) computed as a difference of differences, exactly as NumPy does.
      const f2 = fps[i + 1]! - fps[i]! - (fps[i]! - fps[i - 1]!);
      const t2 = tps[i + 1]! - tps[i]! - (tps[i]! - tps[i - 1]!);
      if (f2 !== 0 || t2 !== 0) {
        keep[i] = 1;
        count++;
      }
    }
    if (count < m) {
      const f = new Float64Array(count);
      const t = new Float64Array(count);
      const th = new Float64Array(count);
      for (let i = 0, o = 0; i < m; i++) {
        if (!keep[i]) continue;
        f[o] = fps[i]!;
        t[o] = tps[i]!;
        th[o++] = thresholds[i]!;
      }
      fps = f;
      tps = t;
      thresholds = th;
    }
  }
  const k = fps.length + 1;
  const fpr = new Float64Array(k);
  const tpr = new Float64Array(k);
  const th = new Float64Array(k);
  th[0] = thresholds[0]! + 1;
  th.set(thresholds, 1);
  const fLast = fps[k - 2]!;
  const tLast = tps[k - 2]!;
  if (fLast <= 0) {
    warn(UNDEFINED_METRIC, 'No negative samples in yTrue: the false positive rate is meaningless and set to NaN');
    fpr.fill(NaN);
  } else for (let i = 1; i < k; i++) fpr[i] = fps[i - 1]! / fLast;
  if (tLast <= 0) {
    warn(UNDEFINED_METRIC, 'No positive samples in yTrue: the true positive rate is meaningless and set to NaN');
    tpr.fill(NaN);
  } else for (let i = 1; i < k; i++) tpr[i] = tps[i - 1]! / tLast;
  return { fpr, tpr, thresholds: th };
}

/** `np.interp(x, [x0, x1], [y0, y1])` for x0 <= x < x1 (NumPy 1.24's arithmetic). */
function interp2(x: number, x0: number, x1: number, y0: number, y1: number): number {
  if (x === x0) return y0;
  const slope = (y1 - y0) / (x1 - x0);
  let r = slope * (x - x0) + y0;
  if (Number.isNaN(r)) {
    r = slope * (x - x1) + y1;
    if (Number.isNaN(r) && y0 === y1) r = y0;
  }
  return r;
}

/**
 * The area under the ROC curve of a clf curve, computed as `roc_curve` (drop_intermediate=True) followed by
 * `auc` in sklearn 1.2.1, point by point and summed in NumPy's order, without building the curve's arrays.
 */
function rocAucFromCurve(c: BinaryClfCurve): number {
  const { fps, tps } = c;
  const m = fps.length;
  const fLast = fps[m - 1]!;
  const tLast = tps[m - 1]!;
  if (fLast <= 0) warn(UNDEFINED_METRIC, 'No negative samples in yTrue: the false positive rate is meaningless and set to NaN');
  if (tLast <= 0) warn(UNDEFINED_METRIC, 'No positive samples in yTrue: the true positive rate is meaningless and set to NaN');
  if (fLast <= 0 || tLast <= 0) return NaN;
  const terms = new Float64Array(m);
  let count = 0;
  let px = 0;
  let py = 0;
  let anyNeg = false;
  let allNonPos = true;
  for (let i = 0; i < m; i++) {
    if (m > 2 && i > 0 && i < m - 1) {
      const f2 = fps[i + 1]! - fps[i]! - (fps[i]! - fps[i - 1]!);
      const t2 = tps[i + 1]! - tps[i]! - (tps[i]! - tps[i - 1]!);
      if (f2 === 0 && t2 === 0) continue;
    }
    const x = fps[i]! / fLast;
    const y = tps[i]! / tLast;
    const d = x - px;
    if (d < 0) anyNeg = true;
    if (!(d <= 0)) allNonPos = false;
    terms[count++] = (d * (y + py)) / 2;
    px = x;
    py = y;
  }
  let direction = 1;
  if (anyNeg) {
    if (allNonPos) direction = -1;
    else throw undefinedMetric('the false positive rates are neither increasing nor decreasing (negative sample weights), so the area under the curve is not defined');
  }
  return direction * numpySum(terms, 0, count);
}

/** `_binary_roc_auc_score` of sklearn 1.2.1 on positives `isPos` (both classes present is checked by callers). */
function binaryRocAuc(isPos: Uint8Array, scores: Float64Array, weights: Float64Array | null, maxFpr: number | null): number {
  const curve = binaryClfCurve(isPos, scores, weights, maxFpr !== null && maxFpr !== 1);
  if (maxFpr === null || maxFpr === 1) return rocAucFromCurve(curve);
  const { fpr, tpr } = rocFromCurve(curve, true);
  // McClish-standardised partial AUC up to maxFpr.
  let stop = 0;
  while (stop < fpr.length && fpr[stop]! <= maxFpr) stop++;
  if (stop === 0 || stop >= fpr.length) return NaN; // only with NaN rates (a class without weight), warned above
  const x = new Float64Array(stop + 1);
  const y = new Float64Array(stop + 1);
  x.set(fpr.subarray(0, stop));
  y.set(tpr.subarray(0, stop));
  x[stop] = maxFpr;
  y[stop] = interp2(maxFpr, fpr[stop - 1]!, fpr[stop]!, tpr[stop - 1]!, tpr[stop]!);
  const partial = auc(x, y);
  const minArea = 0.5 * maxFpr ** 2;
  const maxArea = maxFpr;
  return 0.5 * (1 + (partial - minArea) / (maxArea - minArea));
}

/** 1 where the label equals `key`. `classes`: the column's labels, when known. */
function indicator(col: LabelColumn, key: number | string | null, classes?: ClassSet): Uint8Array {
  const out = new Uint8Array(col.length);
  if (key === null) return out;
  if (col.num && typeof key === 'number' && classes && classes.values.length === 2) {
    const [c0, c1] = classes.values as readonly number[];
    const other = key === c0 ? c1! : c0!;
    if ((key === c0 || key === c1) && Math.abs(c0!) < 2 ** 52 && Math.abs(c1!) < 2 ** 52) {
      // Two integer labels: (v - other) / (key - other) is exactly 1 or 0, without a branch per row.
      const a = col.num;
      const d = key - other;
      for (let i = 0; i < a.length; i++) out[i] = (a[i]! - other) / d;
      return out;
    }
  }
  if (col.str) {
    for (let i = 0; i < col.length; i++) out[i] = col.str[i] === key ? 1 : 0;
  } else if (col.num && typeof key === 'number') {
    const a = col.num;
    for (let i = 0; i < a.length; i++) out[i] = a[i] === key ? 1 : 0;
  }
  return out;
}

/** Whether the classes are one of {0,1}, {-1,1}, {0}, {-1}, {1} (sklearn's `_check_pos_label_consistency`). */
function defaultPosLabelOk(set: ClassSet): boolean {
  if (set.kind === 'string') return false;
  const v = set.values as readonly number[];
  const s = v.join(',');
  return s === '0,1' || s === '-1,1' || s === '0' || s === '-1' || s === '1';
}

function classesText(set: ClassSet): string {
  return `{${labelValues(set).map(labelText).join(', ')}}`;
}

function requireSamples(n: number, option: string, value: unknown): void {
  if (n === 0) throw rangeError('at least one sample', option, value);
}

interface BinaryCurveInput {
  isPos: Uint8Array;
  scores: Float64Array;
  weights: Float64Array | null;
}

/** Shared front of rocCurve and precisionRecallCurve (sklearn 1.2.1 `_binary_clf_curve` checks). */
function curveInput(yTrue: unknown, yScore: unknown, posLabel: Label | null | undefined, sampleWeight: unknown, scoreOption: string): BinaryCurveInput {
  const col = readLabels(yTrue, 'yTrue');
  if (isMatrixInput(yScore)) throw rangeError('a 1-D array of scores', scoreOption, yScore);
  const scores = readScores(yScore, scoreOption);
  checkLengths([
    ['yTrue', yTrue, col.length],
    [scoreOption, yScore, scores.length],
  ]);
  requireSamples(col.length, 'yTrue', yTrue);
  const weights = readSampleWeight(sampleWeight, col.length, { lengthOf: 'yTrue' });
  const all = uniqueLabels([col], ['yTrue']);
  if (posLabel !== undefined && posLabel !== null) checkLabel(posLabel, 'posLabel');
  if (all.values.length > 2 && (posLabel === undefined || posLabel === null)) {
    throw rangeError(`binary labels in yTrue, or a posLabel (yTrue has ${all.values.length} classes)`, 'posLabel', posLabel);
  }
  // sklearn checks the default positive label on the labels of the rows with non-zero weight.
  let present = all;
  if (weights) {
    const keep: number[] = [];
    for (let i = 0; i < col.length; i++) if (weights[i] !== 0) keep.push(i);
    if (keep.length < col.length) {
      const sub: LabelColumn = col.str
        ? { kind: col.kind, length: keep.length, num: null, str: keep.map((i) => col.str![i]!) }
        : { kind: keep.length ? col.kind : 'empty', length: keep.length, num: Float64Array.from(keep, (i) => col.num![i]!), str: null };
      present = uniqueLabels([sub], ['yTrue']);
    }
  }
  let key: number | string | null;
  if (posLabel === undefined || posLabel === null) {
    if (!defaultPosLabelOk(present)) {
      throw rangeError(`a posLabel (yTrue takes values in ${classesText(present)}, not {0, 1} or {-1, 1})`, 'posLabel', posLabel);
    }
    key = 1;
  } else key = labelKey(posLabel, all.kind);
  return { isPos: indicator(col, key, all), scores, weights };
}

function checkLabel(value: unknown, option: string): asserts value is Label {
  if (typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number' && Number.isFinite(value)) return;
  throw typeError('a class label (a number, a string or a boolean)', option, value);
}

// ---------------------------------------------------------------------------------------------------------------
// Public API.

/** Options of {@link rocCurve}. */
export interface RocCurveOptions {
  /**
   * The positive class. Default: 1 when yTrue's labels are {0, 1} or {-1, 1} (or one of them alone); any other
   * labels (strings included) need it (RangeError otherwise, where sklearn raises ValueError).
   */
  posLabel?: Label | null;
  /** Sample weights (default: all 1). Rows of weight 0 are dropped first; negative weights are allowed. */
  sampleWeight?: NumberArray;
  /** Drop thresholds whose point is collinear with its neighbours (default true): the curve's shape and area are unchanged. */
  dropIntermediate?: boolean;
}

/** The ROC curve: false and true positive rates at decreasing thresholds. */
export interface RocCurve {
  /** Increasing false positive rates; fpr[i] is the rate of scores >= thresholds[i]. */
  fpr: Float64Array;
  /** Increasing true positive rates. */
  tpr: Float64Array;
  /** Decreasing thresholds; thresholds[0] = max(score) + 1 (sklearn 1.2's convention: no sample is predicted positive). */
  thresholds: Float64Array;
}

/**
 * Receiver operating characteristic curve of binary labels and scores, equal to `sklearn.metrics.roc_curve` 1.2.1:
 * one point per distinct score (scores descending, ties together), collinear points dropped by default, and a first
 * point (0, 0) at threshold max(score) + 1.
 *
 * Edge cases: no negative (or no positive) samples → the fpr (or tpr) is all NaN and an AUDIOMILL_UNDEFINED_METRIC
 * warning is emitted (sklearn's UndefinedMetricWarning); NaN or infinite scores → RangeError naming `yScore[i]`;
 * empty input → RangeError; more than two labels without posLabel, or labels other than {0, 1} / {-1, 1} without
 * posLabel → RangeError naming posLabel; mismatched lengths → RangeError.
 */
export function rocCurve(yTrue: LabelArray, yScore: NumberArray, options?: RocCurveOptions): RocCurve {
  const o = readOptions(options);
  const drop = o.dropIntermediate === undefined ? true : o.dropIntermediate;
  if (typeof drop !== 'boolean') throw typeError('a boolean', 'dropIntermediate', drop);
  const { isPos, scores, weights } = curveInput(yTrue, yScore, o.posLabel, o.sampleWeight, 'yScore');
  return rocFromCurve(binaryClfCurve(isPos, scores, weights), drop);
}

/** Options of {@link precisionRecallCurve}. */
export interface PrecisionRecallCurveOptions {
  /** The positive class; default as {@link RocCurveOptions.posLabel}. */
  posLabel?: Label | null;
  /** Sample weights (default: all 1); rows of weight 0 are dropped first. */
  sampleWeight?: NumberArray;
}

/** Precision and recall at increasing thresholds, with a final point (precision 1, recall 0). */
export interface PrecisionRecallCurve {
  /** precision[i]: the precision of scores >= thresholds[i]; the last value is 1. */
  precision: Float64Array;
  /** Decreasing recall; the last value is 0. */
  recall: Float64Array;
  /** Increasing distinct scores (one fewer than precision and recall). */
  thresholds: Float64Array;
}

function prFromCurve(c: BinaryClfCurve): PrecisionRecallCurve {
  const { fps, tps, thresholds } = c;
  const m = tps.length;
  const precision = new Float64Array(m + 1);
  const recall = new Float64Array(m + 1);
  const th = new Float64Array(m);
  const last = tps[m - 1]!;
  if (last === 0) warn(UNDEFINED_METRIC, 'No positive class found in yTrue: recall is set to 1 for all thresholds');
  for (let i = 0; i < m; i++) {
    const j = m - 1 - i; // reversed: recall decreasing
    const ps = tps[i]! + fps[i]!;
    precision[j] = ps !== 0 ? tps[i]! / ps : 0;
    recall[j] = last === 0 ? 1 : tps[i]! / last;
    th[j] = thresholds[i]!;
  }
  precision[m] = 1;
  recall[m] = 0;
  return { precision, recall, thresholds: th };
}

/**
 * Precision–recall pairs at every distinct score, equal to `sklearn.metrics.precision_recall_curve` 1.2.1:
 * precision = tp / (tp + fp) (0 where no sample is predicted, which only weights can cause), recall = tp / P, and
 * the final point (1, 0) without a threshold.
 *
 * Edge cases: no positive samples → recall is 1 everywhere and an AUDIOMILL_UNDEFINED_METRIC warning is emitted
 * (sklearn warns too); other cases as {@link rocCurve}.
 */
export function precisionRecallCurve(yTrue: LabelArray, probasPred: NumberArray, options?: PrecisionRecallCurveOptions): PrecisionRecallCurve {
  const o = readOptions(options);
  const { isPos, scores, weights } = curveInput(yTrue, probasPred, o.posLabel, o.sampleWeight, 'probasPred');
  return prFromCurve(binaryClfCurve(isPos, scores, weights));
}

/**
 * AP of one binary problem, as sklearn 1.2.1: -sum(diff(recall) * precision[:-1]) over precision_recall_curve's
 * arrays, term by term and summed in NumPy's order, without building the arrays.
 */
function binaryAp(isPos: Uint8Array, scores: Float64Array, weights: Float64Array | null): number {
  const { fps, tps } = binaryClfCurve(isPos, scores, weights, false);
  const m = tps.length;
  const last = tps[m - 1]!;
  if (last === 0) warn(UNDEFINED_METRIC, 'No positive class found in yTrue: recall is set to 1 for all thresholds');
  // Term j (thresholds ascending) = (recall[j + 1] - recall[j]) * precision[j]; point i (descending) is j = m-1-i.
  const terms = new Float64Array(m);
  let prevRecall = 0;
  for (let i = 0; i < m; i++) {
    const tp = tps[i]!;
    const ps = tp + fps[i]!;
    const precision = ps !== 0 ? tp / ps : 0;
    const recall = last === 0 ? 1 : tp / last;
    terms[m - 1 - i] = (prevRecall - recall) * precision;
    prevRecall = recall;
  }
  return -numpySum(terms);
}

/**
 * How per-class (or per-column, per-row) ranking scores are averaged: 'micro', 'macro', 'weighted', 'samples' (per
 * row, multilabel average precision only) or null (no average: a Float64Array).
 */
export type RankingAverage = 'micro' | 'macro' | 'weighted' | 'samples' | null;

/** Options of {@link averagePrecisionScore}. */
export interface AveragePrecisionOptions {
  /**
   * For a multilabel indicator yTrue ([n, k] of 0/1): 'macro' (default, the mean of the per-column scores),
   * 'weighted' (weighted by each column's positives), 'micro' (all cells as one binary problem), 'samples' (per
   * row, averaged with the sample weights) or null (a Float64Array per column). Ignored for binary yTrue.
   */
  average?: RankingAverage;
  /** The positive class of binary yTrue (default 1); must be 1 for multilabel yTrue. */
  posLabel?: Label;
  /** Sample weights (default: all 1). */
  sampleWeight?: NumberArray;
}

/** Multilabel indicator: [n, k] of 0/1. */
function readIndicator(value: unknown, option: string): { data: Uint8Array; rows: number; cols: number } {
  const m = readMatrix(value, option);
  const data = new Uint8Array(m.data.length);
  for (let i = 0; i < data.length; i++) {
    const v = m.data[i]!;
    if (v !== 0 && v !== 1) throw rangeError('a multilabel indicator matrix of 0 and 1', `${option}[${Math.floor(i / m.cols)}][${i % m.cols}]`, v);
    data[i] = v;
  }
  return { data, rows: m.rows, cols: m.cols };
}

/** Column c of a row-major matrix. */
function column<T extends Float64Array | Float32Array | Uint8Array>(data: T, rows: number, cols: number, c: number, out: T): T {
  for (let r = 0; r < rows; r++) out[r] = data[r * cols + c]!;
  return out;
}

/**
 * `_average_binary_score` of sklearn 1.2.1 for an indicator matrix: the binary metric per column (or per row for
 * 'samples', or once over all cells for 'micro') and its average.
 */
function averageBinaryScore(
  metric: (isPos: Uint8Array, scores: Float64Array, weights: Float64Array | null) => number,
  yTrue: { data: Uint8Array; rows: number; cols: number },
  yScore: Float64Array,
  average: RankingAverage,
  weights: Float64Array | null,
): number | Float64Array {
  const { data, rows, cols } = yTrue;
  if (average === 'micro') {
    let w: Float64Array | null = null;
    if (weights) {
      w = new Float64Array(rows * cols);
      for (let r = 0; r < rows; r++) w.fill(weights[r]!, r * cols, (r + 1) * cols);
    }
    return metric(data, yScore, w);
  }
  if (average === 'samples') {
    const score = new Float64Array(rows);
    for (let r = 0; r < rows; r++) score[r] = metric(data.subarray(r * cols, (r + 1) * cols), yScore.subarray(r * cols, (r + 1) * cols), null);
    if (weights) for (let r = 0; r < rows; r++) if (weights[r] === 0) score[r] = 0;
    return npAverage(score, weights);
  }
  let avgWeight: Float64Array | null = null;
  if (average === 'weighted') {
    // np.sum(y_true * w[:, None], axis=0): NumPy adds the rows in turn (no pairwise split along axis 0).
    avgWeight = new Float64Array(cols);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) avgWeight[c]! += data[r * cols + c]! * (weights ? weights[r]! : 1);
    const total = numpySum(avgWeight);
    if (Math.abs(total) <= 1e-8) return 0; // np.isclose(sum, 0): sklearn returns 0
  }
  const score = new Float64Array(cols);
  const yc = new Uint8Array(rows);
  const sc = new Float64Array(rows);
  for (let c = 0; c < cols; c++) score[c] = metric(column(data, rows, cols, c, yc).slice(), column(yScore, rows, cols, c, sc).slice(), weights);
  if (average === null) return score;
  if (avgWeight) for (let c = 0; c < cols; c++) if (avgWeight[c] === 0) score[c] = 0;
  return npAverage(score, avgWeight);
}

/**
 * Average precision, equal to `sklearn.metrics.average_precision_score` 1.2.1: AP = Σₙ (Rₙ − Rₙ₋₁) Pₙ over the
 * distinct thresholds (not interpolated, no trapezoids), from {@link precisionRecallCurve}.
 *
 * Binary yTrue (at most two labels) with `posLabel` (default 1); or a multilabel indicator matrix ([n, k] of 0/1,
 * as rows or `{ data, shape }`) with yScore of the same shape, averaged by `average`.
 *
 * Edge cases: no positive samples → sklearn's value (-0: recall is set to 1 everywhere) with an
 * AUDIOMILL_UNDEFINED_METRIC warning; two labels without posLabel among them → RangeError naming posLabel; more
 * than two labels (multiclass) → RangeError (sklearn: "multiclass format is not supported"); NaN/infinite scores,
 * empty input, mismatched lengths → RangeError; 'weighted' with no positive at all → 0 (as sklearn).
 */
export function averagePrecisionScore(yTrue: LabelArray | MatrixInput, yScore: NumberArray | MatrixInput, options?: AveragePrecisionOptions): number;
export function averagePrecisionScore(yTrue: MatrixInput, yScore: MatrixInput, options: AveragePrecisionOptions & { average: null }): Float64Array;
export function averagePrecisionScore(yTrue: LabelArray | MatrixInput, yScore: NumberArray | MatrixInput, options?: AveragePrecisionOptions): number | Float64Array {
  const o = readOptions(options);
  const average = o.average === undefined ? 'macro' : oneOf(o.average, 'average', ['micro', 'macro', 'weighted', 'samples', null] as const);
  const posLabel = o.posLabel === undefined ? 1 : o.posLabel;
  checkLabel(posLabel, 'posLabel');
  if (isMatrixInput(yTrue)) {
    if (posLabel !== 1) throw rangeError('1 (posLabel is fixed to 1 for a multilabel indicator yTrue)', 'posLabel', posLabel);
    const y = readIndicator(yTrue, 'yTrue');
    const s = readMatrix(yScore, 'yScore');
    if (s.rows !== y.rows || s.cols !== y.cols) throw rangeError(`a [${y.rows}, ${y.cols}] matrix (the shape of yTrue)`, 'yScore', `[${s.rows}, ${s.cols}]`);
    requireSamples(y.rows, 'yTrue', yTrue);
    const weights = readSampleWeight(o.sampleWeight, y.rows, { lengthOf: 'yTrue' });
    const scores = s.data instanceof Float64Array ? s.data : Float64Array.from(s.data);
    return averageBinaryScore(binaryAp, y, scores, average, weights);
  }
  const col = readLabels(yTrue, 'yTrue');
  if (isMatrixInput(yScore)) throw rangeError('a 1-D array of scores for a 1-D yTrue', 'yScore', yScore);
  const scores = readScores(yScore, 'yScore');
  checkLengths([
    ['yTrue', yTrue, col.length],
    ['yScore', yScore, scores.length],
  ]);
  requireSamples(col.length, 'yTrue', yTrue);
  const weights = readSampleWeight(o.sampleWeight, col.length, { lengthOf: 'yTrue' });
  const classes = uniqueLabels([col], ['yTrue']);
  if (classes.values.length > 2) throw rangeError(`binary labels (multiclass yTrue with ${classes.values.length} classes is not supported)`, 'yTrue', yTrue);
  const key = labelKey(posLabel, classes.kind);
  if (classes.values.length === 2 && indexOfLabel(classes, key) < 0) {
    throw rangeError(`one of the labels ${classesText(classes)}`, 'posLabel', posLabel);
  }
  return binaryAp(indicator(col, key, classes), scores, weights);
}

/** Options of {@link rocAucScore}. */
export interface RocAucOptions {
  /**
   * Multiclass one-vs-rest: 'macro' (default; the unweighted mean over classes), 'weighted' (by class prevalence),
   * 'micro' (all cells of the binarised labels as one problem) or null (a Float64Array per class). One-vs-one:
   * 'macro' or 'weighted' (Hand & Till). Ignored for binary yTrue.
   */
  average?: RankingAverage;
  /** Sample weights (default: all 1); not supported for multiClass 'ovo' (RangeError, as sklearn). */
  sampleWeight?: NumberArray;
  /** Partial AUC up to this false positive rate, McClish-standardised (binary only); in (0, 1]; default none. */
  maxFpr?: number | null;
  /** Multiclass scheme: 'raise' (default: multiclass input is a RangeError), 'ovr' or 'ovo'. */
  multiClass?: 'raise' | 'ovr' | 'ovo';
  /** Multiclass: the labels indexing yScore's columns, sorted and unique (default: yTrue's sorted labels). */
  labels?: LabelArray;
}

/**
 * Area under the ROC curve, equal to `sklearn.metrics.roc_auc_score` 1.2.1.
 *
 * - Binary yTrue (two labels; the larger one, in np.unique order, is positive) with 1-D scores of the positive
 *   class: the trapezoidal area under {@link rocCurve}. With `maxFpr`, the partial area up to that rate,
 *   McClish-standardised: 0.5 × (1 + (A − maxFpr²/2) / (maxFpr − maxFpr²/2)).
 * - Multiclass yTrue with yScore an [n, k] matrix of probabilities (rows summing to 1 within NumPy's allclose),
 *   `multiClass` 'ovr' (each class against the rest, averaged by `average`) or 'ovo' (Hand & Till 2001: the mean
 *   over class pairs of the two one-vs-one AUCs; 'weighted' weights pairs by their prevalence).
 *
 * Edge cases: one class in yTrue (or a one-vs-rest class absent from yTrue) → AudiomillError UNDEFINED_METRIC
 * (sklearn raises ValueError); NaN or infinite scores → RangeError naming `yScore[i]`; empty input, mismatched
 * lengths, multiclass with multiClass 'raise', rows not summing to 1 → RangeError; weights leaving one class with no
 * weight → NaN with an AUDIOMILL_UNDEFINED_METRIC warning (as sklearn).
 */
export function rocAucScore(yTrue: LabelArray, yScore: NumberArray | MatrixInput, options?: RocAucOptions & { average?: Exclude<RankingAverage, null> }): number;
export function rocAucScore(yTrue: LabelArray, yScore: NumberArray | MatrixInput, options?: RocAucOptions): number | Float64Array;
export function rocAucScore(yTrue: LabelArray, yScore: NumberArray | MatrixInput, options?: RocAucOptions): number | Float64Array {
  const o = readOptions(options);
  const average = o.average === undefined ? 'macro' : oneOf(o.average, 'average', ['micro', 'macro', 'weighted', 'samples', null] as const);
  const multiClass = o.multiClass === undefined ? 'raise' : oneOf(o.multiClass, 'multiClass', ['raise', 'ovr', 'ovo'] as const);
  let maxFpr: number | null = null;
  if (o.maxFpr !== undefined && o.maxFpr !== null) {
    if (typeof o.maxFpr !== 'number') throw typeError('a number in (0, 1]', 'maxFpr', o.maxFpr);
    if (!(o.maxFpr > 0 && o.maxFpr <= 1)) throw rangeError('a number in (0, 1]', 'maxFpr', o.maxFpr);
    maxFpr = o.maxFpr;
  }
  const col = readLabels(yTrue, 'yTrue');
  const m = isMatrixInput(yScore) ? readMatrix(yScore, 'yScore') : null;
  if (!m && !isArrayInput(yScore)) throw typeError('an array of scores or a matrix', 'yScore', yScore);
  checkLengths([
    ['yTrue', yTrue, col.length],
    ['yScore', yScore, m ? m.rows : (yScore as ArrayLike<number>).length],
  ]);
  requireSamples(col.length, 'yTrue', yTrue);
  const weights = readSampleWeight(o.sampleWeight, col.length, { lengthOf: 'yTrue' });
  const classes = uniqueLabels([col], ['yTrue']);
  const k = classes.values.length;
  if (k > 2 || (m && m.cols > 2)) {
    if (maxFpr !== null && maxFpr !== 1) throw rangeError('null (partial AUC is not available for multiclass yTrue)', 'maxFpr', maxFpr);
    if (multiClass === 'raise') throw rangeError(`'ovr' or 'ovo' (yTrue has ${k} classes)`, 'multiClass', multiClass);
    if (!m) throw rangeError('an [n, classes] matrix of probabilities for multiclass yTrue', 'yScore', yScore);
    return multiclassRocAuc(col, classes, m, o.labels, multiClass, average, weights);
  }
  let scores: Float64Array;
  if (m) {
    if (m.cols !== 1) throw rangeError('a 1-D array of scores of the positive class for binary yTrue', 'yScore', `a [${m.rows}, ${m.cols}] matrix`);
    scores = Float64Array.from(m.data);
  } else scores = readScores(yScore, 'yScore');
  if (k < 2) throw undefinedMetric(`Only one class (${labelText(labelValues(classes)[0]!)}) is present in yTrue: ROC AUC is not defined in that case`);
  return binaryRocAuc(indicator(col, (classes.values as readonly (number | string)[])[1]!, classes), scores, weights, maxFpr);
}

function multiclassRocAuc(
  col: LabelColumn,
  present: ClassSet,
  m: { data: Float64Array | Float32Array; rows: number; cols: number },
  labelsOpt: unknown,
  multiClass: 'ovr' | 'ovo',
  average: RankingAverage,
  weights: Float64Array | null,
): number | Float64Array {
  const { rows, cols } = m;
  const data = m.data instanceof Float64Array ? m.data : Float64Array.from(m.data);
  for (let r = 0; r < rows; r++) {
    const s = numpySum(data, r * cols, cols);
    if (!(Math.abs(1 - s) <= 1e-8 + 1e-5 * Math.abs(s))) {
      throw rangeError(`probabilities whose rows sum to 1 for multiclass ROC AUC (row ${r} sums to ${s})`, 'yScore', `a [${rows}, ${cols}] matrix`);
    }
  }
  const allowed = multiClass === 'ovr' ? (['micro', 'macro', 'weighted', null] as const) : (['macro', 'weighted'] as const);
  if (!(allowed as readonly RankingAverage[]).includes(average)) {
    throw rangeError(`one of ${allowed.map((a) => (a === null ? 'null' : `'${a}'`)).join(' | ')} for multiClass '${multiClass}'`, 'average', average);
  }
  let classes: ClassSet;
  if (labelsOpt !== undefined && labelsOpt !== null) {
    const lc = readLabelOption(labelsOpt, 'labels');
    classes = uniqueLabels([lc], ['labels']);
    if (classes.kind !== 'empty' && present.kind !== 'empty' && (classes.kind === 'string') !== (present.kind === 'string')) {
      throw typeError('labels of the same type as yTrue (numbers and strings may not be mixed)', 'labels', labelsOpt);
    }
    if (classes.values.length !== lc.length) throw rangeError('unique labels', 'labels', labelsOpt);
    const given = lc.str ?? Array.from(lc.num!);
    if (given.some((v, i) => v !== classes.values[i])) throw rangeError('labels sorted in ascending order', 'labels', labelsOpt);
    if (classes.values.length !== cols) throw rangeError(`${cols} labels (the columns of yScore)`, 'labels', labelsOpt);
    const enc = encodeLabels(col, classes);
    if (enc.some((v) => v < 0)) throw rangeError('labels that include every label of yTrue', 'labels', labelsOpt);
  } else {
    classes = present;
    if (classes.values.length !== cols) {
      throw rangeError(`${classes.values.length} columns (the classes in yTrue; pass labels to name the columns)`, 'yScore', `a [${rows}, ${cols}] matrix`);
    }
  }
  const enc = encodeLabels(col, classes);
  if (multiClass === 'ovo') {
    if (weights) throw rangeError('no sampleWeight (not supported for multiClass ovo, as in sklearn)', 'sampleWeight', weights);
    const presentIdx = [...new Set(enc)].sort((a, b) => a - b);
    const pairs: number[] = [];
    const prevalence: number[] = [];
    for (let ai = 0; ai < presentIdx.length; ai++) {
      for (let bi = ai + 1; bi < presentIdx.length; bi++) {
        const a = presentIdx[ai]!;
        const b = presentIdx[bi]!;
        const rowsAb: number[] = [];
        for (let r = 0; r < rows; r++) if (enc[r] === a || enc[r] === b) rowsAb.push(r);
        const n = rowsAb.length;
        const aTrue = new Uint8Array(n);
        const bTrue = new Uint8Array(n);
        const aScore = new Float64Array(n);
        const bScore = new Float64Array(n);
        rowsAb.forEach((r, i) => {
          aTrue[i] = enc[r] === a ? 1 : 0;
          bTrue[i] = enc[r] === b ? 1 : 0;
          aScore[i] = data[r * cols + a]!;
          bScore[i] = data[r * cols + b]!;
        });
        pairs.push((binaryRocAuc(aTrue, aScore, null, null) + binaryRocAuc(bTrue, bScore, null, null)) / 2);
        prevalence.push(n / rows);
      }
    }
    return npAverage(pairs, average === 'weighted' ? prevalence : null);
  }
  const ind = new Uint8Array(rows * cols);
  for (let r = 0; r < rows; r++) ind[r * cols + enc[r]!] = 1;
  const names = labelValues(classes);
  const metric = (isPos: Uint8Array, scores: Float64Array, w: Float64Array | null, c?: number): number => {
    let pos = 0;
    for (let i = 0; i < isPos.length; i++) pos += isPos[i]!;
    if (pos === 0 || pos === isPos.length) {
      const which = c === undefined ? 'the binarised labels' : `class ${labelText(names[c]!)}`;
      throw undefinedMetric(`Only one class is present in ${which} (one-vs-rest): ROC AUC is not defined in that case`);
    }
    return binaryRocAuc(isPos, scores, w, null);
  };
  let c = -1;
  return averageBinaryScore(
    (isPos, scores, w) => {
      c++;
      return metric(isPos, scores, w, average === 'micro' ? undefined : c);
    },
    { data: ind, rows, cols },
    data,
    average,
    weights,
  );
}
