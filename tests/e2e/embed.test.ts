// embedDataset end to end: outputs Python reads (embeddings.npy [N, D], index.parquet, config.json) with the
// encoder's own numbers; the cache: a second run computes nothing (zero inferences of an ONNX model), a
// changed encoder recomputes everything, an added file costs one row, a removed file drops its row, a
// damaged record is recomputed, and a run killed with SIGKILL mid-way leaves records on disk that the next
// run reuses, computing only the rest, with a clean run's outputs; segments of a manifest; a failing clip is
// listed and the run goes on.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { embedDataset, embeddingsJournal } from '../../src/embed/dataset.js';
import { loadAudio } from '../../src/audio/load.js';
import { decodeNpy } from '../../src/io/npy.js';
import { readTable } from '../../src/io/table.js';
import { buildManifest } from '../../src/manifest/build.js';
import { BuiltinEncoder } from '../../src/models/builtin.js';
import { OnnxEncoder } from '../../src/models/onnx.js';
import { VectorIndex } from '../../src/search/vector-index.js';
import { noise } from '../helpers/reference.js';
import { tempDir } from '../helpers/temp.js';
import { writeWav } from '../helpers/wav.js';

/** `seconds` of a tone at 200 + 30 × seed Hz (amplitude 8000 / 32768) plus seeded noise (3000 / 32768 × noise()). */
function signal(seconds: number, rate: number, seed: number): Float64Array {
  const x = noise(Math.round(seconds * rate), seed);
  return Float64Array.from(x, (v, i) => (8000 * Math.sin((2 * Math.PI * (200 + 30 * seed) * i) / rate) + 3000 * v) / 32768);
}

const wav = (path: string, seconds: number, rate: number, seed: number) => writeWav(path, signal(seconds, rate, seed), rate);

function corpus(n: number): string {
  const dir = tempDir('embed');
  for (let i = 0; i < n; i++) wav(join(dir, `clip${i}.wav`), 1 + (i % 3) * 0.5, [16000, 22050, 44100][i % 3]!, i + 1);
  return dir;
}

const npy = (path: string) => decodeNpy(new Uint8Array(readFileSync(path)));

describe('embedDataset', () => {
  it('writes embeddings.npy, index.parquet and config.json with the encoder\'s numbers', async () => {
    const dir = corpus(5);
    writeFileSync(join(dir, 'broken.wav'), 'not audio');
    const out = join(dir, 'emb');
    const r = await embedDataset({ dir, encoder: 'builtin:logmel-stats', out, batchSize: 2 });
    expect([r.rows, r.dim, r.computed, r.reused]).toEqual([5, 128, 5, 0]);
    expect(r.failed.map((f) => f.path)).toEqual(['broken.wav']);
    const e = npy(join(out, 'embeddings.npy'));
    expect(e.shape).toEqual([5, 128]);
    const index = await readTable(join(out, 'index.parquet'));
    expect(index.rows.map((x) => [x.row, x.path])).toEqual([0, 1, 2, 3, 4].map((i) => [i, `clip${i}.wav`]));
    const enc = new BuiltinEncoder('builtin:logmel-stats');
    for (const i of [0, 4]) {
      const x = (await loadAudio(join(dir, `clip${i}.wav`), { mono: true, sampleRate: 16000 })).channels[0]!;
      expect((e.data as Float32Array).subarray(i * 128, (i + 1) * 128)).toEqual((await enc.sceneEmbeddings([x])).data);
    }
    // Search needs no glue: the index's row numbers are index.parquet's `row`.
    const vi = await VectorIndex.fromNpy(join(out, 'embeddings.npy'));
    const hit = await vi.search((e.data as Float32Array).subarray(3 * 128, 4 * 128), 1);
    expect(Array.from(hit.ids as Int32Array)).toEqual([3]);
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    expect(config).toMatchObject({ encoder: 'builtin:logmel-stats', pooling: 'mean+std', dim: 128, rows: 5, sampleRate: 16000, l2: false });
    expect(config.failed).toHaveLength(1);
  });

  it('the cache: a second run computes nothing; a changed encoder recomputes; an added file costs one row; a removed one drops its row', async () => {
    const dir = corpus(6);
    const out = join(dir, 'emb');
    await embedDataset({ dir, encoder: 'builtin:mfcc-stats', out });
    const first = readFileSync(join(out, 'embeddings.npy'));
    const again = await embedDataset({ dir, encoder: 'builtin:mfcc-stats', out });
    expect([again.computed, again.reused]).toEqual([0, 6]);
    expect(readFileSync(join(out, 'embeddings.npy'))).toEqual(first);
    const changed = await embedDataset({ dir, encoder: new BuiltinEncoder('builtin:mfcc-stats', { nMfcc: 13 }), out });
    expect([changed.computed, changed.reused, changed.dim]).toEqual([6, 0, 26]);
    const pooled = await embedDataset({ dir, encoder: new BuiltinEncoder('builtin:mfcc-stats', { nMfcc: 13 }), pooling: 'mean', out });
    expect([pooled.computed, pooled.dim]).toEqual([6, 13]); // another pooling: other vectors
    wav(join(dir, 'clip9.wav'), 1, 16000, 9);
    const added = await embedDataset({ dir, encoder: new BuiltinEncoder('builtin:mfcc-stats', { nMfcc: 13 }), pooling: 'mean', out });
    expect([added.computed, added.reused, added.rows]).toEqual([1, 6, 7]);
    rmSync(join(dir, 'clip2.wav'));
    const removed = await embedDataset({ dir, encoder: new BuiltinEncoder('builtin:mfcc-stats', { nMfcc: 13 }), pooling: 'mean', out });
    expect([removed.computed, removed.rows]).toEqual([0, 6]);
    expect((await readTable(join(out, 'index.parquet'))).rows.map((x) => x.path)).not.toContain('clip2.wav');
    // Compacted: one record per current row.
    expect(readFileSync(embeddingsJournal(out), 'utf8').trim().split('\n')).toHaveLength(6);
  });

  it('a damaged record is never served: it fails its checksum and is recomputed', async () => {
    const dir = corpus(3);
    const out = join(dir, 'emb');
    await embedDataset({ dir, encoder: 'builtin:logmel-stats', out });
    const good = readFileSync(join(out, 'embeddings.npy'));
    const j = embeddingsJournal(out);
    const lines = readFileSync(j, 'utf8').split('\n');
    // Flip one character of the second record's vector (base64): its checksum no longer holds.
    const tab = lines[1]!.lastIndexOf('\t');
    lines[1] = lines[1]!.slice(0, tab + 5) + (lines[1]![tab + 5] === 'A' ? 'B' : 'A') + lines[1]!.slice(tab + 6);
    writeFileSync(j, lines.join('\n'));
    const r = await embedDataset({ dir, encoder: 'builtin:logmel-stats', out });
    expect([r.computed, r.reused]).toEqual([1, 2]);
    expect(readFileSync(join(out, 'embeddings.npy'))).toEqual(good);
  });

  it('a run killed with SIGKILL mid-way: the outputs stay as they were and the next run resumes from the records on disk, with a clean run\'s outputs', async () => {
    const dir = corpus(24);
    const out = join(dir, 'emb');
    const clean = join(dir, 'clean');
    await embedDataset({ dir, encoder: 'builtin:logmel-stats', out: clean, batchSize: 2 });
    // The child embeds 9 rows, then its encoder stalls (without blocking the event loop) until it is killed: the
    // journal's timed flush writes the rows done so far, however fast this machine embeds the 24 rows.
    const dist = join(__dirname, '../../dist/cjs');
    const script = `
      const { BuiltinEncoder } = require(${JSON.stringify(join(dist, 'models/builtin.js'))});
      const { embedDataset } = require(${JSON.stringify(join(dist, 'embed/dataset.js'))});
      let stalled = false;
      for (const m of ['embedWavFiles', 'sceneEmbeddings']) {
        const f = BuiltinEncoder.prototype[m];
        BuiltinEncoder.prototype[m] = async function (...a) {
          while (stalled) await new Promise((r) => setTimeout(r, 100));
          return f.apply(this, a);
        };
      }
      embedDataset({ dir: ${JSON.stringify(dir)}, encoder: 'builtin:logmel-stats', out: ${JSON.stringify(out)}, batchSize: 2, onProgress: (p) => { if (p.done === 9) stalled = true; } });`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'ignore', 'inherit'] });
    const exited = new Promise((done) => child.on('exit', done));
    const journal = embeddingsJournal(out);
    try {
      // Killed once the journal holds a complete record (a line with its newline).
      const deadline = Date.now() + 30_000;
      while (!(existsSync(journal) && readFileSync(journal).includes(0x0a))) {
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the child ended (${child.exitCode ?? child.signalCode}) before its journal held a record`);
        if (Date.now() > deadline) throw new Error('no journal record reached the disk within 30 s');
        await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    expect(existsSync(join(out, 'embeddings.npy'))).toBe(false); // nothing half-written in place
    const onDisk = readFileSync(journal, 'utf8').split('\n').length - 1; // complete records; a torn last line has no newline
    const r = await embedDataset({ dir, encoder: 'builtin:logmel-stats', out, batchSize: 2 });
    expect(r.rows).toBe(24);
    expect(r.reused).toBeGreaterThanOrEqual(9); // the 9 rows done before the stall were flushed
    expect(r.reused).toBe(onDisk);
    expect(r.computed).toBe(24 - r.reused);
    expect(readFileSync(join(out, 'embeddings.npy'))).toEqual(readFileSync(join(clean, 'embeddings.npy')));
    expect((await readTable(join(out, 'index.parquet'))).rows).toEqual((await readTable(join(clean, 'index.parquet'))).rows);
  });

  it('frames: the frame embeddings and their timestamps, located by index.parquet; cached like the vectors; a run without them removes them', async () => {
    const dir = corpus(3);
    const out = join(dir, 'emb');
    const enc = new BuiltinEncoder('builtin:logmel-stats', { nMels: 16 });
    const r = await embedDataset({ dir, encoder: enc, out, frames: true });
    const index = (await readTable(join(out, 'index.parquet'))).rows;
    const fe = npy(join(out, 'frames', 'embeddings.npy'));
    const ts = npy(join(out, 'frames', 'timestamps.npy'));
    expect(fe.shape).toEqual([index.reduce((a, x) => a + (x.frame_count as number), 0), 16]);
    expect(ts.shape).toEqual([fe.shape[0]]);
    for (const [i, row] of index.entries()) {
      const x = (await loadAudio(join(dir, String(row.path)), { mono: true, sampleRate: 16000 })).channels[0]!;
      const [want] = await enc.frameEmbeddings([x]);
      const o = row.frame_offset as number;
      expect(row.frame_count).toBe(want!.timestamps.length);
      expect((fe.data as Float32Array).subarray(o * 16, (o + want!.timestamps.length) * 16)).toEqual(want!.embeddings.data);
      expect((ts.data as Float64Array).subarray(o, o + want!.timestamps.length)).toEqual(want!.timestamps);
      // The scene vector is the pooled frames.
      expect((npy(join(out, 'embeddings.npy')).data as Float32Array).subarray(i * 32, (i + 1) * 32)).toEqual((await enc.sceneEmbeddings([x])).data);
    }
    const before = [readFileSync(join(out, 'frames', 'embeddings.npy')), readFileSync(join(out, 'frames', 'timestamps.npy')), readFileSync(join(out, 'embeddings.npy'))];
    const again = await embedDataset({ dir, encoder: enc, out, frames: true });
    expect([again.computed, again.reused]).toEqual([0, r.rows]);
    expect([readFileSync(join(out, 'frames', 'embeddings.npy')), readFileSync(join(out, 'frames', 'timestamps.npy')), readFileSync(join(out, 'embeddings.npy'))]).toEqual(before); // from the cache, the same bytes
    const without = await embedDataset({ dir, encoder: enc, out });
    expect(without.computed).toBe(r.rows); // another fingerprint: the vectors are computed again
    expect(existsSync(join(out, 'frames', 'embeddings.npy'))).toBe(false);
  });

  it("a manifest's segments: one embedding per segment, the file decoded once", async () => {
    const dir = corpus(2);
    const manifest = join(dir, 'm.parquet');
    await buildManifest({ root: dir, out: manifest, segments: { length: 0.5 }, stats: false });
    const r = await embedDataset({ manifest, encoder: 'builtin:logmel-stats', out: join(dir, 'emb') });
    const index = await readTable(join(dir, 'emb', 'index.parquet'));
    expect(r.rows).toBe(index.rows.length);
    expect(index.rows.map((x) => [x.path, x.start_time])).toEqual([['clip0.wav', 0], ['clip0.wav', 0.5], ['clip1.wav', 0], ['clip1.wav', 0.5], ['clip1.wav', 1]]);
    const x = (await loadAudio(join(dir, 'clip1.wav'), { mono: true, sampleRate: 16000 })).channels[0]!;
    const seg = x.subarray(8000, 16000);
    const want = await new BuiltinEncoder('builtin:logmel-stats').sceneEmbeddings([seg]);
    expect((npy(join(dir, 'emb', 'embeddings.npy')).data as Float32Array).subarray(3 * 128, 4 * 128)).toEqual(want.data);
  });

  it('with an ONNX model: the second run makes zero inferences', async () => {
    const dir = corpus(4);
    const out = join(dir, 'emb');
    const enc = await OnnxEncoder.create(join(__dirname, '../../models/google-speech-embedding.json'));
    try {
      const first = await embedDataset({ dir, encoder: enc, out });
      expect([first.dim, first.computed]).toEqual([96, 4]);
      const before = enc.inferences;
      const second = await embedDataset({ dir, encoder: enc, out });
      expect([second.computed, second.reused, enc.inferences - before]).toEqual([0, 4, 0]);
    } finally {
      await enc.close();
    }
  });
});

describe('audiomill embed (CLI)', () => {
  const cli = (args: string[]) => spawnSync(process.execPath, [join(__dirname, '../../dist/cjs/cli/main.js'), ...args], { encoding: 'utf8' });

  it('embeds a folder with a built-in encoder, reports, and --strict turns a failed clip into exit code 2', () => {
    const dir = corpus(3);
    writeFileSync(join(dir, 'broken.wav'), 'not audio');
    const out = join(dir, 'emb');
    const r = cli(['embed', dir, '--model', 'builtin:mfcc-stats', '--pool', 'mean', '--out', out, '--strict']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/Embedded 3 rows with builtin:mfcc-stats \(mean pooling, 20 values each\)/);
    expect(r.stderr).toMatch(/1 row could not be embedded[^]*broken\.wav/);
    expect(npy(join(out, 'embeddings.npy')).shape).toEqual([3, 20]);
    const again = cli(['embed', dir, '--model', 'builtin:mfcc-stats', '--pool', 'mean', '--out', out, '--quiet']);
    expect([again.status, again.stderr]).toEqual([0, '']);
  });

  it('an empty folder writes empty outputs with a warning; a missing or unknown input is named as the input', () => {
    const dir = tempDir('embed-empty');
    const out = join(dir, 'out');
    mkdirSync(join(dir, 'none'));
    const r = cli(['embed', join(dir, 'none'), '--model', 'builtin:logmel-stats', '--out', out]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/Warning: no rows to embed: no audio files under '.*none'; the outputs were written empty/);
    expect(npy(join(out, 'embeddings.npy')).shape).toEqual([0, 128]);
    const missing = cli(['embed', join(dir, 'nope'), '--model', 'builtin:logmel-stats', '--out', out]);
    expect([missing.status, missing.stderr]).toEqual([1, expect.stringMatching(/cannot read the input '.*nope': no such file or folder/)]);
    writeFileSync(join(dir, 'list.txt'), 'a.wav\n');
    const txt = cli(['embed', join(dir, 'list.txt'), '--model', 'builtin:logmel-stats', '--out', out]);
    expect(txt.stderr).toMatch(/Expected a path ending in \.parquet, \.csv, \.tsv, \.jsonl, \.ndjson for <input> but received ".*list\.txt"/);
  });

  it('names the flag a bad value came from', () => {
    const dir = corpus(1);
    const r = cli(['embed', dir, '--model', 'builtin:mfcc-stats', '--pool', 'median', '--out', join(dir, 'e')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/for --pool but received "median"/);
    const m = cli(['embed', dir, '--model', 'builtin:nope', '--out', join(dir, 'e')]);
    expect(m.stderr).toMatch(/for --model but received "builtin:nope"/);
  });
});
