/**
 * CSV / TSV reading and writing as pandas and Raven users expect: RFC 4180 quoting (fields with
 * the delimiter, quotes or line breaks are quoted, quotes doubled), LF or CRLF, a UTF-8 BOM
 * tolerated on read, the header row naming the columns. Values are read as strings; typing is
 * the caller's (see inferColumn).
 */
import { AudiomillError } from '../errors.js';

export interface CsvTable {
  columns: string[];
  rows: Record<string, string>[];
}

export interface CsvReadOptions {
  /** Field delimiter (default ','; '\t' for TSV). */
  delimiter?: string;
  /** For error messages. */
  path?: string;
}

/** Parses CSV text into columns and rows. A row with more fields than the header is an error. */
export function parseCsv(text: string, options: CsvReadOptions = {}): CsvTable {
  const d = options.delimiter ?? ',';
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  let i = 0;
  let line = 1;
  const n = text.length;
  const endRecord = () => {
    record.push(field);
    field = '';
    if (!(record.length === 1 && record[0] === '')) records.push(record); // skip blank lines
    record = [];
  };
  while (i < n) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      if (c === '\n') line++;
      field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
      i++;
    } else if (c === d) {
      record.push(field);
      field = '';
      i++;
    } else if (c === '\r' && text[i + 1] === '\n') {
      endRecord();
      line++;
      i += 2;
    } else if (c === '\n' || c === '\r') {
      endRecord();
      line++;
      i++;
    } else {
      field += c;
      i++;
    }
  }
  if (quoted) throw new AudiomillError('DECODE_CORRUPT', `unterminated quoted field at the end of ${options.path ?? 'the CSV text'} (opened before line ${line})`, options.path ? { path: options.path } : {});
  if (field !== '' || record.length > 0) endRecord();
  const [header, ...body] = records;
  if (!header) return { columns: [], rows: [] };
  const columns = header.map((h) => h.trim());
  const rows = body.map((r, k) => {
    if (r.length > columns.length)
      throw new AudiomillError('DECODE_CORRUPT', `row ${k + 2} of ${options.path ?? 'the CSV text'} has ${r.length} fields but the header has ${columns.length}`, options.path ? { path: options.path } : {});
    const row: Record<string, string> = {};
    columns.forEach((col, j) => Object.defineProperty(row, col, { value: r[j] ?? '', enumerable: true, writable: true, configurable: true }));
    return row;
  });
  return { columns, rows };
}

/** One CSV field, quoted when needed. null/undefined → empty; numbers in their shortest form. */
export function csvField(value: unknown, delimiter = ','): string {
  if (value === null || value === undefined) return '';
  let s: string;
  if (typeof value === 'number') s = Number.isFinite(value) ? String(value) : Number.isNaN(value) ? 'NaN' : value > 0 ? 'inf' : '-inf';
  else if (typeof value === 'boolean') s = value ? 'True' : 'False'; // as pandas writes booleans
  else s = String(value);
  return /["\r\n]/.test(s) || s.includes(delimiter) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV text for rows under `columns` (header first), lines ending in `eol`. */
export function formatCsv(columns: readonly string[], rows: readonly Record<string, unknown>[], options: { delimiter?: string; eol?: string } = {}): string {
  const d = options.delimiter ?? ',';
  const eol = options.eol ?? '\n';
  const lines = [columns.map((c) => csvField(c, d)).join(d)];
  for (const r of rows) lines.push(columns.map((c) => csvField(r[c], d)).join(d));
  return lines.join(eol) + eol;
}

/** Rows with each column's values typed as inferColumn finds them (empty → null; inf/nan as numbers). */
export function typedRows(table: CsvTable): Record<string, unknown>[] {
  const types = new Map(table.columns.map((c) => [c, inferColumn(table.rows.map((r) => r[c] ?? ''))]));
  return table.rows.map((r) => {
    const out: Record<string, unknown> = {};
    for (const c of table.columns) {
      const v = Object.hasOwn(r, c) ? (r[c] ?? '') : '';
      const t = types.get(c);
      // defineProperty: a column named __proto__ is a column, not the object's prototype.
      Object.defineProperty(out, c, { value: v === '' ? null : t === 'int' || t === 'float' ? Number(v.replace(/^([+-]?)inf$/i, '$1Infinity')) : t === 'bool' ? /^true$/i.test(v) : v, enumerable: true, writable: true, configurable: true });
    }
    return out;
  });
}

/** The type a column's strings hold: every non-empty value an integer, a number, a boolean, else string. */
export function inferColumn(values: readonly string[]): 'int' | 'float' | 'bool' | 'string' {
  const present = values.filter((v) => v !== '');
  if (present.length === 0) return 'string';
  if (present.every((v) => /^[+-]?\d+$/.test(v) && Number.isSafeInteger(Number(v)))) return 'int';
  if (present.every((v) => /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v) || /^[+-]?(inf|nan)$/i.test(v))) return 'float';
  if (present.every((v) => /^(true|false)$/i.test(v))) return 'bool';
  return 'string';
}
