/** Timing helpers shared by the workers. */

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

export function summarize(timesMs) {
  const best = Math.min(...timesMs);
  const med = median(timesMs);
  const worst = Math.max(...timesMs);
  return { reps: timesMs.length, bestMs: best, medianMs: med, worstMs: worst, spread: med > 0 ? (worst - best) / med : 0 };
}

const gc = typeof globalThis.gc === 'function' ? globalThis.gc : () => {};

/**
 * Warm-up, then at least minReps timed calls (more while under minTimeMs, at
 * most maxReps). fn may be async. GC runs between repetitions, outside the
 * timed region, when node was started with --expose-gc.
 */
export async function measure(fn, { warmup = 2, minReps = 7, maxReps = 30, minTimeMs = 1500 } = {}) {
  let sink;
  for (let i = 0; i < warmup; i++) sink = await fn();
  const times = [];
  const start = performance.now();
  while (times.length < minReps || (times.length < maxReps && performance.now() - start < minTimeMs)) {
    gc();
    const t0 = performance.now();
    sink = await fn();
    times.push(performance.now() - t0);
  }
  return { timesMs: times, ...summarize(times), sink };
}
