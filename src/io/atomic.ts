/**
 * Atomic file writes: the data goes to a temporary file beside the target (same folder, so the
 * same filesystem), is flushed to disk, then renamed over the target. A reader sees the old file
 * or the new one, never half of one; a process killed mid-write leaves the old file and a
 * `.<name>.tmp-*` file that the next write replaces.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ioError } from '../errors.js';

/** A temporary name beside `target` (same folder, so a rename replaces it atomically). */
export function tempPath(target: string): string {
  return join(dirname(target), `.${basename(target)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
}

/** Creates the folder `path` will be written into, with its parents (an AudiomillError `IO` naming the folder). */
export async function makeFolderFor(path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true }).catch((err: unknown) => {
    throw ioError('create the folder', dirname(path), err);
  });
}

/** Writes `data` (or its chunks, in order, never joined in memory) to `target` atomically. */
export async function writeFileAtomic(target: string, data: string | Uint8Array | readonly Uint8Array[]): Promise<void> {
  const tmp = tempPath(target);
  try {
    const fh = await open(tmp, 'w');
    try {
      if (Array.isArray(data)) for (const chunk of data as readonly Uint8Array[]) await fh.writeFile(chunk); // from the current position
      else await fh.writeFile(data as string | Uint8Array);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, target);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** writeFileAtomic on the calling thread. */
export function writeFileAtomicSync(target: string, data: string | Uint8Array | readonly Uint8Array[]): void {
  const tmp = tempPath(target);
  const chunks = typeof data === 'string' ? [Buffer.from(data)] : Array.isArray(data) ? (data as readonly Uint8Array[]) : [data as Uint8Array];
  try {
    const fd = openSync(tmp, 'w');
    try {
      for (const chunk of chunks) for (let at = 0; at < chunk.length; ) at += writeSync(fd, chunk, at, chunk.length - at);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, target);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
