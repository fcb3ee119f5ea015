/**
 * buildSpectrogramCache: the log-mel tensors of every manifest row, per split, padded or cut to a
 * fixed number of frames, as `.npy` and HDF5 (the layout of the sleep-sounds cache: datasets
 * `spectrograms` [n_samples, n_mels, max_time] float32 and `labels`, attributes n_samples, n_mels,
 * max_time, sample_rate), with optional magma PNG thumbnails and the diagnostics people check
 * (finite ratio, dB quantiles).
 *
 * Memory is bounded: clips are decoded, resampled and transformed a batch at a time and each tensor
 * row is appended to its files as it is made. A file with several rows (segments) is decoded once:
 * it is streamed and every segment is cut from the stream as it passes, so a long recording is never
 * held whole. The whole output set is one OutputTransaction (io/transaction.ts): every file is
 * written into a staging folder inside the output folder and moved into place only when the whole
 * cache is done, together with the removal of the previous cache's files that the new one does not
 * have, so an interrupted run (an error, Ctrl-C, a killed process) leaves the previous cache as it was.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { OutputTransaction } from '../io/transaction.js';
import { AudiomillError, errorText } from '../errors.js';
import { LogMelSpectrogram, type LogMelSpectrogramOptions } from '../features/spectrogram.js';
import { NpyWriter } from '../io/npy.js';
import { int, num, oneOf, threadsOption, typeError } from '../validate.js';
import { formatCsv } from '../io/csv.js';
import { Hdf5TensorWriter } from '../io/hdf5.js';
import { spectrogramPng, type PngOptions } from '../io/png.js';
import { seededHash } from './splits.js';
import { ClipLoader, manifestRows } from './clips.js';
import type { Row } from './build.js';

export type CacheFormat = 'npy' | 'h5';

export interface SpectrogramCacheOptions {
  /** The manifest: a .parquet / .csv / .tsv / .jsonl path (as buildManifest writes), or its rows. */
  manifest: string | readonly Row[];
  /**
   * The dataset folder the manifest's `path` column is relative to. Default: the root recorded in
   * the manifest's `<name>.summary.json`, else the manifest's own folder.
   */
  root?: string;
  /** Output folder (created if missing). */
  out: string;
  /**
   * The log-mel transform (LogMelSpectrogram options: preset, sampleRate, nFft, hopLength, nMels, ...).
   * Default: `{ preset: 'torchaudio', nMels: 64 }`. Audio is resampled to its sampleRate.
   */
  features?: LogMelSpectrogramOptions;
  /** Frames per clip (max_time): longer clips are cut, shorter ones padded. Default: the longest clip. */
  maxFrames?: number;
  /** Value of padded cells (default -80, the top_db floor below a 0 dB peak). */
  padDb?: number;
  /**
   * 'max' shifts each clip so its loudest cell is 0 dB (librosa's `power_to_db(ref=np.max)`; with
   * topDb 80 the clip then spans -80..0 like the padding). Default null: the transform's values as
   * they are, equal to what a model trained on the same torchaudio features sees.
   */
  normalize?: 'max' | null;
  /**
   * Label column: integer values are stored as they are; other values become class ids in sorted
   * order (`classes`). Default: the first of label, category, class, target present; null for none
   * (labels are then -1).
   */
  label?: string | null;
  /** Column naming the split (default 'split'; rows without one go to 'all'). */
  splitColumn?: string;
  /** Files to write per split (default both): `<split>.npy` + `<split>.labels.npy`, `<split>.h5`. */
  formats?: CacheFormat[];
  /**
   * Also write a PNG thumbnail per clip under `png/<split>/` (magma). Default colour scale: per clip,
   * vmax = the clip's loudest cell and vmin = vmax - 80 dB (`range`); give `vmin` / `vmax` for one
   * fixed scale over every clip.
   */
  png?: boolean | PngOptions;
  /** Keep rows whose had_error is true (default false: they are skipped and listed). */
  includeErrors?: boolean;
  /** Clips decoded and transformed per batch (default 32). */
  batchSize?: number;
  /** Threads for the transforms (default: the global cap). */
  threads?: number;
  /** Seed of the clip sample the dB quantiles are computed on (default 42). */
  seed?: number;
  onProgress?: (p: { done: number; total: number; path: string }) => void;
  /** Stops the run: the staged files are removed, the previous cache is left as it was, and the call rejects with code ABORTED. */
  signal?: AbortSignal;
}

export interface SplitDiagnostics {
  n_samples: number;
  /** Fraction of finite cells over the whole split tensor (padding included). */
  finite_ratio: number;
  /** Quantiles of the cells of a random sample of up to 64 clips (padding included, as the seed notebook's). */
  db_q01: number;
  db_q50: number;
  db_q99: number;
  /** Fraction of cells that are padding. */
  padded_ratio: number;
  /** Clips longer than max_time (cut). */
  truncated: number;
  /** Per label id, the count. */
  label_counts: Record<string, number>;
  files: string[];
}

export interface SpectrogramCacheResult {
  out: string;
  sampleRate: number;
  nMels: number;
  maxTime: number;
  padDb: number;
  normalize: 'max' | null;
  labelColumn: string | null;
  /** Class names by id when labels were mapped from non-integer values, else null. */
  classes: string[] | null;
  splits: Record<string, SplitDiagnostics>;
  /** Rows not cached, with the reason. */
  skipped: { path: string; error: string }[];
  /**
   * Decodes of audio files: one per file, its segments cut from it. A file whose rows are listed
   * out of time order (or far apart, see SEGMENT_BUFFER_LIMIT) may be decoded again.
   */
  decodes: number;
  /** The diagnostics as the CLI prints them. */
  report: string;
}

const LABEL_COLUMNS = ['label', 'category', 'class', 'target'];
const QUANTILE_CLIPS = 64;

/** Linear-interpolated quantile of sorted values (numpy's default method). */
function quantile(sorted: Float32Array, q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (pos - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Class ids for the label column: integers as they are, anything else by sorted name. */
function labelIds(rows: readonly Row[], column: string | null): { ids: number[]; classes: string[] | null } {
  if (column === null) return { ids: rows.map(() => -1), classes: null };
  const values = rows.map((r) => r[column]);
  const present = values.filter((v) => v !== null && v !== undefined && v !== '');
  if (present.every((v) => typeof v === 'number' && Number.isSafeInteger(v))) return { ids: values.map((v) => (typeof v === 'number' ? v : -1)), classes: null };
  const classes = [...new Set(present.map(String))].sort();
  const index = new Map(classes.map((c, i) => [c, i]));
  return { ids: values.map((v) => (v === null || v === undefined || v === '' ? -1 : index.get(String(v))!)), classes };
}

function safeName(path: string): string {
  return path.replace(/\.[^./]+$/, '').replace(/[\\/]+/g, '__').replace(/[^A-Za-z0-9._-]+/g, '_');
}

interface SplitState {
  name: string;
  npy: NpyWriter | null;
  labelsNpy: NpyWriter | null;
  h5: Hdf5TensorWriter | null;
  index: Row[];
  finite: number;
  cells: number;
  padded: number;
  truncated: number;
  seen: number;
  sample: Float32Array[];
  labelCounts: Map<number, number>;
}

/** Builds the spectrogram cache of a manifest. */
export async function buildSpectrogramCache(options: SpectrogramCacheOptions): Promise<SpectrogramCacheResult> {
  if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
  if (typeof options.out !== 'string' || options.out.length === 0) throw typeError('an output folder path', 'out', options.out);
  const formats = options.formats ?? ['npy', 'h5'];
  if (!Array.isArray(formats) || formats.length === 0 || formats.some((f) => f !== 'npy' && f !== 'h5')) throw typeError("a non-empty array of 'npy' and 'h5'", 'formats', formats);
  const padDb = num(options.padDb ?? -80, 'padDb');
  const normalize = oneOf(options.normalize ?? null, 'normalize', ['max', null] as const);
  const batchSize = int(options.batchSize ?? 32, 'batchSize', 1, 4096);
  const threads = threadsOption(options.threads);
  const seed = int(options.seed ?? 42, 'seed', 0, 2 ** 32 - 1);
  const features: LogMelSpectrogramOptions = { preset: 'torchaudio', nMels: 64, ...options.features };
  const transform = new LogMelSpectrogram(features);
  const resolved = transform.options as { sampleRate?: number; nMels?: number; numMelBins?: number };
  const sampleRate = features.sampleRate ?? resolved.sampleRate ?? 16000;
  const nMels = transform.outputShape(Math.max(1, Math.round(sampleRate)))[0]!;
  const pngOptions: PngOptions | null = options.png ? (options.png === true ? {} : options.png) : null;
  if (pngOptions?.scale !== undefined) int(pngOptions.scale, 'png.scale', 1, 64);

  const { rows, columns, root, skipped } = await manifestRows(options.manifest, { ...(options.root !== undefined ? { root: options.root } : {}), ...(options.includeErrors ? { includeErrors: true } : {}) });
  const labelColumn = options.label === undefined ? (LABEL_COLUMNS.find((c) => columns.includes(c)) ?? null) : options.label;
  if (labelColumn !== null && !columns.includes(labelColumn)) throw typeError(`a column of the manifest (${columns.join(', ')})`, 'label', labelColumn);
  const splitColumn = options.splitColumn ?? 'split';
  const { ids, classes } = labelIds(rows, labelColumn);

  // max_time: given, or the longest clip by the manifest's durations.
  let maxTime: number;
  if (options.maxFrames !== undefined) maxTime = int(options.maxFrames, 'maxFrames', 1, 1 << 24);
  else {
    if (rows.length > 0 && !rows.every((r) => typeof r.duration === 'number' && Number.isFinite(r.duration)))
      throw typeError('a number (the manifest lacks durations for some rows, so max_time cannot be derived)', 'maxFrames', undefined);
    maxTime = Math.max(1, ...rows.map((r) => safeFrames(transform, Math.round((r.duration as number) * sampleRate))));
  }

  // Segments: the rows of each file are cut from one decode of it.
  const clips = new ClipLoader(rows, root, sampleRate);

  const tx = await OutputTransaction.begin(options.out);
  const splits = new Map<string, SplitState>();
  const state = async (name: string): Promise<SplitState> => {
    let s = splits.get(name);
    if (s) return s;
    s = {
      name,
      npy: formats.includes('npy') ? new NpyWriter(tx.path(`${name}.npy`), 'float32', [nMels, maxTime]) : null,
      labelsNpy: formats.includes('npy') ? new NpyWriter(tx.path(`${name}.labels.npy`), 'int64', []) : null,
      h5: formats.includes('h5') ? await Hdf5TensorWriter.create(tx.path(`${name}.h5`), { name: 'spectrograms', rowShape: [nMels, maxTime] }) : null,
      index: [],
      finite: 0,
      cells: 0,
      padded: 0,
      truncated: 0,
      seen: 0,
      sample: [],
      labelCounts: new Map(),
    };
    splits.set(name, s);
    return s;
  };
  const row = new Float32Array(nMels * maxTime);

  const load = (batch: number[]) =>
    Promise.all(
      batch.map(async (i) => {
        try {
          const x = await clips.load(i);
          transform.numFrames(x.length); // INPUT_TOO_SHORT before the batch call
          return { i, x, error: null };
        } catch (err) {
          return { i, x: null, error: errorText(err) };
        }
      }),
    );

  const order = rows.map((_, i) => i);
  let done = 0;
  let next = load(order.slice(0, batchSize));
  try {
    for (let b = 0; b < order.length; b += batchSize) {
      const loaded = await next;
      if (options.signal?.aborted) throw new AudiomillError('ABORTED', `cache stopped after ${done} of ${rows.length} clips; the previous cache in '${options.out}' was left as it was`, { path: options.out });
      next = load(order.slice(b + batchSize, b + 2 * batchSize)); // decode the next batch while this one is transformed
      const good = loaded.filter((l) => l.x !== null) as { i: number; x: Float32Array }[];
      for (const l of loaded) if (l.error !== null) skipped.push({ path: String(rows[l.i]!.path), error: l.error });
      const tensors = good.length > 0 ? await transform.computeBatchAsync(good.map((g) => g.x), threads === undefined ? {} : { threads }) : [];
      for (let k = 0; k < good.length; k++) {
        const { i } = good[k]!;
        const r = rows[i]!;
        const t = tensors[k]!;
        const frames = t.shape[1]!;
        const keep = Math.min(frames, maxTime);
        if (normalize === 'max') {
          let peak = -Infinity;
          for (let j = 0; j < t.data.length; j++) if (t.data[j]! > peak) peak = t.data[j]!;
          if (Number.isFinite(peak)) for (let j = 0; j < t.data.length; j++) t.data[j]! -= peak;
        }
        row.fill(padDb);
        for (let m = 0; m < nMels; m++) row.set(t.data.subarray(m * frames, m * frames + keep), m * maxTime);
        const split = String(r[splitColumn] ?? 'all') || 'all';
        const s = await state(split);
        const index = s.index.length;
        await s.npy?.append(row);
        await s.labelsNpy?.append(BigInt64Array.of(BigInt(ids[i]!)));
        s.h5?.append(row);
        let finite = 0;
        for (let j = 0; j < row.length; j++) if (Number.isFinite(row[j]!)) finite++;
        s.finite += finite;
        s.cells += row.length;
        s.padded += nMels * (maxTime - keep);
        if (frames > maxTime) s.truncated++;
        s.labelCounts.set(ids[i]!, (s.labelCounts.get(ids[i]!) ?? 0) + 1);
        // Reservoir sample of clips for the quantiles.
        s.seen++;
        if (s.sample.length < QUANTILE_CLIPS) s.sample.push(row.slice());
        else {
          const j = Math.floor((seededHash(seed, `${s.name}/${s.seen}`) / 4294967296) * s.seen);
          if (j < QUANTILE_CLIPS) s.sample[j] = row.slice();
        }
        s.index.push({
          index,
          path: r.path,
          start_time: r.start_time ?? 0,
          end_time: r.end_time ?? null,
          ...(labelColumn ? { [labelColumn]: r[labelColumn] ?? null } : {}),
          label_id: ids[i],
          frames: keep,
        });
        if (pngOptions) {
          const png = `png/${split}/${String(index).padStart(6, '0')}_${safeName(String(r.path))}.png`;
          await tx.writeFile(png, spectrogramPng(row, nMels, keep, { ...pngOptions, stride: maxTime }));
          s.index[s.index.length - 1]!.png = png;
        }
      }
      for (const l of loaded) options.onProgress?.({ done: ++done, total: rows.length, path: String(rows[l.i]!.path) });
    }

    // Commit every split, then the index tables and the summary.
    const attrs = (s: SplitState) => ({
      n_samples: s.index.length,
      n_mels: nMels,
      max_time: maxTime,
      sample_rate: sampleRate,
      pad_db: padDb,
      normalize: normalize ?? 'none',
      preset: features.preset ?? 'torchaudio',
      ...(labelColumn ? { label_column: labelColumn } : {}),
    }); // at most 8: HDF5 keeps up to 8 attributes in the object header, where every reader finds them
    const diagnostics: Record<string, SplitDiagnostics> = {};
    for (const s of splits.values()) {
      await s.npy?.commit();
      await s.labelsNpy?.commit();
      await s.h5?.commit(
        { labels: s.index.map((x) => x.label_id as number), lengths: s.index.map((x) => x.frames as number), paths: s.index.map((x) => String(x.path)) },
        attrs(s),
        classes ? { classes } : {},
      );
      const columns = Object.keys(s.index[0] ?? { index: 0, path: '' });
      await tx.writeFile(`${s.name}.index.csv`, formatCsv(columns, s.index));
      const all = new Float32Array(s.sample.reduce((a, x) => a + x.length, 0));
      let o = 0;
      for (const x of s.sample) {
        all.set(x, o);
        o += x.length;
      }
      all.sort(); // NaN sorts last
      const nan = all.findIndex((v) => Number.isNaN(v));
      const finiteSorted = nan === -1 ? all : all.subarray(0, nan);
      diagnostics[s.name] = {
        n_samples: s.index.length,
        finite_ratio: s.cells === 0 ? 1 : s.finite / s.cells,
        db_q01: quantile(finiteSorted, 0.01),
        db_q50: quantile(finiteSorted, 0.5),
        db_q99: quantile(finiteSorted, 0.99),
        padded_ratio: s.cells === 0 ? 0 : s.padded / s.cells,
        truncated: s.truncated,
        label_counts: Object.fromEntries([...s.labelCounts].sort((a, b) => a[0] - b[0]).map(([k, v]) => [String(k), v])),
        files: [...(s.npy ? [`${s.name}.npy`, `${s.name}.labels.npy`] : []), ...(s.h5 ? [`${s.name}.h5`] : []), `${s.name}.index.csv`],
      };
    }
    const result: Omit<SpectrogramCacheResult, 'report'> = {
      out: resolve(options.out),
      sampleRate,
      nMels,
      maxTime,
      padDb,
      normalize,
      labelColumn,
      classes,
      splits: diagnostics,
      skipped,
      decodes: clips.decodes,
    };
    const { decodes: _decodes, ...summary } = result;
    await tx.writeFile('cache.json', JSON.stringify({ ...summary, features }, null, 2) + '\n');
    // The previous cache's files that this one does not replace go with the commit.
    for (const name of await previousOutputs(options.out)) tx.remove(name);
    await tx.commit();
    return { ...result, report: cacheReport(result) };
  } catch (err) {
    await next.catch(() => undefined);
    for (const s of splits.values()) await Promise.all([s.npy?.abort(), s.labelsNpy?.abort(), s.h5?.abort()]).catch(() => undefined);
    await clips.close();
    await tx.rollback();
    throw err;
  }
}

/** The names this module gives its files: split files, and thumbnails `png/<split>/<index>_<name>.png`. */
const SPLIT_FILE = /^[^/\\.][^/\\]*\.(npy|labels\.npy|h5|index\.csv)$/;
const THUMBNAIL = /^png[/\\][^/\\]+[/\\]\d{6,}_[A-Za-z0-9._-]*\.png$/;

/**
 * The files of the cache in `out` before this run (relative names): the split files its `cache.json`
 * lists, `cache.json`, and the thumbnails under `png/` (by their names: other files there are kept).
 */
async function previousOutputs(out: string): Promise<string[]> {
  const names: string[] = [];
  try {
    const previous = JSON.parse(await readFile(join(out, 'cache.json'), 'utf8')) as { splits?: Record<string, { files?: unknown }> };
    names.push('cache.json');
    for (const split of Object.values(previous.splits ?? {})) if (Array.isArray(split?.files)) names.push(...split.files.filter((f): f is string => typeof f === 'string' && SPLIT_FILE.test(f)));
  } catch {
    // no previous cache (or not one this package wrote)
  }
  const walk = async (rel: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(join(out, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const name = join(rel, e.name);
      if (e.isDirectory()) await walk(name);
      else if (THUMBNAIL.test(name)) names.push(name);
    }
  };
  await walk('png');
  return names;
}

/** Frames of an n-sample clip, 0 when the transform rejects it as too short. */
function safeFrames(t: LogMelSpectrogram, n: number): number {
  try {
    return t.numFrames(n);
  } catch {
    return 0;
  }
}

/** The diagnostics as text, one line per split, as the seed notebook's table. */
export function cacheReport(r: Omit<SpectrogramCacheResult, 'report'>): string {
  const lines = [`Spectrogram cache in ${r.out}: n_mels ${r.nMels}, max_time ${r.maxTime}, sample_rate ${r.sampleRate}, pad ${r.padDb} dB${r.normalize === 'max' ? ', each clip relative to its max' : ''}`, ''];
  lines.push(`${'split'.padEnd(12)} ${'n_samples'.padStart(9)} ${'finite'.padStart(7)} ${'q01 dB'.padStart(8)} ${'q50 dB'.padStart(8)} ${'q99 dB'.padStart(8)} ${'padded'.padStart(7)} ${'cut'.padStart(5)}`);
  for (const [name, d] of Object.entries(r.splits)) {
    lines.push(
      `${name.padEnd(12)} ${String(d.n_samples).padStart(9)} ${d.finite_ratio.toFixed(4).padStart(7)} ${d.db_q01.toFixed(1).padStart(8)} ${d.db_q50.toFixed(1).padStart(8)} ${d.db_q99.toFixed(1).padStart(8)} ${`${(100 * d.padded_ratio).toFixed(1)}%`.padStart(7)} ${String(d.truncated).padStart(5)}`,
    );
  }
  if (r.classes) lines.push('', `Classes (${r.labelColumn}): ${r.classes.map((c, i) => `${i} ${c}`).join(', ')}`);
  if (r.skipped.length) lines.push('', `Skipped ${r.skipped.length} rows (e.g. ${r.skipped.slice(0, 3).map((s) => `${s.path}: ${s.error}`).join('; ')})`);
  return lines.join('\n');
}
