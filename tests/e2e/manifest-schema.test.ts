// The manifest's declared schema: one type per column whatever the data, so manifests of different
// datasets concatenate; the truncated column, its summary count and --strict; high_dc_offset and
// rms_ac_db.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp.js';
import { buildManifest, MANIFEST_SCHEMA, manifestStatsSchema } from '../../src/manifest/build.js';
import { makeWav, writeWav } from '../helpers/wav.js';

const wav = (path: string, samples: Float32Array) => writeWav(path, samples, 16000);

const tone = (seconds: number, amp: number, dc = 0, rate = 16000) =>
  Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => dc + amp * Math.sin((2 * Math.PI * 440 * i) / rate));

async function duck() {
  const db = await DuckDBInstance.create(':memory:');
  return db.connect();
}

describe('manifest schema', () => {
  it('two datasets (ratios all 0 vs not, 2 s vs 1500 ms segments) give identical Parquet schemas that concatenate', async () => {
    // Dataset A: quiet tones, never clipped or silent; 2 s segments start at whole seconds.
    const a = tempDir('schema-a');
    wav(join(a, 'x.wav'), tone(4, 0.3));
    wav(join(a, 'y.wav'), tone(6, 0.2));
    // Dataset B: clipped and half-silent clips; 1.5 s segments.
    const b = tempDir('schema-b');
    wav(join(b, 'clipped.wav'), tone(3, 3));
    wav(join(b, 'half.wav'), Float32Array.from(tone(4, 0.5), (v, i) => (i < 32000 ? 0 : v)));
    const pa = join(a, 'a.parquet');
    const pb = join(b, 'b.parquet');
    const ra = await buildManifest({ root: a, segments: { length: 2 }, out: pa });
    const rb = await buildManifest({ root: b, segments: { length: 1.5 }, out: pb });
    expect(ra.rows.every((r) => r.clip_ratio === 0 && r.silence_ratio === 0 && Number.isInteger(r.start_time))).toBe(true);
    expect(rb.rows.some((r) => (r.clip_ratio as number) > 0) && rb.rows.some((r) => (r.silence_ratio as number) > 0)).toBe(true);

    const con = await duck();
    const schema = async (p: string) => (await con.runAndReadAll(`describe select * from read_parquet('${p}')`)).getRowObjects().map((s) => [s.column_name, s.column_type]);
    const sa = await schema(pa);
    expect(await schema(pb)).toEqual(sa);
    const types = Object.fromEntries(sa) as Record<string, string>;
    expect(types).toMatchObject({ start_time: 'DOUBLE', end_time: 'DOUBLE', clip_ratio: 'DOUBLE', silence_ratio: 'DOUBLE', sample_rate: 'BIGINT', truncated: 'BOOLEAN', high_dc_offset: 'BOOLEAN', rms_ac_db: 'DOUBLE' });
    // The declared schema, in order, then the error and split columns.
    const statsSchema = manifestStatsSchema(false);
    expect(sa.map(([n]) => n).slice(0, MANIFEST_SCHEMA.length + statsSchema.length)).toEqual([...MANIFEST_SCHEMA, ...statsSchema].map((c) => c.name));
    const both = (await con.runAndReadAll(`select count(*)::INTEGER as n from (select * from read_parquet('${pa}') union all by name select * from read_parquet('${pb}'))`)).getRowObjects();
    expect(both[0]!.n).toBe(ra.rows.length + rb.rows.length);
    const strict = (await con.runAndReadAll(`select count(*)::INTEGER as n from read_parquet(['${pa}', '${pb}'], union_by_name = false)`)).getRowObjects();
    expect(strict[0]!.n).toBe(ra.rows.length + rb.rows.length);

    // CSV and JSONL of the two datasets read back with the same column types as well.
    const ca = join(a, 'a.csv');
    const cb = join(b, 'b.csv');
    await buildManifest({ root: a, segments: { length: 2 }, out: [ca, join(a, 'a.jsonl')] });
    await buildManifest({ root: b, segments: { length: 1.5 }, out: [cb, join(b, 'b.jsonl')] });
    for (const [x, y, reader] of [[ca, cb, 'read_csv'], [join(a, 'a.jsonl'), join(b, 'b.jsonl'), 'read_json']] as const) {
      const tx = (await con.runAndReadAll(`describe select * from ${reader}('${x}')`)).getRowObjects().map((s) => [s.column_name, s.column_type]);
      const ty = (await con.runAndReadAll(`describe select * from ${reader}('${y}')`)).getRowObjects().map((s) => [s.column_name, s.column_type]);
      const pick = (t: unknown[][]) => Object.fromEntries(t.filter(([n]) => ['start_time', 'end_time', 'clip_ratio', 'silence_ratio', 'dc_offset'].includes(n as string)));
      expect(pick(ty), reader).toEqual(pick(tx));
      expect(Object.values(pick(tx)).every((t) => t === 'DOUBLE'), reader).toBe(true);
    }
    expect(readFileSync(ca, 'utf8')).toContain(',0.0,'); // clip_ratio 0 written as a float
  });

  it('truncated files are a column, a summary count and fail --strict; a DC offset is flagged', async () => {
    const root = tempDir('schema-trunc');
    wav(join(root, 'ok.wav'), tone(2, 0.3));
    // A header declaring 240,000 frames (15 s at 16 kHz) that holds 8.
    writeFileSync(join(root, 'declares-240000.wav'), makeWav({ sampleRate: 16000, data: new Uint8Array(16), dataSize: 480_000 }));
    // An Ogg cut to its first 5 kB.
    writeFileSync(join(root, 'cut.ogg'), readFileSync(join(__dirname, '../audio/fixtures/files/stereo_vorbis.ogg')).subarray(0, 5000));
    // A humpback-like DC offset: 0.356 under a quiet tone.
    wav(join(root, 'dc.wav'), tone(2, 0.0468, 0.356));
    const out = join(root, 'm.parquet');
    const r = await buildManifest({ root, out });
    const by = Object.fromEntries(r.rows.map((x) => [x.path, x]));
    expect(by['declares-240000.wav']).toMatchObject({ truncated: true, too_short: true, had_error: false });
    expect(by['cut.ogg']).toMatchObject({ truncated: true, had_error: false });
    expect(by['ok.wav']).toMatchObject({ truncated: false, high_dc_offset: false });
    expect(by['dc.wav']).toMatchObject({ truncated: false, high_dc_offset: true });
    expect(by['dc.wav']!.rms_ac_db as number).toBeCloseTo(20 * Math.log10(0.0468 / Math.SQRT2), 2);
    expect(by['dc.wav']!.rms_db as number).toBeGreaterThan((by['dc.wav']!.rms_ac_db as number) + 15);
    expect(r.summary.flags.truncated).toEqual({ count: 2, percent: 50 });
    expect(r.summary.flags.high_dc_offset!.count).toBe(1);
    expect(r.report).toMatch(/truncated\s+2/);
    // Without statistics the truncated column comes from the headers.
    const facts = await buildManifest({ root, stats: false, out: join(root, 'facts.parquet') });
    expect(facts.rows.filter((x) => x.truncated === true).map((x) => x.path).sort()).toEqual(['cut.ogg', 'declares-240000.wav']);

    // --strict: exit code 2 for truncated files alone (no file errors here).
    const cli = join(__dirname, '../../dist/cjs/cli/main.js');
    const args = [cli, 'manifest', root, '--out', join(root, 'cli.csv'), '--quiet'];
    expect(spawnSync(process.execPath, args, { encoding: 'utf8' }).status).toBe(0);
    expect(spawnSync(process.execPath, [...args, '--strict'], { encoding: 'utf8' }).status).toBe(2);
  });
});
