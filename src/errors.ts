/**
 * The one error class audiomill throws for failures that are not plain
 * argument mistakes (those are `TypeError` / `RangeError`, thrown before any
 * native call). Every instance has a string `code`, the `path` of the file
 * involved when there is one, and the underlying `cause` when it wraps another error.
 */
export type AudiomillErrorCode =
  | 'INVALID_ARGUMENT'
  | 'INPUT_TOO_SHORT'
  | 'NATIVE_LOAD'
  | 'OUT_OF_MEMORY'
  | 'DECODE_CORRUPT'
  | 'DECODE_TRUNCATED'
  | 'UNSUPPORTED_FORMAT'
  | 'EMPTY'
  | 'IO'
  | 'MODEL_INPUT'
  | 'ABORTED'
  | 'INTERNAL';

export interface AudiomillErrorOptions {
  path?: string;
  cause?: unknown;
}

export class AudiomillError extends Error {
  readonly code: AudiomillErrorCode;
  readonly path?: string;

  constructor(code: AudiomillErrorCode, message: string, options: AudiomillErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AudiomillError';
    this.code = code;
    if (options.path !== undefined) this.path = options.path;
  }
}

const KNOWN_CODES = new Set<string>([
  'INVALID_ARGUMENT', 'INPUT_TOO_SHORT', 'NATIVE_LOAD', 'OUT_OF_MEMORY', 'DECODE_CORRUPT',
  'DECODE_TRUNCATED', 'UNSUPPORTED_FORMAT', 'EMPTY', 'IO', 'MODEL_INPUT', 'ABORTED', 'INTERNAL',
]);

/**
 * Turns an error thrown by the native addon into an AudiomillError whose
 * stack is the caller's (`site` is an Error created at the call site).
 */
export function fromNative(err: unknown, site?: Error, path?: string): Error {
  if (err instanceof RangeError && /allocation failed|Invalid typed array length|Array buffer/i.test(err.message)) {
    return new AudiomillError('OUT_OF_MEMORY', `could not allocate the output: ${err.message}`, { cause: err });
  }
  if (err instanceof AudiomillError || err instanceof TypeError || err instanceof RangeError) return err;
  const raw = err as { code?: unknown; message?: unknown };
  const code = typeof raw?.code === 'string' && KNOWN_CODES.has(raw.code) ? (raw.code as AudiomillErrorCode) : 'INTERNAL';
  const message = typeof raw?.message === 'string' ? raw.message : String(err);
  const wrapped = new AudiomillError(code, message, { cause: err, ...(path === undefined ? {} : { path }) });
  if (site?.stack) wrapped.stack = `AudiomillError: ${message}\n${site.stack.split('\n').slice(1).join('\n')}`;
  return wrapped;
}

/** Calls a native function, converting its errors. */
export function callNative<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw fromNative(err, new Error());
  }
}

/** Awaits a native promise, converting its rejection with the caller's stack. */
export async function awaitNative<T>(start: () => Promise<T>): Promise<T> {
  const site = new Error();
  try {
    return await start();
  } catch (err) {
    throw fromNative(err, site);
  }
}

/** An error as one line for a table cell or report: `CODE: message` when it has a code. */
export function errorText(err: unknown): string {
  const e = err as { code?: string; message?: string };
  return e.code ? `${e.code}: ${e.message}` : String(e.message ?? err);
}
