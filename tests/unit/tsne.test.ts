// t-SNE for the explorer's maps: a map of clustered embeddings keeps neighbours (trustworthiness >= 0.9, far above a
// random map) and classes (a point's nearest map neighbour is of its class); the KL divergence is reported; the
// result is the same on one thread and on two, and for one seed with a random start; bad options are RangeErrors.
import { describe, expect, it } from 'vitest';
import { tsne } from '../../src/explore/tsne.js';
import { trustworthiness } from '../../src/explore/trustworthiness.js';
import { clusters, nearestAgreement } from '../helpers/clusters.js';
import { rng } from '../helpers/reference.js';


describe('tsne', () => {
  it('maps clustered embeddings keeping neighbours and classes; the same on any thread count', async () => {
    const { x, labels } = clusters(400, 48, 5, 11);
    const m = await tsne(x, { perplexity: 20, nIter: 400 });
    expect(m.shape).toEqual([400, 2]);
    expect(m.embedding.every(Number.isFinite)).toBe(true);
    expect(m.klDivergence).toBeGreaterThan(0);
    expect(m.klDivergence).toBeLessThan(3);
    const t = trustworthiness(x, { data: m.embedding, shape: m.shape }, { nNeighbors: 10 });
    const random = trustworthiness(x, { data: Float64Array.from({ length: 800 }, rng(2)), shape: [400, 2] }, { nNeighbors: 10 });
    expect(t).toBeGreaterThan(0.9);
    expect(t).toBeGreaterThan(random + 0.3);
    expect(nearestAgreement(m.embedding, labels)).toBeGreaterThan(0.95);
    const one = await tsne(x, { perplexity: 20, nIter: 400, threads: 1 });
    expect(Array.from(one.embedding)).toEqual(Array.from(m.embedding));
    const a = await tsne(x, { perplexity: 20, nIter: 250, init: 'random', seed: 3, nComponents: 3 });
    const b = await tsne(x, { perplexity: 20, nIter: 250, init: 'random', seed: 3, nComponents: 3 });
    expect(a.shape).toEqual([400, 3]);
    expect(Array.from(a.embedding)).toEqual(Array.from(b.embedding));
  });

  it('refuses bad options', async () => {
    const { x } = clusters(30, 4, 2, 5);
    await expect(tsne(x, { perplexity: 30 })).rejects.toBeInstanceOf(RangeError);
    await expect(tsne(x, { perplexity: 5, nComponents: 4 })).rejects.toBeInstanceOf(RangeError);
    await expect(tsne(x, { perplexity: 5, nIter: 100 })).rejects.toBeInstanceOf(RangeError);
    await expect(tsne(x, { perplexity: 5, learningRate: 0 })).rejects.toBeInstanceOf(RangeError);
  });
});
