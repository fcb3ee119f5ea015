/**
 * Joining a metadata table (CSV/TSV: ESC-50's meta/esc50.csv, a labels sheet) to the files found:
 * the `joinOn` column holds either a path relative to the dataset root or a bare filename. Values
 * are typed per column (int, float, bool, else string) as pandas would read them. Everything that
 * does not join is reported: files without metadata, metadata rows without a file, and filenames
 * that name several files (then a relative path is needed to tell them apart).
 */
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { AudiomillError } from '../errors.js';
import { rangeError } from '../validate.js';
import { parseCsv, typedRows, type CsvTable } from '../io/csv.js';

export interface MetadataJoin {
  /** The metadata columns, in the table's order (the join column included). */
  columns: string[];
  /** Typed metadata per relative file path. */
  byPath: Map<string, Record<string, unknown>>;
  /** Files with no metadata row. */
  unmatchedFiles: string[];
  /** Join keys of metadata rows that matched no file. */
  unmatchedKeys: string[];
  /** Filenames that match more than one file (their rows were not joined). */
  ambiguousKeys: string[];
}

/** Reads a CSV (or .tsv) metadata table. */
export async function readMetadata(path: string): Promise<CsvTable> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new AudiomillError('IO', `cannot read the metadata table '${path}': ${(err as Error).message}`, { path, cause: err });
  }
  return parseCsv(text, { path, delimiter: extname(path).toLowerCase() === '.tsv' ? '\t' : ',' });
}

/** Joins `table` to `files` (relative paths) on the column `joinOn`. */
export function joinMetadata(files: readonly string[], table: CsvTable, joinOn: string): MetadataJoin {
  if (!table.columns.includes(joinOn)) throw rangeError(`a column of the metadata table (${table.columns.join(', ')})`, 'joinOn', joinOn);
  const byFull = new Map(files.map((f) => [f, f]));
  const byName = new Map<string, string[]>();
  for (const f of files) {
    const n = basename(f);
    byName.set(n, [...(byName.get(n) ?? []), f]);
  }
  const byPath = new Map<string, Record<string, unknown>>();
  const unmatchedKeys: string[] = [];
  const ambiguous = new Set<string>();
  for (const row of typedRows(table)) {
    const key = String(row[joinOn] ?? '').replace(/\\/g, '/').replace(/^\.\//, '');
    let file = byFull.get(key);
    if (file === undefined && !key.includes('/')) {
      const candidates = byName.get(key) ?? [];
      if (candidates.length > 1) {
        ambiguous.add(key);
        continue;
      }
      file = candidates[0];
    }
    if (file === undefined) unmatchedKeys.push(key);
    else byPath.set(file, row);
  }
  return {
    columns: [...table.columns],
    byPath,
    unmatchedFiles: files.filter((f) => !byPath.has(f)),
    unmatchedKeys,
    ambiguousKeys: [...ambiguous],
  };
}
