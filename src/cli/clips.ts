/** `audiomill clips`: training clips from tapes and their Raven selection tables, with mined noise and a seeded split. */
import type { Command } from 'commander';
import type { BuildClipsOptions } from '../events/training-clips.js';
import { parseSplitSpec } from '../manifest/splits.js';
import { inFlagTerms, parseNumber } from './args.js';
import { interruptSignal, progress } from './progress.js';

interface Flags {
  tapes: string;
  tables: string;
  seqLen: string;
  margin?: string;
  noiseRatio?: string;
  split: string;
  splitBy: string;
  seed: string;
  sampleRate?: string;
  spectrograms?: boolean;
  labelColumn?: string;
  out: string;
  quiet?: boolean;
}

/** The API option names buildClips' messages use, and the flags a CLI user typed. */
const FLAGS: Record<string, string> = {
  tapes: '--tapes', tables: '--tables', seqLen: '--seq-len', marginS: '--margin', noiseRatio: '--noise-ratio', ratios: '--split', splitBy: '--split-by',
  seed: '--seed', sampleRate: '--sample-rate', out: '--out', group: '--split-by',
};

export function registerClips(program: Command): void {
  program
    .command('clips')
    .description('training clips from tapes and Raven selection tables: every selection cut to --seq-len, noise clips mined away from the selections, a seeded train/val/test split; WAVs, CSV lists, a Raven table per clip, index.json')
    .requiredOption('--tapes <dir>', 'folder of recordings (searched recursively; matched to tables by file name)')
    .requiredOption('--tables <dir>', 'folder of Raven selection tables, one per tape')
    .requiredOption('--seq-len <s>', 'clip length in seconds (e.g. 0.4)')
    .option('--margin <s>', 'noise clips stay this far from every selection (default 0.1)')
    .option('--noise-ratio <r>', 'noise clips per target clip, tape by tape (default 1)')
    .option('--split <spec>', 'split names and shares', 'train=0.7,val=0.15,test=0.15')
    .option('--split-by <unit>', 'tape (no tape in two splits) or clip', 'tape')
    .option('--seed <n>', 'seed of the split and of the noise placement', '42')
    .option('--sample-rate <hz>', "resample the clips (default: each tape's rate)")
    .option('--spectrograms', 'also write a log-mel PNG per clip')
    .option('--label-column <name>', "the tables' label column (default Annotation)")
    .requiredOption('--out <dir>', 'output folder')
    .option('--quiet', 'no progress or report')
    .allowExcessArguments(false)
    .action(async (f: Flags) => {
      const options: BuildClipsOptions = {
        tapes: f.tapes,
        tables: f.tables,
        out: f.out,
        seqLen: parseNumber(f.seqLen, '--seq-len'),
        ratios: parseSplitSpec(f.split, '--split'),
        splitBy: f.splitBy as 'tape',
        seed: parseNumber(f.seed, '--seed', true),
        ...(f.margin === undefined ? {} : { marginS: parseNumber(f.margin, '--margin') }),
        ...(f.noiseRatio === undefined ? {} : { noiseRatio: parseNumber(f.noiseRatio, '--noise-ratio') }),
        ...(f.sampleRate === undefined ? {} : { sampleRate: parseNumber(f.sampleRate, '--sample-rate', true) }),
        ...(f.spectrograms ? { spectrograms: true } : {}),
        ...(f.labelColumn ? { labelColumn: f.labelColumn } : {}),
        ...(f.quiet ? {} : { onProgress: progress(process.stderr, 'clips', 'clips') }),
      };
      options.signal = interruptSignal(process.stderr, 'clips');
      const { buildClips } = await import('../events/training-clips.js'); // loaded by the command that runs it
      const r = await buildClips(options).catch((err: unknown) => {
        throw inFlagTerms(err, FLAGS);
      });
      if (!f.quiet) {
        const parts = Object.entries(r.counts).map(([s, c]) => `${s} ${c.target} + ${c.noise} noise`);
        process.stderr.write(`\nWrote ${r.clips.length} clips from ${r.tapes.length} tapes to ${r.out}: ${parts.join(', ')}.\n`);
        const short = r.tapes.filter((t) => t.noiseShortfall > 0);
        if (short.length > 0) process.stderr.write(`${short.length} tape(s) had no room for every noise clip asked for: ${short.map((t) => `${t.tape} (${t.noiseShortfall} short)`).slice(0, 5).join(', ')}.\n`);
        if (r.tapesWithoutTable.length > 0) process.stderr.write(`${r.tapesWithoutTable.length} tape(s) without a table were left out: ${r.tapesWithoutTable.slice(0, 5).join(', ')}.\n`);
        if (r.tablesWithoutTape.length > 0) process.stderr.write(`${r.tablesWithoutTape.length} table(s) without a tape were ignored: ${r.tablesWithoutTape.slice(0, 5).join(', ')}.\n`);
        const c = r.checks;
        if (c.noiseOverlaps + c.noiseDuplicates + c.noiseNearSelections > 0) process.stderr.write(`Warning: noise check: ${c.noiseOverlaps} overlapping, ${c.noiseDuplicates} duplicate, ${c.noiseNearSelections} near a selection.\n`);
      }
    });
}
