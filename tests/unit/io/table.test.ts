// Manifest tables: Parquet read back by an independent reader (DuckDB), CSV and JSONL with the
// same columns in the same order, `path` first, types inferred, missing values as nulls.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/temp.js';
import { parseCsv } from '../../../src/io/csv.js';
import { columnsOf, inferType, readTable, tableFormat, writeTable } from '../../../src/io/table.js';

const rows = [
  { split: 'train', path: 'dog/1.wav', duration: 5, rms_db: -23.5, too_quiet: false, label: 'dog', fold: 1 },
  { path: 'cat/2.flac', split: 'test', duration: 4.25, rms_db: -61.25, too_quiet: true, label: null, fold: 3, error: 'x, "y"' },
  { path: 'nan.wav', split: 'val', duration: 0, rms_db: Number.NaN, too_quiet: false, label: 'bird', fold: 5 },
];

describe('writeTable', () => {
  const dir = tempDir('table');

  it('infers column types and puts path first', () => {
    const cols = columnsOf(rows);
    expect(cols.map((c) => c.name)).toEqual(['path', 'split', 'duration', 'rms_db', 'too_quiet', 'label', 'fold', 'error']);
    expect(Object.fromEntries(cols.map((c) => [c.name, c.type]))).toEqual({
      path: 'string', split: 'string', duration: 'float', rms_db: 'float', too_quiet: 'bool', label: 'string', fold: 'int', error: 'string',
    });
    expect(inferType([1, 2, null])).toBe('int');
    expect(inferType([1, 'a'])).toBe('string');
  });

  it('Parquet is read back by DuckDB with the same columns, types and values', async () => {
    const p = join(dir, 'm.parquet');
    await writeTable(p, rows);
    const db = await DuckDBInstance.create(':memory:');
    const con = await db.connect();
    const schema = (await con.runAndReadAll(`describe select * from read_parquet('${p}')`)).getRowObjects();
    expect(schema.map((s) => [s.column_name, s.column_type])).toEqual([
      ['path', 'VARCHAR'], ['split', 'VARCHAR'], ['duration', 'DOUBLE'], ['rms_db', 'DOUBLE'], ['too_quiet', 'BOOLEAN'],
      ['label', 'VARCHAR'], ['fold', 'BIGINT'], ['error', 'VARCHAR'],
    ]);
    const back = (await con.runAndReadAll(`select * from read_parquet('${p}')`)).getRowObjects();
    expect(back[1]).toMatchObject({ path: 'cat/2.flac', duration: 4.25, too_quiet: true, label: null, fold: 3n, error: 'x, "y"' });
    expect(Number.isNaN(back[2]!.rms_db)).toBe(true);
    expect(back[0]!.error).toBe(null);
  });

  it('CSV and JSONL carry the same columns in the same order', async () => {
    await writeTable(join(dir, 'm.csv'), rows);
    await writeTable(join(dir, 'm.jsonl'), rows);
    const csv = parseCsv(readFileSync(join(dir, 'm.csv'), 'utf8'));
    expect(csv.columns).toEqual(columnsOf(rows).map((c) => c.name));
    expect(csv.rows[1]).toMatchObject({ path: 'cat/2.flac', too_quiet: 'True', label: '', error: 'x, "y"' });
    const jsonl = readFileSync(join(dir, 'm.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(Object.keys(jsonl[0]!)).toEqual(csv.columns);
    expect(jsonl[2]!.rms_db).toBe(null);
  });

  it('declared types hold whatever the values: whole-number floats stay floats in Parquet, CSV and JSONL', async () => {
    // Every value of the float columns is a whole number, the int column has a float, the string one numbers:
    // inferred, these would be BIGINT / DOUBLE / BIGINT; declared, every format writes the declared type.
    const data = [
      { path: 'a.wav', clip_ratio: 0, start_time: 2, channels: 1.7, label: 3, truncated: false },
      { path: 'b.wav', clip_ratio: 0, start_time: 4, channels: 2, label: 4, truncated: true },
    ];
    const columns = columnsOf(data, [
      { name: 'path', type: 'string' }, { name: 'clip_ratio', type: 'float' }, { name: 'start_time', type: 'float' },
      { name: 'channels', type: 'int' }, { name: 'label', type: 'string' }, { name: 'truncated', type: 'bool' },
    ]);
    const db = await DuckDBInstance.create(':memory:');
    const con = await db.connect();
    const want = [['path', 'VARCHAR'], ['clip_ratio', 'DOUBLE'], ['start_time', 'DOUBLE'], ['channels', 'BIGINT'], ['label', 'VARCHAR'], ['truncated', 'BOOLEAN']];
    for (const [ext, reader] of [['parquet', 'read_parquet'], ['csv', 'read_csv'], ['jsonl', 'read_json']] as const) {
      const p = join(dir, `declared.${ext}`);
      await writeTable(p, data, columns);
      const schema = (await con.runAndReadAll(`describe select * from ${reader}('${p}')`)).getRowObjects();
      // CSV text has no types: a string column of digits reads as numbers there (pandas does the same).
      expect(schema.map((s) => [s.column_name, s.column_type]), ext).toEqual(ext === 'csv' ? want.map(([n, t]) => [n, n === 'label' ? 'BIGINT' : t]) : want);
    }
    expect(readFileSync(join(dir, 'declared.csv'), 'utf8').split('\n')[1]).toBe('a.wav,0.0,2.0,1,3,False');
    expect(readFileSync(join(dir, 'declared.jsonl'), 'utf8').split('\n')[0]).toBe('{"path":"a.wav","clip_ratio":0.0,"start_time":2.0,"channels":1,"label":"3","truncated":false}');
    expect(inferType([0, 0])).toBe('int'); // what the values alone would say
  });

  it('refuses an unknown extension, naming the option the path came from', async () => {
    expect(() => tableFormat('m.xlsx')).toThrow(/^Expected a path ending in \.parquet, .* for out but received/);
    expect(() => tableFormat('m.xlsx', 'metadata')).toThrow(/ for metadata but received "m\.xlsx"/);
    await expect(readTable('list.txt')).rejects.toThrow(/ for path but received "list\.txt"/);
  });
});
