/**
 * The shared base of every frame transform: one native plan configured at
 * construction, then sync, async and batched computation over it.
 */
import { awaitNative, callNative, fromNative } from '../errors.js';
import type { NativeFeatureConfig, NativeFeaturePlan } from '../native/binding.js';
import { native } from '../native/load.js';
import type { Tensor } from '../tensor.js';
import { FeatureStream, type FrameGeometry } from './stream.js';
import { defaultResampleKernel } from '../dsp/resample.js';
import { nativePooling, pooledSize, type PoolingChoice } from './pooling-options.js';
import { float32, int, num, rangeError, threadsOption, typeError } from '../validate.js';

export interface BatchOptions {
  /** Threads for this call, at most the global cap (default: the global cap, see setNumThreads). */
  threads?: number;
}

export interface ComputeOptions extends BatchOptions {
  /**
   * Write the result into this array instead of a new one (its length must be
   * the product of outputShape(x.length)); saves an allocation per call in
   * streaming or tight loops. The returned tensor's data is this array.
   */
  out?: Float32Array;
}

export abstract class FeatureTransform {
  /** @internal */
  protected readonly plan: NativeFeaturePlan;

  /** @internal */
  private readonly geometry: FrameGeometry;

  protected constructor(config: NativeFeatureConfig) {
    this.plan = callNative(() => new (native().FeaturePlan)(config));
    const clamp = config.topDb !== undefined && !Number.isNaN(config.topDb);
    this.geometry = {
      hop: config.hopLength,
      offset: (config.winOffset ?? 0) - config.leftPad - (config.zeroPad ?? 0),
      span: config.window.length,
      framesFirst: config.framesFirst === true,
      complex: config.complex === true,
      wholeSignal: clamp ? 'topDb (the clamp depends on the whole output; pass topDb: null)' : config.subtractMean ? 'subtractMean' : null,
    };
  }

  /**
   * A FeatureStream for a signal that arrives in blocks: the frames of every push() and the
   * final flush(), concatenated, equal compute() on the whole signal. Transforms whose output
   * depends on the whole signal (topDb clamp, Kaldi subtractMean) cannot stream.
   */
  stream(): FeatureStream {
    return new FeatureStream(this.plan, this.geometry);
  }

  /**
   * The sample at the centre of frame `t` (of the window the frame reads): t·hop + offset + ⌊span/2⌋, with
   * offset frame 0's first sample (negative when padded). `t` may be fractional (the centre of a run of
   * frames). t·hopLength with centre padding; t·hopLength + nFft/2 with `center: false` (even sizes).
   */
  frameCentre(t: number): number {
    const g = this.geometry;
    return num(t, 't', { min: 0 }) * g.hop + (g.offset + Math.floor(g.span / 2));
  }

  /** Frames produced for an input of `length` samples. */
  numFrames(length: number): number {
    int(length, 'length', 0, MAX_LENGTH);
    return this.guardShort(() => this.plan.numFrames(length), 'length', length);
  }

  /** Output shape for an input of `length` samples. */
  outputShape(length: number): number[] {
    int(length, 'length', 0, MAX_LENGTH);
    return this.shapeOf(length, 'length', length);
  }

  /** Computes on the calling thread's event loop turn (fans out on the native pool). */
  compute(x: Float32Array, options: ComputeOptions = {}): Tensor {
    const shape = this.checkInput(x, 'x');
    const threads = checkThreads(options);
    const out = checkOut(options, shape, x) ?? outputArray(shape);
    callNative(() => this.plan.compute(x, { threads, out }, false));
    return { data: out, shape };
  }

  /** Computes off the event loop; resolves with the same tensor as compute(). */
  async computeAsync(x: Float32Array, options: ComputeOptions = {}): Promise<Tensor> {
    const shape = this.checkInput(x, 'x');
    const threads = checkThreads(options);
    const out = checkOut(options, shape, x) ?? outputArray(shape);
    await awaitNative(() => this.plan.compute(x, { threads, out }, true));
    return { data: out, shape };
  }

  /** Computes many clips in one native call, in parallel across clips and frames, off the event loop. */
  async computeBatchAsync(xs: readonly Float32Array[], options: BatchOptions = {}): Promise<Tensor[]> {
    const shapes = this.checkBatch(xs);
    const threads = checkThreads(options);
    const data = await awaitNative(() => this.plan.computeBatch([...xs], { threads }, true));
    return data.map((d, i) => ({ data: d, shape: shapes[i]! }));
  }

  /**
   * Many clips' outputs pooled over their frames, in one native call: only the pooled rows come back ([n, width];
   * width = features, or twice that for 'mean+std'), so no clip's feature matrix is ever a JS array. The same
   * numbers as computeBatchAsync followed by poolFrames (docs/models.md, "Pooling"); `pooling` 'mean' (default),
   * 'max', 'mean+std' (ddof 1 by default), 'cls' (the first frame) or 'frame' (`frame`, negative from the end).
   */
  async computePooledAsync(xs: readonly Float32Array[], options: BatchOptions & PoolingChoice = {}): Promise<Tensor> {
    const shapes = this.checkBatch(xs);
    const threads = checkThreads(options);
    const { pooling, ...pool } = nativePooling(options);
    if (shapes.some((s) => s.length !== 2)) throw rangeError('a transform with two-dimensional outputs (features x frames)', 'computePooledAsync', this.constructor.name);
    const shape = shapes[0] ?? this.plan.outputShape(2 * this.geometry.span); // any length gives the width
    const d = shape[this.geometry.framesFirst ? 1 : 0]!;
    const width = pooledSize(pooling, d);
    if (xs.length === 0) return { data: new Float32Array(0), shape: [0, width] };
    const data = await awaitNative(() => this.plan.computePooled([...xs], { threads, ...pool }, true));
    return { data, shape: [xs.length, width] };
  }

  /**
   * @internal The built-in encoders' fast path: WAV files read, mixed to mono, resampled to `sampleRate`
   * (torchaudio's default kernel), this transform's features computed and pooled, all in native tasks; only the
   * pooled rows come back. Undefined for a file the WAV reader does not take (the caller loads it the generic
   * way). The same numbers as loadAudio, computeBatchAsync and poolFrames.
   */
  async pooledWavFiles(paths: readonly string[], options: PoolingChoice & { sampleRate: number; threads?: number }): Promise<(Float32Array | undefined)[]> {
    const { pooling: _pooling, ...pool } = nativePooling(options);
    const threads = checkThreads(options) ?? 0;
    if (paths.length === 0) return [];
    const resample = defaultResampleKernel();
    const { data, ok } = await awaitNative(() => native().wavPooledFeatures([...paths], { plan: this.plan, ...pool, sampleRate: options.sampleRate, resample, threads }, true));
    const width = data.length / paths.length;
    return paths.map((_, i) => (ok[i] ? data.slice(i * width, (i + 1) * width) : undefined));
  }

  /** computeBatchAsync on the calling thread (blocks the event loop; fans out on the native pool). */
  computeBatch(xs: readonly Float32Array[], options: BatchOptions = {}): Tensor[] {
    const shapes = this.checkBatch(xs);
    const threads = checkThreads(options);
    const data = callNative(() => this.plan.computeBatch([...xs], { threads }, false));
    return data.map((d, i) => ({ data: d, shape: shapes[i]! }));
  }

  private checkBatch(xs: readonly Float32Array[]): number[][] {
    if (!Array.isArray(xs)) throw typeError('an array of Float32Array', 'xs', xs);
    const shapes: number[][] = [];
    for (let i = 0; i < xs.length; i++) shapes.push(this.checkInput(xs[i]!, `xs[${i}]`)); // holes included
    return shapes;
  }

  private checkInput(x: Float32Array, option: string): number[] {
    fixedFloat32(x, option);
    return this.shapeOf(x.length, option, x);
  }

  /** The last length asked for and its shape: clips of one length skip the native call. */
  private lastShape: { length: number; shape: readonly number[] } | null = null;

  private shapeOf(length: number, option: string, value: unknown): number[] {
    const last = this.lastShape;
    if (last !== null && last.length === length) return last.shape.slice();
    const shape = this.guardShort(() => this.plan.outputShape(length), option, value);
    this.lastShape = { length, shape: shape.slice() };
    return shape;
  }

  private guardShort<T>(fn: () => T, option: string, value: unknown): T {
    try {
      return fn();
    } catch (err) {
      const e = err as { code?: string; message?: string };
      if (e.code === 'INPUT_TOO_SHORT') throw rangeError(`a longer signal (${e.message})`, option, value);
      throw fromNative(err, new Error());
    }
  }
}

/** Longest input the native side accepts (samples). */
const MAX_LENGTH = 9e15;

/**
 * A Float32Array on a fixed-length buffer: a resizable ArrayBuffer (or growable
 * SharedArrayBuffer) could shrink under a running native computation.
 */
export function fixedFloat32(x: unknown, option: string): Float32Array {
  const arr = float32(x, option);
  const buf = arr.buffer as ArrayBufferLike & { resizable?: boolean; growable?: boolean };
  if (buf.resizable === true || buf.growable === true) {
    throw typeError('a Float32Array on a fixed-length buffer (not resizable or growable)', option, x);
  }
  return arr;
}

/**
 * A fresh output for `shape`, allocated uninitialised (the native side writes every element) on
 * the JavaScript heap: V8 counts it, so the outputs a loop drops are collected and their memory
 * reused while the loop runs (native-owned buffers are only released on a later event-loop turn,
 * and every new one faults its pages in again).
 */
export function outputArray(shape: readonly number[]): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  if (n === 0) return new Float32Array(0);
  const bytes = Buffer.allocUnsafeSlow(n * 4);
  return new Float32Array(bytes.buffer, bytes.byteOffset, n);
}

function checkOut(options: ComputeOptions, shape: number[], x: Float32Array): Float32Array | undefined {
  if (options.out === undefined) return undefined;
  const out = fixedFloat32(options.out, 'out');
  const size = shape.reduce((a, b) => a * b, 1);
  if (out.length !== size) throw rangeError(`a Float32Array of length ${size} (shape [${shape.join(', ')}])`, 'out', out);
  if (out.buffer === x.buffer && out.byteOffset < x.byteOffset + x.byteLength && x.byteOffset < out.byteOffset + out.byteLength) {
    throw rangeError('an array that does not overlap the input', 'out', out);
  }
  return out;
}

export function checkThreads(options: BatchOptions): number | undefined {
  return threadsOption(options.threads);
}
