/** AmplitudeToDB with torchaudio's semantics (F.amplitude_to_DB). */
import { numel, type Tensor } from '../tensor.js';
import { float32, num, oneOf, rangeError, typeError } from '../validate.js';

export interface AmplitudeToDBOptions {
  /** 'power' (10 log10, default) or 'magnitude' (20 log10). */
  stype?: 'power' | 'magnitude';
  /** Clamp to max - topDb (default null: no clamp, as torchaudio). */
  topDb?: number | null;
  /** Floor before the log (default 1e-10). */
  amin?: number;
  /** Reference: output is dB relative to ref (default 1). */
  ref?: number;
}

/**
 * Converts a power or magnitude tensor to decibels. With topDb, the floor is
 * max - topDb over the whole tensor for 2-D and 3-D inputs (one cutoff shared
 * by all channels, as torchaudio), and per leading index for 4-D and more.
 */
export class AmplitudeToDB {
  readonly options: Readonly<Required<AmplitudeToDBOptions>>;
  constructor(options: AmplitudeToDBOptions = {}) {
    if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
    const stype = oneOf(options.stype ?? 'power', 'stype', ['power', 'magnitude'] as const);
    const topDb = options.topDb === undefined || options.topDb === null ? null : num(options.topDb, 'topDb', { min: 0 });
    const amin = num(options.amin ?? 1e-10, 'amin', { min: 0, exclusiveMin: true });
    const ref = num(options.ref ?? 1, 'ref', { min: 0, exclusiveMin: true });
    this.options = Object.freeze({ stype, topDb, amin, ref });
  }

  compute(x: Tensor): Tensor {
    if (x === null || typeof x !== 'object') throw typeError('a Tensor { data, shape }', 'x', x);
    float32(x.data, 'x.data');
    if (!Array.isArray(x.shape) || numel(x.shape) !== x.data.length) throw rangeError('a shape matching data.length', 'x.shape', x.shape);
    const { stype, topDb, amin, ref } = this.options;
    const multiplier = stype === 'power' ? 10 : 20;
    const offset = multiplier * Math.log10(Math.max(amin, ref));
    const out = new Float32Array(x.data.length);
    for (let i = 0; i < out.length; i++) out[i] = multiplier * Math.log10(Math.max(x.data[i]!, amin)) - offset;
    if (topDb !== null && out.length > 0) {
      const groups = x.shape.length >= 4 ? x.shape.slice(0, x.shape.length - 3).reduce((a, b) => a * b, 1) : 1;
      const size = out.length / groups;
      for (let g = 0; g < groups; g++) {
        let peak = -Infinity;
        for (let i = g * size; i < (g + 1) * size; i++) if (out[i]! > peak) peak = out[i]!;
        const floor = peak - topDb;
        for (let i = g * size; i < (g + 1) * size; i++) if (out[i]! < floor) out[i] = floor;
      }
    }
    return { data: out, shape: [...x.shape] };
  }
}
