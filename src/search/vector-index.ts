/**
 * VectorIndex: exact (brute-force) nearest-neighbour search over float32 embeddings, computed by
 * the native blocked kernel with the top-k selection fused in (native/core/search/flat_search.h),
 * the results FAISS's IndexFlatIP / IndexFlatL2 give.
 *
 * - metric 'cosine' (default): rows are L2-normalised on add and queries on search, so scores are
 *   cosine similarities (the FAISS pitfall of forgetting to normalise cannot happen); zero vectors
 *   are rejected with their row number. 'ip': raw inner products. 'l2': squared Euclidean
 *   distances, smallest first (FAISS's IndexFlatL2 convention).
 * - storage 'f16' / 'bf16' halve the row memory and 'i8' (int8 codes with a scale per row) quarters
 *   it, optionally keeping float32 rows for exact re-ranking (`keepF32`, `rerank`).
 * - ids: row numbers by default; or numbers, bigints or strings given on add (kept in an id <-> row
 *   map; every add then names its ids).
 * - remove(ids) hides rows from later searches (tombstones: the rows stay in storage and in saved files).
 * - filter: a list of allowed ids, a Uint8Array bitmap over rows, or a predicate evaluated once per
 *   search into a bitmap (never a JS callback per distance).
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { writeFileAtomic, writeFileAtomicSync } from '../io/atomic.js';
import { AudiomillError, awaitNative, callNative, ioError } from '../errors.js';
import { decodeNpy, encodeNpy } from '../io/npy.js';
import { STORAGE_CODES, decodeIndex, encodeIndex, runSliced, runSlicedSync, verifyIndex, type Sliced } from './index-file.js';
import type { NativePrepareArgs, NativePreparedRows, NativeRangeResult, NativeSearchArgs, NativeSearchResult, NativeStoredRows } from '../native/binding.js';
import { native } from '../native/load.js';
import { bool, int, num, oneOf, rangeError, threadsOption, typeError } from '../validate.js';

export type VectorMetric = 'cosine' | 'ip' | 'l2';
export type VectorStorage = 'f32' | 'f16' | 'bf16' | 'i8';
export type VectorId = number | bigint | string;

export interface VectorIndexOptions {
  /** Vector dimension, 1 .. 65536. */
  dim: number;
  /** 'cosine' (default), 'ip' (inner product) or 'l2' (squared Euclidean distance). */
  metric?: VectorMetric;
  /**
   * Row storage (docs/api.md, "Vector search"):
   * - 'f32' (default): exact.
   * - 'f16': IEEE half precision (half the bytes; 11 significant bits, |values| up to 65504).
   * - 'bf16': bfloat16 (half the bytes; 8 significant bits, float32's range). On CPUs with AMX the
   *   queries are rounded to bf16 too and multiplied on the tile unit.
   * - 'i8': int8 codes with one float32 scale per row (a quarter of the bytes plus 4 per row); the
   *   queries are quantised the same way and the integer dot products run on VNNI / AMX where present.
   */
  storage?: VectorStorage;
  /** With compressed storage: also keep the float32 rows, so searches can re-rank candidates exactly (`rerank`). */
  keepF32?: boolean;
}

/** Options of VectorIndex.load / loadSync. */
export interface VectorIndexLoadOptions {
  /** Search the rows in place from the memory-mapped file instead of reading them into memory (default false). */
  mmap?: boolean;
  /** Check the file's checksum and scan the rows for NaN / Infinity (default true). */
  verify?: boolean;
}

/** Options of VectorIndex.fromNpy / fromNpySync: the index's options (dim comes from the file) and optional ids, one per row. */
export type VectorIndexNpyOptions = Omit<VectorIndexOptions, 'dim'> & { ids?: readonly VectorId[] };

/** Vectors: one Float32Array of n x dim values (row-major), or one Float32Array per vector. */
export type Vectors = Float32Array | readonly Float32Array[];

/** Which rows a search may return. */
export type SearchFilter = readonly VectorId[] | Uint8Array | ((row: number, id: VectorId) => boolean);

export interface SearchOptions {
  filter?: SearchFilter;
  /**
   * Skip, for each query, the stored row holding exactly that vector (its own row when the queries
   * are stored vectors, as in a self-join `index.search(index.vectors(), k, { excludeSelf: true })`).
   * searchById always skips the row it starts from unless this is false.
   */
  excludeSelf?: boolean;
  /** Threads for this search (default: the global cap). */
  threads?: number;
  /**
   * Compressed storage with keepF32: score the best rerank x k candidates again from the float32 rows
   * (in float64) and return the best k of them: exact scores, and the exact ranking unless a true
   * neighbour fell outside the candidates.
   */
  rerank?: number;
}

/** Options of rangeSearch / rangeSearchSync: search()'s, without rerank. */
export type RangeSearchOptions = Omit<SearchOptions, 'rerank'>;

export interface RangeSearchResult<Id = VectorId> {
  nq: number;
  /** nq + 1 offsets: query q's matches are ids / scores [lims[q], lims[q + 1]). */
  lims: Float64Array;
  /** Row numbers (Int32Array) without ids, else the ids. */
  ids: Int32Array | Id[];
  scores: Float32Array;
}

export interface SearchResult<Id = VectorId> {
  /** Queries. */
  nq: number;
  /** Results per query: min(k, rows that may be returned). */
  k: number;
  /**
   * nq x k, best first per query: row numbers (Int32Array, -1 where a query had fewer eligible rows)
   * when the index has no ids, else the ids (null in those places).
   */
  ids: Int32Array | (Id | null)[];
  /** nq x k scores: cosine / inner product (descending) or squared L2 distance (ascending); NaN where padded. */
  scores: Float32Array;
}

const METRICS: readonly VectorMetric[] = ['cosine', 'ip', 'l2'];
const MAX_ROWS = 2 ** 31 - 1;

/** Compressed rows: 16-bit floats, or int8 codes with one scale per row. */
type Codes = Uint16Array | Int8Array;

/** binary16 as a number (exact). */
function f16ToNumber(h: number): number {
  const e = (h >> 10) & 31;
  const m = h & 1023;
  const v = e === 0 ? m * 2 ** -24 : (1 + m / 1024) * 2 ** (e - 15);
  return h & 0x8000 ? -v : v;
}

/** Stored rows [r0, r1) as float32, in a new array (f16 / bf16 widened exactly; i8 as code x scale). */
function widenRows(storage: VectorStorage, codes: Codes, scales: Float32Array | null, dim: number, r0: number, r1: number): Float32Array {
  const out = new Float32Array((r1 - r0) * dim);
  const base = r0 * dim;
  if (storage === 'bf16') {
    const words = new Uint32Array(out.buffer);
    for (let i = 0; i < out.length; i++) words[i] = codes[base + i]! << 16;
  } else if (storage === 'f16') {
    for (let i = 0; i < out.length; i++) out[i] = f16ToNumber(codes[base + i]!);
  } else {
    for (let i = 0; i < out.length; i++) out[i] = codes[base + i]! * scales![r0 + Math.floor(i / dim)]!;
  }
  return out;
}

/** FNV-1a over 32-bit words. */
function hashWords(w: Uint32Array, start: number, n: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < start + n; i++) h = Math.imul(h ^ w[i]!, 0x01000193);
  return h >>> 0;
}

/**
 * Calls fn on slices [r0, r1) of n rows (about 8 MB of rows each), yielding between slices (see
 * runSliced); stops at, and returns true for, the first slice fn reports.
 */
function* someSlice(n: number, rowBytes: number, fn: (r0: number, r1: number) => boolean): Sliced<boolean> {
  const step = Math.max(1, Math.floor((8 << 20) / rowBytes));
  for (let r0 = 0; r0 < n; r0 += step) {
    if (fn(r0, Math.min(n, r0 + step))) return true;
    if (r0 + step < n) yield;
  }
  return false;
}

function checkPath(path: unknown): string {
  if (typeof path !== 'string' || path.length === 0) throw typeError('a file path', 'path', path);
  return path;
}

function checkLoadOptions(options: VectorIndexLoadOptions): { mmap: boolean; verify: boolean } {
  if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
  return {
    mmap: options.mmap === undefined ? false : bool(options.mmap, 'mmap'),
    verify: options.verify === undefined ? true : bool(options.verify, 'verify'),
  };
}

function readError(err: unknown, path: string, what: string): AudiomillError {
  return new AudiomillError('IO', `cannot read ${what}'${path}': ${(err as Error).message}`, { path, cause: err });
}

/** A file's bytes as a Uint8Array view of the Buffer read. */
function bytesOf(b: Buffer): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** The file memory-mapped (native mapFile), or an IO AudiomillError with the path. */
function mapFile(path: string): ArrayBuffer {
  try {
    return native().mapFile(path);
  } catch (err) {
    throw new AudiomillError('IO', (err as Error).message, { path, cause: err });
  }
}

function isIdList(v: unknown): v is readonly VectorId[] {
  return Array.isArray(v);
}

export class VectorIndex {
  readonly dim: number;
  readonly metric: VectorMetric;
  readonly storage: VectorStorage;
  private data: Float32Array | null = new Float32Array(0); // f32 rows: capacity x dim, [0, count) in use
  private codes: Codes | null = null; // compressed rows, same layout
  private scales: Float32Array | null = null; // i8: one scale per row
  private norms: Float32Array | null = null; // l2: |x|^2 per row
  private count = 0;
  private removed = 0;
  private live: Uint8Array = new Uint8Array(0); // 1 for rows not removed
  private idList: VectorId[] | null = null; // row -> id, when ids are used
  private rowOf = new Map<VectorId, number>();
  private hashed: number[] = []; // excludeSelf: a hash of each row's bits, and rows by hash
  private byHash = new Map<number, number[]>();

  constructor(options: VectorIndexOptions) {
    if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
    this.dim = int(options.dim, 'dim', 1, 65536);
    this.metric = oneOf(options.metric ?? 'cosine', 'metric', METRICS);
    this.storage = oneOf(options.storage ?? 'f32', 'storage', STORAGE_CODES);
    if (this.storage !== 'f32') {
      this.codes = this.storage === 'i8' ? new Int8Array(0) : new Uint16Array(0);
      if (this.storage === 'i8') this.scales = new Float32Array(0);
      if (!(options.keepF32 === undefined ? false : bool(options.keepF32, 'keepF32'))) this.data = null;
    } else if (options.keepF32 !== undefined) {
      throw rangeError("keepF32 only with compressed storage ('f16', 'bf16' or 'i8')", 'keepF32', options.keepF32);
    }
    if (this.metric === 'l2') this.norms = new Float32Array(0);
  }

  /**
   * Writes the index to `path` atomically (format in src/search/index-file.ts: a versioned header
   * with dim, metric, storage, row count and a CRC-32, then the raw rows, row flags and ids). The
   * checksum is computed in slices, letting the event loop run between them.
   */
  async save(path: string): Promise<void> {
    checkPath(path);
    const chunks = await runSliced(this.encode());
    await writeFileAtomic(path, chunks).catch((err: unknown) => {
      throw ioError('write the index', path, err);
    });
  }

  /** save() on the calling thread. */
  saveSync(path: string): void {
    checkPath(path);
    const chunks = runSlicedSync(this.encode());
    try {
      writeFileAtomicSync(path, chunks);
    } catch (err) {
      throw ioError('write the index', path, err);
    }
  }

  private encode(): Sliced<Uint8Array[]> {
    const { rows, rowScales } = this.storedRows();
    // A copy of the flags: a remove() meanwhile must not change the checksummed bytes.
    return encodeIndex({ dim: this.dim, metric: this.metric, storage: this.storage, rows, scales: rowScales ?? null, live: this.live.slice(0, this.count), ids: this.idList });
  }

  /**
   * Reads an index written by save(). A truncated, damaged or foreign file is an AudiomillError with
   * the path. With `mmap: true` the rows are not copied: searches read them from the memory-mapped
   * file (pages shared with the OS cache and with other processes mapping it, loaded as touched);
   * adding rows later copies them into memory. `verify: false` skips the checksum and the scan for
   * non-finite values (every size is still checked, so a damaged file can give wrong scores but
   * never a crash), which makes opening a mapped index nearly free. The checks run in slices,
   * letting the event loop run between them.
   */
  static async load(path: string, options: VectorIndexLoadOptions = {}): Promise<VectorIndex> {
    checkPath(path);
    const { mmap, verify } = checkLoadOptions(options);
    const bytes = mmap
      ? new Uint8Array(mapFile(path))
      : await readFile(path).then(bytesOf, (err: unknown) => {
          throw readError(err, path, 'the index ');
        });
    return runSliced(VectorIndex.decode(bytes, path, verify));
  }

  /** load() on the calling thread. */
  static loadSync(path: string, options: VectorIndexLoadOptions = {}): VectorIndex {
    checkPath(path);
    const { mmap, verify } = checkLoadOptions(options);
    let bytes: Uint8Array;
    if (mmap) bytes = new Uint8Array(mapFile(path));
    else {
      try {
        bytes = bytesOf(readFileSync(path));
      } catch (err) {
        throw readError(err, path, 'the index ');
      }
    }
    return runSlicedSync(VectorIndex.decode(bytes, path, verify));
  }

  /** An index over a file's bytes (load and loadSync), checked in slices. */
  private static *decode(bytes: Uint8Array, path: string, verify: boolean): Sliced<VectorIndex> {
    if (verify) yield* verifyIndex(bytes, path);
    // Rows are views of the bytes read or mapped (aligned: they start at byte 64), never a second copy.
    const c = decodeIndex(bytes, path);
    const index = new VectorIndex({ dim: c.dim, metric: c.metric, storage: c.storage });
    const n = c.live.length;
    const rowBytes = c.dim * c.rows.BYTES_PER_ELEMENT;
    if (verify) {
      const bad = c.storage === 'f16' ? 0x7c00 : 0x7f80; // an all-ones exponent: Infinity or NaN
      const nonFinite = (r0: number, r1: number) => {
        if (c.rows instanceof Float32Array) return callNative(() => native().firstNonFiniteRow({ x: c.rows.subarray(r0 * c.dim, r1 * c.dim) as Float32Array, n: r1 - r0, dim: c.dim })) >= 0;
        if (c.scales) return callNative(() => native().firstNonFiniteRow({ x: c.scales!.subarray(r0, r1), n: r1 - r0, dim: 1 })) >= 0;
        const h = c.rows as Uint16Array;
        for (let i = r0 * c.dim; i < r1 * c.dim; i++) if ((h[i]! & bad) === bad) return true;
        return false;
      };
      if (yield* someSlice(n, rowBytes, nonFinite)) throw new AudiomillError('DECODE_CORRUPT', `${path}: a row holds NaN or Infinity`, { path });
    }
    if (c.ids && new Set(c.ids).size !== n) throw new AudiomillError('DECODE_CORRUPT', `${path}: duplicate ids`, { path });
    if (c.rows instanceof Float32Array) index.data = c.rows;
    else index.codes = c.rows;
    index.scales = c.scales;
    index.live = c.live;
    index.count = n;
    index.removed = n - c.live.reduce((a, b) => a + b, 0);
    if (index.norms) {
      const norms = new Float32Array(n);
      yield* someSlice(n, rowBytes, (r0, r1) => {
        const rows = c.rows.subarray(r0 * c.dim, r1 * c.dim);
        norms.set(callNative(() => native().storedRowNorms({ rows, n: r1 - r0, dim: c.dim, storage: c.storage, rowScales: c.scales?.subarray(r0, r1) })), r0);
        return false;
      });
      index.norms = norms;
    }
    if (c.ids) {
      index.idList = c.ids;
      c.ids.forEach((id, r) => index.rowOf.set(id, r));
    }
    return index;
  }

  /** Writes the live vectors as an .npy float32 [size, dim] array (cosine: normalised), atomically. */
  async saveNpy(path: string): Promise<void> {
    checkPath(path);
    await writeFileAtomic(path, this.npyBytes()).catch((err: unknown) => {
      throw ioError('write', path, err);
    });
  }

  /** saveNpy() on the calling thread. */
  saveNpySync(path: string): void {
    checkPath(path);
    try {
      writeFileAtomicSync(path, this.npyBytes());
    } catch (err) {
      throw ioError('write', path, err);
    }
  }

  private npyBytes(): Uint8Array {
    const live = this.removed === 0 ? this.vectors() : this.liveVectors();
    return encodeNpy({ data: live, shape: [this.size, this.dim] });
  }

  /** A new index holding the vectors of an .npy float32 [n, dim] file (numpy's np.save), ids optional. */
  static async fromNpy(path: string, options: VectorIndexNpyOptions = {}): Promise<VectorIndex> {
    checkPath(path);
    const bytes = await readFile(path).then(bytesOf, (err: unknown) => {
      throw readError(err, path, '');
    });
    const [index, data, ids] = VectorIndex.npyIndex(bytes, path, options);
    await index.add(data, ids);
    return index;
  }

  /** fromNpy() on the calling thread. */
  static fromNpySync(path: string, options: VectorIndexNpyOptions = {}): VectorIndex {
    checkPath(path);
    let bytes: Uint8Array;
    try {
      bytes = bytesOf(readFileSync(path));
    } catch (err) {
      throw readError(err, path, '');
    }
    const [index, data, ids] = VectorIndex.npyIndex(bytes, path, options);
    index.addSync(data, ids);
    return index;
  }

  /** An empty index for an .npy file's rows, the rows, and the ids to add them with. */
  private static npyIndex(bytes: Uint8Array, path: string, options: VectorIndexNpyOptions): [VectorIndex, Float32Array, readonly VectorId[] | undefined] {
    if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
    const a = decodeNpy(bytes, path);
    if (a.dtype !== 'float32' || a.shape.length !== 2)
      throw new AudiomillError('UNSUPPORTED_FORMAT', `${path}: expected a float32 array of shape [n, dim], got ${a.dtype} [${a.shape.join(', ')}]`, { path });
    const { ids, ...rest } = options;
    return [new VectorIndex({ ...rest, dim: a.shape[1]! }), a.data as Float32Array, ids];
  }

  private liveVectors(): Float32Array {
    const out = new Float32Array(this.size * this.dim);
    const all = this.vectors();
    let o = 0;
    for (let r = 0; r < this.count; r++) {
      if (!this.live[r]) continue;
      out.set(all.subarray(r * this.dim, (r + 1) * this.dim), o);
      o += this.dim;
    }
    return out;
  }

  /** Rows that searches can return (added minus removed). */
  get size(): number {
    return this.count - this.removed;
  }

  /** Whether vectors were added with ids (else results are row numbers). */
  get hasIds(): boolean {
    return this.idList !== null;
  }

  /**
   * The vectors as one n x dim array (row-major), for checks and export: the float32 rows when kept,
   * else the stored rows widened into a copy (i8: code x scale).
   */
  vectors(): Float32Array {
    if (this.data) return this.data.subarray(0, this.count * this.dim);
    return widenRows(this.storage, this.codes!, this.scales, this.dim, 0, this.count);
  }

  /** Bytes held by the rows (float32 rows, compressed rows and their scales), for memory checks. */
  get rowBytes(): number {
    const codeBytes = this.codes ? this.codes.BYTES_PER_ELEMENT : 0;
    return this.count * (this.dim * ((this.data ? 4 : 0) + codeBytes) + (this.scales ? 4 : 0));
  }

  /**
   * Adds vectors (copied; normalised for cosine). Returns the first new row number. Ids, when given,
   * must be new and unique, one per vector; an index that has ids needs them on every add. A rejected
   * add adds nothing.
   */
  async add(vectors: Vectors, ids?: readonly VectorId[]): Promise<number> {
    const [copy, n] = this.checkAdd(vectors, ids);
    const prepared = await awaitNative(() => native().prepareRows(this.prepareArgs(copy, n), true));
    return this.commitAdd(copy, n, ids, prepared);
  }

  /** add() on the calling thread (the checks, normalisation and conversion block the event loop). */
  addSync(vectors: Vectors, ids?: readonly VectorId[]): number {
    const [copy, n] = this.checkAdd(vectors, ids);
    return this.commitAdd(copy, n, ids, callNative(() => native().prepareRows(this.prepareArgs(copy, n), false)));
  }

  /** What prepareRows does to added rows: normalise them (cosine), store them, and take their norms (l2). */
  private prepareArgs(x: Float32Array, n: number): NativePrepareArgs {
    return { x, n, dim: this.dim, normalize: this.metric === 'cosine', norms: this.norms !== null, storage: this.storage };
  }

  /** Validates an add's shape and ids; returns a private copy of the vectors and their count. */
  private checkAdd(vectors: Vectors, ids: readonly VectorId[] | undefined): [Float32Array, number] {
    const [x, n] = this.matrix(vectors, 'vectors');
    if (this.count + n > MAX_ROWS) throw rangeError(`at most ${MAX_ROWS} rows in all`, 'vectors', `${this.count} + ${n} rows`);
    if (ids !== undefined) {
      if (!Array.isArray(ids) || ids.length !== n) throw typeError(`an array of ${n} ids (one per vector)`, 'ids', ids);
      if (this.count > 0 && this.idList === null) throw rangeError('no ids (the index holds vectors added without ids)', 'ids', ids.length > 0 ? ids[0] : ids);
      const seen = new Set<VectorId>();
      ids.forEach((id, i) => {
        if (!(typeof id === 'string' || typeof id === 'bigint' || (typeof id === 'number' && Number.isFinite(id))))
          throw typeError('a number, bigint or string', `ids[${i}]`, id);
        if (seen.has(id) || this.rowOf.has(id)) throw rangeError('ids not already in the index', `ids[${i}]`, id);
        seen.add(id);
      });
    } else if (this.idList !== null && n > 0) {
      throw typeError(`an array of ${n} ids (the index holds vectors added with ids)`, 'ids', ids);
    }
    return [Float32Array.from(x), n];
  }

  /** Stores prepared rows (or reports why they were rejected). */
  private commitAdd(copy: Float32Array, n: number, ids: readonly VectorId[] | undefined, p: NativePreparedRows): number {
    if (p.nonFinite >= 0) throw rangeError('finite values (no NaN or Infinity)', 'vectors', `row ${p.nonFinite} with a non-finite value`);
    if (p.zero >= 0) throw rangeError('non-zero vectors (cosine normalises each one)', 'vectors', `row ${p.zero} with norm 0`);
    if (p.overflow >= 0) throw rangeError("values within f16's range (|x| <= 65504) for storage 'f16'", 'vectors', `row ${p.overflow} with a larger value`);
    if (ids !== undefined) for (const [i, id] of ids.entries()) if (this.rowOf.has(id)) throw rangeError('ids not already in the index', `ids[${i}]`, id); // an add that ran meanwhile
    const first = this.count;
    this.reserve(this.count + n);
    this.data?.set(copy, this.count * this.dim);
    if (this.codes) (this.codes as Uint16Array).set((p.codes ?? new Uint16Array(0)) as Uint16Array, this.count * this.dim);
    if (this.scales) this.scales.set(p.scales ?? new Float32Array(0), this.count);
    if (this.norms) this.norms.set(p.norms ?? new Float32Array(0), this.count);
    this.live.fill(1, this.count, this.count + n);
    if (ids !== undefined) {
      this.idList ??= [];
      ids.forEach((id, i) => {
        this.idList!.push(id);
        this.rowOf.set(id, first + i);
      });
    }
    this.count += n;
    return first;
  }

  /** Hides rows from every later search: ids (or row numbers without ids). Unknown ids are an error. */
  remove(ids: readonly VectorId[]): number {
    if (!Array.isArray(ids)) throw typeError('an array of ids', 'ids', ids);
    const rows = ids.map((id, i) => this.rowFor(id, `ids[${i}]`));
    let n = 0;
    for (const r of rows) {
      if (this.live[r]) {
        this.live[r] = 0;
        n++;
      }
    }
    this.removed += n;
    return n;
  }

  /** The row a (live) id or row number refers to. */
  private rowFor(id: VectorId, option: string): number {
    const row = this.idList ? this.rowOf.get(id) : typeof id === 'number' && Number.isInteger(id) && id >= 0 && id < this.count ? id : undefined;
    if (row === undefined || !this.live[row]) throw rangeError('an id in the index', option, id);
    return row;
  }

  /** k nearest rows of each query, best first (off the event loop, on the native pool). */
  async search(queries: Vectors, k: number, options: SearchOptions = {}): Promise<SearchResult> {
    return this.run(queries, k, options, undefined, true);
  }

  /** search() on the calling thread. */
  searchSync(queries: Vectors, k: number, options: SearchOptions = {}): SearchResult {
    return this.run(queries, k, options, undefined, false);
  }

  /** The k nearest rows to a stored vector (its own row excluded unless excludeSelf is false). */
  async searchById(id: VectorId, k: number, options: SearchOptions = {}): Promise<SearchResult> {
    const [q, exclude] = this.byId(id, options);
    return this.run(q, k, options, exclude, true);
  }

  /** searchById() on the calling thread. */
  searchByIdSync(id: VectorId, k: number, options: SearchOptions = {}): SearchResult {
    const [q, exclude] = this.byId(id, options);
    return this.run(q, k, options, exclude, false);
  }

  /** searchById's query (the stored vector) and the row it excludes. */
  private byId(id: VectorId, options: SearchOptions): [Float32Array, Float64Array | undefined] {
    if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
    const row = this.rowFor(id, 'id');
    return [this.vectorAt(row), options.excludeSelf === false ? undefined : Float64Array.of(row)];
  }

  private run(queries: Vectors, k: number, options: SearchOptions, exclude: Float64Array | undefined, async: true): Promise<SearchResult>;
  private run(queries: Vectors, k: number, options: SearchOptions, exclude: Float64Array | undefined, async: false): SearchResult;
  private run(queries: Vectors, k: number, options: SearchOptions, exclude: Float64Array | undefined, async: boolean): SearchResult | Promise<SearchResult> {
    const kk = int(k, 'k', 1, MAX_ROWS);
    const { q, nq, allow, eligible, threads, self } = this.prepare(queries, options, exclude);
    exclude = self;
    const kOut = Math.min(kk, eligible);
    if (nq === 0 || kOut === 0) return this.result(nq, kOut, { scores: new Float32Array(0), ids: new Int32Array(0) });
    let kScan = kOut;
    if (options.rerank !== undefined) {
      const factor = num(options.rerank, 'rerank', { min: 1 });
      if (!this.codes || !this.data) throw rangeError('rerank only on an index with compressed storage and keepF32: true', 'rerank', options.rerank);
      kScan = Math.min(eligible, Math.ceil(factor * kOut));
    }
    const exactRows = kScan === kOut ? undefined : this.data!.subarray(0, this.count * this.dim); // re-rank natively
    const args = { ...this.searchArgs(q, nq, allow, exclude, threads), k: kScan, exactRows, kOut };
    const call = (a: boolean) => native().flatSearch(args, a as true);
    const finish = (r: NativeSearchResult) => this.result(nq, kOut, r);
    if (!async) return finish(callNative(() => call(false) as unknown as NativeSearchResult));
    return awaitNative(() => call(true)).then(finish);
  }

  /** Checks and normalises the queries, and resolves the filter, removals and self-exclusion of a search. */
  private prepare(queries: Vectors, options: SearchOptions, exclude: Float64Array | undefined) {
    if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
    const threads = threadsOption(options.threads);
    const [x, nq] = this.matrix(queries, 'queries');
    const q = Float32Array.from(x);
    // A query's "self" holds its bits as given (stored vectors passed back) or as normalised (the
    // original vectors of a cosine index).
    const asGiven = options.excludeSelf === true && exclude === undefined ? this.selfRows(q, nq) : undefined;
    const p = callNative(() => native().prepareRows({ x: q, n: nq, dim: this.dim, normalize: this.metric === 'cosine', storage: 'f32' }, false));
    if (p.nonFinite >= 0) throw rangeError('finite values (no NaN or Infinity)', 'queries', `query ${p.nonFinite} with a non-finite value`);
    if (p.zero >= 0) throw rangeError('non-zero queries (cosine normalises each one)', 'queries', `query ${p.zero} with norm 0`);
    const [allow, eligible] = this.allowed(options.filter);
    if (asGiven) {
      const normalised = this.metric === 'cosine' ? this.selfRows(q, nq) : asGiven;
      exclude = asGiven.map((r, i) => (r >= 0 ? r : normalised[i]!));
    }
    return { q, nq, allow, eligible, threads, self: exclude };
  }

  /** The rows the kernel reads: the compressed rows (and i8 scales) when the index has them. */
  private storedRows(): NativeStoredRows {
    const rows = this.codes ? this.codes.subarray(0, this.count * this.dim) : this.data!.subarray(0, this.count * this.dim);
    return { rows, n: this.count, dim: this.dim, storage: this.storage, rowScales: this.scales?.subarray(0, this.count) };
  }

  /** A search's native arguments: the stored rows, their norms (l2), the queries, filter and self-exclusion. */
  private searchArgs(queries: Float32Array, nq: number, allow: Uint8Array | undefined, exclude: Float64Array | undefined, threads: number | undefined): NativeSearchArgs {
    const metric = this.metric === 'l2' ? 'l2' : 'ip';
    return { ...this.storedRows(), rowNorms: this.norms?.subarray(0, this.count), queries, nq, metric, allow, exclude, threads };
  }

  /**
   * Every row within `threshold` of each query: score >= threshold for cosine / ip, squared distance
   * <= threshold for l2 (FAISS's range_search), best first. Query q's matches are
   * ids / scores [lims[q], lims[q + 1]). filter, excludeSelf and threads as in search().
   */
  async rangeSearch(queries: Vectors, threshold: number, options: RangeSearchOptions = {}): Promise<RangeSearchResult> {
    return this.runRange(queries, threshold, options, true);
  }

  /** rangeSearch() on the calling thread. */
  rangeSearchSync(queries: Vectors, threshold: number, options: RangeSearchOptions = {}): RangeSearchResult {
    return this.runRange(queries, threshold, options, false);
  }

  private runRange(queries: Vectors, threshold: number, options: RangeSearchOptions, async: true): Promise<RangeSearchResult>;
  private runRange(queries: Vectors, threshold: number, options: RangeSearchOptions, async: false): RangeSearchResult;
  private runRange(queries: Vectors, threshold: number, options: RangeSearchOptions, async: boolean): RangeSearchResult | Promise<RangeSearchResult> {
    const t = num(threshold, 'threshold');
    const { q, nq, allow, threads, self } = this.prepare(queries, options, undefined);
    const args = { ...this.searchArgs(q, nq, allow, self, threads), threshold: t };
    const call = (a: boolean) => native().flatRangeSearch(args, a as true);
    const list = this.idList;
    const finish = (r: NativeRangeResult): RangeSearchResult => ({ nq, lims: r.lims, ids: list ? Array.from(r.ids, (row) => list[row]!) : r.ids, scores: r.scores });
    if (!async) return finish(callNative(() => call(false) as unknown as NativeRangeResult));
    return awaitNative(() => call(true)).then(finish);
  }

  /** Row r as float32 (a copy). */
  private vectorAt(r: number): Float32Array {
    if (this.data) return this.data.slice(r * this.dim, (r + 1) * this.dim);
    return widenRows(this.storage, this.codes!, this.scales, this.dim, r, r + 1);
  }

  /** Per query, the first live row holding exactly the (normalised) query, or -1: its "self". */
  private selfRows(q: Float32Array, nq: number): Float64Array {
    const d = this.dim;
    const v = this.vectors();
    const words = new Uint32Array(v.buffer, v.byteOffset, this.count * d);
    // Row hashes are built once and extended as rows are added.
    for (let r = this.hashed.length; r < this.count; r++) {
      const h = hashWords(words, r * d, d);
      const list = this.byHash.get(h);
      if (list) list.push(r);
      else this.byHash.set(h, [r]);
      this.hashed.push(h);
    }
    const qw = new Uint32Array(q.buffer, q.byteOffset, nq * d);
    const out = new Float64Array(nq).fill(-1);
    for (let i = 0; i < nq; i++) {
      for (const r of this.byHash.get(hashWords(qw, i * d, d)) ?? []) {
        let same = this.live[r] === 1;
        for (let j = 0; j < d && same; j++) same = words[r * d + j] === qw[i * d + j];
        if (same) {
          out[i] = r;
          break;
        }
      }
    }
    return out;
  }

  /** The allow bitmap for a search (live rows and the filter) and how many rows it admits. */
  private allowed(filter: SearchFilter | undefined): [Uint8Array | undefined, number] {
    if (filter === undefined) {
      return this.removed === 0 ? [undefined, this.count] : [this.live.subarray(0, this.count), this.size];
    }
    const allow = new Uint8Array(this.count);
    if (filter instanceof Uint8Array) {
      if (filter.length !== this.count) throw rangeError(`a Uint8Array of ${this.count} flags (one per row)`, 'filter', `Uint8Array(${filter.length})`);
      for (let r = 0; r < this.count; r++) allow[r] = filter[r] && this.live[r] ? 1 : 0;
    } else if (typeof filter === 'function') {
      for (let r = 0; r < this.count; r++) if (this.live[r] && filter(r, this.idList ? this.idList[r]! : r)) allow[r] = 1;
    } else if (isIdList(filter)) {
      filter.forEach((id, i) => (allow[this.rowFor(id, `filter[${i}]`)] = 1));
    } else {
      throw typeError('a list of ids, a Uint8Array bitmap over rows or a predicate', 'filter', filter);
    }
    let n = 0;
    for (let r = 0; r < this.count; r++) n += allow[r]!;
    return [allow, n];
  }

  private result(nq: number, k: number, r: NativeSearchResult): SearchResult {
    if (!this.idList) return { nq, k, ids: r.ids, scores: r.scores };
    const list = this.idList;
    return { nq, k, ids: Array.from(r.ids, (row) => (row < 0 ? null : list[row]!)), scores: r.scores };
  }

  /** Checks vectors or queries and returns them as one n x dim array and n. */
  private matrix(v: Vectors, option: string): [Float32Array, number] {
    if (v instanceof Float32Array) {
      if (v.length % this.dim !== 0) throw rangeError(`a multiple of dim (${this.dim}) values`, option, `Float32Array(${v.length})`);
      return [v, v.length / this.dim];
    }
    if (!Array.isArray(v)) throw typeError('a Float32Array (n x dim) or an array of Float32Array', option, v);
    const out = new Float32Array(v.length * this.dim);
    v.forEach((row, i) => {
      if (!(row instanceof Float32Array)) throw typeError('a Float32Array', `${option}[${i}]`, row);
      if (row.length !== this.dim) throw rangeError(`a Float32Array of dim (${this.dim}) values`, `${option}[${i}]`, `Float32Array(${row.length})`);
      out.set(row, i * this.dim);
    });
    return [out, v.length];
  }

  private reserve(rows: number): void {
    const cap = this.live.length;
    if (rows <= cap) return;
    const next = Math.max(rows, Math.ceil(cap * 1.5), 1024);
    const grow = <T extends Float32Array | Codes | Uint8Array>(a: T, per: number): T => {
      const b = new (a.constructor as new (n: number) => T)(next * per);
      b.set(a.subarray(0, this.count * per) as never);
      return b;
    };
    if (this.data) this.data = grow(this.data, this.dim);
    if (this.codes) this.codes = grow(this.codes, this.dim);
    if (this.scales) this.scales = grow(this.scales, 1);
    this.live = grow(this.live, 1);
    if (this.norms) this.norms = grow(this.norms, 1);
  }
}
