/**
 * Spectrogram thumbnails: a (rows x frames) dB image mapped through matplotlib's magma colour map
 * (the table from d3-scale-chromatic) and encoded as an RGB PNG by fast-png. Row 0 (the lowest mel
 * band) is drawn at the bottom, as `imshow(..., origin='lower')` does.
 */

let magma: Uint8Array | null = null;

/** The 256-entry magma table, RGB bytes. */
function magmaTable(): Uint8Array {
  if (magma) return magma;
  // d3-scale-chromatic is an ES module without top-level await: Node >= 20.19 loads it with require().
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { interpolateMagma } = require('d3-scale-chromatic') as { interpolateMagma(t: number): string };
  const table = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) {
    const hex = interpolateMagma(i / 255); // '#rrggbb'
    for (let c = 0; c < 3; c++) table[3 * i + c] = parseInt(hex.slice(1 + 2 * c, 3 + 2 * c), 16);
  }
  magma = table;
  return table;
}

export interface PngOptions {
  /** Value drawn as the darkest colour (default -80, the pad floor). */
  vmin?: number;
  /** Value drawn as the brightest colour (default 0 dB). */
  vmax?: number;
  /** Integer magnification of each cell (default 1: one pixel per frame and mel band). */
  scale?: number;
}

/**
 * PNG bytes of `data`, a row-major [rows, frames] array (only the first `frames` columns of each row
 * of `stride` values are drawn). Values are clamped to [vmin, vmax]; NaN is drawn as vmin.
 */
export function spectrogramPng(data: Float32Array, rows: number, frames: number, options: PngOptions & { stride?: number } = {}): Uint8Array {
  const vmin = options.vmin ?? -80;
  const vmax = options.vmax ?? 0;
  const scale = Math.max(1, Math.trunc(options.scale ?? 1));
  const stride = options.stride ?? frames;
  const table = magmaTable();
  const width = frames * scale;
  const height = rows * scale;
  const pixels = new Uint8Array(width * height * 3);
  const span = vmax > vmin ? vmax - vmin : 1;
  for (let r = 0; r < rows; r++) {
    for (let t = 0; t < frames; t++) {
      const v = data[r * stride + t]!;
      const u = v > vmin ? (v < vmax ? (v - vmin) / span : 1) : 0; // NaN -> 0
      const k = 3 * Math.round(u * 255);
      for (let dy = 0; dy < scale; dy++) {
        const y = height - 1 - (r * scale + dy);
        for (let dx = 0; dx < scale; dx++) {
          const p = 3 * (y * width + t * scale + dx);
          pixels[p] = table[k]!;
          pixels[p + 1] = table[k + 1]!;
          pixels[p + 2] = table[k + 2]!;
        }
      }
    }
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { encode } = require('fast-png') as { encode(image: { width: number; height: number; data: Uint8Array; channels: number; depth: number }): Uint8Array };
  return encode({ width, height, data: pixels, channels: 3, depth: 8 });
}
