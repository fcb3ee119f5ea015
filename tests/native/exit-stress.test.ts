// Fresh processes that exit, or terminate a Worker, at random moments while each kind of async
// work is pending: none may abort, print to stderr, or exit with another status than asked.
// (Terminating a Worker while it loaded the addon used to abort the process: a Napi::Error
// thrown into an environment that was tearing down.)
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { KINDS, MODES, runExitStress } from '../../scripts/exit-stress.mjs';

describe('process exit and worker termination with work pending', () => {
  it('never aborts, never writes to stderr, and keeps the requested exit status', async () => {
    const count = (KINDS as string[]).length * (MODES as string[]).length * 6;
    const seed = Date.now() % 100_000; // other moments each run; a failure names its seed
    const { runs, failures } = (await runExitStress({ count, concurrency: 2, seed })) as {
      runs: number;
      failures: { kind: string; mode: string; delay: number; status: number; signal: string; stderr: string }[];
    };
    expect(runs).toBe(count);
    expect(failures.map((f) => `${f.kind}/${f.mode}@${f.delay}ms: ${f.signal ?? f.status} ${f.stderr.slice(0, 200)}`), `seed ${seed}`).toEqual([]);
  }, 240_000);
});
