/**
 * Whole-clip acoustic statistics and QC flags (the manifest's columns), computed natively in one
 * streaming pass per clip. Every definition is in docs/features.md, "Acoustic statistics".
 */
import { awaitNative, callNative } from '../errors.js';
import type { NativeAcousticStatsPlan } from '../native/binding.js';
import { native } from '../native/load.js';
import { bool, float32, int, num, threadsOption, typeError } from '../validate.js';

export interface AcousticStatsOptions {
  /** Frame length of every frame statistic, samples (default 2048, librosa's n_fft). */
  nFft?: number;
  /** Hop between frames, samples (default 512). */
  hopLength?: number;
  /** |x| at or above this counts as clipped (default 0.999). */
  clipThreshold?: number;
  /** A frame whose RMS level is below this (dBFS) is silent (default -60). */
  silenceThresholdDb?: number;
  /** Frame levels are clamped below at this before their variance (default -100 dB). */
  energyFloorDb?: number;
  /** Share of frames averaged at each end of the sorted frame powers for snr_db (default 0.1). */
  snrFraction?: number;
  /** Spectral rolloff percentage (0 < p <= 1; default 0.85, librosa's roll_percent). */
  rollPercent?: number;
  /**
   * Compute the four spectral means (spectral_centroid, _bandwidth, _rolloff, _flatness; default true).
   * They need an nFft-point FFT of every frame, about two thirds of the statistics' time; with false
   * those four keys are absent from the result.
   */
  spectral?: boolean;
  /** Threads for this call, at most the global cap (default: the global cap, see setNumThreads). */
  threads?: number;
}

/**
 * One clip's statistics, named as the manifest's columns (definitions: docs/features.md,
 * "Acoustic statistics"). dB values are dBFS (20·log10 of a level, floored at -200).
 */
export interface AcousticStatistics {
  /** Samples / sample rate, seconds. */
  duration: number;
  /** Level of the whole clip, dB of √(Σx²/n). */
  rms_db: number;
  /** AC level: the level without the DC offset, dB of the standard deviation √(Σ(x − mean)²/n). */
  rms_ac_db: number;
  /** dB of max |x|. */
  peak_db: number;
  /** peak_db − rms_db. */
  crest_factor_db: number;
  /** Mean of the samples. */
  dc_offset: number;
  /** Share of samples with |x| ≥ clipThreshold. */
  clip_ratio: number;
  /** Share of frames whose level is below silenceThresholdDb. */
  silence_ratio: number;
  /** Mean over frames of librosa's per-frame zero-crossing rate (crossings per sample). */
  zero_crossing_rate: number;
  /** Percentile SNR: the loudest snrFraction of the frame powers over the quietest, dB. */
  snr_db: number;
  /** Population variance of the frame levels (clamped at energyFloorDb), dB². */
  energy_variance: number;
  /** Mean over frames of librosa's spectral centroid, Hz (absent with `spectral: false`). */
  spectral_centroid?: number;
  /** Mean over frames of librosa's spectral bandwidth (p = 2), Hz (absent with `spectral: false`). */
  spectral_bandwidth?: number;
  /** Mean over frames of librosa's spectral rolloff (at rollPercent), Hz (absent with `spectral: false`). */
  spectral_rolloff?: number;
  /** Mean over frames of librosa's spectral flatness, 0–1 (absent with `spectral: false`). */
  spectral_flatness?: number;
  /** Frames the frame statistics averaged over. */
  frames: number;
  /** NaN/Inf samples (each counted as 0 by every statistic). */
  non_finite: number;
}

export interface Clip {
  samples: Float32Array;
  sampleRate: number;
}

const plans = new Map<string, NativeAcousticStatsPlan>();

/** The native plan of these options (validated), built once per configuration. Internal: the manifest's fused WAV path. */
export function planFor(options: AcousticStatsOptions): NativeAcousticStatsPlan {
  if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
  const cfg = {
    nFft: int(options.nFft ?? 2048, 'nFft', 2, 1 << 20),
    hopLength: int(options.hopLength ?? 512, 'hopLength', 1, 1 << 20),
    clipThreshold: num(options.clipThreshold ?? 0.999, 'clipThreshold', { min: 0, exclusiveMin: true }),
    silenceThresholdDb: num(options.silenceThresholdDb ?? -60, 'silenceThresholdDb'),
    energyFloorDb: num(options.energyFloorDb ?? -100, 'energyFloorDb'),
    snrFraction: num(options.snrFraction ?? 0.1, 'snrFraction', { min: 0, max: 0.5, exclusiveMin: true }),
    rollPercent: num(options.rollPercent ?? 0.85, 'rollPercent', { min: 0, max: 1, exclusiveMin: true }),
    spectral: bool(options.spectral ?? true, 'spectral'),
  };
  const key = JSON.stringify(cfg);
  let plan = plans.get(key);
  if (!plan) {
    plan = callNative(() => new (native().AcousticStatsPlan)(cfg));
    if (plans.size > 32) plans.clear();
    plans.set(key, plan);
  }
  return plan;
}

/** `single`: the arguments of a one-clip call, named as its parameters (samples, sampleRate). */
function checkClips(clips: readonly Clip[], single = false): [Float32Array[], number[]] {
  if (!Array.isArray(clips)) throw typeError('an array of { samples, sampleRate }', 'clips', clips);
  const name = (i: number, key: string) => (single ? key : `clips[${i}].${key}`);
  return [
    clips.map((c, i) => float32(c?.samples, name(i, 'samples'))),
    clips.map((c, i) => int(c?.sampleRate, name(i, 'sampleRate'), 1, 2 ** 31 - 1)),
  ];
}

/** Statistics of one clip, off the event loop (fans out over frames on the native pool). */
export async function acousticStats(samples: Float32Array, sampleRate: number, options: AcousticStatsOptions = {}): Promise<AcousticStatistics> {
  const plan = planFor(options);
  const [xs, rates] = checkClips([{ samples, sampleRate }], true);
  const threads = threadsOption(options.threads);
  return (await awaitNative(() => plan.compute(xs, { sampleRates: rates, threads }, true)))[0]!;
}

/** acousticStats on the calling thread (blocks the event loop). */
export function acousticStatsSync(samples: Float32Array, sampleRate: number, options: AcousticStatsOptions = {}): AcousticStatistics {
  const plan = planFor(options);
  const [xs, rates] = checkClips([{ samples, sampleRate }], true);
  const threads = threadsOption(options.threads);
  return callNative(() => plan.compute(xs, { sampleRates: rates, threads }, false))[0]!;
}

/** Statistics of many clips in one call, in parallel (one clip per thread), off the event loop. */
export async function acousticStatsBatch(clips: readonly Clip[], options: AcousticStatsOptions = {}): Promise<AcousticStatistics[]> {
  const plan = planFor(options);
  const [xs, rates] = checkClips(clips);
  const threads = threadsOption(options.threads);
  return awaitNative(() => plan.compute(xs, { sampleRates: rates, threads }, true));
}

/** acousticStatsBatch on the calling thread (blocks the event loop). */
export function acousticStatsBatchSync(clips: readonly Clip[], options: AcousticStatsOptions = {}): AcousticStatistics[] {
  const plan = planFor(options);
  const [xs, rates] = checkClips(clips);
  const threads = threadsOption(options.threads);
  return callNative(() => plan.compute(xs, { sampleRates: rates, threads }, false));
}

export interface QcThresholds {
  /** too_quiet when rms_db is below this (default -50 dBFS). */
  minRmsDb?: number;
  /** mostly_silence when silence_ratio is above this (default 0.8). */
  maxSilenceRatio?: number;
  /** heavily_clipped when clip_ratio is above this (default 0.01: 1 % of samples). */
  maxClipRatio?: number;
  /** too_short when the duration is below this, seconds (default 1). */
  minDuration?: number;
  /**
   * high_dc_offset when |dc_offset| is above this, full scale (default 0.1, i.e. -20 dBFS). Converters
   * and AC-coupled recorders stay far below 0.01; an offset of 0.1 eats a tenth of the headroom on one
   * side, inflates rms_db over the AC level, and points to a faulty or DC-coupled recording chain.
   */
  maxDcOffset?: number;
}

export interface QcFlags {
  too_quiet: boolean;
  mostly_silence: boolean;
  heavily_clipped: boolean;
  too_short: boolean;
  high_dc_offset: boolean;
}

/**
 * The QC flags of a clip's statistics (thresholds documented in docs/features.md). Without a
 * `dc_offset` in `stats`, high_dc_offset is false.
 */
export function qcFlags(
  stats: Pick<AcousticStatistics, 'rms_db' | 'silence_ratio' | 'clip_ratio' | 'duration'> & Partial<Pick<AcousticStatistics, 'dc_offset'>>,
  thresholds: QcThresholds = {},
): QcFlags {
  const minRmsDb = num(thresholds.minRmsDb ?? -50, 'minRmsDb');
  const maxSilenceRatio = num(thresholds.maxSilenceRatio ?? 0.8, 'maxSilenceRatio', { min: 0, max: 1 });
  const maxClipRatio = num(thresholds.maxClipRatio ?? 0.01, 'maxClipRatio', { min: 0, max: 1 });
  const minDuration = num(thresholds.minDuration ?? 1, 'minDuration', { min: 0 });
  const maxDcOffset = num(thresholds.maxDcOffset ?? 0.1, 'maxDcOffset', { min: 0 });
  return {
    too_quiet: stats.rms_db < minRmsDb,
    mostly_silence: stats.silence_ratio > maxSilenceRatio,
    heavily_clipped: stats.clip_ratio > maxClipRatio,
    too_short: stats.duration < minDuration,
    high_dc_offset: Math.abs(stats.dc_offset ?? 0) > maxDcOffset,
  };
}
