/**
 * Cluster quality and hierarchical clustering: `silhouetteSamples` / `silhouetteScore` (scikit-learn 1.2's
 * `sklearn.metrics.silhouette_samples` / `silhouette_score`), `linkage` and `leavesList` (SciPy 1.10's
 * `scipy.cluster.hierarchy.linkage` / `leaves_list`), and `correlationOrder`, the ordering the piano embedding
 * audit draws its correlation matrix in (`leaves_list(linkage(1 - corr, method='average'))`).
 *
 */
import { AudiomillError } from '../../errors.js';
import { bool, oneOf, rangeError, typeError } from '../../validate.js';
import { isArrayInput, readMatrix, toMatrix, type Matrix, type MatrixLike } from '../inputs.js';
import { CLUSTER_WARNING, warn } from '../warnings.js';
import { readLabelCodes, type Label, type LabelArray, type LabelCodes, type LabelRules } from '../metrics/labels.js';

export { compareLabels } from '../metrics/labels.js';
export type { Label };

/** Labels, one per sample: an array of numbers, strings or booleans (one kind), or a typed array. */
export type LabelsInput = LabelArray;

/** Labels read by {@link readLabels}: the sorted distinct classes, each sample's index into them, the counts. */
export type EncodedLabels = LabelCodes;

/** The models' labels: any number but NaN (LogisticRegression refuses fractions itself), booleans a kind of their own. */
const MODEL_LABELS: LabelRules = { numbers: 'notNaN', booleansAsNumbers: false };

/**
 * Reads labels (numbers, strings or booleans, all of one kind, or a typed array), checking the length when given
 * (scikit-learn's `check_consistent_length`; RangeError here), and encodes them like scikit-learn's `LabelEncoder`
 * (classes in `numpy.unique` order: numbers ascending, false before true, strings by code point).
 * @internal Shared by the evaluation models.
 */
export function readLabels(value: unknown, option: string, length?: number): EncodedLabels {
  if (length !== undefined && isArrayInput(value) && value.length !== length) {
    throw rangeError(`${length} labels (one per row of X)`, option, value);
  }
  return readLabelCodes(value, option, MODEL_LABELS);
}

// ------------------------------------------------------------------------------------------------------------
// Silhouette

/** Distances {@link silhouetteSamples} and {@link silhouetteScore} take. */
export type SilhouetteMetric = 'euclidean' | 'cosine' | 'precomputed';

/** Options of {@link silhouetteSamples} and {@link silhouetteScore}. */
export interface SilhouetteOptions {
  /**
   * The distance between samples. Default 'euclidean' (√Σ(xᵢ − yᵢ)²); 'cosine': 1 − x·y / (‖x‖‖y‖), clipped to
   * [0, 2], where a zero vector is at distance 1 from every other sample; 'precomputed': X is itself the n × n
   * distance matrix (its diagonal must be zero, within 100 machine epsilons).
   */
  metric?: SilhouetteMetric;
}

const UNDEFINED_SILHOUETTE = (k: number): string =>
  `Number of labels is ${k}. Valid values are 2 to n_samples - 1 (inclusive): the silhouette needs at least 2 clusters and fewer clusters than samples`;

/**
 * The silhouette coefficient of every sample (scikit-learn 1.2's `sklearn.metrics.silhouette_samples`):
 * s(i) = (b(i) − a(i)) / max(a(i), b(i)), where a(i) is the mean distance from i to the other members of its
 * cluster and b(i) the smallest mean distance from i to the members of another cluster.
 *
 * A sample alone in its cluster scores 0, and so does a sample with a(i) = b(i) = 0 (scikit-learn's
 * `nan_to_num` of 0/0).
 *
 * @param X Samples × features (or, with `metric: 'precomputed'`, the n × n distance matrix).
 * @param labels The cluster of each sample (numbers, strings or booleans).
 * @param options {@link SilhouetteOptions}.
 * @returns A Float64Array of n coefficients in [−1, 1].
 * @throws AudiomillError `UNDEFINED_METRIC` when there are fewer than 2 clusters or as many clusters as samples
 *   (scikit-learn raises ValueError "Number of labels is k. Valid values are 2 to n_samples - 1 (inclusive)").
 * @throws RangeError for NaN or infinite values in X, labels of another length than X's rows, a precomputed matrix
 *   that is not square or has a non-zero diagonal; TypeError for malformed arguments.
 */
export function silhouetteSamples(X: MatrixLike, labels: LabelsInput, options: SilhouetteOptions = {}): Float64Array {
  if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
  const metric = oneOf(options.metric ?? 'euclidean', 'metric', ['euclidean', 'cosine', 'precomputed'] as const);
  const m = toMatrix(readMatrix(X, 'X'));
  const [n, d] = m.shape;
  const enc = readLabels(labels, 'labels', n);
  const k = enc.classes.length;
  if (metric === 'precomputed') {
    if (d !== n) throw rangeError(`a square n × n distance matrix with metric 'precomputed'`, 'X', `${n} × ${d}`);
    const atol = 2.220446049250313e-16 * 100;
    for (let i = 0; i < n; i++) {
      if (Math.abs(m.data[i * n + i]!) > atol) {
        throw rangeError(`a distance matrix with zeros on its diagonal (metric 'precomputed')`, `X[${i}][${i}]`, m.data[i * n + i]);
      }
    }
  }
  if (!(k > 1 && k < n)) throw new AudiomillError('UNDEFINED_METRIC', UNDEFINED_SILHOUETTE(k));
  const { codes, counts } = enc;
  // sums[i * k + c]: the sum of distances from sample i to the members of cluster c, accumulated in the order of
  // the samples (as scikit-learn's bincount over one row of the distance matrix does).
  const sums = new Float64Array(n * k);
  if (metric === 'precomputed') {
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) sums[i * k + codes[j]!] = sums[i * k + codes[j]!]! + m.data[i * n + j]!;
    }
  } else {
    const x = metric === 'cosine' ? unitRows(m) : m.data;
    for (let i = 0; i < n; i++) {
      const ci = codes[i]!;
      const oi = i * d;
      for (let j = i + 1; j < n; j++) {
        const oj = j * d;
        let dist: number;
        if (metric === 'euclidean') {
          let s = 0;
          for (let t = 0; t < d; t++) {
            const diff = x[oi + t]! - x[oj + t]!;
            s += diff * diff;
          }
          dist = Math.sqrt(s);
        } else {
          let s = 0;
          for (let t = 0; t < d; t++) s += x[oi + t]! * x[oj + t]!;
          dist = Math.min(Math.max(1 - s, 0), 2);
        }
        sums[i * k + codes[j]!] = sums[i * k + codes[j]!]! + dist;
        sums[j * k + ci] = sums[j * k + ci]! + dist;
      }
    }
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const ci = codes[i]!;
    const a = sums[i * k + ci]! / (counts[ci]! - 1);
    let b = Infinity;
    for (let c = 0; c < k; c++) {
      if (c === ci) continue;
      const v = sums[i * k + c]! / counts[c]!;
      if (v < b) b = v;
    }
    const s = (b - a) / Math.max(a, b);
    out[i] = Number.isNaN(s) ? 0 : s;
  }
  return out;
}

/**
 * The mean silhouette coefficient over all samples (scikit-learn 1.2's `sklearn.metrics.silhouette_score` without
 * `sample_size`): the mean of {@link silhouetteSamples}. 1 for dense, well-separated clusters, near 0 for
 * overlapping ones, negative when samples sit closer to another cluster than to their own.
 *
 * scikit-learn's `sample_size` / `random_state` subsampling is not offered: pass a subset of the rows instead.
 *
 * @param X Samples × features (or the n × n distance matrix with `metric: 'precomputed'`).
 * @param labels The cluster of each sample.
 * @param options {@link SilhouetteOptions}.
 * @throws As {@link silhouetteSamples}: AudiomillError `UNDEFINED_METRIC` for 1 cluster or n clusters.
 */
export function silhouetteScore(X: MatrixLike, labels: LabelsInput, options: SilhouetteOptions = {}): number {
  const s = silhouetteSamples(X, labels, options);
  let sum = 0;
  for (let i = 0; i < s.length; i++) sum += s[i]!;
  return sum / s.length;
}

/** Rows scaled to unit length (zero rows stay zero), like scikit-learn's `normalize` before a cosine. */
function unitRows(m: Matrix): Float64Array {
  const [n, d] = m.shape;
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let t = 0; t < d; t++) s += m.data[i * d + t]! ** 2;
    const norm = Math.sqrt(s) || 1;
    for (let t = 0; t < d; t++) out[i * d + t] = m.data[i * d + t]! / norm;
  }
  return out;
}

// ------------------------------------------------------------------------------------------------------------
// Hierarchical clustering

/** Linkage methods: how the distance from a merged cluster to the others is updated (Lance–Williams). */
export type LinkageMethod = 'single' | 'complete' | 'average' | 'weighted' | 'ward';

/** Distances between observations that {@link linkage} computes from a 2-D input (SciPy's `pdist` metrics). */
export type LinkageMetric = 'euclidean' | 'sqeuclidean' | 'cityblock' | 'cosine' | 'correlation';

/** Options of {@link linkage}. */
export interface LinkageOptions {
  /**
   * Default 'single' (SciPy's default). With clusters x, y merged and another cluster i:
   * 'single' min(d(x,i), d(y,i)); 'complete' max; 'average' (UPGMA) (|x| d(x,i) + |y| d(y,i)) / (|x| + |y|);
   * 'weighted' (WPGMA) (d(x,i) + d(y,i)) / 2; 'ward' the Ward variance update (Euclidean distances only).
   */
  method?: LinkageMethod;
  /**
   * The distance between rows of a 2-D input. Default 'euclidean'; 'sqeuclidean', 'cityblock' (Σ|uᵢ − vᵢ|),
   * 'cosine' (1 − u·v / (‖u‖‖v‖)), 'correlation' (the cosine distance of the rows minus their means).
   * Ignored for a condensed (1-D) input.
   */
  metric?: LinkageMetric;
}

/**
 * Agglomerative hierarchical clustering with SciPy 1.10's output (`scipy.cluster.hierarchy.linkage`): an
 * (n − 1) × 4 matrix whose row i merges clusters Z[i][0] < Z[i][1] at distance Z[i][2] into cluster n + i of
 * Z[i][3] observations (observations are clusters 0 .. n − 1). Rows are in order of distance.
 *
 * `y` is either the observations (a 2-D matrix, n × d; distances between rows by `metric`) or a condensed
 * distance matrix (a 1-D array of the n(n − 1)/2 upper-triangle distances d(0,1), d(0,2), …, d(n−2,n−1), as
 * SciPy's `pdist` and `squareform` write it). As in SciPy, a 2-D input is always read as observations, even
 * when it is a square distance matrix; that case is reported with a warning (`AUDIOMILL_CLUSTER_WARNING`, SciPy's
 * ClusterWarning "The symmetric non-negative hollow observation matrix looks suspiciously like an uncondensed
 * distance matrix") and the result is the one SciPy returns.
 *
 * The merge order is SciPy's: 'single' by Prim's minimum spanning tree, the other methods by the
 * nearest-neighbour chain (Müllner 2011), then a stable sort by distance and a relabelling; so ties between equal
 * distances resolve as SciPy resolves them (the chain starts from the lowest-numbered cluster, a cluster's nearest
 * neighbour is the lowest-numbered among equals, the previous chain element is preferred), and equal-distance
 * merges keep the order in which the chain found them.
 *
 * @param y Observations (2-D) or a condensed distance matrix (1-D).
 * @param options {@link LinkageOptions}.
 * @returns The linkage matrix as `{ data, shape: [n - 1, 4] }`.
 * @throws RangeError when there are fewer than 2 observations, a condensed length is not n(n − 1)/2, a distance is
 *   NaN or infinite (SciPy's ValueError "The condensed distance matrix must contain only finite values"; e.g. the
 *   cosine distance of a zero row), or 'ward' is asked with a non-Euclidean metric.
 */
export function linkage(y: MatrixLike | ArrayLike<number>, options: LinkageOptions = {}): Matrix {
  if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
  const method = oneOf(options.method ?? 'single', 'method', ['single', 'complete', 'average', 'weighted', 'ward'] as const);
  const metric = oneOf(options.metric ?? 'euclidean', 'metric', ['euclidean', 'sqeuclidean', 'cityblock', 'cosine', 'correlation'] as const);
  let dist: Float64Array;
  let n: number;
  if (isOneDimensional(y)) {
    const src = y as ArrayLike<unknown>;
    dist = new Float64Array(src.length);
    for (let i = 0; i < src.length; i++) {
      const v = src[i];
      if (typeof v !== 'number') throw typeError('a number', `y[${i}]`, v);
      dist[i] = v;
    }
    if (dist.length === 0) throw rangeError('at least 2 observations (a non-empty condensed distance matrix)', 'y', y);
    n = Math.round((1 + Math.sqrt(1 + 8 * dist.length)) / 2);
    if ((n * (n - 1)) / 2 !== dist.length) {
      throw rangeError('a condensed distance matrix of n(n - 1)/2 values for some n', 'y', y);
    }
  } else {
    if (method === 'ward' && metric !== 'euclidean') throw rangeError(`metric 'euclidean' with method 'ward'`, 'metric', metric);
    const m = toMatrix(readMatrix(y, 'y', { allowNonFinite: true }));
    n = m.shape[0];
    if (n < 2) throw rangeError('at least 2 observations', 'y', y);
    if (looksLikeDistanceMatrix(m)) {
      warn(
        CLUSTER_WARNING,
        'scipy.cluster: The symmetric non-negative hollow observation matrix looks suspiciously like an uncondensed distance matrix ' +
          '(linkage reads a 2-D input as observations, as SciPy does; pass the condensed upper triangle to cluster distances)',
      );
    }
    dist = pdist(m, metric);
  }
  for (let i = 0; i < dist.length; i++) {
    if (!Number.isFinite(dist[i]!)) {
      throw rangeError('finite distances (SciPy: "The condensed distance matrix must contain only finite values")', 'y', dist[i]);
    }
  }
  const Z = method === 'single' ? mstSingle(dist, n) : nnChain(dist, n, method);
  return sortAndLabel(Z, n);
}

/**
 * The order of the observations as the leaves of the dendrogram, left to right (SciPy 1.10's
 * `scipy.cluster.hierarchy.leaves_list`): a pre-order walk from the root that visits Z[i][0] before Z[i][1].
 *
 * @param Z A linkage matrix as {@link linkage} returns it ((n − 1) × 4).
 * @returns An Int32Array of the n observation indices.
 * @throws RangeError for a matrix that is not a valid linkage (wrong shape, a cluster used before it is formed or
 *   twice, a non-integer id).
 */
export function leavesList(Z: MatrixLike): Int32Array {
  const m = toMatrix(readMatrix(Z, 'Z'));
  const [rows, cols] = m.shape;
  if (cols !== 4) throw rangeError('a linkage matrix of 4 columns', 'Z', Z);
  const n = rows + 1;
  const used = new Uint8Array(2 * n - 1);
  for (let i = 0; i < rows; i++) {
    for (const c of [0, 1]) {
      const id = m.data[i * 4 + c]!;
      if (!Number.isInteger(id) || id < 0 || id >= n + i || used[id]) {
        throw rangeError(`a valid linkage (row ${i} merging clusters formed before it, each once)`, `Z[${i}][${c}]`, id);
      }
      used[id] = 1;
    }
  }
  const out = new Int32Array(n);
  let k = 0;
  const stack = [2 * n - 2];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node < n) {
      out[k++] = node;
    } else {
      const r = node - n;
      stack.push(m.data[r * 4 + 1]!, m.data[r * 4]!);
    }
  }
  return out;
}

/** Options of {@link correlationOrder}. */
export interface CorrelationOrderOptions {
  /** The linkage method. Default 'average' (the piano audit's). */
  method?: LinkageMethod;
  /**
   * How 1 − corr is read. Default false: as SciPy reads the 2-D array in `linkage(1 - corr, method='average')`,
   * each row of 1 − corr is an observation and the rows are compared by Euclidean distance; this is what the piano
   * audit computes (SciPy warns that the matrix looks like a distance matrix). true: 1 − corr itself is the
   * distance matrix (`linkage(squareform(1 - corr, checks=False), method='average')`), the textbook correlation
   * distance; the order may differ.
   */
  asDistanceMatrix?: boolean;
}

/**
 * The order in which to draw a correlation matrix so that correlated variables sit together: the leaves of an
 * average-linkage dendrogram of 1 − corr, as the piano embedding audit computes it with SciPy 1.10
 * (`leaves_list(linkage(1 - corr, method='average'))`, `corr = np.corrcoef(Y.T)`).
 *
 * @param corr A k × k correlation matrix (k >= 2).
 * @param options {@link CorrelationOrderOptions}.
 * @returns An Int32Array: the variable indices in dendrogram order.
 * @throws RangeError for a matrix that is not square, has fewer than 2 rows, or holds NaN (the correlation of a
 *   constant variable is undefined: drop it first; SciPy raises "The condensed distance matrix must contain only
 *   finite values").
 */
export function correlationOrder(corr: MatrixLike, options: CorrelationOrderOptions = {}): Int32Array {
  if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
  const method = oneOf(options.method ?? 'average', 'method', ['single', 'complete', 'average', 'weighted', 'ward'] as const);
  const asDistance = bool(options.asDistanceMatrix ?? false, 'asDistanceMatrix');
  const m = toMatrix(readMatrix(corr, 'corr', { allowNonFinite: true }));
  const [k, c] = m.shape;
  if (k !== c) throw rangeError('a square correlation matrix', 'corr', `${k} × ${c}`);
  if (k < 2) throw rangeError('a correlation matrix of at least 2 variables', 'corr', `${k} × ${c}`);
  for (let i = 0; i < m.data.length; i++) {
    if (!Number.isFinite(m.data[i]!)) {
      throw rangeError(
        'finite correlations (a NaN comes from a constant variable, whose correlation is undefined: drop it first)',
        `corr[${Math.floor(i / k)}][${i % k}]`,
        m.data[i],
      );
    }
  }
  const oneMinus = new Float64Array(k * k);
  for (let i = 0; i < k * k; i++) oneMinus[i] = 1 - m.data[i]!;
  let dist: Float64Array;
  if (asDistance) {
    dist = new Float64Array((k * (k - 1)) / 2);
    let p = 0;
    for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) dist[p++] = oneMinus[i * k + j]!;
  } else {
    dist = pdist({ data: oneMinus, shape: [k, k] }, 'euclidean');
  }
  const Z = method === 'single' ? mstSingle(dist, k) : nnChain(dist, k, method);
  return leavesList(sortAndLabel(Z, k));
}

function isOneDimensional(y: unknown): boolean {
  if (ArrayBuffer.isView(y)) return true;
  if (Array.isArray(y)) return y.length === 0 || typeof y[0] === 'number';
  return false;
}

/** numpy.allclose(a, b) for two numbers (rtol 1e-5, atol 1e-8). */
function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-8 + 1e-5 * Math.abs(b);
}

/** SciPy's test for a 2-D linkage input that is probably a distance matrix: square, zero diagonal, non-negative, symmetric. */
function looksLikeDistanceMatrix(m: Matrix): boolean {
  const [n, d] = m.shape;
  if (n !== d) return false;
  for (let i = 0; i < n; i++) if (!close(m.data[i * n + i]!, 0)) return false;
  for (let i = 0; i < n * n; i++) if (!(m.data[i]! >= 0)) return false;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (!close(m.data[i * n + j]!, m.data[j * n + i]!)) return false;
  return true;
}

/** Pairwise distances between the rows of m, condensed (SciPy 1.10's `pdist`). */
function pdist(m: Matrix, metric: LinkageMetric): Float64Array {
  const [n, d] = m.shape;
  const x = m.data;
  const out = new Float64Array((n * (n - 1)) / 2);
  let rows = x;
  let norms: Float64Array | undefined;
  if (metric === 'cosine' || metric === 'correlation') {
    if (metric === 'correlation') {
      rows = new Float64Array(x.length);
      for (let i = 0; i < n; i++) {
        let mean = 0;
        for (let t = 0; t < d; t++) mean += x[i * d + t]!;
        mean /= d;
        for (let t = 0; t < d; t++) rows[i * d + t] = x[i * d + t]! - mean;
      }
    }
    norms = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += rows[i * d + t]! ** 2;
      norms[i] = Math.sqrt(s);
    }
  }
  let p = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const oi = i * d;
      const oj = j * d;
      let s = 0;
      switch (metric) {
        case 'euclidean':
        case 'sqeuclidean':
          for (let t = 0; t < d; t++) {
            const diff = rows[oi + t]! - rows[oj + t]!;
            s += diff * diff;
          }
          out[p++] = metric === 'euclidean' ? Math.sqrt(s) : s;
          break;
        case 'cityblock':
          for (let t = 0; t < d; t++) s += Math.abs(rows[oi + t]! - rows[oj + t]!);
          out[p++] = s;
          break;
        default: {
          for (let t = 0; t < d; t++) s += rows[oi + t]! * rows[oj + t]!;
          let cos = s / (norms![i]! * norms![j]!);
          if (Math.abs(cos) > 1) cos = Math.sign(cos);
          out[p++] = 1 - cos;
        }
      }
    }
  }
  return out;
}

/** Index of d(i, j), i != j, in a condensed matrix of n observations. */
function condensedIndex(n: number, i: number, j: number): number {
  if (i > j) [i, j] = [j, i];
  return n * i - (i * (i + 1)) / 2 + (j - i - 1);
}

/** Lance–Williams update: the distance from cluster i to x ∪ y. */
function updateDistance(method: LinkageMethod, dxi: number, dyi: number, dxy: number, nx: number, ny: number, ni: number): number {
  switch (method) {
    case 'complete':
      return Math.max(dxi, dyi);
    case 'average':
      return (nx * dxi + ny * dyi) / (nx + ny);
    case 'weighted':
      return 0.5 * (dxi + dyi);
    case 'ward': {
      const t = 1 / (nx + ny + ni);
      return Math.sqrt((ni + nx) * t * dxi * dxi + (ni + ny) * t * dyi * dyi - ni * t * dxy * dxy);
    }
    default:
      return Math.min(dxi, dyi);
  }
}

/**
 * The nearest-neighbour chain algorithm (Müllner 2011, "Modern hierarchical, agglomerative clustering
 * algorithms", §3.2; SciPy 1.10's `nn_chain`), for reducible methods. Rows hold the merged observation slots
 * (x < y; the merged cluster lives on in slot y), to be sorted and relabelled.
 */
function nnChain(dists: Float64Array, n: number, method: LinkageMethod): Float64Array {
  const D = dists.slice();
  const size = new Int32Array(n).fill(1);
  const chain = new Int32Array(n);
  let chainLength = 0;
  const Z = new Float64Array((n - 1) * 4);
  for (let k = 0; k < n - 1; k++) {
    if (chainLength === 0) {
      chainLength = 1;
      for (let i = 0; i < n; i++) {
        if (size[i]! > 0) {
          chain[0] = i;
          break;
        }
      }
    }
    let x = 0;
    let y = 0;
    let currentMin = Infinity;
    // Follow nearest neighbours until two clusters are each other's nearest.
    for (;;) {
      x = chain[chainLength - 1]!;
      if (chainLength > 1) {
        y = chain[chainLength - 2]!;
        currentMin = D[condensedIndex(n, x, y)]!;
      } else {
        currentMin = Infinity;
      }
      for (let i = 0; i < n; i++) {
        if (size[i] === 0 || i === x) continue;
        const dist = D[condensedIndex(n, x, i)]!;
        if (dist < currentMin) {
          currentMin = dist;
          y = i;
        }
      }
      if (chainLength > 1 && y === chain[chainLength - 2]) break;
      chain[chainLength++] = y;
    }
    chainLength -= 2;
    if (x > y) [x, y] = [y, x];
    const nx = size[x]!;
    const ny = size[y]!;
    Z[k * 4] = x;
    Z[k * 4 + 1] = y;
    Z[k * 4 + 2] = currentMin;
    Z[k * 4 + 3] = nx + ny;
    size[x] = 0;
    size[y] = nx + ny;
    for (let i = 0; i < n; i++) {
      const ni = size[i]!;
      if (ni === 0 || i === y) continue;
      D[condensedIndex(n, i, y)] = updateDistance(method, D[condensedIndex(n, i, x)]!, D[condensedIndex(n, i, y)]!, currentMin, nx, ny, ni);
    }
  }
  return Z;
}

/** Single linkage by Prim's minimum spanning tree (SciPy 1.10's `mst_single_linkage`). */
function mstSingle(dists: Float64Array, n: number): Float64Array {
  const Z = new Float64Array((n - 1) * 4);
  const merged = new Uint8Array(n);
  const D = new Float64Array(n).fill(Infinity);
  let x = 0;
  let y = 0;
  for (let k = 0; k < n - 1; k++) {
    let currentMin = Infinity;
    merged[x] = 1;
    for (let i = 0; i < n; i++) {
      if (merged[i]) continue;
      const dist = dists[condensedIndex(n, x, i)]!;
      if (D[i]! > dist) D[i] = dist;
      if (D[i]! < currentMin) {
        y = i;
        currentMin = D[i]!;
      }
    }
    Z[k * 4] = x;
    Z[k * 4 + 1] = y;
    Z[k * 4 + 2] = currentMin;
    x = y;
  }
  return Z;
}

/**
 * Sorts merges by distance (stable, like NumPy's mergesort) and names clusters as SciPy does: merge i creates
 * cluster n + i, and each row names the current clusters of its two slots, smaller id first, with the merged size.
 */
function sortAndLabel(Z: Float64Array, n: number): Matrix {
  const m = n - 1;
  const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => Z[a * 4 + 2]! - Z[b * 4 + 2]!);
  const out = new Float64Array(m * 4);
  const parent = new Int32Array(2 * n - 1);
  for (let i = 0; i < parent.length; i++) parent[i] = i;
  const size = new Int32Array(2 * n - 1).fill(1);
  const find = (v: number): number => {
    let root = v;
    while (parent[root] !== root) root = parent[root]!;
    while (parent[v] !== root) {
      const next = parent[v]!;
      parent[v] = root;
      v = next;
    }
    return root;
  };
  for (let i = 0; i < m; i++) {
    const r = order[i]!;
    const xr = find(Z[r * 4]!);
    const yr = find(Z[r * 4 + 1]!);
    const next = n + i;
    parent[xr] = next;
    parent[yr] = next;
    size[next] = size[xr]! + size[yr]!;
    out[i * 4] = Math.min(xr, yr);
    out[i * 4 + 1] = Math.max(xr, yr);
    out[i * 4 + 2] = Z[r * 4 + 2]!;
    out[i * 4 + 3] = size[next]!;
  }
  return { data: out, shape: [m, 4] };
}
