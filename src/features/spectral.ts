/**
 * Per-frame spectral features as librosa (>= 0.10) defines them: spectral centroid, bandwidth, rolloff,
 * flatness and contrast of the magnitude STFT, and the zero-crossing rate and RMS of the framed signal,
 * computed natively in one blocked pass. Every formula is in docs/features.md, "Spectral features (per frame)".
 */
import { awaitNative, callNative } from '../errors.js';
import type { NativeSpectralConfig, NativeSpectralPlan, NativeSpectralResult } from '../native/binding.js';
import { native } from '../native/load.js';
import type { Tensor } from '../tensor.js';
import { bool, float32, int, num, oneOf, rangeError, threadsOption, typeError } from '../validate.js';

/** The features SpectralFeatures can compute (librosa's function names without the `spectral_` prefix). */
export type SpectralFeatureName = 'centroid' | 'bandwidth' | 'rolloff' | 'flatness' | 'contrast' | 'zcr' | 'rms';

const NAMES: readonly SpectralFeatureName[] = ['centroid', 'bandwidth', 'rolloff', 'flatness', 'contrast', 'zcr', 'rms'];

/** librosa.feature.spectral_contrast's options. */
export interface SpectralContrastOptions {
  /** Upper edge of the lowest band, Hz (> 0; default 200, librosa `fmin`). Bands: [0, fMin], [fMin, 2 fMin], … */
  fMin?: number;
  /** Octave bands above the first (integer 1–64; default 6, librosa `n_bands`); the output has nBands + 1 rows. */
  nBands?: number;
  /** Share of each band's bins averaged for its peak and its valley (0 < q < 1; default 0.02, librosa `quantile`). */
  quantile?: number;
  /** true: peak − valley in magnitude units; false (default, librosa `linear=False`): dB difference. */
  linear?: boolean;
  /**
   * power_to_db's top_db, applied as librosa does to the peaks and the valleys separately: each is clamped at its
   * maximum over the whole clip minus topDb, so contrast depends on the whole clip (default 80; null: no clamp).
   */
  topDb?: number | null;
}

export interface SpectralFeaturesOptions {
  /** Sample rate of the input, Hz (integer ≥ 1; default 22050, librosa's `sr` default): sets the bin frequencies. */
  sampleRate?: number;
  /** FFT length, samples (integer 2–2^20; default 2048, librosa `n_fft`). Frequencies are k · sampleRate / nFft. */
  nFft?: number;
  /** Hop between frames, samples (integer ≥ 1; default 512, librosa `hop_length`); shared by every feature. */
  hopLength?: number;
  /** Periodic Hann window length, centred in the nFft frame (integer 1–nFft; default nFft, librosa `win_length`). */
  winLength?: number;
  /**
   * true (default, librosa `center=True`): frame t is centred on sample t · hopLength; the spectrum and RMS pad
   * with zeros (librosa ≥ 0.10 `pad_mode='constant'`), the zero-crossing rate repeats the edge samples (librosa
   * pads `edge`). false: frame t starts at sample t · hopLength, and the signal must hold one frame.
   */
  center?: boolean;
  /** Frame length of `zcr` and `rms`, samples (integer ≥ 1; default nFft, librosa `frame_length` 2048). */
  frameLength?: number;
  /** Which features to compute (default all seven); the result has a tensor for each. */
  features?: readonly SpectralFeatureName[];
  /** Rolloff percentage: the first bin whose cumulative magnitude reaches it (0 < p < 1; default 0.85, librosa `roll_percent`). */
  rollPercent?: number;
  /** Flatness floor on |X|^flatnessPower (> 0; default 1e-10, librosa `amin`). */
  flatnessAmin?: number;
  /** Flatness exponent of the magnitude (> 0; default 2: power spectrum, librosa `power`). */
  flatnessPower?: number;
  /** Spectral contrast options. */
  contrast?: SpectralContrastOptions;
  /** Zero-crossing rate: samples with |x| ≤ this count as zero, i.e. positive (≥ 0; default 1e-10, librosa `threshold`). */
  zcrThreshold?: number;
}

/**
 * One clip's features: `[1, T]` tensors (`contrast`: `[nBands + 1, T]`), T the number of frames; only the
 * requested features are present. Values: centroid, bandwidth, rolloff in Hz; flatness 0–1; contrast in dB
 * (or magnitude units when linear); zcr crossings per sample; rms in signal units.
 */
export type SpectralFeatureResult = { [K in SpectralFeatureName]?: Tensor };

export interface SpectralComputeOptions {
  /** Threads for this call, at most the global cap (default: the global cap, see setNumThreads). */
  threads?: number;
}

function positive(value: unknown, option: string): number {
  return num(value, option, { min: 0, exclusiveMin: true });
}

function unitInterval(value: unknown, option: string): number {
  const v = num(value, option, { min: 0, max: 1, exclusiveMin: true });
  if (v >= 1) throw rangeError('a finite number > 0 and < 1', option, value);
  return v;
}

/**
 * Checks librosa's conditions on the contrast bands: every band edge below the top one under Nyquist, and every
 * band holding an FFT bin (the lowest band two, since its top bin is left out).
 */
function checkContrastBands(sampleRate: number, nFft: number, fMin: number, nBands: number): void {
  if (fMin * 2 ** (nBands - 1) >= sampleRate / 2) {
    throw rangeError(`contrast.fMin · 2^(nBands − 1) below the Nyquist frequency ${sampleRate / 2} Hz (nBands ${nBands})`, 'contrast.fMin', fMin);
  }
  const bins = Math.floor(nFft / 2) + 1;
  const val = 1 / (nFft * (1 / sampleRate));
  for (let k = 0; k <= nBands; k++) {
    const lo = k === 0 ? 0 : fMin * 2 ** (k - 1);
    const hi = fMin * 2 ** k;
    let inside = 0;
    for (let b = 0; b < bins; b++) if (b * val >= lo && b * val <= hi) inside++;
    if (inside === 0 || (k === 0 && inside < 2)) {
      throw rangeError(`a contrast.fMin of at least one FFT bin (${val} Hz at nFft ${nFft}) so every band holds bins`, 'contrast.fMin', fMin);
    }
  }
}

interface Resolved {
  config: NativeSpectralConfig;
  features: SpectralFeatureName[];
  contrastRows: number;
}

function resolve(options: SpectralFeaturesOptions): Resolved {
  if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
  const sampleRate = int(options.sampleRate ?? 22050, 'sampleRate', 1, 2 ** 31 - 1);
  const nFft = int(options.nFft ?? 2048, 'nFft', 2, 1 << 20);
  const hop = int(options.hopLength ?? 512, 'hopLength', 1, 1 << 24);
  const winLength = int(options.winLength ?? nFft, 'winLength', 1, nFft);
  const center = bool(options.center ?? true, 'center');
  const frameLength = int(options.frameLength ?? nFft, 'frameLength', 1, 1 << 24);
  const list = options.features ?? NAMES;
  if (!Array.isArray(list)) throw typeError('an array of feature names', 'features', list);
  if (list.length === 0) throw rangeError('at least one feature name', 'features', list);
  const chosen = new Set(list.map((name, i) => oneOf(name, `features[${i}]`, NAMES)));
  const features = NAMES.filter((name) => chosen.has(name)); // in the core's order
  const c = options.contrast ?? {};
  if (c === null || typeof c !== 'object') throw typeError('an options object', 'contrast', c);
  const fMin = positive(c.fMin ?? 200, 'contrast.fMin');
  const nBands = int(c.nBands ?? 6, 'contrast.nBands', 1, 64);
  const quantile = unitInterval(c.quantile ?? 0.02, 'contrast.quantile');
  const linear = bool(c.linear ?? false, 'contrast.linear');
  const topDb = c.topDb === null ? -1 : num(c.topDb ?? 80, 'contrast.topDb', { min: 0 });
  if (chosen.has('contrast')) checkContrastBands(sampleRate, nFft, fMin, nBands);
  const config: NativeSpectralConfig = {
    sampleRate,
    nFft,
    hopLength: hop,
    winLength,
    center,
    frameLength,
    features,
    rollPercent: unitInterval(options.rollPercent ?? 0.85, 'rollPercent'),
    flatnessAmin: positive(options.flatnessAmin ?? 1e-10, 'flatnessAmin'),
    flatnessPower: positive(options.flatnessPower ?? 2, 'flatnessPower'),
    contrastFmin: fMin,
    contrastBands: nBands,
    contrastQuantile: quantile,
    contrastLinear: linear,
    contrastTopDb: topDb,
    zcrThreshold: num(options.zcrThreshold ?? 1e-10, 'zcrThreshold', { min: 0 }),
  };
  return { config, features, contrastRows: nBands + 1 };
}

function framesFor(length: number, frame: number, hop: number, center: boolean): number {
  if (length <= 0) return 0;
  if (center) return Math.max(0, 1 + Math.floor((length + 2 * Math.floor(frame / 2) - frame) / hop));
  return length < frame ? 0 : 1 + Math.floor((length - frame) / hop);
}

/**
 * librosa's per-frame spectral features as one transform: configure once, then `compute(samples)` gives
 * `{ centroid: Tensor [1, T], …, contrast: Tensor [nBands + 1, T] }`. NaN/Inf samples read as 0.
 *
 * ```ts
 * const sf = new SpectralFeatures({ sampleRate: 16000, features: ['centroid', 'rolloff', 'contrast'] });
 * const { centroid, contrast } = sf.compute(samples);
 * ```
 */
export class SpectralFeatures {
  /** The features this transform computes, in output order. */
  readonly features: readonly SpectralFeatureName[];
  /** @internal */
  private readonly plan: NativeSpectralPlan;
  /** @internal */
  private readonly cfg: NativeSpectralConfig;
  /** @internal */
  private readonly contrastRows: number;

  constructor(options: SpectralFeaturesOptions = {}) {
    const r = resolve(options);
    this.cfg = r.config;
    this.features = r.features;
    this.contrastRows = r.contrastRows;
    this.plan = callNative(() => new (native().SpectralPlan)(r.config));
  }

  /** Frames of the spectral features (centroid … contrast) for a signal of `length` samples (0 for 0). */
  numFrames(length: number): number {
    return framesFor(int(length, 'length', 0), this.cfg.nFft, this.cfg.hopLength, this.cfg.center);
  }

  /** Frames of `zcr` and `rms` (frames of frameLength) for a signal of `length` samples. */
  numTimeFrames(length: number): number {
    return framesFor(int(length, 'length', 0), this.cfg.frameLength, this.cfg.hopLength, this.cfg.center);
  }

  /** Features of one clip, on the calling thread (fans out over frames on the native pool). */
  compute(samples: Float32Array, options: SpectralComputeOptions = {}): SpectralFeatureResult {
    const x = this.checkInput(samples, 'samples');
    const threads = threadsOption(options?.threads);
    return this.wrap(callNative(() => this.plan.compute([x], { threads }, false))[0]!);
  }

  /** compute off the event loop. */
  async computeAsync(samples: Float32Array, options: SpectralComputeOptions = {}): Promise<SpectralFeatureResult> {
    const x = this.checkInput(samples, 'samples');
    const threads = threadsOption(options?.threads);
    return this.wrap((await awaitNative(() => this.plan.compute([x], { threads }, true)))[0]!);
  }

  /** Features of many clips in one call (one clip per thread when there are enough), off the event loop. */
  async computeBatchAsync(inputs: readonly Float32Array[], options: SpectralComputeOptions = {}): Promise<SpectralFeatureResult[]> {
    const xs = this.checkBatch(inputs);
    const threads = threadsOption(options?.threads);
    return (await awaitNative(() => this.plan.compute(xs, { threads }, true))).map((r) => this.wrap(r));
  }

  /** computeBatchAsync on the calling thread (blocks the event loop; fans out on the native pool). */
  computeBatch(inputs: readonly Float32Array[], options: SpectralComputeOptions = {}): SpectralFeatureResult[] {
    const xs = this.checkBatch(inputs);
    const threads = threadsOption(options?.threads);
    return callNative(() => this.plan.compute(xs, { threads }, false)).map((r) => this.wrap(r));
  }

  private checkBatch(inputs: readonly Float32Array[]): Float32Array[] {
    if (!Array.isArray(inputs)) throw typeError('an array of Float32Array', 'inputs', inputs);
    return inputs.map((x, i) => this.checkInput(x, `inputs[${i}]`));
  }

  private checkInput(value: unknown, option: string): Float32Array {
    const x = float32(value, option);
    const buf = x.buffer as ArrayBufferLike & { resizable?: boolean; growable?: boolean };
    if (buf.resizable === true || buf.growable === true) {
      throw typeError('a Float32Array on a fixed-length buffer (not resizable or growable)', option, x);
    }
    if (!this.cfg.center && x.length > 0) {
      const spectral = this.features.some((f) => f !== 'zcr' && f !== 'rms');
      const time = this.features.includes('zcr') || this.features.includes('rms');
      const need = Math.max(spectral ? this.cfg.nFft : 0, time ? this.cfg.frameLength : 0);
      if (x.length < need) throw rangeError(`a signal of at least ${need} samples (one frame; center is false)`, option, x);
    }
    return x;
  }

  private wrap(r: NativeSpectralResult): SpectralFeatureResult {
    const out: SpectralFeatureResult = {};
    for (const name of this.features) {
      const data = r[name]!;
      const time = name === 'zcr' || name === 'rms';
      const rows = name === 'contrast' ? this.contrastRows : 1;
      out[name] = { data, shape: [rows, time ? r.timeFrames : r.frames] };
    }
    return out;
  }
}

/**
 * The options of the single-feature functions (`features` is implied); `threads` as in
 * SpectralFeatures.compute.
 */
export type SpectralFeatureOptions = Omit<SpectralFeaturesOptions, 'features'> & SpectralComputeOptions;

const cache = new Map<string, SpectralFeatures>();

/** The cached one-feature transform for these options, and the call's thread count. */
function single(name: SpectralFeatureName, options: SpectralFeatureOptions): [SpectralFeatures, SpectralComputeOptions] {
  if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
  const { threads, ...config } = options;
  const key = `${name}:${JSON.stringify(config)}`;
  let sf = cache.get(key);
  if (!sf) {
    sf = new SpectralFeatures({ ...config, features: [name] });
    if (cache.size > 32) cache.clear();
    cache.set(key, sf);
  }
  return [sf, threads === undefined ? {} : { threads }];
}

function singleSync(name: SpectralFeatureName, samples: Float32Array, options: SpectralFeatureOptions): Tensor {
  const [sf, call] = single(name, options);
  return sf.compute(samples, call)[name]!;
}

async function singleAsync(name: SpectralFeatureName, samples: Float32Array, options: SpectralFeatureOptions): Promise<Tensor> {
  const [sf, call] = single(name, options);
  return (await sf.computeAsync(samples, call))[name]!;
}

/** librosa.feature.spectral_centroid: Σ f_k S_k / Σ S_k per frame, Hz, `[1, T]` (silent frames 0); off the event loop. */
export function spectralCentroid(samples: Float32Array, options: SpectralFeatureOptions = {}): Promise<Tensor> {
  return singleAsync('centroid', samples, options);
}

/** spectralCentroid on the calling thread. */
export function spectralCentroidSync(samples: Float32Array, options: SpectralFeatureOptions = {}): Tensor {
  return singleSync('centroid', samples, options);
}

/** librosa.feature.spectral_bandwidth (p = 2, normalised): √(Σ Ŝ_k (f_k − centroid)²) per frame, Hz, `[1, T]`; off the event loop. */
export function spectralBandwidth(samples: Float32Array, options: SpectralFeatureOptions = {}): Promise<Tensor> {
  return singleAsync('bandwidth', samples, options);
}

/** spectralBandwidth on the calling thread. */
export function spectralBandwidthSync(samples: Float32Array, options: SpectralFeatureOptions = {}): Tensor {
  return singleSync('bandwidth', samples, options);
}

/** librosa.feature.spectral_rolloff: the first bin frequency holding rollPercent of Σ S_k, Hz, `[1, T]`; off the event loop. */
export function spectralRolloff(samples: Float32Array, options: SpectralFeatureOptions = {}): Promise<Tensor> {
  return singleAsync('rolloff', samples, options);
}

/** spectralRolloff on the calling thread. */
export function spectralRolloffSync(samples: Float32Array, options: SpectralFeatureOptions = {}): Tensor {
  return singleSync('rolloff', samples, options);
}

/** librosa.feature.spectral_flatness: geometric / arithmetic mean of max(amin, S^power), `[1, T]` (silence 1); off the event loop. */
export function spectralFlatness(samples: Float32Array, options: SpectralFeatureOptions = {}): Promise<Tensor> {
  return singleAsync('flatness', samples, options);
}

/** spectralFlatness on the calling thread. */
export function spectralFlatnessSync(samples: Float32Array, options: SpectralFeatureOptions = {}): Tensor {
  return singleSync('flatness', samples, options);
}

/** librosa.feature.spectral_contrast: per octave band, dB(peak) − dB(valley), `[nBands + 1, T]`; off the event loop. */
export function spectralContrast(samples: Float32Array, options: SpectralFeatureOptions = {}): Promise<Tensor> {
  return singleAsync('contrast', samples, options);
}

/** spectralContrast on the calling thread. */
export function spectralContrastSync(samples: Float32Array, options: SpectralFeatureOptions = {}): Tensor {
  return singleSync('contrast', samples, options);
}

/** librosa.feature.zero_crossing_rate: sign changes per sample in each frame of frameLength, `[1, T]`; off the event loop. */
export function zeroCrossingRate(samples: Float32Array, options: SpectralFeatureOptions = {}): Promise<Tensor> {
  return singleAsync('zcr', samples, options);
}

/** zeroCrossingRate on the calling thread. */
export function zeroCrossingRateSync(samples: Float32Array, options: SpectralFeatureOptions = {}): Tensor {
  return singleSync('zcr', samples, options);
}

/** librosa.feature.rms (from samples): √(mean x²) of each frame of frameLength, zero padded, `[1, T]`; off the event loop. */
export function rms(samples: Float32Array, options: SpectralFeatureOptions = {}): Promise<Tensor> {
  return singleAsync('rms', samples, options);
}

/** rms on the calling thread. */
export function rmsSync(samples: Float32Array, options: SpectralFeatureOptions = {}): Tensor {
  return singleSync('rms', samples, options);
}
