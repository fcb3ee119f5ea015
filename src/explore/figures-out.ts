/**
 * `--figures <dir>`: every overview chart and every map (coloured by the label column) as SVG files, for papers.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { scatterSvg } from './figures.js';
import { unpack } from './page-data.js';
import type { PageData } from './page-types.js';

const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

const safe = (name: string) => name.replace(/[^A-Za-z0-9._-]+/g, '_');

export async function writeFigures(dir: string, page: PageData): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const s of page.overview?.sections ?? []) {
    for (const f of s.figures) {
      const path = join(dir, `${safe(f.name)}.svg`);
      await writeFile(path, f.svg);
      written.push(path);
    }
  }
  const t = page.table;
  const label = t.labelColumn ? t.columns.find((c) => c.name === t.labelColumn) : undefined;
  const codes = label?.kind === 'category' ? (unpack(label.codes) as Int32Array) : null;
  const colours = Array.from({ length: t.rows }, (_, i) => (codes && codes[i]! >= 0 ? PALETTE[codes[i]! % PALETTE.length]! : '#3b6ea5'));
  const legend = label?.kind === 'category' ? label.values.map((v, k) => ({ text: v, colour: PALETTE[k % PALETTE.length]! })) : [];
  for (const m of page.maps?.maps ?? []) {
    const title = `${m.title}${label ? ` coloured by ${label.name}` : ''}`;
    const path = join(dir, `map-${safe(m.name)}.svg`);
    await writeFile(path, scatterSvg({ title, x: unpack(m.x), y: unpack(m.y), colours, xLabel: m.xLabel, yLabel: m.yLabel, legend }));
    written.push(path);
  }
  return written;
}
