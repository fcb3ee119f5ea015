// Temporary folders that clean up after themselves, so `npm test` leaves the OS temp folder as it
// found it. Importing this module registers an afterAll hook in the importing test file (vitest
// collects hooks at module load) and an exit hook as a last resort: every folder made by tempDir()
// is removed when the file's tests end, pass or fail.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const made: string[] = [];

function removeAll(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

afterAll(removeAll);
process.once('exit', removeAll);

/**
 * A fresh folder `<os temp>/audiomill-<name>-XXXXXX`, removed after the test file. Call it anywhere:
 * at module level, in a describe body, a hook or a test.
 */
export function tempDir(name = 'test'): string {
  const dir = mkdtempSync(join(tmpdir(), `audiomill-${name.replace(/-+$/, '')}-`));
  made.push(dir);
  return dir;
}
