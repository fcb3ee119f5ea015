/**
 * Output transactions: a command's whole output set (several files in one folder) replaced
 * together. Files are written into a staging folder inside the destination folder (same
 * filesystem, so moving them is a rename); `commit()` moves them into place, `rollback()` removes
 * them; the previous outputs are untouched until the commit.
 *
 * Commit protocol, kill-safe: every staged file is synced; then a commit record listing them (and
 * the old outputs to delete, see `remove()`) is written and synced in the staging folder (the
 * transaction is now decided); then each file is renamed over its destination, the old outputs
 * are deleted, and the staging folder is removed. A process killed before the
 * commit record leaves a staging folder that the next {@link OutputTransaction.begin} on the same
 * folder removes (rolled back); killed after it, the next begin finishes the renames (rolled
 * forward). A reader that looks during the renames themselves (milliseconds) may see some new and
 * some old files; each single file is always whole.
 *
 * @example
 * ```ts
 * await OutputTransaction.run('cache', async (tx) => {
 *   const npy = new NpyWriter(tx.path('train.npy'), 'float32', [64, 500]);
 *   // ... append rows, npy.commit() (renames within the staging folder)
 *   await tx.writeFile('cache.json', JSON.stringify(summary));
 * }); // committed when the callback resolves, rolled back when it throws
 * ```
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, rmdir, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, normalize, sep } from 'node:path';
import { AudiomillError, ioError } from '../errors.js';
import { typeError, rangeError } from '../validate.js';

const PREFIX = '.audiomill-staging-';
const COMMIT = '.commit';

/** Whether the process `pid` is running (EPERM: running under another user). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function syncFile(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** What a commit record holds: the staged files to move into place and the old outputs to delete. */
interface CommitRecord {
  files: string[];
  remove: string[];
}

const strings = (x: unknown): x is string[] => Array.isArray(x) && x.every((f) => typeof f === 'string');

/** The commit record's content, or null when it is missing or incomplete (never committed). */
function parseRecord(text: string): CommitRecord | null {
  let r: unknown;
  try {
    r = JSON.parse(text);
  } catch {
    return null;
  }
  if (strings(r)) return { files: r, remove: [] }; // a record written before removals existed
  if (r !== null && typeof r === 'object' && strings((r as CommitRecord).files) && strings((r as CommitRecord).remove)) return r as CommitRecord;
  return null;
}

/** Removes `dir/name` and then its parent folders below `dir` that became empty. */
async function removeOutput(dir: string, name: string): Promise<void> {
  const path = join(dir, name);
  try {
    await rm(path, { force: true });
  } catch (err) {
    throw ioError('remove the old output', path, err);
  }
  for (let parent = dirname(path); parent.length > dir.length && parent.startsWith(dir + sep); parent = dirname(parent)) {
    try {
      await rmdir(parent);
    } catch {
      break; // not empty (or already gone)
    }
  }
}

/**
 * Moves the listed files of a decided staging folder into `dir`, deletes the old outputs the
 * record names, and removes the folder. Every step can be repeated after a crash.
 */
async function rollForward(dir: string, staging: string, record: CommitRecord): Promise<void> {
  for (const name of record.files) {
    const from = join(staging, name);
    const to = join(dir, name);
    try {
      await mkdir(dirname(to), { recursive: true });
      await rename(from, to);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw ioError('move into place', to, err); // ENOENT: moved before a crash
    }
  }
  for (const name of record.remove) await removeOutput(dir, name);
  await rm(staging, { recursive: true, force: true });
}

/** A set of output files in `dir`, staged and then committed or rolled back together. */
export class OutputTransaction {
  /** The destination folder. */
  readonly dir: string;
  /** The staging folder (inside `dir`). */
  readonly staging: string;
  private readonly files = new Set<string>();
  private readonly removals = new Set<string>();
  private state: 'open' | 'committed' | 'rolled back' = 'open';

  private constructor(dir: string, staging: string) {
    this.dir = dir;
    this.staging = staging;
  }

  /**
   * Starts a transaction on `dir` (created if missing). First finishes or removes the staging
   * folders that killed runs left in `dir` (see the module documentation); staging folders of
   * running processes are left alone.
   */
  static async begin(dir: string): Promise<OutputTransaction> {
    if (typeof dir !== 'string' || dir === '') throw typeError('a non-empty string', 'dir', dir);
    try {
      await mkdir(dir, { recursive: true });
    } catch (err) {
      throw ioError('create the output folder', dir, err);
    }
    await OutputTransaction.recover(dir);
    const staging = join(dir, `${PREFIX}${process.pid}-${randomBytes(4).toString('hex')}`);
    try {
      await mkdir(staging);
    } catch (err) {
      throw ioError('create the staging folder', staging, err);
    }
    return new OutputTransaction(dir, staging);
  }

  /**
   * Completes or removes what interrupted transactions left in `dir`: a staging folder with a
   * commit record is rolled forward, one without is removed. Returns the staging folders handled.
   */
  static async recover(dir: string): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      return [];
    }
    const handled: string[] = [];
    for (const name of names) {
      const m = new RegExp(`^${PREFIX.replace(/\./g, '\\.')}(\\d+)-[0-9a-f]+$`).exec(name);
      if (!m || alive(Number(m[1]))) continue;
      const staging = join(dir, name);
      let record: CommitRecord | null = null;
      try {
        record = parseRecord(await readFile(join(staging, COMMIT), 'utf8'));
      } catch {
        // no commit record: the transaction never committed
      }
      if (record) await rollForward(dir, staging, record);
      else await rm(staging, { recursive: true, force: true });
      handled.push(staging);
    }
    return handled;
  }

  /**
   * The staging path of the output `name` (relative to `dir`, '/' separated, no `..`); its parent
   * folders are created. Write the file there; `commit()` moves it to `join(dir, name)`.
   */
  path(name: string): string {
    const rel = this.relative(name);
    const path = join(this.staging, rel);
    mkdirSync(dirname(path), { recursive: true });
    this.files.add(rel);
    this.removals.delete(rel);
    return path;
  }

  /**
   * Deletes the existing output `name` (relative to `dir`) as part of the commit, so that files of
   * a previous output set that the new one does not have go with it; empty folders left behind are
   * removed too. Nothing is deleted before the commit; a name also staged with `path()` is replaced,
   * not deleted. A name that does not exist at commit time is ignored.
   */
  remove(name: string): void {
    const rel = this.relative(name);
    if (!this.files.has(rel)) this.removals.add(rel);
  }

  private relative(name: string): string {
    if (this.state !== 'open') throw new AudiomillError('INTERNAL', `the output transaction on '${this.dir}' is already ${this.state}`, { path: this.dir });
    if (typeof name !== 'string' || name === '') throw typeError('a non-empty relative path', 'name', name);
    const rel = normalize(name);
    if (isAbsolute(rel) || rel === '..' || rel.startsWith(`..${sep}`) || rel === '.' || rel === COMMIT || rel.split(sep)[0]!.startsWith(PREFIX))
      throw rangeError('a relative path inside the output folder', 'name', name);
    return rel;
  }

  /** Writes `data` as the output `name` (staged until commit). */
  async writeFile(name: string, data: string | Uint8Array): Promise<void> {
    const path = this.path(name);
    try {
      const fh = await open(path, 'w');
      try {
        await fh.writeFile(data);
      } finally {
        await fh.close();
      }
    } catch (err) {
      throw ioError('write', path, err);
    }
  }

  /** The outputs staged so far (relative names). */
  get names(): string[] {
    return [...this.files];
  }

  /** The existing outputs the commit will delete (relative names). */
  get removed(): string[] {
    return [...this.removals];
  }

  /**
   * Moves every staged output into place (see the protocol above), deletes the outputs named by
   * `remove()`, and removes the staging folder. Returns the destination paths. A staged name whose file was never written is an
   * AudiomillError `IO`, and nothing is moved.
   */
  async commit(): Promise<string[]> {
    if (this.state !== 'open') throw new AudiomillError('INTERNAL', `the output transaction on '${this.dir}' is already ${this.state}`, { path: this.dir });
    const names = [...this.files];
    try {
      await Promise.all(
        names.map(async (name) => {
          const p = join(this.staging, name);
          if (!(await stat(p)).isFile()) throw new Error(`'${p}' is not a file`);
          await syncFile(p);
        }),
      );
      const record = join(this.staging, COMMIT);
      const fh = await open(record, 'w');
      try {
        await fh.writeFile(JSON.stringify({ files: names, remove: [...this.removals] } satisfies CommitRecord));
        await fh.sync();
      } finally {
        await fh.close();
      }
    } catch (err) {
      throw err instanceof AudiomillError ? err : ioError('commit the outputs in', this.staging, err);
    }
    this.state = 'committed';
    await rollForward(this.dir, this.staging, { files: names, remove: [...this.removals] });
    return names.map((n) => join(this.dir, n));
  }

  /** Removes the staging folder and everything in it; the destination is left as it was. Idempotent. */
  async rollback(): Promise<void> {
    if (this.state === 'committed') return;
    this.state = 'rolled back';
    await rm(this.staging, { recursive: true, force: true });
  }

  /**
   * Runs `fn` in a transaction on `dir`: committed when `fn` resolves, rolled back (and the error
   * rethrown) when it rejects.
   */
  static async run<T>(dir: string, fn: (tx: OutputTransaction) => Promise<T>): Promise<T> {
    const tx = await OutputTransaction.begin(dir);
    try {
      const result = await fn(tx);
      await tx.commit();
      return result;
    } catch (err) {
      await tx.rollback(); // nothing to undo once the commit record is written
      throw err;
    }
  }
}

/**
 * Writes a set of output files that may lie in several folders as one set: `fn` receives a staging
 * path for each of `paths` (same order) and writes them; when it resolves, the outputs of each folder
 * are committed (one {@link OutputTransaction} per folder, in the order of first appearance); when it
 * rejects, nothing is moved. Files in one folder are replaced together; across folders, a process
 * killed between two folders' commits leaves the first folder's outputs new and the next ones old.
 */
export async function stageOutputs<T>(paths: readonly string[], fn: (staged: string[]) => Promise<T>): Promise<T> {
  if (!Array.isArray(paths) || paths.some((p) => typeof p !== 'string' || p === '')) throw typeError('an array of output paths', 'paths', paths);
  const txs = new Map<string, OutputTransaction>();
  try {
    const staged: string[] = [];
    for (const path of paths) {
      const dir = dirname(path);
      let tx = txs.get(dir);
      if (!tx) txs.set(dir, (tx = await OutputTransaction.begin(dir)));
      staged.push(tx.path(basename(path)));
    }
    const result = await fn(staged);
    for (const tx of txs.values()) await tx.commit();
    return result;
  } catch (err) {
    for (const tx of txs.values()) await tx.rollback();
    throw err;
  }
}
