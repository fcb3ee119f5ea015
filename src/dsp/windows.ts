/**
 * Window functions, computed in float64 and stored as float32, following
 * torch.*_window (periodic by default) and Kaldi's symmetric windows.
 */
import { bool, int, num, oneOf, typeError } from '../validate.js';

export type WindowName = 'hann' | 'hamming' | 'blackman' | 'povey' | 'rectangular' | 'kaiser';
export const WINDOW_NAMES: readonly WindowName[] = ['hann', 'hamming', 'blackman', 'povey', 'rectangular', 'kaiser'];

export interface WindowOptions {
  /** Periodic (torch/scipy default: the window of length+1 without its last sample) or symmetric. Default true. */
  periodic?: boolean;
  /** Kaiser shape parameter beta (torch default 12). */
  beta?: number;
  /** Blackman coefficient a in a - 0.5cos + (0.5 - a)cos(2.) (0.42). */
  blackmanCoeff?: number;
}

/** Modified Bessel function of the first kind, order 0 (power series). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 500; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/** Returns the named window of `length` samples. */
export function makeWindow(name: WindowName, length: number, options: WindowOptions = {}): Float32Array {
  oneOf(name, 'window', WINDOW_NAMES);
  int(length, 'length', 1);
  if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
  const periodic = bool(options.periodic ?? true, 'periodic');
  const out = new Float32Array(length);
  if (length === 1) {
    out[0] = 1;
    return out;
  }
  // Denominator: N for periodic windows, N - 1 for symmetric (povey is always symmetric).
  const m = name === 'povey' || !periodic ? length - 1 : length;
  const a = num(options.blackmanCoeff ?? 0.42, 'blackmanCoeff');
  const beta = name === 'kaiser' ? num(options.beta ?? 12, 'beta', { min: 0 }) : 0;
  const i0b = besselI0(beta);
  for (let n = 0; n < length; n++) {
    const phase = (2 * Math.PI * n) / m;
    let w: number;
    switch (name) {
      case 'hann': w = 0.5 - 0.5 * Math.cos(phase); break;
      case 'hamming': w = 0.54 - 0.46 * Math.cos(phase); break;
      case 'blackman': w = a - 0.5 * Math.cos(phase) + (0.5 - a) * Math.cos(2 * phase); break;
      case 'povey': w = Math.pow(0.5 - 0.5 * Math.cos(phase), 0.85); break;
      case 'rectangular': w = 1; break;
      case 'kaiser': {
        const r = (2 * n) / m - 1;
        w = besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / i0b;
        break;
      }
    }
    out[n] = w;
  }
  return out;
}
