/**
 * Encoders that need no model: classic baselines made of audiomill's own features. Their frames are
 * log-mel bands (`builtin:logmel-stats`) or MFCCs (`builtin:mfcc-stats`), optionally with their deltas
 * (and delta-deltas) appended; their scene embedding is the mean and standard deviation of every frame
 * dimension over the clip (statistics pooling). Definitions in docs/models.md, "Built-in encoders".
 */
import { computeDeltas } from '../features/deltas.js';
import type { FeatureTransform } from '../features/engine.js';
import { MFCC } from '../features/mfcc.js';
import { nativePooling } from '../features/pooling-options.js';
import { LogMelSpectrogram } from '../features/spectrogram.js';
import type { Tensor } from '../tensor.js';
import { int, oneOf, threadsOption, typeError } from '../validate.js';
import { checkClips, EncoderBase, type EncodeOptions, type FrameEmbeddings } from './encoder.js';
import { poolFrames, type PoolOptions, type Pooling } from './pooling.js';

export const BUILTIN_ENCODERS = ['builtin:logmel-stats', 'builtin:mfcc-stats'] as const;
export type BuiltinEncoderName = (typeof BUILTIN_ENCODERS)[number];

export interface BuiltinEncoderOptions {
  /** Input rate, Hz (default 16000). */
  sampleRate?: number;
  /** FFT size (default 400: 25 ms at 16 kHz) and hop (default 160: 10 ms) in samples. */
  nFft?: number;
  hopLength?: number;
  /** Mel bands (default 64). */
  nMels?: number;
  /** builtin:mfcc-stats: coefficients (default 20, librosa's). */
  nMfcc?: number;
  /** Append the deltas (1) or the deltas and delta-deltas (2) of the frames (default 0; torchaudio's compute_deltas, window 5). */
  deltas?: number;
}

/** A built-in encoder: frames are features ([T, d], one row per hop), scenes their mean and std. */
export class BuiltinEncoder extends EncoderBase {
  readonly name: BuiltinEncoderName;
  readonly sampleRate: number;
  readonly timestampEmbeddingSize: number;
  readonly defaultPooling: Pooling = 'mean+std';
  /** The resolved options. */
  readonly options: Readonly<Required<BuiltinEncoderOptions>>;
  private readonly transform: FeatureTransform;

  constructor(name: BuiltinEncoderName, options: BuiltinEncoderOptions = {}) {
    super();
    this.name = oneOf(name, 'name', BUILTIN_ENCODERS);
    if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
    const o = {
      sampleRate: int(options.sampleRate ?? 16000, 'sampleRate', 1, 2 ** 31 - 1),
      nFft: int(options.nFft ?? 400, 'nFft', 2, 1 << 20),
      hopLength: int(options.hopLength ?? 160, 'hopLength', 1, 1 << 20),
      nMels: int(options.nMels ?? 64, 'nMels', 1, 4096),
      nMfcc: int(options.nMfcc ?? 20, 'nMfcc', 1, 4096),
      deltas: int(options.deltas ?? 0, 'deltas', 0, 2),
    };
    this.options = Object.freeze(o);
    this.sampleRate = o.sampleRate;
    const mel = { sampleRate: o.sampleRate, nFft: o.nFft, hopLength: o.hopLength, nMels: o.nMels };
    // No top_db clamp: it would tie every value to the loudest frame of the clip.
    this.transform = this.name === 'builtin:logmel-stats' ? new LogMelSpectrogram({ ...mel, topDb: null }) : new MFCC({ sampleRate: o.sampleRate, nMfcc: o.nMfcc, melkwargs: mel });
    this.timestampEmbeddingSize = (this.name === 'builtin:logmel-stats' ? o.nMels : o.nMfcc) * (1 + o.deltas);
  }

  /** Each clip's features with their deltas stacked below, [d, T] (the transforms' layout). */
  private async features(clips: readonly Float32Array[], options: EncodeOptions): Promise<Tensor[]> {
    this.checkOpen();
    const xs = checkClips(clips);
    const threads = threadsOption(options?.threads);
    const features = xs.length === 0 ? [] : await this.transform.computeBatchAsync(xs, threads === undefined ? {} : { threads });
    const { deltas } = this.options;
    if (deltas === 0) return features;
    return features.map((f) => {
      const parts: Tensor[] = [f];
      for (let k = 0; k < deltas; k++) parts.push(computeDeltas(parts[parts.length - 1]!));
      const data = new Float32Array(f.data.length * parts.length);
      parts.forEach((p, k) => data.set(p.data, k * f.data.length));
      return { data, shape: [f.shape[0]! * parts.length, f.shape[1]!] };
    });
  }

  /** Scene embeddings pooled straight from the features ([d, T]; no transposition). */
  override async sceneEmbeddings(clips: readonly Float32Array[], options: EncodeOptions & Omit<PoolOptions, 'threads' | 'layout'> = {}): Promise<Tensor> {
    if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
    if (this.options.deltas === 0) {
      // Pooled natively as they are computed: no clip's features become a JS array.
      this.checkOpen();
      const xs = checkClips(clips);
      return this.pool(xs.length, options, (pool) => this.transform.computePooledAsync(xs, pool));
    }
    const features = await this.features(clips, options);
    return this.pool(features.length, options, (pool) => poolFrames(features, { ...pool, layout: 'features' }));
  }

  /** Whole WAV files read, resampled, featured and pooled natively (without deltas; otherwise every file undefined). */
  async embedWavFiles(paths: readonly string[], options: { pooling?: Pooling; l2?: boolean; threads?: number } = {}): Promise<(Float32Array | undefined)[]> {
    this.checkOpen();
    if (!Array.isArray(paths) || paths.some((p) => typeof p !== 'string')) throw typeError('an array of file paths', 'paths', paths);
    if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
    const pool = { pooling: options.pooling ?? this.defaultPooling, ...(options.l2 ? { l2: true } : {}) };
    if (this.options.deltas !== 0) {
      nativePooling(pool); // a bad pooling is an error here too
      return paths.map(() => undefined);
    }
    return this.transform.pooledWavFiles(paths, { ...pool, sampleRate: this.sampleRate, ...(options.threads ? { threads: options.threads } : {}) });
  }

  async frameEmbeddings(clips: readonly Float32Array[], options: EncodeOptions = {}): Promise<FrameEmbeddings[]> {
    const features = await this.features(clips, options);
    return features.map((f) => {
      // [d, T] -> [T, d] (one row per frame).
      const [d, t] = f.shape as [number, number];
      const out = new Float32Array(t * d);
      for (let k = 0; k < d; k++) for (let i = 0; i < t; i++) out[i * d + k] = f.data[k * t + i]!;
      // Frame i is centred on sample i * hop (centre padding), taken from i, never accumulated: it never drifts.
      const timestamps = Float64Array.from({ length: t }, (_, i) => (this.transform.frameCentre(i) * 1000) / this.sampleRate);
      return { embeddings: { data: out, shape: [t, d] }, timestamps };
    });
  }

  /** The name, the resolved options and the version of the computation (1). */
  async fingerprint(): Promise<string> {
    return JSON.stringify([this.name, 1, this.options]);
  }
}
