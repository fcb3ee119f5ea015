// Spectrogram thumbnails: the default colour scale follows the data (vmax the largest finite value
// drawn, vmin 80 dB below), a fixed vmin / vmax is kept as given, and only the drawn columns count.
import { describe, expect, it } from 'vitest';
import { colourRange, spectrogramPng } from '../../../src/io/png.js';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { decode } = require('fast-png') as { decode(b: Uint8Array): { width: number; height: number; data: Uint8Array } };

describe('spectrogramPng', () => {
  it('scales colours from the data by default: [max - 80, max]', () => {
    // 2 rows x 3 drawn frames of a stride-4 array; the undrawn 4th column holds a larger value.
    const data = Float32Array.of(-60, 10, 20, 99, -100, Number.NaN, Infinity, 99);
    expect(colourRange(data, 2, 3, { stride: 4 })).toEqual({ vmin: -60, vmax: 20 });
    expect(colourRange(data, 2, 3, { stride: 4, range: 40 })).toEqual({ vmin: -20, vmax: 20 });
    expect(colourRange(data, 2, 3, { stride: 4, vmin: -80, vmax: 0 })).toEqual({ vmin: -80, vmax: 0 });
    expect(colourRange(data, 2, 3, { stride: 4, vmax: 0 })).toEqual({ vmin: -80, vmax: 0 });
    expect(colourRange(data, 2, 3, { stride: 4, vmin: 30 })).toEqual({ vmin: 30, vmax: 30 });
    expect(colourRange(new Float32Array(2).fill(Number.NaN), 1, 2)).toEqual({ vmin: -80, vmax: 0 });

    const img = decode(spectrogramPng(data, 2, 3, { stride: 4 }));
    expect([img.width, img.height]).toEqual([3, 2]);
    const px = (row: number, t: number) => Array.from(img.data.subarray(3 * ((1 - row) * 3 + t), 3 * ((1 - row) * 3 + t) + 3));
    expect(px(0, 2)).toEqual([0xfc, 0xfd, 0xbf]); // 20 dB, the clip's peak: magma's brightest
    expect(px(0, 1)).not.toEqual([0xfc, 0xfd, 0xbf]); // 10 dB is below it (a 0 dB top would saturate it)
    expect(px(0, 0)).toEqual([0, 0, 4]); // -60 = vmin: darkest
    expect(px(1, 0)).toEqual([0, 0, 4]); // below vmin and NaN: darkest
    expect(px(1, 1)).toEqual([0, 0, 4]);
    expect(px(1, 2)).toEqual([0xfc, 0xfd, 0xbf]); // +Infinity is clamped to the top
  });
});
