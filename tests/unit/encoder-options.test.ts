// The options every encoder shares: an unset or undefined pooling is the encoder's default (on every path of the
// built-ins and of EncoderBase), a bad pooling is refused even where no pooling runs (an empty batch, deltas
// without the WAV fast path), a closed encoder refuses work; and a transform's frameCentre, which places frames.
import { describe, expect, it } from 'vitest';
import { BuiltinEncoder, KaldiFbank, LogMelSpectrogram, MFCC, type Tensor } from '../../src/index.js';
import { EncoderBase, type FrameEmbeddings } from '../../src/models/encoder.js';
import { noise } from '../helpers/reference.js';

/** An EncoderBase over fixed frames: each clip's frames are its samples in rows of 2. */
class PairEncoder extends EncoderBase {
  readonly name = 'pairs';
  readonly sampleRate = 16000;
  readonly timestampEmbeddingSize = 2;
  readonly defaultPooling = 'mean+std' as const;
  async frameEmbeddings(clips: readonly Float32Array[]): Promise<FrameEmbeddings[]> {
    this.checkOpen();
    return clips.map((x) => ({ embeddings: { data: x, shape: [x.length / 2, 2] } as Tensor, timestamps: new Float64Array(x.length / 2) }));
  }
  async fingerprint(): Promise<string> {
    return 'pairs';
  }
}

describe('encoder options', () => {
  const clips = [Float32Array.from(noise(16000, 1)), Float32Array.from(noise(9000, 2))];

  it('{ pooling: undefined } is the default pooling (builtin with and without deltas, EncoderBase)', async () => {
    for (const enc of [new BuiltinEncoder('builtin:logmel-stats', { nMels: 16 }), new BuiltinEncoder('builtin:mfcc-stats', { nMfcc: 13, deltas: 1 }), new PairEncoder()]) {
      const want = await enc.sceneEmbeddings(clips);
      expect(want.shape).toEqual([2, enc.sceneEmbeddingSize]);
      expect(await enc.sceneEmbeddings(clips, { pooling: undefined })).toEqual(want);
      expect(await enc.sceneEmbeddings([], { pooling: undefined })).toEqual({ data: new Float32Array(0), shape: [0, enc.sceneEmbeddingSize] });
      expect((await enc.sceneEmbeddings([], { pooling: 'max' })).shape).toEqual([0, enc.timestampEmbeddingSize]);
      await expect(enc.sceneEmbeddings([], { pooling: 'median' as never })).rejects.toThrow(RangeError);
      await enc.close();
      await expect(enc.sceneEmbeddings(clips)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: `the encoder ${enc.name} is closed` });
    }
  });

  it('embedWavFiles refuses a bad pooling with deltas too, and refuses work once closed', async () => {
    const deltas = new BuiltinEncoder('builtin:logmel-stats', { deltas: 1 });
    await expect(deltas.embedWavFiles(['x.wav'], { pooling: 'median' as never })).rejects.toThrow(RangeError);
    expect(await deltas.embedWavFiles(['x.wav'], { pooling: undefined })).toEqual([undefined]);
    await deltas.close();
    await expect(deltas.embedWavFiles(['x.wav'])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it("frameCentre: t·hop with centre padding, t·hop + nFft/2 without, Kaldi's window centre; fractional t", () => {
    expect(new LogMelSpectrogram({ nFft: 400, hopLength: 160, nMels: 40 }).frameCentre(7)).toBe(1120);
    expect(new LogMelSpectrogram({ nFft: 512, winLength: 400, hopLength: 160, nMels: 40 }).frameCentre(9.5)).toBe(1520);
    expect(new MFCC({ melkwargs: { nFft: 400, hopLength: 160, nMels: 40 } }).frameCentre(3)).toBe(480);
    expect(new LogMelSpectrogram({ nFft: 512, winLength: 400, hopLength: 160, center: false, nMels: 40 }).frameCentre(3)).toBe(480 + 256);
    expect(new LogMelSpectrogram({ preset: 'kaldi' }).frameCentre(2)).toBe(320 + 200);
    expect(new KaldiFbank({ snipEdges: false }).frameCentre(2)).toBe(320 + 80); // frame 2 reads from sample 2·160 − (200 − 80) = 200
    expect(() => new LogMelSpectrogram({ nMels: 40 }).frameCentre('1' as never)).toThrow(TypeError);
    expect(() => new LogMelSpectrogram({ nMels: 40 }).frameCentre(-1)).toThrow(RangeError);
  });
});
