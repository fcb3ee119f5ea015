#!/usr/bin/env node
/**
 * Explorer benchmark (`npm run bench:explore`). See bench/README.md.
 *
 * A synthetic dataset of 1,000 ten-second files in five classes (a class tone plus noise), cut by `audiomill
 * manifest` into 1-s segments every 0.2 s (54,000 rows), with 768-d clustered embeddings written as an `embed`
 * folder (the size of the encoders the seed uses; the vectors are synthetic so that the map has structure).
 *
 * 1. `audiomill explore manifest --embeddings emb --maps umap,pca`, a fresh process on 2 threads: wall, each
 *    step's time (thumbnails, UMAP, PCA, neighbours, ...), peak RSS, UMAP's trustworthiness.
 * 2. The page in headless Chromium (Debian's, playwright-core) from file://: time from navigation to interactive
 *    (the data parsed, the grid, filters and map drawn), the data's size, the JS heap; then a label filter, a lasso
 *    (through the URL) and a scroll to the middle of the grid, each timed from the event to the next frame.
 * 3. The peer a user would otherwise write: a static HTML gallery of the same clips (an <img loading=lazy>, the
 *    name, the label and an <audio preload=none controls> each, no filters, no map), time to its load event and
 *    the heap, in the same browser, once, given up after 3 minutes.
 *
 *   node bench/explore.mjs [--quick]      (--quick: 100 files, 5,400 rows)
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { join } from 'node:path';
import { BENCH_DIR, TMP_DIR } from './signal.mjs';
import { rssHook, rssOf, runInfo, timed, writeReport, writeResults } from './lib/results.mjs';
import { wavHeader } from './lib/wav-header.mjs';

const require = createRequire(import.meta.url);
const argv = process.argv.slice(2);
const QUICK = argv.includes('--quick');
const ROOT = join(BENCH_DIR, '..');
const CLI = join(ROOT, 'dist', 'cjs', 'cli', 'main.js');
const FILES = QUICK ? 100 : 1000;
const SECONDS = 10.8, RATE = 16000, CLASSES = ['hum', 'whistle', 'buzz', 'chirp', 'drone'], DIM = 768;
const log = (...a) => console.error(...a);
const ENV = { AUDIOMILL_NUM_THREADS: '2' };
const PEER_LIMIT_MS = 180_000;
const am = require(join(ROOT, 'dist', 'cjs', 'index.js'));

const work = join(TMP_DIR, `explore-${FILES}`);
const audio = join(work, 'audio');

function makeAudio() {
  mkdirSync(audio, { recursive: true });
  const frames = Math.round(SECONDS * RATE);
  let s = 0x9e3779b9;
  const meta = ['filename,label'];
  for (let f = 0; f < FILES; f++) {
    const label = CLASSES[f % CLASSES.length];
    const name = `${label}-${String(f).padStart(4, '0')}.wav`;
    meta.push(`${name},${label}`);
    const path = join(audio, name);
    if (existsSync(path) && statSync(path).size === 44 + frames * 2) continue;
    const buf = Buffer.alloc(44 + frames * 2);
    wavHeader({ rate: RATE, channels: 1, frames }).copy(buf, 0);
    const freq = 200 * (1 + (f % CLASSES.length)) * (1 + 0.05 * ((f / CLASSES.length) % 7));
    const level = 0.05 + 0.3 * ((f * 37) % 100) / 100;
    for (let i = 0; i < frames; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      const v = level * Math.sin((2 * Math.PI * freq * i) / RATE) * (0.6 + 0.4 * Math.sin((2 * Math.PI * 0.5 * i) / RATE)) + (s / 2 ** 32 - 0.5) * 0.05;
      buf.writeInt16LE(Math.round(Math.max(-1, Math.min(1, v)) * 32767), 44 + 2 * i);
    }
    writeFileSync(path, buf);
  }
  writeFileSync(join(work, 'metadata.csv'), meta.join('\n') + '\n');
}

/** 768-d embeddings: a centre per class and per source file, plus noise (seeded), as an `embed` folder. */
async function makeEmbeddings(manifest) {
  const t = await am.readTable(manifest);
  const n = t.rows.length;
  const emb = join(work, 'emb');
  mkdirSync(emb, { recursive: true });
  let s = 12345;
  const rnd = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
  const centre = () => Float32Array.from({ length: DIM }, rnd);
  const classCentres = new Map(CLASSES.map((c) => [c, centre()]));
  const fileCentres = new Map();
  const data = new Float32Array(n * DIM);
  t.rows.forEach((r, i) => {
    const c = classCentres.get(r.label);
    let f = fileCentres.get(r.path);
    if (!f) fileCentres.set(r.path, (f = centre()));
    for (let j = 0; j < DIM; j++) data[i * DIM + j] = 4 * c[j] + 1.5 * f[j] + rnd();
  });
  writeFileSync(join(emb, 'embeddings.npy'), am.encodeNpy({ data, shape: [n, DIM] }));
  await am.writeTable(join(emb, 'index.parquet'), t.rows.map((r, i) => ({ row: i, ...r })));
  writeFileSync(join(emb, 'config.json'), JSON.stringify({ encoder: 'synthetic', dim: DIM, root: audio, rows: n }, null, 2));
  return { emb, rows: n };
}

/** The peer: every clip in one static page, with the explorer's own thumbnails and audio links. */
function staticGallery(dir, rows, labels) {
  const table = JSON.parse(JSON.parse(readFileSync(join(dir, 'data', 'table.js'), 'utf8').match(/JSON\.parse\((.*)\);/)[1]));
  const cells = rows.map((r, i) => `<figure><img loading="lazy" width="160" height="64" src="${table.thumbs[i]}" alt=""><figcaption>${r}<br>${labels[i]}</figcaption><audio preload="none" controls src="${table.audio[i]}"></audio></figure>`);
  const html = `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><style>figure{display:inline-block;width:170px;margin:4px}audio{width:160px}</style></head><body>${cells.join('\n')}</body></html>`;
  writeFileSync(join(dir, 'gallery.html'), html);
  return html.length;
}

async function browserRuns(page, gallery) {
  const { chromium } = require('playwright-core');
  const browser = await chromium.launch({ executablePath: process.env.AUDIOMILL_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--enable-precise-memory-info'] });
  const runs = [];
  try {
    for (let rep = 0; rep < 3; rep++) {
      const p = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const errors = [];
      p.on('pageerror', (e) => errors.push(e.message));
      await p.goto(`file://${page}`);
      await p.waitForFunction(() => window.audiomillExplorer?.ready === true, null, { timeout: 120_000 });
      const m = await p.evaluate(async () => {
        const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
        await frame();
        const e = window.audiomillExplorer;
        const out = { readyAt: e.readyAt, startToReady: e.readyMs, renderer: e.renderer, heapMB: performance.memory ? performance.memory.usedJSHeapSize / 2 ** 20 : null };
        const time = async (fn) => {
          const t0 = performance.now();
          fn();
          await frame();
          return performance.now() - t0;
        };
        const box = document.querySelector('details[data-column="label"] input');
        out.filterMs = await time(() => box.click());
        out.afterFilter = Number(document.querySelector('#count').dataset.count);
        out.unfilterMs = await time(() => box.click());
        const map = window.AUDIOMILL_DATA.maps.maps[0];
        const xs = new Float32Array(Uint8Array.from(atob(map.x.b64), (c) => c.charCodeAt(0)).buffer);
        const ys = new Float32Array(Uint8Array.from(atob(map.y.b64), (c) => c.charCodeAt(0)).buffer);
        let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
        for (let i = 0; i < xs.length; i++) (x0 = Math.min(x0, xs[i])), (x1 = Math.max(x1, xs[i])), (y0 = Math.min(y0, ys[i])), (y1 = Math.max(y1, ys[i]));
        const mx = (x0 + x1) / 2, my = (y0 + y1) / 2;
        const lasso = `${x0},${y0};${mx},${y0};${mx},${my};${x0},${my}`;
        out.lassoMs = await time(() => {
          location.hash = `#tab=clips&map=${map.name}&lasso=${map.name}:${lasso}`;
          window.dispatchEvent(new HashChangeEvent('hashchange'));
        });
        out.afterLasso = Number(document.querySelector('#count').dataset.count);
        location.hash = '#tab=clips';
        window.dispatchEvent(new HashChangeEvent('hashchange'));
        await frame();
        const grid = document.getElementById('grid');
        out.scrollMs = await time(() => {
          grid.scrollTop = grid.scrollHeight / 2;
          e.render();
        });
        out.cellsInDom = document.querySelectorAll('.cell').length;
        return out;
      });
      if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
      runs.push(m);
      await p.close();
    }
    // The peer once (a page of 54,000 audio players takes minutes), given up after PEER_LIMIT_MS.
    const peer = [];
    const p = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const t0 = Date.now();
    try {
      await p.goto(`file://${gallery}`, { waitUntil: 'load', timeout: PEER_LIMIT_MS });
      const m = await p.evaluate(async () => {
        await new Promise((r) => requestAnimationFrame(() => r()));
        return { loadAt: performance.now(), heapMB: performance.memory ? performance.memory.usedJSHeapSize / 2 ** 20 : null, nodes: document.getElementsByTagName('*').length };
      });
      m.wallMs = Date.now() - t0;
      peer.push(m);
    } catch {
      peer.push({ loadAt: null, gaveUpAfterMs: Date.now() - t0 });
    }
    return { runs, peer };
  } finally {
    await browser.close();
  }
}

const med = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main() {
  const loadBefore = os.loadavg().map((x) => x.toFixed(2));
  log(`explore benchmark: ${FILES} files in ${work}`);
  makeAudio();
  const manifest = join(work, 'manifest.parquet');
  // From scratch: the manifest's row cache from an earlier run would make its time a cache read.
  for (const f of ['manifest.parquet', 'manifest.summary.json', '.manifest.parquet.audiomill-cache.journal']) rmSync(join(work, f), { force: true });
  const m = timed(process.execPath, [CLI, 'manifest', audio, '--metadata', join(work, 'metadata.csv'), '--join', 'filename', '--segment', '1s', '--hop', '0.2s', '--out', manifest, '--quiet'], ENV);
  log(`manifest: ${(m.ms / 1000).toFixed(1)} s`);
  const { emb, rows } = await makeEmbeddings(manifest);
  const page = join(work, 'page');
  rmSync(page, { recursive: true, force: true });
  const hook = rssHook();
  const e = timed(process.execPath, ['--require', hook, CLI, 'explore', manifest, '--embeddings', emb, '--out', page, '--maps', 'umap,pca'], ENV);
  const rss = rssOf(e.stderr);
  const report = e.stderr.split('\n').filter((l) => /^(Explorer|Maps|Thumbnails)/.test(l));
  log(report.join('\n'));
  const steps = Object.fromEntries([...e.stderr.matchAll(/(table|thumbnails|audio|map umap|map pca|neighbours|write) ([\d.]+) s/g)].map((x) => [x[1], Number(x[2])]));
  const trust = Number(/umap \([\d.]+ s, trustworthiness ([\d.]+)/.exec(e.stderr)?.[1]);
  const dataBytes = readdirSync(join(page, 'data')).reduce((s, f) => s + statSync(join(page, 'data', f)).size, 0);
  const names = (await am.readTable(manifest)).rows;
  const galleryBytes = staticGallery(page, names.map((r) => `${r.path} ${r.start_time}`), names.map((r) => r.label));
  const { runs, peer } = await browserRuns(join(page, 'index.html'), join(page, 'gallery.html'));
  const results = {
    ...runInfo(QUICK, loadBefore),
    rows,
    dim: DIM,
    manifestMs: m.ms,
    build: { ms: e.ms, steps, peakRssMB: rss.peakRssMB, cpuS: rss.cpuS, umapTrustworthiness: trust, dataMB: dataBytes / 2 ** 20 },
    page: {
      runs,
      readyMs: med(runs.map((r) => r.readyAt)),
      filterMs: med(runs.map((r) => r.filterMs)),
      lassoMs: med(runs.map((r) => r.lassoMs)),
      scrollMs: med(runs.map((r) => r.scrollMs)),
      heapMB: med(runs.map((r) => r.heapMB)),
      renderer: runs[0].renderer,
      cellsInDom: runs[0].cellsInDom,
    },
    peer: { runs: peer, loadMs: peer[0].loadAt, heapMB: peer[0].heapMB ?? null, htmlMB: galleryBytes / 2 ** 20, nodes: peer[0].nodes ?? null, gaveUpAfterMs: peer[0].gaveUpAfterMs ?? null },
  };
  const { dest, name } = writeResults('explore', results, QUICK);
  log(`wrote ${join(dest, name)}`);
  const p = results.page;
  const text = writeReport(dest, 'explore', 'Explorer', results, [
    `Load average before ${loadBefore.join(' / ')}, after ${results.loadAfter.join(' / ')}. 2 threads.`,
    '',
    `${rows.toLocaleString('en')} one-second segments of ${FILES} synthetic 16-kHz files (5 classes), ${DIM}-d clustered embeddings.`,
    '',
    '| step | time |',
    '| --- | ---: |',
    `| \`audiomill manifest\` (statistics of every segment) | ${(m.ms / 1000).toFixed(1)} s |`,
    `| \`audiomill explore --maps umap,pca\` (fresh process), total | ${(e.ms / 1000).toFixed(1)} s, peak RSS ${rss.peakRssMB.toFixed(0)} MB |`,
    ...Object.entries(steps).map(([k, v]) => `| … ${k} | ${v.toFixed(1)} s |`),
    `| UMAP trustworthiness (k 10, 2,000 rows) | ${trust.toFixed(3)} |`,
    `| page data (data/*.js) | ${results.build.dataMB.toFixed(1)} MB |`,
    '',
    `In headless Chromium from file:// (${p.renderer}, median of 3 page loads):`,
    '',
    '| | audiomill explorer | static HTML gallery (peer) |',
    '| --- | ---: | ---: |',
    `| navigation to interactive | ${(p.readyMs / 1000).toFixed(2)} s | ${results.peer.loadMs === null ? `not loaded after ${(results.peer.gaveUpAfterMs / 1000).toFixed(0)} s (given up)` : `${(results.peer.loadMs / 1000).toFixed(2)} s (load event, one run; no filters, map or search)`} |`,
    `| JS heap | ${p.heapMB.toFixed(0)} MB | ${results.peer.heapMB === null ? 'n/a' : `${results.peer.heapMB.toFixed(0)} MB`} |`,
    `| DOM | ${p.cellsInDom} grid cells (virtualised) | ${results.peer.nodes === null ? `${(rows * 6).toLocaleString('en')} elements in the file` : `${results.peer.nodes.toLocaleString('en')} elements`} |`,
    `| label filter, event to next frame | ${p.filterMs.toFixed(0)} ms | n/a |`,
    `| lasso over a quarter of the map | ${p.lassoMs.toFixed(0)} ms | n/a |`,
    `| scroll to the middle of the grid | ${p.scrollMs.toFixed(0)} ms | n/a |`,
  ]);
  log(text);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
