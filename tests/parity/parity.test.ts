// Golden-fixture parity against torchaudio 0.13 (fixtures made by
// tests/parity/make_fixtures.py; tolerances described in fixtures/index.json),
// run at every SIMD level this machine supports.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  AmplitudeToDB,
  capabilities,
  computeDeltas,
  delta,
  KaldiFbank,
  KaldiMfcc,
  LogMelSpectrogram,
  makeWindow,
  MelSpectrogram,
  melscaleFbanks,
  MFCC,
  setSimdLevel,
  Spectrogram,
  type SimdLevel,
  type Tensor,
} from '../../src/index.js';
import { maxAbs, median, relL2 } from '../helpers/metrics.js';
import { readNpy } from '../helpers/npy.js';

interface Case {
  name: string;
  transform: string;
  options: Record<string, unknown>;
  signal: string | null;
  input: string | null;
  expected: string;
  shape: number[];
  tolerance: 'power' | 'mel' | 'db' | 'mfcc' | 'kaldi' | 'delta' | 'fbanks' | 'window';
  toleranceParams?: { topDb?: number; dbPerUnit?: number; frameDepthNats?: number; inputRange?: number };
}

const dir = join(__dirname, 'fixtures');
const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { cases: Case[]; tolerances: Record<string, Record<string, number>> };
const tol = index.tolerances;

function run(c: Case): Tensor {
  const o = c.options as never;
  const signal = () => readNpy(join(dir, c.signal!)).data;
  const input = () => readNpy(join(dir, c.input!)) as Tensor;
  switch (c.transform) {
    case 'Spectrogram': return new Spectrogram(o).compute(signal());
    case 'MelSpectrogram': return new MelSpectrogram(o).compute(signal());
    case 'LogMelSpectrogram': return new LogMelSpectrogram(o).compute(signal());
    case 'MFCC': return new MFCC(o).compute(signal());
    case 'KaldiFbank': return new KaldiFbank(o).compute(signal());
    case 'KaldiMfcc': return new KaldiMfcc(o).compute(signal());
    case 'melscaleFbanks': return melscaleFbanks(o);
    case 'computeDeltas': return computeDeltas(input(), o);
    case 'delta': return delta(input(), o);
    case 'window': {
      const w = c.options as { window: 'hann'; winLength: number; periodic: boolean };
      return { data: makeWindow(w.window, w.winLength, { periodic: w.periodic }), shape: [w.winLength] };
    }
    default: throw new Error(`unknown transform ${c.transform}`);
  }
}

/** Returns a description of every tolerance violated (empty when within tolerance). */
function check(c: Case, actual: Float32Array, expected: Float32Array): string[] {
  const bad: string[] = [];
  const t = tol[c.tolerance]!;
  const p = c.toleranceParams ?? {};
  switch (c.tolerance) {
    case 'power':
    case 'mel': {
      const e = relL2(actual, expected);
      if (!(e <= t.max!)) bad.push(`relL2 ${e}`);
      break;
    }
    case 'db': {
      const unit = p.dbPerUnit ?? 1;
      const peak = expected.reduce((m, v) => Math.max(m, v), -Infinity);
      const floor = peak - (p.topDb ?? 80) / unit;
      const above: number[] = [];
      let nearFloorMax = 0;
      for (let i = 0; i < expected.length; i++) {
        const d = Math.abs(actual[i]! - expected[i]!) * unit;
        if (Number.isNaN(d)) bad.push(`NaN at ${i}`);
        if ((expected[i]! - floor) * unit > 1) above.push(d);
        else nearFloorMax = Math.max(nearFloorMax, d);
      }
      const mx = above.reduce((m, v) => Math.max(m, v), 0);
      if (!(mx <= t.max!)) bad.push(`max dB error ${mx}`);
      const md = median(above);
      if (!(md <= t.median!)) bad.push(`median dB error ${md}`);
      if (!(nearFloorMax <= t.nearFloor!)) bad.push(`near-floor dB error ${nearFloorMax}`);
      break;
    }
    case 'mfcc':
    case 'window': {
      const e = maxAbs(actual, expected);
      if (!(e <= t.max!)) bad.push(`maxAbs ${e}`);
      break;
    }
    case 'kaldi': {
      const cols = c.shape[c.shape.length - 1]!;
      const depth = p.frameDepthNats;
      for (let r = 0; r < expected.length / cols; r++) {
        const row = expected.subarray(r * cols, (r + 1) * cols);
        const rowMax = row.reduce((m, v) => Math.max(m, v), -Infinity);
        for (let k = 0; k < cols; k++) {
          const i = r * cols + k;
          const a = actual[i]!, e = expected[i]!;
          if (depth === undefined || e >= rowMax - depth) {
            if (!(Math.abs(a - e) <= t.max!)) bad.push(`frame ${r} bin ${k}: ${a} vs ${e}`);
          } else if (!(Number.isFinite(a) && a < rowMax - t.deepBelow!)) {
            bad.push(`deep cell frame ${r} bin ${k}: ${a}`);
          }
        }
      }
      break;
    }
    case 'delta': {
      const e = maxAbs(actual, expected);
      if (!(e <= t.max! * (p.inputRange ?? 1))) bad.push(`maxAbs ${e}`);
      break;
    }
    case 'fbanks': {
      const peak = expected.reduce((m, v) => Math.max(m, v), 0);
      for (let i = 0; i < expected.length; i++) {
        if (!(Math.abs(actual[i]! - expected[i]!) <= t.atol! * peak + t.rtol! * Math.abs(expected[i]!))) {
          bad.push(`fbank[${i}] ${actual[i]} vs ${expected[i]}`);
          break;
        }
      }
      break;
    }
  }
  return bad.slice(0, 5);
}

const levels = capabilities().simdLevels as SimdLevel[];
const best = capabilities().simd;
afterAll(() => setSimdLevel(best));

describe.each(levels)('parity with torchaudio at SIMD level %s', (level) => {
  it.each(index.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    setSimdLevel(level);
    const expected = readNpy(join(dir, c.expected));
    const out = run(c);
    expect(out.shape).toEqual(expected.shape);
    expect(check(c, out.data, expected.data)).toEqual([]);
  });
});

// torchaudio's own idiom, AmplitudeToDB(MelSpectrogram(x)), against the same log-mel fixtures
// (they were made that way), with the dB step in the native core.
const dbCases = index.cases.filter((c) => c.transform === 'LogMelSpectrogram' && (c.options as { preset?: string }).preset === undefined);
describe.each(levels)('AmplitudeToDB(MelSpectrogram) parity at SIMD level %s', (level) => {
  it.each(dbCases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    setSimdLevel(level);
    const o = c.options as { stype: 'power' | 'magnitude'; topDb: number; amin: number; ref: number };
    const expected = readNpy(join(dir, c.expected));
    const mel = new MelSpectrogram(c.options as never).compute(readNpy(join(dir, c.signal!)).data);
    const out = new AmplitudeToDB({ stype: o.stype, topDb: o.topDb, amin: o.amin, ref: o.ref }).compute(mel);
    expect(out.shape).toEqual(expected.shape);
    expect(check(c, out.data, expected.data)).toEqual([]);
  });
});
