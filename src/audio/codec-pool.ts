/**
 * The caller's side of the compressed-format decoders: a small pool of worker threads
 * (codec-worker.ts) that decode in parallel off the event loop, and one extra worker that
 * loadAudioSync waits on (Atomics.wait) for the synchronous form. Idle workers are unref'd,
 * so they never keep the process alive.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { AudiomillError, isAudiomillErrorCode } from '../errors.js';
import { packageRoot } from '../native/load.js';
import type { CodecRequest, CodecStats, DecodedReply } from './codec-worker.js';
import { collectGarbage } from './gc.js';

/** Distributes `Omit<CodecRequest, 'id'>`; a plain Omit would collapse the union. */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
export type CodecCall = WithoutId<CodecRequest>;

function workerPath(): string {
  // Always the compiled worker (tests running from src/ use the build made by `npm install`).
  return join(packageRoot(), 'dist', 'cjs', 'audio', 'codec-worker.js');
}

/**
 * A worker's error reply as the caller's error: a RangeError for an argument the file does not fit
 * (a channel it lacks), else an AudiomillError with the reply's code when it is one of
 * AUDIOMILL_ERROR_CODES, or INTERNAL (the reply kept as `cause`) when it is not.
 */
export function toError(reply: DecodedReply, path: string | undefined): Error {
  const e = reply.error!;
  const message = path === undefined ? e.message : `${e.message} (${path})`;
  if (e.range === true) return new RangeError(message);
  const where = path === undefined ? {} : { path };
  if (isAudiomillErrorCode(e.code)) return new AudiomillError(e.code, message, where);
  return new AudiomillError('INTERNAL', `the decoder worker replied with an unknown error code '${String(e.code)}': ${message}`, { ...where, cause: e });
}

/**
 * Decoded samples arrive from the workers as transferred ArrayBuffers: memory outside the V8
 * heap, which V8 collects only when the heap itself fills or the external total grows by about
 * 64 MB. A caller that decodes many files and keeps none (the manifest) has a small heap, so
 * up to that much dead sample memory sat in the process between collections, and the peak rose
 * with the number of files. After every RECLAIM_BYTES of samples received, a full collection
 * runs (a few milliseconds for a heap this size, once every few dozen files).
 */
const RECLAIM_BYTES = 32 * 1024 * 1024;
let received = 0;
function noteReceived(reply: DecodedReply): void {
  for (const c of reply.channels ?? []) received += c.byteLength;
  if (received < RECLAIM_BYTES) return;
  received = 0;
  collectGarbage();
}

interface Slot {
  worker: Worker;
  pending: Map<number, { resolve: (r: DecodedReply) => void; reject: (e: Error) => void }>;
}

class CodecPool {
  private slots: Slot[] = [];
  private nextId = 1;
  private nextSession = 1;
  private readonly size = Math.max(1, Math.min(availableParallelism(), 8));

  /** A worker for a new job: a fresh one while under the pool size, else the least busy. */
  pick(): Slot {
    const idle = this.slots.find((s) => s.pending.size === 0);
    if (idle) return idle;
    if (this.slots.length < this.size) return this.spawn();
    return this.slots.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
  }

  private spawn(): Slot {
    const worker = new Worker(workerPath());
    const slot: Slot = { worker, pending: new Map() };
    worker.unref();
    worker.on('message', (reply: DecodedReply) => {
      const p = slot.pending.get(reply.id);
      if (!p) return;
      slot.pending.delete(reply.id);
      if (slot.pending.size === 0) worker.unref();
      noteReceived(reply);
      p.resolve(reply);
    });
    const fail = (err: Error) => {
      this.slots = this.slots.filter((s) => s !== slot);
      for (const p of slot.pending.values()) p.reject(new AudiomillError('INTERNAL', `the decoder worker stopped: ${err.message}`, { cause: err }));
      slot.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`exit code ${code}`)));
    this.slots.push(slot);
    return slot;
  }

  /** Sends a request to `slot` and resolves with its reply (rejects with AudiomillError on a decode error). */
  call(slot: Slot, req: CodecCall, path: string | undefined): Promise<DecodedReply> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      slot.pending.set(id, {
        resolve: (r) => (r.error ? reject(toError(r, path)) : resolve(r)),
        reject,
      });
      slot.worker.ref();
      slot.worker.postMessage({ ...req, id } as CodecRequest);
    });
  }

  session(): number {
    return this.nextSession++;
  }

  /** Each running worker's decoder counters (internal: tests and scripts). */
  async stats(): Promise<CodecStats[]> {
    const replies = await Promise.all(this.slots.map((s) => this.call(s, { op: 'stats' }, undefined)));
    return replies.map((r) => r.stats!);
  }
}

let pool: CodecPool | undefined;
export function codecPool(): CodecPool {
  pool ??= new CodecPool();
  return pool;
}

/** The worker loadAudioSync blocks on. */
let syncWorker: { worker: Worker; port: MessagePort; signal: Int32Array } | undefined;

/** Runs one request synchronously: the calling thread sleeps in Atomics.wait until the worker answers. */
export function callSync(req: CodecCall, path: string | undefined): DecodedReply {
  if (!syncWorker) {
    const { port1, port2 } = new MessageChannel();
    const signal = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(workerPath(), { workerData: { syncPort: port2, signal }, transferList: [port2] });
    worker.unref();
    port1.unref();
    syncWorker = { worker, port: port1, signal };
    worker.on('exit', () => {
      syncWorker = undefined;
    });
  }
  const { port, signal, worker } = syncWorker;
  Atomics.store(signal, 0, 0);
  port.postMessage({ ...req, id: 0 } as CodecRequest);
  // Wake at least every second to notice a worker that died.
  while (Atomics.wait(signal, 0, 0, 1000) === 'timed-out') {
    if (worker.threadId < 0) throw new AudiomillError('INTERNAL', 'the decoder worker stopped');
  }
  const msg = receiveMessageOnPort(port);
  if (!msg) throw new AudiomillError('INTERNAL', 'the decoder worker gave no answer');
  const reply = msg.message as DecodedReply;
  noteReceived(reply);
  if (reply.error) throw toError(reply, path);
  return reply;
}
