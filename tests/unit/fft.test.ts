// FFT accuracy against float64 references, for every length 1..2048 and
// random lengths up to 65536, through the single-transform API and through
// the lane kernels (one frame per SIMD lane) at every SIMD level.
import { afterAll, describe, expect, it } from 'vitest';
import { capabilities, fft, ifft, irfft, rfft, setSimdLevel, Spectrogram, type SimdLevel } from '../../src/index.js';
import { relL2 } from '../helpers/metrics.js';
import { dftReal, fftReal64, noise, rng } from '../helpers/reference.js';

const TOL = 1e-5;
const ALL = Array.from({ length: 2048 }, (_, i) => i + 1);
const r = rng(42);
const RANDOM = Array.from({ length: 16 }, () => 2049 + Math.floor(((r() + 1) / 2) * (65536 - 2049)));
RANDOM.push(65521, 65536, 59049, 3 * 5 * 4096, 2 * 32749);
const CHUNKS_DFT = Array.from({ length: 8 }, (_, i) => ALL.slice(i * 256, (i + 1) * 256)).map(
  (c) => [c[0]!, c[c.length - 1]!, c] as const,
);

/** Onesided spectrum of each frame of x (frames of n, hop 1) through the lane kernels. */
function laneSpectra(n: number, x: Float32Array): Float32Array {
  const spec = new Spectrogram({ nFft: n, hopLength: 1, center: false, window: 'rectangular', power: null });
  return spec.compute(x).data; // (bins, frames, 2)
}

function frameOf(out: Float32Array, bins: number, frames: number, t: number): Float32Array {
  const f = new Float32Array(2 * bins);
  for (let k = 0; k < bins; k++) {
    f[2 * k] = out[2 * (k * frames + t)]!;
    f[2 * k + 1] = out[2 * (k * frames + t) + 1]!;
  }
  return f;
}

describe('rfft (single transform)', () => {
  it.each(CHUNKS_DFT)('matches a float64 DFT for every length %i..%i', (_a, _b, lengths) => {
    const worst = { err: 0, n: 0 };
    for (const n of lengths) {
      const x = noise(n, n);
      const err = relL2(rfft(x), dftReal(x));
      if (!(err <= worst.err)) Object.assign(worst, { err, n });
    }
    expect(worst.err, `worst at n=${worst.n}`).toBeLessThanOrEqual(TOL);
  });

  it('matches a float64 FFT for random lengths up to 65536', () => {
    for (const n of RANDOM) {
      const x = noise(n, n);
      expect(relL2(rfft(x), fftReal64(x)), `n=${n}`).toBeLessThanOrEqual(TOL);
    }
  });

  it('the float64 reference FFT itself agrees with the DFT', () => {
    for (const n of [1, 2, 3, 7, 64, 100, 257, 1000]) {
      const x = noise(n, 7);
      expect(relL2(fftReal64(x), dftReal(x))).toBeLessThan(1e-12);
    }
  });

  it('irfft(rfft(x)) returns x and fft/ifft round-trip for lengths 1..600', () => {
    for (let n = 1; n <= 600; n++) {
      const x = noise(n, 3 * n);
      expect(relL2(irfft(rfft(x), n), x), `irfft n=${n}`).toBeLessThanOrEqual(TOL);
      const c = noise(2 * n, 5 * n);
      expect(relL2(ifft(fft(c)), c), `ifft n=${n}`).toBeLessThanOrEqual(TOL);
    }
  });

  it('fft of a real signal equals rfft on the onesided half', () => {
    const n = 360;
    const x = noise(n, 11);
    const c = new Float32Array(2 * n);
    x.forEach((v, i) => (c[2 * i] = v));
    const full = fft(c);
    expect(relL2(full.subarray(0, 2 * (n / 2 + 1)), rfft(x))).toBeLessThanOrEqual(TOL);
  });
});

const levels = capabilities().simdLevels as SimdLevel[];
const best = capabilities().simd;
afterAll(() => setSimdLevel(best));

// References shared by every level: frames t = 0, 15, 16 of the same input.
const CHUNKS = Array.from({ length: 8 }, (_, i) => ALL.slice(i * 256, (i + 1) * 256));
const FRAMES = 17; // more than one AVX-512 block: lanes 0..15 and a tail block
const refCache = new Map<number, { x: Float32Array; refs: Float64Array[] }>();
function laneCase(n: number) {
  let c = refCache.get(n);
  if (!c) {
    const x = noise(n + FRAMES - 1, 1000 + n);
    c = { x, refs: [0, 15, 16].map((t) => fftReal64(x.subarray(t, t + n))) };
    refCache.set(n, c);
  }
  return c;
}

describe.each(levels)('lane FFT kernels at SIMD level %s', (level) => {
  it.each(CHUNKS.map((c) => [c[0]!, c[c.length - 1]!, c] as const))(
    'lengths %i..%i: lanes 0, 15 and a tail block match a float64 FFT',
    (_a, _b, lengths) => {
      setSimdLevel(level);
      let worst = 0;
      let worstN = 0;
      for (const n of lengths) {
        const { x, refs } = laneCase(n);
        const bins = Math.floor(n / 2) + 1;
        const out = laneSpectra(n, x);
        [0, 15, 16].forEach((t, i) => {
          const err = relL2(frameOf(out, bins, FRAMES, t), refs[i]!);
          if (!(err <= worst)) {
            worst = err;
            worstN = n;
          }
        });
      }
      expect(worst, `worst at n=${worstN}`).toBeLessThanOrEqual(TOL);
    },
  );

  it('random lengths up to 65536 match a float64 FFT', () => {
    setSimdLevel(level);
    for (const n of RANDOM.slice(0, 8).concat([65521, 65536])) {
      const x = noise(n + 1, n);
      const out = laneSpectra(n, x);
      const bins = Math.floor(n / 2) + 1;
      expect(relL2(frameOf(out, bins, 2, 1), fftReal64(x.subarray(1, n + 1))), `n=${n}`).toBeLessThanOrEqual(TOL);
    }
  });
});
