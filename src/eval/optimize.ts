/**
 * An unconstrained limited-memory BFGS minimiser that follows the iterates of SciPy 1.10's L-BFGS-B
 * (`scipy.optimize.minimize(fun, x0, jac=True, method='L-BFGS-B')` without bounds, the Fortran
 * L-BFGS-B 3.0 of Byrd, Lu, Nocedal and Zhu, with Morales and Nocedal's 2011 update), which is what
 * scikit-learn 1.2's `LogisticRegression(solver='lbfgs')` runs.
 *
 * Same steps as the reference, so that a fit stops where scikit-learn's stops:
 * - direction: the L-BFGS two-loop recursion over the last `memory` pairs (s, y), with the initial inverse
 *   Hessian (s·y / y·y)·I from the newest pair; this is the inverse of L-BFGS-B's compact matrix
 *   θI − W M Wᵀ with θ = y·y / s·y, so without bounds the two give the same direction;
 * - first trial step: min(1 / ‖d‖₂, 1e10) on the first iteration, 1 afterwards;
 * - line search: Moré and Thuente's (ACM TOMS 20(3), 1994; MINPACK-2 `dcsrch`/`dcstep`), with
 *   sufficient-decrease constant 1e-3, curvature constant 0.9, relative interval tolerance 0.1, steps in
 *   [0, 1e10], at most `maxLineSearch` evaluations; it ends at a point satisfying the strong Wolfe conditions
 *   (or at the best point when rounding prevents progress);
 * - pair update: skipped when s·y <= ε·(−g·s) (ε the float64 machine epsilon), else the oldest pair is dropped
 *   once `memory` pairs are held;
 * - a failed line search restarts from steepest descent with an empty memory; a second failure in a row
 *   (empty memory) ends the run (`status: 'lineSearch'`);
 * - stopping tests, in L-BFGS-B's order after each iteration: the iteration limit, the evaluation limit,
 *   max |gᵢ| <= gtol, then (f_prev − f) <= ftol · max(|f_prev|, |f|, 1).
 *
 * Rounding differs from the Fortran code (sums in another order), so iterates agree to about 1e-12 relative,
 * not bit for bit.
 */
import { int, num, typeError } from '../validate.js';

/** An objective that returns f(x) and writes ∇f(x) into `grad` (length of x). */
export type ObjectiveWithGradient = (x: Float64Array, grad: Float64Array) => number;

/** Options of {@link minimizeLbfgs}; the defaults are SciPy 1.10's for `method='L-BFGS-B'`. */
export interface LbfgsOptions {
  /** Most iterations (line searches that succeed). Default 15000 (SciPy's `maxiter`). */
  maxIter?: number;
  /** Most objective evaluations, tested after each iteration. Default 15000 (SciPy's `maxfun`). */
  maxFun?: number;
  /** Stop when max |∂f/∂xᵢ| <= gtol. Default 1e-5 (SciPy's `gtol`, L-BFGS-B's `pgtol`). */
  gtol?: number;
  /**
   * Stop when an iteration lowers f by at most ftol · max(|f_prev|, |f|, 1). Default 2.220446049250313e-9
   * (SciPy's `ftol`, i.e. L-BFGS-B's `factr` = 1e7 times the machine epsilon). 0 disables the test.
   */
  ftol?: number;
  /** Correction pairs kept. Default 10 (SciPy's `maxcor`). */
  memory?: number;
  /** Most evaluations per line search. Default 20 (SciPy's `maxls`). */
  maxLineSearch?: number;
}

/**
 * Why the run ended: `gtol` and `ftol` are convergence (SciPy's `CONVERGENCE: NORM_OF_PROJECTED_GRADIENT_<=_PGTOL`
 * and `CONVERGENCE: REL_REDUCTION_OF_F_<=_FACTR*EPSMCH`); `maxIter` and `maxFun` are limits (`STOP: TOTAL NO. of
 * ITERATIONS REACHED LIMIT`, `... f AND g EVALUATIONS EXCEEDS LIMIT`); `lineSearch` is
 * `ABNORMAL_TERMINATION_IN_LNSRCH`; `nonFinite`: the objective or its gradient was NaN or infinite at the start.
 */
export type LbfgsStatus = 'gtol' | 'ftol' | 'maxIter' | 'maxFun' | 'lineSearch' | 'nonFinite';

/** The result of {@link minimizeLbfgs}. */
export interface LbfgsResult {
  /** The last accepted point. */
  x: Float64Array;
  /** f(x). */
  fun: number;
  /** ∇f(x). */
  grad: Float64Array;
  /** Iterations done (SciPy's `nit`). */
  nIter: number;
  /** Objective evaluations (SciPy's `nfev`). */
  nFev: number;
  status: LbfgsStatus;
  /** True for `gtol` and `ftol`. */
  converged: boolean;
  /** SciPy's message for the same status. */
  message: string;
}

const MESSAGES: Record<LbfgsStatus, string> = {
  gtol: 'CONVERGENCE: NORM_OF_PROJECTED_GRADIENT_<=_PGTOL',
  ftol: 'CONVERGENCE: REL_REDUCTION_OF_F_<=_FACTR*EPSMCH',
  maxIter: 'STOP: TOTAL NO. of ITERATIONS REACHED LIMIT',
  maxFun: 'STOP: TOTAL NO. of f AND g EVALUATIONS EXCEEDS LIMIT',
  lineSearch: 'ABNORMAL_TERMINATION_IN_LNSRCH',
  nonFinite: 'ABNORMAL: the objective or its gradient is not finite at the starting point',
};

const EPS = 2.220446049250313e-16;
const STEP_MAX = 1e10;
const LS_FTOL = 1e-3;
const LS_GTOL = 0.9;
const LS_XTOL = 0.1;

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]!);
    if (v > m || v !== v) m = v;
  }
  return m;
}

/**
 * Minimises a smooth function of many variables without bounds, following SciPy 1.10's L-BFGS-B iterates (see
 * the module comment for the exact steps). `fg(x, grad)` returns f(x) and writes the gradient; it is called with
 * fresh arrays it may keep.
 *
 * @param fg The objective and its gradient.
 * @param x0 The starting point (copied).
 * @param options {@link LbfgsOptions}, SciPy's defaults.
 * @returns The last accepted point with its value, gradient, counts and why the run stopped. Never throws for a
 *   run that fails to converge: check `converged` / `status`.
 * @throws TypeError / RangeError for a malformed argument or option.
 */
export function minimizeLbfgs(fg: ObjectiveWithGradient, x0: ArrayLike<number>, options: LbfgsOptions = {}): LbfgsResult {
  if (typeof fg !== 'function') throw typeError('a function (x, grad) => f', 'fg', fg);
  if (x0 === null || typeof x0 !== 'object' || typeof (x0 as { length?: unknown }).length !== 'number') {
    throw typeError('an array of numbers', 'x0', x0);
  }
  if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
  const maxIter = int(options.maxIter ?? 15000, 'maxIter', 0);
  const maxFun = int(options.maxFun ?? 15000, 'maxFun', 1);
  const gtol = num(options.gtol ?? 1e-5, 'gtol', { min: 0 });
  const ftol = num(options.ftol ?? 2.220446049250313e-9, 'ftol', { min: 0 });
  const memory = int(options.memory ?? 10, 'memory', 1);
  const maxLs = int(options.maxLineSearch ?? 20, 'maxLineSearch', 1);

  const n = x0.length;
  let x = Float64Array.from(x0);
  let g = new Float64Array(n);
  let f = fg(x, g);
  let nFev = 1;
  let nIter = 0;
  const done = (status: LbfgsStatus): LbfgsResult => ({
    x, fun: f, grad: g, nIter, nFev, status, converged: status === 'gtol' || status === 'ftol', message: MESSAGES[status],
  });
  if (!Number.isFinite(f) || !g.every(Number.isFinite)) return done('nonFinite');
  if (maxAbs(g) <= gtol) return done('gtol');

  // Correction pairs in a ring: S[i], Y[i], rho[i] = 1 / (s·y); newest at (head + count - 1) % memory.
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho = new Float64Array(memory);
  let head = 0;
  let count = 0;
  let theta = 1;
  const alpha = new Float64Array(memory);
  const d = new Float64Array(n);

  for (;;) {
    // Direction: d = -H g.
    if (count === 0) {
      for (let i = 0; i < n; i++) d[i] = -g[i]!;
    } else {
      for (let i = 0; i < n; i++) d[i] = g[i]!;
      for (let k = count - 1; k >= 0; k--) {
        const j = (head + k) % memory;
        const a = rho[j]! * dot(S[j]!, d);
        alpha[j] = a;
        const yj = Y[j]!;
        for (let i = 0; i < n; i++) d[i] = d[i]! - a * yj[i]!;
      }
      const h0 = 1 / theta;
      for (let i = 0; i < n; i++) d[i] = d[i]! * h0;
      for (let k = 0; k < count; k++) {
        const j = (head + k) % memory;
        const b = rho[j]! * dot(Y[j]!, d);
        const c = alpha[j]! - b;
        const sj = S[j]!;
        for (let i = 0; i < n; i++) d[i] = d[i]! + c * sj[i]!;
      }
      for (let i = 0; i < n; i++) d[i] = -d[i]!;
    }

    const gd0 = dot(g, d);
    const fOld = f;
    let ok = false;
    let stp = 0;
    let xNew = x;
    let gNew = g;
    let fNew = f;
    let gdNew = gd0;
    if (gd0 < 0) {
      const dnorm = Math.sqrt(dot(d, d));
      stp = nIter === 0 ? Math.min(1 / dnorm, STEP_MAX) : 1;
      const ls = new MoreThuente(f, gd0, stp, LS_FTOL, LS_GTOL, LS_XTOL, 0, STEP_MAX);
      for (let evals = 0; ; ) {
        if (evals >= maxLs) break; // L-BFGS-B: iback >= maxls
        xNew = new Float64Array(n);
        for (let i = 0; i < n; i++) xNew[i] = x[i]! + stp * d[i]!;
        gNew = new Float64Array(n);
        fNew = fg(xNew, gNew);
        nFev++;
        evals++;
        gdNew = dot(gNew, d);
        const task = ls.next(fNew, gdNew);
        if (task !== 'FG') {
          ok = true;
          break;
        }
        stp = ls.stp;
      }
    }
    if (!ok) {
      // Restore the previous iterate (x, g, f are unchanged here); restart from steepest descent, or give up.
      if (count === 0) return done('lineSearch');
      count = 0;
      head = 0;
      theta = 1;
      continue;
    }

    const gOld = g;
    x = xNew;
    g = gNew;
    f = fNew;
    nIter++;
    if (nIter >= maxIter) return done('maxIter');
    if (nFev > maxFun) return done('maxFun');
    if (maxAbs(g) <= gtol) return done('gtol');
    if (fOld - f <= ftol * Math.max(Math.abs(fOld), Math.abs(f), 1)) return done('ftol');

    // Pair update: s = stp d, y = g_new - g_old, s·y computed as (g_new·d - g_old·d) stp like L-BFGS-B.
    const sy = (gdNew - gd0) * stp;
    if (sy <= EPS * (-gd0 * stp)) continue;
    let slot: number;
    if (count < memory) {
      slot = (head + count) % memory;
      count++;
    } else {
      slot = head;
      head = (head + 1) % memory;
    }
    const s = (S[slot] ??= new Float64Array(n));
    const yv = (Y[slot] ??= new Float64Array(n));
    let yy = 0;
    for (let i = 0; i < n; i++) {
      s[i] = stp * d[i]!;
      const v = g[i]! - gOld[i]!;
      yv[i] = v;
      yy += v * v;
    }
    rho[slot] = 1 / sy;
    theta = yy / sy;
  }
}

type LineSearchTask = 'FG' | 'CONVERGENCE' | 'WARNING';

/**
 * Moré and Thuente's line search (MINPACK-2 `dcsrch`, as L-BFGS-B 3.0 calls it): finds a step satisfying
 * f(stp) <= f(0) + ftol·stp·f'(0) and |f'(stp)| <= gtol·|f'(0)|, keeping an interval of uncertainty that is
 * narrowed by safeguarded cubic and quadratic interpolation (`step`). Create it with f(0), f'(0) and the first
 * trial step; evaluate at `stp`, pass the values to `next`, and repeat while it answers 'FG'.
 */
class MoreThuente {
  stp: number;
  private brackt = false;
  private stage = 1;
  private readonly finit: number;
  private readonly ginit: number;
  private readonly gtest: number;
  private width: number;
  private width1: number;
  private stx = 0;
  private fx: number;
  private gx: number;
  private sty = 0;
  private fy: number;
  private gy: number;
  private stmin: number;
  private stmax: number;

  constructor(
    f0: number,
    g0: number,
    stp: number,
    ftol: number,
    private readonly gtol: number,
    private readonly xtol: number,
    private readonly stpmin: number,
    private readonly stpmax: number,
  ) {
    this.stp = stp;
    this.finit = f0;
    this.ginit = g0;
    this.gtest = ftol * g0;
    this.width = stpmax - stpmin;
    this.width1 = this.width / 0.5;
    this.fx = f0;
    this.gx = g0;
    this.fy = f0;
    this.gy = g0;
    this.stmin = 0;
    this.stmax = stp + 4 * stp;
  }

  /** Takes f and f' at the current `stp`; answers 'FG' with a new `stp` to evaluate, or a final task. */
  next(f: number, g: number): LineSearchTask {
    const { stp, gtest } = this;
    const ftest = this.finit + stp * gtest;
    if (this.stage === 1 && f <= ftest && g >= 0) this.stage = 2;
    let task: LineSearchTask = 'FG';
    // Warnings: rounding errors prevent progress, the interval is below xtol, or the step hit a bound.
    if (this.brackt && (stp <= this.stmin || stp >= this.stmax)) task = 'WARNING';
    if (this.brackt && this.stmax - this.stmin <= this.xtol * this.stmax) task = 'WARNING';
    if (stp === this.stpmax && f <= ftest && g <= gtest) task = 'WARNING';
    if (stp === this.stpmin && (f > ftest || g >= gtest)) task = 'WARNING';
    if (f <= ftest && Math.abs(g) <= this.gtol * -this.ginit) task = 'CONVERGENCE';
    if (task !== 'FG') return task;

    if (this.stage === 1 && f <= this.fx && f > ftest) {
      // First stage: a step on the modified function psi(stp) = f(stp) - f(0) - ftol stp f'(0).
      const fm = f - stp * gtest;
      const fxm = this.fx - this.stx * gtest;
      const fym = this.fy - this.sty * gtest;
      const gm = g - gtest;
      const gxm = this.gx - gtest;
      const gym = this.gy - gtest;
      const r = this.step(fxm, gxm, fym, gym, fm, gm);
      this.fx = r.fx + this.stx * gtest;
      this.fy = r.fy + this.sty * gtest;
      this.gx = r.dx + gtest;
      this.gy = r.dy + gtest;
    } else {
      const r = this.step(this.fx, this.gx, this.fy, this.gy, f, g);
      this.fx = r.fx;
      this.fy = r.fy;
      this.gx = r.dx;
      this.gy = r.dy;
    }

    // Bisect when the interval does not shrink enough.
    if (this.brackt) {
      if (Math.abs(this.sty - this.stx) >= 0.66 * this.width1) this.stp = this.stx + 0.5 * (this.sty - this.stx);
      this.width1 = this.width;
      this.width = Math.abs(this.sty - this.stx);
    }
    if (this.brackt) {
      this.stmin = Math.min(this.stx, this.sty);
      this.stmax = Math.max(this.stx, this.sty);
    } else {
      this.stmin = this.stp + 1.1 * (this.stp - this.stx);
      this.stmax = this.stp + 4 * (this.stp - this.stx);
    }
    this.stp = Math.min(Math.max(this.stp, this.stpmin), this.stpmax);
    // When no further progress is possible, go back to the best step found.
    if ((this.brackt && (this.stp <= this.stmin || this.stp >= this.stmax)) || (this.brackt && this.stmax - this.stmin <= this.xtol * this.stmax)) {
      this.stp = this.stx;
    }
    return 'FG';
  }

  /**
   * One safeguarded step (MINPACK-2 `dcstep`): from the best step stx (fx, dx), the other end sty (fy, dy) and the
   * trial stp (fp, dp), computes the next trial step and updates the interval. Four cases, after Moré and Thuente
   * §4: a higher function value (cubic or mid cubic-quadratic step, bracketed); derivatives of opposite sign (cubic
   * or secant step, bracketed); a smaller derivative of the same sign (cubic step if it goes the right way, else
   * the secant step, kept within 0.66 of the interval once bracketed); otherwise a cubic step from the other end,
   * or a step to a bound.
   */
  private step(fx: number, dx: number, fy: number, dy: number, fp: number, dp: number): { fx: number; dx: number; fy: number; dy: number } {
    const { stx, sty, stp, stmin: lo, stmax: hi } = this;
    const sgnd = dp * (dx / Math.abs(dx));
    let stpf: number;
    if (fp > fx) {
      const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
      const s = Math.max(Math.abs(theta), Math.abs(dx), Math.abs(dp));
      let gamma = s * Math.sqrt((theta / s) ** 2 - (dx / s) * (dp / s));
      if (stp < stx) gamma = -gamma;
      const p = gamma - dx + theta;
      const q = gamma - dx + gamma + dp;
      const r = p / q;
      const stpc = stx + r * (stp - stx);
      const stpq = stx + (dx / ((fx - fp) / (stp - stx) + dx) / 2) * (stp - stx);
      stpf = Math.abs(stpc - stx) < Math.abs(stpq - stx) ? stpc : stpc + (stpq - stpc) / 2;
      this.brackt = true;
    } else if (sgnd < 0) {
      const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
      const s = Math.max(Math.abs(theta), Math.abs(dx), Math.abs(dp));
      let gamma = s * Math.sqrt((theta / s) ** 2 - (dx / s) * (dp / s));
      if (stp > stx) gamma = -gamma;
      const p = gamma - dp + theta;
      const q = gamma - dp + gamma + dx;
      const r = p / q;
      const stpc = stp + r * (stx - stp);
      const stpq = stp + (dp / (dp - dx)) * (stx - stp);
      stpf = Math.abs(stpc - stp) > Math.abs(stpq - stp) ? stpc : stpq;
      this.brackt = true;
    } else if (Math.abs(dp) < Math.abs(dx)) {
      const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
      const s = Math.max(Math.abs(theta), Math.abs(dx), Math.abs(dp));
      let gamma = s * Math.sqrt(Math.max(0, (theta / s) ** 2 - (dx / s) * (dp / s)));
      if (stp > stx) gamma = -gamma;
      const p = gamma - dp + theta;
      const q = gamma + (dx - dp) + gamma;
      const r = p / q;
      let stpc: number;
      if (r < 0 && gamma !== 0) stpc = stp + r * (stx - stp);
      else if (stp > stx) stpc = hi;
      else stpc = lo;
      const stpq = stp + (dp / (dp - dx)) * (stx - stp);
      if (this.brackt) {
        stpf = Math.abs(stpc - stp) < Math.abs(stpq - stp) ? stpc : stpq;
        stpf = stp > stx ? Math.min(stp + 0.66 * (sty - stp), stpf) : Math.max(stp + 0.66 * (sty - stp), stpf);
      } else {
        stpf = Math.abs(stpc - stp) > Math.abs(stpq - stp) ? stpc : stpq;
        stpf = Math.max(lo, Math.min(hi, stpf));
      }
    } else if (this.brackt) {
      const theta = (3 * (fp - fy)) / (sty - stp) + dy + dp;
      const s = Math.max(Math.abs(theta), Math.abs(dy), Math.abs(dp));
      let gamma = s * Math.sqrt((theta / s) ** 2 - (dy / s) * (dp / s));
      if (stp > sty) gamma = -gamma;
      const p = gamma - dp + theta;
      const q = gamma - dp + gamma + dy;
      const r = p / q;
      stpf = stp + r * (sty - stp);
    } else {
      stpf = stp > stx ? hi : lo;
    }

    // Update the interval that contains a minimiser.
    if (fp > fx) {
      this.sty = stp;
      fy = fp;
      dy = dp;
    } else {
      if (sgnd < 0) {
        this.sty = stx;
        fy = fx;
        dy = dx;
      }
      this.stx = stp;
      fx = fp;
      dx = dp;
    }
    this.stp = stpf;
    return { fx, dx, fy, dy };
  }
}
