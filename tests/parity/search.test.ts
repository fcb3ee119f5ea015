// VectorIndex against FAISS (tests/parity/make_search_fixtures.py): IndexFlatIP (cosine, ip),
// IndexFlatL2 and range_search on the same vectors give the same ids and scores, at every SIMD level.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { VectorIndex, capabilities, setSimdLevel, type VectorMetric } from '../../src/index.js';
import { readNpy } from '../helpers/npy.js';

interface Case {
  name: string;
  metric: VectorMetric;
  ids: number[];
  scores: number[];
}
const dir = join(__dirname, 'fixtures', 'search');
const fx = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as {
  dim: number;
  nq: number;
  k: number;
  cases: Case[];
  range: { threshold: number; lims: number[]; ids: number[]; scores: number[] };
};
const rows = readNpy(join(dir, 'rows.npy')).data;
const queries = readNpy(join(dir, 'queries.npy')).data;
const initial = capabilities();
afterAll(() => setSimdLevel(initial.simd));

/** Same ids as FAISS except where the two scores at that position are within 1e-6; scores within 1e-5. */
function expectSame(gotIds: ArrayLike<number>, gotScores: ArrayLike<number>, want: { ids: number[]; scores: number[] }, scale: (s: number) => number) {
  expect(gotIds.length).toBe(want.ids.length);
  for (let i = 0; i < want.ids.length; i++) {
    const tol = 1e-5 * scale(want.scores[i]!);
    expect(Math.abs(gotScores[i]! - want.scores[i]!), `position ${i}`).toBeLessThanOrEqual(tol);
    if (gotIds[i] !== want.ids[i]) expect(Math.abs(gotScores[i]! - want.scores[i]!)).toBeLessThanOrEqual(1e-6 * scale(want.scores[i]!));
  }
}

describe('VectorIndex equals FAISS', () => {
  it.each(fx.cases.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const index = new VectorIndex({ dim: fx.dim, metric: c.metric });
    index.addSync(rows);
    const scale = (s: number) => (c.metric === 'cosine' ? 1 : Math.max(1, Math.abs(s)));
    for (const level of capabilities().simdLevels) {
      setSimdLevel(level);
      const r = await index.search(queries, fx.k);
      expectSame(r.ids as Int32Array, r.scores, c, scale);
    }
    setSimdLevel(initial.simd);
  });

  it('range_search', async () => {
    const index = new VectorIndex({ dim: fx.dim, metric: 'cosine' });
    index.addSync(rows);
    const r = await index.rangeSearch(queries, fx.range.threshold);
    // FAISS lists each query's matches in row order, audiomill best first: compare as sets of (id, score).
    expect(Array.from(r.lims)).toEqual(fx.range.lims);
    for (let q = 0; q < fx.nq; q++) {
      const [a, b] = [fx.range.lims[q]!, fx.range.lims[q + 1]!];
      const want = new Map(fx.range.ids.slice(a, b).map((id, i) => [id, fx.range.scores[a + i]!]));
      const got = Array.from((r.ids as Int32Array).subarray(a, b));
      expect(new Set(got)).toEqual(new Set(want.keys()));
      got.forEach((id, i) => expect(Math.abs(r.scores[a + i]! - want.get(id)!)).toBeLessThan(1e-5));
    }
  });
});
