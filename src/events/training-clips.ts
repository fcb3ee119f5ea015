/**
 * `buildClips` (the `audiomill clips` command): training clips for a window classifier from tapes and their Raven
 * selection tables, as the seed workflow's dataset preparation builds them — every selection cut to `seqLen`, noise
 * clips mined from the same tapes away from every selection, a seeded train/val/test split by tape or by clip, and the
 * clips, their CSV lists, a Raven table per target clip, optional spectrogram PNGs and an index, written together.
 */
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { loadAudio, probeAudio } from '../audio/load.js';
import { audiomillVersion } from '../dsp/runtime.js';
import { AudiomillError } from '../errors.js';
import { LogMelSpectrogram, type LogMelSpectrogramOptions } from '../features/spectrogram.js';
import { csvField } from '../io/csv.js';
import { spectrogramPng } from '../io/png.js';
import { formatRavenTable, readRavenTable } from '../io/raven-table.js';
import { OutputTransaction } from '../io/transaction.js';
import { encodeWav } from '../io/wav-write.js';
import { seededHash, splitRows } from '../manifest/splits.js';
import { int, num, oneOf, typeError } from '../validate.js';
import { listTables, tapesByName } from './tape-tables.js';

/** Options of {@link buildClips}. */
export interface BuildClipsOptions {
  /** Folder of recordings (searched recursively); each tape is known by its file name without the extension. */
  tapes: string;
  /** Folder of Raven selection tables, one per tape (`<tape>.Table.1.selections.txt`, `<tape>.selections.txt`, `<tape>.txt`). */
  tables: string;
  /** Output folder. */
  out: string;
  /** Clip length in seconds (the seed's sequence_len, e.g. 0.4). */
  seqLen: number;
  /** Noise clips keep at least this many seconds from every selection (the seed's margin_s, default 0.1). */
  marginS?: number;
  /** Noise clips per target clip, tape by tape (default 1). */
  noiseRatio?: number;
  /** 'tape' (default): no tape in two splits; 'clip': clips split one by one. */
  splitBy?: 'tape' | 'clip';
  /** Split names and shares (default { train: 0.7, val: 0.15, test: 0.15 }). */
  ratios?: Record<string, number>;
  /** Seed of the split and of the noise placement (default 42). */
  seed?: number;
  /** Resample the clips to this rate (default: each tape's own). */
  sampleRate?: number;
  /** The tables' label column (default 'Annotation'); selections without a label are labelled 'target'. */
  labelColumn?: string;
  /** Also write a log-mel spectrogram PNG per clip (true: 64 mels, torchaudio's defaults; or LogMelSpectrogram options). */
  spectrograms?: boolean | LogMelSpectrogramOptions;
  /** Called after every clip written. */
  onProgress?: (p: { done: number; total: number }) => void;
  /** Stops before the next clip (AudiomillError `ABORTED`; the previous outputs stay as they were). */
  signal?: AbortSignal;
}

/** One clip: a row of train.csv / val.csv / test.csv. */
export interface ClipRow {
  /** The WAV file, relative to the output folder. */
  path: string;
  /** The selection's label, or 'noise'. */
  label: string;
  kind: 'target' | 'noise';
  tape: string;
  /** The clip's span in the tape, seconds. */
  begin: number;
  end: number;
  /** Target clips: the selection's span in the tape and its number; null for noise. */
  selection: number | null;
  selection_begin: number | null;
  selection_end: number | null;
  /** The selection was longer than the clip (the clip holds its middle). */
  cropped: boolean;
  split: string;
}

/** What {@link buildClips} returns (index.json holds the same, and the options). */
export interface BuildClipsResult {
  out: string;
  clips: ClipRow[];
  /** Clips per split and kind. */
  counts: Record<string, { target: number; noise: number }>;
  tapes: { tape: string; duration: number; targets: number; noise: number; noiseShortfall: number }[];
  /** Tapes without a table (left out) and tables without a tape (ignored). */
  tapesWithoutTable: string[];
  tablesWithoutTape: string[];
  /** The post-check of the noise clips per tape: overlapping pairs, exact duplicates, clips within the margin of a selection. */
  checks: { noiseOverlaps: number; noiseDuplicates: number; noiseNearSelections: number };
  files: string[];
}

const ms = (t: number) => String(Math.round(t * 1000));
const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '-');

/** Sorted, merged intervals. */
function merge(iv: [number, number][]): [number, number][] {
  iv.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: [number, number][] = [];
  for (const [a, b] of iv) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** [lo, hi] minus the merged intervals `cut`. */
function subtract(lo: number, hi: number, cut: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  let at = lo;
  for (const [a, b] of cut) {
    if (b <= at) continue;
    if (a >= hi) break;
    if (a > at) out.push([at, Math.min(a, hi)]);
    at = Math.max(at, b);
  }
  if (at < hi) out.push([at, hi]);
  return out;
}

/**
 * Noise clip starts for one tape: each drawn uniformly (a seeded hash of the tape and the clip number) from the starts
 * whose clip stays `margin` away from every selection and does not overlap the noise clips already placed.
 */
export function mineNoise(duration: number, selections: readonly { begin: number; end: number }[], count: number, seqLen: number, margin: number, seed: number, tape: string): number[] {
  const blocked = merge(selections.map((s) => [s.begin - margin - seqLen, s.end + margin] as [number, number]));
  // Open intervals of allowed starts in [0, duration - seqLen], kept up to date as starts are placed: a start s in
  // [a, b) removes (s - seqLen, s + seqLen), which cannot reach another free interval (the gaps between them are
  // blocked spans of at least seqLen), so each draw only splits the interval it lands in.
  const free = subtract(0, duration - seqLen, blocked).filter(([a, b]) => b > a);
  const starts: number[] = [];
  for (let k = 0; k < count; k++) {
    const total = free.reduce((sum, [a, b]) => sum + (b - a), 0);
    if (!(total > 0)) break;
    let u = (seededHash(seed, `${tape}#noise#${k}`) / 4294967296) * total;
    for (let i = 0; i < free.length; i++) {
      const [a, b] = free[i]!;
      if (u < b - a || i === free.length - 1) {
        const s = a + Math.min(u, b - a);
        starts.push(s);
        free.splice(i, 1, ...([[a, s - seqLen], [s + seqLen, b]] as [number, number][]).filter(([x, y]) => y > x));
        break;
      }
      u -= b - a;
    }
  }
  return starts;
}

/** Builds the clip dataset (see {@link BuildClipsOptions}); re-running with the same inputs and seed writes the same bytes. */
export async function buildClips(options: BuildClipsOptions): Promise<BuildClipsResult> {
  if (options === null || typeof options !== 'object') throw typeError('an options object { tapes, tables, out, seqLen }', 'options', options);
  for (const k of ['tapes', 'tables', 'out'] as const) if (typeof options[k] !== 'string' || options[k] === '') throw typeError('a folder path', k, options[k]);
  const seqLen = num(options.seqLen, 'seqLen', { min: 0, exclusiveMin: true });
  const margin = options.marginS === undefined ? 0.1 : num(options.marginS, 'marginS', { min: 0 });
  const noiseRatio = options.noiseRatio === undefined ? 1 : num(options.noiseRatio, 'noiseRatio', { min: 0 });
  const splitBy = options.splitBy === undefined ? 'tape' : oneOf(options.splitBy, 'splitBy', ['tape', 'clip'] as const);
  const ratios = options.ratios ?? { train: 0.7, val: 0.15, test: 0.15 };
  const seed = options.seed === undefined ? 42 : int(options.seed, 'seed', 0);
  const outRate = options.sampleRate === undefined ? undefined : int(options.sampleRate, 'sampleRate', 1);
  const specOptions = options.spectrograms === undefined || options.spectrograms === false ? null : options.spectrograms === true ? {} : options.spectrograms;

  // Tapes by name; tables by the tape they name.
  const tapes = await tapesByName(options.tapes);
  const tables = new Map([...(await listTables(options.tables, 'tables'))].map(([tape, name]) => [tape, join(options.tables, name)]));
  const names = [...tapes.keys()].sort();
  const tapesWithoutTable = names.filter((n) => !tables.has(n));
  const tablesWithoutTape = [...tables.keys()].filter((n) => !tapes.has(n)).sort();
  const used = names.filter((n) => tables.has(n));
  if (used.length === 0) throw new AudiomillError('IO', `No tape in ${options.tapes} has a table in ${options.tables} (tables are matched by the tape's file name)`, { path: options.tables });

  // Clips, tape by tape.
  const rows: Omit<ClipRow, 'split'>[] = [];
  const bands = new Map<number, { low: number; high: number }>(); // by row: each target's band
  const perTape: BuildClipsResult['tapes'] = [];
  const checks = { noiseOverlaps: 0, noiseDuplicates: 0, noiseNearSelections: 0 };
  for (const tape of used) {
    const info = await probeAudio(tapes.get(tape)!);
    const rate = info.sampleRate;
    const grid = (t: number) => Math.round(t * rate) / rate;
    const duration = info.duration;
    const sel = (await readRavenTable(tables.get(tape)!, options.labelColumn === undefined ? {} : { labelColumn: options.labelColumn })).rows;
    for (const s of sel) {
      if (!(s.begin < duration)) {
        throw new AudiomillError('DECODE_CORRUPT', `Selection ${s.selection} of ${tables.get(tape)} begins at ${s.begin} s, after the end of its tape (${duration} s)`, { path: tables.get(tape)! });
      }
      const c = (s.begin + s.end) / 2;
      const begin = grid(Math.min(Math.max(0, c - seqLen / 2), Math.max(0, duration - seqLen)));
      const label = s.label === undefined || s.label === '' ? 'target' : s.label;
      const name = `clips/${safe(tape)}_${safe(label)}_${s.selection}_${ms(begin)}.wav`;
      rows.push({ path: name, label, kind: 'target', tape, begin, end: begin + seqLen, selection: s.selection, selection_begin: s.begin, selection_end: s.end, cropped: s.end - s.begin > seqLen });
      bands.set(rows.length - 1, { low: s.lowFreq, high: s.highFreq });
    }
    const want = Math.round(noiseRatio * sel.length);
    const starts = mineNoise(duration, sel, want, seqLen, margin, seed, tape).map(grid);
    starts.forEach((b, k) => rows.push({ path: `clips/${safe(tape)}_noise_${k + 1}_${ms(b)}.wav`, label: 'noise', kind: 'noise', tape, begin: b, end: b + seqLen, selection: null, selection_begin: null, selection_end: null, cropped: false }));
    // The post-check (by construction all zero; kept as the seed keeps it, against regressions and rounding).
    const sorted = [...starts].sort((a, b) => a - b);
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i] === sorted[i - 1]) checks.noiseDuplicates++;
      else if (sorted[i]! < sorted[i - 1]! + seqLen - 1e-9) checks.noiseOverlaps++;
    }
    for (const b of starts) if (sel.some((s) => b < s.end + margin - 1e-9 && b + seqLen > s.begin - margin + 1e-9)) checks.noiseNearSelections++;
    perTape.push({ tape, duration, targets: sel.length, noise: starts.length, noiseShortfall: want - starts.length });
  }
  // Names made safe for file systems can coincide ('a b' and 'a-b'; a target labelled 'noise' and a noise clip):
  // the later clip gets a numbered suffix, so no clip overwrites another.
  const taken = new Set<string>();
  for (const r of rows) {
    let name = r.path;
    for (let k = 2; taken.has(name); k++) name = r.path.replace(/\.wav$/, `-${k}.wav`);
    taken.add(name);
    r.path = name;
  }
  const splits = splitRows(rows as unknown as Record<string, unknown>[], { ratios, seed, stratify: 'kind', ...(splitBy === 'tape' ? { group: 'tape' } : {}) });
  const clips: ClipRow[] = rows.map((r, i) => ({ ...r, split: splits[i]! }));
  const counts: BuildClipsResult['counts'] = {};
  for (const s of Object.keys(ratios)) counts[s] = { target: 0, noise: 0 };
  for (const c of clips) counts[c.split]![c.kind]++;

  // One log-mel transform per clip rate (the tapes' own rates unless resampled).
  const transforms = new Map<number, LogMelSpectrogram>();
  const transformAt = (rate: number) => {
    let t = transforms.get(rate);
    if (!t) transforms.set(rate, (t = new LogMelSpectrogram({ preset: 'torchaudio', nMels: 64, ...specOptions, sampleRate: rate })));
    return t;
  };
  let previous: string[] = [];
  try {
    previous = (JSON.parse(await readFile(join(options.out, 'index.json'), 'utf8')) as { files?: string[] }).files ?? [];
  } catch {
    previous = [];
  }
  const files: string[] = [];
  await OutputTransaction.run(options.out, async (tx) => {
    const write = async (name: string, data: string | Uint8Array) => {
      await tx.writeFile(name, data);
      files.push(name);
    };
    for (let i = 0; i < clips.length; i++) {
      if (options.signal?.aborted) throw new AudiomillError('ABORTED', `clips stopped after ${i} of ${clips.length} clips; the previous outputs in '${options.out}' were left as they were`, { path: options.out });
      const c = clips[i]!;
      const a = await loadAudio(tapes.get(c.tape)!, { offset: c.begin, duration: seqLen, mono: true, ...(outRate ? { sampleRate: outRate } : {}) });
      const n = Math.round(seqLen * a.sampleRate);
      const x = new Float32Array(n);
      x.set(a.channels[0]!.subarray(0, n));
      await write(c.path, encodeWav([x], a.sampleRate));
      if (c.kind === 'target') {
        const band = bands.get(i)!;
        const table = formatRavenTable([{ begin: Math.max(0, c.selection_begin! - c.begin), end: Math.min(seqLen, c.selection_end! - c.begin), lowFreq: band.low, highFreq: band.high, label: c.label }]);
        await write(`selection_tables/${basename(c.path, '.wav')}.Table.1.selections.txt`, table);
      }
      if (specOptions) {
        const s = await transformAt(a.sampleRate).computeAsync(x);
        await write(`spectrograms/${basename(c.path, '.wav')}.png`, spectrogramPng(s.data, s.shape[0]!, s.shape[1]!));
      }
      options.onProgress?.({ done: i + 1, total: clips.length });
    }
    const columns = ['path', 'label', 'kind', 'tape', 'begin', 'end', 'selection', 'selection_begin', 'selection_end', 'cropped'] as const;
    for (const split of Object.keys(ratios)) {
      const lines = [columns.join(','), ...clips.filter((c) => c.split === split).map((c) => columns.map((k) => csvField(c[k])).join(','))];
      await write(`${split}.csv`, `${lines.join('\n')}\n`);
    }
    const index = {
      command: 'clips',
      audiomill: audiomillVersion(),
      options: { tapes: options.tapes, tables: options.tables, seqLen, marginS: margin, noiseRatio, splitBy, ratios, seed, sampleRate: outRate ?? null, spectrograms: specOptions !== null },
      counts,
      tapes: perTape,
      tapesWithoutTable,
      tablesWithoutTape,
      checks,
      files: [...files, 'index.json'].sort(),
    };
    for (const f of previous) if (!index.files.includes(f)) tx.remove(f);
    await tx.writeFile('index.json', `${JSON.stringify(index, null, 2)}\n`);
  });
  return { out: options.out, clips, counts, tapes: perTape, tapesWithoutTable, tablesWithoutTape, checks, files: [...files, 'index.json'].sort() };
}
