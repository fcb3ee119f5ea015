// The explorer page in real headless Chromium (Debian's chromium, playwright-core), on the demo's dataset (three
// CC-licensed recordings in 1-s segments, built by buildDemo): it opens from file:// with no console errors and no
// request outside its folder; filtering by label changes the count, and the filter lives in the URL; a lasso on
// the map narrows the grid to the points inside it; a clicked clip shows k neighbours whose ids and scores are
// VectorIndex.searchById's in Node; the keyboard moves through the grid; an audio element plays (its currentTime
// advances), from disk and from `--serve`; the overview has its charts. Screenshots go to test-results/explorer/.
import { mkdirSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEmbeddings } from '../../src/embed/read.js';
import { buildDemo, type DemoResult } from '../../src/explore/demo.js';
import { serveExplorer } from '../../src/explore/serve.js';
import { runDoctor } from '../../src/doctor/run.js';
import { buildExplorer } from '../../src/explore/build.js';
import { writeRavenTable } from '../../src/io/raven-table.js';
import { readTable } from '../../src/io/table.js';
import { writeWav } from '../helpers/wav.js';
import { VectorIndex } from '../../src/search/vector-index.js';
import { launchChromium, watch } from '../helpers/browser.js';
import { tempDir } from '../helpers/temp.js';

const SHOTS = join(__dirname, '..', '..', 'test-results', 'explorer');

let demo: DemoResult;
let browser: Browser;

beforeAll(async () => {
  demo = await buildDemo({ out: tempDir('explore-page') });
  browser = await launchChromium();
  mkdirSync(SHOTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

async function open(url: string, allowed: (u: string) => boolean): Promise<{ page: Page; seen: ReturnType<typeof watch> }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const seen = watch(page, allowed);
  await page.goto(url);
  await page.waitForFunction(() => window.audiomillExplorer?.ready === true, null, { timeout: 20_000 });
  return { page, seen };
}

const fileUrl = () => `file://${demo.explorer.index}`;
const count = (page: Page) => page.$eval('#count', (el) => Number((el as HTMLElement).dataset.count));

declare global {
  interface Window {
    audiomillExplorer?: { ready: boolean; readyMs: number; renderer: string; state(): { lasso: { points: [number, number][] } | null; clip: number | null }; visible(): number[]; render(): void };
  }
}

describe('the explorer page', () => {
  it('opens from disk with no console errors and no network request, and filters by label through the URL', async () => {
    const { page, seen } = await open(fileUrl(), (u) => u.startsWith('file://'));
    const manifest = await readTable(demo.manifest);
    expect(await count(page)).toBe(manifest.rows.length);
    const birds = manifest.rows.filter((r) => r.label === 'bird').length;
    expect(birds).toBeGreaterThan(0);
    await page.click('details[data-column="label"] input[value="bird"]');
    expect(await count(page)).toBe(birds);
    expect(await page.$$eval('.cell', (cells) => cells.length)).toBe(birds);
    expect(await page.$$eval('.cell .label', (ls) => ls.map((l) => l.textContent!.split(' · ')[0]))).toEqual(new Array(birds).fill('bird'));
    const url = page.url();
    expect(decodeURIComponent(url)).toContain('f.label=bird');
    await page.screenshot({ path: join(SHOTS, 'filtered.png') });
    // The same URL in a new page gives the same view.
    const again = await open(url, (u) => u.startsWith('file://'));
    expect(await count(again.page)).toBe(birds);
    expect(await again.page.$eval('details[data-column="label"] input[value="bird"]', (el) => (el as HTMLInputElement).checked)).toBe(true);
    await again.page.close();
    // A range filter on a statistic combines with it.
    const loud = manifest.rows.filter((r) => r.label === 'bird' && (r.rms_db as number) >= -30).length;
    await page.click('details[data-column="rms_db"] summary');
    await page.fill('input[name="rms_db-min"]', '-30');
    await page.press('input[name="rms_db-min"]', 'Enter');
    expect(await count(page)).toBe(loud);
    expect(seen.errors).toEqual([]);
    expect(seen.requests).toEqual([]);
    await page.close();
  });

  it('narrows the grid to the points a lasso on the map encloses', async () => {
    const { page, seen } = await open(fileUrl(), (u) => u.startsWith('file://'));
    const total = await count(page);
    expect(await page.$eval('#map', (el) => (el as HTMLElement).dataset.renderer)).toMatch(/webgl|canvas2d/);
    const box = (await page.$('#map canvas.map-overlay'))!;
    const r = (await box.boundingBox())!;
    // A quadrilateral over the left 45 % of the plot.
    const pts: [number, number][] = [[r.x + 60, r.y + 12], [r.x + r.width * 0.45, r.y + 12], [r.x + r.width * 0.45, r.y + r.height - 42], [r.x + 60, r.y + r.height - 42]];
    await page.mouse.move(pts[0]![0], pts[0]![1]);
    await page.mouse.down();
    for (const [x, y] of [...pts.slice(1), pts[0]!]) await page.mouse.move(x, y, { steps: 8 });
    await page.mouse.up();
    const narrowed = await count(page);
    expect(narrowed).toBeGreaterThan(0);
    expect(narrowed).toBeLessThan(total);
    // Exactly the rows whose map position is inside the lasso (even-odd rule, in map coordinates).
    const check = await page.evaluate(() => {
      const e = window.audiomillExplorer!;
      const lasso = e.state().lasso!.points;
      const maps = (window as unknown as { AUDIOMILL_DATA: { maps: { maps: { name: string; x: { b64: string } ; y: { b64: string } }[] } } }).AUDIOMILL_DATA.maps.maps;
      const dec = (b64: string) => new Float32Array(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)).buffer);
      const m = maps.find((mm) => mm.name === 'umap')!;
      const x = dec(m.x.b64), y = dec(m.y.b64);
      const inside = (px: number, py: number) => {
        let hit = false;
        for (let i = 0, j = lasso.length - 1; i < lasso.length; j = i++) {
          const [xi, yi] = lasso[i]!, [xj, yj] = lasso[j]!;
          if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) hit = !hit;
        }
        return hit;
      };
      const expected = [...x.keys()].filter((i) => inside(x[i]!, y[i]!));
      return { expected, visible: e.visible() };
    });
    expect(check.visible).toEqual(check.expected);
    expect(decodeURIComponent(page.url())).toContain('lasso=umap:');
    await page.screenshot({ path: join(SHOTS, 'lasso.png') });
    await page.click('#clear-lasso');
    expect(await count(page)).toBe(total);
    expect(seen.errors).toEqual([]);
    expect(seen.requests).toEqual([]);
    await page.close();
  });

  it("shows a clicked clip's k nearest neighbours, the ones VectorIndex.searchById finds in Node", async () => {
    const { page, seen } = await open(fileUrl(), (u) => u.startsWith('file://'));
    const emb = await readEmbeddings(demo.embeddings);
    const index = await VectorIndex.load(demo.index);
    const ids = emb.index.map((r) => `${String(r.path)}@${String(r.start_time)}`);
    for (const row of [0, 7, emb.rows - 1]) {
      await page.evaluate((r) => (location.hash = `#tab=clips&clip=${r}`), row);
      await page.waitForFunction((r) => window.audiomillExplorer!.state().clip === r, row);
      const shown = await page.$$eval('#neighbours li', (lis) => lis.map((li) => ({ row: Number((li as HTMLElement).dataset.row), score: Number(li.querySelector('.score')!.textContent) })));
      const expected = await index.searchById(ids[row]!, 10);
      expect(shown.map((s) => ids[s.row])).toEqual(expected.ids);
      shown.forEach((s, j) => expect(s.score).toBeCloseTo(expected.scores[j]!, 4));
    }
    // A click on a grid cell opens that clip; a click on a neighbour opens it.
    await page.click('#clip-3 .name');
    expect(await page.evaluate(() => window.audiomillExplorer!.state().clip)).toBe(3);
    const first = await page.$eval('#neighbours li', (li) => Number((li as HTMLElement).dataset.row));
    await page.click('#neighbours li .name');
    expect(await page.evaluate(() => window.audiomillExplorer!.state().clip)).toBe(first);
    await page.screenshot({ path: join(SHOTS, 'neighbours.png') });
    expect(seen.errors).toEqual([]);
    expect(seen.requests).toEqual([]);
    await page.close();
  });

  it('moves through the grid with the keyboard and plays a clip (currentTime advances)', async () => {
    const { page, seen } = await open(fileUrl(), (u) => u.startsWith('file://'));
    await page.focus('#grid');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => window.audiomillExplorer!.state().clip)).toBe(2);
    expect(await page.$eval('#grid', (g) => g.getAttribute('aria-activedescendant'))).toBe('clip-2');
    // Row 2 is the segment 1-2 s: the player's time moves on from 1 s (the media fragment's start) and it stops at
    // 2 s (its end), not at the end of the 14-s file.
    await page.keyboard.press(' ');
    await page.waitForFunction(() => (document.getElementById('player') as HTMLAudioElement).currentTime > 1.2, null, { timeout: 10_000 });
    await page.waitForFunction(() => (document.getElementById('player') as HTMLAudioElement).paused, null, { timeout: 10_000 });
    const end = await page.$eval('#player', (a) => (a as HTMLAudioElement).currentTime);
    expect(end).toBeGreaterThan(1.9);
    expect(end).toBeLessThan(2.3);
    expect(await page.$eval('#player', (a) => (a as HTMLAudioElement).dataset.row)).toBe('2');
    expect(seen.errors).toEqual([]);
    expect(seen.requests).toEqual([]);
    await page.close();
  });

  it('draws the overview: flags, balance, histograms, correlations, PCA and clusters', async () => {
    const { page, seen } = await open(`${fileUrl()}#tab=overview`, (u) => u.startsWith('file://'));
    const figures = await page.$$eval('#tab-overview figure', (fs) => fs.map((f) => (f as HTMLElement).dataset.figure));
    expect(figures).toEqual(expect.arrayContaining(['flags', 'classes', 'splits', 'correlations', 'pca-variance', 'hist-rms_db']));
    expect(await page.$$eval('#tab-overview svg', (s) => s.length)).toBe(figures.length);
    expect(await page.$$eval('#tab-overview table caption', (cs) => cs.map((c) => c.textContent))).toEqual(expect.arrayContaining([expect.stringMatching(/^k-means clusters/)]));
    await page.screenshot({ path: join(SHOTS, 'overview.png'), fullPage: false });
    expect(seen.errors).toEqual([]);
    expect(seen.requests).toEqual([]);
    await page.close();
  });

  it('is served by serveExplorer with its linked audio (byte ranges), and nothing outside it', async () => {
    const served = await serveExplorer(demo.explorer.out);
    try {
      const origin = new URL(served.url).origin;
      const { page, seen } = await open(served.url, (u) => u.startsWith(origin));
      await page.click('#clip-0 .play');
      await page.waitForFunction(() => (document.getElementById('player') as HTMLAudioElement).currentTime > 0.3, null, { timeout: 10_000 });
      expect(seen.errors).toEqual([]);
      expect(seen.requests).toEqual([]);
      await page.close();
      const outside = await fetch(`${origin}/../../../etc/passwd`);
      expect(outside.status).toBe(404);
      const traversal = await fetch(`${origin}/..%2f..%2fmanifest.parquet`);
      expect(traversal.status).toBe(404);
      // A request naming another host (a DNS-rebinding page) is refused.
      const port = Number(new URL(origin).port);
      const status = await new Promise<number>((ok, fail) => get({ host: '127.0.0.1', port, path: '/data/table.js', headers: { host: `evil.example:${port}` } }, (res) => (res.resume(), ok(res.statusCode!))).on('error', fail));
      expect(status).toBe(403);
      const ranged = await fetch(`${origin}/data/table.js`, { headers: { range: 'bytes=0-9' } });
      expect(ranged.status).toBe(206);
      expect((await ranged.text()).length).toBe(10);
    } finally {
      await served.close();
    }
  });
});

describe('the detections tab', () => {
  it('draws each tape with its truth and detections coloured by how they matched', async () => {
    const dir = tempDir('explore-detections');
    const rate = 16000;
    // A 20-s tape with four 1-kHz bursts; truth boxes on all four; detections on two of them and one on silence.
    const x = new Float64Array(20 * rate);
    for (const t0 of [2, 6, 10, 14]) for (let i = 0; i < rate; i++) x[t0 * rate + i] = 0.5 * Math.sin((2 * Math.PI * 1000 * i) / rate);
    for (const d of ['tapes', 'truth', 'pred']) mkdirSync(join(dir, d));
    writeWav(join(dir, 'tapes', 'site1.wav'), x, rate);
    const truth = [2, 6, 10, 14].map((b) => ({ begin: b, end: b + 1, lowFreq: 800, highFreq: 1200, label: 'call' }));
    const pred = [
      { begin: 2.1, end: 3.1, lowFreq: 700, highFreq: 1300, label: 'call', score: 0.9 },
      { begin: 10, end: 10.9, lowFreq: 700, highFreq: 1300, label: 'call', score: 0.8 },
      { begin: 17, end: 18, lowFreq: 100, highFreq: 7000, label: 'call', score: 0.6 },
    ];
    await writeRavenTable(join(dir, 'truth', 'site1.Table.1.selections.txt'), truth, { sampleRate: rate });
    await writeRavenTable(join(dir, 'pred', 'site1.Table.1.selections.txt'), pred, { sampleRate: rate });
    const r = await buildExplorer({ manifest: demo.manifest, out: join(dir, 'page'), thumbnails: false, detections: { pred: join(dir, 'pred'), truth: join(dir, 'truth'), tapes: join(dir, 'tapes'), iou: 0.5 } });
    const page = await browser.newPage({ viewport: { width: 1400, height: 700 } });
    const seen = watch(page, (u) => u.startsWith('file://'));
    await page.goto(`file://${r.index}#tab=detections`);
    await page.waitForFunction(() => window.audiomillExplorer?.ready === true);
    expect(await page.$eval('.tape h3', (h) => h.textContent)).toBe('site1: 2 matched, 2 missed, 1 false (IoU ≥ 0.5)');
    const kinds = await page.$$eval('.strip .box', (bs) => bs.map((b) => b.className.replace('box ', '')).sort());
    expect(kinds).toEqual(['false', 'matched', 'matched', 'matched', 'matched', 'missed', 'missed']);
    expect(await page.$eval('.strip img', (img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(100);
    // A box's place on the strip: the false one at 17-18 s of 20, over 100-7000 Hz of 0-8000.
    const falseBox = await page.$eval('.strip .box.false', (b) => ({ left: (b as HTMLElement).style.left, width: (b as HTMLElement).style.width, top: (b as HTMLElement).style.top }));
    expect(parseFloat(falseBox.left)).toBeCloseTo(85, 5);
    expect(parseFloat(falseBox.width)).toBeCloseTo(5, 5);
    expect(parseFloat(falseBox.top)).toBeCloseTo(12.5, 5);
    await page.screenshot({ path: join(SHOTS, 'detections.png') });
    expect(seen.errors).toEqual([]);
    expect(seen.requests).toEqual([]);
    await page.close();
  });
});

describe('the doctor tab', () => {
  it("lists the doctor's duplicate groups and label issues, and opens their clips", async () => {
    const dir = tempDir('explore-doctor');
    const doc = await runDoctor({ manifest: demo.manifest, out: join(dir, 'doctor') });
    expect(doc.duplicates.groups.length).toBeGreaterThan(0);
    const r = await buildExplorer({ manifest: join(dir, 'doctor', 'manifest.doctor.parquet'), root: join(demo.out, 'audio'), embeddings: demo.embeddings, out: join(dir, 'page'), maps: ['pca'], thumbnails: false });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const seen = watch(page, (u) => u.startsWith('file://'));
    await page.goto(`file://${r.index}#tab=doctor`);
    await page.waitForFunction(() => window.audiomillExplorer?.ready === true);
    const groupRows = await page.$$eval('#doctor-duplicates tbody tr', (trs) => trs.length);
    expect(groupRows).toBe(doc.duplicates.groups.length);
    expect(await page.$$eval('#doctor-labels tbody tr', (trs) => trs.length)).toBe(Math.min(100, doc.labelIssues!.ranking.length));
    // The first group's "show in grid" filters the grid to the group.
    const first = [...doc.duplicates.groups].sort((a, b) => Number(b.leaks) - Number(a.leaks) || b.rows.length - a.rows.length)[0]!;
    await page.click('#doctor-duplicates tbody tr:first-child button:not(.row-link)');
    expect(await count(page)).toBe(first.rows.length);
    expect(await page.evaluate(() => window.audiomillExplorer!.visible())).toEqual(first.rows);
    // A label issue's link opens its clip.
    await page.evaluate(() => (location.hash = '#tab=doctor'));
    await page.waitForSelector('#doctor-labels .row-link');
    const row = Number(await page.$eval('#doctor-labels .row-link', (b) => (b as HTMLElement).dataset.row));
    await page.click('#doctor-labels .row-link');
    expect(await page.evaluate(() => window.audiomillExplorer!.state().clip)).toBe(row);
    // The map, hidden while the page opened on the doctor tab, is drawn once its tab shows.
    await page.waitForFunction(() => (document.querySelector('#map canvas.map-overlay') as HTMLCanvasElement).width > 100);
    expect(seen.errors).toEqual([]);
    expect(seen.requests).toEqual([]);
    await page.close();
  });
});
