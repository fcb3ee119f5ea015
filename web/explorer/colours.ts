// Colours for categories and numbers: the 20-colour qualitative palette the exported figures use (scales.ts) and the
// viridis ramp (perceptually uniform, readable in grey) through nine stops.
import { categoryColour, PALETTE } from '../../src/explore/scales';
import type { Column } from './data';

const VIRIDIS = ['#440154', '#472d7b', '#3b528b', '#2c728e', '#21918c', '#28ae80', '#5ec962', '#addc30', '#fde725'];
export const MISSING = categoryColour(-1);

export function rgb(hex: string): [number, number, number] {
  return [parseInt(hex.slice(1, 3), 16), parseInt(hex.slice(3, 5), 16), parseInt(hex.slice(5, 7), 16)];
}

export function ramp(t: number): [number, number, number] {
  if (!Number.isFinite(t)) return rgb(MISSING);
  const x = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const a = rgb(VIRIDIS[i]!), b = rgb(VIRIDIS[i + 1]!), f = x - i;
  return [0, 1, 2].map((k) => Math.round(a[k]! + (b[k]! - a[k]!) * f)) as [number, number, number];
}

export interface Legend {
  kind: 'category' | 'ramp' | 'none';
  entries: { text: string; colour: string }[];
}

/** RGB bytes per row for colouring by `c` (grey when null), and the legend. */
export function colourRows(c: Column | undefined, rows: number): { rgb: Uint8Array; legend: Legend } {
  const out = new Uint8Array(rows * 3);
  const put = (i: number, v: [number, number, number]) => ((out[3 * i] = v[0]), (out[3 * i + 1] = v[1]), (out[3 * i + 2] = v[2]));
  const base = rgb('#3b6ea5');
  if (!c) {
    for (let i = 0; i < rows; i++) put(i, base);
    return { rgb: out, legend: { kind: 'none', entries: [] } };
  }
  if (c.kind === 'number') {
    const span = c.max - c.min || 1;
    for (let i = 0; i < rows; i++) put(i, ramp((c.data[i]! - c.min) / span));
    const entries = [0, 0.25, 0.5, 0.75, 1].map((t) => ({ text: (c.min + t * span).toPrecision(3), colour: `rgb(${ramp(t).join(',')})` }));
    return { rgb: out, legend: { kind: 'ramp', entries } };
  }
  if (c.kind === 'boolean') {
    const colours = [rgb(PALETTE[0]!), rgb(PALETTE[3]!), rgb(MISSING)];
    for (let i = 0; i < rows; i++) put(i, colours[c.data[i]!]!);
    return { rgb: out, legend: { kind: 'category', entries: [{ text: 'false', colour: PALETTE[0]! }, { text: 'true', colour: PALETTE[3]! }] } };
  }
  if (c.kind === 'category') {
    const colours = c.values.map((_, k) => rgb(categoryColour(k)));
    for (let i = 0; i < rows; i++) {
      const code = c.codes[i]!;
      put(i, code < 0 ? rgb(MISSING) : colours[code]!);
    }
    return { rgb: out, legend: { kind: 'category', entries: c.values.map((v, k) => ({ text: v, colour: categoryColour(k) })) } };
  }
  for (let i = 0; i < rows; i++) put(i, base);
  return { rgb: out, legend: { kind: 'none', entries: [] } };
}
