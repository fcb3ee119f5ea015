#!/usr/bin/env node
/**
 * The shared benchmark signal: 60 s of deterministic audio (fixed-seed PRNG)
 * at 16 kHz, 22.05 kHz and 44.1 kHz, written as raw float32 little-endian to
 * bench/results/tmp/signal_<rate>.f32 so the JS and Python contenders read the
 * very same samples.
 *
 * Content (per rate, all frequencies scale with nothing but the rate's Nyquist):
 *   - an exponential chirp 40 Hz -> 0.45 * rate, restarted every 15 s;
 *   - three tones (220 Hz, 1234.5 Hz, 3150 Hz) with slow amplitude modulation;
 *   - Gaussian noise whose level changes every 250 ms (random, -46..-26 dBFS);
 *   - one 250 ms stretch of digital silence at 30 s (exercises the log floor).
 * The mix is normalised to a 0.9 peak.
 *
 * Usage: node bench/signal.mjs [--seconds 60] [--out bench/results/tmp]
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { endianness } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const TMP_DIR = join(BENCH_DIR, 'results', 'tmp');
export const RATES = [16000, 22050, 44100];
export const SECONDS = 60;
export const SEED = 0x5eed_a0d1;

/** xorshift32 state stepped through a 32-bit multiply-xorshift output mix; returns [0, 1). */
export function makeRng(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    let z = Math.imul(s ^ (s >>> 16), 0x7feb352d) >>> 0;
    z = Math.imul(z ^ (z >>> 15), 0x846ca68b) >>> 0;
    z = (z ^ (z >>> 16)) >>> 0;
    return z / 4294967296;
  };
}

/** Standard normal deviates from a uniform source (Box-Muller, both outputs used). */
function makeGauss(rng) {
  let spare = null;
  return () => {
    if (spare !== null) {
      const v = spare;
      spare = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = rng();
    const r = Math.sqrt(-2 * Math.log(u));
    const th = 2 * Math.PI * rng();
    spare = r * Math.sin(th);
    return r * Math.cos(th);
  };
}

/** The test signal at `rate` Hz, `seconds` long, as a Float32Array. */
export function generateSignal(rate, seconds = SECONDS, seed = SEED) {
  const n = Math.round(rate * seconds);
  const rng = makeRng(seed ^ rate);
  const gauss = makeGauss(rng);
  const y = new Float64Array(n);

  // Exponential chirp, restarted every `seg` seconds.
  const seg = 15;
  const f0 = 40;
  const f1 = 0.45 * rate;
  const lnk = Math.log(f1 / f0);
  // Tones with slow AM.
  const tones = [
    { f: 220, a: 0.12, am: 0.31, ph: 2 * Math.PI * rng() },
    { f: 1234.5, a: 0.08, am: 0.17, ph: 2 * Math.PI * rng() },
    { f: 3150, a: 0.05, am: 0.53, ph: 2 * Math.PI * rng() },
  ];
  // Noise level per 250 ms block.
  const block = Math.round(rate * 0.25);
  const nBlocks = Math.ceil(n / block);
  const levels = new Float64Array(nBlocks);
  for (let b = 0; b < nBlocks; b++) levels[b] = 10 ** ((-46 + 20 * rng()) / 20);

  for (let i = 0; i < n; i++) {
    const t = i / rate;
    const tc = t % seg;
    const chirpPhase = ((2 * Math.PI * f0 * seg) / lnk) * (Math.exp((lnk * tc) / seg) - 1);
    let v = 0.25 * Math.sin(chirpPhase);
    for (const tone of tones) {
      const env = 0.6 + 0.4 * Math.sin(2 * Math.PI * tone.am * t);
      v += tone.a * env * Math.sin(2 * Math.PI * tone.f * t + tone.ph);
    }
    v += levels[(i / block) | 0] * gauss();
    y[i] = v;
  }
  // Digital silence: 250 ms at 30 s.
  const s0 = Math.round(rate * Math.min(30, seconds / 2));
  y.fill(0, s0, Math.min(n, s0 + block));

  let peak = 0;
  for (let i = 0; i < n; i++) peak = Math.max(peak, Math.abs(y[i]));
  const g = peak > 0 ? 0.9 / peak : 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = y[i] * g;
  return out;
}

export function signalPath(rate, dir = TMP_DIR) {
  return join(dir, `signal_${rate}.f32`);
}

/** Writes a Float32Array as raw float32 little-endian. */
export function writeF32(path, x) {
  if (endianness() === 'LE') {
    writeFileSync(path, Buffer.from(x.buffer, x.byteOffset, x.byteLength));
    return;
  }
  const buf = Buffer.alloc(x.length * 4);
  for (let i = 0; i < x.length; i++) buf.writeFloatLE(x[i], i * 4);
  writeFileSync(path, buf);
}

/** Reads raw float32 little-endian into a fresh (aligned) Float32Array. */
export function readF32(path) {
  const buf = readFileSync(path);
  const out = new Float32Array(buf.length / 4);
  if (endianness() === 'LE') {
    new Uint8Array(out.buffer).set(buf);
    return out;
  }
  for (let i = 0; i < out.length; i++) out[i] = buf.readFloatLE(i * 4);
  return out;
}

export function sha256(path) {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Generates every signal file; returns [{ rate, path, samples, seconds, sha256 }]. */
export function writeSignals({ seconds = SECONDS, dir = TMP_DIR } = {}) {
  mkdirSync(dir, { recursive: true });
  return RATES.map((rate) => {
    const x = generateSignal(rate, seconds);
    const path = signalPath(rate, dir);
    writeF32(path, x);
    return { rate, path, samples: x.length, seconds: x.length / rate, sha256: sha256(path) };
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (name, def) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : def;
  };
  const seconds = Number(opt('--seconds', SECONDS));
  const dir = resolve(opt('--out', TMP_DIR));
  for (const s of writeSignals({ seconds, dir })) {
    console.log(`${s.path}  ${s.samples} samples (${s.seconds} s at ${s.rate} Hz)  sha256 ${s.sha256.slice(0, 16)}`);
  }
  if (!existsSync(dir)) process.exitCode = 1;
}
