/**
 * slidingWindowScores over real files: a synthetic 60-s tape with tone bursts at known times scanned with an
 * energy scorer, merged by scoresToEvents and matched against its truth (every burst found, nothing else); the
 * streamed windows equal windows cut from the whole decoded tape; batches, calls in flight, progress, padding at the
 * end, short and empty tapes, aborts and scorer mistakes; and Silero VAD finding LibriSpeech speech placed into a
 * tape of noise, robin and trumpet.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadAudio } from '../../src/audio/load.js';
import { AudiomillError } from '../../src/errors.js';
import { matchEvents } from '../../src/events/match.js';
import { scoresToEvents } from '../../src/events/scores-to-events.js';
import { slidingWindowScores, speechScorer, type WindowScorer } from '../../src/events/sliding-window.js';
import { SpeechDetector } from '../../src/models/vad.js';
import { rng } from '../helpers/reference.js';
import { tempDir } from '../helpers/temp.js';
import { writeWav } from '../helpers/wav.js';

const RATE = 16000;
const BURSTS = [[5, 5.6], [12.3, 13.5], [30, 30.4], [47.2, 48]] as const;

/** 60 s of faint noise with 1 kHz bursts (amplitude 0.5) at BURSTS, as a 16-bit WAV. */
function tape(): string {
  const r = rng(3);
  const x = new Float32Array(60 * RATE);
  for (let i = 0; i < x.length; i++) x[i] = (r() - 0.5) * 0.02;
  for (const [b, e] of BURSTS) for (let i = Math.round(b * RATE); i < Math.round(e * RATE); i++) x[i] = x[i]! + 0.5 * Math.sin((2 * Math.PI * 1000 * i) / RATE);
  const path = join(tempDir('scan'), 'tape.wav');
  writeWav(path, x, RATE);
  return path;
}

const rms = (w: Float32Array) => Math.sqrt(w.reduce((s, v) => s + v * v, 0) / w.length);
const energy: WindowScorer = { sampleRate: RATE, scoreWindows: async (ws) => Float32Array.from(ws, rms) };

describe('slidingWindowScores', () => {
  it('finds every burst of a synthetic tape with an energy scorer, and nothing else', async () => {
    const path = tape();
    const s = await slidingWindowScores(path, energy, { seqLen: 0.4, hop: 0.05 });
    expect(s.duration).toBe(60);
    expect(s.begin.length).toBe(1200); // a window every 800 samples while its start is inside
    expect(s.begin[7]).toBe(0.35);
    expect(s.end[1199]).toBe(60); // the last windows are padded: their end is the tape's
    const events = scoresToEvents(s, { threshold: 0.3, label: 'tone' });
    const truth = BURSTS.map(([begin, end]) => ({ begin, end, label: 'tone' }));
    const m = matchEvents(events, truth, { iou: 0.5 });
    expect(m.overall).toMatchObject({ tp: 4, fp: 0, fn: 0 });
    for (const p of m.pairs) expect(p.iou).toBeGreaterThan(0.6);
  });

  it('streams the same windows as cutting the whole decoded tape; batches of at most batchSize, at most two in flight', async () => {
    const path = tape();
    const whole = (await loadAudio(path, { mono: true })).channels[0]!;
    let inFlight = 0, most = 0, biggest = 0, calls = 0;
    const progress: number[] = [];
    const first: Float32Array[] = [];
    const probe: WindowScorer = {
      sampleRate: RATE,
      async scoreWindows(ws) {
        calls++;
        inFlight++;
        most = Math.max(most, inFlight);
        biggest = Math.max(biggest, ws.length);
        if (first.length < 300) first.push(...ws);
        await new Promise((r) => setTimeout(r, 2));
        inFlight--;
        return Float32Array.from(ws, rms);
      },
    };
    const s = await slidingWindowScores(path, probe, { seqLen: 0.4, hop: 0.05, batchSize: 50, onProgress: (p) => progress.push(p.windows) });
    expect(calls).toBe(24);
    expect(biggest).toBe(50);
    expect(most).toBe(2);
    expect(progress[progress.length - 1]).toBe(1200);
    for (let k = 0; k < 300; k += 37) expect(first[k]).toEqual(whole.subarray(k * 800, k * 800 + 6400));
    const tail = new Float32Array(6400);
    tail.set(whole.subarray(1199 * 800));
    expect(s.score[1199]).toBeCloseTo(rms(tail), 6);
  });

  it('cuts windows further apart than their length one by one, equal to the tape', async () => {
    const path = tape();
    const whole = (await loadAudio(path, { mono: true })).channels[0]!;
    const seen: Float32Array[] = [];
    const keep: WindowScorer = { sampleRate: RATE, scoreWindows: async (ws) => (seen.push(...ws), new Float32Array(ws.length)) };
    const s = await slidingWindowScores(path, keep, { seqLen: 0.1, hop: 0.7, batchSize: 4 });
    expect(s.begin.length).toBe(Math.ceil(whole.length / (0.7 * RATE)));
    seen.forEach((w, k) => {
      const expected = new Float32Array(1600);
      expected.set(whole.subarray(k * 11200, k * 11200 + 1600));
      expect(w).toEqual(expected);
    });
  });

  it('pads a tape shorter than one window into one window; an empty tape has none', async () => {
    const dir = tempDir('scan-short');
    writeWav(join(dir, 'short.wav'), new Float32Array(1600).fill(0.25), RATE);
    const s = await slidingWindowScores(join(dir, 'short.wav'), energy, { seqLen: 0.4, hop: 0.05 });
    expect(Array.from(s.begin)).toEqual([0, 0.05]);
    expect(Array.from(s.end)).toEqual([0.1, 0.1]);
    expect(s.score[0]).toBeCloseTo(0.25 * Math.sqrt(1600 / 6400), 4);
    writeWav(join(dir, 'empty.wav'), new Float32Array(0), RATE);
    const e = await slidingWindowScores(join(dir, 'empty.wav'), energy, { seqLen: 0.4, hop: 0.05 });
    expect(e.begin.length).toBe(0);
    expect(e.duration).toBe(0);
  });

  it('stops on an abort, and names a scorer that returns the wrong number of scores or a NaN', async () => {
    const path = tape();
    const ac = new AbortController();
    const slow: WindowScorer = { sampleRate: RATE, scoreWindows: async (ws) => (ac.abort(), Float32Array.from(ws, rms)) };
    await expect(slidingWindowScores(path, slow, { seqLen: 0.4, hop: 0.05, signal: ac.signal })).rejects.toMatchObject({ code: 'ABORTED', path });
    const short: WindowScorer = { sampleRate: RATE, scoreWindows: async (ws) => new Float32Array(ws.length - 1) };
    const err = await slidingWindowScores(path, short, { seqLen: 0.4, hop: 0.05, batchSize: 64 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AudiomillError);
    expect((err as AudiomillError).code).toBe('INVALID_ARGUMENT');
    expect((err as Error).message).toMatch(/63 scores for 64 windows/);
    const nan: WindowScorer = { sampleRate: RATE, scoreWindows: async (ws) => new Float32Array(ws.length).fill(NaN) };
    await expect(slidingWindowScores(path, nan, { seqLen: 0.4, hop: 0.05 })).rejects.toThrow(/non-finite score \(NaN\) for the window at 0\.000 s/);
    await expect(slidingWindowScores(path, energy, { seqLen: 0, hop: 0.05 })).rejects.toThrow(/seqLen/);
    await expect(slidingWindowScores(path, {} as never, { seqLen: 0.4, hop: 0.05 })).rejects.toThrow(TypeError);
  });
});

describe('slidingWindowScores with Silero VAD', async () => {
  const detector = await SpeechDetector.create();
  afterAll(() => detector.close());
  const SHARED = join(__dirname, '../audio/fixtures/shared');

  it('finds LibriSpeech speech placed at a known time into a tape of noise, robin and trumpet', async () => {
    const load = (f: string) => loadAudio(join(SHARED, f), { mono: true, sampleRate: RATE }).then((a) => a.channels[0]!);
    const [speech, robin, trumpet] = await Promise.all(['198-209-0000.ogg', '456440__inspectorj__bird-whistling-robin-single-13.ogg', 'sorohanro_-_solo-trumpet-06.ogg'].map(load));
    const r = rng(5);
    const x = new Float32Array(60 * RATE);
    for (let i = 0; i < x.length; i++) x[i] = (r() - 0.5) * 0.01;
    const place = (clip: Float32Array, at: number) => x.set(clip.map((v, i) => v + x[Math.round(at * RATE) + i]!), Math.round(at * RATE));
    place(robin!, 3);
    place(trumpet!, 40);
    place(robin!, 50);
    place(speech!, 15);
    const path = join(tempDir('scan-vad'), 'tape.wav');
    writeWav(path, x, RATE);
    const s = await slidingWindowScores(path, speechScorer(detector), { seqLen: 0.5, hop: 0.25 });
    const events = scoresToEvents(s, { threshold: 0.5, minGap: 1.5, minDuration: 0.5 });
    const truth = [{ begin: 15, end: 15 + speech!.length / RATE }];
    const m = matchEvents(events, truth, { iou: 0.5 });
    expect(m.overall).toMatchObject({ tp: 1, fn: 0 });
    expect(m.overall.fp).toBe(0);
  });
});
