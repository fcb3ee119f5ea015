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
  /** Value drawn as the darkest colour (default: `vmax - range`). */
  vmin?: number;
  /**
   * Value drawn as the brightest colour. Default: the largest finite value drawn, so the colour
   * scale follows the data (as `power_to_db(S, ref=np.max)` shown with `specshow` does) and only
   * the loudest cells get the top colour.
   */
  vmax?: number;
  /** Span of the colour scale in dB below vmax when vmin is not given (default 80, torchaudio's and librosa's usual top_db). */
  range?: number;
  /** Integer magnification of each cell (default 1: one pixel per frame and mel band). */
  scale?: number;
}

/** The largest finite value of the drawn cells (0 when there is none). */
function peak(data: Float32Array, rows: number, frames: number, stride: number): number {
  let max = -Infinity;
  for (let r = 0; r < rows; r++) {
    for (let t = r * stride, end = t + frames; t < end; t++) {
      const v = data[t]!;
      if (v > max && v !== Infinity) max = v;
    }
  }
  return max === -Infinity ? 0 : max;
}

/** The colour scale [vmin, vmax] spectrogramPng uses for `data` with `options`. */
export function colourRange(data: Float32Array, rows: number, frames: number, options: PngOptions & { stride?: number } = {}): { vmin: number; vmax: number } {
  const stride = options.stride ?? frames;
  const vmax = options.vmax ?? (options.vmin !== undefined ? Math.max(options.vmin, peak(data, rows, frames, stride)) : peak(data, rows, frames, stride));
  const vmin = options.vmin ?? vmax - (options.range ?? 80);
  return { vmin, vmax };
}

/**
 * PNG bytes of `data`, a row-major [rows, frames] array (only the first `frames` columns of each row
 * of `stride` values are drawn). Values are clamped to [vmin, vmax] (see {@link PngOptions} for the
 * defaults, which follow the data); NaN is drawn as vmin.
 */
export function spectrogramPng(data: Float32Array, rows: number, frames: number, options: PngOptions & { stride?: number } = {}): Uint8Array {
  const stride = options.stride ?? frames;
  const { vmin, vmax } = colourRange(data, rows, frames, options);
  const scale = Math.max(1, Math.trunc(options.scale ?? 1));
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
