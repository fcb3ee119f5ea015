#!/usr/bin/env node
// Peak RSS of `audiomill manifest DIR --sample-rate 16000` (fresh: no journal) at 500 / 1,000 / 2,000 files,
// for a WAV corpus (bench/lib/make-corpus.mjs, 5-s clips at mixed rates) and an Ogg Vorbis corpus (hard links
// to the Ogg recordings given, cycled: the same bytes under many names, as many files as asked).
//
//   node scripts/manifest-rss.mjs <folder with .ogg files> [sizes, default 500,1000,2000]
//
// Needs `npm run build:ts` first (it runs dist/cjs/cli/main.js). Peak RSS is the child's maxRSS
// (process.resourceUsage() at exit); the decoder worker threads share the process, so they are counted.
import { spawnSync } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeCorpus } from '../bench/lib/make-corpus.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(root, 'dist/cjs/cli/main.js');
const [oggDir, sizeArg] = process.argv.slice(2);
if (!oggDir) throw new Error('usage: node scripts/manifest-rss.mjs <folder with .ogg files> [500,1000,2000]');
const sizes = (sizeArg ?? '500,1000,2000').split(',').map(Number);
const oggs = readdirSync(oggDir).filter((f) => f.toLowerCase().endsWith('.ogg')).map((f) => join(oggDir, f));
const work = mkdtempSync(join(tmpdir(), 'audiomill-rss-'));
const hook = join(work, 'rss-hook.cjs');
writeFileSync(hook, "process.on('exit', () => process.stderr.write(`\\nRSS_MB ${(process.resourceUsage().maxRSS / 1024).toFixed(1)}\\n`));\n");

function run(corpus, n) {
  const out = join(work, `m${n}-${Date.now()}.parquet`);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--require', hook, CLI, 'manifest', corpus, '--sample-rate', '16000', '--out', out, '--quiet'], { encoding: 'utf8' });
  const s = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(r.stderr);
  return { seconds: Number(s.toFixed(2)), peakRssMB: Number(/RSS_MB ([0-9.]+)/.exec(r.stderr)?.[1]) };
}

const results = [];
try {
  for (const n of sizes) {
    const wav = makeCorpus(join(root, 'bench/results/tmp', `corpus_${n}`), n);
    const ogg = join(work, `ogg_${n}`);
    mkdirSync(ogg);
    for (let i = 0; i < n; i++) linkSync(oggs[i % oggs.length], join(ogg, `clip${String(i).padStart(5, '0')}.ogg`));
    const w = run(wav, n);
    const o = run(ogg, n);
    results.push({ files: n, wav: w, ogg: o });
    console.log(`${n} files: WAV ${w.peakRssMB} MB (${w.seconds} s), Ogg ${o.peakRssMB} MB (${o.seconds} s)`);
    rmSync(ogg, { recursive: true, force: true });
  }
  console.log(JSON.stringify(results));
} finally {
  rmSync(work, { recursive: true, force: true });
}
