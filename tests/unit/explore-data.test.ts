// What buildExplorer hands the page, piece by piece: columns typed for filtering, base64 packing, correlations as
// pandas computes them, the statistics matrix, chart ticks and SVG, audio links with media fragments, and a
// geographic map from lat / lon columns.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { linkAudio, urlPath } from '../../src/explore/audio-links.js';
import { buildExplorer } from '../../src/explore/build.js';
import { escapeXml, histogramSvg, ticks } from '../../src/explore/figures.js';
import { correlations, statisticsMatrix, unitOf } from '../../src/explore/overview.js';
import { chooseLabelColumn, dataScript, pack, pageColumn, unpack } from '../../src/explore/page-data.js';
import type { PageData } from '../../src/explore/page-types.js';
import { pearsonr } from '../../src/eval/metrics/correlation.js';
import { tempDir } from '../helpers/temp.js';
import { writeWav } from '../helpers/wav.js';

describe('pageColumn', () => {
  it('types columns: flags, categories (strings and small integer sets), numbers, text', () => {
    const flags = pageColumn('too_quiet', [true, false, null, true]);
    expect(flags.kind).toBe('boolean');
    expect([...(unpack((flags as { data: never }).data) as Uint8Array)]).toEqual([1, 0, 2, 1]);
    const label = pageColumn('label', ['dog', 'cat', 'dog', null]);
    expect(label).toMatchObject({ kind: 'category', values: ['cat', 'dog'] });
    expect([...(unpack((label as { codes: never }).codes) as Int32Array)]).toEqual([1, 0, 1, -1]);
    const fold = pageColumn('fold', [10, 2, 1, 2]);
    expect(fold).toMatchObject({ kind: 'category', values: ['1', '2', '10'] }); // numeric order, not text order
    const rms = pageColumn('rms_db', [-20.5, -30, NaN, -10]);
    expect(rms).toMatchObject({ kind: 'number', min: -30, max: -10 });
    expect([...(unpack((rms as { data: never }).data) as Float64Array)]).toEqual([-20.5, -30, NaN, -10]);
    expect(pageColumn('path', ['a.wav', 'a.wav', 'b.wav']).kind).toBe('text'); // never a category
    expect(pageColumn('note', ['x', 'y', 'z']).kind).toBe('text'); // every value distinct
    expect(pageColumn('n', Array.from({ length: 30 }, (_, i) => i % 25)).kind).toBe('number'); // 25 integers: a range
    expect(pageColumn('rms_db', [-20, -30, -20]).kind).toBe('number'); // a measurement, even with few integer values
    expect(pageColumn('lat', [50, 51, 50]).kind).toBe('number');
    expect(chooseLabelColumn([label, fold])).toBe('label');
    expect(chooseLabelColumn([fold])).toBeNull();
  });

  it('packs typed arrays as base64 of their bytes, and a data script parses back to the value', () => {
    const a = Float32Array.of(1.5, -2, NaN);
    const back = unpack(pack(a)) as Float32Array;
    expect(back).toBeInstanceOf(Float32Array);
    expect([...back]).toEqual([1.5, -2, NaN]);
    const view = new Int32Array(new Int32Array([9, 8, 7, 6]).buffer, 4, 2); // an offset view packs only its bytes
    expect([...(unpack(pack(view)) as Int32Array)]).toEqual([8, 7]);
    const value = { text: 'quote " and </script> and \u2028', n: [1, 2] };
    const script = dataScript('table', value);
    const window = {} as { AUDIOMILL_DATA?: Record<string, unknown> };
    new Function('window', script)(window);
    expect(window.AUDIOMILL_DATA!.table).toEqual(value);
  });
});

describe('overview statistics', () => {
  it('correlations equal Pearson r over pairwise-complete rows (pandas DataFrame.corr)', () => {
    const a = Float64Array.of(1, 2, 3, 4, 5, NaN), b = Float64Array.of(2, 1, 4, 3, 6, 7), c = Float64Array.of(5, 4, 3, 2, 1, 0);
    const r = correlations([a, b, c]);
    expect(r[0]).toBe(1);
    expect(r[1]).toBeCloseTo(pearsonr([1, 2, 3, 4, 5], [2, 1, 4, 3, 6]).statistic, 14);
    expect(r[3]).toBe(r[1]);
    expect(r[5]).toBeCloseTo(pearsonr([2, 1, 4, 3, 6, 7], [5, 4, 3, 2, 1, 0]).statistic, 14);
    expect(r[2]).toBeCloseTo(-1, 14);
  });

  it('standardises the statistic columns over the complete rows, leaving out positions and constants', () => {
    const cols = [pageColumn('rms_db', [1, 2, 3, NaN]), pageColumn('snr_db', [4, 4.5, 7, 1]), pageColumn('start_time', [0.5, 1.5, 2.5, 3.5]), pageColumn('sample_rate', [16000, 16000, 16000, 16000]), pageColumn('duration', [1.25, 1.25, 1.25, 1.25])];
    const s = statisticsMatrix(cols);
    expect(s.names).toEqual(['rms_db', 'snr_db']);
    expect([...s.rows]).toEqual([0, 1, 2]);
    // z of rms_db over rows 0..2: mean 2, population std sqrt(2/3).
    expect(s.z[0]).toBeCloseTo(-1 / Math.sqrt(2 / 3), 14);
    expect(s.z[4]).toBeCloseTo(1 / Math.sqrt(2 / 3), 14);
    expect(unitOf('rms_db')).toBe('rms_db (dB)');
    expect(unitOf('silence_ratio')).toBe('silence_ratio (fraction)');
  });
});

describe('figures', () => {
  it('round ticks, escaped text and one bar per non-empty bin', () => {
    expect(ticks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(ticks(-47, 3, 5)).toEqual([-40, -30, -20, -10, 0]);
    expect(escapeXml('a<b & "c"')).toBe('a&lt;b &amp; &quot;c&quot;');
    const svg = histogramSvg({ title: 'x <y>', values: [1, 1, 2, 3, NaN], bins: 4, xLabel: 'x (dB)' });
    expect(svg).toContain('<title>x &lt;y&gt;</title>');
    expect(svg.match(/<rect [^>]*fill="#3b6ea5"/g)).toHaveLength(3);
  });
});

describe('audio links', () => {
  it('links each row relative to the page, with a media fragment for a span', async () => {
    const out = join('/data', 'site', 'explorer');
    const r = await linkAudio({ out, root: '/data/clips', mode: 'link', rows: [{ path: 'a b/c#1.wav' }, { path: 'x.flac', start_time: 1.5, end_time: 2.25 }, { path: 'y.ogg', start_time: 3, end_time: null }] });
    expect(r.urls).toEqual(['../../clips/a%20b/c%231.wav', '../../clips/x.flac#t=1.5,2.25', '../../clips/y.ogg#t=3']);
    expect(r.files).toEqual(['/data/clips/a b/c#1.wav', '/data/clips/x.flac', '/data/clips/y.ogg']);
    expect(urlPath('a/ü?.wav')).toBe('a/%C3%BC%3F.wav');
  });
});

describe('buildExplorer', () => {
  it('adds a geographic map from lat / lon, and a statistics map, without embeddings or thumbnails', async () => {
    const dir = tempDir('explore-geo');
    const rows = Array.from({ length: 12 }, (_, i) => ({ path: `c${i}.wav`, label: i % 2 ? 'a' : 'b', lat: 50 + i, lon: -3 + i / 2, rms_db: -20 - i, snr_db: 10 + ((i * 7) % 5) }));
    const r = await buildExplorer({ manifest: rows, root: dir, out: join(dir, 'page'), thumbnails: false, audio: 'none' });
    expect(r.maps).toEqual([]);
    const text = readFileSync(join(dir, 'page', 'data', 'maps.js'), 'utf8');
    const maps = JSON.parse(JSON.parse(text.match(/JSON\.parse\((.*)\);/)![1]!)) as NonNullable<PageData['maps']>;
    expect(maps.maps.map((m) => m.name)).toEqual(['stats-pca', 'geo']);
    const geo = maps.maps[1]!;
    expect([...(unpack(geo.y) as Float32Array)]).toEqual(rows.map((x) => x.lat));
    expect([...(unpack(geo.x) as Float32Array)]).toEqual(rows.map((x) => Math.fround(x.lon)));
    expect(geo.xLabel).toBe('longitude (°)');
    expect(readFileSync(join(dir, 'page', 'index.html'), 'utf8')).toMatch(/data\/table\.js[^]*data\/maps\.js[^]*assets\/app\.js/);
  });
});

describe('explorer edge cases (from review)', () => {
  it('ticks a range as narrow as a float\'s last digits without looping', () => {
    expect(ticks(2 ** 30, 2 ** 30 + 2 ** -22, 3)).toEqual([2 ** 30, 2 ** 30 + 2 ** -22]);
    expect(ticks(0, 1e-300, 5).length).toBeLessThanOrEqual(51);
  });

  it('refuses a folder whose explorer.json it did not write, deleting nothing', async () => {
    const dir = tempDir('explore-fake');
    const out = join(dir, 'page');
    mkdirSync(join(out, 'audio'), { recursive: true });
    writeFileSync(join(out, 'explorer.json'), '{"name":"x"}');
    writeFileSync(join(out, 'audio', 'recording.wav'), 'mine');
    await expect(buildExplorer({ manifest: [{ path: 'a.wav' }], root: dir, out, thumbnails: false })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(readFileSync(join(out, 'audio', 'recording.wav'), 'utf8')).toBe('mine');
  });

  it('keeps the previous page whole when a build is stopped, and cleans up after one that finishes', async () => {
    const dir = tempDir('explore-stop');
    for (const name of ['a', 'b', 'c']) writeWav(join(dir, `${name}.wav`), Float32Array.from({ length: 8000 }, (_, i) => 0.3 * Math.sin((i * (name.charCodeAt(0) - 90)) / 10)), 16000);
    const out = join(dir, 'page');
    await buildExplorer({ manifest: [{ path: 'a.wav' }, { path: 'b.wav' }, { path: 'c.wav' }], root: dir, out, audio: 'none' });
    const thumbs = () => readdirSync(join(out, 'thumbs')).sort();
    expect(thumbs()).toHaveLength(3);
    const ac = new AbortController();
    const stopped = buildExplorer({ manifest: [{ path: 'a.wav' }], root: dir, out, audio: 'none', signal: ac.signal, progress: (p) => p.stage === 'thumbnails' && ac.abort() });
    await expect(stopped).rejects.toMatchObject({ code: 'ABORTED' });
    expect(thumbs()).toHaveLength(3); // the previous page's thumbnails are all there
    await buildExplorer({ manifest: [{ path: 'a.wav' }], root: dir, out, audio: 'none' });
    expect(thumbs()).toHaveLength(1);
  });

  it('makes the label a category even when every value is distinct', () => {
    expect(pageColumn('label', ['a', 'b', 'c'], { category: true }).kind).toBe('category');
    expect(chooseLabelColumn([pageColumn('label', ['a', 'b', 'c'])])).toBe('label');
  });

  it('reads a CSV column named __proto__ as a column', async () => {
    const dir = tempDir('csv-proto');
    writeFileSync(join(dir, 't.csv'), 'path,__proto__\na.wav,x\n');
    const { readTable } = await import('../../src/io/table.js');
    const t = await readTable(join(dir, 't.csv'));
    expect(Object.hasOwn(t.rows[0]!, '__proto__')).toBe(true);
    expect(t.rows[0]!['__proto__']).toBe('x');
  });
});
