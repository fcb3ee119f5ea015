/**
 * Reads and writes tables (manifest rows) as Parquet, CSV, TSV or JSONL, chosen by the file
 * extension; writes are always atomic. Column types are declared (a Column's type is what every format
 * writes, whatever the values: a float column of whole numbers is still DOUBLE in Parquet and `0.0` in
 * CSV and JSONL, so readers infer the same type for every file), or inferred from the values for
 * columns nobody declared; null/undefined are missing values (Parquet nulls, empty CSV fields, JSON
 * null). Parquet is written with hyparquet-writer (pandas, pyarrow, DuckDB and Hugging Face datasets
 * read it).
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { AudiomillError, ioError } from '../errors.js';
import { rangeError, typeError } from '../validate.js';
import { writeFileAtomic } from './atomic.js';
import { formatCsv, parseCsv, typedRows } from './csv.js';

export type ColumnType = 'string' | 'int' | 'float' | 'bool';
export type TableFormat = 'parquet' | 'csv' | 'tsv' | 'jsonl';

export interface Column {
  name: string;
  type: ColumnType;
}

const FORMATS: Record<string, TableFormat> = { '.parquet': 'parquet', '.csv': 'csv', '.tsv': 'tsv', '.jsonl': 'jsonl', '.ndjson': 'jsonl' };

/** The format a path's extension names, or a RangeError listing the known ones that names `option` (the caller's name for the path). */
export function tableFormat(path: string, option = 'out'): TableFormat {
  const f = FORMATS[extname(path).toLowerCase()];
  if (!f) throw rangeError(`a path ending in ${Object.keys(FORMATS).join(', ')}`, option, path);
  return f;
}

/** The narrowest type holding every present value of a column: int < float; bool; else string. */
export function inferType(values: readonly unknown[]): ColumnType {
  let type: ColumnType | null = null;
  for (const v of values) {
    if (v === null || v === undefined) continue;
    const t: ColumnType =
      typeof v === 'boolean' ? 'bool' : typeof v === 'number' ? (Number.isSafeInteger(v) ? 'int' : 'float') : typeof v === 'bigint' ? 'int' : 'string';
    if (type === null || type === t) type = t;
    else if ((type === 'int' && t === 'float') || (type === 'float' && t === 'int')) type = 'float';
    else return 'string';
  }
  return type ?? 'string';
}

/**
 * Columns for rows: the given ones first (e.g. `path`), then every other key in first-seen order.
 * A Column given keeps its declared type; a name given, and every other key, gets the type its
 * values infer (inferType).
 */
export function columnsOf(rows: readonly Record<string, unknown>[], first: readonly (string | Column)[] = ['path']): Column[] {
  const declared = new Map<string, ColumnType>();
  const names: string[] = [];
  for (const f of first) {
    const name = typeof f === 'string' ? f : f.name;
    if (typeof f !== 'string') declared.set(name, f.type);
    if (!names.includes(name)) names.push(name);
  }
  const seen = new Set(names);
  for (const r of rows)
    for (const k of Object.keys(r))
      if (!seen.has(k)) {
        seen.add(k);
        names.push(k);
      }
  return names.map((name) => ({ name, type: declared.get(name) ?? inferType(rows.map((r) => r[name])) }));
}

function cell(v: unknown, type: ColumnType): unknown {
  if (v === null || v === undefined) return null;
  switch (type) {
    case 'string':
      return typeof v === 'string' ? v : String(v);
    case 'bool':
      return Boolean(v);
    case 'int': {
      if (typeof v === 'bigint') return v;
      const n = Number(v);
      return Number.isFinite(n) ? BigInt(Math.trunc(n)) : null;
    }
    case 'float':
      return Number(v);
  }
}

const PARQUET_TYPE: Record<ColumnType, string> = { string: 'STRING', int: 'INT64', float: 'DOUBLE', bool: 'BOOLEAN' };

/**
 * A float column's finite whole number as text with a fraction (`0` → `0.0`), so CSV and JSON
 * readers (pandas, DuckDB) read the column as floating point in every file; other values as given.
 */
function floatText(v: number): string {
  const s = String(v);
  return /^-?\d+$/.test(s) ? `${s}.0` : s;
}

/** A value as the text of its declared type, for CSV (a number in a float column: floatText). */
function csvCell(v: unknown, type: ColumnType): unknown {
  const c = cell(v, type);
  if (typeof c === 'bigint') return c.toString();
  if (type === 'float' && typeof c === 'number' && Number.isFinite(c)) return floatText(c);
  return c;
}

/** A value as JSON text of its declared type (JSON has no NaN/Infinity: null). */
function jsonCell(v: unknown, type: ColumnType): string {
  const c = cell(v, type);
  if (c === null) return 'null';
  if (typeof c === 'bigint') return c.toString();
  if (typeof c === 'number') return Number.isFinite(c) ? (type === 'float' ? floatText(c) : String(c)) : 'null';
  return JSON.stringify(c);
}

/** hyparquet-writer, an ES module (Node >= 20.19 loads it with require()). */
function parquetWriter(): { parquetWriteBuffer(o: { columnData: unknown[] }): ArrayBuffer } {
  return require('hyparquet-writer'); // eslint-disable-line @typescript-eslint/no-require-imports
}

/**
 * Loads the Parquet writer in the background (on a later turn of the event loop), for a long job that will
 * write Parquet at its end: the module's load then overlaps the job's native work instead of following it.
 * Anything that goes wrong is left for the write itself to report.
 */
export function preloadTableWriter(paths: readonly string[]): void {
  if (!paths.some((p) => FORMATS[extname(p).toLowerCase()] === 'parquet')) return;
  setTimeout(() => {
    try {
      parquetWriter();
    } catch {
      // reported by encodeTable
    }
  }, 0).unref();
}

/** The table's bytes in `format`, every value written as its column's type. */
export function encodeTable(format: TableFormat, columns: readonly Column[], rows: readonly Record<string, unknown>[]): Uint8Array | string {
  if (!Array.isArray(rows)) throw typeError('an array of rows', 'rows', rows);
  const names = columns.map((c) => c.name);
  if (format === 'csv' || format === 'tsv') {
    const typed = rows.map((r) => Object.fromEntries(columns.map((c) => [c.name, csvCell(r[c.name], c.type)])));
    return formatCsv(names, typed, { delimiter: format === 'csv' ? ',' : '\t' });
  }
  if (format === 'jsonl') {
    const keys = columns.map((c) => JSON.stringify(c.name));
    return rows
      .map((r) => `{${columns.map((c, i) => `${keys[i]}:${jsonCell(r[c.name], c.type)}`).join(',')}}`)
      .join('\n')
      .concat(rows.length > 0 ? '\n' : '');
  }
  const { parquetWriteBuffer } = parquetWriter();
  const columnData = columns.map((c) => ({ name: c.name, type: PARQUET_TYPE[c.type], data: rows.map((r) => cell(r[c.name], c.type)) }));
  return new Uint8Array(parquetWriteBuffer({ columnData }));
}

/** Writes rows to `path` (format from the extension) atomically; returns the columns written. */
export async function writeTable(path: string, rows: readonly Record<string, unknown>[], columns: readonly Column[] = columnsOf(rows)): Promise<Column[]> {
  const format = tableFormat(path);
  const bytes = encodeTable(format, columns, rows);
  await writeFileAtomic(path, bytes).catch((err: unknown) => {
    throw ioError('write', path, err);
  });
  return [...columns];
}

/** A Parquet INT64 read back: a number when it is a safe integer, else the bigint. */
function fromParquet(v: unknown): unknown {
  if (typeof v === 'bigint' && v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(v);
  return v;
}

/**
 * Reads a table written by writeTable (or by pandas, DuckDB, ...): Parquet through hyparquet, CSV and
 * TSV with per-column types as pandas infers them, JSONL one object a line. Returns the rows and the
 * column names in file order. A file that cannot be read or parsed gives an AudiomillError with its path; a path
 * without a table's extension a RangeError naming `option` (the caller's name for the path).
 */
export async function readTable(path: string, option = 'path'): Promise<{ columns: string[]; rows: Record<string, unknown>[] }> {
  const format = tableFormat(path, option);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw new AudiomillError('IO', `cannot read the table '${path}': ${(err as Error).message}`, { path, cause: err });
  }
  try {
    if (format === 'csv' || format === 'tsv') {
      const table = parseCsv(bytes.toString('utf8'), { path, delimiter: format === 'csv' ? ',' : '\t' });
      return { columns: table.columns, rows: typedRows(table) };
    }
    if (format === 'jsonl') {
      const rows = bytes
        .toString('utf8')
        .split('\n')
        .map((line, i) => [line.trim(), i] as const)
        .filter(([line]) => line.length > 0)
        .map(([line, i]) => {
          try {
            return JSON.parse(line) as Record<string, unknown>;
          } catch (err) {
            throw new AudiomillError('DECODE_CORRUPT', `${path}: line ${i + 1} is not JSON: ${(err as Error).message}`, { path, cause: err });
          }
        });
      return { columns: columnsOf(rows, []).map((c) => c.name), rows };
    }
    // hyparquet is an ES module; Node >= 20.19 loads it with require().
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const hp = require('hyparquet') as {
      parquetMetadata(b: ArrayBuffer): { schema: { name: string }[] };
      parquetReadObjects(o: { file: ArrayBuffer }): Promise<Record<string, unknown>[]>;
    };
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    const columns = hp.parquetMetadata(file).schema.slice(1).map((s) => s.name);
    const rows = (await hp.parquetReadObjects({ file })).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, fromParquet(v)])));
    return { columns, rows };
  } catch (err) {
    if (err instanceof AudiomillError) throw err;
    throw new AudiomillError('DECODE_CORRUPT', `cannot parse the ${format} table '${path}': ${(err as Error).message}`, { path, cause: err });
  }
}
