// The keyed journal cache: round trips (JSON with non-finite numbers, blobs, fingerprints),
// a torn last record and a damaged record skipped on open, compaction to the latest value per key,
// many concurrent writers of one process, and a child process killed with SIGKILL mid-append.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Journal } from '../../../src/io/journal.js';
import { tempDir } from '../../helpers/temp.js';

const lines = (path: string) => readFileSync(path, 'utf8').split('\n').filter((l) => l !== '');

describe('Journal', () => {
  it('round-trips JSON values (NaN and Infinity included) and blobs, keyed and fingerprinted', async () => {
    const path = join(tempDir('journal'), 'cache.journal');
    const j = await Journal.open<Record<string, unknown>>(path);
    expect(j.size).toBe(0);
    const rows = { rows: [{ path: 'a.wav', rms_db: -Infinity, snr: NaN, ok: true, name: 'tab\there\nnewline', n: null }], big: Infinity };
    j.set('dir/a.wav', '[100,5]', rows);
    j.set('b.wav', 'fp-b', { n: 2 }, Float32Array.of(1.5, -2, 3));
    const early = (await j.getBlob('b.wav', 'fp-b'))!;
    expect(early).toEqual(new Uint8Array(Float32Array.of(1.5, -2, 3).buffer)); // before the flush
    expect([early.byteOffset, early.buffer.byteLength]).toEqual([0, 12]);
    await j.close();

    const k = await Journal.open<Record<string, unknown>>(path);
    expect(k.stats).toEqual({ records: 2, skipped: 0, live: 2 });
    expect([...k.keys()]).toEqual(['dir/a.wav', 'b.wav']);
    expect(k.get('dir/a.wav', '[100,5]')).toEqual(rows);
    expect(Number.isNaN((k.get('dir/a.wav') as typeof rows).rows[0]!.snr)).toBe(true);
    expect(k.get('dir/a.wav', '[100,6]')).toBeUndefined(); // another fingerprint is a miss
    expect(k.has('dir/a.wav', '[100,6]')).toBe(false);
    expect(k.fingerprint('b.wav')).toBe('fp-b');
    const bytes = (await k.getBlob('b.wav', 'fp-b'))!;
    expect(Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, 3))).toEqual([1.5, -2, 3]);
    expect([bytes.byteOffset, bytes.buffer.byteLength]).toEqual([0, 12]); // a fresh buffer of its own (embedDataset views it in place)
    expect(await k.getBlob('b.wav')).not.toBe(bytes);
    expect(await k.getBlob('b.wav', 'other')).toBeUndefined();
    expect(await k.getBlob('dir/a.wav')).toBeUndefined(); // stored without a blob
    expect(() => k.set('x', 1 as unknown as string, {})).toThrow(TypeError);
    expect(() => k.set('x', 'f', undefined as unknown as Record<string, unknown>)).toThrow(TypeError);
    await k.close();
    expect(readdirSync(join(path, '..'))).toEqual(['cache.journal']);
  });

  it('resumes after a torn last record: the torn record is skipped, the rest kept, appends continue', async () => {
    const path = join(tempDir('journal'), 'torn.journal');
    const j = await Journal.open<number>(path, { flushIntervalMs: 0 });
    for (let i = 0; i < 3; i++) j.set(`k${i}`, 'f', i, new Uint8Array(100).fill(i));
    await j.close();
    const size = readFileSync(path).length;
    truncateSync(path, size - 57); // mid-way through the third record

    const k = await Journal.open<number>(path);
    expect(k.stats).toEqual({ records: 2, skipped: 1, live: 2 });
    expect(k.get('k2')).toBeUndefined();
    k.set('k2', 'f', 2, new Uint8Array(100).fill(2));
    await k.close();

    const m = await Journal.open<number>(path);
    expect(m.stats.skipped).toBe(1); // the torn line itself, now ended by a newline
    expect([0, 1, 2].map((i) => m.get(`k${i}`))).toEqual([0, 1, 2]);
    expect(await m.getBlob('k2')).toEqual(new Uint8Array(100).fill(2));
    await m.compact();
    await m.close();
    expect((await Journal.open<number>(path)).stats).toEqual({ records: 3, skipped: 0, live: 3 });
  });

  it('skips a record whose checksum does not match and lines that are not records', async () => {
    const path = join(tempDir('journal'), 'bad.journal');
    const j = await Journal.open<string>(path);
    j.set('a', 'f', 'first');
    j.set('b', 'f', 'second');
    j.set('c', 'f', 'third');
    await j.close();
    const text = readFileSync(path, 'utf8').replace('second', 'secund'); // same length, checksum now wrong
    writeFileSync(path, text + 'not a record\n\n{"path":"x.wav"}\n');
    const k = await Journal.open<string>(path);
    expect(k.stats).toEqual({ records: 2, skipped: 3, live: 2 });
    expect([k.get('a'), k.get('b'), k.get('c')]).toEqual(['first', undefined, 'third']);
    await k.close();
  });

  it('compaction keeps the latest value of each key, drops deleted and unwanted keys, atomically', async () => {
    const dir = tempDir('journal');
    const path = join(dir, 'c.journal');
    const j = await Journal.open<number>(path);
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 5; i++) j.set(`k${i}`, `r${round}`, 10 * round + i, round === 2 && i === 1 ? Int16Array.of(round, i) : undefined);
      await j.flush();
    }
    expect(j.delete('k4')).toBe(true);
    expect(j.delete('missing')).toBe(false);
    await j.flush();
    expect(lines(path)).toHaveLength(16);
    await j.compact((key) => key !== 'k3');
    expect(lines(path)).toHaveLength(3);
    expect(readdirSync(dir)).toEqual(['c.journal']);
    // Still usable after compaction: reads by the new offsets, appends after them.
    expect(await j.getBlob('k1', 'r2')).toEqual(new Uint8Array(Int16Array.of(2, 1).buffer));
    j.set('k5', 'r2', 25);
    await j.close();
    const k = await Journal.open<number>(path);
    expect(k.stats).toEqual({ records: 4, skipped: 0, live: 4 });
    expect(Object.fromEntries([...k.keys()].map((key) => [key, [k.fingerprint(key), k.get(key)]]))).toEqual({
      k0: ['r2', 20], k1: ['r2', 21], k2: ['r2', 22], k5: ['r2', 25],
    });
    expect(await k.getBlob('k1')).toEqual(new Uint8Array(Int16Array.of(2, 1).buffer));
    await k.compact(['k0']);
    expect([...k.keys()]).toEqual(['k0']);
    await k.close();
  });

  it('keys and values outside ASCII: blobs after them are read back at the right byte offsets', async () => {
    const path = join(tempDir('journal'), 'utf8.journal');
    const j = await Journal.open<{ label: string }>(path);
    const keys = ['café/été.wav', '日本語/音.wav', 'emoji-🐋.wav', 'plain.wav'];
    keys.forEach((k, i) => j.set(k, 'f', { label: `${k}:ünïcødé` }, Uint8Array.of(i, 200, 7)));
    await j.flush();
    for (const [i, k] of keys.entries()) expect(await j.getBlob(k, 'f')).toEqual(Uint8Array.of(i, 200, 7)); // read by offset from the file
    await j.close();
    const k = await Journal.open<{ label: string }>(path);
    expect(k.stats).toEqual({ records: 4, skipped: 0, live: 4 });
    for (const [i, key] of keys.entries()) {
      expect(k.get(key, 'f')).toEqual({ label: `${key}:ünïcødé` });
      expect(await k.getBlob(key)).toEqual(Uint8Array.of(i, 200, 7));
    }
    await k.close();
  });

  it('compaction leaves a journal with nothing to drop as it is, and rewrites one with a damaged line', async () => {
    const path = join(tempDir('journal'), 'clean.journal');
    const j = await Journal.open<number>(path);
    for (let i = 0; i < 50; i++) j.set(`k${i}`, 'f', i);
    await j.flush();
    const before = statSync(path);
    await j.compact([...j.keys()]);
    await j.close();
    const after = statSync(path);
    expect([after.ino, after.size, after.mtimeMs]).toEqual([before.ino, before.size, before.mtimeMs]); // not rewritten
    // A damaged line is garbage: the next compaction drops it (and the file is new).
    writeFileSync(path, readFileSync(path, 'utf8').replace('\t49\t', '\t48\t')); // k49's value, its checksum now wrong
    const k = await Journal.open<number>(path);
    expect(k.stats).toEqual({ records: 49, skipped: 1, live: 49 });
    await k.compact();
    await k.close();
    expect(lines(path)).toHaveLength(49);
    expect(statSync(path).ino).not.toBe(before.ino);
  });

  it('a failed flush keeps its records, reports an IO error, and a later flush retries them', async () => {
    const dir = join(tempDir('journal'), 'later');
    const path = join(dir, 'j.journal');
    const j = await Journal.open<number>(path, { flushIntervalMs: 0 });
    j.set('a', 'f', 1); // its background flush fails: the folder does not exist yet
    await expect(j.flush()).rejects.toMatchObject({ name: 'AudiomillError', code: 'IO', path });
    mkdirSync(dir);
    j.set('b', 'f', 2);
    await j.flush();
    await j.close();
    const k = await Journal.open<number>(path);
    expect(k.stats).toEqual({ records: 2, skipped: 0, live: 2 });
  });

  it('sets and deletes made while a compaction runs are all kept, and the compacted file has no damaged line', async () => {
    const path = join(tempDir('journal'), 'during.journal');
    const j = await Journal.open<{ i: number }>(path, { flushIntervalMs: 1 });
    for (let i = 0; i < 3000; i++) j.set(`k${i}`, 'f', { i });
    await j.flush();
    const compacting = j.compact();
    for (let i = 0; i < 40; i++) {
      j.set(`late${i}`, 'f', { i }); // new keys
      j.set(`k${i}`, 'g', { i: -i }); // replaced keys
      j.delete(`k${2000 + i}`);
      await new Promise((r) => setImmediate(r));
    }
    await compacting;
    await j.close();
    const k = await Journal.open<{ i: number }>(path);
    expect(k.stats.skipped).toBe(0);
    expect(k.size).toBe(3000 + 40 - 40);
    expect(k.get('late39')).toEqual({ i: 39 });
    expect(k.get('k7', 'g')).toEqual({ i: -7 });
    expect(k.has('k2005')).toBe(false);
    expect(k.get('k2999')).toEqual({ i: 2999 });
    await k.close();
  });

  it('many concurrent tasks of one process may set, flush, compact and read', async () => {
    const path = join(tempDir('journal'), 'many.journal');
    const j = await Journal.open<{ i: number }>(path, { flushIntervalMs: 1 });
    await Promise.all(
      Array.from({ length: 64 }, async (_, t) => {
        for (let i = 0; i < 20; i++) {
          const key = `t${t}/${i}`;
          j.set(key, 'f', { i }, Uint32Array.of(t, i));
          if (i % 7 === 0) await j.flush();
          if (t === 5 && i === 10) await j.compact();
          expect(await j.getBlob(key)).toEqual(new Uint8Array(Uint32Array.of(t, i).buffer));
          await new Promise((r) => setImmediate(r));
        }
      }),
    );
    await j.close();
    const k = await Journal.open<{ i: number }>(path);
    expect(k.stats.skipped).toBe(0);
    expect(k.size).toBe(64 * 20);
    expect(k.get('t63/19')).toEqual({ i: 19 });
    expect(await k.getBlob('t40/3')).toEqual(new Uint8Array(Uint32Array.of(40, 3).buffer));
    await k.close();
  });

  it('a child killed with SIGKILL mid-append leaves a journal that opens, keeps every synced record, and resumes', async () => {
    const dist = join(__dirname, '../../../dist/cjs/io/journal.js');
    expect(existsSync(dist)).toBe(true); // npm run build:ts
    const dir = tempDir('journal-kill');
    for (let run = 0; run < 3; run++) {
      const path = join(dir, `kill${run}.journal`);
      const script = `
        const { Journal } = require(${JSON.stringify(dist)});
        (async () => {
          const j = await Journal.open(${JSON.stringify(path)}, { flushIntervalMs: 0 });
          for (let i = 0; i < 4000; i++) {
            j.set('k' + i, 'fp', { i, x: NaN }, new Uint8Array(8192).fill(i & 255));
            if (i % 8 === 7) await j.flush();
            if (i === 15) console.log('synced');
          }
        })();`;
      const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve) => child.stdout!.on('data', (d: Buffer) => d.toString().includes('synced') && resolve()));
      await new Promise((r) => setTimeout(r, 5 + 20 * run));
      child.kill('SIGKILL');
      await new Promise((resolve) => child.on('exit', resolve));

      const j = await Journal.open<{ i: number; x: number }>(path);
      expect(j.stats.skipped).toBeLessThanOrEqual(1);
      expect(j.size).toBeGreaterThanOrEqual(16); // flushed before 'synced' was printed
      for (const key of j.keys()) {
        const v = j.get(key, 'fp')!;
        expect(key).toBe(`k${v.i}`);
        expect(Number.isNaN(v.x)).toBe(true);
        expect(Buffer.from((await j.getBlob(key))!).equals(Buffer.alloc(8192, v.i & 255))).toBe(true);
      }
      const n = j.size;
      j.set('after', 'fp', { i: -1, x: 0 });
      await j.close();
      const k = await Journal.open<{ i: number; x: number }>(path);
      expect(k.size).toBe(n + 1);
      expect(k.get('after')).toEqual({ i: -1, x: 0 });
      await k.close();
    }
  });
});
