// AudioEvent validation: the one event/box type's rules and the house message shape.
import { describe, expect, it } from 'vitest';
import { checkEvent } from '../../../src/io/events.js';

describe('checkEvent', () => {
  it('accepts events with only begin and end, or every field', () => {
    const full = { begin: 1, end: 2, lowFreq: 100, highFreq: 200, label: 'owl', score: 0.7, channel: 2 };
    expect(checkEvent(full, 'e')).toBe(full);
    expect(checkEvent({ begin: -0.5, end: -0.5 }, 'e')).toEqual({ begin: -0.5, end: -0.5 });
  });

  it('rejects bad fields with TypeError / RangeError naming the field', () => {
    expect(() => checkEvent(null, 'events[0]')).toThrow(TypeError);
    expect(() => checkEvent({ begin: '1', end: 2 }, 'events[0]')).toThrow('Expected a number for events[0].begin but received "1"');
    expect(() => checkEvent({ begin: 2, end: 1 }, 'events[0]')).toThrow('Expected a finite number >= 2 for events[0].end but received 1');
    expect(() => checkEvent({ begin: -1, end: 1 }, 'e', { minBegin: 0 })).toThrow('Expected a finite number >= 0 for e.begin but received -1');
    expect(() => checkEvent({ begin: 0, end: 1, lowFreq: -1 }, 'e')).toThrow(RangeError);
    expect(() => checkEvent({ begin: 0, end: 1, lowFreq: 300, highFreq: 200 }, 'e')).toThrow('Expected a finite number >= 300 for e.highFreq but received 200');
    expect(() => checkEvent({ begin: 0, end: 1, score: NaN }, 'e')).toThrow(RangeError);
    expect(() => checkEvent({ begin: 0, end: 1, label: 1 }, 'e')).toThrow(TypeError);
    expect(() => checkEvent({ begin: 0, end: 1, channel: 1.5 }, 'e')).toThrow(RangeError);
  });
});
