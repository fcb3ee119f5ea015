/**
 * `audiomill eval probe`: a linear probe of an `audiomill embed` output folder: Ridge (numeric targets) or
 * LogisticRegression (labels) cross-validated on the embeddings, targets, groups and folds taken from columns
 * of its index.parquet; written as JSON (with the run's config) and CSV, shown as Markdown.
 */
import { join } from 'node:path';
import { packageFile } from '../dsp/runtime.js';
import { evaluationConfig, indexColumn, isMissing, readEmbeddings } from '../embed/read.js';
import { OutputTransaction } from '../io/transaction.js';
import { int, num, oneOf, rangeError, typeError } from '../validate.js';
import type { Scoring } from './cross-validate.js';
import type { ProbeOutcome, ProbeTask } from './probe-task.js';
import { taskWorker, type TaskWorker } from './task-worker.js';
import { predefinedSplit, type Fold } from './splitters.js';

export interface EvaluateProbeOptions {
  /** An `audiomill embed` output folder. */
  dir: string;
  /** The index.parquet columns to predict, one probe each. */
  targets: readonly string[];
  /** 'ridge' for numeric targets, 'logistic' for labels (default: ridge when every target value is a number). */
  model?: 'ridge' | 'logistic';
  /** Ridge: one penalty (default 1), or several: RidgeCV chooses among them inside each training fold (leave-one-out). */
  alphas?: readonly number[];
  /** LogisticRegression's inverse penalty (default 1). */
  C?: number;
  /**
   * The folds: 'kfold:<k>' (stratified for logistic; group k-fold with groups), 'logo' (leave one group out), or
   * the name of a column holding each row's test fold (ESC-50's `fold`; -1 or empty: always trained on).
   * Default 'kfold:5'.
   */
  cv?: string;
  /** A column with each row's group (a source recording, a performer): rows of one group never straddle a split. */
  groups?: string;
  /** Shuffle the k-fold rows first, seeded. */
  seed?: number;
  /** Standardise each fold's features on its training rows (default true, as the piano audit's probes). */
  standardize?: boolean;
  /** Where probe.json and probe.csv go (default: `<dir>/eval`). */
  out?: string;
}

export interface ProbeTargetResult {
  target: string;
  model: 'ridge' | 'logistic';
  rows: number;
  skippedRows: number;
  /** Per scoring: the fold scores, their mean and std, and the pooled score of all out-of-fold predictions. */
  scores: Record<string, { folds: number[]; mean: number; std: number; pooled: number }>;
}

export interface EvaluateProbeResult {
  results: ProbeTargetResult[];
  files: string[];
  markdown: string;
}

/** A worker thread that runs probes off the event loop (probe-worker.ts), one task at a time. */
export function probeWorker(): TaskWorker<ProbeTask, ProbeOutcome> {
  return taskWorker<ProbeTask, ProbeOutcome>(packageFile('dist', 'cjs', 'eval', 'probe-worker.js'), 'probe');
}

export async function evaluateProbe(options: EvaluateProbeOptions): Promise<EvaluateProbeResult> {
  if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
  if (!Array.isArray(options.targets) || options.targets.length === 0) throw typeError('one or more target columns', 'targets', options.targets);
  const folder = await readEmbeddings(options.dir);
  const cv = options.cv ?? 'kfold:5';
  if (typeof cv !== 'string' || cv === '') throw typeError("'kfold:<k>', 'logo' or a fold column", 'cv', cv);
  const kfold = /^kfold:(\d+)$/.exec(cv);
  const k = kfold ? int(Number(kfold[1]), 'cv', 2) : null;
  const groups = options.groups === undefined ? null : indexColumn(folder, options.groups, 'groups');
  if (cv === 'logo' && groups === null) throw typeError("groups (a column) with cv 'logo'", 'groups', undefined);
  const foldColumn = k === null && cv !== 'logo' ? indexColumn(folder, cv, 'cv') : null;
  const alphas = options.alphas ?? [1];
  if (!Array.isArray(alphas) || alphas.length === 0) throw typeError('one or more penalties', 'alphas', alphas);
  alphas.forEach((a, i) => num(a, `alphas[${i}]`, { min: 0 }));
  const C = num(options.C ?? 1, 'C', { min: 0, exclusiveMin: true });
  if (options.seed !== undefined) {
    int(options.seed, 'seed', 0, 0xffffffff);
    if (k === null || groups !== null) throw rangeError("a seed only with cv 'kfold:<k>' and no groups (the other folds are not shuffled)", 'seed', options.seed);
  }
  const results: ProbeTargetResult[] = [];
  const worker = probeWorker();
  try {
    for (const target of options.targets) {
      const values = indexColumn(folder, target, 'targets');
      const keep: number[] = [];
      for (let i = 0; i < folder.rows; i++) if (!isMissing(values[i]) && (groups === null || !isMissing(groups[i])) && (foldColumn === null || !isMissing(foldColumn[i]))) keep.push(i);
      if (keep.length < 2) throw rangeError('at least two rows with a value', `targets (${target})`, `${keep.length} rows`);
      const numeric = keep.every((i) => typeof values[i] === 'number');
      const model = options.model === undefined ? (numeric ? 'ridge' : 'logistic') : oneOf(options.model, 'model', ['ridge', 'logistic'] as const);
      if (model === 'ridge' && !numeric) throw rangeError('a column of numbers for a ridge probe (use model logistic for labels)', 'targets', target);
      const d = folder.dim;
      const x = new Float64Array(keep.length * d);
      keep.forEach((r, i) => {
        for (let j = 0; j < d; j++) x[i * d + j] = folder.vectors[r * d + j]!;
      });
      const y = model === 'ridge' ? Float64Array.from(keep, (r) => values[r] as number) : keep.map((r) => values[r] as string | number);
      let folds: 'logo' | number | Fold[];
      if (foldColumn !== null) {
        const test = keep.map((r) => foldColumn[r]);
        if (!test.every((v) => typeof v === 'number' && Number.isInteger(v))) throw rangeError('a column of whole fold numbers (-1: always trained on)', 'cv', cv);
        folds = predefinedSplit(test as number[]);
      } else folds = cv === 'logo' ? 'logo' : k!;
      const binary = model === 'logistic' && new Set(y as unknown[]).size === 2;
      const scoring: Scoring[] = model === 'ridge' ? ['r2', 'neg_mean_squared_error'] : ['accuracy', 'balanced_accuracy', 'f1_macro', ...(binary ? (['roc_auc'] as Scoring[]) : [])];
      const { scores } = await worker.run({
        x,
        shape: [keep.length, d],
        y,
        model,
        alphas: [...alphas],
        C,
        folds,
        ...(groups ? { groups: keep.map((i) => groups[i] as string | number) } : {}),
        scoring,
        standardize: options.standardize ?? true,
        ...(options.seed !== undefined ? { randomState: options.seed } : {}),
      });
      results.push({ target, model, rows: keep.length, skippedRows: folder.rows - keep.length, scores });
    }
  } finally {
    await worker.close();
  }
  const config = evaluationConfig('eval probe', folder, { targets: options.targets, model: options.model ?? null, alphas, C, cv, groups: options.groups ?? null, seed: options.seed ?? null, standardize: options.standardize ?? true });
  const out = options.out ?? join(options.dir, 'eval');
  const files = await OutputTransaction.run(out, async (tx) => {
    await tx.writeFile('probe.json', JSON.stringify({ config, results }, null, 2) + '\n');
    await tx.writeFile('probe.csv', probeCsv(results));
    return ['probe.json', 'probe.csv'].map((f) => join(out, f));
  });
  return { results, files, markdown: probeMarkdown(results) };
}

function checkResults(results: readonly ProbeTargetResult[]): void {
  if (!Array.isArray(results) || results.some((r) => r === null || typeof r !== 'object' || typeof r.scores !== 'object')) throw typeError('the results of evaluateProbe', 'results', results);
}

/** One CSV row per target, scoring and fold (fold 'mean', 'std' and 'pooled' rows after the folds). */
export function probeCsv(results: readonly ProbeTargetResult[]): string {
  checkResults(results);
  const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = ['target,model,scoring,fold,value'];
  for (const r of results)
    for (const [s, v] of Object.entries(r.scores)) {
      v.folds.forEach((f, i) => lines.push([quote(r.target), r.model, s, i, f].join(',')));
      lines.push([quote(r.target), r.model, s, 'mean', v.mean].join(','), [quote(r.target), r.model, s, 'std', v.std].join(','), [quote(r.target), r.model, s, 'pooled', v.pooled].join(','));
    }
  return lines.join('\n') + '\n';
}

/** A Markdown table: one row per target and scoring, with mean ± std over the folds and the pooled score. */
export function probeMarkdown(results: readonly ProbeTargetResult[]): string {
  checkResults(results);
  const lines = ['| target | model | rows | scoring | folds | mean ± std | pooled |', '| --- | --- | ---: | --- | ---: | ---: | ---: |'];
  for (const r of results)
    for (const [s, v] of Object.entries(r.scores)) lines.push(`| ${r.target} | ${r.model} | ${r.rows} | ${s} | ${v.folds.length} | ${v.mean.toFixed(4)} ± ${v.std.toFixed(4)} | ${v.pooled.toFixed(4)} |`);
  return lines.join('\n');
}
