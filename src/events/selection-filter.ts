/**
 * The random-forest filter of detected selections (the seed workflow's RF post-processing): `trainSelectionFilter`
 * labels the selections of a folder of Raven tables (by matching them against truth tables, or from a label
 * column), measures them on their tapes (`selectionFeatures`) and fits a `RandomForestClassifier`, saved as one JSON
 * file that also holds the feature settings; `filterSelections` (and `audiomill detect --filter`) keeps the
 * selections whose probability of the positive class reaches a threshold, with an `RF Score` column, and dumps
 * every table's features as CSV. Definitions: docs/events.md, "Random-forest filter".
 */
import { isAbsolute, join, relative, resolve } from 'node:path';
import { audiomillVersion } from '../dsp/runtime.js';
import { AudiomillError } from '../errors.js';
import { RandomForestClassifier, type ClassLabel, type RandomForestOptions } from '../forest/random-forest.js';
import { makeFolderFor, writeFileAtomic } from '../io/atomic.js';
import { readRavenTable, writeRavenTable, type RavenTable, type RavenTableRow } from '../io/raven-table.js';
import type { IouMode } from './iou.js';
import { num, rangeError, typeError } from '../validate.js';
import { matchEvents } from './match.js';
import { featuresCsv, resolveFeatureOptions, selectionFeatureNames, selectionFeatures, type ResolvedFeatureOptions, type SelectionFeatureOptions } from './selection-features.js';
import { listTables, previousTables, removeStaleTables, tapesByName } from './tape-tables.js';

/** What a filter model file keeps beside the forest (its `meta`). */
export interface SelectionFilterMeta {
  kind: 'selection-filter';
  /** The class a selection must be likely to belong to, to be kept. */
  positive: ClassLabel;
  /** The default threshold on that probability. */
  threshold: number;
  /** The feature settings the forest was trained with (applied again when filtering). */
  features: ResolvedFeatureOptions;
  /** How the training selections were labelled. */
  labels: { truth: string; iou: number; mode: IouMode } | { labelColumn: string };
}

export interface TrainSelectionFilterOptions extends SelectionFeatureOptions, Omit<RandomForestOptions, 'featureNames'> {
  /** Folder of Raven selection tables (e.g. `detect`'s output on training tapes), one per tape, subfolders included. */
  tables: string;
  /** Folder of the tapes (searched recursively; a table names its tape by file name). */
  tapes: string;
  /** Folder of truth tables: a selection matched one-to-one to a truth selection at `iou` is class 1, any other 0. */
  truth?: string;
  /** With `truth`: the IoU a match needs (default 0.4) and its mode (default 'time'). */
  iou?: number;
  mode?: IouMode;
  /** Without `truth`: the column holding each selection's class (default 'Annotation'). */
  labelColumn?: string;
  /** The class the filter keeps (default 1 with `truth`; required with a label column). */
  positive?: ClassLabel;
  /** The default threshold stored in the model (default 0.5). */
  threshold?: number;
  /** Model file to write (JSON). */
  out: string;
  /** Folder for one `<table>.features_all.csv` per table (features and label). */
  featuresOut?: string;
  /** Called as tapes are measured: selections done and in all. */
  onProgress?: (p: { done: number; total: number }) => void;
  signal?: AbortSignal;
}

export interface TrainSelectionFilterResult {
  model: string;
  tapes: number;
  selections: number;
  /** Selections per class. */
  classes: { label: ClassLabel; count: number }[];
  /** The features by mean decrease in impurity, most important first. */
  importances: { feature: string; importance: number }[];
  /** Tables whose tape is not in `tapes` (skipped). */
  tablesWithoutTape: string[];
  /** With `truth`: tapes without a truth table, whose selections were all labelled 0 (check the names if unexpected). */
  tapesWithoutTruth: string[];
  files: string[];
  elapsedSeconds: number;
}

function checkFolder(value: unknown, option: string): string {
  if (typeof value !== 'string' || value === '') throw typeError('a folder', option, value);
  return value;
}

/** The tables of `dir` whose tape is in `tapes` (read), and those without one. */
async function pairedTables(tablesDir: string, tapesDir: string, labelColumn?: string) {
  const tables = await listTables(tablesDir, 'tables');
  const tapes = await tapesByName(tapesDir);
  const paired: { tape: string; audio: string; table: string; rows: RavenTable['rows'] }[] = [];
  const without: string[] = [];
  for (const [tape, table] of tables) {
    const audio = tapes.get(tape);
    if (!audio) {
      without.push(table);
      continue;
    }
    paired.push({ tape, audio, table, rows: (await readRavenTable(join(tablesDir, table), labelColumn === undefined ? {} : { labelColumn })).rows });
  }
  if (paired.length === 0) throw new AudiomillError('IO', `No table in ${tablesDir} names a tape in ${tapesDir} (tables are matched by the tape's file name)`, { path: tablesDir });
  return { paired, without };
}

async function writeText(path: string, text: string): Promise<void> {
  await makeFolderFor(path);
  await writeFileAtomic(path, text);
}

const FOREST_OPTIONS = ['trees', 'maxDepth', 'minSamplesSplit', 'minSamplesLeaf', 'maxFeatures', 'bootstrap', 'classWeight', 'seed', 'threads'] as const;

export const featuresFile = (table: string): string => `${table.replace(/\.txt$/i, '')}.features_all.csv`;

/** Labels, measures and fits (see {@link TrainSelectionFilterOptions}); writes the model file. */
export async function trainSelectionFilter(options: TrainSelectionFilterOptions): Promise<TrainSelectionFilterResult> {
  if (options === null || typeof options !== 'object') throw typeError('an options object { tables, tapes, out }', 'options', options);
  const t0 = performance.now();
  checkFolder(options.tables, 'tables');
  checkFolder(options.tapes, 'tapes');
  if (typeof options.out !== 'string' || options.out === '') throw typeError('a model file path', 'out', options.out);
  const features = resolveFeatureOptions(options);
  const threshold = num(options.threshold ?? 0.5, 'threshold', { min: 0, max: 1 });
  const iou = num(options.iou ?? 0.4, 'iou', { min: 0, max: 1, exclusiveMin: true });
  const mode = options.mode ?? 'time';
  if (mode !== 'time' && mode !== 'time-frequency') throw typeError("'time' or 'time-frequency'", 'mode', mode);
  const labelColumn = options.labelColumn ?? 'Annotation';
  if (options.truth !== undefined) checkFolder(options.truth, 'truth');
  if (options.truth === undefined && options.positive === undefined) throw typeError('the class the filter keeps (with labels from a column)', 'positive', options.positive);

  const { paired, without } = await pairedTables(options.tables, options.tapes, options.truth === undefined ? labelColumn : undefined);
  // Labels per selection.
  const labels = new Map<string, ClassLabel[]>();
  const tapesWithoutTruth: string[] = [];
  if (options.truth !== undefined) {
    const truthTables = await listTables(options.truth, 'truth');
    const truth = new Map<string, RavenTable['rows']>();
    for (const [tape, table] of truthTables) truth.set(tape, (await readRavenTable(join(options.truth, table))).rows);
    for (const p of paired) if (!truth.has(p.tape)) tapesWithoutTruth.push(p.tape);
    const m = matchEvents(new Map(paired.map((p) => [p.tape, p.rows])), new Map(paired.map((p) => [p.tape, truth.get(p.tape) ?? []])), { iou, mode });
    for (const p of paired) labels.set(p.tape, p.rows.map(() => 0));
    for (const pair of m.pairs) labels.get(pair.file)![pair.detection] = 1;
  } else {
    for (const p of paired) {
      labels.set(p.tape, p.rows.map((r) => {
        if (r.label === undefined || r.label === '') throw new AudiomillError('DECODE_CORRUPT', `Selection ${r.selection} of ${join(options.tables, p.table)} has no ${labelColumn}`, { path: join(options.tables, p.table) });
        return r.label;
      }));
    }
  }
  const positive = options.positive ?? 1;

  const names = selectionFeatureNames(features);
  const x: number[][] = [];
  const y: ClassLabel[] = [];
  const files: string[] = [];
  const total = paired.reduce((s, p) => s + p.rows.length, 0);
  let done = 0;
  for (const p of paired) {
    const rows = await selectionFeatures(p.audio, p.rows, features, options.signal);
    const l = labels.get(p.tape)!;
    x.push(...rows);
    y.push(...l);
    if (options.featuresOut !== undefined) {
      const file = join(options.featuresOut, featuresFile(p.table));
      await writeText(file, featuresCsv(names, p.rows, rows, { label: l }));
      files.push(file);
    }
    done += p.rows.length;
    options.onProgress?.({ done, total });
  }
  if (x.length === 0) throw new AudiomillError('EMPTY', `The tables in ${options.tables} hold no selections`, { path: options.tables });
  const counts = new Map<ClassLabel, number>();
  for (const v of y) counts.set(v, (counts.get(v) ?? 0) + 1);
  if (!counts.has(positive)) {
    throw new AudiomillError('INVALID_ARGUMENT', `No selection is of the positive class ${JSON.stringify(positive)} (classes: ${[...counts.keys()].map((k) => JSON.stringify(k)).join(', ')})`, { path: options.tables });
  }
  if (counts.size < 2) throw new AudiomillError('INVALID_ARGUMENT', `All ${x.length} selections are of class ${JSON.stringify(positive)}: a filter needs examples of what to drop too`, { path: options.tables });

  const forestOptions: RandomForestOptions = { featureNames: names };
  for (const k of FOREST_OPTIONS) if (options[k] !== undefined) (forestOptions as Record<string, unknown>)[k] = options[k];
  const forest = await RandomForestClassifier.fit(x, y, forestOptions);
  const meta: SelectionFilterMeta = {
    kind: 'selection-filter',
    positive,
    threshold,
    features,
    labels: options.truth !== undefined ? { truth: options.truth, iou, mode } : { labelColumn },
  };
  await makeFolderFor(options.out);
  await forest.save(options.out, { ...meta });
  files.unshift(options.out);
  const importances = names.map((feature, k) => ({ feature, importance: forest.featureImportances[k]! })).sort((a, b) => b.importance - a.importance);
  return {
    model: options.out,
    tapes: paired.length,
    selections: x.length,
    classes: [...counts].map(([label, count]) => ({ label, count })).sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0)),
    importances,
    tablesWithoutTape: without,
    tapesWithoutTruth,
    files,
    elapsedSeconds: (performance.now() - t0) / 1000,
  };
}

/** A loaded selection filter: the forest and its settings. */
export interface SelectionFilter {
  forest: RandomForestClassifier;
  meta: SelectionFilterMeta;
  /** Column of the positive class in predictProba's rows. */
  column: number;
}

/** Opens a filter model (a path or a forest trained by {@link trainSelectionFilter}) and checks its settings. */
export async function openSelectionFilter(model: string | RandomForestClassifier): Promise<SelectionFilter> {
  const forest = typeof model === 'string' ? await RandomForestClassifier.load(model) : model;
  if (!(forest instanceof RandomForestClassifier)) throw typeError('a model file path or a RandomForestClassifier', 'model', model);
  const path = typeof model === 'string' ? model : undefined;
  const fail = (why: string): never => {
    throw new AudiomillError('MODEL_INPUT', `Not a selection filter${path ? ` (${path})` : ''}: ${why}`, path === undefined ? {} : { path });
  };
  const meta = forest.meta as Partial<SelectionFilterMeta>;
  if (meta.kind !== 'selection-filter' || meta.features === undefined) fail('the forest was not trained by `filter train` / trainSelectionFilter (no feature settings)');
  let features: ResolvedFeatureOptions;
  try {
    features = resolveFeatureOptions(meta.features);
  } catch (err) {
    return fail(`its feature settings are invalid (${(err as Error).message})`);
  }
  const names = selectionFeatureNames(features);
  if (names.join('\n') !== forest.featureNames.join('\n')) fail('its feature names are not those its settings give');
  const column = forest.classes.indexOf(meta.positive as ClassLabel);
  if (column < 0) fail(`its positive class ${JSON.stringify(meta.positive)} is not one of its classes`);
  const threshold = typeof meta.threshold === 'number' && meta.threshold >= 0 && meta.threshold <= 1 ? meta.threshold : 0.5;
  return { forest, meta: { ...(meta as SelectionFilterMeta), features, threshold }, column };
}

/**
 * One tape's selections through the filter: their features (dumped as CSV to `dump`, with `rf_score` and `kept`,
 * unless null), and the rows kept, each with its `RF Score` column.
 */
export async function filterTape(filter: SelectionFilter, tape: string, rows: readonly RavenTableRow[], threshold: number, dump: string | null, signal?: AbortSignal): Promise<RavenTableRow[]> {
  const features = await selectionFeatures(tape, rows, filter.meta.features, signal);
  let probability: number[] = [];
  if (features.length > 0) {
    const p = await filter.forest.predictProba(features);
    const k = filter.forest.classes.length;
    probability = features.map((_, i) => p[i * k + filter.column]!);
  }
  if (dump !== null) await writeText(dump, featuresCsv(filter.forest.featureNames, rows, features, { rf_score: probability, kept: probability.map((v) => v >= threshold) }));
  return rows.flatMap((r, i) => (probability[i]! >= threshold ? [{ ...r, extra: { ...(r.extra ?? {}), 'RF Score': probability[i]! } }] : []));
}

export interface FilterSelectionsOptions {
  /** Folder of Raven selection tables (e.g. `detect`'s output), one per tape, subfolders included. */
  tables: string;
  /** Folder of the tapes. */
  tapes: string;
  /** A model file written by `filter train`, or a loaded forest. */
  model: string | RandomForestClassifier;
  /** Output folder: the kept selections, one table per input table (same relative path), and index.json. */
  out: string;
  /** Keep selections whose probability of the positive class is at least this (default: the model's, 0.5). */
  threshold?: number;
  /** Folder of the feature dumps (default `<out>/features`; null: none). */
  featuresOut?: string | null;
  onProgress?: (p: { done: number; total: number }) => void;
  signal?: AbortSignal;
}

export interface FilteredTable {
  tape: string;
  table: string;
  selections: number;
  kept: number;
}

export interface FilterSelectionsResult {
  out: string;
  tapes: FilteredTable[];
  selections: number;
  kept: number;
  threshold: number;
  tablesWithoutTape: string[];
  elapsedSeconds: number;
}

/** Filters every table of a folder (see {@link FilterSelectionsOptions}); writes tables, features and index.json. */
export async function filterSelections(options: FilterSelectionsOptions): Promise<FilterSelectionsResult> {
  if (options === null || typeof options !== 'object') throw typeError('an options object { tables, tapes, model, out }', 'options', options);
  const t0 = performance.now();
  checkFolder(options.tables, 'tables');
  checkFolder(options.tapes, 'tapes');
  checkFolder(options.out, 'out');
  if (options.threshold !== undefined) num(options.threshold, 'threshold', { min: 0, max: 1 });
  const featuresOut = options.featuresOut === undefined ? join(options.out, 'features') : options.featuresOut;
  if (featuresOut !== null) checkFolder(featuresOut, 'featuresOut');
  const inside = relative(resolve(options.tables), resolve(options.out));
  if (inside === '' || (!inside.startsWith('..') && !isAbsolute(inside))) {
    throw rangeError(`an output folder outside the tables folder (${options.tables}: its tables would be overwritten or read as input next time)`, 'out', options.out);
  }
  const filter = await openSelectionFilter(options.model);
  const threshold = options.threshold ?? filter.meta.threshold;
  const { paired, without } = await pairedTables(options.tables, options.tapes);
  const previous = await previousTables(options.out, 'filter');
  const total = paired.reduce((s, p) => s + p.rows.length, 0);
  let done = 0;
  const tapes: FilteredTable[] = [];
  for (const p of paired) {
    const kept = await filterTape(filter, p.audio, p.rows, threshold, featuresOut === null ? null : join(featuresOut, featuresFile(p.table)), options.signal);
    const path = join(options.out, p.table);
    await makeFolderFor(path);
    await writeRavenTable(path, kept);
    tapes.push({ tape: p.tape, table: p.table, selections: p.rows.length, kept: kept.length });
    done += p.rows.length;
    options.onProgress?.({ done, total });
  }
  await removeStaleTables(options.out, previous, tapes.map((t) => t.table), featuresOut === null ? undefined : { dir: featuresOut, file: featuresFile });
  const result: FilterSelectionsResult = {
    out: options.out,
    tapes,
    selections: total,
    kept: tapes.reduce((s, t) => s + t.kept, 0),
    threshold,
    tablesWithoutTape: without,
    elapsedSeconds: (performance.now() - t0) / 1000,
  };
  const index = {
    command: 'filter',
    audiomill: audiomillVersion(),
    createdAt: new Date().toISOString(),
    input: options.tables,
    model: typeof options.model === 'string' ? options.model : 'forest',
    positive: filter.meta.positive,
    features: filter.meta.features,
    ...result,
  };
  await writeFileAtomic(join(options.out, 'index.json'), `${JSON.stringify(index, null, 2)}\n`);
  return result;
}
