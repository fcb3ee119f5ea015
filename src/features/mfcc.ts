/** MFCC (torchaudio.transforms.MFCC and librosa.feature.mfcc conventions). */
import type { NativeFeatureConfig } from '../native/binding.js';
import type { Tensor } from '../tensor.js';
import { bool, int, num, oneOf, rangeError, typeError } from '../validate.js';
import { createDct, librosaLifter, scaleColumns } from './dct.js';
import { FeatureTransform } from './engine.js';
import { kaldiPresetConfig, type KaldiPresetOptions } from './kaldi.js';
import { dbLog, isKaldi, melConfig, PRESETS, resolveMel, type MelSpectrogramOptions, type Preset } from './spectrogram.js';

export interface MFCCOptions {
  /** Defaults of 'torchaudio' (16 kHz, 40 coefficients) or 'librosa' (22.05 kHz, 20 coefficients, Slaney mel). */
  preset?: Preset;
  /** Sample rate in Hz (torchaudio 16000, librosa 22050). */
  sampleRate?: number;
  /** Number of coefficients, at most nMels (torchaudio 40, librosa 20). */
  nMfcc?: number;
  /** Only type 2 (DCT-II) is defined, as in torchaudio. */
  dctType?: 2;
  /** 'ortho' (default) or null (unnormalised DCT, scaled by 2). */
  norm?: 'ortho' | null;
  /** false (default): dB of the mel power, clamped to max - topDb; true: ln(mel + 1e-6). */
  logMels?: boolean;
  /** Options of the mel spectrogram (sampleRate comes from the MFCC options). */
  melkwargs?: Omit<MelSpectrogramOptions, 'sampleRate' | 'preset'>;
  /** librosa liftering: c_k *= 1 + (L/2) sin(pi (k+1)/L); 0 = none (default). */
  lifter?: number;
  /** Dynamic range kept before the DCT when logMels is false (default 80, as torchaudio). */
  topDb?: number | null;
}

/** Mel-frequency cepstral coefficients (nMfcc, T). */
export class MFCC extends FeatureTransform {
  readonly options: Readonly<Required<Omit<MFCCOptions, 'melkwargs'>>> & { melkwargs: Readonly<MelSpectrogramOptions> };
  readonly dct: Tensor;
  constructor(options: MFCCOptions = {}) {
    if (isKaldi(options)) {
      const config = kaldiPresetConfig(options as KaldiPresetOptions, 'mfcc');
      super(config);
      this.dct = { data: config.dct!, shape: [config.nMels!, config.nOut!] };
      this.options = Object.freeze({ ...options }) as never;
      return;
    }
    const preset = oneOf(options.preset ?? 'torchaudio', 'preset', PRESETS);
    const librosa = preset === 'librosa';
    const sampleRate = num(options.sampleRate ?? (librosa ? 22050 : 16000), 'sampleRate', { min: 0, exclusiveMin: true });
    const nMfcc = int(options.nMfcc ?? (librosa ? 20 : 40), 'nMfcc', 1);
    const dctType = options.dctType ?? 2;
    if (dctType !== 2) throw (typeof dctType === 'number' ? rangeError : typeError)('2 (only DCT-II is supported)', 'dctType', dctType);
    const norm = oneOf(options.norm === undefined ? 'ortho' : options.norm, 'norm', ['ortho', null] as const);
    const logMels = bool(options.logMels ?? false, 'logMels');
    const lifter = num(options.lifter ?? 0, 'lifter', { min: 0 });
    const topDb = options.topDb === undefined ? 80 : options.topDb === null ? null : num(options.topDb, 'topDb', { min: 0 });
    if (options.melkwargs !== undefined && (options.melkwargs === null || typeof options.melkwargs !== 'object'))
      throw typeError('an options object', 'melkwargs', options.melkwargs);
    const melkwargs = { ...(options.melkwargs ?? {}), preset, sampleRate } as MelSpectrogramOptions;
    const mel = resolveMel(melkwargs);
    if (nMfcc > mel.nMels) throw rangeError(`an integer <= nMels (${mel.nMels})`, 'nMfcc', nMfcc);
    let dct = createDct(nMfcc, mel.nMels, norm);
    if (lifter > 0) dct = scaleColumns(dct, librosaLifter(lifter));
    const { config } = melConfig(mel);
    const log: Partial<NativeFeatureConfig> = logMels
      ? { log: true, logScale: 1, logAdd: 1e-6, logFloor: 0 }
      : { ...dbLog('power', 1e-10, 1), ...(topDb === null ? {} : { topDb }) };
    super({ ...config, ...log, nOut: nMfcc, dct: dct.data });
    this.dct = dct;
    this.options = Object.freeze({ preset, sampleRate, nMfcc, dctType: 2 as const, norm, logMels, lifter, topDb, melkwargs: Object.freeze(melkwargs) });
  }
}
