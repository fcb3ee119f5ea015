/**
 * t-SNE (van der Maaten and Hinton 2008) for the explorer's maps, after scikit-learn's TSNE: P from each row's
 * 3 · perplexity + 1 exact nearest neighbours (a VectorIndex search) with the precision found by bisection to the
 * perplexity, symmetrised and normalised; the layout by scikit-learn's gradient descent with early exaggeration,
 * momentum and gains, computed by the C++ core with the exact repulsion (O(n²) an iteration: for maps of up to a few
 * ten thousand points). Definitions: docs/explore.md.
 */
import { readMatrix, type MatrixLike } from '../eval/inputs.js';
import { RandomState } from '../eval/random.js';
import { tsneLayout } from '../maps/layout.js';
import { exactNeighbours } from './neighbours.js';
import { int, num, oneOf, rangeError, threadsOption, typeError } from '../validate.js';
import { principalCoordinates } from './principal.js';

export interface TsneOptions {
  /** The effective number of neighbours (default 30, scikit-learn's); less than the number of points. */
  perplexity?: number;
  /** Dimensions of the map, 1 to 3 (default 2). */
  nComponents?: number;
  /** Iterations (default 1000), the first 250 with early exaggeration. */
  nIter?: number;
  /** How much P is exaggerated early on (default 12). */
  earlyExaggeration?: number;
  /** Step size: 'auto' (default: max(n / earlyExaggeration / 4, 50), scikit-learn's) or a number. */
  learningRate?: number | 'auto';
  /** Distance in the input space: 'euclidean' (default; squared, as scikit-learn does for P) or 'cosine'. */
  metric?: 'euclidean' | 'cosine';
  /** Start: 'pca' (default: the first principal coordinates, scaled to a standard deviation of 1e-4) or 'random'. */
  init?: 'pca' | 'random';
  /** Seed of the random start (default 0). */
  seed?: number;
  /** Threads of the native pool (default: the global cap); the result does not depend on them. */
  threads?: number;
}

export interface TsneResult {
  /** n x nComponents coordinates, row-major. */
  embedding: Float64Array;
  shape: [number, number];
  /** KL(P ‖ Q) of the final map (scikit-learn's kl_divergence_, computed exactly). */
  klDivergence: number;
  nIter: number;
}

/** scikit-learn's _binary_search_perplexity over one row of (squared) neighbour distances: the conditional P. */
function conditionalRow(dist: Float64Array, out: Float64Array, perplexity: number): void {
  const desired = Math.log(perplexity);
  let beta = 1, lo = -Infinity, hi = Infinity;
  for (let step = 0; step < 100; step++) {
    let sum = 0;
    for (let j = 0; j < dist.length; j++) sum += (out[j] = Math.exp(-dist[j]! * beta));
    if (sum === 0) sum = 1e-8;
    let sumDist = 0;
    for (let j = 0; j < dist.length; j++) {
      out[j] = out[j]! / sum;
      sumDist += dist[j]! * out[j]!;
    }
    const diff = Math.log(sum) + beta * sumDist - desired;
    if (Math.abs(diff) <= 1e-5) break;
    if (diff > 0) {
      lo = beta;
      beta = hi === Infinity ? beta * 2 : (beta + hi) / 2;
    } else {
      hi = beta;
      beta = lo === -Infinity ? beta / 2 : (beta + lo) / 2;
    }
  }
}

/** A t-SNE map of the rows of `x` (see {@link TsneOptions}); the search and the optimisation run off the event loop. */
export async function tsne(x: MatrixLike, options: TsneOptions = {}): Promise<TsneResult> {
  if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
  const m = readMatrix(x, 'x', { minRows: 3 });
  const n = m.rows, d = m.cols;
  const perplexity = num(options.perplexity ?? 30, 'perplexity', { min: 0, exclusiveMin: true });
  if (perplexity >= n) throw rangeError(`a perplexity below the number of points (${n})`, 'perplexity', perplexity);
  const dim = int(options.nComponents ?? 2, 'nComponents', 1, 3);
  const nIter = int(options.nIter ?? 1000, 'nIter', 250, 100000);
  const exaggeration = num(options.earlyExaggeration ?? 12, 'earlyExaggeration', { min: 1 });
  const lr = options.learningRate === undefined || options.learningRate === 'auto' ? Math.max(n / exaggeration / 4, 50) : num(options.learningRate, 'learningRate', { min: 0, exclusiveMin: true });
  const metric = oneOf(options.metric ?? 'euclidean', 'metric', ['euclidean', 'cosine'] as const);
  const init = oneOf(options.init ?? 'pca', 'init', ['pca', 'random'] as const);
  const seed = int(options.seed ?? 0, 'seed', 0);
  const threads = threadsOption(options.threads);

  // The start (before the float64 copy of the rows is dropped).
  const start = new Float64Array(n * dim);
  if (init === 'pca' && d >= dim) {
    const p = principalCoordinates(m.data, n, d, dim);
    let mean = 0, sq = 0;
    for (let i = 0; i < n; i++) mean += p[i * dim]! / n;
    for (let i = 0; i < n; i++) sq += (p[i * dim]! - mean) ** 2 / n;
    const scale = Math.sqrt(sq) > 0 ? 1e-4 / Math.sqrt(sq) : 1e-4;
    for (let i = 0; i < n * dim; i++) start[i] = p[i]! * scale;
  } else {
    const rs = new RandomState(seed % 2 ** 32);
    const u = () => 1 - rs.randomSample(); // (0, 1]
    for (let i = 0; i < n * dim; i++) start[i] = 1e-4 * Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
  }
  // Conditional P over each row's exact neighbours (itself left out; squared euclidean distances, as scikit-learn),
  // then P = (P + Pᵀ) / sum.
  const k = Math.min(n - 1, Math.floor(3 * perplexity + 1));
  const { ids, dist: all } = await exactNeighbours(m, k + 1, metric, true);
  const sym = new Map<number, number>();
  const dist = new Float64Array(k), cond = new Float64Array(k), nb = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    let c = 0;
    for (let q = 0; q <= k && c < k; q++) {
      const j = ids[i * (k + 1) + q]!;
      if (j === i || j < 0) continue;
      dist[c] = all[i * (k + 1) + q]!;
      nb[c++] = j;
    }
    conditionalRow(dist.subarray(0, c), cond, perplexity);
    for (let q = 0; q < c; q++) {
      const j = nb[q]!;
      const a = Math.min(i, j), b = Math.max(i, j);
      sym.set(a * n + b, (sym.get(a * n + b) ?? 0) + cond[q]!);
    }
  }
  let total = 0;
  for (const v of sym.values()) total += 2 * v;
  const counts = new Int32Array(n + 1);
  for (const key of sym.keys()) {
    const a = Math.floor(key / n);
    counts[a + 1]!++;
    counts[key - a * n + 1]!++;
  }
  for (let i = 0; i < n; i++) counts[i + 1] = counts[i + 1]! + counts[i]!;
  const fill = counts.slice(0, n);
  const columns = new Int32Array(counts[n]!), values = new Float64Array(counts[n]!);
  for (const [key, v] of sym) {
    const a = Math.floor(key / n), b = key - a * n;
    const p = v / Math.max(total, 2.220446049250313e-16);
    columns[fill[a]!] = b;
    values[fill[a]!++] = p;
    columns[fill[b]!] = a;
    values[fill[b]!++] = p;
  }
  const r = await tsneLayout(start, counts, columns, values, { n, dim, iterations: nIter, exaggerationIterations: 250, exaggeration, learningRate: lr, ...(threads === undefined ? {} : { threads }) });
  return { embedding: r.embedding, shape: [n, dim], klDivergence: r.kl, nIter };
}
