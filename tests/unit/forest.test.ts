// RandomForestClassifier's API: labels sorted as scikit-learn's classes_ (strings or numbers) and returned by
// predict; the model file round-trips exactly; a malformed file is MODEL_INPUT; the same seed gives the same forest
// on any thread count and sync or async, another seed another; NaN features sort below every number; balanced
// class weights raise the minority class's probabilities; maxFeatures resolves like scikit-learn's.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AudiomillError } from '../../src/errors.js';
import { RandomForestClassifier } from '../../src/forest/random-forest.js';
import { rng } from '../helpers/reference.js';
import { tempDir } from '../helpers/temp.js';

/** Two blobs in 4 features (2 informative), `n` rows, labels from `names`. */
function blobs(n: number, seed: number, names: readonly (string | number)[] = ['bird', 'noise'], share = 0.5) {
  const r = rng(seed);
  const x: number[][] = [];
  const y: (string | number)[] = [];
  for (let i = 0; i < n; i++) {
    const c = (r() + 1) / 2 < share ? 0 : 1;
    x.push([r() + c * 1.2, r() - c, r(), r()]);
    y.push(names[c]!);
  }
  return { x, y };
}

describe('RandomForestClassifier', () => {
  it('sorts string labels and predicts them; probabilities follow classes', async () => {
    const { x, y } = blobs(300, 1, ['noise', 'bird']);
    const f = await RandomForestClassifier.fit(x, y, { trees: 30 });
    expect(f.classes).toEqual(['bird', 'noise']);
    expect(f.featureNames).toEqual(['f0', 'f1', 'f2', 'f3']);
    const test = blobs(200, 2, ['noise', 'bird']);
    const pred = await f.predict(test.x);
    expect(pred.filter((p, i) => p === test.y[i]).length / 200).toBeGreaterThan(0.85);
    const p = await f.predictProba(test.x);
    expect(p).toHaveLength(400);
    pred.forEach((label, i) => expect(label).toBe(p[2 * i]! >= p[2 * i + 1]! ? 'bird' : 'noise'));
    expect(f.featureImportances[0]! + f.featureImportances[1]!).toBeGreaterThan(f.featureImportances[2]! + f.featureImportances[3]!);
    expect(f.featureImportances.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    const numeric = await RandomForestClassifier.fit(x, y.map((v) => (v === 'bird' ? 10 : 2)), { trees: 5 });
    expect(numeric.classes).toEqual([2, 10]); // numerically, not as text
  });

  it('saves and loads a model file that predicts exactly as the forest did', async () => {
    const dir = tempDir('forest');
    const { x, y } = blobs(200, 3);
    const f = await RandomForestClassifier.fit(x, y, { trees: 20, maxDepth: 6, featureNames: ['a', 'b', 'c', 'd'], seed: 9 });
    await f.save(join(dir, 'rf.json'), { note: 'kept' });
    const g = await RandomForestClassifier.load(join(dir, 'rf.json'));
    expect(g.classes).toEqual(f.classes);
    expect(g.featureNames).toEqual(['a', 'b', 'c', 'd']);
    expect(g.meta).toEqual({ note: 'kept' });
    expect(g.options).toEqual(f.options);
    expect(Array.from(g.featureImportances)).toEqual(Array.from(f.featureImportances));
    const test = blobs(100, 4).x;
    expect(Array.from(await g.predictProba(test))).toEqual(Array.from(await f.predictProba(test)));
  });

  it('refuses malformed model files with MODEL_INPUT', () => {
    const j = RandomForestClassifier.fitSync(blobs(50, 5).x, blobs(50, 5).y, { trees: 2 }).toJSON();
    const broken = (edit: (c: typeof j) => void) => {
      const c = JSON.parse(JSON.stringify(j)) as typeof j;
      edit(c);
      try {
        RandomForestClassifier.fromJSON(c, 'rf.json');
      } catch (err) {
        expect(err).toBeInstanceOf(AudiomillError);
        expect(err).toMatchObject({ code: 'MODEL_INPUT', path: 'rf.json' });
        return (err as Error).message;
      }
      throw new Error('accepted');
    };
    expect(broken((c) => (c.version = 2 as never))).toMatch(/version 2 is not 1/);
    expect(broken((c) => c.trees.value.pop())).toMatch(/disagree in length/);
    expect(broken((c) => (c.trees.feature[0] = 7))).toMatch(/splits on feature 7/);
    expect(broken((c) => (c.trees.offset[1] = c.trees.offset[2]! + 1))).toMatch(/offsets/);
    expect(broken((c) => (c.trees.left[0] = 1.5))).toMatch(/trees\.left is not a list of 32-bit integers/);
    expect(broken((c) => (c.featureNames = []))).toMatch(/featureNames/);
  });

  it('gives the same forest for a seed on any thread count, sync or async; another seed another', async () => {
    const { x, y } = blobs(400, 6);
    const a = (await RandomForestClassifier.fit(x, y, { trees: 16, seed: 4 })).toJSON();
    const b = RandomForestClassifier.fitSync(x, y, { trees: 16, seed: 4, threads: 1 }).toJSON();
    expect(b).toEqual(a);
    const c = RandomForestClassifier.fitSync(x, y, { trees: 16, seed: 5 }).toJSON();
    expect(c.trees.threshold).not.toEqual(a.trees.threshold);
    const f = RandomForestClassifier.fromJSON(a);
    expect(Array.from(f.predictProbaSync(x, { threads: 1 }))).toEqual(Array.from(await f.predictProba(x)));
    // A tensor gives what rows give.
    const t = { data: Float32Array.from(x.flat()), shape: [x.length, 4] };
    expect(Array.from(await f.predictProba(t))).toEqual(Array.from(await f.predictProba(x)));
  });

  it('sorts NaN below every number, in training and prediction', () => {
    const x = [[Number.NaN], [-5], [1], [2], [Number.NaN], [3]];
    const f = RandomForestClassifier.fitSync(x, ['low', 'low', 'high', 'high', 'low', 'high'], { trees: 1, bootstrap: false });
    expect(f.predictProbaSync([[Number.NaN], [-1e30], [2.5]]).filter((_, i) => i % 2 === 1)).toEqual(new Float64Array([1, 1, 0]));
  });

  it('saves a forest trained on missing values as a file that loads and predicts the same (no infinite thresholds)', async () => {
    const dir = tempDir('forest-nan');
    const x = [[Number.NaN, 1], [Number.NaN, 2], [1, 3], [2, 4], [3, 5], [Number.NaN, 6], [4, Number.NaN], [5, 8]];
    const y = ['short', 'short', 'call', 'call', 'call', 'short', 'call', 'call'];
    const f = RandomForestClassifier.fitSync(x, y, { trees: 5, bootstrap: false, maxFeatures: null });
    expect(f.toJSON().trees.threshold.every(Number.isFinite)).toBe(true);
    await f.save(join(dir, 'rf.json'));
    const g = await RandomForestClassifier.load(join(dir, 'rf.json'));
    const probe = [[Number.NaN, 0], [2.5, Number.NaN], [-1e30, 3]];
    expect(Array.from(g.predictProbaSync(probe))).toEqual(Array.from(f.predictProbaSync(probe)));
    expect(Array.from(g.predictProbaSync([[Number.NaN, 1]]))).toEqual([0, 1]); // classes: call, short
  });

  it('balanced class weights raise the minority class', () => {
    const { x, y } = blobs(600, 7, [0, 1], 0.85); // about 15 % of class 1
    const plain = RandomForestClassifier.fitSync(x, y, { trees: 40, minSamplesLeaf: 10 });
    const balanced = RandomForestClassifier.fitSync(x, y, { trees: 40, minSamplesLeaf: 10, classWeight: 'balanced' });
    const test = blobs(300, 8, [0, 1], 0.85).x;
    const mean = (p: Float64Array) => p.filter((_, i) => i % 2 === 1).reduce((s, v) => s + v, 0) / test.length;
    expect(mean(balanced.predictProbaSync(test))).toBeGreaterThan(mean(plain.predictProbaSync(test)) + 0.05);
    expect(balanced.options.classWeight).toBe('balanced');
  });

  it("resolves maxFeatures like scikit-learn ('sqrt' default, 'log2', fractions, counts, null)", () => {
    const x = [Array.from({ length: 10 }, (_, j) => j), Array.from({ length: 10 }, (_, j) => 10 - j)];
    const of = (maxFeatures?: 'sqrt' | 'log2' | number | null) => RandomForestClassifier.fitSync(x, [0, 1], { trees: 1, ...(maxFeatures === undefined ? {} : { maxFeatures }) }).options.maxFeatures;
    expect([of(), of('log2'), of(0.35), of(7), of(null)]).toEqual([3, 3, 3, 7, 10]);
  });
});
