// `audiomill demo` and `audiomill explore` as a user runs them (the compiled CLI): the demo's page and a second
// run that reuses every thumbnail; explore from a manifest and embeddings with figures and WAV clips, then with
// linked audio (the clips are removed); from an embeddings folder alone; and the errors a user meets (a folder that
// is not an explorer's, an unknown label column, a missing manifest, bad option values).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { readTable } from '../../src/io/table.js';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { decode: decodePng } = require('fast-png') as { decode(b: Uint8Array): { width: number; height: number } };
import { tempDir } from '../helpers/temp.js';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cjs', 'cli', 'main.js');
const run = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 120_000 });

let demo: string;
beforeAll(() => {
  demo = tempDir('explore-cli');
  const r = run(['demo', '--out', demo]);
  expect(r.stderr).toMatch(/Demo dataset in/);
  expect(r.status).toBe(0);
}, 120_000);

describe('audiomill demo', () => {
  it('prints the page it wrote, and a second run reuses every thumbnail', async () => {
    const manifest = await readTable(join(demo, 'manifest.parquet'));
    const page = fileURLToPath(run(['demo', '--out', demo, '--quiet']).stdout.trim());
    expect(page).toBe(join(demo, 'explorer', 'index.html'));
    expect(readFileSync(page, 'utf8')).toMatch(/<script src="assets\/app.js"><\/script>/);
    const again = run(['demo', '--out', demo]);
    expect(again.status).toBe(0);
    expect(again.stderr).toContain(`Thumbnails: 0 made, ${manifest.rows.length} reused.`);
    // The attribution files travel with the clips.
    expect(readdirSync(join(demo, 'audio')).filter((f) => f.endsWith('.txt'))).toHaveLength(3);
  });
});

describe('audiomill explore', () => {
  it('writes figures and WAV clips; a run with linked audio removes the clips', () => {
    const out = join(tempDir('explore-out'), 'page');
    const figures = join(out, '..', 'figures');
    const r = run(['explore', join(demo, 'manifest.parquet'), '--embeddings', join(demo, 'embeddings'), '--out', out, '--maps', 'pca', '--audio', 'wav', '--figures', figures, '--k', '5']);
    expect(r.stderr).toMatch(/Maps: pca \([\d.]+ s, trustworthiness 0\.\d{3}\)/);
    expect(r.status).toBe(0);
    const files = readdirSync(figures);
    const svgs = files.filter((f) => f.endsWith('.svg'));
    expect(svgs).toEqual(expect.arrayContaining(['flags.svg', 'classes.svg', 'correlations.svg', 'pca-variance.svg', 'map-pca.svg', 'map-stats-pca.svg']));
    expect(r.stderr).toContain(`Figures: ${svgs.length} SVG and ${svgs.length} PNG files.`);
    for (const f of svgs) {
      const svg = readFileSync(join(figures, f), 'utf8');
      expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^]*<\/svg>$/);
      // The PNG beside it: twice the SVG's size.
      const [, w, h] = /width="(\d+)" height="(\d+)"/.exec(svg)!;
      const png = decodePng(readFileSync(join(figures, f.replace(/\.svg$/, '.png'))));
      expect([png.width, png.height]).toEqual([2 * Number(w), 2 * Number(h)]);
    }
    const wavs = readdirSync(join(out, 'audio')).filter((f) => f.endsWith('.wav'));
    expect(wavs.length).toBe(45);
    const table = readFileSync(join(out, 'data', 'table.js'), 'utf8');
    expect(table).toContain('audio/');
    expect(JSON.parse(readFileSync(join(out, 'data', 'neighbours.js'), 'utf8').match(/JSON\.parse\((.*)\);/)![1]!)).toMatch(/"k":5/);
    const linked = run(['explore', join(demo, 'manifest.parquet'), '--embeddings', join(demo, 'embeddings'), '--out', out, '--maps', 'pca', '--quiet']);
    expect(linked.status).toBe(0);
    expect(existsSync(join(out, 'audio'))).toBe(false);
    expect(readFileSync(join(out, 'data', 'table.js'), 'utf8')).toContain('../../');
  });

  it('builds from an embeddings folder alone (its index has the columns, its config the root)', () => {
    const out = join(tempDir('explore-emb'), 'page');
    const r = run(['explore', '--embeddings', join(demo, 'embeddings'), '--out', out, '--maps', 'umap', '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const marker = JSON.parse(readFileSync(join(out, 'explorer.json'), 'utf8')) as { rows: number; root: string };
    expect(marker.rows).toBe(45);
    expect(marker.root).toBe(join(demo, 'audio'));
    expect(readdirSync(join(out, 'thumbs'))).toHaveLength(45);
  });

  it('--serve serves the page until Ctrl-C, then exits 0', async () => {
    const out = join(tempDir('explore-serve'), 'page');
    const child = spawn(process.execPath, [cli, 'explore', join(demo, 'manifest.parquet'), '--out', out, '--serve', '--port', '0', '--quiet', '--no-thumbnails'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    const url = await new Promise<string>((ok, fail) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        const m = /serving (http:\/\/127\.0\.0\.1:\d+\/index\.html)/.exec(stdout);
        if (m) ok(m[1]!);
      });
      child.on('exit', (code) => fail(new Error(`exited ${code} before serving`)));
    });
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('assets/app.js');
    const code = await new Promise<number | null>((ok) => {
      child.on('exit', ok);
      child.kill('SIGINT');
    });
    expect(code).toBe(0);
  });

  it('refuses what it should, with messages that say why', () => {
    const base = tempDir('explore-bad');
    const busy = join(base, 'busy');
    mkdirSync(busy);
    writeFileSync(join(busy, 'notes.txt'), 'mine');
    const manifest = join(demo, 'manifest.parquet');
    const cases: [string[], RegExp][] = [
      [['explore', manifest, '--out', busy], /not empty and not an audiomill explorer folder/],
      [['explore', manifest, '--out', join(base, 'a'), '--label', 'nope'], /no column 'nope' in the table \(columns: path, .*label/],
      [['explore', join(base, 'missing.parquet'), '--out', join(base, 'b')], /missing\.parquet/],
      [['explore', manifest, '--embeddings', join(demo, 'embeddings'), '--out', join(base, 'c'), '--maps', 'umap,mds'], /--maps/],
      [['explore', manifest, '--out', join(base, 'd'), '--audio', 'mp4'], /--audio/],
      [['explore', manifest, '--out', join(base, 'e'), '--truth', base], /--detections/],
      [['explore', '--out', join(base, 'f')], /a manifest, --embeddings, or both/],
      [['explore', manifest, '--out', join(base, 'g'), '--k', '-1'], /--k/],
      [['explore', manifest, '--embeddings', join(demo, 'embeddings'), '--out', join(base, 'h'), '--n-neighbors', '1'], /Expected an integer between 2 and 200 for --n-neighbors but received 1/],
      [['explore', manifest, '--embeddings', join(demo, 'embeddings'), '--out', join(base, 'i'), '--perplexity', '0'], /--perplexity/],
      [['explore', manifest, '--out', demo], /holds the input/],
    ];
    for (const [args, message] of cases) {
      const r = run(args);
      expect(r.status, args.join(' ')).toBe(1);
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
    expect(readFileSync(join(busy, 'notes.txt'), 'utf8')).toBe('mine');
    // Refused before any work: no folder was made for a bad layout parameter.
    expect(existsSync(join(base, 'h'))).toBe(false);
  });
});
