// loadAudio({ offset, duration }) on Ogg Vorbis and Opus starts decoding at a page shortly before
// the offset (issue 11) instead of at the start of the file, and gives the samples the full decode
// gives there. Vorbis: bit-identical (libvorbis's output after its first packet does not depend on
// earlier packets). Opus: after the 80 ms pre-roll of RFC 7845 the decoder has converged; tolerance
// 1e-3 (the stream below, built from repeated packets, decodes identically).
import { writeFileSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAudio, loadAudioSync } from '../../src/index.js';
import { codecPool } from '../../src/audio/codec-pool.js';
import { tempDir } from '../helpers/temp.js';

const FIX = join(__dirname, 'fixtures');

async function counters() {
  const all = await codecPool().stats();
  return { seeks: all.reduce((t, s) => t + s.seeks, 0), bytes: all.reduce((t, s) => t + s.bytesDecoded, 0), pages: all.reduce((t, s) => t + s.seekPagesRead, 0) };
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** Ogg page checksum: CRC-32, polynomial 0x04c11db7, no reflection, initial value 0. */
function oggCrc(page: Uint8Array): number {
  let crc = 0;
  for (const byte of page) {
    crc ^= byte << 24;
    for (let k = 0; k < 8; k++) crc = crc & 0x80000000 ? ((crc << 1) ^ 0x04c11db7) >>> 0 : (crc << 1) >>> 0;
  }
  return crc >>> 0;
}

/**
 * A longer Ogg Opus stream from the 0.3-s fixture: its two header pages, then its one audio page
 * (16 packets of 20 ms) repeated `n` times with consecutive granule positions, page numbers and
 * checksums; the last page keeps the fixture's end trimming.
 */
function longOpus(n: number): string {
  const src = new Uint8Array(readFileSync(join(FIX, 'files', 'stereo_opus.opus')));
  const pages: Uint8Array[] = [];
  for (let pos = 0; pos < src.length; ) {
    const nseg = src[pos + 26]!;
    let body = 0;
    for (let i = 0; i < nseg; i++) body += src[pos + 27 + i]!;
    pages.push(src.slice(pos, pos + 27 + nseg + body));
    pos += 27 + nseg + body;
  }
  expect(pages.length).toBe(3);
  const audio = pages[2]!;
  const trim = 16 * 960 - Number(new DataView(audio.buffer).getBigInt64(6, true));
  const out = [pages[0]!, pages[1]!];
  for (let k = 0; k < n; k++) {
    const p = audio.slice();
    const v = new DataView(p.buffer);
    p[5] = k === n - 1 ? 4 : 0;
    v.setBigInt64(6, BigInt((k + 1) * 16 * 960 - (k === n - 1 ? trim : 0)), true);
    v.setUint32(18, k + 2, true);
    v.setUint32(22, 0, true);
    v.setUint32(22, oggCrc(p), true);
    out.push(p);
  }
  const file = join(tempDir('opus-seek'), 'long.opus');
  writeFileSync(file, Buffer.concat(out));
  return file;
}

async function check(file: string, offsets: number[], tolerance: number): Promise<number> {
  const full = await loadAudio(file);
  let worst = 0;
  for (const offset of offsets) {
    for (const duration of [0.25, undefined]) {
      const before = await counters();
      const part = await loadAudio(file, duration === undefined ? { offset } : { offset, duration });
      const after = await counters();
      const s = Math.round(offset * full.sampleRate);
      const e = duration === undefined ? full.numFrames : Math.min(full.numFrames, s + Math.round(duration * full.sampleRate));
      expect(part.numFrames).toBe(e - s);
      expect(part.channels.length).toBe(full.channels.length);
      for (let c = 0; c < full.channels.length; c++) {
        const d = maxDiff(part.channels[c]!, full.channels[c]!.subarray(s, e));
        worst = Math.max(worst, d);
        expect(d).toBeLessThanOrEqual(tolerance);
      }
      // It sought: the decoder was handed none of the bytes more than 1.5 s before the offset (the
      // pre-roll and the page it starts in lie before it; pages here hold up to 0.9 s), and for a
      // short span not much more than the span; a full decode is handed all of them.
      expect(after.seeks - before.seeks).toBe(1);
      const size = statSync(file).size;
      expect(after.bytes - before.bytes).toBeLessThan(size * (1 - (offset - 1.5) / full.duration));
      if (duration !== undefined) expect(after.bytes - before.bytes).toBeLessThan(size * ((duration + 2.5) / full.duration) + 8192);
      // loadAudioSync (its own worker) gives the same samples.
      const sync = loadAudioSync(file, duration === undefined ? { offset } : { offset, duration });
      for (let c = 0; c < full.channels.length; c++) expect(sync.channels[c]).toEqual(part.channels[c]);
    }
  }
  return worst;
}

describe('loadAudio with an offset on Ogg seeks by granule position', () => {
  it('Vorbis: speech and music recordings, several offsets', async () => {
    await check(join(FIX, 'shared', '198-209-0000.ogg'), [1, 1.7, 3.3, 7.25, 12.5], 0);
    await check(join(FIX, 'shared', 'sorohanro_-_solo-trumpet-06.ogg'), [1, 1.7, 3.3, 4.8], 0);
  }, 60_000);

  it('Opus: a multi-page stream, several offsets', async () => {
    await check(longOpus(20), [1, 2.5, 3.33, 5.9], 1e-3);
  }, 60_000);

  it('a long stream: the start page is found by bisection, reading a few dozen page headers, not every one before it', async () => {
    const file = longOpus(1500); // 1,502 pages, 8 minutes
    const full = await loadAudio(file);
    for (const offset of [200, 333.3, 470]) {
      const before = await counters();
      const part = await loadAudio(file, { offset, duration: 1 });
      const after = await counters();
      expect(after.seeks - before.seeks).toBe(1);
      expect(after.pages - before.pages).toBeLessThan(120); // a linear scan read 600-1,500 headers here
      const s = Math.round(offset * full.sampleRate);
      expect(part.numFrames).toBe(Math.round(full.sampleRate));
      for (let c = 0; c < full.channels.length; c++) expect(maxDiff(part.channels[c]!, full.channels[c]!.subarray(s, s + part.numFrames))).toBeLessThanOrEqual(1e-3);
    }
  }, 60_000);

  it('a span of a cut file says it is truncated, as the whole file does', async () => {
    const bytes = readFileSync(join(FIX, 'shared', '198-209-0000.ogg'));
    const cut = join(tempDir('ogg-cut'), 'cut.ogg');
    writeFileSync(cut, bytes.subarray(0, 50_000));
    const before = await counters();
    const span = await loadAudio(cut, { offset: 2, duration: 1 });
    expect((await counters()).seeks - before.seeks).toBe(1);
    expect([span.truncated, (await loadAudio(cut)).truncated, (await loadAudio(join(FIX, 'shared', '198-209-0000.ogg'), { offset: 2, duration: 1 })).truncated]).toEqual([true, true, false]);
  });

  it('an offset inside the first pages decodes from the start (nothing to skip)', async () => {
    const file = join(FIX, 'shared', '198-209-0000.ogg');
    const full = await loadAudio(file);
    const before = await counters();
    const part = await loadAudio(file, { offset: 0.05, duration: 0.1 });
    expect((await counters()).seeks).toBe(before.seeks);
    const s = Math.round(0.05 * full.sampleRate);
    expect(part.channels[0]).toEqual(full.channels[0]!.subarray(s, s + part.numFrames));
  });
});
