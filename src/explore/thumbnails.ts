/**
 * The grid's spectrogram thumbnails: each row's log-mel spectrogram (16 kHz, nFft 512, hop 160, 64 mels, the
 * SMAD notebook's view) max-pooled to at most 160 columns, drawn in magma with a per-clip scale (vmax the
 * clip's loudest cell, 80 dB of range), one PNG per row. Thumbnails are named by a hash of the file's path, size
 * and modification time, the row's span and these settings, so a second run reuses every one that is still
 * right and a changed file gets a new one (written atomically, so a name is never a half-written image); the
 * explorer removes those no row uses once the new page is written.
 */
import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { LogMelSpectrogram } from '../features/spectrogram.js';
import { writeFileAtomic } from '../io/atomic.js';
import { spectrogramPngAsync } from '../io/png.js';
import { ClipLoader, rowSpan } from '../manifest/clips.js';
import type { Row } from '../manifest/build.js';

export const THUMB = { sampleRate: 16000, nFft: 512, hop: 160, mels: 64, width: 160, maxSeconds: 30 } as const;
const VERSION = 1;

/** Max-pools a row-major [rows, cols] array to [outRows, outCols] (each output cell the largest of its block). */
export function maxPool(data: Float32Array, rows: number, cols: number, outRows: number, outCols: number): Float32Array {
  const out = new Float32Array(outRows * outCols).fill(-Infinity);
  for (let r = 0; r < rows; r++) {
    const orow = Math.min(outRows - 1, Math.floor((r * outRows) / rows));
    for (let c = 0; c < cols; c++) {
      const oc = Math.min(outCols - 1, Math.floor((c * outCols) / cols));
      const v = data[r * cols + c]!;
      const k = orow * outCols + oc;
      if (v > out[k]!) out[k] = v;
    }
  }
  return out;
}

export interface ThumbnailJob {
  /** Where the PNGs go (`<out>/thumbs`). */
  dir: string;
  rows: readonly Row[];
  root: string;
  /** Called after each row (done, total, reused). */
  progress?: (p: { done: number; total: number; reused?: boolean }) => void;
  signal?: AbortSignal;
  /** Files decoded at once (default 4). */
  concurrency?: number;
}

export interface ThumbnailResult {
  /** Each row's PNG file name in `dir`, or null where the clip could not be read. */
  files: (string | null)[];
  made: number;
  reused: number;
  failed: { row: number; error: string }[];
}

/** A row's thumbnail name: a hash of the settings, the file's identity (`s`, its stat) and the row's span. */
function keyOf(file: string, s: { size: number; mtimeMs: number } | null, r: Row): string | null {
  if (!s) return null;
  const { start, end } = rowSpan(r);
  return createHash('sha256').update(JSON.stringify([VERSION, THUMB, file, s.size, s.mtimeMs, start, end])).digest('hex').slice(0, 24);
}

export async function makeThumbnails(job: ThumbnailJob): Promise<ThumbnailResult> {
  const { rows, dir } = job;
  // Rows longer than maxSeconds are drawn from their first maxSeconds.
  const capped = rows.map((r) => {
    const { start, end } = rowSpan(r);
    return { ...r, start_time: start, end_time: end === null ? start + THUMB.maxSeconds : Math.min(end, start + THUMB.maxSeconds) };
  });
  const loader = new ClipLoader(capped, job.root, THUMB.sampleRate);
  const logmel = new LogMelSpectrogram({ sampleRate: THUMB.sampleRate, nFft: THUMB.nFft, hopLength: THUMB.hop, nMels: THUMB.mels });
  const files: (string | null)[] = new Array(rows.length).fill(null);
  const result: ThumbnailResult = { files, made: 0, reused: 0, failed: [] };
  let existing = new Set<string>();
  try {
    existing = new Set(await readdir(dir));
  } catch {
    existing = new Set();
  }
  // Rows of one file run in order, one file at a time per worker, so a file's segments come from one decode.
  const groups = new Map<string, number[]>();
  rows.forEach((r, i) => {
    const f = loader.fileOf(capped[i]!);
    const g = groups.get(f) ?? [];
    g.push(i);
    groups.set(f, g);
  });
  const queue = [...groups.entries()];
  let done = 0;
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const [file, members] = next;
      const identity = await stat(file).catch(() => null);
      for (const i of members) {
        if (job.signal?.aborted) return;
        const key = keyOf(file, identity, rows[i]!);
        const name = key ? `${key}.png` : null;
        if (name && existing.has(name)) {
          files[i] = name;
          result.reused++;
          job.progress?.({ done: ++done, total: rows.length, reused: true });
          continue;
        }
        try {
          if (!name) throw new Error(`cannot read '${file}'`);
          const samples = await loader.load(i);
          if (samples.length === 0) throw new Error('the clip has no samples');
          const { data, shape } = await logmel.computeAsync(samples);
          const [mels, frames] = shape as [number, number];
          const width = Math.min(THUMB.width, frames);
          const pooled = width === frames ? data : maxPool(data, mels, frames, mels, width);
          await writeFileAtomic(join(dir, name), await spectrogramPngAsync(pooled, mels, width, { range: 80 }));
          files[i] = name;
          result.made++;
        } catch (err) {
          result.failed.push({ row: i, error: (err as Error).message });
        }
        job.progress?.({ done: ++done, total: rows.length });
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, job.concurrency ?? 4) }, worker));
  } finally {
    await loader.close();
  }
  return result;
}
