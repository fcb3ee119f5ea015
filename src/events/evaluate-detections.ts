/**
 * `evaluateDetections` (the `audiomill eval detect` command): folders of Raven selection tables, one per tape, for the
 * truth and for one or more detection layers (e.g. the detector's tables and the random-forest-filtered ones), matched
 * per tape with `matchEvents`; overall and per-tape rows with a `layer` column, written as CSV (docs/events.md).
 */
import { basename, join } from 'node:path';
import { writeFileAtomic } from '../io/atomic.js';
import { csvField } from '../io/csv.js';
import { readRavenTable } from '../io/raven-table.js';
import { typeError } from '../validate.js';
import { matchEvents, type EventList, type MatchCounts, type MatchEventsOptions } from './match.js';
import { listTables } from './tape-tables.js';

/** Options of {@link evaluateDetections}. */
export interface EvaluateDetectionsOptions extends MatchEventsOptions {
  /** Folder of truth tables, one Raven selection table per tape (subfolders included; tapes are named by the file name). */
  truth: string;
  /** Folders of detection tables: one per layer, named by the folder's name (or given as { name, dir }). */
  pred: readonly (string | { name: string; dir: string })[];
  /** Write the overall rows here as CSV. */
  out?: string;
  /** Write the per-tape rows here as CSV. */
  perTapeOut?: string;
  /** Raven column read as each selection's label (default 'Annotation'; used with `byLabel`). */
  labelColumn?: string;
}

/** An overall row: one per layer. */
export type DetectionLayerRow = MatchCounts & { layer: string; iou: number; tapes: number };
/** A per-tape row. */
export type DetectionTapeRow = MatchCounts & { layer: string; tape: string; truthEvents: number; predEvents: number };

/** What {@link evaluateDetections} returns. */
export interface EvaluateDetectionsResult {
  overall: DetectionLayerRow[];
  perTape: DetectionTapeRow[];
  /** Tapes with a detection table and no truth table (all their detections count as false positives), per layer. */
  tapesWithoutTruth: Record<string, string[]>;
  /** Tapes with a truth table and no detection table (all their truths count as misses), per layer. */
  tapesWithoutDetections: Record<string, string[]>;
  /** Files written. */
  files: string[];
}

/** A detection layer's default name: its folder's name. */
export function layerName(dir: string): string {
  return basename(dir.replace(/[\\/]+$/, ''));
}

/** The Raven tables of a folder and its subfolders (as `detect` writes them), by tape: an error when two name one tape. */
export async function readTables(dir: string, option: string, labelColumn: string | undefined): Promise<Map<string, EventList>> {
  const out = new Map<string, EventList>();
  for (const [tape, name] of await listTables(dir, option)) {
    out.set(tape, (await readRavenTable(join(dir, name), labelColumn === undefined ? {} : { labelColumn })).rows);
  }
  return out;
}

function csv(rows: readonly Record<string, unknown>[], columns: readonly string[]): string {
  return [columns.join(','), ...rows.map((r) => columns.map((c) => csvField(r[c])).join(','))].join('\n') + '\n';
}

const COUNT_COLUMNS = ['tp', 'fp', 'fn', 'precision', 'recall', 'f1'] as const;

/** The overall rows as CSV (layer, iou, tapes, tp, fp, fn, precision, recall, f1). */
export function detectionCsv(rows: readonly DetectionLayerRow[]): string {
  return csv(rows as unknown as Record<string, unknown>[], ['layer', 'iou', 'tapes', ...COUNT_COLUMNS]);
}

/** The per-tape rows as CSV (layer, tape, truth_events, pred_events, tp, fp, fn, precision, recall, f1). */
export function detectionTapeCsv(rows: readonly DetectionTapeRow[]): string {
  const named = rows.map((r) => ({ ...r, truth_events: r.truthEvents, pred_events: r.predEvents }));
  return csv(named, ['layer', 'tape', 'truth_events', 'pred_events', ...COUNT_COLUMNS]);
}

/**
 * Matches every layer's tables against the truth tables tape by tape (see {@link EvaluateDetectionsOptions}; the
 * matching options are `matchEvents`'). A tape with a truth table and no detection table in a layer counts all its
 * truths as misses; one with detections and no truth, all its detections as false positives (and is listed).
 */
export async function evaluateDetections(options: EvaluateDetectionsOptions): Promise<EvaluateDetectionsResult> {
  if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
  if (typeof options.truth !== 'string' || options.truth === '') throw typeError('a folder of truth tables', 'truth', options.truth);
  if (!Array.isArray(options.pred) || options.pred.length === 0) throw typeError('one or more folders of detection tables', 'pred', options.pred);
  const layers = options.pred.map((p, i) => {
    if (typeof p === 'string' && p !== '') return { name: layerName(p), dir: p };
    if (p && typeof p === 'object' && typeof p.name === 'string' && typeof p.dir === 'string') return p;
    throw typeError('a folder, or { name, dir }', `pred[${i}]`, p);
  });
  const seen = new Set<string>();
  for (const l of layers) {
    if (seen.has(l.name)) throw new RangeError(`Expected distinct layer names for pred but received "${l.name}" twice (name them: { name, dir }; on the command line --pred name=dir)`);
    seen.add(l.name);
  }
  const { truth: truthDir, out, perTapeOut, labelColumn } = options;
  const matchOptions: MatchEventsOptions = { ...options };
  for (const k of ['truth', 'pred', 'out', 'perTapeOut', 'labelColumn'] as const) delete (matchOptions as Record<string, unknown>)[k];
  const truth = await readTables(truthDir, 'truth', labelColumn);
  const overall: DetectionLayerRow[] = [];
  const perTape: DetectionTapeRow[] = [];
  const tapesWithoutTruth: Record<string, string[]> = {};
  const tapesWithoutDetections: Record<string, string[]> = {};
  for (const layer of layers) {
    const pred = await readTables(layer.dir, `pred ${layer.name}`, labelColumn);
    const r = matchEvents(pred, truth, matchOptions);
    const tapes = [...new Set([...truth.keys(), ...pred.keys()])];
    overall.push({ layer: layer.name, iou: options.iou ?? 0.4, tapes: tapes.length, ...r.overall });
    for (const row of r.perFile) {
      const { file, ...counts } = row;
      perTape.push({ layer: layer.name, tape: file, truthEvents: truth.get(file)?.length ?? 0, predEvents: pred.get(file)?.length ?? 0, ...counts });
    }
    tapesWithoutTruth[layer.name] = [...pred.keys()].filter((t) => !truth.has(t)).sort();
    tapesWithoutDetections[layer.name] = [...truth.keys()].filter((t) => !pred.has(t)).sort();
  }
  const files: string[] = [];
  if (out !== undefined) {
    await writeFileAtomic(out, detectionCsv(overall));
    files.push(out);
  }
  if (perTapeOut !== undefined) {
    await writeFileAtomic(perTapeOut, detectionTapeCsv(perTape));
    files.push(perTapeOut);
  }
  return { overall, perTape, tapesWithoutTruth, tapesWithoutDetections, files };
}
