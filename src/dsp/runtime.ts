/** Process-wide settings of the native core: thread cap, SIMD level, capabilities. */
import { callNative } from '../errors.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { native, packageRoot } from '../native/load.js';
import { int, oneOf } from '../validate.js';

export type SimdLevel = 'scalar' | 'neon' | 'avx2' | 'avx512';
/** Matrix units beside AVX-512 that the vector-search kernels use for i8 and bf16 rows. */
export type MatrixUnit = 'none' | 'vnni' | 'amx';

export interface Capabilities {
  /** SIMD level in use (after AUDIOMILL_SIMD or setSimdLevel). */
  simd: SimdLevel;
  /** Best level this CPU and build support. */
  simdDetected: SimdLevel;
  /** Every level that can be forced here. */
  simdLevels: SimdLevel[];
  /**
   * Matrix unit in use by the search kernels: the cap (matrixCap), and 'none' unless simd is
   * 'avx512'. 'vnni' is AVX512-VNNI (int8 dot products); 'amx' is Intel AMX (int8 and bf16 tiles).
   */
  matrix: MatrixUnit;
  /** The cap set by AUDIOMILL_MATRIX or setMatrixUnit (default: matrixDetected). */
  matrixCap: MatrixUnit;
  /** Best unit this CPU, OS and build support. */
  matrixDetected: MatrixUnit;
  /** Every unit that can be chosen here. */
  matrixUnits: MatrixUnit[];
  /** Current thread cap of the native pool. */
  threads: number;
  /** Whether a CUDA build is loaded and usable (never, in the CPU addon). */
  cuda: boolean;
}

let version: string | undefined;

/** The version of the audiomill package in use (its package.json's). */
export function audiomillVersion(): string {
  version ??= (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  return version;
}

/** A file of the installed package (workers start from the compiled dist/cjs files, also when tests run from src/). */
export function packageFile(...parts: string[]): string {
  return join(packageRoot(), ...parts);
}

export function capabilities(): Capabilities {
  return callNative(() => native().capabilities()) as Capabilities;
}

/**
 * Caps the threads every native operation may use (1 = run on the calling
 * thread only). The environment variable AUDIOMILL_NUM_THREADS sets the
 * initial cap; the default is the machine's core count.
 */
export function setNumThreads(n: number): void {
  int(n, 'threads', 1, 1024);
  callNative(() => native().setNumThreads(n));
}

export function getNumThreads(): number {
  return callNative(() => native().getNumThreads());
}

/**
 * Forces a SIMD level for all later calls (for tests and benchmarks; the
 * default is the best the CPU supports). AUDIOMILL_SIMD does the same at load.
 * Throws RangeError if the level cannot run on this machine.
 */
export function setSimdLevel(level: SimdLevel): void {
  oneOf(level, 'level', ['scalar', 'neon', 'avx2', 'avx512'] as const);
  if (!callNative(() => native().setSimdLevel(level))) {
    throw new RangeError(`Expected one of ${capabilities().simdLevels.join(' | ')} for level but received "${level}"`);
  }
}

/**
 * Caps the matrix unit the search kernels may use (for tests and benchmarks; the default is the best
 * present). AUDIOMILL_MATRIX=none|vnni|amx does the same at load. Results for i8 rows are the same
 * on every unit; bf16 rows on AMX are scored against bf16-rounded queries. Throws RangeError if the
 * unit cannot run on this machine.
 */
export function setMatrixUnit(unit: MatrixUnit): void {
  oneOf(unit, 'unit', ['none', 'vnni', 'amx'] as const);
  if (!callNative(() => native().setMatrixUnit(unit))) {
    throw new RangeError(`Expected one of ${capabilities().matrixUnits.join(' | ')} for unit but received "${unit}"`);
  }
}
