/**
 * The caller's side of the ONNX workers (ort-worker.ts): `instances` worker threads, each holding its own copy of
 * an encoder's models, so inference never runs on the event loop and several batches run at once. A call goes to
 * the worker with the fewest calls waiting; its input buffer is transferred when the caller owns it, copied
 * otherwise; the output comes back by transfer. Idle workers are unref'd, so they never keep the process alive.
 *
 * onnxruntime-node aborts the process when the thread it runs on is terminated inside a call, which is what
 * `worker.terminate()` and the process's exit do to worker threads. So close() stops new calls, lets the running
 * ones finish and only then terminates the workers, and at the process's exit (process.exit(), the end of an
 * uncaught exception) every live pool is stopped and the exit waits, blocked, until no worker is inside the runtime:
 * at most one call per copy of the model.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { AudiomillError } from '../errors.js';
import { packageRoot } from '../native/load.js';
import { BUSY, STOP, type OrtReady, type OrtReply, type OrtRequest, type OrtWorkerData } from './ort-protocol.js';

/** One output tensor as a worker returns it. */
export interface OrtOutput {
  data: Float32Array | BigInt64Array | Int32Array | Uint8Array;
  dims: number[];
  type: string;
}

/** One model of the pool: its names, and one inference call (one input in, one output back). */
export interface OrtRunner {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** `owned`: the caller gives `data` up (its buffer is transferred to the worker and detached here). */
  run(input: string, output: string, data: Float32Array, dims: number[], owned: boolean): Promise<OrtOutput>;
}

interface Slot {
  worker: Worker;
  pending: Map<number, { resolve: (r: OrtReply) => void; reject: (e: Error) => void }>;
}

function workerPath(): string {
  return join(packageRoot(), 'dist', 'cjs', 'models', 'ort-worker.js');
}

const closedError = () => new AudiomillError('INVALID_ARGUMENT', 'the encoder is closed');

/** The control words of the pools whose workers may be inside onnxruntime (see ort-worker.ts). */
const live = new Set<Int32Array>();
let exitHook = false;

/** Stops a pool's calls and blocks until none of its workers is inside onnxruntime (a minute at most). */
function drainSync(control: Int32Array): void {
  Atomics.store(control, STOP, 1);
  const deadline = Date.now() + 60_000;
  for (let busy = Atomics.load(control, BUSY); busy !== 0 && Date.now() < deadline; busy = Atomics.load(control, BUSY)) Atomics.wait(control, BUSY, busy, 100);
}

async function drain(control: Int32Array): Promise<void> {
  Atomics.store(control, STOP, 1);
  // Polled on a timer, which keeps the process alive while it waits (a pending Atomics.waitAsync does not).
  const deadline = Date.now() + 60_000;
  while (Atomics.load(control, BUSY) !== 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1));
}

function track(control: Int32Array): void {
  live.add(control);
  if (exitHook) return;
  exitHook = true;
  process.on('exit', () => {
    for (const c of live) drainSync(c);
  });
}

export class OrtPool {
  private nextId = 1;
  private closed = false;
  private readonly inFlight = new Set<Promise<unknown>>();
  /** One runner per model file, in the order given. */
  readonly models: OrtRunner[];

  private constructor(
    private slots: Slot[],
    private readonly control: Int32Array,
    names: { inputNames: string[]; outputNames: string[] }[],
  ) {
    this.models = names.map((n, model) => ({
      inputNames: n.inputNames,
      outputNames: n.outputNames,
      run: (input, output, data, dims, owned) => this.call({ model, input, output, data, dims }, owned),
    }));
  }

  /** Copies of the models running now. */
  get instances(): number {
    return this.slots.length;
  }

  /**
   * Starts `instances` workers, each loading every file with `options` (onnxruntime session options). A file that
   * cannot be loaded is MODEL_INPUT with its path; onnxruntime-node failing to load in a worker is NATIVE_LOAD.
   */
  static async open(files: string[], options: Record<string, unknown>, instances: number): Promise<OrtPool> {
    const control = new Int32Array(new SharedArrayBuffer(8));
    track(control);
    const data: OrtWorkerData = { files, options, control };
    const started = Array.from({ length: instances }, () => {
      const worker = new Worker(workerPath(), { workerData: data });
      let stop = () => {};
      const ready = new Promise<OrtReady>((resolve, reject) => {
        const onExit = (code: number) => reject(new Error(`the onnxruntime worker exited with code ${code} while loading`));
        stop = () => {
          worker.off('message', resolve);
          worker.off('error', reject);
          worker.off('exit', onExit);
        };
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.once('exit', onExit);
      });
      return { worker, ready: ready.finally(() => stop()) };
    });
    // Every worker answers (loaded or not) before any is terminated: none is inside the runtime then.
    const replies = await Promise.allSettled(started.map((s) => s.ready));
    const bad = replies.find((r) => r.status === 'rejected' || 'failed' in r.value);
    if (bad !== undefined) {
      await drain(control);
      live.delete(control);
      await Promise.all(started.map((s) => s.worker.terminate()));
      if (bad.status === 'rejected') throw new AudiomillError('INTERNAL', `the onnxruntime worker failed to start: ${(bad.reason as Error).message}`, { cause: bad.reason });
      const f = (bad.value as Extract<OrtReady, { failed: unknown }>).failed;
      if (f.file === -2) throw new AudiomillError('INTERNAL', `the onnxruntime worker did not start: ${f.message}`);
      if (f.file < 0) throw new AudiomillError('NATIVE_LOAD', `the package 'onnxruntime-node' could not be loaded in a worker thread: ${f.message}`);
      throw new AudiomillError('MODEL_INPUT', `cannot load the model '${files[f.file]}': ${f.message}`, { path: files[f.file]! });
    }
    const first = (replies[0] as PromiseFulfilledResult<OrtReady>).value as Extract<OrtReady, { models: unknown }>;
    const pool = new OrtPool([], control, first.models);
    for (const s of started) pool.adopt(s.worker);
    return pool;
  }

  private adopt(worker: Worker): void {
    const slot: Slot = { worker, pending: new Map() };
    worker.on('message', (reply: OrtReply) => {
      const p = slot.pending.get(reply.id);
      if (!p) return;
      slot.pending.delete(reply.id);
      if (slot.pending.size === 0) worker.unref();
      p.resolve(reply);
    });
    const fail = (err: Error) => {
      this.slots = this.slots.filter((s) => s !== slot);
      for (const p of slot.pending.values()) p.reject(new AudiomillError('INTERNAL', `the onnxruntime worker stopped: ${err.message}`, { cause: err }));
      slot.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`exit code ${code}`)));
    worker.unref(); // after the listeners: adding a 'message' listener refs the worker's port again
    this.slots.push(slot);
  }

  private call(req: Omit<OrtRequest, 'id'>, owned: boolean): Promise<OrtOutput> {
    if (this.closed) return Promise.reject(closedError());
    if (this.slots.length === 0) return Promise.reject(new AudiomillError('INTERNAL', 'every onnxruntime worker of this encoder has stopped'));
    const slot = this.slots.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    const id = this.nextId++;
    const call = new Promise<OrtOutput>((resolve, reject) => {
      slot.pending.set(id, {
        resolve: (r) => ('error' in r ? reject(r.closed ? closedError() : new Error(r.error)) : resolve({ data: r.data, dims: r.dims, type: r.type })),
        reject,
      });
      slot.worker.ref();
      const whole = req.data.byteOffset === 0 && req.data.byteLength === req.data.buffer.byteLength && !(req.data.buffer instanceof SharedArrayBuffer);
      slot.worker.postMessage({ ...req, id } satisfies OrtRequest, owned && whole ? [req.data.buffer as ArrayBuffer] : []);
    });
    const settled = call.then(
      () => undefined,
      () => undefined,
    );
    this.inFlight.add(settled);
    void settled.then(() => this.inFlight.delete(settled));
    return call;
  }

  /** Stops the workers: the calls running finish, the ones waiting reject, and then the threads end. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    Atomics.store(this.control, STOP, 1);
    await Promise.all(this.inFlight);
    await drain(this.control);
    live.delete(this.control);
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
