/**
 * Worker thread of `evaluateProbe`: runs probe tasks (probe-task.ts) off the caller's event loop. Each message is a
 * ProbeTask; the reply is its outcome (scores, and probabilities when asked), or the error as { name, message, code }. Warnings raised while computing are
 * sent to the caller, which emits them on its own process (a worker's process.on('warning') is its own).
 */
import { parentPort } from 'node:worker_threads';
import { runProbeTask, type ProbeTask } from './probe-task.js';

const port = parentPort!;
process.removeAllListeners('warning'); // the caller prints them, once
let current: ProbeTask | null = null;
process.on('warning', (w: Error & { code?: string }) => {
  if (current?.warnings !== false) port.postMessage({ warning: { message: w.message, code: w.code } });
});
port.on('message', (t: ProbeTask) => {
  current = t;
  try {
    port.postMessage({ outcome: runProbeTask(t) });
  } catch (err) {
    const e = err as Error & { code?: string; path?: string };
    port.postMessage({ error: { name: e.name, message: e.message, code: e.code, path: e.path } });
  }
});
