/**
 * loadAudio / loadAudioSync / probeAudio: WAV through our native reader (only the requested
 * span is read from disk), FLAC / Ogg Vorbis / Opus / MP3 through WASM decoders on worker
 * threads, then optional resampling with the native Resample kernel.
 */
import { open, readFile } from 'node:fs/promises';
import { AudiomillError, fromNative } from '../errors.js';
import { Resample } from '../dsp/resample.js';
import { codecPool, callSync, type CodecCall } from './codec-pool.js';
import { parseFlac, parseMp3, parseOgg, type CompressedHeader } from './headers.js';
import {
  checkChannel, checkSource, formatOf, frameSpan, kindOf, openWav, pathOf, readHead, readHeadSync, spanOptions,
  withPath, type Head, type Kind, type SpanOptions,
} from './source.js';
import type { AudioData, AudioInfo, AudioSource, LoadAudioOptions } from './types.js';
import { int } from '../validate.js';

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

function checkThreads(options: LoadAudioOptions): number | undefined {
  return options.threads === undefined ? undefined : int(options.threads, 'threads', 1, 1024);
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
 * Decodes an audio file (or its bytes) into Float32Array channels, optionally a span of it,
 * mixed to mono (default) or one channel, and resampled. Never blocks the event loop on
 * decoding: WAV reads run on the native pool, other formats on decoder worker threads.
 */
export async function loadAudio(source: AudioSource, options: LoadAudioOptions = {}): Promise<AudioData> {
  source = checkSource(source);
  const span = spanOptions(options);
  const threads = checkThreads(options);
  const path = pathOf(source);
  const kind = kindOf(await readHead(source), path);
  let decoded: Decoded;
  if (kind === 'wav') {
    const wav = openWav(source);
    try {
      const info = wav.info();
      checkChannel(span, info.channels, path);
      const { start, count } = frameSpan(span, info.sampleRate, info.numFrames);
      const site = new Error();
      const channels = await wav.read(start, count, span.mix, span.channel, true).catch((err: unknown) => {
        throw withPath(fromNative(err, site, path), path);
      });
      decoded = { channels, sampleRate: info.sampleRate, sourceChannels: info.channels, codec: info.subtype, truncated: info.truncated };
    } finally {
      wav.close();
    }
  } else {
    const pool = codecPool();
    const r = await pool.call(pool.pick(), codecCall(source, kind, span), path);
    checkChannel(span, r.sourceChannels!, path);
    decoded = { channels: r.channels!, sampleRate: r.sampleRate!, sourceChannels: r.sourceChannels!, codec: codecName(kind, r.bitDepth), truncated: false };
  }
  const target = span.sampleRate ?? decoded.sampleRate;
  if (target !== decoded.sampleRate) {
    decoded.channels = await resamplerFor(decoded.sampleRate, target, span).computeBatch(decoded.channels, threads === undefined ? {} : { threads });
  }
  return finish(kind, decoded, target);
}

/** loadAudio on the calling thread (compressed formats: the thread waits for a decoder worker). */
export function loadAudioSync(source: AudioSource, options: LoadAudioOptions = {}): AudioData {
  source = checkSource(source);
  const span = spanOptions(options);
  const threads = checkThreads(options);
  const path = pathOf(source);
  const kind = kindOf(readHeadSync(source), path);
  let decoded: Decoded;
  if (kind === 'wav') {
    const wav = openWav(source);
    try {
      const info = wav.info();
      checkChannel(span, info.channels, path);
      const { start, count } = frameSpan(span, info.sampleRate, info.numFrames);
      let channels: Float32Array[];
      try {
        channels = wav.read(start, count, span.mix, span.channel, false);
      } catch (err) {
        throw withPath(fromNative(err, new Error(), path), path);
      }
      decoded = { channels, sampleRate: info.sampleRate, sourceChannels: info.channels, codec: info.subtype, truncated: info.truncated };
    } finally {
      wav.close();
    }
  } else {
    const r = callSync(codecCall(source, kind, span), path);
    checkChannel(span, r.sourceChannels!, path);
    decoded = { channels: r.channels!, sampleRate: r.sampleRate!, sourceChannels: r.sourceChannels!, codec: codecName(kind, r.bitDepth), truncated: false };
  }
  const target = span.sampleRate ?? decoded.sampleRate;
  if (target !== decoded.sampleRate) {
    decoded.channels = resamplerFor(decoded.sampleRate, target, span).computeBatchSync(decoded.channels, threads === undefined ? {} : { threads });
  }
  return finish(kind, decoded, target);
}

const TAIL_BYTES = 1 << 16;

async function readTail(source: AudioSource, size: number): Promise<Uint8Array> {
  if (typeof source !== 'string') return source.subarray(Math.max(0, source.length - TAIL_BYTES));
  const fh = await open(source, 'r');
  try {
    const n = Math.min(TAIL_BYTES, size);
    const tail = new Uint8Array(n);
    const { bytesRead } = await fh.read(tail, 0, n, size - n);
    return tail.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/**
 * Reads a file's format, codec, sample rate, channels and length from its headers, without
 * decoding (an MP3 without a Xing/Info tag is measured by walking its frame headers).
 */
export async function probeAudio(source: AudioSource): Promise<AudioInfo> {
  source = checkSource(source);
  const path = pathOf(source);
  const head: Head = await readHead(source);
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
  if (kind === 'flac') h = parseFlac(head.head);
  else if (kind === 'mp3') {
    h = parseMp3(head.head, head.size);
    if (h !== null && h.numFrames < 0) h = parseMp3(head.head, head.size, typeof source === 'string' ? new Uint8Array(await readFile(source)) : source);
  } else h = parseOgg(head.head, await readTail(source, head.size));
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
  };
}
