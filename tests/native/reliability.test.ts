// The addon under stress: subarray views, worker_threads, garbage collection
// during async work, concurrent calls on one transform, the event loop, exit.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { LogMelSpectrogram, MFCC, Spectrogram } from '../../src/index.js';
import { noise } from '../helpers/reference.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const root = join(__dirname, '..', '..');

describe('typed-array views', () => {
  it('a subarray with a non-zero byteOffset gives the same result as a copy', async () => {
    const big = noise(20000, 9);
    const view = big.subarray(1234, 1234 + 16000);
    const copy = new Float32Array(view);
    const t = new LogMelSpectrogram({ nFft: 512, hopLength: 160, nMels: 64 });
    expect(view.byteOffset).toBe(1234 * 4);
    expect(t.compute(view).data).toEqual(t.compute(copy).data);
    expect((await t.computeAsync(view)).data).toEqual(t.compute(copy).data);
    const [a, b] = await t.computeBatchAsync([view, big.subarray(7, 9000)]);
    expect(a!.data).toEqual(t.compute(copy).data);
    expect(b!.data).toEqual(t.compute(new Float32Array(big.subarray(7, 9000))).data);
  });

  it('a view on a shared or odd-sized buffer is read in place', () => {
    const sab = new SharedArrayBuffer(4 * 5000 + 8);
    const shared = new Float32Array(sab, 8, 5000);
    shared.set(noise(5000, 4));
    const t = new Spectrogram({ nFft: 256, hopLength: 64 });
    expect(t.compute(shared).data).toEqual(t.compute(new Float32Array(shared)).data);
  });
});

describe('async work', () => {
  it('survives forced garbage collection while workers run', async () => {
    const t = new MFCC({ melkwargs: { nFft: 512, hopLength: 160, nMels: 64 } });
    const expected = t.compute(noise(48000, 77)).data;
    const pending: Promise<{ data: Float32Array }>[] = [];
    for (let i = 0; i < 16; i++) pending.push(t.computeAsync(noise(48000, 77))); // inputs unreferenced by the test
    for (let i = 0; i < 5; i++) {
      gc();
      await new Promise((r) => setImmediate(r));
    }
    const results = await Promise.all(pending);
    gc();
    for (const r of results) expect(r.data).toEqual(expected);
  });

  it('many concurrent calls on one transform each get their own correct result', async () => {
    const t = new LogMelSpectrogram({ nFft: 400, hopLength: 160, nMels: 80 });
    const inputs = Array.from({ length: 24 }, (_, i) => noise(8000 + 37 * i, i));
    const expected = inputs.map((x) => t.compute(x).data);
    const results = await Promise.all([
      ...inputs.map((x) => t.computeAsync(x)),
      t.computeBatchAsync(inputs, { threads: 2 }),
    ]);
    inputs.forEach((_, i) => expect((results[i] as { data: Float32Array }).data).toEqual(expected[i]));
    const batch = results[inputs.length] as { data: Float32Array }[];
    batch.forEach((r, i) => expect(r.data).toEqual(expected[i]));
  });

  it('rejects with an AudiomillError-free RangeError before queuing invalid input', async () => {
    const t = new Spectrogram({ nFft: 400 });
    await expect(t.computeAsync(new Float32Array(100))).rejects.toBeInstanceOf(RangeError);
  });
});

describe('worker_threads and process exit', () => {
  it('loads and computes inside worker threads, in parallel with the main thread', async () => {
    const x = noise(32000, 3);
    const expected = new LogMelSpectrogram({ nFft: 512, hopLength: 160, nMels: 64 }).compute(x).data;
    const code = `
      const { parentPort, workerData } = require('node:worker_threads');
      const am = require(workerData.root);
      const t = new am.LogMelSpectrogram({ nFft: 512, hopLength: 160, nMels: 64 });
      t.computeAsync(workerData.x).then((r) => parentPort.postMessage(r.data));`;
    const run = () =>
      new Promise<Float32Array>((resolve, reject) => {
        const w = new Worker(code, { eval: true, workerData: { root, x } });
        w.once('message', (d: Float32Array) => {
          resolve(d);
          void w.terminate();
        });
        w.once('error', reject);
      });
    const results = await Promise.all([run(), run(), run()]);
    for (const r of results) expect(r).toEqual(expected);
  });

  it('a worker terminated mid-computation and a process exiting with work pending do not crash', () => {
    const script = `
      const { Worker } = require('node:worker_threads');
      const am = require(${JSON.stringify(root)});
      const w = new Worker("const am = require(" + JSON.stringify(${JSON.stringify(root)}) + ");" +
        "const t = new am.MFCC({ melkwargs: { nFft: 512, nMels: 64 } }); const x = new Float32Array(16000 * 120).fill(0.1); t.computeAsync(x); t.computeAsync(x);",
        { eval: true });
      setTimeout(() => w.terminate().then(() => {
        const t = new am.LogMelSpectrogram({ nFft: 512, nMels: 64 });
        t.computeAsync(new Float32Array(16000 * 300).fill(0.2));
        setTimeout(() => process.exit(0), 5);
      }), 50);`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.signal).toBeNull();
    expect(r.status).toBe(0);
  });
});
