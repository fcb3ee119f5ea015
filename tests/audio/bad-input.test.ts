// Bad input never crashes: each case gives an AudiomillError with its code and the path,
// from loadAudio, loadAudioSync, probeAudio and openAudioStream alike.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AudiomillError, loadAudio, loadAudioSync, openAudioStream, probeAudio } from '../../src/index.js';
import { tempDir } from '../helpers/temp.js';
import { makeWav, s16 } from '../helpers/wav.js';

const dir = tempDir('bad-');
const FIX = join(__dirname, 'fixtures', 'files');

function file(name: string, bytes: Uint8Array | string): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

async function streamAll(path: string): Promise<number> {
  let n = 0;
  for await (const b of openAudioStream(path)) n += b.numFrames;
  return n;
}

/** Every entry point rejects with `code` and names the path. */
async function expectError(path: string, code: string): Promise<void> {
  const check = (err: unknown) => {
    expect(err).toBeInstanceOf(AudiomillError);
    expect((err as AudiomillError).code).toBe(code);
    expect((err as AudiomillError).path).toBe(path);
    expect((err as AudiomillError).message).toContain(path);
  };
  await loadAudio(path).then(() => expect.fail('loadAudio resolved'), check);
  try {
    loadAudioSync(path);
    expect.fail('loadAudioSync returned');
  } catch (err) {
    check(err);
  }
  await streamAll(path).then(() => expect.fail('openAudioStream ended'), check);
  if (code !== 'DECODE_CORRUPT' || !path.endsWith('.flac')) await probeAudio(path).then(() => expect.fail('probeAudio resolved'), check);
}

const flacBytes = new Uint8Array(readFileSync(join(FIX, 'stereo_pcm_16.flac')));
const mp3Bytes = new Uint8Array(readFileSync(join(FIX, 'stereo_lame.mp3')));

describe('bad input gives AudiomillError with a code and the path', () => {
  it('an empty file: EMPTY', () => expectError(file('empty.wav', ''), 'EMPTY'));
  it('an empty file with a compressed extension: EMPTY', () => expectError(file('empty.mp3', ''), 'EMPTY'));
  it('text with an audio extension: DECODE_CORRUPT', () => expectError(file('notes.wav', 'this is not audio, just text\n'.repeat(20)), 'DECODE_CORRUPT'));
  it('text with a .flac extension: DECODE_CORRUPT', () => expectError(file('notes.flac', 'hello world '.repeat(50)), 'DECODE_CORRUPT'));
  it('unknown bytes with an unknown extension: UNSUPPORTED_FORMAT', () => expectError(file('data.bin', 'x'.repeat(1000)), 'UNSUPPORTED_FORMAT'));
  it('a WAV header with zero channels: DECODE_CORRUPT', () => expectError(file('zero-channels.wav', makeWav({ channels: 0, blockAlign: 2, data: s16([1, 2]) })), 'DECODE_CORRUPT'));
  it('a WAV header with a zero sample rate: DECODE_CORRUPT', () => expectError(file('zero-rate.wav', makeWav({ sampleRate: 0, data: s16([1, 2]) })), 'DECODE_CORRUPT'));
  it('a WAV with an absurd channel count: DECODE_CORRUPT', () => expectError(file('absurd-channels.wav', makeWav({ channels: 60000, blockAlign: 2, data: s16([1, 2]) })), 'DECODE_CORRUPT'));
  it('a WAV whose fmt chunk claims 4 GB: DECODE_CORRUPT or DECODE_TRUNCATED, never a crash', async () => {
    const path = file('absurd-fmt.wav', makeWav({ fmtSize: 0xfffffff0, data: s16([1, 2, 3]) }));
    const err = await loadAudio(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AudiomillError);
    expect(['DECODE_CORRUPT', 'DECODE_TRUNCATED']).toContain((err as AudiomillError).code);
    expect((err as AudiomillError).path).toBe(path);
  });
  it('a WAV without a data chunk: DECODE_CORRUPT', () => {
    const full = makeWav({ data: s16([1, 2, 3, 4]) });
    return expectError(file('no-data.wav', patchRiff(full.subarray(0, 12 + 24))), 'DECODE_CORRUPT');
  });
  it('a WAV cut inside its fmt chunk: DECODE_TRUNCATED', () => expectError(file('cut-header.wav', patchRiff(makeWav().subarray(0, 20))), 'DECODE_TRUNCATED'));
  it('a WAV in a codec we do not decode (MS ADPCM): UNSUPPORTED_FORMAT', () =>
    expectError(file('adpcm.wav', makeWav({ formatTag: 2, bitsPerSample: 4, blockAlign: 256, data: new Uint8Array(512) })), 'UNSUPPORTED_FORMAT'));
  it('a path that does not exist: IO', () => expectError(join(dir, 'missing.wav'), 'IO'));
  it('a directory: IO', () => {
    const d = join(dir, 'folder.wav');
    mkdirSync(d, { recursive: true });
    return expectError(d, 'IO');
  });
  it('a FLAC file whose frames are garbage: DECODE_CORRUPT', () => {
    const bytes = flacBytes.slice();
    for (let i = 200; i < bytes.length; i++) bytes[i] = (i * 7919) & 0xff;
    return expectError(file('garbage-frames.flac', bytes), 'DECODE_CORRUPT');
  });
  it('an MP3 header followed by garbage: DECODE_CORRUPT', () => {
    const bytes = mp3Bytes.slice(0, 4);
    return expectError(file('header-only.mp3', Buffer.concat([bytes, Buffer.alloc(64, 0x41)])), 'DECODE_CORRUPT');
  });
});

describe('damaged files that still hold audio decode as far as they go', () => {
  it('WAV data shorter than its header says: every whole frame, flagged truncated', async () => {
    const path = file('truncated.wav', makeWav({ channels: 2, data: s16([100, -100, 200, -200, 300]), dataSize: 4000 }));
    const a = await loadAudio(path, { mono: false });
    expect(a.truncated).toBe(true);
    expect(a.numFrames).toBe(2); // the fifth sample is half a frame
    expect(Array.from(a.channels[0]!)).toEqual([100 / 32768, 200 / 32768]);
    expect((await probeAudio(path)).truncated).toBe(true);
  });
  it('WAV data size 0 or 0xFFFFFFFF (streaming writers): read to the end of the file', async () => {
    for (const dataSize of [0, 0xffffffff]) {
      const path = file(`streaming-${dataSize}.wav`, makeWav({ data: s16([1, 2, 3, 4, 5, 6]), dataSize }));
      const a = await loadAudio(path);
      expect(a.numFrames).toBe(6);
      expect(a.truncated).toBe(false);
    }
  });
  it('a FLAC file cut short decodes its whole frames', async () => {
    // 6615 frames in two FLAC frames (4096 + 2519); 80% of the bytes hold the first one whole.
    const path = file('cut.flac', flacBytes.subarray(0, Math.floor(flacBytes.length * 0.8)));
    const a = await loadAudio(path);
    const whole = await loadAudio(join(FIX, 'stereo_pcm_16.flac'));
    expect(a.numFrames).toBeGreaterThan(0);
    expect(a.numFrames).toBeLessThan(whole.numFrames);
    expect(a.channels[0]).toEqual(whole.channels[0]!.subarray(0, a.numFrames));
  });
  it.each(['stereo_pcm_16.wav', 'stereo_pcm_16.flac', 'stereo_lame.mp3', 'stereo_vorbis.ogg', 'stereo_opus.opus'])(
    'a channel %s does not have is the same RangeError (with the path) from every entry point',
    async (name) => {
      const path = join(FIX, name);
      const shape = new RegExp(`^Expected a channel index below 2 for channel but received 5 \\(${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)$`);
      await expect(loadAudio(path, { channel: 5 })).rejects.toThrow(RangeError);
      await expect(loadAudio(path, { channel: 5 })).rejects.toThrow(shape);
      expect(() => loadAudioSync(path, { channel: 5 })).toThrow(shape);
      await expect(openAudioStream(path, { channel: 5 }).next()).rejects.toThrow(shape);
    },
  );
  it('invalid options are TypeError / RangeError before any reading', async () => {
    await expect(loadAudio(join(FIX, 'stereo_pcm_16.wav'), { sampleRate: 0 })).rejects.toThrow(RangeError);
    await expect(loadAudio(join(FIX, 'stereo_pcm_16.wav'), { offset: -1 })).rejects.toThrow(/offset/);
    await expect(loadAudio(42 as unknown as string)).rejects.toThrow(TypeError);
    await expect(loadAudio(join(FIX, 'stereo_pcm_16.wav'), { resample: 'best' as 'fast' })).rejects.toThrow(/resample/);
  });
});

/** Rewrites the RIFF size to the buffer's real length. */
function patchRiff(b: Uint8Array): Uint8Array {
  const out = b.slice();
  new DataView(out.buffer).setUint32(4, out.length - 8, true);
  return out;
}
