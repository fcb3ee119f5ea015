/**
 * Shared steps of loadAudio, probeAudio and openAudioStream: validating options, reading the
 * first bytes of a source, deciding its format (bytes first, extension only to word the error),
 * and opening WAV files natively.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { AudiomillError, fromNative, ioError } from '../errors.js';
import type { NativeChannelMix, NativeWavFile } from '../native/binding.js';
import { native } from '../native/load.js';
import type { ResampleOptions } from '../dsp/resample.js';
import { bool, float32, int, num, oneOf, typeError } from '../validate.js';
import type { CodecKind } from './codec-worker.js';
import { detectFormat, parseFlac, parseMp3, parseOgg } from './headers.js';
import type { AudioFormat, AudioSource, LoadAudioOptions } from './types.js';

export const HEAD_BYTES = 1 << 16;

export interface Head {
  head: Uint8Array;
  size: number;
}

export type Kind = 'wav' | CodecKind;

const EXTENSIONS: Record<string, string> = {
  '.wav': 'WAV', '.wave': 'WAV', '.rf64': 'WAV', '.bwf': 'WAV', '.flac': 'FLAC', '.mp3': 'MP3',
  '.ogg': 'Ogg', '.oga': 'Ogg', '.opus': 'Opus',
};

export function pathOf(source: AudioSource): string | undefined {
  return typeof source === 'string' ? source : undefined;
}

export function checkSource(source: unknown): AudioSource {
  if (typeof source === 'string') {
    if (source.length === 0) throw typeError('a file path or a Uint8Array', 'source', source);
    return source;
  }
  if (source instanceof Uint8Array) return source;
  throw typeError('a file path or a Uint8Array', 'source', source);
}

/** The first HEAD_BYTES bytes and the size of a source. */
export async function readHead(source: AudioSource): Promise<Head> {
  if (typeof source !== 'string') return { head: source.subarray(0, HEAD_BYTES), size: source.length };
  try {
    const st = await stat(source);
    if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    const fh = await open(source, 'r');
    try {
      const head = new Uint8Array(Math.min(HEAD_BYTES, st.size));
      const { bytesRead } = await fh.read(head, 0, head.length, 0);
      return { head: head.subarray(0, bytesRead), size: st.size };
    } finally {
      await fh.close();
    }
  } catch (err) {
    throw ioError('read', source, err);
  }
}

export function readHeadSync(source: AudioSource): Head {
  if (typeof source !== 'string') return { head: source.subarray(0, HEAD_BYTES), size: source.length };
  try {
    const st = statSync(source);
    if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    const fd = openSync(source, 'r');
    try {
      const head = new Uint8Array(Math.min(HEAD_BYTES, st.size));
      const n = readSync(fd, head, 0, head.length, 0);
      return { head: head.subarray(0, n), size: st.size };
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    throw ioError('read', source, err);
  }
}

/** The decoder for a source, or EMPTY / DECODE_CORRUPT / UNSUPPORTED_FORMAT. */
export function kindOf({ head, size }: Head, path: string | undefined): Kind {
  const where = path === undefined ? {} : { path };
  const name = path === undefined ? 'the audio bytes' : `'${path}'`;
  if (size === 0) throw new AudiomillError('EMPTY', `${name} is empty (0 bytes)`, where);
  const detected = detectFormat(head);
  if (detected !== null) return detected === 'opus' ? 'opus' : detected;
  const claimed = path === undefined ? undefined : EXTENSIONS[extname(path).toLowerCase()];
  if (claimed !== undefined)
    throw new AudiomillError('DECODE_CORRUPT', `${name} has a ${claimed} extension but its bytes are not ${claimed} audio (corrupt or mislabelled)`, where);
  throw new AudiomillError('UNSUPPORTED_FORMAT', `${name} is not in a supported format (WAV, FLAC, MP3, Ogg Vorbis, Opus)`, where);
}

export function formatOf(kind: Kind): AudioFormat {
  return kind === 'ogg-flac' ? 'flac' : kind;
}

/** Opens a WAV source natively (header parsed); native errors carry the path. */
export function openWav(source: AudioSource): NativeWavFile {
  const site = new Error();
  try {
    return new (native().WavFile)(source);
  } catch (err) {
    throw withPath(fromNative(err, site, pathOf(source)), pathOf(source));
  }
}

/** Adds the path to an AudiomillError's message when the native layer did not name it. */
export function withPath(err: Error, path: string | undefined): Error {
  if (path !== undefined && err instanceof AudiomillError && !err.message.includes(path)) err.message = `${err.message} (${path})`;
  return err;
}

export interface SpanOptions {
  mix: NativeChannelMix;
  channel: number;
  offset: number;
  duration: number | null;
  sampleRate: number | undefined;
  resample: Omit<ResampleOptions, 'origFreq' | 'newFreq'>;
  /** Arrays to decode WAV into when they fit (loadAudio's `out`). */
  out: Float32Array[] | undefined;
}

/** Validates the options shared by loadAudio and openAudioStream. */
export function spanOptions(options: LoadAudioOptions): SpanOptions {
  if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
  const channel = options.channel === undefined ? -1 : int(options.channel, 'channel', 0, 1023);
  const mono = options.mono === undefined ? true : bool(options.mono, 'mono');
  const mix: NativeChannelMix = channel >= 0 ? 'one' : mono ? 'mean' : 'all';
  const offset = options.offset === undefined ? 0 : num(options.offset, 'offset', { min: 0 });
  const duration = options.duration === undefined ? null : num(options.duration, 'duration', { min: 0 });
  const sampleRate = options.sampleRate === undefined ? undefined : int(options.sampleRate, 'sampleRate', 1, 2 ** 31 - 1);
  const r = options.resample ?? 'torchaudio';
  const resample = typeof r === 'string' ? { preset: oneOf(r, 'resample', ['torchaudio', 'kaiser_best', 'fast'] as const) } : r;
  if (resample === null || typeof resample !== 'object') throw typeError("a preset name or an options object", 'resample', r);
  let out: Float32Array[] | undefined;
  if (options.out !== undefined) {
    if (!Array.isArray(options.out)) throw typeError('an array of Float32Array', 'out', options.out);
    out = options.out.map((o, i) => float32(o, `out[${i}]`));
  }
  return { mix, channel: Math.max(channel, 0), offset, duration, sampleRate, resample, out };
}

/** Frames [start, start + count) of a file at `rate` for an offset and duration in seconds (librosa's rounding). */
export function frameSpan(span: SpanOptions, rate: number, total: number): { start: number; count: number } {
  const start = Math.min(Math.round(span.offset * rate), total);
  const count = span.duration === null ? total - start : Math.min(Math.round(span.duration * rate), total - start);
  return { start, count };
}

/**
 * A channel index the file does not have: a RangeError, as every argument error, with the path in
 * the message (the channel count is only known once the header is read). Every format is checked
 * here, before decoding where the header tells the count (checkHeaderChannel), else on the first
 * decoded block (the decoder worker answers the same RangeError).
 */
export function checkChannel(span: SpanOptions, channels: number, path: string | undefined): void {
  if (span.mix === 'one' && span.channel >= channels)
    throw new RangeError(`Expected a channel index below ${channels} for channel but received ${span.channel}${path ? ` (${path})` : ''}`);
}

/** checkChannel against a compressed file's header, before any decoding (no-op when the header does not parse). */
export function checkHeaderChannel(span: SpanOptions, kind: Exclude<Kind, 'wav'>, { head, size }: Head, path: string | undefined): void {
  if (span.mix !== 'one') return;
  const h = kind === 'flac' ? parseFlac(head) : kind === 'mp3' ? parseMp3(head, size) : parseOgg(head, new Uint8Array(0));
  if (h !== null && h.channels > 0) checkChannel(span, h.channels, path);
}
