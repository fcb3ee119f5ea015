// SpectralFeatures option and input validation: TypeError/RangeError with the house message shape,
// thrown before any native call.
import { describe, expect, it } from 'vitest';
import { SpectralFeatures, spectralContrast, spectralContrastSync, type SpectralFeaturesOptions } from '../../src/index.js';

const shape = /^Expected .+ for .+ but received .+$/;

describe('SpectralFeatures validation', () => {
  const cases: [string, SpectralFeaturesOptions, typeof TypeError | typeof RangeError, RegExp][] = [
    ['sampleRate type', { sampleRate: '16000' as never }, TypeError, /for sampleRate but received "16000"/],
    ['sampleRate 0', { sampleRate: 0 }, RangeError, /for sampleRate but received 0/],
    ['nFft 1', { nFft: 1 }, RangeError, /an integer between 2 and 1048576 for nFft/],
    ['hopLength 0', { hopLength: 0 }, RangeError, /for hopLength but received 0/],
    ['winLength > nFft', { nFft: 512, winLength: 600 }, RangeError, /between 1 and 512 for winLength but received 600/],
    ['center type', { center: 1 as never }, TypeError, /a boolean for center but received 1/],
    ['frameLength 0', { frameLength: 0 }, RangeError, /for frameLength/],
    ['features type', { features: 'rms' as never }, TypeError, /an array of feature names for features/],
    ['features empty', { features: [] }, RangeError, /at least one feature name for features/],
    ['unknown feature', { features: ['centroid', 'loudness' as never] }, RangeError, /one of .* for features\[1\] but received "loudness"/],
    ['rollPercent 1', { rollPercent: 1 }, RangeError, /> 0 and < 1 for rollPercent but received 1/],
    ['rollPercent 0', { rollPercent: 0 }, RangeError, /for rollPercent but received 0/],
    ['flatnessAmin 0', { flatnessAmin: 0 }, RangeError, /> 0 for flatnessAmin/],
    ['flatnessPower NaN', { flatnessPower: Number.NaN }, RangeError, /for flatnessPower but received NaN/],
    ['contrast type', { contrast: 5 as never }, TypeError, /an options object for contrast/],
    ['contrast.fMin 0', { contrast: { fMin: 0 } }, RangeError, /for contrast.fMin but received 0/],
    ['contrast.nBands 0', { contrast: { nBands: 0 } }, RangeError, /for contrast.nBands but received 0/],
    ['contrast.quantile 1', { contrast: { quantile: 1 } }, RangeError, /for contrast.quantile but received 1/],
    ['contrast.linear type', { contrast: { linear: 'no' as never } }, TypeError, /for contrast.linear/],
    ['contrast.topDb -1', { contrast: { topDb: -1 } }, RangeError, /for contrast.topDb but received -1/],
    ['bands past Nyquist', { sampleRate: 16000, contrast: { nBands: 7 } }, RangeError, /Nyquist .* for contrast.fMin but received 200/],
    ['empty band', { sampleRate: 16000, nFft: 32 }, RangeError, /every band holds bins for contrast.fMin/],
    ['zcrThreshold -1', { zcrThreshold: -1 }, RangeError, /for zcrThreshold but received -1/],
  ];
  it.each(cases)('%s', (_, options, kind, message) => {
    let err: unknown;
    try {
      new SpectralFeatures(options);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(kind);
    expect((err as Error).message).toMatch(shape);
    expect((err as Error).message).toMatch(message);
  });

  it('accepts what librosa accepts', () => {
    expect(new SpectralFeatures({ sampleRate: 16000, nFft: 32, features: ['zcr', 'rms'] }).features).toEqual(['zcr', 'rms']);
    expect(new SpectralFeatures({ contrast: { topDb: null } }).features).toHaveLength(7);
    expect(new SpectralFeatures({ features: ['rms', 'rms', 'centroid'] }).features).toEqual(['centroid', 'rms']);
  });

  it('checks inputs before the native call', () => {
    const sf = new SpectralFeatures({ sampleRate: 16000 });
    expect(() => sf.compute([0, 1] as never)).toThrow(/Expected a Float32Array for samples but received Array\(2\)/);
    expect(() => sf.compute(new Float64Array(4) as never)).toThrow(TypeError);
    expect(() => sf.compute(new Float32Array(4), { threads: 0 })).toThrow(/for threads but received 0/);
    expect(() => sf.computeBatch([new Float32Array(4), null as never])).toThrow(/for inputs\[1\] but received null/);
    const nc = new SpectralFeatures({ sampleRate: 16000, nFft: 512, center: false });
    expect(() => nc.compute(new Float32Array(100))).toThrow(RangeError);
    expect(() => nc.compute(new Float32Array(100))).toThrow(/at least 512 samples .* for samples but received Float32Array\(100\)/);
    expect(nc.compute(new Float32Array(0)).centroid!.shape).toEqual([1, 0]);
    expect(() => sf.numFrames(-1)).toThrow(RangeError);
    expect(() => spectralContrastSync(new Float32Array(10), null as never)).toThrow(/an options object for options/);
  });
});
