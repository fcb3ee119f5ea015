/**
 * Pooling of frame embeddings into one vector per clip, natively (features/pooling.h): what an encoder's
 * `sceneEmbeddings` does to its `[T, d]` frame sequence, and what users do to the frame embeddings they
 * already have. Definitions in docs/models.md, "Pooling".
 */
import { awaitNative, callNative } from '../errors.js';
import type { NativePoolMode } from '../native/binding.js';
import { native } from '../native/load.js';
import type { Tensor } from '../tensor.js';
import { bool, float32, int, oneOf, rangeError, threadsOption, typeError } from '../validate.js';

/**
 * `mean`; `max`; `mean+std`: the mean followed by the standard deviation, 2·d values (statistics pooling,
 * torch's `cat([x.mean(0), x.std(0)])` with the default ddof 1); `cls`: the first frame (a CLS token);
 * `frame`: the frame `frame` (negative counts from the end); `none`: no pooling (frames kept).
 */
export type Pooling = 'mean' | 'max' | 'mean+std' | 'cls' | 'frame';

export const POOLINGS: readonly Pooling[] = ['mean', 'max', 'mean+std', 'cls', 'frame'];

export interface PoolOptions {
  /** How (default 'mean'). */
  pooling?: Pooling;
  /** mean+std: divide the squared deviations by T − ddof (default 1, torch's Tensor.std; numpy's std: 0). */
  ddof?: number;
  /** 'frame': the frame index (default 0; negative counts from the end). */
  frame?: number;
  /** Divide each pooled vector by its L2 norm (default false; a zero vector stays zero). */
  l2?: boolean;
  /**
   * The tensors' layout: 'frames' (default), [T, d], one row per frame; or 'features', [d, T], one row per
   * dimension, as audiomill's transforms give them (no transposition needed; the same results).
   */
  layout?: 'frames' | 'features';
  /** Threads for this call, at most the global cap. */
  threads?: number;
}

/** Width of a pooled vector for frames of width `dim`. */
export function pooledSize(pooling: Pooling, dim: number): number {
  return pooling === 'mean+std' ? 2 * dim : dim;
}

function args(frames: readonly Tensor[], options: PoolOptions) {
  if (!Array.isArray(frames)) throw typeError('an array of [T, d] tensors', 'frames', frames);
  if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
  const pooling = oneOf(options.pooling ?? 'mean', 'pooling', POOLINGS);
  const ddof = int(options.ddof ?? 1, 'ddof', 0, 1 << 20);
  const frame = options.frame === undefined ? 0 : int(options.frame, 'frame', -(2 ** 31), 2 ** 31 - 1);
  if (pooling !== 'frame' && options.frame !== undefined) throw rangeError("pooling 'frame' to go with it", 'frame', options.frame);
  const l2 = bool(options.l2 ?? false, 'l2');
  const featuresMajor = oneOf(options.layout ?? 'frames', 'layout', ['frames', 'features'] as const) === 'features';
  let dim = -1;
  const xs = frames.map((t, i) => {
    if (t === null || typeof t !== 'object' || !Array.isArray(t.shape) || t.shape.length !== 2) throw typeError(featuresMajor ? 'a [d, T] tensor' : 'a [T, d] tensor', `frames[${i}]`, t);
    const [n, d] = (featuresMajor ? [t.shape[1], t.shape[0]] : t.shape) as [number, number];
    if (dim < 0) dim = d;
    if (d !== dim || !(d >= 1)) throw rangeError(`frames of width ${dim} (as frames[0])`, `frames[${i}]`, `shape [${t.shape.join(', ')}]`);
    if (!(n >= 1)) throw rangeError('at least one frame', `frames[${i}]`, `shape [${t.shape.join(', ')}]`);
    const data = float32(t.data, `frames[${i}].data`);
    if (data.length !== n * d) throw rangeError(`${n * d} values for shape [${t.shape.join(', ')}]`, `frames[${i}].data`, `${data.length} values`);
    return data;
  });
  const mode: NativePoolMode = pooling === 'cls' ? 'frame' : pooling;
  return { xs, width: pooledSize(pooling, Math.max(dim, 1)), native: { dim: Math.max(dim, 1), mode, ddof, frame: pooling === 'cls' ? 0 : frame, l2, featuresMajor, threads: threadsOption(options.threads) ?? 0 } };
}

/** Pools each clip's frames ([T_i, d] tensors) into one row: an [n, width] tensor, off the event loop. */
export async function poolFrames(frames: readonly Tensor[], options: PoolOptions = {}): Promise<Tensor> {
  const a = args(frames, options);
  const data = a.xs.length === 0 ? new Float32Array(0) : await awaitNative(() => native().poolFrames(a.xs, a.native, true));
  return { data: data.subarray(0, a.xs.length * a.width), shape: [a.xs.length, a.width] };
}

/** poolFrames on the calling thread (blocks the event loop). */
export function poolFramesSync(frames: readonly Tensor[], options: PoolOptions = {}): Tensor {
  const a = args(frames, options);
  const data = a.xs.length === 0 ? new Float32Array(0) : callNative(() => native().poolFrames(a.xs, a.native, false));
  return { data: data.subarray(0, a.xs.length * a.width), shape: [a.xs.length, a.width] };
}
