/**
 * Finding a dataset's audio files: a recursive walk of `root` with glob include/exclude
 * patterns matched against paths relative to the root ('/' separated on every platform),
 * returned sorted so a manifest's row order is stable. Symbolic links to files are followed;
 * links to folders are not (no cycles). A subfolder that cannot be listed is reported through
 * `onUnreadable` (the manifest makes it an error row) rather than ending the walk.
 */
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { statFiles } from '../audio/stat.js';
import { AudiomillError, ioError } from '../errors.js';
import { typeError } from '../validate.js';

/** The audio extensions loadAudio reads. */
export const AUDIO_GLOB = '**/*.{wav,wave,flac,mp3,ogg,oga,opus}';

export interface WalkOptions {
  /** Glob patterns a relative path must match (any of them). Default AUDIO_GLOB. */
  include?: string | readonly string[];
  /** Glob patterns that remove a path (any of them). Default: none. Hidden files and folders are always skipped. */
  exclude?: string | readonly string[];
  /**
   * Called for a folder below the root that cannot be listed (or an entry that cannot be
   * examined), which is then skipped so the walk goes on. Without it such a failure rejects the
   * whole walk with an AudiomillError `IO`. A root that cannot be read always rejects.
   */
  onUnreadable?: (entry: UnreadableEntry) => void;
}

export interface UnreadableEntry {
  /** Relative to the root, '/' separated; a folder ends with '/'. */
  path: string;
  absolute: string;
  /** An AudiomillError `IO` naming the path, the system error as its cause. */
  error: AudiomillError;
}

export interface FoundFile {
  /** Relative to the root, '/' separated. */
  path: string;
  absolute: string;
  size: number;
  /** Modification time in ms since the epoch. */
  mtimeMs: number;
}

/**
 * Converts a glob to a RegExp over '/'-separated relative paths: `*` any run of characters but
 * '/', `**` any run including '/' (as a whole segment, also zero segments), `?` one character but
 * '/', `{a,b}` alternatives, `[...]` a character class. Matching ignores case, so `*.wav`
 * also finds `DOG.WAV` (field recorders write upper-case names).
 */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  let i = 0;
  let braces = 0;
  while (i < glob.length) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const atStart = i === 0 || glob[i - 1] === '/';
        const atEnd = i + 2 === glob.length || glob[i + 2] === '/';
        if (atStart && atEnd) {
          re += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
          i += glob[i + 2] === '/' ? 3 : 2;
          continue;
        }
      }
      re += '[^/]*';
      i++;
      while (glob[i] === '*') i++;
      continue;
    }
    if (c === '?') re += '[^/]';
    else if (c === '{') {
      braces++;
      re += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      re += ')';
    } else if (c === ',' && braces > 0) re += '|';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        const body = glob.slice(i + 1, end).replace(/\\/g, '\\\\');
        re += `[${body.startsWith('!') ? '^' + body.slice(1) : body}]`;
        i = end;
      }
    } else re += /[.+^$()|\\]/.test(c) ? `\\${c}` : c;
    i++;
  }
  return new RegExp(`^${re}$`, 'i');
}

function patterns(value: string | readonly string[] | undefined, option: string, fallback: string[]): RegExp[] {
  if (value === undefined) return fallback.map(globToRegExp);
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.some((p) => typeof p !== 'string' || p === '')) throw typeError('a glob pattern or an array of them', option, value);
  return list.map((p) => globToRegExp(p.replace(/^\.\//, '')));
}

/** Every file under `root` that matches include and not exclude, sorted by relative path. */
export async function walkAudio(root: string, options: WalkOptions = {}): Promise<FoundFile[]> {
  if (typeof root !== 'string' || root === '') throw typeError('a folder path', 'root', root);
  const include = patterns(options.include, 'include', [AUDIO_GLOB]);
  const exclude = patterns(options.exclude, 'exclude', []);
  const st = await stat(root).catch((err: NodeJS.ErrnoException) => {
    throw new AudiomillError('IO', `cannot read the dataset folder '${root}': ${err.code === 'ENOENT' ? 'no such folder' : err.message}`, { path: root, cause: err });
  });
  if (!st.isDirectory()) throw new AudiomillError('IO', `'${root}' is not a folder`, { path: root });
  if (options.onUnreadable !== undefined && typeof options.onUnreadable !== 'function') throw typeError('a function', 'onUnreadable', options.onUnreadable);
  const found: FoundFile[] = [];
  const unreadable = (abs: string, rel: string, folder: boolean, error: AudiomillError): void => {
    if (!options.onUnreadable || abs === root) throw error;
    options.onUnreadable({ path: rel + (folder ? '/' : ''), absolute: abs, error });
  };
  // `rel`: the folder's path relative to root with '/' separators ('' for root), built up as the walk descends.
  const visit = async (dir: string, relDir: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      unreadable(dir, relDir, true, ioError('list the folder', dir, err));
      return;
    }
    // The folder's matching files are examined (stat) in batches, one native task each, not one after another.
    const candidates: { abs: string; rel: string }[] = [];
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const abs = join(dir, e.name);
      const rel = relDir === '' ? e.name : `${relDir}/${e.name}`;
      if (e.isDirectory()) {
        await visit(abs, rel);
        continue;
      }
      if (!include.some((r) => r.test(rel)) || exclude.some((r) => r.test(rel))) continue;
      if (!e.isFile() && !e.isSymbolicLink()) continue;
      candidates.push({ abs, rel });
    }
    const stats = await statFiles(candidates.map(({ abs }) => abs));
    candidates.forEach(({ abs, rel }, j) => {
      const s = stats[j]!;
      if (s === null) return; // gone, or a dangling link: skipped
      if (s instanceof Error) unreadable(abs, rel, false, ioError('examine', abs, s));
      else if (s.kind === 'file') found.push({ path: rel, absolute: abs, size: s.size, mtimeMs: s.mtimeMs });
    });
  };
  await visit(root, '');
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
