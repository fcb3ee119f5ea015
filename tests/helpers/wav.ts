// Builds WAV files byte by byte for tests: any format tag, sizes that lie, extra chunks; and writes
// float samples as 16-bit PCM WAV files.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface WavSpec {
  formatTag?: number; // 1 PCM, 3 float, 6 A-law, 7 mu-law, 2 ADPCM, ...
  channels?: number;
  sampleRate?: number;
  bitsPerSample?: number;
  blockAlign?: number;
  data?: Uint8Array;
  /** Written in the data chunk header instead of data.length (0, 0xFFFFFFFF, or a lie). */
  dataSize?: number;
  /** Chunks placed between fmt and data. */
  chunks?: { id: string; body: Uint8Array }[];
  /** Written as the fmt chunk size instead of 16. */
  fmtSize?: number;
}

function chunk(id: string, size: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + body.length + (body.length & 1));
  out.set(Buffer.from(id, 'latin1'), 0);
  new DataView(out.buffer).setUint32(4, size >>> 0, true);
  out.set(body, 8);
  return out;
}

export function makeWav(spec: WavSpec = {}): Uint8Array {
  const channels = spec.channels ?? 1;
  const bits = spec.bitsPerSample ?? 16;
  const rate = spec.sampleRate ?? 16000;
  const blockAlign = spec.blockAlign ?? channels * Math.ceil(bits / 8);
  const fmt = new Uint8Array(16);
  const v = new DataView(fmt.buffer);
  v.setUint16(0, spec.formatTag ?? 1, true);
  v.setUint16(2, channels, true);
  v.setUint32(4, rate, true);
  v.setUint32(8, rate * blockAlign, true);
  v.setUint16(12, blockAlign, true);
  v.setUint16(14, bits, true);
  const data = spec.data ?? new Uint8Array(0);
  const parts = [
    chunk('fmt ', spec.fmtSize ?? 16, fmt),
    ...(spec.chunks ?? []).map((c) => chunk(c.id, c.body.length, c.body)),
    chunk('data', spec.dataSize ?? data.length, data),
  ];
  const body = Buffer.concat([Buffer.from('WAVE', 'latin1'), ...parts]);
  return new Uint8Array(Buffer.concat([chunk('RIFF', body.length, new Uint8Array(0)).subarray(0, 8), body]));
}

/** 16-bit PCM bytes of the given integer samples (interleaved). */
export function s16(samples: number[]): Uint8Array {
  const out = new Uint8Array(samples.length * 2);
  const v = new DataView(out.buffer);
  samples.forEach((s, i) => v.setInt16(2 * i, s, true));
  return out;
}

/**
 * Writes `samples` (floats, full scale ±1, mono) as a 16-bit PCM WAV file at `path`, creating its
 * folder: each sample is scaled by 32768, rounded and clamped to the 16-bit range.
 */
export function writeWav(path: string, samples: ArrayLike<number>, rate: number): void {
  const pcm = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) pcm[i] = Math.max(-32768, Math.min(32767, Math.round(samples[i]! * 32768)));
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, makeWav({ sampleRate: rate, data: new Uint8Array(pcm.buffer) }));
}
