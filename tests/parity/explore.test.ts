// The explorer's map quality score against tests/parity/make_explore_fixtures.py (scikit-learn 1.2):
// trustworthiness equals sklearn.manifold.trustworthiness within 1e-12 for PCA, projected and random embeddings,
// euclidean and cosine metrics, several neighbour counts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trustworthiness } from '../../src/explore/trustworthiness.js';

const doc = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'explore', 'explore.json'), 'utf8')) as {
  datasets: { x: number[][]; embeddings: Record<string, number[][]> }[];
  trustworthiness: { name: string; dataset: number; embedding: string; nNeighbors: number; metric: 'euclidean' | 'cosine'; expected: number }[];
};

describe('trustworthiness equals sklearn.manifold.trustworthiness', () => {
  it.each(doc.trustworthiness.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const set = doc.datasets[c.dataset]!;
    expect(trustworthiness(set.x, set.embeddings[c.embedding]!, { nNeighbors: c.nNeighbors, metric: c.metric })).toBeCloseTo(c.expected, 12);
  });
});
