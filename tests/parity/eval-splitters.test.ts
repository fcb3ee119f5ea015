// Cross-validation splitters against scikit-learn 1.2.1 (tests/parity/make_eval_splitters_fixtures.py):
// the exact folds, with and without seeded shuffles, the warnings, the errors; and the NumPy 1.24 pieces
// the folds depend on (legacy RandomState draws, numpy.argsort's tie order, numpy.sum's pairwise order).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AudiomillError } from '../../src/errors.js';
import { RandomState } from '../../src/eval/random.js';
import {
  type Fold,
  foldOf,
  groupKFold,
  kFold,
  leaveOneGroupOut,
  numpyArgsortQuick,
  predefinedSplit,
  stratifiedGroupKFold,
  stratifiedKFold,
} from '../../src/eval/splitters.js';
import { numpySum } from '../../src/eval/numpy-sum.js';
import { UNDEFINED_METRIC } from '../../src/eval/warnings.js';

type Value = number | string | boolean;
interface Args {
  n?: number;
  y?: Value[];
  groups?: Value[];
  testFold?: Value[];
}
interface Options {
  nSplits?: number;
  shuffle?: boolean;
  randomState?: number;
}
interface Case {
  name: string;
  splitter: string;
  args: Args;
  options: Options;
  nFolds: number;
  foldOf: number[];
  warnings: { category: string; message: string }[];
  nonFinite?: boolean;
}
interface ErrorCase {
  name: string;
  splitter: string;
  args: Args;
  options: Options;
  sklearn: { type: string; message: string };
  expect: 'RangeError' | 'TypeError' | 'UNDEFINED_METRIC';
  nonFinite?: boolean;
}
interface Fixture {
  versions: Record<string, string>;
  random: {
    seed: number;
    stream: number[];
    permutations: Record<string, number[]>;
    randint: { low: number; high: number; values: number[] }[];
    randomSampleAfterRandint: number[];
  }[];
  argsort: { values: number[]; expected: number[] }[];
  pairwiseSum: { values: number[]; expected: number }[];
  cases: Case[];
  errors: ErrorCase[];
}

const fixture = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'eval', 'splitters.json'), 'utf8')) as Fixture;

const NON_FINITE: Record<string, number> = { nan: NaN, inf: Infinity, '-inf': -Infinity };
function decode(values: Value[] | undefined, nonFinite: boolean | undefined): Value[] | undefined {
  if (!values || !nonFinite) return values;
  return values.map((v) => (typeof v === 'string' && v in NON_FINITE ? NON_FINITE[v]! : v));
}

function run(c: { splitter: string; args: Args; options: Options; nonFinite?: boolean }): Fold[] {
  const y = decode(c.args.y, c.nonFinite);
  const groups = decode(c.args.groups, c.nonFinite);
  switch (c.splitter) {
    case 'kFold':
      return kFold(c.args.n!, c.options);
    case 'stratifiedKFold':
      return stratifiedKFold(y!, c.options);
    case 'groupKFold':
      return groupKFold(groups!, c.options);
    case 'stratifiedGroupKFold':
      return stratifiedGroupKFold(y!, groups!, c.options);
    case 'leaveOneGroupOut':
      return leaveOneGroupOut(groups!);
    case 'predefinedSplit':
      return predefinedSplit(decode(c.args.testFold, c.nonFinite) as number[]);
    default:
      throw new Error(`unknown splitter ${c.splitter}`);
  }
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the fixture', () => {
  it('was made with scikit-learn 1.2.1 and NumPy 1.24', () => {
    expect(fixture.versions.sklearn).toBe('1.2.1');
    expect(fixture.versions.numpy).toMatch(/^1\.24\./);
    expect(fixture.cases.filter((c) => c.options.shuffle).length).toBeGreaterThan(150);
  });
});

describe('RandomState equals numpy.random.RandomState(seed)', () => {
  it.each(fixture.random.map((r) => [r.seed, r] as const))('seed %s', (seed, r) => {
    // randint over exactly 2^32 values: the raw 32-bit stream, past the first state refill (624 words).
    expect(Array.from(new RandomState(seed).randint(0, 2 ** 32, r.stream.length))).toEqual(r.stream);
    const rs = new RandomState(seed);
    for (const [n, perm] of Object.entries(r.permutations)) expect(Array.from(rs.permutation(Number(n))), `permutation(${n})`).toEqual(perm);
    const rs2 = new RandomState(seed);
    for (const d of r.randint) expect(Array.from(rs2.randint(d.low, d.high, d.values.length)), `randint(${d.low}, ${d.high})`).toEqual(d.values);
    expect(Array.from({ length: r.randomSampleAfterRandint.length }, () => rs2.randomSample())).toEqual(r.randomSampleAfterRandint);
  });
});

describe("numpy's argsort and sum orders", () => {
  it.each(fixture.argsort.map((a, i) => [i, a.values.length, a] as const))('argsort #%s (n = %s) equals numpy.argsort', (_, __, a) => {
    expect(Array.from(numpyArgsortQuick(a.values))).toEqual(a.expected);
    expect(Array.from(numpyArgsortQuick(Float64Array.from(a.values)))).toEqual(a.expected);
  });

  it('pairwise sums equal numpy.sum bit for bit', () => {
    for (const p of fixture.pairwiseSum) expect(numpySum(p.values), `n = ${p.values.length}`).toBe(p.expected);
  });
});

describe('folds equal scikit-learn 1.2.1', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const spy = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const folds = run(c);
    const n = c.foldOf.length;
    expect(folds.length).toBe(c.nFolds);
    expect(Array.from(foldOf(folds, n))).toEqual(c.foldOf);
    for (const { train, test } of folds) {
      expect(train).toBeInstanceOf(Uint32Array);
      expect(test).toBeInstanceOf(Uint32Array);
      expect(train.length + test.length).toBe(n);
      const inTest = new Uint8Array(n);
      test.forEach((i, j) => {
        inTest[i] = 1;
        if (j) expect(i).toBeGreaterThan(test[j - 1]!);
      });
      train.forEach((i, j) => {
        expect(inTest[i]).toBe(0);
        if (j) expect(i).toBeGreaterThan(train[j - 1]!);
      });
    }
    // Warnings: scikit-learn's (a class smaller than nSplits), plus ours where a fold has no test rows or
    // there are no folds at all (scikit-learn is silent there).
    const emptyFold = folds.some((f) => f.test.length === 0);
    const expected = c.warnings.length + (emptyFold || (c.nFolds === 0 && c.splitter === 'predefinedSplit') ? 1 : 0);
    expect(spy).toHaveBeenCalledTimes(expected);
    for (const call of spy.mock.calls) expect(call[1]).toEqual({ code: UNDEFINED_METRIC });
    for (const w of c.warnings) {
      const [, members, k] = /has only (\d+) members, which is less than n_splits=(\d+)/.exec(w.message)!;
      expect(String(spy.mock.calls[0]![0])).toContain(`has ${members} member`);
      expect(String(spy.mock.calls[0]![0])).toContain(`nSplits = ${k}`);
    }
  });
});

describe('errors where scikit-learn 1.2.1 raises', () => {
  it.each(fixture.errors.map((e) => [e.name, e] as const))('%s', (_, e) => {
    let thrown: unknown;
    try {
      run(e);
    } catch (err) {
      thrown = err;
    }
    expect(thrown, `scikit-learn: ${e.sklearn.type}: ${e.sklearn.message}`).toBeDefined();
    if (e.expect === 'UNDEFINED_METRIC') {
      expect(thrown).toBeInstanceOf(AudiomillError);
      expect((thrown as AudiomillError).code).toBe('UNDEFINED_METRIC');
    } else {
      expect((thrown as Error).constructor.name).toBe(e.expect);
      expect((thrown as Error).message).toMatch(/^Expected .+ for .+ but received .+$/);
    }
  });
});
