// Decoding parity: every fixture file decodes to what soundfile (libsndfile 1.2) gives,
// exactly for PCM/float WAV and FLAC, within 1e-4 for the lossy codecs; probeAudio agrees
// with the decoder without decoding. Fixtures: tests/audio/make_audio_fixtures.py.
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAudio, loadAudioSync, openAudioFile, openAudioFileSync, probeAudio, probeAudioSync, Resample } from '../../src/index.js';
import { maxAbs } from '../helpers/metrics.js';
import { readNpy } from '../helpers/npy.js';

const FIX = join(__dirname, 'fixtures');
interface Entry {
  format: string;
  codec: string;
  sampleRate: number;
  channels: number;
  numFrames: number;
  excerpts?: Record<string, number>;
  sum?: number;
  sumSquares?: number;
}
const index = JSON.parse(readFileSync(join(FIX, 'index.json'), 'utf8')) as Record<string, Entry>;
const lossy = (e: Entry) => ['VORBIS', 'OPUS', 'MPEG_LAYER_III'].includes(e.codec);
const files = Object.entries(index).filter(([name]) => name.startsWith('files/'));

/** Row c of a (channels, frames) reference. */
function refChannel(name: string, c: number): Float32Array {
  const ref = readNpy(join(FIX, 'refs', name + '.npy'));
  const frames = ref.shape[1]!;
  return ref.data.subarray(c * frames, (c + 1) * frames);
}

describe('loadAudio decodes every fixture as soundfile does', () => {
  it.each(files)('%s', async (name, e) => {
    const a = await loadAudio(join(FIX, name), { mono: false });
    expect(a.format).toBe(e.format);
    expect(a.codec).toBe(e.codec);
    expect(a.sampleRate).toBe(e.sampleRate);
    expect(a.sourceChannels).toBe(e.channels);
    expect(a.channels.length).toBe(e.channels);
    expect(a.numFrames).toBe(e.numFrames);
    expect(a.duration).toBeCloseTo(e.numFrames / e.sampleRate, 12);
    const base = name.slice('files/'.length);
    for (let c = 0; c < e.channels; c++) {
      const ref = refChannel(base, c);
      if (lossy(e)) expect(maxAbs(a.channels[c]!, ref)).toBeLessThanOrEqual(1e-4);
      else expect(Buffer.compare(Buffer.from(a.channels[c]!.buffer, a.channels[c]!.byteOffset, a.channels[c]!.byteLength), Buffer.from(ref.buffer, ref.byteOffset, ref.byteLength))).toBe(0);
    }
  });

  it.each(files)('probeAudio %s matches the decoder without decoding', async (name, e) => {
    const p = await probeAudio(join(FIX, name));
    expect(probeAudioSync(join(FIX, name))).toEqual(p);
    expect(p).toMatchObject({ format: e.format, codec: e.codec, sampleRate: e.sampleRate, channels: e.channels, numFrames: e.numFrames });
    expect(p.fileSize).toBe(readFileSync(join(FIX, name)).length);
  });
});

describe('the shared recordings (Ogg Vorbis) decode as soundfile does', () => {
  const shared = Object.entries(index).filter(([name]) => name.startsWith('shared/'));
  it.each(shared)('%s: length, whole-file sums and excerpts', async (name, e) => {
    const a = await loadAudio(join(FIX, name));
    expect(a.numFrames).toBe(e.numFrames);
    const x = a.channels[0]!;
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < x.length; i++) {
      sum += x[i]!;
      sq += x[i]! * x[i]!;
    }
    expect(Math.abs(sum - e.sum!)).toBeLessThan(1e-4 * Math.sqrt(x.length));
    expect(Math.abs(sq - e.sumSquares!) / e.sumSquares!).toBeLessThan(1e-5);
    const rec = name.slice('shared/'.length, -'.ogg'.length);
    for (const [start, length] of Object.entries(e.excerpts!)) {
      const ref = refChannel(`${rec}.${start}`, 0);
      expect(maxAbs(x.subarray(Number(start), Number(start) + length), ref)).toBeLessThanOrEqual(1e-4);
    }
    expect(await probeAudio(join(FIX, name))).toMatchObject({ numFrames: e.numFrames, sampleRate: 22050, channels: 1 });
  });
});

describe('options', () => {
  const wav = join(FIX, 'files/stereo_pcm_16.wav');
  const flac = join(FIX, 'files/stereo_pcm_16.flac');
  it.each([wav, flac])('mono (default) is the channel mean, channel picks one: %s', async (path) => {
    // libsndfile rounds differently when it writes FLAC, so each file has its own reference.
    const left = refChannel(basename(path), 0);
    const right = refChannel(basename(path), 1);
    const mono = await loadAudio(path);
    expect(mono.channels.length).toBe(1);
    const expected = left.map((l, i) => Math.fround(Math.fround(l + right[i]!) / 2));
    expect(mono.channels[0]).toEqual(expected);
    const r = await loadAudio(path, { channel: 1 });
    expect(r.channels).toEqual([right]);
  });

  it.each([wav, flac, join(FIX, 'files/stereo_vorbis.ogg')])('offset and duration select the same span as slicing: %s', async (path) => {
    const whole = await loadAudio(path, { mono: false });
    const sr = whole.sampleRate;
    const part = await loadAudio(path, { mono: false, offset: 0.05, duration: 0.1 });
    const start = Math.round(0.05 * sr);
    const n = Math.round(0.1 * sr);
    expect(part.numFrames).toBe(n);
    for (let c = 0; c < 2; c++) expect(part.channels[c]).toEqual(whole.channels[c]!.subarray(start, start + n));
    const tail = await loadAudio(path, { offset: 10 }); // past the end: empty, not an error
    expect(tail.numFrames).toBe(0);
  });

  it('loadAudioSync gives the same samples as loadAudio, for WAV and for compressed formats', async () => {
    for (const name of ['files/stereo_pcm_24.wav', 'files/stereo_pcm_24.flac', 'files/stereo_lame.mp3', 'files/stereo_opus.opus']) {
      const path = join(FIX, name);
      const a = await loadAudio(path, { mono: false, sampleRate: 16000 });
      const b = loadAudioSync(path, { mono: false, sampleRate: 16000 });
      expect(b.sampleRate).toBe(16000);
      expect(b.channels).toEqual(a.channels);
    }
  });

  it('WAV decoding and resampling fused block by block equal resampling the decoded signal', async () => {
    for (const [name, resample] of [['files/sox_44k_pcm_16.wav', 'torchaudio'], ['files/stereo_float.wav', 'kaiser_best']] as const) {
      const path = join(FIX, name);
      const raw = await loadAudio(path, { mono: false });
      const r = new Resample({ origFreq: raw.sampleRate, newFreq: 16000, preset: resample });
      const fused = await loadAudio(path, { mono: false, sampleRate: 16000, resample });
      expect(fused.channels).toEqual(raw.channels.map((c) => r.compute(c)));
      expect(fused.sourceSampleRate).toBe(raw.sampleRate);
    }
  });

  it('decodes WAV into the caller\'s arrays when they fit (`out`), else into fresh ones', async () => {
    const wav = join(FIX, 'files/sox_44k_pcm_16.wav');
    const ref = await loadAudio(wav, { sampleRate: 16000 });
    const n = ref.channels[0]!.length;
    const big = new Float32Array(n + 100).fill(7);
    const into = await loadAudio(wav, { sampleRate: 16000, out: [big] });
    expect(into.channels[0]!.buffer).toBe(big.buffer); // a view of the caller's array
    expect(into.channels[0]).toEqual(ref.channels[0]);
    expect(big[n]).toBe(7); // nothing written past the output
    const sync = loadAudioSync(wav, { sampleRate: 16000, out: [big] });
    expect(sync.channels[0]).toEqual(ref.channels[0]);
    const small = new Float32Array(n - 1);
    const fresh = await loadAudio(wav, { sampleRate: 16000, out: [small] });
    expect(fresh.channels[0]!.buffer).not.toBe(small.buffer);
    expect(fresh.channels[0]).toEqual(ref.channels[0]);
    const stereo = join(FIX, 'files/stereo_pcm_24.wav');
    const both = await loadAudio(stereo, { mono: false, out: [new Float32Array(1 << 18)] }); // one array for two channels: fresh
    expect(both.channels).toEqual((await loadAudio(stereo, { mono: false })).channels);
    const ogg = join(FIX, 'files/stereo_vorbis.ogg');
    expect((await loadAudio(ogg, { out: [big] })).channels[0]!.buffer).not.toBe(big.buffer); // decoder workers return their own
    await expect(loadAudio(wav, { out: [new Float64Array(4) as unknown as Float32Array] })).rejects.toThrow(/Expected a Float32Array for out\[0\]/);
  });

  it('decodes bytes in memory as it decodes the file', async () => {
    for (const name of ['files/stereo_float.wav', 'files/stereo_vorbis.ogg']) {
      const path = join(FIX, name);
      const fromPath = await loadAudio(path);
      const fromBytes = await loadAudio(new Uint8Array(readFileSync(path)));
      expect(fromBytes.channels).toEqual(fromPath.channels);
    }
  });

  it('decodes many files concurrently (decoder workers in parallel)', async () => {
    const names = files.map(([n]) => join(FIX, n));
    const once = await Promise.all(names.map((n) => loadAudio(n)));
    const again = await Promise.all([...names].reverse().map((n) => loadAudio(n)));
    again.reverse().forEach((a, i) => expect(a.channels).toEqual(once[i]!.channels));
  });
});

describe('openAudioFile (WAV random access)', () => {
  const path = join(FIX, 'files/stereo_pcm_24.wav');
  const left = refChannel('stereo_pcm_24.wav', 0);
  const right = refChannel('stereo_pcm_24.wav', 1);

  it('reads any span, per channel, mixed or one channel, sync and async', async () => {
    const f = await openAudioFile(path);
    expect(f.info).toMatchObject({ format: 'wav', codec: 'PCM_24', channels: 2, numFrames: 6615, sampleRate: 22050 });
    const [l, r] = f.readSync(1000, 500);
    expect(l).toEqual(left.subarray(1000, 1500));
    expect(r).toEqual(right.subarray(1000, 1500));
    expect((await f.read(6600, 100, { channel: 1 }))[0]).toEqual(right.subarray(6600)); // clamped at the end
    const [m] = f.readSync(0, 10, { mono: true });
    expect(m).toEqual(left.subarray(0, 10).map((v, i) => Math.fround(Math.fround(v + right[i]!) / 2)));
    expect(f.readSync(7000, 10)[0]!.length).toBe(0);
    f.close();
    expect(() => f.readSync(0, 1)).toThrow(/closed/);
  });

  it('writes into the caller\'s arrays when given `out`', () => {
    const f = openAudioFileSync(path);
    const out = [new Float32Array(300), new Float32Array(300)];
    const got = f.readSync(2000, 256, { out });
    expect(got[0]!.buffer).toBe(out[0]!.buffer);
    expect(got[0]!.length).toBe(256);
    expect(out[1]!.subarray(0, 256)).toEqual(right.subarray(2000, 2256));
    expect(() => f.readSync(0, 400, { out })).toThrow(RangeError);
    expect(() => f.readSync(0, 10, { out: [out[0]!] })).toThrow(TypeError);
    f.close();
  });

  it('compressed formats have no random access: UNSUPPORTED_FORMAT naming the alternatives', async () => {
    expect(() => openAudioFileSync(join(FIX, 'files/stereo_pcm_16.flac'))).toThrow(/openAudioStream/);
    await expect(openAudioFile(join(FIX, 'files/stereo_pcm_16.flac'))).rejects.toMatchObject({ code: 'UNSUPPORTED_FORMAT' });
  });
});
