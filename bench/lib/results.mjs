/**
 * What the dataset benchmarks (bench/manifest.mjs, bench/embed.mjs) share: timing a child process, the hook that
 * makes a node child report its peak RSS and CPU time, the summary of repeated runs, and writing a dated results
 * file and the latest report.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { BENCH_DIR, TMP_DIR } from '../signal.mjs';
import { median } from './stats.mjs';

/** The fields every results file starts with: date, machine, Node, --quick, and the load average before and now. */
export function runInfo(quick, loadBefore) {
  return { date: new Date().toISOString(), machine: `${os.cpus()[0].model} x${os.cpus().length}`, node: process.version, quick, loadBefore, loadAfter: os.loadavg().map((x) => x.toFixed(2)) };
}

/** Runs a command to completion: wall ms, stdout, stderr (a non-zero exit throws with stderr). */
export function timed(cmd, args, env = {}) {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 26 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return { ms, stdout: r.stdout, stderr: r.stderr };
}

/** A --require hook that prints `RSS_MB <peak> CPU_S <user + system>` to stderr when a node child exits. */
export function rssHook() {
  const hook = join(TMP_DIR, 'rss-hook.cjs');
  mkdirSync(TMP_DIR, { recursive: true });
  writeFileSync(
    hook,
    "process.on('exit', () => { const u = process.resourceUsage(); process.stderr.write(`\\nRSS_MB ${(u.maxRSS / 1024).toFixed(1)} CPU_S ${((u.userCPUTime + u.systemCPUTime) / 1e6).toFixed(3)}\\n`); });\n",
  );
  return hook;
}

/** The peak RSS (MB) and CPU seconds a child printed through rssHook(). */
export function rssOf(stderr) {
  const m = /RSS_MB ([0-9.]+) CPU_S ([0-9.]+)/.exec(stderr);
  return { peakRssMB: Number(m?.[1]), cpuS: Number(m?.[2]) };
}

/**
 * Repeated runs of one command ({ ms, cpuS?, peakRssMB? } each) summed up: the median wall time and its range
 * (best, worst); when every run reports them, the median CPU seconds and the largest peak RSS.
 */
export function summarizeRuns(runs) {
  const ms = runs.map((x) => x.ms);
  const out = { ms: median(ms), best: Math.min(...ms), worst: Math.max(...ms) };
  if (runs.every((x) => x.cpuS !== undefined)) out.cpuS = median(runs.map((x) => x.cpuS));
  if (runs.every((x) => x.peakRssMB !== undefined)) out.peakRssMB = Math.max(...runs.map((x) => x.peakRssMB));
  return out;
}

/**
 * Writes results/<date>-<kind>-<cpu>-<n>c.json (a second run of one day gets -2, -3, ...: a dated entry of
 * docs/performance.md may cite the first) or, for a --quick run, results/tmp/quick-* only, so it never replaces
 * the published figures. Returns the folder and the file name.
 */
export function writeResults(kind, results, quick) {
  const slug = (results.machine.split(' x')[0].toLowerCase().match(/intel|amd|epyc|xeon|arm|apple/g) ?? ['cpu']).join('-');
  const dest = quick ? TMP_DIR : join(BENCH_DIR, 'results');
  mkdirSync(dest, { recursive: true });
  const stem = `${quick ? 'quick-' : ''}${results.date.slice(0, 10)}-${kind}-${slug}-${os.cpus().length}c`;
  let name = `${stem}.json`;
  for (let k = 2; !quick && existsSync(join(dest, name)); k++) name = `${stem}-${k}.json`;
  writeFileSync(join(dest, name), JSON.stringify(results, null, 2) + '\n');
  return { dest, name };
}

/**
 * Writes the markdown report <dest>/<kind>-latest.md (quick-<kind>-latest.md for a --quick run): a heading,
 * `### <title> (<machine>, Node <version>, <date>[, --quick])`, then the `body` lines. Returns the text.
 */
export function writeReport(dest, kind, title, results, body) {
  const text = [`### ${title} (${results.machine}, Node ${results.node}, ${results.date.slice(0, 10)}${results.quick ? ', --quick' : ''})`, '', ...body].join('\n');
  writeFileSync(join(dest, `${results.quick ? 'quick-' : ''}${kind}-latest.md`), text);
  return text;
}

/** "1.23 s (1.10-1.40)": a median and its range, in seconds. */
export function secondsRange(x) {
  return `${(x.ms / 1000).toFixed(2)} s${x.best !== undefined && x.best !== x.worst ? ` (${(x.best / 1000).toFixed(2)}-${(x.worst / 1000).toFixed(2)})` : ''}`;
}
