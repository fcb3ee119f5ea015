/**
 * The warnings of the evaluation pipeline: each is a `process.emitWarning` with one of the codes below, the house's
 * form for the warnings scikit-learn and SciPy give while still returning a value.
 */

/** A value the data leave undefined (scikit-learn's UndefinedMetricWarning, SciPy's ConstantInputWarning, a NaN score, a class too small for the folds). */
export const UNDEFINED_METRIC = 'AUDIOMILL_UNDEFINED_METRIC';
/** An iterative fit that stopped early, or a singular / ill-conditioned system solved another way (scikit-learn's ConvergenceWarning, LinAlgWarning). */
export const CONVERGENCE = 'AUDIOMILL_CONVERGENCE';
/** An option that the other options make meaningless, ignored (scikit-learn's "ignored" warnings). */
export const IGNORED_OPTION = 'AUDIOMILL_IGNORED_OPTION';
/** SciPy's `scipy.cluster.hierarchy` ClusterWarning. */
export const CLUSTER_WARNING = 'AUDIOMILL_CLUSTER_WARNING';

/** The code of an evaluation warning. */
export type EvalWarningCode = typeof UNDEFINED_METRIC | typeof CONVERGENCE | typeof IGNORED_OPTION | typeof CLUSTER_WARNING;

/** Emits an evaluation warning (`process.emitWarning(message, { code })`). */
export function warn(code: EvalWarningCode, message: string): void {
  process.emitWarning(message, { code });
}
