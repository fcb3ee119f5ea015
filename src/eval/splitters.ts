/**
 * Cross-validation splitters with scikit-learn 1.2.1's fold assignments: `kFold`, `stratifiedKFold`,
 * `groupKFold`, `stratifiedGroupKFold`, `leaveOneGroupOut` and `predefinedSplit`.
 *
 * Each returns the folds in scikit-learn's order as `{ train, test }` pairs of ascending row indices
 * (`Uint32Array`); every row is in exactly one of the two in each fold. Without shuffling the folds equal
 * scikit-learn's; with `shuffle: true` and an integer `randomState` the shuffles draw from NumPy's legacy
 * `RandomState` (./random.ts) exactly as scikit-learn does, so the folds equal scikit-learn's for the same
 * seed too. `foldOf` turns folds into one test-fold number per row.
 *
 * Labels and groups may be numbers, strings or booleans (one kind per array); they are ordered as
 * `numpy.unique` orders them (numbers ascending, strings by Unicode code point, false before true).
 */
import { AudiomillError } from '../errors.js';
import { bool, describe as describeValue, int, rangeError, typeError } from '../validate.js';
import { MAX_SEED, RandomState } from './random.js';
import { numpySum } from './numpy-sum.js';
import { UNDEFINED_METRIC, warn } from './warnings.js';
import { readLabelCodes, type LabelArray, type LabelRules } from './metrics/labels.js';

/** One train/test split: the row indices of each side, ascending. */
export interface Fold {
  train: Uint32Array;
  test: Uint32Array;
}

/** A label or group column: numbers (plain or typed array), strings or booleans, one kind per array. */
export type { LabelArray };

/** Options of `kFold`, `stratifiedKFold` and `stratifiedGroupKFold`. */
export interface KFoldOptions {
  /** Number of folds, an integer >= 2 and at most the number of rows (default 5). */
  nSplits?: number;
  /** Whether to shuffle before assigning folds (default false). */
  shuffle?: boolean;
  /**
   * Seed of the shuffle: an integer 0 .. 2^32 - 1 (NumPy's `RandomState(seed)`), only with `shuffle: true`.
   * Undefined with `shuffle: true`: a fresh seed from the operating system each call, so the folds differ
   * from run to run (as scikit-learn's do with `random_state=None`).
   */
  randomState?: number;
}

/** Options of `stratifiedKFold` (scikit-learn's `StratifiedKFold`). */
export type StratifiedKFoldOptions = KFoldOptions;
/** Options of `stratifiedGroupKFold` (scikit-learn's `StratifiedGroupKFold`). */
export type StratifiedGroupKFoldOptions = KFoldOptions;

/** Options of `groupKFold` (scikit-learn's `GroupKFold`, which has no shuffle). */
export interface GroupKFoldOptions {
  /** Number of folds, an integer >= 2 and at most the number of groups (default 5). */
  nSplits?: number;
}

// ---------------------------------------------------------------------------------------------------
// Options and inputs

interface Resolved {
  nSplits: number;
  shuffle: boolean;
  randomState: number | undefined;
}

function options(o: unknown, withShuffle: boolean): Resolved {
  if (o === undefined) o = {};
  if (o === null || typeof o !== 'object' || Array.isArray(o)) throw typeError('an options object', 'options', o);
  const opts = o as KFoldOptions;
  const nSplits = opts.nSplits === undefined ? 5 : int(opts.nSplits, 'nSplits', 2);
  if (!withShuffle) {
    // scikit-learn 1.2's GroupKFold takes no shuffle and no random_state (a TypeError there).
    for (const key of ['shuffle', 'randomState'] as const) {
      if (opts[key] !== undefined) throw rangeError(`no ${key} (groupKFold does not shuffle, as scikit-learn 1.2's GroupKFold)`, key, opts[key]);
    }
    return { nSplits, shuffle: false, randomState: undefined };
  }
  const shuffle = opts.shuffle === undefined ? false : bool(opts.shuffle, 'shuffle');
  let randomState: number | undefined;
  if (opts.randomState !== undefined) {
    randomState = int(opts.randomState, 'randomState', 0, MAX_SEED);
    // scikit-learn 1.2 (_BaseKFold) raises ValueError: a seed has no effect without shuffling.
    if (!shuffle) throw rangeError('no randomState when shuffle is false (set shuffle: true to use the seed)', 'randomState', randomState);
  }
  return { nSplits, shuffle, randomState };
}

function isArrayInput(v: unknown): v is LabelArray {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
}

/** Checks that `v` is an array or typed array and returns its length. */
function arrayLength(v: unknown, option: string): number {
  if (!isArrayInput(v)) throw typeError('an array or typed array', option, v);
  if (typeof (v as { length?: unknown }).length !== 'number') throw typeError('an array or typed array', option, v);
  return (v as ArrayLike<unknown>).length;
}

function checkNotTooManySplits(nSplits: number, n: number): void {
  // scikit-learn 1.2 (_BaseKFold.split): ValueError "Cannot have number of splits ... greater than the number of samples".
  if (nSplits > n) throw rangeError(`at most as many splits as rows (${n})`, 'nSplits', nSplits);
}

function checkSameLength(a: number, optionA: string, b: unknown, optionB: string): void {
  // scikit-learn 1.2 (check_consistent_length): ValueError "Found input variables with inconsistent numbers of samples".
  if ((b as ArrayLike<unknown>).length !== a) throw rangeError(`the same length as ${optionA} (${a})`, optionB, b);
}

/** A label column encoded like `numpy.unique(..., return_inverse=True, return_counts=True)`. */
export interface EncodedLabels {
  /** Each row's index into `classes` (np.unique's inverse). */
  codes: Int32Array;
  /** The distinct values in np.unique order. */
  classes: (number | string | boolean)[];
  /** How many rows carry each class. */
  counts: Int32Array;
  /** Each row's class numbered by first appearance (0 = the class of row 0), as StratifiedKFold encodes y. */
  appearance: Int32Array;
  /** For each class in order of first appearance, its index into `classes`. */
  appearanceToSorted: Int32Array;
}

/** Class labels (`y`): whole numbers, strings or booleans, as scikit-learn's `type_of_target` requires. */
const CLASS_LABELS: LabelRules = { numbers: 'integer', booleansAsNumbers: false };
/** Groups: any finite numbers, strings or booleans. */
const GROUPS: LabelRules = { numbers: 'finite', booleansAsNumbers: false };

/**
 * Encodes a label or group column in `numpy.unique` order (numbers ascending, strings by code point,
 * false before true), read by the metrics' label reader. Numbers must be finite; with `integers`, they must
 * also be whole (class labels, as scikit-learn's `type_of_target` requires 'binary' or 'multiclass').
 *
 * @throws TypeError for a non-array or mixed kinds of values (booleans with numbers included); RangeError for
 *   a non-finite number (or a fraction with `integers`).
 */
export function encodeLabels(values: unknown, option: string, integers = false): EncodedLabels {
  arrayLength(values, option);
  const { classes, codes, counts } = readLabelCodes(values, option, integers ? CLASS_LABELS : GROUPS);
  // Number the classes by first appearance.
  const m = classes.length;
  const appearance = new Int32Array(codes.length);
  const appearanceToSorted = new Int32Array(m);
  const appearanceOf = new Int32Array(m).fill(-1);
  let next = 0;
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!;
    let a = appearanceOf[c]!;
    if (a < 0) {
      a = appearanceOf[c] = next++;
      appearanceToSorted[a] = c;
    }
    appearance[i] = a;
  }
  return { codes, classes, counts, appearance, appearanceToSorted };
}

// ---------------------------------------------------------------------------------------------------
// NumPy arithmetic and sorting, reproduced where fold assignments depend on them

/**
 * `numpy.argsort(values)` with its default kind (NumPy 1.24's introsort for numbers: median-of-three
 * quicksort down to partitions of 16, insertion sort below, heapsort when the depth limit 2·floor(log2 n)
 * is spent). It is not stable, so the order of equal values is NumPy's own, which `GroupKFold` depends on.
 *
 * @internal Exported for tests.
 */
export function numpyArgsortQuick(values: ArrayLike<number>): Int32Array {
  const num = values.length;
  const v = values;
  const t = new Int32Array(num);
  for (let i = 0; i < num; i++) t[i] = i;
  if (num <= 1) return t;
  const SMALL = 15;
  const stack: number[] = [];
  let pl = 0;
  let pr = num - 1;
  let msb = 0;
  for (let m = num; m > 1; m = Math.floor(m / 2)) msb++;
  let cdepth = 2 * msb;
  const swap = (a: number, b: number): void => {
    const x = t[a]!;
    t[a] = t[b]!;
    t[b] = x;
  };
  for (;;) {
    if (cdepth < 0) {
      heapsortIndices(v, t, pl, pr - pl + 1);
    } else {
      while (pr - pl > SMALL) {
        const pm = pl + ((pr - pl) >> 1);
        if (v[t[pm]!]! < v[t[pl]!]!) swap(pm, pl);
        if (v[t[pr]!]! < v[t[pm]!]!) swap(pr, pm);
        if (v[t[pm]!]! < v[t[pl]!]!) swap(pm, pl);
        const vp = v[t[pm]!]!;
        let pi = pl;
        let pj = pr - 1;
        swap(pm, pj);
        for (;;) {
          do pi++;
          while (v[t[pi]!]! < vp);
          do pj--;
          while (vp < v[t[pj]!]!);
          if (pi >= pj) break;
          swap(pi, pj);
        }
        swap(pi, pr - 1);
        // The larger side waits on the stack with the depth left; the smaller is sorted next.
        cdepth--;
        if (pi - pl < pr - pi) {
          stack.push(pi + 1, pr, cdepth);
          pr = pi - 1;
        } else {
          stack.push(pl, pi - 1, cdepth);
          pl = pi + 1;
        }
      }
      for (let pi = pl + 1; pi <= pr; pi++) {
        const vi = t[pi]!;
        const vp = v[vi]!;
        let pj = pi;
        while (pj > pl && vp < v[t[pj - 1]!]!) {
          t[pj] = t[pj - 1]!;
          pj--;
        }
        t[pj] = vi;
      }
    }
    if (stack.length === 0) break;
    cdepth = stack.pop()!;
    pr = stack.pop()!;
    pl = stack.pop()!;
  }
  return t;
}

/** NumPy's indirect heapsort of t[off .. off + n - 1] by v (the introsort fallback). */
function heapsortIndices(v: ArrayLike<number>, t: Int32Array, off: number, n: number): void {
  // 1-based heap positions: a(i) = t[off + i - 1].
  const b = off - 1;
  for (let l = n >> 1; l > 0; l--) {
    const tmp = t[b + l]!;
    let i = l;
    for (let j = l << 1; j <= n; ) {
      if (j < n && v[t[b + j]!]! < v[t[b + j + 1]!]!) j++;
      if (v[tmp]! < v[t[b + j]!]!) {
        t[b + i] = t[b + j]!;
        i = j;
        j += j;
      } else break;
    }
    t[b + i] = tmp;
  }
  for (; n > 1; ) {
    const tmp = t[b + n]!;
    t[b + n] = t[b + 1]!;
    n--;
    let i = 1;
    for (let j = 2; j <= n; ) {
      if (j < n && v[t[b + j]!]! < v[t[b + j + 1]!]!) j++;
      if (v[tmp]! < v[t[b + j]!]!) {
        t[b + i] = t[b + j]!;
        i = j;
        j += j;
      } else break;
    }
    t[b + i] = tmp;
  }
}

// ---------------------------------------------------------------------------------------------------
// Folds

/** Builds the folds from each row's test fold (-1: in no test set, always train). */
function foldsFromAssignment(assign: Int32Array, k: number): Fold[] {
  const n = assign.length;
  const sizes = new Uint32Array(k);
  for (let i = 0; i < n; i++) {
    const f = assign[i]!;
    if (f >= 0) sizes[f]!++;
  }
  const tests = Array.from(sizes, (s) => new Uint32Array(s));
  const fill = new Uint32Array(k);
  for (let i = 0; i < n; i++) {
    const f = assign[i]!;
    if (f >= 0) tests[f]![fill[f]!++] = i;
  }
  const folds: Fold[] = [];
  for (let f = 0; f < k; f++) {
    // Train is the complement of the (ascending) test rows: the runs between them.
    const test = tests[f]!;
    const train = new Uint32Array(n - test.length);
    let p = 0;
    let next = 0;
    for (let j = 0; j < test.length; j++) {
      const t = test[j]!;
      while (next < t) train[p++] = next++;
      next = t + 1;
    }
    while (next < n) train[p++] = next++;
    folds.push({ train, test });
  }
  return folds;
}

/**
 * Each row's test fold: the index (in `folds`) of the fold whose test set holds the row, -1 for a row that
 * is in no test set (a `predefinedSplit` row marked -1).
 *
 * @param folds Folds as the splitters return them.
 * @param n The number of rows (default: the size of the first fold's train plus test, 0 without folds).
 * @throws RangeError when a row index is >= n, or a row is in two folds' test sets.
 */
export function foldOf(folds: readonly Fold[], n?: number): Int32Array {
  if (!Array.isArray(folds)) throw typeError('an array of folds', 'folds', folds);
  folds.forEach((fold, f) => {
    if (fold === null || typeof fold !== 'object' || !isArrayInput(fold.test) || !isArrayInput(fold.train)) throw typeError('a fold { train, test } of row-index arrays', `folds[${f}]`, fold);
  });
  const rows = n === undefined ? (folds.length ? folds[0]!.train.length + folds[0]!.test.length : 0) : int(n, 'n', 0);
  const out = new Int32Array(rows).fill(-1);
  folds.forEach((fold, f) => {
    for (const i of fold.test) {
      if (!(Number.isInteger(i) && i >= 0 && i < rows)) throw rangeError(`row indices in 0 .. ${rows - 1}`, `folds[${f}].test`, i);
      if (out[i] !== -1) throw rangeError(`test sets that do not overlap (row ${i} is in folds ${out[i]} and ${f})`, `folds[${f}].test`, i);
      out[i] = f;
    }
  });
  return out;
}

function rngFor(o: Resolved): RandomState {
  return new RandomState(o.randomState);
}

/**
 * K-fold cross-validation, scikit-learn 1.2.1's `KFold(n_splits, shuffle=..., random_state=...).split(X)`
 * for `n` rows: rows 0 .. n - 1 (shuffled first with `shuffle`) cut into `nSplits` consecutive blocks, the
 * first n mod nSplits blocks one row longer; fold f tests block f.
 *
 * @param n Number of rows (an integer >= nSplits).
 * @param options `nSplits` (default 5), `shuffle` (default false), `randomState` (an integer seed, only with
 *   shuffle; the same seed gives scikit-learn's permutation).
 * @returns The folds, train and test indices ascending.
 * @throws RangeError when nSplits < 2, nSplits > n, randomState is given without shuffle or is not an integer
 *   in 0 .. 2^32 - 1 (scikit-learn: ValueError); TypeError for arguments of the wrong type.
 */
export function kFold(n: number, options_: KFoldOptions = {}): Fold[] {
  const o = options(options_, true);
  const rows = int(n, 'n', 0);
  checkNotTooManySplits(o.nSplits, rows);
  const assign = new Int32Array(rows);
  const base = Math.floor(rows / o.nSplits);
  const extra = rows % o.nSplits;
  if (o.shuffle) {
    const order = new Uint32Array(rows);
    for (let i = 0; i < rows; i++) order[i] = i;
    rngFor(o).shuffle(order);
    let p = 0;
    for (let f = 0; f < o.nSplits; f++) {
      const size = base + (f < extra ? 1 : 0);
      for (let j = 0; j < size; j++) assign[order[p++]!] = f;
    }
  } else {
    let p = 0;
    for (let f = 0; f < o.nSplits; f++) {
      const size = base + (f < extra ? 1 : 0);
      assign.fill(f, p, p + size);
      p += size;
    }
  }
  return foldsFromAssignment(assign, o.nSplits);
}

function warnSmallClass(min: number, nSplits: number, fn: string): void {
  warn(UNDEFINED_METRIC, `${fn}: the smallest class in y has ${min} member${min === 1 ? '' : 's'}, fewer than nSplits = ${nSplits}, so some test folds lack it`);
}

function checkClassCounts(counts: Int32Array, nSplits: number, fn: string): void {
  let min = Infinity;
  let max = 0;
  for (const c of counts) {
    min = Math.min(min, c);
    max = Math.max(max, c);
  }
  // scikit-learn 1.2 raises ValueError when every class is smaller than n_splits, and warns when one is.
  if (max < nSplits) {
    throw new AudiomillError(
      'UNDEFINED_METRIC',
      `${fn}: nSplits = ${nSplits} is more than the members of every class of y (the largest has ${max}); lower nSplits`,
    );
  }
  if (min < nSplits) warnSmallClass(min, nSplits, fn);
}

/**
 * Stratified k-fold, scikit-learn 1.2.1's `StratifiedKFold(...).split(X, y)`: every fold gets each class in
 * about the class's overall proportion.
 *
 * Allocation (scikit-learn 1.2): classes are numbered by first appearance in `y`; the labels, sorted by that
 * number, are dealt round-robin to the folds (label j of the sorted list to fold j mod nSplits), which fixes
 * how many rows of each class each fold tests (within one of n_c / nSplits). Each class's rows, in row order,
 * then take that class's fold numbers in ascending blocks, or, with `shuffle`, the fold numbers shuffled by
 * the RandomState (one generator for the call, classes in order of first appearance).
 *
 * @param y Class labels (whole numbers, strings or booleans), one per row.
 * @param options `nSplits` (default 5), `shuffle` (default false), `randomState` (an integer seed, only with
 *   shuffle; the same seed gives scikit-learn's folds).
 * @returns The folds, train and test indices ascending.
 * @throws RangeError for nSplits < 2, nSplits > rows (an empty `y` included), a randomState without shuffle,
 *   a non-finite or fractional numeric label; TypeError for mixed label kinds; AudiomillError
 *   `UNDEFINED_METRIC` when every class has fewer than nSplits members (scikit-learn: ValueError). When only
 *   some class has fewer members than nSplits, emits a warning (code `AUDIOMILL_UNDEFINED_METRIC`,
 *   scikit-learn: UserWarning) and returns the folds, some of which then lack that class.
 */
export function stratifiedKFold(y: LabelArray, options_: StratifiedKFoldOptions = {}): Fold[] {
  const o = options(options_, true);
  const enc = encodeLabels(y, 'y', true);
  const n = enc.codes.length;
  checkNotTooManySplits(o.nSplits, n);
  const k = o.nSplits;
  const m = enc.classes.length;
  // Counts per class in order of first appearance.
  const counts = new Int32Array(m);
  for (let c = 0; c < m; c++) counts[c] = enc.counts[enc.appearanceToSorted[c]!]!;
  checkClassCounts(counts, k, 'stratifiedKFold');
  // Round-robin over the labels sorted by appearance number: class c holds sorted positions start .. start + n_c - 1.
  const alloc = new Int32Array(k * m); // alloc[f * m + c]
  let start = 0;
  for (let c = 0; c < m; c++) {
    for (let j = start; j < start + counts[c]!; j++) alloc[(j % k) * m + c]!++;
    start += counts[c]!;
  }
  const rng = o.shuffle ? rngFor(o) : undefined;
  const assign = new Int32Array(n);
  // Rows of each class, in row order.
  const rowsOf: Int32Array[] = Array.from(counts, (cnt) => new Int32Array(cnt));
  const fill = new Int32Array(m);
  for (let i = 0; i < n; i++) {
    const c = enc.appearance[i]!;
    rowsOf[c]![fill[c]!++] = i;
  }
  for (let c = 0; c < m; c++) {
    const folds = new Int32Array(counts[c]!);
    let p = 0;
    for (let f = 0; f < k; f++) for (let r = alloc[f * m + c]!; r > 0; r--) folds[p++] = f;
    if (rng) rng.shuffle(folds);
    const rows = rowsOf[c]!;
    for (let j = 0; j < rows.length; j++) assign[rows[j]!] = folds[j]!;
  }
  return foldsFromAssignment(assign, k);
}

/**
 * Group k-fold, scikit-learn 1.2.1's `GroupKFold(n_splits).split(X, y, groups)`: no group is split between
 * train and test. Groups are taken largest first (sizes ordered by NumPy's default argsort, then reversed, so
 * ties fall as scikit-learn's) and each goes to the fold with the fewest rows so far (the first such fold).
 *
 * @param groups Group of each row (numbers, strings or booleans).
 * @param options `nSplits` (default 5).
 * @returns The folds, train and test indices ascending.
 * @throws RangeError for nSplits < 2, nSplits > rows (an empty `groups` included), a non-finite numeric group;
 *   TypeError for mixed kinds; AudiomillError `UNDEFINED_METRIC` when there are fewer groups than nSplits
 *   (scikit-learn: ValueError "Cannot have number of splits n_splits greater than the number of groups").
 */
export function groupKFold(groups: LabelArray, options_: GroupKFoldOptions = {}): Fold[] {
  const o = options(options_, false);
  const n = arrayLength(groups, 'groups');
  checkNotTooManySplits(o.nSplits, n);
  const enc = encodeLabels(groups, 'groups');
  const g = enc.classes.length;
  if (o.nSplits > g) {
    throw new AudiomillError('UNDEFINED_METRIC', `groupKFold: nSplits = ${o.nSplits} is more than the number of groups (${g}); lower nSplits`);
  }
  const order = numpyArgsortQuick(enc.counts);
  const load = new Float64Array(o.nSplits);
  const foldOfGroup = new Int32Array(g);
  for (let r = g - 1; r >= 0; r--) {
    const grp = order[r]!;
    let lightest = 0;
    for (let f = 1; f < o.nSplits; f++) if (load[f]! < load[lightest]!) lightest = f;
    load[lightest]! += enc.counts[grp]!;
    foldOfGroup[grp] = lightest;
  }
  const assign = new Int32Array(n);
  for (let i = 0; i < n; i++) assign[i] = foldOfGroup[enc.codes[i]!]!;
  return foldsFromAssignment(assign, o.nSplits);
}

/**
 * Stratified group k-fold, scikit-learn 1.2.1's `StratifiedGroupKFold(...).split(X, y, groups)`: no group is
 * split, and the folds' class proportions are kept as close as the groups allow.
 *
 * Algorithm (scikit-learn 1.2): count each group's rows per class (classes and groups in np.unique order);
 * with `shuffle`, permute the rows of that table with the RandomState; visit the table's rows by decreasing
 * standard deviation of their class counts (a stable sort, so equal deviations keep the table order); put
 * each into the fold that minimises the mean over classes of the standard deviation over folds of
 * (fold's count of the class / class total), an evaluation within `numpy.isclose` of the best going to the
 * fold with fewer rows. The arithmetic follows NumPy's summation order, so near-ties break as scikit-learn's.
 *
 * With `shuffle`, scikit-learn 1.2 permutes the count table but keeps each row's group number, so the folds
 * are built from the permuted counts while test rows are picked by the unpermuted group numbers: the
 * shuffled folds keep groups whole but are not stratified. This function reproduces that (so the folds equal
 * scikit-learn 1.2.1's for the same seed); scikit-learn fixed it later (issue #32478). For stratified group
 * folds, leave `shuffle` false.
 *
 * @param y Class labels (whole numbers, strings or booleans), one per row.
 * @param groups Group of each row (numbers, strings or booleans), the same length as y.
 * @param options `nSplits` (default 5), `shuffle` (default false), `randomState` (an integer seed, only with
 *   shuffle).
 * @returns The folds, train and test indices ascending. A fold may have no test rows (with fewer groups than
 *   folds, or when the greedy choice leaves one empty): scikit-learn returns it so, and so does this, with a
 *   warning (code `AUDIOMILL_UNDEFINED_METRIC`).
 * @throws RangeError for mismatched lengths, nSplits < 2, nSplits > rows (empty input included), a
 *   randomState without shuffle, non-finite or fractional numeric labels; TypeError for mixed kinds;
 *   AudiomillError `UNDEFINED_METRIC` when every class has fewer than nSplits members (scikit-learn:
 *   ValueError). When some class has fewer members than nSplits, warns (scikit-learn: UserWarning).
 */
export function stratifiedGroupKFold(y: LabelArray, groups: LabelArray, options_: StratifiedGroupKFoldOptions = {}): Fold[] {
  const o = options(options_, true);
  const ny = arrayLength(y, 'y');
  arrayLength(groups, 'groups');
  checkSameLength(ny, 'y', groups, 'groups');
  checkNotTooManySplits(o.nSplits, ny);
  const k = o.nSplits;
  const ey = encodeLabels(y, 'y', true);
  const C = ey.classes.length;
  checkClassCounts(ey.counts, k, 'stratifiedGroupKFold');
  const eg = encodeLabels(groups, 'groups');
  const G = eg.classes.length;
  const rng = o.shuffle ? rngFor(o) : undefined;

  // Rows of the table: class counts per group, G x C.
  const table = new Float64Array(G * C);
  for (let i = 0; i < ny; i++) table[eg.codes[i]! * C + ey.codes[i]!]! += 1;
  if (rng) {
    // RandomState.shuffle along the first axis: the same swaps as a 1-D shuffle of the row numbers.
    const perm = new Int32Array(G);
    for (let r = 0; r < G; r++) perm[r] = r;
    rng.shuffle(perm);
    const old = table.slice();
    for (let r = 0; r < G; r++) table.set(old.subarray(perm[r]! * C, perm[r]! * C + C), r * C);
  }

  // np.std(table, axis=1): pairwise sums along each row.
  const negStd = new Float64Array(G);
  const dev = new Float64Array(C);
  for (let r = 0; r < G; r++) {
    const mean = numpySum(table, r * C, C) / C;
    for (let c = 0; c < C; c++) {
      const d = table[r * C + c]! - mean;
      dev[c] = d * d;
    }
    negStd[r] = -Math.sqrt(numpySum(dev, 0, C) / C);
  }
  const visit = Array.from({ length: G }, (_, r) => r);
  visit.sort((a, b) => (negStd[a]! < negStd[b]! ? -1 : negStd[a]! > negStd[b]! ? 1 : 0)); // stable, like mergesort

  const perFold = new Float64Array(k * C); // y counts per fold
  const share = new Float64Array(k * C);
  const stdPerClass = new Float64Array(C);
  const column = new Float64Array(k);
  const foldOfRow = new Int32Array(G);
  const evaluate = (): number => {
    for (let j = 0; j < k * C; j++) share[j] = perFold[j]! / ey.counts[j % C]!;
    for (let c = 0; c < C; c++) {
      // np.std(axis=0) of the k x C table: with one class the column is contiguous (pairwise sum); with more,
      // NumPy adds the rows one after another.
      let s: number;
      if (C === 1) s = numpySum(share, 0, k);
      else {
        s = 0;
        for (let f = 0; f < k; f++) s += share[f * C + c]!;
      }
      const mean = s / k;
      for (let f = 0; f < k; f++) {
        const d = share[f * C + c]! - mean;
        column[f] = d * d;
      }
      let ss: number;
      if (C === 1) ss = numpySum(column, 0, k);
      else {
        ss = 0;
        for (let f = 0; f < k; f++) ss += column[f]!;
      }
      stdPerClass[c] = Math.sqrt(ss / k);
    }
    return numpySum(stdPerClass, 0, C) / C;
  };
  for (const r of visit) {
    let best = -1;
    let minEval = Infinity;
    let minSamples = Infinity;
    for (let f = 0; f < k; f++) {
      for (let c = 0; c < C; c++) perFold[f * C + c]! += table[r * C + c]!;
      const e = evaluate();
      for (let c = 0; c < C; c++) perFold[f * C + c]! -= table[r * C + c]!;
      const samples = numpySum(perFold, f * C, C);
      // numpy.isclose(e, minEval) with rtol 1e-5, atol 1e-8 (never close to the initial infinity).
      const close = Number.isFinite(minEval) ? Math.abs(e - minEval) <= 1e-8 + 1e-5 * Math.abs(minEval) : e === minEval;
      if (e < minEval || (close && samples < minSamples)) {
        minEval = e;
        minSamples = samples;
        best = f;
      }
    }
    for (let c = 0; c < C; c++) perFold[best * C + c]! += table[r * C + c]!;
    foldOfRow[r] = best;
  }
  // Test rows of fold f: rows whose (unpermuted) group number was put in fold f.
  const assign = new Int32Array(ny);
  for (let i = 0; i < ny; i++) assign[i] = foldOfRow[eg.codes[i]!]!;
  const folds = foldsFromAssignment(assign, k);
  const empty = folds.flatMap((f, i) => (f.test.length === 0 ? [i] : []));
  if (empty.length) {
    warn(
      UNDEFINED_METRIC,
      `stratifiedGroupKFold: fold${empty.length > 1 ? 's' : ''} ${empty.join(', ')} of ${k} ha${empty.length > 1 ? 've' : 's'} no test rows ` +
        `(${G} group${G === 1 ? '' : 's'} for ${k} folds); scores on ${empty.length > 1 ? 'them' : 'it'} are undefined`,
    );
  }
  return folds;
}

/**
 * Leave-one-group-out, scikit-learn 1.2.1's `LeaveOneGroupOut().split(X, y, groups)`: one fold per distinct
 * group, in `numpy.unique` order, testing that group's rows (the piano audit's leave-one-video-out).
 *
 * @param groups Group of each row (numbers, strings or booleans).
 * @returns One fold per group, train and test indices ascending.
 * @throws RangeError for an empty array or a non-finite numeric group (scikit-learn: ValueError); TypeError for
 *   mixed kinds; AudiomillError `UNDEFINED_METRIC` for fewer than 2 distinct groups (scikit-learn: ValueError).
 */
export function leaveOneGroupOut(groups: LabelArray): Fold[] {
  const n = arrayLength(groups, 'groups');
  if (n === 0) throw rangeError('a non-empty array', 'groups', groups);
  const enc = encodeLabels(groups, 'groups');
  const g = enc.classes.length;
  if (g < 2) {
    throw new AudiomillError('UNDEFINED_METRIC', `leaveOneGroupOut: groups has ${g} distinct value (${describeValue(enc.classes[0])}); it needs at least 2`);
  }
  return foldsFromAssignment(enc.codes, g);
}

/**
 * A predefined split, scikit-learn 1.2.1's `PredefinedSplit(test_fold).split()`: row i is tested in the fold
 * numbered `testFold[i]`; -1 keeps a row in every training set. Folds come in ascending order of their
 * numbers (ESC-50's fold column 1-5 gives 5 folds).
 *
 * @param testFold Fold number of each row, whole numbers (plain or typed array).
 * @returns One fold per distinct number other than -1, train and test indices ascending. No such number (an
 *   empty array, or only -1): no folds, as scikit-learn, with a warning (code `AUDIOMILL_UNDEFINED_METRIC`).
 * @throws TypeError for a non-array or non-numbers; RangeError for a fraction or a non-finite number
 *   (scikit-learn truncates fractions to integers).
 */
export function predefinedSplit(testFold: ArrayLike<number>): Fold[] {
  const n = arrayLength(testFold, 'testFold');
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = testFold[i];
    if (typeof v !== 'number') throw typeError('a fold number', `testFold[${i}]`, v);
    if (!Number.isSafeInteger(v)) throw rangeError('a whole fold number (-1: always train)', `testFold[${i}]`, v);
    values[i] = v;
  }
  const sorted = values.slice().sort();
  const ids = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const v = sorted[i]!;
    if (v !== -1 && !ids.has(v)) ids.set(v, ids.size);
  }
  if (ids.size === 0) {
    warn(UNDEFINED_METRIC, `predefinedSplit: testFold ${n === 0 ? 'is empty' : 'holds only -1'}, so there are no folds`);
    return [];
  }
  const assign = new Int32Array(n);
  for (let i = 0; i < n; i++) assign[i] = values[i] === -1 ? -1 : ids.get(values[i]!)!;
  return foldsFromAssignment(assign, ids.size);
}
