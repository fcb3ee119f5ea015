#!/usr/bin/python3
"""Golden fixtures for audiomill's linear evaluation models (src/eval/models/: StandardScaler, Ridge, RidgeCV,
PCA and parallel analysis, CCA), from scikit-learn 1.2.1 / SciPy 1.10.1 / NumPy 1.24.

Run from the repository root with Debian's Python (python3-sklearn, python3-scipy, python3-numpy):

    /usr/bin/python3 tests/parity/make_eval_linear_fixtures.py

Writes tests/parity/fixtures/eval/linear.json (that file only):

    { generator, versions, tolerances, scaler: [...], ridge: [...], ridgecv: [...], pca: [...], cca: [...],
      parallel: [...], errors: [...] }

Every case holds its inputs (matrices as lists of rows, rounded to 6 decimals so the file stays small; the
rounded values are the inputs), the options in audiomill's camelCase, the fitted attributes and outputs that
scikit-learn gave, and the warnings it emitted (category and message). `errors` lists the calls scikit-learn
refuses, with the exception type and message. CCA cases are fitted with a tight tolerance (tol=1e-10,
max_iter=10000) unless a case says otherwise. Parallel analysis cases record the data's eigenvalues and the
notebook's NumPy baseline (default_rng(42), 1000 draws): audiomill's generator is another stream, so only the
eigenvalues and the retained count are compared exactly.

NaN and infinities are written as the strings "nan", "inf", "-inf". Deterministic: fixed seeds (crc32 of the
case name); two runs give byte-identical files.
"""

import json
import sys
import warnings
import zlib
from pathlib import Path

import numpy as np
import scipy
import sklearn
from sklearn.cross_decomposition import CCA
from sklearn.decomposition import PCA
from sklearn.linear_model import Ridge, RidgeCV
from sklearn.preprocessing import StandardScaler

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "tests" / "parity" / "fixtures" / "eval" / "linear.json"
GENERATOR = "tests/parity/make_eval_linear_fixtures.py"
SIZE_BUDGET_BYTES = 1000 * 1000
SCORE_ROWS = 10  # CCA training scores: the first rows only (the correlations use all of them)

TOLERANCES = {
    "default": {"rel": 1e-9, "abs": 1e-12},
    "ridge_coef": {"rel": 1e-9, "abs": 1e-12, "note": "the issue asks 1e-6; well-conditioned cases reach 1e-9"},
    "cca": {"rel": 1e-8, "abs": 1e-10, "note": "power method at tol 1e-10; canonical correlations within 1e-9"},
    "parallel_thresholds": {"rel": 0.05, "note": "another random stream: statistical agreement only"},
}


def rng(name):
    return np.random.default_rng(zlib.crc32(name.encode()))


def enc(a):
    """JSON-safe: floats by repr (exact round trip), NaN/inf as strings, arrays as nested lists."""
    if a is None:
        return None
    if isinstance(a, (bool, np.bool_)):
        return bool(a)
    if isinstance(a, (int, np.integer)):
        return int(a)
    if isinstance(a, (float, np.floating)):
        f = float(a)
        if np.isnan(f):
            return "nan"
        if np.isinf(f):
            return "inf" if f > 0 else "-inf"
        return f
    if isinstance(a, np.ndarray):
        if a.dtype.kind in "iu":
            return a.tolist()
        return [enc(v) for v in a] if a.ndim == 1 else [enc(r) for r in a]
    if isinstance(a, (list, tuple)):
        return [enc(v) for v in a]
    if isinstance(a, dict):
        return {k: enc(v) for k, v in a.items()}
    raise TypeError(type(a))


def data(name, n, p, scale=1.0):
    return np.round(rng(name).normal(size=(n, p)) * scale, 6)


def record(fn):
    """Runs fn, returning (result, warnings as [{category, message}])."""
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        out = fn()
    seen = []
    for x in w:
        item = {"category": x.category.__name__, "message": str(x.message)}
        if item not in seen:
            seen.append(item)
    return out, seen


# ---------------------------------------------------------------------------------------------------------------
# StandardScaler


def scaler_case(name, X, with_mean=True, with_std=True, sample_weight=None, X_new=None):
    def run():
        s = StandardScaler(with_mean=with_mean, with_std=with_std).fit(X, sample_weight=sample_weight)
        return s, s.transform(X if X_new is None else X_new)

    (s, t), w = record(run)
    nss = s.n_samples_seen_
    return {
        "name": name,
        "X": enc(X),
        "Xnew": enc(X_new),
        "options": {"withMean": with_mean, "withStd": with_std},
        "sampleWeight": enc(sample_weight),
        "expected": {
            "mean": enc(s.mean_),
            "var": enc(s.var_),
            "scale": enc(s.scale_),
            "nSamplesSeen": enc(nss) if np.ndim(nss) else enc(float(nss)),
            "transform": enc(t),
            "inverseTransform": enc(s.inverse_transform(t)),
        },
        "warnings": w,
    }


def scaler_cases():
    cases = []
    for n, p in [(20, 5), (1, 3), (7, 1), (50, 12), (3, 4)]:
        name = f"scaler_random_{n}x{p}"
        X = data(name, n, p, 3.0) + rng(name + "m").normal(size=p) * 10
        cases.append(scaler_case(name, np.round(X, 6), X_new=data(name + "new", 4, p)))
    X = data("scaler_constant", 15, 5)
    X[:, 1] = 3.0  # exactly constant
    X[:, 2] = 0.1  # constant, mean not exact: variance at the rounding floor -> scale 1
    X[:, 3] = 1e6 + np.round(rng("c3").normal(size=15) * 1e-9, 15)  # tiny variance relative to the mean
    cases.append(scaler_case("scaler_constant_columns", X))
    X = data("scaler_nan", 25, 6)
    mask = rng("scaler_nan_mask").random(size=X.shape) < 0.15
    X[mask] = np.nan
    cases.append(scaler_case("scaler_nan", X, X_new=X[:5]))
    X = data("scaler_weights", 30, 4)
    sw = np.round(rng("scaler_weights_sw").uniform(0, 3, size=30), 6)
    sw[[3, 7]] = 0.0
    cases.append(scaler_case("scaler_weights", X, sample_weight=sw))
    Xn = X.copy()
    Xn[2, 1] = np.nan
    Xn[9, 3] = np.nan
    cases.append(scaler_case("scaler_weights_nan", Xn, sample_weight=sw))
    cases.append(scaler_case("scaler_no_mean", data("scaler_no_mean", 12, 3) + 5, with_mean=False))
    cases.append(scaler_case("scaler_no_std", data("scaler_no_std", 12, 3) + 5, with_std=False))
    cases.append(scaler_case("scaler_neither_nan", Xn[:10], with_mean=False, with_std=False))
    X = data("scaler_all_nan_col", 6, 3)
    X[:, 1] = np.nan
    cases.append(scaler_case("scaler_all_nan_column", X))
    return cases


# ---------------------------------------------------------------------------------------------------------------
# Ridge


def ridge_case(name, X, y, alpha=1.0, fit_intercept=True, sample_weight=None, X_new=None):
    def run():
        a = np.asarray(alpha) if isinstance(alpha, list) else alpha
        return Ridge(alpha=a, fit_intercept=fit_intercept).fit(X, y, sample_weight=sample_weight)

    r, w = record(run)
    X_new = X if X_new is None else X_new
    return {
        "name": name,
        "X": enc(X),
        "y": enc(y),
        "Xnew": enc(X_new),
        "options": {"alpha": enc(alpha), "fitIntercept": fit_intercept},
        "sampleWeight": enc(sample_weight),
        "expected": {"coef": enc(r.coef_), "intercept": enc(r.intercept_), "predict": enc(r.predict(X_new))},
        "warnings": w,
    }


def targets(name, X, t=None, noise=0.5):
    g = rng(name + "_y")
    w = g.normal(size=(X.shape[1],) if t is None else (X.shape[1], t))
    y = X @ w + noise * g.normal(size=(X.shape[0],) if t is None else (X.shape[0], t)) + 1.5
    return np.round(y, 6)


def ridge_cases():
    cases = []
    for n, p, alpha in [(30, 5, 1.0), (50, 20, 0.01), (10, 30, 1.0), (5, 40, 3.0), (20, 20, 1.0), (2, 3, 1.0),
                        (1, 3, 1.0), (60, 8, 100.0), (12, 12, 0.5)]:
        name = f"ridge_{n}x{p}_a{alpha}"
        X = data(name, n, p)
        cases.append(ridge_case(name, X, targets(name, X), alpha, X_new=data(name + "new", 3, p)))
    for n, p in [(40, 6), (8, 25)]:
        name = f"ridge_multi_{n}x{p}"
        X = data(name, n, p)
        Y = targets(name, X, t=3)
        cases.append(ridge_case(name, X, Y, 1.0))
        cases.append(ridge_case(name + "_alpha_per_target", X, Y, [0.1, 1.0, 10.0]))
        cases.append(ridge_case(name + "_no_intercept", X, Y, 2.0, fit_intercept=False))
    name = "ridge_y_2d_one_column"
    X = data(name, 15, 4)
    cases.append(ridge_case(name, X, targets(name, X)[:, None], 1.0))
    for n, p in [(25, 5), (6, 15)]:
        name = f"ridge_weights_{n}x{p}"
        X = data(name, n, p)
        sw = np.round(rng(name + "sw").uniform(0.1, 3, size=n), 6)
        sw[1] = 0.0
        cases.append(ridge_case(name, X, targets(name, X), 0.7, sample_weight=sw))
        cases.append(ridge_case(name + "_no_intercept", X, targets(name, X), 0.7, fit_intercept=False, sample_weight=sw))
    name = "ridge_constant_column"
    X = data(name, 20, 4)
    X[:, 2] = 2.0
    cases.append(ridge_case(name, X, targets(name, X), 1.0))
    name = "ridge_alpha0_full_rank"
    X = data(name, 30, 4)
    cases.append(ridge_case(name, X, targets(name, X), 0.0))
    # Rank-deficient X with alpha 0. Integer data: X^T X is exact and the Cholesky of the duplicated column
    # breaks down exactly (scikit-learn falls back to the SVD solver: the minimum-norm solution).
    name = "ridge_alpha0_duplicate_column"
    Xi = rng(name).integers(-3, 4, size=(12, 3)).astype(float)
    Xi = Xi - Xi.mean(axis=0).round()  # keep integers
    X = np.hstack([Xi, Xi[:, :1]])
    cases.append(ridge_case(name, X, targets(name, X), 0.0, fit_intercept=False))
    name = "ridge_alpha0_wide"
    X = data(name, 6, 10)
    cases.append(ridge_case(name, X, targets(name, X), 0.0))
    cases.append(ridge_case(name + "_no_intercept", X, targets(name, X), 0.0, fit_intercept=False))
    return cases


# ---------------------------------------------------------------------------------------------------------------
# RidgeCV


def ridgecv_case(name, X, y, alphas=(0.1, 1.0, 10.0), fit_intercept=True, cv=None, alpha_per_target=False,
                 sample_weight=None):
    def run():
        return RidgeCV(alphas=np.asarray(alphas), fit_intercept=fit_intercept, cv=cv,
                       alpha_per_target=alpha_per_target).fit(X, y, sample_weight=sample_weight)

    r, w = record(run)
    return {
        "name": name,
        "X": enc(X),
        "y": enc(y),
        "options": {"alphas": enc(list(alphas)), "fitIntercept": fit_intercept, "cv": cv,
                    "alphaPerTarget": alpha_per_target},
        "sampleWeight": enc(sample_weight),
        "expected": {"alpha": enc(r.alpha_), "bestScore": enc(r.best_score_), "coef": enc(r.coef_),
                     "intercept": enc(r.intercept_), "predict": enc(r.predict(X[:3]))},
        "warnings": w,
    }


def ridgecv_cases():
    cases = []
    grid = list(np.round(np.logspace(-3, 3, 10), 12))
    for n, p in [(50, 10), (20, 40), (30, 30), (31, 30), (8, 3), (4, 6), (3, 1)]:
        name = f"ridgecv_loo_{n}x{p}"
        X = data(name, n, p)
        cases.append(ridgecv_case(name, X, targets(name, X, noise=2.0), grid))
    for n, p in [(40, 8), (12, 30)]:
        name = f"ridgecv_multi_{n}x{p}"
        X = data(name, n, p)
        Y = targets(name, X, t=3, noise=2.0)
        Y[:, 2] *= 0.1
        cases.append(ridgecv_case(name, X, Y, grid))
        cases.append(ridgecv_case(name + "_per_target", X, Y, grid, alpha_per_target=True))
        cases.append(ridgecv_case(name + "_no_intercept", X, Y, grid, fit_intercept=False))
        sw = np.round(rng(name + "sw").uniform(0.2, 2, size=n), 6)
        cases.append(ridgecv_case(name + "_weights", X, Y, grid, sample_weight=sw))
        cases.append(ridgecv_case(name + "_weights_no_intercept", X, Y, grid, fit_intercept=False, sample_weight=sw))
    name = "ridgecv_per_target_vector_y"
    X = data(name, 25, 5)
    y = targets(name, X, noise=2.0)
    cases.append(ridgecv_case(name, X, y, grid, alpha_per_target=True))
    cases.append(ridgecv_case(name + "_2d_one_column", X, y[:, None], grid, alpha_per_target=True))
    cases.append(ridgecv_case("ridgecv_default_alphas", X, y))
    cases.append(ridgecv_case("ridgecv_tied_alphas", X, y, [1.0, 1.0, 1.0]))
    cases.append(ridgecv_case("ridgecv_single_sample", X[:1], y[:1]))
    for cv in (3, 5):
        name = f"ridgecv_kfold{cv}"
        X = data(name, 37, 6)
        Y = targets(name, X, t=2, noise=2.0)
        cases.append(ridgecv_case(name, X, Y[:, 0], grid, cv=cv))
        cases.append(ridgecv_case(name + "_multi", X, Y, grid, cv=cv))
        sw = np.round(rng(name + "sw").uniform(0.2, 2, size=37), 6)
        cases.append(ridgecv_case(name + "_weights", X, Y[:, 0], grid, cv=cv, sample_weight=sw))
        cases.append(ridgecv_case(name + "_no_intercept", X, Y[:, 0], grid, cv=cv, fit_intercept=False))
    name = "ridgecv_kfold_wide"
    X = data(name, 15, 30)
    cases.append(ridgecv_case(name, X, targets(name, X, noise=2.0), grid, cv=3))
    name = "ridgecv_kfold_constant_fold"
    X = data(name, 12, 3)
    y = targets(name, X, noise=2.0)
    y[:4] = 7.0  # the first test fold's targets are constant: R^2 is forced finite (0)
    cases.append(ridgecv_case(name, X, y, grid, cv=3))
    name = "ridgecv_kfold_singleton_folds"
    X = data(name, 6, 2)
    cases.append(ridgecv_case(name, X, targets(name, X), [0.1, 1.0], cv=6))
    return cases


# ---------------------------------------------------------------------------------------------------------------
# PCA


def pca_case(name, X, n_components=None, whiten=False, X_new=None, Z=None, svd_solver="auto"):
    def run():
        return PCA(n_components=n_components, whiten=whiten, svd_solver=svd_solver).fit(X)

    p, w = record(run)
    X_new = X[:5] if X_new is None else X_new
    t, wt = record(lambda: p.transform(X_new))
    Z = t if Z is None else Z
    inv, wi = record(lambda: p.inverse_transform(Z))
    return {
        "name": name,
        "X": enc(X),
        "Xnew": enc(X_new),
        "Z": enc(Z),
        "options": {"nComponents": enc(n_components), "whiten": whiten},
        "svdSolver": p._fit_svd_solver,
        "expected": {
            "components": enc(p.components_),
            "explainedVariance": enc(p.explained_variance_),
            "explainedVarianceRatio": enc(p.explained_variance_ratio_),
            "singularValues": enc(p.singular_values_),
            "mean": enc(p.mean_),
            "noiseVariance": enc(p.noise_variance_),
            "nComponents": int(p.n_components_),
            "transform": enc(t),
            "inverseTransform": enc(inv),
        },
        "warnings": w + [x for x in wt + wi if x not in w],
    }


def pca_cases():
    cases = []
    for n, p, k in [(30, 5, None), (30, 5, 2), (5, 30, None), (5, 30, 3), (50, 50, 10), (150, 15, None),
                    (100, 3, 1), (12, 7, 7), (7, 12, 6), (2, 4, 1)]:
        name = f"pca_{n}x{p}_k{k}"
        g = rng(name)
        # Correlated features with distinct variances.
        X = np.round(g.normal(size=(n, p)) @ (np.diag(np.linspace(3, 0.5, p)) + 0.3 * g.normal(size=(p, p))) + 2, 6)
        cases.append(pca_case(name, X, k, X_new=data(name + "new", 4, p)))
    name = "pca_whiten"
    X = data(name, 40, 6) @ np.diag([5, 3, 2, 1, 0.5, 0.2])
    cases.append(pca_case(name, np.round(X, 6), 4, whiten=True, X_new=data(name + "new", 3, 6)))
    cases.append(pca_case(name + "_all", np.round(X, 6), None, whiten=True))
    for frac in (0.5, 0.9, 0.999):
        name = f"pca_fraction_{frac}"
        X = np.round(data("pca_fraction", 60, 8) @ np.diag([6, 4, 3, 2, 1, 0.5, 0.3, 0.1]), 6)
        cases.append(pca_case(name, X, frac))
    name = "pca_constant_column"
    X = data(name, 20, 5)
    X[:, 3] = 4.0
    cases.append(pca_case(name, X, 3))
    # Above 500 rows scikit-learn's 'auto' would pick the randomized solver for 4 components; 'full' is the exact one.
    name = "pca_full_solver_520x12"
    X = np.round(data(name, 520, 12) @ np.diag(np.linspace(4, 0.5, 12)), 6)
    cases.append(pca_case(name, X, 4, svd_solver="full", X_new=X[:3]))
    cases.append(pca_case("pca_single_sample", data("pca_single", 1, 3), None))
    cases.append(pca_case("pca_constant_data", np.full((5, 3), 2.5), 2))
    cases.append(pca_case("pca_zero_components", data("pca_zero", 10, 4), 0))
    return cases


# ---------------------------------------------------------------------------------------------------------------
# CCA


def cca_case(name, X, Y, n_components=2, scale=True, tol=1e-10, max_iter=10000, X_new=None):
    def run():
        c = CCA(n_components=n_components, scale=scale, tol=tol, max_iter=max_iter)
        xs, ys = c.fit_transform(X, Y)
        return c, xs, ys

    (c, xs, ys), w = record(run)
    corrs, wc = record(lambda: [float(np.corrcoef(xs[:, i], ys[:, i])[0, 1]) for i in range(n_components)])
    X_new = X[:4] if X_new is None else X_new
    return {
        "name": name,
        "X": enc(X),
        "Y": enc(Y),
        "Xnew": enc(X_new),
        "options": {"nComponents": n_components, "scale": scale, "tol": tol, "maxIter": max_iter},
        "expected": {
            "xWeights": enc(c.x_weights_),
            "yWeights": enc(c.y_weights_),
            "xLoadings": enc(c.x_loadings_),
            "yLoadings": enc(c.y_loadings_),
            "xRotations": enc(c.x_rotations_),
            "yRotations": enc(c.y_rotations_),
            "coef": enc(c._coef_),
            "intercept": enc(c.intercept_),
            "nIter": [int(i) for i in c.n_iter_],
            "xScores": enc(xs[:SCORE_ROWS]),
            "yScores": enc(ys[:SCORE_ROWS]),
            "canonicalCorrelations": enc(corrs),
            "predict": enc(c.predict(X_new)),
        },
        "warnings": w + [x for x in wc if x not in w],
    }


def cca_cases():
    cases = []
    for n, p, q, k in [(50, 6, 3, 2), (50, 6, 3, 3), (40, 4, 4, 4), (120, 20, 8, 8), (30, 8, 2, 2), (25, 3, 5, 3)]:
        name = f"cca_{n}x{p}_{q}_k{k}"
        g = rng(name)
        latent = g.normal(size=(n, 2))
        X = np.round(latent @ g.normal(size=(2, p)) + g.normal(size=(n, p)), 6)
        Y = np.round(latent @ g.normal(size=(2, q)) + g.normal(size=(n, q)) * 1.5 + 3, 6)
        cases.append(cca_case(name, X, Y, k, X_new=data(name + "new", 3, p)))
    name = "cca_default_tol"
    g = rng(name)
    latent = g.normal(size=(60, 2))
    X = np.round(latent @ g.normal(size=(2, 5)) + g.normal(size=(60, 5)), 6)
    Y = np.round(latent @ g.normal(size=(2, 3)) + g.normal(size=(60, 3)), 6)
    cases.append(cca_case(name, X, Y, 2, tol=1e-6, max_iter=500))
    cases.append(cca_case("cca_no_scale", X, Y, 2, scale=False))
    cases.append(cca_case("cca_vector_y", X, Y[:, 0], 1))
    Xc = X.copy()
    Xc[:, 2] = 5.0
    cases.append(cca_case("cca_constant_x_column", Xc, Y, 2))
    # Y of rank 1: after one component its residual is constant; scikit-learn warns and leaves the rest zero.
    name = "cca_y_residual_constant"
    g = rng(name)
    y = np.round(g.normal(size=30), 6)
    cases.append(cca_case(name, data(name, 30, 4), np.c_[y, 2 * y], 2))
    cases.append(cca_case("cca_max_iter_reached", X, Y, 2, tol=1e-6, max_iter=2))
    name = "cca_wide_x"
    g = rng(name)
    cases.append(cca_case(name, data(name, 10, 20), data(name + "y", 10, 3), 2))
    return cases


# ---------------------------------------------------------------------------------------------------------------
# Parallel analysis (the piano audit's procedure)


def parallel_case(name, X, n_sim=1000):
    Xs = StandardScaler().fit_transform(X)
    d = X.shape[1]
    ev = PCA(n_components=d).fit(Xs).explained_variance_
    g = np.random.default_rng(42)
    rand = np.zeros((n_sim, d))
    for i in range(n_sim):
        rand[i] = PCA(n_components=d).fit(g.standard_normal(X.shape)).explained_variance_
    thr = np.percentile(rand, 95, axis=0)
    return {
        "name": name,
        "X": enc(X),
        "expected": {"eigenvalues": enc(ev), "thresholdsNumpy": enc(thr), "nComponents": int(np.sum(ev > thr))},
    }


def parallel_cases():
    cases = []
    for n, d, k in [(300, 10, 3), (250, 15, 5), (200, 8, 0)]:
        name = f"parallel_{n}x{d}_k{k}"
        g = rng(name)
        X = g.normal(size=(n, d))
        if k:
            X = X + g.normal(size=(n, k)) @ (g.normal(size=(k, d)) * 1.2)
        cases.append(parallel_case(name, np.round(X, 6)))
    return cases


# ---------------------------------------------------------------------------------------------------------------
# Errors


def error_case(model, name, call, **inputs):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            call()
    except Exception as e:  # noqa: BLE001 - the exception is the fixture
        return {"model": model, "name": name, "inputs": enc(inputs),
                "exception": {"type": type(e).__name__,
                              "bases": [c.__name__ for c in type(e).__mro__[1:-1]],
                              "message": str(e)}}
    raise AssertionError(f"{name}: scikit-learn did not raise")


def error_cases():
    X = data("errors", 6, 3)
    y = np.round(rng("errors_y").normal(size=6), 6)
    Xnan = X.copy()
    Xnan[2, 1] = np.nan
    Xinf = X.copy()
    Xinf[4, 0] = np.inf
    ynan = y.copy()
    ynan[3] = np.nan
    E = []
    E.append(error_case("Ridge", "ridge_nan_x", lambda: Ridge().fit(Xnan, y), X=Xnan, y=y))
    E.append(error_case("Ridge", "ridge_inf_x", lambda: Ridge().fit(Xinf, y), X=Xinf, y=y))
    E.append(error_case("Ridge", "ridge_nan_y", lambda: Ridge().fit(X, ynan), X=X, y=ynan))
    E.append(error_case("Ridge", "ridge_mismatched_lengths", lambda: Ridge().fit(X, y[:5]), X=X, y=y[:5]))
    E.append(error_case("Ridge", "ridge_negative_alpha", lambda: Ridge(alpha=-1.0).fit(X, y), X=X, y=y, alpha=-1.0))
    E.append(error_case("Ridge", "ridge_alpha_count", lambda: Ridge(alpha=np.array([1.0, 2.0])).fit(X, np.c_[y, y, y]),
                        X=X, y=np.c_[y, y, y], alpha=[1.0, 2.0]))
    E.append(error_case("Ridge", "ridge_no_samples", lambda: Ridge().fit(X[:0], y[:0]), X=X[:0], y=y[:0]))
    E.append(error_case("RidgeCV", "ridgecv_zero_alpha", lambda: RidgeCV(alphas=[0.0, 1.0]).fit(X, y), X=X, y=y,
                        alphas=[0.0, 1.0]))
    E.append(error_case("RidgeCV", "ridgecv_cv_and_alpha_per_target",
                        lambda: RidgeCV(cv=3, alpha_per_target=True).fit(X, y), X=X, y=y, cv=3))
    E.append(error_case("RidgeCV", "ridgecv_more_folds_than_samples", lambda: RidgeCV(cv=7).fit(X, y), X=X, y=y, cv=7))
    E.append(error_case("RidgeCV", "ridgecv_nan_x", lambda: RidgeCV().fit(Xnan, y), X=Xnan, y=y))
    E.append(error_case("PCA", "pca_too_many_components", lambda: PCA(n_components=4).fit(X), X=X, nComponents=4))
    E.append(error_case("PCA", "pca_nan", lambda: PCA().fit(Xnan), X=Xnan))
    E.append(error_case("PCA", "pca_inf", lambda: PCA().fit(Xinf), X=Xinf))
    E.append(error_case("CCA", "cca_too_many_components", lambda: CCA(n_components=3).fit(X, np.c_[y, y]), X=X,
                        Y=np.c_[y, y], nComponents=3))
    E.append(error_case("CCA", "cca_one_sample", lambda: CCA(n_components=1).fit(X[:1], y[:1]), X=X[:1], Y=y[:1],
                        nComponents=1))
    E.append(error_case("CCA", "cca_nan_y", lambda: CCA(n_components=1).fit(X, ynan), X=X, Y=ynan, nComponents=1))
    E.append(error_case("CCA", "cca_mismatched_lengths", lambda: CCA(n_components=1).fit(X, y[:4]), X=X, Y=y[:4],
                        nComponents=1))
    E.append(error_case("StandardScaler", "scaler_inf", lambda: StandardScaler().fit(Xinf), X=Xinf))
    E.append(error_case("StandardScaler", "scaler_no_samples", lambda: StandardScaler().fit(X[:0]), X=X[:0]))
    return E


def main():
    index = {
        "generator": GENERATOR,
        "versions": {"sklearn": sklearn.__version__, "scipy": scipy.__version__, "numpy": np.__version__,
                     "python": sys.version.split()[0]},
        "tolerances": TOLERANCES,
        "scaler": scaler_cases(),
        "ridge": ridge_cases(),
        "ridgecv": ridgecv_cases(),
        "pca": pca_cases(),
        "cca": cca_cases(),
        "parallel": parallel_cases(),
        "errors": error_cases(),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(index, indent=None, sort_keys=True, separators=(",", ":")) + "\n"
    OUT.write_text(text)
    counts = {k: len(v) for k, v in index.items() if isinstance(v, list)}
    print(f"{sum(counts.values())} cases {counts}, {len(text) / 1e3:.0f} KB in {OUT.relative_to(REPO)}")
    if len(text) > SIZE_BUDGET_BYTES:
        print(f"warning: fixtures exceed the {SIZE_BUDGET_BYTES / 1e3:.0f} KB budget", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
