/**
 * Label-issue candidates, in the manner of confident learning (Northcutt, Jiang and Chuang, 2021; cleanlab's
 * `find_label_issues` with its default "self-confidence" ranking): every clip's out-of-fold class probabilities
 * p(j | x), from
 *
 * - `probe` (default): a logistic regression (C = 1, standardised features, at most 100 L-BFGS iterations:
 *   scikit-learn's defaults) under stratified group k-fold, so no
 *   clip is scored by a model that saw it or its group (a duplicate group, or the `groups` given) — the evaluation's
 *   `crossValidate`, in a worker thread;
 * - `knn`: the label shares among the clip's k nearest other clips outside its group (cosine, exact `VectorIndex`
 *   search), weighted by similarity — no training, for classes too small to be split into folds.
 *
 * Per class j, the threshold t_j is the mean p(j | x) over the clips labelled j. A clip labelled i is an issue when
 * some other class j has p(j | x) ≥ t_j and beats p(i | x) (it falls off the diagonal of the confident joint); its
 * suggested label is the class of highest probability. Every clip gets `score` = 1 − p(i | x), so a ranking by
 * score puts the likeliest mistakes first.
 */
import { isMissing } from '../embed/read.js';
import { probeWorker } from '../eval/probe-run.js';
import { stratifiedGroupKFold, stratifiedKFold } from '../eval/splitters.js';
import { readMatrix } from '../eval/inputs.js';
import { VectorIndex } from '../search/vector-index.js';
import { int, oneOf, rangeError, typeError } from '../validate.js';

export interface LabelIssuesOptions {
  /** 'probe' (default) or 'knn'. */
  method?: 'probe' | 'knn';
  /** Folds of the probe (default 5; fewer when the smallest class has fewer members, at least 2). */
  folds?: number;
  /** A group per row: a group's rows share a fold (duplicates, source files). */
  groups?: readonly (string | number)[];
  /** Neighbours for 'knn' (default 10). */
  k?: number;
  /** Seed of the folds' shuffle (default 0). */
  seed?: number;
}

export interface LabelIssuesResult {
  method: 'probe' | 'knn';
  classes: string[];
  /** Per row: 1 − the out-of-fold probability of its own label (higher: likelier wrong); NaN for a row without a label. */
  score: Float64Array;
  /** Per row: the most probable class (null without a label). */
  suggested: (string | null)[];
  /** Per row: 1 when the row is off the confident joint's diagonal. */
  issue: Uint8Array;
  /** [n, classes] out-of-fold probabilities (rows without a label: NaN). */
  probabilities: Float64Array;
  /** Rows by score, highest first (labelled rows only). */
  ranking: Int32Array;
  perClass: { label: string; rows: number; issues: number; threshold: number }[];
  /** Folds used by the probe. */
  folds?: number;
}


export async function findLabelIssues(embeddings: { data: ArrayLike<number>; shape: readonly number[] }, labels: readonly unknown[], options: LabelIssuesOptions = {}): Promise<LabelIssuesResult> {
  if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
  const m = readMatrix(embeddings, 'embeddings', { minRows: 2 });
  const n = m.rows, d = m.cols;
  if (!Array.isArray(labels) || labels.length !== n) throw rangeError(`${n} labels, one per row`, 'labels', Array.isArray(labels) ? `${labels.length} labels` : labels);
  const method = oneOf(options.method ?? 'probe', 'method', ['probe', 'knn'] as const);
  const k = int(options.k ?? 10, 'k', 1, 1000);
  const seed = int(options.seed ?? 0, 'seed', 0, 2 ** 32 - 1);
  if (options.groups !== undefined && (!Array.isArray(options.groups) || options.groups.length !== n)) throw rangeError(`${n} groups, one per row`, 'groups', options.groups);
  const rows: number[] = [];
  for (let i = 0; i < n; i++) if (!isMissing(labels[i])) rows.push(i);
  const text = labels.map((l) => (isMissing(l) ? null : String(l)));
  const classes = [...new Set(rows.map((i) => text[i]!))].sort();
  const C = classes.length;
  if (C < 2) throw rangeError('labels of at least two classes', 'labels', `${C} class`);
  const code = new Map(classes.map((c, j) => [c, j]));
  const y = rows.map((i) => code.get(text[i]!)!);
  const probabilities = new Float64Array(n * C).fill(NaN);
  let folds: number | undefined;

  if (method === 'probe') {
    const smallest = Math.min(...classes.map((_, j) => y.filter((v) => v === j).length));
    // Folds need every class in at least two groups (each fold's training rows must hold every class).
    const groupsPerClass = options.groups ? Math.min(...classes.map((_, j) => new Set(rows.filter((_, r) => y[r] === j).map((i) => options.groups![i])).size)) : smallest;
    folds = Math.min(int(options.folds ?? 5, 'folds', 2, 100), smallest, groupsPerClass);
    if (folds < 2) throw rangeError(`every class in at least 2 rows and 2 groups for the probe (use method 'knn')`, 'labels', `a class with ${Math.min(smallest, groupsPerClass)}`);
    const x = new Float64Array(rows.length * d);
    rows.forEach((i, r) => x.set(m.data.subarray(i * d, (i + 1) * d), r * d));
    const ys = rows.map((i) => text[i]!);
    const groups = options.groups ? rows.map((i) => options.groups![i]!) : null;
    const cv = groups ? stratifiedGroupKFold(ys, groups, { nSplits: folds, shuffle: true, randomState: seed }) : stratifiedKFold(ys, { nSplits: folds, shuffle: true, randomState: seed });
    const worker = probeWorker();
    try {
      const out = await worker.run({ x, shape: [rows.length, d], y: ys, model: 'logistic', alphas: [], C: 1, maxIter: 100, warnings: false, folds: [...cv], scoring: ['accuracy'], standardize: true, probabilities: true });
      const p = out.probabilities!;
      const col = p.classes.map((c) => code.get(String(c))!);
      rows.forEach((i, r) => {
        for (let j = 0; j < p.shape[1]; j++) probabilities[i * C + col[j]!] = p.data[r * p.shape[1] + j]!;
      });
    } finally {
      await worker.close();
    }
  } else {
    const x = new Float32Array(rows.length * d);
    rows.forEach((i, r) => {
      for (let j = 0; j < d; j++) x[r * d + j] = m.data[i * d + j]!;
    });
    const index = new VectorIndex({ dim: d, metric: 'cosine' });
    await index.add(x);
    // With groups, a row's own group (its duplicates) does not vote: search further and skip them.
    const group = options.groups ? rows.map((i) => options.groups![i]!) : null;
    let largest = 1;
    if (group) {
      const sizes = new Map<unknown, number>();
      for (const g of group) sizes.set(g, (sizes.get(g) ?? 0) + 1);
      for (const v of sizes.values()) largest = Math.max(largest, v);
    }
    const kk = Math.min(k + (group ? largest - 1 : 0), rows.length - 1);
    const found = await index.search(x, kk, { excludeSelf: true });
    const ids = found.ids as Int32Array;
    rows.forEach((i, r) => {
      const p = new Float64Array(C);
      let total = 0, used = 0;
      for (let j = 0; j < kk && used < k; j++) {
        const id = ids[r * kk + j]!;
        if (id < 0 || (group && group[id] === group[r])) continue;
        used++;
        const w = Math.max(0, found.scores[r * kk + j]!) + 1e-6;
        p[y[id]!] = p[y[id]!]! + w;
        total += w;
      }
      for (let c = 0; c < C; c++) probabilities[i * C + c] = total > 0 ? p[c]! / total : 1 / C;
    });
  }

  // Confident-learning thresholds and the off-diagonal rows.
  const thresholds = classes.map((_, j) => {
    let s = 0, c = 0;
    rows.forEach((i, r) => {
      if (y[r] === j) (s += probabilities[i * C + j]!), c++;
    });
    return c ? s / c : 1;
  });
  const score = new Float64Array(n).fill(NaN);
  const suggested: (string | null)[] = new Array(n).fill(null);
  const issue = new Uint8Array(n);
  const perClass = classes.map((label, j) => ({ label, rows: 0, issues: 0, threshold: thresholds[j]! }));
  rows.forEach((i, r) => {
    const own = y[r]!;
    let best = 0;
    for (let c = 1; c < C; c++) if (probabilities[i * C + c]! > probabilities[i * C + best]!) best = c;
    score[i] = 1 - probabilities[i * C + own]!;
    suggested[i] = classes[best]!;
    perClass[own]!.rows++;
    for (let c = 0; c < C; c++) {
      if (c !== own && probabilities[i * C + c]! >= thresholds[c]! && probabilities[i * C + c]! > probabilities[i * C + own]!) {
        issue[i] = 1;
        perClass[own]!.issues++;
        break;
      }
    }
  });
  const ranking = Int32Array.from(rows).sort((a, b) => score[b]! - score[a]! || a - b);
  return { method, classes, score, suggested, issue, probabilities, ranking, perClass, ...(folds !== undefined ? { folds } : {}) };
}
