/** The TypeScript shape of the raw addon (native/binding). Internal. */

export interface NativeFeatureConfig {
  frameRule: number;
  frameLength: number;
  fftSize: number;
  hop: number;
  zeroPad?: number;
  padMode: number;
  leftPad: number;
  dropLast?: number;
  winOffset?: number;
  window: Float32Array;
  removeDc?: boolean;
  preemphasis?: number;
  energy?: number;
  logEnergyFloor?: number;
  complex?: boolean;
  power?: number;
  onesided?: boolean;
  nMels?: number;
  fbank?: Float32Array;
  log?: boolean;
  logScale?: number;
  logAdd?: number;
  logFloor?: number;
  logOffset?: number;
  topDb?: number;
  postScale?: number;
  postOffset?: number;
  nOut?: number;
  dct?: Float32Array;
  energyMode?: number;
  moveFirstLast?: boolean;
  movedScale?: number;
  subtractMean?: boolean;
  framesFirst?: boolean;
}

export interface NativeFeaturePlan {
  numFrames(length: number): number;
  outputShape(length: number): number[];
  compute(input: Float32Array, threads?: number, out?: Float32Array): Float32Array;
  computeAsync(input: Float32Array, threads?: number, out?: Float32Array): Promise<Float32Array>;
  computeBatch(inputs: Float32Array[], threads: number | undefined, async: true): Promise<Float32Array[]>;
  computeBatch(inputs: Float32Array[], threads: number | undefined, async: false): Float32Array[];
}

/** One options object for the native decibel conversion (features/db.h). */
export interface NativeAmplitudeToDBOptions {
  input: Float32Array;
  /** Written in place of a new array: the input's length; the input itself converts in place. */
  out?: Float32Array;
  stype: 'power' | 'magnitude';
  amin: number;
  ref: number;
  /** Omitted or null: no clamp. */
  topDb?: number | null;
  /** The input splits into this many equal parts, each clamped to its own max - topDb. */
  groups: number;
  threads?: number;
  async?: boolean;
}

export interface NativeWavInfo {
  sampleRate: number;
  channels: number;
  encoding: number;
  subtype: string;
  bitsPerSample: number;
  blockAlign: number;
  channelMask: number;
  rf64: boolean;
  extensible: boolean;
  truncated: boolean;
  dataOffset: number;
  numFrames: number;
  fileSize: number;
}

/** 0: every channel, 1: the mean of the channels, 2: one channel. */
export type NativeChannelMix = 0 | 1 | 2;

export interface NativeWavFile {
  info(): NativeWavInfo;
  read(start: number, count: number, mix: NativeChannelMix, channel: number, async: true, out?: Float32Array[], resampler?: NativeResampler): Promise<Float32Array[]>;
  read(start: number, count: number, mix: NativeChannelMix, channel: number, async: false, out?: Float32Array[], resampler?: NativeResampler): Float32Array[];
  close(): void;
}

export interface NativeResampleConfig {
  origFreq: number;
  newFreq: number;
  lowpassFilterWidth: number;
  rolloff: number;
  /** 0 hann, 1 kaiser */
  window: number;
  beta: number;
}

export interface NativeResampler {
  info(): { orig: number; new: number; width: number };
  outputLength(length: number): number;
  process(x: Float32Array, threads: number | undefined, async: true): Promise<Float32Array>;
  process(x: Float32Array, threads: number | undefined, async: false): Float32Array;
  processBatch(xs: Float32Array[], threads: number | undefined, async: true): Promise<Float32Array[]>;
  processBatch(xs: Float32Array[], threads: number | undefined, async: false): Float32Array[];
}

export interface NativeResampleStream {
  push(x: Float32Array): Float32Array;
  finish(): Float32Array;
  reset(): void;
}

export interface NativeAcousticStatsConfig {
  nFft?: number;
  hop?: number;
  amin?: number;
  clipThreshold?: number;
  silenceThresholdDb?: number;
  energyFloorDb?: number;
  snrFraction?: number;
  zcrThreshold?: number;
  rolloffPercent?: number;
  flatnessAmin?: number;
  flatnessPower?: number;
}

export interface NativeAcousticStats {
  duration: number;
  rms_db: number;
  peak_db: number;
  crest_factor_db: number;
  dc_offset: number;
  clip_ratio: number;
  silence_ratio: number;
  zero_crossing_rate: number;
  snr_db: number;
  energy_variance: number;
  spectral_centroid: number;
  spectral_bandwidth: number;
  spectral_rolloff: number;
  spectral_flatness: number;
  frames: number;
  non_finite: number;
}

export interface NativeAcousticStatsPlan {
  compute(xs: Float32Array[], sampleRates: number[], threads: number | undefined, async: true): Promise<NativeAcousticStats[]>;
  compute(xs: Float32Array[], sampleRates: number[], threads: number | undefined, async: false): NativeAcousticStats[];
}

export interface NativeSpectralConfig {
  sampleRate: number;
  nFft: number;
  hop: number;
  winLength: number;
  center: boolean;
  frameLength: number;
  /** bits: 1 centroid, 2 bandwidth, 4 rolloff, 8 flatness, 16 contrast, 32 zcr, 64 rms */
  features: number;
  rollPercent: number;
  flatnessAmin: number;
  flatnessPower: number;
  contrastFmin: number;
  contrastBands: number;
  contrastQuantile: number;
  contrastLinear: boolean;
  /** < 0: no clamp */
  contrastTopDb: number;
  zcrThreshold: number;
}

export interface NativeSpectralResult {
  frames: number;
  timeFrames: number;
  centroid?: Float32Array;
  bandwidth?: Float32Array;
  rolloff?: Float32Array;
  flatness?: Float32Array;
  contrast?: Float32Array;
  zcr?: Float32Array;
  rms?: Float32Array;
}

export interface NativeSpectralPlan {
  compute(xs: Float32Array[], threads: number | undefined, async: true): Promise<NativeSpectralResult[]>;
  compute(xs: Float32Array[], threads: number | undefined, async: false): NativeSpectralResult[];
}

export interface NativeCapabilities {
  simd: string;
  simdDetected: string;
  simdLevels: string[];
  matrix: string;
  matrixCap: string;
  matrixDetected: string;
  matrixUnits: string[];
  threads: number;
  cuda: boolean;
}

export interface NativeBinding {
  capabilities(): NativeCapabilities;
  setNumThreads(n: number): void;
  getNumThreads(): number;
  setSimdLevel(level: string): boolean;
  rfft(x: Float32Array): Float32Array;
  irfft(spectrum: Float32Array, n: number): Float32Array;
  fft(x: Float32Array, inverse: boolean): Float32Array;
  computeDeltas(x: Float32Array, rows: number, frames: number, winLength: number): Float32Array;
  savgolDelta(x: Float32Array, rows: number, frames: number, width: number, order: number): Float32Array;
  amplitudeToDB(options: NativeAmplitudeToDBOptions & { async: true }): Promise<Float32Array>;
  amplitudeToDB(options: NativeAmplitudeToDBOptions & { async?: false }): Float32Array;
  FeaturePlan: new (config: NativeFeatureConfig) => NativeFeaturePlan;
  WavFile: new (source: string | Uint8Array) => NativeWavFile;
  Resampler: new (config: NativeResampleConfig) => NativeResampler;
  ResampleStream: new (resampler: NativeResampler) => NativeResampleStream;
  AcousticStatsPlan: new (config: NativeAcousticStatsConfig) => NativeAcousticStatsPlan;
  SpectralPlan: new (config: NativeSpectralConfig) => NativeSpectralPlan;
  ravenMeasurements(x: Float32Array, sampleRate: number, boxes: Float64Array, config: { windowSize: number; fftSize: number; hop: number; window: number }, threads: number | undefined, async: true): Promise<Float64Array>;
  ravenMeasurements(x: Float32Array, sampleRate: number, boxes: Float64Array, config: { windowSize: number; fftSize: number; hop: number; window: number }, threads: number | undefined, async: false): Float64Array;
  /** metric 0: inner product, 1: squared L2. ids are rows (-1 padding), scores NaN where padded. */
  /** storage: 0 f32 (Float32Array rows), 1 bf16 / 2 f16 (Uint16Array), 3 i8 (Int8Array codes + rowScales). */
  flatSearch(rows: Float32Array | Uint16Array | Int8Array, n: number, dim: number, rowNorms: Float32Array | undefined, queries: Float32Array, nq: number, k: number, metric: 0 | 1, allow: Uint8Array | undefined, exclude: Float64Array | undefined, threads: number | undefined, async: true, storage: number, rowScales: Float32Array | undefined, exactRows?: Float32Array, kOut?: number): Promise<NativeSearchResult>;
  flatSearch(rows: Float32Array | Uint16Array | Int8Array, n: number, dim: number, rowNorms: Float32Array | undefined, queries: Float32Array, nq: number, k: number, metric: 0 | 1, allow: Uint8Array | undefined, exclude: Float64Array | undefined, threads: number | undefined, async: false, storage: number, rowScales: Float32Array | undefined, exactRows?: Float32Array, kOut?: number): NativeSearchResult;
  flatRangeSearch(rows: Float32Array | Uint16Array | Int8Array, n: number, dim: number, rowNorms: Float32Array | undefined, queries: Float32Array, nq: number, threshold: number, metric: 0 | 1, allow: Uint8Array | undefined, exclude: Float64Array | undefined, threads: number | undefined, async: true, storage: number, rowScales: Float32Array | undefined): Promise<NativeRangeResult>;
  firstNonFiniteRow(x: Float32Array, n: number, dim: number): number;
  /** flags: 1 normalise, 4 squared norms of the stored rows, storage code << 8. */
  prepareRows(x: Float32Array, n: number, dim: number, flags: number, async: true): Promise<NativePreparedRows>;
  prepareRows(x: Float32Array, n: number, dim: number, flags: number, async: false): NativePreparedRows;
  storedRowNorms(rows: Float32Array | Uint16Array | Int8Array, n: number, dim: number, storage: number, rowScales: Float32Array | undefined): Float32Array;
  setMatrixUnit(unit: string): boolean;
  /** The file's bytes, memory-mapped where the OS allows (unmapped when collected). */
  mapFile(path: string): ArrayBuffer;
}

export interface NativePreparedRows {
  nonFinite: number;
  zero: number;
  /** f16: the first row too large for binary16, or -1. */
  overflow: number;
  codes?: Uint16Array | Int8Array;
  scales?: Float32Array;
  norms?: Float32Array;
}

export interface NativeRangeResult {
  lims: Float64Array;
  ids: Int32Array;
  scores: Float32Array;
}

export interface NativeSearchResult {
  scores: Float32Array;
  ids: Int32Array;
}
