// CSV: RFC 4180 round trips (quotes, delimiters, line breaks inside fields, CRLF, BOM), pandas-style
// booleans and non-finite numbers, column type inference, and atomic writes.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/temp.js';
import { writeFileAtomic, writeFileAtomicSync } from '../../../src/io/atomic.js';
import { formatCsv, inferColumn, parseCsv } from '../../../src/io/csv.js';

describe('CSV', () => {
  const rows = [
    { path: 'a, b.wav', label: 'say "hi"', note: 'line1\nline2', n: 3, x: 0.5, ok: true },
    { path: 'c.wav', label: '', note: ' padded ', n: -1, x: NaN, ok: false },
  ];
  const cols = ['path', 'label', 'note', 'n', 'x', 'ok'];

  it('round-trips awkward fields, LF and CRLF, with a BOM', () => {
    for (const eol of ['\n', '\r\n']) {
      const text = formatCsv(cols, rows, { eol });
      const back = parseCsv('\ufeff' + text);
      expect(back.columns).toEqual(cols);
      expect(back.rows[0]).toEqual({ path: 'a, b.wav', label: 'say "hi"', note: 'line1\nline2', n: '3', x: '0.5', ok: 'True' });
      expect(back.rows[1]).toEqual({ path: 'c.wav', label: '', note: ' padded ', n: '-1', x: 'NaN', ok: 'False' });
    }
  });

  it('reads TSV, skips blank lines, fills short rows, refuses long ones and open quotes', () => {
    expect(parseCsv('a\tb\n1\t2\n\n3\n', { delimiter: '\t' }).rows).toEqual([{ a: '1', b: '2' }, { a: '3', b: '' }]);
    expect(() => parseCsv('a,b\n1,2,3\n', { path: 'm.csv' })).toThrow(/row 2 of m.csv has 3 fields/);
    expect(() => parseCsv('a,b\n"1,2\n')).toThrow(/unterminated/);
  });

  it('infers column types', () => {
    expect(inferColumn(['1', '-2', ''])).toBe('int');
    expect(inferColumn(['1', '2.5', '1e-3', 'nan'])).toBe('float');
    expect(inferColumn(['True', 'false'])).toBe('bool');
    expect(inferColumn(['1', 'x'])).toBe('string');
  });
});

describe('atomic writes', () => {
  it('replace the file whole and leave no temporary file behind', async () => {
    const dir = tempDir('atomic');
    const p = join(dir, 'out.csv');
    writeFileSync(p, 'old');
    await writeFileAtomic(p, 'new contents');
    expect(readFileSync(p, 'utf8')).toBe('new contents');
    writeFileAtomicSync(p, new Uint8Array([65, 66]));
    expect(readFileSync(p, 'utf8')).toBe('AB');
    expect(readdirSync(dir)).toEqual(['out.csv']);
    await expect(writeFileAtomic(join(dir, 'missing', 'x.csv'), 'x')).rejects.toThrow();
    expect(readFileSync(p, 'utf8')).toBe('AB');
  });
});
