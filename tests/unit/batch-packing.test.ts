// computeBatch packs the frames of short clips into shared SIMD blocks (FeaturePlan::compute_packed): every
// transform must give, for every clip of a batch, exactly what compute gives it alone, bit for bit, whatever the
// clip's length (one frame to a few blocks, padding at both ends, mixed with long clips) and the thread count.
import { describe, expect, it } from 'vitest';
import { KaldiFbank, KaldiMfcc, LogMelSpectrogram, MelSpectrogram, MFCC, Spectrogram } from '../../src/index.js';
import { noise } from '../helpers/reference.js';

const bytes = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

const TRANSFORMS: [string, { compute(x: Float32Array): { data: Float32Array; shape: number[] }; computeBatch(xs: Float32Array[], o?: { threads?: number }): { data: Float32Array; shape: number[] }[]; computeBatchAsync(xs: Float32Array[], o?: { threads?: number }): Promise<{ data: Float32Array; shape: number[] }[]> }, number][] = [
  ['Spectrogram, power 2', new Spectrogram({ nFft: 256, hopLength: 64 }), 200],
  ['Spectrogram, magnitude, odd nFft, short window', new Spectrogram({ nFft: 255, winLength: 200, hopLength: 50, power: 1 }), 200],
  ['Spectrogram, complex', new Spectrogram({ nFft: 128, hopLength: 32, power: null }), 130],
  ['Spectrogram, center false', new Spectrogram({ nFft: 256, hopLength: 100, center: false }), 256],
  ['Spectrogram, constant padding, normalized', new Spectrogram({ nFft: 256, hopLength: 64, padMode: 'constant', normalized: true }), 1],
  ['MelSpectrogram', new MelSpectrogram({ sampleRate: 16000, nFft: 400, hopLength: 160, nMels: 40 }), 201],
  ['LogMelSpectrogram (top_db clamp)', new LogMelSpectrogram({ sampleRate: 48000, nFft: 2048, hopLength: 1024, nMels: 64, topDb: 80 }), 1025],
  ['LogMelSpectrogram, whisper preset', new LogMelSpectrogram({ preset: 'whisper' }), 201],
  ['MFCC with deltas-free cepstra', new MFCC({ sampleRate: 16000, nMfcc: 13, melkwargs: { nFft: 512, hopLength: 128, nMels: 40 } }), 257],
  ['KaldiFbank (energy, pre-emphasis, DC removal)', new KaldiFbank({ sampleFrequency: 16000, useEnergy: true }), 400],
  ['KaldiFbank, snip edges off', new KaldiFbank({ sampleFrequency: 16000, snipEdges: false }), 400],
  ['KaldiMfcc', new KaldiMfcc({ sampleFrequency: 16000 }), 400],
];

describe('computeBatch of short clips equals compute of each, bit for bit', () => {
  it.each(TRANSFORMS)('%s', async (_, t, minLength) => {
    // Lengths from the shortest the transform takes to a few blocks of frames, and two long clips among them.
    const lengths = [minLength, minLength + 1, 700, 1000, 1999, 2400, 3001, 4800, 6400, 9999, 19200, 160000, minLength + 7, 12345, 80000, 555];
    const xs = lengths.filter((n) => n >= minLength).map((n, i) => noise(n, 100 + i));
    const alone = xs.map((x) => t.compute(x));
    for (const threads of [1, 2]) {
      const batch = t.computeBatch(xs, { threads });
      const asyncBatch = await t.computeBatchAsync(xs, { threads });
      batch.forEach((b, i) => {
        expect(b.shape).toEqual(alone[i]!.shape);
        expect(bytes(b.data).equals(bytes(alone[i]!.data)), `clip ${i} (${xs[i]!.length} samples), ${threads} threads`).toBe(true);
        expect(bytes(asyncBatch[i]!.data).equals(bytes(alone[i]!.data))).toBe(true);
      });
    }
  });
});
