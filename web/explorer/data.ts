// The page's data: the parts the data/*.js files assigned to window.AUDIOMILL_DATA, with typed arrays decoded.
import type { Packed, PageColumn, PageData, PageMap } from '../../src/explore/page-types';

export type Column =
  | { name: string; kind: 'category'; values: string[]; codes: Int32Array }
  | { name: string; kind: 'number'; data: Float64Array; min: number; max: number }
  | { name: string; kind: 'boolean'; data: Uint8Array }
  | { name: string; kind: 'text'; values: (string | null)[] };

export interface MapData {
  name: string;
  title: string;
  x: Float32Array;
  y: Float32Array;
  xLabel: string;
  yLabel: string;
  params: string;
  trust: PageMap['trustworthiness'];
  bounds: { x0: number; x1: number; y0: number; y1: number };
}

export interface Data {
  raw: PageData;
  rows: number;
  columns: Column[];
  byName: Map<string, Column>;
  maps: MapData[];
  neighbours: { k: number; rows: Int32Array; scores: Float32Array } | null;
}

function bytes(b64: string): Uint8Array {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

export function unpack(p: Packed): Float32Array | Float64Array | Int32Array | Uint8Array {
  const b = bytes(p.b64).buffer;
  switch (p.type) {
    case 'f32':
      return new Float32Array(b);
    case 'f64':
      return new Float64Array(b);
    case 'i32':
      return new Int32Array(b);
    default:
      return new Uint8Array(b);
  }
}

function column(c: PageColumn): Column {
  switch (c.kind) {
    case 'category':
      return { name: c.name, kind: 'category', values: c.values, codes: unpack(c.codes) as Int32Array };
    case 'number':
      return { name: c.name, kind: 'number', data: unpack(c.data) as Float64Array, min: c.min, max: c.max };
    case 'boolean':
      return { name: c.name, kind: 'boolean', data: unpack(c.data) as Uint8Array };
    default:
      return { name: c.name, kind: 'text', values: c.values };
  }
}

function bounds(x: Float32Array, y: Float32Array): MapData['bounds'] {
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (let i = 0; i < x.length; i++) {
    const a = x[i]!, b = y[i]!;
    if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
    if (a < x0) x0 = a;
    if (a > x1) x1 = a;
    if (b < y0) y0 = b;
    if (b > y1) y1 = b;
  }
  if (!(x1 >= x0)) return { x0: -1, x1: 1, y0: -1, y1: 1 };
  const px = (x1 - x0) * 0.04 || 1, py = (y1 - y0) * 0.04 || 1;
  return { x0: x0 - px, x1: x1 + px, y0: y0 - py, y1: y1 + py };
}

export function loadData(raw: PageData): Data {
  const columns = raw.table.columns.map(column);
  const maps = (raw.maps?.maps ?? []).map((m): MapData => {
    const x = unpack(m.x) as Float32Array, y = unpack(m.y) as Float32Array;
    return { name: m.name, title: m.title, x, y, xLabel: m.xLabel, yLabel: m.yLabel, params: m.params, trust: m.trustworthiness, bounds: bounds(x, y) };
  });
  const n = raw.neighbours;
  return {
    raw,
    rows: raw.table.rows,
    columns,
    byName: new Map(columns.map((c) => [c.name, c])),
    maps,
    neighbours: n ? { k: n.k, rows: unpack(n.rows) as Int32Array, scores: unpack(n.scores) as Float32Array } : null,
  };
}

/** A cell's value as text. */
export function cellText(c: Column, row: number): string {
  switch (c.kind) {
    case 'category': {
      const code = c.codes[row]!;
      return code < 0 ? '' : c.values[code]!;
    }
    case 'number': {
      const v = c.data[row]!;
      if (Number.isNaN(v)) return '';
      return Number.isInteger(v) ? String(v) : Math.abs(v) >= 1000 || Math.abs(v) < 0.01 ? v.toPrecision(4) : v.toFixed(3);
    }
    case 'boolean': {
      const v = c.data[row]!;
      return v === 2 ? '' : v === 1 ? 'true' : 'false';
    }
    default:
      return c.values[row] ?? '';
  }
}
