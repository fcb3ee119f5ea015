/**
 * Internal: a full garbage collection on demand, for the decoder pool and its workers (see codec-pool.ts and
 * codec-worker.ts for why). V8's `gc` is exposed at run time (--expose-gc, then read from a fresh context) the
 * first time it is needed; where that is not allowed, this does nothing and V8 collects on its own schedule.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | null | undefined;

/** Runs a full garbage collection of this thread's heap, when V8 lets one be triggered. */
export function collectGarbage(): void {
  if (gc === undefined) {
    gc = null;
    try {
      setFlagsFromString('--expose-gc');
      const found = runInNewContext('gc') as unknown;
      if (typeof found === 'function') gc = found as () => void;
    } catch {
      // no collector available
    }
  }
  gc?.();
}
