/**
 * Argument checks shared by every API, with one message shape:
 * `Expected <what> for <option> but received <value>`.
 */

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${(value as unknown as { length?: number }).length ?? value.byteLength})`;
  if (Array.isArray(value)) return `Array(${value.length})`;
  return typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value;
}

function message(what: string, option: string, value: unknown): string {
  return `Expected ${what} for ${option} but received ${describe(value)}`;
}

export function typeError(what: string, option: string, value: unknown): TypeError {
  return new TypeError(message(what, option, value));
}

export function rangeError(what: string, option: string, value: unknown): RangeError {
  return new RangeError(message(what, option, value));
}

export function int(value: unknown, option: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number') throw typeError(`an integer`, option, value);
  if (!Number.isInteger(value) || value < min || value > max) {
    const what = max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer between ${min} and ${max}`;
    throw rangeError(what, option, value);
  }
  return value;
}

export function num(value: unknown, option: string, opts: { min?: number; max?: number; exclusiveMin?: boolean } = {}): number {
  if (typeof value !== 'number') throw typeError('a number', option, value);
  const { min, max, exclusiveMin } = opts;
  const tooLow = min !== undefined && (exclusiveMin ? !(value > min) : !(value >= min));
  const tooHigh = max !== undefined && !(value <= max);
  if (!Number.isFinite(value) || tooLow || tooHigh) {
    const lo = min === undefined ? '' : `${exclusiveMin ? '>' : '>='} ${min}`;
    const hi = max === undefined ? '' : `<= ${max}`;
    throw rangeError(`a finite number${lo || hi ? ' ' : ''}${[lo, hi].filter(Boolean).join(' and ')}`, option, value);
  }
  return value;
}

export function bool(value: unknown, option: string): boolean {
  if (typeof value !== 'boolean') throw typeError('a boolean', option, value);
  return value;
}

export function oneOf<T extends string | null>(value: unknown, option: string, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    const list = allowed.map((a) => (a === null ? 'null' : `'${a}'`)).join(' | ');
    throw (typeof value === 'string' || value === null ? rangeError : typeError)(`one of ${list}`, option, value);
  }
  return value as T;
}

/** The optional `threads` option of every heavy call: undefined (the global cap) or 1..1024. */
export function threadsOption(value: unknown): number | undefined {
  return value === undefined ? undefined : int(value, 'threads', 1, 1024);
}

export function float32(value: unknown, option: string): Float32Array {
  if (!(value instanceof Float32Array)) throw typeError('a Float32Array', option, value);
  return value;
}
