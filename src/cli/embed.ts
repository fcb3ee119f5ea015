/** `audiomill embed <manifest | folder>`: one embedding per clip or segment, with a built-in or ONNX encoder, cached. */
import { statSync } from 'node:fs';
import type { Command } from 'commander';
import type { EmbedDatasetOptions, EmbedDatasetResult } from '../embed/dataset.js';
import type { Pooling } from '../models/pooling.js';
import { ioError } from '../errors.js';
import { inFlagTerms, parseNumber } from './args.js';
import { interruptSignal, progress } from './progress.js';

interface Flags {
  model: string;
  out: string;
  pool?: string;
  l2?: boolean;
  frames?: boolean;
  root?: string;
  batchSize: string;
  includeErrors?: boolean;
  strict?: boolean;
  quiet?: boolean;
}

/** The API option names embedDataset's messages use, and the flags a CLI user typed. */
const FLAGS: Record<string, string> = { encoder: '--model', pooling: '--pool', batchSize: '--batch-size', out: '--out', root: '--root', manifest: '<input>' };

/** The report a run prints. */
export function embedReport(r: EmbedDatasetResult): string {
  const lines = [`Embedded ${r.rows} rows with ${r.encoder} (${r.pooling} pooling, ${r.dim} values each) into ${r.out} in ${r.elapsedSeconds.toFixed(1)} s: ${r.computed} computed, ${r.reused} from the cache.`];
  if (r.failed.length > 0) {
    lines.push(`${r.failed.length} ${r.failed.length === 1 ? 'row' : 'rows'} could not be embedded (left out; all of them in config.json, "failed"):`);
    for (const f of r.failed.slice(0, 5)) lines.push(`  ${f.path}${f.start_time > 0 || f.end_time !== null ? ` [${f.start_time}-${f.end_time ?? 'end'} s]` : ''}: ${f.error}`);
  }
  if (r.skipped.length > 0) lines.push(`${r.skipped.length} manifest rows skipped (had_error; --include-errors tries them).`);
  for (const w of r.warnings) lines.push(`Warning: ${w}`);
  return lines.join('\n');
}

export function registerEmbed(program: Command): void {
  program
    .command('embed')
    .description('one embedding per clip (or manifest segment) with a built-in or ONNX encoder: embeddings.npy, index.parquet, config.json; cached, so a second run is instant')
    .argument('<input>', 'a manifest table (.parquet, .csv, .tsv or .jsonl) from `audiomill manifest`, or a folder of audio files')
    .requiredOption('--model <spec>', 'an ONNX encoder spec (.json, see docs/models.md) or builtin:logmel-stats / builtin:mfcc-stats')
    .requiredOption('--out <dir>', 'output folder')
    .option('--pool <mode>', "pooling of the frame embeddings: mean, max, mean+std, cls or frame (default: the encoder's)")
    .option('--l2', 'L2-normalise each embedding')
    .option('--frames', 'also write the frame (timestamp) embeddings: frames/embeddings.npy [sum T, d], frames/timestamps.npy (ms), located by index.parquet frame_offset / frame_count')
    .option('--root <dir>', "dataset folder the manifest's paths are relative to (default: from the manifest's summary.json)")
    .option('--batch-size <n>', 'clips per encoder call', '16')
    .option('--include-errors', 'also try manifest rows whose had_error is true')
    .option('--strict', 'exit with code 2 when any row could not be embedded')
    .option('--quiet', 'no progress or report')
    .allowExcessArguments(false)
    .action(async (input: string, f: Flags) => {
      // The input: a folder, or a manifest table (whose extension readTable checks).
      let isDir: boolean;
      try {
        isDir = statSync(input).isDirectory();
      } catch (err) {
        throw ioError('read the input', input, err);
      }
      const options: EmbedDatasetOptions = {
        ...(isDir ? { dir: input } : { manifest: input }),
        encoder: f.model,
        out: f.out,
        batchSize: parseNumber(f.batchSize, '--batch-size', true),
        ...(f.pool ? { pooling: f.pool as Pooling } : {}),
        ...(f.l2 ? { l2: true } : {}),
        ...(f.frames ? { frames: true } : {}),
        ...(f.root ? { root: f.root } : {}),
        ...(f.includeErrors ? { includeErrors: true } : {}),
        ...(f.quiet ? {} : { onProgress: progress(process.stderr, 'embed', 'clips') }),
      };
      options.signal = interruptSignal(process.stderr, 'embed');
      const { embedDataset } = await import('../embed/dataset.js'); // loaded by the command that runs it
      const result = await embedDataset(options).catch((err: unknown) => {
        throw inFlagTerms(err, FLAGS);
      });
      if (!f.quiet) process.stderr.write(`${embedReport(result)}\n`);
      if (f.strict && result.failed.length > 0) process.exitCode = 2;
    });
}
