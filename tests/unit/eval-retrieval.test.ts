// retrievalReport against a brute-force reference written from the definitions in docs/evaluation.md
// ("Retrieval"): every pair's cosine in float64, each query's full ranking sorted, the metrics counted from it.
import { describe, expect, it } from 'vitest';
import { retrievalReport, type RetrievalSection } from '../../src/eval/retrieval.js';
import { VectorIndex } from '../../src/search/vector-index.js';
import { rng } from '../helpers/reference.js';

/** Uniform in [0, 1) (the helper's rng gives [-1, 1)). */
function unit(seed: number): () => number {
  const r = rng(seed);
  return () => (r() + 1) / 2;
}

/** n clustered vectors: class c around its own random centre, so the rankings are neither perfect nor random. */
function data(n: number, d: number, classes: number, seed: number) {
  const r = unit(seed);
  const centres = Array.from({ length: classes }, () => Array.from({ length: d }, () => r() * 2 - 1));
  const labels: string[] = [];
  const rows = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const c = Math.floor(r() * classes);
    labels.push(`class${c}`);
    for (let j = 0; j < d; j++) rows[i * d + j] = centres[c]![j]! + 0.8 * (r() * 2 - 1);
  }
  return { rows, labels };
}

function reference(rows: Float32Array, d: number, labels: readonly string[], ks: number[], groups: readonly number[] | null) {
  const n = labels.length;
  const unit = Array.from({ length: n }, (_, i) => {
    const v = Array.from(rows.subarray(i * d, (i + 1) * d), Number);
    const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
    return v.map((x) => x / norm);
  });
  const cos = (a: number, b: number) => unit[a]!.reduce((s, x, t) => s + x * unit[b]![t]!, 0);
  const classes = [...new Set(labels)].sort();
  const per = new Map(classes.map((c) => [c, { q: 0, p: ks.map(() => 0), r: ks.map(() => 0), ap: ks.map(() => 0), rr: 0, intra: [0, 0], inter: [0, 0] }]));
  let without = 0;
  const hidden = (i: number, j: number) => j === i || (groups !== null && groups[j] === groups[i]);
  for (let i = 0; i < n; i++) {
    const c = labels[i]!;
    const e = per.get(c)!;
    for (let j = 0; j < n; j++) {
      if (hidden(i, j)) continue;
      const slot = labels[j] === c ? e.intra : e.inter;
      slot[0]! += 1 - cos(i, j);
      slot[1]!++;
    }
    const cand = [...Array(n).keys()].filter((j) => !hidden(i, j)).sort((a, b) => cos(i, b) - cos(i, a));
    const relevant = cand.filter((j) => labels[j] === c).length;
    if (relevant === 0) {
      without++;
      continue;
    }
    e.q++;
    const rel = cand.map((j) => labels[j] === c);
    const maxK = Math.max(...ks);
    const firstAt = rel.slice(0, maxK).indexOf(true);
    e.rr += firstAt >= 0 ? 1 / (firstAt + 1) : 0;
    ks.forEach((k, t) => {
      let hits = 0;
      let ap = 0;
      for (let j = 0; j < k && j < rel.length; j++)
        if (rel[j]) {
          hits++;
          ap += hits / (j + 1);
        }
      e.p[t]! += hits / k;
      e.r[t]! += hits / relevant;
      e.ap[t]! += ap / Math.min(k, relevant);
    });
  }
  return { per, without };
}

function expectSection(got: RetrievalSection, want: ReturnType<typeof reference>, ks: number[]) {
  expect(got.queriesWithoutRelevant).toBe(want.without);
  let q = 0;
  const totals = { p: ks.map(() => 0), rr: 0, intra: [0, 0], inter: [0, 0] };
  for (const pc of got.perClass) {
    const e = want.per.get(pc.label as string)!;
    expect(pc.queries).toBe(e.q);
    q += e.q;
    totals.rr += e.rr;
    ks.forEach((_, t) => (totals.p[t]! += e.p[t]!));
    for (const s of ['intra', 'inter'] as const) {
      totals[s][0]! += e[s][0]!;
      totals[s][1]! += e[s][1]!;
    }
    if (e.q > 0) {
      ks.forEach((_, t) => {
        expect(pc.precisionAtK[t]).toBeCloseTo(e.p[t]! / e.q, 12);
        expect(pc.recallAtK[t]).toBeCloseTo(e.r[t]! / e.q, 12);
        expect(pc.mapAtK[t]).toBeCloseTo(e.ap[t]! / e.q, 12);
      });
      expect(pc.mrr).toBeCloseTo(e.rr / e.q, 12);
    }
    if (e.intra[1]! > 0) expect(pc.intraDistance).toBeCloseTo(e.intra[0]! / e.intra[1]!, 9);
    else expect(pc.intraDistance).toBeNull();
    expect(pc.interDistance).toBeCloseTo(e.inter[0]! / e.inter[1]!, 9);
  }
  expect(got.overall.queries).toBe(q);
  ks.forEach((_, t) => expect(got.overall.precisionAtK[t]).toBeCloseTo(totals.p[t]! / q, 12));
  expect(got.overall.mrr).toBeCloseTo(totals.rr / q, 12);
  expect(got.overall.intraDistance).toBeCloseTo(totals.intra[0]! / totals.intra[1]!, 9);
  expect(got.overall.interDistance).toBeCloseTo(totals.inter[0]! / totals.inter[1]!, 9);
  expect(got.overall.distanceRatio).toBeCloseTo(got.overall.intraDistance! / got.overall.interDistance!, 12);
}

describe('retrievalReport', () => {
  it('equals the brute-force definitions, leave-self-out and leave-same-group-out, per class and overall', async () => {
    for (const [n, d, classes, seed] of [
      [40, 6, 3, 1],
      [120, 16, 7, 2],
    ] as const) {
      const { rows, labels } = data(n, d, classes, seed);
      const r = unit(seed + 100);
      const groups = Array.from({ length: n }, () => Math.floor(r() * (n / 3))); // ~3 rows per group
      const ks = [1, 3, 10];
      const got = await retrievalReport({ data: rows, shape: [n, d] }, labels, { k: ks, groups });
      expect(got.k).toEqual(ks);
      expect(got.rows).toBe(n);
      expectSection(got.self, reference(rows, d, labels, ks, null), ks);
      expectSection(got.group!, reference(rows, d, labels, ks, groups), ks);
      // A VectorIndex of the same rows gives the same rankings; its distances come from its stored (normalised
      // float32) rows, so they agree to float32 precision.
      const index = new VectorIndex({ dim: d });
      await index.add(rows);
      const again = await retrievalReport(index, labels, { k: ks, groups });
      const { intraDistance, interDistance, distanceRatio, ...ranks } = again.self.overall;
      const { intraDistance: i0, interDistance: e0, distanceRatio: r0, ...ranks0 } = got.self.overall;
      expect(ranks).toEqual(ranks0);
      expect([intraDistance! - i0!, interDistance! - e0!, distanceRatio! - r0!].map(Math.abs).every((x) => x < 1e-6)).toBe(true);
    }
  });

  it('a small case by hand: siblings of one recording stop counting with groups', async () => {
    // a0 and a1 come from one recording (group 0), a2 from another; b0, b1 elsewhere.
    const v = (x: number, y: number) => Float32Array.of(x, y);
    const rows = [v(1, 0), v(0.99, 0.05), v(0.8, 0.6), v(0, 1), v(0.1, 0.99)];
    const labels = ['a', 'a', 'a', 'b', 'b'];
    const rep = await retrievalReport(rows, labels, { k: [1, 2], groups: [0, 0, 1, 2, 3] });
    // Self out: every query's nearest row is of its class.
    expect(rep.self.overall.precisionAtK[0]).toBe(1);
    expect(rep.self.overall.mrr).toBe(1);
    // Group out: a0's nearest is then a2 (a1 is hidden); a2's nearest a1 or a0 (both relevant): still 1 at k = 1.
    const a = rep.group!.perClass.find((p) => p.label === 'a')!;
    expect(a.queries).toBe(3);
    expect(a.precisionAtK[0]).toBe(1);
    // a0 and a1 each have one relevant row left (a2): recall@1 = 1 for them; a2 has two (a0, a1): recall@1 = 1/2.
    expect(a.recallAtK[0]).toBeCloseTo((1 + 1 + 0.5) / 3, 15);
    expect(rep.group!.queriesWithoutRelevant).toBe(0);
  });

  it('a class of one row has no relevant rows: not counted, and said so', async () => {
    const rows = [Float32Array.of(1, 0), Float32Array.of(0.9, 0.1), Float32Array.of(0, 1)];
    const rep = await retrievalReport(rows, ['a', 'a', 'b'], { k: [1] });
    expect(rep.self.queriesWithoutRelevant).toBe(1);
    const b = rep.self.perClass.find((p) => p.label === 'b')!;
    expect([b.queries, b.intraDistance, b.distanceRatio]).toEqual([0, null, null]);
    expect(rep.self.overall.queries).toBe(2);
  });

  it('refuses what it cannot report on', async () => {
    const rows = [Float32Array.of(1, 0), Float32Array.of(0, 1)];
    await expect(retrievalReport(rows, ['a'])).rejects.toThrow(/one label per row/);
    await expect(retrievalReport(rows, ['a', 1] as never)).rejects.toThrow(TypeError);
    await expect(retrievalReport(rows, ['a', 'b'], { k: [0] })).rejects.toThrow(RangeError);
    await expect(retrievalReport(rows, ['a', 'b'], { groups: [1] })).rejects.toThrow(/one group per row/);
    await expect(retrievalReport([Float32Array.of(1, 0)], ['a'])).rejects.toThrow(/at least two rows/);
    const index = new VectorIndex({ dim: 2, metric: 'l2' });
    await index.add(rows);
    await expect(retrievalReport(index, ['a', 'b'], { metric: 'cosine' })).rejects.toThrow(/own metric/);
  });
});
