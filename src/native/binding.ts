/** The TypeScript shape of the raw addon (native/binding). Internal. */

/** dsp/feature_plan.h FrameRule: how frames are laid out (torchaudio with or without centring, Kaldi's snip_edges). */
export type NativeFrameRule = 'torchCenter' | 'torchNoCenter' | 'kaldiSnip' | 'kaldiNoSnip';
/** dsp/feature_plan.h PadMode (torch.nn.functional.pad's names). */
export type NativePadMode = 'constant' | 'reflect' | 'replicate' | 'circular' | 'symmetric';
/** dsp/feature_plan.h EnergyPoint: where Kaldi's log energy is taken. */
export type NativeEnergyPoint = 'none' | 'raw' | 'windowed';
/** dsp/feature_plan.h EnergyColumn: what the energy does in the output. */
export type NativeEnergyColumn = 'none' | 'prepend' | 'replaceFirst';

export interface NativeFeatureConfig {
  frameRule: NativeFrameRule;
  frameLength: number;
  nFft: number;
  hopLength: number;
  zeroPad?: number;
  padMode: NativePadMode;
  leftPad: number;
  dropLast?: number;
  winOffset?: number;
  window: Float32Array;
  removeDc?: boolean;
  preemphasis?: number;
  energy?: NativeEnergyPoint;
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
  energyColumn?: NativeEnergyColumn;
  moveFirstLast?: boolean;
  movedScale?: number;
  subtractMean?: boolean;
  framesFirst?: boolean;
}

export interface NativeFeaturePlan {
  numFrames(length: number): number;
  outputShape(length: number): number[];
  compute(input: Float32Array, options: NativeThreads & { out?: Float32Array }, async: true): Promise<Float32Array>;
  compute(input: Float32Array, options: NativeThreads & { out?: Float32Array }, async: false): Float32Array;
  computeBatch(inputs: Float32Array[], options: NativeThreads, async: true): Promise<Float32Array[]>;
  computeBatch(inputs: Float32Array[], options: NativeThreads, async: false): Float32Array[];
  /** Each clip's output pooled over its frames (features/pooling.h): n rows, only those reach JS. */
  computePooled(inputs: Float32Array[], options: NativeThreads & NativePoolOptions, async: true): Promise<Float32Array>;
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
}

export interface NativeWavInfo {
  sampleRate: number;
  channels: number;
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

/** audio/wav.h ChannelMix: every channel, the mean of the channels, or one channel. */
export type NativeChannelMix = 'all' | 'mean' | 'one';

export interface NativeWavRead {
  /** First frame and number of frames. */
  start: number;
  count: number;
  mix: NativeChannelMix;
  /** mix 'one': the channel, 0-based. */
  channel?: number;
  /** Arrays to write into, one per output channel. */
  out?: Float32Array[];
  /** Resample the frames on the way. */
  resampler?: NativeResampler;
}

/** A method's options: threads 0 or undefined means the global cap. */
export interface NativeThreads {
  threads?: number;
}

/** The kernel options of a Resampler, without the rates. */
export interface NativeResampleKernel {
  lowpassFilterWidth: number;
  rolloff: number;
  window: 'hann' | 'kaiser';
  beta: number;
}

export interface NativeWavStatsFiles extends NativeThreads {
  plan: NativeAcousticStatsPlan;
  /** Resample each file to this rate with this kernel (default: each file's own rate). */
  sampleRate?: number;
  resample?: NativeResampleKernel;
}

/** One file of wavStatsFiles: its header facts, the samples the statistics saw (at their rate), and the statistics. */
export interface NativeWavFileStats {
  sampleRate: number;
  channels: number;
  subtype: string;
  truncated: boolean;
  frames: number;
  stats: NativeAcousticStats;
}

export interface NativeWavFile {
  info(): NativeWavInfo;
  read(args: NativeWavRead, async: true): Promise<Float32Array[]>;
  read(args: NativeWavRead, async: false): Float32Array[];
  close(): void;
}

export interface NativeResampleConfig {
  origFreq: number;
  newFreq: number;
  lowpassFilterWidth: number;
  rolloff: number;
  /** dsp/resample.h ResampleWindow. */
  window: 'hann' | 'kaiser';
  beta: number;
}

export interface NativeResampler {
  info(): { orig: number; new: number; width: number };
  outputLength(length: number): number;
  process(x: Float32Array, options: NativeThreads, async: true): Promise<Float32Array>;
  process(x: Float32Array, options: NativeThreads, async: false): Float32Array;
  processBatch(xs: Float32Array[], options: NativeThreads, async: true): Promise<Float32Array[]>;
  processBatch(xs: Float32Array[], options: NativeThreads, async: false): Float32Array[];
}

export interface NativeResampleStream {
  push(x: Float32Array): Float32Array;
  finish(): Float32Array;
  reset(): void;
}

export interface NativeAcousticStatsConfig {
  nFft?: number;
  hopLength?: number;
  amin?: number;
  clipThreshold?: number;
  silenceThresholdDb?: number;
  energyFloorDb?: number;
  snrFraction?: number;
  zcrThreshold?: number;
  rollPercent?: number;
  flatnessAmin?: number;
  flatnessPower?: number;
  spectral?: boolean;
}

export interface NativeAcousticStats {
  duration: number;
  rms_db: number;
  rms_ac_db: number;
  peak_db: number;
  crest_factor_db: number;
  dc_offset: number;
  clip_ratio: number;
  silence_ratio: number;
  zero_crossing_rate: number;
  snr_db: number;
  energy_variance: number;
  /** The spectral means: absent when the plan was built with spectral: false. */
  spectral_centroid?: number;
  spectral_bandwidth?: number;
  spectral_rolloff?: number;
  spectral_flatness?: number;
  frames: number;
  non_finite: number;
}

export interface NativeAcousticStatsPlan {
  compute(xs: Float32Array[], options: NativeThreads & { sampleRates: number[] }, async: true): Promise<NativeAcousticStats[]>;
  compute(xs: Float32Array[], options: NativeThreads & { sampleRates: number[] }, async: false): NativeAcousticStats[];
}

export interface NativeSpectralConfig {
  sampleRate: number;
  nFft: number;
  hopLength: number;
  winLength: number;
  center: boolean;
  frameLength: number;
  features: NativeSpectralFeature[];
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

/** features/spectral.h: the features a SpectralPlan computes. */
export type NativeSpectralFeature = 'centroid' | 'bandwidth' | 'rolloff' | 'flatness' | 'contrast' | 'zcr' | 'rms';

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
  compute(xs: Float32Array[], options: NativeThreads, async: true): Promise<NativeSpectralResult[]>;
  compute(xs: Float32Array[], options: NativeThreads, async: false): NativeSpectralResult[];
}

export interface NativeRavenArgs extends NativeThreads {
  x: Float32Array;
  sampleRate: number;
  boxes: Float64Array;
  winLength: number;
  nFft: number;
  hopLength: number;
  /** features/raven.h RavenWindow. */
  window: 'hann' | 'hamming' | 'blackman' | 'rectangular';
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
  computeDeltas(args: { x: Float32Array; rows: number; frames: number; winLength: number }): Float32Array;
  savgolDelta(args: { x: Float32Array; rows: number; frames: number; width: number; order: number }): Float32Array;
  amplitudeToDB(args: NativeAmplitudeToDBOptions, async: true): Promise<Float32Array>;
  amplitudeToDB(args: NativeAmplitudeToDBOptions, async: false): Float32Array;
  FeaturePlan: new (config: NativeFeatureConfig) => NativeFeaturePlan;
  WavFile: new (source: string | Uint8Array) => NativeWavFile;
  Resampler: new (config: NativeResampleConfig) => NativeResampler;
  ResampleStream: new (resampler: NativeResampler) => NativeResampleStream;
  AcousticStatsPlan: new (config: NativeAcousticStatsConfig) => NativeAcousticStatsPlan;
  SpectralPlan: new (config: NativeSpectralConfig) => NativeSpectralPlan;
  /** 17 values per selection (features/raven.h); boxes: [begin s, end s, low Hz, high Hz] per selection. */
  ravenMeasurements(args: NativeRavenArgs, async: true): Promise<Float64Array>;
  ravenMeasurements(args: NativeRavenArgs, async: false): Float64Array;
  /** ids are rows (-1 padding), scores NaN where padded. */
  flatSearch(args: NativeTopKArgs, async: true): Promise<NativeSearchResult>;
  flatSearch(args: NativeTopKArgs, async: false): NativeSearchResult;
  flatRangeSearch(args: NativeRangeArgs, async: true): Promise<NativeRangeResult>;
  flatRangeSearch(args: NativeRangeArgs, async: false): NativeRangeResult;
  firstNonFiniteRow(args: NativeRows): number;
  prepareRows(args: NativePrepareArgs, async: true): Promise<NativePreparedRows>;
  prepareRows(args: NativePrepareArgs, async: false): NativePreparedRows;
  storedRowNorms(args: NativeStoredRows): Float32Array;
  setMatrixUnit(unit: string): boolean;
  /** The file's bytes, memory-mapped where the OS allows (unmapped when collected). */
  mapFile(path: string): ArrayBuffer;
  /**
   * WAV files opened, read, mixed to mono, resampled and their acoustic statistics computed on worker threads
   * (the samples stay native); null for a file the WAV reader does not take.
   */
  wavStatsFiles(paths: string[], options: NativeWavStatsFiles, async: true): Promise<(NativeWavFileStats | null)[]>;
  /** WAV files read, resampled, their features computed and pooled natively: one row per file, ok[i] 0 where the reader did not take it. */
  wavPooledFeatures(
    paths: string[],
    options: NativeThreads & NativePoolOptions & { plan: NativeFeaturePlan; sampleRate?: number; resample?: NativeResampleKernel },
    async: true,
  ): Promise<{ data: Float32Array; ok: Uint8Array }>;
  /**
   * stat(2) of many paths in one task: 3 numbers a path, [kind, size, floor(mtimeMs)]; kind 1 file, 2 folder,
   * 3 other, 0 missing (ENOENT / ENOTDIR), -1 another failure (ask fs.stat for the error).
   */
  statFiles(paths: string[], async: true): Promise<Float64Array>;
  /** Frame embeddings (clip i: a whole number of rows of `dim` floats) pooled per clip: n rows of dim (2·dim for mean+std). */
  poolFrames(xs: Float32Array[], options: NativeThreads & NativePoolOptions & { dim: number; featuresMajor: boolean }, async: true): Promise<Float32Array>;
  poolFrames(xs: Float32Array[], options: NativeThreads & NativePoolOptions & { dim: number; featuresMajor: boolean }, async: false): Float32Array;
  /** c (m x n) = a (m x k) · bᵀ (b: n x k), row-major float64; `symmetric` (b is a): exactly symmetric, half the work. Sync. */
  linalgGemmNt(a: Float64Array, b: Float64Array, options: NativeThreads & { m: number; n: number; k: number; symmetric?: boolean }): Float64Array;
  /** c (k x n) = Σ_i (a_{rows[i]} - shift) b_iᵀ over m rows of a (rows null: the first m; shift null: 0), b m x n. Sync. */
  linalgGemmTnRows(a: Float64Array, rows: Uint32Array | null, shift: Float64Array | null, b: Float64Array, options: NativeThreads & { m: number; k: number; n: number }): Float64Array;
  /** c (k x k) = Σ (a_r - shift)(a_r - shift)ᵀ over m rows r of a (rows null: the first m), exactly symmetric. Sync. */
  linalgGramCols(a: Float64Array, rows: Uint32Array | null, shift: Float64Array | null, options: NativeThreads & { m: number; k: number }): Float64Array;
  /** x (n x p) ← xScale · x + scale · r_i · v in every row i (r null: all 1), in place, row-major float64. Sync. */
  linalgAddScaledRow(x: Float64Array, v: Float64Array, r: Float64Array | null, options: NativeThreads & { n: number; p: number; scale: number; xScale?: number }): void;
  /** The transpose (cols x rows) of a (rows x cols), row-major float64. Sync. */
  linalgTranspose(a: Float64Array, options: NativeThreads & { rows: number; cols: number }): Float64Array;
  /**
   * Ridge regression's leave-one-out parts for every α of each centred problem (x n x p with n > p, y n x t, and xᵀx
   * when known, overwritten): per α the quadratic forms (quad, alphas x n) and the fitted values (fitted, n x alphas·t);
   * problems side by side. Sync.
   */
  linalgRidgeLoo(
    problems: { x: Float64Array; y: Float64Array; n: number; p: number; t: number; rows?: Uint32Array; shift?: Float64Array; gram?: Float64Array }[],
    alphas: Float64Array, options: NativeThreads,
  ): { quad: Float64Array; fitted: Float64Array }[];
  /** A random forest trained on x (rows x cols, float32) and class indices y, trees in parallel. */
  forestTrain(x: Float32Array, y: Int32Array, weight: Float64Array | null, options: NativeForestOptions, async: true): Promise<NativeForest>;
  forestTrain(x: Float32Array, y: Int32Array, weight: Float64Array | null, options: NativeForestOptions, async: false): NativeForest;
  /** Class probabilities (rows x classes) of x (rows x forest.features), rows in parallel; a malformed forest is refused. */
  forestPredict(forest: NativeForestModel, x: Float32Array, options: NativeThreads & { rows: number }, async: true): Promise<Float64Array>;
  forestPredict(forest: NativeForestModel, x: Float32Array, options: NativeThreads & { rows: number }, async: false): Float64Array;
  /** UMAP's layout optimised from `init` (n x dim) over the edges head[e] -> tail[e]; single-threaded, seeded. */
  umapOptimize(init: Float32Array, head: Int32Array, tail: Int32Array, epochsPerSample: Float64Array, options: NativeUmapOptions, async: true): Promise<Float32Array>;
  umapOptimize(init: Float32Array, head: Int32Array, tail: Int32Array, epochsPerSample: Float64Array, options: NativeUmapOptions, async: false): Float32Array;
  /** t-SNE's optimisation from `init` (n x dim) with P in CSR form by row; rows in parallel, deterministic. */
  tsneOptimize(init: Float64Array, offsets: Int32Array, columns: Int32Array, values: Float64Array, options: NativeTsneOptions, async: true): Promise<{ embedding: Float64Array; kl: number }>;
}

/** explore/tsne_layout.h TsneOptions, with the layout's size. */
export interface NativeTsneOptions extends NativeThreads {
  n: number;
  dim: number;
  iterations: number;
  exaggerationIterations: number;
  exaggeration: number;
  learningRate: number;
}

/** explore/umap_layout.h UmapLayoutOptions, with the layout's size. */
export interface NativeUmapOptions {
  n: number;
  dim: number;
  epochs: number;
  a: number;
  b: number;
  gamma: number;
  negativeSampleRate: number;
  learningRate: number;
  seed: number;
}

/** forest/forest.h ForestOptions (maxDepth 0: unlimited; maxFeatures 0: all). */
export interface NativeForestOptions extends NativeThreads {
  rows: number;
  cols: number;
  classes: number;
  trees: number;
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  maxFeatures: number;
  bootstrap: boolean;
  seed: number;
}

/** Trees flat, node by node: tree t holds nodes offset[t]..offset[t+1]; children index nodes of the same tree; feature -1 at a leaf. */
export interface NativeForest {
  offset: Int32Array;
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  /** nodes x classes: weighted class shares. */
  value: Float64Array;
  /** Mean decrease in impurity per feature, summing to 1. */
  importance: Float64Array;
}

export interface NativeForestModel extends Omit<NativeForest, 'importance'> {
  features: number;
  classes: number;
}

/** features/pooling.h PoolMode. */
export type NativePoolMode = 'mean' | 'max' | 'mean+std' | 'frame';

/** features/pooling.h's options: the mode, mean+std's ddof, the frame taken by 'frame', L2 normalisation. */
export interface NativePoolOptions {
  mode: NativePoolMode;
  ddof: number;
  frame: number;
  l2: boolean;
}

/** search/flat_search.h RowStorage: f32 (Float32Array rows), bf16 / f16 (Uint16Array), i8 (Int8Array codes + rowScales). */
export type NativeStorage = 'f32' | 'bf16' | 'f16' | 'i8';
/** search/flat_search.h SearchMetric: inner product, or squared L2 distance. */
export type NativeMetric = 'ip' | 'l2';

/** n rows of dim float32 values. */
export interface NativeRows {
  x: Float32Array;
  n: number;
  dim: number;
}

export interface NativePrepareArgs extends NativeRows {
  /** Scale each row to unit length (cosine). */
  normalize?: boolean;
  /** Also return |x|^2 of each row as stored (l2). */
  norms?: boolean;
  storage: NativeStorage;
}

/** Rows as stored by an index. */
export interface NativeStoredRows {
  rows: Float32Array | Uint16Array | Int8Array;
  n: number;
  dim: number;
  storage: NativeStorage;
  /** i8: one scale per row. */
  rowScales?: Float32Array;
}

export interface NativeSearchArgs extends NativeStoredRows {
  /** l2: |x|^2 per row. */
  rowNorms?: Float32Array;
  queries: Float32Array;
  nq: number;
  metric: NativeMetric;
  /** allow[row] != 0 for rows that may be returned. */
  allow?: Uint8Array;
  /** Per query, a row never returned for it, or -1. */
  exclude?: Float64Array;
  threads?: number;
}

export interface NativeTopKArgs extends NativeSearchArgs {
  k: number;
  /** Exact re-ranking of the k candidates from these float32 rows, keeping kOut. */
  exactRows?: Float32Array;
  kOut?: number;
}

export interface NativeRangeArgs extends NativeSearchArgs {
  threshold: number;
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
