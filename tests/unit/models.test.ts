// Encoders that need no model and the pooling every encoder uses: native pooling against a float64
// reference (mean, max, mean+std with torch's and numpy's ddof, a CLS or any frame, L2), sync equal to
// async and any thread count; the built-in encoders' frames equal audiomill's transforms (with deltas
// stacked), their timestamps do not drift over an hour, HEAR shapes, batch invariance.
import { describe, expect, it } from 'vitest';
import { BuiltinEncoder, computeDeltas, KaldiFbank, LogMelSpectrogram, MFCC, poolFrames, poolFramesSync, type Tensor } from '../../src/index.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAudio } from '../../src/audio/load.js';
import { noise } from '../helpers/reference.js';
import { tempDir } from '../helpers/temp.js';
import { makeWav } from '../helpers/wav.js';

function frames(t: number, d: number, seed: number): Tensor {
  return { data: Float32Array.from(noise(t * d, seed)), shape: [t, d] };
}

/** float64 reference of a pooling over [T, d] frames. */
function reference(x: Tensor, pooling: string, opts: { ddof?: number; frame?: number; l2?: boolean } = {}): number[] {
  const [t, d] = x.shape as [number, number];
  const col = (k: number) => Array.from({ length: t }, (_, i) => x.data[i * d + k]!);
  let out: number[];
  if (pooling === 'max') out = Array.from({ length: d }, (_, k) => Math.max(...col(k)));
  else if (pooling === 'cls' || pooling === 'frame') {
    const f = (opts.frame ?? 0) < 0 ? t + opts.frame! : (opts.frame ?? 0);
    out = Array.from(x.data.subarray(f * d, f * d + d));
  } else {
    const mean = Array.from({ length: d }, (_, k) => col(k).reduce((a, b) => a + b, 0) / t);
    out = mean;
    if (pooling === 'mean+std') {
      const ddof = opts.ddof ?? 1;
      out = [...mean, ...mean.map((m, k) => Math.sqrt(col(k).reduce((a, v) => a + (v - m) ** 2, 0) / (t - ddof)))];
    }
  }
  if (opts.l2) {
    const n = Math.sqrt(out.reduce((a, v) => a + v * v, 0));
    if (n > 0) out = out.map((v) => v / n);
  }
  return out;
}

function expectClose(got: Float32Array, want: number[], tol: number): void {
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!) / Math.max(1, Math.abs(want[i]!)));
  expect(worst).toBeLessThanOrEqual(tol);
}

describe('poolFrames', () => {
  const clips = [frames(37, 6, 1), frames(1, 6, 2), frames(500, 6, 3)];
  it.each([
    ['mean', {}],
    ['max', {}],
    ['mean+std', {}],
    ['mean+std', { ddof: 0 }],
    ['cls', {}],
    ['frame', { frame: -1 }],
    ['mean', { l2: true }],
    ['mean+std', { ddof: 0, l2: true }],
  ] as const)('%s %j equals a float64 reference, sync and async, on 1 and 2 threads', async (pooling, opts) => {
    const got = await poolFrames(clips, { pooling, ...opts });
    const width = pooling === 'mean+std' ? 12 : 6;
    expect(got.shape).toEqual([3, width]);
    clips.forEach((c, i) => {
      const want = reference(c, pooling, opts);
      const row = got.data.subarray(i * width, (i + 1) * width);
      if (pooling === 'mean+std' && (opts as { ddof?: number }).ddof === undefined && c.shape[0] === 1) {
        expect(Array.from(row.subarray(6)).every(Number.isNaN)).toBe(true); // torch: the std of one frame is NaN
        expectClose(row.subarray(0, 6), want.slice(0, 6), 1e-6);
      } else expectClose(row, want, 1e-6);
    });
    for (const threads of [1, 2]) expect(poolFramesSync(clips, { pooling, ...opts, threads }).data).toEqual(got.data);
  });

  it("layout 'features' ([d, T], a transform's output) gives the same bits as the transposed frames", async () => {
    const transposed = clips.map((c) => {
      const [t, d] = c.shape as [number, number];
      const data = new Float32Array(t * d);
      for (let i = 0; i < t; i++) for (let k = 0; k < d; k++) data[k * t + i] = c.data[i * d + k]!;
      return { data, shape: [d, t] };
    });
    for (const pooling of ['mean', 'max', 'mean+std', 'cls'] as const) expect((await poolFrames(transposed, { pooling, layout: 'features' })).data).toEqual((await poolFrames(clips, { pooling })).data);
  });

  it('an empty batch gives an empty tensor of the right width', async () => {
    expect(await poolFrames([], { pooling: 'mean+std' })).toEqual({ data: new Float32Array(0), shape: [0, 2] });
  });
});

describe('built-in encoders', () => {
  const x = Float32Array.from(noise(16000 * 3 + 77, 9), (v, i) => 0.3 * v + 0.5 * Math.sin(i / 10));

  it('builtin:logmel-stats: frames are the log-mel spectrogram (no top_db), transposed, with deltas stacked', async () => {
    for (const deltas of [0, 1, 2]) {
      const enc = new BuiltinEncoder('builtin:logmel-stats', { deltas });
      const [f] = await enc.frameEmbeddings([x]);
      const mel = new LogMelSpectrogram({ sampleRate: 16000, nFft: 400, hopLength: 160, nMels: 64, topDb: null }).compute(x);
      const parts = [mel];
      for (let k = 0; k < deltas; k++) parts.push(computeDeltas(parts[k]!));
      const t = mel.shape[1]!;
      expect(f!.embeddings.shape).toEqual([t, 64 * (1 + deltas)]);
      expect(enc.timestampEmbeddingSize).toBe(64 * (1 + deltas));
      expect(enc.sceneEmbeddingSize).toBe(128 * (1 + deltas));
      for (const i of [0, 17, t - 1]) for (const [k, p] of parts.entries()) for (const b of [0, 33, 63]) expect(f!.embeddings.data[i * 64 * (1 + deltas) + k * 64 + b]).toBe(p.data[b * t + i]);
    }
  });

  it('computePooledAsync equals computeBatchAsync then poolFrames, bit for bit', async () => {
    // Three clips (each fanned out over the threads) and twelve (one clip per thread); a Kaldi transform's frames come first.
    const many = [0, 1, 2, 3].flatMap((k) => [x.subarray(k), x.subarray(1000 + k, 9000), x.subarray(20000 - k)]);
    for (const clips of [many.slice(0, 3), many]) {
      for (const t of [new LogMelSpectrogram({ nMels: 32, topDb: null }), new MFCC({ nMfcc: 13 }), new KaldiFbank({ numMelBins: 23 })]) {
        const full = await t.computeBatchAsync(clips);
        const layout = t instanceof KaldiFbank ? 'frames' : 'features';
        for (const pooling of ['mean', 'max', 'mean+std', 'cls', 'frame'] as const) {
          const opts = pooling === 'frame' ? { pooling, frame: -2 } : { pooling };
          expect((await t.computePooledAsync(clips, { ...opts, l2: pooling === 'max' })).data).toEqual((await poolFrames(full, { ...opts, l2: pooling === 'max', layout })).data);
        }
        const d = full[0]!.shape[layout === 'frames' ? 1 : 0]!;
        expect((await t.computePooledAsync([], { pooling: 'mean+std' })).shape).toEqual([0, 2 * d]);
      }
    }
  });

  it('embedWavFiles (WAV read, resampled, featured and pooled natively) equals loadAudio then sceneEmbeddings, bit for bit', async () => {
    const dir = tempDir('builtin-wav');
    const paths = [16000, 22050, 44100, 48000].map((rate, i) => {
      const n = Math.round(rate * (0.7 + 0.3 * i));
      const pcm = Int16Array.from(noise(n * 2, 40 + i), (v, k) => Math.round(9000 * v + 4000 * Math.sin(k / 9)));
      const path = join(dir, `c${rate}.wav`);
      writeFileSync(path, makeWav({ sampleRate: rate, channels: 2, data: new Uint8Array(pcm.buffer) }));
      return path;
    });
    writeFileSync(join(dir, 'bad.wav'), 'not a wav');
    for (const enc of [new BuiltinEncoder('builtin:logmel-stats'), new BuiltinEncoder('builtin:mfcc-stats', { nMfcc: 13 })]) {
      for (const opts of [{}, { pooling: 'max' as const, l2: true }]) {
        const got = await enc.embedWavFiles([...paths, join(dir, 'bad.wav')], opts);
        expect(got[4]).toBeUndefined();
        for (const [i, p] of paths.entries()) {
          const x = (await loadAudio(p, { mono: true, sampleRate: 16000 })).channels[0]!;
          expect(got[i]).toEqual((await enc.sceneEmbeddings([x], opts)).data);
        }
      }
    }
    expect((await new BuiltinEncoder('builtin:logmel-stats', { deltas: 1 }).embedWavFiles(paths)).every((v) => v === undefined)).toBe(true);
  });

  it('builtin:mfcc-stats: frames are torchaudio-default MFCCs; the scene embedding is their mean and std', async () => {
    const enc = new BuiltinEncoder('builtin:mfcc-stats', { nMfcc: 13 });
    const [f] = await enc.frameEmbeddings([x]);
    const m = new MFCC({ sampleRate: 16000, nMfcc: 13, melkwargs: { sampleRate: 16000, nFft: 400, hopLength: 160, nMels: 64 } }).compute(x);
    const t = m.shape[1]!;
    expect(f!.embeddings.shape).toEqual([t, 13]);
    expect(f!.embeddings.data[5 * 13 + 7]).toBe(m.data[7 * t + 5]);
    const scene = await enc.sceneEmbeddings([x]);
    expect(scene.shape).toEqual([1, 26]);
    expectClose(scene.data, reference(f!.embeddings, 'mean+std'), 1e-6);
    const l2max = await enc.sceneEmbeddings([x], { pooling: 'max', l2: true });
    expectClose(l2max.data, reference(f!.embeddings, 'max', { l2: true }), 1e-6);
  });

  it('HEAR shapes, batch invariance, and timestamps that step by the hop', async () => {
    const enc = new BuiltinEncoder('builtin:logmel-stats', { nMels: 32 });
    const batch = Array.from({ length: 8 }, (_, i) => Float32Array.from(noise(16000, 20 + i)));
    const ts = await enc.timestampEmbeddings(batch);
    const t = ts.timestamps.shape[1]!;
    expect(ts.embeddings.shape).toEqual([8, t, 32]);
    expect(ts.timestamps.shape).toEqual([8, t]);
    expect(Array.from(ts.timestamps.data.subarray(0, 4))).toEqual([0, 10, 20, 30]);
    const scenes = await enc.sceneEmbeddings(batch);
    for (const [i, clip] of batch.entries()) {
      const one = await enc.sceneEmbeddings([clip]);
      expect(one.data).toEqual(scenes.data.subarray(i * 64, (i + 1) * 64)); // a batch of 8 equals 8 single runs
      const [single] = await enc.frameEmbeddings([clip]);
      expect(single!.embeddings.data).toEqual(ts.embeddings.data.subarray(i * t * 32, (i + 1) * t * 32));
    }
    expect(await enc.sceneEmbeddings([])).toEqual({ data: new Float32Array(0), shape: [0, 64] });
  });

  it('an hour of audio: the last timestamp lies within one hop of the true end (no drift)', async () => {
    const enc = new BuiltinEncoder('builtin:logmel-stats', { nMels: 8 });
    const hour = new Float32Array(16000 * 3600);
    for (let i = 0; i < hour.length; i += 997) hour[i] = 0.5;
    const [f] = await enc.frameEmbeddings([hour]);
    const ts = f!.timestamps;
    expect(ts.length).toBe(360001);
    expect(3600000 - ts[ts.length - 1]!).toBeLessThanOrEqual(10);
    expect(ts[ts.length - 1]).toBe(3600000); // frame k is centred on sample k * hop exactly
    expect(ts[123457]).toBe(1234570);
  });

  it('a closed encoder refuses work', async () => {
    const enc = new BuiltinEncoder('builtin:logmel-stats');
    await enc.close();
    await expect(enc.frameEmbeddings([x])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
