/**
 * The explorer's doctor tab: `audiomill doctor`'s doctor.json read back and its rows found among the page's rows
 * (by path and span), so each duplicate group, label-issue candidate, outlier and band-limited recording opens its
 * clip in the grid.
 */
import { readFile } from 'node:fs/promises';
import { AudiomillError } from '../errors.js';
import { rowKey } from '../manifest/clips.js';
import type { Row } from '../manifest/build.js';
import type { PageDoctor } from './page-types.js';

interface DoctorRowRef {
  path: string;
  start_time?: number | null;
  end_time?: number | null;
}

export async function readDoctor(path: string, rows: readonly Row[]): Promise<PageDoctor> {
  let j: {
    duplicates?: { groups?: { id: number; rows: DoctorRowRef[]; splits: string[]; leaks: boolean }[]; leakage?: PageDoctor['duplicates']['leakage'] };
    labelIssues?: { ranked?: (DoctorRowRef & { label: unknown; suggested: string | null; score: number })[] } | null;
    outliers?: { ranked?: (DoctorRowRef & { score: number })[] } | null;
    bandLimited?: (DoctorRowRef & { hz: number; likelyRate: number | null })[];
  };
  try {
    j = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new AudiomillError('IO', `cannot read the doctor's report '${path}': ${(err as Error).message}`, { path, cause: err });
  }
  if (!j || typeof j !== 'object' || !j.duplicates) throw new AudiomillError('DECODE_CORRUPT', `'${path}' is not an audiomill doctor report (no duplicates section)`, { path });
  const at = new Map(rows.map((r, i) => [rowKey(r), i]));
  const find = (r: DoctorRowRef) => at.get(rowKey(r as unknown as Row)) ?? -1;
  return {
    source: path,
    duplicates: {
      groups: (j.duplicates.groups ?? []).map((g) => ({ id: g.id, rows: g.rows.map(find).filter((i) => i >= 0), splits: g.splits, leaks: g.leaks })),
      leakage: j.duplicates.leakage ?? { groups: 0, rows: 0, testRows: 0 },
    },
    labelIssues: (j.labelIssues?.ranked ?? []).slice(0, 300).map((r) => ({ row: find(r), label: r.label === null || r.label === undefined ? null : String(r.label), suggested: r.suggested, score: r.score })).filter((r) => r.row >= 0),
    outliers: (j.outliers?.ranked ?? []).slice(0, 100).map((r) => ({ row: find(r), score: r.score })).filter((r) => r.row >= 0),
    bandLimited: (j.bandLimited ?? []).map((r) => ({ row: find(r), hz: r.hz, likelyRate: r.likelyRate })).filter((r) => r.row >= 0),
  };
}
