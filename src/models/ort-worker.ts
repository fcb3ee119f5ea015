/**
 * Worker thread that holds one copy of an encoder's ONNX models. onnxruntime-node runs a model synchronously on
 * the thread that calls it, so the encoders call it here, never on the caller's event loop, and several copies
 * run side by side (ort-pool.ts is the caller's side and describes the protocol).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Ort, OrtModel, OrtTensor } from './onnx.js';
import { BUSY, STOP, type OrtReady, type OrtReply, type OrtRequest, type OrtWorkerData } from './ort-protocol.js';

const port = parentPort!;
const { files, options, control } = workerData as OrtWorkerData;

/** Marks this thread as inside onnxruntime; false (and not marked) once the pool has stopped. */
function enter(): boolean {
  Atomics.add(control, BUSY, 1);
  if (Atomics.load(control, STOP) === 0) return true;
  leave();
  return false;
}
function leave(): void {
  Atomics.sub(control, BUSY, 1);
  Atomics.notify(control, BUSY);
}

/** Loads the runtime and the models; null (after saying why) when one cannot be. */
async function load(): Promise<{ ort: Ort; models: OrtModel[] } | null> {
  let ort: Ort;
  try {
    ort = require('onnxruntime-node') as Ort; // eslint-disable-line @typescript-eslint/no-require-imports
  } catch (err) {
    port.postMessage({ failed: { file: -1, message: (err as Error).message } } satisfies OrtReady);
    return null;
  }
  const models: OrtModel[] = [];
  for (let i = 0; i < files.length; i++) {
    try {
      models.push(await ort.InferenceSession.create(files[i]!, options));
    } catch (err) {
      port.postMessage({ failed: { file: i, message: (err as Error).message } } satisfies OrtReady);
      return null;
    }
  }
  return { ort, models };
}

async function start(): Promise<void> {
  if (!enter()) {
    port.postMessage({ failed: { file: -2, message: 'the pool stopped before the models were loaded' } } satisfies OrtReady);
    return;
  }
  let loaded: Awaited<ReturnType<typeof load>>;
  try {
    loaded = await load();
  } finally {
    leave();
  }
  if (loaded === null) return;
  const { ort, models } = loaded;
  port.on('message', (req: OrtRequest) => {
    void (async () => {
      let reply: OrtReply;
      if (!enter()) {
        port.postMessage({ id: req.id, error: 'the encoder is closed', closed: true } satisfies OrtReply);
        return;
      }
      try {
        const m = models[req.model]!;
        const out = (await m.run({ [req.input]: new ort.Tensor('float32', req.data, req.dims) }))[req.output] as OrtTensor & { type?: string };
        // A copy the reply can transfer (the runtime's own buffer may not be detachable).
        const data = out.data.slice();
        reply = { id: req.id, data, dims: [...out.dims], type: out.type ?? 'float32' };
        port.postMessage(reply, [data.buffer as ArrayBuffer]);
      } catch (err) {
        reply = { id: req.id, error: (err as Error).message };
        port.postMessage(reply);
      } finally {
        leave();
      }
    })();
  });
  port.postMessage({ models: models.map((m) => ({ inputNames: [...m.inputNames], outputNames: [...m.outputNames] })) } satisfies OrtReady);
}

void start();
