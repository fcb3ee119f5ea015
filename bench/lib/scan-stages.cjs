// Child of bench/detect.mjs: the scan's two stages timed alone, each a fresh process, on 2 cores.
//   node bench/lib/scan-stages.cjs inference <windows> [model]   onnxruntime-node alone, as the scan runs it: two single-threaded
//                                                         sessions in two worker threads, batches of 64 windows of
//                                                         [1, 64, 19] (the windows' log-mel), half the windows each
//   node bench/lib/scan-stages.cjs frontend <windows> [model]  audiomill's log-mel of 0.4-s 48-kHz windows alone (the
//                                                         encoder's frontendFrames, batches of 64 on the native pool)
// model: scan-cnn (default) or scan-cnn-wide (bench/models/). Prints one JSON line: { windows, ms }.
'use strict';
const { Worker, isMainThread, parentPort, workerData } = require('node:worker_threads');
const { join } = require('node:path');
const root = join(__dirname, '..', '..');
const NAME = (isMainThread ? process.argv[4] : workerData.name) ?? 'scan-cnn';
const MODEL = join(root, 'bench', 'models', `${NAME}.onnx`);
const BATCH = 64;

function noise(n, seed) {
  const x = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < x.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    x[i] = s / 2 ** 32 - 0.5;
  }
  return x;
}

async function inferenceWorker({ windows }) {
  const ort = require(join(root, 'node_modules', 'onnxruntime-node'));
  const session = await ort.InferenceSession.create(MODEL, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  const input = new ort.Tensor('float32', noise(BATCH * 64 * 19, 7), [BATCH, 1, 64, 19]);
  await session.run({ logmel: input });
  parentPort.postMessage('ready');
  await new Promise((resolve) => parentPort.once('message', resolve));
  for (let done = 0; done < windows; done += BATCH) {
    const n = Math.min(BATCH, windows - done);
    const x = n === BATCH ? input : new ort.Tensor('float32', input.data.subarray(0, n * 64 * 19), [n, 1, 64, 19]);
    await session.run({ logmel: x });
  }
  parentPort.postMessage('done');
}

async function inference(windows) {
  const workers = [0, 1].map((k) => new Worker(__filename, { workerData: { windows: Math.ceil(windows / 2) - (k === 1 ? windows % 2 : 0), name: NAME } }));
  await Promise.all(workers.map((w) => new Promise((resolve) => w.once('message', resolve))));
  const t0 = performance.now();
  const done = workers.map((w) => new Promise((resolve) => w.once('message', resolve)));
  for (const w of workers) w.postMessage('go');
  await Promise.all(done);
  const ms = performance.now() - t0;
  await Promise.all(workers.map((w) => w.terminate()));
  return ms;
}

async function frontend(windows) {
  const { OnnxEncoder } = require(join(root, 'dist', 'cjs', 'models', 'onnx.js'));
  const enc = await OnnxEncoder.create(join(root, 'bench', 'models', `${NAME}.json`));
  const x = noise(48000 * 30, 3);
  const span = 19200;
  const batch = Array.from({ length: BATCH }, (_, k) => x.subarray(k * 2400, k * 2400 + span));
  await enc.frontendFrames(batch);
  const t0 = performance.now();
  for (let done = 0; done < windows; done += BATCH) await enc.frontendFrames(done + BATCH <= windows ? batch : batch.slice(0, windows - done));
  const ms = performance.now() - t0;
  await enc.close();
  return ms;
}

if (isMainThread) {
  const [mode, n] = process.argv.slice(2);
  const windows = Number(n);
  (mode === 'inference' ? inference(windows) : frontend(windows)).then((ms) => process.stdout.write(`${JSON.stringify({ windows, ms })}\n`));
} else {
  inferenceWorker(workerData);
}
