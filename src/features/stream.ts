/**
 * FeatureStream: a frame transform applied to a signal that arrives in blocks (a long
 * recording read with openAudioStream), in memory bounded by the block size, giving exactly
 * the frames compute() gives on the whole signal.
 *
 * How: frame t reads samples [t·hop + a, t·hop + a + w) of the signal (a and w from the plan's
 * geometry: window offset, centre/Kaldi padding, torchaudio's `pad`). The plan run on a slice
 * that starts at a multiple of the hop, s = k·hop, numbers its frames k, k+1, …; the frames of
 * that slice whose samples all lie inside it are bit-identical to the whole signal's, because
 * padding only ever touches samples outside [0, length). Each push computes the slice from the
 * first pending frame's start to the newest sample and keeps only such frames; the first slice
 * starts at 0 (true left edge) and flush() runs the last one to the true end (right edge).
 */
import type { NativeFeaturePlan } from '../native/binding.js';
import { callNative } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { float32 } from '../validate.js';

/** Where a plan's frames sit in the signal, and what the stream needs to know about its output. */
export interface FrameGeometry {
  hop: number;
  /** Offset of frame 0's first sample (negative when padded). */
  offset: number;
  /** Samples a frame reads. */
  span: number;
  /** Output (frames, features) instead of (features, frames). */
  framesFirst: boolean;
  /** Output (features, frames, 2). */
  complex: boolean;
  /** Why the output depends on the whole signal (top_db, mean removal), or null. */
  wholeSignal: string | null;
}

export class FeatureStream {
  private buffer = new Float32Array(0);
  /** Absolute index of buffer[0]. */
  private bufferStart = 0;
  /** Samples received so far. */
  private received = 0;
  /** Next frame to emit. */
  private nextFrame = 0;
  private flushed = false;
  /**
   * Frames a slice starts before the first pending frame: those that may read before the slice
   * (padding), plus a window's worth so the last slice is never too short for the plan's padding.
   */
  private readonly lead: number;
  /** Output shape with 0 frames. */
  private readonly emptyShape: number[];

  /** @internal use transform.stream() */
  constructor(
    private readonly plan: NativeFeaturePlan,
    private readonly g: FrameGeometry,
  ) {
    if (g.wholeSignal !== null) throw new RangeError(`Expected a transform without whole-signal statistics for stream() but received one with ${g.wholeSignal}`);
    this.lead = Math.max(0, Math.ceil(-g.offset / g.hop)) + Math.ceil(g.span / g.hop) + 1;
    const probe = callNative(() => plan.outputShape(2 * (Math.abs(g.offset) + g.span + g.hop)));
    this.emptyShape = probe.map((d, i) => (i === (g.framesFirst ? 0 : 1) ? 0 : d));
  }

  /** Frames emitted so far. */
  get framesEmitted(): number {
    return this.nextFrame;
  }

  /** Appends samples; returns the frames they complete (possibly none) in compute()'s layout. */
  push(x: Float32Array): Tensor {
    float32(x, 'x');
    if (this.flushed) throw new RangeError('Expected push() before flush() for stream but received a flushed stream');
    this.append(x);
    // Frames whose last sample has arrived.
    const last = Math.floor((this.received - this.g.offset - this.g.span) / this.g.hop);
    return this.emit(last, false);
  }

  /** Ends the signal: returns the remaining frames (those that read past the end, padded as compute() pads). */
  flush(): Tensor {
    if (this.flushed || this.received === 0) return this.empty();
    this.flushed = true;
    return this.emit(Infinity, true);
  }

  private append(x: Float32Array): void {
    const keep = this.buffer.length;
    const next = new Float32Array(keep + x.length);
    next.set(this.buffer, 0);
    next.set(x, keep);
    this.buffer = next;
    this.received += x.length;
  }

  /** Runs the plan on the slice for frames [nextFrame, last] and returns them. */
  private emit(last: number, final: boolean): Tensor {
    if (!final && last < this.nextFrame) return this.empty();
    const k = this.sliceFrame();
    const s = k * this.g.hop;
    const input = this.buffer.subarray(s - this.bufferStart);
    let out: Tensor;
    try {
      out = callNative(() => ({ data: this.plan.compute(input, {}, false), shape: this.plan.outputShape(input.length) }));
    } catch (err) {
      // A first slice still shorter than the plan's padding needs: wait for more samples.
      if (!final && (err as { code?: string }).code === 'INPUT_TOO_SHORT') return this.empty();
      throw err;
    }
    const frames = this.framesOf(out.shape);
    const first = this.nextFrame - k;
    const end = final ? frames : Math.min(frames, last - k + 1);
    const result = this.slice(out, first, Math.max(first, end));
    this.nextFrame = k + Math.max(first, end);
    // Drop samples no later slice needs.
    const keepFrom = this.sliceFrame() * this.g.hop;
    if (keepFrom > this.bufferStart) {
      this.buffer = this.buffer.slice(keepFrom - this.bufferStart);
      this.bufferStart = keepFrom;
    }
    return result;
  }

  /** The frame index a slice for nextFrame starts at: lead frames earlier, never before 0. */
  private sliceFrame(): number {
    return Math.max(0, this.nextFrame - this.lead);
  }

  private empty(): Tensor {
    return { data: new Float32Array(0), shape: [...this.emptyShape] };
  }

  private frameAxis(): number {
    return this.g.framesFirst ? 0 : 1;
  }

  private framesOf(shape: number[]): number {
    return shape[this.frameAxis()] ?? 0;
  }

  /** Frames [a, b) of a tensor along its frame axis. */
  private slice(t: Tensor, a: number, b: number): Tensor {
    const shape = [...t.shape];
    const axis = this.frameAxis();
    const frames = shape[axis] ?? 0;
    const count = Math.max(0, b - a);
    shape[axis] = count;
    if (count === frames) return { data: t.data, shape };
    if (this.g.framesFirst) {
      const features = t.shape[1] ?? 0;
      return { data: t.data.slice(a * features, b * features), shape };
    }
    const rows = t.shape[0] ?? 0;
    const cell = this.g.complex ? 2 : 1;
    const data = new Float32Array(rows * count * cell);
    for (let r = 0; r < rows; r++) data.set(t.data.subarray((r * frames + a) * cell, (r * frames + b) * cell), r * count * cell);
    return { data, shape };
  }
}
