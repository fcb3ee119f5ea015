/**
 * `detectTapes` (the `audiomill detect` command): every tape of a folder (or one file) scanned with
 * `slidingWindowScores`, its window scores merged by `scoresToEvents`, and written as one Raven selection table per
 * tape plus `index.json` (the run's options, the model, and per tape its duration, windows and events).
 */
import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { probeAudio } from '../audio/load.js';
import { audiomillVersion } from '../dsp/runtime.js';
import { openEncoder } from '../embed/dataset.js';
import { AudiomillError, ioError } from '../errors.js';
import { makeFolderFor, writeFileAtomic } from '../io/atomic.js';
import { writeRavenTable, type RavenTableRow } from '../io/raven-table.js';
import { walkAudio } from '../manifest/walk.js';
import type { RandomForestClassifier } from '../forest/random-forest.js';
import type { AudioEncoder } from '../models/encoder.js';
import { SpeechDetector } from '../models/vad.js';
import { int, num, oneOf, typeError } from '../validate.js';
import { scoresToEvents, type ScoresToEventsOptions } from './scores-to-events.js';
import { featuresFile, filterTape, openSelectionFilter } from './selection-filter.js';
import { previousTables, removeStaleTables } from './tape-tables.js';
import { encoderScorer, slidingWindowScores, speechScorer, type EncoderScorerOptions, type WindowScorer } from './sliding-window.js';

/** Options of {@link detectTapes}. */
export interface DetectTapesOptions extends ScoresToEventsOptions, Omit<EncoderScorerOptions, 'head'> {
  /** A folder of tapes (searched recursively for audio files) or one audio file. */
  input: string;
  /**
   * What scores the windows: a scorer, an encoder, an ONNX spec path (its column `output` is the score), a built-in
   * encoder name, or 'silero' (Silero VAD's speech probability, the window's maximum).
   */
  model: WindowScorer | AudioEncoder | string;
  /** Window length and hop in seconds (the seed's sequence_len and hop, e.g. 0.4 and 0.05). */
  seqLen: number;
  hop: number;
  /** Windows per scorer call (default 256; an ONNX encoder splits them into calls of its spec's batchSize). */
  batchSize?: number;
  /** Output folder: one `<tape>.Table.1.selections.txt` per tape (the tape's relative path kept) and index.json. */
  out: string;
  /**
   * A random-forest filter (a model file from `filter train`, or a loaded forest): only the selections it keeps are
   * written, each with its `RF Score`; every selection's features go to `<out>/features/<table>.features_all.csv`.
   */
  filter?: string | RandomForestClassifier;
  /** Keep selections whose filter probability is at least this (default: the model's, 0.5). */
  filterThreshold?: number;
  /** Called as tapes are scanned: seconds of audio done and in all. */
  onProgress?: (p: { done: number; total: number }) => void;
  /** Stops after the batches in flight (AudiomillError `ABORTED`; the tables written so far stay, index.json is not written). */
  signal?: AbortSignal;
}

/** One tape of a run. */
export interface DetectedTape {
  /** Relative to the input folder ('/' separated), or the file's name. */
  path: string;
  /** The table written, relative to `out`. */
  table: string;
  duration: number;
  windows: number;
  /** Selections written (after the filter, with one). */
  events: number;
  /** With a filter: selections before it. */
  unfiltered?: number;
}

/** What {@link detectTapes} returns (and writes as index.json). */
export interface DetectTapesResult {
  out: string;
  tapes: DetectedTape[];
  /** Seconds of audio, windows and events over every tape. */
  seconds: number;
  windows: number;
  events: number;
  elapsedSeconds: number;
}

async function scorerOf(model: DetectTapesOptions['model'], options: EncoderScorerOptions): Promise<{ scorer: WindowScorer; name: string; close?: () => Promise<void> }> {
  if (typeof model === 'string') {
    if (model === 'silero') {
      const d = await SpeechDetector.create();
      return { scorer: speechScorer(d), name: 'silero', close: () => d.close() };
    }
    const { encoder, owned } = await openEncoder(model);
    try {
      return { scorer: encoderScorer(encoder, options), name: encoder.name, ...(owned ? { close: () => encoder.close() } : {}) };
    } catch (err) {
      if (owned) await encoder.close();
      throw err;
    }
  }
  if (model !== null && typeof model === 'object' && typeof (model as WindowScorer).scoreWindows === 'function') return { scorer: model as WindowScorer, name: 'scorer' };
  if (model !== null && typeof model === 'object' && typeof (model as AudioEncoder).sceneEmbeddings === 'function') {
    return { scorer: encoderScorer(model as AudioEncoder, options), name: (model as AudioEncoder).name };
  }
  throw typeError("a window scorer, an encoder, a spec path, a built-in name or 'silero'", 'model', model);
}

/** The table of a tape: its relative path without the extension, plus Raven's default ending. */
function tableOf(rel: string): string {
  return `${rel.replace(/\.[^./]+$/, '')}.Table.1.selections.txt`;
}

/** Scans every tape and writes its table (see {@link DetectTapesOptions}). */
export async function detectTapes(options: DetectTapesOptions): Promise<DetectTapesResult> {
  if (options === null || typeof options !== 'object') throw typeError('an options object { input, model, seqLen, hop, out }', 'options', options);
  if (typeof options.input !== 'string' || options.input === '') throw typeError('a folder of tapes or an audio file', 'input', options.input);
  if (typeof options.out !== 'string' || options.out === '') throw typeError('an output folder', 'out', options.out);
  const t0 = performance.now();
  const st = await stat(options.input).catch((err: unknown) => {
    throw ioError('read the input', options.input, err);
  });
  const files = st.isDirectory() ? (await walkAudio(options.input)).map((f) => ({ path: f.path, absolute: f.absolute })) : [{ path: basename(options.input), absolute: options.input }];
  if (files.length === 0) throw new AudiomillError('IO', `No audio files in ${options.input}`, { path: options.input });
  const { threshold, medianFilter, mergeOverlapping, minGap, minDuration, label, lowFreq, highFreq } = options;
  const eventOptions: ScoresToEventsOptions = { threshold, medianFilter, mergeOverlapping, minGap, minDuration, label, lowFreq, highFreq };
  for (const k of Object.keys(eventOptions) as (keyof ScoresToEventsOptions)[]) if (eventOptions[k] === undefined) delete eventOptions[k];
  // Every option is checked before a file is probed or a model loaded.
  scoresToEvents({ begin: [], end: [], score: [] }, eventOptions);
  num(options.seqLen, 'seqLen', { min: 0, exclusiveMin: true });
  num(options.hop, 'hop', { min: 0, exclusiveMin: true });
  if (options.batchSize !== undefined) int(options.batchSize, 'batchSize', 1);
  if (options.output !== undefined) int(options.output, 'output', 0);
  if (options.activation !== undefined) oneOf(options.activation, 'activation', ['none', 'sigmoid'] as const);
  if (options.filterThreshold !== undefined) num(options.filterThreshold, 'filterThreshold', { min: 0, max: 1 });
  const filter = options.filter === undefined ? null : await openSelectionFilter(options.filter);
  const filterThreshold = options.filterThreshold ?? filter?.meta.threshold ?? 0.5;
  // Two tapes named alike would write one table.
  const byTable = new Map<string, string>();
  for (const f of files) {
    const t = tableOf(f.path);
    if (byTable.has(t)) throw new AudiomillError('IO', `Two recordings would write one table ${t}: ${byTable.get(t)} and ${f.path} (rename one)`, { path: f.absolute });
    byTable.set(t, f.path);
  }
  const durations: number[] = [];
  for (let i = 0; i < files.length; i += 8) {
    durations.push(...(await Promise.all(files.slice(i, i + 8).map((f) => probeAudio(f.absolute).then((info) => info.duration)))));
  }
  const total = durations.reduce((s, d) => s + d, 0);
  const { scorer, name, close } = await scorerOf(options.model, {
    ...(options.output === undefined ? {} : { output: options.output }),
    ...(options.activation === undefined ? {} : { activation: options.activation }),
  });
  const previous = await previousTables(options.out, 'detect');
  const tapes: DetectedTape[] = [];
  let before = 0;
  try {
    // The band must fit under the model rate's Nyquist frequency (the tables' default upper edge).
    const nyquist = scorer.sampleRate / 2;
    if (lowFreq !== undefined && lowFreq > nyquist) throw new RangeError(`Expected a lowFreq <= ${nyquist} (the model rate's Nyquist frequency) for lowFreq but received ${lowFreq}`);
    if (highFreq !== undefined && highFreq > nyquist) throw new RangeError(`Expected a highFreq <= ${nyquist} (the model rate's Nyquist frequency) for highFreq but received ${highFreq}`);
    for (let i = 0; i < files.length; i++) {
      const f = files[i]!;
      const s = await slidingWindowScores(f.absolute, scorer, {
        seqLen: options.seqLen,
        hop: options.hop,
        ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.onProgress ? { onProgress: (p: { seconds: number }) => options.onProgress!({ done: Math.min(total, before + p.seconds), total }) } : {}),
      });
      const events = scoresToEvents(s, eventOptions);
      let rows: RavenTableRow[] = events.map((e, k) => ({ ...e, selection: k + 1, extra: { 'Max Score': e.scoreMax, Windows: e.windows } }));
      const table = tableOf(f.path);
      if (filter) rows = await filterTape(filter, f.absolute, rows, filterThreshold, join(options.out, 'features', featuresFile(table)), options.signal);
      await makeFolderFor(join(options.out, table));
      await writeRavenTable(join(options.out, table), rows, { sampleRate: scorer.sampleRate });
      tapes.push({ path: f.path, table, duration: s.duration, windows: s.begin.length, events: rows.length, ...(filter ? { unfiltered: events.length } : {}) });
      before += durations[i]!;
      options.onProgress?.({ done: Math.min(total, before), total });
    }
  } finally {
    await close?.();
  }
  const result: DetectTapesResult = {
    out: options.out,
    tapes,
    seconds: tapes.reduce((s, t) => s + t.duration, 0),
    windows: tapes.reduce((s, t) => s + t.windows, 0),
    events: tapes.reduce((s, t) => s + t.events, 0),
    elapsedSeconds: (performance.now() - t0) / 1000,
  };
  const index = {
    command: 'detect',
    audiomill: audiomillVersion(),
    createdAt: new Date().toISOString(),
    input: options.input,
    model: name,
    options: {
      seqLen: options.seqLen,
      hop: options.hop,
      batchSize: options.batchSize ?? 256,
      ...eventOptions,
      output: options.output ?? 0,
      activation: options.activation ?? 'none',
      ...(filter ? { filter: typeof options.filter === 'string' ? options.filter : 'forest', filterThreshold, filterFeatures: filter.meta.features } : {}),
    },
    ...result,
  };
  await removeStaleTables(options.out, previous, tapes.map((t) => t.table), { dir: join(options.out, 'features'), file: featuresFile });
  await writeFileAtomic(join(options.out, 'index.json'), `${JSON.stringify(index, null, 2)}\n`);
  return result;
}
