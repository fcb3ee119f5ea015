/**
 * One probe of `audiomill eval probe` as plain data (so it can cross to a worker thread) and its computation:
 * a cross-validated Ridge, RidgeCV or LogisticRegression on the rows given.
 */
import { crossValidate, type Estimator, type Scoring } from './cross-validate.js';
import { LogisticRegression } from './models/logistic.js';
import { Ridge, RidgeCV } from './models/ridge.js';
import type { Fold } from './splitters.js';

export interface ProbeTask {
  x: Float64Array;
  shape: [number, number];
  y: Float64Array | (string | number)[];
  model: 'ridge' | 'logistic';
  alphas: number[];
  C: number;
  folds: 'logo' | number | Fold[];
  groups?: (string | number)[];
  scoring: Scoring[];
  standardize: boolean;
  randomState?: number;
  /** Also return the out-of-fold class probabilities (a logistic probe). */
  probabilities?: boolean;
  /** Iterations of the logistic regression's L-BFGS (default 1000). */
  maxIter?: number;
  /** Pass the fits' warnings (non-convergence) on to the caller (default true). */
  warnings?: boolean;
}

export type ProbeScores = Record<string, { folds: number[]; mean: number; std: number; pooled: number }>;

export interface ProbeOutcome {
  scores: ProbeScores;
  /** With `probabilities`: the out-of-fold probabilities [n, classes] and their classes. */
  probabilities?: { data: Float64Array; shape: [number, number]; classes: (string | number)[] };
}

export function runProbeTask(t: ProbeTask): ProbeOutcome {
  const make = (): Estimator => (t.model === 'logistic' ? new LogisticRegression({ C: t.C, maxIter: t.maxIter ?? 1000 }) : t.alphas.length > 1 ? new RidgeCV({ alphas: t.alphas }) : new Ridge({ alpha: t.alphas[0]! })) as unknown as Estimator;
  const r = crossValidate(make, { data: t.x, shape: t.shape }, t.y, {
    cv: t.folds,
    ...(t.groups ? { groups: t.groups } : {}),
    scoring: t.probabilities && !t.scoring.includes('neg_log_loss') ? [...t.scoring, 'neg_log_loss'] : t.scoring,
    standardize: t.standardize,
    ...(t.randomState !== undefined ? { shuffle: true, randomState: t.randomState } : {}),
  });
  const scores: ProbeScores = {};
  for (const [s, v] of Object.entries(r.scores)) if (t.scoring.includes(s as Scoring)) scores[s] = { folds: Array.from(v.folds), mean: v.mean, std: v.std, pooled: v.pooled };
  if (!t.probabilities || !r.probabilities) return { scores };
  return { scores, probabilities: { data: r.probabilities.data, shape: r.probabilities.shape, classes: (r.classes ?? []) as (string | number)[] } };
}
