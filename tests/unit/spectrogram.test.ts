// Behaviour of the STFT family that the fixtures do not pin down: complex
// phase with a short window, odd FFT sizes, frame counts, presets, forms.
import { afterAll, describe, expect, it } from 'vitest';
import { AmplitudeToDB, capabilities, LogMelSpectrogram, MelSpectrogram, melscaleFbanks, MFCC, setSimdLevel, Spectrogram, makeWindow, type SimdLevel } from '../../src/index.js';
import { relL2 } from '../helpers/metrics.js';
import { noise } from '../helpers/reference.js';

/** Complex STFT frame t by direct float64 summation, torch conventions (centred, reflect, window centred in nFft). */
function referenceFrame(x: Float32Array, nFft: number, win: Float32Array, hop: number, t: number): Float64Array {
  const off = Math.floor((nFft - win.length) / 2);
  const frame = new Float64Array(nFft);
  for (let m = 0; m < win.length; m++) {
    let i = t * hop - Math.floor(nFft / 2) + off + m;
    if (i < 0) i = -i;
    if (i >= x.length) i = 2 * (x.length - 1) - i;
    frame[off + m] = x[i]! * win[m]!;
  }
  const bins = Math.floor(nFft / 2) + 1;
  const out = new Float64Array(2 * bins);
  for (let k = 0; k < bins; k++) {
    for (let m = 0; m < nFft; m++) {
      const a = (-2 * Math.PI * ((k * m) % nFft)) / nFft;
      out[2 * k] += frame[m]! * Math.cos(a);
      out[2 * k + 1] += frame[m]! * Math.sin(a);
    }
  }
  return out;
}

describe('complex STFT', () => {
  it.each([
    [512, 400, 160],
    [400, 400, 160],
    [401, 300, 100],
    [64, 33, 7],
  ])('nFft %i winLength %i hop %i matches a float64 reference, phase included', (nFft, winLength, hop) => {
    const x = noise(3000, nFft);
    const spec = new Spectrogram({ nFft, winLength, hopLength: hop, power: null });
    const out = spec.compute(x);
    const [bins, frames] = out.shape as [number, number, number];
    const win = makeWindow('hann', winLength);
    for (const t of [0, 3, frames - 1]) {
      const got = new Float32Array(2 * bins);
      for (let k = 0; k < bins; k++) {
        got[2 * k] = out.data[2 * (k * frames + t)]!;
        got[2 * k + 1] = out.data[2 * (k * frames + t) + 1]!;
      }
      expect(relL2(got, referenceFrame(x, nFft, win, hop, t)), `frame ${t}`).toBeLessThan(1e-5);
    }
  });

  it('onesided false mirrors the conjugate half', () => {
    const x = noise(2000, 5);
    const full = new Spectrogram({ nFft: 64, power: null, onesided: false }).compute(x);
    const half = new Spectrogram({ nFft: 64, power: null }).compute(x);
    const frames = half.shape[1]!;
    expect(full.shape).toEqual([64, frames, 2]);
    for (const k of [1, 10, 31]) {
      for (const t of [0, 5]) {
        expect(full.data[2 * ((64 - k) * frames + t)]).toBe(half.data[2 * (k * frames + t)]);
        expect(full.data[2 * ((64 - k) * frames + t) + 1]).toBe(-half.data[2 * (k * frames + t) + 1]!);
      }
    }
  });
});

describe('frame counts and shapes', () => {
  it.each([
    [{ nFft: 400, hopLength: 160 }, 16000, [201, 101]],
    [{ nFft: 400, hopLength: 160 }, 399, [201, 3]],
    [{ nFft: 400, hopLength: 160, center: false }, 16000, [201, 98]],
    [{ nFft: 512, hopLength: 160, pad: 100 }, 1000, [257, 8]],
    [{ nFft: 401, hopLength: 100, padMode: 'constant' as const }, 0, [201, 0]],
    [{ nFft: 400, hopLength: 100, padMode: 'constant' as const }, 0, [201, 1]],
  ])('%j on %i samples -> %j', (opts, len, shape) => {
    expect(new Spectrogram(opts).outputShape(len)).toEqual(shape);
    expect(new Spectrogram(opts).compute(new Float32Array(len).fill(0.1)).shape).toEqual(shape);
  });

  it('the whisper preset drops the last frame (3000 frames for 30 s)', () => {
    const t = new LogMelSpectrogram({ preset: 'whisper' });
    expect(t.outputShape(480000)).toEqual([80, 3000]);
    expect(t.options.nMels).toBe(80);
    expect(() => new LogMelSpectrogram({ preset: 'whisper', topDb: 80 })).toThrow(/for topDb/);
  });
});

describe('presets', () => {
  it('librosa: 22.05 kHz, 2048/512, constant padding, Slaney, fMax = sr / 2', () => {
    const m = new MelSpectrogram({ preset: 'librosa' });
    expect(m.options).toMatchObject({
      sampleRate: 22050, nFft: 2048, hopLength: 512, padMode: 'constant', melScale: 'slaney', norm: 'slaney',
      binFrequencies: 'rfftfreq', nMels: 128, fMax: 11025,
    });
    expect(new MelSpectrogram({ preset: 'librosa', sampleRate: 11025 }).options.fMax).toBe(5512.5);
    expect(new MelSpectrogram({ sampleRate: 11025, nMels: 40 }).options.fMax).toBe(5512);
  });

  it('rfftfreq bins use the real (odd) FFT size', () => {
    const sr = 16000, nFft = 401;
    const fb = melscaleFbanks({ nFreqs: 201, nFft, fMin: 0, fMax: 8000, nMels: 20, sampleRate: sr, norm: 'slaney', melScale: 'slaney', binFrequencies: 'rfftfreq' });
    const m = new MelSpectrogram({ preset: 'librosa', sampleRate: sr, nFft, nMels: 20 });
    expect(m.fbanks.data).toEqual(fb.data);
    const even = melscaleFbanks({ nFreqs: 201, fMin: 0, fMax: 8000, nMels: 20, sampleRate: sr, norm: 'slaney', melScale: 'slaney', binFrequencies: 'rfftfreq' });
    expect(relL2(fb.data, even.data)).toBeGreaterThan(1e-3); // bins at k*sr/401, not k*sr/400
  });
});

describe('sync, async and batch forms agree bit for bit', () => {
  it('at 1 and 2 threads', async () => {
    const t = new LogMelSpectrogram({ nFft: 512, hopLength: 160, nMels: 64 });
    const xs = [noise(40000, 1), noise(12345, 2), noise(700, 3)];
    const sync = xs.map((x) => t.compute(x).data);
    const one = t.computeBatch(xs, { threads: 1 }).map((r) => r.data);
    const two = (await t.computeBatchAsync(xs, { threads: 2 })).map((r) => r.data);
    const async1 = await Promise.all(xs.map((x) => t.computeAsync(x, { threads: 1 })));
    xs.forEach((_, i) => {
      expect(one[i]).toEqual(sync[i]);
      expect(two[i]).toEqual(sync[i]);
      expect(async1[i]!.data).toEqual(sync[i]);
    });
  });
});

describe('out option', () => {
  it('writes into the caller array, sync and async, and checks its size and overlap', async () => {
    const t = new LogMelSpectrogram({ nFft: 512, hopLength: 160, nMels: 64 });
    const x = noise(16000, 8);
    const expected = t.compute(x).data;
    const out = new Float32Array(64 * 101).fill(Number.NaN);
    const r = t.compute(x, { out });
    expect(r.data).toBe(out);
    expect(out).toEqual(expected);
    out.fill(0);
    expect((await t.computeAsync(x, { out })).data).toBe(out);
    expect(out).toEqual(expected);
    expect(() => t.compute(x, { out: new Float32Array(10) })).toThrow(/Expected a Float32Array of length 6464 .* for out/);
    const shared = new Float32Array(16000 + 6464);
    expect(() => t.compute(shared.subarray(0, 16000), { out: shared.subarray(15000, 15000 + 6464) })).toThrow(/does not overlap/);
  });
});

describe('AmplitudeToDB', () => {
  it('on a mel spectrogram equals the fused LogMelSpectrogram (top_db 80)', () => {
    const x = noise(16000, 31);
    const opts = { nFft: 512, hopLength: 160, nMels: 64 };
    const mel = new MelSpectrogram(opts).compute(x);
    const db = new AmplitudeToDB({ topDb: 80 }).compute(mel);
    const fused = new LogMelSpectrogram(opts).compute(x);
    expect(db.shape).toEqual(fused.shape);
    let worst = 0;
    db.data.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - fused.data[i]!))));
    expect(worst).toBeLessThan(1e-3);
  });

  it('shares one cutoff over (C, F, T) and uses one per item for 4-D input, as torchaudio', () => {
    const loud = Array.from({ length: 8 }, () => 1);
    const quiet = Array.from({ length: 8 }, () => 1e-12);
    const three = { data: new Float32Array([...loud, ...quiet]), shape: [2, 2, 4] };
    const four = { data: new Float32Array([...loud, ...quiet]), shape: [2, 1, 2, 4] };
    const t = new AmplitudeToDB({ topDb: 20 });
    expect(Array.from(t.compute(three).data.slice(8))).toEqual(Array(8).fill(-20)); // clamped to 0 - 20
    expect(t.compute(four).data[8]).toBeCloseTo(-100, 3); // amin floor; its own max, so no clamp to -20
    expect(new AmplitudeToDB({ stype: 'magnitude' }).compute({ data: new Float32Array([10]), shape: [1] }).data[0]).toBeCloseTo(20, 5);
  });
});

describe('AmplitudeToDB in the native core', () => {
  const levels = capabilities().simdLevels as SimdLevel[];
  const best = capabilities().simd as SimdLevel;
  afterAll(() => setSimdLevel(best));

  /** torchaudio's amplitude_to_DB in float64, one cutoff per group. */
  function reference(x: Float32Array, multiplier: number, amin: number, ref: number, topDb: number | null, groups = 1): Float64Array {
    const y = Float64Array.from(x, (v) => multiplier * Math.log10(Math.max(v, amin)) - multiplier * Math.log10(Math.max(amin, ref)));
    if (topDb === null) return y;
    const size = y.length / groups;
    for (let g = 0; g < groups; g++) {
      let peak = -Infinity;
      for (let i = g * size; i < (g + 1) * size; i++) if (y[i]! > peak) peak = y[i]!;
      for (let i = g * size; i < (g + 1) * size; i++) y[i] = Math.max(y[i]!, peak - topDb);
    }
    return y;
  }

  it('matches a float64 amplitude_to_DB within 5e-5 dB, and gives identical bits at every SIMD level and thread count', () => {
    const n = 64 * 3001;
    const x = new Float32Array(n);
    for (let i = 0; i < n; i++) x[i] = Math.exp(-40 * ((i * 0.6180339887) % 1)) * (1 + Math.sin(i)); // 0 .. 2, 17 decades
    x[7] = Number.NaN;
    x[8] = 0;
    const results: Float32Array[] = [];
    for (const level of levels) {
      setSimdLevel(level);
      for (const threads of [1, 2]) {
        for (const [stype, mult, ref, topDb] of [['power', 10, 1, 80], ['magnitude', 20, 0.5, null]] as const) {
          const t = new AmplitudeToDB({ stype, ref, topDb });
          const y = t.compute({ data: x, shape: [64, n / 64] }, { threads }).data;
          const e = reference(x, mult, 1e-10, ref, topDb);
          let worst = 0;
          for (let i = 0; i < n; i++) if (i !== 7) worst = Math.max(worst, Math.abs(y[i]! - e[i]!));
          expect(worst).toBeLessThan(5e-5); // ~2 float32 ulps at -200 dB
          expect(Number.isNaN(y[7])).toBe(true);
          if (stype === 'power') results.push(y);
        }
      }
    }
    for (const r of results) expect(Buffer.from(r.buffer, r.byteOffset, r.byteLength).equals(Buffer.from(results[0]!.buffer, results[0]!.byteOffset, results[0]!.byteLength))).toBe(true);
  });

  it('agrees with the fused LogMelSpectrogram within 1e-4 dB at every SIMD level', () => {
    const x = noise(16000 * 3, 5);
    const opts = { nFft: 512, hopLength: 160, nMels: 64 };
    for (const level of levels) {
      setSimdLevel(level);
      const db = new AmplitudeToDB({ topDb: 80 }).compute(new MelSpectrogram(opts).compute(x)).data;
      const fused = new LogMelSpectrogram(opts).compute(x).data;
      let worst = 0;
      db.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - fused[i]!))));
      expect(worst).toBeLessThan(1e-4);
    }
  });

  it('writes into out (reused, a subarray, or x.data itself in place), sync and async, and refuses a wrong length or a partial overlap', async () => {
    const t = new AmplitudeToDB({ topDb: 60 });
    const mel = new MelSpectrogram({ nFft: 512, hopLength: 160, nMels: 64 }).compute(noise(16000, 2));
    const expected = t.compute(mel).data;
    const backing = new Float32Array(mel.data.length + 10).fill(Number.NaN);
    const out = backing.subarray(5, 5 + mel.data.length);
    expect(t.compute(mel, { out }).data).toBe(out);
    expect(out).toEqual(expected);
    expect(backing[4]).toBeNaN();
    expect(backing[5 + mel.data.length]).toBeNaN();
    out.fill(0);
    expect((await t.computeAsync(mel, { out })).data).toBe(out);
    expect(out).toEqual(expected);
    // Reused for a second input of the same size.
    const mel2 = { data: mel.data.map((v) => v * 4), shape: mel.shape };
    expect(t.compute(mel2, { out }).data).toEqual(t.compute(mel2).data);
    const copy = { data: mel.data.slice(), shape: mel.shape };
    expect(t.compute(copy, { out: copy.data }).data).toBe(copy.data);
    expect(copy.data).toEqual(expected);
    expect(() => t.compute(mel, { out: new Float32Array(3) })).toThrow(RangeError);
    expect(() => t.compute(mel, { out: new Float32Array(3) })).toThrow(/Expected a Float32Array of length 6464 .* for out/);
    const shared = new Float32Array(200);
    expect(() => t.compute({ data: shared.subarray(0, 100), shape: [100] }, { out: shared.subarray(50, 150) })).toThrow(/for out/);
    expect(() => t.compute(mel, { out: new Float64Array(mel.data.length) as never })).toThrow(TypeError);
    expect(() => new AmplitudeToDB({ amin: 1e-40 })).toThrow(RangeError);
    expect(t.compute({ data: new Float32Array(0), shape: [0, 3] }).data.length).toBe(0);
  });
});

describe('out option on every frame transform', () => {
  it.each([
    ['Spectrogram', () => new Spectrogram({ nFft: 256, hopLength: 100 })],
    ['MelSpectrogram', () => new MelSpectrogram({ nFft: 512, hopLength: 160, nMels: 40 })],
    ['LogMelSpectrogram', () => new LogMelSpectrogram({ nFft: 400, hopLength: 160, nMels: 80 })],
    ['MFCC', () => new MFCC({ nMfcc: 13, melkwargs: { nFft: 400, hopLength: 160, nMels: 40 } })],
  ] as const)('%s: one out array reused across inputs, a subarray out, and a RangeError for a wrong length', (_name, make) => {
    const t = make();
    const a = noise(8000, 11), b = noise(8000, 12);
    const size = t.outputShape(8000).reduce((p, q) => p * q, 1);
    const backing = new Float32Array(size + 3).fill(Number.NaN);
    const out = backing.subarray(3);
    for (const x of [a, b, a]) {
      const r = t.compute(x, { out });
      expect(r.data).toBe(out);
      expect(r.shape).toEqual(t.outputShape(8000));
      expect(out).toEqual(t.compute(x).data);
    }
    expect(backing.subarray(0, 3).every(Number.isNaN)).toBe(true);
    expect(() => t.compute(a, { out: new Float32Array(size + 1) })).toThrow(RangeError);
    // A different input length after a cached one still gets its own shape.
    expect(t.compute(noise(4000, 13)).shape).toEqual(t.outputShape(4000));
  });
});
