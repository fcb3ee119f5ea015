/** `audiomill explore [manifest]`: a page to look at, listen to, filter and search a dataset (docs/explore.md). */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import type { ExplorerOptions, ExplorerResult, MapMethod } from '../explore/build.js';
import type { AudioMode } from '../explore/audio-links.js';
import { inFlagTerms, parseNumber } from './args.js';
import { interruptSignal, progress } from './progress.js';

interface Flags {
  embeddings?: string;
  detections?: string;
  truth?: string;
  tapes?: string;
  iou: string;
  out: string;
  root?: string;
  title?: string;
  label?: string;
  maps: string;
  nNeighbors?: string;
  minDist?: string;
  perplexity?: string;
  seed: string;
  k: string;
  audio: string;
  thumbnails: boolean;
  figures?: string;
  doctor?: string;
  includeErrors?: boolean;
  serve?: boolean;
  port: string;
  quiet?: boolean;
}

const FLAGS: Record<string, string> = { manifest: '[manifest]', embeddings: '--embeddings', out: '--out', root: '--root', labelColumn: '--label', maps: '--maps', neighbours: '--k', audio: '--audio', nNeighbors: '--n-neighbors', minDist: '--min-dist', perplexity: '--perplexity', seed: '--seed', iou: '--iou', 'umap.nNeighbors': '--n-neighbors', 'umap.minDist': '--min-dist', 'umap.seed': '--seed', 'tsne.perplexity': '--perplexity', 'tsne.seed': '--seed', doctor: '--doctor' };

export function exploreReport(r: ExplorerResult): string {
  const lines = [`Explorer of ${r.rows} clips written to ${r.out} in ${r.elapsedSeconds.toFixed(1)} s (${Object.entries(r.timings).map(([k, v]) => `${k} ${v} s`).join(', ')}).`];
  if (r.maps.length) lines.push(`Maps: ${r.maps.map((m) => `${m.name} (${m.seconds} s${m.trustworthiness !== undefined ? `, trustworthiness ${m.trustworthiness.toFixed(3)}` : ''})`).join(', ')}.`);
  if (r.neighbours) lines.push(`Neighbours: ${r.neighbours} per clip (cosine).`);
  lines.push(`Thumbnails: ${r.thumbnails.made} made, ${r.thumbnails.reused} reused${r.thumbnails.failed ? `, ${r.thumbnails.failed} failed` : ''}. Audio: ${r.audio.mode}${r.audio.failed ? ` (${r.audio.failed} rows without)` : ''}.`);
  if (r.figures.length) lines.push(`Figures: ${r.figures.filter((f) => f.endsWith('.svg')).length} SVG and ${r.figures.filter((f) => f.endsWith('.png')).length} PNG files.`);
  for (const w of r.warnings) lines.push(`Warning: ${w}`);
  return lines.join('\n');
}

/** One progress display per stage (thumbnails, audio, each map, neighbours, detections). */
export function stagedProgress(stream: NodeJS.WriteStream, command: string): (p: { stage: string; done: number; total: number; reused?: boolean }) => void {
  const shown = new Map<string, ReturnType<typeof progress>>();
  return (p) => {
    let bar = shown.get(p.stage);
    if (!bar) shown.set(p.stage, (bar = progress(stream, command, p.stage)));
    if (p.total > 1 || p.done > 0) bar(p);
  };
}

/** Serves an explorer folder on 127.0.0.1 until Ctrl-C (the build is done: Ctrl-C now just stops the server). */
export async function serveUntilStopped(dir: string, port: number): Promise<void> {
  const { serveExplorer } = await import('../explore/serve.js');
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  const served = await serveExplorer(dir, { port });
  process.stdout.write(`serving ${served.url} (Ctrl-C stops)\n`);
  await new Promise<void>((done) => {
    const stop = () => void served.close().then(done);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

export function registerExplore(program: Command): void {
  program
    .command('explore')
    .description('write a page (index.html and its files, opens from disk) to look at, listen to, filter and search a dataset: spectrogram grid, filters, UMAP / t-SNE / PCA maps, neighbours, overview charts, detections')
    .argument('[manifest]', 'a manifest table from `audiomill manifest` (optional with --embeddings, whose index.parquet has the columns)')
    .option('--embeddings <dir>', 'an `audiomill embed` output folder: maps and nearest neighbours')
    .option('--detections <dir>', 'Raven selection tables (one per tape): the detections tab')
    .option('--truth <dir>', 'with --detections: truth tables, matched tape by tape')
    .option('--tapes <dir>', 'with --detections: the recordings, for the strips’ spectrograms')
    .option('--iou <x>', 'with --truth: IoU a detection needs to match a truth selection', '0.4')
    .option('--out <dir>', 'output folder (new, empty, or an earlier explorer’s)', 'explorer')
    .option('--root <dir>', "folder the table's paths are relative to (default: the manifest's root)")
    .option('--title <text>', 'page title (default: the manifest’s file name)')
    .option('--label <column>', 'the column shown as each clip’s label (default: label, category, class, ...)')
    .option('--maps <list>', 'map layouts of the embeddings, comma-separated: umap, tsne, pca', 'umap,pca')
    .option('--n-neighbors <n>', 'UMAP: neighbours in the graph (default 15)')
    .option('--min-dist <x>', 'UMAP: minimum distance in the map (default 0.1)')
    .option('--perplexity <x>', 't-SNE: perplexity (default 30, or less for small sets)')
    .option('--seed <n>', 'seed of the map layouts', '0')
    .option('--k <n>', 'nearest neighbours shown per clip (0: none)', '10')
    .option('--audio <mode>', 'link (to the source files), copy (beside the page), wav (clips cut to WAV) or none', 'link')
    .option('--no-thumbnails', 'no spectrogram thumbnails')
    .option('--doctor <file>', "`audiomill doctor`'s doctor.json: a doctor tab (default: the one beside a *.doctor.* manifest)")
    .option('--figures <dir>', 'also write every chart and map as SVG and PNG to this folder')
    .option('--include-errors', 'also show manifest rows whose had_error is true')
    .option('--serve', 'then serve the page on 127.0.0.1 and print its URL (Ctrl-C stops)')
    .option('--port <n>', 'with --serve: the port (0: any free one)', '8765')
    .option('--quiet', 'no progress or report')
    .allowExcessArguments(false)
    .action(async (manifest: string | undefined, f: Flags) => {
      if (manifest === undefined && f.embeddings === undefined) throw new RangeError('Expected a manifest, --embeddings, or both for audiomill explore but received neither');
      if ((f.truth || f.tapes) && !f.detections) throw new RangeError(`Expected --detections with ${f.truth ? '--truth' : '--tapes'} but received no --detections`);
      const maps = f.maps.split(',').map((s) => s.trim()).filter(Boolean) as MapMethod[];
      const seed = parseNumber(f.seed, '--seed', true);
      const options: ExplorerOptions = {
        ...(manifest !== undefined ? { manifest } : {}),
        ...(f.embeddings ? { embeddings: f.embeddings } : {}),
        out: f.out,
        ...(f.root ? { root: f.root } : {}),
        ...(f.title ? { title: f.title } : {}),
        ...(f.label ? { labelColumn: f.label } : {}),
        maps,
        umap: { seed, ...(f.nNeighbors ? { nNeighbors: parseNumber(f.nNeighbors, '--n-neighbors', true) } : {}), ...(f.minDist ? { minDist: parseNumber(f.minDist, '--min-dist') } : {}) },
        tsne: { seed, ...(f.perplexity ? { perplexity: parseNumber(f.perplexity, '--perplexity') } : {}) },
        neighbours: parseNumber(f.k, '--k', true),
        audio: f.audio as AudioMode,
        thumbnails: f.thumbnails,
        ...(f.detections ? { detections: { pred: f.detections, ...(f.truth ? { truth: f.truth } : {}), ...(f.tapes ? { tapes: f.tapes } : {}), iou: parseNumber(f.iou, '--iou') } } : {}),
        ...(f.figures ? { figures: f.figures } : {}),
        ...(f.doctor ? { doctor: f.doctor } : {}),
        ...(f.includeErrors ? { includeErrors: true } : {}),
        ...(f.quiet ? {} : { progress: stagedProgress(process.stderr, 'explore') }),
      };
      const port = parseNumber(f.port, '--port', true);
      if (port < 0 || port > 65535) throw new RangeError(`Expected a port from 0 to 65535 for --port but received ${f.port}`);
      options.signal = interruptSignal(process.stderr, 'explore');
      const { buildExplorer } = await import('../explore/build.js');
      const result = await buildExplorer(options).catch((err: unknown) => {
        throw inFlagTerms(err, FLAGS);
      });
      if (!f.quiet) process.stderr.write(`${exploreReport(result)}\n`);
      process.stdout.write(`${pathToFileURL(resolve(result.index)).href}\n`);
      if (f.serve) await serveUntilStopped(result.out, port);
    });
}
