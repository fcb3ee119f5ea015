/**
 * A worker thread that runs tasks off the event loop, one at a time: the caller side (`taskWorker`) and the worker
 * side (`serveTasks`). Errors come back as the same classes (TypeError, RangeError, AudiomillError with its code
 * and path); warnings raised while a task runs are emitted on the caller's process (a worker's process.on('warning')
 * is its own), unless the task says `warnings: false`.
 */
import { parentPort, Worker } from 'node:worker_threads';
import { AudiomillError, isAudiomillErrorCode } from '../errors.js';

type Reply<R> = { result?: R; warning?: { message: string; code?: string }; error?: { name: string; message: string; code?: string; path?: string } };

export interface TaskWorker<T, R> {
  run(task: T): Promise<R>;
  close(): Promise<void>;
}

/** Starts the worker script `file` (a compiled dist/cjs file that calls serveTasks). */
export function taskWorker<T, R>(file: string, what: string): TaskWorker<T, R> {
  const worker = new Worker(file);
  let pending: { resolve: (r: R) => void; reject: (e: Error) => void } | null = null;
  worker.on('message', (m: Reply<R>) => {
    if (m.warning) return process.emitWarning(m.warning.message, m.warning.code === undefined ? {} : { code: m.warning.code });
    const p = pending;
    pending = null;
    if (!p) return;
    if (m.error === undefined) return p.resolve(m.result as R);
    const e = m.error;
    p.reject(e.name === 'TypeError' ? new TypeError(e.message) : e.name === 'RangeError' ? new RangeError(e.message) : isAudiomillErrorCode(e.code) ? new AudiomillError(e.code, e.message, e.path === undefined ? {} : { path: e.path }) : new AudiomillError('INTERNAL', `the ${what} worker failed: ${e.message}`));
  });
  const fail = (err: Error) => {
    const p = pending;
    pending = null;
    p?.reject(new AudiomillError('INTERNAL', `the ${what} worker stopped: ${err.message}`, { cause: err }));
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`exit code ${code}`)));
  return {
    run: (task) =>
      new Promise<R>((resolve, reject) => {
        pending = { resolve, reject };
        worker.postMessage(task);
      }),
    close: async () => {
      worker.removeAllListeners('exit');
      await worker.terminate();
    },
  };
}

/** In a worker script: answers each task with `run(task)`'s result, or its error. */
export function serveTasks<T extends { warnings?: boolean }, R>(run: (task: T) => R): void {
  const port = parentPort!;
  let current: T | null = null;
  process.removeAllListeners('warning'); // the caller prints them, once
  process.on('warning', (w: Error & { code?: string }) => {
    if (current?.warnings !== false) port.postMessage({ warning: { message: w.message, code: w.code } });
  });
  port.on('message', (t: T) => {
    current = t;
    try {
      port.postMessage({ result: run(t) });
    } catch (err) {
      const e = err as Error & { code?: string; path?: string };
      port.postMessage({ error: { name: e.name, message: e.message, code: e.code, path: e.path } });
    }
  });
}
