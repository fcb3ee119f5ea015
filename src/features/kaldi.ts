/**
 * Kaldi-compatible filterbank and MFCC features, with the options and defaults
 * of torchaudio.compliance.kaldi. Output is (frames, features) like torchaudio.
 * Kaldi reads 16-bit samples unscaled: multiply [-1, 1] audio by 32768 to match it.
 */
import type { NativeFeatureConfig } from '../native/binding.js';
import { bool, int, num, oneOf, rangeError, typeError } from '../validate.js';
import { makeWindow, type WindowName } from '../dsp/windows.js';
import { createDct, kaldiLifter, scaleColumns } from './dct.js';
import { FeatureTransform } from './engine.js';
import { kaldiMelBanks } from './mel.js';

export type KaldiWindowType = 'hamming' | 'hanning' | 'povey' | 'rectangular' | 'blackman';

export interface KaldiFbankOptions {
  /** Sample rate in Hz (default 16000). */
  sampleFrequency?: number;
  /** Frame length in milliseconds (> 0; default 25; Kaldi / torchaudio `frame_length`). */
  frameLengthMs?: number;
  /** Frame shift in milliseconds (> 0; default 10; Kaldi / torchaudio `frame_shift`). */
  frameShiftMs?: number;
  /** Number of triangular mel bins (default 23). */
  numMelBins?: number;
  /** Dithering constant; only 0 (torchaudio's default) is supported, so results are deterministic. */
  dither?: number;
  /** Pre-emphasis coefficient (default 0.97). */
  preemphasisCoefficient?: number;
  /** Subtract each frame's mean first (default true). */
  removeDcOffset?: boolean;
  /** Energy before pre-emphasis and windowing (default true). */
  rawEnergy?: boolean;
  /** Floor on the energy (absolute, not log; default 1.0, 0 = none). */
  energyFloor?: number;
  /** Zero-pad frames to the next power of two (default true). */
  roundToPowerOfTwo?: boolean;
  /** Only whole frames (default true); false centres frames on multiples of the shift with symmetric padding. */
  snipEdges?: boolean;
  /** Window (default 'povey'). */
  windowType?: KaldiWindowType;
  /** Blackman coefficient (default 0.42). */
  blackmanCoeff?: number;
  /** Low cut-off of the mel bins in Hz (default 20). */
  lowFreq?: number;
  /** High cut-off in Hz; <= 0 is an offset from Nyquist (default 0). */
  highFreq?: number;
  /** Add the log energy as an extra feature (first; last with htkCompat). Default false. */
  useEnergy?: boolean;
  /** Log of the filterbank energies (default true). */
  useLogFbank?: boolean;
  /** Power (default true) or magnitude spectrum. */
  usePower?: boolean;
  /** Subtract the mean of each feature over frames (default false). */
  subtractMean?: boolean;
  /** HTK ordering (energy last). Default false. */
  htkCompat?: boolean;
  /** VTLN warp factor; only 1 (no warping) is supported. */
  vtlnWarp?: number;
}

export interface KaldiMfccOptions extends Omit<KaldiFbankOptions, 'useLogFbank' | 'usePower'> {
  /** Number of cepstra, at most numMelBins (default 13). */
  numCeps?: number;
  /** Cepstral lifter Q (default 22; 0 = none). */
  cepstralLifter?: number;
}

const FLT_EPSILON = 1.1920928955078125e-7;

/** Kaldi's cepstral matrix: ortho DCT-II with the cepstral lifter folded into its columns. */
function kaldiDct(numCeps: number, numMelBins: number, lifter: number) {
  const dct = createDct(numCeps, numMelBins, 'ortho');
  return lifter === 0 ? dct : scaleColumns(dct, kaldiLifter(lifter));
}
const WINDOW_TYPES: readonly KaldiWindowType[] = ['hamming', 'hanning', 'povey', 'rectangular', 'blackman'];
/** Kaldi's windows are the symmetric forms of these (povey is symmetric Hann to the 0.85). */
const KALDI_WINDOW_SHAPES: Record<KaldiWindowType, WindowName> = {
  hamming: 'hamming', hanning: 'hann', povey: 'povey', rectangular: 'rectangular', blackman: 'blackman',
};

interface KaldiResolved {
  config: NativeFeatureConfig;
  numMelBins: number;
  useEnergy: boolean;
  htkCompat: boolean;
}

/** Frame geometry in samples, when the caller has it already (the 'kaldi' preset of the STFT family). */
interface KaldiSamples {
  winLength: number;
  hopLength: number;
}

function kaldiBase(o: KaldiFbankOptions, forMfcc: boolean, samples?: KaldiSamples, withMel = true): KaldiResolved {
  if (o === null || typeof o !== 'object') throw typeError('an options object', 'options', o);
  const sr = num(o.sampleFrequency ?? 16000, 'sampleFrequency', { min: 0, exclusiveMin: true });
  let winLength: number, hopLength: number;
  if (samples) {
    ({ winLength, hopLength } = samples);
  } else {
    const frameLengthMs = num(o.frameLengthMs ?? 25, 'frameLengthMs', { min: 0, exclusiveMin: true });
    const frameShiftMs = num(o.frameShiftMs ?? 10, 'frameShiftMs', { min: 0, exclusiveMin: true });
    winLength = Math.trunc(sr * frameLengthMs * 0.001);
    hopLength = Math.trunc(sr * frameShiftMs * 0.001);
    if (hopLength > 2 ** 31 - 1) throw rangeError('a shift of at most 2^31 - 1 samples', 'frameShiftMs', frameShiftMs);
    if (winLength < 2 || winLength > 2 ** 24) throw rangeError('a frame of 2 to 2^24 samples', 'frameLengthMs', frameLengthMs);
    if (hopLength < 1) throw rangeError('a shift of at least 1 sample', 'frameShiftMs', frameShiftMs);
  }
  const dither = num(o.dither ?? 0, 'dither', { min: 0 });
  if (dither !== 0) throw rangeError('0 (dithering is not supported; it would make features random)', 'dither', dither);
  const vtlnWarp = num(o.vtlnWarp ?? 1, 'vtlnWarp');
  if (vtlnWarp !== 1) throw rangeError('1 (VTLN warping is not supported)', 'vtlnWarp', vtlnWarp);
  const preemph = num(o.preemphasisCoefficient ?? 0.97, 'preemphasisCoefficient', { min: 0, max: 1 });
  const removeDc = bool(o.removeDcOffset ?? true, 'removeDcOffset');
  const rawEnergy = bool(o.rawEnergy ?? true, 'rawEnergy');
  const energyFloor = num(o.energyFloor ?? 1, 'energyFloor', { min: 0 });
  const pow2 = bool(o.roundToPowerOfTwo ?? true, 'roundToPowerOfTwo');
  const snipEdges = bool(o.snipEdges ?? true, 'snipEdges');
  const windowType = oneOf(o.windowType ?? 'povey', 'windowType', WINDOW_TYPES);
  const blackmanCoeff = num(o.blackmanCoeff ?? 0.42, 'blackmanCoeff');
  const numMelBins = int(o.numMelBins ?? 23, 'numMelBins', 3);
  const lowFreq = num(o.lowFreq ?? 20, 'lowFreq', { min: 0 });
  const highFreq = num(o.highFreq ?? 0, 'highFreq');
  const useEnergy = bool(o.useEnergy ?? false, 'useEnergy');
  if (forMfcc) {
    for (const key of ['useLogFbank', 'usePower'] as const) {
      if (o[key] !== undefined) throw rangeError('undefined (KaldiMfcc always uses the log power filterbank)', key, o[key]);
    }
  }
  const useLogFbank = forMfcc ? true : bool(o.useLogFbank ?? true, 'useLogFbank');
  const usePower = forMfcc ? true : bool(o.usePower ?? true, 'usePower');
  const subtractMean = bool(o.subtractMean ?? false, 'subtractMean');
  const htkCompat = bool(o.htkCompat ?? false, 'htkCompat');

  let padded = winLength;
  if (pow2) {
    padded = 1;
    while (padded < winLength) padded *= 2;
  }
  const window = makeWindow(KALDI_WINDOW_SHAPES[windowType], winLength, { periodic: false, blackmanCoeff });
  const banks = withMel ? kaldiMelBanks(numMelBins, padded, sr, lowFreq, highFreq) : undefined;
  const config: NativeFeatureConfig = {
    frameRule: snipEdges ? 'kaldiSnip' : 'kaldiNoSnip',
    frameLength: winLength,
    nFft: padded,
    hopLength,
    padMode: 'symmetric',
    leftPad: snipEdges ? 0 : Math.floor(winLength / 2) - Math.floor(hopLength / 2),
    window,
    removeDc,
    preemphasis: preemph,
    energy: useEnergy ? (rawEnergy ? 'raw' : 'windowed') : 'none',
    logEnergyFloor: energyFloor > 0 ? Math.log(energyFloor) : -Infinity,
    power: usePower ? 2 : 1,
    ...(banks ? { nMels: numMelBins, fbank: banks.data } : {}),
    ...(useLogFbank ? { log: true, logScale: 1, logFloor: FLT_EPSILON } : {}),
    subtractMean,
    framesFirst: true,
  };
  return { config, numMelBins, useEnergy, htkCompat };
}

/** Kaldi filterbank features (frames, numMelBins [+1 with useEnergy]). */
export class KaldiFbank extends FeatureTransform {
  constructor(options: KaldiFbankOptions = {}) {
    const r = kaldiBase(options, false);
    super({
      ...r.config,
      energyColumn: r.useEnergy ? 'prepend' : 'none',
      moveFirstLast: r.useEnergy && r.htkCompat,
    });
  }
}

/** Kaldi MFCC (frames, numCeps). */
export class KaldiMfcc extends FeatureTransform {
  constructor(options: KaldiMfccOptions = {}) {
    const r = kaldiBase(options, true);
    const numCeps = int(options.numCeps ?? 13, 'numCeps', 1, r.numMelBins);
    const dct = kaldiDct(numCeps, r.numMelBins, num(options.cepstralLifter ?? 22, 'cepstralLifter', { min: 0 }));
    super({
      ...r.config,
      nOut: numCeps,
      dct: dct.data,
      energyColumn: r.useEnergy ? 'replaceFirst' : 'none',
      moveFirstLast: r.htkCompat,
      movedScale: r.useEnergy ? 1 : Math.SQRT2,
    });
  }
}

/** The STFT-family options the 'kaldi' preset understands, in torchaudio's names. */
export interface KaldiPresetOptions {
  sampleRate?: number;
  nFft?: number;
  winLength?: number;
  hopLength?: number;
  window?: unknown;
  center?: boolean;
  power?: number | null;
  nMels?: number;
  fMin?: number;
  fMax?: number;
  nMfcc?: number;
  lifter?: number;
  melkwargs?: KaldiPresetOptions;
  [key: string]: unknown;
}

const KALDI_WINDOWS: Record<string, KaldiWindowType> = {
  povey: 'povey', hamming: 'hamming', hann: 'hanning', rectangular: 'rectangular', blackman: 'blackman',
};

/**
 * The 'kaldi' preset of Spectrogram / MelSpectrogram / LogMelSpectrogram / MFCC:
 * torchaudio.compliance.kaldi's computation (DC removal, pre-emphasis 0.97,
 * povey window, power-of-two FFT, Kaldi mel banks, natural log) under the STFT
 * family's option names, with output features x frames. Options:
 * sampleRate (16000), winLength (25 ms), hopLength (10 ms), nFft (next power of
 * two >= winLength, or winLength), window, center (false = Kaldi's snip_edges),
 * power (2 or 1), nMels (23), fMin (20), fMax (0 = Nyquist; < 0 counts back),
 * nMfcc (13), lifter (22). Everything else belongs to KaldiFbank / KaldiMfcc.
 */
export function kaldiPresetConfig(o: KaldiPresetOptions, kind: 'spectrogram' | 'mel' | 'logmel' | 'mfcc'): NativeFeatureConfig {
  const mel: KaldiPresetOptions = kind === 'mfcc' ? (o.melkwargs ?? {}) : o;
  if (mel === null || typeof mel !== 'object') throw typeError('an options object', 'melkwargs', mel);
  const frame = ['nFft', 'winLength', 'hopLength', 'window', 'center', 'power', ...(kind === 'spectrogram' ? [] : ['nMels', 'fMin', 'fMax'])];
  // MFCC takes frame and mel options in melkwargs, as torchaudio's MFCC does.
  const top = kind === 'mfcc' ? ['preset', 'sampleRate', 'nMfcc', 'lifter', 'melkwargs'] : ['preset', 'sampleRate', ...frame];
  const check = (source: KaldiPresetOptions, allowed: string[], where: string) => {
    for (const [key, value] of Object.entries(source)) {
      if (value !== undefined && !allowed.includes(key)) {
        throw rangeError("undefined with preset 'kaldi' (use KaldiFbank / KaldiMfcc for the full Kaldi options)", `${where}${key}`, value);
      }
    }
  };
  check(o, top, '');
  if (kind === 'mfcc') check(mel, frame, 'melkwargs.');
  const sr = num(o.sampleRate ?? 16000, 'sampleRate', { min: 0, exclusiveMin: true });
  const winLength = int(mel.winLength ?? Math.trunc(sr * 0.025), 'winLength', 2, 2 ** 23);
  const hopLength = int(mel.hopLength ?? Math.trunc(sr * 0.01), 'hopLength', 1, 2 ** 31 - 1);
  let pow2 = 1;
  while (pow2 < winLength) pow2 *= 2;
  const nFft = int(mel.nFft ?? pow2, 'nFft', winLength);
  if (nFft !== pow2 && nFft !== winLength) throw rangeError(`winLength (${winLength}) or the next power of two (${pow2})`, 'nFft', nFft);
  const window = mel.window ?? 'povey';
  if (typeof window !== 'string' || !(window in KALDI_WINDOWS)) {
    throw rangeError("one of 'povey' | 'hamming' | 'hann' | 'rectangular' | 'blackman'", 'window', window);
  }
  const power = mel.power === undefined ? 2 : mel.power;
  if (power !== 1 && power !== 2) throw rangeError('1 or 2', 'power', power);
  const r = kaldiBase(
    {
      sampleFrequency: sr,
      roundToPowerOfTwo: nFft !== winLength,
      snipEdges: !bool(mel.center ?? false, 'center'),
      windowType: KALDI_WINDOWS[window],
      numMelBins: kind === 'spectrogram' ? 23 : int(mel.nMels ?? 23, 'nMels', 3),
      lowFreq: mel.fMin ?? 20,
      highFreq: mel.fMax ?? 0,
      usePower: power === 2,
      useLogFbank: kind === 'logmel' || kind === 'mfcc',
    },
    false,
    { winLength, hopLength },
    kind !== 'spectrogram',
  );
  const config: NativeFeatureConfig = { ...r.config, framesFirst: false };
  if (kind === 'mfcc') {
    const numCeps = int(o.nMfcc ?? 13, 'nMfcc', 1, r.numMelBins);
    const dct = kaldiDct(numCeps, r.numMelBins, num(o.lifter ?? 22, 'lifter', { min: 0 }));
    return { ...config, nOut: numCeps, dct: dct.data };
  }
  return config;
}
