/**
 * Dataset splits: deterministic for a seed, optionally stratified, never putting one group
 * (a source recording, a speaker) in two splits; or derived from an existing fold column
 * (ESC-50's 1-5), which can also drive k-fold cross-validation.
 *
 * Assignment (splitRows): rows are gathered into groups (the `group` column, else one group per
 * row). Each group takes the stratum of its most common `stratify` value (ties: the smallest value
 * in string order). Within each stratum, groups are ordered by a seeded hash of their key (so the
 * result does not depend on row order) and handed one by one to the split whose share of that
 * stratum's rows is furthest below its target ratio (ties: the split listed first). Every split
 * therefore gets close to its ratio in every stratum, up to one group's size.
 */
import { AudiomillError } from '../errors.js';
import { num, rangeError, typeError } from '../validate.js';

export type Row = Record<string, unknown>;

export interface SplitOptions {
  /** Split names and their shares, e.g. { train: 0.8, val: 0.1, test: 0.1 }; they must sum to 1 (within 1e-6). */
  ratios: Record<string, number>;
  /** Seed of the deterministic shuffle (default 42). */
  seed?: number;
  /** Column whose values each split should contain in the same proportions. */
  stratify?: string;
  /** Column whose rows must stay together (no group in two splits). */
  group?: string;
}

export interface FoldSplitOptions {
  /** The existing fold column (e.g. ESC-50's `fold`, 1-5). */
  column: string;
  /** Fold value(s) that form the test split (default: the largest fold value). */
  test?: unknown;
  /** Fold value that forms the validation split (default: none). */
  val?: unknown;
  /** Column whose groups must not span folds (checked; an error lists offenders). */
  group?: string;
}

/** The tolerance on the sum of split ratios: they must add up to 1 within it. */
export const RATIO_SUM_TOLERANCE = 1e-6;

/**
 * Parses `train=0.8,val=0.1,test=0.1` (the CLI's --split): names once each, ratios that sum to 1
 * (within 1e-6). `option` names the flag in error messages.
 */
export function parseSplitSpec(spec: string, option = 'split'): Record<string, number> {
  const form = 'a split spec like "train=0.8,val=0.1,test=0.1"';
  if (typeof spec !== 'string' || spec.trim() === '') throw typeError(form, option, spec);
  const ratios: Record<string, number> = {};
  for (const part of spec.split(',')) {
    const m = /^\s*([A-Za-z0-9_.-]+)\s*=\s*([0-9]*\.?[0-9]+)\s*$/.exec(part);
    if (!m) throw rangeError(form, option, spec);
    if (m[1]! in ratios) throw rangeError(`each split name once ("${m[1]}" repeats)`, option, spec);
    ratios[m[1]!] = Number(m[2]);
  }
  checkRatioSum(Object.values(ratios), option, spec);
  return ratios;
}

function checkRatioSum(values: number[], option: string, received: unknown): void {
  const total = values.reduce((t, v) => t + v, 0);
  if (!(Math.abs(total - 1) <= RATIO_SUM_TOLERANCE)) throw rangeError(`split ratios that sum to 1 (these sum to ${Number(total.toPrecision(12))})`, option, received);
}

/**
 * Checks that `column` is a column of `rows` (some row has the key); otherwise a RangeError naming
 * `option` and listing the columns that exist. No rows: nothing to check.
 */
export function checkColumn(rows: readonly Row[], column: unknown, option: string): string {
  if (typeof column !== 'string' || column === '') throw typeError('a column name', option, column);
  if (rows.length === 0 || rows.some((r) => column in r)) return column;
  throw rangeError(`one of the columns ${columnList(rows)}`, option, column);
}

function columnList(rows: readonly Row[]): string {
  const names = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) names.add(k);
  return [...names].join(', ');
}

/** FNV-1a over the seed and a key: a stable, seeded order for groups (uint32). */
export function seededHash(seed: number, key: string): number {
  let h = (0x811c9dc5 ^ (seed >>> 0)) >>> 0;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // final avalanche (murmur3 fmix32) so nearby keys spread out
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

const keyOf = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

function checkRatios(ratios: Record<string, number>): [string, number][] {
  if (ratios === null || typeof ratios !== 'object') throw typeError('an object of split ratios', 'ratios', ratios);
  const entries = Object.entries(ratios).map(([k, v]) => [k, num(v, `ratios.${k}`, { min: 0 })] as [string, number]);
  const total = entries.reduce((t, [, v]) => t + v, 0);
  if (entries.length === 0 || !(total > 0)) throw rangeError('at least one positive ratio', 'ratios', ratios);
  checkRatioSum(entries.map(([, v]) => v), 'ratios', ratios);
  return entries.map(([k, v]) => [k, v / total]); // exact shares (the sum is 1 within the tolerance)
}

/** The split of every row (same order as `rows`). */
export function splitRows(rows: readonly Row[], options: SplitOptions): string[] {
  if (!Array.isArray(rows)) throw typeError('an array of rows', 'rows', rows);
  if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
  const ratios = checkRatios(options.ratios);
  const seed = options.seed === undefined ? 42 : num(options.seed, 'seed');
  if (options.group !== undefined) checkColumn(rows, options.group, 'group');
  if (options.stratify !== undefined) checkColumn(rows, options.stratify, 'stratify');
  // Groups, with their rows and their stratum.
  const groups = new Map<string, number[]>();
  rows.forEach((row, i) => {
    const key = options.group === undefined ? `#${i}` : keyOf(row[options.group]);
    const list = groups.get(key);
    if (list) list.push(i);
    else groups.set(key, [i]);
  });
  const strata = new Map<string, { key: string; rows: number[] }[]>();
  for (const [key, members] of groups) {
    let stratum = '';
    if (options.stratify !== undefined) {
      const counts = new Map<string, number>();
      for (const i of members) {
        const v = keyOf(rows[i]![options.stratify]);
        counts.set(v, (counts.get(v) ?? 0) + 1);
      }
      stratum = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))[0]![0];
    }
    const list = strata.get(stratum) ?? [];
    list.push({ key, rows: members });
    strata.set(stratum, list);
  }
  const out = new Array<string>(rows.length);
  for (const list of strata.values()) {
    list.sort((a, b) => seededHash(seed, a.key) - seededHash(seed, b.key) || (a.key < b.key ? -1 : 1));
    const total = list.reduce((t, g) => t + g.rows.length, 0);
    const taken = ratios.map(() => 0);
    for (const g of list) {
      // The split furthest below its target share after taking this group.
      let best = 0;
      let bestDeficit = -Infinity;
      ratios.forEach(([, r], s) => {
        const deficit = r * total - taken[s]!;
        if (deficit > bestDeficit + 1e-12) {
          bestDeficit = deficit;
          best = s;
        }
      });
      taken[best]! += g.rows.length;
      for (const i of g.rows) out[i] = ratios[best]![0];
    }
  }
  return out;
}

/** Splits from an existing fold column: `test` fold(s) → 'test', `val` fold → 'val', the rest 'train'. */
export function splitsFromFolds(rows: readonly Row[], options: FoldSplitOptions): string[] {
  const folds = foldValues(rows, options);
  const test = new Set((Array.isArray(options.test) ? options.test : [options.test ?? folds[folds.length - 1]]).map(keyOf));
  const val = options.val === undefined ? null : keyOf(options.val);
  for (const t of test) if (!folds.includes(t)) throw rangeError(`one of the folds ${folds.join(', ')}`, 'test', t);
  if (val !== null && !folds.includes(val)) throw rangeError(`one of the folds ${folds.join(', ')}`, 'val', val);
  return rows.map((r) => {
    const f = keyOf(r[options.column]);
    return test.has(f) ? 'test' : f === val ? 'val' : 'train';
  });
}

/** k-fold from the fold column: one assignment per fold value, that fold as 'test', the rest 'train'. */
export function kFoldSplits(rows: readonly Row[], options: Omit<FoldSplitOptions, 'test' | 'val'>): { fold: string; splits: string[] }[] {
  return foldValues(rows, options).map((fold) => ({ fold, splits: splitsFromFolds(rows, { ...options, test: fold }) }));
}

/** The sorted distinct fold values (numeric order when all are numbers); checks groups do not span folds. */
function foldValues(rows: readonly Row[], options: { column: string; group?: string }): string[] {
  if (rows.length > 0 && !rows.some((r) => options.column in r))
    throw new AudiomillError('INVALID_ARGUMENT', `the fold column '${options.column}' does not exist; the columns are ${columnList(rows)}`);
  if (options.group !== undefined) checkColumn(rows, options.group, 'group');
  const values = new Set<string>();
  const groupFold = new Map<string, string>();
  const offenders = new Set<string>();
  for (const r of rows) {
    const f = keyOf(r[options.column]);
    if (f === '') throw new AudiomillError('INVALID_ARGUMENT', `${typeof r.path === 'string' ? `'${r.path}'` : 'a row'} has no value in the fold column '${options.column}'`);
    values.add(f);
    if (options.group !== undefined) {
      const g = keyOf(r[options.group]);
      const seen = groupFold.get(g);
      if (seen === undefined) groupFold.set(g, f);
      else if (seen !== f) offenders.add(g);
    }
  }
  if (offenders.size > 0) {
    const list = [...offenders].slice(0, 5).join(', ');
    throw new AudiomillError('INVALID_ARGUMENT', `the fold column '${options.column}' puts ${offenders.size} group(s) of '${options.group}' in several folds (${list}${offenders.size > 5 ? ', ...' : ''}): that would leak`);
  }
  const list = [...values];
  const numeric = list.every((v) => v.trim() !== '' && Number.isFinite(Number(v)));
  return list.sort((a, b) => (numeric ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0));
}
