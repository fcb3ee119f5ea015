/**
 * `buildExplorer`: one folder with `index.html`, its script and style sheet, the data files, the thumbnails and
 * (when asked) the audio, that opens from disk in a browser: the grid, filters, maps, neighbours, overview and
 * detections of a dataset (docs/explore.md). Heavy steps run off the event loop (decoding, log-mel and the
 * map layouts in the native pool, the neighbour search in VectorIndex, PCA and trustworthiness in a worker thread),
 * one after another, with progress.
 */
import { copyFile, mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { embeddingRowsFor, readEmbeddings, type EmbeddingsFolder } from '../embed/read.js';
import { AudiomillError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic.js';
import { audiomillVersion, packageFile } from '../dsp/runtime.js';
import { manifestRows, rowLabel, rowSpan } from '../manifest/clips.js';
import type { Row } from '../manifest/build.js';
import { VectorIndex } from '../search/vector-index.js';
import { int, num, rangeError, typeError } from '../validate.js';
import { AUDIO_MODES, linkAudio, type AudioMode } from './audio-links.js';
import { buildDetections, type DetectionsOptions } from './detections.js';
import { readDoctor } from './doctor-page.js';
import { taskWorker } from '../eval/task-worker.js';
import type { MapResult, MapTask } from './map-task.js';
import { writeFigures, type FiguresResult } from './figures-out.js';
import { buildOverview } from './overview.js';
import { chooseLabelColumn, dataScript, indexHtml, pack, pageColumn, unpack } from './page-data.js';
import type { PageColumn, PageData, PageMap, PageNeighbours } from './page-types.js';
import { makeThumbnails, THUMB } from './thumbnails.js';
import { tsne } from './tsne.js';
import { umap } from './umap.js';

export type MapMethod = 'umap' | 'tsne' | 'pca';
export const MAP_METHODS: readonly MapMethod[] = ['umap', 'tsne', 'pca'];

export interface ExplorerOptions {
  /** A manifest table (from `audiomill manifest`) or its rows. */
  manifest?: string | readonly Row[];
  /** An `audiomill embed` output folder: maps and neighbours (alone, its index.parquet is the table). */
  embeddings?: string;
  /** The output folder (created; an existing folder must be empty or an earlier explorer's). */
  out: string;
  /** The folder the table's relative paths start from (default: the manifest's root, or the one the embeddings record). */
  root?: string;
  title?: string;
  /** The column shown as each clip's label (default: label, category, class, ... when present). */
  labelColumn?: string;
  /** Map layouts of the embeddings (default ['umap', 'pca']). */
  maps?: readonly MapMethod[];
  umap?: { nNeighbors?: number; minDist?: number; seed?: number };
  tsne?: { perplexity?: number; seed?: number };
  /** Neighbours shown per clip (default 10; 0: none). */
  neighbours?: number;
  audio?: AudioMode;
  /** Spectrogram thumbnails (default true). */
  thumbnails?: boolean;
  detections?: DetectionsOptions;
  /**
   * `audiomill doctor`'s doctor.json: a doctor tab (default: the one beside a manifest named `*.doctor.*`, the copy
   * the doctor writes, when there is one).
   */
  doctor?: string;
  /** Also write every chart and map to this folder, as SVG and PNG. */
  figures?: string;
  /** Rows of the manifest whose `had_error` is true are left out unless this is true. */
  includeErrors?: boolean;
  progress?: (p: { stage: string; done: number; total: number; reused?: boolean }) => void;
  signal?: AbortSignal;
}

export interface ExplorerResult {
  out: string;
  index: string;
  rows: number;
  maps: { name: string; seconds: number; trustworthiness?: number }[];
  neighbours: number;
  thumbnails: { made: number; reused: number; failed: number };
  audio: { mode: AudioMode; failed: number };
  /** Rows without an embedding (a manifest row `embed` skipped or failed). */
  withoutEmbedding: number;
  figures: string[];
  warnings: string[];
  /** Seconds per step: table (reading, columns, overview), thumbnails, audio, each map, neighbours, detections, write. */
  timings: Record<string, number>;
  elapsedSeconds: number;
}

/** Where the bundled front end is: the package's dist/explorer (built by `npm run build:ts`). */
async function assetsDir(): Promise<string> {
  const dir = packageFile('dist', 'explorer');
  if (await stat(join(dir, 'app.js')).then(() => true, () => false)) return dir;
  throw new AudiomillError('IO', `the explorer page script (${join(dir, 'app.js')}) is missing: run \`npm run build:ts\``, { path: dir });
}

const MARKER = 'explorer.json';

/** Refuses to write into a folder that holds something else (an explorer folder, or an empty one, is fine). */
async function claimFolder(out: string, inputs: string[]): Promise<{ previous: Record<string, unknown> | null }> {
  const full = resolve(out);
  for (const input of inputs) {
    const inp = resolve(input);
    if (full === inp || inp.startsWith(full + sep)) throw new AudiomillError('INVALID_ARGUMENT', `the output folder '${out}' holds the input '${input}': choose a folder of its own`, { path: out });
  }
  let entries: string[] = [];
  try {
    const s = await stat(out);
    if (!s.isDirectory()) throw new AudiomillError('INVALID_ARGUMENT', `the output '${out}' is a file, not a folder`, { path: out });
    entries = await readdir(out);
  } catch (err) {
    if (err instanceof AudiomillError) throw err;
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new AudiomillError('IO', `cannot read the output folder '${out}': ${(err as Error).message}`, { path: out, cause: err });
  }
  let previous: Record<string, unknown> | null = null;
  if (entries.includes(MARKER)) {
    try {
      previous = JSON.parse(await readFile(join(out, MARKER), 'utf8')) as Record<string, unknown>;
    } catch {
      previous = null;
    }
    // Only a marker this command wrote makes the folder ours to clean up.
    if (!(previous && typeof previous.audiomill === 'string' && Array.isArray(previous.audioFiles))) previous = null;
  }
  if (entries.length && !previous) {
    throw new AudiomillError('INVALID_ARGUMENT', `the output folder '${out}' is not empty and not an audiomill explorer folder (no ${MARKER} written by audiomill explore): choose a new or empty folder`, { path: out });
  }
  await mkdir(join(out, 'data'), { recursive: true });
  await mkdir(join(out, 'assets'), { recursive: true });
  await mkdir(join(out, 'thumbs'), { recursive: true });
  return { previous };
}

/** A row's span as the page shows it (`12.5–13.5 s`), or null for a whole file. */
function spanText(r: Row): string | null {
  const { start, end } = rowSpan(r);
  return start > 0 || end !== null ? `${+start.toFixed(2)}–${end === null ? 'end' : `${+end.toFixed(2)} s`}` : null;
}

/** An even sample of at most `m` of the row numbers 0..n-1. */
function evenSample(n: number, m: number): number[] {
  if (n <= m) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: m }, (_, k) => Math.floor((k * n) / m));
}

export async function buildExplorer(options: ExplorerOptions): Promise<ExplorerResult> {
  const started = performance.now();
  if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
  if (typeof options.out !== 'string' || options.out === '') throw typeError('an output folder path', 'out', options.out);
  if (options.manifest === undefined && options.embeddings === undefined) throw typeError('a manifest, an embeddings folder, or both', 'manifest', options.manifest);
  const audioMode = options.audio ?? 'link';
  if (!AUDIO_MODES.includes(audioMode)) throw rangeError(`one of ${AUDIO_MODES.join(', ')}`, 'audio', options.audio);
  const methods = options.maps ?? ['umap', 'pca'];
  for (const m of methods) if (!MAP_METHODS.includes(m)) throw rangeError(`map methods among ${MAP_METHODS.join(', ')}`, 'maps', m);
  const k = options.neighbours ?? 10;
  if (!Number.isInteger(k) || k < 0 || k > 100) throw rangeError('an integer from 0 to 100', 'neighbours', options.neighbours);
  // The layouts' parameters, checked before any work (the layouts check them again, with the data's size).
  if (options.umap?.nNeighbors !== undefined) int(options.umap.nNeighbors, 'umap.nNeighbors', 2, 200);
  if (options.umap?.minDist !== undefined) num(options.umap.minDist, 'umap.minDist', { min: 0, max: 1 });
  if (options.umap?.seed !== undefined) int(options.umap.seed, 'umap.seed', 0);
  if (options.tsne?.perplexity !== undefined) num(options.tsne.perplexity, 'tsne.perplexity', { min: 0, exclusiveMin: true });
  if (options.tsne?.seed !== undefined) int(options.tsne.seed, 'tsne.seed', 0);
  const warnings: string[] = [];
  const timings: Record<string, number> = {};
  let mark = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    timings[name] = Number(((now - mark) / 1000).toFixed(2));
    mark = now;
  };
  const stage = (name: string) => (p: { done: number; total: number; reused?: boolean }) => options.progress?.({ stage: name, ...p });

  // The table: the manifest's rows, else the embeddings' index.
  let emb: EmbeddingsFolder | undefined;
  if (options.embeddings !== undefined) emb = await readEmbeddings(options.embeddings);
  let rows: Row[];
  let columns: string[];
  let root: string;
  if (options.manifest !== undefined) {
    const m = await manifestRows(options.manifest, { ...(options.root !== undefined ? { root: options.root } : {}), ...(options.includeErrors ? { includeErrors: true } : {}) });
    rows = m.rows;
    columns = m.columns;
    root = resolve(m.root);
  } else {
    rows = emb!.index as Row[];
    columns = emb!.columns.filter((c) => c !== 'row');
    if (!columns.includes('path')) throw new AudiomillError('DECODE_CORRUPT', `${join(options.embeddings!, 'index.parquet')} has no 'path' column`, { path: join(options.embeddings!, 'index.parquet') });
    root = resolve(options.root ?? (await embeddingsRoot(options.embeddings!)));
  }
  if (options.labelColumn !== undefined && !columns.includes(options.labelColumn)) {
    throw new AudiomillError('INVALID_ARGUMENT', `no column '${options.labelColumn}' in the table (columns: ${columns.join(', ')})`);
  }
  const inputs = [typeof options.manifest === 'string' ? options.manifest : undefined, options.embeddings, root].filter((x): x is string => x !== undefined);
  const out = options.out;
  await claimFolder(out, inputs);
  // What the previous page's folders hold: whatever this page does not use goes once it is written.
  const before = { thumbs: await listFiles(join(out, 'thumbs')), audio: await listFiles(join(out, 'audio')), strips: await listFiles(join(out, 'strips')) };
  const n = rows.length;

  // Embedding row of each table row.
  let embRow: Int32Array | null = null;
  let withoutEmbedding = 0;
  if (emb) {
    embRow = embeddingRowsFor(emb, options.manifest === undefined ? null : rows);
    for (const j of embRow) if (j < 0) withoutEmbedding++;
    if (withoutEmbedding) warnings.push(`${withoutEmbedding} of ${n} rows have no embedding (not in ${options.embeddings}): they have no map position or neighbours`);
  }

  // Columns.
  const pageColumns: PageColumn[] = columns.filter((c) => c !== 'row').map((c) => pageColumn(c, rows.map((r) => r[c])));
  const labelColumn = chooseLabelColumn(pageColumns, options.labelColumn);
  // The label is a category whatever its values (every clip its own class, or thousands of classes).
  const labelAt = pageColumns.findIndex((c) => c.name === labelColumn);
  if (labelAt >= 0 && pageColumns[labelAt]!.kind !== 'category') pageColumns[labelAt] = pageColumn(labelColumn!, rows.map((r) => r[labelColumn!]), { category: true });
  const overview = await buildOverview(pageColumns, n, { labelColumn, ...(options.embeddings ? { reports: join(options.embeddings, 'eval') } : {}) });
  if (overview.clusters) pageColumns.push(pageColumn('stats_cluster', [...overview.clusters].map((c) => (c < 0 ? null : c))));
  lap('table');

  // Thumbnails and audio.
  const thumbs = options.thumbnails === false ? null : await makeThumbnails({ dir: join(out, 'thumbs'), rows, root, progress: stage('thumbnails'), ...(options.signal ? { signal: options.signal } : {}) });
  if (thumbs?.failed.length) warnings.push(`${thumbs.failed.length} thumbnails could not be made (first: ${rowLabel(rows[thumbs.failed[0]!.row]!)}: ${thumbs.failed[0]!.error})`);
  lap('thumbnails');
  const audio = await linkAudio({ out, rows, root, mode: audioMode, progress: stage('audio'), ...(options.signal ? { signal: options.signal } : {}) });
  if (audio.failed.length) warnings.push(`${audio.failed.length} rows have no audio (first: ${rowLabel(rows[audio.failed[0]!.row]!)}: ${audio.failed[0]!.error})`);
  lap('audio');
  abortCheck(options.signal, out);

  // Maps and neighbours of the embeddings.
  const maps: PageMap[] = [];
  const mapReport: ExplorerResult['maps'] = [];
  let neighbours: PageNeighbours | undefined;
  const mapped = embRow ? [...embRow.keys()].filter((i) => embRow![i]! >= 0) : [];
  if (emb && mapped.length >= 3) {
    const dim = emb.dim;
    const x = new Float32Array(mapped.length * dim);
    mapped.forEach((i, r) => x.set(emb!.vectors.subarray(embRow![i]! * dim, (embRow![i]! + 1) * dim), r * dim));
    const X = { data: x, shape: [mapped.length, dim] as [number, number] };
    const place = (coords: ArrayLike<number>, cols: number) => {
      const px = new Float32Array(n).fill(NaN), py = new Float32Array(n).fill(NaN);
      mapped.forEach((i, r) => ((px[i] = coords[r * cols]!), (py[i] = coords[r * cols + 1]!)));
      return { px, py };
    };
    const sample = evenSample(mapped.length, 2000);
    const trustK = Math.min(10, Math.floor((sample.length - 1) / 2));
    // PCA and trustworthiness are JavaScript: a worker thread runs them, so the event loop stays free.
    const worker = taskWorker<MapTask, MapResult>(packageFile('dist', 'cjs', 'explore', 'map-worker.js'), 'map');
    const trust = async (coords: ArrayLike<number>, cols: number) => {
      if (trustK < 1) return undefined;
      const xs = new Float32Array(sample.length * dim), es = new Float64Array(sample.length * 2);
      sample.forEach((r, s) => {
        xs.set(x.subarray(r * dim, (r + 1) * dim), s * dim);
        es[2 * s] = coords[r * cols]!;
        es[2 * s + 1] = coords[r * cols + 1]!;
      });
      const { value } = await worker.run({ kind: 'trust', x: xs, embedded: es, n: sample.length, d: dim, k: trustK });
      return { value: value!, k: trustK, rows: sample.length };
    };
    // One exact cosine search serves UMAP's graph and the neighbour lists: each row's nearest rows, itself included.
    const umapK = methods.includes('umap') ? Math.max(2, Math.min(int(options.umap?.nNeighbors ?? 15, 'umap.nNeighbors', 2, 200), mapped.length - 1)) : 0;
    const pageK = Math.min(k, mapped.length - 1);
    const searchK = Math.min(mapped.length, Math.max(umapK, pageK > 0 ? pageK + 1 : 0));
    let knn: { ids: Int32Array; scores: Float32Array } | null = null;
    if (searchK > 0) {
      options.progress?.({ stage: 'neighbours', done: 0, total: 1 });
      const index = new VectorIndex({ dim, metric: 'cosine' });
      await index.add(x);
      const found = await index.search(x, searchK);
      knn = { ids: found.ids as Int32Array, scores: found.scores };
      options.progress?.({ stage: 'neighbours', done: 1, total: 1 });
      lap('neighbours');
    }
    try {
      for (const method of methods) {
        abortCheck(options.signal, out);
        const t0 = performance.now();
        options.progress?.({ stage: `map ${method}`, done: 0, total: 1 });
        let coords: ArrayLike<number>, cols = 2, params = '', xLabel = '', yLabel = '', title = '';
        if (method === 'umap') {
          const minDist = options.umap?.minDist ?? 0.1, seed = options.umap?.seed ?? 0;
          const ids = new Int32Array(mapped.length * umapK), distances = new Float64Array(mapped.length * umapK);
          for (let r = 0; r < mapped.length; r++) {
            for (let j = 0; j < umapK; j++) {
              ids[r * umapK + j] = knn!.ids[r * searchK + j]!;
              distances[r * umapK + j] = Math.max(0, 1 - knn!.scores[r * searchK + j]!);
            }
          }
          const r = await umap(X, { nNeighbors: umapK, minDist, seed, metric: 'cosine', precomputedKnn: { ids, distances } });
          coords = r.embedding;
          params = `nNeighbors ${umapK}, minDist ${minDist}, cosine, seed ${seed}, ${r.nEpochs} epochs`;
          (title = 'UMAP'), (xLabel = 'UMAP 1 (arbitrary units)'), (yLabel = 'UMAP 2 (arbitrary units)');
        } else if (method === 'tsne') {
          const perplexity = options.tsne?.perplexity ?? Math.min(30, Math.max(1, (mapped.length - 1) / 3));
          const seed = options.tsne?.seed ?? 0;
          if (mapped.length > 20000) warnings.push(`t-SNE of ${mapped.length} rows computes every pair each iteration: expect minutes (UMAP suits this size)`);
          const r = await tsne(X, { perplexity, seed, metric: 'cosine' });
          coords = r.embedding;
          params = `perplexity ${+perplexity.toFixed(2)}, cosine, seed ${seed}, KL ${r.klDivergence.toFixed(3)}`;
          (title = 't-SNE'), (xLabel = 't-SNE 1 (arbitrary units)'), (yLabel = 't-SNE 2 (arbitrary units)');
        } else {
          const r = await worker.run({ kind: 'pca', x, n: mapped.length, d: dim });
          coords = r.coords!;
          const ratio = r.ratios!;
          params = `first two principal components of the ${dim}-d embeddings`;
          title = 'PCA';
          xLabel = `PC1 (${share(ratio[0])} of variance)`;
          yLabel = `PC2 (${share(ratio[1])} of variance)`;
        }
        const { px, py } = place(coords, cols);
        const t = await trust(coords, cols);
        maps.push({ name: method, title, x: pack(px), y: pack(py), xLabel, yLabel, params, ...(t ? { trustworthiness: t } : {}) });
        mapReport.push({ name: method, seconds: Number(((performance.now() - t0) / 1000).toFixed(2)), ...(t ? { trustworthiness: Number(t.value.toFixed(4)) } : {}) });
        lap(`map ${method}`);
        options.progress?.({ stage: `map ${method}`, done: 1, total: 1 });
      }
    } finally {
      await worker.close();
    }
    if (knn && pageK > 0) {
      // Each row's list without the row itself (searchById's rule): the first pageK of the others.
      const nbRows = new Int32Array(n * pageK).fill(-1), nbScores = new Float32Array(n * pageK).fill(NaN);
      mapped.forEach((i, r) => {
        let j = 0;
        for (let c = 0; c < searchK && j < pageK; c++) {
          const id = knn!.ids[r * searchK + c]!;
          if (id === r || id < 0) continue;
          nbRows[i * pageK + j] = mapped[id]!;
          nbScores[i * pageK + j] = knn!.scores[r * searchK + c]!;
          j++;
        }
      });
      neighbours = { k: pageK, metric: 'cosine', rows: pack(nbRows), scores: pack(nbScores), missing: withoutEmbedding };
    }
  } else if (emb) {
    warnings.push('fewer than 3 rows have embeddings: no embedding maps or neighbours');
  }
  if (overview.statsMap) {
    const r = overview.statsMap.ratios;
    maps.push({ name: 'stats-pca', title: 'PCA of the statistics', x: pack(overview.statsMap.x), y: pack(overview.statsMap.y), xLabel: `PC1 of the statistics (${share(r[0])})`, yLabel: `PC2 of the statistics (${share(r[1])})`, params: 'standardised acoustic statistics (the overview tab)' });
  }
  const geo = geoColumns(pageColumns);
  if (geo) maps.push({ name: 'geo', title: 'Geography', x: geo.lon, y: geo.lat, xLabel: 'longitude (°)', yLabel: 'latitude (°)', params: `${geo.names.join(' and ')} columns, no map tiles (offline)` });

  // The doctor's findings.
  const doctorPath = options.doctor ?? (typeof options.manifest === 'string' && /\.doctor\.[a-z]+$/i.test(options.manifest) ? join(dirname(options.manifest), 'doctor.json') : undefined);
  const doctor = doctorPath && (options.doctor !== undefined || (await stat(doctorPath).then(() => true, () => false))) ? await readDoctor(doctorPath, rows) : undefined;

  // Detections.
  const detections = options.detections ? await buildDetections(options.detections, join(out, 'strips'), stage('detections')) : undefined;
  if (options.detections) lap('detections');
  abortCheck(options.signal, out);

  // The page's data and files.
  const title = options.title ?? (typeof options.manifest === 'string' ? basename(options.manifest) : options.embeddings ? basename(resolve(options.embeddings)) : 'dataset');
  const page: PageData = {
    table: {
      version: 1,
      title,
      rows: n,
      names: rows.map((r) => basename(String(r.path))),
      spans: rows.map(spanText),
      labelColumn,
      flagColumns: pageColumns.filter((c) => c.kind === 'boolean').map((c) => c.name),
      columns: pageColumns,
      thumbs: thumbs ? thumbs.files.map((f) => (f ? `thumbs/${f}` : null)) : new Array(n).fill(null),
      audio: audio.urls,
      audioMode,
      thumbSize: { width: THUMB.width, height: THUMB.mels },
      thumbCaption: thumbs ? `thumbnails: log-mel, ${THUMB.sampleRate / 1000} kHz, nFft ${THUMB.nFft}, hop ${THUMB.hop}, ${THUMB.mels} mels, 80 dB per clip, first ${THUMB.maxSeconds} s` : 'no thumbnails',
      generated: new Date().toISOString(),
      audiomillVersion: audiomillVersion(),
    },
    maps: { maps },
    ...(neighbours ? { neighbours } : {}),
    overview: overview.overview,
    ...(detections ? { detections } : {}),
    ...(doctor ? { doctor } : {}),
  };
  const parts = Object.keys(page) as (keyof PageData)[];
  const assets = await assetsDir();
  await copyFile(join(assets, 'app.js'), join(out, 'assets', 'app.js'));
  await copyFile(join(assets, 'app.css'), join(out, 'assets', 'app.css'));
  for (const part of parts) await writeFileAtomic(join(out, 'data', `${part}.js`), dataScript(part, page[part]));
  for (const f of await readdir(join(out, 'data'))) if (!parts.includes(basename(f, '.js') as keyof PageData)) await rm(join(out, 'data', f), { force: true });
  const figures: FiguresResult = options.figures ? await writeFigures(options.figures, page) : { files: [] };
  if (figures.pngMissing) warnings.push(figures.pngMissing);
  await writeFileAtomic(join(out, 'index.html'), indexHtml(title, parts));
  await writeFileAtomic(
    join(out, MARKER),
    JSON.stringify({ audiomill: audiomillVersion(), date: page.table.generated, rows: n, audio: audioMode, root: resolve(root), audioFiles: audio.files, manifest: typeof options.manifest === 'string' ? resolve(options.manifest) : null, embeddings: options.embeddings ? resolve(options.embeddings) : null }, null, 2) + '\n',
  );
  // The new page is in place: now the files only the previous one used go.
  const used = {
    thumbs: new Set(page.table.thumbs.filter((t): t is string => t !== null).map((t) => resolve(out, t))),
    audio: new Set(audio.files.filter((f): f is string => f !== null).map((f) => resolve(f))),
    strips: new Set((detections?.tapes ?? []).filter((t) => t.image).map((t) => resolve(out, t.image!))),
  };
  for (const kind of ['thumbs', 'audio', 'strips'] as const) {
    for (const f of before[kind]) if (!used[kind].has(f)) await rm(f, { force: true });
    await removeEmptyFolders(join(out, kind), kind === 'thumbs');
  }
  lap('write');
  return {
    out,
    index: join(out, 'index.html'),
    rows: n,
    maps: mapReport,
    neighbours: neighbours?.k ?? 0,
    thumbnails: { made: thumbs?.made ?? 0, reused: thumbs?.reused ?? 0, failed: thumbs?.failed.length ?? 0 },
    audio: { mode: audioMode, failed: audio.failed.length },
    withoutEmbedding,
    figures: figures.files,
    warnings,
    timings,
    elapsedSeconds: Number(((performance.now() - started) / 1000).toFixed(2)),
  };
}

/** A share of variance as text ('n/a' when the variance is zero). */
const share = (r: number | undefined) => (r !== undefined && Number.isFinite(r) ? `${(100 * r).toFixed(1)} %` : 'n/a');

/** Every file under `dir` (absolute paths; none when it does not exist). */
async function listFiles(dir: string): Promise<string[]> {
  try {
    const found = await readdir(dir, { recursive: true, withFileTypes: true });
    return found.filter((d) => d.isFile()).map((d) => resolve(d.parentPath ?? dir, d.name));
  } catch {
    return [];
  }
}

/** Removes empty folders under `dir`, and `dir` itself when empty unless `keep`. */
async function removeEmptyFolders(dir: string, keep: boolean): Promise<void> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) if (e.isDirectory()) await removeEmptyFolders(join(dir, e.name), false);
  if (!keep && (await readdir(dir)).length === 0) await rm(dir, { recursive: true, force: true });
}

function abortCheck(signal: AbortSignal | undefined, out?: string): void {
  if (signal?.aborted) throw new AudiomillError('ABORTED', `explore stopped before writing the page${out ? ` in '${out}'` : ''}: the previous page (if any) was left as it was; thumbnails made so far are reused by the next run`, out ? { path: out } : {});
}

/** The dataset root an `embed` folder records (config.json's `root`), else the folder above it. */
async function embeddingsRoot(dir: string): Promise<string> {
  try {
    const c = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as { root?: unknown };
    if (typeof c.root === 'string') return c.root;
  } catch {
    // no config: fall back
  }
  return dirname(resolve(dir));
}

/** lat / lon (or latitude / longitude) number columns, as map coordinates. */
function geoColumns(cols: readonly PageColumn[]): { lat: PageMap['y']; lon: PageMap['x']; names: string[] } | null {
  for (const [la, lo] of [['lat', 'lon'], ['latitude', 'longitude'], ['lat', 'lng']] as const) {
    const a = cols.find((c) => c.name === la), b = cols.find((c) => c.name === lo);
    if (a?.kind === 'number' && b?.kind === 'number') {
      return { lat: pack(Float32Array.from(unpack(a.data))), lon: pack(Float32Array.from(unpack(b.data))), names: [la, lo] };
    }
  }
  return null;
}
