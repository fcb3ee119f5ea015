/**
 * NumPy `.npy` arrays (format version 1.0, little-endian, C order): encode and decode whole arrays,
 * and a streaming writer that appends rows to a file of unknown final length and commits it
 * atomically, so tensors larger than memory can be written clip by clip.
 *
 * Format (numpy's `lib.format`): the magic `\x93NUMPY`, the version bytes 1 0, a little-endian
 * uint16 header length, then an ASCII Python dict literal `{'descr': '<f4', 'fortran_order': False,
 * 'shape': (n, m), }` padded with spaces and ended by `\n` so that the data starts on a multiple of
 * 64 bytes; the raw data follows.
 */
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { tempPath } from './atomic.js';
import { AudiomillError, ioError } from '../errors.js';
import { int, oneOf, typeError } from '../validate.js';

/** The dtypes audiomill reads and writes, by numpy's name. */
export type NpyDtype = 'float32' | 'float64' | 'int8' | 'uint8' | 'int16' | 'int32' | 'int64' | 'uint16' | 'float16';

export type NpyData = Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Int32Array | BigInt64Array | Uint16Array;

/** An n-dimensional array in C order. float16 data is kept as raw Uint16Array bit patterns. */
export interface NpyArray {
  dtype: NpyDtype;
  shape: number[];
  data: NpyData;
}

interface DtypeInfo {
  descr: string;
  bytes: number;
  make: (buffer: ArrayBuffer, offset: number, length: number) => NpyData;
}

const DTYPES: Record<NpyDtype, DtypeInfo> = {
  float32: { descr: '<f4', bytes: 4, make: (b, o, n) => new Float32Array(b, o, n) },
  float64: { descr: '<f8', bytes: 8, make: (b, o, n) => new Float64Array(b, o, n) },
  float16: { descr: '<f2', bytes: 2, make: (b, o, n) => new Uint16Array(b, o, n) },
  int8: { descr: '|i1', bytes: 1, make: (b, o, n) => new Int8Array(b, o, n) },
  uint8: { descr: '|u1', bytes: 1, make: (b, o, n) => new Uint8Array(b, o, n) },
  int16: { descr: '<i2', bytes: 2, make: (b, o, n) => new Int16Array(b, o, n) },
  uint16: { descr: '<u2', bytes: 2, make: (b, o, n) => new Uint16Array(b, o, n) },
  int32: { descr: '<i4', bytes: 4, make: (b, o, n) => new Int32Array(b, o, n) },
  int64: { descr: '<i8', bytes: 8, make: (b, o, n) => new BigInt64Array(b, o, n) },
};

const BY_DESCR = new Map(Object.entries(DTYPES).map(([name, d]) => [d.descr, name as NpyDtype]));
/** The dtype names, as numpy spells them. */
export const NPY_DTYPES = Object.keys(DTYPES) as NpyDtype[];

/** A shape: an array of whole numbers >= 0. */
function checkShape(shape: unknown, option: string): readonly number[] {
  if (!Array.isArray(shape)) throw typeError('an array of whole numbers >= 0', option, shape);
  shape.forEach((d, i) => int(d, `${option}[${i}]`, 0));
  return shape as number[];
}
// numpy writes one-byte types with '|', some writers with '<'.
BY_DESCR.set('<i1', 'int8');
BY_DESCR.set('<u1', 'uint8');

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** The dtype name of a typed array (Uint16Array reads as uint16; pass 'float16' to write half floats). */
export function dtypeOf(data: NpyData): NpyDtype {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Int8Array) return 'int8';
  if (data instanceof Uint8Array) return 'uint8';
  if (data instanceof Int16Array) return 'int16';
  if (data instanceof Uint16Array) return 'uint16';
  if (data instanceof Int32Array) return 'int32';
  return 'int64';
}

/**
 * The header bytes for an array of `dtype` and `shape`. `minLength` pads the header to at least
 * that many bytes (the streaming writer reserves room to rewrite the row count in place).
 */
export function npyHeader(dtype: NpyDtype, shape: readonly number[], minLength = 0): Uint8Array {
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let dict = `{'descr': '${DTYPES[dtype].descr}', 'fortran_order': False, 'shape': (${dims}), }`;
  const total = Math.max(minLength, Math.ceil((10 + dict.length + 1) / 64) * 64);
  if (total - 10 > 0xffff) throw new RangeError(`Expected a header under 64 KiB for shape but received ${shape.length} dimensions`);
  dict = dict.padEnd(total - 10 - 1, ' ') + '\n';
  const out = new Uint8Array(total);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  out[8] = (total - 10) & 0xff;
  out[9] = (total - 10) >> 8;
  for (let i = 0; i < dict.length; i++) out[10 + i] = dict.charCodeAt(i);
  return out;
}

/** The bytes of a whole `.npy` file. */
export function encodeNpy(array: { data: NpyData; shape: readonly number[]; dtype?: NpyDtype }): Uint8Array {
  if (array === null || typeof array !== 'object') throw typeError('an array { data, shape, dtype? }', 'array', array);
  if (!ArrayBuffer.isView(array.data) || array.data instanceof DataView) throw typeError('a typed array', 'data', array.data);
  checkShape(array.shape, 'shape');
  const dtype = array.dtype === undefined ? dtypeOf(array.data) : oneOf(array.dtype, 'dtype', NPY_DTYPES);
  const count = array.shape.reduce((a, b) => a * b, 1);
  if (count !== array.data.length) throw new RangeError(`Expected ${count} values for shape [${array.shape.join(', ')}] but received ${array.data.length}`);
  const header = npyHeader(dtype, array.shape);
  const body = new Uint8Array(array.data.buffer, array.data.byteOffset, array.data.byteLength);
  const out = new Uint8Array(header.length + body.length);
  out.set(header, 0);
  out.set(body, header.length);
  return out;
}

function corrupt(message: string, path: string | undefined): AudiomillError {
  return new AudiomillError('DECODE_CORRUPT', `${path ? `${path}: ` : ''}${message}`, path ? { path } : {});
}

/**
 * Parses a `.npy` file (versions 1-3, little-endian or one-byte dtypes, C order). Bad bytes give an
 * AudiomillError with code DECODE_CORRUPT (or UNSUPPORTED_FORMAT for big-endian, Fortran order or
 * an unknown dtype), never a crash. The data is copied into an aligned array of its own.
 */
export function decodeNpy(bytes: Uint8Array, path?: string): NpyArray {
  if (!(bytes instanceof Uint8Array)) throw typeError('a Uint8Array', 'bytes', bytes);
  if (bytes.length < 10 || MAGIC.some((m, i) => bytes[i] !== m)) throw corrupt('not an .npy file (no \\x93NUMPY magic)', path);
  const major = bytes[6]!;
  if (major < 1 || major > 3) throw corrupt(`unknown .npy version ${major}.${bytes[7]}`, path);
  const lenBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lenBytes) throw corrupt('truncated header', path);
  let headerLen = 0;
  for (let i = lenBytes - 1; i >= 0; i--) headerLen = headerLen * 256 + bytes[8 + i]!;
  const start = 8 + lenBytes;
  if (start + headerLen > bytes.length) throw corrupt(`header of ${headerLen} bytes runs past the end of the file (${bytes.length} bytes)`, path);
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + headerLen));
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]+)['"]/.exec(header)?.[1];
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) throw corrupt(`malformed header ${JSON.stringify(header.trim())}`, path);
  const dtype = BY_DESCR.get(descr);
  const unsupported = (what: string) => new AudiomillError('UNSUPPORTED_FORMAT', `${path ? `${path}: ` : ''}${what}`, path ? { path } : {});
  if (dtype === undefined) throw unsupported(`unsupported dtype '${descr}' (expected one of ${[...BY_DESCR.keys()].join(', ')})`);
  if (fortran === 'True') throw unsupported('Fortran-ordered arrays are not supported (save with np.ascontiguousarray)');
  const dims = shapeText.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (!dims.every((d) => /^\d+$/.test(d))) throw corrupt(`malformed shape (${shapeText})`, path);
  const shape = dims.map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const info = DTYPES[dtype];
  const offset = start + headerLen;
  if (!Number.isSafeInteger(count * info.bytes) || bytes.length - offset < count * info.bytes)
    throw new AudiomillError('DECODE_TRUNCATED', `${path ? `${path}: ` : ''}expected ${count} values of ${descr} after the header but the file holds ${Math.max(0, bytes.length - offset)} bytes`, path ? { path } : {});
  // Uint8Array's slice (a copy), also for a Buffer, whose own slice is a view of the file's whole buffer.
  const copy = Uint8Array.prototype.slice.call(bytes, offset, offset + count * info.bytes);
  return { dtype, shape, data: info.make(copy.buffer, 0, count) };
}

/**
 * Writes a `.npy` array of shape [n, ...rowShape] row by row, n unknown until the end. Rows go to a
 * temporary file beside the target; `commit()` rewrites the header with the final row count and
 * renames the file over the target, `abort()` removes it. A crash before commit leaves the target
 * as it was. Memory stays one row.
 */
export class NpyWriter {
  readonly path: string;
  readonly dtype: NpyDtype;
  readonly rowShape: readonly number[];
  private fh: FileHandle | null = null;
  private readonly tmp: string;
  private rows = 0;
  private position = 0;
  private headerLength = 0;
  private readonly rowLength: number;

  constructor(path: string, dtype: NpyDtype, rowShape: readonly number[]) {
    if (typeof path !== 'string' || path.length === 0) throw typeError('a file path', 'path', path);
    this.path = path;
    this.dtype = oneOf(dtype, 'dtype', NPY_DTYPES);
    this.rowShape = [...checkShape(rowShape, 'rowShape')];
    this.rowLength = rowShape.reduce((a, b) => a * b, 1);
    this.tmp = tempPath(path);
  }

  /** Rows written so far. */
  get length(): number {
    return this.rows;
  }

  private async handle(): Promise<FileHandle> {
    if (this.fh) return this.fh;
    this.fh = await open(this.tmp, 'w').catch((err: unknown) => {
      throw ioError('write', this.path, err);
    });
    // Room for any row count up to 2^53 in the header.
    const header = npyHeader(this.dtype, [Number.MAX_SAFE_INTEGER, ...this.rowShape]);
    this.headerLength = header.length;
    await this.fh.write(npyHeader(this.dtype, [0, ...this.rowShape], this.headerLength), 0, this.headerLength, 0);
    this.position = this.headerLength;
    return this.fh;
  }

  /** Appends one or more whole rows (data.length a multiple of the row length). */
  async append(data: NpyData): Promise<void> {
    if (data.length % this.rowLength !== 0 || dtypeOf(data) !== (this.dtype === 'float16' ? 'uint16' : this.dtype))
      throw new RangeError(`Expected ${this.dtype} rows of ${this.rowLength} values for ${this.path} but received ${data.length} values of ${dtypeOf(data)}`);
    const fh = await this.handle();
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    await fh.write(bytes, 0, bytes.length, this.position);
    this.position += bytes.length;
    this.rows += data.length / this.rowLength;
  }

  /** Finishes the file: final header, flush to disk, rename over the target. */
  async commit(): Promise<void> {
    const fh = await this.handle();
    try {
      await fh.write(npyHeader(this.dtype, [this.rows, ...this.rowShape], this.headerLength), 0, this.headerLength, 0);
      await fh.sync();
      await fh.close();
      this.fh = null;
      await rename(this.tmp, this.path);
    } catch (err) {
      throw ioError('write', this.path, err);
    }
  }

  /** Drops the temporary file; the target is left as it was. */
  async abort(): Promise<void> {
    if (this.fh) await this.fh.close().catch(() => undefined);
    this.fh = null;
    await rm(this.tmp, { force: true });
  }
}
