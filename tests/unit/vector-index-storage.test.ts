// Compressed row storage (f16, bf16, i8) on every SIMD level and matrix unit: bytes, recall against
// exact float32 search, exact re-ranking, and for i8 scores equal to an independent JS quantiser.
import { afterAll, describe, expect, it } from 'vitest';
import { VectorIndex, capabilities, setMatrixUnit, setNumThreads, setSimdLevel, type SearchResult, type VectorStorage } from '../../src/index.js';
import { exactScores, expectExact, randomRows } from '../helpers/search.js';

const initial = capabilities();
afterAll(() => {
  setSimdLevel(initial.simd);
  setMatrixUnit(initial.matrixCap);
  setNumThreads(initial.threads);
});

/** Every (SIMD level, matrix unit) pair that runs a different kernel here; the unit only matters at avx512. */
function kernels(): [string, string][] {
  const caps = capabilities();
  const out: [string, string][] = [];
  for (const level of caps.simdLevels) {
    if (level !== 'avx512') out.push([level, 'none']);
    else for (const unit of caps.matrixUnits) out.push([level, unit]);
  }
  return out;
}

function useKernel([level, unit]: [string, string]): void {
  setSimdLevel(level as never);
  setMatrixUnit(unit as never);
}

function recall(r: SearchResult, exact: SearchResult, nq: number, k: number): number {
  let hit = 0;
  for (let q = 0; q < nq; q++) {
    const want = new Set(Array.from((exact.ids as Int32Array).subarray(q * k, q * k + k)));
    for (const id of (r.ids as Int32Array).subarray(q * k, q * k + k)) hit += want.has(id) ? 1 : 0;
  }
  return hit / (nq * k);
}

/** Round half to even, as the native quantiser (nearbyint). */
function roundEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** The i8 format computed independently in float32 steps: codes round(x * (127 / max)) and scale max / 127. */
function quantize(v: Float32Array): { codes: Int8Array; scale: number } {
  let m = 0;
  for (const x of v) m = Math.max(m, Math.abs(x));
  const codes = new Int8Array(v.length);
  if (m === 0) return { codes, scale: 0 };
  const inv = Math.fround(127 / m);
  v.forEach((x, d) => (codes[d] = Math.max(-127, Math.min(127, roundEven(Math.fround(x * inv))))));
  return { codes, scale: Math.fround(m / 127) };
}

describe('compressed storage', () => {
  const dim = 96;
  const n = 3000;
  const rows = randomRows(n, dim, 21);
  const queries = randomRows(40, dim, 22);
  const cases: [VectorStorage, number, number][] = [
    // storage, bytes per row, largest score error against float32
    ['f16', dim * 2, 2e-3],
    ['bf16', dim * 2, 0.02],
    ['i8', dim + 4, 0.03],
  ];

  it.each(cases)('%s: bytes, recall, score error and exact re-ranking on every kernel', async (storage, bytes, tol) => {
    const f32 = new VectorIndex({ dim });
    f32.addSync(rows);
    const small = new VectorIndex({ dim, storage });
    small.addSync(rows);
    expect(small.rowBytes).toBe(n * bytes);
    const both = new VectorIndex({ dim, storage, keepF32: true });
    both.addSync(rows);
    expect(both.rowBytes).toBe(n * (bytes + dim * 4));
    const exact = await f32.search(queries, 10);
    for (const kernel of kernels()) {
      useKernel(kernel);
      const approx = await small.search(queries, 10);
      expect(recall(approx, exact, 40, 10), kernel.join('+')).toBeGreaterThan(0.9);
      for (let i = 0; i < 400; i++) expect(Math.abs(approx.scores[i]! - exact.scores[i]!)).toBeLessThan(tol);
      const reranked = await both.search(queries, 10, { rerank: 4 });
      expect(recall(reranked, exact, 40, 10)).toBeGreaterThanOrEqual(0.99);
      for (let qi = 0; qi < 40; qi++) expectExact(reranked, qi, exactScores(rows, dim, queries.subarray(qi * dim, (qi + 1) * dim), 'cosine'), 'cosine');
    }
    useKernel([initial.simd, initial.matrixCap]);
    expect(() => small.searchSync(queries, 10, { rerank: 4 })).toThrow(/keepF32/);
    // l2 on the stored rows: a stored vector is its own nearest neighbour at distance ~0.
    const l2 = new VectorIndex({ dim, metric: 'l2', storage });
    l2.addSync(rows);
    const self = await l2.search(l2.vectors().subarray(5 * dim, 6 * dim), 1);
    expect((self.ids as Int32Array)[0]).toBe(5);
    expect(self.scores[0]).toBeLessThan(1e-3);
  });

  it.each([100, 128])('i8 inner products (dim %i) equal the JS quantiser exactly, on every kernel and thread split', async (d) => {
    const m = 2500; // not a multiple of the 128-row block; 37 queries: not a multiple of any query tile
    const x = randomRows(m, d, 31).map((v, i) => v * (1 + (i % 7))); // uneven magnitudes per row
    const q = randomRows(37, d, 32);
    const index = new VectorIndex({ dim: d, metric: 'ip', storage: 'i8' });
    index.addSync(x);
    const rq = Array.from({ length: m }, (_, r) => quantize(x.subarray(r * d, (r + 1) * d)));
    const qq = Array.from({ length: 37 }, (_, i) => quantize(q.subarray(i * d, (i + 1) * d)));
    // vectors() gives code x scale.
    expect(index.vectors()[3 * d + 1]).toBe(Math.fround(rq[3]!.codes[1]! * rq[3]!.scale));
    const want = (qi: number, r: number) => {
      let dot = 0;
      for (let j = 0; j < d; j++) dot += qq[qi]!.codes[j]! * rq[r]!.codes[j]!;
      return Math.fround(Math.fround(dot * qq[qi]!.scale) * rq[r]!.scale);
    };
    let first: SearchResult | undefined;
    for (const kernel of kernels()) {
      useKernel(kernel);
      for (const threads of [1, 2]) {
        const res = await index.search(q, 8, { threads });
        for (let qi = 0; qi < 37; qi++) {
          const ids = (res.ids as Int32Array).subarray(qi * 8, qi * 8 + 8);
          ids.forEach((r, i) => expect(res.scores[qi * 8 + i]).toBe(want(qi, r)));
          // the best 8 under the reference scores, ties by row
          const order = [...Array(m).keys()].map((r) => [want(qi, r), r] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
          expect(Array.from(ids)).toEqual(order.slice(0, 8).map((o) => o[1]));
        }
        if (first) {
          expect(res.ids).toEqual(first.ids);
          expect(res.scores).toEqual(first.scores);
        }
        first ??= res;
      }
    }
    useKernel([initial.simd, initial.matrixCap]);
  });

  it('i8 range search returns every row at or above the threshold, matching search', async () => {
    const index = new VectorIndex({ dim, storage: 'i8' });
    index.addSync(rows);
    const top = await index.search(queries.subarray(0, 3 * dim), 5);
    for (const kernel of kernels()) {
      useKernel(kernel);
      const r = await index.rangeSearch(queries.subarray(0, 3 * dim), top.scores[4]!);
      // query 0's matches are exactly its top 5 (no ties at the 5th score in this data)
      expect(Array.from(r.ids as Int32Array).slice(r.lims[0]!, r.lims[1]!)).toEqual(Array.from((top.ids as Int32Array).subarray(0, 5)));
      for (let i = 0; i < r.scores.length; i++) if (i >= r.lims[0]! && i < r.lims[1]!) expect(r.scores[i]).toBe(top.scores[i]);
    }
    useKernel([initial.simd, initial.matrixCap]);
  });

  it('bf16 on AMX scores bf16-rounded queries; elsewhere float32 queries against the bf16 rows', async () => {
    const index = new VectorIndex({ dim, metric: 'ip', storage: 'bf16' });
    index.addSync(rows);
    const stored = index.vectors();
    const bf16 = (v: number) => {
      const f = new Float32Array([v]);
      const u = new Uint32Array(f.buffer);
      u[0] = ((u[0]! + 0x7fff + ((u[0]! >>> 16) & 1)) >>> 16) << 16;
      return f[0]!;
    };
    for (const kernel of kernels()) {
      useKernel(kernel);
      const amx = capabilities().matrix === 'amx';
      const res = await index.search(queries.subarray(0, dim), 5);
      for (let i = 0; i < 5; i++) {
        const r = (res.ids as Int32Array)[i]!;
        let s = 0;
        for (let j = 0; j < dim; j++) s += stored[r * dim + j]! * (amx ? bf16(queries[j]!) : queries[j]!);
        expect(Math.abs(res.scores[i]! - s)).toBeLessThan(1e-5);
      }
    }
    useKernel([initial.simd, initial.matrixCap]);
  });

  it('f16 rounds to nearest even, keeps subnormals, and rejects values beyond its range', () => {
    const values = Float32Array.of(1 / 3, 65504, -(2 ** -24), 3 * 2 ** -25, 1 + 2 ** -11, 1 + 3 * 2 ** -11, 2 ** -14, 0.1);
    const index = new VectorIndex({ dim: values.length, metric: 'ip', storage: 'f16' });
    index.addSync(values);
    // 3 * 2^-25 is a tie between 2^-24 and 2 * 2^-24: even gives 2 * 2^-24; 1 + 2^-11 ties down, 1 + 3 * 2^-11 up.
    expect(Array.from(index.vectors())).toEqual([0.333251953125, 65504, -(2 ** -24), 2 ** -23, 1, 1 + 2 ** -9, 2 ** -14, 0.0999755859375]);
    expect(() => index.addSync(Float32Array.of(1, 2, 3, 4, 5, 6, 7, 65520))).toThrow(/f16's range.*row 0/);
    expect(index.size).toBe(1);
  });

  it('a zero vector in an i8 ip index has scale 0 and scores 0', async () => {
    const index = new VectorIndex({ dim: 4, metric: 'ip', storage: 'i8' });
    index.addSync(Float32Array.of(0, 0, 0, 0, 1, 2, 3, 4));
    const res = await index.search(Float32Array.of(-1, -1, -1, -1), 2);
    expect(Array.from(res.ids as Int32Array)).toEqual([0, 1]);
    expect(res.scores[0]).toBe(0);
    expect(res.scores[1]).toBeLessThan(-9.9);
  });
});

describe('matrix units', () => {
  it('capabilities list the units; the cap holds only at avx512 and rejects units this machine lacks', () => {
    const caps = capabilities();
    expect(caps.matrixUnits[0]).toBe('none');
    expect(caps.matrixUnits).toContain(caps.matrixDetected);
    expect(caps.matrixUnits).toContain(caps.matrixCap);
    for (const unit of caps.matrixUnits) {
      setMatrixUnit(unit as never);
      expect(capabilities().matrixCap).toBe(unit);
      expect(capabilities().matrix).toBe(caps.simd === 'avx512' ? unit : 'none');
    }
    const missing = (['vnni', 'amx'] as const).filter((u) => !caps.matrixUnits.includes(u));
    for (const unit of missing) expect(() => setMatrixUnit(unit)).toThrow(RangeError);
    setSimdLevel('scalar');
    expect(capabilities().matrix).toBe('none');
    setSimdLevel(initial.simd);
    setMatrixUnit(initial.matrixCap);
  });
});
