/**
 * The interface every audio encoder has (built-in feature encoders, ONNX models): HEAR-style methods
 * (`sceneEmbeddings`, `timestampEmbeddings`, the embedding sizes and the sample rate), on top of one
 * method each encoder implements, `frameEmbeddings`: the frame sequence of each clip and each frame's
 * centre in milliseconds. Pooling and the HEAR shapes are shared here.
 */
import { AudiomillError } from '../errors.js';
import { nativePooling } from '../features/pooling-options.js';
import type { Tensor } from '../tensor.js';
import { float32, rangeError, typeError } from '../validate.js';
import { poolFrames, pooledSize, type PoolOptions, type Pooling } from './pooling.js';

/** One clip's frame embeddings: `embeddings` [T, d], and `timestamps` (T values): each frame's centre, ms. */
export interface FrameEmbeddings {
  embeddings: Tensor;
  timestamps: Float64Array;
}

export interface EncodeOptions {
  /** Threads for the native work of this call, at most the global cap. */
  threads?: number;
}

export interface AudioEncoder {
  /** What it is, e.g. 'builtin:logmel-stats' or the model's name. */
  readonly name: string;
  /** The rate its input must have, Hz (callers resample to it). */
  readonly sampleRate: number;
  /** d of the frame embeddings. */
  readonly timestampEmbeddingSize: number;
  /** Width of a scene embedding with the encoder's default pooling. */
  readonly sceneEmbeddingSize: number;
  /** The pooling `sceneEmbeddings` uses unless told otherwise. */
  readonly defaultPooling: Pooling;
  /** Frame embeddings of each clip (mono samples at `sampleRate`; clips may differ in length). */
  frameEmbeddings(clips: readonly Float32Array[], options?: EncodeOptions): Promise<FrameEmbeddings[]>;
  /**
   * HEAR's `get_timestamp_embeddings`: clips of one length in, `embeddings` [n, T, d] and `timestamps` [n, T]
   * (each frame's centre in ms, float64) out.
   */
  timestampEmbeddings(clips: readonly Float32Array[], options?: EncodeOptions): Promise<{ embeddings: Tensor; timestamps: { data: Float64Array; shape: number[] } }>;
  /** HEAR's `get_scene_embeddings`: one pooled vector per clip, [n, width]; clips may differ in length. */
  sceneEmbeddings(clips: readonly Float32Array[], options?: EncodeOptions & Omit<PoolOptions, 'threads' | 'layout'>): Promise<Tensor>;
  /**
   * Optional fast path: scene embeddings of whole audio files that the encoder reads itself (the built-ins read
   * WAV natively, so the samples never reach JS); undefined for a file it does not take, which the caller then
   * decodes and passes to sceneEmbeddings. The same numbers as decoding at `sampleRate` and sceneEmbeddings.
   */
  embedWavFiles?(paths: readonly string[], options: { pooling?: Pooling; l2?: boolean; threads?: number }): Promise<(Float32Array | undefined)[]>;
  /**
   * A string that changes whenever the encoder's output could (model bytes, spec, options, the algorithm's
   * version): caches of its embeddings are keyed on it.
   */
  fingerprint(): Promise<string>;
  /** Releases what it holds (a loaded ONNX model); later calls fail. */
  close(): Promise<void>;
}

/** Checks a batch of clips: an array of Float32Array (mono samples). */
export function checkClips(clips: unknown, option = 'clips'): Float32Array[] {
  if (!Array.isArray(clips)) throw typeError('an array of Float32Array (mono samples at the encoder rate)', option, clips);
  return clips.map((c, i) => float32(c, `${option}[${i}]`));
}

/**
 * The HEAR methods and the sizes, over one `frameEmbeddings`: subclasses give the frames; scene embeddings
 * pool them (natively), timestamp embeddings stack them.
 */
export abstract class EncoderBase implements AudioEncoder {
  abstract readonly name: string;
  abstract readonly sampleRate: number;
  abstract readonly timestampEmbeddingSize: number;
  abstract readonly defaultPooling: Pooling;
  /** Set by close(); checkOpen() then refuses work. */
  protected closed = false;

  get sceneEmbeddingSize(): number {
    return pooledSize(this.defaultPooling, this.timestampEmbeddingSize);
  }

  abstract frameEmbeddings(clips: readonly Float32Array[], options?: EncodeOptions): Promise<FrameEmbeddings[]>;

  abstract fingerprint(): Promise<string>;

  async timestampEmbeddings(clips: readonly Float32Array[], options: EncodeOptions = {}) {
    const xs = checkClips(clips);
    if (xs.some((x) => x.length !== xs[0]!.length)) throw rangeError('clips of one length (as HEAR asks; embed clips of other lengths one call each, or use frameEmbeddings)', 'clips', `lengths ${[...new Set(xs.map((x) => x.length))].join(', ')}`);
    const frames = await this.frameEmbeddings(xs, options);
    const t = frames[0]?.timestamps.length ?? 0;
    const d = this.timestampEmbeddingSize;
    const data = new Float32Array(frames.length * t * d);
    const times = new Float64Array(frames.length * t);
    frames.forEach((f, i) => {
      data.set(f.embeddings.data, i * t * d);
      times.set(f.timestamps, i * t);
    });
    return { embeddings: { data, shape: [frames.length, t, d] }, timestamps: { data: times, shape: [frames.length, t] } };
  }

  async sceneEmbeddings(clips: readonly Float32Array[], options: EncodeOptions & Omit<PoolOptions, 'threads' | 'layout'> = {}): Promise<Tensor> {
    if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
    const frames = await this.frameEmbeddings(checkClips(clips), options);
    return this.pool(frames.length, options, (pool) => poolFrames(frames.map((f) => f.embeddings), pool));
  }

  /**
   * Pools a batch of `n` clips for sceneEmbeddings: the options' pooling, or the default when it is unset (or
   * undefined), validated; an empty batch answered here ([0, width]); the rest pooled by `run`.
   */
  protected async pool(n: number, options: EncodeOptions & Omit<PoolOptions, 'threads' | 'layout'>, run: (pool: PoolOptions) => Promise<Tensor>): Promise<Tensor> {
    const pool = { ...options, pooling: options.pooling ?? this.defaultPooling };
    const { pooling } = nativePooling(pool);
    if (n === 0) return { data: new Float32Array(0), shape: [0, pooledSize(pooling, this.timestampEmbeddingSize)] };
    return run(pool);
  }

  /** Throws when the encoder is closed. */
  protected checkOpen(): void {
    if (this.closed) throw new AudiomillError('INVALID_ARGUMENT', `the encoder ${this.name} is closed`);
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
