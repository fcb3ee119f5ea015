// The manifest's segments are cut from one streamed decode of each file (src/audio/segments.ts): every
// segment row equals the whole file decoded (and resampled), cut at round(start * rate), then measured, for
// every format (WAV, FLAC, Ogg Vorbis, Opus, MP3), fixed windows with and without overlap and a segments table
// in any order, at the file's rate and resampled; and a long recording's segments are computed in bounded
// memory (the whole file was decoded at once before: a 10-minute 48 kHz file cost its 115 MB of samples).
import { spawnSync } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAudio, probeAudio } from '../../src/audio/load.js';
import { acousticStatsBatch, qcFlags } from '../../src/features/acoustic.js';
import { buildManifest, type Row } from '../../src/manifest/build.js';
import { tempDir } from '../helpers/temp.js';
import { makeWav } from '../helpers/wav.js';

const FILES = join(__dirname, '../audio/fixtures/files');
const SHARED = join(__dirname, '../audio/fixtures/shared');
const SOURCES = [
  join(FILES, 'stereo_pcm_16.wav'),
  join(FILES, 'stereo_pcm_24.flac'),
  join(FILES, 'stereo_vorbis.ogg'),
  join(FILES, 'stereo_opus.opus'),
  join(FILES, 'stereo_lame.mp3'),
  join(SHARED, '198-209-0000.ogg'),
];

/** What the manifest's rows of a file must be: the whole decode, cut and measured (the pre-streaming path). */
async function expected(path: string, segs: { start: number; end: number | null }[], sampleRate: number | undefined) {
  const audio = await loadAudio(path, { mono: true, ...(sampleRate ? { sampleRate } : {}) });
  const x = audio.channels[0]!;
  const rate = audio.sampleRate;
  const clips = segs.map((s) => {
    const a = Math.min(x.length, Math.round(s.start * rate));
    const b = s.end === null ? x.length : Math.min(x.length, Math.round(s.end * rate));
    return { samples: x.subarray(a, Math.max(a, b)), sampleRate: rate };
  });
  const stats = await acousticStatsBatch(clips, { spectral: false });
  return { audio, rows: segs.map((s, i) => {
    const { frames: _f, non_finite: _n, ...st } = stats[i]!;
    const end = s.end === null ? audio.duration : Math.min(s.end, audio.duration);
    return { start_time: s.start, end_time: end, ...st, ...qcFlags(st) };
  }) };
}

function fixed(duration: number, length: number, hop: number) {
  const segs: { start: number; end: number }[] = [];
  for (let s = 0; s < duration - 1e-9; s += hop) segs.push({ start: s, end: Math.min(s + length, duration) });
  return segs;
}

const pick = (r: Row) => Object.fromEntries(Object.entries(r).filter(([k]) => !['path', 'file_size', 'sample_rate', 'channels', 'format', 'codec', 'truncated', 'had_error', 'error', 'split', 'label_source', 'label'].includes(k)));

describe('manifest segments from one streamed decode', () => {
  const root = tempDir('manifest-segments');
  for (const src of SOURCES) copyFileSync(src, join(root, src.split('/').pop()!));
  const names = SOURCES.map((s) => s.split('/').pop()!);

  it.each([
    ['0.4 s windows', { length: 0.4 }, undefined],
    ['0.5 s windows every 0.3 s, at 16 kHz', { length: 0.5, hop: 0.3 }, 16000],
    ['1.1 s windows every 0.7 s, at 22.05 kHz', { length: 1.1, hop: 0.7 }, 22050],
  ] as const)('%s: every row equals the whole decode cut and measured', async (_name, segments, sampleRate) => {
    const r = await buildManifest({ root, out: join(root, `fixed-${sampleRate ?? 'own'}.jsonl`), segments, ...(sampleRate ? { sampleRate } : {}) });
    for (const name of names) {
      const got = r.rows.filter((x) => x.path === name);
      const info = await probeAudio(join(root, name));
      const full = await loadAudio(join(root, name), { mono: true, ...(sampleRate ? { sampleRate } : {}) });
      const want = await expected(join(root, name), fixed(full.duration, segments.length, 'hop' in segments ? segments.hop : segments.length), sampleRate);
      expect(got.map(pick), name).toEqual(want.rows);
      expect(got.every((x) => x.had_error === false && x.sample_rate === info.sampleRate && x.channels === info.channels && x.codec === full.codec && x.truncated === full.truncated)).toBe(true);
    }
  });

  it('a segments table in any order, past the end and overlapping, equals the whole decode cut', async () => {
    const table = join(root, 'segs.csv');
    const lines = ['filename,start_time,end_time,label'];
    const spans = [[0.9, 1.4], [0.1, 0.35], [0.2, 0.9], [1.2, 99], [50, 60], [0, 0.05]];
    for (const name of names) for (const [a, b] of spans) lines.push(`${name},${a},${b},x${a}`);
    writeFileSync(table, lines.join('\n'));
    const r = await buildManifest({ root, out: join(root, 'table.jsonl'), segments: { path: table }, sampleRate: 16000 });
    for (const name of names) {
      const got = r.rows.filter((x) => x.path === name);
      const want = await expected(join(root, name), spans.map(([a, b]) => ({ start: a!, end: b! })), 16000);
      expect(got.map(pick), name).toEqual(want.rows);
      expect(got.map((x) => x.label)).toEqual(spans.map(([a]) => `x${a}`));
    }
  });

  it('a segments table edited in place recomputes the files whose segments changed, and only those', async () => {
    const table = join(root, 'edited.csv');
    const out = join(root, 'edited.jsonl');
    const write = (last: number) => writeFileSync(table, ['filename,start_time,end_time', ...names.map((n, i) => `${n},0.1,${i === names.length - 1 ? last : 0.6}`)].join('\n'));
    write(0.6);
    const first = await buildManifest({ root, out, segments: { path: table } });
    expect([first.summary.reused, first.rows.length]).toEqual([0, names.length]);
    write(0.4); // the same path, one file's segment changed
    const second = await buildManifest({ root, out, segments: { path: table } });
    expect(second.summary.reused).toBe(names.length - 1);
    const last = second.rows.find((x) => x.path === names[names.length - 1])!;
    expect(last.end_time).toBeCloseTo(0.4, 9);
    const want = await expected(join(root, names[names.length - 1]!), [{ start: 0.1, end: 0.4 }], undefined);
    expect(pick(last)).toEqual(want.rows[0]);
  });

  it("a long recording's segments are computed in bounded memory", () => {
    const dir = tempDir('manifest-long');
    const rate = 48000;
    const n = rate * 600; // 10 minutes: 115 MB as float samples
    const pcm = new Int16Array(n);
    for (let i = 0; i < n; i++) pcm[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate) + ((i * 7919) % 2000) - 1000);
    writeFileSync(join(dir, 'long.wav'), makeWav({ sampleRate: rate, data: new Uint8Array(pcm.buffer) }));
    const script = `
      const { buildManifest } = require(${JSON.stringify(join(__dirname, '../../dist/cjs/manifest/build.js'))});
      buildManifest({ root: ${JSON.stringify(dir)}, out: ${JSON.stringify(join(dir, 'm.csv'))}, segments: { length: 2 } }).then((r) => {
        // The peak of this process's own memory (VmHWM: getrusage's maxRSS also counts the parent it was forked from).
        let peak = 0;
        try { peak = Number(/VmHWM:\\s+(\\d+) kB/.exec(require('fs').readFileSync('/proc/self/status', 'utf8'))[1]) / 1024; } catch { peak = process.memoryUsage().rss / 1048576; }
        console.log(JSON.stringify({ rows: r.rows.length, errors: r.summary.errors, maxRssMB: peak }));
      });`;
    const p = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(p.stderr).toBe('');
    const out = JSON.parse(p.stdout) as { rows: number; errors: number; maxRssMB: number };
    expect([out.rows, out.errors]).toEqual([300, 0]);
    // The samples alone were 115 MB when the file was decoded whole.
    expect(out.maxRssMB).toBeLessThan(140);
  });
});
