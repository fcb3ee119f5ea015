// The manifest's fused WAV path (wavStatsFiles: files opened, read, mixed, resampled and their statistics in one
// native task, the samples never in JS) gives exactly what loadAudio then acousticStatsBatch give, for every rate,
// channel count, sample format and a file cut short, alone or in a batch of mixed rates, on any thread count; a
// file our WAV reader does not take (or cannot open) is left to the generic path (undefined).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAudio, wavStatsFiles } from '../../src/audio/load.js';
import { acousticStatsBatch, planFor } from '../../src/features/acoustic.js';
import { LogMelSpectrogram } from '../../src/features/spectrogram.js';
import { native } from '../../src/native/load.js';
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

describe('wavStatsFiles (the manifest fused WAV path)', () => {
  const cases: [string, Uint8Array][] = [];
  for (const rate of [16000, 22050, 44100, 48000])
    for (const channels of [1, 2]) cases.push([`${rate}-${channels}ch`, makeWav({ sampleRate: rate, channels, data: pcm16(rate, channels, 1.3, rate + channels) })]);
  const f = new Float32Array(noise(30000, 7).map((v) => 0.5 * v));
  cases.push(['float32', makeWav({ formatTag: 3, bitsPerSample: 32, sampleRate: 44100, data: new Uint8Array(f.buffer) })]);
  cases.push(['cut short', makeWav({ sampleRate: 48000, data: pcm16(48000, 1, 0.5, 3), dataSize: 48000 * 2 })]);
  cases.push(['empty', makeWav({ sampleRate: 22050, data: new Uint8Array(0) })]);

  const check = (w: Awaited<ReturnType<typeof wavStatsFiles>>[number], ref: Awaited<ReturnType<typeof reference>>) => {
    expect(w).toBeDefined();
    expect(w!.stats).toEqual(ref.stats);
    expect(w!.numFrames).toBe(ref.a.numFrames);
    expect(w!.duration).toBe(ref.a.duration);
    expect([w!.sampleRate, w!.sourceSampleRate, w!.sourceChannels, w!.codec, w!.truncated]).toEqual([ref.a.sampleRate, ref.a.sourceSampleRate, ref.a.sourceChannels, ref.a.codec, ref.a.truncated]);
  };

  it.each(cases)('%s: equals loadAudio then acousticStatsBatch, at 16 kHz and at the file rate', async (name, bytes) => {
    const path = write(`${name}.wav`, bytes);
    for (const rate of [16000, undefined]) {
      const ref = await reference(path, rate);
      for (const threads of [1, 2]) check((await wavStatsFiles([path], rate, planFor({}), threads))[0], ref); // any thread count, same bits
    }
  });

  it('a batch of every case, with files it does not take among them, gives each file its own result', async () => {
    const paths = cases.map(([name, bytes]) => write(`batch-${name}.wav`, bytes));
    const bad = [write('not-audio.wav', new Uint8Array(100).fill(7)), join(dir, 'missing.wav')];
    const all = [bad[0]!, ...paths.slice(0, 4), bad[1]!, ...paths.slice(4)];
    for (const spectral of [true, false]) {
      const got = await wavStatsFiles(all, 16000, planFor({ spectral }), 1);
      expect(got).toHaveLength(all.length);
      expect(got[0]).toBeUndefined();
      expect(got[5]).toBeUndefined();
      for (const [i, path] of all.entries()) {
        if (bad.includes(path)) continue;
        const ref = await reference(path, 16000);
        const [stats] = await acousticStatsBatch([{ samples: ref.a.channels[0]!, sampleRate: 16000 }], { spectral });
        check(got[i], { ...ref, stats: stats! });
        expect('spectral_centroid' in got[i]!.stats).toBe(spectral);
      }
    }
  });
});

describe('native objects passed as arguments are checked by class (Node-API type tags)', () => {
  it('a plan, resampler or stream argument of another class is INVALID_ARGUMENT, never reinterpreted', () => {
    const n = native();
    const path = write('typed.wav', makeWav({ sampleRate: 16000, data: pcm16(16000, 1, 0.3, 9) }));
    const statsPlan = planFor({});
    const logmel = new LogMelSpectrogram({ nMels: 8 }) as unknown as { plan: unknown };
    expect(() => n.wavStatsFiles([path], { plan: logmel.plan as never }, true)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', message: 'Expected an AcousticStatsPlan for plan' }));
    expect(() => n.wavPooledFeatures([path], { plan: statsPlan as never, mode: 'mean', ddof: 1, frame: 0, l2: false }, true)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', message: 'Expected a FeaturePlan for plan' }));
    expect(() => n.wavStatsFiles([path], { plan: { compute() {} } as never }, true)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => new (n.ResampleStream)(statsPlan as never)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', message: 'Expected a Resampler for resampler' }));
    const wav = new (n.WavFile)(path);
    expect(() => wav.read({ start: 0, count: 10, mix: 'all', channel: 0, resampler: statsPlan as never }, false)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    wav.close();
  });
});

