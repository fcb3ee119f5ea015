/**
 * UMAP (McInnes, Healy and Melville 2018) for the explorer's 2-D maps, after umap-learn: the exact k nearest
 * neighbours from a VectorIndex, the fuzzy simplicial set (smooth k-NN distances, membership strengths, fuzzy
 * union), the curve parameters a, b fitted to `minDist` and `spread`, and the layout optimised by the C++ core
 * (`native/core/explore/umap_layout.*`), seeded, off the event loop. Definitions: docs/explore.md.
 */
import { readMatrix, type MatrixLike } from '../eval/inputs.js';
import { RandomState } from '../eval/random.js';
import { umapLayout } from '../maps/layout.js';
import { exactNeighbours } from './neighbours.js';
import { principalCoordinates } from './principal.js';
import { int, num, oneOf, rangeError, typeError } from '../validate.js';

export interface UmapOptions {
  /** Neighbours of each point in the graph (default 15). */
  nNeighbors?: number;
  /** How tightly points may pack in the map (default 0.1), at most `spread`. */
  minDist?: number;
  /** The scale of the embedded points (default 1). */
  spread?: number;
  /** Dimensions of the map (default 2). */
  nComponents?: number;
  /** Distance in the input space: 'euclidean' (default) or 'cosine'. */
  metric?: 'euclidean' | 'cosine';
  /** Optimisation epochs (default 500 up to 10,000 points, 200 above: umap-learn's). */
  nEpochs?: number;
  /** Negative samples per positive one (default 5). */
  negativeSampleRate?: number;
  /** Initial learning rate (default 1). */
  learningRate?: number;
  /** Weight of the repulsion (umap-learn's repulsion_strength, default 1). */
  repulsionStrength?: number;
  /** Initial layout: 'pca' (default: the first principal components, scaled to ±10) or 'random' (seeded, in ±10). */
  init?: 'pca' | 'random';
  /** Seed of every random draw (default 0): one seed, one map. */
  seed?: number;
  /**
   * The k nearest neighbours already found (umap-learn's `precomputed_knn`): n x k row numbers (each row's own
   * first, as an exact search gives them) and their distances in `metric`, k = nNeighbors. Saves the search when
   * the caller has one (the explorer shares it with the neighbour lists).
   */
  precomputedKnn?: { ids: Int32Array; distances: Float64Array };
}

export interface UmapResult {
  /** n x nComponents coordinates, row-major. */
  embedding: Float32Array;
  shape: [number, number];
  /** The fitted curve 1 / (1 + a d^(2b)). */
  a: number;
  b: number;
  nEpochs: number;
  /** Directed edges of the fuzzy graph optimised. */
  edges: number;
}

/** a, b of 1 / (1 + a x^(2b)) fitted by least squares (Gauss-Newton with step halving) to umap-learn's target curve. */
export function fitAB(spread: number, minDist: number): { a: number; b: number } {
  const xs = Array.from({ length: 300 }, (_, i) => (i * spread * 3) / 299);
  const ys = xs.map((x) => (x < minDist ? 1 : Math.exp(-(x - minDist) / spread)));
  const loss = (a: number, b: number) => xs.reduce((s, x, i) => s + (1 / (1 + a * x ** (2 * b)) - ys[i]!) ** 2, 0);
  let a = 1, b = 1;
  let current = loss(a, b);
  for (let it = 0; it < 200; it++) {
    // Normal equations of the 2-parameter linearisation.
    let jaa = 0, jab = 0, jbb = 0, ga = 0, gb = 0;
    xs.forEach((x, i) => {
      if (x === 0) return;
      const p = x ** (2 * b);
      const f = 1 / (1 + a * p);
      const r = f - ys[i]!;
      const da = -p * f * f;
      const db = -a * p * 2 * Math.log(x) * f * f;
      jaa += da * da;
      jab += da * db;
      jbb += db * db;
      ga += da * r;
      gb += db * r;
    });
    const det = jaa * jbb - jab * jab;
    if (!(Math.abs(det) > 0)) break;
    let sa = -(jbb * ga - jab * gb) / det, sb = -(jaa * gb - jab * ga) / det;
    let step = 1;
    let next = loss(a + sa, b + sb);
    while ((!(next < current) || a + step * sa <= 0 || b + step * sb <= 0) && step > 1e-6) {
      step /= 2;
      next = loss(a + step * sa, b + step * sb);
    }
    if (!(next < current)) break;
    sa *= step;
    sb *= step;
    a += sa;
    b += sb;
    const gain = current - next;
    current = next;
    if (gain < 1e-14) break;
  }
  return { a, b };
}

/** umap-learn's smooth_knn_dist and compute_membership_strengths: directed weights of each point's k neighbours. */
function memberships(ids: Int32Array, dist: Float64Array, n: number, k: number): Float64Array {
  const target = Math.log2(k);
  let mean = 0;
  for (const d of dist) mean += d;
  mean /= dist.length;
  const w = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    const row = dist.subarray(i * k, (i + 1) * k);
    let rho = 0;
    for (const d of row) {
      if (d > 0) {
        rho = d; // the nearest non-zero distance (local_connectivity 1)
        break;
      }
    }
    let lo = 0, hi = Infinity, mid = 1;
    for (let it = 0; it < 64; it++) {
      let psum = 0;
      for (let j = 1; j < k; j++) {
        const d = row[j]! - rho;
        psum += d > 0 ? Math.exp(-d / mid) : 1;
      }
      if (Math.abs(psum - target) < 1e-5) break;
      if (psum > target) {
        hi = mid;
        mid = (lo + hi) / 2;
      } else {
        lo = mid;
        mid = hi === Infinity ? mid * 2 : (lo + hi) / 2;
      }
    }
    let rowMean = 0;
    for (const d of row) rowMean += d;
    rowMean /= k;
    const floor = 1e-3 * (rho > 0 ? rowMean : mean);
    const sigma = Math.max(mid, floor);
    for (let j = 0; j < k; j++) {
      const id = ids[i * k + j]!;
      const d = row[j]! - rho;
      w[i * k + j] = id < 0 || id === i ? 0 : d <= 0 || sigma === 0 ? 1 : Math.exp(-d / sigma);
    }
  }
  return w;
}

/**
 * A UMAP map of the rows of `x` (a matrix as the evaluation functions take it, or Float32Array rows): see
 * {@link UmapOptions}. The neighbour search and the optimisation run natively off the event loop.
 */
export async function umap(x: MatrixLike, options: UmapOptions = {}): Promise<UmapResult> {
  if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
  const m = readMatrix(x, 'x', { minRows: 2 });
  const n = m.rows, d = m.cols;
  const k = int(options.nNeighbors ?? 15, 'nNeighbors', 2, 200);
  if (k >= n) throw rangeError(`fewer neighbours than points (${n})`, 'nNeighbors', k);
  const spread = num(options.spread ?? 1, 'spread', { min: 0, exclusiveMin: true });
  const minDist = num(options.minDist ?? 0.1, 'minDist', { min: 0, max: spread });
  const dim = int(options.nComponents ?? 2, 'nComponents', 1, 64);
  const metric = oneOf(options.metric ?? 'euclidean', 'metric', ['euclidean', 'cosine'] as const);
  const nEpochs = int(options.nEpochs ?? (n <= 10000 ? 500 : 200), 'nEpochs', 1, 100000);
  const negativeSampleRate = int(options.negativeSampleRate ?? 5, 'negativeSampleRate', 0, 1000);
  const learningRate = num(options.learningRate ?? 1, 'learningRate', { min: 0, exclusiveMin: true });
  const gamma = num(options.repulsionStrength ?? 1, 'repulsionStrength', { min: 0 });
  const init = oneOf(options.init ?? 'pca', 'init', ['pca', 'random'] as const);
  const seed = int(options.seed ?? 0, 'seed', 0);

  // 1. The initial layout, in ±10 (first: the float64 copy of the rows is dropped after it).
  const start = new Float32Array(n * dim);
  if (init === 'pca' && d >= dim && n > dim) {
    const p = principalCoordinates(m.data, n, d, dim);
    let scale = 0;
    for (const v of p) scale = Math.max(scale, Math.abs(v));
    for (let i = 0; i < n * dim; i++) start[i] = scale > 0 ? (p[i]! * 10) / scale : 0;
  } else {
    const rs = new RandomState(seed % 2 ** 32);
    for (let i = 0; i < n * dim; i++) start[i] = rs.randomSample() * 20 - 10;
  }
  // 2. The exact k nearest neighbours (the point itself first, as umap-learn's graph has it).
  const pre = options.precomputedKnn;
  if (pre !== undefined) {
    if (!(pre?.ids instanceof Int32Array) || pre.ids.length !== n * k) throw typeError(`an Int32Array of ${n} x ${k} row numbers`, 'precomputedKnn.ids', pre?.ids);
    if (!(pre.distances instanceof Float64Array) || pre.distances.length !== n * k) throw typeError(`a Float64Array of ${n} x ${k} distances`, 'precomputedKnn.distances', pre.distances);
    for (const id of pre.ids) if (!(id >= -1 && id < n)) throw rangeError(`row numbers from -1 to ${n - 1}`, 'precomputedKnn.ids', id);
  }
  const { ids, dist } = pre ? { ids: pre.ids, dist: pre.distances } : await exactNeighbours(m, k, metric, false);
  // 3. The fuzzy union A + Aᵀ − A∘Aᵀ of the directed memberships, as a symmetric edge list.
  const w = memberships(ids, dist, n, k);
  const weights = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      const t = ids[i * k + j]!, v = w[i * k + j]!;
      if (t < 0 || v === 0) continue;
      weights.set(i * n + t, v);
    }
  }
  const head: number[] = [], tail: number[] = [], strength: number[] = [];
  for (const [key, v] of weights) {
    const i = Math.floor(key / n), t = key - i * n;
    const back = weights.get(t * n + i) ?? 0;
    const u = v + back - v * back;
    head.push(i, t);
    tail.push(t, i);
    strength.push(u, u);
    if (back !== 0) weights.delete(t * n + i); // the pair is done
  }
  // 4. Sampling schedule: an edge of weight u is sampled every max / u epochs; those below max / nEpochs never.
  let max = 0;
  for (const u of strength) max = Math.max(max, u);
  const epochsPerSample = Float64Array.from(strength, (u) => (u < max / nEpochs ? -1 : max / u));
  const { a, b } = fitAB(spread, minDist);
  const embedding = await umapLayout(start, Int32Array.from(head), Int32Array.from(tail), epochsPerSample, { n, dim, epochs: nEpochs, a, b, gamma, negativeSampleRate, learningRate, seed });
  return { embedding, shape: [n, dim], a, b, nEpochs, edges: head.length };
}
