/** AmplitudeToDB with torchaudio's semantics (F.amplitude_to_DB), computed in the native SIMD core. */
import { awaitNative, callNative } from '../errors.js';
import type { NativeAmplitudeToDBOptions } from '../native/binding.js';
import { native } from '../native/load.js';
import { numel, type Tensor } from '../tensor.js';
import { num, oneOf, rangeError, typeError } from '../validate.js';
import { checkThreads, fixedFloat32, outputArray, type ComputeOptions } from './engine.js';

export interface AmplitudeToDBOptions {
  /** 'power' (10 log10, default) or 'magnitude' (20 log10). */
  stype?: 'power' | 'magnitude';
  /** Clamp to max - topDb (default null: no clamp, as torchaudio). */
  topDb?: number | null;
  /**
   * Floor before the log (default 1e-10). At least 1.1754943508222875e-38 (the smallest
   * normal float32): the conversion runs in float32, where a subnormal floor has no logarithm.
   */
  amin?: number;
  /** Reference: output is dB relative to ref (default 1). */
  ref?: number;
}

/**
 * Converts a power or magnitude tensor to decibels:
 * `multiplier * log10(max(x, amin)) - multiplier * log10(max(amin, ref))`, multiplier 10 for
 * power and 20 for magnitude. With topDb, values below max - topDb are raised to it; the maximum
 * is taken over the whole tensor for 1-D to 3-D inputs (one cutoff shared by all channels, as
 * torchaudio) and per leading index for 4-D and more (torchaudio reshapes to (-1, C, F, T)).
 * NaN inputs stay NaN and do not take part in the maximum.
 *
 * `compute(x, { out })` writes into `out` (the length of x.data; x.data itself converts in place)
 * and returns a tensor whose data is `out`; `threads` caps the threads of one call.
 */
export class AmplitudeToDB {
  readonly options: Readonly<Required<AmplitudeToDBOptions>>;
  constructor(options: AmplitudeToDBOptions = {}) {
    if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
    const stype = oneOf(options.stype ?? 'power', 'stype', ['power', 'magnitude'] as const);
    const topDb = options.topDb === undefined || options.topDb === null ? null : num(options.topDb, 'topDb', { min: 0 });
    const amin = num(options.amin ?? 1e-10, 'amin', { min: FLT_MIN });
    const ref = num(options.ref ?? 1, 'ref', { min: 0, exclusiveMin: true });
    this.options = Object.freeze({ stype, topDb, amin, ref });
  }

  /** Converts on the calling thread (fans out on the native pool for large tensors). */
  compute(x: Tensor, options: ComputeOptions = {}): Tensor {
    const args = this.args(x, options);
    const data = callNative(() => native().amplitudeToDB(args, false));
    return { data, shape: [...x.shape] };
  }

  /** Converts off the event loop; resolves with the same tensor as compute(). */
  async computeAsync(x: Tensor, options: ComputeOptions = {}): Promise<Tensor> {
    const args = this.args(x, options);
    const shape = [...x.shape];
    const data = await awaitNative(() => native().amplitudeToDB(args, true));
    return { data, shape };
  }

  private args(x: Tensor, options: ComputeOptions): NativeAmplitudeToDBOptions {
    if (x === null || typeof x !== 'object') throw typeError('a Tensor { data, shape }', 'x', x);
    if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
    const input = fixedFloat32(x.data, 'x.data');
    const shape = x.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0) || numel(shape) !== input.length) {
      throw rangeError('a shape matching data.length', 'x.shape', shape);
    }
    const threads = checkThreads(options);
    let out: Float32Array | undefined;
    if (options.out !== undefined) {
      out = fixedFloat32(options.out, 'out');
      if (out.length !== input.length) throw rangeError(`a Float32Array of length ${input.length} (shape [${shape.join(', ')}])`, 'out', out);
      const same = out.buffer === input.buffer && out.byteOffset === input.byteOffset;
      if (!same && out.buffer === input.buffer && out.byteOffset < input.byteOffset + input.byteLength && input.byteOffset < out.byteOffset + out.byteLength) {
        throw rangeError('an array that is x.data itself or does not overlap it', 'out', out);
      }
    }
    const { stype, topDb, amin, ref } = this.options;
    // torchaudio: x.reshape(-1, C, F, T) with C = size(-3) for 3-D and more, max over (C, F, T).
    const groups = shape.length >= 4 ? shape.slice(0, shape.length - 3).reduce((a, b) => a * b, 1) : 1;
    return { input, out: out ?? outputArray([input.length]), stype, amin, ref, topDb, groups: input.length === 0 ? 1 : groups, ...(threads === undefined ? {} : { threads }) };
  }
}

/** The smallest normal float32. */
const FLT_MIN = 1.1754943508222875e-38;
