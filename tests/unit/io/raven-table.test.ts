// Raven selection tables: reading (views merged, LF/CRLF, BOM, extra columns, header spelling,
// errors, label and score columns) and writing (Raven headers, measurement columns, label and score,
// plain AudioEvents with defaults, atomic replace, CRLF, validation).
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AudiomillError } from '../../../src/errors.js';
import {
  formatRavenTable,
  RAVEN_CORE_COLUMNS,
  RAVEN_MEASUREMENT_COLUMNS,
  readRavenTable,
  readRavenTableSync,
  writeRavenTable,
  writeRavenTableSync,
  type RavenTableRow,
} from '../../../src/io/raven-table.js';
import type { AudioEvent } from '../../../src/index.js';
import { tempDir } from '../../helpers/temp.js';

const dir = tempDir('raven');
let counter = 0;
function file(text: string): string {
  const p = join(dir, `t${counter++}.Table.1.selections.txt`);
  writeFileSync(p, text);
  return p;
}

const RAVEN = [
  'Selection\tView\tChannel\tBegin Time (s)\tEnd Time (s)\tLow Freq (Hz)\tHigh Freq (Hz)\tDelta Time (s)\tCenter Freq (Hz)\tDur 90% (s)\tAvg Entropy (bits)\tBegin File\tAnnotation',
  '1\tWaveform 1\t1\t0.512\t1.204\t1500.0\t8000.0\t0.692\t\t\t\tsong.wav\tA',
  '1\tSpectrogram 1\t1\t0.512\t1.204\t1500.0\t8000.0\t0.692\t4306.6\t0.580\t3.21\tsong.wav\tA',
  '2\tWaveform 1\t1\t2.000\t2.250\t900\t4000\t0.25\t\t\t\tsong.wav\t7',
  '2\tSpectrogram 1\t1\t2.000\t2.250\t900\t4000\t0.25\t2100\t0.2\t2.5\tsong.wav\t7',
];

describe('readRavenTable', () => {
  it('merges the views of a selection and keeps every column', async () => {
    const t = await readRavenTable(file(RAVEN.join('\n') + '\n'));
    expect(t.rows).toHaveLength(2);
    expect(t.columns.slice(0, 7)).toEqual([...RAVEN_CORE_COLUMNS]);
    const [a, b] = t.rows;
    expect(a).toMatchObject({ selection: 1, views: ['Waveform 1', 'Spectrogram 1'], channel: 1, begin: 0.512, end: 1.204, lowFreq: 1500, highFreq: 8000 });
    // Blank in the waveform row, filled in the spectrogram row: the first non-blank value wins.
    expect(a!.measurements).toEqual({ centerFreq: 4306.6, dur90: 0.58, avgEntropy: 3.21 });
    expect(a!.extra).toEqual({ 'Delta Time (s)': 0.692, 'Begin File': 'song.wav' });
    // The Annotation column is the label, a string even when its cells look numeric.
    expect(a!.label).toBe('A');
    expect(b!.label).toBe('7');
    expect(a!.score).toBeUndefined();
    expect(b!.measurements.centerFreq).toBe(2100);
  });

  it('reads CRLF, a UTF-8 BOM, blank lines and a trailing tab', async () => {
    const crlf = await readRavenTable(file('\ufeff' + RAVEN.map((l) => l + '\t').join('\r\n') + '\r\n\r\n'));
    const lf = await readRavenTable(file(RAVEN.join('\n')));
    expect(crlf.rows).toEqual(lf.rows);
    expect(crlf.columns).toEqual(lf.columns);
    expect(crlf.columns[0]).toBe('Selection');
  });

  it('matches core headers regardless of case and spacing (ANIMAL-SPOT writes "Begin time (s)")', () => {
    const p = file('Selection\tView\tChannel\tBegin time (s)\tEnd time (s)\tLow Freq (Hz)\tHigh Freq (Hz)\tSound type\tComments\n1\tSpectrogram_1\t1\t3.5\t4.1\t200\t3000\ttarget\t\n');
    const t = readRavenTableSync(p);
    expect(t.columns).toContain('Begin Time (s)');
    expect(t.rows[0]).toMatchObject({ selection: 1, begin: 3.5, end: 4.1, extra: { 'Sound type': 'target', Comments: null } });
  });

  it('defaults View and Channel when absent and parses BirdNET confidence as a number', async () => {
    const t = await readRavenTable(file('Selection\tBegin Time (s)\tEnd Time (s)\tLow Freq (Hz)\tHigh Freq (Hz)\tCommon Name\tConfidence\n1\t0\t3\t0\t15000\tAmerican Robin\t0.8123\n'));
    expect(t.rows[0]).toMatchObject({ views: ['Spectrogram 1'], channel: 1, extra: { 'Common Name': 'American Robin', Confidence: 0.8123 } });
  });

  it('reads the label and score columns named by the options, or leaves them in extra', async () => {
    const p = file('Selection\tBegin Time (s)\tEnd Time (s)\tLow Freq (Hz)\tHigh Freq (Hz)\tCommon Name\tConfidence\tScore\n1\t0\t3\t0\t15000\tAmerican Robin\t0.8123\tn/a\n2\t3\t6\t0\t15000\t\t0.5\t\n');
    const t = await readRavenTable(p, { labelColumn: 'Common Name', scoreColumn: 'confidence' });
    expect(t.rows.map((r) => [r.label, r.score])).toEqual([['American Robin', 0.8123], [undefined, 0.5]]);
    expect(t.rows[0]!.extra).toEqual({ Score: 'n/a' });
    const d = readRavenTableSync(p); // Score holds text: it stays in extra
    expect(d.rows[0]).not.toHaveProperty('score');
    expect(d.rows[0]!.extra).toMatchObject({ Score: 'n/a', 'Common Name': 'American Robin' });
    expect(readRavenTableSync(file(RAVEN.join('\n')), { labelColumn: null }).rows[0]!.extra.Annotation).toBe('A');
    expect(() => readRavenTableSync(p, { labelColumn: 'Begin Time (s)' })).toThrow(RangeError);
  });

  it('keeps a unit column as strings when one cell is not a number', async () => {
    const t = await readRavenTable(file(`${RAVEN_CORE_COLUMNS.join('\t')}\tScore (%)\n1\tS\t1\t0\t1\t0\t100\t12\n2\tS\t1\t1\t2\t0\t100\tn/a\n`));
    expect(t.rows.map((r) => r.extra['Score (%)'])).toEqual(['12', 'n/a']);
  });

  it('rejects a table without the required columns with DECODE_CORRUPT and the path', async () => {
    const p = file('Selection\tView\tBegin Time (s)\tEnd Time (s)\n1\tS\t0\t1\n');
    const err = await readRavenTable(p).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AudiomillError);
    expect(err).toMatchObject({ code: 'DECODE_CORRUPT', path: p });
    expect((err as Error).message).toContain("'Low Freq (Hz)'");
    expect((err as Error).message).toContain(p);
    expect(() => readRavenTableSync(file(''))).toThrow(expect.objectContaining({ code: 'DECODE_CORRUPT' }));
  });

  it('rejects non-numeric core cells, bad selection numbers and overlong lines', async () => {
    const head = RAVEN_CORE_COLUMNS.join('\t');
    await expect(readRavenTable(file(`${head}\n1\tS\t1\tabc\t1\t0\t100\n`))).rejects.toMatchObject({ code: 'DECODE_CORRUPT', message: expect.stringContaining('line 2') });
    await expect(readRavenTable(file(`${head}\n0\tS\t1\t0\t1\t0\t100\n`))).rejects.toMatchObject({ code: 'DECODE_CORRUPT' });
    await expect(readRavenTable(file(`${head}\n1\tS\t1\t0\t1\t0\t100\textra\n`))).rejects.toMatchObject({ code: 'DECODE_CORRUPT' });
  });

  it('rejects a missing file with IO', async () => {
    const p = join(dir, 'missing.txt');
    await expect(readRavenTable(p)).rejects.toMatchObject({ name: 'AudiomillError', code: 'IO', path: p });
    await expect(readRavenTable(42 as unknown as string)).rejects.toThrow(TypeError);
  });
});

describe('writeRavenTable', () => {
  const rows: RavenTableRow[] = [
    {
      selection: 1, begin: 0.5, end: 1.25, lowFreq: 1000, highFreq: 8000, label: 'song',
      measurements: { dur90: 0.58, centerFreq: 4306.640625, freq5: 2000, bw90: 3500, aggEntropy: 4.5, peakFreq: 4300 },
      extra: { 'Begin File': 'a.wav' },
    },
    { selection: 2, views: ['Waveform 1', 'Spectrogram 1'], channel: 2, begin: 2, end: 2.5, lowFreq: 0, highFreq: 11025, measurements: { dur90: Number.NaN } },
  ];

  it('writes Raven headers, measurement columns in Raven order, one line per view, LF', async () => {
    const p = join(dir, 'out.selections.txt');
    await writeRavenTable(p, rows);
    const text = readFileSync(p, 'utf8');
    expect(text.includes('\r')).toBe(false);
    const lines = text.split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines[0]!.split('\t')).toEqual([
      ...RAVEN_CORE_COLUMNS, 'Annotation', 'Dur 90% (s)', 'Center Freq (Hz)', 'Freq 5% (Hz)', 'BW 90% (Hz)', 'Agg Entropy (bits)', 'Peak Freq (Hz)', 'Begin File',
    ]);
    expect(lines[1]).toBe('1\tSpectrogram 1\t1\t0.5\t1.25\t1000\t8000\tsong\t0.58\t4306.640625\t2000\t3500\t4.5\t4300\ta.wav');
    expect(lines[2]).toBe('2\tWaveform 1\t2\t2\t2.5\t0\t11025\t\t\t\t\t\t\t\t');
    expect(lines[3]!.startsWith('2\tSpectrogram 1\t2\t')).toBe(true);
    // Round trip.
    const back = await readRavenTable(p);
    expect(back.rows[0]).toMatchObject({ selection: 1, views: ['Spectrogram 1'], label: 'song', measurements: rows[0]!.measurements, extra: rows[0]!.extra });
    expect(back.rows[1]).toMatchObject({ selection: 2, channel: 2, views: ['Waveform 1', 'Spectrogram 1'], measurements: {} });
  });

  it('writes plain AudioEvents: Selection numbers by position, label and score columns, frequency defaults', () => {
    const events: AudioEvent[] = [
      { begin: 0, end: 1.5, label: 'dog', score: 0.91 },
      { begin: 2, end: 2.5, lowFreq: 500, highFreq: 4000, channel: 2 },
    ];
    const text = formatRavenTable(events, { sampleRate: 44100, scoreColumn: 'Confidence' });
    expect(text.split('\n')).toEqual([
      [...RAVEN_CORE_COLUMNS, 'Annotation', 'Confidence'].join('\t'),
      '1\tSpectrogram 1\t1\t0\t1.5\t0\t22050\tdog\t0.91',
      '2\tSpectrogram 1\t2\t2\t2.5\t500\t4000\t\t',
      '',
    ]);
    const back = readRavenTableSync(file(text), { scoreColumn: 'Confidence' });
    expect(back.rows.map(({ begin, end, lowFreq, highFreq, label, score, channel }) => ({ begin, end, lowFreq, highFreq, label, score, channel }))).toEqual([
      { begin: 0, end: 1.5, lowFreq: 0, highFreq: 22050, label: 'dog', score: 0.91, channel: 1 },
      { begin: 2, end: 2.5, lowFreq: 500, highFreq: 4000, label: undefined, score: undefined, channel: 2 },
    ]);
    expect(() => formatRavenTable(events)).toThrow('Expected a number (or the sampleRate option, whose Nyquist frequency is the default) for rows[0].highFreq but received undefined');
    expect(() => formatRavenTable([{ ...events[0]!, extra: { Annotation: 'x' } }], { sampleRate: 8000 })).toThrow(/rows\[0\]\.extra key/);
    expect(() => formatRavenTable([{ begin: 0, end: 1, highFreq: 10, label: 3 as unknown as string }])).toThrow('Expected a string for rows[0].label but received 3');
    expect(() => formatRavenTable([{ begin: -1, end: 1, highFreq: 10 }])).toThrow('Expected a finite number >= 0 for rows[0].begin but received -1');
    expect(() => formatRavenTable([{ begin: 0, end: 1, highFreq: 10, selection: 2 }, { begin: 0, end: 1, highFreq: 10 }])).toThrow(/rows\[1\]\.selection/);
  });

  it('writes CRLF on request and honours a preferred column order', () => {
    const text = formatRavenTable(rows, { lineEnding: 'crlf', columns: ['Begin File', 'Peak Freq (Hz)'] });
    expect(text.split('\r\n')[0]!.split('\t').slice(7, 10)).toEqual(['Begin File', 'Peak Freq (Hz)', 'Annotation']);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '').includes('\n')).toBe(false);
  });

  it('replaces the file atomically and leaves no temporary file', async () => {
    const sub = mkdtempSync(join(dir, 'atomic-'));
    const p = join(sub, 'x.txt');
    writeFileSync(p, 'old');
    writeRavenTableSync(p, rows.slice(0, 1));
    await writeRavenTable(p, rows);
    expect(readdirSync(sub)).toEqual(['x.txt']);
    expect((await readRavenTable(p)).rows).toHaveLength(2);
    // A failed write leaves the old file and no temporary file.
    await expect(writeRavenTable(join(sub, 'no-such-dir', 'y.txt'), rows)).rejects.toMatchObject({ code: 'IO' });
    expect(readdirSync(sub)).toEqual(['x.txt']);
  });

  it('validates rows with the house message shape', () => {
    const base = rows[0]!;
    expect(() => formatRavenTable([{ ...base, selection: 0 }])).toThrow('Expected an integer >= 1 for rows[0].selection but received 0');
    expect(() => formatRavenTable([base, { ...base }])).toThrow(/rows\[1\]\.selection/);
    expect(() => formatRavenTable([{ ...base, end: 0.1 }])).toThrow(/^Expected a finite number >= 0.5 for rows\[0\]\.end but received 0.1$/);
    expect(() => formatRavenTable([{ ...base, extra: { Note: 'a\tb' } }])).toThrow(RangeError);
    expect(() => formatRavenTable([{ ...base, label: 'a\nb' }])).toThrow(RangeError);
    expect(() => formatRavenTable([{ ...base, extra: { 'Low Freq (Hz)': 3 } }])).toThrow(RangeError);
    expect(() => formatRavenTable([{ ...base, measurements: { bogus: 1 } as never }])).toThrow(/rows\[0\]\.measurements key/);
    expect(() => formatRavenTable(rows, { lineEnding: 'cr' as never })).toThrow("Expected one of 'lf' | 'crlf' for lineEnding but received \"cr\"");
    expect(() => formatRavenTable('x' as never)).toThrow(TypeError);
  });

  it('names every measurement column as Raven does', () => {
    expect(Object.values(RAVEN_MEASUREMENT_COLUMNS)).toEqual([
      'Dur 50% (s)', 'Dur 90% (s)', 'Center Freq (Hz)', 'Freq 5% (Hz)', 'Freq 25% (Hz)', 'Freq 75% (Hz)', 'Freq 95% (Hz)',
      'BW 50% (Hz)', 'BW 90% (Hz)', 'Avg Entropy (bits)', 'Agg Entropy (bits)', 'Peak Freq (Hz)',
    ]);
  });
});
