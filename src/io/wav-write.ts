/**
 * WAV writing: mono or multichannel float samples as a RIFF/WAVE file, 16-bit PCM (libsndfile's float-to-int
 * conversion: x · 32767 rounded, clipped to [-32768, 32767]) or 32-bit float.
 */
import { int, oneOf, typeError } from '../validate.js';

/** Options of {@link encodeWav}. */
export interface EncodeWavOptions {
  /** 'pcm16' (default) or 'float32'. */
  format?: 'pcm16' | 'float32';
}

/** The bytes of a WAV file holding `channels` (one Float32Array per channel, all the same length) at `sampleRate`. */
export function encodeWav(channels: readonly Float32Array[], sampleRate: number, options: EncodeWavOptions = {}): Uint8Array {
  if (!Array.isArray(channels) || channels.length === 0 || channels.some((c) => !(c instanceof Float32Array))) throw typeError('an array of Float32Arrays (one per channel)', 'channels', channels);
  const frames = channels[0]!.length;
  if (channels.some((c) => c.length !== frames)) throw typeError('channels of one length', 'channels', channels);
  const rate = int(sampleRate, 'sampleRate', 1);
  const format = options.format === undefined ? 'pcm16' : oneOf(options.format, 'format', ['pcm16', 'float32'] as const);
  const bytes = format === 'pcm16' ? 2 : 4;
  const nch = channels.length;
  const dataSize = frames * nch * bytes;
  const out = new Uint8Array(44 + dataSize);
  const v = new DataView(out.buffer);
  const ascii = (at: number, s: string) => {
    for (let i = 0; i < s.length; i++) out[at + i] = s.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  v.setUint32(4, 36 + dataSize, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, format === 'pcm16' ? 1 : 3, true);
  v.setUint16(22, nch, true);
  v.setUint32(24, rate, true);
  v.setUint32(28, rate * nch * bytes, true);
  v.setUint16(32, nch * bytes, true);
  v.setUint16(34, bytes * 8, true);
  ascii(36, 'data');
  v.setUint32(40, dataSize, true);
  let at = 44;
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < nch; c++) {
      const x = channels[c]![i]!;
      if (format === 'pcm16') {
        const s = Number.isNaN(x) ? 0 : Math.max(-32768, Math.min(32767, Math.round(x * 32767)));
        v.setInt16(at, s, true);
        at += 2;
      } else {
        v.setFloat32(at, x, true);
        at += 4;
      }
    }
  }
  return out;
}
