// buildManifest end to end on a small corpus: file facts, statistics and flags per clip or
// segment, metadata joined, splits without leakage, outputs in three formats with the same
// columns, incremental re-runs, and a run killed with SIGKILL that leaves the outputs intact.
// Then the command line as users meet it: inputs checked before any file is decoded, messages in
// the flags' terms, empty and partly unreadable folders, and the summary of what failed.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp.js';
import { buildManifest } from '../../src/manifest/build.js';
import { loadAudio } from '../../src/audio/load.js';
import { acousticStats } from '../../src/features/acoustic.js';
import { parseCsv } from '../../src/io/csv.js';
import { noise } from '../helpers/reference.js';
import { writeWav } from '../helpers/wav.js';

function corpus(): string {
  const root = tempDir('manifest');
  const tone = (rate: number, seconds: number, amp: number) => Float32Array.from({ length: rate * seconds }, (_, i) => amp * Math.sin((2 * Math.PI * 440 * i) / rate));
  writeWav(join(root, 'dog/1-100-A-0.wav'), tone(16000, 5, 0.5), 16000);
  writeWav(join(root, 'dog/1-100-B-0.wav'), tone(22050, 5, 0.3), 22050);
  writeWav(join(root, 'rain/2-200-A-1.wav'), noise(44100 * 5, 3).map((v) => v * 0.2), 44100);
  writeWav(join(root, 'rain/silent.wav'), new Float32Array(48000 * 5), 48000);
  writeWav(join(root, 'rain/clipped.wav'), tone(16000, 5, 3), 16000);
  writeWav(join(root, 'short.wav'), tone(16000, 0.5, 0.5) as Float32Array, 16000);
  writeFileSync(join(root, 'broken.wav'), 'not audio at all');
  writeFileSync(
    join(root, 'meta.csv'),
    ['filename,fold,category,src_file', '1-100-A-0.wav,1,dog,100', '1-100-B-0.wav,1,dog,100', '2-200-A-1.wav,2,rain,200', 'silent.wav,3,rain,300', 'clipped.wav,4,dog,400', 'short.wav,5,dog,500', 'gone.wav,5,cat,600'].join('\n'),
  );
  return root;
}

describe('buildManifest', () => {
  it('writes one row per clip with statistics, flags, metadata and splits, in three formats', async () => {
    const root = corpus();
    const out = join(root, 'out');
    mkdirSync(out);
    const outs = [join(out, 'manifest.parquet'), join(out, 'manifest.csv'), join(out, 'manifest.jsonl')];
    const r = await buildManifest({
      root,
      metadata: { path: join(root, 'meta.csv'), joinOn: 'filename' },
      sampleRate: 16000,
      splits: { ratios: { train: 0.6, test: 0.4 }, group: 'src_file', seed: 1 },
      out: outs,
    });
    expect(r.rows.map((x) => x.path)).toEqual(['broken.wav', 'dog/1-100-A-0.wav', 'dog/1-100-B-0.wav', 'rain/2-200-A-1.wav', 'rain/clipped.wav', 'rain/silent.wav', 'short.wav']);
    const by = Object.fromEntries(r.rows.map((x) => [x.path, x]));
    expect(by['broken.wav']).toMatchObject({ had_error: true });
    expect(String(by['broken.wav']!.error)).toMatch(/DECODE_CORRUPT/);
    expect(by['dog/1-100-A-0.wav']).toMatchObject({ sample_rate: 16000, channels: 1, format: 'wav', too_quiet: false, had_error: false, category: 'dog', fold: 1 });
    expect(by['dog/1-100-A-0.wav']!.rms_db as number).toBeCloseTo(20 * Math.log10(0.5 / Math.SQRT2), 1);
    expect(by['dog/1-100-B-0.wav']!.sample_rate).toBe(22050); // the file's rate; stats were computed at 16 kHz
    expect(by['rain/silent.wav']).toMatchObject({ too_quiet: true, mostly_silence: true });
    expect(by['rain/clipped.wav']).toMatchObject({ heavily_clipped: true });
    expect(by['short.wav']).toMatchObject({ too_short: true });
    expect(by['dog/1-100-A-0.wav']!.split).toBe(by['dog/1-100-B-0.wav']!.split); // one group, one split
    expect(r.summary.unmatchedMetadata).toEqual(['gone.wav']);
    expect(r.summary.unmatchedFiles).toEqual(['broken.wav']);
    expect(r.summary.flags.had_error!.count).toBe(1);
    expect(r.report).toMatch(/QC flags:/);
    expect(JSON.parse(readFileSync(join(out, 'manifest.summary.json'), 'utf8')).rows).toBe(7);

    // Same columns, path first, in every format; DuckDB reads the Parquet.
    expect(r.columns[0]).toBe('path');
    expect(parseCsv(readFileSync(outs[1]!, 'utf8')).columns).toEqual(r.columns);
    expect(Object.keys(JSON.parse(readFileSync(outs[2]!, 'utf8').split('\n')[0]!))).toEqual(r.columns);
    const con = await (await DuckDBInstance.create(':memory:')).connect();
    const back = (await con.runAndReadAll(`select path, too_quiet, rms_db from read_parquet('${outs[0]}') order by path`)).getRowObjects();
    expect(back.length).toBe(7);
    expect(back[5]).toMatchObject({ path: 'rain/silent.wav', too_quiet: true });

    // Re-run: every file reused; touch one: only it is processed.
    const again = await buildManifest({ root, metadata: { path: join(root, 'meta.csv') }, sampleRate: 16000, out: outs });
    expect(again.summary.reused).toBe(7);
    const p = join(root, 'short.wav');
    const t = statSync(p).mtime;
    utimesSync(p, t, new Date(t.getTime() + 5000));
    const third = await buildManifest({ root, metadata: { path: join(root, 'meta.csv') }, sampleRate: 16000, out: outs });
    expect(third.summary.processed).toBe(1);
  });

  it('cuts fixed segments and takes splits from a fold column', async () => {
    const root = corpus();
    const out = join(root, 'seg.jsonl');
    const r = await buildManifest({ root, include: ['dog/**'], segments: { length: 2, hop: 2 }, metadata: { path: join(root, 'meta.csv') }, splits: { foldColumn: 'fold', test: 1 }, out });
    const a = r.rows.filter((x) => x.path === 'dog/1-100-A-0.wav');
    expect(a.map((x) => [x.start_time, x.end_time])).toEqual([[0, 2], [2, 4], [4, 5]]);
    expect(a.every((x) => x.split === 'test')).toBe(true);
  });

  it('a run killed with SIGKILL leaves the previous outputs intact, and the next run completes', async () => {
    const root = tempDir('kill');
    for (let i = 0; i < 40; i++) writeWav(join(root, `clip${String(i).padStart(2, '0')}.wav`), noise(16000 * 20, i), 16000);
    const out = join(root, 'm.csv');
    await buildManifest({ root, include: 'clip0*.wav', out, stats: false });
    const before = readFileSync(out, 'utf8');
    const script = `require(${JSON.stringify(join(__dirname, '../../dist/cjs/manifest/build.js'))}).buildManifest({ root: ${JSON.stringify(root)}, out: ${JSON.stringify(out)}, concurrency: 1, onProgress: (p) => { if (p.done === 3) console.log('started'); } })`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child.stdout!.on('data', (d: Buffer) => d.toString().includes('started') && resolve()));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('exit', resolve));
    expect(readFileSync(out, 'utf8')).toBe(before); // untouched: outputs are only replaced whole
    const r = await buildManifest({ root, out });
    expect(r.rows.length).toBe(40);
    expect(existsSync(out)).toBe(true);
    expect(parseCsv(readFileSync(out, 'utf8')).rows.length).toBe(40);
  });

  it('an aborted run saves what it computed, leaves the outputs intact, and the next run reuses it', async () => {
    const root = tempDir('abort');
    for (let i = 0; i < 12; i++) writeWav(join(root, `clip${String(i).padStart(2, '0')}.wav`), noise(16000 * 2, i), 16000);
    const out = join(root, 'm.csv');
    writeFileSync(out, 'previous\n');
    const ac = new AbortController();
    await expect(buildManifest({ root, out, concurrency: 1, signal: ac.signal, onProgress: (p) => p.done === 4 && ac.abort() })).rejects.toMatchObject({ code: 'ABORTED', path: out });
    expect(readFileSync(out, 'utf8')).toBe('previous\n');
    // The cache is a journal: the four rows are there; a line torn by a kill costs only itself.
    const cacheFile = join(root, '.m.csv.audiomill-cache.journal');
    expect(readFileSync(cacheFile, 'utf8').trim().split('\n')).toHaveLength(4);
    writeFileSync(cacheFile, readFileSync(cacheFile, 'utf8') + '{"path":"clip09.wav","si', { flag: 'w' });
    const legacy = join(root, '.m.csv.audiomill-cache.jsonl'); // the cache of audiomill 0.1: removed by a finished run
    writeFileSync(legacy, '{"path":"clip00.wav","rows":[]}\n');
    const seen: boolean[] = [];
    const r = await buildManifest({ root, out, concurrency: 1, onProgress: (p) => seen.push(p.reused) });
    expect(seen.filter(Boolean).length).toBe(4); // the four files done before the abort
    expect(r.summary.processed).toBe(8);
    expect(parseCsv(readFileSync(out, 'utf8')).rows.length).toBe(12);
    expect(readFileSync(cacheFile, 'utf8').trim().split('\n')).toHaveLength(12); // compacted at the end
    expect(existsSync(legacy)).toBe(false);
  });
});

describe('audiomill manifest (CLI)', () => {
  it('Ctrl-C (SIGINT) stops cleanly: exit code 130, outputs intact, no temporary files, the next run resumes', async () => {
    const root = tempDir('sigint');
    for (let i = 0; i < 40; i++) writeWav(join(root, `clip${String(i).padStart(2, '0')}.wav`), noise(16000 * 20, i), 16000);
    const cli = join(__dirname, '../../dist/cjs/cli/main.js');
    const out = join(root, 'm.parquet');
    const args = [cli, 'manifest', root, '--out', out, '--concurrency', '1'];
    const first = spawn(process.execPath, [...args, '--no-stats', '--quiet'], { stdio: 'ignore' });
    await new Promise((resolve) => first.on('exit', resolve));
    const before = readFileSync(out);
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    await new Promise<void>((resolve) =>
      child.stderr!.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (stderr.includes('1/40 files')) resolve(); // the first progress line
      }),
    );
    child.kill('SIGINT');
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(130);
    expect(stderr).toMatch(/SIGINT: stopping/);
    expect(stderr).toMatch(/\[ABORTED\]/);
    expect(readFileSync(out).equals(before)).toBe(true);
    expect(readdirSync(root).filter((f) => f.includes('.tmp-'))).toEqual([]);
    const rest = spawn(process.execPath, [...args, '--quiet'], { stdio: 'ignore' });
    expect(await new Promise((resolve) => rest.on('exit', (c) => resolve(c)))).toBe(0);
    const summary = JSON.parse(readFileSync(join(root, 'm.summary.json'), 'utf8'));
    expect(summary.reused).toBeGreaterThan(0); // rows computed before Ctrl-C were kept
    expect(summary.rows).toBe(40);
  });


  it('builds the manifest, prints the summary, and --strict turns file errors into exit code 2', async () => {
    const { spawnSync } = await import('node:child_process');
    const root = corpus();
    const cli = join(__dirname, '../../dist/cjs/cli/main.js');
    const out = join(root, 'm.csv');
    const args = [cli, 'manifest', root, '--out', out, '--metadata', join(root, 'meta.csv'), '--split', 'train=0.5,test=0.5', '--group', 'src_file', '--sample-rate', '16000'];
    const ok = spawnSync(process.execPath, args, { encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(ok.stderr).toMatch(/QC flags:/);
    expect(ok.stderr).toMatch(/7\/7 files/); // periodic progress lines when stderr is not a TTY
    expect(parseCsv(readFileSync(out, 'utf8')).rows.length).toBe(7);
    const strict = spawnSync(process.execPath, [...args, '--strict', '--quiet'], { encoding: 'utf8' });
    expect(strict.status).toBe(2);
    const bad = spawnSync(process.execPath, [cli, 'manifest', root, '--out', join(root, 'm.xlsx')], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/Expected a path ending in \.parquet/);
  });
});

const CLI = join(__dirname, '../../dist/cjs/cli/main.js');

/** Runs the built CLI (node [preload] main.js args...). */
function cli(args: string[], preload?: string): { status: number | null; stderr: string; stdout: string } {
  const r = spawnSync(process.execPath, [...(preload ? ['-r', preload] : []), CLI, ...args], { encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr, stdout: r.stdout };
}

describe('manifest outputs: folders created and checked before the first file', () => {
  it('creates a missing output folder (and its parents)', async () => {
    const root = corpus();
    const out = join(root, 'new', 'deeper', 'm.csv');
    const r = await buildManifest({ root, out, stats: false });
    expect(parseCsv(readFileSync(out, 'utf8')).rows.length).toBe(r.rows.length);
    expect(existsSync(join(root, 'new', 'deeper', 'm.summary.json'))).toBe(true);
    expect(readdirSync(join(root, 'new', 'deeper')).filter((f) => f.includes('write-check'))).toEqual([]);
  });

  it('an output folder that cannot be made or written fails before any file is read', async () => {
    const root = corpus();
    writeFileSync(join(root, 'afile'), 'a regular file: no folder can be made under it (ENOTDIR, even for root)');
    const good = join(root, 'good.csv');
    let progressed = 0;
    const err = await buildManifest({ root, out: [good, join(root, 'afile', 'sub', 'm.parquet')], onProgress: () => progressed++ }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'IO', path: join(root, 'afile', 'sub'), message: expect.stringContaining("cannot create the output folder '") });
    expect(progressed).toBe(0); // no file decoded before the error
    expect(existsSync(good)).toBe(false);
    expect(existsSync(join(root, '.good.csv.audiomill-cache.journal'))).toBe(false);
    // An output that is a folder: refused before the work too.
    mkdirSync(join(root, 'dir.csv'));
    const again = await buildManifest({ root, out: join(root, 'dir.csv'), onProgress: () => progressed++ }).catch((e: unknown) => e);
    expect(again).toMatchObject({ code: 'IO', message: expect.stringMatching(/it is a folder/) });
    expect(progressed).toBe(0);
  });
});

describe('manifest spectral columns', () => {
  it('are off by default and on with spectral: true, equal to acousticStats; the journal keys on the choice', async () => {
    const root = corpus();
    const out = join(root, 'm.jsonl');
    const plain = await buildManifest({ root, out, include: '**/*-A-*.wav', sampleRate: 16000 });
    expect(plain.columns.filter((c) => c.startsWith('spectral_'))).toEqual([]);
    const seen: boolean[] = [];
    const withSpectral = await buildManifest({ root, out, include: '**/*-A-*.wav', sampleRate: 16000, spectral: true, onProgress: (p) => seen.push(p.reused) });
    expect(seen).toEqual([false, false]); // rows without the spectral means are not reused
    expect(withSpectral.columns.filter((c) => c.startsWith('spectral_'))).toEqual(['spectral_centroid', 'spectral_bandwidth', 'spectral_rolloff', 'spectral_flatness']);
    const a = await loadAudio(join(root, 'dog/1-100-A-0.wav'), { mono: true, sampleRate: 16000 });
    const ref = await acousticStats(a.channels[0]!, 16000);
    const row = withSpectral.rows.find((r) => r.path === 'dog/1-100-A-0.wav')!;
    expect([row.spectral_centroid, row.spectral_bandwidth, row.spectral_rolloff, row.spectral_flatness]).toEqual([ref.spectral_centroid, ref.spectral_bandwidth, ref.spectral_rolloff, ref.spectral_flatness]);
    const noSpectral = await acousticStats(a.channels[0]!, 16000, { spectral: false });
    expect(Object.keys(noSpectral).filter((k) => k.startsWith('spectral_'))).toEqual([]);
    expect(noSpectral.rms_db).toBe(ref.rms_db);
    expect(plain.rows.find((r) => r.path === 'dog/1-100-A-0.wav')!.rms_db).toBe(ref.rms_db);
    await expect(buildManifest({ root, out, stats: false, spectral: true })).rejects.toMatchObject({ name: 'RangeError', message: expect.stringMatching(/for spectral/) });
    // The command line: --spectral adds the columns.
    const csv = join(root, 'cli.csv');
    expect(cli(['manifest', root, '--out', csv, '--include', '**/*-A-*.wav', '--spectral', '--quiet']).status).toBe(0);
    expect(parseCsv(readFileSync(csv, 'utf8')).columns).toContain('spectral_flatness');
  });
});

describe('manifest outputs: the tables and the summary are one set', () => {
  it('a summary that cannot be replaced fails the run before any file is read, and the tables stay as they were', async () => {
    const root = corpus();
    const out = join(root, 'm.csv');
    await buildManifest({ root, out, stats: false });
    const before = readFileSync(out, 'utf8');
    rmSync(join(root, 'm.summary.json'));
    mkdirSync(join(root, 'm.summary.json', 'inside'), { recursive: true }); // a folder where the summary goes
    writeWav(join(root, 'new.wav'), noise(16000, 9), 16000);
    let progressed = 0;
    const err = await buildManifest({ root, out, stats: false, onProgress: () => progressed++ }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'IO', path: join(root, 'm.summary.json'), message: expect.stringMatching(/summary .* it is a folder/) });
    expect(progressed).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(before); // not replaced without its summary
    // Once the folder is gone, the tables and the summary are replaced together, with no staging left behind.
    rmSync(join(root, 'm.summary.json'), { recursive: true });
    const r = await buildManifest({ root, out, stats: false });
    expect(JSON.parse(readFileSync(join(root, 'm.summary.json'), 'utf8')).rows).toBe(r.rows.length);
    expect(parseCsv(readFileSync(out, 'utf8')).rows.length).toBe(r.rows.length);
    expect(readdirSync(root).filter((f) => f.startsWith('.audiomill-staging'))).toEqual([]);
  });
});

describe('manifest splits with segments', () => {
  it('keeps the segments of one file in one split by default and says so; allowLeakage lets them straddle', async () => {
    const root = corpus();
    const base = { root, include: ['dog/**', 'rain/**'], segments: { length: 1 }, stats: false as const, splits: { ratios: { train: 0.5, test: 0.5 }, seed: 3 } };
    const splitsOf = (rows: Record<string, unknown>[]) => {
      const by = new Map<string, Set<unknown>>();
      for (const r of rows) by.set(String(r.path), (by.get(String(r.path)) ?? new Set()).add(r.split));
      return [...by.values()].map((s) => s.size);
    };
    const kept = await buildManifest({ ...base, out: join(root, 'kept.csv') });
    expect(kept.rows.length).toBe(25); // 5 files of 5 s, 1-s segments
    expect(splitsOf(kept.rows).every((n) => n === 1)).toBe(true);
    expect(new Set(kept.rows.map((r) => r.split))).toEqual(new Set(['train', 'test']));
    expect(kept.summary.splitGroups).toEqual(['path']);
    expect(kept.report).toMatch(/segments of one source file are kept in one split \(--allow-leakage/);
    const leaky = await buildManifest({ ...base, allowLeakage: true, out: join(root, 'leaky.csv') });
    expect(splitsOf(leaky.rows).some((n) => n > 1)).toBe(true);
    expect(leaky.summary.splitGroups).toEqual([]);
    expect(leaky.report).not.toMatch(/kept in one split/);
  });

  it('with a user group, files and groups stay whole together; a fold column that splits a file is an error', async () => {
    const root = corpus();
    const metadata = { path: join(root, 'meta.csv') };
    const r = await buildManifest({ root, include: ['dog/**', 'rain/**'], metadata, segments: { length: 1 }, stats: false, splits: { ratios: { train: 0.5, test: 0.5 }, group: 'category' }, out: join(root, 'g.csv') });
    expect(r.summary.splitGroups).toEqual(['category', 'path']);
    for (const cat of ['dog', 'rain']) expect(new Set(r.rows.filter((x) => x.category === cat).map((x) => x.split)).size).toBe(1);
    // A segments table whose fold changes within a file.
    writeFileSync(join(root, 'segs.csv'), ['path,start_time,end_time,fold', 'dog/1-100-A-0.wav,0,1,1', 'dog/1-100-A-0.wav,1,2,2', 'dog/1-100-B-0.wav,0,1,2'].join('\n'));
    const opts = { root, include: 'dog/**', segments: { path: join(root, 'segs.csv') }, stats: false as const, splits: { foldColumn: 'fold', test: 2 } };
    await expect(buildManifest({ ...opts, out: join(root, 'f.csv') })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/segments of 1 source file\(s\) in several splits \(dog\/1-100-A-0\.wav\).*--allow-leakage/) });
    const ok = await buildManifest({ ...opts, allowLeakage: true, out: join(root, 'f.csv') });
    expect(ok.rows.map((x) => x.split)).toEqual(['train', 'test', 'test']);
  });
});

describe('audiomill manifest: inputs checked before working, in the flags\' terms', () => {
  const root = corpus();
  const meta = join(root, 'meta.csv');
  const out = join(root, 'o', 'm.csv');

  it.each([
    [['--split', 'train=2'], /Expected split ratios that sum to 1 \(these sum to 2\) for --split but received "train=2"/],
    [['--split', 'train=0.8,test=0.3'], /sum to 1 \(these sum to 1\.1\) for --split/],
    [['--split', 'train=0.5,test=0.5', '--stratify', 'nosuchcol'], /for --stratify but received "nosuchcol"/],
    [['--split', 'train=0.5,test=0.5', '--group', 'nosuchcol'], /for --group but received "nosuchcol"/],
    [['--folds', 'nosuchcol'], /for --folds but received "nosuchcol"/],
    [['--folds', 'fold'], /'broken\.wav' has no value in the fold column 'fold'/],
    [['--folds', 'fold', '--test-fold', '9', '--exclude', 'broken.wav'], /Expected one of the folds 1, 2, 3, 4, 5 for --test-fold but received "9"/],
    [['--sample-rate', '0'], /for --sample-rate but received 0/],
    [['--concurrency', '0'], /for --concurrency but received 0/],
    [['--hop', '1s'], /for --hop/],
    [['--stratify', 'category'], /Expected a --split to stratify for --stratify/],
    [['--test-fold', '1'], /Expected a --folds column for --test-fold/],
    [['--split', 'train=1', '--folds', 'fold'], /either --split or --folds/],
    [['--join', 'name'], /a --metadata table to join for --join/],
    [['--spectral', '--no-stats'], /Expected statistics to go with it \(not --no-stats\) for --spectral/],
  ])('%j is an error before any file is read', (extra, message) => {
    const withMeta = extra.some((a) => ['--stratify', '--group', '--folds', '--split'].includes(a)) && !extra.includes('--join');
    const r = cli(['manifest', root, '--out', out, ...(withMeta ? ['--metadata', meta] : []), ...extra]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/files \(/); // no progress: nothing was decoded
    expect(r.stderr).not.toMatch(/for (sampleRate|concurrency|ratios|splits\.\S+|test|joinOn) but/); // the API's names
    expect(existsSync(out)).toBe(false);
  });

  it('an unknown column lists the columns that exist', () => {
    const r = cli(['manifest', root, '--out', out, '--metadata', meta, '--split', 'train=0.5,test=0.5', '--stratify', 'categroy']);
    expect(r.stderr).toMatch(/\(path, .*, filename, fold, category, src_file\) for --stratify but received "categroy"/);
    const folds = cli(['manifest', root, '--out', out, '--folds', 'category']);
    expect(folds.status).toBe(1);
    expect(folds.stderr).toMatch(/Expected a metadata, segment-table or file column \(path, .*\) for --folds but received "category"/);
  });

  it('--out is repeatable and does not swallow the folder argument; a stray argument is refused', () => {
    const a = join(root, 'r', 'x.csv');
    const b = join(root, 'r', 'x.jsonl');
    const r = cli(['manifest', '--out', a, '--out', b, '--no-stats', '--quiet', root]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(parseCsv(readFileSync(a, 'utf8')).rows.length).toBe(7);
    expect(readFileSync(b, 'utf8').trim().split('\n')).toHaveLength(7);
    const stray = cli(['manifest', root, '--out', a, b]);
    expect(stray.status).toBe(1);
    expect(stray.stderr).toMatch(/too many arguments/);
  });
});

describe('audiomill manifest: empty and partly unreadable folders', () => {
  it('an empty folder is an error unless --allow-empty, which writes the header (CSV) or an empty table', async () => {
    const root = tempDir('empty');
    mkdirSync(join(root, 'data'));
    writeFileSync(join(root, 'data', 'notes.txt'), 'no audio here');
    const out = join(root, 'o', 'm.csv');
    const r = cli(['manifest', join(root, 'data'), '--out', out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/no audio files matched under '.*data' \(include \*\*\/\*\.\{wav,.*\}, exclude none\) \(--allow-empty writes a table with the header only\) \[EMPTY\]/);
    expect(existsSync(join(root, 'o'))).toBe(false);
    const outs = [out, join(root, 'o', 'm.parquet'), join(root, 'o', 'm.jsonl')];
    const ok = cli(['manifest', join(root, 'data'), ...outs.flatMap((o) => ['--out', o]), '--allow-empty']);
    expect(ok.status).toBe(0);
    const csv = readFileSync(out, 'utf8');
    expect(csv.split('\n')[0]).toMatch(/^path,start_time,end_time,duration,/);
    expect(parseCsv(csv).rows).toEqual([]);
    const con = await (await DuckDBInstance.create(':memory:')).connect();
    const back = await con.runAndReadAll(`select * from read_parquet('${outs[1]}')`);
    expect(back.getRowObjects()).toEqual([]);
    expect(back.columnNames()).toContain('path');
    expect(readFileSync(outs[2]!, 'utf8')).toBe('');
  });

  it('a subfolder that cannot be listed becomes an error row; the run goes on (and --strict exits 2)', async () => {
    // Tests run as root, where chmod does not stop a listing: a preload makes listing `locked` fail with EACCES.
    const root = corpus();
    mkdirSync(join(root, 'locked'));
    writeWav(join(root, 'locked', 'hidden.wav'), new Float32Array(16000), 16000);
    const preload = join(root, 'eacces.cjs');
    writeFileSync(
      preload,
      `const fsp = require('node:fs/promises'); const real = fsp.readdir;
       fsp.readdir = async (p, o) => { if (String(p).endsWith('/locked')) throw Object.assign(new Error("EACCES: permission denied, scandir '" + p + "'"), { code: 'EACCES', errno: -13, syscall: 'scandir', path: String(p) }); return real(p, o); };`,
    );
    const out = join(root, 'm.csv');
    const r = cli(['manifest', root, '--out', out, '--sample-rate', '16000'], preload);
    expect(r.status).toBe(0);
    const rows = parseCsv(readFileSync(out, 'utf8')).rows;
    expect(rows.map((x) => x.path)).toEqual(['broken.wav', 'dog/1-100-A-0.wav', 'dog/1-100-B-0.wav', 'locked/', 'rain/2-200-A-1.wav', 'rain/clipped.wav', 'rain/silent.wav', 'short.wav']);
    const locked = rows.find((x) => x.path === 'locked/')!;
    expect(locked.had_error).toBe('True'); // pandas' spelling
    expect(locked.error).toMatch(/^IO: cannot list the folder '.*locked': permission denied$/);
    const summary = JSON.parse(readFileSync(join(root, 'm.summary.json'), 'utf8'));
    expect(summary.failed.map((f: { path: string }) => f.path)).toEqual(['broken.wav', 'locked/']);
    expect(r.stderr).toMatch(/Failed: 2 \(rows with had_error\):\n  broken\.wav: DECODE_CORRUPT: .*\n  locked\/: IO: cannot list the folder/);
    expect(cli(['manifest', root, '--out', out, '--sample-rate', '16000', '--strict', '--quiet'], preload).status).toBe(2);
  });
});

describe('audiomill manifest: the summary and the progress line', () => {
  it('names the files that failed (the first few, and where the full list is), the elapsed time, and an ETA', () => {
    const root = corpus();
    for (let i = 0; i < 7; i++) writeFileSync(join(root, `bad${i}.wav`), 'not audio either');
    const out = join(root, 'm.parquet');
    const r = cli(['manifest', root, '--out', out, '--concurrency', '1']);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^14 rows from 14 files \(14 processed, 0 reused\), [\d.]+ s of audio, in \d+\.\d s$/m);
    expect(r.stderr).toMatch(/Failed: 8 \(rows with had_error\), the first 5:\n  bad0\.wav: DECODE_CORRUPT: [^\n]+\n  bad1\.wav[^\n]+\n  bad2\.wav[^\n]+\n  bad3\.wav[^\n]+\n  bad4\.wav[^\n]+\n/);
    expect(r.stderr).toContain(`  the full list: "failed" in ${join(root, 'm.summary.json')}, and the rows with had_error in ${out}`);
    const summary = JSON.parse(readFileSync(join(root, 'm.summary.json'), 'utf8'));
    expect(summary.failed).toHaveLength(8);
    expect(summary.failed[7]).toMatchObject({ path: 'broken.wav', error: expect.stringMatching(/^DECODE_CORRUPT/) });
    expect(summary.elapsedSeconds).toBeGreaterThan(0);
    // Progress lines (stderr is not a terminal): the first with an ETA, the last with the time taken.
    expect(r.stderr).toMatch(/^audiomill manifest: 1\/14 files \(7 %\), ETA (\d+\.\d s|\d+ s|\d+ min \d\d s|\?)$/m); // ? only before any time has passed
    expect(r.stderr).toMatch(/^audiomill manifest: 14\/14 files \(100 %\), in \d+(\.\d)? s$/m);
  });
});
