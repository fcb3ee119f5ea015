// The dataset doctor on a small corpus with planted problems, made here from the shipped CC recordings
// (assets/demo): an exact duplicate in another container format (float WAV of the same samples), near-duplicates
// (gain −9 dB, resampled to 44.1 kHz, shifted 300 ms, a 2-s cut from inside the speech, through a μ-law codec) placed in
// other splits, unrelated synthetic clips that must not match, an upsampled recording and a full-band one. Then
// label issues and outliers on clustered embeddings with flipped labels and a planted far point; and the CLI.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAudio } from '../../src/audio/load.js';
import { findLabelIssues } from '../../src/doctor/label-issues.js';
import { findOutliers } from '../../src/doctor/outliers.js';
import { runDoctor, type DoctorResult } from '../../src/doctor/run.js';
import { Resample } from '../../src/dsp/resample.js';
import { encodeWav } from '../../src/io/wav-write.js';
import { readTable } from '../../src/io/table.js';
import { clusters } from '../helpers/clusters.js';
import { rng } from '../helpers/reference.js';
import { tempDir } from '../helpers/temp.js';

const assets = join(__dirname, '..', '..', 'assets', 'demo');
const cli = join(__dirname, '..', '..', 'dist', 'cjs', 'cli', 'main.js');

let dir: string;
let result: DoctorResult;
const rows: { path: string; split: string; label: string }[] = [];
/** A G.711 μ-law round trip (8 bits a sample): a telephone codec's loss. */
const mulaw = (v: number) => {
  const y = Math.sign(v) * Math.log1p(255 * Math.min(1, Math.abs(v))) / Math.log1p(255);
  const q = Math.round(y * 127) / 127;
  return (Math.sign(q) * Math.expm1(Math.abs(q) * Math.log1p(255))) / 255;
};
const q16 = (x: Float32Array) => Float32Array.from(x, (v) => Math.max(-32768, Math.min(32767, Math.round(v * 32768))) / 32768);
const write = (name: string, x: Float32Array, rate: number, split: string, label: string, format: 'pcm16' | 'float32' = 'pcm16') => {
  writeFileSync(join(dir, name), encodeWav([x], rate, { format }));
  rows.push({ path: name, split, label });
};

beforeAll(async () => {
  dir = tempDir('doctor');
  const speech = (await loadAudio(join(assets, '198-209-0000.ogg'), { mono: true })).channels[0]!;
  const trumpet = (await loadAudio(join(assets, 'sorohanro_-_solo-trumpet-06.ogg'), { mono: true })).channels[0]!;
  const bird = (await loadAudio(join(assets, '456440__inspectorj__bird-whistling-robin-single-13.ogg'), { mono: true })).channels[0]!;
  const rate = 22050;
  write('speech.wav', q16(speech), rate, 'train', 'speech');
  write('speech-float.wav', q16(speech), rate, 'test', 'speech', 'float32'); // 0: exact, across splits
  write('speech-quiet.wav', q16(speech.map((v) => v * 0.355)), rate, 'test', 'speech'); // -9 dB
  write('speech-shift.wav', q16(speech.subarray(Math.round(0.3 * rate))), rate, 'val', 'speech');
  write('speech-cut.wav', q16(speech.subarray(4 * rate, 6 * rate)), rate, 'train', 'speech'); // same split: no leak from it alone
  write('trumpet.wav', q16(trumpet), rate, 'train', 'music');
  write('trumpet-44k.wav', q16(new Resample({ origFreq: rate, newFreq: 44100 }).compute(trumpet)), 44100, 'test', 'music');
  const r = rng(3);
  write('bird.wav', q16(bird), rate, 'train', 'bird');
  write('bird-mulaw.wav', q16(bird.map(mulaw)), rate, 'val', 'bird'); // through a G.711 codec
  // Unrelated: tones and noise at 22.05 kHz (full band) and noise upsampled from 8 kHz.
  for (let k = 0; k < 4; k++) {
    const f = 300 * (k + 1.37);
    write(`tone${k}.wav`, q16(Float32Array.from({ length: 3 * rate }, (_, i) => 0.3 * Math.sin((2 * Math.PI * f * i) / rate) * (1 + 0.5 * Math.sin((2 * Math.PI * (k + 1) * i) / rate)) + 0.01 * r())), rate, k % 2 ? 'test' : 'train', 'tone');
  }
  write('noise.wav', q16(Float32Array.from({ length: 3 * 48000 }, () => 0.2 * r())), 48000, 'train', 'noise');
  const low = Float32Array.from({ length: 3 * 8000 }, () => 0.2 * r());
  write('noise-upsampled.wav', q16(new Resample({ origFreq: 8000, newFreq: 48000 }).compute(low)), 48000, 'test', 'noise');
  result = await runDoctor({ manifest: rows, root: dir, out: join(dir, 'out'), fix: 'group' });
}, 120_000);

const idx = (name: string) => rows.findIndex((r) => r.path === name);

describe('runDoctor: duplicates and leakage', () => {
  it('groups the exact and near-duplicates as planted, and nothing else', () => {
    const groups = result.duplicates.groups.map((g) => g.rows.map((i) => rows[i]!.path).sort());
    expect(groups).toEqual([
      ['speech-cut.wav', 'speech-float.wav', 'speech-quiet.wav', 'speech-shift.wav', 'speech.wav'],
      ['trumpet-44k.wav', 'trumpet.wav'],
      ['bird-mulaw.wav', 'bird.wav'],
    ]);
    const exact = result.duplicates.pairs.filter((p) => p.exact).map((p) => [rows[p.a]!.path, rows[p.b]!.path]);
    expect(exact).toEqual([['speech.wav', 'speech-float.wav']]);
    expect(result.duplicates.score[idx('speech-float.wav')]).toBe(1);
    // The shift is found at 300 ms (19 frames of 16 ms), the cut at 4 s (250 frames).
    const pair = (a: string, b: string) => result.duplicates.pairs.find((p) => rows[p.a]!.path === a && rows[p.b]!.path === b)!;
    expect(Math.abs(pair('speech.wav', 'speech-shift.wav').offset)).toBe(19);
    expect(Math.abs(pair('speech.wav', 'speech-cut.wav').offset)).toBe(250);
    for (const p of result.duplicates.pairs) expect(p.ber).toBeLessThan(0.25);
    // Evaluation rows: those outside the train split (test and val).
    expect(result.duplicates.leakage).toEqual({ groups: 3, rows: 9, testRows: 5 });
  });

  it('flags the upsampled recording, not the full-band one', () => {
    expect(result.bandLimited.map((i) => rows[i]!.path)).toContain('noise-upsampled.wav');
    expect(result.bandLimited.map((i) => rows[i]!.path)).not.toContain('noise.wav');
    const t = result.table[idx('noise-upsampled.wav')]!;
    expect(t.band_limited).toBe(true);
    expect(Math.abs((t.bandwidth_hz as number) - 4000)).toBeLessThan(250);
  });

  it('writes the manifest copy with its columns, doctor.json, report.md and groups.csv', async () => {
    const copy = await readTable(join(dir, 'out', 'manifest.doctor.parquet'));
    expect(copy.columns).toEqual(['path', 'split', 'label', 'content_hash', 'duplicate_group', 'duplicate_of', 'near_duplicate_score', 'label_issue_score', 'suggested_label', 'outlier_score', 'bandwidth_hz', 'band_limited']);
    const first = copy.rows[idx('speech-quiet.wav')]!;
    expect(first.duplicate_of).toBe('speech.wav');
    expect(first.duplicate_group).toBe(0);
    expect(copy.rows[idx('tone0.wav')]!.duplicate_group).toBeNull();
    const json = JSON.parse(readFileSync(join(dir, 'out', 'doctor.json'), 'utf8'));
    expect(json.duplicates.groups).toHaveLength(3);
    expect(json.duplicates.leakage.groups).toBe(3);
    expect(readFileSync(join(dir, 'out', 'report.md'), 'utf8')).toMatch(/\*\*Leakage: 3 groups span more than one split value/);
    const groups = readFileSync(join(dir, 'out', 'groups.csv'), 'utf8').trim().split('\n');
    expect(groups[0]).toBe('path,doctor_group');
    const g = Object.fromEntries(groups.slice(1).map((l) => l.split(',')));
    expect(g['speech-shift.wav']).toBe(g['speech.wav']);
    expect(g['tone1.wav']).toBe('tone1.wav');
  });
});

describe('runDoctor on awkward manifests', () => {
  it('survives one class, a 5-ms clip and digital silence, and says so', async () => {
    const d = tempDir('doctor-edge');
    const r = rng(9);
    const tone = (f: number) => Float32Array.from({ length: 16000 }, (_, i) => 0.3 * Math.sin((2 * Math.PI * f * i) / 16000) + 0.01 * r());
    writeFileSync(join(d, 'a.wav'), encodeWav([tone(440)], 16000));
    writeFileSync(join(d, 'b.wav'), encodeWav([tone(660)], 16000));
    writeFileSync(join(d, 'c.wav'), encodeWav([tone(880)], 16000));
    writeFileSync(join(d, 'tiny.wav'), encodeWav([new Float32Array(80).fill(0.1)], 16000));
    writeFileSync(join(d, 'silence1.wav'), encodeWav([new Float32Array(16000)], 16000));
    writeFileSync(join(d, 'silence2.wav'), encodeWav([new Float32Array(16000)], 16000));
    const rows = ['a', 'b', 'c', 'tiny', 'silence1', 'silence2'].map((p) => ({ path: `${p}.wav`, label: 'x', split: p === 'silence2' ? 'test' : 'train' }));
    const res = await runDoctor({ manifest: rows, root: d });
    expect(res.duplicates.groups).toEqual([]); // the two silences are not duplicates of each other
    expect(res.labelIssues).toBeNull();
    expect(res.outliers).not.toBeNull();
    expect(res.warnings.join('\n')).toMatch(/holds 1 class/);
    expect(res.warnings.join('\n')).toMatch(/2 rows are digital silence/);
    expect(res.warnings.join('\n')).toMatch(/1 rows have no usable embedding/);
    expect(res.table.find((t) => t.path === 'tiny.wav')!.bandwidth_hz).toBeNull();
    await expect(runDoctor({ manifest: rows, root: d, maxBer: 0.7 })).rejects.toThrow(/maxBer/);
  });
});

describe('findLabelIssues and findOutliers', () => {
  const { x, labels } = clusters(300, 16, 4, 11);
  const flipped = [5, 40, 77, 120, 200, 260];
  const given = labels.map((l, i) => (flipped.includes(i) ? `c${(l + 1) % 4}` : `c${l}`));

  it('ranks flipped labels first and suggests the true class (probe and k-NN)', async () => {
    for (const method of ['probe', 'knn'] as const) {
      const r = await findLabelIssues(x, given, { method });
      expect([...r.ranking.slice(0, flipped.length)].sort((a, b) => a - b), method).toEqual(flipped);
      for (const i of flipped) expect(r.suggested[i], method).toBe(`c${labels[i]}`);
      for (const i of flipped) expect(r.issue[i], method).toBe(1);
      expect(r.perClass.reduce((s, c) => s + c.rows, 0)).toBe(300);
    }
  });

  it('puts a point far from every cluster first', async () => {
    const data = Float32Array.from(x.data);
    for (let j = 0; j < 16; j++) data[33 * 16 + j] = j % 2 ? 4 : -4;
    const r = await findOutliers({ data, shape: [300, 16] }, { k: 5 });
    expect(r.ranking[0]).toBe(33);
    expect(r.score[33]).toBeGreaterThan(2);
  });
});

describe('audiomill doctor', () => {
  it('prints the report and names a column it does not know', () => {
    const manifest = join(dir, 'm.csv');
    writeFileSync(manifest, ['path,split,label', ...rows.map((r) => `${r.path},${r.split},${r.label}`)].join('\n') + '\n');
    const ok = spawnSync(process.execPath, [cli, 'doctor', manifest, '--root', dir, '--out', join(dir, 'cli'), '--label-method', 'knn', '--quiet'], { encoding: 'utf8' });
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^# audiomill doctor: 15 rows/);
    expect(ok.stdout).toContain('3 duplicate groups holding 9 rows');
    expect(readTable(join(dir, 'cli', 'm.doctor.csv'))).resolves.toMatchObject({ columns: expect.arrayContaining(['near_duplicate_score']) });
    const bad = spawnSync(process.execPath, [cli, 'doctor', manifest, '--root', dir, '--label', 'genre'], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/Expected a column of the manifest \(path, split, label\) for --label but received "genre"/);
    const ber = spawnSync(process.execPath, [cli, 'doctor', manifest, '--max-ber', '0.7'], { encoding: 'utf8' });
    expect(ber.status).toBe(1);
    expect(ber.stderr).toMatch(/--max-ber/);
  });
});
