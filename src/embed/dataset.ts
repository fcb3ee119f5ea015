/**
 * `embedDataset`: one embedding per clip (or per manifest segment) of a dataset, with any encoder, written
 * as files Python reads (embeddings.npy, index.parquet, config.json) and cached so that a second run is
 * instant and a changed model never serves stale vectors. docs/cli.md (`audiomill embed`) has the details.
 *
 * - Rows come from a manifest (its segments, when it has start_time / end_time) or from a folder walked like
 *   `audiomill manifest`. A file with several rows is decoded once (src/manifest/clips.ts).
 * - The cache is a journal beside the outputs (`.embeddings.journal`): one record per row, keyed by its path and
 *   span, fingerprinted by the file's size and mtime and the encoder's fingerprint (model bytes, spec, options)
 *   and pooling. A row is reused only when all of them match; a changed or added file costs only its rows; a
 *   removed file's records are dropped at the end; a record torn by a kill or damaged on disk fails its
 *   checksum and is recomputed; a killed run resumes from what it synced.
 * - The next batch is decoded while the current one is in the encoder; rows that fail are listed with their
 *   error and left out of the outputs; the outputs replace the previous ones together (OutputTransaction).
 */
import { join, resolve } from 'node:path';
import { statFiles } from '../audio/stat.js';
import { audiomillVersion } from '../dsp/runtime.js';
import { AudiomillError, errorText } from '../errors.js';
import { Journal } from '../io/journal.js';
import { NpyWriter } from '../io/npy.js';
import { columnsOf, writeTable } from '../io/table.js';
import { OutputTransaction } from '../io/transaction.js';
import { ClipLoader, manifestRows, rowSpan } from '../manifest/clips.js';
import type { Row } from '../manifest/build.js';
import { walkAudio } from '../manifest/walk.js';
import { BUILTIN_ENCODERS, BuiltinEncoder, type BuiltinEncoderName } from '../models/builtin.js';
import type { AudioEncoder } from '../models/encoder.js';
import { OnnxEncoder, onnxRuntimeVersion } from '../models/onnx.js';
import { POOLINGS, pooledSize, poolFrames, type Pooling } from '../models/pooling.js';
import { bool, int, oneOf, typeError } from '../validate.js';

export interface EmbedDatasetOptions {
  /** A manifest (a table file, or its rows): one embedding per row (segments when it has start_time / end_time). */
  manifest?: string | readonly Row[];
  /** Or a folder of audio files: one embedding per file. */
  dir?: string;
  /** The folder a manifest's relative paths start from (default: the root its summary records, else its folder). */
  root?: string;
  /** An encoder, the path of an ONNX encoder spec, or a built-in name ('builtin:logmel-stats', 'builtin:mfcc-stats'). */
  encoder: AudioEncoder | string;
  /** Pooling of the frame embeddings (default: the encoder's), and L2 normalisation of each embedding (default false). */
  pooling?: Pooling;
  l2?: boolean;
  /** Clips per encoder call (default 16). */
  batchSize?: number;
  /**
   * Also write each row's frame (timestamp) embeddings: frames/embeddings.npy [ΣT, d] float32 and
   * frames/timestamps.npy [ΣT] float64 (ms from the clip's start), rows located by index.parquet's `frame_offset`
   * and `frame_count` (default false).
   */
  frames?: boolean;
  /** Also embed manifest rows marked had_error (default false: they are listed as skipped). */
  includeErrors?: boolean;
  /** Output folder (created when missing). */
  out: string;
  signal?: AbortSignal;
  onProgress?: (p: { done: number; total: number; path: string; reused: boolean }) => void;
}

export interface EmbedDatasetResult {
  out: string;
  /** Rows written (embeddings.npy's first dimension). */
  rows: number;
  dim: number;
  /** Rows whose vectors came from the cache, and rows computed in this run. */
  reused: number;
  computed: number;
  /** Rows that could not be embedded (left out of the outputs), with the error. */
  failed: { path: string; start_time: number; end_time: number | null; error: string }[];
  /** Manifest rows set aside (had_error), and folders that could not be listed. */
  skipped: { path: string; error: string }[];
  /** What the caller should know: no rows to embed (the outputs are then written empty). */
  warnings: string[];
  encoder: string;
  pooling: Pooling;
  elapsedSeconds: number;
  files: string[];
}

/** The journal beside the outputs. */
export function embeddingsJournal(out: string): string {
  return join(out, '.embeddings.journal');
}

/** An encoder given, or opened from a spec path or a built-in name (`owned`: the caller closes it). */
export async function openEncoder(e: AudioEncoder | string): Promise<{ encoder: AudioEncoder; owned: boolean }> {
  if (typeof e !== 'string') {
    if (e === null || typeof e !== 'object' || typeof e.sceneEmbeddings !== 'function') throw typeError('an encoder, a spec file path or a built-in name', 'encoder', e);
    return { encoder: e, owned: false };
  }
  if (e.startsWith('builtin:')) return { encoder: new BuiltinEncoder(oneOf(e, 'encoder', BUILTIN_ENCODERS) as BuiltinEncoderName), owned: true };
  return { encoder: await OnnxEncoder.create(e), owned: true };
}

const VERSION = 1; // of what a cached record holds

/** Embeds every clip of a dataset; see the module comment. */
export async function embedDataset(options: EmbedDatasetOptions): Promise<EmbedDatasetResult> {
  const started = performance.now();
  if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
  if (typeof options.out !== 'string' || options.out === '') throw typeError('an output folder path', 'out', options.out);
  if ((options.manifest === undefined) === (options.dir === undefined)) throw typeError('either a manifest or a dir (one of them)', 'manifest', options.manifest);
  const batchSize = int(options.batchSize ?? 16, 'batchSize', 1, 4096);
  const l2 = bool(options.l2 ?? false, 'l2');
  const withFrames = bool(options.frames ?? false, 'frames');
  if (options.pooling !== undefined) oneOf(options.pooling, 'pooling', POOLINGS);

  // The rows: a manifest's (without its error rows), or every audio file of a folder.
  const known = new Map<string, { size: number; mtimeMs: number }>();
  let rows: Row[];
  let root: string;
  let skipped: { path: string; error: string }[] = [];
  let columns: string[];
  if (options.dir !== undefined) {
    root = options.dir;
    const unreadable: { path: string; error: string }[] = [];
    const found = await walkAudio(options.dir, { onUnreadable: (u) => unreadable.push({ path: u.path, error: errorText(u.error) }) });
    for (const f of found) known.set(f.absolute, { size: f.size, mtimeMs: f.mtimeMs }); // the walk examined them already
    rows = found.map((f) => ({ path: f.path }));
    skipped = unreadable;
    columns = ['path'];
  } else {
    const m = await manifestRows(options.manifest!, { ...(options.root !== undefined ? { root: options.root } : {}), ...(options.includeErrors ? { includeErrors: true } : {}) });
    ({ rows, root, skipped, columns } = m);
  }

  const { encoder, owned } = await openEncoder(options.encoder);
  try {
    const pooling = options.pooling ?? encoder.defaultPooling;
    const dim = pooledSize(pooling, encoder.timestampEmbeddingSize);
    const model = await encoder.fingerprint();
    const clips = new ClipLoader(rows, root, encoder.sampleRate);
    const out = resolve(options.out);
    const tx = await OutputTransaction.begin(out); // creates the folder; the previous outputs stay until the commit
    const journal = await Journal.open<{ dim: number; frames?: number }>(embeddingsJournal(out));
    const d = encoder.timestampEmbeddingSize;
    const keyOf = (r: Row) => {
      const { start, end } = rowSpan(r);
      return JSON.stringify([String(r.path), start, end]);
    };
    const npy = new NpyWriter(tx.path('embeddings.npy'), 'float32', [dim]);
    const framesNpy = withFrames ? new NpyWriter(tx.path('frames/embeddings.npy'), 'float32', [d]) : null;
    const timesNpy = withFrames ? new NpyWriter(tx.path('frames/timestamps.npy'), 'float64', []) : null;
    let frameRows = 0;
    if (!withFrames) for (const f of ['frames/embeddings.npy', 'frames/timestamps.npy']) tx.remove(f); // a previous run's frames go with the commit
    const index: Row[] = [];
    const failed: EmbedDatasetResult['failed'] = [];
    const written: Float32Array[] = [];
    let reused = 0;
    let computed = 0;
    let done = 0;
    // Every file's size and mtime: the walk's, or examined in batches of native tasks (a file that cannot be
    // examined has none: its rows fail when they are read).
    const unknown = [...new Set(rows.map((r) => clips.fileOf(r)))].filter((f) => !known.has(f));
    (await statFiles(unknown)).forEach((s, k) => s !== null && !(s instanceof Error) && s.kind === 'file' && known.set(unknown[k]!, { size: s.size, mtimeMs: s.mtimeMs }));
    const fingerprintOf = (r: Row) => JSON.stringify([VERSION, known.get(clips.fileOf(r)) ?? null, model, pooling, l2, withFrames]);
    // A record's blob: the vector, then (with frames) the frame embeddings and their timestamps.
    type Frames = { data: Float32Array; times: Float64Array };
    const blobOf = (vec: Float32Array, f: Frames | null): Uint8Array => {
      if (f === null) return new Uint8Array(vec.buffer, vec.byteOffset, vec.byteLength);
      const bytes = new Uint8Array(vec.byteLength + f.data.byteLength + f.times.byteLength);
      bytes.set(new Uint8Array(vec.buffer, vec.byteOffset, vec.byteLength), 0);
      bytes.set(new Uint8Array(f.data.buffer, f.data.byteOffset, f.data.byteLength), vec.byteLength);
      bytes.set(new Uint8Array(f.times.buffer, f.times.byteOffset, f.times.byteLength), vec.byteLength + f.data.byteLength);
      return bytes;
    };
    // `blob`: journal.getBlob's fresh copy, at offset 0 of its own buffer (aligned for the float32 views).
    const fromBlob = (blob: Uint8Array, t: number): { vec: Float32Array; frames: Frames | null } | null => {
      const want = dim * 4 + (withFrames ? t * d * 4 + t * 8 : 0);
      if (blob.byteLength !== want) return null;
      const vec = new Float32Array(blob.buffer, 0, dim);
      if (!withFrames) return { vec, frames: null };
      return { vec, frames: { data: new Float32Array(blob.buffer, dim * 4, t * d), times: new Float64Array(blob.buffer.slice(dim * 4 + t * d * 4)) } };
    };

    // Per batch: cached vectors, then the rest decoded (the next batch decodes while this one is encoded).
    // A row: from the cache, or computed by the encoder's own file reader (`fast`), or its samples to encode.
    type Loaded = { i: number; fingerprint: string; cached: { vec: Float32Array; frames: Frames | null } | null; fast: Float32Array | null; x: Float32Array | null; error: string | null };
    // Rows that are whole files, when the encoder reads files itself (the built-ins' native WAV path).
    const wholeFile = (r: Row) => {
      const { start, end } = rowSpan(r);
      return clips.rowsOf(clips.fileOf(r)) === 1 && start === 0 && (end === null || (typeof r.duration === 'number' && r.duration === end));
    };
    const load = async (from: number): Promise<Loaded[]> => {
      const batch = await Promise.all(
        rows.slice(from, from + batchSize).map(async (r, k): Promise<Loaded> => {
          const i = from + k;
          const fingerprint = fingerprintOf(r);
          const value = journal.get(keyOf(r), fingerprint);
          const blob = value ? await journal.getBlob(keyOf(r), fingerprint).catch(() => undefined) : undefined;
          const cached = blob !== undefined ? fromBlob(blob, value?.frames ?? 0) : null;
          return { i, fingerprint, cached, fast: null, x: null, error: null };
        }),
      );
      const misses = batch.filter((l) => l.cached === null);
      const direct = encoder.embedWavFiles && !withFrames ? misses.filter((l) => wholeFile(rows[l.i]!)) : [];
      if (direct.length > 0) {
        const got = await encoder.embedWavFiles!(direct.map((l) => clips.fileOf(rows[l.i]!)), { pooling, l2 }).catch(() => []);
        direct.forEach((l, k) => (l.fast = got[k] ?? null));
      }
      await Promise.all(
        misses
          .filter((l) => l.fast === null)
          .map(async (l) => {
            try {
              l.x = await clips.load(l.i);
            } catch (err) {
              l.error = errorText(err);
            }
          }),
      );
      return batch;
    };
    try {
      // Each batch's clips are encoded as soon as they are loaded, and two batches are in the encoder at once, so
      // one batch's frontend and decoding overlap the other's inference; results are taken in row order.
      type Encoded = { batch: Loaded[]; vectors: Float32Array[]; frames: (Frames | null)[] };
      // Scene vectors of clips (and, with frames, the frame embeddings they were pooled from).
      const embed = async (xs: Float32Array[]): Promise<{ vectors: Float32Array[]; frames: (Frames | null)[] }> => {
        if (!withFrames) {
          const t = await encoder.sceneEmbeddings(xs, { pooling, l2 });
          return { vectors: xs.map((_, k) => t.data.slice(k * dim, (k + 1) * dim)), frames: xs.map(() => null) };
        }
        const f = await encoder.frameEmbeddings(xs);
        const t = await poolFrames(f.map((e) => e.embeddings), { pooling, l2 });
        return { vectors: xs.map((_, k) => t.data.slice(k * dim, (k + 1) * dim)), frames: f.map((e) => ({ data: e.embeddings.data, times: e.timestamps })) };
      };
      const encode = async (from: number): Promise<Encoded> => {
        const batch = await load(from);
        const todo = batch.filter((l) => l.x !== null);
        if (todo.length === 0) return { batch, vectors: [], frames: [] };
        try {
          return { batch, ...(await embed(todo.map((l) => l.x!))) };
        } catch {
          // One clip the encoder refuses must not cost its batch: each clip alone, failures listed.
          const vectors: Float32Array[] = [];
          const frames: (Frames | null)[] = [];
          for (const l of todo) {
            try {
              const one = await embed([l.x!]);
              vectors.push(one.vectors[0]!);
              frames.push(one.frames[0]!);
            } catch (e) {
              l.error = errorText(e);
              vectors.push(new Float32Array(0));
              frames.push(null);
            }
          }
          return { batch, vectors, frames };
        }
      };
      const pending: Promise<Encoded>[] = [];
      const DEPTH = 2;
      for (let b = 0; b < Math.min(rows.length, DEPTH * batchSize); b += batchSize) pending.push(encode(b));
      for (let b = 0; b < rows.length; b += batchSize) {
        const { batch, vectors, frames } = await pending.shift()!;
        if (options.signal?.aborted) {
          await Promise.allSettled(pending);
          throw new AudiomillError('ABORTED', `embed stopped after ${done} of ${rows.length} rows; the previous outputs in '${out}' were left as they were and the next run resumes from the rows done`, { path: out });
        }
        if (b + DEPTH * batchSize < rows.length) pending.push(encode(b + DEPTH * batchSize));
        let v = 0;
        for (const l of batch) {
          const r = rows[l.i]!;
          let vec = l.cached?.vec ?? null;
          let fr = l.cached?.frames ?? null;
          if (l.x !== null || l.fast !== null) {
            const got = l.fast ?? vectors[v]!;
            const gotFrames = l.fast !== null ? null : frames[v]!;
            if (l.fast === null) v++;
            if (l.error === null) {
              vec = got;
              fr = gotFrames;
              journal.set(keyOf(r), l.fingerprint, { dim, ...(fr ? { frames: fr.times.length } : {}) }, blobOf(vec, fr));
              computed++;
            }
          } else if (vec !== null) reused++;
          if (vec === null || l.error !== null) {
            const { start, end } = rowSpan(r);
            failed.push({ path: String(r.path), start_time: start, end_time: end, error: l.error ?? 'not embedded' });
          } else {
            written.push(vec);
            if (withFrames && fr !== null) {
              await framesNpy!.append(fr.data);
              await timesNpy!.append(fr.times);
              index.push({ ...r, row: index.length, frame_offset: frameRows, frame_count: fr.times.length });
              frameRows += fr.times.length;
            } else index.push({ ...r, row: index.length });
          }
          done++;
          options.onProgress?.({ done, total: rows.length, path: String(r.path), reused: l.cached !== null });
        }
        // The batch's vectors in one write.
        if (written.length > 0) {
          const block = new Float32Array(written.length * dim);
          written.forEach((w, k) => block.set(w, k * dim));
          await npy.append(block);
          written.length = 0;
        }
      }
      await npy.commit();
      await framesNpy?.commit();
      await timesNpy?.commit();
      const indexColumns = columnsOf(index, ['row', ...columns.filter((c) => c !== 'row')]);
      await writeTable(tx.path('index.parquet'), index, indexColumns);
      const config = {
        encoder: encoder.name,
        fingerprint: model,
        pooling,
        l2,
        dim,
        sampleRate: encoder.sampleRate,
        // The folder the index's paths are relative to (the explorer finds the audio through it).
        root: resolve(root),
        rows: index.length,
        failed,
        skipped,
        audiomill: audiomillVersion(),
        onnxruntime: onnxRuntimeVersion(),
        date: new Date().toISOString(),
      };
      await tx.writeFile('config.json', JSON.stringify(config, null, 2) + '\n');
      const files = await tx.commit();
      await journal.compact(rows.map(keyOf)); // records of rows no longer in the dataset are dropped
      const warnings = rows.length === 0 ? [`no rows to embed: ${options.dir !== undefined ? `no audio files under '${options.dir}'` : 'the manifest has no rows to read'}; the outputs were written empty`] : [];
      return { out, rows: index.length, dim, reused, computed, failed, skipped, warnings, encoder: encoder.name, pooling, elapsedSeconds: Number(((performance.now() - started) / 1000).toFixed(3)), files };
    } catch (err) {
      await npy.abort().catch(() => undefined);
      await framesNpy?.abort().catch(() => undefined);
      await timesNpy?.abort().catch(() => undefined);
      await tx.rollback();
      throw err;
    } finally {
      await journal.close(); // whatever happens, the vectors computed are kept for the next run
      await clips.close();
    }
  } finally {
    if (owned) await encoder.close();
  }
}
