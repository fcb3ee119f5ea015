/**
 * Internal: many files examined in one native task (one stat(2) each on a worker thread), so a walk over a
 * dataset pays one round trip per batch rather than one per file. What fs.stat reports for each path
 * (symbolic links followed), or the error fs.stat gives where the native call cannot tell.
 */
import { stat } from 'node:fs/promises';
import { awaitNative } from '../errors.js';
import { native } from '../native/load.js';

export interface FileStat {
  kind: 'file' | 'folder' | 'other';
  size: number;
  /** Modification time, milliseconds since the epoch, floored (Math.floor of fs.Stats.mtimeMs). */
  mtimeMs: number;
}

/** Paths examined per native task. */
const STAT_BATCH = 512;

/**
 * One entry per path, in order: its FileStat, null when it does not exist (a dangling link too), or the Error of
 * fs.stat. The paths are examined STAT_BATCH at a time, one native task each.
 */
export async function statFiles(paths: readonly string[]): Promise<(FileStat | null | Error)[]> {
  const out: (FileStat | null | Error)[] = [];
  for (let i = 0; i < paths.length; i += STAT_BATCH) out.push(...(await statBatch(paths.slice(i, i + STAT_BATCH))));
  return out;
}

async function statBatch(paths: readonly string[]): Promise<(FileStat | null | Error)[]> {
  const raw = await awaitNative(() => native().statFiles([...paths], true));
  const at = (i: number): FileStat => ({ kind: raw[3 * i] === 1 ? 'file' : raw[3 * i] === 2 ? 'folder' : 'other', size: raw[3 * i + 1]!, mtimeMs: raw[3 * i + 2]! });
  if (paths.every((_, i) => raw[3 * i]! >= 0)) return paths.map((_, i) => (raw[3 * i] === 0 ? null : at(i)));
  return Promise.all(
    paths.map(async (path, i): Promise<FileStat | null | Error> => {
      const kind = raw[3 * i]!;
      if (kind === 0) return null;
      if (kind > 0) return at(i);
      // Anything else: fs.stat words the error (or, on a platform without the native call, answers).
      return stat(path).then(
        (s) => ({ kind: s.isFile() ? 'file' : s.isDirectory() ? 'folder' : 'other', size: s.size, mtimeMs: Math.floor(s.mtimeMs) }),
        (err: NodeJS.ErrnoException) => (err.code === 'ENOENT' || err.code === 'ENOTDIR' ? null : err),
      );
    }),
  );
}
