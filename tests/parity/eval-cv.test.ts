// crossValidate against scikit-learn 1.2.1's cross_validate and cross_val_predict (fixtures made by
// make_eval_cv_fixtures.py): per-fold scores, out-of-fold predictions and pooled scores, for Ridge and
// LogisticRegression, with and without per-fold standardisation, over k-fold, stratified, group k-fold and
// leave-one-group-out splits.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crossValidate, type Estimator, type Scoring } from '../../src/eval/cross-validate.js';
import { LogisticRegression } from '../../src/eval/models/logistic.js';
import { Ridge } from '../../src/eval/models/ridge.js';
import { groupKFold, kFold, leaveOneGroupOut, stratifiedKFold, type Fold } from '../../src/eval/splitters.js';

interface Case {
  name: string;
  X: number[];
  shape: [number, number];
  y: (number | string)[];
  groups: number[] | null;
  model: 'ridge' | 'logistic';
  options: Record<string, number>;
  standardize: boolean;
  cv: { kind: 'kfold' | 'stratified' | 'group' | 'logo'; k?: number };
  scorings: Scoring[];
  foldScores: Record<string, number[]>;
  predictions: (number | string)[];
  pooled: Record<string, number>;
}

const doc = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'eval', 'cv.json'), 'utf8')) as { cases: Case[] };

const close = (a: number, b: number, rel: number) => Math.abs(a - b) <= rel * Math.max(1, Math.abs(b));

describe('crossValidate equals scikit-learn', () => {
  for (const c of doc.cases) {
    it(c.name, () => {
      const make = (): Estimator =>
        (c.model === 'ridge'
          ? new Ridge({ alpha: c.options.alpha! })
          : new LogisticRegression({ C: c.options.C!, tol: c.options.tol!, maxIter: c.options.max_iter! })) as unknown as Estimator;
      const folds: Fold[] =
        c.cv.kind === 'kfold' ? kFold(c.shape[0], { nSplits: c.cv.k! })
        : c.cv.kind === 'stratified' ? stratifiedKFold(c.y, { nSplits: c.cv.k! })
        : c.cv.kind === 'group' ? groupKFold(c.groups!, { nSplits: c.cv.k! })
        : leaveOneGroupOut(c.groups!);
      const r = crossValidate(make, { data: Float64Array.from(c.X), shape: c.shape }, c.y, { cv: folds, scoring: c.scorings, standardize: c.standardize });
      // The default folds for this cv equal the ones passed.
      const byDefault = crossValidate(make, { data: Float64Array.from(c.X), shape: c.shape }, c.y, {
        cv: c.cv.kind === 'logo' ? 'logo' : c.cv.k!,
        ...(c.groups ? { groups: c.groups } : {}),
        scoring: c.scorings,
        standardize: c.standardize,
      });
      expect(byDefault.folds.map((f) => Array.from(f.test))).toEqual(folds.map((f) => Array.from(f.test)));
      // Regression: 1e-9 relative; classification fits: 1e-6 (the coefficients' agreement), accuracy exactly.
      const tol = c.model === 'ridge' ? 1e-9 : 1e-6;
      for (const s of c.scorings) {
        const want = c.foldScores[s]!;
        expect(r.scores[s]!.folds.length).toBe(want.length);
        want.forEach((w, i) => expect(close(r.scores[s]!.folds[i]!, w, tol), `${s} fold ${i}: ${r.scores[s]!.folds[i]} vs ${w}`).toBe(true));
        if (c.pooled[s] !== undefined) expect(close(r.scores[s]!.pooled, c.pooled[s]!, tol), `${s} pooled`).toBe(true);
      }
      if (c.model === 'ridge') {
        const p = r.predictions as Float64Array;
        c.predictions.forEach((w, i) => expect(close(p[i]!, w as number, 1e-9)).toBe(true));
      } else expect(r.predictions).toEqual(c.predictions);
    });
  }
});
