/**
 * Spectrogram thumbnails: a (rows x frames) dB image mapped through matplotlib's magma colour map
 * (the table from d3-scale-chromatic) and encoded as an 8-bit RGB PNG: each scanline with PNG's Sub filter,
 * compressed by Node's zlib (native: `spectrogramPngAsync` deflates on libuv's thread pool, off the event loop,
 * several images at once). Row 0 (the lowest mel band) is drawn at the bottom, as `imshow(..., origin='lower')`
 * does.
 */

import { crc32, deflate, deflateSync } from 'node:zlib';

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

/** One PNG chunk: length, type, data, CRC-32 of type and data. */
function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

/** The filtered scanlines of an RGB image: a Sub filter byte (1) and each byte minus the one 3 to its left. */
function scanlines(width: number, height: number, pixels: Uint8Array): Uint8Array {
  const line = 3 * width;
  const out = new Uint8Array(height * (line + 1));
  for (let y = 0; y < height; y++) {
    const o = y * (line + 1), p = y * line;
    out[o] = 1;
    for (let i = 0; i < line; i++) out[o + 1 + i] = (pixels[p + i]! - (i >= 3 ? pixels[p + i - 3]! : 0)) & 255;
  }
  return out;
}

function pngFile(width: number, height: number, idat: Uint8Array): Uint8Array {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: RGB
  return Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', new Uint8Array(0))]);
}

/** An 8-bit RGB PNG of `pixels` (width x height x 3 bytes, top row first). */
export function encodePngRgb(width: number, height: number, pixels: Uint8Array): Uint8Array {
  return pngFile(width, height, deflateSync(scanlines(width, height, pixels)));
}

/** encodePngRgb, compressed on libuv's thread pool. */
export async function encodePngRgbAsync(width: number, height: number, pixels: Uint8Array): Promise<Uint8Array> {
  const idat = await new Promise<Buffer>((ok, fail) => deflate(scanlines(width, height, pixels), (err, out) => (err ? fail(err) : ok(out))));
  return pngFile(width, height, idat);
}

/**
 * PNG bytes of `data`, a row-major [rows, frames] array (only the first `frames` columns of each row
 * of `stride` values are drawn). Values are clamped to [vmin, vmax] (see {@link PngOptions} for the
 * defaults, which follow the data); NaN is drawn as vmin.
 */
export function spectrogramPng(data: Float32Array, rows: number, frames: number, options: PngOptions & { stride?: number } = {}): Uint8Array {
  const { width, height, pixels } = spectrogramPixels(data, rows, frames, options);
  return encodePngRgb(width, height, pixels);
}

/** spectrogramPng, compressed off the event loop. */
export async function spectrogramPngAsync(data: Float32Array, rows: number, frames: number, options: PngOptions & { stride?: number } = {}): Promise<Uint8Array> {
  const { width, height, pixels } = spectrogramPixels(data, rows, frames, options);
  return encodePngRgbAsync(width, height, pixels);
}

/** The RGB pixels spectrogramPng encodes. */
function spectrogramPixels(data: Float32Array, rows: number, frames: number, options: PngOptions & { stride?: number }): { width: number; height: number; pixels: Uint8Array } {
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
  return { width, height, pixels };
}
