// Temporary folders that clean up after themselves. Importing this module registers an afterAll
// hook in the importing test file (vitest collects hooks at module load), and an exit hook as a
// last resort, so every folder made by tempDir() is removed when the file's tests end.
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

/** A fresh folder under the OS temp folder (`audiomill-<name>-XXXXXX`), removed after the test file. */
export function tempDir(name = 'test'): string {
  const dir = mkdtempSync(join(tmpdir(), `audiomill-${name}-`));
  made.push(dir);
  return dir;
}
