// Temporary folders that remove themselves: every test leaves the OS temp folder as it found it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, onTestFinished } from 'vitest';

/**
 * Creates a fresh folder `<os temp>/audiomill-<prefix>XXXXXX` and registers its removal:
 * - called inside a test (or a helper a test calls): removed when that test finishes, pass or fail;
 * - called while the file is collected (module top level or a `describe` body): removed after the
 *   tests of the enclosing suite have run.
 * Not for `beforeAll` bodies (neither hook applies there): call it at collection time instead.
 * Returns the folder's absolute path.
 */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `audiomill-${prefix}`));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    onTestFinished(remove); // throws outside a running test
  } catch {
    afterAll(remove);
  }
  return dir;
}
