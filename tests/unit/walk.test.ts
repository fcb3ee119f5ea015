// Walking a dataset folder: include/exclude globs over relative paths, hidden entries skipped,
// sorted output, sizes and mtimes, clear errors for a missing root, and a subfolder that cannot be
// listed reported (not fatal) when asked. Tests run as root, where chmod does not stop a listing:
// the listing of folders named `locked` fails with EACCES through a mocked readdir instead.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { tempDir } from '../helpers/temp.js';
import { AudiomillError } from '../../src/errors.js';
import { globToRegExp, walkAudio, type UnreadableEntry } from '../../src/manifest/walk.js';

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const readdir = (async (path: string, options?: object) => {
    if (String(path).endsWith(`${sep}locked`)) {
      throw Object.assign(new Error(`EACCES: permission denied, scandir '${path}'`), { code: 'EACCES', errno: -13, syscall: 'scandir', path });
    }
    return real.readdir(path, options as never);
  }) as typeof real.readdir;
  return { ...real, readdir, default: { ...real, readdir } };
});

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

  it('a subfolder that cannot be listed is reported through onUnreadable and the walk goes on', async () => {
    const dir = tempDir('walk-locked');
    for (const f of ['a/1.wav', 'locked/2.wav', 'b/locked/3.wav', 'b/4.wav']) {
      mkdirSync(join(dir, f, '..'), { recursive: true });
      writeFileSync(join(dir, f), 'x');
    }
    const seen: UnreadableEntry[] = [];
    const found = await walkAudio(dir, { onUnreadable: (u) => seen.push(u) });
    expect(found.map((f) => f.path)).toEqual(['a/1.wav', 'b/4.wav']);
    expect(seen.map((u) => u.path).sort()).toEqual(['b/locked/', 'locked/']);
    expect(seen[0]!.error).toBeInstanceOf(AudiomillError);
    expect(seen[0]!.error).toMatchObject({ code: 'IO', path: seen[0]!.absolute });
    expect(seen[0]!.error.message).toMatch(/^cannot list the folder '.*locked': permission denied$/);
    // Without the callback the walk rejects, naming the folder; a root that cannot be listed always does.
    await expect(walkAudio(dir)).rejects.toMatchObject({ code: 'IO', message: expect.stringMatching(/locked': permission denied/) });
    await expect(walkAudio(join(dir, 'locked'), { onUnreadable: () => undefined })).rejects.toMatchObject({ code: 'IO' });
  });
});
