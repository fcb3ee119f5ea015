/**
 * Raven Pro selection tables: tab-separated text, one header row, one row per selection and view
 * (`shared/reference/dsp-conventions.md` §8). Reading merges the views of a selection into one
 * row; writing uses Raven's own headers, measurement columns included, and replaces the file
 * atomically. Independent of the native addon.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

import { writeFileAtomic, writeFileAtomicSync } from './atomic.js';
import { AudiomillError } from '../errors.js';
import { int, num, oneOf, rangeError, typeError } from '../validate.js';

/** Raven's measurement columns, keyed by audiomill's camelCase names (docs/features.md). */
export const RAVEN_MEASUREMENT_COLUMNS = {
  dur50: 'Dur 50% (s)',
  dur90: 'Dur 90% (s)',
  centerFreq: 'Center Freq (Hz)',
  freq5: 'Freq 5% (Hz)',
  freq25: 'Freq 25% (Hz)',
  freq75: 'Freq 75% (Hz)',
  freq95: 'Freq 95% (Hz)',
  bw50: 'BW 50% (Hz)',
  bw90: 'BW 90% (Hz)',
  avgEntropy: 'Avg Entropy (bits)',
  aggEntropy: 'Agg Entropy (bits)',
  peakFreq: 'Peak Freq (Hz)',
} as const;

/** camelCase name of a Raven measurement. */
export type RavenMeasurementName = keyof typeof RAVEN_MEASUREMENT_COLUMNS;

/**
 * Raven-style measurements of one selection (see docs/features.md, "Raven selection
 * measurements"). Times in seconds, frequencies in Hz, entropies in bits. A missing key is a
 * blank cell.
 */
export type RavenMeasurementValues = Partial<Record<RavenMeasurementName, number>>;

/** The core columns every selection has, in the order Raven writes them. */
export const RAVEN_CORE_COLUMNS = [
  'Selection',
  'View',
  'Channel',
  'Begin Time (s)',
  'End Time (s)',
  'Low Freq (Hz)',
  'High Freq (Hz)',
] as const;

/** A cell of a column audiomill has no field for: a number when the column is numeric, else a string; `null` when blank. */
export type RavenCell = number | string | null;

/** One selection (all its views merged). */
export interface RavenSelectionRow {
  /** `Selection`: integer >= 1, unique within a table. */
  selection: number;
  /**
   * `View` values of this selection's rows in file order, e.g. `['Waveform 1', 'Spectrogram 1']`.
   * The writer writes one row per view (default `['Spectrogram 1']`).
   */
  views?: string[];
  /** `Channel`: 1-based (default 1). */
  channel?: number;
  /** `Begin Time (s)`: seconds from the start of the sound, >= 0. */
  beginTime: number;
  /** `End Time (s)`: seconds, >= beginTime. */
  endTime: number;
  /** `Low Freq (Hz)`: >= 0. */
  lowFreq: number;
  /** `High Freq (Hz)`: >= lowFreq. */
  highFreq: number;
  /** Raven measurement columns present for this selection (`Dur 90% (s)` → `dur90`, …). */
  measurements?: RavenMeasurementValues;
  /**
   * Every other column (`Delta Time (s)`, `Begin File`, `Annotation`, BirdNET's `Common Name`,
   * `Confidence`, …), keyed by its header exactly as written.
   */
  extra?: Record<string, RavenCell>;
}

/** A table as read: `rows` has one entry per selection, in order of first appearance. */
export interface RavenTable {
  /** The file read. */
  path: string;
  /** Header names in file order (core columns under Raven's canonical spelling). */
  columns: string[];
  /** Selections, views merged. */
  rows: RavenTableRow[];
}

/** A selection as read: every optional field filled in. */
export interface RavenTableRow extends RavenSelectionRow {
  views: string[];
  channel: number;
  measurements: RavenMeasurementValues;
  extra: Record<string, RavenCell>;
}

/** Options of {@link writeRavenTable}. */
export interface WriteRavenTableOptions {
  /** Line ending: `'lf'` (default) or `'crlf'` (what Raven on Windows writes). */
  lineEnding?: 'lf' | 'crlf';
  /**
   * Preferred order of the non-core columns (measurement headers such as `Dur 90% (s)` and
   * extra headers). Columns not listed follow: measurements in Raven's order, then extras in
   * order of first appearance. The core columns always come first.
   */
  columns?: string[];
}

// --- reading ---------------------------------------------------------------------------------

const CORE_FIELDS: Record<(typeof RAVEN_CORE_COLUMNS)[number], string> = {
  Selection: 'selection',
  View: 'views',
  Channel: 'channel',
  'Begin Time (s)': 'beginTime',
  'End Time (s)': 'endTime',
  'Low Freq (Hz)': 'lowFreq',
  'High Freq (Hz)': 'highFreq',
};
/** Columns a table must have; `View` and `Channel` default to 'Spectrogram 1' and 1. */
const REQUIRED = ['Selection', 'Begin Time (s)', 'End Time (s)', 'Low Freq (Hz)', 'High Freq (Hz)'];
const MEASUREMENT_BY_HEADER = new Map<string, RavenMeasurementName>(
  Object.entries(RAVEN_MEASUREMENT_COLUMNS).map(([k, v]) => [v, k as RavenMeasurementName]),
);
/** Unit-less columns that hold numbers (BirdNET's `Confidence`). */
const NUMERIC_WITHOUT_UNIT = new Set(['confidence']);

/** Case- and spacing-insensitive key, so `Begin time (s)` (ANIMAL-SPOT) matches `Begin Time (s)`. */
function key(header: string): string {
  return header.trim().replace(/\s+/g, ' ').toLowerCase();
}
const CANONICAL = new Map<string, string>(
  [...RAVEN_CORE_COLUMNS, ...Object.values(RAVEN_MEASUREMENT_COLUMNS)].map((h) => [key(h), h]),
);

const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function parseNumber(cell: string): number | undefined {
  const t = cell.trim();
  if (!NUMBER_RE.test(t)) return undefined;
  const v = Number(t);
  return Number.isFinite(v) ? v : undefined;
}

function corrupt(path: string, message: string): AudiomillError {
  return new AudiomillError('DECODE_CORRUPT', `${path}: ${message}`, { path });
}

/** Parses the text of a selection table; `path` is used in messages. */
export function parseRavenTable(text: string, path: string): RavenTable {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  if (lines.length === 0 || lines[0]!.trim() === '') throw corrupt(path, 'no header row (empty selection table)');
  const columns = lines[0]!.split('\t').map((h) => CANONICAL.get(key(h)) ?? h.trim());
  while (columns.length > 0 && columns[columns.length - 1] === '') columns.pop();  // trailing tab
  const missing = REQUIRED.filter((c) => !columns.includes(c));
  if (missing.length > 0) {
    throw corrupt(path, `not a Raven selection table: missing column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(', ')}`);
  }
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c)) throw corrupt(path, `column '${c}' appears twice`);
    seen.add(c);
  }

  // Cells, padded to the header width.
  const records: { line: number; cells: string[] }[] = [];
  for (let i = 1; i < lines.length; ++i) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const cells = line.split('\t');
    if (cells.length > columns.length) {
      if (cells.slice(columns.length).some((c) => c.trim() !== '')) {
        throw corrupt(path, `line ${i + 1} has ${cells.length} fields but the header has ${columns.length}`);
      }
      cells.length = columns.length;
    }
    while (cells.length < columns.length) cells.push('');
    records.push({ line: i + 1, cells });
  }

  // A non-core column is numeric when its header carries a unit, `Name (unit)`, or is a known
  // unit-less numeric column, and every non-blank cell parses as a number.
  const numeric = columns.map((c, j) => {
    if (c in CORE_FIELDS) return false;
    if (!/\([^()]*\)\s*$/.test(c) && !NUMERIC_WITHOUT_UNIT.has(key(c))) return false;
    return records.every(({ cells }) => cells[j]!.trim() === '' || parseNumber(cells[j]!) !== undefined);
  });

  const rows: RavenTableRow[] = [];
  const bySelection = new Map<number, RavenTableRow>();
  const col = (name: string) => columns.indexOf(name);
  const need = (cells: string[], name: string, line: number): number => {
    const raw = cells[col(name)]!;
    const v = parseNumber(raw);
    if (v === undefined) throw corrupt(path, `line ${line}: '${name}' is not a number: ${JSON.stringify(raw)}`);
    return v;
  };
  for (const { line, cells } of records) {
    const selection = need(cells, 'Selection', line);
    if (!Number.isInteger(selection) || selection < 1) {
      throw corrupt(path, `line ${line}: 'Selection' must be an integer >= 1, found ${JSON.stringify(cells[col('Selection')])}`);
    }
    const view = col('View') >= 0 ? cells[col('View')]!.trim() : '';
    let row = bySelection.get(selection);
    if (row === undefined) {
      let channel = 1;
      if (col('Channel') >= 0 && cells[col('Channel')]!.trim() !== '') {
        channel = need(cells, 'Channel', line);
        if (!Number.isInteger(channel) || channel < 1) throw corrupt(path, `line ${line}: 'Channel' must be an integer >= 1`);
      }
      row = {
        selection,
        views: [],
        channel,
        beginTime: need(cells, 'Begin Time (s)', line),
        endTime: need(cells, 'End Time (s)', line),
        lowFreq: need(cells, 'Low Freq (Hz)', line),
        highFreq: need(cells, 'High Freq (Hz)', line),
        measurements: {},
        extra: {},
      };
      bySelection.set(selection, row);
      rows.push(row);
    }
    if (view !== '' && !row.views.includes(view)) row.views.push(view);
    // Other columns: the first non-blank value across the selection's views wins.
    columns.forEach((c, j) => {
      if (c in CORE_FIELDS) return;
      const raw = cells[j]!;
      const blank = raw.trim() === '';
      const measurement = MEASUREMENT_BY_HEADER.get(c);
      if (measurement !== undefined && numeric[j]) {
        if (!blank && row!.measurements[measurement] === undefined) row!.measurements[measurement] = parseNumber(raw)!;
        return;
      }
      const current = row!.extra[c];
      if (current === undefined || current === null) row!.extra[c] = blank ? null : numeric[j] ? parseNumber(raw)! : raw;
    });
  }
  for (const r of rows) if (r.views.length === 0) r.views.push('Spectrogram 1');
  return { path, columns, rows };
}

function ioError(path: string, err: unknown, verb: string): AudiomillError {
  const reason = err instanceof Error ? err.message : String(err);
  return new AudiomillError('IO', `could not ${verb} ${path}: ${reason}`, { path, cause: err });
}

/**
 * Reads a Raven selection table (`<sound>.Table.1.selections.txt`). LF or CRLF line ends and a
 * UTF-8 byte-order mark are accepted. Rows sharing a `Selection` number (one per view) are merged
 * into one; for every other column the first non-blank value wins. Header names are matched
 * ignoring case and repeated spaces. Rejects with an AudiomillError: `IO` when the file cannot be
 * read, `DECODE_CORRUPT` (with `path`) when a required column (`Selection`, `Begin Time (s)`,
 * `End Time (s)`, `Low Freq (Hz)`, `High Freq (Hz)`) is missing or one of their cells is not a number.
 */
export async function readRavenTable(path: string): Promise<RavenTable> {
  if (typeof path !== 'string' || path === '') throw typeError('a non-empty string', 'path', path);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw ioError(path, err, 'read');
  }
  return parseRavenTable(text, path);
}

/** {@link readRavenTable} on the calling thread. */
export function readRavenTableSync(path: string): RavenTable {
  if (typeof path !== 'string' || path === '') throw typeError('a non-empty string', 'path', path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw ioError(path, err, 'read');
  }
  return parseRavenTable(text, path);
}

// --- writing ---------------------------------------------------------------------------------

function text(value: unknown, option: string): string {
  if (typeof value !== 'string') throw typeError('a string', option, value);
  if (/[\t\r\n]/.test(value)) throw rangeError('a string without tabs or line breaks', option, value);
  return value;
}

function cell(value: unknown, option: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isNaN(value) ? '' : String(num(value, option));
  return text(value, option);
}

/** Formats rows as selection-table text (what {@link writeRavenTable} writes). */
export function formatRavenTable(rows: readonly RavenSelectionRow[], options: WriteRavenTableOptions = {}): string {
  if (!Array.isArray(rows)) throw typeError('an array of selections', 'rows', rows);
  if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
  const eol = oneOf(options.lineEnding ?? 'lf', 'lineEnding', ['lf', 'crlf'] as const) === 'crlf' ? '\r\n' : '\n';
  const preferred = options.columns ?? [];
  if (!Array.isArray(preferred)) throw typeError('an array of column names', 'columns', preferred);
  preferred.forEach((c, i) => text(c, `columns[${i}]`));

  // Validate the rows and collect the columns they use.
  const usedMeasurements = new Set<string>();
  const extras: string[] = [];
  const numbers = new Set<number>();
  rows.forEach((r, i) => {
    const at = `rows[${i}]`;
    if (r === null || typeof r !== 'object') throw typeError('a selection object', at, r);
    const selection = int(r.selection, `${at}.selection`, 1);
    if (numbers.has(selection)) throw rangeError('a Selection number not used by an earlier row', `${at}.selection`, selection);
    numbers.add(selection);
    if (r.channel !== undefined) int(r.channel, `${at}.channel`, 1);
    if (r.views !== undefined) {
      if (!Array.isArray(r.views) || r.views.length === 0) throw typeError('a non-empty array of view names', `${at}.views`, r.views);
      (r.views as unknown[]).forEach((v, j) => text(v, `${at}.views[${j}]`));
    }
    const begin = num(r.beginTime, `${at}.beginTime`, { min: 0 });
    num(r.endTime, `${at}.endTime`, { min: begin });
    const low = num(r.lowFreq, `${at}.lowFreq`, { min: 0 });
    num(r.highFreq, `${at}.highFreq`, { min: low });
    if (r.measurements !== undefined) {
      if (r.measurements === null || typeof r.measurements !== 'object') throw typeError('an object', `${at}.measurements`, r.measurements);
      for (const [k, v] of Object.entries(r.measurements)) {
        if (!(k in RAVEN_MEASUREMENT_COLUMNS)) {
          const names = Object.keys(RAVEN_MEASUREMENT_COLUMNS).map((n) => `'${n}'`).join(' | ');
          throw rangeError(`one of ${names}`, `${at}.measurements key`, k);
        }
        if (v !== undefined) usedMeasurements.add(RAVEN_MEASUREMENT_COLUMNS[k as RavenMeasurementName]);
      }
    }
    if (r.extra !== undefined) {
      if (r.extra === null || typeof r.extra !== 'object') throw typeError('an object', `${at}.extra`, r.extra);
      for (const k of Object.keys(r.extra)) {
        text(k, `${at}.extra key`);
        if (CANONICAL.has(key(k))) {
          throw rangeError('a column other than the core and measurement columns (use the row fields)', `${at}.extra key`, k);
        }
        if (!extras.includes(k)) extras.push(k);
      }
    }
  });

  const measurementOrder = Object.values(RAVEN_MEASUREMENT_COLUMNS).filter((c) => usedMeasurements.has(c));
  const rest: string[] = [];
  for (const c of preferred) if ((usedMeasurements.has(c) || extras.includes(c)) && !rest.includes(c)) rest.push(c);
  for (const c of [...measurementOrder, ...extras]) if (!rest.includes(c)) rest.push(c);
  const header = [...RAVEN_CORE_COLUMNS, ...rest];

  const lines = [header.join('\t')];
  rows.forEach((r, i) => {
    const at = `rows[${i}]`;
    for (const view of r.views ?? ['Spectrogram 1']) {
      const out = [String(r.selection), view, String(r.channel ?? 1), String(r.beginTime), String(r.endTime), String(r.lowFreq), String(r.highFreq)];
      for (const c of rest) {
        const m = MEASUREMENT_BY_HEADER.get(c);
        if (m !== undefined) out.push(cell(r.measurements?.[m], `${at}.measurements.${m}`));
        else out.push(cell(r.extra?.[c], `${at}.extra[${JSON.stringify(c)}]`));
      }
      lines.push(out.join('\t'));
    }
  });
  return lines.join(eol) + eol;
}

/**
 * Writes a Raven selection table: the core columns, then the measurement columns used by any
 * row (under Raven's names, e.g. `Dur 90% (s)`), then extra columns; one line per view of each
 * selection; blank cells for missing values and NaN. The file is written to a temporary file
 * beside `path`, flushed, and renamed over it, so readers never see half a table. Argument
 * mistakes throw TypeError/RangeError; file-system failures reject with AudiomillError `IO`.
 */
export async function writeRavenTable(path: string, rows: readonly RavenSelectionRow[], options: WriteRavenTableOptions = {}): Promise<void> {
  if (typeof path !== 'string' || path === '') throw typeError('a non-empty string', 'path', path);
  const data = formatRavenTable(rows, options);
  try {
    await writeFileAtomic(path, data);
  } catch (err) {
    throw ioError(path, err, 'write');
  }
}

/** {@link writeRavenTable} on the calling thread. */
export function writeRavenTableSync(path: string, rows: readonly RavenSelectionRow[], options: WriteRavenTableOptions = {}): void {
  if (typeof path !== 'string' || path === '') throw typeError('a non-empty string', 'path', path);
  const data = formatRavenTable(rows, options);
  try {
    writeFileAtomicSync(path, data);
  } catch (err) {
    throw ioError(path, err, 'write');
  }
}
