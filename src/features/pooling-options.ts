/**
 * The pooling options every pooled computation takes (`poolFrames`, `computePooledAsync`, the built-in encoders'
 * file path), validated once and turned into what the native pooling (features/pooling.h) takes.
 */
import type { NativePoolOptions } from '../native/binding.js';
import { bool, int, oneOf, rangeError } from '../validate.js';

/**
 * `mean`; `max`; `mean+std`: the mean followed by the standard deviation, 2·d values (statistics pooling,
 * torch's `cat([x.mean(0), x.std(0)])` with the default ddof 1); `cls`: the first frame (a CLS token);
 * `frame`: the frame `frame` (negative counts from the end).
 */
export type Pooling = 'mean' | 'max' | 'mean+std' | 'cls' | 'frame';

export const POOLINGS: readonly Pooling[] = ['mean', 'max', 'mean+std', 'cls', 'frame'];

export interface PoolingChoice {
  /** How (default 'mean'). */
  pooling?: Pooling;
  /** mean+std: divide the squared deviations by T − ddof (default 1, torch's Tensor.std; numpy's std: 0). */
  ddof?: number;
  /** 'frame': the frame index (default 0; negative counts from the end). */
  frame?: number;
  /** Divide each pooled vector by its L2 norm (default false; a zero vector stays zero). */
  l2?: boolean;
}

/** Width of a pooled vector for frames of width `dim`. */
export function pooledSize(pooling: Pooling, dim: number): number {
  return pooling === 'mean+std' ? 2 * dim : dim;
}

/** The validated choice and its native form (`cls` is frame 0). */
export function nativePooling(options: PoolingChoice): NativePoolOptions & { pooling: Pooling } {
  const pooling = oneOf(options.pooling ?? 'mean', 'pooling', POOLINGS);
  const ddof = int(options.ddof ?? 1, 'ddof', 0, 1 << 20);
  if (pooling !== 'frame' && options.frame !== undefined) throw rangeError("pooling 'frame' to go with it", 'frame', options.frame);
  const frame = options.frame === undefined ? 0 : int(options.frame, 'frame', -(2 ** 31), 2 ** 31 - 1);
  const l2 = bool(options.l2 ?? false, 'l2');
  return { pooling, mode: pooling === 'cls' ? 'frame' : pooling, ddof, frame, l2 };
}
