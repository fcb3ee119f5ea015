// The manifest's fused WAV path (wavStats: read, mix, resample and statistics in one native task, the samples
// never in JS) gives exactly what loadAudio then acousticStatsBatch give, for every rate, channel count, sample
// format and a file cut short; a file our WAV reader does not take is left to the generic path (undefined).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAudio, wavStats } from '../../src/audio/load.js';
import { acousticStatsBatch, planFor } from '../../src/features/acoustic.js';
import { noise } from '../helpers/reference.js';
import { tempDir } from '../helpers/temp.js';
import { makeWav, s16 } from '../helpers/wav.js';

const dir = tempDir('wav-stats');

function write(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** A noisy tone with a DC offset, `seconds` long, interleaved over `channels`. */
function pcm16(rate: number, channels: number, seconds: number, seed: number): Uint8Array {
  const n = Math.round(rate * seconds);
  const x = noise(n * channels, seed);
  const samples: number[] = [];
  for (let i = 0; i < n * channels; i++) samples.push(Math.round(8000 * Math.sin((2 * Math.PI * 440 * Math.floor(i / channels)) / rate) + 3000 * x[i]! + 200));
  return s16(samples);
}

async function reference(path: string, sampleRate: number | undefined) {
  const a = await loadAudio(path, { mono: true, ...(sampleRate ? { sampleRate } : {}) });
  const [stats] = await acousticStatsBatch([{ samples: a.channels[0]!, sampleRate: a.sampleRate }]);
  return { a, stats: stats! };
}

describe('wavStats (the manifest fused WAV path)', () => {
  const cases: [string, Uint8Array][] = [];
  for (const rate of [16000, 22050, 44100, 48000])
    for (const channels of [1, 2]) cases.push([`${rate}-${channels}ch`, makeWav({ sampleRate: rate, channels, data: pcm16(rate, channels, 1.3, rate + channels) })]);
  const f = new Float32Array(noise(30000, 7).map((v) => 0.5 * v));
  cases.push(['float32', makeWav({ formatTag: 3, bitsPerSample: 32, sampleRate: 44100, data: new Uint8Array(f.buffer) })]);
  cases.push(['cut short', makeWav({ sampleRate: 48000, data: pcm16(48000, 1, 0.5, 3), dataSize: 48000 * 2 })]);
  cases.push(['empty', makeWav({ sampleRate: 22050, data: new Uint8Array(0) })]);

  it.each(cases)('%s: equals loadAudio then acousticStatsBatch, at 16 kHz and at the file rate', async (name, bytes) => {
    const path = write(`${name}.wav`, bytes);
    for (const rate of [16000, undefined]) {
      const { a, stats } = await reference(path, rate);
      const w = await wavStats(path, rate, planFor({}), 1);
      expect(w).toBeDefined();
      expect(w!.stats).toEqual(stats);
      expect(w!.numFrames).toBe(a.numFrames);
      expect(w!.duration).toBe(a.duration);
      expect([w!.sampleRate, w!.sourceSampleRate, w!.sourceChannels, w!.codec, w!.truncated]).toEqual([a.sampleRate, a.sourceSampleRate, a.sourceChannels, a.codec, a.truncated]);
      // Any thread count gives the same statistics.
      expect((await wavStats(path, rate, planFor({}), 2))!.stats).toEqual(stats);
    }
  });

  it('leaves a file its WAV reader does not take to the generic path (undefined)', async () => {
    expect(await wavStats(write('not-audio.wav', new Uint8Array(100).fill(7)), 16000, planFor({}), 1)).toBeUndefined();
  });
});
