/**
 * Spectrogram, MelSpectrogram and LogMelSpectrogram with torchaudio's names,
 * defaults (torchaudio 0.13) and presets for librosa and Whisper conventions.
 */
import type { NativeFeatureConfig } from '../native/binding.js';
import type { Tensor } from '../tensor.js';
import { bool, int, num, oneOf, rangeError, typeError } from '../validate.js';
import { makeWindow, WINDOW_NAMES, type WindowName } from '../dsp/windows.js';
import { FeatureTransform } from './engine.js';
import { kaldiPresetConfig, type KaldiPresetOptions } from './kaldi.js';
import { melscaleFbanks, type MelNorm, type MelScale } from './mel.js';

export type Preset = 'torchaudio' | 'librosa' | 'kaldi' | 'whisper';
export type PadMode = 'reflect' | 'constant' | 'replicate' | 'circular';
export const PRESETS: readonly Preset[] = ['torchaudio', 'librosa', 'kaldi', 'whisper'];

export interface SpectrogramOptions {
  /**
   * Which library's defaults to start from: 'torchaudio' (default; torchaudio 0.13),
   * 'librosa' (22.05 kHz, nFft 2048, hop winLength/4, constant padding, Slaney mel),
   * 'whisper' (16 kHz, nFft 400, hop 160, 80 Slaney mels, last frame dropped),
   * 'kaldi' (torchaudio.compliance.kaldi's computation in these option names, output
   * features x frames; see kaldiPresetConfig and KaldiFbank / KaldiMfcc for every Kaldi option).
   */
  preset?: Preset;
  /** FFT size (>= 1). torchaudio 400, librosa 2048. */
  nFft?: number;
  /** Window length, 1..nFft (default nFft); a shorter window is zero-padded to nFft, centred. */
  winLength?: number;
  /** Hop between frames in samples (default winLength/2; librosa winLength/4). */
  hopLength?: number;
  /** Zeros added to both ends of the signal before framing (default 0). */
  pad?: number;
  /** Window name or explicit window values of length winLength (default 'hann'). */
  window?: WindowName | Float32Array;
  /** Periodic (default) or symmetric window. */
  periodic?: boolean;
  /** Kaiser window beta (default 12, as torch.kaiser_window). */
  beta?: number;
  /** Exponent of the magnitude: 2 power (default), 1 magnitude, null complex output (F, T, 2). */
  power?: number | null;
  /** false (default), true/'window' divides by sqrt(sum w^2), 'frame_length' by sqrt(nFft). */
  normalized?: boolean | 'window' | 'frame_length';
  /** Pad nFft/2 on both sides so frame t is centred on sample t*hop (default true). */
  center?: boolean;
  /** Padding used when center is true: 'reflect' (default), 'constant' (librosa >= 0.9), 'replicate', 'circular'. */
  padMode?: PadMode;
  /** Return nFft/2+1 bins (default) or all nFft bins. */
  onesided?: boolean;
}

export interface MelOptions {
  /** Sample rate in Hz (torchaudio 16000, librosa 22050). */
  sampleRate?: number;
  /** Lowest filter edge in Hz (default 0). */
  fMin?: number;
  /** Highest filter edge in Hz (default sampleRate//2), at most sampleRate/2. */
  fMax?: number;
  /** Number of mel filters (torchaudio 128, Whisper 80). */
  nMels?: number;
  /** null (torchaudio default) or 'slaney' area normalisation (librosa default). */
  norm?: MelNorm;
  /** 'htk' (torchaudio default) or 'slaney' (librosa default). */
  melScale?: MelScale;
  /** Bin centre frequencies: 'linspace' (torchaudio) or 'rfftfreq' (librosa); they differ for odd nFft or odd rates. */
  binFrequencies?: 'linspace' | 'rfftfreq';
}

export interface MelSpectrogramOptions extends SpectrogramOptions, MelOptions {}

export interface LogMelSpectrogramOptions extends MelSpectrogramOptions {
  /** 'power' (default: 10 log10) or 'magnitude' (20 log10) input. */
  stype?: 'power' | 'magnitude';
  /** Clamp to max - topDb over the whole output (default 80; null for none). Ignored by the Whisper preset. */
  topDb?: number | null;
  /** Floor before the log (default 1e-10). */
  amin?: number;
  /** Reference value: dB relative to ref (default 1). */
  ref?: number;
}

type Resolved = Required<Omit<SpectrogramOptions, 'power' | 'window'>> & {
  power: number | null;
  window: WindowName | Float32Array;
  dropLast: number;
};
type ResolvedMel = Resolved & Required<MelOptions>;

export const PAD_MODES: readonly PadMode[] = ['reflect', 'constant', 'replicate', 'circular'];

function presetOf(options: { preset?: Preset }): Preset {
  return oneOf(options.preset ?? 'torchaudio', 'preset', PRESETS);
}

/** True when the options ask for the 'kaldi' preset (served by kaldiPresetConfig). */
export function isKaldi(options: { preset?: Preset } | null | undefined): boolean {
  if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
  return presetOf(options) === 'kaldi';
}

export function resolveSpectrogram(o: SpectrogramOptions): Resolved {
  if (o === null || typeof o !== 'object') throw typeError('an options object', 'options', o);
  const preset = presetOf(o);
  const nFft = int(o.nFft ?? (preset === 'librosa' ? 2048 : 400), 'nFft', 1, 1 << 24);
  const winLength = int(o.winLength ?? nFft, 'winLength', 1, nFft);
  const defaultHop = preset === 'whisper' ? 160 : Math.max(1, Math.floor(winLength / (preset === 'librosa' ? 4 : 2)));
  const hopLength = int(o.hopLength ?? defaultHop, 'hopLength', 1, 2 ** 31 - 1);
  const pad = int(o.pad ?? 0, 'pad', 0, 2 ** 30);
  const window = o.window ?? 'hann';
  if (window instanceof Float32Array) {
    if (window.length !== winLength) throw rangeError(`a Float32Array of length winLength (${winLength})`, 'window', window);
  } else {
    oneOf(window, 'window', WINDOW_NAMES);
  }
  const power = o.power === undefined ? 2 : o.power === null ? null : num(o.power, 'power', { min: 0, exclusiveMin: true });
  const normalized = o.normalized ?? false;
  if (![true, false, 'window', 'frame_length'].includes(normalized as never)) {
    const err = typeof normalized === 'string' ? rangeError : typeError;
    throw err("one of false | true | 'window' | 'frame_length'", 'normalized', normalized);
  }
  return {
    preset,
    nFft,
    winLength,
    hopLength,
    pad,
    window,
    periodic: bool(o.periodic ?? true, 'periodic'),
    beta: num(o.beta ?? 12, 'beta', { min: 0 }),
    power,
    normalized,
    center: bool(o.center ?? true, 'center'),
    padMode: oneOf(o.padMode ?? (preset === 'librosa' ? 'constant' : 'reflect'), 'padMode', PAD_MODES),
    onesided: bool(o.onesided ?? true, 'onesided'),
    dropLast: preset === 'whisper' ? 1 : 0,
  };
}

export function resolveMel(o: MelSpectrogramOptions): ResolvedMel {
  const base = resolveSpectrogram(o);
  if (!base.onesided) throw rangeError('true (a mel filterbank needs a onesided spectrum)', 'onesided', o.onesided);
  if (base.power === null) throw rangeError('a positive number (mel needs a real spectrum)', 'power', null);
  const slaney = base.preset !== 'torchaudio';
  const sampleRate = num(o.sampleRate ?? (base.preset === 'librosa' ? 22050 : 16000), 'sampleRate', { min: 0, exclusiveMin: true });
  const fMin = num(o.fMin ?? 0, 'fMin', { min: 0 });
  // torchaudio: float(sample_rate // 2); librosa and Whisper (librosa filters): sr / 2.
  const fMax = o.fMax ?? (slaney ? sampleRate / 2 : Math.floor(sampleRate / 2));
  num(fMax, 'fMax', { min: 0, max: sampleRate / 2 });
  return {
    ...base,
    sampleRate,
    fMin,
    fMax,
    nMels: int(o.nMels ?? (base.preset === 'whisper' ? 80 : 128), 'nMels', 1),
    norm: oneOf(o.norm === undefined ? (slaney ? 'slaney' : null) : o.norm, 'norm', ['slaney', null] as const),
    melScale: oneOf(o.melScale ?? (slaney ? 'slaney' : 'htk'), 'melScale', ['htk', 'slaney'] as const),
    binFrequencies: oneOf(o.binFrequencies ?? (slaney ? 'rfftfreq' : 'linspace'), 'binFrequencies', ['linspace', 'rfftfreq'] as const),
  };
}

/** The framing and spectrum part of a native config. */
export function stftConfig(r: Resolved): NativeFeatureConfig {
  const values = r.window instanceof Float32Array ? r.window : makeWindow(r.window, r.winLength, { periodic: r.periodic, beta: r.beta });
  const window = new Float32Array(values);
  let scale = 1;
  if (r.normalized === true || r.normalized === 'window') {
    let sumsq = 0;
    for (const w of values) sumsq += w * w;
    scale = 1 / Math.sqrt(sumsq);
  } else if (r.normalized === 'frame_length') {
    scale = 1 / Math.sqrt(r.nFft);
  }
  if (scale !== 1) for (let i = 0; i < window.length; i++) window[i]! *= scale;
  return {
    frameRule: r.center ? 'torchCenter' : 'torchNoCenter',
    frameLength: r.nFft,
    nFft: r.nFft,
    hopLength: r.hopLength,
    zeroPad: r.pad,
    padMode: r.padMode,
    leftPad: r.center ? Math.floor(r.nFft / 2) : 0,
    dropLast: r.dropLast,
    winOffset: Math.floor((r.nFft - r.winLength) / 2),
    window,
    complex: r.power === null,
    power: r.power ?? 2,
    onesided: r.onesided,
  };
}

export function melConfig(r: ResolvedMel): { config: NativeFeatureConfig; fbanks: Tensor } {
  const fbanks = melscaleFbanks({
    nFreqs: Math.floor(r.nFft / 2) + 1,
    fMin: r.fMin,
    fMax: r.fMax,
    nMels: r.nMels,
    sampleRate: r.sampleRate,
    norm: r.norm,
    melScale: r.melScale,
    binFrequencies: r.binFrequencies,
    nFft: r.nFft,
  });
  return { config: { ...stftConfig(r), nMels: r.nMels, fbank: fbanks.data }, fbanks };
}

/** Log settings for y = scale*ln(max(x, amin)) - multiplier*log10(max(amin, ref)). */
export function dbLog(stype: 'power' | 'magnitude', amin: number, ref: number): Partial<NativeFeatureConfig> {
  const multiplier = stype === 'power' ? 10 : 20;
  return {
    log: true,
    logScale: multiplier / Math.LN10,
    logFloor: amin,
    logOffset: -multiplier * Math.log10(Math.max(amin, ref)),
  };
}

/** Spectrogram of a mono signal: (F, T) power/magnitude, or (F, T, 2) complex when power is null. */
export class Spectrogram extends FeatureTransform {
  /** The resolved options (for preset 'kaldi': the options as given). */
  readonly options: Readonly<Resolved> | Readonly<SpectrogramOptions>;
  constructor(options: SpectrogramOptions = {}) {
    if (isKaldi(options)) {
      super(kaldiPresetConfig(options as KaldiPresetOptions, 'spectrogram'));
      this.options = Object.freeze({ ...options });
      return;
    }
    const r = resolveSpectrogram(options);
    super(stftConfig(r));
    this.options = Object.freeze(r);
  }
}

type ResolvedLogMel = ResolvedMel & { stype: 'power' | 'magnitude'; topDb: number | null; amin: number; ref: number };

/** The native config, filterbank and resolved options of a mel or log-mel transform, for every preset. */
function buildMel(options: LogMelSpectrogramOptions, log: boolean) {
  if (isKaldi(options)) {
    const config = kaldiPresetConfig(options as KaldiPresetOptions, log ? 'logmel' : 'mel');
    const fbanks: Tensor = { data: config.fbank!, shape: [config.nFft / 2 + 1, config.nMels!] };
    return { config, fbanks, resolved: { ...options } as Readonly<ResolvedLogMel> | Readonly<LogMelSpectrogramOptions> };
  }
  const r = resolveMel(options);
  const { config, fbanks } = melConfig(r);
  if (!log) return { config, fbanks, resolved: r };
  if (r.preset === 'whisper') {
    for (const key of ['stype', 'topDb', 'amin', 'ref'] as const) {
      if (options[key] !== undefined) throw rangeError("undefined (the 'whisper' preset fixes its own log scaling)", key, options[key]);
    }
  }
  const stype = oneOf(options.stype ?? 'power', 'stype', ['power', 'magnitude'] as const);
  const topDb = options.topDb === undefined ? 80 : options.topDb === null ? null : num(options.topDb, 'topDb', { min: 0 });
  // At least FLT_MIN: the floor is applied in float32, and a subnormal floor has no logarithm there.
  const amin = num(options.amin ?? 1e-10, 'amin', { min: 1.1754943508222875e-38 });
  const ref = num(options.ref ?? 1, 'ref', { min: 0, exclusiveMin: true });
  const logConfig: Partial<NativeFeatureConfig> =
    r.preset === 'whisper'
      ? { log: true, logScale: 1 / Math.LN10, logFloor: 1e-10, topDb: 8, postScale: 0.25, postOffset: 1 }
      : { ...dbLog(stype, amin, ref), ...(topDb === null ? {} : { topDb }) };
  const resolved: ResolvedLogMel = { ...r, stype, topDb: r.preset === 'whisper' ? 8 : topDb, amin, ref };
  return { config: { ...config, ...logConfig }, fbanks, resolved };
}

/** Mel spectrogram (nMels, T): the power spectrogram projected on a triangular filterbank. */
export class MelSpectrogram extends FeatureTransform {
  /** The resolved options (for preset 'kaldi': the options as given). */
  readonly options: Readonly<ResolvedMel> | Readonly<MelSpectrogramOptions>;
  /** The filterbank used, (nFft/2+1, nMels). */
  readonly fbanks: Tensor;
  constructor(options: MelSpectrogramOptions = {}) {
    const built = buildMel(options, false);
    super(built.config);
    this.options = Object.freeze(built.resolved);
    this.fbanks = built.fbanks;
  }
}

/**
 * Log-mel spectrogram in one native pass: MelSpectrogram followed by
 * AmplitudeToDB (topDb 80 by default, over the whole output). With preset
 * 'whisper' it computes Whisper's log-mel instead: log10(max(mel, 1e-10)),
 * clamped to max - 8, then (x + 4) / 4, with the last frame dropped.
 */
export class LogMelSpectrogram extends FeatureTransform {
  /** The resolved options (for preset 'kaldi': the options as given). */
  readonly options: Readonly<ResolvedLogMel> | Readonly<LogMelSpectrogramOptions>;
  /** The filterbank used, (nFft/2+1, nMels). */
  readonly fbanks: Tensor;
  constructor(options: LogMelSpectrogramOptions = {}) {
    const built = buildMel(options, true);
    super(built.config);
    this.options = Object.freeze(built.resolved);
    this.fbanks = built.fbanks;
  }
}

