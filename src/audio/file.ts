/**
 * openAudioFile / openAudioFileSync: random access to a WAV file's frames (our native reader; only the frames asked
 * for are read from disk), optionally into the caller's arrays so repeated reads allocate nothing.
 * Compressed formats have no random access here: use loadAudio({ offset, duration }) or openAudioStream.
 */
import { AudiomillError, awaitNative, callNative } from '../errors.js';
import type { NativeChannelMix, NativeWavFile } from '../native/binding.js';
import { bool, float32, int, typeError } from '../validate.js';
import { checkSource, formatOf, kindOf, openWav, pathOf, readHead, readHeadSync, withPath, type Head } from './source.js';
import type { AudioInfo, AudioSource } from './types.js';

export interface ReadOptions {
  /** Average the channels into one (default false here: every channel). */
  mono?: boolean;
  /** Only this channel (0-based). */
  channel?: number;
  /** Arrays to write into (one per output channel, each at least `count` long); the result holds views of them. */
  out?: Float32Array[];
}

export class AudioFile {
  readonly info: AudioInfo;
  private file: NativeWavFile | undefined;

  /** @internal use openAudioFile */
  constructor(
    file: NativeWavFile,
    private readonly path: string | undefined,
  ) {
    this.file = file;
    const w = file.info();
    this.info = {
      ...(path === undefined ? {} : { path }),
      format: 'wav',
      codec: w.subtype,
      sampleRate: w.sampleRate,
      channels: w.channels,
      numFrames: w.numFrames,
      duration: w.numFrames / w.sampleRate,
      fileSize: w.fileSize,
      bitsPerSample: w.bitsPerSample,
      truncated: w.truncated,
    };
  }

  /** Frames [start, start + count) (clamped to the file), per channel or mixed, read on the native pool. */
  async read(start: number, count: number, options: ReadOptions = {}): Promise<Float32Array[]> {
    const [mix, channel, out] = this.check(start, count, options);
    return awaitNative(() => this.open().read({ start, count, mix, channel, out }, true)).catch((err: Error) => {
      throw withPath(err, this.path);
    });
  }

  /** read() on the calling thread. */
  readSync(start: number, count: number, options: ReadOptions = {}): Float32Array[] {
    const [mix, channel, out] = this.check(start, count, options);
    try {
      return callNative(() => this.open().read({ start, count, mix, channel, out }, false));
    } catch (err) {
      throw withPath(err as Error, this.path);
    }
  }

  /** Releases the file (reads in flight finish first). */
  close(): void {
    this.file?.close();
    this.file = undefined;
  }

  private open(): NativeWavFile {
    if (!this.file) throw new AudiomillError('IO', `the audio file is closed${this.path ? ` (${this.path})` : ''}`, this.path ? { path: this.path } : {});
    return this.file;
  }

  private check(start: number, count: number, options: ReadOptions): [NativeChannelMix, number, Float32Array[] | undefined] {
    int(start, 'start', 0);
    int(count, 'count', 0);
    if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
    const channel = options.channel === undefined ? -1 : int(options.channel, 'channel', 0, this.info.channels - 1);
    const mono = options.mono === undefined ? false : bool(options.mono, 'mono');
    const mix: NativeChannelMix = channel >= 0 ? 'one' : mono ? 'mean' : 'all';
    const outputs = mix === 'all' ? this.info.channels : 1;
    const frames = Math.max(0, Math.min(count, this.info.numFrames - start));
    let out: Float32Array[] | undefined;
    if (options.out !== undefined) {
      if (!Array.isArray(options.out) || options.out.length !== outputs) throw typeError(`an array of ${outputs} Float32Array`, 'out', options.out);
      out = options.out.map((o, i) => float32(o, `out[${i}]`));
      out.forEach((o, i) => {
        if (o.length < frames) throw new RangeError(`Expected a Float32Array of at least ${frames} elements for out[${i}] but received Float32Array(${o.length})`);
      });
    }
    return [mix, Math.max(channel, 0), out];
  }
}

/** Opens a WAV file (or bytes) for random access; other formats are UNSUPPORTED_FORMAT. */
export async function openAudioFile(source: AudioSource): Promise<AudioFile> {
  source = checkSource(source);
  return opened(source, await readHead(source));
}

/** openAudioFile on the calling thread. */
export function openAudioFileSync(source: AudioSource): AudioFile {
  source = checkSource(source);
  return opened(source, readHeadSync(source));
}

function opened(source: AudioSource, head: Head): AudioFile {
  const path = pathOf(source);
  const kind = kindOf(head, path);
  if (kind !== 'wav')
    throw new AudiomillError(
      'UNSUPPORTED_FORMAT',
      `random access is for WAV files; ${formatOf(kind)} is read with loadAudio({ offset, duration }) or openAudioStream${path ? ` (${path})` : ''}`,
      path === undefined ? {} : { path },
    );
  return new AudioFile(openWav(source), path);
}
