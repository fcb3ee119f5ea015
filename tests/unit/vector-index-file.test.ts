// VectorIndex files: save / load round trips (every metric, ids of every type, removed rows), .npy
// import and export, and damaged, truncated or foreign files turned into AudiomillErrors (a bounded
// mutation fuzz of the loader).
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AudiomillError, VectorIndex, decodeNpy, encodeNpy } from '../../src/index.js';
import { rng } from '../helpers/reference.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir('index-');
const rows = (() => {
  const r = rng(3);
  return Float32Array.from({ length: 50 * 24 }, () => r());
})();
const queries = rows.subarray(0, 5 * 24).map((v) => v + 0.01);

describe('VectorIndex files', () => {
  it.each(['cosine', 'ip', 'l2'] as const)('save and load give the same index (%s)', async (metric) => {
    const index = new VectorIndex({ dim: 24, metric });
    index.addSync(rows.subarray(0, 30 * 24), Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? `clip-${i}` : i % 3 === 1 ? BigInt(i) * 10n ** 12n : i + 0.5)));
    index.remove(['clip-3', 10n ** 12n]);
    const path = join(dir, `${metric}.amvi`);
    await index.save(path);
    const back = await VectorIndex.load(path);
    expect([back.dim, back.metric, back.size, back.hasIds]).toEqual([24, metric, 28, true]);
    expect(Array.from(back.vectors())).toEqual(Array.from(index.vectors()));
    const a = await index.search(queries, 6);
    const b = await back.search(queries, 6);
    expect(b.ids).toEqual(a.ids);
    expect(Array.from(b.scores)).toEqual(Array.from(a.scores));
    const syncPath = join(dir, `${metric}-sync.amvi`);
    index.saveSync(syncPath);
    expect(readFileSync(syncPath)).toEqual(readFileSync(path)); // the Sync form writes the same bytes
    const backSync = VectorIndex.loadSync(syncPath);
    expect(backSync.searchSync(queries, 6)).toEqual(b);
    expect(VectorIndex.loadSync(syncPath, { mmap: true, verify: false }).searchSync(queries, 6)).toEqual(b);
    back.addSync(rows.subarray(30 * 24, 31 * 24), ['new']); // a loaded index keeps growing
    expect(back.size).toBe(29);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it.each([
    ['bf16', 2],
    ['f16', 2],
    ['i8', 1],
  ] as const)('a %s index saves its compressed rows and loads back the same, read or memory-mapped', async (storage, per) => {
    const index = new VectorIndex({ dim: 23, metric: 'l2', storage }); // odd dim: the i8 scales need padding to 4 bytes
    const x = rows.subarray(0, 50 * 23);
    index.addSync(x);
    const f32 = new VectorIndex({ dim: 23, metric: 'l2' });
    f32.addSync(x);
    const [small, full] = [join(dir, `${storage}.amvi`), join(dir, 'full23.amvi')];
    await index.save(small);
    await f32.save(full);
    const pad = storage === 'i8' ? (4 - ((64 + 50 * 23) % 4)) % 4 : 0;
    expect(readFileSync(small).length - 64 - 50).toBe(50 * 23 * per + pad + (storage === 'i8' ? 50 * 4 : 0));
    expect(readFileSync(full).length - 64 - 50).toBe(50 * 23 * 4);
    const q = x.subarray(0, 5 * 23).map((v) => v + 0.01);
    const want = await index.search(q, 5);
    for (const options of [{}, { mmap: true }, { mmap: true, verify: false }]) {
      const back = await VectorIndex.load(small, options);
      expect(back.storage).toBe(storage);
      expect(Array.from(back.vectors())).toEqual(Array.from(index.vectors()));
      const got = await back.search(q, 5);
      expect(got.ids).toEqual(want.ids);
      expect(got.scores).toEqual(want.scores);
      back.addSync(x.subarray(0, 23)); // a mapped index grows into memory
      expect(back.size).toBe(51);
    }
  });

  it('a memory-mapped f32 index searches the file in place', async () => {
    const index = new VectorIndex({ dim: 24, metric: 'ip' });
    index.addSync(rows);
    const path = join(dir, 'mapped.amvi');
    await index.save(path);
    const back = await VectorIndex.load(path, { mmap: true });
    const v = back.vectors();
    expect(v.buffer.byteLength).toBe(readFileSync(path).length); // a view of the whole mapped file, not a copy
    expect(v.byteOffset).toBe(64);
    expect((await back.search(queries, 5)).ids).toEqual((await index.search(queries, 5)).ids);
    await expect(VectorIndex.load(join(dir, 'missing.amvi'), { mmap: true })).rejects.toMatchObject({ code: 'IO', path: join(dir, 'missing.amvi') });
    await expect(VectorIndex.load(path, { mmap: 'yes' as never })).rejects.toThrow(/mmap/);
  });

  it('exports and imports .npy (numpy float32 [n, dim])', async () => {
    const index = new VectorIndex({ dim: 24, metric: 'ip' });
    index.addSync(rows);
    index.remove([4]);
    const path = join(dir, 'v.npy');
    await index.saveNpy(path);
    const a = decodeNpy(new Uint8Array(readFileSync(path)));
    expect(a.shape).toEqual([49, 24]);
    const fromFile = await VectorIndex.fromNpy(path, { metric: 'ip' });
    expect(fromFile.size).toBe(49);
    const syncPath = join(dir, 'v-sync.npy');
    index.saveNpySync(syncPath);
    expect(readFileSync(syncPath)).toEqual(readFileSync(path));
    expect(Array.from(VectorIndex.fromNpySync(syncPath, { metric: 'ip' }).vectors())).toEqual(Array.from(fromFile.vectors()));
    writeFileSync(join(dir, 'f64.npy'), encodeNpy({ data: new Float64Array(6), shape: [2, 3] }));
    await expect(VectorIndex.fromNpy(join(dir, 'f64.npy'))).rejects.toMatchObject({ code: 'UNSUPPORTED_FORMAT' });
    expect(() => VectorIndex.fromNpySync(join(dir, 'f64.npy'))).toThrow(AudiomillError);
  });

  it.each(['f32', 'i8'] as const)('a truncated, damaged or foreign %s file is an AudiomillError with the path, never a crash', async (storage) => {
    const index = new VectorIndex({ dim: 24, metric: 'cosine', storage });
    index.addSync(rows.subarray(0, 10 * 24), Array.from({ length: 10 }, (_, i) => `id${i}`));
    const path = join(dir, `good-${storage}.amvi`);
    await index.save(path);
    const good = readFileSync(path);
    const bad = join(dir, `bad-${storage}.amvi`);
    const code = async (bytes: Uint8Array) => {
      writeFileSync(bad, bytes);
      try {
        await VectorIndex.load(bad, { mmap: (bytes[0]! & 1) === 1 }); // either way of reading
        return 'ok';
      } catch (err) {
        expect(err).toBeInstanceOf(AudiomillError);
        expect((err as AudiomillError).path).toBe(bad);
        return (err as AudiomillError).code;
      }
    };
    expect(await code(good.subarray(0, good.length - 5))).toBe('DECODE_TRUNCATED');
    expect(await code(new TextEncoder().encode('just some text that is long enough to pass the header size check......'))).toBe('DECODE_CORRUPT');
    const flipped = Buffer.from(good);
    flipped[100] ^= 0x40;
    expect(await code(flipped)).toBe('DECODE_CORRUPT'); // checksum
    const version = Buffer.from(good);
    version.writeUInt32LE(9, 8);
    expect(await code(version)).toBe('UNSUPPORTED_FORMAT');
    writeFileSync(bad, flipped);
    expect(() => VectorIndex.loadSync(bad)).toThrow(expect.objectContaining({ code: 'DECODE_CORRUPT', path: bad }));
    await expect(VectorIndex.load(join(dir, 'missing.amvi'))).rejects.toMatchObject({ code: 'IO' });
    // Bounded mutation fuzz: every prefix length class and byte flips in the header.
    const r = rng(9);
    for (let i = 0; i < 300; i++) {
      const m = Buffer.from(good);
      const at = Math.floor(((r() + 1) / 2) * (i < 150 ? 64 : m.length));
      m[at] = (m[at]! + 1 + Math.floor(((r() + 1) / 2) * 254)) & 255;
      const cut = i % 5 === 0 ? m.subarray(0, Math.floor(((r() + 1) / 2) * m.length)) : m;
      expect(await code(cut)).not.toBe('ok'); // every change is caught: sizes, header fields and the CRC
    }
  });
});
