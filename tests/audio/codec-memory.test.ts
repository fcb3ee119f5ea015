// Memory on compressed files (issue 11): decoding many Ogg files must not leave memory that
// grows with their number. A child process decodes one recording many times, 8 at a time (as the
// manifest does), and reports the most external (off-heap) memory its main thread held after any
// file and the decoder workers' counters. Before the fix, dead decoded samples piled up to V8's
// own collection trigger (about 64 MB of external memory) and each worker ran up to four decoders
// (four WASM instances) at once.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..');
const OGG = join(__dirname, 'fixtures', 'shared', '198-209-0000.ogg');

const CHILD = `
const { loadAudio } = require(${JSON.stringify(join(ROOT, 'dist/cjs/index.js'))});
const { codecPool } = require(${JSON.stringify(join(ROOT, 'dist/cjs/audio/codec-pool.js'))});
const [file, n] = [process.argv[1], Number(process.argv[2])];
(async () => {
  let i = 0, maxExternal = 0, frames = 0;
  const base = process.memoryUsage().external;
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (i < n) {
      i++;
      const a = await loadAudio(file);
      frames = a.numFrames;
      maxExternal = Math.max(maxExternal, process.memoryUsage().external - base);
    }
  }));
  const pool = codecPool();
  const stats = typeof pool.stats === 'function' ? await pool.stats() : [];
  process.stdout.write(JSON.stringify({ maxExternalMB: maxExternal / 2 ** 20, frames, stats }));
})();
`;

function run(n: number) {
  const r = spawnSync(process.execPath, ['-e', CHILD, OGG, String(n)], { encoding: 'utf8', timeout: 60_000 });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { maxExternalMB: number; frames: number; stats: { peakLive: number; live: number; decodes: number }[] };
}

describe('memory when decoding many compressed files', () => {
  it('keeps dead samples bounded and one decoder per worker at a time', () => {
    const { maxExternalMB, frames, stats } = run(240);
    // Each decode transfers frames × 4 bytes (one channel); 240 of them are far more than the bound.
    expect((240 * frames * 4) / 2 ** 20).toBeGreaterThan(100);
    // Collected every 32 MB received, plus the 8 files in flight.
    expect(maxExternalMB).toBeLessThan(32 + (8 * frames * 4) / 2 ** 20 + 8);
    expect(stats.length).toBeGreaterThan(0);
    expect(stats.reduce((t, s) => t + s.decodes, 0)).toBe(240);
    for (const s of stats) {
      expect(s.peakLive).toBe(1);
      expect(s.live).toBe(0);
    }
  }, 90_000);
});
