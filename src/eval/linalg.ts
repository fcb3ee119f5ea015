/**
 * Dense float64 linear algebra for the evaluation models (`src/eval/models/`): matrix products and Gram
 * matrices, column statistics, Cholesky factor and solve, a symmetric eigendecomposition (Householder
 * tridiagonalisation + implicit QL), a thin SVD (Householder QR + one-sided Jacobi) and the pseudo-inverse.
 *
 * Every kernel is a pure function on row-major `Float64Array`s given with their sizes, `(data, rows, cols)`,
 * that allocates only its result (and, for the decompositions, its work arrays). The products run in the C++
 * core (`src/linalg/dense.ts`); the decompositions here are TypeScript. Nothing here validates its arguments: the models check shapes and
 * values first (`readMatrix`, `readTargets` in ./inputs.ts), and the kernels trust them.
 */
import { AudiomillError } from '../errors.js';
import { gemmNT, transpose } from '../linalg/dense.js';
import { rangeError } from '../validate.js';

/** Machine epsilon of float64 (2^-52), NumPy's `np.finfo(np.float64).eps`. */
export const EPS = 2.220446049250313e-16;

/** Throws the house RangeError when two inputs disagree on their number of samples (scikit-learn's `check_consistent_length`). */
export function checkSameRows(rows: number, name: string, otherRows: number, otherName: string): void {
  if (rows !== otherRows) throw rangeError(`${otherRows} samples (as many as ${otherName} has rows)`, `the rows of ${name}`, rows);
}

// ---------------------------------------------------------------------------------------------------
// Products

// The products run in the C++ core (src/linalg/dense.ts), under the names the models use: transpose (cols x rows),
// matmulABt = A Bᵀ (A m x k, B n x k), gramRows = A Aᵀ and gramCols = Aᵀ A (exactly symmetric; scikit-learn's
// `X.T @ X`), matmulAtB = Aᵀ B (A m x k, B m x n).
export { transpose, gemmNT as matmulABt, gramOfRows as gramRows, gramOfCols as gramCols, gemmTN as matmulAtB } from '../linalg/dense.js';

/** The dot product of `len` values of a from `ia` and of b from `ib` (four accumulators). */
export function dot(a: Float64Array, ia: number, b: Float64Array, ib: number, len: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let t = 0;
  for (; t + 3 < len; t += 4) {
    s0 += a[ia + t]! * b[ib + t]!;
    s1 += a[ia + t + 1]! * b[ib + t + 1]!;
    s2 += a[ia + t + 2]! * b[ib + t + 2]!;
    s3 += a[ia + t + 3]! * b[ib + t + 3]!;
  }
  for (; t < len; t++) s0 += a[ia + t]! * b[ib + t]!;
  return s0 + s1 + (s2 + s3);
}


/** The rows `rows` of a (row-major, `cols` values a row), copied in order; runs of consecutive rows at once. */
export function takeRows(a: Float64Array, cols: number, rows: ArrayLike<number>): Float64Array {
  const out = new Float64Array(rows.length * cols);
  for (let i = 0; i < rows.length;) {
    let j = i + 1;
    while (j < rows.length && rows[j] === rows[j - 1]! + 1) j++;
    out.set(a.subarray(rows[i]! * cols, (rows[j - 1]! + 1) * cols), i * cols);
    i = j;
  }
  return out;
}

/** C = A B for A (m x k) and B (k x n), row-major (m x n result). */
export function matmul(a: Float64Array, m: number, k: number, b: Float64Array, n: number): Float64Array {
  return gemmNT(a, m, k, transpose(b, k, n), n);
}

/** y = A x for A (m x k). */
export function matVec(a: Float64Array, m: number, k: number, x: Float64Array): Float64Array {
  const y = new Float64Array(m);
  for (let i = 0; i < m; i++) y[i] = dot(a, i * k, x, 0, k);
  return y;
}

/** y = Aᵀ x for A (m x k), x of length m. */
export function matTVec(a: Float64Array, m: number, k: number, x: Float64Array): Float64Array {
  const y = new Float64Array(k);
  for (let i = 0; i < m; i++) {
    const xi = x[i]!;
    if (xi === 0) continue;
    const ia = i * k;
    for (let j = 0; j < k; j++) y[j] = y[j]! + (xi * a[ia + j]!);
  }
  return y;
}

// ---------------------------------------------------------------------------------------------------
// Column statistics

/** The mean of every column of A (m x k). */
export function columnMeans(a: Float64Array, m: number, k: number): Float64Array {
  const s = new Float64Array(k);
  for (let i = 0; i < m; i++) {
    const ia = i * k;
    for (let j = 0; j < k; j++) s[j] = s[j]! + (a[ia + j]!);
  }
  for (let j = 0; j < k; j++) s[j] = s[j]! / m;
  return s;
}

/**
 * The standard deviation of every column of A (m x k) with `ddof` (0: population; 1: sample), about `means`
 * (computed when not given): NumPy's `std(axis=0, ddof)` algorithm, sqrt(sum((x - mean)²) / (m - ddof)), with the
 * sums taken row by row as NumPy reduces axis 0 of a C-ordered array, so the results equal NumPy's bit for bit
 * (a constant column gives exactly 0 when its mean is exact, else NumPy's rounding residue, e.g. 1.7e-17 for 0.1s).
 */
export function columnStd(a: Float64Array, m: number, k: number, ddof = 0, means?: Float64Array): Float64Array {
  const mu = means ?? columnMeans(a, m, k);
  const ss = new Float64Array(k);
  for (let i = 0; i < m; i++) {
    const ia = i * k;
    for (let j = 0; j < k; j++) {
      const d = a[ia + j]! - mu[j]!;
      ss[j] = ss[j]! + d * d;
    }
  }
  for (let j = 0; j < k; j++) ss[j] = Math.sqrt(ss[j]! / (m - ddof));
  return ss;
}

/** Subtracts `means[j]` from every value of column j of A (m x k), in place. */
export function centerColumns(a: Float64Array, m: number, k: number, means: Float64Array): void {
  for (let i = 0; i < m; i++) {
    const ia = i * k;
    for (let j = 0; j < k; j++) a[ia + j] = a[ia + j]! - means[j]!;
  }
}

// ---------------------------------------------------------------------------------------------------
// Cholesky

/**
 * Cholesky factor of the symmetric positive definite n x n matrix `a`, in place: on return its lower triangle
 * holds L with A = L Lᵀ and its strict upper triangle is zero. Returns false (leaving `a` partly overwritten)
 * when a pivot is not positive (the matrix is not positive definite, LAPACK `potrf`'s `info > 0`), or when a
 * pivot squared falls below `minPivot` times the largest diagonal value (`minPivot` default 0: exactly
 * LAPACK's test).
 */
export function cholesky(a: Float64Array, n: number, minPivot = 0): boolean {
  let maxDiag = 0;
  for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, a[i * n + i]!);
  const floor = minPivot * maxDiag;
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    const djj = a[rj + j]! - dot(a, rj, a, rj, j);
    if (!(djj > 0) || !(djj > floor) || !Number.isFinite(djj)) return false;
    const ljj = Math.sqrt(djj);
    a[rj + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      a[ri + j] = (a[ri + j]! - dot(a, ri, a, rj, j)) / ljj;
    }
  }
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) a[i * n + j] = 0;
  return true;
}

/**
 * Solves L Lᵀ X = B for X, in place in `b` (n x nrhs, row-major), with L the lower Cholesky factor from
 * `cholesky` (LAPACK `potrs`).
 */
export function choleskySolve(l: Float64Array, n: number, b: Float64Array, nrhs: number): void {
  // Forward: L Z = B.
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    const bi = i * nrhs;
    for (let t = 0; t < i; t++) {
      const lit = l[ri + t]!;
      if (lit === 0) continue;
      const bt = t * nrhs;
      for (let c = 0; c < nrhs; c++) b[bi + c] = b[bi + c]! - (lit * b[bt + c]!);
    }
    const lii = l[ri + i]!;
    for (let c = 0; c < nrhs; c++) b[bi + c] = b[bi + c]! / lii;
  }
  // Backward: Lᵀ X = Z.
  for (let i = n - 1; i >= 0; i--) {
    const bi = i * nrhs;
    const lii = l[i * n + i]!;
    for (let c = 0; c < nrhs; c++) b[bi + c] = b[bi + c]! / lii;
    for (let t = 0; t < i; t++) {
      const lit = l[i * n + t]!;
      if (lit === 0) continue;
      const bt = t * nrhs;
      for (let c = 0; c < nrhs; c++) b[bt + c] = b[bt + c]! - (lit * b[bi + c]!);
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Symmetric eigendecomposition

/** Eigenvalues (ascending) and unit eigenvectors of a symmetric matrix. */
export interface SymmetricEigen {
  /** The n eigenvalues in ascending order (LAPACK `syev` / `scipy.linalg.eigh` order). */
  values: Float64Array;
  /** n x n, row-major: ROW j is the unit eigenvector of `values[j]` (the transpose of LAPACK's column layout). */
  vectors: Float64Array;
}

/**
 * Eigendecomposition A = V diag(values) Vᵀ of the symmetric n x n matrix `a` (read only; both triangles must
 * hold the matrix): Householder reduction to tridiagonal form (A = Q T Qᵀ, Q accumulated backwards), then the
 * implicit QL algorithm with Wilkinson's shift on T, its plane rotations applied to the rows of Qᵀ (the
 * EISPACK `tred2` / `tql2` method, written row-major). Eigenvalues come sorted ascending, eigenvectors as the
 * rows of `vectors`, orthonormal to rounding; the sign of each eigenvector is arbitrary (callers normalise it).
 * With `{ vectors: false }` only the eigenvalues are computed (`vectors` is then empty). Throws AudiomillError
 * `INTERNAL` if QL fails to converge (it takes a few iterations per eigenvalue).
 */
export function symmetricEigen(a: Float64Array, n: number, options: { vectors?: boolean } = {}): SymmetricEigen {
  const wantVectors = options.vectors ?? true;
  if (n === 0) return { values: new Float64Array(0), vectors: new Float64Array(0) };
  const w = Float64Array.from(a.subarray(0, n * n));
  const d = new Float64Array(n);
  const e = new Float64Array(n); // e[i] couples rows i and i + 1
  const hv = new Float64Array(n * n); // Householder vector k in row k, columns k+1 .. n-1
  const beta = new Float64Array(n);
  const p = new Float64Array(n);

  // Householder tridiagonalisation: step k zeroes column k below the subdiagonal.
  for (let k = 0; k < n - 2; k++) {
    const rk = k * n;
    d[k] = w[rk + k]!;
    let norm2 = 0;
    for (let j = k + 1; j < n; j++) norm2 += w[rk + j]! * w[rk + j]!; // row k = column k (symmetric)
    if (norm2 === 0) {
      e[k] = 0;
      beta[k] = 0;
      continue;
    }
    const norm = Math.sqrt(norm2);
    const x0 = w[rk + k + 1]!;
    const alpha = x0 > 0 ? -norm : norm;
    const hk = k * n;
    for (let j = k + 1; j < n; j++) hv[hk + j] = w[rk + j]!;
    hv[hk + k + 1] = x0 - alpha;
    const bk = 1 / (norm2 - alpha * x0); // 2 / (vᵀv), vᵀv = 2 (‖x‖² - α x0)
    beta[k] = bk;
    e[k] = alpha;
    // p = β B v over the trailing block B = w[k+1.., k+1..].
    let kdot = 0;
    for (let i = k + 1; i < n; i++) {
      const pi = bk * dot(w, i * n + k + 1, hv, hk + k + 1, n - k - 1);
      p[i] = pi;
      kdot += pi * hv[hk + i]!;
    }
    const K = 0.5 * bk * kdot;
    for (let i = k + 1; i < n; i++) p[i] = p[i]! - K * hv[hk + i]!; // q = p - K v
    // B -= v qᵀ + q vᵀ
    for (let i = k + 1; i < n; i++) {
      const vi = hv[hk + i]!, qi = p[i]!;
      const ri = i * n;
      for (let j = k + 1; j < n; j++) w[ri + j] = w[ri + j]! - (vi * p[j]! + qi * hv[hk + j]!);
    }
  }
  if (n >= 2) {
    d[n - 2] = w[(n - 2) * n + n - 2]!;
    d[n - 1] = w[(n - 1) * n + n - 1]!;
    e[n - 2] = w[(n - 1) * n + n - 2]!;
  } else {
    d[0] = w[0]!;
  }
  e[n - 1] = 0;

  // Q = H_0 H_1 ... H_{n-3}, accumulated backwards (each H_k touches rows and columns k+1 ..).
  const q = new Float64Array(wantVectors ? n * n : 0);
  for (let i = 0; i < n; i++) q[i * n + i] = 1;
  const u = new Float64Array(n);
  for (let k = wantVectors ? n - 3 : -1; k >= 0; k--) {
    const bk = beta[k]!;
    if (bk === 0) continue;
    const hk = k * n;
    u.fill(0, k + 1, n);
    for (let i = k + 1; i < n; i++) {
      const vi = hv[hk + i]!;
      if (vi === 0) continue;
      const ri = i * n;
      for (let j = k + 1; j < n; j++) u[j] = u[j]! + (vi * q[ri + j]!);
    }
    for (let i = k + 1; i < n; i++) {
      const f = bk * hv[hk + i]!;
      if (f === 0) continue;
      const ri = i * n;
      for (let j = k + 1; j < n; j++) q[ri + j] = q[ri + j]! - f * u[j]!;
    }
  }
  const z = wantVectors ? transpose(q, n, n) : q; // rows of Qᵀ; the QL rotations act on its rows

  // Implicit QL with shifts on (d, e).
  for (let l = 0; l < n; l++) {
    let iter = 0;
    for (;;) {
      let m = l;
      for (; m < n - 1; m++) {
        const dd = Math.abs(d[m]!) + Math.abs(d[m + 1]!);
        if (Math.abs(e[m]!) <= EPS * dd) break;
      }
      if (m === l) break;
      if (++iter > 60) throw new AudiomillError('INTERNAL', `symmetricEigen: the QL iteration did not converge for eigenvalue ${l} of ${n}`);
      // Wilkinson-type shift from the leading 2 x 2 block.
      let g = (d[l + 1]! - d[l]!) / (2 * e[l]!);
      let r = Math.hypot(g, 1);
      g = d[m]! - d[l]! + e[l]! / (g + (g >= 0 ? r : -r));
      let s = 1, c = 1, pp = 0;
      let i = m - 1;
      let underflow = false;
      for (; i >= l; i--) {
        const f = s * e[i]!;
        const b = c * e[i]!;
        r = Math.hypot(f, g);
        e[i + 1] = r;
        if (r === 0) {
          d[i + 1] = d[i + 1]! - pp;
          e[m] = 0;
          underflow = true;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1]! - pp;
        r = (d[i]! - g) * s + 2 * c * b;
        pp = s * r;
        d[i + 1] = g + pp;
        g = c * r - b;
        // Rotate rows i and i + 1 of z.
        if (!wantVectors) continue;
        const ri = i * n, rj = (i + 1) * n;
        for (let t = 0; t < n; t++) {
          const zi = z[ri + t]!, zj = z[rj + t]!;
          z[rj + t] = s * zi + c * zj;
          z[ri + t] = c * zi - s * zj;
        }
      }
      if (underflow) continue;
      d[l] = d[l]! - pp;
      e[l] = g;
      e[m] = 0;
    }
  }

  // Sort ascending.
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => d[x]! - d[y]! || x - y);
  const values = new Float64Array(n);
  const vectors = new Float64Array(wantVectors ? n * n : 0);
  order.forEach((src, dst) => {
    values[dst] = d[src]!;
    if (wantVectors) vectors.set(z.subarray(src * n, src * n + n), dst * n);
  });
  return { values, vectors };
}

// ---------------------------------------------------------------------------------------------------
// SVD and pseudo-inverse

/** A thin SVD A = U diag(s) Vᵀ of an m x n matrix, r = min(m, n). */
export interface ThinSvd {
  /** m x r, row-major; columns are the left singular vectors (a column is zero where its singular value is 0). */
  u: Float64Array;
  /** The r singular values, descending. */
  s: Float64Array;
  /** r x n, row-major; rows are the right singular vectors (orthonormal). */
  vt: Float64Array;
  rank: number;
}

/**
 * Householder QR of the columns of A (m x n, m >= n), given as its transpose `at` (n x m, row j = column j of
 * A) and overwritten: on return row k holds the Householder vector of step k from position k on, `rdiag[k]`
 * is R[k][k] and `at[j * m + k]` (j > k) is R[k][j].
 */
function householderQR(at: Float64Array, m: number, n: number, beta: Float64Array, rdiag: Float64Array): void {
  for (let k = 0; k < n; k++) {
    const rk = k * m;
    let norm2 = 0;
    for (let i = k; i < m; i++) norm2 += at[rk + i]! * at[rk + i]!;
    if (norm2 === 0) {
      beta[k] = 0;
      rdiag[k] = 0;
      continue;
    }
    const norm = Math.sqrt(norm2);
    const x0 = at[rk + k]!;
    const alpha = x0 > 0 ? -norm : norm;
    at[rk + k] = x0 - alpha;
    const bk = 1 / (norm2 - alpha * x0);
    beta[k] = bk;
    rdiag[k] = alpha;
    for (let j = k + 1; j < n; j++) {
      const rj = j * m;
      const f = bk * dot(at, rk + k, at, rj + k, m - k);
      if (f === 0) continue;
      for (let i = k; i < m; i++) at[rj + i] = at[rj + i]! - (f * at[rk + i]!);
    }
  }
}

/**
 * Thin SVD of the m x n matrix `a` (row-major, read only): Householder QR of the taller orientation, then
 * one-sided Jacobi (Hestenes) rotations on R until every pair of its columns is orthogonal to working precision,
 * which gives small singular values to an absolute accuracy of about eps times the largest one (zero for exact
 * rank deficiency: a column of R below eps ‖A‖_F counts as 0), like LAPACK's `gesdd` that SciPy calls. Singular
 * values come sorted descending; the signs of
 * the vector pairs are arbitrary. `rank` counts the singular values above max(m, n) eps s[0] (NumPy's
 * `matrix_rank` rule).
 */
export function svd(a: Float64Array, m: number, n: number): ThinSvd {
  if (m < n) {
    const t = svd(transpose(a, m, n), n, m);
    const r = m;
    return { u: transpose(t.vt, r, m), s: t.s, vt: transpose(t.u, n, r), rank: t.rank };
  }
  const r = n;
  if (r === 0) return { u: new Float64Array(0), s: new Float64Array(0), vt: new Float64Array(0), rank: 0 };
  const at = transpose(a, m, n);
  const beta = new Float64Array(n);
  const rdiag = new Float64Array(n);
  householderQR(at, m, n, beta, rdiag);
  // b: rows are the columns of R (n x n); vt starts as the identity.
  const b = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < j; i++) b[j * n + i] = at[j * m + i]!;
    b[j * n + j] = rdiag[j]!;
  }
  const vt = new Float64Array(n * n);
  for (let i = 0; i < n; i++) vt[i * n + i] = 1;
  const norms = new Float64Array(n);
  let frob2 = 0;
  for (let i = 0; i < n; i++) {
    norms[i] = dot(b, i * n, b, i * n, n);
    frob2 += norms[i]!;
  }
  // A column whose norm is below eps ‖A‖_F is rounding noise (exact rank deficiency): it is not rotated, and its
  // singular value is reported as 0 (rotating it against the others would only chase the noise).
  const negligible = EPS * EPS * frob2;
  for (let sweep = 0; sweep < 80; sweep++) {
    let rotated = false;
    for (let i = 0; i < n - 1; i++) {
      for (let j = i + 1; j < n; j++) {
        const al = norms[i]!, be = norms[j]!;
        if (al <= negligible || be <= negligible) continue;
        const ri = i * n, rj = j * n;
        const ga = dot(b, ri, b, rj, n);
        if (ga === 0 || Math.abs(ga) <= EPS * Math.sqrt(al * be)) continue;
        rotated = true;
        const zeta = (be - al) / (2 * ga);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        let ni = 0, nj = 0;
        for (let x = 0; x < n; x++) {
          const bi = b[ri + x]!, bj = b[rj + x]!;
          const yi = c * bi - s * bj, yj = s * bi + c * bj;
          b[ri + x] = yi;
          b[rj + x] = yj;
          ni += yi * yi;
          nj += yj * yj;
          const vi = vt[ri + x]!, vj = vt[rj + x]!;
          vt[ri + x] = c * vi - s * vj;
          vt[rj + x] = s * vi + c * vj;
        }
        norms[i] = ni;
        norms[j] = nj;
      }
    }
    if (!rotated) break;
    if (sweep === 79) throw new AudiomillError('INTERNAL', `svd: the Jacobi sweeps did not converge (${m} x ${n})`);
  }
  const sv = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const nj = dot(b, j * n, b, j * n, n);
    sv[j] = nj <= negligible ? 0 : Math.sqrt(nj);
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => sv[y]! - sv[x]! || x - y);
  const s = new Float64Array(r);
  const vtSorted = new Float64Array(r * n);
  // ut: row j = column j of U = Q [b_j / s_j; 0].
  const ut = new Float64Array(r * m);
  const cutoff = Math.max(m, n) * EPS * (sv[order[0]!] ?? 0);
  let rank = 0;
  order.forEach((src, dst) => {
    const sj = sv[src]!;
    s[dst] = sj;
    if (sj > cutoff) rank++;
    vtSorted.set(vt.subarray(src * n, src * n + n), dst * n);
    if (sj === 0) return;
    const row = dst * m;
    for (let i = 0; i < n; i++) ut[row + i] = b[src * n + i]! / sj;
    for (let k = n - 1; k >= 0; k--) {
      const bk = beta[k]!;
      if (bk === 0) continue;
      const f = bk * dot(at, k * m + k, ut, row + k, m - k);
      if (f === 0) continue;
      for (let i = k; i < m; i++) ut[row + i] = ut[row + i]! - (f * at[k * m + i]!);
    }
  });
  return { u: transpose(ut, r, m), s, vt: vtSorted, rank };
}

/**
 * The Moore–Penrose pseudo-inverse (n x m) of the m x n matrix `a` from its SVD, keeping the singular values
 * above `cutoff(s[0])` (default: max(m, n) eps s[0], the rule of SciPy 1.10's `scipy.linalg.pinv` with its
 * default `atol=0, rtol=None`). A zero matrix gives a zero pseudo-inverse.
 */
export function pinv(a: Float64Array, m: number, n: number, cutoff?: (sMax: number) => number): Float64Array {
  const { u, s, vt } = svd(a, m, n);
  const r = s.length;
  const sMax = r > 0 ? s[0]! : 0;
  const cut = cutoff ? cutoff(sMax) : Math.max(m, n) * EPS * sMax;
  const out = new Float64Array(n * m);
  for (let j = 0; j < r; j++) {
    const sj = s[j]!;
    if (!(sj > cut)) continue;
    const inv = 1 / sj;
    for (let i = 0; i < n; i++) {
      const f = vt[j * n + i]! * inv;
      if (f === 0) continue;
      const ro = i * m;
      for (let l = 0; l < m; l++) out[ro + l] = out[ro + l]! + (f * u[l * r + j]!);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Shared by the models

/** The error for a model used before `fit` (scikit-learn's NotFittedError). */
export function notFitted(model: string): AudiomillError {
  return new AudiomillError('INVALID_ARGUMENT', `this ${model} is not fitted yet: call fit() before using it`);
}

/** Throws when X has another number of columns than the model was fitted on. */
export function checkFeatures(cols: number, expected: number, name: string): void {
  if (cols !== expected) throw rangeError(`${expected} ${expected === 1 ? 'feature' : 'features'} (as in fit)`, `the columns of ${name}`, cols);
}
