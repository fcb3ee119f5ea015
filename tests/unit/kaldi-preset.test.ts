// preset 'kaldi' on the STFT family equals KaldiFbank / KaldiMfcc, transposed
// to features x frames.
import { describe, expect, it } from 'vitest';
import { KaldiFbank, KaldiMfcc, LogMelSpectrogram, MelSpectrogram, MFCC, Spectrogram, type Tensor } from '../../src/index.js';
import { noise } from '../helpers/reference.js';

function transpose(t: Tensor): Tensor {
  const [rows, cols] = t.shape as [number, number];
  const out = new Float32Array(t.data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = t.data[r * cols + c]!;
  return { data: out, shape: [cols, rows] };
}

const x = noise(16000, 21).map((v) => v * 8000);

describe("preset 'kaldi'", () => {
  it('LogMelSpectrogram = KaldiFbank (log), transposed', () => {
    const a = new LogMelSpectrogram({ preset: 'kaldi', nMels: 40 }).compute(x);
    const b = transpose(new KaldiFbank({ numMelBins: 40 }).compute(x));
    expect(a.shape).toEqual([40, 98]);
    expect(a.data).toEqual(b.data);
  });

  it('MelSpectrogram = KaldiFbank without the log; center true = snipEdges false; hamming window', () => {
    const a = new MelSpectrogram({ preset: 'kaldi', nMels: 23, center: true, window: 'hamming', fMin: 60, fMax: -400 }).compute(x);
    const b = transpose(new KaldiFbank({ useLogFbank: false, snipEdges: false, windowType: 'hamming', lowFreq: 60, highFreq: -400 }).compute(x));
    expect(a.shape).toEqual([23, 100]);
    expect(a.data).toEqual(b.data);
  });

  it('MFCC = KaldiMfcc, transposed; sample counts map to Kaldi ms at 8 kHz', () => {
    const a = new MFCC({ preset: 'kaldi', sampleRate: 8000, nMfcc: 13, melkwargs: { winLength: 200, hopLength: 80, nMels: 23 } }).compute(x);
    const b = transpose(new KaldiMfcc({ sampleFrequency: 8000, frameLengthMs: 25, frameShiftMs: 10, numMelBins: 23, numCeps: 13 }).compute(x));
    expect(a.data).toEqual(b.data);
  });

  it('Spectrogram gives the Kaldi power spectrum (padded 512 -> 257 bins)', () => {
    const s = new Spectrogram({ preset: 'kaldi' }).compute(x);
    expect(s.shape).toEqual([257, 98]);
    expect(s.data.every((v) => v >= 0)).toBe(true);
  });

  it('refuses options that have no Kaldi meaning, and bad sizes', () => {
    expect(() => new LogMelSpectrogram({ preset: 'kaldi', topDb: 80 })).toThrow(/for topDb/);
    expect(() => new MelSpectrogram({ preset: 'kaldi', padMode: 'constant' })).toThrow(/for padMode/);
    expect(() => new Spectrogram({ preset: 'kaldi', nFft: 500 })).toThrow(/for nFft but received 500/);
    expect(() => new Spectrogram({ preset: 'kaldi', window: 'kaiser' })).toThrow(/for window/);
    expect(new Spectrogram({ preset: 'kaldi', nFft: 400 }).outputShape(16000)).toEqual([201, 98]);
    expect(() => new MFCC({ preset: 'kaldi', nMels: 40 } as never)).toThrow(/for nMels/);
    expect(() => new MFCC({ preset: 'kaldi', melkwargs: { sampleRate: 8000 } as never })).toThrow(/for melkwargs.sampleRate/);
  });
});
