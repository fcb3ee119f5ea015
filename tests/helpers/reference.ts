// Float64 reference transforms, independent of the native code.

/** Onesided DFT of real x (float64), interleaved re/im, by direct summation. */
export function dftReal(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  const bins = Math.floor(n / 2) + 1;
  const cos = new Float64Array(n), sin = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    cos[k] = Math.cos((2 * Math.PI * k) / n);
    sin[k] = Math.sin((2 * Math.PI * k) / n);
  }
  const out = new Float64Array(2 * bins);
  for (let k = 0; k < bins; k++) {
    let re = 0, im = 0, idx = 0;
    for (let j = 0; j < n; j++) {
      re += x[j]! * cos[idx]!;
      im -= x[j]! * sin[idx]!;
      idx += k;
      if (idx >= n) idx -= n;
    }
    out[2 * k] = re;
    out[2 * k + 1] = im;
  }
  return out;
}

/** In-place radix-2 complex FFT (float64), n a power of two; sign -1 forward. */
function fftPow2(re: Float64Array, im: Float64Array, sign: number): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j]!, re[i]!];
      [im[i], im[j]] = [im[j]!, im[i]!];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = (sign * 2 * Math.PI) / len;
    for (let i = 0; i < n; i += len) {
      for (let k = 0; k < len / 2; k++) {
        const wr = Math.cos(ang * k), wi = Math.sin(ang * k);
        const ar = re[i + k + len / 2]!, ai = im[i + k + len / 2]!;
        const tr = ar * wr - ai * wi, ti = ar * wi + ai * wr;
        re[i + k + len / 2] = re[i + k]! - tr;
        im[i + k + len / 2] = im[i + k]! - ti;
        re[i + k] = re[i + k]! + tr;
        im[i + k] = im[i + k]! + ti;
      }
    }
  }
}

/** Onesided FFT of real x of any length (float64, Bluestein over radix-2), interleaved re/im. */
export function fftReal64(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  let m = 1;
  while (m < 2 * n - 1) m <<= 1;
  const wr = new Float64Array(n), wi = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const a = (-Math.PI * ((k * k) % (2 * n))) / n;
    wr[k] = Math.cos(a);
    wi[k] = Math.sin(a);
  }
  const ar = new Float64Array(m), ai = new Float64Array(m), br = new Float64Array(m), bi = new Float64Array(m);
  for (let k = 0; k < n; k++) {
    ar[k] = x[k]! * wr[k]!;
    ai[k] = x[k]! * wi[k]!;
    br[k] = wr[k]!;
    bi[k] = -wi[k]!;
    if (k > 0) {
      br[m - k] = wr[k]!;
      bi[m - k] = -wi[k]!;
    }
  }
  fftPow2(ar, ai, -1);
  fftPow2(br, bi, -1);
  for (let k = 0; k < m; k++) {
    const r = ar[k]! * br[k]! - ai[k]! * bi[k]!;
    const i = ar[k]! * bi[k]! + ai[k]! * br[k]!;
    ar[k] = r;
    ai[k] = i;
  }
  fftPow2(ar, ai, 1);
  const bins = Math.floor(n / 2) + 1;
  const out = new Float64Array(2 * bins);
  for (let k = 0; k < bins; k++) {
    const r = ar[k]! / m, i = ai[k]! / m;
    out[2 * k] = r * wr[k]! - i * wi[k]!;
    out[2 * k + 1] = r * wi[k]! + i * wr[k]!;
  }
  return out;
}

/** Deterministic PRNG (mulberry32) producing floats in [-1, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2147483648 - 1;
  };
}

export function noise(n: number, seed = 1): Float32Array {
  const r = rng(seed);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = r();
  return x;
}
