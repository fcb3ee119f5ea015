/**
 * Meyda's idiomatic log-mel path: Meyda.extract('melBands', frame) per frame
 * (Meyda windows the frame with its Hann, runs its own FFT, takes the power
 * spectrum, applies its own mel filterbank and returns ln(1 + mel)).
 * Meyda only takes power-of-two buffers and has one fixed filterbank design,
 * so it never matches the torchaudio definition exactly; we frame the same
 * signal ourselves with the config's hop and centre padding, using the
 * config's n_fft when it is a power of two and the next power of two otherwise.
 */
import { createRequire } from 'node:module';
import { centerPad, centeredFrames } from './dsp.mjs';

const require = createRequire(import.meta.url);
const Meyda = require('meyda');

const nextPow2 = (n) => 2 ** Math.ceil(Math.log2(n));

/** What Meyda is asked to do for a config, and how it differs from the reference. */
export function plan(cfg) {
  const want = cfg.kind === 'kaldi' ? cfg.winLength : cfg.nFft;
  const bufferSize = nextPow2(want);
  const nMels = cfg.kind === 'kaldi' ? cfg.numMelBins : cfg.nMels;
  const diffs = ['own mel filterbank, symmetric Hann, ln(1+mel)'];
  if (bufferSize !== want) diffs.unshift(`${bufferSize}-sample frames instead of ${want}`);
  if (cfg.kind === 'kaldi') diffs.push('no DC removal / pre-emphasis / povey window');
  return { bufferSize, nMels, hop: cfg.hopLength, exact: false, note: diffs.join('; ') };
}

export function make(cfg) {
  const p = plan(cfg);
  const n = p.bufferSize;
  return {
    plan: p,
    compute(x) {
      Meyda.bufferSize = n;
      Meyda.sampleRate = cfg.sampleRate;
      Meyda.melBands = p.nMels;
      Meyda.windowingFunction = 'hanning';
      const padded = centerPad(x, n / 2, cfg.padMode ?? 'reflect');
      const T = centeredFrames(x.length, p.hop);
      const out = new Float32Array(p.nMels * T);
      for (let t = 0; t < T; t++) {
        const frame = padded.subarray(t * p.hop, t * p.hop + n);
        const mel = Meyda.extract('melBands', frame);
        for (let m = 0; m < p.nMels; m++) out[m * T + t] = mel[m];
      }
      return { data: out, shape: [p.nMels, T] };
    },
  };
}
