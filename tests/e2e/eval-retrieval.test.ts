// `audiomill eval retrieval`: from an embed output folder (embeddings.npy + index.parquet) to a Markdown table on
// stdout and retrieval.json / retrieval.csv, with the run's config; and the errors a user meets first.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { retrievalReport } from '../../src/eval/retrieval.js';
import { sha256File } from '../../src/io/hash.js';
import { encodeNpy } from '../../src/io/npy.js';
import { writeTable } from '../../src/io/table.js';
import { rng } from '../helpers/reference.js';
import { tempDir } from '../helpers/temp.js';

const cli = (args: string[]) => spawnSync(process.execPath, [join(__dirname, '../../dist/cjs/cli/main.js'), ...args], { encoding: 'utf8' });

/** An embed-like output folder: 30 rows of 3 classes, two clips per source file, one row without a label. */
async function folder() {
  const dir = tempDir('eval-ret');
  const r = rng(7);
  const n = 30;
  const d = 8;
  const x = new Float32Array(n * d);
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    for (let j = 0; j < d; j++) x[i * d + j] = (j === c ? 2 : 0) + r();
    rows.push({ row: i, path: `clip${i}.wav`, category: i === 29 ? null : ['dog', 'rain', 'siren'][c], src_file: `src${Math.floor(i / 6)}_${c}` });
  }
  writeFileSync(join(dir, 'embeddings.npy'), encodeNpy({ data: x, shape: [n, d] }));
  await writeTable(join(dir, 'index.parquet'), rows);
  return { dir, x, rows, d };
}

describe('audiomill eval retrieval', () => {
  it('writes retrieval.json (with the config) and retrieval.csv, prints Markdown, and leaves out rows without a label', async () => {
    const { dir, x, rows, d } = await folder();
    const p = cli(['eval', 'retrieval', dir, '--label', 'category', '--groups', 'src_file', '--k', '1,5']);
    expect(p.stderr).toContain('1 rows without a category or src_file were left out');
    expect(p.status).toBe(0);
    expect(p.stdout).toMatch(/\*\*leave-self-out\*\*/);
    expect(p.stdout).toMatch(/\*\*leave-same-group-out\*\*/);
    expect(p.stdout).toMatch(/\| dog \| 10 \|/);
    const json = JSON.parse(readFileSync(join(dir, 'eval', 'retrieval.json'), 'utf8'));
    expect(json.config).toMatchObject({ command: 'eval retrieval', rows: 30, skippedRows: 1, options: { label: 'category', groups: 'src_file', k: [1, 5], metric: 'cosine' } });
    expect(json.config.inputs.embeddingsSha256).toBe(await sha256File(join(dir, 'embeddings.npy')));
    // The same numbers as the API on the same 29 rows.
    const keep = rows.map((_, i) => i).filter((i) => rows[i]!.category !== null);
    const want = await retrievalReport(
      keep.map((i) => x.slice(i * d, (i + 1) * d)),
      keep.map((i) => rows[i]!.category as string),
      { k: [1, 5], groups: keep.map((i) => rows[i]!.src_file as string) },
    );
    expect(json.report).toEqual(JSON.parse(JSON.stringify(want)));
    const csv = readFileSync(join(dir, 'eval', 'retrieval.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('section,class,queries,precision@1,precision@5,recall@1,recall@5,map@1,map@5,mrr,intra_distance,inter_distance,distance_ratio');
    expect(csv).toHaveLength(1 + 2 * (2 + 3)); // two sections of overall, macro and 3 classes
    expect(csv[1]!.startsWith(`self,overall,29,${want.self.overall.precisionAtK[0]}`)).toBe(true);
  });

  it('names an unknown column with the columns there are, a folder that is not an embed output, and a bad --k', async () => {
    const { dir } = await folder();
    const unknown = cli(['eval', 'retrieval', dir, '--label', 'categry']);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/Expected one of the index's columns path, row, category, src_file for --label but received "categry"/);
    const empty = tempDir('eval-empty');
    mkdirSync(join(empty, 'x'));
    const notEmbed = cli(['eval', 'retrieval', empty, '--label', 'category']);
    expect(notEmbed.status).toBe(1);
    expect(notEmbed.stderr).toMatch(/embeddings\.npy/);
    expect(notEmbed.stderr).toMatch(/\[IO\]/);
    const badK = cli(['eval', 'retrieval', dir, '--label', 'category', '--k', '1,0']);
    expect(badK.status).toBe(1);
    expect(badK.stderr).toMatch(/--k/);
  });
});
