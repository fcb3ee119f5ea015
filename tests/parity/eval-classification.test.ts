// Classification and ranking metrics against scikit-learn 1.2.1, from the golden fixtures of
// tests/parity/make_eval_classification_fixtures.py (each case: audiomill's call, sklearn's outcome, and what
// audiomill must do: sklearn's value within 1e-9 relative / 1e-12 absolute, with or without an undefined-metric
// warning, or a named error).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AudiomillError } from '../../src/errors.js';
import * as cls from '../../src/eval/metrics/classification.js';
import * as rank from '../../src/eval/metrics/ranking.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
interface Case {
  name: string;
  fn: string;
  args: Json[];
  options: Record<string, Json>;
  float32: number[];
  sklearn: { value?: Json; error?: { type: string; message: string }; warnings?: [string, string][] };
  audiomill: { warns?: boolean; throws?: 'RangeError' | 'TypeError' | 'UNDEFINED_METRIC'; note?: string };
}
const fixture = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'eval', 'classification.json'), 'utf8')) as {
  versions: Record<string, string>;
  tolerance: { rel: number; abs: number };
  inputs: Record<string, Json>;
  cases: Case[];
};
const { rel, abs } = fixture.tolerance;

/** Resolves {"$ref"} to the shared inputs and {"$float"} to non-finite numbers. */
function decode(x: Json): unknown {
  if (Array.isArray(x)) return x.map(decode);
  if (x !== null && typeof x === 'object') {
    if (typeof x.$float === 'string') return Number(x.$float === 'nan' ? NaN : x.$float === 'inf' ? Infinity : -Infinity);
    if (typeof x.$ref === 'string') return decode(fixture.inputs[x.$ref]!);
    return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, decode(v)]));
  }
  return x;
}

function toFloat32(v: unknown): unknown {
  const a = v as number[] | number[][];
  if (Array.isArray(a[0])) {
    const rows = a as number[][];
    return { data: Float32Array.from(rows.flat()), shape: [rows.length, rows[0]!.length] };
  }
  return Float32Array.from(a as number[]);
}

const fns: Record<string, (...args: unknown[]) => unknown> = {
  accuracyScore: cls.accuracyScore as never,
  balancedAccuracyScore: cls.balancedAccuracyScore as never,
  confusionMatrix: cls.confusionMatrix as never,
  precisionScore: cls.precisionScore as never,
  recallScore: cls.recallScore as never,
  f1Score: cls.f1Score as never,
  fbetaScore: cls.fbetaScore as never,
  precisionRecallFscoreSupport: cls.precisionRecallFscoreSupport as never,
  logLoss: cls.logLoss as never,
  rocAucScore: rank.rocAucScore as never,
  rocCurve: rank.rocCurve as never,
  averagePrecisionScore: rank.averagePrecisionScore as never,
  precisionRecallCurve: rank.precisionRecallCurve as never,
};

let exact = 0;
let compared = 0;
let worstRel = 0;

/** Compares audiomill's result with sklearn's: numbers within tolerance (NaN equals NaN), arrays and objects by entry. */
function compare(got: unknown, want: unknown, path: string): void {
  if (want === null) {
    expect(got, path).toBeNull();
    return;
  }
  if (typeof want === 'number') {
    expect(typeof got, `${path}: ${String(got)}`).toBe('number');
    const g = got as number;
    compared++;
    if (Number.isNaN(want)) {
      expect(Number.isNaN(g), `${path}: ${g} vs NaN`).toBe(true);
      exact++;
      return;
    }
    if (g === want) {
      exact++;
      return;
    }
    const err = Math.abs(g - want);
    if (Number.isFinite(want) && want !== 0) worstRel = Math.max(worstRel, err / Math.abs(want));
    expect(err, `${path}: ${g} vs ${want}`).toBeLessThanOrEqual(Math.max(abs, rel * Math.abs(want)));
    return;
  }
  if (typeof want === 'string' || typeof want === 'boolean') {
    expect(got, path).toBe(want);
    return;
  }
  if (Array.isArray(want)) {
    const arr = Array.from(got as ArrayLike<unknown>);
    expect(arr.length, `${path}.length`).toBe(want.length);
    want.forEach((w, i) => compare(arr[i], w, `${path}[${i}]`));
    return;
  }
  const obj = want as Record<string, unknown>;
  for (const [k, v] of Object.entries(obj)) compare((got as Record<string, unknown>)[k], v, `${path}.${k}`);
}

describe(`classification and ranking metrics equal scikit-learn ${fixture.versions.sklearn}`, () => {
  let spy: ReturnType<typeof vi.spyOn>;
  beforeEach(() => {
    spy = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
  });
  afterEach(() => {
    spy.mockRestore();
  });
  afterAll(() => {
    console.log(`eval-classification parity: ${exact}/${compared} numbers bit-identical to sklearn, worst relative error ${worstRel.toExponential(2)}`);
  });

  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const fn = fns[c.fn];
    expect(fn, c.fn).toBeDefined();
    const args = c.args.map((a, i) => (c.float32.includes(i) ? toFloat32(decode(a)) : decode(a)));
    const options = decode(c.options) as Record<string, unknown>;
    const call = () => (Object.keys(options).length ? fn!(...args, options) : fn!(...args));
    const undefinedWarnings = () => spy.mock.calls.filter((call) => (call[1] as { code?: string } | undefined)?.code === 'AUDIOMILL_UNDEFINED_METRIC');
    const expected = c.audiomill;
    if (expected.throws) {
      let thrown: unknown;
      try {
        call();
      } catch (err) {
        thrown = err;
      }
      expect(thrown, `${c.name} should throw ${expected.throws}`).toBeDefined();
      if (expected.throws === 'UNDEFINED_METRIC') {
        expect(thrown).toBeInstanceOf(AudiomillError);
        expect((thrown as AudiomillError).code).toBe('UNDEFINED_METRIC');
      } else {
        expect((thrown as Error).constructor.name, (thrown as Error).message).toBe(expected.throws);
        expect((thrown as Error).message).toMatch(/^Expected .+ for .+ but received .+/);
      }
      return;
    }
    const got = call();
    compare(got, decode(c.sklearn.value as Json), c.name);
    if (expected.warns) expect(undefinedWarnings().length, `${c.name} should warn`).toBeGreaterThan(0);
    else expect(undefinedWarnings(), `${c.name} should not warn`).toEqual([]);
  });
});
