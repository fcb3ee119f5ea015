// `audiomill eval detect` and evaluateDetections: folders of Raven selection tables (truth, and two detection
// layers) matched tape by tape; overall and per-tape CSV with a layer column; tapes on one side only; and the errors
// a user meets first (a missing folder, an empty one, an unknown layer, a bad IoU).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateDetections } from '../../src/events/evaluate-detections.js';
import { writeRavenTable } from '../../src/io/raven-table.js';
import { tempDir } from '../helpers/temp.js';

const cli = (args: string[]) => spawnSync(process.execPath, [join(__dirname, '../../dist/cjs/cli/main.js'), ...args], { encoding: 'utf8' });

/** truth/: tapes a and b; cnn/: a (2 hits, 1 extra), b (nothing), c (no truth: 1 extra); rf/: a (2 hits), b (1 hit). */
async function corpus() {
  const dir = tempDir('eval-detect');
  for (const d of ['truth', 'cnn', 'rf']) mkdirSync(join(dir, d));
  const ev = (begin: number, end: number, label = 'call') => ({ begin, end, lowFreq: 1000, highFreq: 4000, label });
  await writeRavenTable(join(dir, 'truth', 'a.Table.1.selections.txt'), [ev(1, 2), ev(5, 6), ev(9, 9.5)]);
  await writeRavenTable(join(dir, 'truth', 'b.Table.1.selections.txt'), [ev(3, 4)]);
  await writeRavenTable(join(dir, 'cnn', 'a.Table.1.selections.txt'), [ev(1.1, 2), ev(5, 6.2), ev(20, 21)]);
  await writeRavenTable(join(dir, 'cnn', 'b.Table.1.selections.txt'), []);
  await writeRavenTable(join(dir, 'cnn', 'c.selections.txt'), [ev(1, 2)]);
  await writeRavenTable(join(dir, 'rf', 'a.txt'), [ev(1.1, 2), ev(5, 6.2)]);
  await writeRavenTable(join(dir, 'rf', 'b.txt'), [ev(3, 4)]);
  return dir;
}

describe('audiomill eval detect', () => {
  it('writes overall and per-tape CSV with a layer column, and prints a table', async () => {
    const dir = await corpus();
    const p = cli(['eval', 'detect', '--truth', join(dir, 'truth'), '--pred', join(dir, 'cnn'), '--pred', join(dir, 'rf'), '--layer', 'both', '--iou', '0.4', '--out', join(dir, 'metrics.csv'), '--per-tape-out', join(dir, 'metrics_per_tape.csv')]);
    expect(p.stderr).toContain('cnn: 1 tape(s) without a truth table (their detections count as false positives): c');
    expect(p.status).toBe(0);
    expect(p.stdout).toContain('| cnn | 3 | 2 | 2 | 2 |');
    expect(p.stdout).toContain('| rf | 2 | 3 | 0 | 1 |');
    const overall = readFileSync(join(dir, 'metrics.csv'), 'utf8').trim().split('\n');
    expect(overall[0]).toBe('layer,iou,tapes,tp,fp,fn,precision,recall,f1');
    expect(overall[1]).toBe('cnn,0.4,3,2,2,2,0.5,0.5,0.5');
    expect(overall[2]).toBe('rf,0.4,2,3,0,1,1,0.75,0.8571428571428571');
    const tapes = readFileSync(join(dir, 'metrics_per_tape.csv'), 'utf8').trim().split('\n');
    expect(tapes).toEqual([
      'layer,tape,truth_events,pred_events,tp,fp,fn,precision,recall,f1',
      'cnn,a,3,3,2,1,1,0.6666666666666666,0.6666666666666666,0.6666666666666666',
      'cnn,b,1,0,0,0,1,0,0,0',
      'cnn,c,0,1,0,1,0,0,0,0',
      'rf,a,3,2,2,0,1,1,0.6666666666666666,0.8',
      'rf,b,1,1,1,0,0,1,1,1',
    ]);
    // One layer by name; the API gives the same rows.
    const one = cli(['eval', 'detect', '--truth', join(dir, 'truth'), '--pred', join(dir, 'cnn'), '--pred', join(dir, 'rf'), '--layer', 'rf', '--quiet']);
    expect(one.status).toBe(0);
    expect(one.stdout).toBe('');
    const api = await evaluateDetections({ truth: join(dir, 'truth'), pred: [join(dir, 'rf')] });
    expect(api.overall).toEqual([{ layer: 'rf', iou: 0.4, tapes: 2, tp: 3, fp: 0, fn: 1, precision: 1, recall: 0.75, f1: 6 / 7 }]);
    expect(api.files).toEqual([]);
    // Two runs' folders of one name: name=dir names the layers; unnamed, they are refused.
    mkdirSync(join(dir, 'run2'));
    await writeRavenTable(join(dir, 'run2', 'a.txt'), []);
    const named = cli(['eval', 'detect', '--truth', join(dir, 'truth'), '--pred', `first=${join(dir, 'rf')}`, '--pred', `second=${join(dir, 'run2')}`, '--layer', 'second', '--out', join(dir, 'named.csv'), '--quiet']);
    expect(named.status).toBe(0);
    expect(readFileSync(join(dir, 'named.csv'), 'utf8').split('\n')[1]).toBe('second,0.4,2,0,0,4,0,0,0');
    const same = cli(['eval', 'detect', '--truth', join(dir, 'truth'), '--pred', join(dir, 'rf'), '--pred', `${join(dir, 'rf')}/`]);
    expect(same.status).toBe(1);
    expect(same.stderr).toMatch(/"rf" twice .*--pred name=dir/);
  });

  it('names the flag or the folder in its errors', async () => {
    const dir = await corpus();
    const missing = cli(['eval', 'detect', '--truth', join(dir, 'nope'), '--pred', join(dir, 'cnn')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain(join(dir, 'nope'));
    mkdirSync(join(dir, 'empty'));
    const empty = cli(['eval', 'detect', '--truth', join(dir, 'truth'), '--pred', join(dir, 'empty')]);
    expect(empty.status).toBe(1);
    expect(empty.stderr).toMatch(/No Raven selection tables/);
    const layer = cli(['eval', 'detect', '--truth', join(dir, 'truth'), '--pred', join(dir, 'cnn'), '--layer', 'svm']);
    expect(layer.status).toBe(1);
    expect(layer.stderr).toMatch(/--layer/);
    const iou = cli(['eval', 'detect', '--truth', join(dir, 'truth'), '--pred', join(dir, 'cnn'), '--iou', '1.5']);
    expect(iou.status).toBe(1);
    expect(iou.stderr).toMatch(/--iou/);
    writeFileSync(join(dir, 'truth', 'a.txt'), 'not a table');
    const twice = cli(['eval', 'detect', '--truth', join(dir, 'truth'), '--pred', join(dir, 'cnn')]);
    expect(twice.status).toBe(1);
    expect(twice.stderr).toMatch(/Two tables for tape a/);
  });
});
