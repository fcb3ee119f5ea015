/**
 * The detections tab: per tape, a long spectrogram strip with the detected selections (and the truth, when
 * given) drawn over it, each box coloured by how it matched (`matchEvents`: one-to-one at the IoU, as `eval
 * detect` counts them). The strip is a linear-frequency power spectrogram of the whole tape (its own rate,
 * nFft 1024 above 32 kHz, else 512, hop nFft / 2), max-pooled to at most 8,000 × 128 pixels while the tape
 * streams through, so a tape of hours takes one pooled image's memory.
 */
import { mkdir } from 'node:fs/promises';
import { writeFileAtomic } from '../io/atomic.js';
import { join } from 'node:path';
import { openAudioStream } from '../audio/stream.js';
import { probeAudio } from '../audio/load.js';
import { matchEvents } from '../events/match.js';
import { listTables, tapesByName } from '../events/tape-tables.js';
import { Spectrogram } from '../features/spectrogram.js';
import { spectrogramPngAsync } from '../io/png.js';
import { readRavenTable, type RavenTableRow } from '../io/raven-table.js';
import type { PageBox, PageDetections, PageTape } from './page-types.js';

export interface DetectionsOptions {
  /** Raven tables of detections, one per tape (subfolders included). */
  pred: string;
  /** Raven tables of the truth, matched to the detections tape by tape. */
  truth?: string;
  /** The recordings, for the strips' spectrograms (matched by file name). */
  tapes?: string;
  /** IoU a detection and a truth need to match (default 0.4, as `eval detect`). */
  iou?: number;
  /** The tables' label column (default 'Annotation'). */
  labelColumn?: string;
}

const MAX_WIDTH = 8000, ROWS = 128;

/** A tape's pooled power spectrogram as PNG, with its duration and frequency range. */
export async function stripImage(file: string): Promise<{ png: Uint8Array; duration: number; fMax: number }> {
  const info = await probeAudio(file);
  const rate = info.sampleRate;
  const duration = info.numFrames / rate;
  const nFft = rate > 32000 ? 1024 : 512, hop = nFft / 2, bins = nFft / 2 + 1;
  const frames = Math.floor(info.numFrames / hop) + 1;
  const width = Math.max(1, Math.min(MAX_WIDTH, frames));
  const pooled = new Float32Array(ROWS * width);
  const spec = new Spectrogram({ nFft, hopLength: hop, power: 2 });
  const stream = spec.stream();
  let frame = 0;
  const add = (t: { data: Float32Array; shape: readonly number[] }) => {
    const f = t.shape[1] ?? 0;
    for (let b = 0; b < bins; b++) {
      const r = Math.min(ROWS - 1, Math.floor((b * ROWS) / bins));
      for (let j = 0; j < f; j++) {
        const c = Math.min(width - 1, Math.floor(((frame + j) * width) / frames));
        const v = t.data[b * f + j]!;
        const k = r * width + c;
        if (v > pooled[k]!) pooled[k] = v;
      }
    }
    frame += f;
  };
  for await (const block of openAudioStream(file, { mono: true })) add(stream.push(block.channels[0]!));
  add(stream.flush());
  for (let k = 0; k < pooled.length; k++) pooled[k] = 10 * Math.log10(Math.max(pooled[k]!, 1e-10));
  return { png: await spectrogramPngAsync(pooled, ROWS, width, { range: 80 }), duration, fMax: rate / 2 };
}

const box = (r: RavenTableRow, kind: PageBox['kind']): PageBox => ({ start: r.begin, end: r.end, low: r.lowFreq ?? 0, high: r.highFreq ?? 0, kind, label: r.label ?? '' });

export async function buildDetections(options: DetectionsOptions, dir: string, progress?: (p: { done: number; total: number }) => void): Promise<PageDetections> {
  const iou = options.iou ?? 0.4;
  const read = { ...(options.labelColumn ? { labelColumn: options.labelColumn } : {}) };
  const pred = await listTables(options.pred, '--detections');
  const truth = options.truth ? await listTables(options.truth, '--truth') : new Map<string, string>();
  const recordings = options.tapes ? await tapesByName(options.tapes) : new Map<string, string>();
  const names = [...new Set([...pred.keys(), ...truth.keys()])].sort();
  await mkdir(dir, { recursive: true });
  const tapes: PageTape[] = [];
  for (const [t, name] of names.entries()) {
    const det = pred.has(name) ? (await readRavenTable(join(options.pred, pred.get(name)!), read)).rows : [];
    const tru = truth.has(name) ? (await readRavenTable(join(options.truth!, truth.get(name)!), read)).rows : [];
    const boxes: PageBox[] = [];
    const counts = { matched: 0, missed: 0, false: 0 };
    if (options.truth) {
      const m = matchEvents(det, tru, { iou });
      const dHit = new Set(m.pairs.map((p) => p.detection)), tHit = new Set(m.pairs.map((p) => p.truth));
      tru.forEach((r, i) => boxes.push(box(r, tHit.has(i) ? 'matched' : 'missed')));
      det.forEach((r, i) => boxes.push(box(r, dHit.has(i) ? 'matched' : 'false')));
      counts.matched = m.overall.tp;
      counts.missed = m.overall.fn;
      counts.false = m.overall.fp;
    } else det.forEach((r) => boxes.push(box(r, 'detection')));
    let image: string | null = null, duration = 1, fMax = 1;
    for (const b of boxes) (duration = Math.max(duration, b.end)), (fMax = Math.max(fMax, b.high));
    const file = recordings.get(name);
    if (file) {
      const s = await stripImage(file);
      const png = `strip-${t}.png`;
      await writeFileAtomic(join(dir, png), s.png);
      image = `strips/${png}`;
      duration = s.duration;
      fMax = s.fMax;
    }
    for (const b of boxes) if (!(b.high > b.low)) (b.low = 0), (b.high = fMax);
    tapes.push({ name, image, duration, fMin: 0, fMax, boxes, counts });
    progress?.({ done: t + 1, total: names.length });
  }
  return { iou, tapes };
}
