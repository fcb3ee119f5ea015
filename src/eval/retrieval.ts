/**
 * Retrieval report of a set of embeddings with class labels: every clip queries all the others (exact
 * neighbours from a VectorIndex), and the neighbours of its own class count as relevant. Definitions in
 * docs/evaluation.md, "Retrieval".
 */
import { AudiomillError } from '../errors.js';
import { VectorIndex, type VectorMetric } from '../search/vector-index.js';
import { int, oneOf, threadsOption, typeError, rangeError } from '../validate.js';
import { encodeLabels } from './splitters.js';

export type RetrievalLabel = string | number;

export interface RetrievalOptions {
  /** The cut-offs (default [1, 5, 10, 20]); each at least 1. */
  k?: readonly number[];
  /**
   * A group per row (e.g. ESC-50's `src_file`): adds a second section where a query's own group (its siblings cut
   * from one recording) neither counts nor competes: its rows are dropped from the ranking and from the relevant set.
   */
  groups?: readonly RetrievalLabel[];
  /** The similarity of arrays given as vectors (default 'cosine'); an index uses its own. */
  metric?: VectorMetric;
  threads?: number;
}

/** Means over queries (each query's value defined in docs/evaluation.md). */
export interface RetrievalScores {
  /** Queries counted: those with at least one relevant row. */
  queries: number;
  /** precision@k per cut-off, in the order of `k`. */
  precisionAtK: number[];
  recallAtK: number[];
  /** Average precision over the top k (normalised by min(k, relevant)), per cut-off. */
  mapAtK: number[];
  /** Mean reciprocal rank of the first relevant row within the top max(k) (0 when none is there). */
  mrr: number;
  /** Mean cosine distance (1 − cos) over pairs of rows of the same class, and of different classes; null without such pairs. */
  intraDistance: number | null;
  interDistance: number | null;
  /** intraDistance / interDistance (below 1: classes are tighter than the space between them); null when undefined. */
  distanceRatio: number | null;
}

export interface RetrievalClassScores extends RetrievalScores {
  label: RetrievalLabel;
  /** Rows of this class. */
  count: number;
}

export interface RetrievalSection {
  /** What a query does not see: itself, or every row of its own group. */
  exclude: 'self' | 'group';
  /** Over all counted queries. */
  overall: RetrievalScores;
  /** The mean of the per-class values over the classes with counted queries (distances: over classes where defined). */
  macro: Omit<RetrievalScores, 'queries'>;
  /** Per class, in np.unique order of the labels. */
  perClass: RetrievalClassScores[];
  /** Queries without any relevant row (a class of one, or one group): not counted in the means. */
  queriesWithoutRelevant: number;
}

export interface RetrievalReport {
  k: number[];
  metric: VectorMetric;
  rows: number;
  /** Leave-self-out. */
  self: RetrievalSection;
  /** Leave-same-group-out, when groups were given. */
  group?: RetrievalSection;
}

type Source = VectorIndex | readonly Float32Array[] | { data: Float32Array; shape: readonly number[] };

/** Rows as float32 [n, d] plus the index to search them with. */
async function indexOf(source: Source, metric: VectorMetric | undefined): Promise<{ index: VectorIndex; rows: Float32Array; n: number; dim: number }> {
  if (source instanceof VectorIndex) {
    if (metric !== undefined && metric !== source.metric) throw rangeError(`the index's own metric ('${source.metric}') or none`, 'metric', metric);
    const rows = source.vectors();
    if (rows.length / source.dim !== source.size) throw new AudiomillError('INVALID_ARGUMENT', 'the index has removed rows: build the report from an index without removals, or from the vectors');
    return { index: source, rows, n: source.size, dim: source.dim };
  }
  let rows: Float32Array;
  let dim: number;
  if (Array.isArray(source)) {
    const list = source as readonly Float32Array[];
    if (list.length === 0) throw rangeError('at least two vectors', 'embeddings', list);
    dim = list[0]!.length;
    rows = new Float32Array(list.length * dim);
    list.forEach((v, i) => {
      if (!(v instanceof Float32Array) || v.length !== dim) throw typeError(`Float32Arrays of ${dim} values`, `embeddings[${i}]`, v);
      rows.set(v, i * dim);
    });
  } else if (source !== null && typeof source === 'object' && (source as { data?: unknown }).data instanceof Float32Array) {
    const t = source as { data: Float32Array; shape: readonly number[] };
    if (t.shape.length !== 2 || t.shape[0]! * t.shape[1]! !== t.data.length) throw typeError('a [n, d] matrix whose data holds n x d values', 'embeddings.shape', t.shape);
    rows = t.data;
    dim = t.shape[1]!;
  } else throw typeError('a VectorIndex, an array of Float32Arrays or a { data, shape } matrix', 'embeddings', source);
  const index = new VectorIndex({ dim, metric: oneOf(metric ?? 'cosine', 'metric', ['cosine', 'ip', 'l2'] as const) });
  await index.add(rows);
  return { index, rows, n: rows.length / dim, dim };
}

/**
 * The retrieval report of embeddings with class labels (and optional groups): precision@k, recall@k, mAP@k and MRR
 * over every row as a query (leave-self-out, and leave-same-group-out with groups), per class and overall, with
 * the intra- to inter-class cosine distance ratio. Neighbours come from an exact VectorIndex search.
 */
export async function retrievalReport(source: Source, labels: readonly RetrievalLabel[], options: RetrievalOptions = {}): Promise<RetrievalReport> {
  if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
  if (!Array.isArray(labels)) throw typeError('an array of labels, one per row', 'labels', labels);
  const ks = options.k ?? [1, 5, 10, 20];
  if (!Array.isArray(ks) || ks.length === 0) throw typeError('a non-empty array of cut-offs', 'k', ks);
  ks.forEach((k, i) => int(k, `k[${i}]`, 1, 2 ** 31 - 1));
  const threads = threadsOption(options.threads);
  const { index, rows, n, dim } = await indexOf(source, options.metric);
  if (labels.length !== n) throw rangeError(`one label per row (${n})`, 'labels', `${labels.length} labels`);
  if (n < 2) throw rangeError('at least two rows', 'embeddings', `${n} row`);
  const encoded = encodeLabels(labels, 'labels');
  const classes = encoded.classes as RetrievalLabel[];
  const y = encoded.codes;
  let g: Int32Array | null = null;
  if (options.groups !== undefined) {
    if (!Array.isArray(options.groups) || options.groups.length !== n) throw rangeError(`one group per row (${n})`, 'groups', options.groups);
    g = encodeLabels(options.groups, 'groups').codes;
  }
  const maxK = Math.max(...ks);
  // Deep enough that after dropping the query itself (and its whole group) max(k) rows remain.
  let largestGroup = 1;
  if (g) {
    const sizes = new Map<number, number>();
    for (const v of g) sizes.set(v, (sizes.get(v) ?? 0) + 1);
    for (const size of sizes.values()) if (size > largestGroup) largestGroup = size; // no spread: it overflows the stack past ~120k values
  }
  const depth = Math.min(n, maxK + largestGroup);
  const found = await index.search(rows, depth, threads === undefined ? {} : { threads });
  const ids = found.ids as Int32Array;
  const width = found.k;
  const unit = unitRows(rows, n, dim);
  const report: RetrievalReport = { k: [...ks], metric: index.metric, rows: n, self: section('self', null) };
  if (g) report.group = section('group', g);
  return report;

  function section(exclude: 'self' | 'group', groups: Int32Array | null): RetrievalSection {
    const nc = classes.length;
    const classCount = new Float64Array(nc);
    for (const c of y) classCount[c]!++;
    // Rows of the query's own class and group (removed from its relevant set with the group).
    const sameClassGroup = new Map<number, number>();
    if (groups) for (let i = 0; i < n; i++) sameClassGroup.set(y[i]! * n + groups[i]!, (sameClassGroup.get(y[i]! * n + groups[i]!) ?? 0) + 1);
    const sums = { p: ks.map(() => new Float64Array(nc)), r: ks.map(() => new Float64Array(nc)), ap: ks.map(() => new Float64Array(nc)), rr: new Float64Array(nc), q: new Float64Array(nc) };
    let without = 0;
    const ranked = new Int32Array(maxK);
    const order = ks.map((k, t) => [k, t] as const).sort((a, b) => a[0] - b[0]);
    const hitsAt = new Float64Array(ks.length);
    const apAt = new Float64Array(ks.length);
    for (let i = 0; i < n; i++) {
      const c = y[i]!;
      const relevant = groups ? classCount[c]! - sameClassGroup.get(c * n + groups[i]!)! : classCount[c]! - 1;
      if (relevant === 0) {
        without++;
        continue;
      }
      // The ranking without the query itself (or its group), at most max(k) long.
      let m = 0;
      for (let j = 0; j < width && m < maxK; j++) {
        const r = ids[i * width + j]!;
        if (r < 0 || r === i || (groups && groups[r] === groups[i])) continue;
        ranked[m++] = r;
      }
      let hits = 0;
      let apSum = 0;
      let first = 0;
      let next = 0; // the next cut-off to record
      for (let j = 0; j < maxK; j++) {
        if (j < m && y[ranked[j]!] === c) {
          hits++;
          apSum += hits / (j + 1);
          if (first === 0) first = j + 1;
        }
        while (next < order.length && order[next]![0] === j + 1) {
          hitsAt[order[next]![1]] = hits;
          apAt[order[next]![1]] = apSum;
          next++;
        }
      }
      ks.forEach((k, t) => {
        sums.p[t]![c]! += hitsAt[t]! / k;
        sums.r[t]![c]! += hitsAt[t]! / relevant;
        sums.ap[t]![c]! += apAt[t]! / Math.min(k, relevant);
      });
      sums.rr[c]! += first > 0 ? 1 / first : 0;
      sums.q[c]!++;
    }
    const dist = distances(unit, n, dim, y, nc, groups);
    const perClass: RetrievalClassScores[] = classes.map((label, c) => ({
      label,
      count: classCount[c]!,
      ...scores(sums.q[c]!, (t) => sums.p[t]![c]!, (t) => sums.r[t]![c]!, (t) => sums.ap[t]![c]!, sums.rr[c]!, dist.intra[c]!, dist.inter[c]!),
    }));
    const total = (a: Float64Array) => a.reduce((s, v) => s + v, 0);
    const overall = scores(total(sums.q), (t) => total(sums.p[t]!), (t) => total(sums.r[t]!), (t) => total(sums.ap[t]!), total(sums.rr), dist.intraAll, dist.interAll);
    const counted = perClass.filter((p) => p.queries > 0);
    const meanOf = (f: (p: RetrievalClassScores) => number | null): number | null => {
      const vals = counted.map(f).filter((v): v is number => v !== null);
      return vals.length === 0 ? null : vals.reduce((s, v) => s + v, 0) / vals.length;
    };
    const macro = {
      precisionAtK: ks.map((_, t) => meanOf((p) => p.precisionAtK[t]!) ?? 0),
      recallAtK: ks.map((_, t) => meanOf((p) => p.recallAtK[t]!) ?? 0),
      mapAtK: ks.map((_, t) => meanOf((p) => p.mapAtK[t]!) ?? 0),
      mrr: meanOf((p) => p.mrr) ?? 0,
      intraDistance: meanOf((p) => p.intraDistance),
      interDistance: meanOf((p) => p.interDistance),
      distanceRatio: meanOf((p) => p.distanceRatio),
    };
    return { exclude, overall, macro, perClass, queriesWithoutRelevant: without };
  }

  function scores(q: number, p: (t: number) => number, r: (t: number) => number, ap: (t: number) => number, rr: number, intra: number | null, inter: number | null): RetrievalScores {
    const mean = (v: number) => (q > 0 ? v / q : 0);
    return {
      queries: q,
      precisionAtK: ks.map((_, t) => mean(p(t))),
      recallAtK: ks.map((_, t) => mean(r(t))),
      mapAtK: ks.map((_, t) => mean(ap(t))),
      mrr: mean(rr),
      intraDistance: intra,
      interDistance: inter,
      distanceRatio: intra !== null && inter !== null && inter > 0 ? intra / inter : null,
    };
  }
}

/** The rows scaled to unit length, in float64 (a zero row stays zero). */
function unitRows(rows: Float32Array, n: number, dim: number): Float64Array {
  const u = new Float64Array(n * dim);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < dim; j++) s += rows[i * dim + j]! * rows[i * dim + j]!;
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let j = 0; j < dim; j++) u[i * dim + j] = rows[i * dim + j]! * inv;
  }
  return u;
}

/**
 * Mean cosine distances within and between classes, from sums of unit vectors: the mean cosine over the pairs
 * (a, b) of two sets is (Σa)·(Σb) / (|A||B|), so no pair is visited. Pairs of a row with itself never count; with
 * groups, neither do pairs of one group.
 */
function distances(u: Float64Array, n: number, dim: number, y: Int32Array, nc: number, groups: Int32Array | null) {
  const sum = (rowsOf: (i: number) => number, k: number) => {
    const s = new Float64Array(k * dim);
    const cnt = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      const b = rowsOf(i);
      cnt[b]!++;
      for (let j = 0; j < dim; j++) s[b * dim + j]! += u[i * dim + j]!;
    }
    return { s, cnt };
  };
  const dot = (a: Float64Array, i: number, b: Float64Array, j: number) => {
    let d = 0;
    for (let t = 0; t < dim; t++) d += a[i * dim + t]! * b[j * dim + t]!;
    return d;
  };
  const byClass = sum((i) => y[i]!, nc);
  const all = sum(() => 0, 1);
  // Self pairs: Σ over rows of |u|² (1, or 0 for a zero row), per class.
  const norm2 = Float64Array.from({ length: n }, (_, i) => dot(u, i, u, i));
  const selfDot = new Float64Array(nc);
  for (let i = 0; i < n; i++) selfDot[y[i]!]! += norm2[i]!;
  // With groups: the same sums per (class, group) and per group.
  let cg: { s: Float64Array; cnt: Float64Array } | null = null;
  let gs: { s: Float64Array; cnt: Float64Array } | null = null;
  let keys: Map<number, number> | null = null;
  let slotSelf: Float64Array | null = null;
  if (groups) {
    let ng = 1;
    for (let i = 0; i < n; i++) if (groups[i]! + 1 > ng) ng = groups[i]! + 1; // no Math.max(...groups): it overflows the stack past ~120k rows
    keys = new Map();
    for (let i = 0; i < n; i++) if (!keys.has(y[i]! * ng + groups[i]!)) keys.set(y[i]! * ng + groups[i]!, keys.size);
    const k2 = keys;
    cg = sum((i) => k2.get(y[i]! * ng + groups[i]!)!, keys.size);
    gs = sum((i) => groups[i]!, ng);
    slotSelf = new Float64Array(keys.size);
    for (let i = 0; i < n; i++) slotSelf[k2.get(y[i]! * ng + groups[i]!)!]! += norm2[i]!;
  }
  const intraNum = new Float64Array(nc);
  const intraCnt = new Float64Array(nc);
  const interNum = new Float64Array(nc);
  const interCnt = new Float64Array(nc);
  for (let c = 0; c < nc; c++) {
    const nC = byClass.cnt[c]!;
    intraNum[c] = dot(byClass.s, c, byClass.s, c) - selfDot[c]!;
    intraCnt[c] = nC * nC - nC;
    let cross = 0;
    for (let t = 0; t < dim; t++) cross += byClass.s[c * dim + t]! * (all.s[t]! - byClass.s[c * dim + t]!);
    interNum[c] = cross;
    interCnt[c] = nC * (n - nC);
  }
  if (groups && cg && gs && keys && slotSelf) {
    const ng = gs.cnt.length;
    for (const [key, slot] of keys) {
      const c = Math.floor(key / ng);
      const grp = key % ng;
      const m = cg.cnt[slot]!;
      // Same class, same group, different rows: removed from the intra pairs (self pairs were removed already).
      let selfIn = 0;
      for (let t = 0; t < dim; t++) selfIn += cg.s[slot * dim + t]! * cg.s[slot * dim + t]!;
      intraNum[c]! -= selfIn - slotSelf[slot]!;
      intraCnt[c]! -= m * m - m;
      // Other classes in the same group: removed from the inter pairs.
      let cross = 0;
      for (let t = 0; t < dim; t++) cross += cg.s[slot * dim + t]! * (gs.s[grp * dim + t]! - cg.s[slot * dim + t]!);
      interNum[c]! -= cross;
      interCnt[c]! -= m * (gs.cnt[grp]! - m);
    }
  }
  const mean = (num: number, cnt: number) => (cnt > 0 ? 1 - num / cnt : null);
  const total = (a: Float64Array) => a.reduce((s, v) => s + v, 0);
  return {
    intra: Array.from(intraNum, (v, c) => mean(v, intraCnt[c]!)),
    inter: Array.from(interNum, (v, c) => mean(v, interCnt[c]!)),
    intraAll: mean(total(intraNum), total(intraCnt)),
    interAll: mean(total(interNum), total(interCnt)),
  };
}
