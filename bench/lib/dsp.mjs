/**
 * Plain-JS reference pieces for the hand-written peer pipelines: windows,
 * centre padding, mel filterbanks (torchaudio HTK / Slaney, Kaldi). Written
 * from the published formulas (torchaudio 0.13 functional.melscale_fbanks,
 * compliance.kaldi.get_mel_banks), independently of audiomill's own code, so
 * the output check compares two implementations.
 */

/** Periodic Hann window (torch.hann_window default). */
export function hannPeriodic(n) {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n);
  return w;
}

/** Kaldi's "povey" window: symmetric Hann to the power 0.85. */
export function poveyWindow(n) {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = Math.pow(0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (n - 1)), 0.85);
  return w;
}

/**
 * Centre padding as torch.stft(center=True): `pad` samples on each side,
 * 'reflect' (edge sample not repeated) or 'constant' (zeros).
 */
export function centerPad(x, pad, mode) {
  const n = x.length;
  const y = new Float32Array(n + 2 * pad);
  y.set(x, pad);
  if (mode === 'reflect') {
    if (n <= pad) throw new Error('signal shorter than the reflect padding');
    for (let i = 1; i <= pad; i++) {
      y[pad - i] = x[i];
      y[pad + n - 1 + i] = x[n - 1 - i];
    }
  } else if (mode !== 'constant') {
    throw new Error(`pad mode ${mode} not implemented here`);
  }
  return y;
}

const htkHzToMel = (f) => 2595 * Math.log10(1 + f / 700);
const htkMelToHz = (m) => 700 * (10 ** (m / 2595) - 1);
const SLANEY_FSP = 200 / 3;
const SLANEY_MIN_LOG_HZ = 1000;
const SLANEY_MIN_LOG_MEL = SLANEY_MIN_LOG_HZ / SLANEY_FSP;
const SLANEY_LOGSTEP = Math.log(6.4) / 27;
const slaneyHzToMel = (f) =>
  f >= SLANEY_MIN_LOG_HZ ? SLANEY_MIN_LOG_MEL + Math.log(f / SLANEY_MIN_LOG_HZ) / SLANEY_LOGSTEP : f / SLANEY_FSP;
const slaneyMelToHz = (m) =>
  m >= SLANEY_MIN_LOG_MEL ? SLANEY_MIN_LOG_HZ * Math.exp(SLANEY_LOGSTEP * (m - SLANEY_MIN_LOG_MEL)) : SLANEY_FSP * m;

/**
 * Sparse triangular mel filterbank in torchaudio's definition (linspace bin
 * frequencies). Returns { nMels, nFreqs, start: Int32Array, end: Int32Array,
 * weights: Float64Array[] } where filter m covers bins [start[m], end[m]).
 */
export function melFilters({ sampleRate, nFft, nMels, fMin = 0, fMax = sampleRate / 2, melScale = 'htk', norm = null }) {
  const nFreqs = Math.floor(nFft / 2) + 1;
  const toMel = melScale === 'slaney' ? slaneyHzToMel : htkHzToMel;
  const toHz = melScale === 'slaney' ? slaneyMelToHz : htkMelToHz;
  const mMin = toMel(fMin);
  const mMax = toMel(fMax);
  const fPts = new Float64Array(nMels + 2);
  for (let i = 0; i < nMels + 2; i++) fPts[i] = toHz(mMin + ((mMax - mMin) * i) / (nMels + 1));
  const freqs = new Float64Array(nFreqs);
  for (let k = 0; k < nFreqs; k++) freqs[k] = ((sampleRate / 2) * k) / (nFreqs - 1);
  return sparsify(nMels, nFreqs, (m, k) => {
    const down = (freqs[k] - fPts[m]) / (fPts[m + 1] - fPts[m]);
    const up = (fPts[m + 2] - freqs[k]) / (fPts[m + 2] - fPts[m + 1]);
    let w = Math.max(0, Math.min(down, up));
    if (norm === 'slaney') w *= 2 / (fPts[m + 2] - fPts[m]);
    return w;
  });
}

/** Kaldi mel banks (torchaudio.compliance.kaldi.get_mel_banks, no VTLN) over paddedSize/2+1 bins. */
export function kaldiMelFilters({ sampleRate, paddedSize, nMels, lowFreq = 20, highFreq = 0 }) {
  const kmel = (f) => 1127 * Math.log(1 + f / 700);
  const nyquist = sampleRate / 2;
  const high = highFreq <= 0 ? nyquist + highFreq : highFreq;
  const nFftBins = paddedSize / 2;
  const binWidth = sampleRate / paddedSize;
  const melLow = kmel(lowFreq);
  const melHigh = kmel(high);
  const delta = (melHigh - melLow) / (nMels + 1);
  return sparsify(nMels, nFftBins + 1, (m, k) => {
    if (k === nFftBins) return 0; // torchaudio pads the Nyquist column with zeros
    const mel = kmel(binWidth * k);
    const left = melLow + m * delta;
    const center = melLow + (m + 1) * delta;
    const right = melLow + (m + 2) * delta;
    const up = (mel - left) / (center - left);
    const down = (right - mel) / (right - center);
    return Math.max(0, Math.min(up, down));
  });
}

function sparsify(nMels, nFreqs, weight) {
  const start = new Int32Array(nMels);
  const end = new Int32Array(nMels);
  const weights = [];
  for (let m = 0; m < nMels; m++) {
    const dense = new Float64Array(nFreqs);
    let lo = -1;
    let hi = -1;
    for (let k = 0; k < nFreqs; k++) {
      dense[k] = weight(m, k);
      if (dense[k] !== 0) {
        if (lo < 0) lo = k;
        hi = k + 1;
      }
    }
    if (lo < 0) lo = hi = 0;
    start[m] = lo;
    end[m] = hi;
    weights.push(dense.slice(lo, hi));
  }
  return { nMels, nFreqs, start, end, weights };
}

/** Number of centred frames torch.stft produces. */
export const centeredFrames = (length, hop) => 1 + Math.floor(length / hop);
