/**
 * Resample: band-limited (windowed-sinc, polyphase) sample-rate conversion with
 * torchaudio's `F.resample` kernel, computed natively. See docs/features.md#resampling.
 */
import { awaitNative, callNative } from '../errors.js';
import type { NativeResampleKernel, NativeResampleStream, NativeResampler } from '../native/binding.js';
import { native } from '../native/load.js';
import { float32, int, num, oneOf, rangeError, threadsOption, typeError } from '../validate.js';

/** torchaudio 2.x names, and the 0.13 names they replaced (same kernels). */
export type ResamplingMethod = 'sinc_interp_hann' | 'sinc_interp_kaiser' | 'sinc_interpolation' | 'kaiser_window';

/**
 * Kernel presets:
 * - `'torchaudio'`: torchaudio's defaults (Hann window, lowpassFilterWidth 6, rolloff 0.99).
 * - `'kaiser_best'`: the resampy `kaiser_best` filter expressed in torchaudio's terms (Kaiser window,
 *   beta 14.769656459379492, lowpassFilterWidth 64, rolloff 0.9475937167399596): ~30× the taps, highest quality.
 * - `'fast'`: resampy `kaiser_fast` (Kaiser, beta 8.555504641634386, width 16, rolloff 0.85).
 */
export type ResamplePreset = 'torchaudio' | 'kaiser_best' | 'fast';

export interface ResampleOptions {
  /** Input sample rate in Hz (positive integer). Default 16000, as torchaudio. */
  origFreq?: number;
  /** Output sample rate in Hz (positive integer). Default 16000. */
  newFreq?: number;
  /** Defaults for the options below. Default 'torchaudio'. */
  preset?: ResamplePreset;
  /** Zero crossings of the sinc on each side (sharper filter, more taps). torchaudio default 6. */
  lowpassFilterWidth?: number;
  /** Cutoff as a fraction of the lower Nyquist frequency, in (0, 1]. torchaudio default 0.99. */
  rolloff?: number;
  /** Window of the sinc. Default 'sinc_interp_hann'. */
  method?: ResamplingMethod;
  /** Alias of `method` under torchaudio's option name. */
  resamplingMethod?: ResamplingMethod;
  /** Kaiser window shape (0 to 88), kaiser methods only. Default 14.769656459379492. */
  beta?: number;
}

export interface ResampleComputeOptions {
  /** Threads for this call (batches run one clip per thread). Default: the global cap. */
  threads?: number;
}

interface KernelParams {
  lowpassFilterWidth: number;
  rolloff: number;
  kaiser: boolean;
  beta: number;
}

const DEFAULT_BETA = 14.769656459379492;
const PRESETS: Record<ResamplePreset, KernelParams> = {
  torchaudio: { lowpassFilterWidth: 6, rolloff: 0.99, kaiser: false, beta: DEFAULT_BETA },
  kaiser_best: { lowpassFilterWidth: 64, rolloff: 0.9475937167399596, kaiser: true, beta: DEFAULT_BETA },
  fast: { lowpassFilterWidth: 16, rolloff: 0.85, kaiser: true, beta: 8.555504641634386 },
};
const METHODS: readonly ResamplingMethod[] = ['sinc_interp_hann', 'sinc_interp_kaiser', 'sinc_interpolation', 'kaiser_window'];
const MAX_RATE = 2 ** 31 - 1;

/**
 * Internal: the kernel options (everything but the rates) of `options`, validated, as the native side takes them: for
 * the native tasks that resample files at rates they only learn from the files' headers.
 */
export function resampleKernel(options: ResampleOptions = {}): NativeResampleKernel {
  if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
  const preset = PRESETS[oneOf(options.preset ?? 'torchaudio', 'preset', Object.keys(PRESETS) as ResamplePreset[])];
  const lowpassFilterWidth = int(options.lowpassFilterWidth ?? preset.lowpassFilterWidth, 'lowpassFilterWidth', 1, 1024);
  const rolloff = num(options.rolloff ?? preset.rolloff, 'rolloff', { min: 0, max: 1, exclusiveMin: true });
  if (options.method !== undefined && options.resamplingMethod !== undefined && options.method !== options.resamplingMethod)
    throw rangeError(`the same method as resamplingMethod ('${options.resamplingMethod}')`, 'method', options.method);
  const method = options.method ?? options.resamplingMethod;
  const kaiser = method === undefined ? preset.kaiser : /kaiser/.test(oneOf(method, 'method', METHODS));
  // Above ~88.7 torchaudio's float32 I0 overflows and its kernel turns to zeros/NaN.
  const beta = num(options.beta ?? preset.beta, 'beta', { min: 0, max: 88 });
  return { lowpassFilterWidth, rolloff, window: kaiser ? 'kaiser' : 'hann', beta };
}

let defaultKernel: NativeResampleKernel | undefined;

/** Internal: resampleKernel() of the default options (torchaudio's kernel, loadAudio's default), made once. */
export function defaultResampleKernel(): NativeResampleKernel {
  return (defaultKernel ??= Object.freeze(resampleKernel()));
}

export class Resample {
  readonly origFreq: number;
  readonly newFreq: number;
  readonly lowpassFilterWidth: number;
  readonly rolloff: number;
  readonly method: 'sinc_interp_hann' | 'sinc_interp_kaiser';
  readonly beta: number;
  /** @internal */
  readonly native: NativeResampler;

  constructor(options: ResampleOptions = {}) {
    if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
    this.origFreq = int(options.origFreq ?? 16000, 'origFreq', 1, MAX_RATE);
    this.newFreq = int(options.newFreq ?? 16000, 'newFreq', 1, MAX_RATE);
    const kernel = resampleKernel(options);
    this.lowpassFilterWidth = kernel.lowpassFilterWidth;
    this.rolloff = kernel.rolloff;
    this.method = kernel.window === 'kaiser' ? 'sinc_interp_kaiser' : 'sinc_interp_hann';
    this.beta = kernel.beta;
    this.native = callNative(() => new (native().Resampler)({ origFreq: this.origFreq, newFreq: this.newFreq, ...kernel }));
  }

  /** Output samples for an input of `length` samples: ceil(newFreq · length / origFreq). */
  outputLength(length: number): number {
    return this.native.outputLength(int(length, 'length', 0));
  }

  /** Resamples a whole signal on the calling thread. */
  compute(x: Float32Array, options: ResampleComputeOptions = {}): Float32Array {
    float32(x, 'x');
    const threads = checkThreads(options);
    return callNative(() => this.native.process(x, { threads }, false));
  }

  /** Resamples a whole signal off the event loop. */
  async computeAsync(x: Float32Array, options: ResampleComputeOptions = {}): Promise<Float32Array> {
    float32(x, 'x');
    const threads = checkThreads(options);
    return awaitNative(() => this.native.process(x, { threads }, true));
  }

  /** Resamples many signals in one call, in parallel, off the event loop. */
  async computeBatchAsync(xs: readonly Float32Array[], options: ResampleComputeOptions = {}): Promise<Float32Array[]> {
    const inputs = checkBatch(xs);
    const threads = checkThreads(options);
    return awaitNative(() => this.native.processBatch(inputs, { threads }, true));
  }

  /** computeBatchAsync on the calling thread (one signal per thread of the native pool). */
  computeBatch(xs: readonly Float32Array[], options: ResampleComputeOptions = {}): Float32Array[] {
    const inputs = checkBatch(xs);
    const threads = checkThreads(options);
    return callNative(() => this.native.processBatch(inputs, { threads }, false));
  }

  /**
   * A stateful resampler for a signal that arrives in blocks: the concatenation of every
   * push() result and flush() equals compute() on the whole signal.
   */
  stream(): ResampleStream {
    return new ResampleStream(this);
  }
}

export class ResampleStream {
  private readonly state: NativeResampleStream;
  private flushed = false;

  constructor(resample: Resample) {
    this.state = callNative(() => new (native().ResampleStream)(resample.native));
  }

  /** Takes the next input block; returns every output sample it completes (possibly none). */
  push(x: Float32Array): Float32Array {
    float32(x, 'x');
    if (this.flushed) throw new RangeError('Expected push() before flush() for stream but received a flushed stream; call reset()');
    return callNative(() => this.state.push(x));
  }

  /** Ends the signal: returns the remaining output (the zero-padded tail). */
  flush(): Float32Array {
    if (this.flushed) return new Float32Array(0);
    this.flushed = true;
    return callNative(() => this.state.finish());
  }

  /** Starts a new signal. */
  reset(): void {
    this.state.reset();
    this.flushed = false;
  }
}

function checkThreads(options: ResampleComputeOptions): number | undefined {
  if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
  return threadsOption(options.threads);
}

function checkBatch(xs: readonly Float32Array[]): Float32Array[] {
  if (!Array.isArray(xs)) throw typeError('an array of Float32Array', 'xs', xs);
  const out: Float32Array[] = [];
  for (let i = 0; i < xs.length; i++) out.push(float32(xs[i], `xs[${i}]`));
  return out;
}
