/**
 * Intersection over union of event boxes (the reference's "Boxes and IoU"): on time intervals, or on
 * time × frequency rectangles. Boxes are [begin, end) in seconds and [lowFreq, highFreq] in Hz; boxes that only
 * touch, and zero-length or zero-height boxes (Raven point selections), have IoU 0 with everything.
 */
import type { AudioEvent } from '../io/events.js';
import { rangeError } from '../validate.js';

/** What IoU compares: the time intervals, or the time × frequency rectangles. */
export type IouMode = 'time' | 'time-frequency';

function overlap(a0: number, a1: number, b0: number, b1: number): number {
  return Math.min(a1, b1) - Math.max(a0, b0);
}

/** |A ∩ B| / |A ∪ B| of the time intervals [begin, end); 0 when they only touch. */
export function timeIou(a: AudioEvent, b: AudioEvent): number {
  const inter = overlap(a.begin, a.end, b.begin, b.end);
  if (!(inter > 0)) return 0;
  return inter / (a.end - a.begin + (b.end - b.begin) - inter);
}

/**
 * Area of the intersection rectangle over the area of the union (area A + area B − intersection). A box without
 * `lowFreq` starts at 0 Hz; one without `highFreq` reaches `maxFreq` (the caller's Nyquist frequency), which must
 * then be given.
 */
export function boxIou(a: AudioEvent, b: AudioEvent, maxFreq?: number): number {
  const ti = overlap(a.begin, a.end, b.begin, b.end);
  if (!(ti > 0)) return 0;
  const aLo = a.lowFreq ?? 0, bLo = b.lowFreq ?? 0;
  const aHi = a.highFreq ?? maxFreq, bHi = b.highFreq ?? maxFreq;
  if (aHi === undefined || bHi === undefined) throw rangeError('a highFreq on both boxes (or a maxFreq) for time-frequency IoU', aHi === undefined ? 'a.highFreq' : 'b.highFreq', undefined);
  const fi = overlap(aLo, aHi, bLo, bHi);
  if (!(fi > 0)) return 0;
  const inter = ti * fi;
  return inter / ((a.end - a.begin) * (aHi - aLo) + (b.end - b.begin) * (bHi - bLo) - inter);
}

/** The IoU of `mode`. */
export function eventIou(a: AudioEvent, b: AudioEvent, mode: IouMode, maxFreq?: number): number {
  return mode === 'time' ? timeIou(a, b) : boxIou(a, b, maxFreq);
}
