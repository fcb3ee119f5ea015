/**
 * `--figures <dir>`: every overview chart and every map (coloured by the label column) as SVG files for papers,
 * and each also as PNG at twice the size, rasterised by resvg (`@resvg/resvg-js`, a prebuilt binary from the npm
 * registry) off the event loop with the machine's fonts (Debian: fonts-dejavu-core). Where resvg cannot load (a
 * platform without its prebuild), the SVG files are written and the result says why there are no PNGs.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { scatterSvg } from './figures.js';
import { unpack } from './page-data.js';
import { categoryColour } from './scales.js';
import type { PageData } from './page-types.js';

const safe = (name: string) => name.replace(/[^A-Za-z0-9._-]+/g, '_');

type RenderAsync = (svg: string, options: object) => Promise<{ asPng(): Uint8Array }>;

/** resvg's renderAsync, or why it is unavailable. */
function rasteriser(): { render: RenderAsync } | { missing: string } {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { renderAsync } = require('@resvg/resvg-js') as { renderAsync: RenderAsync };
    return { render: renderAsync };
  } catch (err) {
    return { missing: `PNG figures need @resvg/resvg-js, which did not load (${(err as Error).message.split('\n')[0]})` };
  }
}

export interface FiguresResult {
  files: string[];
  /** Why no PNG files were written, when none were. */
  pngMissing?: string;
}

export async function writeFigures(dir: string, page: PageData): Promise<FiguresResult> {
  await mkdir(dir, { recursive: true });
  const figures: { name: string; svg: string }[] = [];
  for (const s of page.overview?.sections ?? []) for (const f of s.figures) figures.push({ name: f.name, svg: f.svg });
  const t = page.table;
  const label = t.labelColumn ? t.columns.find((c) => c.name === t.labelColumn) : undefined;
  const codes = label?.kind === 'category' ? (unpack(label.codes) as Int32Array) : null;
  const colours = Array.from({ length: t.rows }, (_, i) => (codes && codes[i]! >= 0 ? categoryColour(codes[i]!) : '#3b6ea5'));
  const legend = label?.kind === 'category' ? label.values.map((v, k) => ({ text: v, colour: categoryColour(k) })) : [];
  for (const m of page.maps?.maps ?? []) {
    const title = `${m.title}${label ? ` coloured by ${label.name}` : ''}`;
    figures.push({ name: `map-${m.name}`, svg: scatterSvg({ title, x: unpack(m.x), y: unpack(m.y), colours, xLabel: m.xLabel, yLabel: m.yLabel, legend }) });
  }
  const png = rasteriser();
  const files: string[] = [];
  const used = new Map<string, number>();
  for (const f of figures) {
    // Names that differ only in characters a file name drops get a number.
    const stem = safe(f.name);
    const seen = used.get(stem) ?? 0;
    used.set(stem, seen + 1);
    const base = join(dir, seen ? `${stem}-${seen + 1}` : stem);
    await writeFile(`${base}.svg`, f.svg);
    files.push(`${base}.svg`);
    if ('render' in png) {
      const image = await png.render(f.svg, { fitTo: { mode: 'zoom', value: 2 }, background: '#ffffff', font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' } });
      await writeFile(`${base}.png`, image.asPng());
      files.push(`${base}.png`);
    }
  }
  return { files, ...('missing' in png ? { pngMissing: png.missing } : {}) };
}
