// Acoustic statistics against the independent float64 NumPy reference of
// tests/parity/make_stats_fixtures.py (tolerances per statistic in its index.json; a case may
// loosen one, e.g. spectral bandwidth of pure tones over the float32 STFT's noise floor).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acousticStats, acousticStatsBatch, acousticStatsBatchSync, acousticStatsSync, qcFlags } from '../../src/index.js';
import { readNpy } from '../helpers/npy.js';

interface Tol {
  abs?: number;
  rel?: number;
}
interface Case {
  name: string;
  signal: string;
  sampleRate: number;
  length: number;
  expected: Record<string, number>;
  toleranceOverrides?: Record<string, Tol>;
}
const dir = join(__dirname, 'fixtures', 'stats');
const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { cases: Case[]; tolerances: Record<string, Tol> };

describe('acousticStats equals the float64 reference', () => {
  it.each(index.cases.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const x = readNpy(join(dir, c.signal)).data.subarray(0, c.length);
    const got = acousticStatsSync(x, c.sampleRate) as unknown as Record<string, number>;
    expect(await acousticStats(x, c.sampleRate)).toEqual(got);
    for (const [key, want] of Object.entries(c.expected)) {
      const tol = { ...index.tolerances[key], ...c.toleranceOverrides?.[key] };
      const bound = Math.max(tol.abs ?? 0, (tol.rel ?? 0) * Math.abs(want));
      expect(Math.abs(got[key]! - want), `${key}: ${got[key]} vs ${want}`).toBeLessThanOrEqual(bound);
    }
  });

  it('a batch gives each clip the statistics it gets alone', async () => {
    const clips = index.cases.slice(0, 6).map((c) => ({ samples: readNpy(join(dir, c.signal)).data.subarray(0, c.length), sampleRate: c.sampleRate }));
    const batch = await acousticStatsBatch(clips, { threads: 2 });
    clips.forEach((c, i) => expect(batch[i]).toEqual(acousticStatsSync(c.samples, c.sampleRate)));
    expect(acousticStatsBatchSync(clips, { threads: 1 })).toEqual(batch);
  });

  it('rms_ac_db is the level of the samples about their mean (a float64 two-pass reference)', () => {
    const ref = (x: Float32Array) => {
      let mean = 0;
      for (const v of x) mean += v;
      mean /= x.length;
      let ss = 0;
      for (const v of x) ss += (v - mean) ** 2;
      return 20 * Math.log10(Math.max(Math.sqrt(ss / x.length), 1e-10));
    };
    for (const c of index.cases) {
      const x = readNpy(join(dir, c.signal)).data.subarray(0, c.length);
      if (x.length === 0 || x.some((v) => !Number.isFinite(v))) continue;
      const got = acousticStatsSync(x, c.sampleRate);
      const want = ref(x);
      // Exact up to float64 rounding: 1e-9 dB (a constant clip: both at the rounding floor or below).
      if (want < -150) expect(got.rms_ac_db, c.name).toBeLessThan(-150);
      else expect(Math.abs(got.rms_ac_db - want), `${c.name}: ${got.rms_ac_db} vs ${want}`).toBeLessThanOrEqual(1e-9);
    }
    // The humpback case of the issue: a DC offset of 0.356 over a quiet signal. rms_db counts the
    // offset (-8.9 dBFS); the AC level is the signal's own (-29.6 dBFS), and the flag is raised.
    const n = 48000;
    const x = new Float32Array(n);
    for (let i = 0; i < n; i++) x[i] = 0.356 + 0.0468 * Math.sin((2 * Math.PI * 200 * i) / 16000);
    const s = acousticStatsSync(x, 16000);
    expect(s.rms_db).toBeCloseTo(-8.9, 1);
    expect(s.rms_ac_db).toBeCloseTo(-29.6, 1);
    expect(Math.abs(s.rms_ac_db - ref(x))).toBeLessThanOrEqual(1e-9);
    expect(qcFlags(s).high_dc_offset).toBe(true);
    expect(acousticStatsSync(new Float32Array(1000).fill(0.25), 16000).rms_ac_db).toBe(-200);
  });

  it('QC flags follow their documented thresholds', () => {
    expect(qcFlags({ rms_db: -51, silence_ratio: 0.81, clip_ratio: 0.02, duration: 0.5, dc_offset: -0.11 })).toEqual({
      too_quiet: true, mostly_silence: true, heavily_clipped: true, too_short: true, high_dc_offset: true,
    });
    expect(qcFlags({ rms_db: -20, silence_ratio: 0.2, clip_ratio: 0, duration: 5, dc_offset: 0.1 })).toEqual({
      too_quiet: false, mostly_silence: false, heavily_clipped: false, too_short: false, high_dc_offset: false,
    });
    expect(qcFlags({ rms_db: -20, silence_ratio: 0.2, clip_ratio: 0, duration: 5, dc_offset: 0.05 }, { maxDcOffset: 0.01 }).high_dc_offset).toBe(true);
    expect(qcFlags({ rms_db: -45, silence_ratio: 0, clip_ratio: 0, duration: 5 }, { minRmsDb: -40 }).too_quiet).toBe(true);
    expect(() => acousticStatsSync(new Float32Array(10), 0)).toThrow(RangeError);
  });
});
