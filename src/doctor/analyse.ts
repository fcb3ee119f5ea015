/**
 * The doctor's one pass over the audio: each row decoded once at its file's own rate (segments of a file from one
 * streamed decode), then in batches, in the native pool: its bandwidth at that rate; the clip resampled to 16 kHz
 * for its content hash (16-bit quantised samples, SHA-256), its fingerprint and, when asked, its built-in
 * embedding.
 */
import { createHash } from 'node:crypto';
import { probeAudio } from '../audio/load.js';
import { Resample } from '../dsp/resample.js';
import { ClipLoader, rowFile } from '../manifest/clips.js';
import type { Row } from '../manifest/build.js';
import { BuiltinEncoder } from '../models/builtin.js';
import { bandwidths, type Bandwidth } from './bandwidth.js';
import { emptyFingerprint, FINGERPRINT, fingerprints, type Fingerprint } from './fingerprint.js';

export const HASH_RATE = 16000;
/** Samples at 16 kHz a clip needs for the built-in embedding (its frames' reflect padding). */
const MIN_EMBED = 400;

export interface Analysis {
  /** Per row: the content hash, or null when the row could not be read. */
  hashes: (string | null)[];
  prints: Fingerprint[];
  bandwidth: (Bandwidth | null)[];
  /** Per row: seconds decoded. */
  seconds: Float64Array;
  /** Per row: 1 when the clip is digital silence (every sample 0: equal hashes say nothing about a recording). */
  silent: Uint8Array;
  /** [rows, dim] builtin:logmel-stats embeddings, when asked; `has` marks the rows that have one. */
  embeddings?: { data: Float32Array; shape: [number, number]; has: Uint8Array };
  failed: { row: number; error: string }[];
}

/** The content hash of a 16-kHz clip: SHA-256 of its samples rounded to 16 bits. */
export function contentHash(x16k: Float32Array): string {
  const q = new Int16Array(x16k.length);
  for (let i = 0; i < x16k.length; i++) {
    const v = x16k[i]! * 32767;
    q[i] = v >= 32767 ? 32767 : v <= -32768 ? -32768 : Math.round(v);
  }
  return createHash('sha256').update(new Uint8Array(q.buffer)).digest('hex');
}

const resamplers = new Map<string, Resample>();
function resampler(from: number, to: number): Resample {
  const key = `${from}>${to}`;
  let r = resamplers.get(key);
  if (!r) resamplers.set(key, (r = new Resample({ origFreq: from, newFreq: to })));
  return r;
}

async function resampleAll(clips: readonly { samples: Float32Array; sampleRate: number }[], to: number): Promise<Float32Array[]> {
  const out: Float32Array[] = new Array(clips.length);
  const byRate = new Map<number, number[]>();
  clips.forEach((c, i) => {
    if (c.sampleRate === to) out[i] = c.samples;
    else byRate.set(c.sampleRate, [...(byRate.get(c.sampleRate) ?? []), i]);
  });
  for (const [rate, idx] of byRate) {
    const done = await resampler(rate, to).computeBatchAsync(idx.map((i) => clips[i]!.samples));
    idx.forEach((i, k) => (out[i] = done[k]!));
  }
  return out;
}

export interface AnalyseOptions {
  rows: readonly Row[];
  root: string;
  /** Also the builtin:logmel-stats embedding of every row. */
  embed?: boolean;
  progress?: (p: { done: number; total: number }) => void;
  signal?: AbortSignal;
  /** Rows per native batch (default 64). */
  batch?: number;
}

export async function analyseClips(options: AnalyseOptions): Promise<Analysis> {
  const { rows, root } = options;
  const n = rows.length;
  const batch = options.batch ?? 64;
  // Each file's own rate: the manifest's sample_rate column, else its header.
  const rateOf = new Map<string, number>();
  for (const r of rows) {
    const file = rowFile(root, r);
    if (rateOf.has(file)) continue;
    const sr = Number(r.sample_rate);
    rateOf.set(file, Number.isInteger(sr) && sr > 0 ? sr : await probeAudio(file).then((i) => i.sampleRate, () => 0));
  }
  const byRate = new Map<number, number[]>();
  rows.forEach((r, i) => {
    const rate = rateOf.get(rowFile(root, r))!;
    const list = byRate.get(rate);
    if (list) list.push(i);
    else byRate.set(rate, [i]);
  });
  const place = new Array<{ loader: ClipLoader; local: number; rate: number }>(n);
  const loaders: ClipLoader[] = [];
  for (const [rate, idx] of byRate) {
    const loader = new ClipLoader(idx.map((i) => rows[i]!), root, rate > 0 ? rate : HASH_RATE);
    loaders.push(loader);
    idx.forEach((i, local) => (place[i] = { loader, local, rate: rate > 0 ? rate : HASH_RATE }));
  }
  const hashes: (string | null)[] = new Array(n).fill(null);
  const prints: Fingerprint[] = Array.from({ length: n }, emptyFingerprint);
  const bandwidth: (Bandwidth | null)[] = new Array(n).fill(null);
  const seconds = new Float64Array(n);
  const silent = new Uint8Array(n);
  const failed: Analysis['failed'] = [];
  const encoder = options.embed ? new BuiltinEncoder('builtin:logmel-stats') : null;
  let embeddings: Analysis['embeddings'];
  try {
    let done = 0;
    for (let b0 = 0; b0 < n; b0 += batch) {
      if (options.signal?.aborted) break;
      const idx = Array.from({ length: Math.min(batch, n - b0) }, (_, k) => b0 + k);
      // Rows of one file in order; files in parallel.
      const files = new Map<string, number[]>();
      for (const i of idx) {
        const f = place[i]!.loader.fileOf(rows[i]!);
        files.set(f, [...(files.get(f) ?? []), i]);
      }
      const got = new Map<number, Float32Array>();
      await Promise.all(
        [...files.values()].map(async (list) => {
          for (const i of list) {
            try {
              const s = await place[i]!.loader.load(place[i]!.local);
              if (s.length === 0) throw new Error('the clip has no samples');
              got.set(i, s);
            } catch (err) {
              failed.push({ row: i, error: (err as Error).message });
            }
          }
        }),
      );
      const ok = idx.filter((i) => got.has(i));
      const clips = ok.map((i) => ({ samples: got.get(i)!, sampleRate: place[i]!.rate }));
      const [bw, x16] = await Promise.all([bandwidths(clips), resampleAll(clips, HASH_RATE)]);
      const xf = FINGERPRINT.sampleRate === HASH_RATE ? x16 : await resampler(HASH_RATE, FINGERPRINT.sampleRate).computeBatchAsync(x16);
      const fps = await fingerprints(xf);
      ok.forEach((i, k) => {
        bandwidth[i] = bw[k]!;
        hashes[i] = contentHash(x16[k]!);
        prints[i] = fps[k]!;
        seconds[i] = clips[k]!.samples.length / clips[k]!.sampleRate;
        silent[i] = x16[k]!.every((v) => v === 0) ? 1 : 0;
      });
      // The encoder's frames need a clip longer than its padding (25 ms); shorter clips get no embedding.
      const embeddable = ok.map((_, k) => k).filter((k) => x16[k]!.length > MIN_EMBED);
      if (encoder && embeddable.length) {
        const e = await encoder.sceneEmbeddings(embeddable.map((k) => x16[k]!));
        const dim = e.shape[1]!;
        embeddings ??= { data: new Float32Array(n * dim), shape: [n, dim], has: new Uint8Array(n) };
        embeddable.forEach((k, j) => {
          embeddings!.data.set(e.data.subarray(j * dim, (j + 1) * dim), ok[k]! * dim);
          embeddings!.has[ok[k]!] = 1;
        });
      }
      done += idx.length;
      options.progress?.({ done, total: n });
    }
  } finally {
    await Promise.all(loaders.map((l) => l.close()));
    await encoder?.close();
  }
  return { hashes, prints, bandwidth, seconds, silent, ...(embeddings ? { embeddings } : {}), failed: failed.sort((a, b) => a.row - b.row) };
}
