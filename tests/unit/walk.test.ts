// Walking a dataset folder: include/exclude globs over relative paths, hidden entries skipped,
// sorted output, sizes and mtimes, clear errors for a missing root.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp.js';
import { AudiomillError } from '../../src/errors.js';
import { globToRegExp, walkAudio } from '../../src/manifest/walk.js';

describe('globToRegExp', () => {
  it.each([
    ['**/*.wav', 'a.wav', true],
    ['**/*.wav', 'x/y/a.WAV', true],
    ['*.wav', 'x/a.wav', false],
    ['dog/**', 'dog/a/b.flac', true],
    ['**/*.{wav,flac}', 'a/b.flac', true],
    ['clip_??.wav', 'clip_01.wav', true],
    ['clip_[0-4].wav', 'clip_5.wav', false],
    ['a.b+c.wav', 'a.b+c.wav', true],
    ['**/tmp/**', 'x/tmp/y.wav', true],
  ])('%s ~ %s: %s', (glob, path, ok) => expect(globToRegExp(glob).test(path)).toBe(ok));
});

describe('walkAudio', () => {
  const root = tempDir('walk');
  for (const f of ['b/2.wav', 'a/1.flac', 'a/notes.txt', 'a/.hidden.wav', '.git/x.wav', 'c/skip/3.mp3', 'Z.WAV']) {
    mkdirSync(join(root, f, '..'), { recursive: true });
    writeFileSync(join(root, f), 'x'.repeat(f.length));
  }
  symlinkSync(join(root, 'b/2.wav'), join(root, 'b/link.wav'));
  symlinkSync(join(root, 'missing.wav'), join(root, 'b/dangling.wav'));

  it('finds audio files by default, sorted, skipping hidden entries and dangling links', async () => {
    const found = await walkAudio(root);
    expect(found.map((f) => f.path)).toEqual(['Z.WAV', 'a/1.flac', 'b/2.wav', 'b/link.wav', 'c/skip/3.mp3']);
    expect(found[2]!.size).toBe('b/2.wav'.length);
    expect(found[2]!.mtimeMs).toBeGreaterThan(0);
  });

  it('applies include and exclude', async () => {
    const found = await walkAudio(root, { include: ['**/*.wav', '**/*.mp3'], exclude: 'c/**' });
    expect(found.map((f) => f.path)).toEqual(['Z.WAV', 'b/2.wav', 'b/link.wav']);
  });

  it('a missing root is an IO error naming it', async () => {
    const err = await walkAudio(join(root, 'nope')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AudiomillError);
    expect((err as AudiomillError).code).toBe('IO');
    expect((err as AudiomillError).message).toContain('nope');
  });
});
