// The page's state, kept in the URL's hash so that a view (tab, filters, map, lasso, selected clip) can be
// bookmarked and shared: #tab=clips&f.label=dog,cat&f.silence_ratio=0.7..&map=umap&color=label&lasso=umap:x,y;...&clip=12
import type { Column, Data } from './data';

export type Filter =
  | { kind: 'category'; values: Set<string> }
  | { kind: 'range'; min: number | null; max: number | null }
  | { kind: 'boolean'; value: boolean };

export interface State {
  tab: string;
  filters: Map<string, Filter>;
  text: string;
  map: string;
  color: string;
  /** A lasso drawn on a map, in that map's coordinates. */
  lasso: { map: string; points: [number, number][] } | null;
  clip: number | null;
}

const num = (s: string): number | null => (s.trim() === '' || !Number.isFinite(Number(s)) ? null : Number(s));

export function parseHash(hash: string, data: Data): State {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const filters = new Map<string, Filter>();
  for (const [key, value] of p) {
    if (!key.startsWith('f.')) continue;
    const col = data.byName.get(key.slice(2));
    if (!col) continue;
    if (col.kind === 'number') {
      const [lo = '', hi = ''] = value.split('..');
      const f: Filter = { kind: 'range', min: num(lo), max: num(hi) };
      if (f.min !== null || f.max !== null) filters.set(col.name, f);
    } else if (col.kind === 'boolean') {
      if (value === 'true' || value === 'false') filters.set(col.name, { kind: 'boolean', value: value === 'true' });
    } else if (col.kind === 'category') {
      const decode = (v: string) => {
        try {
          return decodeURIComponent(v);
        } catch {
          return null; // a hand-edited or twice-decoded value: skipped
        }
      };
      const values = value.split(',').map(decode).filter((v): v is string => v !== null && col.values.includes(v));
      if (values.length) filters.set(col.name, { kind: 'category', values: new Set(values) });
    }
  }
  let lasso: State['lasso'] = null;
  const l = p.get('lasso');
  if (l) {
    const [map = '', pts = ''] = l.split(':');
    const points = pts.split(';').map((xy) => xy.split(',').map(Number) as [number, number]).filter((xy) => xy.length === 2 && xy.every(Number.isFinite));
    if (points.length >= 3 && data.maps.some((m) => m.name === map)) lasso = { map, points };
  }
  const clip = p.get('clip');
  const clipRow = clip !== null && /^\d+$/.test(clip) && Number(clip) < data.rows ? Number(clip) : null;
  const map = p.get('map');
  const color = p.get('color');
  const defaultColour = data.raw.table.labelColumn ?? '';
  return {
    tab: p.get('tab') ?? 'clips',
    filters,
    text: p.get('q') ?? '',
    map: map && data.maps.some((m) => m.name === map) ? map : (data.maps[0]?.name ?? ''),
    color: color !== null && (color === '' || data.byName.has(color)) ? color : defaultColour,
    lasso,
    clip: clipRow,
  };
}

export function formatHash(s: State): string {
  const p: string[] = [`tab=${encodeURIComponent(s.tab)}`];
  for (const [name, f] of s.filters) {
    const key = `f.${encodeURIComponent(name)}`;
    if (f.kind === 'category') p.push(`${key}=${[...f.values].map((v) => encodeURIComponent(encodeURIComponent(v))).join(',')}`);
    else if (f.kind === 'range') p.push(`${key}=${f.min ?? ''}..${f.max ?? ''}`);
    else p.push(`${key}=${f.value}`);
  }
  if (s.text) p.push(`q=${encodeURIComponent(s.text)}`);
  if (s.map) p.push(`map=${encodeURIComponent(s.map)}`);
  p.push(`color=${encodeURIComponent(s.color)}`);
  if (s.lasso) p.push(`lasso=${encodeURIComponent(s.lasso.map)}:${s.lasso.points.map(([x, y]) => `${+x.toPrecision(8)},${+y.toPrecision(8)}`).join(';')}`);
  if (s.clip !== null) p.push(`clip=${s.clip}`);
  return `#${p.join('&')}`;
}

/** Does row `i` pass filter `f` on column `c`? */
export function passes(c: Column, f: Filter, i: number): boolean {
  if (f.kind === 'range' && c.kind === 'number') {
    const v = c.data[i]!;
    if (Number.isNaN(v)) return false;
    return (f.min === null || v >= f.min) && (f.max === null || v <= f.max);
  }
  if (f.kind === 'boolean' && c.kind === 'boolean') return c.data[i] === (f.value ? 1 : 0);
  if (f.kind === 'category' && c.kind === 'category') {
    const code = c.codes[i]!;
    return code >= 0 && f.values.has(c.values[code]!);
  }
  return true;
}

/** Even-odd rule: is (x, y) inside the polygon? */
export function inside(points: [number, number][], x: number, y: number): boolean {
  let hit = false;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    const [xi, yi] = points[i]!, [xj, yj] = points[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) hit = !hit;
  }
  return hit;
}

export interface Selection {
  /** Rows that pass every filter, the lasso and the text search, in row order. */
  visible: Int32Array;
  /** Per row, how many of the active filters (lasso and search included) it fails. */
  fails: Uint16Array;
  /** Per filtered column, which rows fail that filter (for facet counts that ignore a column's own filter). */
  own: Map<string, Uint8Array>;
}

export function select(data: Data, s: State): Selection {
  const n = data.rows;
  const fails = new Uint16Array(n);
  const own = new Map<string, Uint8Array>();
  for (const [name, f] of s.filters) {
    const c = data.byName.get(name);
    if (!c) continue;
    const fail = new Uint8Array(n);
    for (let i = 0; i < n; i++) if (!passes(c, f, i)) (fail[i] = 1), (fails[i] = fails[i]! + 1);
    own.set(name, fail);
  }
  if (s.lasso) {
    const m = data.maps.find((mm) => mm.name === s.lasso!.map);
    if (m) {
      const pts = s.lasso.points;
      let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
      for (const [x, y] of pts) (x0 = Math.min(x0, x)), (x1 = Math.max(x1, x)), (y0 = Math.min(y0, y)), (y1 = Math.max(y1, y));
      for (let i = 0; i < n; i++) {
        const x = m.x[i]!, y = m.y[i]!;
        if (!(x >= x0 && x <= x1 && y >= y0 && y <= y1) || !inside(pts, x, y)) fails[i] = fails[i]! + 1;
      }
    }
  }
  const q = s.text.trim().toLowerCase();
  if (q) {
    const names = data.raw.table.names;
    for (let i = 0; i < n; i++) if (!names[i]!.toLowerCase().includes(q)) fails[i] = fails[i]! + 1;
  }
  let count = 0;
  for (let i = 0; i < n; i++) if (fails[i] === 0) count++;
  const visible = new Int32Array(count);
  for (let i = 0, k = 0; i < n; i++) if (fails[i] === 0) visible[k++] = i;
  return { visible, fails, own };
}
