/**
 * openAudioStream: an async iterator of fixed-size blocks over a file of any length, in
 * bounded memory. WAV spans are read natively block by block; compressed formats are decoded
 * chunk by chunk on a decoder worker; the resampler carries its state across blocks, so the
 * concatenated blocks equal loadAudio's output for the same options.
 */
import { AudiomillError, fromNative } from '../errors.js';
import type { NativeWavFile } from '../native/binding.js';
import { int, typeError } from '../validate.js';
import type { ResampleStream } from '../dsp/resample.js';
import { codecPool } from './codec-pool.js';
import { resamplerFor } from './load.js';
import {
  checkChannel, checkHeaderChannel, checkSource, frameSpan, kindOf, openWav, pathOf, readHead, spanOptions, withPath, type Kind, type SpanOptions,
} from './source.js';
import type { AudioBlock, AudioSource, AudioStreamOptions } from './types.js';

/** Raw blocks at the file's rate: the next block of mixed channels, or null at the end. */
interface RawReader {
  sampleRate: number;
  channels: number;
  /** The container declares more frames than the file holds (set by the end of the stream for decoders). */
  truncated: boolean;
  next(): Promise<Float32Array[] | null>;
  close(): Promise<void>;
}

const WAV_BLOCK = 1 << 16;
const CODEC_CHUNK = 1 << 16;

async function wavReader(source: AudioSource, span: SpanOptions, path: string | undefined): Promise<RawReader> {
  const wav: NativeWavFile = openWav(source);
  const info = wav.info();
  checkChannel(span, info.channels, path);
  let { start, count } = frameSpan(span, info.sampleRate, info.numFrames);
  return {
    sampleRate: info.sampleRate,
    channels: span.mix === 'all' ? info.channels : 1,
    truncated: info.truncated,
    async next() {
      if (count <= 0) return null;
      const n = Math.min(WAV_BLOCK, count);
      const site = new Error();
      const block = await wav.read({ start, count: n, mix: span.mix, channel: span.channel }, true).catch((err: unknown) => {
        throw withPath(fromNative(err, site, path), path);
      });
      start += n;
      count -= n;
      if ((block[0]?.length ?? 0) < n) count = 0; // the file shrank
      return block;
    },
    async close() {
      wav.close();
    },
  };
}

async function codecReader(source: AudioSource, kind: Exclude<Kind, 'wav'>, span: SpanOptions, path: string | undefined): Promise<RawReader> {
  const pool = codecPool();
  const slot = pool.pick();
  const session = pool.session();
  const from = typeof source === 'string' ? { path: source } : { bytes: source };
  await pool.call(slot, { op: 'open', session, kind, mix: span.mix, channel: span.channel, ...from }, path);
  let seen = 0; // frames decoded so far, at the file's rate
  let start = -1;
  let end = Infinity;
  let closed = false;
  let pending: Float32Array[] | null = null;
  const reader: RawReader = {
    sampleRate: 0,
    channels: 0,
    truncated: false,
    async next() {
      if (pending !== null) {
        const p = pending;
        pending = null;
        return p;
      }
      for (;;) {
        if (closed || seen >= end) return null;
        const r = await pool.call(slot, { op: 'next', session, bytes: CODEC_CHUNK }, path);
        if (r.done) {
          reader.truncated = r.truncated === true;
          return null;
        }
        const block = r.channels!;
        if (start < 0) {
          checkChannel(span, r.sourceChannels!, path);
          reader.sampleRate = r.sampleRate!;
          reader.channels = span.mix === 'all' ? r.sourceChannels! : 1;
          start = Math.round(span.offset * reader.sampleRate);
          if (span.duration !== null) end = start + Math.round(span.duration * reader.sampleRate);
        }
        const n = block[0]!.length;
        const a = Math.max(start, seen) - seen;
        const b = Math.min(end, seen + n) - seen;
        seen += n;
        if (b > a) return block.map((c) => (a === 0 && b === n ? c : c.subarray(a, b)));
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.call(slot, { op: 'close', session }, path).catch(() => undefined);
    },
  };
  try {
    // The first decoded block tells the rate and the channel count; it is handed out again by next().
    pending = await reader.next();
  } catch (err) {
    await reader.close();
    throw err;
  }
  if (reader.sampleRate === 0) {
    await reader.close();
    throw new AudiomillError('DECODE_CORRUPT', `no audio could be decoded${path === undefined ? '' : ` from '${path}'`}`, path === undefined ? {} : { path });
  }
  return reader;
}

/** Cuts a stream of variable-size blocks into blocks of exactly `size` frames (the last one shorter). */
class Rebuffer {
  private parts: Float32Array[][] = [];
  private held = 0;

  constructor(private readonly size: number) {}

  push(block: Float32Array[]): void {
    if ((block[0]?.length ?? 0) === 0) return;
    this.parts.push(block);
    this.held += block[0]!.length;
  }

  /** A full block if one is held (or, when `final`, whatever is left). */
  take(final: boolean): Float32Array[] | null {
    if (this.held === 0 || (!final && this.held < this.size)) return null;
    const n = Math.min(this.size, this.held);
    const channels = this.parts[0]!.length;
    const out = Array.from({ length: channels }, () => new Float32Array(n));
    let filled = 0;
    while (filled < n) {
      const p = this.parts[0]!;
      const k = Math.min(p[0]!.length, n - filled);
      for (let c = 0; c < channels; c++) out[c]!.set(p[c]!.subarray(0, k), filled);
      filled += k;
      if (k === p[0]!.length) this.parts.shift();
      else this.parts[0] = p.map((x) => x.subarray(k));
    }
    this.held -= n;
    return out;
  }
}

/** An async iterator of audio blocks; `for await (const block of openAudioStream(path))`. */
export class AudioStream implements AsyncIterableIterator<AudioBlock> {
  private reader: Promise<RawReader> | undefined;
  private resamplers: ResampleStream[] | null | undefined;
  private readonly rebuffer: Rebuffer;
  private produced = 0;
  private ended = false;
  private outRate = 0;
  private readonly span: SpanOptions;
  private readonly blockSize: number;
  private readonly source: AudioSource;

  constructor(source: AudioSource, options: AudioStreamOptions = {}) {
    this.source = checkSource(source);
    this.span = spanOptions(options);
    this.blockSize = options.blockSize === undefined ? 65536 : int(options.blockSize, 'blockSize', 1, 2 ** 28);
    this.rebuffer = new Rebuffer(this.blockSize);
  }

  private async open(): Promise<RawReader> {
    const path = pathOf(this.source);
    const head = await readHead(this.source);
    const kind = kindOf(head, path);
    if (kind !== 'wav') checkHeaderChannel(this.span, kind, head, path);
    const reader = kind === 'wav' ? await wavReader(this.source, this.span, path) : await codecReader(this.source, kind, this.span, path);
    this.outRate = this.span.sampleRate ?? reader.sampleRate;
    if (reader.sampleRate > 0 && this.outRate !== reader.sampleRate) {
      const r = resamplerFor(reader.sampleRate, this.outRate, this.span);
      this.resamplers = Array.from({ length: reader.channels }, () => r.stream());
    } else {
      this.resamplers = null;
    }
    return reader;
  }

  /**
   * Whether the file holds fewer frames than its container declares (WAV data size, FLAC STREAMINFO, an
   * MP3 Xing/Info count): known from the header for WAV, by the end of the stream for compressed files
   * (false before). loadAudio's `truncated` also checks the file's tail (an Ogg stream without its last page).
   */
  get truncated(): boolean {
    return this.rawTruncated;
  }
  private rawTruncated = false;

  async next(): Promise<IteratorResult<AudioBlock>> {
    this.reader ??= this.open();
    const reader = await this.reader;
    for (;;) {
      const ready = this.rebuffer.take(this.ended);
      if (ready !== null) {
        const block: AudioBlock = { channels: ready, numFrames: ready[0]!.length, start: this.produced, sampleRate: this.outRate };
        this.produced += block.numFrames;
        return { value: block, done: false };
      }
      if (this.ended) {
        await reader.close();
        return { value: undefined, done: true };
      }
      const raw = await reader.next();
      this.rawTruncated = reader.truncated;
      if (raw === null) {
        this.ended = true;
        if (this.resamplers) this.rebuffer.push(this.resamplers.map((r) => r.flush()));
      } else {
        this.rebuffer.push(this.resamplers ? raw.map((c, i) => this.resamplers![i]!.push(c)) : raw);
      }
    }
  }

  /** Stops early (a `break` in for-await calls this): closes the file or decoder session. */
  async return(): Promise<IteratorResult<AudioBlock>> {
    this.ended = true;
    if (this.reader) await (await this.reader).close();
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

/**
 * Streams an audio file as blocks of `blockSize` frames (default 65536) at `sampleRate`
 * (default: the file's rate), mixed as loadAudio mixes, in memory bounded by the block size.
 */
export function openAudioStream(source: AudioSource, options: AudioStreamOptions = {}): AudioStream {
  if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
  return new AudioStream(source, options);
}
