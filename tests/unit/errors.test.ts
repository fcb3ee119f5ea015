// Invalid options and inputs are refused before any native call, with the
// house message shape; edge inputs have documented results.
import { describe, expect, it } from 'vitest';
import {
  AmplitudeToDB,
  AudiomillError,
  computeDeltas,
  delta,
  irfft,
  KaldiFbank,
  KaldiMfcc,
  LogMelSpectrogram,
  melscaleFbanks,
  MelSpectrogram,
  MFCC,
  rfft,
  setNumThreads,
  setMatrixUnit,
  setSimdLevel,
  Spectrogram,
} from '../../src/index.js';
import { noise } from '../helpers/reference.js';
import { toError } from '../../src/audio/codec-pool.js';
import { AUDIOMILL_ERROR_CODES, dependencyMissing, fromNative, isModuleNotFound } from '../../src/errors.js';
import { packageRoot } from '../../src/native/load.js';

const SHAPE = /^Expected .+ for .+ but received .+$/;

describe('option validation', () => {
  const cases: [string, () => unknown, typeof TypeError | typeof RangeError, RegExp][] = [
    ['nFft 0', () => new Spectrogram({ nFft: 0 }), RangeError, /for nFft but received 0/],
    ['nFft fractional', () => new Spectrogram({ nFft: 400.5 }), RangeError, /for nFft/],
    ['nFft string', () => new Spectrogram({ nFft: '400' as never }), TypeError, /for nFft but received "400"/],
    ['hop 0', () => new Spectrogram({ hopLength: 0 }), RangeError, /for hopLength but received 0/],
    ['winLength > nFft', () => new Spectrogram({ nFft: 256, winLength: 300 }), RangeError, /for winLength/],
    ['window length', () => new Spectrogram({ nFft: 256, window: new Float32Array(10) }), RangeError, /for window/],
    ['window name', () => new Spectrogram({ window: 'triangle' as never }), RangeError, /for window but received "triangle"/],
    ['power 0', () => new Spectrogram({ power: 0 }), RangeError, /for power/],
    ['padMode', () => new Spectrogram({ padMode: 'mirror' as never }), RangeError, /for padMode/],
    ['normalized', () => new Spectrogram({ normalized: 'yes' as never }), RangeError, /for normalized/],
    ['preset', () => new Spectrogram({ preset: 'essentia' as never }), RangeError, /for preset/],
    ['fMax > sr/2', () => new MelSpectrogram({ sampleRate: 16000, fMax: 9000 }), RangeError, /for fMax but received 9000/],
    ['fMin >= fMax', () => new MelSpectrogram({ sampleRate: 16000, fMin: 5000, fMax: 4000 }), RangeError, /for fMax/],
    ['nMels > bins', () => new MelSpectrogram({ nFft: 64, nMels: 40 }), RangeError, /for nMels but received 40/],
    ['mel of complex', () => new MelSpectrogram({ power: null }), RangeError, /for power/],
    ['sampleRate', () => new MelSpectrogram({ sampleRate: -1 }), RangeError, /for sampleRate/],
    ['topDb negative', () => new LogMelSpectrogram({ nFft: 512, nMels: 64, topDb: -1 }), RangeError, /for topDb/],
    ['nMfcc > nMels', () => new MFCC({ nMfcc: 80, melkwargs: { nFft: 512, nMels: 64 } }), RangeError, /for nMfcc/],
    ['dctType', () => new MFCC({ dctType: 3 as never }), RangeError, /for dctType/],
    ['kaldi dither', () => new KaldiFbank({ dither: 1 }), RangeError, /for dither/],
    ['kaldi vtln', () => new KaldiFbank({ vtlnWarp: 1.1 }), RangeError, /for vtlnWarp/],
    ['kaldi window', () => new KaldiFbank({ windowType: 'hann' as never }), RangeError, /for windowType/],
    ['kaldi numCeps', () => new KaldiMfcc({ numCeps: 30 }), RangeError, /for numCeps/],
    ['amplitude stype', () => new AmplitudeToDB({ stype: 'energy' as never }), RangeError, /for stype/],
    ['threads', () => setNumThreads(0), RangeError, /for threads/],
    ['hop beyond int', () => new Spectrogram({ hopLength: 2 ** 31 }), RangeError, /for hopLength/],
    ['amin subnormal', () => new LogMelSpectrogram({ nFft: 512, nMels: 64, amin: 1e-40 }), RangeError, /for amin/],
    ['deltas window', () => computeDeltas({ data: new Float32Array(4), shape: [2, 2] }, { winLength: 2 ** 20 }), RangeError, /for winLength/],
    ['simd level', () => setSimdLevel('sse9' as never), RangeError, /for level/],
    ['matrix unit', () => setMatrixUnit('tpu' as never), RangeError, /for unit/],
    ['options not an object', () => new Spectrogram(null as never), TypeError, /for options/],
  ];
  it.each(cases)('%s', (_name, fn, type, pattern) => {
    let caught: unknown;
    try {
      fn();
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(type);
    expect((caught as Error).message).toMatch(pattern);
    expect((caught as Error).message).toMatch(SHAPE);
  });
});

describe('input validation', () => {
  const t = new Spectrogram({ nFft: 400, hopLength: 160 });
  it('non-Float32Array inputs are TypeErrors', () => {
    expect(() => t.compute(new Float64Array(1000) as never)).toThrow(TypeError);
    expect(() => t.compute([0, 1, 2] as never)).toThrow(/Expected a Float32Array for x but received Array\(3\)/);
    expect(() => rfft(new Int16Array(4) as never)).toThrow(TypeError);
  });
  it('input too short for reflect padding is a RangeError naming x (torchaudio refuses it too)', () => {
    expect(() => t.compute(new Float32Array(200))).toThrow(RangeError);
    expect(() => t.compute(new Float32Array(200))).toThrow(/for x but received Float32Array\(200\)/);
    expect(t.compute(new Float32Array(201)).shape).toEqual([201, 2]);
  });
  it('center=false needs at least nFft samples', () => {
    const nc = new Spectrogram({ nFft: 400, center: false });
    expect(() => nc.compute(new Float32Array(399))).toThrow(RangeError);
    expect(nc.compute(new Float32Array(400)).shape).toEqual([201, 1]);
  });
  it('resizable buffers are refused (they could shrink under a native computation)', () => {
    const t2 = new Spectrogram({ nFft: 64 });
    const rab = new (ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => ArrayBuffer)(4096, { maxByteLength: 8192 });
    expect(() => t2.compute(new Float32Array(rab))).toThrow(/fixed-length buffer .* for x/);
  });
  it('holes in a batch array are TypeErrors naming the index', () => {
    // eslint-disable-next-line no-sparse-arrays
    expect(() => t.computeBatch([new Float32Array(1000), , new Float32Array(1000)] as never)).toThrow(/for xs\[1\] but received undefined/);
  });
  it('batch inputs are checked one by one with their index', () => {
    expect(() => t.computeBatch([new Float32Array(1000), new Float32Array(3)])).toThrow(/for xs\[1\]/);
  });
  it('bad tensors for deltas and dB', () => {
    expect(() => computeDeltas({ data: new Float32Array(10), shape: [3, 3] })).toThrow(RangeError);
    expect(() => delta({ data: new Float32Array(12), shape: [2, 6] }, { width: 9 })).toThrow(/for width/);
    expect(() => new AmplitudeToDB().compute({ data: [1] as never, shape: [1] })).toThrow(TypeError);
    expect(() => irfft(new Float32Array(5), 4)).toThrow(RangeError);
  });
});

describe('edge inputs (documented behaviour)', () => {
  it('empty input: constant padding yields one zero frame; reflect and Kaldi refuse (as torchaudio)', () => {
    const c = new Spectrogram({ nFft: 256, padMode: 'constant' }).compute(new Float32Array(0));
    expect(c.shape).toEqual([129, 1]);
    expect(c.data.every((v) => v === 0)).toBe(true);
    expect(() => new Spectrogram({ nFft: 256 }).compute(new Float32Array(0))).toThrow(RangeError);
    for (const snipEdges of [true, false]) {
      const k = new KaldiFbank({ numMelBins: 23, snipEdges });
      expect(() => k.compute(new Float32Array(0))).toThrow(RangeError);
      expect(() => k.compute(new Float32Array(399))).toThrow(/one Kaldi window \(400 samples\)/);
      expect(k.compute(new Float32Array(400).fill(1)).shape).toEqual([snipEdges ? 1 : 3, 23]);
    }
  });

  it('NaN and Inf samples poison only the frames that contain them', () => {
    const x = noise(16000, 1);
    x[8000] = Number.NaN;
    x[100] = Number.POSITIVE_INFINITY;
    const t = new LogMelSpectrogram({ nFft: 512, hopLength: 160, nMels: 64 });
    const { data, shape } = t.compute(x);
    const frames = shape[1]!;
    const frameHasNaN = (f: number) => Array.from({ length: 64 }, (_, m) => data[m * frames + f]!).some(Number.isNaN);
    expect(frameHasNaN(50)).toBe(true); // frame centred on sample 8000
    expect(frameHasNaN(20)).toBe(false);
    expect(frameHasNaN(80)).toBe(false);
    // top_db uses the max of the non-NaN cells, so clean frames are still clamped to (max - 80).
    const clean = Array.from({ length: 64 }, (_, m) => data[m * frames + 80]!);
    expect(clean.every(Number.isFinite)).toBe(true);
  });

  it('silence gives -100 dB (amin 1e-10) everywhere and finite MFCCs', () => {
    const x = new Float32Array(16000);
    const db = new LogMelSpectrogram({ nFft: 512, hopLength: 160, nMels: 64 }).compute(x).data;
    expect(db.every((v) => v === db[0])).toBe(true);
    expect(db[0]).toBeCloseTo(-100, 4);
    const mfcc = new MFCC({ melkwargs: { nFft: 512, hopLength: 160, nMels: 64 } }).compute(x).data;
    expect(mfcc.every(Number.isFinite)).toBe(true);
  });

  it('rfft of length 1 and irfft of odd lengths', () => {
    expect(Array.from(rfft(new Float32Array([3])))).toEqual([3, 0]);
    const x = noise(7, 2);
    const back = irfft(rfft(x), 7);
    back.forEach((v, i) => expect(v).toBeCloseTo(x[i]!, 5));
  });

  it('melscaleFbanks with a filter too narrow to catch a bin warns once and keeps the zero filter', () => {
    const warnings: string[] = [];
    const onWarning = (w: Error & { code?: string }) => warnings.push(w.code ?? '');
    process.on('warning', onWarning);
    const fb = melscaleFbanks({ nFreqs: 201, fMin: 0, fMax: 8000, nMels: 128, sampleRate: 16000 });
    melscaleFbanks({ nFreqs: 201, fMin: 0, fMax: 8000, nMels: 128, sampleRate: 16000 });
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        process.off('warning', onWarning);
        expect(warnings).toEqual(['AUDIOMILL_EMPTY_MEL_FILTER']);
        expect(fb.shape).toEqual([201, 128]);
        resolve();
      }),
    );
  });
});

describe('AudiomillError', () => {
  it('carries a code, the caller stack, and is one class for import and require', async () => {
    const err = new AudiomillError('IO', 'cannot read', { path: '/x.wav', cause: new Error('ENOENT') });
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe('IO');
    expect(err.path).toBe('/x.wav');
    expect((err.cause as Error).message).toBe('ENOENT');
    expect(err.name).toBe('AudiomillError');
  });
});

describe('error codes: one list, checked everywhere', () => {
  it('fromNative keeps a known code and turns an unknown one into INTERNAL with the cause', () => {
    const known = fromNative(Object.assign(new Error('bad bytes'), { code: 'DECODE_CORRUPT' }));
    expect(known).toMatchObject({ code: 'DECODE_CORRUPT', message: 'bad bytes' });
    const raw = Object.assign(new Error('odd'), { code: 'SOMETHING_ELSE' });
    const unknown = fromNative(raw) as AudiomillError;
    expect(unknown.code).toBe('INTERNAL');
    expect(unknown.cause).toBe(raw);
  });

  it("a decoder worker's reply: a listed code as is, an unknown one INTERNAL with the reply as cause, a range flag a RangeError", () => {
    const listed = toError({ id: 1, error: { code: 'DEPENDENCY_MISSING', message: 'no decoder' } }, '/a.flac');
    expect(listed).toBeInstanceOf(AudiomillError);
    expect(listed).toMatchObject({ code: 'DEPENDENCY_MISSING', path: '/a.flac', message: 'no decoder (/a.flac)' });
    const reply = { code: 'WHATEVER', message: 'odd' };
    const unknown = toError({ id: 2, error: reply }, undefined) as AudiomillError;
    expect(unknown.code).toBe('INTERNAL');
    expect(unknown.cause).toBe(reply);
    const range = toError({ id: 3, error: { code: 'INVALID_ARGUMENT', message: 'Expected a channel index below 2 for channel but received 4', range: true } }, '/b.mp3');
    expect(range).toBeInstanceOf(RangeError);
    expect(range.message).toBe('Expected a channel index below 2 for channel but received 4 (/b.mp3)');
  });

  it('a missing npm package is DEPENDENCY_MISSING naming the package and the fix', () => {
    const cause = Object.assign(new Error("Cannot find module 'mpg123-decoder'"), { code: 'MODULE_NOT_FOUND' });
    expect(isModuleNotFound(cause, 'mpg123-decoder')).toBe(true);
    expect(isModuleNotFound(cause, 'h5wasm')).toBe(false);
    const err = dependencyMissing('mpg123-decoder', 'decoding MP3', cause);
    expect(err).toMatchObject({ code: 'DEPENDENCY_MISSING', cause });
    expect(err.message).toMatch(/'mpg123-decoder'.*decoding MP3.*npm install/);
    expect(AUDIOMILL_ERROR_CODES).toContain(err.code);
  });

  it('the native loader reports an AudiomillError NATIVE_LOAD that says what to do', () => {
    let caught: unknown;
    try {
      packageRoot('/');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(AudiomillError);
    expect(caught).toMatchObject({ code: 'NATIVE_LOAD' });
    expect((caught as Error).message).toMatch(/reinstall/);
  });
});
