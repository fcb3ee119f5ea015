/** Single FFTs on Float32Arrays (interleaved re/im for complex data). */
const MAX_FFT = 2 ** 26;
import { callNative } from '../errors.js';
import { native } from '../native/load.js';
import { float32, int, rangeError } from '../validate.js';

/** Real-input FFT: n samples -> 2*(floor(n/2)+1) floats (re, im interleaved). Any n >= 1. */
export function rfft(x: Float32Array): Float32Array {
  float32(x, 'x');
  if (x.length < 1 || x.length > MAX_FFT) throw rangeError('a Float32Array of 1 to 2^26 samples', 'x', x);
  return callNative(() => native().rfft(x));
}

/** Inverse of rfft: a half spectrum of 2*(floor(n/2)+1) floats -> n samples (scaled by 1/n like numpy). */
export function irfft(spectrum: Float32Array, n?: number): Float32Array {
  float32(spectrum, 'spectrum');
  n ??= spectrum.length - 2;
  int(n, 'n', 1, MAX_FFT);
  if (spectrum.length !== 2 * (Math.floor(n / 2) + 1)) {
    throw rangeError(`a Float32Array of length ${2 * (Math.floor(n / 2) + 1)}`, 'spectrum', spectrum);
  }
  return callNative(() => native().irfft(spectrum, n));
}

function complexInput(x: Float32Array): void {
  float32(x, 'x');
  if (x.length < 2 || x.length % 2 !== 0 || x.length > 2 * MAX_FFT) {
    throw rangeError('an interleaved complex Float32Array (even length, 1 to 2^26 complex values)', 'x', x);
  }
}

/** Complex FFT of interleaved (re, im) data, any length. */
export function fft(x: Float32Array): Float32Array {
  complexInput(x);
  return callNative(() => native().fft(x, false));
}

/** Inverse complex FFT (scaled by 1/n). */
export function ifft(x: Float32Array): Float32Array {
  complexInput(x);
  return callNative(() => native().fft(x, true));
}
