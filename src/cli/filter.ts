/** `audiomill filter train` / `filter apply`: the random-forest filter of detected selections. */
import type { Command } from 'commander';
import type { FilterSelectionsOptions, TrainSelectionFilterOptions } from '../events/selection-filter.js';
import { inFlagTerms, parseNumber } from './args.js';
import { interruptSignal, progress } from './progress.js';

interface TrainFlags {
  tables: string;
  tapes: string;
  truth?: string;
  iou?: string;
  mode?: string;
  labelColumn?: string;
  positive?: string;
  nFft?: string;
  hop?: string;
  nMfcc?: string;
  nMels?: string;
  deltas?: string;
  score: boolean;
  trees?: string;
  maxDepth?: string;
  minSamplesLeaf?: string;
  maxFeatures?: string;
  balanced?: boolean;
  seed?: string;
  threshold?: string;
  featuresOut?: string;
  out: string;
  quiet?: boolean;
}

interface ApplyFlags {
  tables: string;
  tapes: string;
  model: string;
  threshold?: string;
  featuresOut?: string;
  features: boolean;
  out: string;
  quiet?: boolean;
}

/** The API option names the filter's messages use, and the flags a CLI user typed. */
const FLAGS: Record<string, string> = {
  tables: '--tables', tapes: '--tapes', truth: '--truth', iou: '--iou', mode: '--mode', labelColumn: '--label-column', positive: '--positive',
  nFft: '--n-fft', hopLength: '--hop', nMfcc: '--n-mfcc', nMels: '--n-mels', deltas: '--deltas', trees: '--trees', maxDepth: '--max-depth',
  minSamplesLeaf: '--min-samples-leaf', maxFeatures: '--max-features', seed: '--seed', threshold: '--threshold', featuresOut: '--features-out',
  model: '--model', out: '--out',
};

function maxFeatures(v: string): 'sqrt' | 'log2' | number | null {
  if (v === 'sqrt' || v === 'log2') return v;
  if (v === 'all') return null;
  return parseNumber(v, '--max-features');
}

export function registerFilter(program: Command): void {
  const filter = program.command('filter').description('a random-forest filter of detected selections: train one from labelled tables, apply it to tables');
  filter
    .command('train')
    .description('measure every selection of a folder of Raven tables on its tape (Raven measurements, MFCC statistics, mean window score), label it, and fit a random forest: one JSON model file')
    .requiredOption('--tables <dir>', "folder of Raven selection tables (e.g. detect's output on training tapes), one per tape")
    .requiredOption('--tapes <dir>', 'folder of the recordings (searched recursively; matched to tables by file name)')
    .option('--truth <dir>', 'label each selection 1 when it matches a truth selection (one to one, by IoU), else 0')
    .option('--iou <x>', 'with --truth: the IoU a match needs (default 0.4)')
    .option('--mode <mode>', "with --truth: 'time' (default) or 'time-frequency'")
    .option('--label-column <name>', "without --truth: the tables' label column (default Annotation)")
    .option('--positive <label>', 'the class the filter keeps (default 1 with --truth; required with a label column)')
    .option('--n-fft <n>', 'spectrogram and MFCC window, in samples (default 2048)')
    .option('--hop <n>', 'samples between frames (default 1024)')
    .option('--n-mfcc <n>', 'MFCC coefficients (default 13)')
    .option('--n-mels <n>', 'mel bands under the MFCC (default 40)')
    .option('--deltas <n>', '0: MFCC only, 1: also deltas, 2: also delta-deltas (default 2)')
    .option('--no-score', "leave out cnn_logit_mean (the tables' Score column)")
    .option('--trees <n>', 'trees (default 100)')
    .option('--max-depth <n>', 'depth limit (default none)')
    .option('--min-samples-leaf <n>', 'rows each leaf keeps at least (default 1)')
    .option('--max-features <k>', 'features searched per split: sqrt (default), log2, all, a count or a fraction')
    .option('--balanced', 'weight the classes by their inverse frequency')
    .option('--seed <n>', 'seed of the bootstrap and feature draws (default 0)')
    .option('--threshold <p>', 'the default probability a kept selection needs (default 0.5)')
    .option('--features-out <dir>', 'also write <table>.features_all.csv per table (features and label)')
    .requiredOption('--out <file>', 'model file to write (JSON)')
    .option('--quiet', 'no progress or report')
    .allowExcessArguments(false)
    .action(async (f: TrainFlags) => {
      const n = (v: string | undefined, flag: string, integer = false) => (v === undefined ? undefined : parseNumber(v, flag, integer));
      const options: TrainSelectionFilterOptions = { tables: f.tables, tapes: f.tapes, out: f.out };
      const numbers = {
        iou: n(f.iou, '--iou'), nFft: n(f.nFft, '--n-fft', true), hopLength: n(f.hop, '--hop', true), nMfcc: n(f.nMfcc, '--n-mfcc', true), nMels: n(f.nMels, '--n-mels', true),
        deltas: n(f.deltas, '--deltas', true), trees: n(f.trees, '--trees', true), maxDepth: n(f.maxDepth, '--max-depth', true),
        minSamplesLeaf: n(f.minSamplesLeaf, '--min-samples-leaf', true), seed: n(f.seed, '--seed', true), threshold: n(f.threshold, '--threshold'),
      };
      for (const [k, v] of Object.entries(numbers)) if (v !== undefined) (options as unknown as Record<string, unknown>)[k] = v;
      if (f.truth !== undefined) options.truth = f.truth;
      if (f.mode !== undefined) options.mode = f.mode as 'time';
      if (f.labelColumn !== undefined) options.labelColumn = f.labelColumn;
      if (f.positive !== undefined) options.positive = f.truth !== undefined && /^[01]$/.test(f.positive) ? Number(f.positive) : f.positive;
      if (f.maxFeatures !== undefined) options.maxFeatures = maxFeatures(f.maxFeatures);
      if (f.balanced) options.classWeight = 'balanced';
      if (!f.score) options.score = false;
      if (f.featuresOut !== undefined) options.featuresOut = f.featuresOut;
      if (!f.quiet) options.onProgress = progress(process.stderr, 'filter train', 'selections');
      options.signal = interruptSignal(process.stderr, 'filter train');
      const { trainSelectionFilter } = await import('../events/selection-filter.js'); // loaded by the command that runs it
      const r = await trainSelectionFilter(options).catch((err: unknown) => {
        throw inFlagTerms(err, FLAGS);
      });
      if (!f.quiet) {
        const classes = r.classes.map((c) => `${String(c.label)}: ${c.count}`).join(', ');
        const top = r.importances.slice(0, 5).map((i) => `${i.feature} ${i.importance.toFixed(3)}`).join(', ');
        process.stderr.write(`\nTrained on ${r.selections} selections from ${r.tapes} tapes (${classes}) in ${r.elapsedSeconds.toFixed(1)} s; wrote ${r.model}.\nMost important: ${top}.\n`);
        if (r.tablesWithoutTape.length > 0) process.stderr.write(`${r.tablesWithoutTape.length} table(s) without a tape were ignored: ${r.tablesWithoutTape.slice(0, 5).join(', ')}.\n`);
        if (r.tapesWithoutTruth.length > 0) process.stderr.write(`Warning: ${r.tapesWithoutTruth.length} tape(s) have no truth table, so all their selections were labelled 0: ${r.tapesWithoutTruth.slice(0, 5).join(', ')}.\n`);
      }
    });
  filter
    .command('apply')
    .description('keep the selections a trained filter finds likely, table by table: the kept selections with an RF Score column, feature dumps, index.json')
    .requiredOption('--tables <dir>', 'folder of Raven selection tables, one per tape')
    .requiredOption('--tapes <dir>', 'folder of the recordings')
    .requiredOption('--model <file>', 'a model file written by filter train')
    .option('--threshold <p>', "keep selections whose probability is at least this (default: the model's)")
    .option('--features-out <dir>', 'where the feature dumps go (default <out>/features)')
    .option('--no-features', 'no feature dumps')
    .requiredOption('--out <dir>', 'output folder: one table per input table (same relative path), index.json')
    .option('--quiet', 'no progress or report')
    .allowExcessArguments(false)
    .action(async (f: ApplyFlags) => {
      const options: FilterSelectionsOptions = { tables: f.tables, tapes: f.tapes, model: f.model, out: f.out };
      if (f.threshold !== undefined) options.threshold = parseNumber(f.threshold, '--threshold');
      if (!f.features) options.featuresOut = null;
      else if (f.featuresOut !== undefined) options.featuresOut = f.featuresOut;
      if (!f.quiet) options.onProgress = progress(process.stderr, 'filter apply', 'selections');
      options.signal = interruptSignal(process.stderr, 'filter apply');
      const { filterSelections } = await import('../events/selection-filter.js'); // loaded by the command that runs it
      const r = await filterSelections(options).catch((err: unknown) => {
        throw inFlagTerms(err, FLAGS);
      });
      if (!f.quiet) {
        process.stderr.write(`\nKept ${r.kept} of ${r.selections} selections (probability >= ${r.threshold}) over ${r.tapes.length} tables in ${r.elapsedSeconds.toFixed(1)} s, written to ${r.out}.\n`);
        if (r.tablesWithoutTape.length > 0) process.stderr.write(`${r.tablesWithoutTape.length} table(s) without a tape were ignored: ${r.tablesWithoutTape.slice(0, 5).join(', ')}.\n`);
      }
    });
}
