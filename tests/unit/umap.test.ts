// UMAP for the explorer's maps: the curve parameters equal umap-learn's for its defaults (a 1.577, b 0.895); a
// map of clustered embeddings keeps neighbours (trustworthiness >= 0.9, far above a random map) and clusters (a
// point's nearest map neighbour is of its class); one seed gives one map, another seed another; the Promise leaves
// the event loop free; bad options are RangeErrors.
import { describe, expect, it } from 'vitest';
import { fitAB, umap } from '../../src/explore/umap.js';
import { trustworthiness } from '../../src/explore/trustworthiness.js';
import { clusters, nearestAgreement } from '../helpers/clusters.js';
import { rng } from '../helpers/reference.js';


describe('umap', () => {
  it("fits umap-learn's curve for min_dist 0.1, spread 1 (a 1.577, b 0.895)", () => {
    const { a, b } = fitAB(1, 0.1);
    expect(a).toBeCloseTo(1.577, 2);
    expect(b).toBeCloseTo(0.895, 3);
    const tight = fitAB(1, 0.001);
    expect(tight.a).toBeGreaterThan(a); // packing closer: a steeper curve near 0
  });

  it('maps clustered embeddings keeping neighbours and classes, seeded', async () => {
    const { x, labels } = clusters(600, 64, 6, 3);
    const m = await umap(x, { seed: 7, nEpochs: 200 });
    expect(m.shape).toEqual([600, 2]);
    expect(m.embedding.every(Number.isFinite)).toBe(true);
    const map = { data: m.embedding, shape: m.shape };
    const t = trustworthiness(x, map, { nNeighbors: 10 });
    const random = trustworthiness(x, { data: Float32Array.from({ length: 1200 }, rng(1)), shape: [600, 2] }, { nNeighbors: 10 });
    expect(t).toBeGreaterThan(0.9);
    expect(t).toBeGreaterThan(random + 0.3);
    expect(nearestAgreement(m.embedding, labels)).toBeGreaterThan(0.95);
    const again = await umap(x, { seed: 7, nEpochs: 200 });
    expect(Array.from(again.embedding)).toEqual(Array.from(m.embedding));
    const other = await umap(x, { seed: 8, nEpochs: 200 });
    expect(Array.from(other.embedding)).not.toEqual(Array.from(m.embedding));
    const cosine = await umap(x, { seed: 7, nEpochs: 100, metric: 'cosine', init: 'random', nComponents: 3 });
    expect(cosine.shape).toEqual([600, 3]);
  });

  it('keeps the event loop free while it optimises', async () => {
    const { x } = clusters(1500, 32, 5, 4);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const t0 = performance.now();
    await umap(x, { nEpochs: 300, init: 'random' });
    const ms = performance.now() - t0;
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(ms / 20); // the loop kept turning (a blocked loop would tick once)
  });

  it('refuses bad options', async () => {
    const { x } = clusters(20, 4, 2, 5);
    await expect(umap(x, { nNeighbors: 20 })).rejects.toBeInstanceOf(RangeError);
    await expect(umap(x, { minDist: 2 })).rejects.toBeInstanceOf(RangeError);
    await expect(umap(x, { init: 'spectral' as never })).rejects.toBeInstanceOf(RangeError);
    await expect(umap({ data: new Float32Array(4), shape: [2, 2] }, { nNeighbors: 2 })).rejects.toBeInstanceOf(RangeError);
  });
});
