/**
 * `StandardScaler`: scikit-learn 1.2's `sklearn.preprocessing.StandardScaler` (dense input): per-feature mean
 * and population standard deviation (ddof 0), NaN ignored in `fit` and kept in `transform`.
 */
import { bool, rangeError } from '../../validate.js';
import {
  EPS,
  checkFeatures,
  notFitted,
} from '../linalg.js';
import { readOptions, readSampleWeight, readMatrix, type Matrix, type MatrixLike } from '../inputs.js';
import { UNDEFINED_METRIC, warn } from '../warnings.js';

/** Options of `StandardScaler` (scikit-learn's constructor arguments). */
export interface StandardScalerOptions {
  /** Subtract the mean of each feature (default true). */
  withMean?: boolean;
  /** Divide by the population standard deviation of each feature (default true). */
  withStd?: boolean;
}

/** Options of `StandardScaler.fit`. */
export interface StandardScalerFitOptions {
  /** A weight per sample (or one number for all); default all 1 (scikit-learn's `sample_weight`). */
  sampleWeight?: ArrayLike<number> | number;
}

/**
 * Standardises features: z = (x - mean) / scale, equal to scikit-learn 1.2's `StandardScaler`.
 *
 * - `mean`: the (weighted) mean of each feature over its non-NaN values; `null` when both `withMean` and
 *   `withStd` are false (computed even with `withMean: false`, like scikit-learn).
 * - `var`: the population variance (ddof 0, weighted when `sampleWeight` is given), by the corrected two-pass
 *   formula of Chan, Golub and LeVeque; `null` when `withStd` is false.
 * - `scale`: sqrt(var), except 1 for a feature whose variance is indistinguishable from 0
 *   (var <= n eps var + (n |mean| eps)², scikit-learn's `_is_constant_feature`); `null` when `withStd` is false.
 * - `nSamplesSeen`: samples per feature (the sum of the weights with `sampleWeight`), one number when every
 *   feature saw the same count, else one per feature (NaN values are not counted).
 *
 * Edge cases: NaN in X is ignored by `fit` and passed through by `transform` (scikit-learn's
 * `force_all_finite='allow-nan'`); infinity is a RangeError. A feature with no non-NaN value gets NaN mean,
 * variance and scale (as scikit-learn) and a warning (code `AUDIOMILL_UNDEFINED_METRIC`). One sample is fine
 * (variance 0, scale 1).
 *
 * Huge values (near ±1.8e308): where the sums overflow (scikit-learn then warns of an overflow and returns inf or
 * NaN), the feature is summed again with its values scaled by a power of two, which is exact, so mean and scale
 * are those of exact arithmetic rounded once more; `var` is Infinity when the variance alone exceeds the largest
 * float64 while the standard deviation does not (e.g. ±1e308: scale 1e308, transform ±1). A mean or standard
 * deviation that no float64 holds (possible only with negative sample weights) is a RangeError naming the feature,
 * never a NaN. `transform` and `inverseTransform` likewise avoid overflow in their intermediate step.
 */
export class StandardScaler {
  readonly withMean: boolean;
  readonly withStd: boolean;
  private fitted?: {
    mean: Float64Array | null;
    var: Float64Array | null;
    scale: Float64Array | null;
    nSamplesSeen: number | Float64Array;
    nFeatures: number;
  };

  constructor(options?: StandardScalerOptions) {
    const o = readOptions<StandardScalerOptions>(options);
    this.withMean = o.withMean === undefined ? true : bool(o.withMean, 'withMean');
    this.withStd = o.withStd === undefined ? true : bool(o.withStd, 'withStd');
  }

  private state() {
    if (!this.fitted) throw notFitted('StandardScaler');
    return this.fitted;
  }

  /** The per-feature mean (scikit-learn's `mean_`). */
  get mean(): Float64Array | null {
    return this.state().mean;
  }
  /** The per-feature population variance (`var_`). */
  get var(): Float64Array | null {
    return this.state().var;
  }
  /** The per-feature divisor (`scale_`). */
  get scale(): Float64Array | null {
    return this.state().scale;
  }
  /** Samples counted per feature (`n_samples_seen_`). */
  get nSamplesSeen(): number | Float64Array {
    return this.state().nSamplesSeen;
  }
  /** Number of features seen in fit (`n_features_in_`). */
  get nFeaturesIn(): number {
    return this.state().nFeatures;
  }

  /** Computes mean and scale from X (`y` is ignored, as in scikit-learn). Returns this. */
  fit(X: MatrixLike, y?: unknown, options?: StandardScalerFitOptions): this {
    void y;
    const o = readOptions<StandardScalerFitOptions>(options);
    const { data, rows: n, cols: d } = readMatrix(X, 'X', { allowNaN: true });
    const sw = readSampleWeight(o.sampleWeight, n, { scalar: true }) ?? undefined;
    const count = new Float64Array(d);
    const sum = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      const wi = sw ? sw[i]! : 1;
      for (let j = 0; j < d; j++) {
        const v = data[i * d + j]!;
        if (Number.isNaN(v)) continue;
        count[j] = count[j]! + wi;
        sum[j] = sum[j]! + (sw ? wi * v : v);
      }
    }
    const seen = reduceCounts(count);
    if (!this.withMean && !this.withStd) {
      this.fitted = { mean: null, var: null, scale: null, nSamplesSeen: seen, nFeatures: d };
      return this;
    }
    const mean = new Float64Array(d);
    for (let j = 0; j < d; j++) mean[j] = sum[j]! / count[j]!;
    let variance: Float64Array | null = null;
    let scale: Float64Array | null = null;
    if (!this.withStd) {
      for (let j = 0; j < d; j++) if (count[j]! > 0 && !Number.isFinite(mean[j]!)) rescaledMoments(data, n, d, j, sw, count[j]!, mean, null, null);
    } else {
      // Corrected two-pass: sum w (x - m)² - (sum w (x - m))² / sum w.
      const corr = new Float64Array(d);
      const ss = new Float64Array(d);
      for (let i = 0; i < n; i++) {
        const wi = sw ? sw[i]! : 1;
        for (let j = 0; j < d; j++) {
          const v = data[i * d + j]!;
          if (Number.isNaN(v)) continue;
          const t = v - mean[j]!;
          corr[j] = corr[j]! + (sw ? wi * t : t);
          ss[j] = ss[j]! + (sw ? wi * t * t : t * t);
        }
      }
      variance = new Float64Array(d);
      scale = new Float64Array(d);
      for (let j = 0; j < d; j++) {
        const c = count[j]!;
        const v = (ss[j]! - (corr[j]! * corr[j]!) / c) / c;
        variance[j] = v;
        const bound = c * EPS * v + (c * mean[j]! * EPS) ** 2;
        scale[j] = v <= bound ? 1 : Math.sqrt(v);
        // An overflow in the sums or the bound (values near ±1.8e308): sum this feature again, scaled.
        if (c > 0 && !(Number.isFinite(mean[j]!) && Number.isFinite(v) && Number.isFinite(bound))) rescaledMoments(data, n, d, j, sw, c, mean, variance, scale);
      }
    }
    const empty: number[] = [];
    for (let j = 0; j < d; j++) if (!(count[j]! > 0) || Number.isNaN(mean[j]!)) empty.push(j);
    if (empty.length > 0) {
      warn(
        UNDEFINED_METRIC,
        `StandardScaler: feature${empty.length > 1 ? 's' : ''} ${empty.slice(0, 5).join(', ')}${empty.length > 5 ? ', ...' : ''} ` +
          `had no non-NaN value (or a zero total weight): mean, variance and scale are NaN there`,
      );
    }
    this.fitted = { mean, var: variance, scale, nSamplesSeen: seen, nFeatures: d };
    return this;
  }

  /** (X - mean) / scale (each step as configured); NaN stays NaN. */
  transform(X: MatrixLike): Matrix {
    const s = this.state();
    const { data, rows, cols } = readMatrix(X, 'X', { allowNaN: true });
    checkFeatures(cols, s.nFeatures, 'X');
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const x = data[i * cols + j]!;
        let v = x;
        if (this.withMean) v -= s.mean![j]!;
        if (this.withStd) v /= s.scale![j]!;
        if (v - v !== 0 && x - x === 0) {
          // x - mean overflowed (|x| and |mean| near 1.8e308): the same steps on halves, which are exact.
          v = this.withMean ? x * 0.5 - s.mean![j]! * 0.5 : x * 0.5;
          if (this.withStd) v /= s.scale![j]!;
          v *= 2;
        }
        data[i * cols + j] = v;
      }
    }
    return { data, shape: [rows, cols] };
  }

  /** x * scale + mean (each step as configured): undoes `transform`. */
  inverseTransform(X: MatrixLike): Matrix {
    const s = this.state();
    const { data, rows, cols } = readMatrix(X, 'X', { allowNaN: true });
    checkFeatures(cols, s.nFeatures, 'X');
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const x = data[i * cols + j]!;
        let v = x;
        if (this.withStd) v *= s.scale![j]!;
        if (this.withMean) v += s.mean![j]!;
        if (v - v !== 0 && x - x === 0) {
          // x * scale overflowed although x * scale + mean may not: the same steps on halves, which are exact.
          v = this.withStd ? x * (s.scale![j]! * 0.5) : x * 0.5;
          if (this.withMean) v += s.mean![j]! * 0.5;
          v *= 2;
        }
        data[i * cols + j] = v;
      }
    }
    return { data, shape: [rows, cols] };
  }

  /** `fit(X, y, options)` then `transform(X)`. */
  fitTransform(X: MatrixLike, y?: unknown, options?: StandardScalerFitOptions): Matrix {
    return this.fit(X, y, options).transform(X);
  }
}

/**
 * Mean, variance and scale of feature j computed as `fit` does but with the values multiplied by 2^-e, where 2^e
 * is about the largest |value| (a power of two, so the scaling itself is exact and every sum is the unscaled one
 * divided by 2^e, without its overflow), then scaled back. Writes `mean[j]` and, with `variance`, `variance[j]`
 * (Infinity when the variance alone overflows) and `scale[j]`.
 *
 * @throws RangeError naming the feature when its mean or its standard deviation is beyond the largest float64.
 */
function rescaledMoments(
  data: Float64Array,
  n: number,
  d: number,
  j: number,
  sw: Float64Array | undefined,
  c: number,
  mean: Float64Array,
  variance: Float64Array | null,
  scale: Float64Array | null,
): void {
  let maxAbs = 0;
  for (let i = 0; i < n; i++) {
    const a = Math.abs(data[i * d + j]!);
    if (a > maxAbs) maxAbs = a; // NaN compares false
  }
  const e = maxAbs > 1 ? Math.min(Math.floor(Math.log2(maxAbs)), 1023) : 0; // log2 of the largest float64 rounds to 1024
  const down = 2 ** -e;
  const up = 2 ** e;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = data[i * d + j]!;
    if (Number.isNaN(v)) continue;
    sum += sw ? sw[i]! * (v * down) : v * down;
  }
  const m = sum / c;
  mean[j] = m * up;
  if (!Number.isFinite(mean[j]!)) throw rangeError('a feature whose mean fits in a float64 (rescale it)', `X (feature ${j})`, `a mean of about ${approx(m, e)}`);
  if (!variance || !scale) return;
  let corr = 0;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const v = data[i * d + j]!;
    if (Number.isNaN(v)) continue;
    const t = v * down - m;
    corr += sw ? sw[i]! * t : t;
    ss += sw ? sw[i]! * t * t : t * t;
  }
  const v = (ss - (corr * corr) / c) / c;
  variance[j] = v * up * up;
  const bound = c * EPS * v + (c * m * EPS) ** 2;
  scale[j] = v <= bound ? 1 : Math.sqrt(v) * up;
  if (!Number.isFinite(scale[j]!)) {
    throw rangeError(
      `a feature whose standard deviation fits in a float64 (at most ${Number.MAX_VALUE}; rescale it)`,
      `X (feature ${j})`,
      `a standard deviation of about ${approx(Math.sqrt(v), e)}`,
    );
  }
}

/** x · 2^e in scientific notation with 3 digits, for x · 2^e beyond float64's range. */
function approx(x: number, e: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const l = Math.log10(Math.abs(x)) + e * Math.log10(2);
  const p = Math.floor(l);
  return `${x < 0 ? '-' : ''}${(10 ** (l - p)).toFixed(2)}e+${p}`;
}

/** One number when every feature saw the same count (scikit-learn reduces `n_samples_seen_` when its range is 0). */
function reduceCounts(count: Float64Array): number | Float64Array {
  for (let j = 1; j < count.length; j++) if (count[j] !== count[0]) return count;
  return count[0]!;
}
