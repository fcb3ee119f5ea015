/**
 * `audiomill eval retrieval`: the retrieval report of an `audiomill embed` output folder, with labels (and groups)
 * taken from columns of its index.parquet, written as JSON (with the run's config) and CSV, and shown as Markdown.
 */
import { join } from 'node:path';
import { evaluationConfig, indexColumn, isMissing, readEmbeddings } from '../embed/read.js';
import { OutputTransaction } from '../io/transaction.js';
import { typeError } from '../validate.js';
import { retrievalReport, type RetrievalLabel, type RetrievalReport, type RetrievalScores, type RetrievalSection } from './retrieval.js';

export interface EvaluateRetrievalOptions {
  /** An `audiomill embed` output folder. */
  dir: string;
  /** The index.parquet column holding each row's class. */
  label: string;
  /** The column holding each row's group (a source recording): adds the leave-same-group-out section. */
  groups?: string;
  k?: readonly number[];
  /** Where retrieval.json and retrieval.csv go (default: `<dir>/eval`). */
  out?: string;
  threads?: number;
}

export interface EvaluateRetrievalResult {
  report: RetrievalReport;
  /** Rows left out because their label (or group) is missing (null or ''). */
  skippedRows: number;
  /** The files written. */
  files: string[];
  markdown: string;
}

const asLabel = (v: unknown): RetrievalLabel => (typeof v === 'number' || typeof v === 'string' ? v : String(v));

export async function evaluateRetrieval(options: EvaluateRetrievalOptions): Promise<EvaluateRetrievalResult> {
  if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
  const folder = await readEmbeddings(options.dir);
  const labels = indexColumn(folder, options.label, 'label');
  const groups = options.groups === undefined ? null : indexColumn(folder, options.groups, 'groups');
  const keep: number[] = [];
  for (let i = 0; i < folder.rows; i++) if (!isMissing(labels[i]) && (groups === null || !isMissing(groups[i]))) keep.push(i);
  const vectors = new Float32Array(keep.length * folder.dim);
  keep.forEach((r, i) => vectors.set(folder.vectors.subarray(r * folder.dim, (r + 1) * folder.dim), i * folder.dim));
  const report = await retrievalReport({ data: vectors, shape: [keep.length, folder.dim] }, keep.map((r) => asLabel(labels[r])), {
    ...(options.k ? { k: options.k } : {}),
    ...(groups ? { groups: keep.map((r) => asLabel(groups[r])) } : {}),
    ...(options.threads !== undefined ? { threads: options.threads } : {}),
  });
  const config = {
    ...evaluationConfig('eval retrieval', folder, { label: options.label, groups: options.groups ?? null, k: report.k, metric: report.metric }),
    rows: folder.rows,
    skippedRows: folder.rows - keep.length,
  };
  const out = options.out ?? join(options.dir, 'eval');
  const files = await OutputTransaction.run(out, async (tx) => {
    await tx.writeFile('retrieval.json', JSON.stringify({ config, report }, null, 2) + '\n');
    await tx.writeFile('retrieval.csv', retrievalCsv(report));
    return ['retrieval.json', 'retrieval.csv'].map((f) => join(out, f));
  });
  return { report, skippedRows: folder.rows - keep.length, files, markdown: retrievalMarkdown(report) };
}

function checkReport(report: RetrievalReport): void {
  if (report === null || typeof report !== 'object' || !Array.isArray(report.k) || typeof report.self !== 'object') throw typeError('a report from retrievalReport', 'report', report);
}

const fmt = (v: number | null) => (v === null ? '' : v.toFixed(4));

function rowsOf(s: RetrievalSection): [string, RetrievalScores][] {
  return [['overall', s.overall], ['macro', { queries: s.overall.queries, ...s.macro }], ...s.perClass.map((p): [string, RetrievalScores] => [String(p.label), p])];
}

/** One CSV row per section and class (plus overall and macro), the metrics in columns. */
export function retrievalCsv(report: RetrievalReport): string {
  checkReport(report);
  const head = ['section', 'class', 'queries', ...report.k.map((k) => `precision@${k}`), ...report.k.map((k) => `recall@${k}`), ...report.k.map((k) => `map@${k}`), 'mrr', 'intra_distance', 'inter_distance', 'distance_ratio'];
  const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = [head.join(',')];
  for (const s of [report.self, ...(report.group ? [report.group] : [])])
    for (const [name, v] of rowsOf(s))
      lines.push([s.exclude, quote(name), v.queries, ...v.precisionAtK, ...v.recallAtK, ...v.mapAtK, v.mrr, v.intraDistance ?? '', v.interDistance ?? '', v.distanceRatio ?? ''].join(','));
  return lines.join('\n') + '\n';
}

/** Markdown tables: overall and macro of each section, then the classes of the last section. */
export function retrievalMarkdown(report: RetrievalReport): string {
  checkReport(report);
  const head = ['', 'queries', ...report.k.map((k) => `P@${k}`), ...report.k.map((k) => `R@${k}`), ...report.k.map((k) => `mAP@${k}`), 'MRR', 'intra / inter distance'];
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  const row = (name: string, v: RetrievalScores) => line([name, v.queries, ...v.precisionAtK.map(fmt), ...v.recallAtK.map(fmt), ...v.mapAtK.map(fmt), fmt(v.mrr), v.distanceRatio === null ? '' : `${fmt(v.intraDistance)} / ${fmt(v.interDistance)} = ${fmt(v.distanceRatio)}`]);
  const table = (title: string, entries: [string, RetrievalScores][]) => [`**${title}**`, '', line(head), line(head.map((_, i) => (i === 0 ? '---' : '---:'))), ...entries.map(([n, v]) => row(n, v)), ''];
  const out = [`Retrieval over ${report.rows} rows (${report.metric}), every row a query:`, ''];
  const sections = [report.self, ...(report.group ? [report.group] : [])];
  for (const s of sections) {
    const title = s.exclude === 'self' ? 'leave-self-out' : 'leave-same-group-out';
    out.push(...table(title, [['overall', s.overall], ['macro', { queries: s.overall.queries, ...s.macro }]]));
    if (s.queriesWithoutRelevant > 0) out.push(`${s.queriesWithoutRelevant} queries had no relevant row and are not counted.`, '');
  }
  const last = sections[sections.length - 1]!;
  out.push(...table(`per class (${last.exclude === 'self' ? 'leave-self-out' : 'leave-same-group-out'})`, last.perClass.map((p) => [String(p.label), p])));
  return out.join('\n');
}
