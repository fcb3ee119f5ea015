/** DCT-II matrices as torchaudio.functional.create_dct, with optional liftering folded in. */
import { int, oneOf } from '../validate.js';
import type { Tensor } from '../tensor.js';

/**
 * DCT-II matrix of shape (nMels, nMfcc): D[n, k] = cos(pi/N (n + 0.5) k);
 * norm 'ortho' scales column 0 by 1/sqrt(2) and all by sqrt(2/N); null scales by 2.
 */
export function createDct(nMfcc: number, nMels: number, norm: 'ortho' | null = 'ortho'): Tensor {
  int(nMfcc, 'nMfcc', 1);
  int(nMels, 'nMels', 1);
  oneOf(norm, 'norm', ['ortho', null] as const);
  const out = new Float32Array(nMels * nMfcc);
  for (let n = 0; n < nMels; n++) {
    for (let k = 0; k < nMfcc; k++) {
      let v = Math.cos((Math.PI / nMels) * (n + 0.5) * k);
      if (norm === 'ortho') v *= (k === 0 ? 1 / Math.SQRT2 : 1) * Math.sqrt(2 / nMels);
      else v *= 2;
      out[n * nMfcc + k] = v;
    }
  }
  return { data: out, shape: [nMels, nMfcc] };
}

/** Scales column k of a (rows x cols) matrix by weights[k]. */
export function scaleColumns(matrix: Tensor, weights: (k: number) => number): Tensor {
  const [rows, cols] = matrix.shape as [number, number];
  const out = new Float32Array(matrix.data);
  for (let r = 0; r < rows; r++) for (let k = 0; k < cols; k++) out[r * cols + k]! *= weights(k);
  return { data: out, shape: [rows, cols] };
}

/** librosa's lifter: 1 + (L/2) sin(pi (k+1) / L), k from 0. */
export const librosaLifter = (lifter: number) => (k: number) => 1 + (lifter / 2) * Math.sin((Math.PI * (k + 1)) / lifter);
/** Kaldi's lifter: 1 + (Q/2) sin(pi k / Q), k from 0 (c0 unchanged). */
export const kaldiLifter = (q: number) => (k: number) => 1 + 0.5 * q * Math.sin((Math.PI * k) / q);
