/**
 * The overview tab: what the SMAD notebook and the sleep-sounds notebook look at before training. QC flag
 * prevalence; split and class balance; a histogram per acoustic statistic; their correlation matrix; PCA of the
 * standardised statistics (explained variance, and a 2-D map of the statistics); k-means clusters of them with
 * each cluster's means and standard deviations and its commonest labels; and the retrieval / probe reports of
 * the embeddings when `audiomill eval` wrote them.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { KMeans } from '../eval/models/kmeans.js';
import { PCA } from '../eval/models/pca.js';
import { readTable } from '../io/table.js';
import { barsSvg, heatmapSvg, histogramSvg, screeSvg } from './figures.js';
import { unpack } from './page-data.js';
import type { PageColumn, PageFigure, PageOverview, PageTableBlock } from './page-types.js';

/** Numeric columns that are positions or bookkeeping, not statistics of the audio (the notebook's exclusions). */
const NOT_STATISTICS = new Set(['start_time', 'end_time', 'row', 'index', 'frame_offset', 'frame_count', 'mtime', 'mtime_ms', 'size', 'size_bytes', 'lat', 'lon', 'latitude', 'longitude']);

export interface StatisticsMatrix {
  names: string[];
  /** Rows with every statistic finite, in table order. */
  rows: Int32Array;
  /** rows × names, standardised (mean 0, population std 1; a constant column is dropped before). */
  z: Float64Array;
  raw: Float64Array[];
}

/** The numeric statistic columns (non-constant, mostly finite) and their standardised complete rows. */
export function statisticsMatrix(columns: readonly PageColumn[]): StatisticsMatrix {
  const picked: { name: string; data: Float64Array }[] = [];
  for (const c of columns) {
    if (c.kind !== 'number' || NOT_STATISTICS.has(c.name) || !(c.max > c.min)) continue;
    const data = unpack(c.data) as Float64Array;
    let finite = 0;
    for (const v of data) if (Number.isFinite(v)) finite++;
    if (finite >= Math.max(3, 0.5 * data.length)) picked.push({ name: c.name, data });
  }
  const n = picked[0]?.data.length ?? 0;
  const keep: number[] = [];
  for (let i = 0; i < n; i++) if (picked.every((p) => Number.isFinite(p.data[i]!))) keep.push(i);
  const d = picked.length;
  const z = new Float64Array(keep.length * d);
  picked.forEach((p, j) => {
    let mean = 0;
    for (const i of keep) mean += p.data[i]!;
    mean /= keep.length || 1;
    let varSum = 0;
    for (const i of keep) varSum += (p.data[i]! - mean) ** 2;
    const sd = Math.sqrt(varSum / (keep.length || 1)) || 1;
    keep.forEach((i, r) => (z[r * d + j] = (p.data[i]! - mean) / sd));
  });
  return { names: picked.map((p) => p.name), rows: Int32Array.from(keep), z, raw: picked.map((p) => p.data) };
}

/** Pearson correlations of columns with pairwise-complete rows (pandas' `DataFrame.corr()`). */
export function correlations(cols: readonly Float64Array[]): Float64Array {
  const d = cols.length;
  const out = new Float64Array(d * d);
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      const x = cols[a]!, y = cols[b]!;
      let n = 0, sx = 0, sy = 0;
      for (let i = 0; i < x.length; i++) if (Number.isFinite(x[i]!) && Number.isFinite(y[i]!)) (n++, (sx += x[i]!), (sy += y[i]!));
      const mx = sx / n, my = sy / n;
      let sxy = 0, sxx = 0, syy = 0;
      for (let i = 0; i < x.length; i++) {
        if (!Number.isFinite(x[i]!) || !Number.isFinite(y[i]!)) continue;
        const dx = x[i]! - mx, dy = y[i]! - my;
        (sxy += dx * dy), (sxx += dx * dx), (syy += dy * dy);
      }
      const r = n >= 2 && sxx > 0 && syy > 0 ? Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy))) : NaN;
      out[a * d + b] = out[b * d + a] = r;
    }
  }
  return out;
}

function categoryCounts(c: Extract<PageColumn, { kind: 'category' }>): { values: string[]; counts: number[]; missing: number } {
  const codes = unpack(c.codes) as Int32Array;
  const counts = new Array<number>(c.values.length).fill(0);
  let miss = 0;
  for (const k of codes) if (k < 0) miss++;
  else counts[k]!++;
  return { values: c.values, counts, missing: miss };
}

export interface OverviewOptions {
  labelColumn: string | null;
  /** Clusters of the statistics (default 3, the SMAD notebook's). */
  clusters?: number;
  /** Folder of `audiomill eval` reports to show (`<embeddings>/eval`). */
  reports?: string;
}

export interface OverviewResult {
  overview: PageOverview;
  /** 2-D PCA of the standardised statistics, when there are at least two statistics (a map for the page). */
  statsMap?: { x: Float32Array; y: Float32Array; ratios: Float64Array };
  /** Each row's k-means cluster of the statistics (-1 where a statistic is missing). */
  clusters?: Int32Array;
}

export async function buildOverview(columns: readonly PageColumn[], rows: number, options: OverviewOptions): Promise<OverviewResult> {
  const sections: PageOverview['sections'] = [];
  const result: OverviewResult = { overview: { sections } };
  const byName = new Map(columns.map((c) => [c.name, c]));

  // Flags.
  const flags = columns.filter((c): c is Extract<PageColumn, { kind: 'boolean' }> => c.kind === 'boolean');
  if (flags.length) {
    const counts = flags.map((c) => {
      const data = unpack(c.data) as Uint8Array;
      let k = 0;
      for (const v of data) if (v === 1) k++;
      return k;
    });
    sections.push({
      title: 'QC flags',
      notes: [`How often each flag fires among the ${rows} rows.`],
      tables: [{ title: 'Flag prevalence', header: ['flag', 'count', 'percent'], rows: flags.map((c, k) => [c.name, counts[k]!, rows ? (100 * counts[k]!) / rows : 0]) }],
      figures: [{ name: 'flags', title: 'QC flag prevalence', svg: barsSvg({ title: 'QC flag prevalence', labels: flags.map((c) => c.name), values: counts, total: rows, xLabel: 'clips (percent of all)' }) }],
    });
  }

  // Split and class balance.
  const split = byName.get('split');
  const label = options.labelColumn ? byName.get(options.labelColumn) : undefined;
  const balance: { figures: PageFigure[]; tables: PageTableBlock[]; notes: string[] } = { figures: [], tables: [], notes: [] };
  if (label?.kind === 'category') {
    const { values, counts, missing } = categoryCounts(label);
    const order = values.map((_, k) => k).sort((a, b) => counts[b]! - counts[a]!).slice(0, 60);
    balance.figures.push({ name: 'classes', title: `Rows per ${label.name}`, svg: barsSvg({ title: `Rows per ${label.name}`, labels: order.map((k) => values[k]!), values: order.map((k) => counts[k]!), total: rows, xLabel: 'clips (percent of all)' }) });
    if (values.length > 60) balance.notes.push(`The 60 commonest of ${values.length} classes are drawn.`);
    if (missing) balance.notes.push(`${missing} rows have no ${label.name}.`);
  }
  if (split?.kind === 'category') {
    const s = categoryCounts(split);
    balance.figures.push({ name: 'splits', title: 'Rows per split', svg: barsSvg({ title: 'Rows per split', labels: s.values, values: s.counts, total: rows, xLabel: 'clips (percent of all)' }) });
    if (label?.kind === 'category') {
      const sc = unpack(split.codes) as Int32Array, lc = unpack(label.codes) as Int32Array;
      const grid = label.values.map(() => new Array<number>(split.values.length).fill(0));
      for (let i = 0; i < rows; i++) if (sc[i]! >= 0 && lc[i]! >= 0) grid[lc[i]!]![sc[i]!]!++;
      balance.tables.push({
        title: `${label.name} by split (count, and percent of the split)`,
        header: [label.name, ...split.values.flatMap((v) => [v, `${v} %`])],
        rows: label.values.slice(0, 200).map((v, k) => [v, ...split.values.flatMap((_, j) => [grid[k]![j]!, s.counts[j] ? (100 * grid[k]![j]!) / s.counts[j]! : 0])]),
      });
    }
  }
  if (balance.figures.length || balance.tables.length) sections.push({ title: 'Split and class balance', ...balance });

  // Statistics: histograms, correlations, PCA, k-means.
  const stats = statisticsMatrix(columns);
  if (stats.names.length) {
    sections.push({
      title: 'Acoustic statistics',
      notes: [`One histogram per numeric column (${stats.names.length}); 40 equal-width bins over its finite values.`],
      tables: [],
      figures: stats.names.map((name, j) => ({ name: `hist-${name}`, title: name, svg: histogramSvg({ title: name, values: stats.raw[j]!, xLabel: unitOf(name) }) })),
    });
  }
  if (stats.names.length >= 2) {
    const corr = correlations(stats.raw);
    sections.push({
      title: 'Correlations',
      notes: ['Pearson correlation of every pair of statistics over the rows where both are finite (pandas DataFrame.corr()).'],
      tables: [],
      figures: [{ name: 'correlations', title: 'Correlation of the acoustic statistics', svg: heatmapSvg({ title: 'Correlation of the acoustic statistics', labels: stats.names, matrix: corr }) }],
    });
  }
  const n = stats.rows.length, d = stats.names.length;
  if (d >= 2 && n >= 3) {
    const X = { data: stats.z, shape: [n, d] as [number, number] };
    const pca = new PCA({ nComponents: Math.min(d, n) }).fit(X);
    const ratios = pca.explainedVarianceRatio;
    const proj = pca.transform(X);
    const x = new Float32Array(rows).fill(NaN), y = new Float32Array(rows).fill(NaN);
    stats.rows.forEach((row, r) => ((x[row] = proj.data[r * proj.shape[1]]!), (y[row] = proj.data[r * proj.shape[1] + 1]!)));
    result.statsMap = { x, y, ratios };
    const k = Math.min(options.clusters ?? 3, n);
    const clusterNotes: string[] = [];
    const tables: PageTableBlock[] = [];
    if (k >= 2) {
      const km = new KMeans({ nClusters: k, randomState: 0, nInit: 'auto' }).fit(X);
      const clusters = new Int32Array(rows).fill(-1);
      stats.rows.forEach((row, r) => (clusters[row] = km.labels[r]!));
      result.clusters = clusters;
      const header = ['cluster', 'rows', ...stats.names.flatMap((s) => [`${s} mean`, `${s} std`])];
      const labelCodes = label?.kind === 'category' ? (unpack(label.codes) as Int32Array) : null;
      if (labelCodes) header.push(`top ${label!.name}`);
      const body: PageTableBlock['rows'] = [];
      for (let c = 0; c < k; c++) {
        const members = stats.rows.filter((_, r) => km.labels[r] === c);
        const line: (string | number | null)[] = [c, members.length];
        for (const col of stats.raw) {
          let s = 0;
          for (const i of members) s += col[i]!;
          const mean = s / (members.length || 1);
          let v = 0;
          for (const i of members) v += (col[i]! - mean) ** 2;
          line.push(mean, members.length > 1 ? Math.sqrt(v / (members.length - 1)) : null);
        }
        if (labelCodes && label?.kind === 'category') {
          const counts = new Map<number, number>();
          for (const i of members) if (labelCodes[i]! >= 0) counts.set(labelCodes[i]!, (counts.get(labelCodes[i]!) ?? 0) + 1);
          line.push([...counts].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([code, m]) => `${label.values[code]} (${m})`).join(', '));
        }
        body.push(line);
      }
      tables.push({ title: `k-means clusters of the standardised statistics (k = ${k}, seed 0; mean and sample std per cluster, in the columns' units)`, header, rows: body });
      clusterNotes.push('The page colours and filters by these clusters through the stats_cluster column.');
    }
    sections.push({
      title: 'PCA and clusters of the statistics',
      notes: [`PCA of the ${d} statistics standardised over the ${n} rows where all are finite; PC1 and PC2 explain ${(100 * ratios[0]!).toFixed(1)} % and ${(100 * (ratios[1] ?? 0)).toFixed(1)} % of the variance (the page's "statistics PCA" map).`, ...clusterNotes],
      tables,
      figures: [{ name: 'pca-variance', title: 'Explained variance of the statistics', svg: screeSvg({ title: 'Explained variance of the statistics', ratios }) }],
    });
  }

  // Evaluation reports.
  if (options.reports) {
    const tables: PageTableBlock[] = [];
    let files: string[] = [];
    try {
      files = (await readdir(options.reports)).filter((f) => f.endsWith('.csv')).sort();
    } catch {
      files = [];
    }
    for (const f of files) {
      try {
        const t = await readTable(join(options.reports, f), 'report');
        tables.push({
          title: f,
          header: t.columns,
          rows: t.rows.slice(0, 300).map((r) => t.columns.map((c) => (r[c] === undefined || r[c] === null ? null : typeof r[c] === 'number' ? (r[c] as number) : String(r[c])))),
          ...(t.rows.length > 300 ? { caption: `first 300 of ${t.rows.length} rows` } : {}),
        });
      } catch {
        // not a table: not shown
      }
    }
    if (tables.length) sections.push({ title: 'Embedding evaluation', notes: [`The reports \`audiomill eval\` wrote in ${options.reports}.`], tables, figures: [] });
  }
  return result;
}

/** An axis label with the unit the manifest's statistic is in. */
export function unitOf(name: string): string {
  if (name.endsWith('_db')) return `${name} (dB)`;
  if (name === 'duration' || name.endsWith('_seconds') || name.endsWith('_time')) return `${name} (s)`;
  if (name.endsWith('_ratio') || name === 'zero_crossing_rate') return `${name} (fraction)`;
  if (name === 'sample_rate' || name.startsWith('spectral_centroid') || name.startsWith('spectral_bandwidth') || name.startsWith('spectral_rolloff')) return `${name} (Hz)`;
  return name;
}
