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

  it('QC flags follow their documented thresholds', () => {
    expect(qcFlags({ rms_db: -51, silence_ratio: 0.81, clip_ratio: 0.02, duration: 0.5 })).toEqual({ too_quiet: true, mostly_silence: true, heavily_clipped: true, too_short: true });
    expect(qcFlags({ rms_db: -20, silence_ratio: 0.2, clip_ratio: 0, duration: 5 })).toEqual({ too_quiet: false, mostly_silence: false, heavily_clipped: false, too_short: false });
    expect(qcFlags({ rms_db: -45, silence_ratio: 0, clip_ratio: 0, duration: 5 }, { minRmsDb: -40 }).too_quiet).toBe(true);
    expect(() => acousticStatsSync(new Float32Array(10), 0)).toThrow(RangeError);
  });
});
