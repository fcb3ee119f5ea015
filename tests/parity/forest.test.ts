// The random forest against tests/parity/make_forest_fixtures.py (scikit-learn 1.2): single trees (no bootstrap,
// every feature searched) equal DecisionTreeClassifier node for node (node count, held-out class probabilities,
// feature importances); a 300-tree forest, whose random draws differ from scikit-learn's by design, reaches the
// same held-out accuracy and ROC AUC within 0.02 (means over seeds) and ranks the same most important features.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RandomForestClassifier } from '../../src/forest/random-forest.js';
import { rocAucScore } from '../../src/eval/metrics/ranking.js';

interface TreeCase {
  name: string;
  options: { max_depth?: number; class_weight?: 'balanced'; min_samples_leaf?: number; min_samples_split?: number };
  cols: number;
  x: number[];
  y: number[];
  xTest: number[];
  nodeCount: number;
  proba: number[];
  importances: number[];
}
interface ForestCase { name: string; cols: number; trees: number; x: number[]; y: number[]; xTest: number[]; yTest: number[]; accuracy: number; auc: number; topFeatures: number[] }
const doc = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'forest', 'forest.json'), 'utf8')) as { trees: TreeCase[]; forests: ForestCase[] };

const tensor = (v: number[], cols: number) => ({ data: Float32Array.from(v), shape: [v.length / cols, cols] });

describe('one tree equals scikit-learn DecisionTreeClassifier', () => {
  it.each(doc.trees.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const o = c.options;
    const f = await RandomForestClassifier.fit(tensor(c.x, c.cols), c.y, {
      trees: 1,
      bootstrap: false,
      maxFeatures: null,
      ...(o.max_depth === undefined ? {} : { maxDepth: o.max_depth }),
      ...(o.class_weight === undefined ? {} : { classWeight: o.class_weight }),
      ...(o.min_samples_leaf === undefined ? {} : { minSamplesLeaf: o.min_samples_leaf }),
      ...(o.min_samples_split === undefined ? {} : { minSamplesSplit: o.min_samples_split }),
    });
    expect(f.nodeCount).toBe(c.nodeCount);
    const p = await f.predictProba(tensor(c.xTest, c.cols));
    expect(p.length).toBe(c.proba.length);
    for (let i = 0; i < p.length; i++) expect(p[i]).toBeCloseTo(c.proba[i]!, 12);
    c.importances.forEach((v, k) => expect(f.featureImportances[k]).toBeCloseTo(v, 12));
  });
});

describe('a forest learns what scikit-learn RandomForestClassifier learns', () => {
  it.each(doc.forests.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    // Means over three seeds (the fixture's over five random states): one forest's accuracy moves with its seed.
    let accuracy = 0, auc = 0;
    const importances = new Float64Array(c.cols);
    for (const seed of [1, 2, 3]) {
      const f = await RandomForestClassifier.fit(tensor(c.x, c.cols), c.y, { trees: c.trees, seed });
      const p = await f.predictProba(tensor(c.xTest, c.cols));
      const pos = Array.from({ length: c.yTest.length }, (_, i) => p[2 * i + 1]!);
      accuracy += pos.filter((v, i) => (v > 0.5 ? 1 : 0) === c.yTest[i]).length / pos.length / 3;
      auc += rocAucScore(c.yTest, pos) / 3;
      f.featureImportances.forEach((v, k) => (importances[k] = importances[k]! + v));
    }
    expect(Math.abs(accuracy - c.accuracy)).toBeLessThan(0.02);
    expect(Math.abs(auc - c.auc)).toBeLessThan(0.02);
    const f = { featureImportances: importances };
    const order = Array.from(f.featureImportances.keys()).sort((a, b) => f.featureImportances[b]! - f.featureImportances[a]!);
    expect(order[0]).toBe(c.topFeatures[0]);
    expect(new Set(order.slice(0, 3))).toEqual(new Set(c.topFeatures));
  });
});
