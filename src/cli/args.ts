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

/** Commander's collector for an option that may be given several times (`--out a.csv --out b.parquet`). */
export function repeatable(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/**
 * An argument error of the library (`Expected <what> for <option> but received <value>`) in the
 * terms of the command line: the API option name replaced by the flag the user typed, per `flags`
 * (API name → flag). Other errors are returned as they are.
 */
export function inFlagTerms(err: unknown, flags: Readonly<Record<string, string>>): unknown {
  if (!(err instanceof TypeError || err instanceof RangeError)) return err;
  const m = /^(Expected .* for )(\S+)( but received .*)$/s.exec(err.message);
  const flag = m && Object.prototype.hasOwnProperty.call(flags, m[2]!) ? flags[m[2]!] : undefined;
  if (m && flag !== undefined) err.message = `${m[1]}${flag}${m[3]}`;
  return err;
}
