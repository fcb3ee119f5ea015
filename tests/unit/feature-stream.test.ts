// FeatureStream: block-by-block features equal compute() on the whole signal, bit for bit,
// for every frame rule and padding, any block sizes.
import { describe, expect, it } from 'vitest';
import { KaldiFbank, KaldiMfcc, LogMelSpectrogram, MelSpectrogram, MFCC, Spectrogram, type Tensor } from '../../src/index.js';
import { noise, rng } from '../helpers/reference.js';

/** Concatenates tensors along the frame axis (1, or 0 when frames come first). */
function concatFrames(parts: Tensor[], framesFirst: boolean): Tensor {
  const nonEmpty = parts.filter((p) => p.data.length > 0);
  const axis = framesFirst ? 0 : 1;
  const total = parts.reduce((t, p) => t + p.shape[axis]!, 0);
  const shape = [...parts[0]!.shape];
  shape[axis] = total;
  if (framesFirst) {
    const data = new Float32Array(nonEmpty.reduce((t, p) => t + p.data.length, 0));
    let o = 0;
    for (const p of nonEmpty) {
      data.set(p.data, o);
      o += p.data.length;
    }
    return { data, shape };
  }
  const rows = shape[0]!;
  const cell = shape.length === 3 ? 2 : 1;
  const data = new Float32Array(rows * total * cell);
  let f0 = 0;
  for (const p of parts) {
    const n = p.shape[1]!;
    for (let r = 0; r < rows; r++) data.set(p.data.subarray(r * n * cell, (r + 1) * n * cell), (r * total + f0) * cell);
    f0 += n;
  }
  return { data, shape };
}

function streamed(t: { stream(): { push(x: Float32Array): Tensor; flush(): Tensor } }, x: Float32Array, seed: number, maxBlock: number): Tensor[] {
  const s = t.stream();
  const r = rng(seed);
  const parts: Tensor[] = [];
  for (let i = 0; i < x.length; ) {
    const n = Math.min(x.length - i, Math.floor(((r() + 1) / 2) * maxBlock)); // includes empty blocks
    parts.push(s.push(x.subarray(i, i + n)));
    i += n;
  }
  parts.push(s.flush());
  return parts;
}

const cases: [string, () => { stream(): { push(x: Float32Array): Tensor; flush(): Tensor }; compute(x: Float32Array): Tensor }, boolean][] = [
  ['Spectrogram centre reflect 512/160', () => new Spectrogram({ nFft: 512, hopLength: 160 }), false],
  ['Spectrogram complex, winLength < nFft, pad 7', () => new Spectrogram({ nFft: 400, winLength: 300, hopLength: 100, power: null, pad: 7 }), false],
  ['Spectrogram center=false', () => new Spectrogram({ nFft: 256, hopLength: 64, center: false }), false],
  ['Spectrogram constant padding (librosa)', () => new Spectrogram({ preset: 'librosa', nFft: 1024, hopLength: 256 }), false],
  ['MelSpectrogram 400/160/80', () => new MelSpectrogram({ sampleRate: 16000, nFft: 400, hopLength: 160, nMels: 80 }), false],
  ['LogMelSpectrogram topDb null', () => new LogMelSpectrogram({ sampleRate: 16000, nFft: 512, hopLength: 160, nMels: 64, topDb: null }), false],
  ['MFCC topDb null', () => new MFCC({ sampleRate: 16000, nMfcc: 13, topDb: null, melkwargs: { nFft: 400, hopLength: 160, nMels: 40 } }), false],
  ['KaldiFbank snip edges', () => new KaldiFbank({ numMelBins: 80 }), true],
  ['KaldiMfcc without snip edges', () => new KaldiMfcc({ snipEdges: false }), true],
];

describe('FeatureStream equals compute() on the whole signal', () => {
  const x = noise(16000 * 3 + 123, 7);
  it.each(cases)('%s', (_, make, framesFirst) => {
    const t = make();
    const whole = t.compute(x);
    for (const [seed, maxBlock] of [[1, 3000], [2, 40000], [3, 200]] as const) {
      const joined = concatFrames(streamed(t, x, seed, maxBlock), framesFirst);
      expect(joined.shape).toEqual(whole.shape);
      expect(Buffer.from(joined.data.buffer).equals(Buffer.from(whole.data.buffer))).toBe(true);
    }
  });

  it('one push of the whole signal then flush equals compute()', () => {
    const t = new MelSpectrogram({ sampleRate: 16000 });
    const s = t.stream();
    const joined = concatFrames([s.push(x), s.flush()], false);
    expect(joined.data).toEqual(t.compute(x).data);
  });

  it('memory stays bounded: the stream keeps about a window of samples, not the signal', () => {
    const t = new MelSpectrogram({ sampleRate: 16000, nFft: 400, hopLength: 160 });
    const s = t.stream();
    let frames = 0;
    for (let i = 0; i < 200; i++) frames += s.push(noise(16000, i)).shape[1]!;
    frames += s.flush().shape[1]!;
    expect(frames).toBe(t.numFrames(200 * 16000));
    expect((s as unknown as { buffer: Float32Array }).buffer.length).toBeLessThan(16000);
  });

  it('refuses transforms whose output depends on the whole signal', () => {
    expect(() => new LogMelSpectrogram({ sampleRate: 16000 }).stream()).toThrow(/topDb/);
    expect(() => new MFCC({ sampleRate: 16000 }).stream()).toThrow(/topDb/);
    expect(() => new KaldiFbank({ subtractMean: true }).stream()).toThrow(/subtractMean/);
    expect(() => new LogMelSpectrogram({ preset: 'whisper' }).stream()).toThrow(RangeError);
  });
});
