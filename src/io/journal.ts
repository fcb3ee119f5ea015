/**
 * A keyed journal cache: results of expensive work (a manifest's rows per file, a clip's
 * embedding, a recording's detections), kept in one append-only file beside the outputs so that
 * a re-run reuses what is still valid and a killed run resumes where it was.
 *
 * - **Keyed and fingerprinted.** Each value is stored under a caller-given `key` (a file's
 *   relative path) with a caller-given `fingerprint` (a string of everything the value depends
 *   on: file size and mtime, a content hash, the options or the model hash). A lookup names the
 *   fingerprint it expects; an entry with another fingerprint is a miss, so a changed file or
 *   changed options recompute by themselves.
 * - **Values** are JSON (NaN and ±Infinity survive the round trip) plus, optionally, one binary
 *   blob per entry (an embedding's float32 bytes). Values stay in memory; blobs are read back from
 *   the file on demand, so a journal of many large blobs costs little memory.
 * - **Append-only and checksummed.** Every `set` appends one line: a CRC-32 of the record, then
 *   the record. Records are batched and flushed to disk (`fdatasync`) every `flushIntervalMs`, or
 *   when `maxPendingBytes` are queued, or on `flush()` / `close()`.
 * - **Kill-safe.** A process killed mid-append leaves at most one torn last line; on open, a torn
 *   line or a line whose checksum does not match is skipped (counted in `stats.skipped`), never
 *   fatal, and its key is simply recomputed. The next append starts on a fresh line.
 * - **Compacted.** `compact(keep)` rewrites the file with the latest record of each (kept) key,
 *   atomically (temporary file + rename): call it at the end of a run.
 * - **One writer.** Any number of concurrent async tasks of one process may `set`, `flush` and
 *   read; records are written in order by one queue. Two processes must not write one journal.
 *
 * File format (UTF-8, one record a line; keys and fingerprints are JSON strings, so they hold no
 * tab or line break):
 * ```
 * <crc32 of the rest of the line, 8 hex digits>\ts\t<key JSON>\t<fingerprint JSON>\t<value JSON>\t<blob base64>\n
 * <crc32>\td\t<key JSON>\n                                   (a deletion)
 * ```
 *
 * @example An embedding cache keyed by file, fingerprinted by file stat and model hash:
 * ```ts
 * const journal = await Journal.open<{ frames: number; dim: number }>('out/.embeddings.journal');
 * const fingerprint = JSON.stringify([stat.size, stat.mtimeMs, modelSha256]);
 * let meta = journal.get(relPath, fingerprint);
 * let vectors: Float32Array;
 * if (meta) {
 *   const bytes = (await journal.getBlob(relPath, fingerprint))!;
 *   vectors = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
 * } else {
 *   vectors = await embed(file);
 *   meta = { frames: vectors.length / 512, dim: 512 };
 *   journal.set(relPath, fingerprint, meta, vectors);
 * }
 * // ... at the end of the run, keep only the files that still exist:
 * await journal.compact(currentPaths);
 * await journal.close();
 * ```
 */
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { AudiomillError, ioError } from '../errors.js';
import { int, typeError } from '../validate.js';
import { tempPath } from './atomic.js';

/** Options of {@link Journal.open}. */
export interface JournalOptions {
  /**
   * Queued records are flushed to disk at least this often, in milliseconds (default 2000). 0
   * flushes after every `set` (each record is on disk as soon as the write queue reaches it).
   */
  flushIntervalMs?: number;
  /** Queued records are also flushed when they reach this many bytes (default 8 MiB). */
  maxPendingBytes?: number;
}

/** What {@link Journal.stats} reports. */
export interface JournalStats {
  /** Valid records read when the journal was opened (superseded ones included). */
  records: number;
  /** Lines skipped when the journal was opened: torn by a kill, or failing their checksum. */
  skipped: number;
  /** Keys holding a value now. */
  live: number;
}

interface Entry<V> {
  fingerprint: string;
  value: V;
  hasBlob: boolean;
  /** The blob while its record is not yet on disk; afterwards it is read from the file. */
  blob: Uint8Array | null;
  /** Byte offset and length (newline excluded) of the record's line; offset -1 while queued. */
  offset: number;
  length: number;
}

const TAG = '$audiomill:number';
const NL = 0x0a;
const TAB = 0x09;

/** Whether a JSON-like value holds NaN or ±Infinity anywhere (JSON.stringify would write them as null). */
function hasNonFinite(v: unknown): boolean {
  if (typeof v === 'number') return !Number.isFinite(v);
  if (v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) return v.some(hasNonFinite);
  for (const k in v) if (hasNonFinite((v as Record<string, unknown>)[k])) return true;
  return false;
}

function encodeValue(value: unknown): string {
  // The replacer runs for every key of every value: only pay for it when a non-finite number needs the tag.
  const json = hasNonFinite(value)
    ? JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? { [TAG]: String(v) } : v))
    : JSON.stringify(value);
  if (json === undefined) throw typeError('a JSON value', 'value', value);
  return json;
}

function decodeValue(json: string): unknown {
  return JSON.parse(json, (_k, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const t = (v as Record<string, unknown>)[TAG];
      if (typeof t === 'string' && Object.keys(v).length === 1) return Number(t);
    }
    return v;
  });
}

function hex8(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}

/** A queued record: its line (newline included) as text, and the line's length in UTF-8 bytes. */
interface Queued<V> {
  entry: Entry<V> | null;
  line: string;
  bytes: number;
}

/** The line of a record (newline included), kept as text until a flush writes a batch of them as one buffer. */
function recordLine(body: string): { line: string; bytes: number } {
  const line = `${hex8(crc32(body))}\t${body}\n`; // crc32 of a string hashes its UTF-8 bytes
  return { line, bytes: Buffer.byteLength(line, 'utf8') };
}

/** The record of a line without its newline, or null when torn or damaged. */
function checkedBody(line: Buffer): Buffer | null {
  if (line.length < 11 || line[8] !== TAB) return null;
  const crc = line.toString('latin1', 0, 8);
  if (!/^[0-9a-f]{8}$/.test(crc)) return null;
  const body = line.subarray(9);
  return crc32(body) === parseInt(crc, 16) ? body : null;
}

/**
 * A keyed, fingerprinted, append-only journal cache in one file. Open it with
 * {@link Journal.open}; see the module documentation for the format and guarantees.
 * @typeParam V - the JSON value stored per key.
 */
export class Journal<V = unknown> {
  /** The journal file. */
  readonly path: string;
  private readonly entries = new Map<string, Entry<V>>();
  private readonly flushIntervalMs: number;
  private readonly maxPendingBytes: number;
  private pending: Queued<V>[] = [];
  private pendingBytes = 0;
  private timer: NodeJS.Timeout | null = null;
  private queue: Promise<void> = Promise.resolve();
  private failure: unknown = null;
  private writer: FileHandle | null = null;
  private reader: FileHandle | null = null;
  /** Bytes in the file (after a torn tail is terminated). */
  private fileBytes = 0;
  private readonly counts = { records: 0, skipped: 0 };

  private constructor(path: string, options: JournalOptions) {
    this.path = path;
    this.flushIntervalMs = int(options.flushIntervalMs ?? 2000, 'flushIntervalMs', 0);
    this.maxPendingBytes = int(options.maxPendingBytes ?? 8 << 20, 'maxPendingBytes', 0);
  }

  /**
   * Opens (or starts) the journal at `path` and reads its records: the latest valid record of
   * each key wins; torn or damaged lines are skipped. A missing file is an empty journal (created
   * on the first flush; its folder must exist). Rejects with AudiomillError `IO` when the file
   * exists but cannot be read.
   */
  static async open<V = unknown>(path: string, options: JournalOptions = {}): Promise<Journal<V>> {
    if (typeof path !== 'string' || path === '') throw typeError('a non-empty string', 'path', path);
    if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
    const j = new Journal<V>(path, options);
    await j.load();
    return j;
  }

  private async load(): Promise<void> {
    let fh: FileHandle;
    try {
      fh = await open(this.path, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw ioError('open the journal', this.path, err);
    }
    try {
      const chunk = Buffer.allocUnsafe(1 << 20);
      let carry: Buffer[] = [];
      let lineStart = 0;
      let pos = 0;
      for (;;) {
        const { bytesRead } = await fh.read(chunk, 0, chunk.length, pos);
        if (bytesRead === 0) break;
        const buf = chunk.subarray(0, bytesRead);
        let start = 0;
        for (let nl = buf.indexOf(NL, start); nl !== -1; nl = buf.indexOf(NL, start)) {
          const piece = buf.subarray(start, nl);
          const line = carry.length > 0 ? Buffer.concat([...carry, piece]) : piece;
          this.readRecord(line, lineStart);
          lineStart += line.length + 1;
          carry = [];
          start = nl + 1;
        }
        if (start < bytesRead) carry.push(Buffer.from(buf.subarray(start))); // a copy: chunk is reused
        pos += bytesRead;
      }
      this.fileBytes = pos;
      if (carry.length > 0) {
        // A last line without its newline was torn by a kill (a complete record always ends in one).
        this.counts.skipped++;
      }
    } catch (err) {
      throw ioError('read the journal', this.path, err);
    } finally {
      await fh.close();
    }
  }

  private readRecord(line: Buffer, offset: number): void {
    if (line.length === 0) return;
    const body = checkedBody(line);
    if (body === null) {
      this.counts.skipped++;
      return;
    }
    try {
      const blobTab = body.lastIndexOf(TAB);
      const head = body.toString('utf8', 0, body[0] === 0x73 /* s */ ? blobTab : body.length).split('\t');
      if (head[0] === 'd' && head.length === 2) {
        this.entries.delete(JSON.parse(head[1]!) as string);
      } else if (head[0] === 's' && head.length === 4) {
        const key = JSON.parse(head[1]!) as string;
        const fingerprint = JSON.parse(head[2]!) as string;
        if (typeof key !== 'string' || typeof fingerprint !== 'string') throw new Error('bad key');
        const value = decodeValue(head[3]!) as V;
        this.entries.set(key, { fingerprint, value, hasBlob: blobTab < body.length - 1, blob: null, offset, length: line.length });
      } else {
        throw new Error('unknown record');
      }
      this.counts.records++;
    } catch {
      this.counts.skipped++;
    }
  }

  /** Records read at open, lines skipped, and keys live now. */
  get stats(): JournalStats {
    return { ...this.counts, live: this.entries.size };
  }

  /** Keys holding a value. */
  get size(): number {
    return this.entries.size;
  }

  /** The keys holding a value, in the order they were first stored. */
  keys(): IterableIterator<string> {
    return this.entries.keys();
  }

  /** The fingerprint stored with `key`, or undefined. */
  fingerprint(key: string): string | undefined {
    return this.entries.get(key)?.fingerprint;
  }

  /** Whether `key` holds a value (with this fingerprint, when one is given). */
  has(key: string, fingerprint?: string): boolean {
    const e = this.entries.get(key);
    return e !== undefined && (fingerprint === undefined || e.fingerprint === fingerprint);
  }

  /**
   * The value of `key`, or undefined when the key is absent or (when `fingerprint` is given)
   * was stored with another fingerprint. The value is the journal's own object: do not mutate it.
   */
  get(key: string, fingerprint?: string): V | undefined {
    const e = this.entries.get(key);
    return e !== undefined && (fingerprint === undefined || e.fingerprint === fingerprint) ? e.value : undefined;
  }

  /**
   * The blob of `key` (a fresh copy: a whole ArrayBuffer of its own, at offset 0), or undefined
   * when the key is absent, has another fingerprint (when one is given), or was stored without a
   * blob. Rejects with AudiomillError `DECODE_CORRUPT` when the record on disk no longer matches
   * its checksum.
   */
  async getBlob(key: string, fingerprint?: string): Promise<Uint8Array | undefined> {
    const e = this.entries.get(key);
    if (e === undefined || !e.hasBlob || (fingerprint !== undefined && e.fingerprint !== fingerprint)) return undefined;
    if (e.blob !== null) return e.blob.slice();
    let out: Uint8Array | undefined;
    await this.enqueue(async () => {
      if (e.blob !== null) {
        out = e.blob.slice();
        return;
      }
      this.reader ??= await open(this.path, 'r').catch((err: unknown) => {
        throw ioError('open the journal', this.path, err);
      });
      const line = Buffer.allocUnsafe(e.length);
      const { bytesRead } = await this.reader.read(line, 0, e.length, e.offset);
      const body = bytesRead === e.length ? checkedBody(line) : null;
      if (body === null) throw new AudiomillError('DECODE_CORRUPT', `the record of '${key}' in the journal '${this.path}' changed on disk (checksum mismatch)`, { path: this.path });
      const b64 = body.toString('latin1', body.lastIndexOf(TAB) + 1);
      out = new Uint8Array(Buffer.from(b64, 'base64'));
    }, true);
    return out;
  }

  /**
   * Stores `value` (and optionally `blob`'s bytes) under `key` with `fingerprint`, replacing any
   * previous value. Returns at once; the record reaches the disk with the next flush. `value`
   * must be JSON-serialisable (NaN and ±Infinity are kept); objects whose only key is
   * `"$audiomill:number"` are reserved. An empty blob is stored as no blob.
   */
  set(key: string, fingerprint: string, value: V, blob?: ArrayBufferView): void {
    if (typeof key !== 'string') throw typeError('a string', 'key', key);
    if (typeof fingerprint !== 'string') throw typeError('a string', 'fingerprint', fingerprint);
    if (blob !== undefined && !ArrayBuffer.isView(blob)) throw typeError('a typed array or Buffer', 'blob', blob);
    const bytes = blob === undefined ? null : new Uint8Array(blob.buffer, blob.byteOffset, blob.byteLength).slice();
    const b64 = bytes === null ? '' : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
    const record = recordLine(`s\t${JSON.stringify(key)}\t${JSON.stringify(fingerprint)}\t${encodeValue(value)}\t${b64}`);
    const entry: Entry<V> = { fingerprint, value, hasBlob: bytes !== null && bytes.length > 0, blob: bytes, offset: -1, length: record.bytes - 1 };
    if (!entry.hasBlob) entry.blob = null;
    this.entries.set(key, entry);
    this.push({ entry, ...record });
  }

  /** Removes `key` (a deletion record is appended). */
  delete(key: string): boolean {
    if (!this.entries.delete(key)) return false;
    this.push({ entry: null, ...recordLine(`d\t${JSON.stringify(key)}`) });
    return true;
  }

  private push(record: Queued<V>): void {
    this.pending.push(record);
    this.pendingBytes += record.bytes;
    if (this.flushIntervalMs === 0 || this.pendingBytes >= this.maxPendingBytes) this.flushInBackground();
    else if (this.timer === null) {
      this.timer = setTimeout(() => this.flushInBackground(), this.flushIntervalMs);
      this.timer.unref();
    }
  }

  /** Queues a flush whose failure is kept for the next flush, compact or close to throw. */
  private flushInBackground(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    void this.enqueue(() => this.appendPending());
  }

  /**
   * Runs `task` after everything queued before it. With `report`, a failure rejects the returned
   * promise; otherwise it is kept and thrown by the next flush, compact or close.
   */
  private enqueue(task: () => Promise<void>, report = false): Promise<void> {
    const run = this.queue.then(task);
    this.queue = run.catch((err: unknown) => {
      if (!report) this.failure ??= err;
    });
    return report ? run : this.queue;
  }

  private throwFailure(): void {
    if (this.failure !== null) {
      const err = this.failure;
      this.failure = null;
      throw err instanceof AudiomillError ? err : ioError('write the journal', this.path, err);
    }
  }

  private async appendPending(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    if (batch.length === 0) return;
    try {
      if (this.writer === null) {
        this.writer = await open(this.path, 'a+');
        const { size } = await this.writer.stat();
        this.fileBytes = size;
        const last = Buffer.alloc(1);
        if (size > 0 && (await this.writer.read(last, 0, 1, size - 1)).bytesRead === 1 && last[0] !== NL) {
          await this.writer.writeFile(Buffer.of(NL)); // a line torn by a kill or a failed write ends here and is skipped on read
          this.fileBytes++;
        }
      }
      await this.writer.writeFile(Buffer.from(batch.length === 1 ? batch[0]!.line : batch.map((b) => b.line).join(''), 'utf8'));
      await this.writer.datasync();
    } catch (err) {
      // Keep the records for the next flush; reopen then (the file may end in a partial line).
      this.pending = batch.concat(this.pending);
      this.pendingBytes = this.pending.reduce((n, b) => n + b.bytes, 0);
      const w = this.writer;
      this.writer = null;
      await w?.close().catch(() => undefined);
      throw err;
    }
    let offset = this.fileBytes;
    for (const { entry, bytes } of batch) {
      if (entry !== null) {
        entry.offset = offset;
        entry.blob = null; // read back from the file from now on
      }
      offset += bytes;
    }
    this.fileBytes = offset;
    if (this.pending.length === 0) this.failure = null; // an earlier failed flush is retried and done
  }

  /** Writes every queued record and syncs it to disk. Rejects with AudiomillError `IO` on a write failure. */
  async flush(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.enqueue(() => this.appendPending());
    this.throwFailure();
  }

  /**
   * Rewrites the file with the latest record of each key, atomically (a temporary file beside it,
   * synced, then renamed over it). With `keep` (keys, or a predicate), other keys are dropped
   * first: pass the keys that are still current at the end of a run.
   */
  async compact(keep?: Iterable<string> | ((key: string) => boolean)): Promise<void> {
    if (keep !== undefined) {
      const wanted = typeof keep === 'function' ? keep : ((set) => (k: string) => set.has(k))(new Set(keep));
      for (const k of [...this.entries.keys()]) if (!wanted(k)) this.entries.delete(k);
    }
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.enqueue(async () => {
      await this.appendPending();
      // Nothing to drop when every byte of the file is a current record (a fresh run's journal): no rewrite.
      let live = 0;
      for (const e of this.entries.values()) if (e.offset >= 0) live += e.length + 1;
      if (live === this.fileBytes) return;
      await this.releaseHandles();
      const tmp = tempPath(this.path);
      let source: FileHandle | null = null;
      const target = await open(tmp, 'w');
      const moved: [Entry<V>, number][] = [];
      try {
        source = await open(this.path, 'r').catch(() => null);
        let offset = 0;
        const chunks: Buffer[] = [];
        let chunkBytes = 0;
        // The records on disk now: set() and delete() may run during the awaits below, and what they
        // add is pending (offset -1), appended after the rename, and wins over what is copied here.
        const onDisk = [...this.entries.values()].filter((e) => e.offset >= 0);
        for (const e of onDisk) {
          const line = Buffer.allocUnsafe(e.length + 1);
          const { bytesRead } = source ? await source.read(line, 0, line.length, e.offset) : { bytesRead: 0 };
          if (bytesRead !== line.length) throw new AudiomillError('IO', `the journal '${this.path}' is shorter than its records (changed by another process?)`, { path: this.path });
          chunks.push(line);
          chunkBytes += line.length;
          moved.push([e, offset]);
          offset += line.length;
          if (chunkBytes >= 1 << 20) {
            await target.writeFile(Buffer.concat(chunks));
            chunks.length = 0;
            chunkBytes = 0;
          }
        }
        if (chunks.length > 0) await target.writeFile(Buffer.concat(chunks));
        await target.sync();
        await target.close();
        await rename(tmp, this.path);
        for (const [e, o] of moved) e.offset = o;
        this.fileBytes = offset;
      } catch (err) {
        await target.close().catch(() => undefined);
        await rm(tmp, { force: true });
        throw err;
      } finally {
        await source?.close();
      }
    });
    this.throwFailure();
  }

  private async releaseHandles(): Promise<void> {
    const [w, r] = [this.writer, this.reader];
    this.writer = null;
    this.reader = null;
    await w?.close();
    await r?.close();
  }

  /** Flushes and releases the file handles (a later call reopens them). */
  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      await this.enqueue(() => this.releaseHandles());
    }
  }
}
