/** Parsing of CLI option values, with the house's error shape naming the flag. */
import { rangeError } from '../validate.js';

/** Seconds from `5s`, `500ms`, `2m`, `1.5` (seconds). */
export function parseDuration(text: string, option: string): number {
  const m = /^\s*([0-9]*\.?[0-9]+)\s*(ms|s|m|min|h)?\s*$/.exec(text);
  if (!m) throw rangeError('a duration like 5s, 500ms or 2m', option, text);
  const scale = { ms: 1e-3, s: 1, m: 60, min: 60, h: 3600 }[m[2] ?? 's']!;
  const v = Number(m[1]) * scale;
  if (!(v > 0)) throw rangeError('a positive duration', option, text);
  return v;
}

/** A finite number (integer when asked), or a RangeError naming the flag. */
export function parseNumber(text: string, option: string, integer = false): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v) || (integer && !Number.isInteger(v))) throw rangeError(integer ? 'an integer' : 'a number', option, text);
  return v;
}
