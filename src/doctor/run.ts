/**
 * `runDoctor` (`audiomill doctor`): a manifest's duplicates and near-duplicates (and the leakage across splits
 * they cause), label-issue candidates, outliers and band-limited recordings, in one pass over the audio; a
 * Markdown report, `doctor.json`, and a copy of the manifest with a column per finding (docs/doctor.md).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { embeddingRowsFor, isMissing, readEmbeddings } from '../embed/read.js';
import { audiomillVersion } from '../dsp/runtime.js';
import { AudiomillError } from '../errors.js';
import { formatCsv } from '../io/csv.js';
import { columnsOf, writeTable, type Column } from '../io/table.js';
import { LABEL_COLUMNS, manifestRows, rowLabel } from '../manifest/clips.js';
import type { Row } from '../manifest/build.js';
import { int, oneOf, rangeError, typeError } from '../validate.js';
import { analyseClips } from './analyse.js';
import { groupDuplicates, UnionFind, type DuplicatesResult } from './duplicates.js';
import { findLabelIssues, type LabelIssuesResult } from './label-issues.js';
import { findOutliers, type OutliersResult } from './outliers.js';

export interface DoctorOptions {
  /** A manifest table (from `audiomill manifest`) or its rows. */
  manifest: string | readonly Row[];
  /** An `audiomill embed` folder for the label issues and outliers (default: builtin:logmel-stats, computed here). */
  embeddings?: string;
  /** The folder the table's relative paths start from (default: the manifest's root). */
  root?: string;
  /** The class column (default: label, category, class, class_name, Annotation or target, the first present). */
  label?: string | null;
  /** The split or fold column leakage is judged on (default: `split` when present). */
  splitColumn?: string | null;
  /** A column whose rows must share a fold in the label-issue probe (e.g. `src_file`), besides duplicate groups. */
  groupColumn?: string;
  /** 'probe' (default) or 'knn' (docs/doctor.md). */
  labelMethod?: 'probe' | 'knn';
  /** Near-duplicates: a fingerprint match's bit error rate at most this (default 0.25). */
  maxBer?: number;
  /** Neighbours of the outlier score (default 10). */
  k?: number;
  /** Output folder (report.md, doctor.json, the manifest copy); none: nothing written. */
  out?: string;
  /** 'group': also write groups.csv (path, doctor_group) for `audiomill manifest --metadata ... --group doctor_group`. */
  fix?: 'group';
  includeErrors?: boolean;
  progress?: (p: { stage: string; done: number; total: number }) => void;
  signal?: AbortSignal;
}

export interface DoctorResult {
  rows: number;
  columns: string[];
  duplicates: DuplicatesResult;
  labelIssues: LabelIssuesResult | null;
  outliers: OutliersResult | null;
  bandLimited: number[];
  /** The manifest's rows with the doctor's columns. */
  table: Row[];
  failed: { row: number; error: string }[];
  warnings: string[];
  report: string;
  files: string[];
  elapsedSeconds: number;
}

export const DOCTOR_COLUMNS = ['content_hash', 'duplicate_group', 'duplicate_of', 'near_duplicate_score', 'label_issue_score', 'suggested_label', 'outlier_score', 'bandwidth_hz', 'band_limited'] as const;

const DOCTOR_TYPES: Column[] = [
  { name: 'content_hash', type: 'string' },
  { name: 'duplicate_group', type: 'int' },
  { name: 'duplicate_of', type: 'string' },
  { name: 'near_duplicate_score', type: 'float' },
  { name: 'label_issue_score', type: 'float' },
  { name: 'suggested_label', type: 'string' },
  { name: 'outlier_score', type: 'float' },
  { name: 'bandwidth_hz', type: 'int' },
  { name: 'band_limited', type: 'bool' },
];

const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(1)} %` : '0 %');

export async function runDoctor(options: DoctorOptions): Promise<DoctorResult> {
  const started = performance.now();
  if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
  const m = await manifestRows(options.manifest, { ...(options.root !== undefined ? { root: options.root } : {}), ...(options.includeErrors ? { includeErrors: true } : {}) });
  const { rows, columns, root } = m;
  const n = rows.length;
  const has = (c: string) => columns.includes(c);
  const unknown = (c: string, option: string) => rangeError(`a column of the manifest (${columns.join(', ')})`, option, c);
  const label = options.label === null ? null : (options.label ?? LABEL_COLUMNS.find(has) ?? null);
  if (label !== null && !has(label)) throw unknown(label, 'label');
  const splitColumn = options.splitColumn === null ? null : (options.splitColumn ?? (has('split') ? 'split' : null));
  if (splitColumn !== null && !has(splitColumn)) throw unknown(splitColumn, 'splitColumn');
  if (options.groupColumn !== undefined && !has(options.groupColumn)) throw unknown(options.groupColumn, 'groupColumn');
  if (options.fix !== undefined && options.fix !== 'group') throw rangeError("'group'", 'fix', options.fix);
  // Every option checked before the audio pass.
  if (options.maxBer !== undefined && !(typeof options.maxBer === 'number' && options.maxBer > 0 && options.maxBer < 0.5)) throw rangeError('a bit error rate in (0, 0.5)', 'maxBer', options.maxBer);
  if (options.k !== undefined) int(options.k, 'k', 1, 1000);
  if (options.labelMethod !== undefined) oneOf(options.labelMethod, 'labelMethod', ['probe', 'knn'] as const);
  if (n === 0) throw new AudiomillError('EMPTY', `the manifest has no rows to examine${typeof options.manifest === 'string' ? ` (${options.manifest})` : ''}`, typeof options.manifest === 'string' ? { path: options.manifest } : {});
  const warnings: string[] = [];
  if (m.skipped.length) warnings.push(`${m.skipped.length} manifest rows with had_error were left out (and are not in the copy); --include-errors examines them`);
  const stage = (name: string) => (p: { done: number; total: number }) => options.progress?.({ stage: name, ...p });

  // Embeddings given: one per row, joined by path and span.
  let given: { data: Float32Array; shape: [number, number]; has: Uint8Array } | null = null;
  if (options.embeddings !== undefined) {
    const e = await readEmbeddings(options.embeddings);
    const at = embeddingRowsFor(e, rows);
    const data = new Float32Array(n * e.dim), present = new Uint8Array(n);
    at.forEach((j, i) => {
      if (j < 0) return;
      data.set(e.vectors.subarray(j * e.dim, (j + 1) * e.dim), i * e.dim);
      present[i] = 1;
    });
    const missing = n - present.reduce((s, v) => s + v, 0);
    if (missing) warnings.push(`${missing} of ${n} rows have no usable embedding in ${options.embeddings} (none, or all zeros): no label-issue or outlier score for them`);
    given = { data, shape: [n, e.dim], has: present };
  }

  const analysis = await analyseClips({ rows, root, embed: given === null, progress: stage('audio'), ...(options.signal ? { signal: options.signal } : {}) });
  if (options.signal?.aborted) throw new AudiomillError('ABORTED', 'doctor stopped while reading the audio; nothing was written', options.out ? { path: options.out } : {});
  const failed = new Set(analysis.failed.map((f) => f.row));
  if (analysis.failed.length) warnings.push(`${analysis.failed.length} rows could not be read (first: ${rowLabel(rows[analysis.failed[0]!.row]!)}: ${analysis.failed[0]!.error})`);

  // Duplicates and leakage.
  const splits = splitColumn ? splitsOf(rows, splitColumn) : undefined;
  const duplicates = await groupDuplicates(analysis.hashes, analysis.prints, { silent: analysis.silent, ...(options.maxBer !== undefined ? { maxBer: options.maxBer } : {}), ...(splits ? { splits } : {}) });
  const silentRows = analysis.silent.reduce((s, v) => s + v, 0);
  if (silentRows) warnings.push(`${silentRows} rows are digital silence (every sample 0): not grouped as duplicates of each other`);

  // Label issues and outliers over the rows with an embedding.
  const emb = given ?? analysis.embeddings ?? null;
  // Rows with a usable embedding (a folder's rows were checked when joined; the built-in one's are made only for clips long enough).
  const usable = emb ? [...Array(n).keys()].filter((i) => emb.has[i] && !failed.has(i)) : [];
  const unusable = n - failed.size - usable.length;
  if (!given && emb && unusable > 0) warnings.push(`${unusable} rows have no usable embedding (shorter than 25 ms): no label-issue or outlier score for them`);
  let labelIssues: LabelIssuesResult | null = null;
  let outliers: OutliersResult | null = null;
  if (emb && usable.length >= 3) {
    const d = emb.shape[1];
    const sub = { data: new Float32Array(usable.length * d), shape: [usable.length, d] as [number, number] };
    usable.forEach((i, r) => sub.data.set(emb.data.subarray(i * d, (i + 1) * d), r * d));
    const liftScores = <T extends Float64Array>(values: T, fill: number): Float64Array => {
      const out = new Float64Array(n).fill(fill);
      usable.forEach((i, r) => (out[i] = values[r]!));
      return out;
    };
    options.progress?.({ stage: 'outliers', done: 0, total: 1 });
    const o = await findOutliers(sub, { ...(options.k !== undefined ? { k: options.k } : {}) });
    outliers = { k: o.k, kDistance: liftScores(o.kDistance, NaN), score: liftScores(o.score, NaN), ranking: Int32Array.from(o.ranking, (r) => usable[r]!) };
    options.progress?.({ stage: 'outliers', done: 1, total: 1 });
    if (label !== null) {
      const labels = usable.map((i) => rows[i]![label]);
      const classes = new Set(labels.filter((l) => !isMissing(l)).map(String));
      // Folds keep duplicate groups (and the group column's values) together.
      const groups = options.groupColumn ? mergeGroups(usable.map((i) => rows[i]![options.groupColumn!]), usable.map((i) => duplicates.group[i]!)) : usable.map((i) => (duplicates.group[i]! >= 0 ? `dup:${duplicates.group[i]}` : `row:${i}`));
      const lift = (l: LabelIssuesResult): LabelIssuesResult => {
        const C = l.classes.length;
        const suggested: (string | null)[] = new Array(n).fill(null);
        const issue = new Uint8Array(n);
        const probabilities = new Float64Array(n * C).fill(NaN);
        usable.forEach((i, r) => {
          suggested[i] = l.suggested[r]!;
          issue[i] = l.issue[r]!;
          probabilities.set(l.probabilities.subarray(r * C, (r + 1) * C), i * C);
        });
        return { ...l, score: liftScores(l.score, NaN), suggested, issue, probabilities, ranking: Int32Array.from(l.ranking, (r) => usable[r]!) };
      };
      if (classes.size < 2) warnings.push(`the label column '${label}' holds ${classes.size} class${classes.size === 1 ? '' : 'es'} among the rows with embeddings: no label issues`);
      else {
        options.progress?.({ stage: 'label issues', done: 0, total: 1 });
        try {
          labelIssues = lift(await findLabelIssues(sub, labels, { method: options.labelMethod ?? 'probe', groups }));
        } catch (err) {
          // Classes too small, or held by too few groups, cannot be split into folds: k-NN needs no training.
          const foldable = err instanceof RangeError || (err instanceof AudiomillError && err.code === 'UNDEFINED_METRIC');
          if (!(foldable && (options.labelMethod ?? 'probe') === 'probe')) throw err;
          warnings.push(`label issues by k-NN instead of the probe: ${err.message}`);
          labelIssues = lift(await findLabelIssues(sub, labels, { method: 'knn', groups }));
        }
        options.progress?.({ stage: 'label issues', done: 1, total: 1 });
      }
    } else warnings.push('no label column: no label issues (name one with --label)');
  } else warnings.push('fewer than 3 rows with embeddings: no label issues or outliers');

  const bandLimited = [...Array(n).keys()].filter((i) => analysis.bandwidth[i]?.limited);
  const table: Row[] = rows.map((r, i) => ({
    ...r,
    content_hash: analysis.hashes[i],
    duplicate_group: duplicates.group[i]! >= 0 ? duplicates.group[i] : null,
    duplicate_of: duplicates.duplicateOf[i]! >= 0 ? rowLabel(rows[duplicates.duplicateOf[i]!]!) : null,
    near_duplicate_score: Number(duplicates.score[i]!.toFixed(4)),
    label_issue_score: labelIssues && Number.isFinite(labelIssues.score[i]!) ? Number(labelIssues.score[i]!.toFixed(4)) : null,
    suggested_label: labelIssues?.suggested[i] ?? null,
    outlier_score: outliers && Number.isFinite(outliers.score[i]!) ? Number(outliers.score[i]!.toFixed(4)) : null,
    bandwidth_hz: analysis.bandwidth[i]?.hz ?? null,
    band_limited: analysis.bandwidth[i] ? analysis.bandwidth[i]!.limited : null,
  }));
  const report = doctorReport({ rows, n, label, splitColumn, duplicates, labelIssues, outliers, bandLimited, analysis, warnings });
  const files: string[] = [];
  if (options.out !== undefined) {
    const out = options.out;
    await mkdir(out, { recursive: true });
    const src = typeof options.manifest === 'string' ? options.manifest : 'manifest.parquet';
    const ext = ['.parquet', '.csv', '.tsv', '.jsonl'].includes(extname(src).toLowerCase()) ? extname(src).toLowerCase() : '.parquet';
    const copy = join(out, `${basename(src, extname(src))}.doctor${ext}`);
    await writeTable(copy, table, columnsOf(table, [...columns.filter((c) => !(DOCTOR_COLUMNS as readonly string[]).includes(c)), ...DOCTOR_TYPES]));
    files.push(copy);
    const json = join(out, 'doctor.json');
    await writeFile(json, JSON.stringify(doctorJson({ options, root, rows, n, label, splitColumn, duplicates, labelIssues, outliers, bandLimited, analysis, warnings }), null, 2) + '\n');
    files.push(json);
    await writeFile(join(out, 'report.md'), report);
    files.push(join(out, 'report.md'));
    if (options.fix === 'group') {
      const groupsCsv = join(out, 'groups.csv');
      await writeFile(groupsCsv, groupsTable(rows, duplicates));
      files.push(groupsCsv);
    }
  }
  return { rows: n, columns: [...DOCTOR_COLUMNS], duplicates, labelIssues, outliers, bandLimited, table, failed: analysis.failed, warnings, report, files, elapsedSeconds: Number(((performance.now() - started) / 1000).toFixed(2)) };
}

export interface FindDuplicatesOptions {
  manifest: string | readonly Row[];
  root?: string;
  /** The split or fold column leakage is judged on (default: `split` when present; null: none). */
  splitColumn?: string | null;
  maxBer?: number;
  includeErrors?: boolean;
  progress?: (p: { done: number; total: number }) => void;
  signal?: AbortSignal;
}

/** Duplicate groups (exact and near) of a manifest's rows and the leakage across its splits: the doctor's first part alone. */
export async function findDuplicates(options: FindDuplicatesOptions): Promise<DuplicatesResult & { rows: Row[]; failed: { row: number; error: string }[] }> {
  if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
  const m = await manifestRows(options.manifest, { ...(options.root !== undefined ? { root: options.root } : {}), ...(options.includeErrors ? { includeErrors: true } : {}) });
  const splitColumn = options.splitColumn === null ? null : (options.splitColumn ?? (m.columns.includes('split') ? 'split' : null));
  if (splitColumn !== null && !m.columns.includes(splitColumn)) throw rangeError(`a column of the manifest (${m.columns.join(', ')})`, 'splitColumn', splitColumn);
  const a = await analyseClips({ rows: m.rows, root: m.root, ...(options.progress ? { progress: options.progress } : {}), ...(options.signal ? { signal: options.signal } : {}) });
  if (options.signal?.aborted) throw new AudiomillError('ABORTED', 'findDuplicates stopped while reading the audio');
  const splits = splitColumn ? splitsOf(m.rows, splitColumn) : undefined;
  const d = await groupDuplicates(a.hashes, a.prints, { silent: a.silent, ...(options.maxBer !== undefined ? { maxBer: options.maxBer } : {}), ...(splits ? { splits } : {}) });
  return { ...d, rows: m.rows, failed: a.failed };
}

/** Each row's split (or fold) as text, null where the cell is empty. */
const splitsOf = (rows: readonly Row[], column: string) => rows.map((r) => (isMissing(r[column]) ? null : String(r[column])));

/**
 * One group label per row: rows sharing a `column` value or a duplicate group share a label (union of both); a row
 * whose value is missing is a group of its own (with its duplicates).
 */
function mergeGroups(raw: unknown[], dup: number[]): string[] {
  const values = raw.map((v, r) => (isMissing(v) ? `\u0000row:${r}` : String(v)));
  const node = new Map<string, number>();
  const id = (key: string) => node.get(key) ?? (node.set(key, node.size), node.size - 1);
  const pairs = values.map((v, r) => [id(`v:${v}`), dup[r]! >= 0 ? id(`d:${dup[r]}`) : -1] as const);
  const uf = new UnionFind(node.size);
  for (const [v, d] of pairs) if (d >= 0) uf.union(v, d);
  return pairs.map(([v]) => String(uf.find(v)));
}

/** groups.csv: each file's group, its duplicate component across files, named by its smallest path (files of no group: the file itself). */
function groupsTable(rows: readonly Row[], d: DuplicatesResult): string {
  const files = [...new Set(rows.map((r) => String(r.path)))];
  const at = new Map(files.map((f, i) => [f, i]));
  const uf = new UnionFind(files.length);
  for (const g of d.groups) for (const r of g.rows.slice(1)) uf.union(at.get(String(rows[g.rows[0]!]!.path))!, at.get(String(rows[r]!.path))!);
  const name = new Map<number, string>();
  files.forEach((f, i) => {
    const root = uf.find(i), seen = name.get(root);
    if (seen === undefined || f < seen) name.set(root, f);
  });
  return formatCsv(['path', 'doctor_group'], files.map((f, i) => ({ path: f, doctor_group: name.get(uf.find(i)) })));
}

interface ReportInput {
  rows: readonly Row[];
  n: number;
  label: string | null;
  splitColumn: string | null;
  duplicates: DuplicatesResult;
  labelIssues: LabelIssuesResult | null;
  outliers: OutliersResult | null;
  bandLimited: number[];
  analysis: Awaited<ReturnType<typeof analyseClips>>;
  warnings: string[];
}

function doctorReport(r: ReportInput): string {
  const { rows, n, duplicates: d } = r;
  const lines: string[] = [`# audiomill doctor: ${n} rows`, ''];
  const dupRows = d.groups.reduce((s, g) => s + g.rows.length, 0);
  lines.push('## Duplicates and leakage', '');
  lines.push(`${d.groups.length} duplicate groups holding ${dupRows} rows (${pct(dupRows, n)}); ${d.pairs.filter((p) => p.exact).length} exact pairs (equal decoded audio), ${d.pairs.filter((p) => !p.exact).length} near-duplicate pairs (fingerprint).`);
  if (r.splitColumn) {
    lines.push(
      d.leakage.groups
        ? `**Leakage: ${d.leakage.groups} groups span more than one ${r.splitColumn} value (${d.leakage.rows} rows; ${d.leakage.testRows} of them evaluation rows).** Scores on those rows can be inflated: a model is tested on clips whose twins it trained on (accuracy, per-fold cross-validation scores, retrieval precision). Re-split with the groups kept together (\`--fix group\`).`
        : `No duplicate group spans more than one ${r.splitColumn} value.`,
    );
  } else lines.push('No split column: leakage not judged (name one with --split-column).');
  if (d.groups.length) {
    lines.push('', '| group | rows | splits | exact | members (first 4) |', '| ---: | ---: | --- | ---: | --- |');
    const ordered = [...d.groups].sort((a, b) => Number(b.leaks) - Number(a.leaks) || b.rows.length - a.rows.length);
    for (const g of ordered.slice(0, 20)) lines.push(`| ${g.id} | ${g.rows.length} | ${g.splits.join(', ') || '–'}${g.leaks ? ' **(leak)**' : ''} | ${g.exact.length} | ${g.rows.slice(0, 4).map((i) => rowLabel(rows[i]!)).join('; ')} |`);
    if (d.groups.length > 20) lines.push(`| … | | | | ${d.groups.length - 20} more groups in doctor.json |`);
  }
  lines.push('', '## Label issues', '');
  if (r.labelIssues) {
    const l = r.labelIssues;
    const flagged = l.issue.reduce((s, v) => s + v, 0);
    lines.push(`${flagged} rows (${pct(flagged, n)}) are off the confident joint's diagonal (${l.method === 'probe' ? `a logistic probe, ${l.folds} grouped folds` : 'k-NN label shares'}); ranked by 1 − p(given label):`, '');
    lines.push(`| rank | row | ${r.label} | suggested | score |`, '| ---: | --- | --- | --- | ---: |');
    l.ranking.slice(0, 15).forEach((i, k) => lines.push(`| ${k + 1} | ${rowLabel(rows[i]!)} | ${String(rows[i]![r.label!])} | ${l.suggested[i]} | ${l.score[i]!.toFixed(3)} |`));
    lines.push('', '| class | rows | issues | threshold |', '| --- | ---: | ---: | ---: |');
    for (const c of l.perClass) lines.push(`| ${c.label} | ${c.rows} | ${c.issues} | ${c.threshold.toFixed(3)} |`);
  } else lines.push('Not computed (see the warnings).');
  lines.push('', '## Outliers', '');
  if (r.outliers) {
    const o = r.outliers;
    lines.push(`The 10 rows farthest from their neighbourhood (k-distance ÷ the median of their ${o.k} neighbours'):`, '', '| rank | row | score | k-distance |', '| ---: | --- | ---: | ---: |');
    o.ranking.slice(0, 10).forEach((i, k) => lines.push(`| ${k + 1} | ${rowLabel(rows[i]!)} | ${o.score[i]!.toFixed(2)} | ${o.kDistance[i]!.toFixed(4)} |`));
  } else lines.push('Not computed (see the warnings).');
  lines.push('', '## Recordings', '');
  lines.push(`${r.bandLimited.length} rows are band-limited (content stops at a cliff well below the Nyquist frequency: upsampled, or low-passed by a lossy codec).`);
  if (r.bandLimited.length) {
    lines.push('', '| row | bandwidth | Nyquist | likely original rate |', '| --- | ---: | ---: | ---: |');
    for (const i of r.bandLimited.slice(0, 15)) {
      const b = r.analysis.bandwidth[i]!;
      lines.push(`| ${rowLabel(rows[i]!)} | ${b.hz} Hz | ${b.nyquist} Hz | ${b.likelyRate ?? '?'} Hz |`);
    }
  }
  const flags = ['too_quiet', 'mostly_silence', 'heavily_clipped', 'too_short', 'high_dc_offset', 'truncated', 'had_error'].filter((f) => rows.some((row) => f in row));
  if (flags.length) lines.push('', `QC flags of the manifest: ${flags.map((f) => `${f} ${rows.filter((row) => row[f] === true).length}`).join(', ')}.`);
  if (r.warnings.length) lines.push('', '## Warnings', '', ...r.warnings.map((w) => `- ${w}`));
  return lines.join('\n') + '\n';
}

function doctorJson(r: ReportInput & { options: DoctorOptions; root: string }): unknown {
  const { rows, duplicates: d } = r;
  const id = (i: number) => ({ row: i, path: String(rows[i]!.path), start_time: rows[i]!.start_time ?? null, end_time: rows[i]!.end_time ?? null });
  return {
    audiomill: audiomillVersion(),
    date: new Date().toISOString(),
    manifest: typeof r.options.manifest === 'string' ? resolve(r.options.manifest) : null,
    root: resolve(r.root),
    rows: r.n,
    label: r.label,
    splitColumn: r.splitColumn,
    settings: { maxBer: r.options.maxBer ?? 0.25, labelMethod: r.labelIssues?.method ?? null, folds: r.labelIssues?.folds ?? null, k: r.outliers?.k ?? null, embeddings: r.options.embeddings ?? 'builtin:logmel-stats' },
    duplicates: {
      groups: d.groups.map((g) => ({ id: g.id, rows: g.rows.map(id), exact: g.exact, splits: g.splits, leaks: g.leaks })),
      pairs: d.pairs,
      leakage: d.leakage,
    },
    labelIssues: r.labelIssues
      ? {
          method: r.labelIssues.method,
          classes: r.labelIssues.classes,
          perClass: r.labelIssues.perClass,
          ranked: Array.from(r.labelIssues.ranking.slice(0, 1000), (i) => ({ ...id(i), label: rows[i]![r.label!] ?? null, suggested: r.labelIssues!.suggested[i], score: r.labelIssues!.score[i], issue: r.labelIssues!.issue[i] === 1 })),
        }
      : null,
    outliers: r.outliers ? { k: r.outliers.k, ranked: Array.from(r.outliers.ranking.slice(0, 1000), (i) => ({ ...id(i), score: r.outliers!.score[i], kDistance: r.outliers!.kDistance[i] })) } : null,
    bandLimited: r.bandLimited.map((i) => ({ ...id(i), ...r.analysis.bandwidth[i]! })),
    failed: r.analysis.failed.map((f) => ({ ...id(f.row), error: f.error })),
    warnings: r.warnings,
  };
}
