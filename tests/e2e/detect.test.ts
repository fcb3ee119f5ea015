// detectTapes and `audiomill detect`: folders of tapes scanned window by window, one Raven table per tape (relative
// paths kept) and index.json; the tables read back and, scored by `eval detect` against the truth, find every
// event; Silero VAD through the command line on speech placed into a bird tape; and the errors a user meets first.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAudio } from '../../src/audio/load.js';
import { detectTapes } from '../../src/events/detect-run.js';
import { evaluateDetections } from '../../src/events/evaluate-detections.js';
import type { WindowScorer } from '../../src/events/sliding-window.js';
import { readRavenTable, writeRavenTable } from '../../src/io/raven-table.js';
import { rng } from '../helpers/reference.js';
import { tempDir } from '../helpers/temp.js';
import { writeWav } from '../helpers/wav.js';

const cli = (args: string[]) => spawnSync(process.execPath, [join(__dirname, '../../dist/cjs/cli/main.js'), ...args], { encoding: 'utf8' });
const RATE = 16000;

/** A tape of `seconds` of faint noise with 1 kHz bursts at `bursts`. */
function tape(path: string, seconds: number, bursts: readonly (readonly [number, number])[], seed: number): void {
  const r = rng(seed);
  const x = new Float32Array(seconds * RATE);
  for (let i = 0; i < x.length; i++) x[i] = (r() - 0.5) * 0.02;
  for (const [b, e] of bursts) for (let i = Math.round(b * RATE); i < Math.round(e * RATE); i++) x[i] = x[i]! + 0.5 * Math.sin((2 * Math.PI * 1000 * i) / RATE);
  writeWav(path, x, RATE);
}
const energy: WindowScorer = { sampleRate: RATE, scoreWindows: async (ws) => Float32Array.from(ws, (w) => Math.sqrt(w.reduce((s, v) => s + v * v, 0) / w.length)) };

describe('detectTapes', () => {
  it('writes a table per tape (relative paths kept) and index.json; eval detect finds every event', async () => {
    const dir = tempDir('detect');
    const bursts = { 'a.wav': [[2, 2.6], [7.1, 8]], 'site2/b.wav': [[1, 1.5], [4, 4.8], [9, 9.4]] } as const;
    for (const [name, b] of Object.entries(bursts)) tape(join(dir, 'tapes', name), 12, b, name.length);
    const progress: number[] = [];
    const r = await detectTapes({ input: join(dir, 'tapes'), model: energy, seqLen: 0.4, hop: 0.05, threshold: 0.3, label: 'tone', lowFreq: 500, highFreq: 2000, out: join(dir, 'ann'), onProgress: (p) => progress.push(p.done) });
    expect(r.tapes.map((t) => [t.path, t.table, t.duration, t.windows, t.events])).toEqual([
      ['a.wav', 'a.Table.1.selections.txt', 12, 240, 2],
      ['site2/b.wav', 'site2/b.Table.1.selections.txt', 12, 240, 3],
    ]);
    expect(progress[progress.length - 1]).toBe(24);
    const table = await readRavenTable(join(dir, 'ann', 'site2', 'b.Table.1.selections.txt'));
    expect(table.rows.map((row) => [row.selection, row.label, row.lowFreq, row.highFreq])).toEqual([[1, 'tone', 500, 2000], [2, 'tone', 500, 2000], [3, 'tone', 500, 2000]]);
    expect(table.rows[0]!.score).toBeGreaterThan(0.3);
    expect(Number(table.rows[0]!.extra['Max Score'])).toBeGreaterThanOrEqual(table.rows[0]!.score!); // extra cells read back as text
    const index = JSON.parse(readFileSync(join(dir, 'ann', 'index.json'), 'utf8'));
    expect(index).toMatchObject({ command: 'detect', model: 'scorer', options: { seqLen: 0.4, hop: 0.05, threshold: 0.3, label: 'tone' }, windows: 480, events: 5 });
    // The truth as tables, then the seed's evaluation.
    mkdirSync(join(dir, 'truth'));
    for (const [name, b] of Object.entries(bursts)) {
      await writeRavenTable(join(dir, 'truth', `${name.split('/').pop()!.replace('.wav', '')}.Table.1.selections.txt`), b.map(([begin, end]) => ({ begin, end, lowFreq: 500, highFreq: 2000 })));
    }
    // The tables as detect wrote them (site2/ in a subfolder) are read where they are.
    const m = await evaluateDetections({ truth: join(dir, 'truth'), pred: [join(dir, 'ann')], iou: 0.5 });
    expect(m.overall[0]).toMatchObject({ tp: 5, fp: 0, fn: 0 });
    expect(m.tapesWithoutDetections).toEqual({ ann: [] });
  });
});

describe('audiomill detect', () => {
  it('finds speech with Silero VAD, and eval detect scores it against the truth', async () => {
    const dir = tempDir('detect-cli');
    const shared = join(__dirname, '../audio/fixtures/shared');
    const speech = (await loadAudio(join(shared, '198-209-0000.ogg'), { mono: true, sampleRate: RATE })).channels[0]!;
    const robin = (await loadAudio(join(shared, '456440__inspectorj__bird-whistling-robin-single-13.ogg'), { mono: true, sampleRate: RATE })).channels[0]!;
    const x = new Float32Array(30 * RATE);
    x.set(robin, 2 * RATE);
    x.set(speech, 10 * RATE);
    writeWav(join(dir, 'tapes', 'tape1.wav'), x, RATE);
    mkdirSync(join(dir, 'truth'));
    await writeRavenTable(join(dir, 'truth', 'tape1.Table.1.selections.txt'), [{ begin: 10, end: 10 + speech.length / RATE, lowFreq: 0, highFreq: 8000 }]);
    const p = cli(['detect', join(dir, 'tapes'), '--model', 'silero', '--seq-len', '0.5', '--hop', '0.25', '--threshold', '0.5', '--min-gap', '1.5', '--min-duration', '0.5', '--out', join(dir, 'ann')]);
    expect(p.status).toBe(0);
    expect(p.stderr).toMatch(/Scanned 1 tape \(0\.5 min of audio, 120 windows\)/);
    expect(existsSync(join(dir, 'ann', 'tape1.Table.1.selections.txt'))).toBe(true);
    const e = cli(['eval', 'detect', '--truth', join(dir, 'truth'), '--pred', join(dir, 'ann'), '--iou', '0.5', '--quiet', '--out', join(dir, 'metrics.csv')]);
    expect(e.status).toBe(0);
    expect(readFileSync(join(dir, 'metrics.csv'), 'utf8').split('\n')[1]).toBe('ann,0.5,1,1,0,0,1,1,1');
  });

  it('names the input, the flag or the model in its errors', () => {
    const dir = tempDir('detect-err');
    const missing = cli(['detect', join(dir, 'nope'), '--model', 'silero', '--seq-len', '0.4', '--hop', '0.05', '--out', join(dir, 'o')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain(join(dir, 'nope'));
    mkdirSync(join(dir, 'empty'));
    const empty = cli(['detect', join(dir, 'empty'), '--model', 'silero', '--seq-len', '0.4', '--hop', '0.05', '--out', join(dir, 'o')]);
    expect(empty.status).toBe(1);
    expect(empty.stderr).toMatch(/No audio files/);
    tape(join(dir, 'tapes', 't.wav'), 1, [], 1);
    const hop = cli(['detect', join(dir, 'tapes'), '--model', 'silero', '--seq-len', '0.4', '--hop', 'x', '--out', join(dir, 'o')]);
    expect(hop.status).toBe(1);
    expect(hop.stderr).toMatch(/--hop/);
    const median = cli(['detect', join(dir, 'tapes'), '--model', 'silero', '--seq-len', '0.4', '--hop', '0.1', '--median', '2', '--out', join(dir, 'o')]);
    expect(median.status).toBe(1);
    expect(median.stderr).toMatch(/--median/);
    const model = cli(['detect', join(dir, 'tapes'), '--model', 'builtin:nope', '--seq-len', '0.4', '--hop', '0.1', '--out', join(dir, 'o')]);
    expect(model.status).toBe(1);
    expect(model.stderr).toMatch(/--model/);
  });
});

describe('detectTapes refuses', () => {
  it('a band above the model rate\'s Nyquist frequency and two tapes that would write one table, before scanning', async () => {
    const dir = tempDir('detect-refuse');
    tape(join(dir, 'tapes', 'x.wav'), 2, [], 1);
    await expect(detectTapes({ input: join(dir, 'tapes'), model: energy, seqLen: 0.4, hop: 0.1, lowFreq: 9000, out: join(dir, 'o') })).rejects.toThrow(/lowFreq <= 8000/);
    writeWav(join(dir, 'tapes', 'x.flac.wav'), new Float32Array(10), RATE);
    tape(join(dir, 'tapes', 'sub', 'y.wav'), 1, [], 2);
    tape(join(dir, 'tapes', 'sub', 'y.WAV'), 1, [], 3);
    await expect(detectTapes({ input: join(dir, 'tapes'), model: energy, seqLen: 0.4, hop: 0.1, out: join(dir, 'o') })).rejects.toThrow(/would write one table/);
  });

  it('removes the tables of a previous run that this run does not write', async () => {
    const dir = tempDir('detect-stale');
    tape(join(dir, 'tapes', 'a.wav'), 2, [[0.5, 1]], 1);
    tape(join(dir, 'tapes', 'b.wav'), 2, [[0.5, 1]], 2);
    await detectTapes({ input: join(dir, 'tapes'), model: energy, seqLen: 0.4, hop: 0.1, threshold: 0.3, out: join(dir, 'o') });
    expect(existsSync(join(dir, 'o', 'b.Table.1.selections.txt'))).toBe(true);
    await detectTapes({ input: join(dir, 'tapes', 'a.wav'), model: energy, seqLen: 0.4, hop: 0.1, threshold: 0.3, out: join(dir, 'o') });
    expect(existsSync(join(dir, 'o', 'b.Table.1.selections.txt'))).toBe(false);
    expect(existsSync(join(dir, 'o', 'a.Table.1.selections.txt'))).toBe(true);
  });
});
