/** Public types of the audio input layer (loadAudio, probeAudio, openAudioStream). */
import type { ResampleOptions, ResamplePreset } from '../dsp/resample.js';

/** Container/codec family, detected from the file's bytes (the extension is only a hint). */
export type AudioFormat = 'wav' | 'flac' | 'mp3' | 'ogg' | 'opus';

/** What probeAudio reads from the headers, without decoding. */
export interface AudioInfo {
  /** The path probed (absent for in-memory bytes). */
  path?: string;
  format: AudioFormat;
  /**
   * soundfile's subtype name: 'PCM_U8', 'PCM_16', 'PCM_24', 'PCM_32', 'FLOAT', 'DOUBLE', 'ULAW', 'ALAW'
   * for WAV; 'PCM_16' / 'PCM_24' / ... for FLAC; 'VORBIS', 'OPUS', 'MPEG_LAYER_III'.
   */
  codec: string;
  /** Native sample rate of the file (Opus always decodes at 48000). */
  sampleRate: number;
  channels: number;
  /** Frames (samples per channel) the decoder will produce. */
  numFrames: number;
  /** numFrames / sampleRate, in seconds. */
  duration: number;
  /** File size in bytes. */
  fileSize: number;
  /** Bits per sample where the format has them (PCM, FLAC); absent for lossy codecs. */
  bitsPerSample?: number;
  /**
   * The file holds less than its container declares or implies (read from the headers and the last
   * 64 KiB): a WAV data chunk longer than the file; FLAC frames missing before STREAMINFO's total, or
   * the last frame cut; an Ogg file whose last page is cut or lacks the end-of-stream flag; an MP3
   * shorter than its Xing/Info byte count, or whose last frame runs past the end. Rules: docs/audio.md.
   */
  truncated: boolean;
}

/** Decoded audio. */
export interface AudioData {
  /** Sample rate of `channels` (the requested rate after resampling). */
  sampleRate: number;
  /** One Float32Array per channel (a single one when mono or channel was asked for). */
  channels: Float32Array[];
  numFrames: number;
  /** numFrames / sampleRate, in seconds. */
  duration: number;
  format: AudioFormat;
  /** The file's codec (see AudioInfo.codec). */
  codec: string;
  /** The file's own sample rate and channel count. */
  sourceSampleRate: number;
  sourceChannels: number;
  /**
   * The file was cut short; every frame that exists was decoded. AudioInfo.truncated's rules, plus,
   * when the whole stream was decoded, fewer frames than FLAC STREAMINFO or the MP3 Xing/Info tag declare.
   */
  truncated: boolean;
}

/** Where the audio comes from: a file path, or the file's bytes already in memory. */
export type AudioSource = string | Uint8Array;

export interface LoadAudioOptions {
  /** Resample to this rate (Hz). Default: keep the file's rate. */
  sampleRate?: number;
  /** Average the channels into one (default true). Ignored when `channel` is given. */
  mono?: boolean;
  /** Keep only this channel (0-based) instead of mixing. */
  channel?: number;
  /** Start reading at this time in seconds (default 0); frames = round(offset · fileRate), as librosa. */
  offset?: number;
  /** Read at most this many seconds (default: to the end); frames = round(duration · fileRate). */
  duration?: number;
  /** Resampling kernel: a preset name or Resample options (default 'torchaudio'). */
  resample?: ResamplePreset | Omit<ResampleOptions, 'origFreq' | 'newFreq'>;
  /** Threads for resampling (default: the global cap). */
  threads?: number;
  /**
   * Arrays to decode into (one per output channel: one when mono or `channel` is set). Used for
   * WAV files when each is long enough for the output; the result's channels are then views of them,
   * valid until the arrays are written again. Otherwise (other formats, arrays too short) fresh arrays
   * are returned. Reusing arrays across files saves allocating, and on Linux page-faulting, fresh
   * memory for every file.
   */
  out?: Float32Array[];
}

export interface AudioStreamOptions extends Omit<LoadAudioOptions, 'threads' | 'out'> {
  /** Frames per emitted block at the output rate (default 65536). The last block may be shorter. */
  blockSize?: number;
}

/** One block of an audio stream. */
export interface AudioBlock {
  /** One Float32Array per output channel, each `numFrames` long. */
  channels: Float32Array[];
  numFrames: number;
  /** Index of this block's first frame in the output stream. */
  start: number;
  sampleRate: number;
}
