// The command line's words: argument errors name the flag the user typed, the progress line's
// time left, and the one-clip statistics calls name their own parameters.
import { describe, expect, it } from 'vitest';
import { inFlagTerms, repeatable } from '../../src/cli/args.js';
import { eta, formatSeconds } from '../../src/cli/progress.js';
import { acousticStats, acousticStatsSync, acousticStatsBatch } from '../../src/features/acoustic.js';
import { AudiomillError } from '../../src/errors.js';
import { int } from '../../src/validate.js';

describe('inFlagTerms', () => {
  const flags = { sampleRate: '--sample-rate', 'splits.stratify': '--stratify' };
  const caught = (f: () => unknown): unknown => {
    try {
      f();
    } catch (e) {
      return e;
    }
  };

  it('replaces the API option name of an argument error by the flag', () => {
    const err = inFlagTerms(caught(() => int(0, 'sampleRate', 1)), flags) as RangeError;
    expect(err).toBeInstanceOf(RangeError);
    expect(err.message).toBe('Expected an integer >= 1 for --sample-rate but received 0');
    expect((inFlagTerms(new RangeError('Expected a column (a, b) for splits.stratify but received "x for y"'), flags) as Error).message).toBe(
      'Expected a column (a, b) for --stratify but received "x for y"',
    );
  });

  it('leaves other errors and unknown names alone', () => {
    const io = new AudiomillError('IO', 'cannot write for sampleRate');
    expect(inFlagTerms(io, flags)).toBe(io);
    expect(io.message).toBe('cannot write for sampleRate');
    expect((inFlagTerms(new RangeError('Expected x for other but received 1'), flags) as Error).message).toBe('Expected x for other but received 1');
  });

  it('repeatable collects every value', () => {
    expect(repeatable('b.csv', repeatable('a.parquet', undefined))).toEqual(['a.parquet', 'b.csv']);
  });
});

describe('progress timing', () => {
  it('ETA from the rate of the items computed (reused ones are free); none before the first', () => {
    expect(eta(0, 10, 5)).toBeNull();
    expect(eta(5, 10, 5)).toBe(10);
    expect(formatSeconds(4.44)).toBe('4.4 s');
    expect(formatSeconds(42.4)).toBe('42 s');
    expect(formatSeconds(185)).toBe('3 min 05 s');
    expect(formatSeconds(7800)).toBe('2 h 10 min');
  });
});

describe('acoustic statistics messages', () => {
  const x = new Float32Array(1600);
  it('a one-clip call without a sample rate names sampleRate, not clips[0].sampleRate', async () => {
    await expect(acousticStats(x, undefined as never)).rejects.toThrow('Expected an integer for sampleRate but received undefined');
    expect(() => acousticStatsSync(x, 0)).toThrow('Expected an integer between 1 and 2147483647 for sampleRate but received 0');
    expect(() => acousticStatsSync(new Float64Array(4) as never, 16000)).toThrow(/for samples but/);
    await expect(acousticStatsBatch([{ samples: x, sampleRate: 0 }])).rejects.toThrow(/for clips\[0\]\.sampleRate/); // a batch keeps the index
  });
});
