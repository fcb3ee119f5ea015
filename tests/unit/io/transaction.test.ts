// Output transactions: staged files replace the outputs together on commit, leave them untouched
// on rollback or error, and interrupted transactions are rolled back (no commit record) or
// forward (commit record written) by the next begin on the folder.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OutputTransaction, stageOutputs } from '../../../src/io/transaction.js';
import { tempDir } from '../../helpers/temp.js';

const read = (p: string) => readFileSync(p, 'utf8');

describe('OutputTransaction', () => {
  it('stages files beside the destination and moves them all into place on commit', async () => {
    const dir = join(tempDir('tx'), 'out'); // created by begin
    const tx = await OutputTransaction.begin(dir);
    expect(tx.staging.startsWith(join(dir, '.audiomill-staging-'))).toBe(true);
    await tx.writeFile('a.csv', 'new a');
    writeFileSync(tx.path('png/train/x.png'), 'png bytes');
    expect(readdirSync(dir)).toEqual([tx.staging.slice(dir.length + 1)]); // nothing in place yet
    expect(tx.names).toEqual(['a.csv', join('png', 'train', 'x.png')]);
    expect(await tx.commit()).toEqual([join(dir, 'a.csv'), join(dir, 'png', 'train', 'x.png')]);
    expect(readdirSync(dir).sort()).toEqual(['a.csv', 'png']);
    expect(read(join(dir, 'png/train/x.png'))).toBe('png bytes');
    expect(() => tx.path('b.csv')).toThrow(/already committed/);
    await expect(tx.commit()).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('rollback and a failing run leave the previous outputs as they were', async () => {
    const dir = tempDir('tx');
    writeFileSync(join(dir, 'a.csv'), 'old a');
    const tx = await OutputTransaction.begin(dir);
    await tx.writeFile('a.csv', 'new a');
    await tx.rollback();
    await tx.rollback();
    expect(readdirSync(dir)).toEqual(['a.csv']);
    expect(read(join(dir, 'a.csv'))).toBe('old a');

    const boom = new Error('boom');
    await expect(
      OutputTransaction.run(dir, async (t) => {
        await t.writeFile('a.csv', 'new a');
        await t.writeFile('b.csv', 'new b');
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(readdirSync(dir)).toEqual(['a.csv']);
    expect(read(join(dir, 'a.csv'))).toBe('old a');

    // A staged name never written: the commit fails, nothing moves, run rolls back.
    await expect(OutputTransaction.run(dir, async (t) => void t.path('never.csv'))).rejects.toMatchObject({ code: 'IO' });
    expect(readdirSync(dir)).toEqual(['a.csv']);

    expect(await OutputTransaction.run(dir, async (t) => (await t.writeFile('a.csv', 'new a'), 7))).toBe(7);
    expect(read(join(dir, 'a.csv'))).toBe('new a');
  });

  it('refuses names outside the folder', async () => {
    const tx = await OutputTransaction.begin(tempDir('tx'));
    for (const bad of ['../x', '/etc/x', '.', 'a/../../x']) expect(() => tx.path(bad)).toThrow(RangeError);
    expect(() => tx.path(3 as unknown as string)).toThrow(TypeError);
    await tx.rollback();
  });

  it('the next begin removes an interrupted transaction and finishes a committed one', async () => {
    const dir = tempDir('tx');
    writeFileSync(join(dir, 'a.csv'), 'old a');
    writeFileSync(join(dir, 'b.csv'), 'old b');
    const dead = 2 ** 22 + 12345; // above the default pid_max of 2^22: no such process
    // Killed before its commit record: rolled back.
    const a = join(dir, `.audiomill-staging-${dead}-aa`);
    mkdirSync(a);
    writeFileSync(join(a, 'a.csv'), 'half-written');
    // Killed after its commit record, with a.csv already moved: rolled forward.
    const b = join(dir, `.audiomill-staging-${dead}-bb`);
    mkdirSync(join(b, 'sub'), { recursive: true });
    writeFileSync(join(b, 'b.csv'), 'new b');
    writeFileSync(join(b, 'sub', 'c.csv'), 'new c');
    writeFileSync(join(b, '.commit'), JSON.stringify(['a.csv', 'b.csv', join('sub', 'c.csv')]));
    // A running process's transaction (this one's pid) is left alone.
    const live = join(dir, `.audiomill-staging-${process.pid}-cc`);
    mkdirSync(live);

    const tx = await OutputTransaction.begin(dir);
    await tx.rollback();
    expect(existsSync(a)).toBe(false);
    expect(existsSync(b)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect([read(join(dir, 'a.csv')), read(join(dir, 'b.csv')), read(join(dir, 'sub', 'c.csv'))]).toEqual(['old a', 'new b', 'new c']);
    renameSync(live, join(dir, 'kept'));
    expect(await OutputTransaction.recover(dir)).toEqual([]);
  });

  it('deletes the old outputs named by remove() with the commit, never before, and prunes emptied folders', async () => {
    const dir = tempDir('tx');
    mkdirSync(join(dir, 'png', 'valid'), { recursive: true });
    writeFileSync(join(dir, 'a.csv'), 'old a');
    writeFileSync(join(dir, 'png', 'valid', '1.png'), 'old 1');
    writeFileSync(join(dir, 'png', 'valid', '2.png'), 'old 2');
    writeFileSync(join(dir, 'keep.txt'), 'not an output');

    // Rolled back: nothing is deleted.
    const rolled = await OutputTransaction.begin(dir);
    rolled.remove('png/valid/1.png');
    await rolled.rollback();
    expect(read(join(dir, 'png', 'valid', '1.png'))).toBe('old 1');

    const tx = await OutputTransaction.begin(dir);
    await tx.writeFile('a.csv', 'new a');
    for (const name of ['a.csv', 'png/valid/1.png', 'png/valid/2.png', 'gone.csv']) tx.remove(name);
    expect(tx.removed).toEqual([join('png', 'valid', '1.png'), join('png', 'valid', '2.png'), 'gone.csv']); // a.csv is replaced, not deleted
    expect(existsSync(join(dir, 'png', 'valid', '2.png'))).toBe(true);
    expect(() => tx.remove('../x')).toThrow(RangeError);
    expect(() => tx.remove('.audiomill-staging-1-ab/x')).toThrow(RangeError);
    await tx.commit();
    expect(readdirSync(dir).sort()).toEqual(['a.csv', 'keep.txt']); // png/valid and png emptied, so removed
    expect(read(join(dir, 'a.csv'))).toBe('new a');
  });

  it('rolls forward the removals of a committed transaction killed part way', async () => {
    const dir = tempDir('tx');
    writeFileSync(join(dir, 'old.csv'), 'old');
    writeFileSync(join(dir, 'b.csv'), 'old b');
    const dead = 2 ** 22 + 12346;
    const b = join(dir, `.audiomill-staging-${dead}-bb`);
    mkdirSync(b);
    writeFileSync(join(b, 'b.csv'), 'new b');
    writeFileSync(join(b, '.commit'), JSON.stringify({ files: ['b.csv'], remove: ['old.csv'] }));
    // Without a complete record: rolled back, its removals never happen.
    const c = join(dir, `.audiomill-staging-${dead}-cc`);
    mkdirSync(c);
    writeFileSync(join(c, 'b.csv'), 'other b');
    writeFileSync(join(c, '.commit'), '{"files":["b.csv"],"remo');
    expect((await OutputTransaction.recover(dir)).sort()).toEqual([b, c]);
    expect(readdirSync(dir)).toEqual(['b.csv']);
    expect(read(join(dir, 'b.csv'))).toBe('new b');
  });

  it('stageOutputs writes files of several folders as one set: all moved after the writer resolves, none when it rejects', async () => {
    const root = tempDir('tx');
    const a = join(root, 'a.csv');
    const b = join(root, 'sub', 'b.parquet');
    writeFileSync(a, 'old a');
    const boom = new Error('boom');
    await expect(
      stageOutputs([a, b], async ([sa, sb]) => {
        writeFileSync(sa!, 'new a');
        writeFileSync(sb!, 'new b');
        expect(read(a)).toBe('old a'); // staged, not in place
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(readdirSync(root).sort()).toEqual(['a.csv', 'sub']);
    expect(readdirSync(join(root, 'sub'))).toEqual([]);
    expect(
      await stageOutputs([a, b], async (staged) => {
        expect(staged.map((p) => p.endsWith('a.csv') || p.endsWith('b.parquet'))).toEqual([true, true]);
        writeFileSync(staged[0]!, 'new a');
        writeFileSync(staged[1]!, 'new b');
        return 'done';
      }),
    ).toBe('done');
    expect([read(a), read(b)]).toEqual(['new a', 'new b']);
    expect(readdirSync(root).sort()).toEqual(['a.csv', 'sub']);
    await expect(stageOutputs([''], async () => 0)).rejects.toThrow(TypeError);
  });
});
