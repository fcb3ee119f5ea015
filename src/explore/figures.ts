/**
 * The explorer's charts as SVG text: histograms, bar charts, a correlation heatmap, a scree plot and a map
 * scatter. The same text goes into the page's overview tab and, with `--figures`, into files for papers
 * (sizes in pixels, text in the page's sans-serif, axes labelled with their units).
 */

import { ticks } from './scales.js';

export { ticks };

const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"';
const BAR = '#3b6ea5';

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function fmt(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(1);
  return String(+v.toPrecision(3));
}

interface Frame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

function open(f: Frame, title: string): string[] {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${f.width}" height="${f.height}" viewBox="0 0 ${f.width} ${f.height}" ${FONT} font-size="11" role="img">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${f.width}" height="${f.height}" fill="#fff"/>`,
    `<text x="${f.width / 2}" y="16" text-anchor="middle" font-size="13" font-weight="600">${escapeXml(title)}</text>`,
  ];
}

/** Axes with ticks: x from xs (values at pixel positions), y linear in [y0, y1]. */
function axes(f: Frame, x: { lo: number; hi: number; label: string } | null, y: { lo: number; hi: number; label: string }): string[] {
  const out: string[] = [];
  const pw = f.width - f.left - f.right, ph = f.height - f.top - f.bottom;
  const X0 = f.left, Y0 = f.height - f.bottom;
  out.push(`<path d="M${X0},${f.top}V${Y0}H${f.width - f.right}" fill="none" stroke="#444"/>`);
  for (const t of ticks(y.lo, y.hi, 5)) {
    const py = Y0 - ((t - y.lo) / (y.hi - y.lo || 1)) * ph;
    out.push(`<line x1="${X0 - 4}" x2="${X0}" y1="${py.toFixed(1)}" y2="${py.toFixed(1)}" stroke="#444"/>`, `<text x="${X0 - 6}" y="${(py + 4).toFixed(1)}" text-anchor="end">${fmt(t)}</text>`);
  }
  if (x) {
    for (const t of ticks(x.lo, x.hi, Math.max(2, Math.floor(pw / 80)))) {
      const px = X0 + ((t - x.lo) / (x.hi - x.lo || 1)) * pw;
      out.push(`<line x1="${px.toFixed(1)}" x2="${px.toFixed(1)}" y1="${Y0}" y2="${Y0 + 4}" stroke="#444"/>`, `<text x="${px.toFixed(1)}" y="${Y0 + 16}" text-anchor="middle">${fmt(t)}</text>`);
    }
    out.push(`<text x="${X0 + pw / 2}" y="${f.height - 6}" text-anchor="middle" font-size="12">${escapeXml(x.label)}</text>`);
  }
  out.push(`<text transform="translate(14,${f.top + ph / 2}) rotate(-90)" text-anchor="middle" font-size="12">${escapeXml(y.label)}</text>`);
  return out;
}

/** A histogram of the finite values (equal-width bins over [min, max]). */
export function histogramSvg(options: { title: string; values: ArrayLike<number>; bins?: number; xLabel: string; width?: number; height?: number }): string {
  const f: Frame = { width: options.width ?? 360, height: options.height ?? 240, left: 52, right: 14, top: 26, bottom: 40 };
  let lo = Infinity, hi = -Infinity, n = 0;
  for (let i = 0; i < options.values.length; i++) {
    const v = options.values[i]!;
    if (Number.isFinite(v)) (lo = Math.min(lo, v)), (hi = Math.max(hi, v)), n++;
  }
  const out = open(f, options.title);
  if (n === 0) return [...out, `<text x="${f.width / 2}" y="${f.height / 2}" text-anchor="middle">no finite values</text></svg>`].join('');
  if (hi === lo) (lo -= 0.5), (hi += 0.5);
  const bins = options.bins ?? 40;
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < options.values.length; i++) {
    const v = options.values[i]!;
    if (Number.isFinite(v)) counts[Math.min(bins - 1, Math.floor(((v - lo) / (hi - lo)) * bins))]!++;
  }
  const top = Math.max(...counts);
  const pw = f.width - f.left - f.right, ph = f.height - f.top - f.bottom;
  const bw = pw / bins;
  counts.forEach((c, k) => {
    const h = (c / top) * ph;
    if (c > 0) out.push(`<rect x="${(f.left + k * bw).toFixed(1)}" y="${(f.height - f.bottom - h).toFixed(1)}" width="${Math.max(0.5, bw - 0.6).toFixed(1)}" height="${h.toFixed(1)}" fill="${BAR}"><title>${fmt(lo + (k * (hi - lo)) / bins)} to ${fmt(lo + ((k + 1) * (hi - lo)) / bins)}: ${c}</title></rect>`);
  });
  out.push(...axes(f, { lo, hi, label: options.xLabel }, { lo: 0, hi: top, label: 'clips' }), '</svg>');
  return out.join('');
}

/** Horizontal bars, one per category, with the value (and a percentage of `total`) written after each. */
export function barsSvg(options: { title: string; labels: string[]; values: number[]; total?: number; xLabel: string; width?: number }): string {
  const rowH = 18;
  const longest = Math.min(28, Math.max(4, ...options.labels.map((l) => l.length)));
  const f: Frame = { width: options.width ?? 420, height: 60 + rowH * options.labels.length, left: 12 + longest * 6.2, right: 90, top: 26, bottom: 34 };
  const out = open(f, options.title);
  const top = Math.max(1e-12, ...options.values);
  const pw = f.width - f.left - f.right;
  options.labels.forEach((label, k) => {
    const v = options.values[k]!;
    const y = f.top + k * rowH;
    const w = (Math.max(0, v) / top) * pw;
    const text = label.length > 28 ? `${label.slice(0, 27)}…` : label;
    const pct = options.total ? ` (${((100 * v) / options.total).toFixed(1)} %)` : '';
    out.push(
      `<text x="${f.left - 6}" y="${y + 13}" text-anchor="end">${escapeXml(text)}</text>`,
      `<rect x="${f.left}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowH - 5}" fill="${BAR}"><title>${escapeXml(label)}: ${fmt(v)}${pct}</title></rect>`,
      `<text x="${(f.left + w + 4).toFixed(1)}" y="${y + 13}">${fmt(v)}${pct}</text>`,
    );
  });
  const Y0 = f.top + rowH * options.labels.length;
  out.push(`<path d="M${f.left},${f.top}V${Y0 + 2}" stroke="#444"/>`, `<text x="${f.left + pw / 2}" y="${Y0 + 22}" text-anchor="middle" font-size="12">${escapeXml(options.xLabel)}</text>`, '</svg>');
  return out.join('');
}

/** Blue (−1) → white (0) → red (+1), like matplotlib's coolwarm. */
function diverging(v: number): string {
  if (!Number.isFinite(v)) return '#d9d9d9';
  const t = Math.max(-1, Math.min(1, v));
  const [r, g, b] = t < 0 ? [59, 76, 192] : [180, 4, 38];
  const a = Math.abs(t);
  const mix = (c: number) => Math.round(247 + (c - 247) * a);
  return `rgb(${mix(r)},${mix(g)},${mix(b)})`;
}

/** A square matrix of values in [−1, 1] (correlations), each cell written to two decimals. */
export function heatmapSvg(options: { title: string; labels: string[]; matrix: ArrayLike<number>; caption?: string }): string {
  const n = options.labels.length;
  const cell = n > 16 ? 22 : 30;
  const longest = Math.min(24, Math.max(4, ...options.labels.map((l) => l.length)));
  const margin = 12 + longest * 6;
  const f: Frame = { width: margin + n * cell + 70, height: 30 + margin + n * cell, left: margin, right: 70, top: 30, bottom: margin };
  const out = open(f, options.title);
  const short = (l: string) => (l.length > 24 ? `${l.slice(0, 23)}…` : l);
  for (let i = 0; i < n; i++) {
    out.push(`<text x="${margin - 6}" y="${f.top + i * cell + cell / 2 + 4}" text-anchor="end">${escapeXml(short(options.labels[i]!))}</text>`);
    const x = margin + i * cell + cell / 2, y = f.top + n * cell + 6;
    out.push(`<text transform="translate(${x + 4},${y}) rotate(-60)" text-anchor="end">${escapeXml(short(options.labels[i]!))}</text>`);
    for (let j = 0; j < n; j++) {
      const v = options.matrix[i * n + j]!;
      out.push(
        `<rect x="${margin + j * cell}" y="${f.top + i * cell}" width="${cell}" height="${cell}" fill="${diverging(v)}" stroke="#fff"><title>${escapeXml(options.labels[i]!)} / ${escapeXml(options.labels[j]!)}: ${Number.isFinite(v) ? v.toFixed(3) : 'n/a'}</title></rect>`,
      );
      if (cell >= 26 && Number.isFinite(v)) out.push(`<text x="${margin + j * cell + cell / 2}" y="${f.top + i * cell + cell / 2 + 4}" text-anchor="middle" font-size="9" fill="${Math.abs(v) > 0.6 ? '#fff' : '#111'}">${v.toFixed(2)}</text>`);
    }
  }
  // Colour bar.
  const bx = margin + n * cell + 16, bh = n * cell;
  for (let k = 0; k < 40; k++) out.push(`<rect x="${bx}" y="${(f.top + (k * bh) / 40).toFixed(1)}" width="14" height="${(bh / 40 + 0.5).toFixed(1)}" fill="${diverging(1 - (2 * k) / 39)}"/>`);
  out.push(`<text x="${bx + 18}" y="${f.top + 8}">+1</text>`, `<text x="${bx + 18}" y="${f.top + bh / 2 + 4}">0</text>`, `<text x="${bx + 18}" y="${f.top + bh}">−1</text>`, '</svg>');
  return out.join('');
}

/** Explained variance ratio per component (bars) and cumulated (line), in percent. */
export function screeSvg(options: { title: string; ratios: ArrayLike<number> }): string {
  const f: Frame = { width: 420, height: 260, left: 52, right: 14, top: 26, bottom: 40 };
  const out = open(f, options.title);
  const n = options.ratios.length;
  const pw = f.width - f.left - f.right, ph = f.height - f.top - f.bottom;
  const bw = pw / Math.max(1, n);
  let cum = 0;
  const line: string[] = [];
  for (let k = 0; k < n; k++) {
    const r = 100 * options.ratios[k]!;
    cum += r;
    const h = (r / 100) * ph;
    out.push(`<rect x="${(f.left + k * bw + 2).toFixed(1)}" y="${(f.height - f.bottom - h).toFixed(1)}" width="${Math.max(1, bw - 4).toFixed(1)}" height="${h.toFixed(1)}" fill="${BAR}"><title>PC${k + 1}: ${r.toFixed(1)} % (cumulative ${cum.toFixed(1)} %)</title></rect>`);
    line.push(`${(f.left + (k + 0.5) * bw).toFixed(1)},${(f.height - f.bottom - (cum / 100) * ph).toFixed(1)}`);
    if (n <= 24) out.push(`<text x="${(f.left + (k + 0.5) * bw).toFixed(1)}" y="${f.height - f.bottom + 14}" text-anchor="middle">${k + 1}</text>`);
  }
  out.push(`<polyline points="${line.join(' ')}" fill="none" stroke="#c0392b" stroke-width="2"/>`);
  out.push(...axes(f, null, { lo: 0, hi: 100, label: 'explained variance (%)' }));
  out.push(`<text x="${f.left + pw / 2}" y="${f.height - 6}" text-anchor="middle" font-size="12">principal component (bars: each; line: cumulative)</text>`, '</svg>');
  return out.join('');
}

/** Points (at most `limit`, an even sample beyond it) coloured per point, with a legend. */
export function scatterSvg(options: { title: string; x: ArrayLike<number>; y: ArrayLike<number>; colours: string[]; xLabel: string; yLabel: string; legend?: { text: string; colour: string }[]; limit?: number }): string {
  const legend = (options.legend ?? []).slice(0, 30);
  const f: Frame = { width: 560 + (legend.length ? 150 : 0), height: 460, left: 52, right: 14 + (legend.length ? 150 : 0), top: 26, bottom: 40 };
  const out = open(f, options.title);
  const n = options.x.length;
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (let i = 0; i < n; i++) {
    const a = options.x[i]!, b = options.y[i]!;
    if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
    (x0 = Math.min(x0, a)), (x1 = Math.max(x1, a)), (y0 = Math.min(y0, b)), (y1 = Math.max(y1, b));
  }
  if (!(x1 >= x0)) (x0 = 0), (x1 = 1), (y0 = 0), (y1 = 1);
  // 4 % of room on each side, so no point sits on an axis.
  const padX = (x1 - x0) * 0.04 || 1, padY = (y1 - y0) * 0.04 || 1;
  (x0 -= padX), (x1 += padX), (y0 -= padY), (y1 += padY);
  const pw = f.width - f.left - f.right, ph = f.height - f.top - f.bottom;
  const step = Math.max(1, Math.ceil(n / (options.limit ?? 20000)));
  const r = n > 5000 ? 1.2 : 2.5;
  for (let i = 0; i < n; i += step) {
    const a = options.x[i]!, b = options.y[i]!;
    if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
    const px = f.left + ((a - x0) / (x1 - x0 || 1)) * pw, py = f.height - f.bottom - ((b - y0) / (y1 - y0 || 1)) * ph;
    out.push(`<circle cx="${px.toFixed(1)}" cy="${py.toFixed(1)}" r="${r}" fill="${options.colours[i] ?? BAR}" fill-opacity="0.8"/>`);
  }
  out.push(...axes(f, { lo: x0, hi: x1, label: options.xLabel }, { lo: y0, hi: y1, label: options.yLabel }));
  legend.forEach((e, k) => {
    const lx = f.width - f.right + 14, ly = f.top + 6 + k * 15;
    out.push(`<circle cx="${lx}" cy="${ly}" r="4" fill="${e.colour}"/>`, `<text x="${lx + 8}" y="${ly + 4}">${escapeXml(e.text.length > 20 ? `${e.text.slice(0, 19)}…` : e.text)}</text>`);
  });
  out.push('</svg>');
  return out.join('');
}
