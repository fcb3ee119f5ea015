/** audiomill: fast native audio features for Node.js. This file only re-exports. */
export { AudiomillError, AUDIOMILL_ERROR_CODES, type AudiomillErrorCode, type AudiomillErrorOptions } from './errors.js';
export type { Tensor } from './tensor.js';
export { rfft, irfft, fft, ifft } from './dsp/fft.js';
export { makeWindow, type WindowName, type WindowOptions } from './dsp/windows.js';
export { audiomillVersion, capabilities, setNumThreads, getNumThreads, setSimdLevel, setMatrixUnit, type Capabilities, type SimdLevel, type MatrixUnit } from './dsp/runtime.js';
export type { FeatureTransform, BatchOptions, ComputeOptions } from './features/engine.js';
export type { FeatureStream } from './features/stream.js';
export {
  Spectrogram,
  MelSpectrogram,
  LogMelSpectrogram,
  type Preset,
  type PadMode,
  type SpectrogramOptions,
  type MelOptions,
  type MelSpectrogramOptions,
  type LogMelSpectrogramOptions,
} from './features/spectrogram.js';
export { MFCC, type MFCCOptions } from './features/mfcc.js';
export { KaldiFbank, KaldiMfcc, type KaldiFbankOptions, type KaldiMfccOptions, type KaldiWindowType } from './features/kaldi.js';
export { AmplitudeToDB, type AmplitudeToDBOptions } from './features/amplitude.js';
export { computeDeltas, delta, type ComputeDeltasOptions, type DeltaOptions } from './features/deltas.js';
export { melscaleFbanks, hzToMel, melToHz, kaldiMelBanks, type MelFbankOptions, type MelScale, type MelNorm } from './features/mel.js';
export { createDct } from './features/dct.js';
export {
  Resample,
  type ResampleStream,
  type ResampleOptions,
  type ResamplePreset,
  type ResamplingMethod,
  type ResampleComputeOptions,
} from './dsp/resample.js';
export { loadAudio, loadAudioSync, probeAudio, probeAudioSync } from './audio/load.js';
export { openAudioStream, type AudioStream } from './audio/stream.js';
export { openAudioFile, openAudioFileSync, type AudioFile, type ReadOptions } from './audio/file.js';
export type {
  AudioBlock,
  AudioData,
  AudioFormat,
  AudioInfo,
  AudioSource,
  AudioStreamOptions,
  LoadAudioOptions,
} from './audio/types.js';
export {
  acousticStats,
  acousticStatsSync,
  acousticStatsBatch,
  acousticStatsBatchSync,
  qcFlags,
  type AcousticStatistics,
  type AcousticStatsOptions,
  type Clip,
  type QcFlags,
  type QcThresholds,
} from './features/acoustic.js';
export {
  SpectralFeatures,
  spectralCentroid,
  spectralCentroidSync,
  spectralBandwidth,
  spectralBandwidthSync,
  spectralRolloff,
  spectralRolloffSync,
  spectralFlatness,
  spectralFlatnessSync,
  spectralContrast,
  spectralContrastSync,
  zeroCrossingRate,
  zeroCrossingRateSync,
  rms,
  rmsSync,
  type SpectralFeatureName,
  type SpectralFeaturesOptions,
  type SpectralFeatureOptions,
  type SpectralContrastOptions,
  type SpectralFeatureResult,
  type SpectralComputeOptions,
} from './features/spectral.js';
export { buildManifest, type ManifestOptions, type ManifestResult, type ManifestSummary, type SegmentOptions } from './manifest/build.js';
export { splitRows, splitsFromFolds, kFoldSplits, type SplitOptions, type FoldSplitOptions } from './manifest/splits.js';
export { writeTable, readTable, type Column, type ColumnType, type TableFormat } from './io/table.js';
export {
  buildSpectrogramCache,
  type SpectrogramCacheOptions,
  type SpectrogramCacheResult,
  type SplitDiagnostics,
  type CacheFormat,
} from './manifest/spectrogram-cache.js';
export { encodeNpy, decodeNpy, NpyWriter, type NpyArray, type NpyDtype, type NpyData } from './io/npy.js';
export {
  selectionMeasurements,
  selectionMeasurementsSync,
  type SelectionMeasurement,
  type SelectionMeasurementOptions,
  type RavenSpectrogramOptions,
  type SelectionMfccOptions,
} from './features/raven.js';
export type { AudioEvent } from './io/events.js';
export {
  readRavenTable,
  readRavenTableSync,
  writeRavenTable,
  writeRavenTableSync,
  RAVEN_MEASUREMENT_COLUMNS,
  type RavenTable,
  type RavenTableRow,
  type RavenCell,
  type RavenMeasurementValues,
  type ReadRavenTableOptions,
  type WriteRavenTableOptions,
} from './io/raven-table.js';
export {
  VectorIndex,
  type VectorIndexOptions,
  type VectorIndexLoadOptions,
  type VectorIndexNpyOptions,
  type VectorMetric,
  type VectorStorage,
  type VectorId,
  type Vectors,
  type SearchFilter,
  type SearchOptions,
  type SearchResult,
  type RangeSearchOptions,
  type RangeSearchResult,
} from './search/vector-index.js';
export { poolFrames, poolFramesSync, pooledSize, POOLINGS, type Pooling, type PoolOptions } from './models/pooling.js';
export type { AudioEncoder, FrameEmbeddings, EncodeOptions } from './models/encoder.js';
export { BuiltinEncoder, BUILTIN_ENCODERS, type BuiltinEncoderName, type BuiltinEncoderOptions } from './models/builtin.js';
export { OnnxEncoder, ONNX_LAYOUTS, type OnnxEncoderSpec, type OnnxFrontend, type OnnxLayout } from './models/onnx.js';
export { embedDataset, type EmbedDatasetOptions, type EmbedDatasetResult } from './embed/dataset.js';
export { SpeechDetector, SILERO_VAD_MODEL, type SpeechScore } from './models/vad.js';
export { readEmbeddings, type EmbeddingsFolder } from './embed/read.js';
export { retrievalReport, type RetrievalOptions, type RetrievalReport, type RetrievalSection, type RetrievalScores, type RetrievalClassScores, type RetrievalLabel } from './eval/retrieval.js';
export { evaluateRetrieval, retrievalCsv, retrievalMarkdown, type EvaluateRetrievalOptions, type EvaluateRetrievalResult } from './eval/retrieval-run.js';
// Evaluation (docs/evaluation.md): scikit-learn / SciPy-exact metrics, splitters, models, cross-validation, probes.
export {
  accuracyScore,
  balancedAccuracyScore,
  confusionMatrix,
  precisionScore,
  recallScore,
  f1Score,
  fbetaScore,
  precisionRecallFscoreSupport,
  logLoss,
  type AccuracyOptions,
  type BalancedAccuracyOptions,
  type ConfusionMatrix,
  type ConfusionMatrixOptions,
  type PrfOptions,
  type PrfAverage,
  type PrecisionRecallFscoreSupport,
  type PrecisionRecallFscoreSupportOptions,
  type LogLossOptions,
} from './eval/metrics/classification.js';
export { rocAucScore, rocCurve, averagePrecisionScore, precisionRecallCurve, type RocAucOptions, type RocCurve, type RocCurveOptions, type AveragePrecisionOptions, type PrecisionRecallCurve, type PrecisionRecallCurveOptions } from './eval/metrics/ranking.js';
export { r2Score, meanSquaredError, meanAbsoluteError, type RegressionOptions, type MeanSquaredErrorOptions, type MeanAbsoluteErrorOptions, type Multioutput } from './eval/metrics/regression.js';
export { pearsonr, spearmanr, rankdata, dPrime, type CorrelationResult, type PearsonrOptions, type SpearmanrOptions, type RankdataOptions } from './eval/metrics/correlation.js';
export { normCdf, normPpf, studentTCdf } from './eval/metrics/special.js';
export { kFold, stratifiedKFold, groupKFold, stratifiedGroupKFold, leaveOneGroupOut, predefinedSplit, foldOf, type Fold, type KFoldOptions, type GroupKFoldOptions } from './eval/splitters.js';
export { RandomState } from './eval/random.js';
export { StandardScaler, type StandardScalerOptions } from './eval/models/scaler.js';
export { Ridge, RidgeCV, type RidgeOptions, type RidgeCVOptions, type RidgeFitJob, type RidgeFitOptions } from './eval/models/ridge.js';
export { PCA, parallelAnalysis, type PCAOptions, type ParallelAnalysisOptions, type ParallelAnalysisResult } from './eval/models/pca.js';
export { CCA, type CCAOptions } from './eval/models/cca.js';
export { LogisticRegression, type LogisticRegressionOptions } from './eval/models/logistic.js';
export { KMeans, type KMeansOptions } from './eval/models/kmeans.js';
export { silhouetteScore, silhouetteSamples, linkage, leavesList, correlationOrder, type SilhouetteOptions, type LinkageOptions, type CorrelationOrderOptions } from './eval/models/cluster.js';
export { crossValidate, SCORINGS, type Estimator, type Scoring, type CrossValidateOptions, type CrossValidateResult, type CrossValidateScore } from './eval/cross-validate.js';
export { evaluateProbe, probeCsv, probeMarkdown, type EvaluateProbeOptions, type EvaluateProbeResult, type ProbeTargetResult } from './eval/probe-run.js';
// Events (docs/events.md): window scores to events, IoU, one-to-one matching against truth.
export { timeIou, boxIou, type IouMode } from './events/iou.js';
export { matchEvents, type MatchEventsOptions, type MatchEventsResult, type MatchCounts, type EventPair, type EventList, type EventsByFile } from './events/match.js';
export { scoresToEvents, medianFilter, type WindowScores, type ScoresToEventsOptions, type DetectedEvent } from './events/scores-to-events.js';
export { eventBasedMetrics, segmentBasedMetrics, type EventBasedOptions, type SegmentBasedOptions, type SedMetrics, type SedScores } from './events/sed-metrics.js';
export { evaluateDetections, detectionCsv, detectionTapeCsv, type EvaluateDetectionsOptions, type EvaluateDetectionsResult, type DetectionLayerRow, type DetectionTapeRow } from './events/evaluate-detections.js';
export { slidingWindowScores, encoderScorer, speechScorer, type WindowScorer, type SlidingWindowOptions, type SlidingWindowResult, type EncoderScorerOptions } from './events/sliding-window.js';
export { detectTapes, type DetectTapesOptions, type DetectTapesResult, type DetectedTape } from './events/detect-run.js';
export { buildClips, type BuildClipsOptions, type BuildClipsResult, type ClipRow } from './events/training-clips.js';
export { selectionFeatures, selectionFeatureNames, type SelectionFeatureOptions } from './events/selection-features.js';
export { trainSelectionFilter, filterSelections, openSelectionFilter, type TrainSelectionFilterOptions, type TrainSelectionFilterResult, type FilterSelectionsOptions, type FilterSelectionsResult, type FilteredTable, type SelectionFilter, type SelectionFilterMeta } from './events/selection-filter.js';
export { RandomForestClassifier, type RandomForestOptions, type RandomForestJson, type ClassLabel, type FeatureRows } from './forest/random-forest.js';
export { trustworthiness, type TrustworthinessOptions } from './explore/trustworthiness.js';
export { umap, type UmapOptions, type UmapResult } from './explore/umap.js';
export { tsne, type TsneOptions, type TsneResult } from './explore/tsne.js';
export { buildExplorer, type ExplorerOptions, type ExplorerResult, type MapMethod } from './explore/build.js';
export { serveExplorer, type ExplorerServer } from './explore/serve.js';
export { runDoctor, findDuplicates, type DoctorOptions, type DoctorResult, type FindDuplicatesOptions } from './doctor/run.js';
export { findLabelIssues, type LabelIssuesOptions, type LabelIssuesResult } from './doctor/label-issues.js';
export { findOutliers, type OutliersResult } from './doctor/outliers.js';
export type { DuplicatesResult, DuplicateGroup } from './doctor/duplicates.js';
export type { AudioMode } from './explore/audio-links.js';
export type { DetectionsOptions } from './explore/detections.js';
export { encodeWav, type EncodeWavOptions } from './io/wav-write.js';
