/**
 * How the page reaches each row's audio. `link` (default): a relative URL to the source file, with a media
 * fragment `#t=start,end` for a segment, so nothing is copied (the page plays the files where they are; move
 * the page and its dataset together). `copy`: each source file copied into `<out>/audio/` (a folder that can
 * be moved or zipped on its own). `wav`: each row cut and written as a 16-bit mono WAV clip at its file's rate
 * (`<out>/audio/<key>.wav`), for sources a browser cannot play or segments of long tapes. `none`: no players.
 */
import { createHash } from 'node:crypto';
import { copyFile, mkdir, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { loadAudio } from '../audio/load.js';
import { writeFileAtomic } from '../io/atomic.js';
import { encodeWav } from '../io/wav-write.js';
import { rowFile, rowSpan } from '../manifest/clips.js';
import type { Row } from '../manifest/build.js';

export type AudioMode = 'link' | 'copy' | 'wav' | 'none';
export const AUDIO_MODES: readonly AudioMode[] = ['link', 'copy', 'wav', 'none'];

/** A relative file path as a URL path (each part percent-encoded, `/` between). */
export function urlPath(rel: string): string {
  return rel.split(sep).join('/').split('/').map(encodeURIComponent).join('/');
}

function fragment(r: Row): string {
  const { start, end } = rowSpan(r);
  if (start <= 0 && end === null) return '';
  return `#t=${+start.toFixed(3)}${end === null ? '' : `,${+end.toFixed(3)}`}`;
}

export interface AudioJob {
  out: string;
  rows: readonly Row[];
  root: string;
  mode: AudioMode;
  progress?: (p: { done: number; total: number; reused?: boolean }) => void;
  signal?: AbortSignal;
}

export interface AudioResult {
  /** Each row's URL relative to the page (null: none). */
  urls: (string | null)[];
  /** The absolute files the URLs point to (the server serves these and nothing else outside the page's folder). */
  files: (string | null)[];
  failed: { row: number; error: string }[];
}


export async function linkAudio(job: AudioJob): Promise<AudioResult> {
  const { rows, out, mode } = job;
  const urls: (string | null)[] = new Array(rows.length).fill(null);
  const files: (string | null)[] = new Array(rows.length).fill(null);
  const failed: AudioResult['failed'] = [];
  const dir = join(out, 'audio');
  if (mode === 'none') return { urls, files, failed };
  if (mode === 'link') {
    rows.forEach((r, i) => {
      const file = rowFile(job.root, r);
      files[i] = file;
      urls[i] = urlPath(relative(out, file)) + fragment(r);
    });
    return { urls, files, failed };
  }
  await mkdir(dir, { recursive: true });
  let done = 0;
  if (mode === 'copy') {
    const copied = new Map<string, string>();
    for (const [i, r] of rows.entries()) {
      if (job.signal?.aborted) break;
      const file = rowFile(job.root, r);
      let rel = copied.get(file);
      try {
        if (rel === undefined) {
          const inside = relative(job.root, file);
          rel = inside.startsWith('..') || isAbsolute(inside) ? join('_outside', `${createHash('sha256').update(file).digest('hex').slice(0, 12)}-${basename(file)}`) : inside;
          const target = join(dir, rel);
          const [s, t] = await Promise.all([stat(file), stat(target).catch(() => null)]);
          if (!t || t.size !== s.size || t.mtimeMs < s.mtimeMs) {
            await mkdir(dirname(target), { recursive: true });
            await copyFile(file, target);
          }
          copied.set(file, rel);
        }
        files[i] = join(dir, rel);
        urls[i] = `audio/${urlPath(rel)}${fragment(r)}`;
      } catch (err) {
        failed.push({ row: i, error: (err as Error).message });
      }
      job.progress?.({ done: ++done, total: rows.length });
    }
    return { urls, files, failed };
  }
  // wav: one clip per row, named by the source's identity and the span.
  for (const [i, r] of rows.entries()) {
    if (job.signal?.aborted) break;
    const file = rowFile(job.root, r);
    try {
      const s = await stat(file);
      const { start, end } = rowSpan(r);
      const name = `${createHash('sha256').update(JSON.stringify([file, s.size, s.mtimeMs, start, end])).digest('hex').slice(0, 24)}.wav`;
      const target = join(dir, name);
      const exists = await stat(target).then(() => true, () => false);
      if (!exists) {
        const clip = await loadAudio(file, { mono: true, ...(start > 0 ? { offset: start } : {}), ...(end !== null ? { duration: Math.max(0, end - start) } : {}) });
        await writeFileAtomic(target, encodeWav([clip.channels[0]!], clip.sampleRate));
      }
      files[i] = target;
      urls[i] = `audio/${name}`;
      job.progress?.({ done: ++done, total: rows.length, reused: exists });
    } catch (err) {
      failed.push({ row: i, error: (err as Error).message });
      job.progress?.({ done: ++done, total: rows.length });
    }
  }
  return { urls, files, failed };
}
