/**
 * K-means clustering as scikit-learn 1.2's `sklearn.cluster.KMeans` (Lloyd's algorithm, greedy k-means++ seeding,
 * best of `nInit` runs), drawing the same random numbers as scikit-learn for the same integer `randomState`.
 */
import { int, num, oneOf, rangeError, typeError } from '../../validate.js';
import { readMatrix, readOptions, readSampleWeight, toMatrix, type Matrix, type MatrixLike } from '../inputs.js';
import { MAX_SEED, RandomState } from '../random.js';
import { CONVERGENCE, warn } from '../warnings.js';
import { checkFeatures, notFitted } from '../linalg.js';

/** Options of {@link KMeans}; defaults are scikit-learn 1.2's. */
export interface KMeansOptions {
  /** Clusters to form. Default 8. */
  nClusters?: number;
  /**
   * How each run picks its first centers. Default 'k-means++': scikit-learn's greedy k-means++ (the first center a
   * uniformly drawn sample; each next one the best, by the resulting inertia, of 2 + ⌊ln k⌋ samples drawn with
   * probability proportional to their squared distance to the nearest center so far). 'random': k distinct samples
   * drawn uniformly. A matrix (nClusters × features): these centers, and a single run.
   */
  init?: 'k-means++' | 'random' | MatrixLike;
  /**
   * Runs from different seeds; the one of lowest inertia is kept. Default 10 (scikit-learn 1.2's default;
   * 'auto' means 1 with 'k-means++' and 10 with 'random', as scikit-learn's `n_init='auto'`). 1 when `init` is a
   * matrix.
   */
  nInit?: number | 'auto';
  /** Most Lloyd iterations per run. Default 300. */
  maxIter?: number;
  /**
   * A run stops when the squared center movement summed over clusters is at most tol × the mean per-feature
   * variance of X (scikit-learn's `_tolerance`), or when no label changed. Default 1e-4.
   */
  tol?: number;
  /**
   * Seed of the random draws, an integer 0 .. 2^32 − 1: the same seed gives the same clustering, and the same one
   * as `KMeans(random_state=seed)` in scikit-learn 1.2 (the draws are NumPy's legacy `RandomState(seed)` stream:
   * `randint` then `uniform` for k-means++, `permutation` for 'random'). Default: a fresh seed from the operating
   * system, so runs differ (scikit-learn's `random_state=None`).
   */
  randomState?: number;
}

/** Options of {@link KMeans.fit}. */
export interface KMeansFitOptions {
  /** A non-negative weight per sample (default all 1): weighted means and weighted inertia, as scikit-learn's. */
  sampleWeight?: ArrayLike<number>;
}

/**
 * K-means clustering (scikit-learn 1.2's `KMeans` with `algorithm='lloyd'`): minimises the inertia
 * Σᵢ wᵢ ‖xᵢ − c_{label(i)}‖² by Lloyd's iterations (assign each sample to its nearest center, move each center to
 * its members' weighted mean; a center left without members is moved onto the sample farthest from its own
 * center), from `nInit` seedings, keeping the run of lowest inertia.
 *
 * Follows scikit-learn's steps exactly (data centred before the runs, the same seeding draws, the same stopping
 * rules, a final assignment when a run stops on `tol`, best-of-runs replaced only by a lower inertia with a
 * different partition), so a seeded fit gives scikit-learn's labels, centers, inertia and iteration count; only
 * float64 rounding differs (scikit-learn sums in another order), which could flip a sample exactly between two
 * centers. Inputs are computed in float64 (scikit-learn keeps float32 input in float32).
 *
 * Emits a warning (`AUDIOMILL_CONVERGENCE`, scikit-learn's ConvergenceWarning) when fewer distinct clusters than
 * `nClusters` are found (duplicate points).
 *
 * @example
 * ```ts
 * const km = new KMeans({ nClusters: 3, randomState: 0 }).fit(X);
 * km.labels; km.clusterCenters; km.inertia; silhouetteScore(X, km.labels);
 * ```
 */
export class KMeans {
  /** The resolved options (see {@link KMeansOptions}); `nInit` is 1 for an explicit `init` matrix. */
  readonly nClusters: number;
  /** See {@link KMeansOptions.init}; an explicit matrix is kept as a float64 copy. */
  readonly init: 'k-means++' | 'random' | Matrix;
  /** See {@link KMeansOptions.nInit} ('auto' resolved). */
  readonly nInit: number;
  /** See {@link KMeansOptions.maxIter}. */
  readonly maxIter: number;
  /** See {@link KMeansOptions.tol} (relative; the absolute threshold depends on X). */
  readonly tol: number;
  /** See {@link KMeansOptions.randomState}; undefined: each fit draws a fresh seed. */
  readonly randomState: number | undefined;

  /** The centers, nClusters × features (scikit-learn's `cluster_centers_`). */
  clusterCenters!: Matrix;
  /** Each training sample's cluster, 0 .. nClusters − 1 (`labels_`). */
  labels!: Int32Array;
  /** Σ wᵢ ‖xᵢ − c_{label(i)}‖² over the training samples (`inertia_`). */
  inertia!: number;
  /** Lloyd iterations of the kept run (`n_iter_`). */
  nIter!: number;
  /** Features seen in fit (`n_features_in_`). */
  nFeaturesIn!: number;

  /**
   * @param options {@link KMeansOptions}.
   * @throws TypeError / RangeError for a malformed option.
   */
  constructor(options: KMeansOptions = {}) {
    if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
    this.nClusters = int(options.nClusters ?? 8, 'nClusters', 1);
    const init = options.init ?? 'k-means++';
    if (typeof init === 'string') this.init = oneOf(init, 'init', ['k-means++', 'random'] as const);
    else {
      this.init = toMatrix(readMatrix(init, 'init'));
      if (this.init.shape[0] !== this.nClusters) throw rangeError(`${this.nClusters} initial centers (nClusters)`, 'init', init);
    }
    const nInit = options.nInit ?? 10;
    if (nInit === 'auto') this.nInit = this.init === 'k-means++' ? 1 : 10;
    else this.nInit = int(nInit, 'nInit', 1);
    if (typeof this.init !== 'string') this.nInit = 1;
    this.maxIter = int(options.maxIter ?? 300, 'maxIter', 1);
    this.tol = num(options.tol ?? 1e-4, 'tol', { min: 0 });
    this.randomState = options.randomState === undefined ? undefined : int(options.randomState, 'randomState', 0, MAX_SEED);
  }

  /**
   * Clusters X.
   * @param X Samples × features.
   * @param options {@link KMeansFitOptions}.
   * @returns this, fitted.
   * @throws RangeError when X has fewer samples than nClusters (scikit-learn's ValueError "n_samples=6 should be
   *   >= n_clusters=7."), holds NaN or infinite values, or the weights are not one non-negative number per sample;
   *   TypeError for malformed arguments.
   */
  fit(X: MatrixLike, options: KMeansFitOptions = {}): this {
    const m = toMatrix(readMatrix(X, 'X'));
    const [n, d] = m.shape;
    if (n < this.nClusters) throw rangeError(`at most as many clusters as samples (${n})`, 'nClusters', this.nClusters);
    if (typeof this.init !== 'string' && this.init.shape[1] !== d) throw rangeError(`${d} features per initial center (as X)`, 'init', this.init);
    const w = readWeights(options, n);
    const k = this.nClusters;

    // Centre the data (scikit-learn does, for accuracy); the tolerance scales with the mean feature variance.
    const mean = new Float64Array(d);
    for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) mean[t] = mean[t]! + m.data[i * d + t]!;
    for (let t = 0; t < d; t++) mean[t] = mean[t]! / n;
    const x = new Float64Array(n * d);
    for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) x[i * d + t] = m.data[i * d + t]! - mean[t]!;
    let varSum = 0;
    for (let t = 0; t < d; t++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += x[i * d + t]! ** 2;
      varSum += s / n;
    }
    const tol = this.tol === 0 ? 0 : (varSum / d) * this.tol;

    const rs = new RandomState(this.randomState);
    let best: LloydResult | undefined;
    for (let run = 0; run < this.nInit; run++) {
      let centers: Float64Array;
      if (this.init === 'k-means++') centers = kmeansPlusPlus(x, n, d, k, rs);
      else if (this.init === 'random') {
        const perm = rs.permutation(n);
        centers = new Float64Array(k * d);
        for (let c = 0; c < k; c++) centers.set(x.subarray(perm[c]! * d, perm[c]! * d + d), c * d);
      } else {
        centers = this.init.data.slice();
        for (let c = 0; c < k; c++) for (let t = 0; t < d; t++) centers[c * d + t] = centers[c * d + t]! - mean[t]!;
      }
      const r = lloyd(x, w, n, d, k, centers, this.maxIter, tol);
      if (best === undefined || (r.inertia < best.inertia && !sameClustering(r.labels, best.labels, k))) best = r;
    }
    const centers = best!.centers;
    for (let c = 0; c < k; c++) for (let t = 0; t < d; t++) centers[c * d + t] = centers[c * d + t]! + mean[t]!;
    this.clusterCenters = { data: centers, shape: [k, d] };
    this.labels = best!.labels;
    this.inertia = best!.inertia;
    this.nIter = best!.nIter;
    this.nFeaturesIn = d;
    const distinct = new Set(this.labels).size;
    if (distinct < k) {
      warn(CONVERGENCE, `Number of distinct clusters (${distinct}) found smaller than n_clusters (${k}). Possibly due to duplicate points in X.`);
    }
    return this;
  }

  /** Fits and returns the training labels (scikit-learn's `fit_predict`). */
  fitPredict(X: MatrixLike, options: KMeansFitOptions = {}): Int32Array {
    return this.fit(X, options).labels;
  }

  /**
   * The nearest center of each sample (the first of equally near ones; compared by ‖c‖² − 2 x·c as scikit-learn does).
   * @throws RangeError before fit, or for X of another feature count or with non-finite values.
   */
  predict(X: MatrixLike): Int32Array {
    const m = this.checkX(X);
    const [n, d] = m.shape;
    const labels = new Int32Array(n);
    assign(m.data, n, d, this.clusterCenters.data, this.nClusters, labels);
    return labels;
  }

  /** Euclidean distance from each sample to each center, n × nClusters (scikit-learn's `transform`). */
  transform(X: MatrixLike): Matrix {
    const m = this.checkX(X);
    const [n, d] = m.shape;
    const k = this.nClusters;
    const out = new Float64Array(n * k);
    for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) out[i * k + c] = Math.sqrt(sqDist(m.data, i * d, this.clusterCenters.data, c * d, d));
    return { data: out, shape: [n, k] };
  }

  /** Minus the inertia of X with its predicted labels (scikit-learn's `score`, higher is better). */
  score(X: MatrixLike, options: KMeansFitOptions = {}): number {
    const m = this.checkX(X);
    const [n, d] = m.shape;
    const w = readWeights(options, n);
    const labels = new Int32Array(n);
    assign(m.data, n, d, this.clusterCenters.data, this.nClusters, labels);
    let inertia = 0;
    for (let i = 0; i < n; i++) inertia += sqDist(m.data, i * d, this.clusterCenters.data, labels[i]! * d, d) * w[i]!;
    return -inertia;
  }

  private checkX(X: MatrixLike): Matrix {
    if (this.clusterCenters === undefined) throw notFitted('KMeans');
    const m = toMatrix(readMatrix(X, 'X'));
    checkFeatures(m.shape[1], this.nFeaturesIn!, 'X');
    return m;
  }
}

interface LloydResult {
  labels: Int32Array;
  inertia: number;
  centers: Float64Array;
  nIter: number;
}

function readWeights(options: KMeansFitOptions, n: number): Float64Array {
  return readSampleWeight(readOptions(options).sampleWeight, n, { nonNegative: true }) ?? new Float64Array(n).fill(1);
}

/** ‖a − b‖², summed four terms at a time like scikit-learn's `_euclidean_dense_dense`. */
function sqDist(a: Float64Array, oa: number, b: Float64Array, ob: number, d: number): number {
  let s = 0;
  let t = 0;
  for (; t + 3 < d; t += 4) {
    const d0 = a[oa + t]! - b[ob + t]!;
    const d1 = a[oa + t + 1]! - b[ob + t + 1]!;
    const d2 = a[oa + t + 2]! - b[ob + t + 2]!;
    const d3 = a[oa + t + 3]! - b[ob + t + 3]!;
    s += d0 * d0 + d1 * d1 + d2 * d2 + d3 * d3;
  }
  for (; t < d; t++) {
    const diff = a[oa + t]! - b[ob + t]!;
    s += diff * diff;
  }
  return s;
}

/**
 * Each sample's nearest center, as scikit-learn's Lloyd step finds it: the smallest ‖c‖² − 2 x·c (‖x‖² is the same
 * for every center), the first of equal ones.
 */
function assign(x: Float64Array, n: number, d: number, centers: Float64Array, k: number, labels: Int32Array): void {
  const norms = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let t = 0; t < d; t++) s += centers[c * d + t]! * centers[c * d + t]!;
    norms[c] = s;
  }
  for (let i = 0; i < n; i++) {
    const oi = i * d;
    let best = 0;
    let min = Infinity;
    for (let c = 0; c < k; c++) {
      const oc = c * d;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let t = 0;
      for (; t + 3 < d; t += 4) {
        s0 += x[oi + t]! * centers[oc + t]!;
        s1 += x[oi + t + 1]! * centers[oc + t + 1]!;
        s2 += x[oi + t + 2]! * centers[oc + t + 2]!;
        s3 += x[oi + t + 3]! * centers[oc + t + 3]!;
      }
      for (; t < d; t++) s0 += x[oi + t]! * centers[oc + t]!;
      const v = norms[c]! - 2 * (s0 + s1 + (s2 + s3));
      if (v < min) {
        min = v;
        best = c;
      }
    }
    labels[i] = best;
  }
}

/** scikit-learn 1.2's `_kmeans_plusplus` (greedy k-means++), drawing from `rs` in the same order. */
function kmeansPlusPlus(x: Float64Array, n: number, d: number, k: number, rs: RandomState): Float64Array {
  const centers = new Float64Array(k * d);
  const trials = 2 + Math.floor(Math.log(k));
  const first = rs.randint(n);
  centers.set(x.subarray(first * d, first * d + d), 0);
  let closest: Float64Array = new Float64Array(n);
  let pot = 0;
  for (let i = 0; i < n; i++) {
    closest[i] = sqDist(x, i * d, x, first * d, d);
    pot += closest[i]!;
  }
  const cumsum = new Float64Array(n);
  const candidates = new Int32Array(trials);
  const trial: Float64Array[] = Array.from({ length: trials }, () => new Float64Array(n));
  for (let c = 1; c < k; c++) {
    let acc = 0;
    for (let i = 0; i < n; i++) cumsum[i] = acc += closest[i]!;
    for (let t = 0; t < trials; t++) {
      const v = rs.randomSample() * pot;
      // numpy.searchsorted(side='left'): the first index whose cumulative sum is >= v, clipped to n - 1.
      let lo = 0;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cumsum[mid]! < v) lo = mid + 1;
        else hi = mid;
      }
      candidates[t] = Math.min(lo, n - 1);
    }
    let bestT = 0;
    let bestPot = Infinity;
    for (let t = 0; t < trials; t++) {
      const dist = trial[t]!;
      const cand = candidates[t]!;
      let p = 0;
      for (let i = 0; i < n; i++) {
        const v = Math.min(closest[i]!, sqDist(x, i * d, x, cand * d, d));
        dist[i] = v;
        p += v;
      }
      if (p < bestPot) {
        bestPot = p;
        bestT = t;
      }
    }
    pot = bestPot;
    const chosen = trial[bestT]!;
    trial[bestT] = closest;
    closest = chosen;
    const b = candidates[bestT]!;
    centers.set(x.subarray(b * d, b * d + d), c * d);
  }
  return centers;
}

/** One run of Lloyd's algorithm as scikit-learn 1.2's `_kmeans_single_lloyd`. */
function lloyd(x: Float64Array, w: Float64Array, n: number, d: number, k: number, init: Float64Array, maxIter: number, tol: number): LloydResult {
  let centers: Float64Array = init;
  let centersNew: Float64Array = new Float64Array(k * d);
  const labels = new Int32Array(n).fill(-1);
  const labelsOld = new Int32Array(n).fill(-1);
  const weightIn = new Float64Array(k);
  const shift = new Float64Array(k);
  let strict = false;
  let iter = 0;
  for (; iter < maxIter; iter++) {
    lloydStep(x, w, n, d, k, centers, centersNew, weightIn, labels, shift, true);
    [centers, centersNew] = [centersNew, centers];
    let same = true;
    for (let i = 0; i < n; i++) {
      if (labels[i] !== labelsOld[i]) {
        same = false;
        break;
      }
    }
    if (same) {
      strict = true;
      break;
    }
    let total = 0;
    for (let c = 0; c < k; c++) total += shift[c]! ** 2;
    if (total <= tol) break;
    labelsOld.set(labels);
  }
  if (iter === maxIter) iter = maxIter - 1;
  if (!strict) lloydStep(x, w, n, d, k, centers, centers, weightIn, labels, shift, false);
  let inertia = 0;
  for (let i = 0; i < n; i++) inertia += sqDist(x, i * d, centers, labels[i]! * d, d) * w[i]!;
  return { labels, inertia, centers, nIter: iter + 1 };
}

/**
 * Assigns each sample to its nearest center; with `update`, writes the new centers (weighted means; empty clusters
 * relocated to the samples farthest from their centers, as scikit-learn's `_relocate_empty_clusters_dense`) and each
 * center's movement.
 */
function lloydStep(
  x: Float64Array, w: Float64Array, n: number, d: number, k: number, centers: Float64Array, centersNew: Float64Array,
  weightIn: Float64Array, labels: Int32Array, shift: Float64Array, update: boolean,
): void {
  assign(x, n, d, centers, k, labels);
  if (!update) return;
  centersNew.fill(0);
  weightIn.fill(0);
  for (let i = 0; i < n; i++) {
    const c = labels[i]!;
    const wi = w[i]!;
    weightIn[c] = weightIn[c]! + wi;
    for (let t = 0; t < d; t++) centersNew[c * d + t] = centersNew[c * d + t]! + x[i * d + t]! * wi;
  }
  const empty: number[] = [];
  for (let c = 0; c < k; c++) if (weightIn[c] === 0) empty.push(c);
  if (empty.length > 0) {
    // The samples farthest from their (old) centers, farthest first; among equal distances the lowest index.
    const dist = new Float64Array(n);
    for (let i = 0; i < n; i++) dist[i] = sqDist(x, i * d, centers, labels[i]! * d, d);
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => dist[b]! - dist[a]! || a - b);
    empty.forEach((c, e) => {
      const far = order[e]!;
      const wf = w[far]!;
      const old = labels[far]!;
      for (let t = 0; t < d; t++) {
        centersNew[old * d + t] = centersNew[old * d + t]! - x[far * d + t]! * wf;
        centersNew[c * d + t] = x[far * d + t]! * wf;
      }
      weightIn[c] = wf;
      weightIn[old] = weightIn[old]! - wf;
    });
  }
  for (let c = 0; c < k; c++) {
    if (weightIn[c]! > 0) {
      const a = 1 / weightIn[c]!;
      for (let t = 0; t < d; t++) centersNew[c * d + t] = centersNew[c * d + t]! * a;
    }
  }
  for (let c = 0; c < k; c++) shift[c] = Math.sqrt(sqDist(centersNew, c * d, centers, c * d, d));
}

/** Whether two labelings are the same partition up to renaming (scikit-learn's `_is_same_clustering`). */
function sameClustering(a: Int32Array, b: Int32Array, k: number): boolean {
  const map = new Int32Array(k).fill(-1);
  for (let i = 0; i < a.length; i++) {
    const la = a[i]!;
    if (map[la] === -1) map[la] = b[i]!;
    else if (map[la] !== b[i]) return false;
  }
  return true;
}
