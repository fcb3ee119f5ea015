/**
 * One-to-one matching: a maximum-weight assignment on a small dense matrix (the Hungarian method with potentials,
 * Kuhn–Munkres, O(rows² · cols), as `scipy.optimize.linear_sum_assignment` solves it for a cost matrix), and
 * `matchPairs`, which splits a sparse set of allowed pairs into connected groups and assigns each.
 */

/** An allowed pair between item `a` of one side and item `b` of the other, with a weight in (0, 1]. */
export interface WeightedPair {
  a: number;
  b: number;
  weight: number;
}

/**
 * Among `pairs`, a one-to-one matching with the most pairs, and among those the largest total weight (weights in
 * (0, 1]): one assignment problem per connected group of pairs (weights K + weight, K above any group's total
 * weight, so one more pair always wins). Deterministic for the same input.
 */
export function matchPairs<P extends WeightedPair>(pairs: readonly P[]): P[] {
  if (pairs.length === 0) return [];
  // Union-find over a-nodes (even ids) and b-nodes (odd ids).
  const ids = new Map<number, number>();
  const parent: number[] = [];
  const node = (key: number) => {
    let id = ids.get(key);
    if (id === undefined) {
      id = parent.length;
      ids.set(key, id);
      parent.push(id);
    }
    return id;
  };
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  for (const p of pairs) {
    const ra = find(node(2 * p.a)), rb = find(node(2 * p.b + 1));
    if (ra !== rb) parent[ra] = rb;
  }
  const groups = new Map<number, P[]>();
  for (const p of pairs) {
    const r = find(ids.get(2 * p.a)!);
    let g = groups.get(r);
    if (!g) groups.set(r, (g = []));
    g.push(p);
  }
  const out: P[] = [];
  for (const g of groups.values()) {
    if (g.length === 1) {
      out.push(g[0]!);
      continue;
    }
    const as = [...new Set(g.map((p) => p.a))].sort((x, y) => x - y);
    const bs = [...new Set(g.map((p) => p.b))].sort((x, y) => x - y);
    const ai = new Map(as.map((v, i) => [v, i]));
    const bi = new Map(bs.map((v, i) => [v, i]));
    const k = Math.min(as.length, bs.length) + 1;
    const w = new Float64Array(as.length * bs.length);
    const byCell = new Map<number, P>();
    for (const p of g) {
      const cell = ai.get(p.a)! * bs.length + bi.get(p.b)!;
      w[cell] = k + p.weight;
      byCell.set(cell, p);
    }
    const assign = maxWeightAssignment(w, as.length, bs.length);
    for (let i = 0; i < as.length; i++) if (assign[i]! >= 0) out.push(byCell.get(i * bs.length + assign[i]!)!);
  }
  return out;
}

/**
 * For weights w (rows x cols, row-major; 0 = not allowed, else > 0), the assignment of rows to distinct columns
 * with the largest total weight; returns, per row, its column or -1 (unassigned or assigned to a zero weight).
 */
export function maxWeightAssignment(w: Float64Array, rows: number, cols: number): Int32Array {
  const out = new Int32Array(rows).fill(-1);
  if (rows === 0 || cols === 0) return out;
  // Solve with the smaller side as the rows (the method needs rows <= cols).
  const flip = rows > cols;
  const n = flip ? cols : rows;
  const m = flip ? rows : cols;
  const cost = (i: number, j: number) => -(flip ? w[j * cols + i]! : w[i * cols + j]!);
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1); // p[j]: the row (1-based) in column j; 0 = none
  const way = new Int32Array(m + 1);
  const minv = new Float64Array(m + 1);
  const used = new Uint8Array(m + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    minv.fill(Infinity);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = p[j0]!;
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = cost(i0 - 1, j - 1) - u[i0]! - v[j]!;
        if (cur < minv[j]!) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[p[j]!] = u[p[j]!]! + delta;
          v[j] = v[j]! - delta;
        } else {
          minv[j] = minv[j]! - delta;
        }
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0]!;
      p[j0] = p[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }
  for (let j = 1; j <= m; j++) {
    const i = p[j]!;
    if (i === 0) continue;
    const r = flip ? j - 1 : i - 1;
    const c = flip ? i - 1 : j - 1;
    if (w[r * cols + c]! > 0) out[r] = c;
  }
  return out;
}
