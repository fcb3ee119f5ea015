/**
 * A clip's effective bandwidth: how high its content reaches, from its mean power spectrum at its own sample rate
 * (frames of 2,048 samples, Hann). A recording upsampled from a lower rate (16 kHz audio stored at 44.1 kHz), or
 * low-passed by a lossy codec, has nothing above a cut-off far below its Nyquist frequency, with a steep edge there;
 * a natural recording's spectrum falls gradually into its noise floor.
 *
 * The spectrum in dB is smoothed over 1 % of the bins. The cliff is the steepest fall of the mean level from the 5 %
 * of the band below a frequency to the 5 % above it (searched below 85 % of the Nyquist frequency); the clip is
 * band-limited there when the fall is at least 20 dB, the band below the cliff (25 % of the band) stands at least
 * 30 dB above the mean of everything above it, nothing above it comes back within 20 dB of that band, and what is
 * above it lies 60 dB under the loudest band (near-silence: an upsampler's or a codec's stop band, where a
 * recording, however quiet the scene, has its microphone's noise). A natural spectrum's slope, a tone or a call
 * over a noise floor, or a noise floor itself is no cliff. Otherwise the bandwidth
 * is the highest frequency 20 dB above the median level of the top 5 % of the band (the whole band when none is).
 */
import { Spectrogram } from '../features/spectrogram.js';

export interface Bandwidth {
  /** Highest frequency with content, Hz (0 for a silent clip; null for a clip shorter than one 2,048-sample frame). */
  hz: number | null;
  /** The clip's Nyquist frequency, Hz. */
  nyquist: number;
  /** Content stops at a cliff well below the Nyquist frequency. */
  limited: boolean;
  /** With `limited`: the common sample rate whose Nyquist frequency is nearest the cliff. */
  likelyRate: number | null;
}

const N_FFT = 2048;
/** The cliff: a fall of FALL dB from the SPAN of the band below a frequency to the SPAN above it. */
const SPAN = 0.05, FALL = 20;
const RATES = [8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000, 88200, 96000];

/** The bandwidth of a mean power spectrum `p` (nFft / 2 + 1 bins) at `sampleRate`. */
export function bandwidthOfSpectrum(p: Float64Array, sampleRate: number): Bandwidth {
  const bins = p.length, nyquist = sampleRate / 2;
  const hzOf = (k: number) => (k * sampleRate) / N_FFT;
  let peak = 0;
  for (const v of p) peak = Math.max(peak, v);
  if (!(peak > 1e-14)) return { hz: 0, nyquist, limited: false, likelyRate: null };
  const db = Float64Array.from(p, (v) => 10 * Math.log10(Math.max(v, peak * 1e-16)));
  const w = Math.max(1, Math.round(bins * 0.005));
  const smooth = new Float64Array(bins);
  for (let k = 0; k < bins; k++) {
    let sum = 0, c = 0;
    for (let j = Math.max(0, k - w); j <= Math.min(bins - 1, k + w); j++) (sum += db[j]!), c++;
    smooth[k] = sum / c;
  }
  const prefix = new Float64Array(bins + 1);
  for (let k = 0; k < bins; k++) prefix[k + 1] = prefix[k]! + smooth[k]!;
  const mean = (a: number, b: number) => (prefix[b]! - prefix[a]!) / Math.max(1, b - a);
  // The steepest fall over 5 % of the band, below 85 % of the Nyquist frequency.
  const s = Math.max(2, Math.round(bins * SPAN));
  let cliff = -1, fall = -Infinity;
  for (let k = s; k + s <= bins && k < 0.85 * bins; k++) {
    const d = mean(k - s, k) - mean(k, k + s);
    if (d > fall) (fall = d), (cliff = k);
  }
  if (cliff > 0) {
    const below = mean(Math.max(0, cliff - 5 * s), cliff);
    const above = mean(cliff + s, bins);
    let highest = -Infinity;
    for (let k = cliff + s; k < bins; k++) highest = Math.max(highest, smooth[k]!);
    // A cliff of 20 dB, 30 dB between the band below it and everything above it, and nothing coming back up.
    let top = -Infinity;
    for (const v of smooth) top = Math.max(top, v);
    // ... and near-silence above it: 60 dB under the loudest band (a microphone's noise floor, however quiet the
    // scene, is content; an upsampler's or a codec's stop band is not).
    if (fall >= FALL && below - above >= 30 && highest < below - 20 && top - above >= 60) {
      // The pass band's edge: the highest frequency still within 6 dB of the band below the cliff.
      let edge = cliff;
      for (let k = Math.min(bins - 1, cliff + s); k > Math.max(0, cliff - 5 * s); k--) {
        if (smooth[k]! >= below - 6) {
          edge = k;
          break;
        }
      }
      const hz = hzOf(edge);
      // The original rate: the common rate whose Nyquist frequency is nearest the cliff (a resampler's transition
      // band reaches a little above it; the pass band's edge can fall below it for content that rolls off).
      const at = hzOf(cliff);
      const likelyRate = RATES.reduce((best, r) => (Math.abs(r / 2 - at) < Math.abs(best / 2 - at) ? r : best), RATES[0]!);
      return { hz: Math.round(hz), nyquist, limited: true, likelyRate: likelyRate < sampleRate ? likelyRate : null };
    }
  }
  // No cliff: content as high as 20 dB above the top 5 % of the band's median level, or the whole band.
  const high = Array.from(smooth.subarray(Math.floor(bins * 0.95))).sort((a, b) => a - b);
  const floor = high[Math.floor(high.length / 2)]!;
  let edge = bins - 1;
  for (let k = bins - 1; k >= 0; k--) {
    if (smooth[k]! >= floor + 20) {
      edge = k;
      break;
    }
  }
  return { hz: Math.round(hzOf(edge)), nyquist, limited: false, likelyRate: null };
}

let spec: Spectrogram | null = null;

/** Bandwidths of clips, each at its own rate (the spectra in the native pool). */
export async function bandwidths(clips: readonly { samples: Float32Array; sampleRate: number }[]): Promise<Bandwidth[]> {
  spec ??= new Spectrogram({ nFft: N_FFT, hopLength: N_FFT / 2, power: 2 });
  const usable = clips.map((c) => c.samples.length >= N_FFT);
  const spectra = await spec.computeBatchAsync(clips.filter((_, i) => usable[i]).map((c) => c.samples));
  let k = 0;
  return clips.map((c, i) => {
    if (!usable[i]) return { hz: null, nyquist: c.sampleRate / 2, limited: false, likelyRate: null };
    const s = spectra[k++]!;
    const [bins, frames] = s.shape as [number, number];
    const mean = new Float64Array(bins);
    for (let b = 0; b < bins; b++) {
      let sum = 0;
      for (let f = 0; f < frames; f++) sum += s.data[b * frames + f]!;
      mean[b] = sum / frames;
    }
    return bandwidthOfSpectrum(mean, c.sampleRate);
  });
}
