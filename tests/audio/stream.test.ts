// openAudioStream: blocks of the requested size whose concatenation equals loadAudio with
// the same options (the resampler's state carried across blocks), for WAV and compressed
// formats; and a long-recording pipeline (stream + resample + FeatureStream) that equals
// whole-file processing.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAudio, MelSpectrogram, openAudioStream, type AudioStreamOptions } from '../../src/index.js';
import { maxAbs } from '../helpers/metrics.js';
import { noise } from '../helpers/reference.js';
import { tempDir } from '../helpers/temp.js';
import { makeWav } from '../helpers/wav.js';

const FIX = join(__dirname, 'fixtures', 'files');

async function collect(path: string, options: AudioStreamOptions): Promise<{ channels: Float32Array[]; blocks: number[] }> {
  const parts: Float32Array[][] = [];
  const blocks: number[] = [];
  let expectedStart = 0;
  for await (const b of openAudioStream(path, options)) {
    expect(b.start).toBe(expectedStart);
    expectedStart += b.numFrames;
    blocks.push(b.numFrames);
    parts.push(b.channels);
  }
  const total = blocks.reduce((a, b) => a + b, 0);
  const channels = (parts[0] ?? []).map((_, c) => {
    const out = new Float32Array(total);
    let o = 0;
    for (const p of parts) {
      out.set(p[c]!, o);
      o += p[c]!.length;
    }
    return out;
  });
  return { channels, blocks };
}

describe('openAudioStream equals loadAudio', () => {
  const cases: [string, AudioStreamOptions][] = [
    ['stereo_pcm_16.wav', { blockSize: 1000, mono: false }],
    ['stereo_pcm_24.wav', { blockSize: 777, sampleRate: 16000 }],
    ['sox_44k_pcm_16.wav', { blockSize: 4096, sampleRate: 16000, resample: 'kaiser_best', mono: false }],
    ['stereo_pcm_16.flac', { blockSize: 513, sampleRate: 8000, channel: 1 }],
    ['stereo_vorbis.ogg', { blockSize: 2048, sampleRate: 16000 }],
    ['stereo_opus.opus', { blockSize: 1500, sampleRate: 16000, offset: 0.05, duration: 0.2 }],
    ['stereo_lame.mp3', { blockSize: 3000, mono: false, offset: 0.1 }],
  ];
  it.each(cases)('%s %j', async (name, options) => {
    const path = join(FIX, name);
    const { blockSize, ...loadOptions } = options;
    const whole = await loadAudio(path, loadOptions);
    const { channels, blocks } = await collect(path, options);
    expect(channels.length).toBe(whole.channels.length);
    blocks.slice(0, -1).forEach((n) => expect(n).toBe(blockSize));
    for (let c = 0; c < channels.length; c++) {
      expect(channels[c]!.length).toBe(whole.channels[c]!.length);
      expect(maxAbs(channels[c]!, whole.channels[c]!)).toBeLessThanOrEqual(1e-6);
    }
  });

  it('stopping early (break) closes the stream', async () => {
    let n = 0;
    for await (const b of openAudioStream(join(FIX, 'stereo_vorbis.ogg'), { blockSize: 256 })) {
      n += b.numFrames;
      if (n > 1000) break;
    }
    expect(n).toBe(1024);
  });
});

describe('a long recording streamed through resampling and features equals whole-file processing', () => {
  it('90 s of 48 kHz stereo WAV -> 16 kHz mono -> mel spectrogram', async () => {
    const dir = tempDir('long-');
    const rate = 48000;
    const frames = rate * 90;
    const left = noise(frames, 1);
    const right = noise(frames, 2);
    const pcm = new Int16Array(frames * 2);
    for (let i = 0; i < frames; i++) {
      pcm[2 * i] = Math.round(left[i]! * 20000);
      pcm[2 * i + 1] = Math.round(right[i]! * 20000);
    }
    const path = join(dir, 'long.wav');
    writeFileSync(path, makeWav({ channels: 2, sampleRate: rate, data: new Uint8Array(pcm.buffer) }));

    const mel = new MelSpectrogram({ sampleRate: 16000, nFft: 400, hopLength: 160, nMels: 80 });
    const whole = await loadAudio(path, { sampleRate: 16000 });
    const expected = mel.compute(whole.channels[0]!);

    const fs = mel.stream();
    const parts: Float32Array[] = [];
    let got = 0;
    for await (const block of openAudioStream(path, { sampleRate: 16000, blockSize: 16000 * 7 + 13 })) {
      const t = fs.push(block.channels[0]!);
      parts.push(t.data);
      got += t.shape[1]!;
    }
    const last = fs.flush();
    parts.push(last.data);
    got += last.shape[1]!;
    expect(got).toBe(expected.shape[1]);
    // Reassemble (features x frames) from the per-block tensors and compare cell by cell.
    const nMels = 80;
    const out = new Float32Array(nMels * got);
    let f0 = 0;
    for (const p of parts) {
      const n = p.length / nMels;
      for (let m = 0; m < nMels; m++) out.set(p.subarray(m * n, (m + 1) * n), m * got + f0);
      f0 += n;
    }
    expect(maxAbs(out, expected.data)).toBe(0);
  });
});
