/** The maps' neighbour graphs: every row's exact nearest rows from a VectorIndex search. */
import type { ReadMatrix } from '../eval/inputs.js';
import { VectorIndex } from '../search/vector-index.js';

/**
 * Each row's k nearest rows (itself usually first) by exact search: ids (n x k row numbers) and distances —
 * euclidean (`squared`: squared) or cosine (1 − cosine similarity). The matrix's float64 copy is dropped
 * (m.data emptied) once the rows are in the index, so the search never holds both.
 */
export async function exactNeighbours(m: ReadMatrix, k: number, metric: 'euclidean' | 'cosine', squared: boolean): Promise<{ ids: Int32Array; dist: Float64Array }> {
  const rows = Float32Array.from(m.data);
  m.data = new Float64Array(0);
  const index = new VectorIndex({ dim: m.cols, metric: metric === 'cosine' ? 'cosine' : 'l2' });
  await index.add(rows);
  const found = await index.search(rows, k);
  const dist = Float64Array.from(found.scores, (s) => (metric === 'cosine' ? Math.max(0, 1 - s) : squared ? Math.max(0, s) : Math.sqrt(Math.max(0, s))));
  return { ids: found.ids as Int32Array, dist }; // row numbers: the index has no ids of its own
}
