/** `audiomill doctor <manifest>`: duplicates and leakage, label issues, outliers, band-limited recordings (docs/doctor.md). */
import type { Command } from 'commander';
import type { DoctorOptions } from '../doctor/run.js';
import { inFlagTerms, parseNumber } from './args.js';
import { stagedProgress } from './explore.js';
import { interruptSignal } from './progress.js';

interface Flags {
  embeddings?: string;
  label?: string;
  splitColumn?: string;
  group?: string;
  labelMethod: string;
  maxBer: string;
  k: string;
  root?: string;
  out: string;
  fix?: string;
  includeErrors?: boolean;
  quiet?: boolean;
}

const FLAGS: Record<string, string> = { manifest: '<manifest>', embeddings: '--embeddings', label: '--label', splitColumn: '--split-column', groupColumn: '--group', labelMethod: '--label-method', method: '--label-method', maxBer: '--max-ber', k: '--k', root: '--root', out: '--out', fix: '--fix' };

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('find duplicates and near-duplicates (and the leakage across splits they cause), label-issue candidates, outliers and band-limited recordings: a Markdown report, doctor.json and the manifest with a column per finding')
    .argument('<manifest>', 'a manifest table from `audiomill manifest`')
    .option('--embeddings <dir>', 'an `audiomill embed` folder for label issues and outliers (default: builtin:logmel-stats, computed in the same pass)')
    .option('--label <column>', 'the class column (default: label, category, class, ... when present)')
    .option('--split-column <column>', 'the split or fold column leakage is judged on (default: split)')
    .option('--group <column>', 'rows sharing this column (e.g. src_file) share a fold in the label-issue probe')
    .option('--label-method <m>', 'probe (logistic regression, grouped out-of-fold) or knn', 'probe')
    .option('--max-ber <x>', 'a near-duplicate: fingerprints differing in at most this share of bits', '0.25')
    .option('--k <n>', 'neighbours of the outlier score', '10')
    .option('--root <dir>', "folder the manifest's paths are relative to (default: from its summary.json)")
    .option('--out <dir>', 'output folder', 'doctor')
    .option('--fix <what>', 'group: also write groups.csv (path, doctor_group): join it to your metadata table and re-split with `audiomill manifest --group doctor_group`')
    .option('--include-errors', 'also examine manifest rows whose had_error is true')
    .option('--quiet', 'no progress; the report still goes to stdout')
    .allowExcessArguments(false)
    .action(async (manifest: string, f: Flags) => {
      if (f.fix !== undefined && f.fix !== 'group') throw new RangeError(`Expected group for --fix but received ${f.fix}`);
      if (f.labelMethod !== 'probe' && f.labelMethod !== 'knn') throw new RangeError(`Expected probe or knn for --label-method but received ${f.labelMethod}`);
      const maxBer = parseNumber(f.maxBer, '--max-ber');
      if (!(maxBer > 0 && maxBer < 0.5)) throw new RangeError(`Expected a number in (0, 0.5) for --max-ber but received ${f.maxBer}`);
      const options: DoctorOptions = {
        manifest,
        out: f.out,
        maxBer,
        k: parseNumber(f.k, '--k', true),
        labelMethod: f.labelMethod,
        ...(f.embeddings ? { embeddings: f.embeddings } : {}),
        ...(f.label ? { label: f.label } : {}),
        ...(f.splitColumn ? { splitColumn: f.splitColumn } : {}),
        ...(f.group ? { groupColumn: f.group } : {}),
        ...(f.root ? { root: f.root } : {}),
        ...(f.fix ? { fix: 'group' as const } : {}),
        ...(f.includeErrors ? { includeErrors: true } : {}),
        ...(f.quiet ? {} : { progress: stagedProgress(process.stderr, 'doctor') }),
      };
      options.signal = interruptSignal(process.stderr, 'doctor');
      const { runDoctor } = await import('../doctor/run.js');
      const r = await runDoctor(options).catch((err: unknown) => {
        throw inFlagTerms(err, FLAGS);
      });
      process.stdout.write(r.report);
      if (!f.quiet) process.stderr.write(`Wrote ${r.files.join(', ')} in ${r.elapsedSeconds.toFixed(1)} s.\n`);
    });
}
