/**
 * What the explorer page reads: the data files `buildExplorer` writes (`data/*.js`, each assigning one part to
 * `window.AUDIOMILL_DATA`) and the page's front end (web/explorer/) decodes. Typed arrays travel as base64 of
 * their little-endian bytes, so 50,000 rows load as a few megabytes parsed in one `JSON.parse`.
 */

/** Base64 of a typed array's bytes, with the array's type. */
export interface Packed {
  type: 'f32' | 'f64' | 'i32' | 'u8';
  b64: string;
}

/** A manifest column as the page filters and colours by it. */
export type PageColumn =
  /** Few distinct values (labels, folds, splits): codes into `values`, -1 where missing. */
  | { name: string; kind: 'category'; values: string[]; codes: Packed }
  /** Numbers (NaN where missing): range filters and histograms. */
  | { name: string; kind: 'number'; data: Packed; min: number; max: number }
  /** Booleans (QC flags): 0 false, 1 true, 2 missing. */
  | { name: string; kind: 'boolean'; data: Packed }
  /** Free text (paths, ids): shown and searched, not filtered by value. */
  | { name: string; kind: 'text'; values: (string | null)[] };

export interface PageTable {
  version: 1;
  title: string;
  rows: number;
  /** Each row's short name (the file name). */
  names: string[];
  /** Each row's span in its file (`12.5–13.5 s`), or null for a whole file. */
  spans: (string | null)[];
  /** The column shown under each thumbnail as the label (none when the table has no such column). */
  labelColumn: string | null;
  /** Boolean columns shown as QC badges. */
  flagColumns: string[];
  columns: PageColumn[];
  /** Each row's thumbnail, relative to the page (null: none could be made). */
  thumbs: (string | null)[];
  /** Each row's audio, relative to the page (a media fragment `#t=start,end` for spans), or null. */
  audio: (string | null)[];
  /** How the audio is reached: linked to the source files, copied beside the page, or cut to WAV clips. */
  audioMode: 'link' | 'copy' | 'wav' | 'none';
  /** Thumbnail size in CSS pixels. */
  thumbSize: { width: number; height: number };
  /** What made the thumbnails (shown in the page's footer). */
  thumbCaption: string;
  generated: string;
  audiomillVersion: string;
}

export interface PageMap {
  /** 'umap' | 'tsne' | 'pca' | 'geo' (longitude, latitude) or a 'stats-pca' of the acoustic statistics. */
  name: string;
  title: string;
  x: Packed;
  y: Packed;
  xLabel: string;
  yLabel: string;
  /** Parameters as the page shows them, e.g. `nNeighbors 15, minDist 0.1, seed 0`. */
  params: string;
  /** scikit-learn's trustworthiness of the map at k = 10 (on a sample of rows for large sets), when computed. */
  trustworthiness?: { value: number; k: number; rows: number };
}

export interface PageNeighbours {
  k: number;
  metric: 'cosine';
  /** rows x k row numbers, best first, -1 where a row had fewer. */
  rows: Packed;
  /** rows x k cosine similarities. */
  scores: Packed;
  /** Rows without an embedding (-1 in every place), when some manifest rows had none. */
  missing: number;
}

/** One chart of the overview, as SVG made in Node (the same text `--figures` writes). */
export interface PageFigure {
  name: string;
  title: string;
  svg: string;
  caption?: string;
}

export interface PageTableBlock {
  title: string;
  header: string[];
  rows: (string | number | null)[][];
  caption?: string;
}

export interface PageOverview {
  sections: { title: string; figures: PageFigure[]; tables: PageTableBlock[]; notes: string[] }[];
}

export interface PageBox {
  start: number;
  end: number;
  low: number;
  high: number;
  /** matched, missed (a truth box no detection matched), false (a detection that matched nothing), or truth/detection when unscored. */
  kind: 'matched' | 'missed' | 'false' | 'truth' | 'detection';
  label: string;
}

export interface PageTape {
  name: string;
  /** The strip's spectrogram image, relative to the page, or null when the tape was not found. */
  image: string | null;
  duration: number;
  /** Frequency range of the image, Hz (bottom, top). */
  fMin: number;
  fMax: number;
  boxes: PageBox[];
  counts: { matched: number; missed: number; false: number };
}

export interface PageDetections {
  iou: number;
  tapes: PageTape[];
}

/** The doctor's findings (`audiomill doctor`'s doctor.json), as page rows. */
export interface PageDoctor {
  source: string;
  duplicates: { groups: { id: number; rows: number[]; splits: string[]; leaks: boolean }[]; leakage: { groups: number; rows: number; testRows: number } };
  labelIssues: { row: number; label: string | null; suggested: string | null; score: number }[];
  outliers: { row: number; score: number }[];
  bandLimited: { row: number; hz: number; likelyRate: number | null }[];
}

export interface PageData {
  table: PageTable;
  maps?: { maps: PageMap[] };
  neighbours?: PageNeighbours;
  overview?: PageOverview;
  detections?: PageDetections;
  doctor?: PageDoctor;
}
