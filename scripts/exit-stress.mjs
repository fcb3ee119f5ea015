#!/usr/bin/env node
// Exit/terminate stress test: many fresh processes, each exiting or terminating a Worker at a random
// moment while one kind of async work is pending (transforms, batches, decoding, every WASM decoder at once, resampling,
// statistics, spectral features, search, memory-mapped index load, Raven measurements).
// Passes when no process aborts, prints to stderr, or exits with another status than asked.
//   node scripts/exit-stress.mjs [--count 300] [--concurrency 4] [--seed 1] [--max-delay 300]
// Used by tests/native/exit-stress.test.ts, and by scripts/test-asan.sh against an AddressSanitizer
// build of the addon (AUDIOMILL_ADDON=<that .node>, LD_PRELOAD=<libasan>: children inherit both).
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const child = join(root, 'tests', 'native', 'fixtures', 'exit-child.cjs');
export const KINDS = ['transform', 'batch', 'decode', 'codecs', 'resample', 'stats', 'spectral', 'search', 'mapfile', 'raven', 'files'];
export const MODES = ['exit', 'terminate'];

function wav16(samples, rate) {
  const b = Buffer.alloc(44 + samples.length * 2);
  b.write('RIFF', 0);
  b.writeUInt32LE(36 + samples.length * 2, 4);
  b.write('WAVEfmt ', 8);
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20);
  b.writeUInt16LE(1, 22);
  b.writeUInt32LE(rate, 24);
  b.writeUInt32LE(rate * 2, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36);
  b.writeUInt32LE(samples.length * 2, 40);
  samples.forEach((v, i) => b.writeInt16LE(Math.round(v * 32767), 44 + 2 * i));
  return b;
}

function rng(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

async function prepare(dir, am) {
  const rand = rng(5);
  writeFileSync(join(dir, 'noise.wav'), wav16(Array.from({ length: 16000 * 5 }, () => rand() - 0.5), 16000));
  copyFileSync(join(root, 'tests', 'audio', 'fixtures', 'shared', '198-209-0000.ogg'), join(dir, 'clip.ogg'));
  for (const [from, to] of [['stereo_opus.opus', 'clip.opus'], ['stereo_lame.mp3', 'clip.mp3'], ['stereo_pcm_16.flac', 'clip.flac']])
    copyFileSync(join(root, 'tests', 'audio', 'fixtures', 'files', from), join(dir, to));
  const ix = new am.VectorIndex({ dim: 64 });
  const rows = Float32Array.from({ length: 2000 * 64 }, () => rand() - 0.5);
  ix.addSync(rows);
  await ix.save(join(dir, 'index.amvi'));
}

function runOne(args, env) {
  return new Promise((done) => {
    const p = spawn(process.execPath, [child, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    p.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => p.kill('SIGKILL'), 30_000);
    p.on('close', (status, signal) => {
      clearTimeout(timer);
      done({ status, signal, stderr });
    });
  });
}

/** Runs the stress test; resolves to { runs, failures: [{ kind, mode, delay, code, status, signal, stderr }] }. */
export async function runExitStress({ count = 300, concurrency = 4, seed = 1, maxDelay = 300, kinds = KINDS } = {}) {
  const { createRequire } = await import('node:module');
  const am = createRequire(import.meta.url)(root);
  const dir = mkdtempSync(join(tmpdir(), 'audiomill-exit-stress-'));
  try {
    await prepare(dir, am);
    const env = process.env;
    const rand = rng(seed);
    const jobs = Array.from({ length: count }, (_, i) => ({
      kind: kinds[i % kinds.length],
      mode: MODES[Math.floor(i / kinds.length) % MODES.length],
      delay: Math.floor(rand() * maxDelay),
      code: Math.floor(rand() * 4),
    }));
    const failures = [];
    let next = 0;
    const lane = async () => {
      while (next < jobs.length) {
        const j = jobs[next++];
        const r = await runOne([root, j.kind, j.mode, String(j.delay), String(j.code), dir], env);
        if (r.signal !== null || r.status !== j.code || r.stderr !== '') failures.push({ ...j, ...r });
      }
    };
    await Promise.all(Array.from({ length: concurrency }, lane));
    return { runs: jobs.length, failures };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const opt = (name, fallback) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const t0 = Date.now();
  const { runs, failures } = await runExitStress({
    count: opt('count', 300), concurrency: opt('concurrency', 4), seed: opt('seed', 1), maxDelay: opt('max-delay', 300),
  });
  for (const f of failures.slice(0, 10)) {
    console.error(`FAIL ${f.kind}/${f.mode} delay ${f.delay} ms: status ${f.status} (asked ${f.code}), signal ${f.signal}\n${f.stderr.slice(0, 400)}`);
  }
  console.log(`exit stress: ${runs} processes, ${failures.length} failed, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  process.exit(failures.length ? 1 : 0);
}
