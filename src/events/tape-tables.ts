/**
 * Tapes and their Raven tables: the one way every events command pairs a folder of recordings with a folder of
 * selection tables. A tape is named by its file name without the extension; a table names its tape by its file
 * name without Raven's ending (`.Table.1.selections.txt`, `.selections.txt` or `.txt`). Folders are searched
 * recursively (as `detect` writes tables under the tapes' relative paths); two files naming one tape are an error.
 */
import type { Dirent } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { AudiomillError, ioError } from '../errors.js';
import { walkAudio } from '../manifest/walk.js';

/** The tape a Raven table belongs to: its file name without `.Table.1.selections.txt`, `.selections.txt` or `.txt`. */
export function tapeOfTable(fileName: string): string {
  return fileName.replace(/(\.Table\.\d+)?(\.selections)?\.txt$/i, '');
}

/** The Raven tables (*.txt) of a folder and its subfolders, by tape: their paths relative to `dir` ('/' separated). */
export async function listTables(dir: string, option: string): Promise<Map<string, string>> {
  const names: string[] = [];
  const visit = async (sub: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(join(dir, sub), { withFileTypes: true });
    } catch (err) {
      throw ioError('read the folder', join(dir, sub), err);
    }
    for (const d of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const rel = sub === '' ? d.name : `${sub}/${d.name}`;
      if (d.isDirectory()) await visit(rel);
      else if (d.isFile() && /\.txt$/i.test(d.name)) names.push(rel);
    }
  };
  await visit('');
  if (names.length === 0) throw new AudiomillError('IO', `No Raven selection tables (*.txt) in ${dir} (${option})`, { path: dir });
  const out = new Map<string, string>();
  for (const name of names) {
    const tape = tapeOfTable(basename(name));
    if (out.has(tape)) throw new AudiomillError('IO', `Two tables for tape ${tape} in ${dir}: ${out.get(tape)} and ${name}`, { path: join(dir, name) });
    out.set(tape, name);
  }
  return out;
}

/** The recordings of a folder (searched recursively) by tape name: their absolute paths. */
export async function tapesByName(dir: string): Promise<Map<string, string>> {
  const tapes = new Map<string, string>();
  for (const f of await walkAudio(dir)) {
    const name = basename(f.path).replace(/\.[^.]+$/, '');
    if (tapes.has(name)) throw new AudiomillError('IO', `Two recordings are named ${name} (tapes are matched to tables by file name): ${tapes.get(name)} and ${f.absolute}`, { path: f.absolute });
    tapes.set(name, f.absolute);
  }
  if (tapes.size === 0) throw new AudiomillError('IO', `No audio files in ${dir}`, { path: dir });
  return tapes;
}

/** The tables a previous run of `command` listed in `out`/index.json (relative paths; none that climb out). */
export async function previousTables(out: string, command: string): Promise<string[]> {
  try {
    const old = JSON.parse(await readFile(join(out, 'index.json'), 'utf8')) as { command?: string; tapes?: { table?: unknown }[] };
    if (old.command !== command || !Array.isArray(old.tapes)) return [];
    return old.tapes.map((t) => t.table).filter((t): t is string => typeof t === 'string' && !t.includes('..'));
  } catch {
    return [];
  }
}

/**
 * Removes the tables of a previous run into `out` that this run did not write (they would be read as detections),
 * and with `dumps` their feature dumps (`dumps.dir`/`dumps.file(table)`).
 */
export async function removeStaleTables(out: string, previous: readonly string[], written: Iterable<string>, dumps?: { dir: string; file: (table: string) => string }): Promise<void> {
  const kept = new Set(written);
  for (const t of previous) {
    if (kept.has(t)) continue;
    for (const path of [join(out, t), ...(dumps ? [join(dumps.dir, dumps.file(t))] : [])]) {
      await rm(path, { force: true }).catch((err: unknown) => {
        throw ioError('remove the stale file', path, err);
      });
    }
  }
}
