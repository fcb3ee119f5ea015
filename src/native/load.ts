/**
 * Loads the compiled addon once: build/Release when `npm install` compiled one
 * (node-gyp-build looks there first), else the prebuild for this platform that
 * ships in the package (prebuilds/<platform>-<arch>). A failure is an AudiomillError
 * (NATIVE_LOAD, or DEPENDENCY_MISSING for node-gyp-build) that says what to do.
 * The one import of ours here is src/errors.ts (the error class and its codes).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AudiomillError, dependencyMissing, isModuleNotFound } from '../errors.js';
import type { NativeBinding } from './binding.js';

let cached: NativeBinding | undefined;

/** Finds the package root (the folder whose package.json is named "audiomill"). */
export function packageRoot(start: string = __dirname): string {
  let dir = start;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'audiomill') return dir;
      } catch {
        // keep walking up
      }
    }
    const parent = dirname(dir);
    if (parent === dir)
      throw new AudiomillError(
        'NATIVE_LOAD',
        `audiomill: cannot find the package root (a package.json named "audiomill") above ${start}; reinstall the package (npm install audiomill)`,
      );
    dir = parent;
  }
}

function loadError(cause: unknown, root: string): AudiomillError {
  if (cause instanceof AudiomillError) return cause;
  if (isModuleNotFound(cause, 'node-gyp-build')) return dependencyMissing('node-gyp-build', 'loading the native addon', cause);
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new AudiomillError(
    'NATIVE_LOAD',
    [
      `audiomill: the native addon could not be loaded (${reason}).`,
      `Platform: ${process.platform}-${process.arch}, Node ${process.version} (N-API ${process.versions.napi}).`,
      'To fix it:',
      `  1. Rebuild from source:   cd ${root} && npm rebuild audiomill   (or: npx node-gyp rebuild)`,
      '  2. A source build needs python3, make and a C++17 compiler (Debian: apt-get install python3 make g++).',
      '  3. If you installed with --ignore-scripts, run the rebuild above once.',
    ].join('\n'),
    { cause },
  );
}

export function native(): NativeBinding {
  if (cached) return cached;
  let root = '(unknown)';
  try {
    root = packageRoot();
    // AUDIOMILL_ADDON names a binary to load instead (a sanitizer or CUDA build of the same addon).
    const override = process.env.AUDIOMILL_ADDON;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    cached = override ? (require(override) as NativeBinding) : (require('node-gyp-build') as (dir: string) => NativeBinding)(root);
  } catch (cause) {
    throw loadError(cause, root);
  }
  return cached;
}
