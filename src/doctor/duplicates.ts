/**
 * Duplicate groups and the leakage they cause. Two rows are duplicates when their decoded audio is equal (the same
 * content hash: the clip decoded, resampled to 16 kHz mono and quantised to 16 bits, whatever the container, codec
 * or tags) or when their fingerprints match (near-duplicates: re-encoded, resampled, gain-changed, trimmed,
 * shifted, or cut from one another; fingerprint.ts). Groups are the connected components of those pairs. A group
 * whose rows lie in more than one split (or fold) leaks: a model can be scored on a clip whose twin it trained on.
 */
import { matchFingerprints, type Fingerprint, type MatchOptions } from './fingerprint.js';

export interface DuplicateGroup {
  id: number;
  /** Rows, in row order. */
  rows: number[];
  /** Rows with an equal content hash to another row of the group. */
  exact: number[];
  /** The splits (or folds) the group's rows lie in, when a split column was given. */
  splits: string[];
  /** Rows in more than one split. */
  leaks: boolean;
}

export interface DuplicatesResult {
  groups: DuplicateGroup[];
  /** Per row: its group's id, or -1. */
  group: Int32Array;
  /** Per row: the first row of its group when it is not that row, else -1. */
  duplicateOf: Int32Array;
  /** Per row: the best 1 − BER over its fingerprint matches (1 for an exact duplicate), 0 without one. */
  score: Float64Array;
  /** Matched pairs (a < b) with their BER (0 for exact duplicates) and frame offset. */
  pairs: { a: number; b: number; ber: number; offset: number; exact: boolean }[];
  /** Leakage: groups across splits, their rows, and the evaluation rows among them (rows outside the training split; with folds, every row). */
  leakage: { groups: number; rows: number; testRows: number };
}

/** Union-find over 0..n-1 with path compression; each set's root is its smallest member. */
export class UnionFind {
  private readonly parent: Int32Array;
  constructor(n: number) {
    this.parent = Int32Array.from({ length: n }, (_, i) => i);
  }
  find(i: number): number {
    let r = i;
    while (this.parent[r] !== r) r = this.parent[r]!;
    while (this.parent[i] !== r) {
      const next = this.parent[i]!;
      this.parent[i] = r;
      i = next;
    }
    return r;
  }
  union(a: number, b: number): void {
    const ra = this.find(a), rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

export interface GroupOptions extends MatchOptions {
  /** Each row's split or fold (leakage is a group across two of them). */
  splits?: readonly (string | null)[];
  /** Rows that are digital silence: their equal hashes do not make them duplicates. */
  silent?: Uint8Array;
}

/** A split value that names training data (train, training, any case). */
const TRAINING = /^train(ing)?$/i;

/** Groups rows from their content hashes (null: unreadable) and fingerprints. */
export async function groupDuplicates(hashes: readonly (string | null)[], prints: readonly Fingerprint[], options: GroupOptions = {}): Promise<DuplicatesResult> {
  const n = hashes.length;
  const uf = new UnionFind(n);
  const score = new Float64Array(n);
  const pairs: DuplicatesResult['pairs'] = [];
  const exactRows = new Set<number>();
  const byHash = new Map<string, number>();
  hashes.forEach((h, i) => {
    if (h === null || options.silent?.[i]) return;
    const first = byHash.get(h);
    if (first === undefined) return void byHash.set(h, i);
    uf.union(first, i);
    score[first] = score[i] = 1;
    exactRows.add(first).add(i);
    pairs.push({ a: first, b: i, ber: 0, offset: 0, exact: true });
  });
  for (const m of await matchFingerprints(prints, options)) {
    uf.union(m.a, m.b);
    const s = 1 - m.ber;
    score[m.a] = Math.max(score[m.a]!, s);
    score[m.b] = Math.max(score[m.b]!, s);
    if (!(hashes[m.a] !== null && hashes[m.a] === hashes[m.b])) pairs.push({ a: m.a, b: m.b, ber: m.ber, offset: m.offset, exact: false });
  }
  const members = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const r = uf.find(i);
    const list = members.get(r);
    if (list) list.push(i);
    else members.set(r, [i]);
  }
  const group = new Int32Array(n).fill(-1), duplicateOf = new Int32Array(n).fill(-1);
  const groups: DuplicateGroup[] = [];
  const splits = options.splits;
  // Evaluation rows: those outside the training split when there is one (test, val, dev, ...); with folds (no
  // training value) every fold is tested in turn, so every row.
  const hasTraining = splits ? splits.some((s) => s !== null && TRAINING.test(s)) : false;
  const leakage = { groups: 0, rows: 0, testRows: 0 };
  for (const rows of [...members.values()].filter((r) => r.length > 1).sort((a, b) => a[0]! - b[0]!)) {
    const id = groups.length;
    const inSplits = splits ? [...new Set(rows.map((r) => splits[r]).filter((s): s is string => s !== null))].sort() : [];
    const leaks = inSplits.length > 1;
    groups.push({ id, rows, exact: rows.filter((r) => exactRows.has(r)), splits: inSplits, leaks });
    for (const r of rows) {
      group[r] = id;
      if (r !== rows[0]) duplicateOf[r] = rows[0]!;
    }
    if (leaks) {
      leakage.groups++;
      leakage.rows += rows.length;
      leakage.testRows += hasTraining ? rows.filter((r) => splits![r] !== null && !TRAINING.test(splits![r]!)).length : rows.length;
    }
  }
  return { groups, group, duplicateOf, score, pairs: pairs.sort((x, y) => x.a - y.a || x.b - y.b), leakage };
}
