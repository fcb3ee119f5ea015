// `audiomill eval probe`: a cross-validated linear probe of an embed output folder, equal to crossValidate on the
// same rows, written as probe.json / probe.csv with the run's config; and the errors a user meets first.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crossValidate, type Estimator } from '../../src/eval/cross-validate.js';
import { LogisticRegression } from '../../src/eval/models/logistic.js';
import { Ridge } from '../../src/eval/models/ridge.js';
import { encodeNpy } from '../../src/io/npy.js';
import { writeTable } from '../../src/io/table.js';
import { rng } from '../helpers/reference.js';
import { tempDir } from '../helpers/temp.js';

const cli = (args: string[]) => spawnSync(process.execPath, [join(__dirname, '../../dist/cjs/cli/main.js'), ...args], { encoding: 'utf8' });

/** 40 rows of 6-d embeddings: a numeric score linear in them, a two-class label, a fold column and a performer. */
async function folder() {
  const dir = tempDir('eval-probe');
  const r = rng(11);
  const n = 40;
  const d = 6;
  const x = new Float32Array(n * d).map(() => r());
  const rows = Array.from({ length: n }, (_, i) => {
    const v = x.subarray(i * d, (i + 1) * d);
    return { path: `c${i}.wav`, score: i === 3 ? null : 2 * v[0]! - v[1]! + 0.1 * r(), label: v[2]! > 0 ? 'bright' : 'dark', fold: (i % 4) + 1, performer: `p${i % 8}` };
  });
  writeFileSync(join(dir, 'embeddings.npy'), encodeNpy({ data: x, shape: [n, d] }));
  await writeTable(join(dir, 'index.parquet'), rows);
  return { dir, x, rows, d };
}

describe('audiomill eval probe', () => {
  it('ridge on a numeric column over a fold column, logistic on labels by performer groups: the API numbers, as JSON and CSV', async () => {
    const { dir, x, rows, d } = await folder();
    const p = cli(['eval', 'probe', dir, '--target', 'score', '--target', 'label', '--cv', 'fold', '--alphas', '0.5']);
    expect(p.stderr).toContain('score: 1 rows without a value were left out');
    expect(p.status).toBe(0);
    expect(p.stdout).toMatch(/\| score \| ridge \| 39 \| r2 \| 4 \|/);
    expect(p.stdout).toMatch(/\| label \| logistic \| 40 \| accuracy \| 4 \|/);
    const json = JSON.parse(readFileSync(join(dir, 'eval', 'probe.json'), 'utf8'));
    expect(json.config).toMatchObject({ command: 'eval probe', options: { targets: ['score', 'label'], cv: 'fold', alphas: [0.5], standardize: true } });
    // The ridge probe equals crossValidate with the fold column's folds on the 39 rows with a score.
    const keep = rows.map((_, i) => i).filter((i) => rows[i]!.score !== null);
    const X = { data: Float64Array.from(keep.flatMap((i) => Array.from(x.subarray(i * d, (i + 1) * d)))), shape: [keep.length, d] as [number, number] };
    const folds = [1, 2, 3, 4].map((f) => ({ test: Uint32Array.from(keep.map((_, j) => j).filter((j) => rows[keep[j]!]!.fold === f)) }));
    const want = crossValidate(() => new Ridge({ alpha: 0.5 }) as unknown as Estimator, X, Float64Array.from(keep, (i) => rows[i]!.score as number), {
      cv: folds.map((f) => ({ test: f.test, train: Uint32Array.from(keep.map((_, j) => j).filter((j) => !f.test.includes(j))) })),
      scoring: ['r2'],
      standardize: true,
    });
    expect(json.results[0].scores.r2.folds).toEqual(Array.from(want.scores.r2!.folds));
    expect(json.results[0].scores.r2.pooled).toBe(want.scores.r2!.pooled);
    expect(json.results[0].scores.r2.pooled).toBeGreaterThan(0.9); // the score is linear in the embedding
    expect(json.results[1].scores).toHaveProperty('roc_auc');
    const csv = readFileSync(join(dir, 'eval', 'probe.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('target,model,scoring,fold,value');
    expect(csv).toContain(`score,ridge,r2,pooled,${want.scores.r2!.pooled}`);
    // Leave one performer out for the labels: 8 folds.
    const logo = cli(['eval', 'probe', dir, '--target', 'label', '--cv', 'logo', '--groups', 'performer', '--quiet', '--out', join(dir, 'logo')]);
    expect(logo.status).toBe(0);
    const lj = JSON.parse(readFileSync(join(dir, 'logo', 'probe.json'), 'utf8'));
    expect(lj.results[0].scores.accuracy.folds).toHaveLength(8);
    const Xall = { data: Float64Array.from(x), shape: [40, d] as [number, number] };
    const w2 = crossValidate(() => new LogisticRegression({ C: 1, maxIter: 1000 }) as unknown as Estimator, Xall, rows.map((r) => r.label), { cv: 'logo', groups: rows.map((r) => r.performer), scoring: ['accuracy'], standardize: true });
    expect(lj.results[0].scores.accuracy.folds).toEqual(Array.from(w2.scores.accuracy!.folds));
  });

  it('names an unknown target column, refuses ridge on labels and logo without groups', async () => {
    const { dir } = await folder();
    const unknown = cli(['eval', 'probe', dir, '--target', 'scor']);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/Expected one of the index's columns path, score, label, fold, performer for --target but received "scor"/);
    const ridgeOnLabels = cli(['eval', 'probe', dir, '--target', 'label', '--model', 'ridge']);
    expect(ridgeOnLabels.stderr).toMatch(/a column of numbers for a ridge probe/);
    const logo = cli(['eval', 'probe', dir, '--target', 'score', '--cv', 'logo']);
    expect(logo.stderr).toMatch(/--groups/);
    const badAlphas = cli(['eval', 'probe', dir, '--target', 'score', '--alphas', '1,x']);
    expect(badAlphas.stderr).toMatch(/--alphas/);
    const seedWithFolds = cli(['eval', 'probe', dir, '--target', 'score', '--cv', 'fold', '--seed', '3']);
    expect(seedWithFolds.stderr).toMatch(/a seed only with cv 'kfold:<k>' and no groups .* for --seed/);
  });
});
