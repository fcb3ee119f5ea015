/**
 * Internal: spans of one audio file cut from one streamed decode, in bounded memory. The file is streamed
 * (mixed to mono, at `sampleRate`, by default its own rate) and each span [a, b) of samples is taken from the
 * stream as it passes. With each read the caller says from which sample on it still needs the stream
 * (`keep`): samples before it are dropped, so spans read in time order hold about one span plus one stream
 * block whatever the file's length. A span that starts before what is kept reopens the file; so does one
 * whose start lies more than 16 Mi samples (64 MB) behind the stream, which is forgotten rather than held.
 * The stream's blocks concatenated equal loadAudio of the whole file, so a span equals the whole file decoded
 * (and resampled), then cut. Reads are served one at a time, in call order. Used by every pipeline that reads
 * segments (the manifest, the spectrogram cache).
 */
import { openAudioStream, type AudioStream } from './stream.js';

/** Samples kept behind the stream for spans still to come (16 Mi floats, 64 MB at most). */
const SEGMENT_BUFFER_LIMIT = 1 << 24;

/**
 * For spans read in the order of `starts` (their first samples): after span k, the sample from which the spans
 * still to come need the stream (the least of the later starts; Infinity after the last). Entry k + 1 is the
 * `keep` of span k's read.
 */
export function keepFrom(starts: readonly number[]): number[] {
  const keep = new Array<number>(starts.length + 1);
  keep[starts.length] = Infinity;
  for (let k = starts.length - 1; k >= 0; k--) keep[k] = Math.min(starts[k]!, keep[k + 1]!);
  return keep;
}

export interface SegmentReaderOptions {
  /** Rate of the spans (resampled); default: the file's own. */
  sampleRate?: number;
  /** Called each time the file is opened (a decode starts). */
  onOpen?: () => void;
}

export class SegmentReader {
  private stream: AudioStream | null = null;
  private buf = new Float32Array(0);
  private bufStart = 0; // stream sample index of buf[0]
  private bufLen = 0;
  private eof = false;
  private rate = 0;
  private ended: { length: number; truncated: boolean } | null = null;
  private failed: { at: number; error: unknown } | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly file: string,
    private readonly options: SegmentReaderOptions = {},
  ) {}

  /**
   * Samples [a, b) of the decoded file (b = Infinity: to its end; fewer when the file ends first), then drops the
   * samples before `keep` (default a; Infinity: nothing more is needed, the stream is closed).
   */
  read(a: number, b: number, keep = a): Promise<Float32Array> {
    const run = this.queue.then(() => this.take(a, b, keep));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The spans' sample rate: known once a read has opened the file (0 before). */
  get sampleRate(): number {
    return this.rate;
  }

  /** Once a read has reached the end of the file: its length in samples, and whether it holds less than its container declares. */
  get end(): { length: number; truncated: boolean } | null {
    return this.ended;
  }

  /** Closes the stream (a run that stops early, or after the last read). */
  async close(): Promise<void> {
    await this.queue;
    await this.stream?.return().catch(() => undefined);
    this.stream = null;
    this.buf = new Float32Array(0);
    this.bufLen = 0;
  }

  private async take(a: number, b: number, keep: number): Promise<Float32Array> {
    try {
      // A decode error ends the file there: the spans that need samples past it fail with it.
      if (this.failed && b > this.failed.at) throw this.failed.error;
      if (a < this.bufStart || this.stream === null) await this.open();
      while (!this.eof && this.bufStart + this.bufLen < b) {
        let r: IteratorResult<{ channels: Float32Array[]; sampleRate: number }>;
        try {
          r = await this.stream!.next();
        } catch (err) {
          this.failed = { at: this.bufStart + this.bufLen, error: err };
          await this.stream?.return().catch(() => undefined);
          this.stream = null;
          throw err;
        }
        if (r.done) {
          this.eof = true;
          this.ended = { length: this.bufStart + this.bufLen, truncated: this.stream!.truncated };
        } else {
          this.rate = r.value.sampleRate;
          this.append(r.value.channels[0]!);
        }
      }
      const end = Math.min(b, this.bufStart + this.bufLen);
      return this.buf.slice(Math.min(this.bufLen, a - this.bufStart), Math.max(0, end - this.bufStart));
    } finally {
      await this.trim(keep);
    }
  }

  private async open(): Promise<void> {
    await this.stream?.return();
    this.options.onOpen?.();
    this.stream = openAudioStream(this.file, { mono: true, ...(this.options.sampleRate === undefined ? {} : { sampleRate: this.options.sampleRate }) });
    this.bufStart = 0;
    this.bufLen = 0;
    this.eof = false;
  }

  private append(x: Float32Array): void {
    if (this.bufLen + x.length > this.buf.length) {
      const grown = new Float32Array(Math.max(this.bufLen + x.length, 2 * this.buf.length));
      grown.set(this.buf.subarray(0, this.bufLen));
      this.buf = grown;
    }
    this.buf.set(x, this.bufLen);
    this.bufLen += x.length;
  }

  /** Drops the samples before `keep`; closes the stream when nothing more is needed. */
  private async trim(keep: number): Promise<void> {
    if (keep === Infinity) {
      await this.stream?.return();
      this.stream = null;
      this.buf = new Float32Array(0);
      this.bufLen = 0;
      return;
    }
    const end = this.bufStart + this.bufLen;
    // Beyond the limit, forget the samples: the span that needs them reopens the file.
    const from = end - keep > SEGMENT_BUFFER_LIMIT ? end : Math.min(end, Math.max(this.bufStart, keep));
    if (from > this.bufStart) {
      this.buf.copyWithin(0, from - this.bufStart, this.bufLen);
      this.bufLen = end - from;
      this.bufStart = from;
    }
  }
}
