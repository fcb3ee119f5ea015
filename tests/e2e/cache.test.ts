// buildSpectrogramCache end to end: a manifest with labels and splits becomes per-split tensors
// in .npy and HDF5 that equal the log-mel transform of each clip, padded or cut to max_time; the
// HDF5 file is checked with an independent reader (jsfive), thumbnails with a PNG decoder; bad rows
// are skipped and listed; a failed run leaves the previous cache intact.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, constants, copyFileSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp.js';
import { loadAudio } from '../../src/audio/load.js';
import { LogMelSpectrogram } from '../../src/features/spectrogram.js';
import { buildManifest } from '../../src/manifest/build.js';
import { parseCsv } from '../../src/io/csv.js';
import { buildSpectrogramCache } from '../../src/manifest/spectrogram-cache.js';
import { decodeNpy } from '../../src/io/npy.js';
import { readTable } from '../../src/io/table.js';
import { noise } from '../helpers/reference.js';
import { writeWav } from '../helpers/wav.js';

const tone = (rate: number, seconds: number, f: number, amp: number) => Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => amp * Math.sin((2 * Math.PI * f * i) / rate));

async function dataset() {
  const root = tempDir('cache');
  writeWav(join(root, 'a.wav'), tone(16000, 1, 440, 0.5), 16000);
  writeWav(join(root, 'b.wav'), tone(22050, 0.5, 880, 0.3), 22050);
  writeWav(join(root, 'c.wav'), noise(44100 * 2, 5).map((v) => v * 0.1), 44100); // longer than max_time below
  writeWav(join(root, 'd.wav'), tone(16000, 0.8, 220, 0.4), 16000);
  writeFileSync(join(root, 'broken.wav'), 'not audio');
  writeFileSync(join(root, 'meta.csv'), ['filename,fold,category', 'a.wav,1,snore', 'b.wav,1,breathe', 'c.wav,2,quiet', 'd.wav,2,snore', 'broken.wav,1,quiet'].join('\n'));
  const out = join(root, 'out');
  mkdirSync(out);
  const manifest = join(out, 'manifest.parquet');
  await buildManifest({ root, include: '*.wav', metadata: { path: join(root, 'meta.csv'), joinOn: 'filename' }, splits: { foldColumn: 'fold', test: 2 }, out: manifest });
  return { root, manifest, out };
}

function h5(path: string) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const jsfive = require('jsfive') as { File: new (b: ArrayBuffer, name: string) => { get(n: string): { shape: number[]; dtype: string; value: ArrayLike<number | string | bigint> }; attrs: Record<string, unknown> } };
  const b = readFileSync(path);
  return new jsfive.File(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer, path);
}

describe('buildSpectrogramCache', () => {
  it('writes per-split tensors equal to the transform, padded or cut, with labels, in .npy and HDF5', async () => {
    const { root, manifest, out } = await dataset();
    const cache = join(out, 'cache');
    const maxFrames = 60;
    const progress: number[] = [];
    const r = await buildSpectrogramCache({ manifest, out: cache, features: { preset: 'torchaudio', nMels: 32, nFft: 512, hopLength: 160 }, maxFrames, padDb: -80, png: { scale: 2 }, onProgress: (p) => progress.push(p.done) });
    expect(progress).toEqual([1, 2, 3, 4]);
    expect(r.labelColumn).toBe('category');
    expect(r.classes).toEqual(['breathe', 'quiet', 'snore']);
    expect(r.skipped.map((s) => s.path)).toEqual(['broken.wav']);
    expect(r.skipped[0]!.error).toMatch(/had_error/);
    expect(Object.keys(r.splits).sort()).toEqual(['test', 'train']);

    const t = new LogMelSpectrogram({ preset: 'torchaudio', nMels: 32, nFft: 512, hopLength: 160 });
    const expected: Record<string, { file: string; label: number }[]> = {
      train: [
        { file: 'a.wav', label: 2 },
        { file: 'b.wav', label: 0 },
      ],
      test: [
        { file: 'c.wav', label: 1 },
        { file: 'd.wav', label: 2 },
      ],
    };
    for (const [split, clips] of Object.entries(expected)) {
      const npy = decodeNpy(new Uint8Array(readFileSync(join(cache, `${split}.npy`))));
      expect(npy.shape).toEqual([clips.length, 32, maxFrames]);
      const labels = decodeNpy(new Uint8Array(readFileSync(join(cache, `${split}.labels.npy`))));
      expect(labels.dtype).toBe('int64');
      expect(Array.from(labels.data as BigInt64Array, Number)).toEqual(clips.map((c) => c.label));
      const file = h5(join(cache, `${split}.h5`));
      const specs = file.get('spectrograms');
      expect(specs.shape).toEqual([clips.length, 32, maxFrames]);
      expect(specs.dtype).toBe('<f4');
      expect(Array.from(specs.value as Float32Array)).toEqual(Array.from(npy.data as Float32Array));
      expect(Array.from(file.get('labels').value, Number)).toEqual(clips.map((c) => c.label));
      expect(Array.from(file.get('paths').value)).toEqual(clips.map((c) => c.file));
      expect(Array.from(file.get('classes').value)).toEqual(['breathe', 'quiet', 'snore']);
      expect(Number(file.attrs.n_samples)).toBe(clips.length);
      expect(Number(file.attrs.n_mels)).toBe(32);
      expect(Number(file.attrs.max_time)).toBe(maxFrames);
      expect(Number(file.attrs.sample_rate)).toBe(16000);
      const lengths = Array.from(file.get('lengths').value, Number);
      for (let k = 0; k < clips.length; k++) {
        const audio = await loadAudio(join(root, clips[k]!.file), { sampleRate: 16000 });
        const ref = t.compute(audio.channels[0]!);
        const frames = ref.shape[1]!;
        expect(lengths[k]).toBe(Math.min(frames, maxFrames));
        const cell = (m: number, f: number) => (npy.data as Float32Array)[k * 32 * maxFrames + m * maxFrames + f]!;
        for (let m = 0; m < 32; m += 5) {
          for (let f = 0; f < maxFrames; f++) expect(cell(m, f)).toBe(f < frames ? ref.data[m * frames + f]! : -80);
        }
      }
      const index = parseCsv(readFileSync(join(cache, `${split}.index.csv`), 'utf8'));
      expect(index.rows.map((row) => row.path)).toEqual(clips.map((c) => c.file));
      expect(readdirSync(join(cache, 'png', split))).toHaveLength(clips.length);
      for (const row of index.rows) expect(existsSync(join(cache, row.png!))).toBe(true); // the index names each thumbnail
    }
    // 60 frames at hop 160: a (101 frames), c (201) and d (81) were cut, b (51) padded.
    expect(r.splits.train!.truncated).toBe(1);
    expect(r.splits.test!.truncated).toBe(2);
    expect(r.splits.train!.padded_ratio).toBeGreaterThan(0);
    expect(r.splits.test!.label_counts).toEqual({ '1': 1, '2': 1 });

    // Diagnostics: finite ratio and quantiles over all cells (fewer clips than the sample size).
    const all = Float32Array.from(decodeNpy(new Uint8Array(readFileSync(join(cache, 'train.npy')))).data as Float32Array).sort();
    const q = (p: number) => {
      const pos = p * (all.length - 1);
      const lo = Math.floor(pos);
      return all[lo]! + (pos - lo) * (all[Math.min(lo + 1, all.length - 1)]! - all[lo]!);
    };
    expect(r.splits.train!.finite_ratio).toBe(1);
    expect(r.splits.train!.db_q01).toBeCloseTo(q(0.01), 4);
    expect(r.splits.train!.db_q50).toBeCloseTo(q(0.5), 4);
    expect(r.splits.train!.db_q99).toBeCloseTo(q(0.99), 4);
    const summary = JSON.parse(readFileSync(join(cache, 'cache.json'), 'utf8'));
    expect(summary.splits.train.n_samples).toBe(2);
    expect(r.report).toMatch(/train\s+2\s+1\.0000/);
  });

  it('draws thumbnails in magma with the lowest band at the bottom', async () => {
    const { manifest, out } = await dataset();
    const cache = join(out, 'png-cache');
    await buildSpectrogramCache({ manifest, out: cache, formats: ['npy'], features: { nMels: 16, nFft: 512, hopLength: 160 }, maxFrames: 40, normalize: 'max', png: true });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { decode } = require('fast-png') as { decode(b: Uint8Array): { width: number; height: number; channels: number; data: Uint8Array } };
    const png = readdirSync(join(cache, 'png', 'train')).find((f) => f.includes('_a'))!;
    const img = decode(new Uint8Array(readFileSync(join(cache, 'png', 'train', png))));
    expect([img.width, img.height, img.channels]).toEqual([40, 16, 3]);
    const npy = decodeNpy(new Uint8Array(readFileSync(join(cache, 'train.npy'))));
    const x = npy.data as Float32Array; // clip 0 = a.wav, normalised: its peak is 0 dB
    let peak = -Infinity;
    let at = 0;
    for (let i = 0; i < 16 * 40; i++) if (x[i]! > peak) [peak, at] = [x[i]!, i];
    expect(peak).toBe(0);
    const [m, f] = [Math.floor(at / 40), at % 40];
    const p = 3 * ((16 - 1 - m) * 40 + f); // row m is drawn at height-1-m
    expect(Array.from(img.data.subarray(p, p + 3))).toEqual([0xfc, 0xfd, 0xbf]); // magma's brightest
    // Cells at the floor (-80 = vmin, the top_db clamp below the peak) are magma's darkest.
    const floor = Array.from(x.subarray(0, 16 * 40)).findIndex((v) => v === -80);
    expect(floor).toBeGreaterThanOrEqual(0);
    const q = 3 * ((16 - 1 - Math.floor(floor / 40)) * 40 + (floor % 40));
    expect(Array.from(img.data.subarray(q, q + 3))).toEqual([0, 0, 4]);
  });

  it('leaves the previous cache intact when a run fails part way', async () => {
    const { manifest, out } = await dataset();
    const cache = join(out, 'cache');
    await buildSpectrogramCache({ manifest, out: cache, maxFrames: 20 });
    const before = Object.fromEntries(readdirSync(cache).filter((f) => f !== 'png').map((f) => [f, readFileSync(join(cache, f))]));
    await expect(
      buildSpectrogramCache({
        manifest,
        out: cache,
        maxFrames: 30,
        batchSize: 1,
        onProgress: (p) => {
          if (p.done === 3) throw new Error('interrupted');
        },
      }),
    ).rejects.toThrow('interrupted');
    const ac = new AbortController();
    await expect(buildSpectrogramCache({ manifest, out: cache, maxFrames: 30, batchSize: 1, signal: ac.signal, onProgress: (p) => p.done === 2 && ac.abort() })).rejects.toMatchObject({ code: 'ABORTED' });
    const after = readdirSync(cache).filter((f) => f !== 'png');
    expect(after.sort()).toEqual(Object.keys(before).sort()); // no temporary files left
    for (const f of after) expect(readFileSync(join(cache, f)).equals(before[f]!)).toBe(true);
  });

  it("replaces the previous cache whole: its files the new one does not have go, other files stay", async () => {
    const { manifest, out } = await dataset();
    const cache = join(out, 'cache');
    await buildSpectrogramCache({ manifest, out: cache, maxFrames: 20, png: true });
    expect(readdirSync(join(cache, 'png')).sort()).toEqual(['test', 'train']);
    writeFileSync(join(cache, 'png', 'notes.txt'), 'mine');
    writeFileSync(join(cache, 'png', 'train', 'mine.png'), 'mine');
    // No thumbnails and one split now: the old thumbnails and the test split's files go with the commit.
    await buildSpectrogramCache({ manifest, out: cache, maxFrames: 20, formats: ['npy'], splitColumn: 'none' });
    expect(readdirSync(cache).sort()).toEqual(['all.index.csv', 'all.labels.npy', 'all.npy', 'cache.json', 'png']);
    expect(readdirSync(join(cache, 'png'), { recursive: true }).sort()).toEqual(['notes.txt', 'train', join('train', 'mine.png')]);
  });

  it('rejects bad options with clear errors', async () => {
    const { manifest, out } = await dataset();
    await expect(buildSpectrogramCache({ manifest, out: join(out, 'x'), label: 'nope' })).rejects.toThrow(/Expected a column of the manifest .* for label but received "nope"/);
    await expect(buildSpectrogramCache({ manifest, out: join(out, 'x'), formats: ['zip' as 'npy'] })).rejects.toThrow(/formats/);
    await expect(buildSpectrogramCache({ manifest: join(out, 'missing.parquet'), out: join(out, 'x') })).rejects.toMatchObject({ code: 'IO', path: join(out, 'missing.parquet') });
    writeFileSync(join(out, 'bad.parquet'), 'PAR1 garbage');
    await expect(buildSpectrogramCache({ manifest: join(out, 'bad.parquet'), out: join(out, 'x') })).rejects.toMatchObject({ code: 'DECODE_CORRUPT' });
    expect(existsSync(join(out, 'x', 'cache.json'))).toBe(false);
  });

  it('runs from the CLI on the manifest the manifest command wrote', async () => {
    const { root, out } = await dataset();
    const cli = join(__dirname, '..', '..', 'dist', 'cjs', 'cli', 'main.js');
    const manifest = join(out, 'm.csv');
    const m = spawnSync(process.execPath, [cli, 'manifest', root, '--include', '*.wav', '--sample-rate', '16000', '--out', manifest, '--quiet'], { encoding: 'utf8' });
    expect(m.status).toBe(0);
    const c = spawnSync(process.execPath, [cli, 'cache', manifest, '--out', join(out, 'cli-cache'), '--n-mels', '64', '--max-frames', '50', '--strict'], { encoding: 'utf8' });
    expect(c.status).toBe(2); // broken.wav was skipped
    expect(c.stderr).toMatch(/unsplit\s+4\s+1\.0000/);
    expect(c.stderr).toMatch(/Skipped 1 rows/);
    const h = h5(join(out, 'cli-cache', 'unsplit.h5'));
    expect(h.get('spectrograms').shape).toEqual([4, 64, 50]);
    const bad = spawnSync(process.execPath, [cli, 'cache', manifest, '--out', join(out, 'cli-cache'), '--max-frames', 'ten'], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/Expected an integer for --max-frames but received "ten"/);
    // Values the library refuses are named by the flag the user typed, not the API's option.
    for (const [args, flag] of [
      [['--n-mels', '0'], '--n-mels'],
      [['--format', 'tiff'], '--format'],
      [['--normalize', 'loud'], '--normalize'],
      [['--png', '--png-scale', '0'], '--png-scale'],
    ] as const) {
      const r = spawnSync(process.execPath, [cli, 'cache', manifest, '--out', join(out, 'cli-bad'), '--quiet', ...args], { encoding: 'utf8' });
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`^audiomill: Expected .* for ${flag} but received`));
    }
  });
});

const CLI = join(__dirname, '..', '..', 'dist', 'cjs', 'cli', 'main.js');

/** sha256 of every file under `dir` by relative path, and the top-level staging folders apart. */
function snapshot(dir: string): { files: Record<string, string>; staging: string[] } {
  const files: Record<string, string> = {};
  const staging: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (d === dir && e.name.startsWith('.audiomill-staging-')) staging.push(e.name);
      else if (e.isDirectory()) walk(p);
      else files[relative(dir, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  if (existsSync(dir)) walk(dir);
  return { files, staging };
}

/** Waits (bounded) until `ready()` holds, checking every 10 ms. */
async function until(ready: () => boolean, what: string, limitMs = 60_000): Promise<void> {
  const t0 = Date.now();
  while (!ready()) {
    if (Date.now() - t0 > limitMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A staged thumbnail exists in `out`: the run has written part of its output. */
function stagedPng(out: string): boolean {
  try {
    return readdirSync(out)
      .filter((n) => n.startsWith('.audiomill-staging-'))
      .some((n) => readdirSync(join(out, n, 'png', 'train')).length > 0);
  } catch {
    return false; // not there (yet)
  }
}

const SHARED = join(__dirname, '..', 'audio', 'fixtures', 'shared');
const SPEECH = '198-209-0000.ogg'; // LibriSpeech, read speech, 13.9 s (CC-BY 4.0, see its .txt)
const OGGS = [SPEECH, 'sorohanro_-_solo-trumpet-06.ogg', '456440__inspectorj__bird-whistling-robin-single-13.ogg'];

/** A dataset folder with copies of the shared Ogg recordings (and their attribution files). */
function oggDataset(files: string[]): string {
  const root = tempDir('cache-ogg');
  for (const f of files) {
    copyFileSync(join(SHARED, f), join(root, f));
    const txt = f.replace(/\.ogg$/, '.txt');
    if (existsSync(join(SHARED, txt))) copyFileSync(join(SHARED, txt), join(root, txt));
  }
  return root;
}

describe('cache defaults on real recordings', () => {
  it("draws a speech clip's thumbnail without saturating: the colour scale follows the clip", async () => {
    const root = oggDataset([SPEECH]);
    const out = join(root, 'cache');
    const r = await buildSpectrogramCache({ manifest: [{ path: SPEECH, split: 'train' }], root, out, formats: ['npy'], maxFrames: 1400, png: true });
    expect(r.splits.train!.db_q99).toBeGreaterThan(0); // the values do reach above 0 dB without --normalize
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { decode } = require('fast-png') as { decode(b: Uint8Array): { width: number; height: number; data: Uint8Array } };
    const [png] = readdirSync(join(out, 'png', 'train'));
    const img = decode(new Uint8Array(readFileSync(join(out, 'png', 'train', png!))));
    let top = 0;
    let bottom = 0;
    for (let p = 0; p < img.data.length; p += 3) {
      if (img.data[p] === 0xfc && img.data[p + 1] === 0xfd && img.data[p + 2] === 0xbf) top++; // magma's brightest
      if (img.data[p] === 0 && img.data[p + 1] === 0 && img.data[p + 2] === 4) bottom++; // magma's darkest
    }
    const pixels = img.width * img.height;
    expect(top / pixels).toBeLessThan(0.002); // the loudest cells only (was 18% with the scale topping out at 0 dB)
    expect(bottom / pixels).toBeLessThan(0.5);
  });

  it('decodes each file once and cuts its segments from it', async () => {
    const root = oggDataset(OGGS);
    const manifest = join(root, 'm.parquet');
    await buildManifest({ root, include: '*.ogg', segments: { length: 1 }, out: manifest });
    const { rows } = await readTable(manifest);
    expect(rows.length).toBeGreaterThan(20);
    const features = { preset: 'torchaudio' as const, nMels: 32, nFft: 400, hopLength: 160 };
    const r = await buildSpectrogramCache({ manifest, out: join(root, 'cache'), formats: ['npy'], features, maxFrames: 101, batchSize: 4 });
    expect(r.skipped).toEqual([]);
    expect(r.decodes).toBe(OGGS.length); // one decode per file, not one per segment
    // Each row is the transform of the whole file (decoded, resampled to 16 kHz) cut at the segment's samples.
    const t = new LogMelSpectrogram(features);
    const npy = decodeNpy(new Uint8Array(readFileSync(join(root, 'cache', 'unsplit.npy'))));
    const cells = 32 * 101;
    const whole = new Map<string, Float32Array>();
    for (let k = 0; k < rows.length; k++) {
      const row = rows[k]!;
      const path = String(row.path);
      if (!whole.has(path)) whole.set(path, (await loadAudio(join(root, path), { sampleRate: 16000 })).channels[0]!);
      const x = whole.get(path)!;
      const seg = x.subarray(Math.round((row.start_time as number) * 16000), Math.min(x.length, Math.round((row.end_time as number) * 16000)));
      const ref = t.compute(seg);
      const frames = Math.min(ref.shape[1]!, 101);
      const got = (npy.data as Float32Array).subarray(k * cells, (k + 1) * cells);
      for (let m = 0; m < 32; m++) for (let f = 0; f < frames; f++) expect(got[m * 101 + f]).toBe(ref.data[m * ref.shape[1]! + f]);
    }
  });
});

describe('an interrupted cache run', () => {
  const running = new Set<ChildProcess>();
  afterEach(() => {
    for (const child of running) child.kill('SIGKILL'); // a failed test leaves no process behind
  });
  // Four clips, then the same with a FIFO as the third row: reading it blocks until the test writes
  // to it, so the run is held part way (thumbnails of the first rows staged) however fast the machine.
  async function setup() {
    const root = tempDir('cache-kill');
    writeWav(join(root, 'a.wav'), tone(16000, 1, 440, 0.5), 16000);
    writeWav(join(root, 'b.wav'), tone(22050, 0.5, 880, 0.3), 22050);
    writeWav(join(root, 'c.wav'), noise(44100 * 2, 5).map((v) => v * 0.1), 44100);
    writeWav(join(root, 'd.wav'), tone(16000, 0.8, 220, 0.4), 16000);
    const fifo = join(root, 'slow.wav');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const rows = (paths: string[]) => ['path,split,category', ...paths.map((p, i) => `${p},${i < 2 ? 'train' : 'test'},${p[0]}`)].join('\n') + '\n';
    writeFileSync(join(root, 'm.csv'), rows(['a.wav', 'b.wav', 'c.wav', 'd.wav']));
    writeFileSync(join(root, 'slow.csv'), rows(['a.wav', 'b.wav', 'slow.wav', 'c.wav', 'd.wav']));
    return { root, fifo, out: join(root, 'pc') };
  }

  const cache = (root: string, manifest: string, out: string, extra: string[]) => [CLI, 'cache', join(root, manifest), '--root', root, '--out', out, '--png', '--max-frames', '50', '--batch-size', '1', ...extra];

  /** Runs the CLI on the slow manifest and stops it with `signal` once it has staged a thumbnail. */
  async function interrupted(root: string, fifo: string, out: string, signal: 'SIGKILL' | 'SIGINT'): Promise<number | null> {
    const child = spawn(process.execPath, cache(root, 'slow.csv', out, ['--png-scale', '4', '--n-mels', '32']), { stdio: ['ignore', 'ignore', 'pipe'] });
    running.add(child);
    child.on('exit', () => running.delete(child));
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let code: number | null | undefined;
    const exited = new Promise<number | null>((r) => child.on('exit', (c) => r((code = c))));
    // Written a thumbnail: staged (or, as before outputs were one transaction, over the old one: the
    // progress line after the first clip).
    await until(() => stagedPng(out) || /\b1\/5\b/.test(stderr) || code !== undefined, 'a thumbnail written');
    expect(code, stderr).toBeUndefined(); // still running: held by the FIFO
    child.kill(signal);
    if (signal === 'SIGINT') {
      // Let the held reads finish (each open of the FIFO needs a writer; bytes that are not audio: that
      // row is skipped) until the run, which now sees the signal, exits.
      await until(() => {
        try {
          const fd = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK); // ENXIO while no reader has it open
          writeSync(fd, 'not audio');
          closeSync(fd);
        } catch {
          // no reader yet
        }
        return code !== undefined;
      }, 'the interrupted run to exit');
    }
    const status = await exited;
    if (signal === 'SIGINT') expect(stderr).toMatch(/left as it was/);
    return status;
  }

  for (const signal of ['SIGKILL', 'SIGINT'] as const) {
    it(`leaves the previous cache byte-identical when stopped by ${signal}, and the next run cleans up`, async () => {
      const { root, fifo, out } = await setup();
      const first = spawnSync(process.execPath, cache(root, 'm.csv', out, []), { encoding: 'utf8' });
      expect(first.status, first.stderr).toBe(0);
      const before = snapshot(out);
      expect(Object.keys(before.files).filter((f) => f.endsWith('.png'))).toHaveLength(4);
      expect(before.staging).toEqual([]);

      const status = await interrupted(root, fifo, out, signal);
      const after = snapshot(out);
      expect(after.files).toEqual(before.files); // every file, thumbnails included, as it was; nothing added
      if (signal === 'SIGINT') {
        expect(status).toBe(130);
        expect(after.staging).toEqual([]); // rolled back on the way out
      } else expect(after.staging).toHaveLength(1); // what the next run rolls back

      // The next run replaces the whole set and removes what the interrupted one left.
      const next = spawnSync(process.execPath, cache(root, 'm.csv', out, ['--png-scale', '4', '--n-mels', '32']), { encoding: 'utf8' });
      expect(next.status, next.stderr).toBe(0);
      const done = snapshot(out);
      expect(done.staging).toEqual([]);
      expect(Object.keys(done.files).sort()).toEqual(Object.keys(before.files).sort());
      expect(Object.keys(done.files).every((f) => !f.includes('.tmp-'))).toBe(true);
      expect(JSON.parse(readFileSync(join(out, 'cache.json'), 'utf8')).nMels).toBe(32);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { decode } = require('fast-png') as { decode(b: Uint8Array): { width: number; height: number } };
      for (const f of Object.keys(done.files).filter((n) => n.endsWith('.png'))) expect(decode(new Uint8Array(readFileSync(join(out, f)))).height).toBe(32 * 4);
    });

    it(`leaves no thumbnails when a first run is stopped by ${signal}`, async () => {
      const { root, fifo, out } = await setup();
      const status = await interrupted(root, fifo, out, signal);
      const after = snapshot(out);
      expect(after.files).toEqual({});
      expect(readdirSync(out).filter((n) => !n.startsWith('.audiomill-staging-'))).toEqual([]);
      if (signal === 'SIGINT') {
        expect(status).toBe(130);
        expect(after.staging).toEqual([]);
      } else expect(after.staging).toHaveLength(1);
      const next = spawnSync(process.execPath, cache(root, 'm.csv', out, []), { encoding: 'utf8' });
      expect(next.status, next.stderr).toBe(0);
      const done = snapshot(out);
      expect(done.staging).toEqual([]);
      expect(Object.keys(done.files).filter((f) => f.endsWith('.png'))).toHaveLength(4);
      expect(statSync(join(out, 'train.npy')).size).toBeGreaterThan(0);
    });
  }
});
