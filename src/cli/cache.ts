/** `audiomill cache <manifest>`: the log-mel tensors of a manifest per split, as .npy and HDF5. */
import type { Command } from 'commander';
import type { Preset } from '../features/spectrogram.js';
import type { CacheFormat, SpectrogramCacheOptions } from '../manifest/spectrogram-cache.js';
import { inFlagTerms, parseNumber } from './args.js';
import { interruptSignal, progress } from './progress.js';

interface Flags {
  out: string;
  root?: string;
  preset: string;
  sampleRate?: string;
  nMels: string;
  nFft?: string;
  hopLength?: string;
  maxFrames?: string;
  padDb: string;
  normalize?: string;
  label?: string;
  labels: boolean;
  format: string;
  png?: boolean;
  pngScale?: string;
  includeErrors?: boolean;
  batchSize?: string;
  threads?: string;
  strict?: boolean;
  quiet?: boolean;
}

/** The API option names buildSpectrogramCache's messages use, and the flags a CLI user typed. */
const FLAGS: Record<string, string> = {
  formats: '--format',
  nMels: '--n-mels',
  nFft: '--n-fft',
  hopLength: '--hop-length',
  sampleRate: '--sample-rate',
  preset: '--preset',
  normalize: '--normalize',
  maxFrames: '--max-frames',
  padDb: '--pad-db',
  label: '--label',
  batchSize: '--batch-size',
  threads: '--threads',
  'png.scale': '--png-scale',
  root: '--root',
  out: '--out',
  manifest: '<manifest>',
};

export function registerCache(program: Command): void {
  program
    .command('cache')
    .description('cache log-mel spectrograms of a manifest per split: [n_samples, n_mels, max_time] float32 as .npy and HDF5, plus labels')
    .argument('<manifest>', 'manifest table (.parquet, .csv, .tsv or .jsonl) from `audiomill manifest`')
    .requiredOption('--out <dir>', 'output folder')
    .option('--root <dir>', "dataset folder the manifest's paths are relative to (default: from the manifest's summary.json)")
    .option('--preset <name>', 'feature preset: torchaudio, librosa, whisper or kaldi', 'torchaudio')
    .option('--sample-rate <hz>', "resample to this rate (default: the preset's)")
    .option('--n-mels <n>', 'mel bands', '64')
    .option('--n-fft <n>', "FFT size (default: the preset's)")
    .option('--hop-length <n>', "hop in samples (default: the preset's)")
    .option('--max-frames <n>', 'frames per clip (max_time); longer clips are cut, shorter padded (default: the longest clip)')
    .option('--pad-db <db>', 'value of padded cells', '-80')
    .option('--normalize <mode>', "'max': each clip relative to its loudest cell (0 dB peak); default none")
    .option('--label <column>', 'label column (default: the first of label, category, class, target)')
    .option('--no-labels', 'store no labels (all -1)')
    .option('--format <list>', 'files per split: npy, h5 or npy,h5', 'npy,h5')
    .option('--png', 'also write a magma PNG thumbnail per clip under <out>/png/<split>/ (colour scale per clip: its loudest cell down to 80 dB below)')
    .option('--png-scale <n>', 'pixels per cell of the thumbnails', '1')
    .option('--include-errors', 'also try rows whose had_error is true')
    .option('--batch-size <n>', 'clips decoded and transformed per batch', '32')
    .option('--threads <n>', 'threads for the transforms (default: all cores)')
    .option('--strict', 'exit with code 2 when any row was skipped')
    .option('--quiet', 'no progress or report')
    .action(async (manifest: string, f: Flags) => {
      const formats = f.format.split(',').map((s) => s.trim()) as CacheFormat[];
      const options: SpectrogramCacheOptions = {
        manifest,
        out: f.out,
        formats,
        features: {
          preset: f.preset as Preset,
          nMels: parseNumber(f.nMels, '--n-mels', true),
          ...(f.sampleRate ? { sampleRate: parseNumber(f.sampleRate, '--sample-rate', true) } : {}),
          ...(f.nFft ? { nFft: parseNumber(f.nFft, '--n-fft', true) } : {}),
          ...(f.hopLength ? { hopLength: parseNumber(f.hopLength, '--hop-length', true) } : {}),
        },
        padDb: parseNumber(f.padDb, '--pad-db'),
        batchSize: parseNumber(f.batchSize ?? '32', '--batch-size', true),
        ...(f.root ? { root: f.root } : {}),
        ...(f.normalize ? { normalize: (f.normalize === 'none' ? null : f.normalize) as 'max' | null } : {}),
        ...(f.maxFrames ? { maxFrames: parseNumber(f.maxFrames, '--max-frames', true) } : {}),
        ...(f.labels === false ? { label: null } : f.label ? { label: f.label } : {}),
        ...(f.png ? { png: { scale: parseNumber(f.pngScale ?? '1', '--png-scale', true) } } : {}),
        ...(f.includeErrors ? { includeErrors: true } : {}),
        ...(f.threads ? { threads: parseNumber(f.threads, '--threads', true) } : {}),
        ...(f.quiet ? {} : { onProgress: progress(process.stderr, 'cache', 'clips') }),
      };
      options.signal = interruptSignal(process.stderr, 'cache');
      const { buildSpectrogramCache } = await import('../manifest/spectrogram-cache.js'); // loaded by the command that runs it
      const result = await buildSpectrogramCache(options).catch((err: unknown) => {
        throw inFlagTerms(err, FLAGS);
      });
      if (!f.quiet) process.stderr.write(`${result.report}\n`);
      if (f.strict && result.skipped.length > 0) process.exitCode = 2;
    });
}
