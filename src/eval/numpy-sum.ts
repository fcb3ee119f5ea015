/**
 * Summation in NumPy's order, shared by every evaluation module whose results must equal NumPy's (and so scikit-learn's
 * and SciPy's) to the last bit.
 */

/**
 * Sum in NumPy's order (`np.sum` / `np.add.reduce` of a contiguous 1-D array, NumPy 1.24): the reduction runs over
 * buffers of 8192 values added in turn to the total; within a buffer, blocks of up to 128 values are summed with
 * eight interleaved accumulators and larger spans are split in halves (pairwise summation). Equal to NumPy's result
 * bit for bit. `round` rounds every partial sum (Math.fround emulates a float32 array's sum).
 */
export function numpySum(a: ArrayLike<number>, start = 0, n = a.length - start, round?: (x: number) => number): number {
  if (n <= NP_BUFSIZE) return pairwiseSum(a, start, n, round);
  let total = 0;
  for (let s = 0; s < n; s += NP_BUFSIZE) {
    total += pairwiseSum(a, start + s, Math.min(NP_BUFSIZE, n - s), round);
    if (round) total = round(total);
  }
  return total;
}

const NP_BUFSIZE = 8192;

function pairwiseSum(a: ArrayLike<number>, start: number, n: number, round?: (x: number) => number): number {
  if (n < 8) {
    let res = 0;
    if (round) for (let i = 0; i < n; i++) res = round(res + a[start + i]!);
    else for (let i = 0; i < n; i++) res += a[start + i]!;
    return res;
  }
  if (n <= 128) {
    let r0 = a[start]!;
    let r1 = a[start + 1]!;
    let r2 = a[start + 2]!;
    let r3 = a[start + 3]!;
    let r4 = a[start + 4]!;
    let r5 = a[start + 5]!;
    let r6 = a[start + 6]!;
    let r7 = a[start + 7]!;
    let i = 8;
    const end = n - (n % 8);
    if (round) {
      for (; i < end; i += 8) {
        const b = start + i;
        r0 = round(r0 + a[b]!);
        r1 = round(r1 + a[b + 1]!);
        r2 = round(r2 + a[b + 2]!);
        r3 = round(r3 + a[b + 3]!);
        r4 = round(r4 + a[b + 4]!);
        r5 = round(r5 + a[b + 5]!);
        r6 = round(r6 + a[b + 6]!);
        r7 = round(r7 + a[b + 7]!);
      }
      let res = round(round(round(r0 + r1) + round(r2 + r3)) + round(round(r4 + r5) + round(r6 + r7)));
      for (; i < n; i++) res = round(res + a[start + i]!);
      return res;
    }
    for (; i < end; i += 8) {
      const b = start + i;
      r0 += a[b]!;
      r1 += a[b + 1]!;
      r2 += a[b + 2]!;
      r3 += a[b + 3]!;
      r4 += a[b + 4]!;
      r5 += a[b + 5]!;
      r6 += a[b + 6]!;
      r7 += a[b + 7]!;
    }
    let res = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
    for (; i < n; i++) res += a[start + i]!;
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  const s = pairwiseSum(a, start, n2, round) + pairwiseSum(a, start + n2, n - n2, round);
  return round ? round(s) : s;
}
