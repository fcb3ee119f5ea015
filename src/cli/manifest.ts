/** `audiomill manifest <dir>`: the dataset table (statistics, QC flags, metadata, splits). */
import type { Command } from 'commander';
import { buildManifest, type ManifestOptions } from '../manifest/build.js';
import { parseSplitSpec } from '../manifest/splits.js';
import { rangeError } from '../validate.js';
import { parseDuration, parseNumber } from './args.js';
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
  noStats?: boolean;
  stats: boolean;
  hash?: boolean;
  concurrency?: string;
  strict?: boolean;
  quiet?: boolean;
}

export function registerManifest(program: Command): void {
  program
    .command('manifest')
    .description('build (or update) a manifest of a dataset folder: file facts, acoustic statistics, QC flags, metadata and splits')
    .argument('<dir>', 'dataset folder')
    .requiredOption('--out <path...>', 'output table(s): .parquet, .csv, .tsv or .jsonl (format from the extension)')
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
    .option('--include <glob...>', 'only files matching these globs (relative to <dir>)')
    .option('--exclude <glob...>', 'skip files matching these globs')
    .option('--no-stats', 'file facts only: do not decode')
    .option('--hash', 'also detect changed files by a SHA-256 of their bytes')
    .option('--concurrency <n>', 'files in flight at once', '8')
    .option('--strict', 'exit with code 2 when any file had an error or was truncated')
    .option('--quiet', 'no progress or summary')
    .action(async (dir: string, f: Flags) => {
      if (f.segment && f.segments) throw rangeError('either --segment or --segments, not both', '--segments', f.segments);
      const options: ManifestOptions = {
        root: dir,
        out: f.out,
        stats: f.stats,
        concurrency: parseNumber(f.concurrency ?? '8', '--concurrency', true),
        ...(f.sampleRate ? { sampleRate: parseNumber(f.sampleRate, '--sample-rate', true) } : {}),
        ...(f.metadata ? { metadata: { path: f.metadata, joinOn: f.join } } : {}),
        ...(f.segment ? { segments: { length: parseDuration(f.segment, '--segment'), ...(f.hop ? { hop: parseDuration(f.hop, '--hop') } : {}) } } : {}),
        ...(f.segments ? { segments: { path: f.segments } } : {}),
        ...(f.include ? { include: f.include } : {}),
        ...(f.exclude ? { exclude: f.exclude } : {}),
        ...(f.hash ? { hash: true } : {}),
        ...(f.quiet ? {} : { onProgress: progress(process.stderr, 'manifest', 'files') }),
      };
      if (f.folds) {
        options.splits = { foldColumn: f.folds, ...(f.testFold ? { test: f.testFold } : {}), ...(f.valFold ? { val: f.valFold } : {}), ...(f.group ? { group: f.group } : {}) };
      } else if (f.split) {
        options.splits = { ratios: parseSplitSpec(f.split), seed: parseNumber(f.seed, '--seed', true), ...(f.stratify ? { stratify: f.stratify } : {}), ...(f.group ? { group: f.group } : {}) };
      }
      options.signal = interruptSignal(process.stderr, 'manifest');
      const result = await buildManifest(options);
      if (!f.quiet) process.stderr.write(`${result.report}\n`);
      if (f.strict && (result.summary.errors > 0 || (result.summary.flags.truncated?.count ?? 0) > 0)) process.exitCode = 2;
    });
}
