/**
 * Format detection and header parsing for the compressed formats, from the first and last
 * bytes of a file only (no decoding): FLAC STREAMINFO, Ogg identification headers with the
 * last page's granule position, and MP3 frame headers with the Xing/Info + LAME gapless tag.
 * Every read is bounds-checked; a header that does not parse yields null (the caller reports
 * DECODE_CORRUPT).
 */
import type { AudioFormat } from './types.js';

/** Format family by magic bytes; 'ogg' still needs the first packet to tell Vorbis, Opus and FLAC apart. */
export type Detected = AudioFormat | 'ogg-flac' | null;

export interface CompressedHeader {
  format: AudioFormat;
  codec: string;
  sampleRate: number;
  channels: number;
  numFrames: number;
  bitsPerSample?: number;
}

const ascii = (b: Uint8Array, at: number, s: string): boolean => {
  if (at < 0 || at + s.length > b.length) return false;
  for (let i = 0; i < s.length; i++) if (b[at + i] !== s.charCodeAt(i)) return false;
  return true;
};

/** Size of a leading ID3v2 tag (0 if none). */
export function id3v2Size(b: Uint8Array): number {
  if (!ascii(b, 0, 'ID3') || b.length < 10) return 0;
  const size = ((b[6]! & 0x7f) << 21) | ((b[7]! & 0x7f) << 14) | ((b[8]! & 0x7f) << 7) | (b[9]! & 0x7f);
  const footer = b[5]! & 0x10 ? 10 : 0;
  return 10 + size + footer;
}

/** Detects the format from the file's first bytes (at least 64 when the file has them). */
export function detectFormat(head: Uint8Array): Detected {
  if ((ascii(head, 0, 'RIFF') || ascii(head, 0, 'RF64') || ascii(head, 0, 'BW64')) && ascii(head, 8, 'WAVE')) return 'wav';
  if (ascii(head, 0, 'fLaC')) return 'flac';
  if (ascii(head, 0, 'OggS')) {
    const payload = oggFirstPayload(head);
    if (payload === null) return 'ogg';
    if (ascii(head, payload, '\x01vorbis')) return 'ogg';
    if (ascii(head, payload, 'OpusHead')) return 'opus';
    if (ascii(head, payload, '\x7fFLAC')) return 'ogg-flac';
    return null;
  }
  const skip = id3v2Size(head);
  if (skip > 0) {
    // A FLAC file may carry an ID3v2 tag too; MP3 is by far the common case.
    if (ascii(head, skip, 'fLaC')) return 'flac';
    return 'mp3';
  }
  if (parseMpegHeader(head, 0) !== null) return 'mp3';
  return null;
}

function oggFirstPayload(b: Uint8Array): number | null {
  if (b.length < 27) return null;
  const nsegs = b[26]!;
  return 27 + nsegs <= b.length ? 27 + nsegs : null;
}

const u16le = (b: Uint8Array, i: number) => b[i]! | (b[i + 1]! << 8);
const u32le = (b: Uint8Array, i: number) => (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;
const u32be = (b: Uint8Array, i: number) => ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;

/** FLAC STREAMINFO at `at` (the 34 bytes after the block header). */
function streamInfo(b: Uint8Array, at: number): CompressedHeader | null {
  if (at + 18 > b.length) return null;
  const sampleRate = (b[at + 10]! << 12) | (b[at + 11]! << 4) | (b[at + 12]! >> 4);
  const channels = ((b[at + 12]! >> 1) & 7) + 1;
  const bits = (((b[at + 12]! & 1) << 4) | (b[at + 13]! >> 4)) + 1;
  const total = (b[at + 13]! & 0x0f) * 2 ** 32 + u32be(b, at + 14);
  if (sampleRate === 0) return null;
  return { format: 'flac', codec: bits <= 8 ? 'PCM_S8' : `PCM_${bits}`, sampleRate, channels, numFrames: total, bitsPerSample: bits };
}

/** Parses the header of a native FLAC stream (after any ID3v2 tag). */
export function parseFlac(head: Uint8Array): CompressedHeader | null {
  const at = id3v2Size(head);
  if (!ascii(head, at, 'fLaC') || at + 8 > head.length) return null;
  if ((head[at + 4]! & 0x7f) !== 0) return null; // STREAMINFO must be the first block
  return streamInfo(head, at + 8);
}

/** Granule position and serial of the last Ogg page found in `tail`. */
function lastGranule(tail: Uint8Array, serial: number): number | null {
  for (let i = tail.length - 27; i >= 0; i--) {
    if (tail[i] !== 0x4f || !ascii(tail, i, 'OggS')) continue;
    if (u32le(tail, i + 14) !== serial) continue;
    const lo = u32le(tail, i + 6);
    const hi = u32le(tail, i + 10);
    if (hi === 0xffffffff && lo === 0xffffffff) continue; // no packet ends on this page
    return hi * 2 ** 32 + lo;
  }
  return null;
}

/** Parses an Ogg Vorbis / Opus / FLAC stream's identification header and its length from the last page. */
export function parseOgg(head: Uint8Array, tail: Uint8Array): CompressedHeader | null {
  const p = oggFirstPayload(head);
  if (p === null) return null;
  const serial = u32le(head, 14);
  const granule = lastGranule(tail, serial);
  if (ascii(head, p, '\x01vorbis') && p + 16 <= head.length) {
    const channels = head[p + 11]!;
    const sampleRate = u32le(head, p + 12);
    if (channels === 0 || sampleRate === 0) return null;
    return { format: 'ogg', codec: 'VORBIS', sampleRate, channels, numFrames: Math.max(0, granule ?? 0) };
  }
  if (ascii(head, p, 'OpusHead') && p + 19 <= head.length) {
    const channels = head[p + 9]!;
    const preSkip = u16le(head, p + 10);
    if (channels === 0) return null;
    return { format: 'opus', codec: 'OPUS', sampleRate: 48000, channels, numFrames: Math.max(0, (granule ?? 0) - preSkip) };
  }
  if (ascii(head, p, '\x7fFLAC') && ascii(head, p + 9, 'fLaC')) {
    const info = streamInfo(head, p + 17);
    return info === null ? null : { ...info, numFrames: info.numFrames || Math.max(0, granule ?? 0) };
  }
  return null;
}

interface MpegFrame {
  sampleRate: number;
  channels: number;
  samplesPerFrame: number;
  frameLength: number;
  sideInfo: number;
  crc: boolean;
  layer: number;
}

const MPEG_RATES = [
  [11025, 12000, 8000], // 2.5
  null,
  [22050, 24000, 16000], // 2
  [44100, 48000, 32000], // 1
];
const KBPS: Record<string, number[]> = {
  '1-1': [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  '1-2': [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  '1-3': [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  '2-1': [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  '2-2': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  '2-3': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};

/** An MPEG audio frame header at `at`, or null. */
export function parseMpegHeader(b: Uint8Array, at: number): MpegFrame | null {
  if (at + 4 > b.length || b[at] !== 0xff || (b[at + 1]! & 0xe0) !== 0xe0) return null;
  const version = (b[at + 1]! >> 3) & 3; // 0: 2.5, 2: 2, 3: 1
  const layerBits = (b[at + 1]! >> 1) & 3;
  const bitrateIndex = b[at + 2]! >> 4;
  const rateIndex = (b[at + 2]! >> 2) & 3;
  const rates = MPEG_RATES[version];
  if (!rates || layerBits === 0 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return null;
  const layer = 4 - layerBits;
  const mpeg1 = version === 3;
  const sampleRate = rates[rateIndex]!;
  const kbps = KBPS[`${mpeg1 ? 1 : 2}-${layer}`]![bitrateIndex]!;
  const padding = (b[at + 2]! >> 1) & 1;
  const mono = b[at + 3]! >> 6 === 3;
  const samplesPerFrame = layer === 1 ? 384 : layer === 2 || mpeg1 ? 1152 : 576;
  const frameLength =
    layer === 1 ? Math.floor((12 * kbps * 1000) / sampleRate + padding) * 4 : Math.floor((samplesPerFrame / 8) * kbps * 1000 / sampleRate) + padding;
  const sideInfo = mpeg1 ? (mono ? 17 : 32) : mono ? 9 : 17;
  return { sampleRate, channels: mono ? 1 : 2, samplesPerFrame, frameLength, sideInfo, crc: (b[at + 1]! & 1) === 0, layer };
}

/**
 * Parses an MP3 stream: the first frame after any ID3v2 tag; with a Xing/Info tag, the frame
 * count and the LAME encoder delay and padding give the exact decoded length (as mpg123 trims
 * them); without one, frames are counted by walking the headers of `whole` when given.
 */
export function parseMp3(head: Uint8Array, fileSize: number, whole?: Uint8Array): CompressedHeader | null {
  let at = id3v2Size(head);
  // Tolerate a little junk before the first frame: look for two consecutive valid headers.
  let first: MpegFrame | null = null;
  for (let tries = 0; at + 4 <= head.length && tries < 4096; at++, tries++) {
    const f = parseMpegHeader(head, at);
    if (f !== null && (at + f.frameLength + 4 > head.length || parseMpegHeader(head, at + f.frameLength) !== null)) {
      first = f;
      break;
    }
  }
  if (first === null) return null;
  const base = { format: 'mp3' as const, codec: first.layer === 3 ? 'MPEG_LAYER_III' : `MPEG_LAYER_${'I'.repeat(first.layer)}`, sampleRate: first.sampleRate, channels: first.channels };
  const tag = at + 4 + (first.crc ? 2 : 0) + first.sideInfo;
  if (ascii(head, tag, 'Xing') || ascii(head, tag, 'Info')) {
    const flags = u32be(head, tag + 4);
    let p = tag + 8;
    let frames: number | null = null;
    if (flags & 1) {
      frames = u32be(head, p);
      p += 4;
    }
    if (flags & 2) p += 4;
    if (flags & 4) p += 100;
    if (flags & 8) p += 4;
    if (frames !== null) {
      let delay = 0;
      let padding = 0;
      if ((ascii(head, p, 'LAME') || ascii(head, p, 'Lavf') || ascii(head, p, 'Lavc')) && p + 24 <= head.length) {
        delay = (head[p + 21]! << 4) | (head[p + 22]! >> 4);
        padding = ((head[p + 22]! & 0x0f) << 8) | head[p + 23]!;
      }
      return { ...base, numFrames: Math.max(0, frames * first.samplesPerFrame - delay - padding) };
    }
  }
  // No frame count in a tag: walk the frame headers.
  const bytes = whole ?? head;
  let frames = 0;
  let q = at;
  while (q + 4 <= bytes.length) {
    const f = parseMpegHeader(bytes, q);
    if (f === null || f.frameLength <= 0) break;
    frames++;
    q += f.frameLength;
  }
  if (whole === undefined && q < fileSize) return { ...base, numFrames: -1 }; // caller must pass the whole file
  return { ...base, numFrames: frames * first.samplesPerFrame };
}
