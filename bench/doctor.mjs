#!/usr/bin/env node
/**
 * Dataset doctor benchmark (`npm run bench:doctor`). See bench/README.md.
 *
 * A corpus of 2,000 five-second clips at 22.05 kHz in 10 classes, 5 folds, made here with planted problems:
 * - the clips: three classes from the real CC recordings shipped in assets/demo (speech, a robin, a trumpet: random
 *   excerpts, pitch-shifted by a random ratio in [0.75, 1.33], looped with gaps), seven synthetic ones (chirps up and
 *   down, harmonic tones, AM tones, band-passed noise bursts, click trains, FM warbles) with random continuous
 *   parameters; every clip over a full-band noise floor 30-55 dB down;
 * - 100 near-duplicates of random clips, each in another fold: re-encoded (MP3 64-128 kb/s by lame, Ogg Vorbis
 *   q 1-5 by oggenc), resampled (sox, to 16 or 44.1 kHz), gain-changed (±3-12 dB) or shifted (50-500 ms), one
 *   or two of these;
 * - 5 % flipped labels (100 clips, not among the duplicates);
 * - 20 clips made at 8, 11.025 or 16 kHz and upsampled to 22.05 kHz by sox.
 * Needs Debian's sox, lame and vorbis-tools. Then `audiomill manifest --folds fold` and `audiomill doctor
 * --split-column fold` (built-in encoder), each a fresh process on 2 threads, and the scores: duplicates recall
 * and precision (pairs), the share of flipped labels in the top 10 % of the label-issue ranking, upsampled recall
 * and precision.
 *
 *   node bench/doctor.mjs [--quick] [--clips N] [--seconds S]   (--quick: 500 clips; duplicates N / 20, upsampled
 *                                                             N / 100, flipped N / 20; --clips 50000 --seconds 1:
 *                                                             the scale run, 1.1 GB of audio)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { join } from 'node:path';
import { BENCH_DIR, TMP_DIR } from './signal.mjs';
import { rssHook, rssOf, runInfo, timed, writeReport, writeResults } from './lib/results.mjs';

const require = createRequire(import.meta.url);
const QUICK = process.argv.includes('--quick');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const ROOT = join(BENCH_DIR, '..');
const CLI = join(ROOT, 'dist', 'cjs', 'cli', 'main.js');
const am = require(join(ROOT, 'dist', 'cjs', 'index.js'));
const N = arg('--clips', QUICK ? 500 : 2000), DUPS = Math.round(N / 20), UP = Math.round(N / 100), FLIP = Math.round(0.05 * N);
const RATE = 22050, SECONDS = arg('--seconds', 5);
const ENV = { AUDIOMILL_NUM_THREADS: '2' };
const log = (...a) => console.error(...a);
const work = join(TMP_DIR, `doctor-${N}-${SECONDS}s`);
const audio = join(work, 'audio');

let seed = 20261205;
const rnd = () => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed / 2 ** 32;
};
const between = (a, b) => a + (b - a) * rnd();
const pick = (xs) => xs[Math.floor(rnd() * xs.length)];

const CLASSES = ['speech', 'bird', 'trumpet', 'chirp_up', 'chirp_down', 'harmonic', 'am_tone', 'noise_bursts', 'clicks', 'fm_warble'];

async function sources() {
  const load = async (f) => (await am.loadAudio(join(ROOT, 'assets', 'demo', f), { mono: true, sampleRate: RATE })).channels[0];
  return { speech: await load('198-209-0000.ogg'), bird: await load('456440__inspectorj__bird-whistling-robin-single-13.ogg'), trumpet: await load('sorohanro_-_solo-trumpet-06.ogg') };
}

/** One clip of `cls` at `rate`: the class's events over a full-band noise floor. */
function clip(cls, src, rate) {
  const n = SECONDS * rate;
  const x = new Float32Array(n);
  if (src[cls]) {
    const s = src[cls], ratio = between(0.75, 1.33), piece = Math.round(between(0.8, 2.5) * RATE);
    let at = Math.floor(rnd() * 0.5 * rate);
    while (at < n) {
      const start = Math.floor(rnd() * Math.max(1, s.length - piece));
      const len = Math.floor((piece * rate) / RATE / ratio);
      const g = between(0.5, 1);
      for (let i = 0; i < len && at + i < n; i++) {
        const p = start + (i * ratio * RATE) / rate, k = Math.floor(p), f = p - k;
        x[at + i] += g * ((s[k] ?? 0) * (1 - f) + (s[k + 1] ?? 0) * f);
      }
      at += len + Math.floor(between(0.1, 0.6) * rate);
    }
  } else {
    const events = 2 + Math.floor(rnd() * 4);
    for (let e = 0; e < events; e++) {
      const t0 = Math.floor(rnd() * (n - 0.2 * rate)), len = Math.floor(between(0.2, 1.2) * rate), f0 = between(200, 3000), g = between(0.1, 0.4);
      let phase = 0, sub = 0;
      for (let i = 0; i < len && t0 + i < n; i++) {
        const t = i / rate, env = Math.sin((Math.PI * i) / len);
        let v = 0;
        if (cls === 'chirp_up' || cls === 'chirp_down') {
          const f = cls === 'chirp_up' ? f0 * (1 + 2 * (i / len)) : f0 * (3 - 2 * (i / len));
          phase += (2 * Math.PI * f) / rate;
          v = Math.sin(phase);
        } else if (cls === 'harmonic') for (let h = 1; h <= 5; h++) v += Math.sin(2 * Math.PI * f0 * h * t) / h;
        else if (cls === 'am_tone') v = Math.sin(2 * Math.PI * f0 * t) * (0.5 + 0.5 * Math.sin(2 * Math.PI * between(4, 12) * t));
        else if (cls === 'noise_bursts') {
          sub = 0.9 * sub + (rnd() - 0.5); // low-passed noise
          v = sub * 0.6;
        } else if (cls === 'clicks') v = i % Math.floor(rate / between(20, 80)) === 0 ? 1 : 0;
        else {
          phase += (2 * Math.PI * f0 * (1 + 0.05 * Math.sin(2 * Math.PI * 6 * t))) / rate;
          v = Math.sin(phase);
        }
        x[t0 + i] += g * env * v;
      }
    }
  }
  const floor = 10 ** (between(-55, -30) / 20);
  for (let i = 0; i < n; i++) x[i] = Math.max(-1, Math.min(1, x[i] + floor * (rnd() * 2 - 1)));
  return x;
}

const sh = (cmd, args) => execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });

async function makeCorpus() {
  if (existsSync(join(work, 'truth.json'))) return JSON.parse(readFileSync(join(work, 'truth.json'), 'utf8'));
  rmSync(work, { recursive: true, force: true });
  mkdirSync(audio, { recursive: true });
  const src = await sources();
  const rows = [];
  const upsampled = new Set();
  for (let i = 0; i < N - DUPS; i++) {
    const cls = CLASSES[i % CLASSES.length], name = `c${String(i).padStart(5, '0')}.wav`;
    const fold = 1 + Math.floor(rnd() * 5);
    if (upsampled.size < UP && i % Math.floor((N - DUPS) / UP) === 7) {
      const low = pick([8000, 11025, 16000]);
      writeFileSync(join(work, 'low.wav'), am.encodeWav([clip(cls, src, low)], low));
      sh('sox', [join(work, 'low.wav'), '-r', String(RATE), join(audio, name)]);
      upsampled.add(name);
    } else writeFileSync(join(audio, name), am.encodeWav([clip(cls, src, RATE)], RATE));
    rows.push({ filename: name, label: cls, true_label: cls, fold });
  }
  const families = [];
  for (let d = 0; d < DUPS; d++) {
    const orig = rows[Math.floor(rnd() * (N - DUPS))];
    const steps = [];
    let file = join(audio, orig.filename);
    const tmp = (ext) => join(work, `t${steps.length}.${ext}`);
    for (const t of rnd() < 0.5 ? [pick(['mp3', 'ogg', 'rate', 'gain', 'shift'])] : [pick(['mp3', 'ogg', 'rate']), pick(['gain', 'shift'])]) {
      if (t === 'mp3') {
        const out = tmp('mp3');
        sh('lame', ['--quiet', '-b', String(pick([64, 96, 128])), file, out]);
        sh('sox', [out, tmp('wav')]);
        steps.push('mp3');
      } else if (t === 'ogg') {
        const out = tmp('ogg');
        sh('oggenc', ['-Q', '-q', String(pick([1, 3, 5])), file, '-o', out]);
        sh('sox', [out, tmp('wav')]);
        steps.push('ogg');
      } else if (t === 'rate') {
        sh('sox', [file, '-r', String(pick([16000, 44100])), tmp('wav')]);
        steps.push('resample');
      } else if (t === 'gain') {
        const db = (rnd() < 0.5 ? -1 : 1) * between(3, 12);
        sh('sox', [file, tmp('wav'), 'gain', '-l', db.toFixed(1)]);
        steps.push(`gain ${db.toFixed(1)} dB`);
      } else {
        const s = between(0.05, 0.5);
        sh('sox', [file, tmp('wav'), 'trim', s.toFixed(3), 'pad', '0', s.toFixed(3)]);
        steps.push(`shift ${Math.round(s * 1000)} ms`);
      }
      file = join(work, `t${steps.length - 1}.wav`);
    }
    const name = `d${String(d).padStart(4, '0')}.wav`;
    sh('sox', [file, join(audio, name)]);
    const fold = 1 + ((orig.fold - 1 + 1 + Math.floor(rnd() * 4)) % 5); // another fold
    rows.push({ filename: name, label: orig.label, true_label: orig.label, fold });
    families.push({ original: orig.filename, copy: name, steps });
  }
  // Flipped labels, among the clips that are not duplicates' sources or copies.
  const touched = new Set(families.flatMap((f) => [f.original, f.copy]));
  const flipped = [];
  while (flipped.length < FLIP) {
    const r = rows[Math.floor(rnd() * rows.length)];
    if (touched.has(r.filename) || flipped.includes(r.filename)) continue;
    r.label = pick(CLASSES.filter((c) => c !== r.true_label));
    flipped.push(r.filename);
  }
  writeFileSync(join(work, 'meta.csv'), ['filename,label,true_label,fold', ...rows.map((r) => `${r.filename},${r.label},${r.true_label},${r.fold}`)].join('\n') + '\n');
  const truth = { families, flipped, upsampled: [...upsampled] };
  writeFileSync(join(work, 'truth.json'), JSON.stringify(truth, null, 2));
  return truth;
}

async function main() {
  const loadBefore = os.loadavg().map((x) => x.toFixed(2));
  log(`doctor benchmark: ${N} clips in ${work}`);
  const t0 = performance.now();
  const truth = await makeCorpus();
  log(`corpus: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const manifest = join(work, 'manifest.parquet');
  for (const f of ['manifest.parquet', 'manifest.summary.json', '.manifest.parquet.audiomill-cache.journal']) rmSync(join(work, f), { force: true });
  const m = timed(process.execPath, [CLI, 'manifest', audio, '--metadata', join(work, 'meta.csv'), '--folds', 'fold', '--out', manifest, '--quiet'], ENV);
  const hook = rssHook();
  const out = join(work, 'doctor');
  const d = timed(process.execPath, ['--require', hook, CLI, 'doctor', manifest, '--split-column', 'fold', '--out', out, '--quiet'], ENV);
  const rss = rssOf(d.stderr);
  const t = (await am.readTable(join(out, 'manifest.doctor.parquet'))).rows;
  const at = new Map(t.map((r, i) => [String(r.path), i]));
  const json = JSON.parse(readFileSync(join(out, 'doctor.json'), 'utf8'));
  // Duplicates: planted pairs in one group; reported pairs within one planted family.
  const family = new Map();
  truth.families.forEach((f, k) => {
    for (const x of [f.original, f.copy]) family.set(x, [...(family.get(x) ?? []), k]);
  });
  const sameFamily = (p) => {
    const a = family.get(String(t[p.a].path)) ?? [], b = family.get(String(t[p.b].path)) ?? [];
    // Two copies of one original are duplicates of each other too.
    return a.some((k) => b.some((m) => k === m || truth.families[k].original === truth.families[m].original));
  };
  const found = truth.families.filter((f) => t[at.get(f.original)].duplicate_group !== null && t[at.get(f.original)].duplicate_group === t[at.get(f.copy)].duplicate_group).length;
  const pairs = json.duplicates.pairs;
  const correct = pairs.filter((p) => sameFamily(p)).length;
  const missed = truth.families.filter((f) => !(t[at.get(f.original)].duplicate_group !== null && t[at.get(f.original)].duplicate_group === t[at.get(f.copy)].duplicate_group)).map((f) => f.steps.join(' + '));
  const wrongPairs = pairs.filter((p) => !sameFamily(p)).slice(0, 10).map((p) => `${t[p.a].path}~${t[p.b].path} ber ${p.ber.toFixed(3)}`);
  // Flipped labels: their share in the top 10 % of the ranking.
  const ranked = json.labelIssues.ranked.map((r) => r.path);
  const top = new Set(ranked.slice(0, Math.round(0.1 * N)));
  const flippedTop = truth.flipped.filter((f) => top.has(f)).length;
  // Upsampled: recall over the planted ones; precision over the flags, where copies that went through a codec or a
  // resampler are band-limited too (an MP3's low-pass, 16 kHz's 8-kHz edge) and count as right.
  const flagged = t.filter((r) => r.band_limited === true).map((r) => String(r.path));
  const upHit = truth.upsampled.filter((u) => flagged.includes(u)).length;
  const lowPassed = new Set([...truth.upsampled, ...truth.families.filter((f) => f.steps.some((s) => /^(mp3|ogg|resample)/.test(s))).map((f) => f.copy)]);
  const rightFlags = flagged.filter((f) => lowPassed.has(f)).length;
  const results = {
    ...runInfo(QUICK, loadBefore),
    clips: N,
    seconds: SECONDS,
    manifestMs: m.ms,
    doctorMs: d.ms,
    peakRssMB: rss.peakRssMB,
    duplicates: { planted: truth.families.length, found, recall: found / truth.families.length, reportedPairs: pairs.length, correctPairs: correct, precision: pairs.length ? correct / pairs.length : 1, missed, wrongPairs },
    labels: { flipped: truth.flipped.length, inTop10: flippedTop, share: flippedTop / truth.flipped.length, method: json.settings.labelMethod, warnings: json.warnings },
    upsampled: { planted: truth.upsampled.length, flagged: flagged.length, found: upHit, recall: upHit / truth.upsampled.length, rightFlags, precision: flagged.length ? rightFlags / flagged.length : 1, flaggedWrong: flagged.filter((f) => !lowPassed.has(f)) },
  };
  const { dest, name } = writeResults(N === 2000 && SECONDS === 5 ? 'doctor' : `doctor-${N}x${SECONDS}s`, results, QUICK);
  log(`wrote ${join(dest, name)}`);
  const r = results;
  const text = writeReport(dest, N === 2000 && SECONDS === 5 ? 'doctor' : `doctor-${N}x${SECONDS}s`, 'Dataset doctor', results, [
    `Load average before ${r.loadBefore.join(' / ')}, after ${r.loadAfter.join(' / ')}. 2 threads; each command a fresh process.`,
    '',
    `${N} clips of ${SECONDS} s at 22.05 kHz (10 classes, 5 folds) with planted problems (bench/doctor.mjs).`,
    '',
    '| measure | result | target |',
    '| --- | ---: | ---: |',
    `| \`audiomill doctor --split-column fold\` (built-in encoder), wall | ${(r.doctorMs / 1000).toFixed(1)} s, peak RSS ${r.peakRssMB.toFixed(0)} MB | under 15 s for 2,000 |`,
    `| (\`audiomill manifest\` before it) | ${(r.manifestMs / 1000).toFixed(1)} s | |`,
    `| near-duplicates: planted pairs found (recall) | ${r.duplicates.found} / ${r.duplicates.planted} = ${r.duplicates.recall.toFixed(3)} | ≥ 0.95 |`,
    `| near-duplicates: reported pairs that are planted (precision) | ${r.duplicates.correctPairs} / ${r.duplicates.reportedPairs} = ${r.duplicates.precision.toFixed(3)} | ≥ 0.95 |`,
    `| flipped labels in the top 10 % of the ranking (${r.labels.method}) | ${r.labels.inTop10} / ${r.labels.flipped} = ${r.labels.share.toFixed(3)} | ≥ 0.6 |`,
    `| upsampled clips flagged band-limited (recall) | ${r.upsampled.found} / ${r.upsampled.planted} = ${r.upsampled.recall.toFixed(3)} | |`,
    `| band-limited flags on clips upsampled or through a codec / resampler (precision) | ${r.upsampled.rightFlags} / ${r.upsampled.flagged} = ${r.upsampled.precision.toFixed(3)} | |`,
    '',
    r.duplicates.missed.length ? `Missed duplicates (their transformations): ${r.duplicates.missed.join('; ')}.` : 'No planted duplicate was missed.',
    r.duplicates.wrongPairs.length ? `Pairs reported outside the planted families (first 10): ${r.duplicates.wrongPairs.join('; ')}.` : 'No pair was reported outside the planted families.',
    `Band-limited flags on other clips: ${r.upsampled.flaggedWrong.join(', ') || 'none'}.`,
  ]);
  log(text);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
