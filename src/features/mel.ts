/**
 * Mel scales and triangular filterbanks: torchaudio's melscale_fbanks (float32
 * arithmetic reproduced step by step), librosa's filters.mel (float64, rfftfreq
 * bin centres) and Kaldi's mel banks (triangles linear in mel).
 */
import { int, num, oneOf, rangeError, typeError } from '../validate.js';
import type { Tensor } from '../tensor.js';

export type MelScale = 'htk' | 'slaney';
export type MelNorm = 'slaney' | null;

const f32 = Math.fround;
const F_SP = 200 / 3;
const MIN_LOG_HZ = 1000;
const MIN_LOG_MEL = MIN_LOG_HZ / F_SP; // 15
const LOGSTEP = Math.log(6.4) / 27;

export function hzToMel(hz: number, scale: MelScale = 'htk'): number {
  oneOf(scale, 'scale', ['htk', 'slaney'] as const);
  if (scale === 'htk') return 2595 * Math.log10(1 + hz / 700);
  return hz >= MIN_LOG_HZ ? MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOGSTEP : hz / F_SP;
}

export function melToHz(mel: number, scale: MelScale = 'htk'): number {
  oneOf(scale, 'scale', ['htk', 'slaney'] as const);
  if (scale === 'htk') return 700 * (Math.pow(10, mel / 2595) - 1);
  return mel >= MIN_LOG_MEL ? MIN_LOG_HZ * Math.exp(LOGSTEP * (mel - MIN_LOG_MEL)) : F_SP * mel;
}

/** torch.linspace in float32: the first half counts up from start, the rest down from end. */
function linspaceF32(start: number, end: number, steps: number): Float64Array {
  const out = new Float64Array(steps);
  if (steps === 1) {
    out[0] = f32(start);
    return out;
  }
  const s = f32(start), e = f32(end);
  const step = f32((e - s) / (steps - 1));
  const halfway = Math.floor(steps / 2);
  for (let i = 0; i < steps; i++) out[i] = i < halfway ? f32(s + f32(step * i)) : f32(e - f32(step * (steps - i - 1)));
  return out;
}

/** torchaudio's mel_to_hz on a float32 tensor. */
function melToHzF32(mel: number, scale: MelScale): number {
  if (scale === 'htk') return f32(700 * f32(f32(Math.pow(10, f32(mel / 2595))) - 1));
  if (mel >= MIN_LOG_MEL) return f32(MIN_LOG_HZ * f32(Math.exp(f32(f32(LOGSTEP) * f32(mel - MIN_LOG_MEL)))));
  return f32(f32(F_SP) * mel);
}

export interface MelFbankOptions {
  /** Number of frequency bins (n_fft // 2 + 1). */
  nFreqs: number;
  /** Lowest frequency (Hz). */
  fMin: number;
  /** Highest frequency (Hz), at most sampleRate / 2. */
  fMax: number;
  /** Number of mel filters. */
  nMels: number;
  sampleRate: number;
  /** 'slaney' divides each triangle by its width in Hz (area normalisation); null leaves peaks at 1. Default null. */
  norm?: MelNorm;
  /** Default 'htk'. */
  melScale?: MelScale;
  /**
   * Bin centre frequencies: 'linspace' = linspace(0, sampleRate//2, nFreqs) as torchaudio (default),
   * 'rfftfreq' = k * sampleRate / nFft as librosa (computed in float64 like librosa).
   */
  binFrequencies?: 'linspace' | 'rfftfreq';
  /** FFT size behind nFreqs, for 'rfftfreq' bins (default max(1, 2 * (nFreqs - 1)); give it for odd sizes). */
  nFft?: number;
}

function checkFbankOptions(o: MelFbankOptions): Required<MelFbankOptions> {
  if (o === null || typeof o !== 'object') throw typeError('an options object', 'options', o);
  const nFreqs = int(o.nFreqs, 'nFreqs', 1);
  const sampleRate = num(o.sampleRate, 'sampleRate', { min: 0, exclusiveMin: true });
  const fMin = num(o.fMin, 'fMin', { min: 0 });
  const fMax = num(o.fMax, 'fMax', { min: 0, max: sampleRate / 2 });
  if (!(fMax > fMin)) throw rangeError(`a number greater than fMin (${fMin})`, 'fMax', fMax);
  const nMels = int(o.nMels, 'nMels', 1);
  if (nMels > nFreqs) throw rangeError(`at most nFreqs (${nFreqs}) mel filters: more filters than frequency bins cannot all carry energy`, 'nMels', nMels);
  const norm = oneOf(o.norm ?? null, 'norm', ['slaney', null] as const);
  const melScale = oneOf(o.melScale ?? 'htk', 'melScale', ['htk', 'slaney'] as const);
  const binFrequencies = oneOf(o.binFrequencies ?? 'linspace', 'binFrequencies', ['linspace', 'rfftfreq'] as const);
  const nFft = int(o.nFft ?? Math.max(1, 2 * (nFreqs - 1)), 'nFft', 1);
  if (Math.floor(nFft / 2) + 1 !== nFreqs) throw rangeError(`an FFT size with nFft/2 + 1 = nFreqs (${nFreqs})`, 'nFft', nFft);
  return { nFreqs, sampleRate, fMin, fMax, nMels, norm, melScale, binFrequencies, nFft };
}

/**
 * Triangular mel filterbank of shape (nFreqs, nMels), as
 * torchaudio.functional.melscale_fbanks (or librosa.filters.mel transposed
 * with binFrequencies 'rfftfreq'). Throws RangeError when nMels exceeds nFreqs;
 * when some filters are still empty (torchaudio's own defaults, nFft 400 with 128
 * mels, have four) it emits one process warning (code AUDIOMILL_EMPTY_MEL_FILTER),
 * as torchaudio warns.
 */
export function melscaleFbanks(options: MelFbankOptions): Tensor {
  const o = checkFbankOptions(options);
  const { nFreqs, nMels } = o;
  const out = new Float32Array(nFreqs * nMels);
  let freqs: Float64Array;
  let pts: Float64Array;
  if (o.binFrequencies === 'linspace') {
    // torchaudio: everything in float32.
    freqs = linspaceF32(0, Math.floor(o.sampleRate / 2), nFreqs);
    const mPts = linspaceF32(hzToMel(o.fMin, o.melScale), hzToMel(o.fMax, o.melScale), nMels + 2);
    pts = mPts.map((m) => melToHzF32(m, o.melScale));
  } else {
    // librosa: float64 with rfftfreq bins.
    freqs = new Float64Array(nFreqs).map((_, k) => (k * o.sampleRate) / o.nFft);
    const lo = hzToMel(o.fMin, o.melScale), hi = hzToMel(o.fMax, o.melScale);
    pts = new Float64Array(nMels + 2).map((_, i) => melToHz(lo + ((hi - lo) * i) / (nMels + 1), o.melScale));
  }
  const single = o.binFrequencies === 'linspace' ? f32 : (x: number) => x;
  const empty: number[] = [];
  for (let m = 0; m < nMels; m++) {
    const fl = pts[m]!, fc = pts[m + 1]!, fr = pts[m + 2]!;
    const dl = single(fc - fl), dr = single(fr - fc);
    const enorm = o.norm === 'slaney' ? single(2 / single(fr - fl)) : 1;
    let any = false;
    for (let k = 0; k < nFreqs; k++) {
      const f = freqs[k]!;
      const down = single(single(-single(fl - f)) / dl);
      const up = single(single(fr - f) / dr);
      let w = Math.max(0, Math.min(down, up));
      if (o.norm === 'slaney') w = single(w * enorm);
      out[k * nMels + m] = w;
      if (w > 0) any = true;
    }
    if (!any) empty.push(m);
  }
  if (empty.length > 0) warnEmptyFilters(o, empty);
  return { data: out, shape: [nFreqs, nMels] };
}

const warned = new Set<string>();
/** Like torchaudio: empty filters are allowed (torchaudio's own defaults, nFft 400 with 128 mels, have four) but reported once. */
function warnEmptyFilters(o: Required<MelFbankOptions>, empty: number[]): void {
  const key = JSON.stringify(o);
  if (warned.has(key)) return;
  warned.add(key);
  process.emitWarning(
    `${empty.length} of ${o.nMels} mel filters have no non-zero weight (filters ${empty.slice(0, 5).join(', ')}${empty.length > 5 ? ', ...' : ''}) ` +
      `with ${o.nFreqs} frequency bins at ${o.sampleRate} Hz; their outputs are always 0. Lower nMels or raise nFft.`,
    { code: 'AUDIOMILL_EMPTY_MEL_FILTER' },
  );
}

/** Kaldi's mel of a frequency: 1127 ln(1 + f/700). */
export function kaldiMel(hz: number): number {
  return 1127 * Math.log(1 + hz / 700);
}

/**
 * Kaldi mel banks for a padded FFT of `paddedSize`, as
 * torchaudio.compliance.kaldi.get_mel_banks (no VTLN), shaped (bins, numBins)
 * with bins = paddedSize/2 + 1 and a zero Nyquist row.
 */
export function kaldiMelBanks(numBins: number, paddedSize: number, sampleRate: number, lowFreq: number, highFreq: number): Tensor {
  int(numBins, 'numBins', 1);
  int(paddedSize, 'paddedSize', 2);
  if (paddedSize % 2 !== 0) throw rangeError('an even FFT size', 'paddedSize', paddedSize);
  num(sampleRate, 'sampleRate', { min: 0, exclusiveMin: true });
  const nyquist = 0.5 * sampleRate;
  num(lowFreq, 'lowFreq', { min: 0 });
  num(highFreq, 'highFreq', { max: nyquist });
  if (!(lowFreq < nyquist)) throw rangeError(`a frequency below Nyquist (${nyquist} Hz)`, 'lowFreq', lowFreq);
  const high = highFreq <= 0 ? highFreq + nyquist : highFreq;
  if (!(high > lowFreq)) {
    throw rangeError(`a cut-off above lowFreq (${lowFreq} Hz); <= 0 counts back from Nyquist (${nyquist} Hz)`, 'highFreq', highFreq);
  }
  const numFftBins = paddedSize / 2;
  const binWidth = sampleRate / paddedSize;
  const melLow = kaldiMel(lowFreq), melHigh = kaldiMel(high);
  const delta = (melHigh - melLow) / (numBins + 1);
  const bins = numFftBins + 1;
  const out = new Float32Array(bins * numBins);
  for (let b = 0; b < numBins; b++) {
    const left = f32(melLow + b * delta), center = f32(melLow + (b + 1) * delta), right = f32(melLow + (b + 2) * delta);
    for (let k = 0; k < numFftBins; k++) {
      const mel = f32(1127 * f32(Math.log(f32(1 + f32(f32(binWidth * k) / 700)))));
      const up = f32(f32(mel - left) / f32(center - left));
      const down = f32(f32(right - mel) / f32(right - center));
      out[k * numBins + b] = Math.max(0, Math.min(up, down));
    }
  }
  return { data: out, shape: [bins, numBins] };
}
