/**
 * What the explorer's page (web/explorer/) and its figures made in Node share, so a chart on the page and the same
 * chart exported look alike: round tick values and the categorical palette. Plain TypeScript with no imports, so
 * the page's bundle takes it as it is.
 */

/** 20 qualitative colours (matplotlib's tab10 and its light variants); categories beyond them repeat them. */
export const PALETTE = [
  '#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf',
  '#aec7e8', '#ffbb78', '#98df8a', '#ff9896', '#c5b0d5', '#c49c94', '#f7b6d2', '#c7c7c7', '#dbdb8d', '#9edae5',
];

/** The colour of category `code` (a missing value, code < 0: grey). */
export function categoryColour(code: number): string {
  return code < 0 ? '#b0b0b0' : PALETTE[code % PALETTE.length]!;
}

/** Round tick values covering [lo, hi]. */
export function ticks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * mag).find((s) => s >= raw)!;
  // A range of a float's last digits: steps below its resolution would never move.
  if (!(lo + step > lo) || !(hi - step < hi)) return [lo, hi];
  const out: number[] = [];
  const first = Math.ceil(lo / step - 1e-9);
  for (let i = 0; i <= 50; i++) {
    const v = (first + i) * step;
    if (v > hi + step * 1e-9) break;
    out.push(Math.abs(v) < step * 1e-9 ? 0 : +v.toPrecision(12));
  }
  return out;
}
