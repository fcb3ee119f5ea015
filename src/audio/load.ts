/**
 * loadAudio / loadAudioSync / probeAudio / probeAudioSync: WAV through our native reader (only the requested
 * span is read from disk), FLAC / Ogg Vorbis / Opus / MP3 through WASM decoders on worker
 * threads, then optional resampling with the native Resample kernel.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { open, readFile, type FileHandle } from 'node:fs/promises';
import { AudiomillError, awaitNative, fromNative } from '../errors.js';
import { defaultResampleKernel, Resample } from '../dsp/resample.js';
import { codecPool, callSync, type CodecCall } from './codec-pool.js';
import type { DecodedReply } from './codec-worker.js';
import type { NativeAcousticStats, NativeAcousticStatsPlan, NativeWavFile } from '../native/binding.js';
import { native } from '../native/load.js';
import { headerTruncated, parseFlac, parseMp3, parseOgg, type CompressedHeader } from './headers.js';
import {
  checkChannel, checkHeaderChannel, checkSource, formatOf, frameSpan, kindOf, openWav, pathOf, readHead, readHeadSync, spanOptions,
  withPath, type Head, type Kind, type SpanOptions,
} from './source.js';
import type { AudioData, AudioInfo, AudioSource, LoadAudioOptions } from './types.js';
import { threadsOption } from '../validate.js';

const resamplers = new Map<string, Resample>();

/** A Resample for this rate pair and kernel, built once and reused (kernels are immutable). */
export function resamplerFor(orig: number, target: number, span: SpanOptions): Resample {
  const key = JSON.stringify([orig, target, span.resample]);
  let r = resamplers.get(key);
  if (!r) {
    r = new Resample({ ...span.resample, origFreq: orig, newFreq: target });
    if (resamplers.size > 64) resamplers.clear();
    resamplers.set(key, r);
  }
  return r;
}

interface Decoded {
  channels: Float32Array[];
  sampleRate: number;
  sourceChannels: number;
  codec: string;
  truncated: boolean;
}

function finish(kind: Kind, d: Decoded, sampleRate: number): AudioData {
  const numFrames = d.channels[0]?.length ?? 0;
  return {
    sampleRate,
    channels: d.channels,
    numFrames,
    duration: numFrames / sampleRate,
    format: formatOf(kind),
    codec: d.codec,
    sourceSampleRate: d.sampleRate,
    sourceChannels: d.sourceChannels,
    truncated: d.truncated,
  };
}

function codecCall(source: AudioSource, kind: Exclude<Kind, 'wav'>, span: SpanOptions): CodecCall {
  return {
    op: 'decode',
    kind,
    mix: span.mix,
    channel: span.channel,
    offset: span.offset,
    duration: span.duration,
    ...(typeof source === 'string' ? { path: source } : { bytes: source }),
  };
}

function codecName(kind: Kind, bitDepth: number | undefined): string {
  if (kind === 'flac' || kind === 'ogg-flac') return bitDepth && bitDepth <= 8 ? 'PCM_S8' : `PCM_${bitDepth ?? 16}`;
  return kind === 'ogg' ? 'VORBIS' : kind === 'opus' ? 'OPUS' : 'MPEG_LAYER_III';
}

/**
 * The steps that differ between loadAudio and loadAudioSync. Each returns its value (sync) or a
 * Promise of it (async); the one body below (a generator) yields every step's result and is
 * driven by runSync or runAsync, so both forms share every line of logic.
 */
interface LoadIo {
  readHead(source: AudioSource): Head | Promise<Head>;
  /** With `resample`, the frames pass through it on the way (decoded and resampled block by block). */
  readWav(wav: NativeWavFile, start: number, count: number, span: SpanOptions, resample: Resample | undefined, out: Float32Array[] | undefined): Float32Array[] | Promise<Float32Array[]>;
  decode(call: CodecCall, path: string | undefined): DecodedReply | Promise<DecodedReply>;
  resample(r: Resample, channels: Float32Array[], threads: number | undefined): Float32Array[] | Promise<Float32Array[]>;
}

const syncIo: LoadIo = {
  readHead: readHeadSync,
  readWav: (wav, start, count, span, r, out) => wav.read({ start, count, mix: span.mix, channel: span.channel, out, resampler: r?.native }, false),
  decode: callSync,
  resample: (r, channels, threads) => r.computeBatch(channels, threads === undefined ? {} : { threads }),
};

const asyncIo: LoadIo = {
  readHead,
  readWav: (wav, start, count, span, r, out) => wav.read({ start, count, mix: span.mix, channel: span.channel, out, resampler: r?.native }, true),
  decode: (call, path) => {
    const pool = codecPool();
    return pool.call(pool.pick(), call, path);
  },
  resample: (r, channels, threads) => r.computeBatchAsync(channels, threads === undefined ? {} : { threads }),
};

/** The native WAV reader on `source` if it is a readable, valid WAV file, else undefined. */
function tryWav(source: AudioSource): NativeWavFile | undefined {
  try {
    return new (native().WavFile)(source);
  } catch {
    return undefined;
  }
}

/** What wavStatsFiles gives for a file: its facts and the statistics of its (mixed, resampled) samples. */
export interface WavStats {
  sampleRate: number;
  sourceSampleRate: number;
  sourceChannels: number;
  codec: string;
  truncated: boolean;
  /** Samples the statistics saw, at sampleRate. */
  numFrames: number;
  duration: number;
  stats: NativeAcousticStats;
}

/**
 * Internal (the manifest's hot path): WAV files mixed to mono, resampled to `sampleRate` (default: each file's
 * own) and their acoustic statistics, in one native task on the pool (files open, decode and compute on worker
 * threads; the samples never reach JS). The values equal loadAudio({ mono: true, sampleRate }) then
 * acousticStatsBatch. Undefined for a file our WAV reader does not take (another format, a corrupt header, an
 * I/O error): the caller then goes the generic way, which words every error.
 */
export async function wavStatsFiles(paths: readonly string[], sampleRate: number | undefined, plan: NativeAcousticStatsPlan, threads: number): Promise<(WavStats | undefined)[]> {
  const kernel = sampleRate === undefined ? undefined : defaultResampleKernel();
  const got = await awaitNative(() => native().wavStatsFiles([...paths], { plan, threads, ...(kernel ? { sampleRate, resample: kernel } : {}) }, true));
  return got.map((w) => {
    if (w === null) return undefined;
    const rate = sampleRate ?? w.sampleRate;
    return { sampleRate: rate, sourceSampleRate: w.sampleRate, sourceChannels: w.channels, codec: w.subtype, truncated: w.truncated, numFrames: w.frames, duration: w.frames / rate, stats: w.stats };
  });
}

function* loadSteps(source: AudioSource, options: LoadAudioOptions, io: LoadIo): Generator<unknown, AudioData, unknown> {
  source = checkSource(source);
  const span = spanOptions(options);
  const threads = threadsOption(options.threads);
  const path = pathOf(source);
  // Most datasets are WAV: try our reader first (its header parse is a few small reads), and only
  // read the head to detect the format when that fails (which also words any WAV error exactly).
  let wav = tryWav(source);
  const head = wav ? undefined : ((yield io.readHead(source)) as Head);
  const kind = head === undefined ? 'wav' : kindOf(head, path);
  let decoded: Decoded;
  let resampled = false;
  if (kind === 'wav') {
    wav ??= openWav(source);
    try {
      const info = wav.info();
      checkChannel(span, info.channels, path);
      const { start, count } = frameSpan(span, info.sampleRate, info.numFrames);
      // Resampling WAV is fused into the read: no full-rate copy of the span is held.
      const target = span.sampleRate ?? info.sampleRate;
      const r = target === info.sampleRate ? undefined : resamplerFor(info.sampleRate, target, span);
      const site = new Error();
      // The caller's arrays when there is one per output channel and each holds the output.
      const length = r ? r.outputLength(count) : count;
      const outputs = span.mix === 'all' ? info.channels : 1;
      const out = span.out && span.out.length === outputs && span.out.every((o) => o.length >= length) ? span.out : undefined;
      let channels: Float32Array[];
      try {
        channels = (yield io.readWav(wav, start, count, span, r, out)) as Float32Array[];
      } catch (err) {
        throw withPath(fromNative(err, site, path), path);
      }
      resampled = r !== undefined;
      decoded = { channels, sampleRate: info.sampleRate, sourceChannels: info.channels, codec: info.subtype, truncated: info.truncated };
    } finally {
      wav.close();
    }
  } else {
    checkHeaderChannel(span, kind, head!, path);
    const r = (yield io.decode(codecCall(source, kind, span), path)) as DecodedReply;
    checkChannel(span, r.sourceChannels!, path);
    // Cut short: by the container's rules (headers.ts), or fewer frames decoded than the header declares.
    const truncated = r.truncated === true || headerTruncated(kind, head!.head, yield* readTail(source, head!.size, io === syncIo), head!.size);
    decoded = { channels: r.channels!, sampleRate: r.sampleRate!, sourceChannels: r.sourceChannels!, codec: codecName(kind, r.bitDepth), truncated };
  }
  const target = span.sampleRate ?? decoded.sampleRate;
  if (target !== decoded.sampleRate && !resampled) {
    decoded.channels = (yield io.resample(resamplerFor(decoded.sampleRate, target, span), decoded.channels, threads)) as Float32Array[];
  }
  return finish(kind, decoded, target);
}

function runSync<T>(steps: Generator<unknown, T, unknown>): T {
  let r = steps.next();
  while (!r.done) r = steps.next(r.value);
  return r.value;
}

async function runAsync<T>(steps: Generator<unknown, T, unknown>): Promise<T> {
  let r = steps.next();
  while (!r.done) {
    let value: unknown;
    try {
      value = await r.value;
    } catch (err) {
      r = steps.throw(err);
      continue;
    }
    r = steps.next(value);
  }
  return r.value;
}

/**
 * Decodes an audio file (or its bytes) into Float32Array channels, optionally a span of it,
 * mixed to mono (default) or one channel, and resampled. Never blocks the event loop on
 * decoding: WAV reads run on the native pool, other formats on decoder worker threads.
 */
export function loadAudio(source: AudioSource, options: LoadAudioOptions = {}): Promise<AudioData> {
  return runAsync(loadSteps(source, options, asyncIo));
}

/** loadAudio on the calling thread (compressed formats: the thread waits for a decoder worker). */
export function loadAudioSync(source: AudioSource, options: LoadAudioOptions = {}): AudioData {
  return runSync(loadSteps(source, options, syncIo));
}

const TAIL_BYTES = 1 << 16;

/** The last TAIL_BYTES of a source (Ogg: the last page holds the length). */
function* readTail(source: AudioSource, size: number, sync: boolean): Generator<unknown, Uint8Array, unknown> {
  if (typeof source !== 'string') return source.subarray(Math.max(0, source.length - TAIL_BYTES));
  const n = Math.min(TAIL_BYTES, size);
  const tail = new Uint8Array(n);
  try {
    if (sync) {
      const fd = openSync(source, 'r');
      try {
        return tail.subarray(0, readSync(fd, tail, 0, n, size - n));
      } finally {
        closeSync(fd);
      }
    }
    const fh = (yield open(source, 'r')) as FileHandle;
    try {
      const { bytesRead } = (yield fh.read(tail, 0, n, size - n)) as { bytesRead: number };
      return tail.subarray(0, bytesRead);
    } finally {
      yield fh.close();
    }
  } catch (err) {
    throw new AudiomillError('IO', `cannot read '${source}': ${(err as Error).message}`, { path: source, cause: err });
  }
}

/** A whole file's bytes (an MP3 without a Xing/Info tag is measured frame by frame). */
function* readWhole(source: string, sync: boolean): Generator<unknown, Uint8Array, unknown> {
  try {
    const b = sync ? readFileSync(source) : ((yield readFile(source)) as Buffer);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  } catch (err) {
    throw new AudiomillError('IO', `cannot read '${source}': ${(err as Error).message}`, { path: source, cause: err });
  }
}

function* probeSteps(source: AudioSource, sync: boolean): Generator<unknown, AudioInfo, unknown> {
  source = checkSource(source);
  const path = pathOf(source);
  const head = (yield sync ? readHeadSync(source) : readHead(source)) as Head;
  const kind = kindOf(head, path);
  const where = path === undefined ? {} : { path };
  if (kind === 'wav') {
    const wav = openWav(source);
    const info = wav.info();
    wav.close();
    return {
      ...where,
      format: 'wav',
      codec: info.subtype,
      sampleRate: info.sampleRate,
      channels: info.channels,
      numFrames: info.numFrames,
      duration: info.numFrames / info.sampleRate,
      fileSize: info.fileSize,
      bitsPerSample: info.bitsPerSample,
      truncated: info.truncated,
    };
  }
  let h: CompressedHeader | null;
  const tail = yield* readTail(source, head.size, sync);
  if (kind === 'flac') h = parseFlac(head.head);
  else if (kind === 'mp3') {
    h = parseMp3(head.head, head.size);
    if (h !== null && h.numFrames < 0) h = parseMp3(head.head, head.size, typeof source === 'string' ? yield* readWhole(source, sync) : source);
  } else h = parseOgg(head.head, tail);
  if (h === null) throw new AudiomillError('DECODE_CORRUPT', `${path === undefined ? 'the audio bytes' : `'${path}'`}: the ${formatOf(kind)} header is corrupt`, where);
  return {
    ...where,
    format: h.format,
    codec: h.codec,
    sampleRate: h.sampleRate,
    channels: h.channels,
    numFrames: h.numFrames,
    duration: h.numFrames / h.sampleRate,
    fileSize: head.size,
    ...(h.bitsPerSample === undefined ? {} : { bitsPerSample: h.bitsPerSample }),
    truncated: headerTruncated(kind, head.head, tail, head.size),
  };
}

/**
 * Reads a file's format, codec, sample rate, channels and length from its headers, without
 * decoding (an MP3 without a Xing/Info tag is measured by walking its frame headers).
 */
export function probeAudio(source: AudioSource): Promise<AudioInfo> {
  return runAsync(probeSteps(source, false));
}

/** probeAudio on the calling thread. */
export function probeAudioSync(source: AudioSource): AudioInfo {
  return runSync(probeSteps(source, true));
}
