/**
 * Loads audiomill (the package itself, via its CommonJS build) and builds the
 * transform for a bench config. The addon may be rebuilt while the bench runs:
 * a failed load is retried every 5 s for up to 3 minutes.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export async function loadAudiomill({ attempts = 37, waitMs = 5_000, log = (m) => process.stderr.write(m + '\n') } = {}) {
  let lastErr;
  for (let i = 0; i < attempts; i++) {
    try {
      const am = require('audiomill');
      am.capabilities(); // touches the native addon
      return am;
    } catch (err) {
      lastErr = err;
      for (const key of Object.keys(require.cache)) if (key.includes('/dist/') || key.endsWith('.node')) delete require.cache[key];
      if (i + 1 < attempts) {
        if (i === 0) log(`audiomill failed to load (${err.message.split('\n')[0]}); retrying every ${waitMs / 1000} s`);
        await new Promise((r) => setTimeout(r, waitMs));
      }
    }
  }
  throw lastErr;
}

/** The audiomill transform for a config of bench/configs.json. */
export function makeTransform(am, cfg) {
  if (cfg.kind === 'kaldi') {
    return new am.KaldiFbank({
      sampleFrequency: cfg.sampleRate,
      frameLengthMs: cfg.frameLength,
      frameShiftMs: cfg.frameShift,
      numMelBins: cfg.numMelBins,
    });
  }
  return new am.LogMelSpectrogram({
    sampleRate: cfg.sampleRate,
    nFft: cfg.nFft,
    winLength: cfg.winLength,
    hopLength: cfg.hopLength,
    nMels: cfg.nMels,
    melScale: cfg.melScale,
    norm: cfg.norm,
    padMode: cfg.padMode,
    topDb: cfg.topDb,
  });
}
