/** `audiomill eval <kind> <embeddings folder>`: evaluations of an `audiomill embed` output. */
import type { Command } from 'commander';
import { inFlagTerms, parseNumber } from './args.js';

interface RetrievalFlags {
  label: string;
  groups?: string;
  k: string;
  out?: string;
  quiet?: boolean;
}

interface ProbeFlags {
  target: string[];
  model?: string;
  alphas?: string;
  C?: string;
  cv: string;
  groups?: string;
  seed?: string;
  standardize: boolean;
  out?: string;
  quiet?: boolean;
}

/** The API option names the evaluations' messages use, and the flags a CLI user typed. */
const FLAGS: Record<string, string> = { truth: '--truth', pred: '--pred', iou: '--iou', mode: '--mode', matching: '--matching', perTapeOut: '--per-tape-out', label: '--label', groups: '--groups', k: '--k', out: '--out', dir: '<embeddings>', targets: '--target', model: '--model', alphas: '--alphas', C: '--C', cv: '--cv', seed: '--seed' };

/** "0.1,1,10" as numbers; a RangeError naming the flag otherwise. */
function parseList(text: string, flag: string): number[] {
  const parts = text.split(',').map((s) => s.trim());
  const xs = parts.map(Number);
  if (parts.some((p) => p === '') || xs.some((x) => !Number.isFinite(x))) throw new RangeError(`Expected numbers separated by commas for ${flag} but received "${text}"`);
  return xs;
}

/** "1,5,10,20" as cut-offs; a RangeError naming --k otherwise. */
export function parseCutoffs(text: string): number[] {
  const parts = text.split(',').map((s) => s.trim());
  const ks = parts.map(Number);
  if (parts.some((p) => p === '') || ks.some((k) => !Number.isInteger(k) || k < 1)) throw new RangeError(`Expected whole numbers >= 1 separated by commas for --k but received "${text}"`);
  return ks;
}

interface DetectFlags {
  truth: string;
  pred: string[];
  layer: string;
  iou: string;
  mode: string;
  matching: string;
  byLabel?: boolean;
  labelColumn?: string;
  out?: string;
  perTapeOut?: string;
  quiet?: boolean;
}

export function registerEval(program: Command): void {
  const evaluate = program
    .command('eval')
    .description('evaluate embeddings (linear probes, retrieval) and detections (events matched to truth tables per tape)');
  evaluate
    .command('probe')
    .description('cross-validated linear probe of the embeddings: ridge regression for numeric targets (R²), logistic regression for labels (accuracy, balanced accuracy, macro F1, ROC AUC); per-fold, mean ± std and pooled scores')
    .argument('<embeddings>', 'an `audiomill embed` output folder (embeddings.npy, index.parquet)')
    .requiredOption('--target <column>', 'an index.parquet column to predict (repeat for several: one probe each)', (v: string, prev: string[] | undefined) => [...(prev ?? []), ...v.split(',')])
    .option('--model <kind>', 'ridge or logistic (default: ridge for a column of numbers, logistic otherwise)')
    .option('--alphas <list>', 'ridge penalties: one, or several for RidgeCV to choose among inside each training fold (default 1)')
    .option('--C <value>', 'logistic regression inverse penalty (default 1)')
    .option('--cv <folds>', "kfold:<k> (stratified for logistic; by group with --groups), logo (leave one group out), or a column with each row's test fold (e.g. fold)", 'kfold:5')
    .option('--groups <column>', 'a column with each row\'s group (e.g. src_file or performer): no group straddles a split')
    .option('--seed <n>', 'shuffle the k-fold rows first, with this seed (scikit-learn\'s random_state)')
    .option('--no-standardize', 'do not standardise each fold\'s features on its training rows')
    .option('--out <dir>', 'where probe.json and probe.csv go (default: <embeddings>/eval)')
    .option('--quiet', 'no table on stdout')
    .allowExcessArguments(false)
    .action(async (dir: string, f: ProbeFlags) => {
      const { evaluateProbe } = await import('../eval/probe-run.js'); // loaded by the command that runs it
      const r = await evaluateProbe({
        dir,
        targets: f.target,
        cv: f.cv,
        standardize: f.standardize,
        ...(f.model ? { model: f.model as 'ridge' } : {}),
        ...(f.alphas ? { alphas: parseList(f.alphas, '--alphas') } : {}),
        ...(f.C ? { C: parseList(f.C, '--C')[0]! } : {}),
        ...(f.groups ? { groups: f.groups } : {}),
        ...(f.seed !== undefined ? { seed: parseList(f.seed, '--seed')[0]! } : {}),
        ...(f.out ? { out: f.out } : {}),
      }).catch((err: unknown) => {
        throw inFlagTerms(err, FLAGS);
      });
      if (!f.quiet) {
        process.stdout.write(`${r.markdown}\n`);
        for (const t of r.results) if (t.skippedRows > 0) process.stderr.write(`${t.target}: ${t.skippedRows} rows without a value were left out.\n`);
        process.stderr.write(`Wrote ${r.files.join(', ')}\n`);
      }
    });
  evaluate
    .command('detect')
    .description('match detection tables to truth tables tape by tape (Raven selection tables, one per tape, matched by file name): TP, FP, FN, precision, recall and F1 overall and per tape, one row per detection layer')
    .requiredOption('--truth <dir>', 'folder of truth tables (<tape>.Table.1.selections.txt, <tape>.selections.txt or <tape>.txt)')
    .requiredOption('--pred <dir>', 'folder of detection tables; repeat for several layers (e.g. the detector\'s and the filtered tables), each named by its folder, or name=dir', (v: string, prev: string[] | undefined) => [...(prev ?? []), v])
    .option('--layer <name>', 'which layers to evaluate: all (or both) or one folder name', 'all')
    .option('--iou <t>', 'a pair matches when its IoU is at least this', '0.4')
    .option('--mode <mode>', 'time (IoU of the intervals) or time-frequency (of the boxes)', 'time')
    .option('--matching <kind>', 'optimal (most pairs, then largest total IoU) or greedy', 'optimal')
    .option('--by-label', 'match only selections with the same label')
    .option('--label-column <name>', "the tables' label column (default Annotation)")
    .option('--out <file>', 'overall rows as CSV (layer, iou, tapes, tp, fp, fn, precision, recall, f1)')
    .option('--per-tape-out <file>', 'per-tape rows as CSV (layer, tape, truth_events, pred_events, tp, fp, fn, precision, recall, f1)')
    .option('--quiet', 'no table on stdout')
    .allowExcessArguments(false)
    .action(async (f: DetectFlags) => {
      const { evaluateDetections, layerName } = await import('../events/evaluate-detections.js'); // loaded by the command that runs it
      // `name=dir` names a layer; a bare folder is named by its folder's name.
      const layers = f.pred.map((p) => {
        const m = /^([^=/\\]+)=(.+)$/.exec(p);
        return m ? { name: m[1]!, dir: m[2]! } : { name: layerName(p), dir: p };
      });
      const layerNames = layers.map((l) => l.name);
      const pred = f.layer === 'all' || f.layer === 'both' ? layers : layers.filter((l) => l.name === f.layer);
      if (pred.length === 0) throw new RangeError(`Expected all, both or one of ${layerNames.map((n) => `'${n}'`).join(', ')} for --layer but received "${f.layer}"`);
      const r = await evaluateDetections({
        truth: f.truth,
        pred,
        iou: parseNumber(f.iou, '--iou'),
        mode: f.mode as 'time',
        matching: f.matching as 'optimal',
        byLabel: f.byLabel === true,
        ...(f.labelColumn ? { labelColumn: f.labelColumn } : {}),
        ...(f.out ? { out: f.out } : {}),
        ...(f.perTapeOut ? { perTapeOut: f.perTapeOut } : {}),
      }).catch((err: unknown) => {
        throw inFlagTerms(err, FLAGS);
      });
      if (!f.quiet) {
        const lines = ['| layer | tapes | TP | FP | FN | precision | recall | F1 |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |'];
        for (const o of r.overall) lines.push(`| ${o.layer} | ${o.tapes} | ${o.tp} | ${o.fp} | ${o.fn} | ${o.precision.toFixed(3)} | ${o.recall.toFixed(3)} | ${o.f1.toFixed(3)} |`);
        process.stdout.write(`${lines.join('\n')}\n`);
        for (const [layer, tapes] of Object.entries(r.tapesWithoutTruth)) {
          if (tapes.length > 0) process.stderr.write(`${layer}: ${tapes.length} tape(s) without a truth table (their detections count as false positives): ${tapes.slice(0, 5).join(', ')}${tapes.length > 5 ? ', …' : ''}\n`);
        }
        for (const [layer, tapes] of Object.entries(r.tapesWithoutDetections)) {
          if (tapes.length > 0) process.stderr.write(`${layer}: ${tapes.length} tape(s) without a detection table (their truths count as misses): ${tapes.slice(0, 5).join(', ')}${tapes.length > 5 ? ', …' : ''}\n`);
        }
        if (r.files.length > 0) process.stderr.write(`Wrote ${r.files.join(', ')}\n`);
      }
    });
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
