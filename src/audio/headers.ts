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

/** Where a native FLAC stream's STREAMINFO body starts (after any ID3v2 tag and the 'fLaC' block header), or -1. */
function streamInfoAt(head: Uint8Array): number {
  const at = id3v2Size(head);
  if (!ascii(head, at, 'fLaC') || at + 8 > head.length) return -1;
  if ((head[at + 4]! & 0x7f) !== 0) return -1; // STREAMINFO must be the first block
  return at + 8;
}

/** Parses the header of a native FLAC stream (after any ID3v2 tag). */
export function parseFlac(head: Uint8Array): CompressedHeader | null {
  const at = streamInfoAt(head);
  return at < 0 ? null : streamInfo(head, at);
}

/** Granule position of the last page of stream `serial` found in `tail` that carries one. */
function lastGranule(tail: Uint8Array, serial: number): number | null {
  for (let i = tail.length - 27; i >= 0; i--) {
    if (tail[i] !== 0x4f) continue;
    const page = oggPageHeader(tail, i);
    if (page === null || page.serial !== serial || page.granule < 0 || oggPage(tail, i) <= 0) continue; // complete, checked pages only
    return page.granule;
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

/** The first MPEG frame after any ID3v2 tag, tolerating a little junk before it: two consecutive valid headers (or one whose frame runs past `head`). */
function firstMpegFrame(head: Uint8Array): { at: number; frame: MpegFrame } | null {
  for (let at = id3v2Size(head), tries = 0; at + 4 <= head.length && tries < 4096; at++, tries++) {
    const f = parseMpegHeader(head, at);
    if (f !== null && (at + f.frameLength + 4 > head.length || parseMpegHeader(head, at + f.frameLength) !== null)) return { at, frame: f };
  }
  return null;
}

/**
 * The Xing/Info tag in the first frame (at `at`), when it has one: its frame and byte counts (null when a
 * flag leaves one out or `head` ends first) and the LAME (or Lavf/Lavc) encoder delay and padding (0 without one).
 */
function xingTag(head: Uint8Array, at: number, first: MpegFrame): { frames: number | null; bytes: number | null; delay: number; padding: number } | null {
  const tag = at + 4 + (first.crc ? 2 : 0) + first.sideInfo;
  if (!ascii(head, tag, 'Xing') && !ascii(head, tag, 'Info')) return null;
  const flags = tag + 8 <= head.length ? u32be(head, tag + 4) : 0;
  let p = tag + 8;
  const field = (flag: number): number | null => {
    if ((flags & flag) === 0) return null;
    p += 4;
    return p <= head.length ? u32be(head, p - 4) : null;
  };
  const frames = field(1);
  const bytes = field(2);
  if (flags & 4) p += 100;
  if (flags & 8) p += 4;
  let delay = 0;
  let padding = 0;
  if ((ascii(head, p, 'LAME') || ascii(head, p, 'Lavf') || ascii(head, p, 'Lavc')) && p + 24 <= head.length) {
    delay = (head[p + 21]! << 4) | (head[p + 22]! >> 4);
    padding = ((head[p + 22]! & 0x0f) << 8) | head[p + 23]!;
  }
  return { frames, bytes, delay, padding };
}

/**
 * Parses an MP3 stream: the first frame after any ID3v2 tag; with a Xing/Info tag, the frame
 * count and the LAME encoder delay and padding give the exact decoded length (as mpg123 trims
 * them); without one, frames are counted by walking the headers of `whole` when given.
 */
export function parseMp3(head: Uint8Array, fileSize: number, whole?: Uint8Array): CompressedHeader | null {
  const found = firstMpegFrame(head);
  if (found === null) return null;
  const { at, frame: first } = found;
  const base = { format: 'mp3' as const, codec: first.layer === 3 ? 'MPEG_LAYER_III' : `MPEG_LAYER_${'I'.repeat(first.layer)}`, sampleRate: first.sampleRate, channels: first.channels };
  const tag = xingTag(head, at, first);
  if (tag !== null && tag.frames !== null) return { ...base, numFrames: Math.max(0, tag.frames * first.samplesPerFrame - tag.delay - tag.padding) };
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

/*
 * Truncation: whether a file holds less than its container declares or implies, from the first and
 * last bytes only (the decoders add the exact count check, see codec-worker.ts). The rules:
 * - FLAC: STREAMINFO's total samples (when not 0, "unknown") is past the end of the last frame in
 *   the file (its header's first sample plus block size), or the last frame is itself cut short
 *   (its CRC-16 over the bytes to the end of the file fails).
 * - Ogg (Vorbis, Opus, Ogg FLAC): the file's last page is not complete, or does not carry the
 *   end-of-stream flag. An Ogg stream ends with a page flagged end-of-stream (RFC 3533, section 6);
 *   a file cut at any byte loses that page.
 * - MP3: the Xing/Info tag's byte count is larger than the stream the file holds, or the last frame
 *   runs past the end of the file (its header's frame length).
 */

/** CRC-8 (polynomial 0x07) of b[from, to): the FLAC frame header check. */
function crc8(b: Uint8Array, from: number, to: number): number {
  let c = 0;
  for (let i = from; i < to; i++) {
    c ^= b[i]!;
    for (let k = 0; k < 8; k++) c = c & 0x80 ? ((c << 1) ^ 0x07) & 0xff : (c << 1) & 0xff;
  }
  return c;
}

/** CRC-16 (polynomial 0x8005, MSB first) of b[from, to): the FLAC frame footer check. */
function crc16(b: Uint8Array, from: number, to: number): number {
  let c = 0;
  for (let i = from; i < to; i++) {
    c ^= b[i]! << 8;
    for (let k = 0; k < 8; k++) c = c & 0x8000 ? ((c << 1) ^ 0x8005) & 0xffff : (c << 1) & 0xffff;
  }
  return c;
}

/** A FLAC frame header at `at` (CRC-8 checked): its first sample (given the stream's fixed block size) and block size. */
function flacFrameAt(b: Uint8Array, at: number, fixedBlock: number): { first: number; block: number } | null {
  if (at + 6 > b.length || b[at] !== 0xff || (b[at + 1]! & 0xfe) !== 0xf8) return null;
  const variable = (b[at + 1]! & 1) === 1;
  const bsCode = b[at + 2]! >> 4;
  const srCode = b[at + 2]! & 0x0f;
  if (bsCode === 0 || srCode === 15 || b[at + 3]! >> 4 > 10 || ((b[at + 3]! >> 1) & 7) === 3 || (b[at + 3]! & 1) !== 0) return null;
  // The frame or sample number, UTF-8 coded (up to 7 bytes).
  const lead = b[at + 4]!;
  const len = lead < 0x80 ? 1 : lead >= 0xc0 && lead < 0xe0 ? 2 : lead < 0xf0 && lead >= 0xe0 ? 3 : lead < 0xf8 && lead >= 0xf0 ? 4 : lead < 0xfc && lead >= 0xf8 ? 5 : lead < 0xfe && lead >= 0xfc ? 6 : lead === 0xfe ? 7 : 0;
  if (len === 0 || at + 4 + len > b.length) return null;
  let num = len === 1 ? lead : len === 7 ? 0 : lead & (0xff >> (len + 1));
  for (let i = 1; i < len; i++) {
    const c = b[at + 4 + i]!;
    if ((c & 0xc0) !== 0x80) return null;
    num = num * 64 + (c & 0x3f);
  }
  let p = at + 4 + len;
  let block: number;
  if (bsCode === 1) block = 192;
  else if (bsCode <= 5) block = 576 << (bsCode - 2);
  else if (bsCode === 6) block = b[p++]! + 1;
  else if (bsCode === 7) {
    block = ((b[p]! << 8) | b[p + 1]!) + 1;
    p += 2;
  } else block = 256 << (bsCode - 8);
  p += srCode === 12 ? 1 : srCode === 13 || srCode === 14 ? 2 : 0;
  if (p >= b.length || crc8(b, at, p) !== b[p]) return null;
  return { first: variable ? num : num * fixedBlock, block };
}

function flacTruncated(head: Uint8Array, tail: Uint8Array): boolean {
  const at = streamInfoAt(head);
  const info = at < 0 ? null : streamInfo(head, at);
  if (info === null || info.numFrames === 0) return false; // no declared length
  const fixedBlock = (head[at]! << 8) | head[at + 1]!; // STREAMINFO minimum block size
  // An ID3v1 tag at the very end is not part of the last frame.
  const end = tail.length >= 128 && ascii(tail, tail.length - 128, 'TAG') ? tail.length - 128 : tail.length;
  for (let i = end - 6; i >= 0; i--) {
    const f = flacFrameAt(tail, i, fixedBlock);
    if (f === null || f.first >= info.numFrames) continue; // not a header (a match in the audio data)
    if (f.first + f.block < info.numFrames) return true; // frames missing after the last one
    // The last frame: complete when its CRC-16 (the last two bytes) matches.
    return end - i < 8 || crc16(tail, i, end - 2) !== ((tail[end - 2]! << 8) | tail[end - 1]!);
  }
  return false; // no frame in the tail (frames over 64 KiB): the decoder's count decides
}

let oggCrcTable: Uint32Array | undefined;

/** The Ogg page checksum of b[at, at + length) (CRC-32, polynomial 0x04c11db7, MSB first, initial value 0, no final xor; the checksum field, bytes 22-25, counted as zeros). */
export function oggCrc(b: Uint8Array, at: number, length: number): number {
  if (!oggCrcTable) {
    oggCrcTable = new Uint32Array(256);
    for (let i = 0; i < 256; i++) {
      let r = i << 24;
      for (let k = 0; k < 8; k++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
      oggCrcTable[i] = r >>> 0;
    }
  }
  let c = 0;
  for (let i = 0; i < length; i++) {
    const v = i >= 22 && i < 26 ? 0 : b[at + i]!;
    c = ((c << 8) ^ oggCrcTable[((c >>> 24) ^ v) & 0xff]!) >>> 0;
  }
  return c;
}

/** The header of one Ogg page (RFC 3533, section 6). */
export interface OggPageHeader {
  /** The whole page: header, lacing values and body. */
  length: number;
  serial: number;
  /** Granule position; negative (-1) when no packet ends on the page. */
  granule: number;
  /** Header type: 1 continued packet, 2 beginning of stream, 4 end of stream. */
  flags: number;
  /** Packets that end on this page (lacing values below 255). */
  packetsEnded: number;
  /** The checksum the page declares (compare with oggCrc of its bytes). */
  checksum: number;
}

/** The header of the Ogg page at `at` (capture pattern, version 0, lacing values), or null when none starts there or `b` ends inside it. */
export function oggPageHeader(b: Uint8Array, at: number): OggPageHeader | null {
  if (!ascii(b, at, 'OggS') || b[at + 4] !== 0 || at + 27 > b.length) return null;
  const nsegs = b[at + 26]!;
  if (at + 27 + nsegs > b.length) return null;
  let length = 27 + nsegs;
  let packetsEnded = 0;
  for (let k = 0; k < nsegs; k++) {
    length += b[at + 27 + k]!;
    if (b[at + 27 + k]! < 255) packetsEnded++;
  }
  const granule = (u32le(b, at + 10) | 0) * 2 ** 32 + u32le(b, at + 6); // signed 64-bit, as libogg reads it
  return { length, serial: u32le(b, at + 14), granule, flags: b[at + 5]!, packetsEnded, checksum: u32le(b, at + 22) };
}

/** Length of the complete Ogg page at `at` with a valid checksum, -1 when cut at the end of `b`, 0 when none is there. */
function oggPage(b: Uint8Array, at: number): number {
  const page = oggPageHeader(b, at);
  if (page === null) return ascii(b, at, 'OggS') && b[at + 4] === 0 ? -1 : 0;
  if (at + page.length > b.length) return -1;
  return oggCrc(b, at, page.length) === page.checksum ? page.length : 0;
}

/**
 * Whether the file's last Ogg page (any stream) is cut or lacks the end-of-stream flag: from the
 * first page in `tail` whose checksum holds, the pages are walked to the end of the file.
 */
function oggTruncated(tail: Uint8Array): boolean {
  for (let i = 0; i + 27 <= tail.length; i++) {
    if (tail[i] !== 0x4f || oggPage(tail, i) <= 0) continue;
    let last = i;
    for (let q = i; ; ) {
      const n = oggPage(tail, q);
      if (n < 0) return true; // the last page is cut
      if (n === 0) break; // the end of the file, or bytes after the stream
      last = q;
      q += n;
    }
    return (tail[last + 5]! & 0x04) === 0;
  }
  return true; // no whole page in the last 64 KiB
}

/** The last frames of an MP3 in `tail`: a chain of frame headers from some start to the end; true when the last runs past it. */
function mp3TailCut(tail: Uint8Array): boolean {
  const end = tail.length >= 128 && ascii(tail, tail.length - 128, 'TAG') ? tail.length - 128 : tail.length;
  for (let s = 0; s < Math.min(end, 1 << 13); s++) {
    const first = parseMpegHeader(tail, s);
    if (first === null) continue;
    let q = s;
    let chain = 0;
    for (;;) {
      const f = q + 4 <= end ? parseMpegHeader(tail, q) : null;
      if (f === null || f.sampleRate !== first.sampleRate || f.layer !== first.layer || f.frameLength <= 0) break;
      chain++;
      q += f.frameLength;
    }
    if (chain >= 3) return q > end; // a chain that ends on a non-frame (a tag) or exactly at the end is whole
  }
  return false;
}

function mp3Truncated(head: Uint8Array, tail: Uint8Array, fileSize: number): boolean {
  const found = firstMpegFrame(head);
  const tag = found === null ? null : xingTag(head, found.at, found.frame);
  if (tag !== null && tag.bytes !== null && tag.bytes > 0 && fileSize - found!.at < tag.bytes) return true;
  return mp3TailCut(tail);
}

/**
 * Whether a compressed file is cut short, from its first bytes (`head`) and its last (`tail`, up to
 * 64 KiB) and its size: the container rules above.
 */
export function headerTruncated(format: Detected, head: Uint8Array, tail: Uint8Array, fileSize: number): boolean {
  if (format === 'flac') return flacTruncated(head, tail);
  if (format === 'ogg' || format === 'opus' || format === 'ogg-flac') return oggTruncated(tail);
  if (format === 'mp3') return mp3Truncated(head, tail, fileSize);
  return false;
}
