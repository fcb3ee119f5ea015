#!/usr/bin/env node
// Peak RSS of `audiomill manifest DIR --sample-rate 16000` (fresh: no journal) at 500 / 1,000 / 2,000 files,
// per format: WAV (bench/lib/make-corpus.mjs, 5-s clips at mixed rates), and Ogg Vorbis, FLAC and MP3 corpora
// made of hard links to a few source files, cycled (the same bytes under many names, as many files as asked).
//
//   node scripts/manifest-rss.mjs [<folder with .ogg files>] [sizes, default 500,1000,2000] [formats, default wav,ogg,flac,mp3]
//
// Ogg sources: the folder given, else tests/audio/fixtures/shared (three recordings, 5.3-13.9 s). FLAC and
// MP3 sources: the decoding fixtures in tests/audio/fixtures/files (0.3 s each, so those corpora measure the
// per-file cost of the decoders, not the size of the decoded audio).
//
// Needs `npm run build:ts` first (it runs dist/cjs/cli/main.js). Peak RSS is the child's maxRSS
// (process.resourceUsage() at exit, through bench/lib/results.mjs's rssHook); the decoder worker threads
// share the process, so they are counted.
import { linkSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeCorpus } from '../bench/lib/make-corpus.mjs';
import { rssHook, rssOf, timed } from '../bench/lib/results.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(root, 'dist/cjs/cli/main.js');
const [oggArg, sizeArg, formatArg] = process.argv.slice(2);
const sizes = (sizeArg ?? '500,1000,2000').split(',').map(Number);
const formats = (formatArg ?? 'wav,ogg,flac,mp3').split(',');
const fixtures = join(root, 'tests/audio/fixtures/files');
const listed = (dir, ext) => readdirSync(dir).filter((f) => f.toLowerCase().endsWith(ext)).map((f) => join(dir, f));
const sources = {
  ogg: listed(oggArg || join(root, 'tests/audio/fixtures/shared'), '.ogg'),
  flac: listed(fixtures, '.flac'),
  mp3: listed(fixtures, '.mp3'),
};
const work = mkdtempSync(join(tmpdir(), 'audiomill-rss-'));
const hook = rssHook();

function run(corpus, n) {
  const out = join(work, `m${n}-${Date.now()}.parquet`);
  const r = timed(process.execPath, ['--require', hook, CLI, 'manifest', corpus, '--sample-rate', '16000', '--out', out, '--quiet']);
  rmSync(out, { force: true });
  return { seconds: Number((r.ms / 1000).toFixed(2)), peakRssMB: rssOf(r.stderr).peakRssMB };
}

function linked(format, n) {
  const dir = join(work, `${format}_${n}`);
  mkdirSync(dir);
  const from = sources[format];
  if (from.length === 0) throw new Error(`no .${format} source files`);
  for (let i = 0; i < n; i++) linkSync(from[i % from.length], join(dir, `clip${String(i).padStart(5, '0')}.${format}`));
  return dir;
}

const results = [];
try {
  for (const n of sizes) {
    const row = { files: n };
    for (const format of formats) {
      const corpus = format === 'wav' ? makeCorpus(join(root, 'bench/results/tmp', `corpus_${n}`), n) : linked(format, n);
      row[format] = run(corpus, n);
      if (format !== 'wav') rmSync(corpus, { recursive: true, force: true });
    }
    results.push(row);
    console.log(`${n} files: ${formats.map((f) => `${f} ${row[f].peakRssMB} MB (${row[f].seconds} s)`).join(', ')}`);
  }
  console.log(JSON.stringify(results));
} finally {
  rmSync(work, { recursive: true, force: true });
}
