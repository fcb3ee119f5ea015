#!/usr/bin/env node
// Where `audiomill manifest --no-stats` spends its time, step by step, on a corpus of WAV clips
// (bench/lib/make-corpus.mjs). Each step is timed in this process on the same files, after a warm-up pass
// (page cache), as the median of 3 passes; per-file costs are wall time / files.
//
//   node scripts/profile-manifest.mjs [corpus dir] [--cpu-prof]
//
// With --cpu-prof the CLI run is also profiled (node --cpu-prof) and the functions with the most self time
// are listed. Needs `npm run build:ts` first (it loads dist/).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeCorpus } from '../bench/lib/make-corpus.mjs';
import { median } from '../bench/lib/stats.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const am = require(join(root, 'dist/cjs/index.js'));
const { walkAudio } = require(join(root, 'dist/cjs/manifest/walk.js'));
const { readHead, openWav } = require(join(root, 'dist/cjs/audio/source.js'));
const args = process.argv.slice(2);
const corpus = args.find((a) => !a.startsWith('--')) ?? makeCorpus(join(root, 'bench/results/tmp/corpus_2002'), 2002);
const work = mkdtempSync(join(tmpdir(), 'audiomill-profile-'));
const CLI = join(root, 'dist/cjs/cli/main.js');

/** Median wall ms of fn over `reps` runs after a warm-up; the CPU ms (user + system, every thread of this
 * process: the libuv pool's file operations too) of the same run goes to lastCpu. */
let lastCpu = NaN;
async function timeIt(fn, reps = 3) {
  await fn(); // warm-up
  const runs = [];
  for (let r = 0; r < reps; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    const c = process.cpuUsage(c0);
    runs.push([performance.now() - t0, (c.user + c.system) / 1000]);
  }
  const m = runs.sort((a, b) => a[0] - b[0])[Math.floor(runs.length / 2)];
  lastCpu = m[1];
  return m[0];
}
/** Runs fn over the files with `concurrency` workers, like buildManifest's queue. */
async function pool(files, concurrency, fn) {
  const queue = [...files];
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (let f = queue.shift(); f !== undefined; f = queue.shift()) await fn(f);
  }));
}

const files = await walkAudio(corpus);
const n = files.length;
const rows = [];
const row = (step, ms, cpu = lastCpu) => {
  rows.push([step, ms, cpu]);
  const c = Number.isNaN(cpu) ? '' : `   CPU ${cpu.toFixed(0).padStart(5)} ms ${((cpu * 1000) / n).toFixed(1).padStart(6)} µs/file`;
  console.log(`${step.padEnd(66)} ${ms.toFixed(1).padStart(7)} ms ${((ms * 1000) / n).toFixed(1).padStart(6)} µs/file${c}`);
  lastCpu = NaN;
};
console.log(`${n} files in ${corpus}\n`);

// The whole command, as users run it (fresh: no journal, new output).
let k = 0;
const cli = (extra = []) => {
  const out = join(work, `m${k++}.parquet`);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [...extra, CLI, 'manifest', corpus, '--no-stats', '--out', out, '--quiet'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return performance.now() - t0;
};
cli();
row('CLI: audiomill manifest --no-stats (whole process)', median([cli(), cli(), cli()]));
const startup = () => {
  const t0 = performance.now();
  execFileSync(process.execPath, [CLI, '--version']);
  return performance.now() - t0;
};
startup();
row('  of which: node + CLI start (audiomill --version)', median([startup(), startup(), startup()]));
const bare = () => {
  const t0 = performance.now();
  execFileSync(process.execPath, ['-e', '0']);
  return performance.now() - t0;
};
row('  of which: bare node start (node -e 0)', median([bare(), bare(), bare()]));

row('in process: buildManifest({ stats: false }) (fresh output)', await timeIt(() => am.buildManifest({ root: corpus, out: join(work, `b${k++}.parquet`), stats: false })));
row('in process: the same to CSV (no Parquet encoding)', await timeIt(() => am.buildManifest({ root: corpus, out: join(work, `c${k++}.csv`), stats: false })));
row('  walkAudio (readdir + a stat per file, sequential awaits)', await timeIt(() => walkAudio(corpus)));
row('  probeAudio per file, 8 at a time', await timeIt(() => pool(files, 8, (f) => am.probeAudio(f.absolute).catch(() => null))));
row('  probeAudioSync per file (the same steps, blocking, one at a time)', await timeIt(async () => {
  for (const f of files) {
    try {
      am.probeAudioSync(f.absolute);
    } catch {
      // corrupt clips
    }
  }
}));
row('    readHead: stat + open + read 64 KiB + close, 8 at a time', await timeIt(() => pool(files, 8, (f) => readHead(f.absolute).catch(() => null))));
row('      stat only, 8 at a time', await timeIt(() => pool(files, 8, (f) => stat(f.absolute))));
const openRead = (bytes) => pool(files, 8, async (f) => {
  const fh = await open(f.absolute, 'r');
  try {
    await fh.read(new Uint8Array(bytes), 0, bytes, 0);
  } finally {
    await fh.close();
  }
});
row('      open + read 64 KiB + close, 8 at a time', await timeIt(() => openRead(65536)));
row('      open + read 4 KiB + close, 8 at a time', await timeIt(() => openRead(4096)));
row('    openWav(path) + info() + close(), on the main thread', await timeIt(async () => {
  for (const f of files) {
    try {
      const w = openWav(f.absolute);
      w.info();
      w.close();
    } catch {
      // corrupt clips
    }
  }
}));
row('      new Error() per file (the call-site stack openWav keeps)', await timeIt(async () => {
  for (let i = 0; i < n; i++) new Error();
}));

// The Parquet encoding of one run's rows (src/io/table.ts encodeTable), and hyparquet-writer's options.
{
  const result = await am.buildManifest({ root: corpus, out: join(work, `r${k++}.csv`), stats: false });
  const { encodeTable } = require(join(root, 'dist/cjs/io/table.js'));
  const { columnsOf } = require(join(root, 'dist/cjs/io/table.js'));
  const columns = columnsOf(result.rows);
  row(`  encodeTable parquet, ${result.rows.length} rows x ${columns.length} columns (SNAPPY, statistics: the default)`, await timeIt(async () => encodeTable('parquet', columns, result.rows)));
  const { parquetWriteBuffer } = require('hyparquet-writer');
  const TYPE = { string: 'STRING', int: 'INT64', float: 'DOUBLE', bool: 'BOOLEAN' };
  const cell = (v, t) => (v === null || v === undefined ? null : t === 'int' ? BigInt(Math.trunc(Number(v))) : t === 'bool' ? Boolean(v) : t === 'float' ? Number(v) : String(v));
  const columnData = () => columns.map((c) => ({ name: c.name, type: TYPE[c.type], data: result.rows.map((r) => cell(r[c.name], c.type)) }));
  row('    the column arrays alone (rows -> columns)', await timeIt(async () => columnData()));
  row("    parquetWriteBuffer, codec 'UNCOMPRESSED'", await timeIt(async () => parquetWriteBuffer({ columnData: columnData(), codec: 'UNCOMPRESSED' })));
  row("    parquetWriteBuffer, codec 'UNCOMPRESSED', statistics: false", await timeIt(async () => parquetWriteBuffer({ columnData: columnData(), codec: 'UNCOMPRESSED', statistics: false })));
  row('  encodeTable csv (comparison)', await timeIt(async () => encodeTable('csv', columns, result.rows)));
}

if (args.includes('--cpu-prof')) {
  const dir = join(work, 'prof');
  cli(['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '100']);
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  const prof = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  const self = new Map();
  const dt = new Map();
  for (let i = 0; i < prof.samples.length; i++) dt.set(prof.samples[i], (dt.get(prof.samples[i]) ?? 0) + (prof.timeDeltas[i] ?? 0));
  for (const node of prof.nodes) {
    const cf = node.callFrame;
    const where = cf.url ? `${cf.url.replace(/^.*\/(dist|node_modules)\//, '$1/').replace(/^node:/, 'node:')}:${cf.lineNumber + 1}` : '';
    const key = `${cf.functionName || '(anonymous)'} ${where}`.trim();
    self.set(key, (self.get(key) ?? 0) + (dt.get(node.id) ?? 0));
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  console.log(`\nCPU profile of the CLI run (main thread; ${(total / 1000).toFixed(0)} ms sampled), top self time:`);
  for (const [key, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${(us / 1000).toFixed(1).padStart(8)} ms  ${key}`);
}
rmSync(work, { recursive: true, force: true });
