/**
 * Raven Pro selection tables: tab-separated text, one header row, one row per selection and view
 * (Raven Pro 1.4/1.5 User's Manual, "Selection tables"). A selection is an {@link AudioEvent}
 * (Begin/End Time, Low/High Freq, Channel, and the label and score columns) plus Raven's own
 * fields (Selection number, views, measurement and other columns). Reading merges the views of a
 * selection into one row; writing uses Raven's own headers, measurement columns included, and
 * replaces the file atomically. Independent of the native addon.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

import { AudiomillError, ioError } from '../errors.js';
import { int, num, oneOf, rangeError, typeError } from '../validate.js';
import { writeFileAtomic, writeFileAtomicSync } from './atomic.js';
import { checkEvent, type AudioEvent } from './events.js';

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

/**
 * One selection of a Raven table (all its views merged): an {@link AudioEvent} plus Raven's own
 * fields. Written as given (optional fields take the defaults below); read with every Raven field
 * filled in (see {@link RavenTable}).
 */
export interface RavenTableRow extends AudioEvent {
  /** `Begin Time (s)`: seconds from the start of the sound, >= 0. */
  begin: number;
  /** `End Time (s)`: seconds, >= begin. */
  end: number;
  /** `Low Freq (Hz)`: >= 0 (written as 0 when absent). */
  lowFreq?: number;
  /** `High Freq (Hz)`: >= lowFreq (written as the `sampleRate` option's Nyquist frequency when absent). */
  highFreq?: number;
  /** `Channel`: 1-based (default 1). */
  channel?: number;
  /** The label column (`Annotation` unless the `labelColumn` option says otherwise). */
  label?: string;
  /** The score column (`Score` unless the `scoreColumn` option says otherwise). */
  score?: number;
  /** `Selection`: integer >= 1, unique within a table. Written as the row's 1-based position when absent. */
  selection?: number;
  /**
   * `View` values of this selection's rows in file order, e.g. `['Waveform 1', 'Spectrogram 1']`.
   * The writer writes one row per view (default `['Spectrogram 1']`).
   */
  views?: string[];
  /** Raven measurement columns present for this selection (`Dur 90% (s)` → `dur90`, …). */
  measurements?: RavenMeasurementValues;
  /**
   * Every other column (`Delta Time (s)`, `Begin File`, BirdNET's `Common Name`, `Confidence`, …),
   * keyed by its header exactly as written.
   */
  extra?: Record<string, RavenCell>;
}

/** A table as read: `rows` has one entry per selection, in order of first appearance. */
export interface RavenTable {
  /** The file read. */
  path: string;
  /** Header names in file order (core columns under Raven's canonical spelling). */
  columns: string[];
  /** Selections, views merged, with every Raven field filled in (`label` and `score` only where the table has them). */
  rows: (RavenTableRow & Required<Pick<RavenTableRow, 'selection' | 'views' | 'channel' | 'lowFreq' | 'highFreq' | 'measurements' | 'extra'>>)[];
}

/** Options of {@link readRavenTable} and {@link parseRavenTable}. */
export interface ReadRavenTableOptions {
  /** Column read as each selection's `label` (default `'Annotation'`; null: none, the column stays in `extra`). */
  labelColumn?: string | null;
  /**
   * Column read as each selection's `score` when every non-blank cell is a number (default
   * `'Score'`; BirdNET writes `'Confidence'`; null: none, the column stays in `extra`).
   */
  scoreColumn?: string | null;
}

/** Options of {@link writeRavenTable}. */
export interface WriteRavenTableOptions {
  /** Line ending: `'lf'` (default) or `'crlf'` (what Raven on Windows writes). */
  lineEnding?: 'lf' | 'crlf';
  /**
   * Preferred order of the non-core columns (the label and score columns, measurement headers
   * such as `Dur 90% (s)` and extra headers). Columns not listed follow: label, score,
   * measurements in Raven's order, then extras in order of first appearance. The core columns
   * always come first.
   */
  columns?: string[];
  /** Header of the column holding each row's `label` (default `'Annotation'`). */
  labelColumn?: string;
  /** Header of the column holding each row's `score` (default `'Score'`). */
  scoreColumn?: string;
  /** Sample rate of the recording: rows without `highFreq` get its Nyquist frequency (sampleRate / 2). */
  sampleRate?: number;
}

// --- reading ---------------------------------------------------------------------------------

const CORE_FIELDS: Record<(typeof RAVEN_CORE_COLUMNS)[number], string> = {
  Selection: 'selection',
  View: 'views',
  Channel: 'channel',
  'Begin Time (s)': 'begin',
  'End Time (s)': 'end',
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

type ReadRow = RavenTable['rows'][number];

/** The label or score column option: a header other than the core and measurement columns, or null. */
function eventColumn(value: unknown, option: string, fallback: string, nullable: boolean): string | null {
  if (value === undefined) return fallback;
  if (value === null && nullable) return null;
  if (typeof value !== 'string' || value.trim() === '') throw typeError(nullable ? 'a column name or null' : 'a column name', option, value);
  if (/[\t\r\n]/.test(value)) throw rangeError('a column name without tabs or line breaks', option, value);
  if (CANONICAL.has(key(value))) throw rangeError('a column other than the core and measurement columns', option, value);
  return value;
}

/** Parses the text of a selection table; `path` is used in messages. See {@link readRavenTable}. */
export function parseRavenTable(text: string, path: string, options: ReadRavenTableOptions = {}): RavenTable {
  if (typeof text !== 'string') throw typeError('a string', 'text', text);
  if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
  const labelColumn = eventColumn(options.labelColumn, 'labelColumn', 'Annotation', true);
  const scoreColumn = eventColumn(options.scoreColumn, 'scoreColumn', 'Score', true);
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
  const labelAt = labelColumn === null ? -1 : columns.findIndex((c) => key(c) === key(labelColumn));
  const scoreAt = scoreColumn === null ? -1 : columns.findIndex((c) => key(c) === key(scoreColumn));
  const scoreNumeric = scoreAt >= 0 && records.every(({ cells }) => cells[scoreAt]!.trim() === '' || parseNumber(cells[scoreAt]!) !== undefined);

  const rows: ReadRow[] = [];
  const bySelection = new Map<number, ReadRow>();
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
        begin: need(cells, 'Begin Time (s)', line),
        end: need(cells, 'End Time (s)', line),
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
      if (j === labelAt) {
        if (!blank && row!.label === undefined) row!.label = raw;
        return;
      }
      if (j === scoreAt && scoreNumeric) {
        if (!blank && row!.score === undefined) row!.score = parseNumber(raw)!;
        return;
      }
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

/**
 * Reads a Raven selection table (`<sound>.Table.1.selections.txt`). LF or CRLF line ends and a
 * UTF-8 byte-order mark are accepted. Rows sharing a `Selection` number (one per view) are merged
 * into one; for every other column the first non-blank value wins. Header names are matched
 * ignoring case and repeated spaces. The label column (`Annotation`) becomes each selection's
 * `label` and a numeric score column (`Score`) its `score` (see {@link ReadRavenTableOptions}).
 * Rejects with an AudiomillError: `IO` when the file cannot be read, `DECODE_CORRUPT` (with
 * `path`) when a required column (`Selection`, `Begin Time (s)`, `End Time (s)`, `Low Freq (Hz)`,
 * `High Freq (Hz)`) is missing or one of their cells is not a number.
 */
export async function readRavenTable(path: string, options: ReadRavenTableOptions = {}): Promise<RavenTable> {
  if (typeof path !== 'string' || path === '') throw typeError('a non-empty string', 'path', path);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw ioError('read', path, err);
  }
  return parseRavenTable(text, path, options);
}

/** {@link readRavenTable} on the calling thread. */
export function readRavenTableSync(path: string, options: ReadRavenTableOptions = {}): RavenTable {
  if (typeof path !== 'string' || path === '') throw typeError('a non-empty string', 'path', path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw ioError('read', path, err);
  }
  return parseRavenTable(text, path, options);
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
export function formatRavenTable(rows: readonly RavenTableRow[], options: WriteRavenTableOptions = {}): string {
  if (!Array.isArray(rows)) throw typeError('an array of selections', 'rows', rows);
  if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
  const eol = oneOf(options.lineEnding ?? 'lf', 'lineEnding', ['lf', 'crlf'] as const) === 'crlf' ? '\r\n' : '\n';
  const preferred = options.columns ?? [];
  if (!Array.isArray(preferred)) throw typeError('an array of column names', 'columns', preferred);
  preferred.forEach((c, i) => text(c, `columns[${i}]`));
  const labelColumn = eventColumn(options.labelColumn, 'labelColumn', 'Annotation', false)!;
  const scoreColumn = eventColumn(options.scoreColumn, 'scoreColumn', 'Score', false)!;
  if (key(labelColumn) === key(scoreColumn)) throw rangeError(`a column other than labelColumn ('${labelColumn}')`, 'scoreColumn', scoreColumn);
  const nyquist = options.sampleRate === undefined ? undefined : num(options.sampleRate, 'sampleRate', { min: 0, exclusiveMin: true }) / 2;

  // Validate the rows and collect the columns they use.
  const usedMeasurements = new Set<string>();
  const extras: string[] = [];
  const numbers = new Set<number>();
  let labels = false;
  let scores = false;
  const selections = rows.map((r, i) => {
    const at = `rows[${i}]`;
    checkEvent(r, at, { minBegin: 0 });
    if (r.highFreq === undefined && nyquist === undefined) throw typeError('a number (or the sampleRate option, whose Nyquist frequency is the default)', `${at}.highFreq`, r.highFreq);
    if (r.highFreq === undefined && (r.lowFreq ?? 0) > nyquist!) throw rangeError(`a number <= the Nyquist frequency ${nyquist} (the default highFreq)`, `${at}.lowFreq`, r.lowFreq);
    if (r.label !== undefined) {
      text(r.label, `${at}.label`);
      labels = true;
    }
    if (r.score !== undefined) scores = true;
    const selection = r.selection === undefined ? i + 1 : int(r.selection, `${at}.selection`, 1);
    if (numbers.has(selection)) throw rangeError('a Selection number not used by an earlier row', `${at}.selection`, selection);
    numbers.add(selection);
    if (r.views !== undefined) {
      if (!Array.isArray(r.views) || r.views.length === 0) throw typeError('a non-empty array of view names', `${at}.views`, r.views);
      (r.views as unknown[]).forEach((v, j) => text(v, `${at}.views[${j}]`));
    }
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
        if (key(k) === key(labelColumn) || key(k) === key(scoreColumn)) {
          throw rangeError(`a column other than the label and score columns (use the row's label and score)`, `${at}.extra key`, k);
        }
        if (!extras.includes(k)) extras.push(k);
      }
    }
    return selection;
  });

  const measurementOrder = Object.values(RAVEN_MEASUREMENT_COLUMNS).filter((c) => usedMeasurements.has(c));
  const used = [...(labels ? [labelColumn] : []), ...(scores ? [scoreColumn] : []), ...measurementOrder, ...extras];
  const rest: string[] = [];
  for (const c of preferred) if (used.includes(c) && !rest.includes(c)) rest.push(c);
  for (const c of used) if (!rest.includes(c)) rest.push(c);
  const header = [...RAVEN_CORE_COLUMNS, ...rest];

  const lines = [header.join('\t')];
  rows.forEach((r, i) => {
    const at = `rows[${i}]`;
    const core = [String(r.channel ?? 1), String(r.begin), String(r.end), String(r.lowFreq ?? 0), String(r.highFreq ?? nyquist)];
    for (const view of r.views ?? ['Spectrogram 1']) {
      const out = [String(selections[i]), view, ...core];
      for (const c of rest) {
        const m = MEASUREMENT_BY_HEADER.get(c);
        if (c === labelColumn) out.push(r.label ?? '');
        else if (c === scoreColumn) out.push(cell(r.score, `${at}.score`));
        else if (m !== undefined) out.push(cell(r.measurements?.[m], `${at}.measurements.${m}`));
        else out.push(cell(r.extra?.[c], `${at}.extra[${JSON.stringify(c)}]`));
      }
      lines.push(out.join('\t'));
    }
  });
  return lines.join(eol) + eol;
}

/**
 * Writes a Raven selection table: the core columns, then the label and score columns and the
 * measurement columns used by any row (under Raven's names, e.g. `Dur 90% (s)`), then extra
 * columns; one line per view of each selection; blank cells for missing values and NaN. Plain
 * {@link AudioEvent}s are valid rows (Selection numbers default to the row positions). The file is written to a temporary file
 * beside `path`, flushed, and renamed over it, so readers never see half a table. Argument
 * mistakes throw TypeError/RangeError; file-system failures reject with AudiomillError `IO`.
 */
export async function writeRavenTable(path: string, rows: readonly RavenTableRow[], options: WriteRavenTableOptions = {}): Promise<void> {
  if (typeof path !== 'string' || path === '') throw typeError('a non-empty string', 'path', path);
  const data = formatRavenTable(rows, options);
  try {
    await writeFileAtomic(path, data);
  } catch (err) {
    throw ioError('write', path, err);
  }
}

/** {@link writeRavenTable} on the calling thread. */
export function writeRavenTableSync(path: string, rows: readonly RavenTableRow[], options: WriteRavenTableOptions = {}): void {
  if (typeof path !== 'string' || path === '') throw typeError('a non-empty string', 'path', path);
  const data = formatRavenTable(rows, options);
  try {
    writeFileAtomicSync(path, data);
  } catch (err) {
    throw ioError('write', path, err);
  }
}
