/**
 * A fair hand-written JavaScript log-mel pipeline around fft.js: centre
 * padding, framing, window, fft.js realTransform, power, a sparse mel matrix
 * product (each filter only over its non-zero bins), dB and top_db clamp.
 * Kaldi fbank (config E) follows torchaudio.compliance.kaldi.fbank: snip-edge
 * frames, DC removal, pre-emphasis, povey window, zero padding to 512, power,
 * Kaldi mel banks, natural log floored at FLT_EPSILON.
 * fft.js is radix-4 and only takes power-of-two sizes: make() returns null
 * for a config it cannot do exactly.
 */
import { createRequire } from 'node:module';
import { centerPad, centeredFrames, hannPeriodic, kaldiMelFilters, melFilters, poveyWindow } from './dsp.mjs';

const require = createRequire(import.meta.url);
const FFT = require('fft.js');

const isPow2 = (n) => n >= 2 && (n & (n - 1)) === 0;
const FLT_EPSILON = 1.1920928955078125e-7;

/** Returns { compute(x) -> { data, shape } } or null when fft.js cannot run the config exactly. */
export function make(cfg) {
  if (cfg.kind === 'kaldi') return makeKaldi(cfg);
  if (!isPow2(cfg.nFft) || cfg.winLength !== cfg.nFft) return null;
  const n = cfg.nFft;
  const hop = cfg.hopLength;
  const fft = new FFT(n);
  const win = hannPeriodic(n);
  const fb = melFilters({ sampleRate: cfg.sampleRate, nFft: n, nMels: cfg.nMels, melScale: cfg.melScale, norm: cfg.norm });
  const frame = new Float64Array(n);
  const spec = fft.createComplexArray();
  const power = new Float64Array(n / 2 + 1);
  const nMels = cfg.nMels;
  const topDb = cfg.topDb;

  return {
    compute(x) {
      const padded = centerPad(x, n / 2, cfg.padMode);
      const T = centeredFrames(x.length, hop);
      const out = new Float32Array(nMels * T);
      let maxDb = -Infinity;
      for (let t = 0; t < T; t++) {
        const off = t * hop;
        for (let i = 0; i < n; i++) frame[i] = padded[off + i] * win[i];
        fft.realTransform(spec, frame);
        for (let k = 0; k <= n / 2; k++) {
          const re = spec[2 * k];
          const im = spec[2 * k + 1];
          power[k] = re * re + im * im;
        }
        for (let m = 0; m < nMels; m++) {
          const w = fb.weights[m];
          const s = fb.start[m];
          let acc = 0;
          for (let j = 0; j < w.length; j++) acc += w[j] * power[s + j];
          const db = 10 * Math.log10(acc > 1e-10 ? acc : 1e-10);
          if (db > maxDb) maxDb = db;
          out[m * T + t] = db;
        }
      }
      if (topDb != null) {
        const floor = maxDb - topDb;
        for (let i = 0; i < out.length; i++) if (out[i] < floor) out[i] = floor;
      }
      return { data: out, shape: [nMels, T] };
    },
  };
}

function makeKaldi(cfg) {
  const win = cfg.winLength; // 400
  const hop = cfg.hopLength; // 160
  const n = cfg.nFft; // 512 (Kaldi round_to_power_of_two)
  if (!isPow2(n)) return null;
  const fft = new FFT(n);
  const window = poveyWindow(win);
  const fb = kaldiMelFilters({ sampleRate: cfg.sampleRate, paddedSize: n, nMels: cfg.numMelBins });
  const frame = new Float64Array(n); // tail [win, n) stays zero
  const spec = fft.createComplexArray();
  const power = new Float64Array(n / 2 + 1);
  const nMels = cfg.numMelBins;
  const preemph = 0.97;

  return {
    compute(x) {
      const T = x.length < win ? 0 : 1 + Math.floor((x.length - win) / hop);
      const out = new Float32Array(T * nMels);
      for (let t = 0; t < T; t++) {
        const off = t * hop;
        let mean = 0;
        for (let i = 0; i < win; i++) mean += x[off + i];
        mean /= win;
        // DC removal, then pre-emphasis (first sample against itself), then window.
        let prev = x[off] - mean;
        for (let i = 0; i < win; i++) {
          const v = x[off + i] - mean;
          frame[i] = (v - preemph * prev) * window[i];
          prev = v;
        }
        fft.realTransform(spec, frame);
        for (let k = 0; k <= n / 2; k++) {
          const re = spec[2 * k];
          const im = spec[2 * k + 1];
          power[k] = re * re + im * im;
        }
        const row = t * nMels;
        for (let m = 0; m < nMels; m++) {
          const w = fb.weights[m];
          const s = fb.start[m];
          let acc = 0;
          for (let j = 0; j < w.length; j++) acc += w[j] * power[s + j];
          out[row + m] = Math.log(acc > FLT_EPSILON ? acc : FLT_EPSILON);
        }
      }
      return { data: out, shape: [T, nMels] };
    },
  };
}
