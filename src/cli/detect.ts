/** `audiomill detect <tapes>`: long recordings scanned window by window with a model; one Raven table per tape. */
import type { Command } from 'commander';
import type { DetectTapesOptions } from '../events/detect-run.js';
import { inFlagTerms, parseNumber } from './args.js';
import { interruptSignal, progress } from './progress.js';

interface Flags {
  model: string;
  seqLen: string;
  hop: string;
  threshold: string;
  median?: string;
  minGap?: string;
  minDuration?: string;
  label?: string;
  lowFreq?: string;
  highFreq?: string;
  output?: string;
  activation?: string;
  batchSize?: string;
  filter?: string;
  filterThreshold?: string;
  out: string;
  quiet?: boolean;
}

/** The API option names detectTapes' messages use, and the flags a CLI user typed. */
const FLAGS: Record<string, string> = {
  input: '<tapes>', model: '--model', encoder: '--model', seqLen: '--seq-len', hop: '--hop', threshold: '--threshold', medianFilter: '--median', minGap: '--min-gap',
  minDuration: '--min-duration', label: '--label', lowFreq: '--low-freq', highFreq: '--high-freq', output: '--output', activation: '--activation',
  batchSize: '--batch-size', out: '--out', filter: '--filter', filterThreshold: '--filter-threshold',
};

export function registerDetect(program: Command): void {
  program
    .command('detect')
    .description('scan long recordings window by window with a model and merge the windows above a threshold into selections: one Raven selection table per tape, and index.json')
    .argument('<tapes>', 'a folder of recordings (searched recursively) or one audio file')
    .requiredOption('--model <spec>', "an ONNX classifier or encoder spec (.json; the score is its output column --output), builtin:logmel-stats / builtin:mfcc-stats, or silero (speech probability)")
    .requiredOption('--seq-len <s>', 'window length in seconds (e.g. 0.4)')
    .requiredOption('--hop <s>', 'seconds between window starts (e.g. 0.05)')
    .option('--threshold <p>', 'a window is a hit when its score is at least this', '0.5')
    .option('--median <n>', 'median filter over the window scores first, in windows (odd)')
    .option('--min-gap <s>', 'join selections closer than this')
    .option('--min-duration <s>', 'drop selections shorter than this')
    .option('--label <text>', "each selection's Annotation")
    .option('--low-freq <hz>', "each selection's Low Freq (Hz) (default 0)")
    .option('--high-freq <hz>', "each selection's High Freq (Hz) (default: the model rate's Nyquist frequency)")
    .option('--output <n>', "which output column of the model is the score (default 0)")
    .option('--activation <kind>', 'none or sigmoid (the column holds a logit)')
    .option('--batch-size <n>', 'windows per scorer call (default 256; an ONNX spec splits them into its batchSize)')
    .option('--filter <model>', 'a random-forest filter from filter train: write only the selections it keeps (RF Score column; features in <out>/features)')
    .option('--filter-threshold <p>', "with --filter: the probability a kept selection needs (default: the model's)")
    .requiredOption('--out <dir>', 'output folder: <tape>.Table.1.selections.txt per tape, index.json')
    .option('--quiet', 'no progress or report')
    .allowExcessArguments(false)
    .action(async (input: string, f: Flags) => {
      const n = (v: string | undefined, flag: string, integer = false) => (v === undefined ? undefined : parseNumber(v, flag, integer));
      const options: DetectTapesOptions = {
        input,
        model: f.model,
        seqLen: parseNumber(f.seqLen, '--seq-len'),
        hop: parseNumber(f.hop, '--hop'),
        threshold: parseNumber(f.threshold, '--threshold'),
        out: f.out,
      };
      const opt = { medianFilter: n(f.median, '--median', true), minGap: n(f.minGap, '--min-gap'), minDuration: n(f.minDuration, '--min-duration'), lowFreq: n(f.lowFreq, '--low-freq'), highFreq: n(f.highFreq, '--high-freq'), output: n(f.output, '--output', true), batchSize: n(f.batchSize, '--batch-size', true) };
      for (const [k, v] of Object.entries(opt)) if (v !== undefined) (options as unknown as Record<string, unknown>)[k] = v;
      if (f.label !== undefined) options.label = f.label;
      if (f.activation !== undefined) options.activation = f.activation as 'sigmoid';
      if (f.filter !== undefined) options.filter = f.filter;
      if (f.filterThreshold !== undefined) options.filterThreshold = parseNumber(f.filterThreshold, '--filter-threshold');
      if (!f.quiet) {
        const bar = progress(process.stderr, 'detect', 's of audio');
        options.onProgress = ({ done, total }) => bar({ done: Math.round(done), total: Math.round(total) });
      }
      options.signal = interruptSignal(process.stderr, 'detect');
      const { detectTapes } = await import('../events/detect-run.js'); // loaded by the command that runs it
      const r = await detectTapes(options).catch((err: unknown) => {
        throw inFlagTerms(err, FLAGS);
      });
      if (!f.quiet) {
        process.stderr.write(`\nScanned ${r.tapes.length} ${r.tapes.length === 1 ? 'tape' : 'tapes'} (${(r.seconds / 60).toFixed(1)} min of audio, ${r.windows} windows) in ${r.elapsedSeconds.toFixed(1)} s: ${r.events} selections, written to ${r.out} (index.json lists them).\n`);
      }
    });
}
