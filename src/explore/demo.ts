/**
 * `audiomill demo`: the whole path on built-in defaults, with no model download: three short CC-licensed
 * recordings shipped in the package (speech, a bird call, a trumpet; assets/demo/) cut into 1-s segments every
 * 0.5 s → manifest (statistics, QC flags, labels, a seeded split) → embeddings (builtin:logmel-stats) → a cosine
 * index → the explorer page.
 */
import { copyFile, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { embedDataset } from '../embed/dataset.js';
import { packageFile } from '../dsp/runtime.js';
import { AudiomillError } from '../errors.js';
import { buildManifest } from '../manifest/build.js';
import { readEmbeddings } from '../embed/read.js';
import { VectorIndex } from '../search/vector-index.js';
import { buildExplorer, type ExplorerResult } from './build.js';

/** The demo's clips and their labels. */
const CLIPS: Record<string, { label: string; source: string; license: string }> = {
  '198-209-0000.ogg': { label: 'speech', source: 'LibriSpeech SLR12, read by Heather Barnett', license: 'CC BY 4.0' },
  '456440__inspectorj__bird-whistling-robin-single-13.ogg': { label: 'bird', source: 'InspectorJ, freesound.org/s/456440', license: 'CC BY 3.0' },
  'sorohanro_-_solo-trumpet-06.ogg': { label: 'music', source: 'Mihai Sorohan, freesound.org/s/77711', license: 'CC BY 3.0' },
};

/** The shipped clips: the package's assets/demo. */
export function demoAssets(): string {
  return packageFile('assets', 'demo');
}

export interface DemoOptions {
  /** Folder for everything the demo writes (default 'audiomill-demo'). */
  out: string;
  progress?: (p: { stage: string; done: number; total: number; reused?: boolean }) => void;
  signal?: AbortSignal;
}

export interface DemoResult {
  out: string;
  rows: number;
  manifest: string;
  embeddings: string;
  index: string;
  explorer: ExplorerResult;
}

export async function buildDemo(options: DemoOptions): Promise<DemoResult> {
  const out = options.out;
  const audio = join(out, 'audio');
  // The demo writes several files: only into a new or empty folder, or one an earlier demo made.
  const MARK = '.audiomill-demo';
  const entries = await readdir(out).catch(() => [] as string[]);
  if (entries.length && !entries.includes(MARK)) throw new AudiomillError('INVALID_ARGUMENT', `the folder '${out}' is not empty and was not made by audiomill demo: choose a new folder with --out`, { path: out });
  await mkdir(audio, { recursive: true });
  await writeFile(join(out, MARK), 'made by audiomill demo: a second run may replace what is here\n');
  const source = demoAssets();
  let shipped: string[];
  try {
    shipped = await readdir(source);
  } catch (err) {
    throw new AudiomillError('IO', `the demo clips are missing from the package (${source})`, { path: source, cause: err });
  }
  // The clips and their attribution files, side by side (copied once: a second run reuses every cache).
  for (const f of shipped) {
    if (!f.endsWith('.ogg') && !f.endsWith('.txt')) continue;
    const [a, b] = await Promise.all([stat(join(source, f)), stat(join(audio, f)).catch(() => null)]);
    if (!b || b.size !== a.size) await copyFile(join(source, f), join(audio, f));
  }
  const meta = ['filename,label,source,license', ...Object.entries(CLIPS).map(([f, c]) => `${f},${c.label},"${c.source}",${c.license}`)].join('\n') + '\n';
  if ((await readFile(join(out, 'metadata.csv'), 'utf8').catch(() => '')) !== meta) await writeFile(join(out, 'metadata.csv'), meta);
  const manifest = join(out, 'manifest.parquet');
  const stage = (name: string) => (p: { done: number; total: number; reused?: boolean }) => options.progress?.({ stage: name, ...p });
  await buildManifest({
    root: audio,
    metadata: { path: join(out, 'metadata.csv'), joinOn: 'filename' },
    sampleRate: 16000,
    segments: { length: 1, hop: 0.5 },
    // Segments of one recording in both splits: the demo has one recording per class.
    splits: { ratios: { train: 0.7, test: 0.3 }, seed: 42, stratify: 'label' },
    allowLeakage: true,
    out: [manifest],
    onProgress: stage('manifest'),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const embeddings = join(out, 'embeddings');
  await embedDataset({ manifest, encoder: 'builtin:logmel-stats', out: embeddings, onProgress: stage('embeddings'), ...(options.signal ? { signal: options.signal } : {}) });
  const emb = await readEmbeddings(embeddings);
  const index = new VectorIndex({ dim: emb.dim, metric: 'cosine' });
  await index.add(emb.vectors, emb.index.map((r) => `${String(r.path)}@${String(r.start_time)}`));
  const indexPath = join(out, 'clips.amvi');
  await index.save(indexPath);
  const explorer = await buildExplorer({
    manifest,
    embeddings,
    out: join(out, 'explorer'),
    title: 'audiomill demo: speech, bird and trumpet in 1-s segments',
    maps: ['umap', 'tsne', 'pca'],
    ...(options.progress ? { progress: options.progress } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return { out, rows: emb.rows, manifest, embeddings, index: indexPath, explorer };
}
