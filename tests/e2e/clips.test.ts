// buildClips and `audiomill clips`: target clips cut around each selection (cropped or shifted inside the tape), noise
// clips mined at least the margin away from every selection without overlapping each other, a seeded split that keeps
// tapes whole, WAVs equal to the tape's samples, a Raven table per target clip, CSV lists and index.json; the same seed
// writes the same bytes, another seed other noise (and the stale clips go); a tape with no room for noise is reported;
// and the errors a user meets first.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAudio } from '../../src/audio/load.js';
import { buildClips, mineNoise } from '../../src/events/training-clips.js';
import { parseCsv } from '../../src/io/csv.js';
import { readRavenTable, writeRavenTable } from '../../src/io/raven-table.js';
import { rng } from '../helpers/reference.js';
import { tempDir } from '../helpers/temp.js';
import { writeWav } from '../helpers/wav.js';

const cli = (args: string[]) => spawnSync(process.execPath, [join(__dirname, '../../dist/cjs/cli/main.js'), ...args], { encoding: 'utf8' });
const RATE = 16000;
const SELS: Record<string, [number, number][]> = { a: [[1, 1.2], [4, 5], [7.5, 7.8]], b: [[2, 2.3], [6, 6.1]], c: [[9.9, 10]] };

async function corpus() {
  const dir = tempDir('clips');
  for (const [tape, sels] of Object.entries(SELS)) {
    const r = rng(tape.charCodeAt(0));
    writeWav(join(dir, 'tapes', `${tape}.wav`), Float32Array.from({ length: 10 * RATE }, () => (r() - 0.5) * 0.5), RATE);
    mkdirSync(join(dir, 'tables'), { recursive: true });
    await writeRavenTable(join(dir, 'tables', `${tape}.Table.1.selections.txt`), sels.map(([begin, end]) => ({ begin, end, lowFreq: 300, highFreq: 3000, label: 'hum' })));
  }
  return dir;
}
const digest = (dir: string, files: string[]) => files.map((f) => createHash('sha256').update(readFileSync(join(dir, f))).digest('hex'));

describe('buildClips', () => {
  it('cuts targets and mines noise away from them, splits by tape, and writes clips equal to the tape', async () => {
    const dir = await corpus();
    const out = join(dir, 'ds');
    const r = await buildClips({ tapes: join(dir, 'tapes'), tables: join(dir, 'tables'), out, seqLen: 0.4, marginS: 0.1, seed: 7 });
    const targets = r.clips.filter((c) => c.kind === 'target');
    const noise = r.clips.filter((c) => c.kind === 'noise');
    expect(targets).toHaveLength(6);
    expect(noise).toHaveLength(6);
    expect(r.checks).toEqual({ noiseOverlaps: 0, noiseDuplicates: 0, noiseNearSelections: 0 });
    // A long selection is cropped around its middle; one at the tape's end is shifted inside.
    expect(targets.find((c) => c.selection_begin === 4)).toMatchObject({ begin: 4.3, cropped: true });
    expect(targets.find((c) => c.tape === 'c')).toMatchObject({ begin: 9.6, end: 10, cropped: false });
    for (const n of noise) {
      for (const [b, e] of SELS[n.tape]!) expect(n.end <= b - 0.1 + 1e-9 || n.begin >= e + 0.1 - 1e-9).toBe(true);
      expect(n.begin).toBeGreaterThanOrEqual(0);
      expect(n.end).toBeLessThanOrEqual(10 + 1e-9);
    }
    // Tapes stay whole across splits; the CSVs list every clip once.
    for (const tape of Object.keys(SELS)) expect(new Set(r.clips.filter((c) => c.tape === tape).map((c) => c.split)).size).toBe(1);
    const listed = ['train', 'val', 'test'].flatMap((s) => (existsSync(join(out, `${s}.csv`)) ? parseCsv(readFileSync(join(out, `${s}.csv`), 'utf8')).rows : []));
    expect(listed.map((row) => row.path).sort()).toEqual(r.clips.map((c) => c.path).sort());
    // The WAVs hold the tape's samples (16-bit), 0.4 s each.
    const tapeA = (await loadAudio(join(dir, 'tapes', 'a.wav'))).channels[0]!;
    const clip = targets.find((c) => c.tape === 'a' && c.selection === 2)!;
    const x = (await loadAudio(join(out, clip.path))).channels[0]!;
    expect(x.length).toBe(6400);
    let worst = 0;
    for (let i = 0; i < 6400; i++) worst = Math.max(worst, Math.abs(x[i]! - tapeA[Math.round(clip.begin * RATE) + i]!));
    expect(worst).toBeLessThan(1 / 16384);
    // Each target clip has its Raven table, the selection in the clip's time.
    const t = await readRavenTable(join(out, 'selection_tables', clip.path.replace('clips/', '').replace('.wav', '.Table.1.selections.txt')));
    expect(t.rows.map((row) => [row.begin, row.end, row.lowFreq, row.highFreq, row.label])).toEqual([[0, 0.4, 300, 3000, 'hum']]);
    const index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8'));
    expect(index).toMatchObject({ command: 'clips', options: { seqLen: 0.4, marginS: 0.1, seed: 7, splitBy: 'tape' }, checks: r.checks });
    expect(index.files).toContain('index.json');
  });

  it('writes the same bytes for the same seed; another seed moves the noise and removes the stale clips', async () => {
    const dir = await corpus();
    const out = join(dir, 'ds');
    const opts = { tapes: join(dir, 'tapes'), tables: join(dir, 'tables'), out, seqLen: 0.4, seed: 3 };
    const first = await buildClips(opts);
    const d1 = digest(out, first.files);
    const again = await buildClips(opts);
    expect(again.files).toEqual(first.files);
    expect(digest(out, again.files)).toEqual(d1);
    const other = await buildClips({ ...opts, seed: 4 });
    const gone = first.files.filter((f) => !other.files.includes(f));
    expect(gone.length).toBeGreaterThan(0);
    for (const f of gone) expect(existsSync(join(out, f))).toBe(false);
  });

  it('reports a tape with no room for its noise clips', () => {
    const starts = mineNoise(2, [{ begin: 0.3, end: 0.9 }, { begin: 1.2, end: 1.7 }], 3, 0.4, 0.1, 1, 'full');
    expect(starts).toEqual([]);
    const some = mineNoise(3, [{ begin: 0.5, end: 1 }], 5, 0.4, 0.1, 1, 't');
    expect(some.length).toBeGreaterThan(0);
    expect(some.length).toBeLessThan(5);
  });
});

describe('audiomill clips', () => {
  it('writes the dataset and reports it; names the flag or folder in its errors', async () => {
    const dir = await corpus();
    const p = cli(['clips', '--tapes', join(dir, 'tapes'), '--tables', join(dir, 'tables'), '--seq-len', '0.4', '--split', 'train=0.5,test=0.5', '--out', join(dir, 'ds')]);
    expect(p.status).toBe(0);
    expect(p.stderr).toMatch(/Wrote 12 clips from 3 tapes/);
    expect(existsSync(join(dir, 'ds', 'train.csv')) && existsSync(join(dir, 'ds', 'test.csv'))).toBe(true);
    const missing = cli(['clips', '--tapes', join(dir, 'tapes'), '--tables', join(dir, 'none'), '--seq-len', '0.4', '--out', join(dir, 'ds2')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain(join(dir, 'none'));
    const split = cli(['clips', '--tapes', join(dir, 'tapes'), '--tables', join(dir, 'tables'), '--seq-len', '0.4', '--split', 'train=0.5,test=0.4', '--out', join(dir, 'ds2')]);
    expect(split.status).toBe(1);
    expect(split.stderr).toMatch(/--split/);
  });
});

describe('buildClips refuses', () => {
  it('never lets two clips share a file: tapes whose safe names coincide get numbered names', async () => {
    const dir = tempDir('clips-names');
    for (const tape of ['a b', 'a-b']) {
      writeWav(join(dir, 'tapes', `${tape}.wav`), new Float32Array(4 * RATE).fill(0.1), RATE);
      mkdirSync(join(dir, 'tables'), { recursive: true });
      await writeRavenTable(join(dir, 'tables', `${tape}.Table.1.selections.txt`), [{ begin: 1, end: 1.2, lowFreq: 0, highFreq: 8000, label: 'hum' }]);
    }
    const r = await buildClips({ tapes: join(dir, 'tapes'), tables: join(dir, 'tables'), out: join(dir, 'ds'), seqLen: 0.4, noiseRatio: 0 });
    const paths = r.clips.map((c) => c.path);
    expect(new Set(paths).size).toBe(2);
    expect(paths.sort()).toEqual(['clips/a-b_hum_1_900-2.wav', 'clips/a-b_hum_1_900.wav']);
    for (const p of paths) expect(existsSync(join(dir, 'ds', p))).toBe(true);
  });

  it('two tables for one tape, and a selection after the end of its tape, naming the table', async () => {
    const dir = await corpus();
    await writeRavenTable(join(dir, 'tables', 'a.txt'), [{ begin: 1, end: 2, lowFreq: 0, highFreq: 100 }]);
    await expect(buildClips({ tapes: join(dir, 'tapes'), tables: join(dir, 'tables'), out: join(dir, 'ds'), seqLen: 0.4 })).rejects.toThrow(/Two tables for tape a/);
    const dir2 = await corpus();
    await writeRavenTable(join(dir2, 'tables', 'b.Table.1.selections.txt'), [{ begin: 12, end: 13, lowFreq: 0, highFreq: 100 }]);
    await expect(buildClips({ tapes: join(dir2, 'tapes'), tables: join(dir2, 'tables'), out: join(dir2, 'ds'), seqLen: 0.4 })).rejects.toMatchObject({
      code: 'DECODE_CORRUPT',
      message: expect.stringMatching(/Selection 1 of .*b\.Table\.1\.selections\.txt begins at 12 s, after the end of its tape \(10 s\)/),
    });
  });
});
