// .npy encode/decode against files numpy itself wrote (the parity fixtures), the streaming writer's
// commit and abort, and bad bytes turned into AudiomillErrors.
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/temp.js';
import { AudiomillError } from '../../../src/errors.js';
import { NpyWriter, decodeNpy, encodeNpy, npyHeader } from '../../../src/io/npy.js';

const cases = join(__dirname, '..', '..', 'parity', 'fixtures', 'cases');

describe('npy', () => {
  it('re-encodes files numpy wrote byte for byte (2-D and 1-D shapes)', () => {
    const files = readdirSync(cases).filter((f) => f.endsWith('.npy'));
    const picked = [files.find((f) => f.startsWith('A_logmel'))!, files.find((f) => f.startsWith('window_'))!];
    for (const f of picked) {
      const bytes = new Uint8Array(readFileSync(join(cases, f)));
      const a = decodeNpy(bytes, f);
      expect(a.dtype).toBe('float32');
      expect(a.data.length).toBe(a.shape.reduce((x, y) => x * y, 1));
      expect(Buffer.from(encodeNpy(a)).equals(Buffer.from(bytes))).toBe(true);
    }
  });

  it('reads a Node Buffer (whose slice is a view) and a view at an offset into a larger buffer', () => {
    const data = Float32Array.from({ length: 12 }, (_, i) => i * 1.5 - 4);
    const bytes = encodeNpy({ data, shape: [3, 4] });
    const big = Buffer.alloc(bytes.length + 100);
    big.set(bytes, 37);
    for (const b of [Buffer.from(bytes), big.subarray(37, 37 + bytes.length)]) {
      const a = decodeNpy(b);
      expect(a.shape).toEqual([3, 4]);
      expect(Array.from(a.data as Float32Array)).toEqual(Array.from(data));
    }
  });

  it('round-trips every dtype and aligns the data on 64 bytes', () => {
    const arrays = [
      Float64Array.of(1.5, -2, Math.PI),
      Int8Array.of(-1, 2, 3),
      Uint8Array.of(0, 255, 7),
      Int16Array.of(-300, 2, 9),
      Int32Array.of(-70000, 1, 2),
      BigInt64Array.of(-1n, 2n ** 40n, 0n),
    ];
    for (const data of arrays) {
      const bytes = encodeNpy({ data, shape: [3] });
      const header = npyHeader(decodeNpy(bytes).dtype, [3]);
      expect(header.length % 64).toBe(0);
      const back = decodeNpy(bytes);
      expect(back.shape).toEqual([3]);
      expect(Array.from(back.data as ArrayLike<number | bigint>)).toEqual(Array.from(data as ArrayLike<number | bigint>));
    }
    const scalar = decodeNpy(encodeNpy({ data: Float32Array.of(7), shape: [] }));
    expect(scalar.shape).toEqual([]);
    expect(scalar.data[0]).toBe(7);
  });

  it('rejects a shape that does not match the data', () => {
    expect(() => encodeNpy({ data: new Float32Array(5), shape: [2, 3] })).toThrow(RangeError);
  });

  it('turns bad bytes into AudiomillErrors with a code and the path', () => {
    const good = encodeNpy({ data: new Float32Array(12), shape: [3, 4] });
    const attempt = (bytes: Uint8Array) => {
      try {
        decodeNpy(bytes, 'x.npy');
      } catch (err) {
        expect(err).toBeInstanceOf(AudiomillError);
        expect((err as AudiomillError).path).toBe('x.npy');
        return (err as AudiomillError).code;
      }
      return 'ok';
    };
    expect(attempt(new TextEncoder().encode('hello world, not numpy'))).toBe('DECODE_CORRUPT');
    expect(attempt(good.subarray(0, 20))).toBe('DECODE_CORRUPT');
    expect(attempt(good.subarray(0, good.length - 4))).toBe('DECODE_TRUNCATED');
    const bigEndian = Uint8Array.from(good);
    bigEndian.set(new TextEncoder().encode('>f4'), new TextDecoder().decode(good).indexOf('<f4'));
    expect(attempt(bigEndian)).toBe('UNSUPPORTED_FORMAT');
    const fortran = Uint8Array.from(good);
    fortran.set(new TextEncoder().encode('True '), new TextDecoder().decode(good).indexOf('False'));
    expect(attempt(fortran)).toBe('UNSUPPORTED_FORMAT');
    // Every prefix and single-byte corruption gives an answer or an AudiomillError, never a crash.
    for (let n = 0; n < good.length; n += 7) expect(typeof attempt(good.subarray(0, n))).toBe('string');
    for (let i = 0; i < 128; i++) {
      const b = Uint8Array.from(good);
      b[i] = (b[i]! + 97) & 255;
      expect(typeof attempt(b)).toBe('string');
    }
  });

  it('NpyWriter streams rows, fixes the row count on commit, and leaves the target alone on abort', async () => {
    const dir = tempDir('npy');
    const target = join(dir, 'x.npy');
    const w = new NpyWriter(target, 'float32', [2, 3]);
    await w.append(Float32Array.from({ length: 6 }, (_, i) => i));
    await w.append(Float32Array.from({ length: 12 }, (_, i) => 10 + i));
    expect(existsSync(target)).toBe(false);
    await w.commit();
    const a = decodeNpy(new Uint8Array(readFileSync(target)));
    expect(a.shape).toEqual([3, 2, 3]);
    expect(Array.from(a.data as Float32Array).slice(5, 8)).toEqual([5, 10, 11]);
    await expect(w.append(new Float32Array(5))).rejects.toThrow(RangeError);

    writeFileSync(target, 'previous');
    const w2 = new NpyWriter(target, 'int64', []);
    await w2.append(BigInt64Array.of(1n, 2n));
    await w2.abort();
    expect(readFileSync(target, 'utf8')).toBe('previous');
    expect(readdirSync(dir)).toEqual(['x.npy']);
  });
});
