/**
 * Worker thread that decodes the compressed formats (FLAC, Ogg Vorbis, Opus, MP3) with the
 * WASM decoders from the npm registry, so decoding never runs on the caller's event loop.
 * It reads the file itself in bounded chunks, mixes channels, and sends Float32Arrays back
 * by transfer. Requests come from codec-pool.ts; see there for the protocol.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { dependencyMissing, isModuleNotFound } from '../errors.js';
import { collectGarbage } from './gc.js';
import { oggCrc, oggPageHeader, parseFlac, parseMp3, parseOgg, type OggPageHeader } from './headers.js';
import type { NativeChannelMix } from '../native/binding.js';

export type CodecKind = 'flac' | 'ogg-flac' | 'ogg' | 'opus' | 'mp3';

/** A request from the pool. `mix`: every channel, their mean, or the channel `channel` (as the native reader). */
export type CodecRequest =
  | { op: 'decode'; id: number; path?: string; bytes?: Uint8Array; kind: CodecKind; mix: NativeChannelMix; channel: number; offset: number; duration: number | null }
  | { op: 'open'; id: number; session: number; path?: string; bytes?: Uint8Array; kind: CodecKind; mix: NativeChannelMix; channel: number }
  | { op: 'next'; id: number; session: number; bytes: number }
  | { op: 'close'; id: number; session: number }
  | { op: 'stats'; id: number };

export interface DecodedReply {
  id: number;
  channels?: Float32Array[];
  sampleRate?: number;
  sourceChannels?: number;
  bitDepth?: number;
  done?: boolean;
  /** The whole stream was decoded and gave fewer frames than its header declares (FLAC STREAMINFO, MP3 Xing/Info). */
  truncated?: boolean;
  /**
   * Why the request failed. `code` is one of AUDIOMILL_ERROR_CODES (the pool checks it); `range`
   * marks an argument the file turned out not to fit (a channel it does not have): a RangeError.
   */
  error?: { code: string; message: string; range?: boolean };
  /** The worker's decoder counters (op 'stats'; for tests and scripts/manifest-rss.mjs). */
  stats?: CodecStats;
}

/** Counters a worker keeps about its decoders and Ogg seeking. */
export interface CodecStats {
  /** Decoders in use now, and the most ever in use at once. */
  live: number;
  peakLive: number;
  /** Decoders constructed (each one is a WASM instance with its own memory). */
  created: number;
  /** Whole-file or span decodes finished. */
  decodes: number;
  /** Bytes of compressed data handed to the decoders. */
  bytesDecoded: number;
  /** Spans with an offset that started at a page near it instead of the file's start. */
  seeks: number;
  /** Ogg page headers (and pages whose checksum was checked) read to find where such spans start. */
  seekPagesRead: number;
}

const stats: CodecStats = { live: 0, peakLive: 0, created: 0, decodes: 0, bytesDecoded: 0, seeks: 0, seekPagesRead: 0 };

interface Decoded {
  channelData: Float32Array[];
  samplesDecoded: number;
  sampleRate: number;
  bitDepth?: number;
  errors?: { message: string }[];
}

interface Decoder {
  ready: Promise<void>;
  decode(bytes: Uint8Array): Promise<Decoded> | Decoded;
  flush?(): Promise<Decoded> | Decoded;
  free(): void;
}

class DecodeError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly range = false,
  ) {
    super(message);
  }
}

/** Each format's decoder: its npm package (an ES module), the package's name for the format, and the class it exports. */
const DECODERS: Record<CodecKind, [pkg: string, format: string, exported: string]> = {
  flac: ['@wasm-audio-decoders/flac', 'FLAC', 'FLACDecoder'],
  'ogg-flac': ['@wasm-audio-decoders/flac', 'Ogg FLAC', 'FLACDecoder'],
  ogg: ['@wasm-audio-decoders/ogg-vorbis', 'Ogg Vorbis', 'OggVorbisDecoder'],
  opus: ['ogg-opus-decoder', 'Opus', 'OggOpusDecoder'],
  mp3: ['mpg123-decoder', 'MP3', 'MPEGDecoder'],
};

/**
 * import() as written: TypeScript's CommonJS output would turn a literal import() into require().
 * The decoders are ES modules, and they are loaded with import(), never require(): in Node 20 a
 * Worker terminated (or a process exiting) while require() instantiates an ES module graph aborts
 * the whole process (a V8 check, `Module::IsGraphAsync must be used on an instantiated module`),
 * and the asynchronous loader has no such check. Measured with nested workers terminated at random
 * moments while loading the four packages: require() aborted 2 of 900 processes, import() 0 of 2,000.
 */
const importModule = new Function('url', 'return import(url)') as (url: string) => Promise<Record<string, unknown>>;
const classes = new Map<CodecKind, Promise<new () => Decoder>>();

/** The decoder class of a format, loaded once per worker (resolved from this package, imported by file URL). */
function decoderClass(kind: CodecKind): Promise<new () => Decoder> {
  let loaded = classes.get(kind);
  if (loaded === undefined) {
    const [pkg, format, exported] = DECODERS[kind];
    loaded = (async () => {
      try {
        const url = pathToFileURL(require.resolve(pkg)).href;
        return (await importModule(url))[exported] as new () => Decoder;
      } catch (err) {
        classes.delete(kind); // a later request tries again
        if (isModuleNotFound(err, pkg)) throw new DecodeError('DEPENDENCY_MISSING', dependencyMissing(pkg, `decoding ${format}`).message);
        throw new DecodeError('INTERNAL', `the ${format} decoder could not be loaded: ${(err as Error).message ?? String(err)}`);
      }
    })();
    classes.set(kind, loaded);
  }
  return loaded;
}

/**
 * A fresh decoder for one file, freed when the file ends. None is kept for the next file: the
 * decoders' reset() frees their WASM instance and instantiates a new one anyway (from the compiled
 * module, which each package caches), so keeping one would save nothing and hold a WASM memory
 * per format per worker.
 */
async function takeDecoder(kind: CodecKind): Promise<Decoder> {
  const d = new (await decoderClass(kind))();
  stats.created++;
  stats.live++;
  stats.peakLive = Math.max(stats.peakLive, stats.live);
  return d;
}

function releaseDecoder(decoder: Decoder): void {
  stats.live--;
  try {
    decoder.free();
  } catch {
    // already freed
  }
}

/** The file's bytes, read in bounded chunks from a path or taken from memory. */
class Source {
  private fd = -1;
  private pos = 0;
  readonly size: number;

  constructor(
    path: string | undefined,
    private readonly bytes: Uint8Array | undefined,
  ) {
    if (bytes !== undefined) {
      this.size = bytes.length;
      return;
    }
    try {
      this.fd = openSync(path!, 'r');
      this.size = fstatSync(this.fd).size;
    } catch (err) {
      throw new DecodeError('IO', `cannot read '${path}': ${(err as Error).message}`);
    }
  }

  /** Bytes [offset, offset + n) without moving the read position. */
  peek(offset: number, n: number): Uint8Array {
    const a = Math.max(0, Math.min(offset, this.size));
    const k = Math.min(n, this.size - a);
    if (this.bytes !== undefined) return this.bytes.subarray(a, a + k);
    const out = new Uint8Array(k);
    return out.subarray(0, readSync(this.fd, out, 0, k, a));
  }

  next(n: number): Uint8Array | null {
    if (this.pos >= this.size) return null;
    const k = Math.min(n, this.size - this.pos);
    let chunk: Uint8Array;
    if (this.bytes !== undefined) {
      chunk = this.bytes.subarray(this.pos, this.pos + k);
    } else {
      chunk = new Uint8Array(k);
      const got = readSync(this.fd, chunk, 0, k, this.pos);
      chunk = chunk.subarray(0, got);
      if (got === 0) return null;
    }
    this.pos += chunk.length;
    return chunk;
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}

/** One decoding session: a source, its decoder, and how to lay out channels. */
class Session {
  /** Set by ready(), which every use of a session awaits first. */
  private decoder: Decoder | null = null;

  private get active(): Decoder {
    if (this.decoder === null) throw new DecodeError('INTERNAL', 'the decoder was used before ready()');
    return this.decoder;
  }
  private source: Source;
  private ended = false;
  sampleRate = 0;
  sourceChannels = 0;
  bitDepth = 0;
  frames = 0;

  private readonly mix: NativeChannelMix;
  private readonly channel: number;

  constructor(req: { path?: string; bytes?: Uint8Array; kind: CodecKind; mix: NativeChannelMix; channel: number }) {
    this.mix = req.mix;
    this.channel = req.channel;
    this.source = new Source(req.path, req.bytes);
    if (this.source.size === 0) throw new DecodeError('EMPTY', 'the file is empty (0 bytes)');
    const head = this.source.peek(0, 1 << 16);
    if (req.kind === 'opus') {
      // The decoder drops the pre-skip but not the end padding: the last page's granule
      // position (minus the pre-skip) is the length, as libsndfile reads it.
      const h = parseOgg(head, this.source.peek(this.source.size - (1 << 16), 1 << 16));
      if (h !== null && h.numFrames > 0) this.limit = h.numFrames;
    } else if (req.kind === 'mp3') {
      // mpg123 always returns two channels; a mono stream's two are identical.
      const h = parseMp3(head, this.source.size);
      if (h !== null) this.streamChannels = h.channels;
      if (h !== null && h.numFrames > 0) this.declared = h.numFrames;
    } else if (req.kind === 'flac') {
      const h = parseFlac(head);
      if (h !== null && h.numFrames > 0) this.declared = h.numFrames; // 0: STREAMINFO leaves it unknown
    }
    this.kind = req.kind;
    this.exact = req.kind === 'flac' || req.kind === 'ogg-flac';
  }

  private readonly kind: CodecKind;
  /** Lossless integer source: rescale to soundfile's exact values. */
  private readonly exact: boolean;

  /** Frames the header declares (FLAC, MP3 with a Xing/Info tag), -1 when it does not. */
  declared = -1;
  /** Frames the header declares but the file does not hold: known once the stream has ended. */
  get truncated(): boolean {
    return this.ended && this.declared > 0 && this.frames < this.declared;
  }

  /** Frames the stream holds, when the container says so (decoded output is cut there). */
  private limit = Infinity;
  /** Channels the stream holds, when the decoder pads them. */
  private streamChannels = 0;

  /** Loads the format's decoder (the first time in this worker) and waits until it can decode. */
  async ready(): Promise<void> {
    this.decoder ??= await takeDecoder(this.kind);
    await this.decoder.ready;
  }

  /** The file's bytes (the Ogg seek reads page headers through it). */
  get bytes(): Source {
    return this.source;
  }

  /**
   * Decodes `bytes` (whole Ogg pages, after a seek) with no frame limit: the caller places the
   * output on the stream's timeline by granule position and cuts it there.
   */
  async decodeBytes(bytes: Uint8Array): Promise<Float32Array[]> {
    this.limit = Infinity;
    return this.take(await this.decode(bytes));
  }

  /** What the decoder still holds (the last page), after a seek. */
  async flushBytes(): Promise<Float32Array[]> {
    return this.active.flush ? this.take(await this.decode(null)) : [];
  }

  /** Feeds the decoder `bytes`, or flushes it (null); its failures are DECODE_CORRUPT. */
  private async decode(bytes: Uint8Array | null): Promise<Decoded> {
    const decoder = this.active;
    try {
      if (bytes === null) return await decoder.flush!();
      stats.bytesDecoded += bytes.length;
      return await decoder.decode(bytes);
    } catch (err) {
      throw new DecodeError('DECODE_CORRUPT', `the decoder failed: ${(err as Error).message ?? String(err)}`);
    }
  }

  /** Decodes up to `n` more bytes of the file; null when the stream has ended. */
  async next(n: number): Promise<Float32Array[] | null> {
    if (this.ended) return null;
    const chunk = this.source.next(n);
    if (chunk === null) {
      this.ended = true;
      if (!this.active.flush) return null;
    }
    return this.take(await this.decode(chunk));
  }

  private take(out: Decoded): Float32Array[] {
    if (out.sampleRate > 0) this.sampleRate = out.sampleRate;
    if (out.bitDepth) this.bitDepth = out.bitDepth;
    if (this.streamChannels > 0 && out.channelData.length > this.streamChannels) out.channelData = out.channelData.slice(0, this.streamChannels);
    if (out.channelData.length > 0) this.sourceChannels = out.channelData.length;
    const n = Math.min(out.samplesDecoded, Math.max(0, this.limit - this.frames));
    if (n === 0) return [];
    if (this.mix === 'one' && this.channel >= out.channelData.length)
      throw new DecodeError('INVALID_ARGUMENT', `Expected a channel index below ${out.channelData.length} for channel but received ${this.channel}`, true);
    let chans = out.channelData.map((c) => (c.length === n ? c : c.subarray(0, n)));
    if (this.exact && this.bitDepth > 0 && this.bitDepth <= 24) chans = chans.map((c) => exactPcm(c, this.bitDepth));
    this.frames += n;
    if (this.mix === 'one') return [copy(chans[this.channel]!)];
    if (this.mix === 'mean' && chans.length > 1) return [mean(chans)];
    return chans.map(copy);
  }

  async close(): Promise<void> {
    this.source.close();
    if (this.decoder !== null) releaseDecoder(this.decoder);
    this.decoder = null;
  }
}

/**
 * The FLAC decoder scales integers by 1 / (2^(bits-1) - 1); soundfile scales by 1 / 2^(bits-1).
 * The integer is recovered exactly (the float error is below half a step for bits <= 24) and
 * rescaled, so FLAC samples equal soundfile's bit for bit.
 */
function exactPcm(c: Float32Array, bits: number): Float32Array {
  const full = 2 ** (bits - 1);
  const decoderScale = full - 1;
  const out = new Float32Array(c.length);
  for (let i = 0; i < c.length; i++) out[i] = Math.round(c[i]! * decoderScale) / full;
  return out;
}

function copy(c: Float32Array): Float32Array {
  return c.slice(); // own buffer, transferable (the decoder's views point into WASM memory)
}

function mean(chans: Float32Array[]): Float32Array {
  const n = chans[0]!.length;
  const out = new Float32Array(n);
  for (const c of chans) for (let i = 0; i < n; i++) out[i] = Math.fround(out[i]! + c[i]!);
  const k = chans.length;
  for (let i = 0; i < n; i++) out[i] = Math.fround(out[i]! / k);
  return out;
}

function concat(parts: Float32Array[], total: number): Float32Array {
  const out = new Float32Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * Compressed bytes handed to the decoder at a time. Its WASM memory grows to hold one call's
 * output and never shrinks, so this bounds it: 64 KiB of Vorbis at 64 kbit/s is about 8 s of audio.
 * The Ogg seek reads the file in windows of this size too.
 */
const CHUNK = 1 << 16;

/** Decodes a whole file or the span [offset, offset + duration) seconds, stopping past its end. */
async function decodeSpan(req: Extract<CodecRequest, { op: 'decode' }>): Promise<DecodedReply> {
  if ((req.kind === 'ogg' || req.kind === 'opus') && req.offset > 0) {
    const sought = await seekSpan(req);
    if (sought !== null) return sought;
  }
  const s = new Session(req);
  try {
    await s.ready();
    let parts: Float32Array[][] = [];
    let seen = 0; // frames decoded so far
    let start = -1;
    let end = Infinity;
    for (;;) {
      const block = await s.next(CHUNK);
      if (block === null) break;
      if (block.length === 0) continue;
      if (start < 0) {
        start = Math.round(req.offset * s.sampleRate);
        if (req.duration !== null) end = start + Math.round(req.duration * s.sampleRate);
      }
      const n = block[0]!.length;
      const a = Math.max(start, seen) - seen;
      const b = Math.min(end, seen + n) - seen;
      if (b > a) parts.push(block.map((c) => (a === 0 && b === n ? c : c.subarray(a, b))));
      seen += n;
      if (seen >= end) break;
    }
    stats.decodes++;
    if (seen === 0) throw new DecodeError('DECODE_CORRUPT', 'no audio could be decoded from the file');
    const total = parts.reduce((t, p) => t + p[0]!.length, 0);
    const channels = parts.length === 0 ? [] : parts[0]!.map((_, c) => concat(parts.map((p) => p[c]!), total));
    parts = [];
    const outChannels = req.mix === 'all' ? s.sourceChannels : 1;
    while (channels.length < outChannels) channels.push(new Float32Array(0));
    return { id: req.id, channels, sampleRate: s.sampleRate, sourceChannels: s.sourceChannels, bitDepth: s.bitDepth, truncated: s.truncated };
  } finally {
    await s.close();
  }
}

/** One Ogg page and where it starts in the file. */
type OggPage = OggPageHeader & { pos: number };

/** The header of the page at `pos` when a whole page of the stream `serial` (any stream: -1) starts there, else null. */
function pageAt(src: Source, pos: number, serial: number): OggPage | null {
  if (pos + 27 > src.size) return null;
  stats.seekPagesRead++;
  const page = oggPageHeader(src.peek(pos, 27 + 255), 0);
  if (page === null || (serial >= 0 && page.serial !== serial)) return null;
  if (pos + page.length > src.size) return null; // a truncated last page
  return { ...page, pos };
}

/** Whether the page's checksum matches its bytes. */
function checksumOk(src: Source, page: OggPage): boolean {
  const b = src.peek(page.pos, page.length);
  return b.length === page.length && oggCrc(b, 0, b.length) === page.checksum;
}

/**
 * The first whole page of stream `serial` that starts in [from, before) and carries a granule position
 * (a page on which a packet ends), found by its capture pattern and checked by its checksum; null when none.
 */
function granulePageFrom(src: Source, from: number, before: number, serial: number): OggPage | null {
  for (let at = from; at < before; at += CHUNK - 3) {
    const b = src.peek(at, Math.min(CHUNK, before - at + 3));
    for (let i = b.indexOf(0x4f); i >= 0 && i + 3 < b.length && at + i < before; i = b.indexOf(0x4f, i + 1)) {
      if (b[i + 1] !== 0x67 || b[i + 2] !== 0x67 || b[i + 3] !== 0x53) continue;
      const page = pageAt(src, at + i, serial);
      if (page === null || !checksumOk(src, page)) continue;
      // From a true page on, pages follow one another: walk them to the first with a granule position.
      for (let q: OggPage | null = page; q !== null && q.pos < before; q = pageAt(src, q.pos + q.length, serial)) if (q.granule >= 0) return q;
      return null;
    }
    if (b.length < CHUNK) break;
  }
  return null;
}

/** The last whole page that starts at or after `from`, searched back from the file's end (checksum checked). */
function lastPage(src: Source, from: number): OggPage | null {
  for (let end = src.size; end > from; end -= CHUNK - 3) {
    const at = Math.max(from, end - CHUNK);
    const b = src.peek(at, end - at);
    for (let i = b.lastIndexOf(0x53); i >= 3; i = b.lastIndexOf(0x53, i - 1)) {
      if (b[i - 3] !== 0x4f || b[i - 2] !== 0x67 || b[i - 1] !== 0x67) continue;
      const page = pageAt(src, at + i - 3, -1);
      if (page !== null && checksumOk(src, page)) return page;
    }
  }
  return null;
}

/**
 * A span of an Ogg Vorbis or Opus file that starts at `offset`, decoded from a page shortly
 * before it rather than from the start of the file. The decoder first gets the header pages
 * (3 header packets for Vorbis, 2 for Opus), then whole pages from the chosen one on. The chosen
 * page is the last one that begins a fresh packet and whose predecessor's granule position lies
 * at least a pre-roll before the offset: two long blocks for Vorbis (its first packet after a
 * jump only primes the overlap), 80 ms for Opus (RFC 7845, section 4.6, so the decoder has
 * converged). The output is placed on the stream's timeline by the granule position of the last
 * page fed (the stream's sample index at the end of that page's last packet, minus the pre-skip
 * for Opus) and cut to [offset, offset + duration). Null when seeking would not help (the offset
 * lies within the pre-roll of the first audio page) or the file's pages do not allow it.
 */
async function seekSpan(req: Extract<CodecRequest, { op: 'decode' }>): Promise<DecodedReply | null> {
  const s = new Session(req);
  try {
    await s.ready();
    return await seekWith(s, req);
  } finally {
    await s.close();
  }
}

async function seekWith(s: Session, req: Extract<CodecRequest, { op: 'decode' }>): Promise<DecodedReply | null> {
  const src = s.bytes;
  const opus = req.kind === 'opus';
  // The header pages: the one on which the last header packet ends, and every page before it; then the
  // first audio page. Every page must belong to the first page's stream (chained or multiplexed files
  // are decoded from the start).
  const first = pageAt(src, 0, -1);
  if (first === null) return null;
  const serial = first.serial;
  let packets = first.packetsEnded;
  let headerEnd: OggPage = first;
  while (packets < (opus ? 2 : 3)) {
    const next = pageAt(src, headerEnd.pos + headerEnd.length, serial);
    if (next === null) return null;
    headerEnd = next;
    packets += next.packetsEnded;
  }
  const firstAudio = pageAt(src, headerEnd.pos + headerEnd.length, serial);
  const tail = lastPage(src, headerEnd.pos + headerEnd.length);
  if (firstAudio === null || tail === null || tail.serial !== serial || tail.pos <= firstAudio.pos) return null;
  const head = src.peek(first.pos, first.length);
  const payload = 27 + head[26]!;
  const id = new DataView(head.buffer, head.byteOffset + payload, Math.max(0, head.length - payload));
  if (id.byteLength < (opus ? 19 : 30)) return null;
  const rate = opus ? 48000 : id.getUint32(12, true);
  const preSkip = opus ? id.getUint16(10, true) : 0;
  const preRoll = opus ? 3840 : 2 * (1 << (id.getUint8(28) >> 4)); // 80 ms at 48 kHz; two long blocks
  if (rate <= 0) return null;
  const target = Math.round(req.offset * rate); // output frames from the start
  const end = req.duration === null ? Infinity : target + Math.round(req.duration * rate);
  // The start page: the last fresh page whose predecessor (with a granule) ends a pre-roll before the
  // target; not the last page, so that a page after it places the output by its predecessor's granule
  // position. Bisection over the bytes first finds a page `q` with a granule position that lies before
  // that point (granule positions never decrease); then the pages from q on are read one after another.
  const early = (granule: number) => granule - preSkip <= target - preRoll;
  let q: OggPage | null = null;
  for (let lo = firstAudio.pos + firstAudio.length, hi = tail.pos; hi - lo > 1 << 16; ) {
    const mid = Math.floor((lo + hi) / 2);
    const page = granulePageFrom(src, mid, hi, serial);
    if (page !== null && early(page.granule)) {
      q = page;
      lo = page.pos + page.length;
    } else hi = mid;
  }
  const scanStart = q ?? firstAudio;
  let start: OggPage | null = null;
  let before = -1; // granule position of the last page before `p` that has one
  for (let prev = scanStart, p = pageAt(src, scanStart.pos + scanStart.length, serial); p !== null && p.pos < tail.pos; prev = p, p = pageAt(src, p.pos + p.length, serial)) {
    if (prev.granule >= 0) before = prev.granule;
    if (before < 0) continue;
    if (!early(before)) break;
    if ((p.flags & 1) === 0) start = p; // a fresh packet begins on it
  }
  if (start === null) return null; // decode from the start
  stats.seeks++;
  // The length the container declares: the last granule position (minus the pre-skip).
  const limit = tail.granule > 0 ? tail.granule - preSkip : Infinity;
  await s.decodeBytes(src.peek(0, headerEnd.pos + headerEnd.length).slice());
  const parts: Float32Array[][] = [];
  let produced = 0; // frames the decoder gave since the seek
  let anchor = -1; // stream frame index of the first frame it gave, once a granule position places it
  const add = (block: Float32Array[]) => {
    if (block.length > 0 && block[0]!.length > 0) {
      parts.push(block);
      produced += block[0]!.length;
    }
  };
  // The Ogg parser in the decoders (codec-parser, in @wasm-audio-decoders/ogg-vorbis 0.1.20 and
  // ogg-opus-decoder 1.7.5) hands a page on only once the next page's start has arrived, so after
  // feeding page p the output runs to the end of page p - 1 (the last page comes with the flush).
  // Every granule position met must place the output at the same frame, else (a decoder that
  // behaves otherwise) the span is decoded from the start.
  let fed = 0;
  let prev: OggPage | null = null;
  let page: OggPage | null = start;
  for (; page !== null; prev = page, page = pageAt(src, page.pos + page.length, serial), fed++) {
    add(await s.decodeBytes(src.peek(page.pos, page.length).slice()));
    if (prev !== null && prev.granule >= 0 && produced > 0) {
      const at = prev.granule - preSkip - produced;
      if (anchor >= 0 && at !== anchor) return null;
      anchor = at;
    }
    if (anchor >= 0 && anchor + produced >= Math.min(end, limit) && fed > 1) break;
  }
  // The last page (its granule position may end the stream inside its last packet: the decoders
  // trim that only relative to where they started, so it is cut here, at `limit`).
  if (page === null) add(await s.flushBytes());
  if (anchor < 0 || anchor > target) return null; // the timeline could not be placed: decode from the start
  // Cut [target, min(end, limit)) out of the frames [anchor, anchor + produced).
  const from = target - anchor;
  const to = Math.max(from, Math.min(end, limit, anchor + produced) - anchor);
  const total = to - from;
  const channels = (parts[0] ?? []).map(() => new Float32Array(total));
  let at = 0;
  for (const block of parts) {
    const n = block[0]!.length;
    const a = Math.max(from, at) - at;
    const b = Math.min(to, at + n) - at;
    if (b > a) block.forEach((c, i) => channels[i]!.set(c.subarray(a, b), at + a - from));
    at += n;
  }
  const outChannels = req.mix === 'all' ? s.sourceChannels : 1;
  while (channels.length < outChannels) channels.push(new Float32Array(0));
  stats.decodes++;
  // An Ogg stream declares no length in its headers: whether it was cut is told by its tail (loadAudio checks it).
  return { id: req.id, channels, sampleRate: s.sampleRate, sourceChannels: s.sourceChannels, bitDepth: s.bitDepth, truncated: false };
}

const sessions = new Map<number, Session>();

/**
 * Whole-file and span decodes run one at a time in a worker: requests queued behind the running
 * one hold only their message, not a decoder (a WASM instance whose memory only grows) and its
 * output. Without this, a caller with more jobs in flight than workers (the manifest keeps 8)
 * had several decoders and several files' samples alive in each worker at once.
 */
let queue: Promise<unknown> = Promise.resolve();
function oneAtATime<T>(job: () => Promise<T>): Promise<T> {
  const run = queue.then(job, job).finally(maybeCollect);
  queue = run.catch(() => undefined);
  return run;
}

/**
 * A garbage collection of this worker's (small) heap every 32 files or 64 MB of decoded samples,
 * whichever comes first. Every file has its own decoder, a WASM instance; once freed, its memory
 * (several MB once it has grown) is returned only when V8 collects it, and V8 does not count it as
 * heap pressure, so without this the dropped memories piled up between collections. A full
 * collection here takes a few milliseconds (after every file it doubled the time of a manifest of
 * short files); this often it costs well under 1 %.
 */
let filesSince = 0;
let bytesSince = 0;
function maybeCollect(): void {
  filesSince++;
  if (filesSince < 32 && bytesSince < 64 * 2 ** 20) return;
  filesSince = 0;
  bytesSince = 0;
  collectGarbage();
}

async function handle(req: CodecRequest): Promise<DecodedReply> {
  switch (req.op) {
    case 'decode':
      return oneAtATime(() => decodeSpan(req));
    case 'stats':
      return { id: req.id, stats: { ...stats } };
    case 'open': {
      const s = new Session(req);
      try {
        await s.ready();
      } catch (err) {
        await s.close();
        throw err;
      }
      sessions.set(req.session, s);
      return { id: req.id };
    }
    case 'next': {
      const s = sessions.get(req.session);
      if (!s) throw new DecodeError('INTERNAL', 'unknown decoding session');
      // Decode until at least one frame comes out or the stream ends.
      for (;;) {
        const block = await s.next(req.bytes);
        if (block === null) return { id: req.id, done: true, sampleRate: s.sampleRate, sourceChannels: s.sourceChannels, bitDepth: s.bitDepth, truncated: s.truncated };
        if (block.length > 0 && block[0]!.length > 0)
          return { id: req.id, channels: block, sampleRate: s.sampleRate, sourceChannels: s.sourceChannels, bitDepth: s.bitDepth };
      }
    }
    case 'close': {
      await sessions.get(req.session)?.close();
      sessions.delete(req.session);
      return { id: req.id };
    }
  }
}

async function answer(req: CodecRequest, port: MessagePort | typeof parentPort): Promise<void> {
  let reply: DecodedReply;
  try {
    reply = await handle(req);
  } catch (err) {
    const code = err instanceof DecodeError ? err.code : 'DECODE_CORRUPT';
    const range = err instanceof DecodeError && err.range ? { range: true } : {};
    reply = { id: req.id, error: { code, message: (err as Error).message ?? String(err), ...range } };
  }
  for (const c of reply.channels ?? []) bytesSince += c.byteLength;
  const transfer = (reply.channels ?? []).map((c) => c.buffer as ArrayBuffer);
  port!.postMessage(reply, transfer);
}

const data = workerData as { syncPort?: MessagePort; signal?: Int32Array } | undefined;
if (data?.syncPort && data.signal) {
  // Synchronous mode (loadAudioSync): answer on the port, then wake the waiting caller.
  const { syncPort, signal } = data;
  syncPort.on('message', (req: CodecRequest) => {
    void answer(req, syncPort).then(() => {
      Atomics.store(signal, 0, 1);
      Atomics.notify(signal, 0);
    });
  });
} else {
  parentPort!.on('message', (req: CodecRequest) => void answer(req, parentPort));
}
