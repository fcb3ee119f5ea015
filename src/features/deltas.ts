/** Delta features along the last axis (frames) of a tensor. */
import { callNative } from '../errors.js';
import { native } from '../native/load.js';
import { numel, type Tensor } from '../tensor.js';
import { float32, int, oneOf, rangeError, typeError } from '../validate.js';

function checkTensor(x: Tensor, option: string): [number, number] {
  if (x === null || typeof x !== 'object') throw typeError('a Tensor { data, shape }', option, x);
  float32(x.data, `${option}.data`);
  if (!Array.isArray(x.shape) || x.shape.length < 1 || numel(x.shape) !== x.data.length) {
    throw rangeError(`a shape whose product is data.length (${x.data.length})`, `${option}.shape`, x.shape);
  }
  const frames = x.shape[x.shape.length - 1]!;
  return [frames === 0 ? 0 : x.data.length / frames, frames];
}

export interface ComputeDeltasOptions {
  /** Regression window in frames (odd, >= 3; default 5; torchaudio `win_length`). An even value acts as the next smaller odd one. */
  winLength?: number;
  /** Edge handling: 'replicate' (default, the only mode torchaudio uses by default). */
  mode?: 'replicate';
}

/**
 * torchaudio.functional.compute_deltas: d_t = sum_n n (c_{t+n} - c_{t-n}) / (2 sum n^2)
 * over N = (winLength-1)/2 frames, edges replicated. Same shape as the input.
 */
export function computeDeltas(x: Tensor, options: ComputeDeltasOptions = {}): Tensor {
  const [rows, frames] = checkTensor(x, 'x');
  const winLength = int(options.winLength ?? 5, 'winLength', 3, 2 ** 15);
  oneOf(options.mode ?? 'replicate', 'mode', ['replicate'] as const);
  const data = callNative(() => native().computeDeltas({ x: x.data, rows, frames, winLength }));
  return { data, shape: [...x.shape] };
}

export interface DeltaOptions {
  /** Savitzky-Golay window (odd, 3 <= width <= frames; default 9). */
  width?: number;
  /** Derivative order, 1 or 2 (default 1). Order 2 is a direct second-derivative filter. */
  order?: number;
  /** Edge handling: 'interp' (default) fits a polynomial to the first/last `width` frames. */
  mode?: 'interp';
}

/** librosa.feature.delta (scipy savgol_filter with polyorder = order). Same shape as the input. */
export function delta(x: Tensor, options: DeltaOptions = {}): Tensor {
  const [rows, frames] = checkTensor(x, 'x');
  const width = int(options.width ?? 9, 'width', 3, 2 ** 15);
  if (width % 2 === 0) throw rangeError('an odd integer >= 3', 'width', width);
  if (width > frames) throw rangeError(`an odd integer <= the number of frames (${frames})`, 'width', width);
  const order = int(options.order ?? 1, 'order', 1, 2);
  oneOf(options.mode ?? 'interp', 'mode', ['interp'] as const);
  const data = callNative(() => native().savgolDelta({ x: x.data, rows, frames, width, order }));
  return { data, shape: [...x.shape] };
}
