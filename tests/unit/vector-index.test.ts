// VectorIndex against a float64 brute force (every metric, SIMD level and thread split), ids,
// filters, removal, self-exclusion, and every kind of bad input.
import { afterAll, describe, expect, it } from 'vitest';
import { VectorIndex, capabilities, setNumThreads, setSimdLevel, type SearchResult, type VectorMetric } from '../../src/index.js';
import { exactScores, expectExact, randomRows } from '../helpers/search.js';

const initial = capabilities();
afterAll(() => {
  setSimdLevel(initial.simd);
  setNumThreads(initial.threads);
});

describe('VectorIndex', () => {
  const dim = 100; // not a multiple of any vector width: tails are exercised
  const n = 2500;
  const rows = randomRows(n, dim, 7);
  const queries = randomRows(37, dim, 11); // not a multiple of the 4-query tile

  it.each(['cosine', 'ip', 'l2'] as const)('%s search equals a float64 brute force, at every SIMD level and thread split', async (metric) => {
    const index = new VectorIndex({ dim, metric });
    expect(index.addSync(rows)).toBe(0);
    expect(index.size).toBe(n);
    for (const level of capabilities().simdLevels) {
      setSimdLevel(level);
      for (const threads of [1, 2]) {
        const res = await index.search(queries, 10, { threads });
        expect([res.nq, res.k, res.ids.length, res.scores.length]).toEqual([37, 10, 370, 370]);
        for (let qi = 0; qi < 37; qi++) expectExact(res, qi, exactScores(rows, dim, queries.subarray(qi * dim, (qi + 1) * dim), metric), metric);
        // One query over many rows takes the row-split path (partial lists merged).
        const one = index.searchSync(queries.subarray(0, dim), 10, { threads });
        expectExact(one, 0, exactScores(rows, dim, queries.subarray(0, dim), metric), metric);
      }
    }
    setSimdLevel(initial.simd);
  });

  it('every query count (all tile remainders) and a dimension below one vector give exact results', () => {
    for (const d of [3, 33]) {
      const data = randomRows(700, d, 5);
      const qs = randomRows(27, d, 6);
      const index = new VectorIndex({ dim: d, metric: 'ip' });
      index.addSync(data);
      for (const level of capabilities().simdLevels) {
        setSimdLevel(level);
        for (let nq = 1; nq <= 27; nq += 1) {
          const res = index.searchSync(qs.subarray(0, nq * d), 7, { threads: 1 });
          for (let qi = 0; qi < nq; qi++) expectExact(res, qi, exactScores(data, d, qs.subarray(qi * d, (qi + 1) * d), 'ip'), 'ip');
        }
      }
      setSimdLevel(initial.simd);
    }
  });

  it.each(['cosine', 'l2'] as const)('rangeSearch (%s) returns every row within the threshold, best first', async (metric) => {
    const index = new VectorIndex({ dim, metric });
    index.addSync(rows);
    const threshold = metric === 'l2' ? 52 : 0.25;
    for (const threads of [1, 2]) {
      const r = await index.rangeSearch(queries, threshold, { threads });
      expect(index.rangeSearchSync(queries, threshold, { threads })).toEqual(r);
      expect(r.lims.length).toBe(38);
      expect(r.ids.length).toBeGreaterThan(37 * 3); // a few matches per query on average
      for (let qi = 0; qi < 37; qi++) {
        const exact = exactScores(rows, dim, queries.subarray(qi * dim, (qi + 1) * dim), metric);
        const inside = (s: number) => (metric === 'l2' ? s <= threshold : s >= threshold);
        const got = Array.from((r.ids as Int32Array).subarray(r.lims[qi]!, r.lims[qi + 1]!));
        const want = [...exact.keys()].filter((j) => inside(exact[j]!));
        const near = (j: number) => Math.abs(exact[j]! - threshold) < 1e-5 * Math.max(1, threshold);
        expect(got.filter((j) => !near(j)).sort((a, b) => a - b)).toEqual(want.filter((j) => !near(j)));
        const sc = Array.from(r.scores.subarray(r.lims[qi]!, r.lims[qi + 1]!));
        for (let i = 1; i < sc.length; i++) expect(metric === 'l2' ? sc[i]! >= sc[i - 1]! : sc[i]! <= sc[i - 1]!).toBe(true);
      }
    }
    expect((await index.rangeSearch(queries, metric === 'l2' ? -1 : 2)).ids.length).toBe(0); // nothing that close
  });

  it('search and searchSync agree, and queries may be an array of vectors', async () => {
    const index = new VectorIndex({ dim, metric: 'cosine' });
    index.addSync(Array.from({ length: 300 }, (_, i) => rows.subarray(i * dim, (i + 1) * dim)));
    const a = await index.search(queries, 5);
    const b = index.searchSync([queries.subarray(0, dim), queries.subarray(dim, 2 * dim)], 5);
    expect(Array.from(b.ids)).toEqual(Array.from(a.ids).slice(0, 10));
    expect(Array.from(b.scores)).toEqual(Array.from(a.scores).slice(0, 10));
  });

  it('maps ids (numbers, bigints, strings), filters by ids, bitmap or predicate, and removes', async () => {
    const index = new VectorIndex({ dim: 4, metric: 'ip' });
    const v = (...x: number[]) => Float32Array.from(x);
    index.addSync([v(1, 0, 0, 0), v(0.9, 0.1, 0, 0), v(0, 1, 0, 0)], ['a', 'b', 'c']);
    index.addSync([v(0.8, 0, 0, 0), v(0, 0, 1, 0)], [10n, 42]);
    const q = v(1, 0, 0, 0);
    expect((await index.search(q, 3)).ids).toEqual(['a', 'b', 10n]);
    expect((await index.search(q, 2, { filter: ['c', 42] })).ids).toEqual(['c', 42]);
    expect((await index.search(q, 2, { filter: Uint8Array.of(0, 1, 1, 1, 1) })).ids).toEqual(['b', 10n]);
    expect((await index.search(q, 9, { filter: (_row, id) => typeof id !== 'string' })).ids).toEqual([10n, 42]);
    expect(index.remove(['a'])).toBe(1);
    expect(index.size).toBe(4);
    expect((await index.search(q, 2)).ids).toEqual(['b', 10n]);
    const near = await index.searchById('b', 2);
    expect(near.ids).toEqual([10n, 'c']); // 'b' itself is skipped; 'a' is removed
    expect((await index.searchById('b', 1, { excludeSelf: false })).ids).toEqual(['b']);
    expect(() => index.remove(['a'])).toThrow(RangeError); // already removed: unknown
    expect(() => index.remove(['zz'])).toThrow(/^Expected an id in the index for ids\[0\] but received "zz"$/);
    await expect(index.searchById('zz', 1)).rejects.toThrow(RangeError);
    expect(() => index.searchByIdSync('zz', 1)).toThrow(/for id but received "zz"/);
    expect(index.searchByIdSync('b', 2)).toEqual(near);
    expect(() => index.addSync([v(1, 1, 1, 1)], ['c'])).toThrow(/Expected ids not already in the index/);
    expect(() => index.addSync([v(1, 1, 1, 1), v(1, 2, 1, 1)], ['x', 'x'])).toThrow(/ids\[1\]/);
    expect(() => index.addSync([v(1, 1, 1, 1)])).toThrow(/ids/);
  });

  it('excludeSelf skips each query\'s own row in a self-join', async () => {
    const index = new VectorIndex({ dim, metric: 'cosine' });
    index.addSync(rows.subarray(0, 200 * dim));
    const self = await index.search(index.vectors(), 3, { excludeSelf: true });
    const plain = await index.search(index.vectors(), 4);
    for (let i = 0; i < 200; i++) {
      expect((plain.ids as Int32Array)[i * 4]).toBe(i); // a vector is its own nearest neighbour
      expect(Array.from((self.ids as Int32Array).subarray(i * 3, i * 3 + 3))).toEqual(Array.from((plain.ids as Int32Array).subarray(i * 4 + 1, i * 4 + 4)));
    }
  });

  it('add (Promise) stores what addSync stores, off the event loop, and rejects bad rows adding nothing', async () => {
    for (const storage of ['f32', 'bf16'] as const) {
      for (const metric of ['cosine', 'l2'] as const) {
        const a = new VectorIndex({ dim, metric, storage });
        const b = new VectorIndex({ dim, metric, storage });
        a.addSync(rows.subarray(0, 500 * dim));
        expect(await b.add(rows.subarray(0, 500 * dim))).toBe(0);
        expect(Array.from(b.vectors())).toEqual(Array.from(a.vectors()));
        const ra = a.searchSync(queries, 5);
        const rb = b.searchSync(queries, 5);
        expect(Array.from(rb.ids)).toEqual(Array.from(ra.ids));
        expect(Array.from(rb.scores)).toEqual(Array.from(ra.scores));
      }
    }
    const c = new VectorIndex({ dim: 2 });
    await expect(c.add(Float32Array.of(1, 0, 0, 0))).rejects.toThrow(/row 1 with norm 0/);
    await expect(c.add(Float32Array.of(NaN, 0))).rejects.toThrow(/row 0 with a non-finite value/);
    expect(c.size).toBe(0);
  });

  it('k above the rows that may be returned gives that many; an empty index gives none', async () => {
    const index = new VectorIndex({ dim: 3 });
    const empty = await index.search(Float32Array.of(1, 0, 0), 5);
    expect([empty.nq, empty.k, empty.ids.length]).toEqual([1, 0, 0]);
    index.addSync(Float32Array.of(1, 0, 0, 0, 1, 0));
    const r = await index.search(Float32Array.of(1, 0, 0), 5);
    expect(r.k).toBe(2);
    expect(Array.from(r.ids)).toEqual([0, 1]);
    expect(Array.from(r.scores)).toEqual([1, 0]);
  });

  it('rejects bad input with clear errors', async () => {
    const index = new VectorIndex({ dim: 3 });
    expect(() => new VectorIndex({ dim: 0 })).toThrow(RangeError);
    expect(() => new VectorIndex({ dim: 3, metric: 'dot' as VectorMetric })).toThrow(/Expected one of 'cosine' \| 'ip' \| 'l2' for metric/);
    expect(() => index.addSync(new Float32Array(4))).toThrow(/Expected a multiple of dim \(3\) values for vectors/);
    expect(() => index.addSync([new Float32Array(2)])).toThrow(/vectors\[0\]/);
    expect(() => index.addSync(Float32Array.of(1, 2, 3, 0, 0, 0))).toThrow(/row 1 with norm 0/);
    expect(() => index.addSync(Float32Array.of(1, 2, 3, NaN, 0, 0))).toThrow(/row 1 with a non-finite value/);
    expect(index.size).toBe(0); // a rejected add adds nothing
    index.addSync(Float32Array.of(1, 2, 3));
    expect(() => index.searchSync(Float32Array.of(1, 2, 3), 0)).toThrow(RangeError);
    expect(() => index.searchSync(Float32Array.of(1, 2), 1)).toThrow(/queries/);
    expect(() => index.searchSync(Float32Array.of(1, Infinity, 3), 1)).toThrow(/query 0 with a non-finite value/);
    expect(() => index.searchSync(Float32Array.of(0, 0, 0), 1)).toThrow(/query 0 with norm 0/);
    expect(() => index.searchSync(Float32Array.of(1, 2, 3), 1, { filter: Uint8Array.of(1, 1) })).toThrow(/one per row/);
    expect(() => index.searchSync(Float32Array.of(1, 2, 3), 1, { threads: 0 })).toThrow(RangeError);
  });
});
