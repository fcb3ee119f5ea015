/**
 * Reads an `audiomill embed` output folder back: `embeddings.npy` [N, D] float32 and `index.parquet`, row i of one
 * describing row i of the other (docs/cli.md, "audiomill embed"). The evaluation commands start from it.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AudiomillError, ioError } from '../errors.js';
import { sha256File } from '../io/hash.js';
import { decodeNpy } from '../io/npy.js';
import { readTable } from '../io/table.js';
import { audiomillVersion } from '../dsp/runtime.js';
import { rowKey } from '../manifest/clips.js';
import type { Row } from '../manifest/build.js';
import { rangeError, typeError } from '../validate.js';

export interface EmbeddingsFolder {
  dir: string;
  /** [rows, dim] float32, row-major. */
  vectors: Float32Array;
  rows: number;
  dim: number;
  /** index.parquet: its column names and one record per row. */
  columns: string[];
  index: Record<string, unknown>[];
  /** SHA-256 of embeddings.npy and index.parquet, for the reports' configs. */
  hashes: { embeddings: string; index: string };
}

/** The embeddings and index table of an `audiomill embed` output folder; IO / DECODE_CORRUPT errors name the file. */
export async function readEmbeddings(dir: string): Promise<EmbeddingsFolder> {
  const npyPath = join(dir, 'embeddings.npy');
  const indexPath = join(dir, 'index.parquet');
  let bytes: Buffer;
  try {
    bytes = await readFile(npyPath);
  } catch (err) {
    throw ioError('read the embeddings (is this an `audiomill embed` output folder?)', npyPath, err);
  }
  const npy = decodeNpy(bytes, npyPath);
  if (npy.dtype !== 'float32' || npy.shape.length !== 2) throw new AudiomillError('DECODE_CORRUPT', `expected a [rows, dim] float32 array in '${npyPath}', found ${npy.dtype} of shape [${npy.shape.join(', ')}]`, { path: npyPath });
  const table = await readTable(indexPath, 'index');
  const [rows, dim] = npy.shape as [number, number];
  if (table.rows.length !== rows) throw new AudiomillError('DECODE_CORRUPT', `'${indexPath}' has ${table.rows.length} rows for ${rows} embeddings: the folder is not one run's output`, { path: indexPath });
  const [embeddings, index] = await Promise.all([sha256File(npyPath), sha256File(indexPath)]);
  return { dir, vectors: npy.data as Float32Array, rows, dim, columns: table.columns, index: table.rows, hashes: { embeddings, index } };
}

/**
 * The values of one index.parquet column (BigInt integers as numbers); a RangeError naming `option` and listing the
 * columns there are when it has no such column.
 */
export function indexColumn(folder: EmbeddingsFolder, name: unknown, option: string): unknown[] {
  if (typeof name !== 'string' || name === '') throw typeError('a column name', option, name);
  if (!folder.columns.includes(name)) throw rangeError(`one of the index's columns ${folder.columns.join(', ')}`, option, name);
  return folder.index.map((r) => (typeof r[name] === 'bigint' ? Number(r[name]) : r[name]));
}

/**
 * Per row of `rows`, the row of `folder` holding its embedding, matched by path and span (`rows` null: the folder's
 * own rows, in order), or -1 where there is none or the vector has no direction (all zeros, or not finite: cosine
 * searches and maps cannot use it).
 */
export function embeddingRowsFor(folder: EmbeddingsFolder, rows: readonly Row[] | null): Int32Array {
  const at = new Map<string, number>();
  if (rows) (folder.index as Row[]).forEach((r, j) => at.set(rowKey(r), j));
  const out = Int32Array.from(rows ?? folder.index, (r, i) => (rows ? (at.get(rowKey(r as Row)) ?? -1) : i));
  const d = folder.dim;
  out.forEach((j, i) => {
    if (j < 0) return;
    let norm = 0;
    for (let t = j * d; t < (j + 1) * d; t++) norm += folder.vectors[t]! * folder.vectors[t]!;
    if (!(norm > 0) || !Number.isFinite(norm)) out[i] = -1;
  });
  return out;
}

/** Whether a table cell holds no value: null, empty, or NaN (rows the evaluations leave out). */
export function isMissing(v: unknown): boolean {
  return v === null || v === undefined || v === '' || (typeof v === 'number' && Number.isNaN(v));
}

/** The `config` an evaluation writes beside its results: the command, versions, date and the inputs' SHA-256. */
export function evaluationConfig(command: string, folder: EmbeddingsFolder, options: Record<string, unknown>): Record<string, unknown> {
  return {
    command,
    audiomill: audiomillVersion(),
    date: new Date().toISOString(),
    inputs: { dir: folder.dir, embeddingsSha256: folder.hashes.embeddings, indexSha256: folder.hashes.index },
    options,
  };
}
