/**
 * Pooling of frame embeddings into one vector per clip, natively (features/pooling.h): what an encoder's
 * `sceneEmbeddings` does to its `[T, d]` frame sequence, and what users do to the frame embeddings they
 * already have. Definitions in docs/models.md, "Pooling".
 */
import { awaitNative, callNative } from '../errors.js';
import { nativePooling, pooledSize, type PoolingChoice } from '../features/pooling-options.js';
import { native } from '../native/load.js';
import type { Tensor } from '../tensor.js';
import { float32, oneOf, rangeError, threadsOption, typeError } from '../validate.js';

export { POOLINGS, pooledSize, type Pooling } from '../features/pooling-options.js';

export interface PoolOptions extends PoolingChoice {
  /**
   * The tensors' layout: 'frames' (default), [T, d], one row per frame; or 'features', [d, T], one row per
   * dimension, as audiomill's transforms give them (no transposition needed; the same results).
   */
  layout?: 'frames' | 'features';
  /** Threads for this call, at most the global cap. */
  threads?: number;
}

function args(frames: readonly Tensor[], options: PoolOptions) {
  if (!Array.isArray(frames)) throw typeError('an array of [T, d] tensors', 'frames', frames);
  if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
  const { pooling, mode, ddof, frame, l2 } = nativePooling(options);
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
  return { xs, width: pooledSize(pooling, Math.max(dim, 1)), native: { dim: Math.max(dim, 1), mode, ddof, frame, l2, featuresMajor, threads: threadsOption(options.threads) ?? 0 } };
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
