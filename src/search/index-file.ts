/**
 * The VectorIndex file format (`.amvi`), version 1, little-endian:
 *
 * | offset | size | field |
 * | --- | --- | --- |
 * | 0 | 8 | magic `AMVINDEX` |
 * | 8 | 4 | version (1) |
 * | 12 | 4 | dim |
 * | 16 | 1 | metric: 0 cosine, 1 ip, 2 l2 |
 * | 17 | 1 | storage: 0 f32, 1 bf16, 2 f16, 3 i8 |
 * | 18 | 2 | flags: bit 0 = the index has ids |
 * | 20 | 4 | CRC-32 of the whole file, these 4 bytes read as 0 |
 * | 24 | 8 | rows (count, removed rows included) |
 * | 32 | 8 | byte offset of the rows (64) |
 * | 40 | 8 | byte length of the ids section (0 without ids) |
 * | 48 | 16 | reserved (0) |
 *
 * Then the rows (rows x dim float32, bfloat16, binary16 or int8 codes, row-major: memory-mappable;
 * cosine rows are stored normalised; an index with keepF32 saves its compressed rows only); for i8,
 * zero bytes up to a multiple of 4 and one float32 scale per row; then one byte per row (1 live, 0
 * removed), and with ids a UTF-8 JSON array of [type, value] pairs ('n' number, 'b' bigint as a
 * decimal string, 's' string).
 *
 * Reading checks the magic, version, sizes against the file length and the checksum before it
 * trusts any byte; anything else is an AudiomillError with the path (DECODE_CORRUPT,
 * DECODE_TRUNCATED, UNSUPPORTED_FORMAT), never a crash.
 */
import { crc32 } from 'node:zlib';
import { AudiomillError } from '../errors.js';
import type { VectorId, VectorMetric, VectorStorage } from './vector-index.js';

export const INDEX_MAGIC = 'AMVINDEX';
export const INDEX_VERSION = 1;
const HEADER = 64;
const SLICE = 8 << 20; // bytes checked between turns of the event loop
const METRIC_CODES: VectorMetric[] = ['cosine', 'ip', 'l2'];
/** Storage codes, in the file and in the native binding (search_wrap.h). */
export const STORAGE_CODES: readonly VectorStorage[] = ['f32', 'bf16', 'f16', 'i8'];
const BYTES_PER: Record<VectorStorage, number> = { f32: 4, bf16: 2, f16: 2, i8: 1 };

export interface IndexContents {
  dim: number;
  metric: VectorMetric;
  storage: VectorStorage;
  rows: Float32Array | Uint16Array | Int8Array; // count x dim
  scales: Float32Array | null; // i8: count
  live: Uint8Array; // count
  ids: VectorId[] | null;
}

/** Where each section starts, for `count` rows (the i8 scales start 4-aligned). */
function layout(storage: VectorStorage, count: bigint, dim: number) {
  const rowEnd = BigInt(HEADER) + count * BigInt(dim) * BigInt(BYTES_PER[storage]);
  const scaleStart = storage === 'i8' ? (rowEnd + 3n) / 4n * 4n : rowEnd;
  const liveStart = storage === 'i8' ? scaleStart + 4n * count : rowEnd;
  return { rowEnd, scaleStart, liveStart };
}

function encodeIds(ids: readonly VectorId[]): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(ids.map((id) => (typeof id === 'bigint' ? ['b', id.toString()] : typeof id === 'number' ? ['n', id] : ['s', id]))));
}

/**
 * Work done in slices: a generator that yields between slices of about 8 MB, so the Promise form
 * (runSliced) lets the event loop run between them and the Sync form (runSlicedSync) does not stop.
 */
export type Sliced<T> = Generator<void, T, void>;

/** Runs sliced work, one turn of the event loop between slices. */
export async function runSliced<T>(steps: Sliced<T>): Promise<T> {
  let r = steps.next();
  while (!r.done) {
    await new Promise(setImmediate);
    r = steps.next();
  }
  return r.value;
}

/** Runs sliced work on the calling thread without stopping. */
export function runSlicedSync<T>(steps: Sliced<T>): T {
  let r = steps.next();
  while (!r.done) r = steps.next();
  return r.value;
}

/** The file's bytes as chunks (the rows are a view, not a copy); the CRC is computed in slices. */
export function* encodeIndex(c: IndexContents): Sliced<Uint8Array[]> {
  const count = c.live.length;
  const ids = c.ids ? encodeIds(c.ids) : new Uint8Array(0);
  const rows = new Uint8Array(c.rows.buffer, c.rows.byteOffset, count * c.dim * BYTES_PER[c.storage]);
  const { rowEnd, scaleStart } = layout(c.storage, BigInt(count), c.dim);
  const pad = new Uint8Array(Number(scaleStart - rowEnd));
  const scales = c.scales ? new Uint8Array(c.scales.buffer, c.scales.byteOffset, count * 4) : new Uint8Array(0);
  const header = new Uint8Array(HEADER);
  const v = new DataView(header.buffer);
  header.set(new TextEncoder().encode(INDEX_MAGIC), 0);
  v.setUint32(8, INDEX_VERSION, true);
  v.setUint32(12, c.dim, true);
  v.setUint8(16, METRIC_CODES.indexOf(c.metric));
  v.setUint8(17, STORAGE_CODES.indexOf(c.storage));
  v.setUint16(18, c.ids ? 1 : 0, true);
  v.setBigUint64(24, BigInt(count), true);
  v.setBigUint64(32, BigInt(HEADER), true);
  v.setBigUint64(40, BigInt(ids.length), true);
  let crc = crc32(header); // the CRC field is still 0 here
  for (const part of [rows, pad, scales, c.live.subarray(0, count), ids]) crc = yield* crcSlices(part, crc);
  v.setUint32(20, crc >>> 0, true);
  return [header, rows, pad, scales, c.live.subarray(0, count), ids];
}

/** crc32 of `bytes` continuing `crc`, SLICE bytes at a time, yielding between slices. */
function* crcSlices(bytes: Uint8Array, crc: number): Sliced<number> {
  for (let at = 0; at < bytes.length; at += SLICE) {
    crc = crc32(bytes.subarray(at, Math.min(bytes.length, at + SLICE)), crc);
    if (at + SLICE < bytes.length) yield;
  }
  return crc;
}

function fail(code: 'DECODE_CORRUPT' | 'DECODE_TRUNCATED' | 'UNSUPPORTED_FORMAT', path: string, message: string): AudiomillError {
  return new AudiomillError(code, `${path}: ${message}`, { path });
}

/** The header's fields, checked against each other and the file's length. */
function readHeader(bytes: Uint8Array, path: string) {
  if (bytes.length < HEADER || new TextDecoder('latin1').decode(bytes.subarray(0, 8)) !== INDEX_MAGIC)
    throw fail('DECODE_CORRUPT', path, `not an audiomill vector index (no ${INDEX_MAGIC} header)`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = v.getUint32(8, true);
  if (version !== INDEX_VERSION) throw fail('UNSUPPORTED_FORMAT', path, `index file version ${version} (this audiomill reads version ${INDEX_VERSION})`);
  const dim = v.getUint32(12, true);
  const metric = METRIC_CODES[v.getUint8(16)];
  const storageCode = v.getUint8(17);
  const storage = STORAGE_CODES[storageCode];
  const flags = v.getUint16(18, true);
  const count = v.getBigUint64(24, true);
  const offset = v.getBigUint64(32, true);
  const idsLength = v.getBigUint64(40, true);
  const reserved = bytes.subarray(48, HEADER).some((b) => b !== 0);
  if (dim < 1 || dim > 65536 || metric === undefined || storage === undefined || flags > 1 || offset !== BigInt(HEADER) || reserved)
    throw fail('DECODE_CORRUPT', path, `bad header (dim ${dim}, metric ${v.getUint8(16)}, storage ${storageCode}, flags ${flags}, offset ${offset})`);
  const at = layout(storage, count, dim);
  const expected = at.liveStart + count + idsLength;
  if (expected > BigInt(bytes.length))
    throw fail('DECODE_TRUNCATED', path, `the header describes ${expected} bytes (${count} rows of ${dim}) but the file holds ${bytes.length}`);
  if (expected < BigInt(bytes.length)) throw fail('DECODE_CORRUPT', path, `${BigInt(bytes.length) - expected} bytes past the end of the index`);
  return { v, dim, metric, storage, flags, count, at };
}

/**
 * Checks an index file's header and its CRC-32, in slices of 8 MB (run by runSliced, a
 * multi-gigabyte index never blocks the event loop for long).
 */
export function* verifyIndex(bytes: Uint8Array, path: string): Sliced<void> {
  const { v } = readHeader(bytes, path);
  const head = Uint8Array.from(bytes.subarray(0, HEADER));
  head.fill(0, 20, 24);
  const crc = yield* crcSlices(bytes.subarray(HEADER), crc32(head));
  if (crc >>> 0 !== v.getUint32(20, true)) throw fail('DECODE_CORRUPT', path, 'checksum mismatch (the file was changed or damaged)');
}

/** Parses an index file's bytes, checking every size and field (the checksum is verifyIndex's). */
export function decodeIndex(bytes: Uint8Array, path: string): IndexContents {
  const { dim, metric, storage, flags, count, at } = readHeader(bytes, path);
  const n = Number(count);
  const [rowEnd, scaleStart, liveStart] = [Number(at.rowEnd), Number(at.scaleStart), Number(at.liveStart)];
  const live = bytes.subarray(liveStart, liveStart + n);
  const idBytes = bytes.subarray(liveStart + n);
  if (live.some((b) => b > 1)) throw fail('DECODE_CORRUPT', path, 'bad row flags');
  let ids: VectorId[] | null = null;
  if (flags & 1) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder().decode(idBytes));
    } catch (err) {
      throw fail('DECODE_CORRUPT', path, `ids are not JSON: ${(err as Error).message}`);
    }
    if (!Array.isArray(parsed) || parsed.length !== n) throw fail('DECODE_CORRUPT', path, `expected ${n} ids`);
    ids = parsed.map((p: unknown, i) => {
      const [t, val] = Array.isArray(p) ? (p as unknown[]) : [];
      if (t === 'n' && typeof val === 'number') return val;
      if (t === 's' && typeof val === 'string') return val;
      if (t === 'b' && typeof val === 'string' && /^-?\d+$/.test(val)) return BigInt(val);
      throw fail('DECODE_CORRUPT', path, `bad id at row ${i}`);
    });
  } else if (idBytes.length !== 0) {
    throw fail('DECODE_CORRUPT', path, 'ids section without the ids flag');
  }
  if (bytes.subarray(rowEnd, scaleStart).some((b) => b !== 0)) throw fail('DECODE_CORRUPT', path, 'bad padding after the rows');
  // The rows (and scales) as views of `bytes` where they are aligned (always in a mapped or freshly read
  // file: the rows start at 64, the scales at a multiple of 4), else copies of their own.
  type Typed = typeof Float32Array | typeof Uint16Array | typeof Int8Array;
  const view = (Type: Typed, start: number, count: number) => {
    if ((bytes.byteOffset + start) % Type.BYTES_PER_ELEMENT === 0) return new Type(bytes.buffer as ArrayBuffer, bytes.byteOffset + start, count);
    const own = new Type(count);
    new Uint8Array(own.buffer).set(bytes.subarray(start, start + count * Type.BYTES_PER_ELEMENT));
    return own;
  };
  const rows = view(storage === 'f32' ? Float32Array : storage === 'i8' ? Int8Array : Uint16Array, HEADER, n * dim);
  const scales = storage === 'i8' ? (view(Float32Array, scaleStart, n) as Float32Array) : null;
  return { dim, metric, storage, rows, scales, live: Uint8Array.from(live), ids };
}
