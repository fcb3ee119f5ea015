/**
 * The explorer's table as the page reads it: each manifest column typed for filtering (categories, numbers,
 * flags, text), typed arrays packed as base64, and the data files (`data/<part>.js`) that hand each part to the
 * page through `window.AUDIOMILL_DATA` (a page opened from disk may load scripts, not fetch files).
 */
import { isMissing } from '../embed/read.js';
import { LABEL_COLUMNS } from '../manifest/clips.js';
import type { Packed, PageColumn } from './page-types.js';

type Typed = Float32Array | Float64Array | Int32Array | Uint8Array;

export function pack(a: Typed): Packed {
  const type = a instanceof Float32Array ? 'f32' : a instanceof Float64Array ? 'f64' : a instanceof Int32Array ? 'i32' : 'u8';
  return { type, b64: Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64') };
}

export function unpack(p: Packed): Typed {
  const b = Buffer.from(p.b64, 'base64');
  const copy = new Uint8Array(b.length);
  copy.set(b);
  switch (p.type) {
    case 'f32':
      return new Float32Array(copy.buffer);
    case 'f64':
      return new Float64Array(copy.buffer);
    case 'i32':
      return new Int32Array(copy.buffer);
    default:
      return copy;
  }
}

/** Columns never offered as filters by value (shown as text). */
const TEXT_COLUMNS = new Set(['path', 'filename', 'file', 'error', 'id', 'clip_id', 'sha256']);
/** At most this many distinct values make a category (more: text, or numbers when numeric). */
const MAX_CATEGORIES = 300;
/** Integer columns with at most this many distinct values are categories (folds, targets, channels)... */
const MAX_INTEGER_CATEGORIES = 20;
/** ...unless the name says the column is a measurement (levels, ratios, rates, times, coordinates, scores). */
const MEASUREMENT = /(_db|_ratio|_rate|_time|_seconds|_score|_hz|_offset|_variance)$|^(duration|lat|lon|lng|latitude|longitude|score|rms|snr)$/i;


function categoryOrder(values: string[]): string[] {
  const numeric = values.every((v) => v.trim() !== '' && Number.isFinite(Number(v)));
  return numeric ? values.sort((a, b) => Number(a) - Number(b)) : values.sort((a, b) => a.localeCompare(b));
}

/** One column typed for the page (`category`: a category whatever its values, as the label column is). */
export function pageColumn(name: string, values: readonly unknown[], options: { category?: boolean } = {}): PageColumn {
  const n = values.length;
  const present = values.filter((v) => !isMissing(v));
  if (present.length > 0 && present.every((v) => typeof v === 'boolean')) {
    const data = new Uint8Array(n);
    values.forEach((v, i) => (data[i] = isMissing(v) ? 2 : v === true ? 1 : 0));
    return { name, kind: 'boolean', data: pack(data) };
  }
  const numeric = present.length > 0 && present.every((v) => typeof v === 'number' || typeof v === 'bigint');
  const distinct = new Set(present.map((v) => String(v)));
  const integers = numeric && present.every((v) => typeof v === 'bigint' || Number.isInteger(v));
  const asCategory = (options.category === true && distinct.size > 0) || (!TEXT_COLUMNS.has(name) && distinct.size > 0 && (numeric ? integers && distinct.size <= MAX_INTEGER_CATEGORIES && !MEASUREMENT.test(name) : distinct.size <= MAX_CATEGORIES && distinct.size < n));
  if (asCategory) {
    const order = categoryOrder([...distinct]);
    const code = new Map(order.map((v, k) => [v, k]));
    const codes = new Int32Array(n);
    values.forEach((v, i) => (codes[i] = isMissing(v) ? -1 : code.get(String(v))!));
    return { name, kind: 'category', values: order, codes: pack(codes) };
  }
  if (numeric) {
    const data = new Float64Array(n);
    let min = Infinity, max = -Infinity;
    values.forEach((v, i) => {
      const x = isMissing(v) ? NaN : Number(v);
      data[i] = x;
      if (Number.isFinite(x)) (min = Math.min(min, x)), (max = Math.max(max, x));
    });
    if (min > max) (min = 0), (max = 0);
    return { name, kind: 'number', data: pack(data), min, max };
  }
  return { name, kind: 'text', values: values.map((v) => (isMissing(v) ? null : typeof v === 'object' ? JSON.stringify(v) : String(v))) };
}

/** The column shown as each clip's label: `preferred`, else the first of the usual names that is a category. */
export function chooseLabelColumn(columns: readonly PageColumn[], preferred?: string): string | null {
  if (preferred !== undefined) return preferred;
  for (const n of LABEL_COLUMNS) if (columns.some((c) => c.name === n && c.kind === 'category')) return n;
  // A label column whose every value is distinct (or has more than 300) is still the label.
  for (const n of LABEL_COLUMNS) if (columns.some((c) => c.name === n && c.kind === 'text')) return n;
  return null;
}

/** The text of `data/<part>.js`: the part as one JSON string parsed by the page (faster than an object literal). */
export function dataScript(part: string, value: unknown): string {
  return `window.AUDIOMILL_DATA=window.AUDIOMILL_DATA||{};window.AUDIOMILL_DATA[${JSON.stringify(part)}]=JSON.parse(${JSON.stringify(JSON.stringify(value))});\n`;
}

/** The page itself: the style sheet, the data files and the script, all relative, nothing fetched. */
export function indexHtml(title: string, parts: readonly string[]): string {
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // Nothing but the page's own folder and inline images: no request leaves the machine.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'self' file:; img-src 'self' file: data: blob:; media-src 'self' file: blob:; style-src 'self' file: 'unsafe-inline'; script-src 'self' file:; connect-src 'none'">`,
    `<title>${esc(title)} · audiomill explorer</title>`,
    '<link rel="icon" href="data:,">',
    '<link rel="stylesheet" href="assets/app.css">',
    '</head>',
    '<body>',
    '<noscript>The audiomill explorer needs JavaScript.</noscript>',
    ...parts.map((p) => `<script src="data/${p}.js"></script>`),
    '<script src="assets/app.js"></script>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
