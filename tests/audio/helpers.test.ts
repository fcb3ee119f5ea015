// Internal helpers of src/audio shared by several modules: the Ogg page header parser and checksum
// (headers.ts: the truncation check and the decoder worker's seek), keepFrom (segments.ts: the
// manifest's segments and ClipLoader), statFiles in batches (stat.ts: the walk and embedDataset),
// and collectGarbage (gc.ts: the decoder pool and its workers).
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectGarbage } from '../../src/audio/gc.js';
import { oggCrc, oggPageHeader } from '../../src/audio/headers.js';
import { keepFrom } from '../../src/audio/segments.js';
import { statFiles } from '../../src/audio/stat.js';
import { tempDir } from '../helpers/temp.js';

const FIX = join(__dirname, 'fixtures', 'files');

describe('oggPageHeader and oggCrc', () => {
  const bytes = new Uint8Array(readFileSync(join(FIX, 'stereo_vorbis.ogg')));

  it('walks the pages of a file from its first to its last, each checksum matching', () => {
    let at = 0;
    let pages = 0;
    let last = null;
    while (at < bytes.length) {
      const page = oggPageHeader(bytes, at)!;
      expect(page).not.toBeNull();
      expect(oggCrc(bytes, at, page.length)).toBe(page.checksum);
      if (pages === 0) expect([page.flags, page.granule, page.packetsEnded]).toEqual([2, 0, 1]); // beginning of stream, the identification header
      at += page.length;
      pages++;
      last = page;
    }
    expect(at).toBe(bytes.length);
    expect(pages).toBeGreaterThanOrEqual(3); // identification, comment + setup, audio
    expect(last!.flags & 4).toBe(4); // end of stream
    expect(last!.granule).toBeGreaterThan(0);
  });

  it('reads the header at an offset, and refuses what is not a whole page header', () => {
    const first = oggPageHeader(bytes, 0)!;
    const shifted = new Uint8Array(bytes.length + 5);
    shifted.set(bytes, 5);
    expect(oggPageHeader(shifted, 5)).toEqual(first);
    expect(oggCrc(shifted, 5, first.length)).toBe(first.checksum);
    expect(oggPageHeader(bytes, 1)).toBeNull(); // no capture pattern
    expect(oggPageHeader(bytes.subarray(0, 27), 0)).toBeNull(); // cut inside the lacing values
    const v1 = bytes.slice(0, first.length);
    v1[4] = 1;
    expect(oggPageHeader(v1, 0)).toBeNull(); // not version 0
    const bad = bytes.slice(0, first.length);
    bad[first.length - 1]! ^= 1;
    expect(oggCrc(bad, 0, first.length)).not.toBe(first.checksum);
    // A page with no packet ending on it has granule position -1.
    const none = bytes.slice(0, first.length);
    none.fill(0xff, 6, 14);
    expect(oggPageHeader(none, 0)!.granule).toBe(-1);
  });
});

describe('keepFrom', () => {
  it('gives, after each span, the least start of the spans after it', () => {
    expect(keepFrom([0, 10, 5, 20])).toEqual([0, 5, 5, 20, Infinity]);
    expect(keepFrom([])).toEqual([Infinity]);
  });
});

describe('statFiles', () => {
  it('answers every path in order across native batches: files, folders, missing paths', async () => {
    const dir = tempDir('stat');
    mkdirSync(join(dir, 'sub'));
    const paths: string[] = [];
    for (let i = 0; i < 1100; i++) {
      const p = join(dir, `f${i}.wav`);
      if (i % 3 !== 2) writeFileSync(p, new Uint8Array(i));
      paths.push(i % 100 === 50 ? join(dir, 'sub') : p);
    }
    symlinkSync(join(dir, 'gone'), join(dir, 'dangling'));
    paths.push(join(dir, 'dangling'));
    const got = await statFiles(paths);
    expect(got.length).toBe(paths.length);
    got.forEach((s, i) => {
      if (i === 1100) expect(s).toBeNull();
      else if (i % 100 === 50) expect(s).toMatchObject({ kind: 'folder' });
      else if (i % 3 === 2) expect(s).toBeNull();
      else expect(s).toMatchObject({ kind: 'file', size: i });
    });
    expect(await statFiles([])).toEqual([]);
  });
});

describe('collectGarbage', () => {
  it('runs (or does nothing) without throwing, again and again', () => {
    expect(() => {
      collectGarbage();
      collectGarbage();
    }).not.toThrow();
  });
});
