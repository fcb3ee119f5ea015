/** `audiomill eval <kind> <embeddings folder>`: evaluations of an `audiomill embed` output. */
import type { Command } from 'commander';
import { inFlagTerms } from './args.js';

interface RetrievalFlags {
  label: string;
  groups?: string;
  k: string;
  out?: string;
  quiet?: boolean;
}

/** The API option names the evaluation's messages use, and the flags a CLI user typed. */
const FLAGS: Record<string, string> = { label: '--label', groups: '--groups', k: '--k', out: '--out', dir: '<embeddings>' };

/** "1,5,10,20" as cut-offs; a RangeError naming --k otherwise. */
export function parseCutoffs(text: string): number[] {
  const parts = text.split(',').map((s) => s.trim());
  const ks = parts.map(Number);
  if (parts.some((p) => p === '') || ks.some((k) => !Number.isInteger(k) || k < 1)) throw new RangeError(`Expected whole numbers >= 1 separated by commas for --k but received "${text}"`);
  return ks;
}

export function registerEval(program: Command): void {
  const evaluate = program.command('eval').description('evaluate embeddings: retrieval (precision@k, mAP, MRR, class distances)');
  evaluate
    .command('retrieval')
    .description('every row queries the others (exact cosine neighbours); same-label rows are relevant: precision@k, recall@k, mAP@k, MRR and the intra- to inter-class distance ratio, per class and overall')
    .argument('<embeddings>', 'an `audiomill embed` output folder (embeddings.npy, index.parquet)')
    .requiredOption('--label <column>', 'the index.parquet column with each row\'s class (a manifest column carried by embed, e.g. category)')
    .option('--groups <column>', 'a column with each row\'s source recording (e.g. src_file): adds a leave-same-group-out report where siblings neither count nor compete')
    .option('--k <list>', 'cut-offs', '1,5,10,20')
    .option('--out <dir>', 'where retrieval.json and retrieval.csv go (default: <embeddings>/eval)')
    .option('--quiet', 'no table on stdout')
    .allowExcessArguments(false)
    .action(async (dir: string, f: RetrievalFlags) => {
      const { evaluateRetrieval } = await import('../eval/retrieval-run.js'); // loaded by the command that runs it
      const r = await evaluateRetrieval({ dir, label: f.label, k: parseCutoffs(f.k), ...(f.groups ? { groups: f.groups } : {}), ...(f.out ? { out: f.out } : {}) }).catch((err: unknown) => {
        throw inFlagTerms(err, FLAGS);
      });
      if (!f.quiet) {
        process.stdout.write(`${r.markdown}\n`);
        if (r.skippedRows > 0) process.stderr.write(`${r.skippedRows} rows without a ${f.label}${f.groups ? ` or ${f.groups}` : ''} were left out.\n`);
        process.stderr.write(`Wrote ${r.files.join(', ')}\n`);
      }
    });
}
