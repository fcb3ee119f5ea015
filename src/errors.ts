/**
 * The one error class audiomill throws for failures that are not plain
 * argument mistakes (those are `TypeError` / `RangeError`, thrown before any
 * native call). Every instance has a string `code`, the `path` of the file
 * involved when there is one, and the underlying `cause` when it wraps another error.
 */
import { rangeError, typeError } from './validate.js';

/**
 * Every `code` an AudiomillError can carry (the one list: the type below, the native error
 * conversion and the decoder workers' replies are all checked against it).
 *
 * - `INVALID_ARGUMENT`: an argument the native core refused on its own re-check (TypeScript
 *   validation throws TypeError / RangeError first, so seeing it means a check is missing in
 *   TypeScript), or a lookup of something that is not there (an id not in a VectorIndex, a fold
 *   column that puts one group in several folds).
 * - `INPUT_TOO_SHORT`: a signal too short for the transform's frame or padding.
 * - `NATIVE_LOAD`: the compiled addon could not be loaded (the message says how to rebuild it).
 * - `DEPENDENCY_MISSING`: an npm package audiomill needs for this call is not installed.
 * - `OUT_OF_MEMORY`: an output could not be allocated.
 * - `DECODE_CORRUPT`, `DECODE_TRUNCATED`, `UNSUPPORTED_FORMAT`, `EMPTY`: a file (or its bytes)
 *   that cannot be read as what it claims to be.
 * - `IO`: the operating system refused a read or a write.
 * - `MODEL_INPUT`: a model could not be loaded, or was given input of the wrong shape or type.
 * - `MODEL_OUTPUT`: a model's output is not what its spec says (a missing name, a shape without the batch first).
 * - `UNDEFINED_METRIC`: an evaluation metric or statistic is not defined for the data given (one class where
 *   ROC AUC needs two, fewer groups than folds), where scikit-learn or SciPy raise.
 * - `ABORTED`: the caller's AbortSignal fired.
 * - `INTERNAL`: a bug of ours; `cause` holds what was caught.
 */
export const AUDIOMILL_ERROR_CODES = [
  'INVALID_ARGUMENT',
  'INPUT_TOO_SHORT',
  'NATIVE_LOAD',
  'DEPENDENCY_MISSING',
  'OUT_OF_MEMORY',
  'DECODE_CORRUPT',
  'DECODE_TRUNCATED',
  'UNSUPPORTED_FORMAT',
  'EMPTY',
  'IO',
  'MODEL_INPUT',
  'MODEL_OUTPUT',
  'UNDEFINED_METRIC',
  'ABORTED',
  'INTERNAL',
] as const;

export type AudiomillErrorCode = (typeof AUDIOMILL_ERROR_CODES)[number];

const KNOWN_CODES: ReadonlySet<string> = new Set(AUDIOMILL_ERROR_CODES);

/** Whether `code` is one of AUDIOMILL_ERROR_CODES. */
export function isAudiomillErrorCode(code: unknown): code is AudiomillErrorCode {
  return typeof code === 'string' && KNOWN_CODES.has(code);
}

export interface AudiomillErrorOptions {
  path?: string;
  cause?: unknown;
}

export class AudiomillError extends Error {
  readonly code: AudiomillErrorCode;
  readonly path?: string;

  constructor(code: AudiomillErrorCode, message: string, options: AudiomillErrorOptions = {}) {
    if (!isAudiomillErrorCode(code)) {
      throw (typeof code === 'string' ? rangeError : typeError)(`one of AUDIOMILL_ERROR_CODES (${AUDIOMILL_ERROR_CODES.join(', ')})`, 'code', code);
    }
    if (typeof message !== 'string') throw typeError('a string', 'message', message);
    if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AudiomillError';
    this.code = code;
    if (options.path !== undefined) this.path = options.path;
  }
}

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
  const code: AudiomillErrorCode = isAudiomillErrorCode(raw?.code) ? raw.code : 'INTERNAL';
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

/**
 * The error for an npm package that is not installed (`cause`: the loader's error): code
 * DEPENDENCY_MISSING, naming the package, what needs it, and the command that installs it.
 */
export function dependencyMissing(pkg: string, neededFor: string, cause?: unknown): AudiomillError {
  return new AudiomillError(
    'DEPENDENCY_MISSING',
    `the npm package '${pkg}' (needed for ${neededFor}) is not installed; it is a dependency of audiomill: run \`npm install\` (or \`npm install ${pkg}\`)`,
    cause === undefined ? {} : { cause },
  );
}

/** Whether `err` is Node's "module not found" for `pkg` (not for a file inside it that failed for another reason). */
export function isModuleNotFound(err: unknown, pkg: string): boolean {
  const e = err as { code?: unknown; message?: unknown };
  return (e?.code === 'MODULE_NOT_FOUND' || e?.code === 'ERR_MODULE_NOT_FOUND') && typeof e.message === 'string' && e.message.includes(pkg);
}

/**
 * A failed file operation as an AudiomillError `IO`: `cannot <verb> '<path>': <reason>`, the system
 * error as `cause` (its reason in words for the common cases).
 */
export function ioError(verb: string, path: string, cause: unknown): AudiomillError {
  const e = cause as NodeJS.ErrnoException | undefined;
  const reason =
    e?.code === 'ENOENT' ? 'no such file or folder' : e?.code === 'EACCES' ? 'permission denied' : e?.code === 'EISDIR' ? 'is a folder' : (e?.message ?? String(cause));
  return new AudiomillError('IO', `cannot ${verb} '${path}': ${reason}`, { path, cause });
}

/** An error as one line for a table cell or report: `CODE: message` when it has a code. */
export function errorText(err: unknown): string {
  const e = err as { code?: string; message?: string };
  return e.code ? `${e.code}: ${e.message}` : String(e.message ?? err);
}
