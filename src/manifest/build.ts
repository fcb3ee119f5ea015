/**
 * buildManifest: one table row per clip (or per segment) of a dataset folder with its file facts,
 * acoustic statistics, QC flags, metadata columns and split, written as Parquet / CSV / JSONL.
 *
 * Incremental and safe: every row computed is kept in a journal cache (io/journal.ts) beside the
 * output (`.<out name>.audiomill-cache.journal`), keyed by the file's relative path and
 * fingerprinted by its size and mtime (and a content hash on request) plus the options that shape
 * rows. A re-run reuses the rows of unchanged files; new rows are appended to the journal while the
 * run goes, so a run killed at any point resumes where it was, and the outputs themselves are only
 * ever replaced whole (atomic rename).
 * Bad files never stop the run: their rows carry had_error and error.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { loadAudio, probeAudio } from '../audio/load.js';
import { AudiomillError, errorText } from '../errors.js';
import { acousticStatsBatch, qcFlags, type AcousticStatsOptions, type QcThresholds } from '../features/acoustic.js';
import { int, num, typeError } from '../validate.js';
import { writeFileAtomic } from '../io/atomic.js';
import { parseCsv, typedRows } from '../io/csv.js';
import { Journal } from '../io/journal.js';
import { joinMetadata, readMetadata } from './metadata.js';
import { splitRows, splitsFromFolds, type SplitOptions } from './splits.js';
import { columnsOf, tableFormat, writeTable, type Column } from '../io/table.js';
import { walkAudio, type FoundFile } from './walk.js';

export type Row = Record<string, unknown>;

export interface SegmentOptions {
  /** Fixed windows: length and hop in seconds (hop defaults to the length). */
  length?: number;
  hop?: number;
  /** Or a CSV of segments: a path (or filename) column, start_time and end_time in seconds, any label columns. */
  path?: string;
}

export interface ManifestOptions {
  /** Dataset folder. */
  root: string;
  include?: string | string[];
  exclude?: string | string[];
  /** Metadata table joined on a column holding filenames or relative paths (default column 'filename'). */
  metadata?: { path: string; joinOn?: string };
  /** Compute statistics at this rate (resampled); default: each file's own rate. */
  sampleRate?: number;
  segments?: SegmentOptions;
  /** Statistics options and QC thresholds; false skips decoding (file facts only). Default true. */
  stats?: boolean | (AcousticStatsOptions & { qc?: QcThresholds });
  /** Ratio splits, or splits from an existing fold column. Default: every row 'unsplit'. */
  splits?: SplitOptions | { foldColumn: string; test?: unknown; val?: unknown; group?: string };
  /** Output table(s): .parquet, .csv, .tsv or .jsonl; the first also names the cache and summary. */
  out: string | string[];
  /** Also key the cache on a SHA-256 of each file's bytes (catches edits that keep size and mtime). */
  hash?: boolean;
  /** Files in flight at once (default 8: decoding, statistics and file I/O overlap). */
  concurrency?: number;
  /** Called after each file. */
  onProgress?: (p: { done: number; total: number; path: string; reused: boolean }) => void;
  /**
   * Stops the run: files in flight finish, the cache is saved with every row computed so far (the
   * next run resumes from it), the outputs are left as they were, and the call rejects with an
   * AudiomillError of code ABORTED. The CLI wires Ctrl-C (SIGINT) to it.
   */
  signal?: AbortSignal;
}

export interface ManifestSummary {
  /** The dataset folder (absolute) the rows' paths are relative to. */
  root: string;
  files: number;
  rows: number;
  reused: number;
  processed: number;
  errors: number;
  flags: Record<string, { count: number; percent: number }>;
  durationSeconds: { total: number; histogram: { from: number; to: number; count: number }[] };
  sampleRates: Record<string, number>;
  splits: Record<string, number>;
  unmatchedFiles: string[];
  unmatchedMetadata: string[];
  ambiguousMetadata: string[];
  outputs: string[];
}

export interface ManifestResult {
  rows: Row[];
  columns: string[];
  summary: ManifestSummary;
  /** The summary as text (flag counts, histograms), as the CLI prints it. */
  report: string;
}

/** What the journal keeps per file: its rows, under a fingerprint of the file and the options. */
interface CachedRows {
  rows: Row[];
}

const FLAGS = ['too_quiet', 'mostly_silence', 'heavily_clipped', 'too_short', 'high_dc_offset', 'truncated', 'had_error'] as const;

/**
 * The manifest's declared columns, in table order, each with its one type (units and meanings:
 * docs/cli.md, "Manifest schema"). Every format writes these types whatever the values (a clip_ratio
 * of 0 everywhere is still DOUBLE), so manifests of different datasets concatenate. The statistics
 * and flag columns are there unless statistics are off (`stats: false`); metadata and segment-table
 * columns follow, typed by their whole column.
 */
export const MANIFEST_SCHEMA: readonly Column[] = [
  { name: 'path', type: 'string' },
  { name: 'start_time', type: 'float' },
  { name: 'end_time', type: 'float' },
  { name: 'duration', type: 'float' },
  { name: 'sample_rate', type: 'int' },
  { name: 'channels', type: 'int' },
  { name: 'format', type: 'string' },
  { name: 'codec', type: 'string' },
  { name: 'file_size', type: 'int' },
  { name: 'truncated', type: 'bool' },
];

/** The statistics and QC flag columns (absent with `stats: false`). */
export const MANIFEST_STATS_SCHEMA: readonly Column[] = [
  ...[
    'rms_db', 'rms_ac_db', 'peak_db', 'crest_factor_db', 'dc_offset', 'clip_ratio', 'silence_ratio', 'zero_crossing_rate', 'snr_db', 'energy_variance',
    'spectral_centroid', 'spectral_bandwidth', 'spectral_rolloff', 'spectral_flatness',
  ].map((name) => ({ name, type: 'float' as const })),
  ...['too_quiet', 'mostly_silence', 'heavily_clipped', 'too_short', 'high_dc_offset'].map((name) => ({ name, type: 'bool' as const })),
];

/** The columns after the statistics: errors, then (after any metadata) the split and where labels came from. */
const MANIFEST_TAIL_SCHEMA: readonly Column[] = [
  { name: 'had_error', type: 'bool' },
  { name: 'error', type: 'string' },
];
const MANIFEST_SPLIT_SCHEMA: readonly Column[] = [
  { name: 'split', type: 'string' },
  { name: 'label_source', type: 'string' },
];

/** Part of every cached row's fingerprint: rows cached before a column was added are recomputed (2: truncated, rms_ac_db, high_dc_offset). */
const ROWS_VERSION = 2;

function cachePath(out: string): string {
  return join(dirname(out), `.${basename(out)}.audiomill-cache.journal`);
}

function summaryPath(out: string): string {
  return join(dirname(out), `${basename(out).replace(/\.[^.]+$/, '')}.summary.json`);
}

function sha256(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (d) => h.update(d))
      .on('end', () => resolve(h.digest('hex')))
      .on('error', reject);
  });
}

interface SegmentSpec {
  start: number;
  end: number | null; // null: to the end of the file
  extra: Row;
}

/** Segments listed in a CSV, by relative path or filename. */
async function segmentTable(path: string, files: FoundFile[]): Promise<Map<string, SegmentSpec[]>> {
  const table = parseCsv(await readFile(path, 'utf8').catch((err: Error) => {
    throw new AudiomillError('IO', `cannot read the segments table '${path}': ${err.message}`, { path, cause: err });
  }), { path });
  const key = ['path', 'filename', 'file'].find((c) => table.columns.includes(c));
  if (!key || !table.columns.includes('start_time') || !table.columns.includes('end_time'))
    throw new AudiomillError('DECODE_CORRUPT', `the segments table '${path}' needs a path (or filename) column, start_time and end_time`, { path });
  const byName = new Map(files.map((f) => [basename(f.path), f.path]));
  const known = new Set(files.map((f) => f.path));
  const out = new Map<string, SegmentSpec[]>();
  for (const r of typedRows(table)) {
    const ref = String(r[key] ?? '').replace(/\\/g, '/');
    const file = known.has(ref) ? ref : byName.get(ref);
    if (!file) continue;
    const { [key]: _ref, start_time: start, end_time: end, ...extra } = r;
    const list = out.get(file) ?? [];
    list.push({ start: Number(start), end: Number(end), extra });
    out.set(file, list);
  }
  return out;
}

function fixedSegments(duration: number, length: number, hop: number): SegmentSpec[] {
  const segs: SegmentSpec[] = [];
  for (let s = 0; s < duration - 1e-9; s += hop) segs.push({ start: s, end: Math.min(s + length, duration), extra: {} });
  return segs.length > 0 ? segs : [{ start: 0, end: duration, extra: {} }];
}

/** Decoded samples of up to this many floats (8 MB) are kept for the next file of the same worker. */
const SCRATCH_LIMIT = 1 << 21;

/**
 * One worker's decode buffer, reused from file to file: WAV is decoded (and resampled) straight
 * into it, so the run does not allocate and page-fault fresh memory for every clip.
 */
interface Scratch {
  samples: Float32Array;
}

/** The rows of one file (errors become rows with had_error). */
async function fileRows(file: FoundFile, options: ManifestOptions, segments: SegmentSpec[] | undefined, scratch: Scratch): Promise<Row[]> {
  const base: Row = { path: file.path, file_size: file.size };
  const statsOpt = options.stats === undefined ? true : options.stats;
  const segmentsFor = (duration: number): SegmentSpec[] =>
    segments ?? (options.segments?.length ? fixedSegments(duration, options.segments.length, options.segments.hop ?? options.segments.length) : [{ start: 0, end: null, extra: {} }]);
  if (statsOpt === false) {
    // File facts only: the headers, no decoding.
    try {
      const info = await probeAudio(file.absolute);
      const facts: Row = { ...base, sample_rate: info.sampleRate, channels: info.channels, format: info.format, codec: info.codec, truncated: info.truncated };
      return segmentsFor(info.duration).map((s) => {
        const end = s.end === null ? info.duration : Math.min(s.end, info.duration);
        return { ...facts, start_time: s.start, end_time: end, duration: end - s.start, had_error: false, error: null, ...s.extra };
      });
    } catch (err) {
      return [{ ...base, start_time: 0, end_time: null, duration: null, had_error: true, error: errorText(err) }];
    }
  }
  const { qc, ...statsOptions } = statsOpt === true ? { qc: undefined } : statsOpt;
  let facts: Row = base;
  try {
    // One open of the file: decoding gives the facts too.
    const audio = await loadAudio(file.absolute, { mono: true, out: [scratch.samples], ...(options.sampleRate ? { sampleRate: options.sampleRate } : {}) });
    facts = { ...base, sample_rate: audio.sourceSampleRate, channels: audio.sourceChannels, format: audio.format, codec: audio.codec, truncated: audio.truncated };
    const rate = audio.sampleRate;
    const x = audio.channels[0]!;
    if (x.buffer !== scratch.samples.buffer && x.buffer.byteLength > scratch.samples.byteLength && x.buffer.byteLength <= 4 * SCRATCH_LIMIT)
      scratch.samples = new Float32Array(x.buffer); // a fresh array: the next file of this worker decodes into it
    const segs = segmentsFor(audio.duration);
    const clips = segs.map((s) => {
      const a = Math.min(x.length, Math.round(s.start * rate));
      const b = s.end === null ? x.length : Math.min(x.length, Math.round(s.end * rate));
      return { samples: x.subarray(a, Math.max(a, b)), sampleRate: rate };
    });
    const stats = await acousticStatsBatch(clips, statsOptions);
    return segs.map((s, i) => {
      const { frames: _frames, non_finite: _nonFinite, ...st } = stats[i]!;
      const end = s.end === null ? audio.duration : Math.min(s.end, audio.duration);
      return { ...facts, start_time: s.start, end_time: end, ...st, ...qcFlags(st, qc), had_error: false, error: null, ...s.extra };
    });
  } catch (err) {
    return [{ ...facts, start_time: 0, end_time: null, duration: null, had_error: true, error: errorText(err) }];
  }
}

/** Builds (or updates) the manifest of `options.root`. */
export async function buildManifest(options: ManifestOptions): Promise<ManifestResult> {
  if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
  const outs = typeof options.out === 'string' ? [options.out] : options.out;
  if (!Array.isArray(outs) || outs.length === 0) throw typeError('an output path or an array of them', 'out', options.out);
  outs.forEach(tableFormat); // refuse unknown extensions before any work
  if (options.sampleRate !== undefined) int(options.sampleRate, 'sampleRate', 1, 2 ** 31 - 1);
  if (options.segments?.length !== undefined) num(options.segments.length, 'segments.length', { min: 0, exclusiveMin: true });
  if (options.segments?.hop !== undefined) num(options.segments.hop, 'segments.hop', { min: 0, exclusiveMin: true });
  const concurrency = int(options.concurrency ?? 8, 'concurrency', 1, 256);

  const files = await walkAudio(options.root, { ...(options.include ? { include: options.include } : {}), ...(options.exclude ? { exclude: options.exclude } : {}) });
  const segTable = options.segments?.path ? await segmentTable(options.segments.path, files) : undefined;
  const key = JSON.stringify([ROWS_VERSION, options.sampleRate ?? null, options.segments ?? null, options.stats ?? true, options.hash ?? false]);
  const journal = await Journal.open<CachedRows>(cachePath(outs[0]!));
  const fresh = new Map<string, Row[]>();
  let reused = 0;
  let done = 0;

  const queue = [...files];
  const work = async () => {
    const scratch: Scratch = { samples: new Float32Array(0) };
    for (let f = queue.shift(); f !== undefined && !options.signal?.aborted; f = queue.shift()) {
      const hash = options.hash ? await sha256(f.absolute).catch(() => undefined) : undefined;
      // Everything a file's rows depend on: its size, mtime and (on request) content hash, and the options.
      const fingerprint = JSON.stringify([f.size, f.mtimeMs, hash ?? null, key]);
      let rows = journal.get(f.path, fingerprint)?.rows;
      const same = rows !== undefined;
      if (same) reused++;
      else {
        rows = await fileRows(f, options, segTable ? (segTable.get(f.path) ?? []) : undefined, scratch);
        journal.set(f.path, fingerprint, { rows });
      }
      fresh.set(f.path, rows!);
      done++;
      options.onProgress?.({ done, total: files.length, path: f.path, reused: same });
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(1, files.length)) }, work));
  } finally {
    await journal.close(); // whatever happens, the rows computed are kept for the next run
  }
  if (options.signal?.aborted) {
    throw new AudiomillError('ABORTED', `manifest stopped after ${done} of ${files.length} files; the outputs were left as they were and the next run resumes from the ${fresh.size} files done`, {
      path: outs[0]!,
    });
  }

  // Rows in file order, then metadata, splits and fixed columns.
  // One copy of each cached row (the cache keeps its own), with the metadata columns first.
  let unmatchedFiles: string[] = [];
  let unmatchedMetadata: string[] = [];
  let ambiguousMetadata: string[] = [];
  let metaOf = (_path: string): Row | undefined => undefined;
  if (options.metadata) {
    const table = await readMetadata(options.metadata.path);
    const join = joinMetadata(files.map((f) => f.path), table, options.metadata.joinOn ?? 'filename');
    unmatchedFiles = join.unmatchedFiles;
    unmatchedMetadata = join.unmatchedKeys;
    ambiguousMetadata = join.ambiguousKeys;
    const missing = Object.fromEntries(join.columns.map((c) => [c, null]));
    metaOf = (path) => join.byPath.get(path) ?? missing;
  }
  const rows: Row[] = files.flatMap((f) => fresh.get(f.path)!.map((r) => ({ ...metaOf(f.path), ...r })));
  const splits = options.splits;
  const assigned =
    splits === undefined
      ? rows.map(() => 'unsplit')
      : 'foldColumn' in splits
        ? splitsFromFolds(rows, { column: splits.foldColumn, ...(splits.test !== undefined ? { test: splits.test } : {}), ...(splits.val !== undefined ? { val: splits.val } : {}), ...(splits.group ? { group: splits.group } : {}) })
        : splitRows(rows, splits);
  rows.forEach((r, i) => {
    r.split = assigned[i];
    r.label_source ??= 'none';
  });
  const declared = [...MANIFEST_SCHEMA, ...(options.stats === false ? [] : MANIFEST_STATS_SCHEMA), ...MANIFEST_TAIL_SCHEMA];
  // Metadata and segment-table columns (typed by their values) sit between the errors and the split.
  const named = new Set([...declared, ...MANIFEST_SPLIT_SCHEMA].map((c) => c.name));
  const extra = columnsOf(rows, []).filter((c) => !named.has(c.name));
  const columns = [...declared, ...extra, ...MANIFEST_SPLIT_SCHEMA];
  for (const out of outs) await writeTable(out, rows, columns);
  await journal.compact(fresh.keys()); // entries of files that are gone are dropped
  await journal.close();
  await rm(join(dirname(outs[0]!), `.${basename(outs[0]!)}.audiomill-cache.jsonl`), { force: true }); // the cache of audiomill 0.1

  const summary = summarize(resolve(options.root), rows, files.length, reused, unmatchedFiles, unmatchedMetadata, ambiguousMetadata, outs);
  await writeFileAtomic(summaryPath(outs[0]!), JSON.stringify(summary, null, 2) + '\n');
  return { rows, columns: columns.map((c) => c.name), summary, report: report(summary) };
}

function summarize(root: string, rows: Row[], files: number, reused: number, unmatchedFiles: string[], unmatchedMetadata: string[], ambiguousMetadata: string[], outputs: string[]): ManifestSummary {
  const n = rows.length;
  const flags = Object.fromEntries(
    FLAGS.map((f) => {
      const count = rows.filter((r) => r[f] === true).length;
      return [f, { count, percent: n === 0 ? 0 : (100 * count) / n }];
    }),
  );
  const durations = rows.map((r) => (typeof r.duration === 'number' && Number.isFinite(r.duration) ? r.duration : null)).filter((d): d is number => d !== null);
  const edges = [0, 1, 2, 5, 10, 30, 60, 300, Infinity];
  const histogram = edges.slice(0, -1).map((from, i) => ({ from, to: edges[i + 1]!, count: durations.filter((d) => d >= from && d < edges[i + 1]!).length }));
  const count = (key: string) => rows.reduce<Record<string, number>>((acc, r) => ((acc[String(r[key] ?? 'n/a')] = (acc[String(r[key] ?? 'n/a')] ?? 0) + 1), acc), {});
  return {
    root,
    files,
    rows: n,
    reused,
    processed: files - reused,
    errors: flags.had_error!.count,
    flags,
    durationSeconds: { total: durations.reduce((a, b) => a + b, 0), histogram },
    sampleRates: count('sample_rate'),
    splits: count('split'),
    unmatchedFiles,
    unmatchedMetadata,
    ambiguousMetadata,
    outputs,
  };
}

function bar(count: number, max: number): string {
  return '#'.repeat(max === 0 ? 0 : Math.round((30 * count) / max));
}

/** The summary as the text the CLI prints. */
export function report(s: ManifestSummary): string {
  const lines = [`${s.rows} rows from ${s.files} files (${s.processed} processed, ${s.reused} reused), ${s.durationSeconds.total.toFixed(1)} s of audio`, '', 'QC flags:'];
  for (const [f, v] of Object.entries(s.flags)) lines.push(`  ${f.padEnd(16)} ${String(v.count).padStart(7)}  ${v.percent.toFixed(1).padStart(5)} %`);
  const maxD = Math.max(0, ...s.durationSeconds.histogram.map((h) => h.count));
  lines.push('', 'Duration (s):');
  for (const h of s.durationSeconds.histogram) lines.push(`  ${`${h.from}-${h.to === Infinity ? '' : h.to}`.padEnd(9)} ${String(h.count).padStart(7)} ${bar(h.count, maxD)}`);
  const maxR = Math.max(0, ...Object.values(s.sampleRates));
  lines.push('', 'Sample rate (Hz):');
  for (const [r, c] of Object.entries(s.sampleRates).sort((a, b) => Number(a[0]) - Number(b[0]))) lines.push(`  ${r.padEnd(9)} ${String(c).padStart(7)} ${bar(c, maxR)}`);
  lines.push('', `Splits: ${Object.entries(s.splits).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  if (s.unmatchedFiles.length) lines.push(`Files without metadata: ${s.unmatchedFiles.length} (e.g. ${s.unmatchedFiles.slice(0, 3).join(', ')})`);
  if (s.unmatchedMetadata.length) lines.push(`Metadata rows without a file: ${s.unmatchedMetadata.length} (e.g. ${s.unmatchedMetadata.slice(0, 3).join(', ')})`);
  if (s.ambiguousMetadata.length) lines.push(`Filenames naming several files (not joined): ${s.ambiguousMetadata.slice(0, 3).join(', ')}`);
  lines.push(`Wrote ${s.outputs.join(', ')}`);
  return lines.join('\n');
}
