// Files cut short are flagged `truncated` by probeAudio, loadAudio and loadAudioSync, for every
// format whose container declares or implies a length: WAV (data chunk size), FLAC (STREAMINFO
// total samples, the last frame's CRC), Ogg Vorbis / Opus (a last page with the end-of-stream
// flag), MP3 (Xing/Info byte and frame counts, the last frame's length). Intact files are not.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAudio, loadAudioSync, probeAudio } from '../../src/index.js';
import { tempDir } from '../helpers/temp.js';
import { makeWav, s16 } from '../helpers/wav.js';

const FIX = join(__dirname, 'fixtures', 'files');
const dir = tempDir('truncation');

function cut(name: string, bytes: number): string {
  const whole = readFileSync(join(FIX, name));
  expect(bytes).toBeLessThan(whole.length);
  const p = join(dir, `cut-${bytes}-${name}`);
  writeFileSync(p, whole.subarray(0, bytes));
  return p;
}

async function flags(path: string): Promise<[boolean, boolean, boolean]> {
  return [(await probeAudio(path)).truncated, (await loadAudio(path)).truncated, loadAudioSync(path).truncated];
}

const intact = ['stereo_pcm_16.wav', 'stereo_double.wav', 'stereo_pcm_16.flac', 'stereo_pcm_24.flac', 'stereo_vorbis.ogg', 'stereo_opus.opus', 'stereo_lame.mp3', 'mono_noxing.mp3'];

describe('truncated', () => {
  it.each(intact)('an intact %s is not truncated', async (name) => {
    expect(await flags(join(FIX, name))).toEqual([false, false, false]);
  });

  it.each([
    ['stereo_double.wav', 100_000], // a WAV cut to 100 kB
    ['stereo_pcm_16.flac', 10_142], // FLAC cut where its second frame starts: frames missing before STREAMINFO's total
    ['stereo_pcm_16.flac', 12_000], // FLAC cut inside its last frame
    ['stereo_pcm_24.flac', 28_000], // FLAC: cut inside the last frame
    ['stereo_vorbis.ogg', 5_000], // an Ogg cut to its first 5 kB: no end-of-stream page
    ['stereo_opus.opus', 3_000],
    ['stereo_lame.mp3', 4_000], // MP3 with a Xing/Info tag
    ['mono_noxing.mp3', 3_001], // MP3 without one: the last frame runs past the end
  ] as const)('%s cut to %i bytes is truncated in probeAudio, loadAudio and loadAudioSync', async (name, bytes) => {
    const p = cut(name, bytes);
    expect(await flags(p)).toEqual([true, true, true]);
    const whole = await loadAudio(join(FIX, name));
    const part = await loadAudio(p);
    expect(part.numFrames).toBeLessThan(whole.numFrames); // every frame that exists, and fewer than the whole
  });

  it('an MP3 cut at a frame boundary is truncated by its Xing/Info counts', async () => {
    const bytes = new Uint8Array(readFileSync(join(FIX, 'stereo_lame.mp3')));
    // Walk the frame headers (MPEG-1 layer III: 144 * bitrate / rate + padding bytes) and cut after the 3rd.
    const kbps = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
    const rates = [44100, 48000, 32000];
    let at = bytes[0] === 0x49 ? 10 + ((bytes[6]! << 21) | (bytes[7]! << 14) | (bytes[8]! << 7) | bytes[9]!) : 0;
    for (let k = 0; k < 3; k++) {
      expect(bytes[at]).toBe(0xff);
      at += Math.floor((144 * kbps[bytes[at + 2]! >> 4]! * 1000) / rates[(bytes[at + 2]! >> 2) & 3]!) + ((bytes[at + 2]! >> 1) & 1);
    }
    const p = join(dir, 'frame-boundary.mp3');
    writeFileSync(p, bytes.subarray(0, at));
    expect(await flags(p)).toEqual([true, true, true]);
  });

  it('a WAV whose header declares 240,000 frames and holds 8 is truncated', async () => {
    const p = join(dir, 'declares-240000.wav');
    writeFileSync(p, makeWav({ channels: 1, sampleRate: 16000, data: s16([1, 2, 3, 4, 5, 6, 7, 8]), dataSize: 480_000 }));
    expect(await flags(p)).toEqual([true, true, true]);
    expect((await loadAudio(p)).numFrames).toBe(8);
  });
});
