/**
 * The clips of a manifest, as every pipeline after it reads them (the spectrogram cache, embeddings): the
 * table read with its `path` column checked, the folder its paths are relative to, rows the manifest marked
 * `had_error` set aside, and each row's samples (mono, at one rate) loaded so that a file with several rows
 * (segments) is decoded once, in bounded memory (src/audio/segments.ts).
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, join } from 'node:path';
import { loadAudio } from '../audio/load.js';
import { keepFrom, SegmentReader } from '../audio/segments.js';
import { AudiomillError } from '../errors.js';
import { readTable } from '../io/table.js';
import type { Row } from './build.js';

export interface ManifestRows {
  /** The rows to read (without the `had_error` ones unless asked). */
  rows: Row[];
  columns: string[];
  /** The folder the rows' relative paths start from. */
  root: string;
  /** Rows set aside, with the reason. */
  skipped: { path: string; error: string }[];
}

/** Where a manifest's paths are relative to: `root`, else the root its summary records, else its folder. */
async function datasetRoot(manifest: string | readonly Row[], root: string | undefined): Promise<string> {
  if (root !== undefined) return root;
  if (typeof manifest !== 'string') return process.cwd();
  const summary = join(dirname(manifest), `${basename(manifest, extname(manifest))}.summary.json`);
  try {
    const s = JSON.parse(await readFile(summary, 'utf8')) as { root?: unknown };
    if (typeof s.root === 'string') return s.root;
  } catch {
    // no summary: fall back to the manifest's folder
  }
  return dirname(manifest);
}

/** A manifest (a table file or rows) ready to read: its rows, columns and root; `had_error` rows set aside unless `includeErrors`. */
export async function manifestRows(manifest: string | readonly Row[], options: { root?: string; includeErrors?: boolean } = {}): Promise<ManifestRows> {
  const table = typeof manifest === 'string' ? await readTable(manifest, 'manifest') : { columns: Object.keys(manifest[0] ?? {}), rows: [...manifest] };
  if (!table.columns.includes('path')) {
    const where = typeof manifest === 'string' ? manifest : 'the manifest rows';
    throw new AudiomillError('DECODE_CORRUPT', `${where} has no 'path' column (columns: ${table.columns.join(', ')})`, typeof manifest === 'string' ? { path: manifest } : {});
  }
  const root = await datasetRoot(manifest, options.root);
  const skipped: { path: string; error: string }[] = [];
  const rows = table.rows.filter((r) => {
    if (r.had_error === true && !options.includeErrors) {
      skipped.push({ path: String(r.path), error: `had_error in the manifest${r.error ? `: ${String(r.error)}` : ''}` });
      return false;
    }
    return true;
  });
  return { rows, columns: table.columns, root, skipped };
}

/** A row's span in seconds: from start_time (0 when absent) to end_time (null: the end of the file). */
export function rowSpan(r: Row): { start: number; end: number | null } {
  const start = typeof r.start_time === 'number' && r.start_time > 0 ? r.start_time : 0;
  const end = typeof r.end_time === 'number' && Number.isFinite(r.end_time) ? r.end_time : null;
  return { start, end };
}

/** The names a class column usually has, in order of preference (the explorer's and the doctor's default label). */
export const LABEL_COLUMNS: readonly string[] = ['label', 'category', 'class', 'class_name', 'Annotation', 'annotation', 'target'];

/** The path of a row's file: its `path` as it is when absolute, else under `root`. */
export function rowFile(root: string, r: Row): string {
  const rel = String(r.path);
  return isAbsolute(rel) ? rel : join(root, rel);
}

/** A row's identity across tables (a manifest and an embed folder's index): its path and span. */
export function rowKey(r: Row): string {
  const { start, end } = rowSpan(r);
  return `${String(r.path)}\u0000${start}\u0000${end ?? ''}`;
}

/** A row as messages and reports name it: the path, with the span for a segment (`a.wav [2–7 s]`). */
export function rowLabel(r: Row): string {
  const { start, end } = rowSpan(r);
  return start > 0 || end !== null ? `${String(r.path)} [${+start.toFixed(3)}–${end === null ? 'end' : `${+end.toFixed(3)}`} s]` : String(r.path);
}

/**
 * Loads the samples of manifest rows (mono, at `sampleRate`). The rows of a file with several of them are cut
 * from one streamed decode, in row order: after each row the samples no later row of the file needs are
 * dropped, so for a manifest's segments (in time order) memory stays at about one segment plus one stream block
 * whatever the file's length. A row's samples equal the whole file decoded and resampled, then cut at
 * round(start · rate), as the manifest cuts its segments. Rows loaded out of row order are still right, at the
 * cost of decoding their file again.
 */
export class ClipLoader {
  /** Decodes of audio files started so far: one per file, unless its rows are out of time order (or far apart). */
  decodes = 0;
  private readonly files = new Map<string, { reader: SegmentReader; keep: number[] }>();
  private readonly startsOf = new Map<string, number[]>();
  /** Each row's rank among the rows of its file. */
  private readonly rank: number[] = [];

  constructor(
    private readonly rows: readonly Row[],
    private readonly root: string,
    private readonly sampleRate: number,
  ) {
    for (const r of rows) {
      const f = this.fileOf(r);
      const list = this.startsOf.get(f) ?? [];
      this.rank.push(list.length);
      list.push(Math.round(rowSpan(r).start * sampleRate));
      this.startsOf.set(f, list);
    }
  }

  /** The absolute path of a row's file. */
  fileOf(r: Row): string {
    return rowFile(this.root, r);
  }

  /** How many rows read the file `file` (an absolute path, as fileOf gives it). */
  rowsOf(file: string): number {
    return this.startsOf.get(file)?.length ?? 0;
  }

  /** The samples of row `i`. */
  async load(i: number): Promise<Float32Array> {
    const r = this.rows[i]!;
    const file = this.fileOf(r);
    const { start, end } = rowSpan(r);
    const starts = this.startsOf.get(file)!;
    if (starts.length < 2) {
      this.decodes++;
      return (await loadAudio(file, { mono: true, sampleRate: this.sampleRate, ...(start > 0 ? { offset: start } : {}), ...(end !== null ? { duration: Math.max(0, end - start) } : {}) })).channels[0]!;
    }
    let s = this.files.get(file);
    if (!s) this.files.set(file, (s = { reader: new SegmentReader(file, { sampleRate: this.sampleRate, onOpen: () => this.decodes++ }), keep: keepFrom(starts) }));
    // What the file's later rows still need is kept; a row asked for after them reopens the file (same samples).
    return s.reader.read(Math.round(start * this.sampleRate), end === null ? Infinity : Math.round(end * this.sampleRate), s.keep[this.rank[i]! + 1]);
  }

  /** Closes the streams still open (a run that stops early). */
  async close(): Promise<void> {
    await Promise.all([...this.files.values()].map((f) => f.reader.close()));
  }
}
