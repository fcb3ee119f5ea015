// Per-frame spectral features against the independent float64 NumPy reference of
// tests/parity/make_spectral_fixtures.py (librosa's definitions; tolerances in its index.json), at every SIMD
// level, plus frame counts, edge frames, subarray inputs, async = sync and batch = single.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  capabilities,
  rms,
  rmsSync,
  setSimdLevel,
  SpectralFeatures,
  spectralBandwidth,
  spectralBandwidthSync,
  spectralCentroid,
  spectralCentroidSync,
  spectralContrast,
  spectralContrastSync,
  spectralFlatness,
  spectralFlatnessSync,
  spectralRolloff,
  spectralRolloffSync,
  zeroCrossingRate,
  zeroCrossingRateSync,
  type SimdLevel,
  type SpectralFeatureResult,
  type SpectralFeaturesOptions,
} from '../../src/index.js';
import { readNpy } from '../helpers/npy.js';

interface Tol {
  abs?: number;
  rel?: number;
  tonalRel?: number;
  tonalNyquistAbs?: number;
  exactShare?: number;
  maxBins?: number;
  tiers?: { maxDepth: number; abs: number }[];
  linear?: { rel: number; abs: number };
}
interface Case {
  name: string;
  signal: string;
  sampleRate: number;
  options: SpectralFeaturesOptions & { winLength: number | null; frameLength: number | null };
  frames: number;
  timeFrames: number;
  contrastRows: number;
  spectral: string;
  time: string;
  tonal: boolean;
}
interface Index {
  cases: Case[];
  tolerances: Record<string, Tol>;
  signals: Record<string, { path: string; sampleRate: number; length: number }>;
}

const dir = join(__dirname, 'fixtures', 'spectral');
const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as Index;
const signal = (name: string): Float32Array => readNpy(join(dir, index.signals[name]!.path)).data;

function optionsOf(c: Case): SpectralFeaturesOptions {
  const { winLength, frameLength, ...rest } = c.options;
  return { ...rest, sampleRate: c.sampleRate, winLength: winLength ?? undefined, frameLength: frameLength ?? undefined };
}

/** Expected rows of a case, by feature. */
function expected(c: Case): Record<string, Float32Array[]> {
  const s = readNpy(join(dir, c.spectral));
  const t = readNpy(join(dir, c.time));
  const T = s.shape[1]!, Tt = t.shape[1]!;
  const row = (a: Float32Array, r: number, n: number) => a.subarray(r * n, (r + 1) * n);
  const R = c.contrastRows;
  return {
    centroid: [row(s.data, 0, T)],
    bandwidth: [row(s.data, 1, T)],
    rolloff: [row(s.data, 2, T)],
    flatness: [row(s.data, 3, T)],
    contrast: Array.from({ length: R }, (_, r) => row(s.data, 4 + r, T)),
    depth: Array.from({ length: R }, (_, r) => row(s.data, 4 + R + r, T)),
    zcr: [row(t.data, 0, Tt)],
    rms: [row(t.data, 1, Tt)],
  };
}

// Worst errors seen, per feature (printed at the end for docs/features.md).
const worst: Record<string, { abs: number; rel: number }> = {};
function note(feature: string, got: number, want: number): void {
  const w = (worst[feature] ??= { abs: 0, rel: 0 });
  const d = Math.abs(got - want);
  w.abs = Math.max(w.abs, d);
  if (Math.abs(want) > 1e-6) w.rel = Math.max(w.rel, d / Math.abs(want));
}

function checkCase(c: Case, got: SpectralFeatureResult): void {
  const exp = expected(c);
  const tol = index.tolerances;
  for (const f of ['centroid', 'bandwidth', 'flatness', 'zcr', 'rms'] as const) {
    const t = got[f]!;
    const T = f === 'zcr' || f === 'rms' ? c.timeFrames : c.frames;
    expect(t.shape, `${c.name} ${f} shape`).toEqual([1, T]);
    const e = exp[f]![0]!;
    const tonal = f === 'bandwidth' && c.tonal;
    const rel = tonal ? tol[f]!.tonalRel! : (tol[f]!.rel ?? 0);
    const abs = tonal ? tol[f]!.tonalNyquistAbs! * (c.sampleRate / 2) : (tol[f]!.abs ?? 0);
    for (let i = 0; i < T; i++) {
      note(tonal ? 'bandwidth_tonal' : f, t.data[i]!, e[i]!);
      const bound = abs + rel * Math.abs(e[i]!);
      expect(Math.abs(t.data[i]! - e[i]!), `${c.name} ${f}[${i}]: ${t.data[i]} vs ${e[i]}`).toBeLessThanOrEqual(bound);
    }
  }
  // Rolloff: a threshold on a running sum; most frames exact, the rest within one bin.
  {
    const t = got.rolloff!;
    expect(t.shape).toEqual([1, c.frames]);
    const e = exp.rolloff![0]!;
    const binHz = c.sampleRate / (c.options.nFft ?? 2048);
    let exact = 0;
    for (let i = 0; i < c.frames; i++) {
      const d = Math.abs(t.data[i]! - e[i]!);
      note('rolloff', t.data[i]!, e[i]!);
      if (d <= 1e-3) exact++;
      expect(d, `${c.name} rolloff[${i}]`).toBeLessThanOrEqual(tol.rolloff!.maxBins! * binHz + 1e-3);
    }
    expect(exact / c.frames, `${c.name} rolloff exact share`).toBeGreaterThanOrEqual(tol.rolloff!.exactShare!);
  }
  // Contrast: dB cells held to the tier of their valley's depth below the frame's peak bin; deeper cells
  // (float32 rounding noise) only finite and >= 0.
  {
    const t = got.contrast!;
    expect(t.shape).toEqual([c.contrastRows, c.frames]);
    const linear = c.options.contrast?.linear === true;
    const { tiers, linear: lin } = tol.contrast!;
    for (let r = 0; r < c.contrastRows; r++) {
      const e = exp.contrast![r]!, depth = exp.depth![r]!;
      for (let i = 0; i < c.frames; i++) {
        const g = t.data[r * c.frames + i]!;
        expect(Number.isFinite(g) && g >= 0, `${c.name} contrast[${r}, ${i}] = ${g}`).toBe(true);
        const d = Math.abs(g - e[i]!);
        if (linear) {
          note('contrast_linear', g, e[i]!);
          expect(d, `${c.name} contrast[${r}, ${i}]`).toBeLessThanOrEqual(lin!.abs + lin!.rel * Math.abs(e[i]!));
          continue;
        }
        const tier = tiers!.find((k) => depth[i]! <= k.maxDepth);
        if (!tier) continue;
        note(`contrast_depth${tier.maxDepth}`, g, e[i]!);
        expect(d, `${c.name} contrast[${r}, ${i}]: ${g} vs ${e[i]} (depth ${depth[i]})`).toBeLessThanOrEqual(tier.abs);
      }
    }
  }
}

const levels = capabilities().simdLevels as SimdLevel[];
const best = capabilities().simd as SimdLevel;
afterAll(() => {
  setSimdLevel(best);
  console.log('spectral parity, worst |a - e| and relative error per feature:', JSON.stringify(worst));
});

describe.each(levels.map((l) => [l] as const))('SpectralFeatures equals the float64 reference (%s)', (level) => {
  it.each(index.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    setSimdLevel(level);
    const sf = new SpectralFeatures(optionsOf(c));
    const x = signal(c.signal);
    expect(sf.numFrames(x.length)).toBe(c.frames);
    expect(sf.numTimeFrames(x.length)).toBe(c.timeFrames);
    checkCase(c, sf.compute(x));
  });
});

describe('SpectralFeatures behaviour', () => {
  const c = index.cases.find((k) => k.name === 'speech')!;
  const x = signal(c.signal);
  const sf = new SpectralFeatures(optionsOf(c));

  it('every SIMD level gives the same values to rounding', () => {
    const results = levels.map((l) => {
      setSimdLevel(l);
      return sf.compute(x);
    });
    setSimdLevel(best);
    const depth = expected(c).depth!;
    for (const r of results.slice(1)) {
      for (const f of sf.features) {
        const a = results[0]![f]!.data, b = r[f]!.data;
        for (let i = 0; i < a.length; i++) {
          // Contrast cells with deep valleys are float32 rounding noise (see the tolerance tiers).
          if (f === 'contrast' && depth[Math.floor(i / c.frames)]![i % c.frames]! > 40) continue;
          expect(Math.abs(a[i]! - b[i]!), `${f}[${i}]`).toBeLessThanOrEqual(1e-4 * Math.abs(a[i]!) + 1e-3);
        }
      }
    }
  });

  it('async equals sync, batch equals single, thread count changes nothing', async () => {
    const sync = sf.compute(x);
    expect(await sf.computeAsync(x)).toEqual(sync);
    expect(sf.compute(x, { threads: 1 })).toEqual(sync);
    const clips = index.cases.slice(0, 7).map((k) => signal(k.signal));
    const speech = new SpectralFeatures({ sampleRate: 22050 });
    const batch = await speech.computeBatchAsync(clips, { threads: 2 });
    clips.forEach((clip, i) => expect(batch[i]).toEqual(speech.compute(clip)));
    expect(speech.computeBatch(clips)).toEqual(batch);
  });

  it('reads subarray inputs at their byteOffset', () => {
    const big = new Float32Array(x.length + 777);
    big.set(x, 333);
    const sub = big.subarray(333, 333 + x.length);
    expect(sub.byteOffset).toBe(333 * 4);
    expect(sf.compute(sub)).toEqual(sf.compute(x));
  });

  it('the single-feature functions (Promise and Sync forms) equal the transform', async () => {
    const o = { sampleRate: c.sampleRate };
    const all = new SpectralFeatures(o).compute(x);
    expect(spectralCentroidSync(x, o)).toEqual(all.centroid);
    expect(spectralBandwidthSync(x, o)).toEqual(all.bandwidth);
    expect(spectralRolloffSync(x, o)).toEqual(all.rolloff);
    expect(spectralFlatnessSync(x, o)).toEqual(all.flatness);
    expect(spectralContrastSync(x, o)).toEqual(all.contrast);
    expect(zeroCrossingRateSync(x, o)).toEqual(all.zcr);
    expect(rmsSync(x, o)).toEqual(all.rms);
    expect(await spectralCentroid(x, o)).toEqual(all.centroid);
    expect(await spectralBandwidth(x, o)).toEqual(all.bandwidth);
    expect(await spectralRolloff(x, o)).toEqual(all.rolloff);
    expect(await spectralFlatness(x, o)).toEqual(all.flatness);
    expect(await spectralContrast(x, { ...o, threads: 2 })).toEqual(all.contrast);
    expect(await zeroCrossingRate(x, o)).toEqual(all.zcr);
    expect(await rms(x, o)).toEqual(all.rms);
    expect(Object.keys(new SpectralFeatures({ features: ['rms', 'centroid'] }).compute(x))).toEqual(['centroid', 'rms']);
  });

  it('frame counts and edge frames: empty, one sample, n_fft boundaries, center false', () => {
    const d = new SpectralFeatures({ sampleRate: 16000 });
    const empty = d.compute(new Float32Array(0));
    expect(empty.centroid!.shape).toEqual([1, 0]);
    expect(empty.contrast!.shape).toEqual([7, 0]);
    const one = d.compute(new Float32Array([0.25]));
    expect(one.rms!.shape).toEqual([1, 1]);
    expect(one.rms!.data[0]).toBeCloseTo(0.25 / Math.sqrt(2048), 7);
    expect(one.zcr!.data[0]).toBe(0);
    for (const n of [511, 512, 513, 2047, 2048, 2049]) {
      expect(d.compute(new Float32Array(n).fill(0.1)).centroid!.shape).toEqual([1, 1 + Math.floor(n / 512)]);
    }
    const nc = new SpectralFeatures({ sampleRate: 16000, nFft: 512, hopLength: 160, center: false });
    expect(nc.compute(new Float32Array(512)).flatness!.shape).toEqual([1, 1]);
    expect(nc.compute(new Float32Array(1000)).zcr!.shape).toEqual([1, 4]);
    // The first and last frames of a centred transform see the padding: DC input gives zero crossings only
    // through the edge padding (none: the edge repeats) and a lower RMS at the ends (zeros).
    const dc = d.compute(new Float32Array(4096).fill(0.5));
    expect(Array.from(dc.zcr!.data).every((v) => v === 0)).toBe(true);
    expect(dc.rms!.data[0]).toBeCloseTo(0.5 * Math.sqrt(0.5), 6);
    expect(dc.rms!.data[4]).toBeCloseTo(0.5, 6);
    expect(dc.rms!.data[8]).toBeCloseTo(0.5 * Math.sqrt(0.5), 6);
  });

  it('reads NaN and Inf samples as 0', () => {
    const clean = Float32Array.from(x.subarray(0, 5000));
    const dirty = Float32Array.from(clean);
    dirty[0] = Number.NaN;
    dirty[100] = Number.POSITIVE_INFINITY;
    clean[0] = 0;
    clean[100] = 0;
    expect(sf.compute(dirty)).toEqual(sf.compute(clean));
  });
});
