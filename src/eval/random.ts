/**
 * NumPy's legacy `RandomState` (NumPy 1.24, `numpy.random.RandomState`), as far as scikit-learn's
 * cross-validation splitters use it: the MT19937 generator seeded from one 32-bit integer, bounded
 * integers by masked rejection sampling (`randint`), and the Fisher–Yates `shuffle` / `permutation`.
 *
 * A `RandomState` built from the same integer seed as `numpy.random.RandomState(seed)` (which is what
 * scikit-learn's `check_random_state(seed)` builds for an integer `random_state`) draws the same numbers,
 * so a seeded shuffle gives the same permutation as scikit-learn's. Only the legacy algorithms are
 * provided; NumPy's `Generator` (PCG64, Lemire's bounded integers) is a different stream.
 */
import { randomBytes } from 'node:crypto';
import { int, rangeError, typeError } from '../validate.js';

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;
const TWO_32 = 4294967296;

/** The largest seed `RandomState` takes: 2^32 - 1 (NumPy raises for anything outside 0 .. 2^32 - 1). */
export const MAX_SEED = 0xffffffff;

/** A writable array-like the shuffles can permute in place. */
export type Shuffleable<T> = { length: number; [i: number]: T };

/**
 * The smallest all-ones bit mask covering `max` (NumPy's `gen_mask`), for 0 <= max <= 2^53 - 1, as a
 * number: (2^b - 1) where b is the bit length of `max`.
 */
function maskFor(max: number): number {
  if (max <= 0) return 0;
  if (max <= 0xffffffff) return 0xffffffff >>> Math.clz32(max);
  // 2^bitlength - 1 without losing precision above 2^32.
  let m = 2 ** 32;
  while (m - 1 < max) m *= 2;
  return m - 1;
}

/** A fresh seed from the operating system's random source (0 .. 2^32 - 1). */
export function freshSeed(): number {
  return randomBytes(4).readUInt32LE(0);
}

/**
 * NumPy's legacy random generator (`numpy.random.RandomState`, NumPy 1.24): a 32-bit Mersenne Twister
 * (MT19937) initialised from one integer seed exactly as `RandomState(seed)` does (Matsumoto and
 * Nishimura's `init_genrand`), with NumPy's legacy algorithms for bounded integers and shuffles.
 *
 * @example
 * ```ts
 * const rs = new RandomState(42);
 * rs.permutation(10); // the same as numpy.random.RandomState(42).permutation(10)
 * ```
 */
export class RandomState {
  /** The seed this generator was built from (a fresh one from the OS when none was given). */
  readonly seed: number;
  private readonly key = new Uint32Array(N);
  private pos = N;

  /**
   * @param seed An integer in 0 .. 2^32 - 1, as `numpy.random.RandomState(seed)` takes. Undefined: a fresh
   *   seed from the operating system's random source (readable afterwards as `.seed`), so draws differ from
   *   run to run, like NumPy's unseeded generator.
   * @throws TypeError when `seed` is not a number; RangeError when it is not an integer in 0 .. 2^32 - 1
   *   (NumPy raises ValueError "Seed must be between 0 and 2**32 - 1").
   */
  constructor(seed?: number) {
    const s = seed === undefined ? freshSeed() : int(seed, 'seed', 0, MAX_SEED);
    this.seed = s;
    // init_genrand: key[0] = seed, key[i] = 1812433253 * (key[i-1] ^ (key[i-1] >>> 30)) + i (mod 2^32).
    let x = s >>> 0;
    for (let i = 0; i < N; i++) {
      this.key[i] = x;
      x = (Math.imul(1812433253, x ^ (x >>> 30)) + i + 1) >>> 0;
    }
    this.pos = N;
  }

  /** Refills the 624-word state (MT19937's twist). */
  private twist(): void {
    const k = this.key;
    let i = 0;
    for (; i < N - M; i++) {
      const y = (k[i]! & UPPER_MASK) | (k[i + 1]! & LOWER_MASK);
      k[i] = k[i + M]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    for (; i < N - 1; i++) {
      const y = (k[i]! & UPPER_MASK) | (k[i + 1]! & LOWER_MASK);
      k[i] = k[i + M - N]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    const y = (k[N - 1]! & UPPER_MASK) | (k[0]! & LOWER_MASK);
    k[N - 1] = k[M - 1]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    this.pos = 0;
  }

  /** The next 32-bit output of MT19937 (tempered), 0 .. 2^32 - 1. */
  nextUint32(): number {
    if (this.pos >= N) this.twist();
    let y = this.key[this.pos++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /**
   * A uniform double in [0, 1) with 53 random bits, as `RandomState.random_sample()`: two draws,
   * (a >> 5) * 2^26 + (b >> 6), divided by 2^53.
   */
  randomSample(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /**
   * A uniform integer in 0 .. max (inclusive) by masked rejection, as NumPy's legacy `random_interval`
   * (used by `RandomState.shuffle`): draw 32 bits (64 when max >= 2^32), keep the bits of the smallest
   * all-ones mask covering `max`, and redraw while the value exceeds `max`. max = 0 draws nothing.
   */
  randomInterval(max: number): number {
    return this.interval(int(max, 'max', 0, Number.MAX_SAFE_INTEGER));
  }

  /** randomInterval without the argument check (the shuffles' inner loop). */
  private interval(max: number): number {
    if (max === 0) return 0;
    const mask = maskFor(max);
    if (max <= 0xffffffff) {
      let v: number;
      do v = (this.nextUint32() & mask) >>> 0;
      while (v > max);
      return v;
    }
    return this.masked64(max, mask);
  }

  /** A 64-bit masked draw (high word first, as NumPy's MT19937 `next_uint64`) for 2^32 <= max < 2^53. */
  private masked64(max: number, mask: number): number {
    const maskHi = Math.floor(mask / TWO_32);
    let v: number;
    do {
      const hi = (this.nextUint32() & maskHi) >>> 0;
      const lo = this.nextUint32();
      v = hi * TWO_32 + lo;
    } while (v > max);
    return v;
  }

  /**
   * Uniform integers in [low, high), as `RandomState.randint(low, high)` with its default int64 dtype
   * (NumPy 1.24's legacy masked algorithm: a range of one value draws nothing, a range of exactly 2^32
   * values takes one raw 32-bit draw, other ranges below 2^32 masked 32-bit draws, larger ranges masked
   * 64-bit draws). With one argument, `randint(high)` draws from [0, high), as NumPy does.
   *
   * @param low Smallest value (a safe integer); the upper bound when `high` is omitted.
   * @param high One past the largest value (a safe integer > low); high - low must be at most 2^53.
   * @param size When given, that many draws as a Float64Array (the values NumPy's `size=` fills in order).
   * @throws TypeError for a non-number; RangeError for non-integers, `low >= high` (NumPy: ValueError
   *   "low >= high"), a range over 2^53 or a negative `size`.
   */
  randint(low: number, high?: number): number;
  randint(low: number, high: number | undefined, size: number): Float64Array;
  randint(low: number, high?: number, size?: number): number | Float64Array {
    let lo = int(low, 'low', Number.MIN_SAFE_INTEGER);
    let hi: number;
    if (high === undefined) {
      hi = lo;
      lo = 0;
    } else hi = int(high, 'high', Number.MIN_SAFE_INTEGER);
    if (!(lo < hi)) throw rangeError(`an upper bound above low (${lo})`, 'high', hi);
    const rng = hi - lo - 1;
    if (!Number.isSafeInteger(rng) || rng > Number.MAX_SAFE_INTEGER - 1) {
      throw rangeError('a range high - low of at most 2^53', 'high', hi);
    }
    const draw = (): number => {
      if (rng === 0) return lo;
      if (rng === 0xffffffff) return lo + this.nextUint32();
      const mask = maskFor(rng);
      if (rng < 0xffffffff) {
        let v: number;
        do v = (this.nextUint32() & mask) >>> 0;
        while (v > rng);
        return lo + v;
      }
      return lo + this.masked64(rng, mask);
    };
    if (size === undefined) return draw();
    const n = int(size, 'size', 0);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = draw();
    return out;
  }

  /**
   * Shuffles `x` in place, as `RandomState.shuffle` on a 1-D array (or along the first axis): for i from
   * n - 1 down to 1, swap x[i] with x[randomInterval(i)].
   *
   * @param x Any writable array-like (plain array or typed array).
   */
  shuffle<T>(x: Shuffleable<T>): void {
    if (x === null || typeof x !== 'object' || typeof x.length !== 'number') throw typeError('an array or typed array', 'x', x);
    for (let i = x.length - 1; i > 0; i--) {
      const j = this.interval(i);
      if (j === i) continue;
      const t = x[i]!;
      x[i] = x[j]!;
      x[j] = t;
    }
  }

  /**
   * A random permutation of 0 .. n - 1, as `RandomState.permutation(n)` (0, 1, ..., n - 1 shuffled), or a
   * shuffled copy of an array, as `RandomState.permutation(array)`.
   */
  permutation(n: number): Uint32Array;
  permutation<T>(x: readonly T[]): T[];
  permutation<T>(x: number | readonly T[]): Uint32Array | T[] {
    if (typeof x === 'number') {
      const n = int(x, 'n', 0, 2 ** 32 - 1);
      const out = new Uint32Array(n);
      for (let i = 0; i < n; i++) out[i] = i;
      this.shuffle(out);
      return out;
    }
    if (!Array.isArray(x)) throw typeError('a non-negative integer or an array', 'x', x);
    const out = x.slice();
    this.shuffle(out);
    return out;
  }
}
