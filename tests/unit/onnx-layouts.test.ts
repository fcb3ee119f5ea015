// OnnxEncoder's input layouts, windows and waveform path on tiny models made by tests/models/make_tiny_encoders.py
// (Debian's python3-torch): one function of mel frames exported in four layouts with the same weights gives the
// same embeddings through every layout (a wrong transposition would not), and a raw-waveform model's windows equal
// torch's own output on the same signal.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OnnxEncoder, type OnnxLayout } from '../../src/models/onnx.js';
import { noise } from '../helpers/reference.js';

const DIR = join(__dirname, '../models');
const LAYOUTS: OnnxLayout[] = ['batch,frames,features', 'batch,frames,features,1', 'batch,1,features,frames', 'batch,features,frames'];

describe('OnnxEncoder layouts (tiny models)', () => {
  it('the same frames through every layout give the same embeddings', async () => {
    const clip = Float32Array.from(noise(16000, 3), (v, i) => 0.2 * v + 0.4 * Math.sin(i / 7));
    const results: Float32Array[] = [];
    for (const layout of LAYOUTS) {
      const enc = await OnnxEncoder.create({
        sampleRate: 16000,
        frontend: { type: 'logmel', options: { nFft: 400, hopLength: 160, nMels: 8, topDb: null } },
        model: join(DIR, `tiny_frames_${layout.replace(/,/g, '_')}.onnx`),
        layout,
        window: { size: 20, hop: 10 },
      });
      expect(enc.timestampEmbeddingSize).toBe(6);
      const [f] = await enc.frameEmbeddings([clip]);
      // 101 log-mel frames (centre padding): windows at 0, 10, ..., 80; centres at frames 9.5, 19.5, ... (10 ms hop).
      expect(f!.embeddings.shape).toEqual([9, 6]);
      expect(Array.from(f!.timestamps.subarray(0, 3))).toEqual([95, 195, 295]);
      results.push(f!.embeddings.data);
      await enc.close();
    }
    for (const r of results.slice(1)) {
      let worst = 0;
      for (let i = 0; i < r.length; i++) worst = Math.max(worst, Math.abs(r[i]! - results[0]![i]!));
      expect(worst).toBeLessThanOrEqual(1e-5);
    }
  });

  it("a 'kaldi' preset log-mel frontend: timestamps from the transform's frame centres (finite, 100 ms apart)", async () => {
    const clip = Float32Array.from(noise(16000, 4), (v) => 0.3 * v);
    const enc = await OnnxEncoder.create({
      sampleRate: 16000,
      frontend: { type: 'logmel', options: { preset: 'kaldi', nMels: 8 } },
      model: join(DIR, 'tiny_frames_batch_frames_features.onnx'),
      layout: 'batch,frames,features',
      window: { size: 20, hop: 10 },
    });
    const [f] = await enc.frameEmbeddings([clip]);
    await enc.close();
    // 98 Kaldi frames (snip edges: frame t reads samples [160t, 160t + 400)): windows at 0, 10, ..., 70; the first
    // centred on frame 9.5, sample 9.5·160 + 200 = 1720, 107.5 ms.
    expect(f!.embeddings.shape).toEqual([8, 6]);
    expect(Array.from(f!.timestamps)).toEqual(Array.from({ length: 8 }, (_, k) => 107.5 + 100 * k));
  });

  it("a waveform model's windows equal torch's output on the same signal", async () => {
    const expected = JSON.parse(readFileSync(join(DIR, 'tiny_expected.json'), 'utf8')) as { starts: number[]; wave: number[][] };
    const x = Float32Array.from({ length: 8000 }, (_, i) => Math.fround(0.5 * Math.sin((2 * Math.PI * 440 * i) / 16000) + i / 8000 - 0.5));
    const enc = await OnnxEncoder.create({ sampleRate: 16000, frontend: { type: 'waveform' }, model: join(DIR, 'tiny_wave.onnx'), layout: 'batch,samples', window: { size: 1600, hop: 800 } });
    const [f] = await enc.frameEmbeddings([x]);
    expect(f!.embeddings.shape).toEqual([expected.starts.length, 5]);
    expect(Array.from(f!.timestamps)).toEqual(expected.starts.map((s) => ((s + 799.5) * 1000) / 16000));
    let worst = 0;
    expected.wave.forEach((row, k) => row.forEach((v, j) => (worst = Math.max(worst, Math.abs(f!.embeddings.data[k * 5 + j]! - v)))));
    expect(worst).toBeLessThanOrEqual(1e-5);
    // A clip shorter than a window is zero-padded to one window; pad 'end' keeps a last partial window.
    const [short] = await enc.frameEmbeddings([x.subarray(0, 1000)]);
    expect(short!.embeddings.shape).toEqual([1, 5]);
    await enc.close();
    const padded = await OnnxEncoder.create({ sampleRate: 16000, frontend: { type: 'waveform' }, model: join(DIR, 'tiny_wave.onnx'), layout: 'batch,samples', window: { size: 1600, hop: 800, pad: 'end' } });
    const [p] = await padded.frameEmbeddings([x.subarray(0, 2000)]);
    expect(p!.embeddings.shape).toEqual([2, 5]); // [0, 1600) and [800, 2400) padded
    await padded.close();
  });
});
