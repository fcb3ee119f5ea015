#!/usr/bin/python3
"""Golden fixtures for audiomill's LogisticRegression, KMeans, silhouette scores and hierarchical clustering
(src/eval/models/logistic.ts, kmeans.ts, cluster.ts), from scikit-learn 1.2.1, SciPy 1.10.1 and NumPy 1.24.

Run from the repository root with Debian's Python (python3-sklearn, python3-scipy, python3-numpy):

    /usr/bin/python3 tests/parity/make_eval_models2_fixtures.py

Writes tests/parity/fixtures/eval/models2.json (that file only):

    { generator, versions, tolerances,
      datasets:   { name: { X, y } }   (the logistic cases' training sets)
      logistic:   [{ name, data, options, sampleWeight?, Xtest, expected: { classes, coef, intercept, newtonCoef,
                     newtonIntercept, sklearnVsNewton, decision, proba, predict } }],
      kmeans:     [{ name, X, options, sampleWeight?, planted?, expected: { labels, centers, inertia, nIter,
                     warnings } }],
      silhouette: [{ name, X, labels, metric, expected: { samples, score } }],
      linkage:    [{ name, X | y, method, metric?, expected: { Z, leaves, warnings } }],
      correlationOrder: [{ name, corr, expected: { Z, leaves, condensedZ, condensedLeaves } }],
      errors:     [{ name, call, args, outcome: { raises, message } | { warns, category, message } }] }

Numbers are Python floats written with repr (they round-trip exactly); NaN and infinities are the strings "nan",
"inf" and "-inf".

Logistic regression is fitted with tol=1e-10 and max_iter=10000 (a few cases also at the defaults, tol=1e-4 and
max_iter=100). Each fit is also polished by Newton's method on the same objective (sum of weighted half log-losses
+ ||W||^2 / (2C), the intercept unpenalised, a pseudo-inverse step for the multinomial's flat direction) and that
optimum is recorded beside scikit-learn's coefficients with their distance (`sklearnVsNewton`): scikit-learn 1.2
runs SciPy's L-BFGS-B with its default ftol (factr 1e7), whose relative-reduction test stops the fit before
gtol=1e-10 is reached, 1e-6 to 1e-4 away from the optimum. An implementation that follows L-BFGS-B's iterates
(src/eval/optimize.ts) reproduces scikit-learn's coefficients; one that converges fully reproduces the Newton ones.

KMeans uses integer random_state seeds; the expected labels are scikit-learn's own (same numbering), which an
implementation that draws the same legacy RandomState stream (randint, then uniform for the k-means++ trials, or
permutation for init='random') reproduces exactly.

Deterministic: fixed seeds (numpy.random.default_rng(crc32(name))), BLAS and OpenMP on one thread; two runs give
byte-identical files.
"""

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import json  # noqa: E402
import math  # noqa: E402
import sys  # noqa: E402
import warnings  # noqa: E402
import zlib  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import scipy  # noqa: E402
import sklearn  # noqa: E402
from scipy.cluster.hierarchy import leaves_list, linkage  # noqa: E402
from scipy.spatial.distance import pdist, squareform  # noqa: E402
from scipy.special import expit, logsumexp, softmax  # noqa: E402
from sklearn.cluster import KMeans  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import silhouette_samples, silhouette_score  # noqa: E402
from sklearn.metrics.pairwise import euclidean_distances  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "tests" / "parity" / "fixtures" / "eval" / "models2.json"
GENERATOR = "tests/parity/make_eval_models2_fixtures.py"
SIZE_BUDGET_BYTES = 1000 * 1000

TOLERANCES = {
    "logisticCoef": {"abs": 1e-6, "note": "scikit-learn's coefficients at tol=1e-10, max_iter=10000"},
    "logisticNewton": {"abs": 1e-8, "note": "the Newton-polished optimum of the same objective"},
    "logisticProba": {"abs": 1e-6},
    "kmeansInertia": {"rel": 1e-9},
    "kmeansCenters": {"rel": 1e-9, "abs": 1e-12},
    "silhouette": {"rel": 1e-9, "abs": 1e-12},
    "linkageDistance": {"rel": 1e-9, "abs": 1e-12},
}


def rng(name):
    return np.random.default_rng(zlib.crc32(name.encode()))


def enc(v):
    """JSON-ready copy: arrays to lists, NaN/inf to strings, numpy scalars to Python ones."""
    if isinstance(v, dict):
        return {k: enc(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [enc(x) for x in v]
    if isinstance(v, np.ndarray):
        return enc(v.tolist())
    if isinstance(v, (np.bool_, bool)):
        return bool(v)
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        f = float(v)
        if math.isnan(f):
            return "nan"
        if math.isinf(f):
            return "inf" if f > 0 else "-inf"
        return f
    return v


def record_call(fn):
    """Runs fn, returning (value, warnings as [{category, message}]) or raising."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = fn()
    return value, [{"category": w.category.__name__, "message": str(w.message)} for w in caught]


def outcome(fn):
    """What fn did: raised (type and message) or warned (category, message, value)."""
    try:
        value, warns = record_call(fn)
    except Exception as e:  # noqa: BLE001 - every exception type is data here
        return {"raises": type(e).__name__, "message": str(e)}
    if warns:
        return {"warns": warns, "value": enc(value)}
    return {"value": enc(value)}


# ----------------------------------------------------------------------------------------------------------
# Logistic regression


def objective_grad_hess(W, X, Y, sw, C, fit_intercept, multinomial):
    """The lbfgs objective of scikit-learn 1.2, its gradient and Hessian. W: (k, d [+1]); Y: one-hot (n, k)."""
    n, d = X.shape
    Xa = np.hstack([X, np.ones((n, 1))]) if fit_intercept else X
    dof = Xa.shape[1]
    pen = np.ones(dof)
    if fit_intercept:
        pen[-1] = 0.0
    lam = 0.0 if C == math.inf else 1.0 / C
    Z = Xa @ W.T
    if multinomial:
        lse = logsumexp(Z, axis=1)
        f = np.sum(sw * (lse - np.sum(Y * Z, axis=1)))
        P = softmax(Z, axis=1)
        G = (sw[:, None] * (P - Y)).T @ Xa
        k = W.shape[0]
        H = np.zeros((k * dof, k * dof))
        for a in range(k):
            for b in range(k):
                wab = sw * P[:, a] * ((1.0 if a == b else 0.0) - P[:, b])
                H[a * dof:(a + 1) * dof, b * dof:(b + 1) * dof] = (Xa * wab[:, None]).T @ Xa
    else:
        z = Z[:, 0]
        y = Y[:, 0]
        f = np.sum(sw * (np.logaddexp(0.0, z) - y * z))
        p = expit(z)
        G = ((sw * (p - y)) @ Xa)[None, :]
        H = (Xa * (sw * p * (1 - p))[:, None]).T @ Xa
    f += 0.5 * lam * np.sum(W * W * pen[None, :])
    G = G + lam * W * pen[None, :]
    H = H + np.diag(np.tile(lam * pen, W.shape[0]))
    return f, G, H


def newton_polish(W, X, Y, sw, C, fit_intercept, multinomial):
    W = W.copy()
    for _ in range(50):
        f, G, H = objective_grad_hess(W, X, Y, sw, C, fit_intercept, multinomial)
        step = np.linalg.lstsq(H, G.ravel(), rcond=1e-13)[0].reshape(W.shape)
        W -= step
        if np.max(np.abs(step)) < 1e-15 * max(1.0, np.max(np.abs(W))):
            break
    if multinomial and fit_intercept:
        W[:, -1] -= W[:, -1].mean()  # the flat direction: the zero-sum intercepts (where lbfgs from 0 stays)
    return W


def sample_classification(name, n, d, k, sep=1.0, scale=1.0):
    g = rng(name)
    centers = g.normal(0, sep, (k, d))
    y = g.integers(0, k, n)
    y[:k] = np.arange(k)  # every class present
    X = (centers[y] + g.normal(0, 1, (n, d))) * scale
    return X, y


DATASETS = {}


def dataset(name, X, y):
    """Stores one training set (shared by several logistic cases) and returns its name."""
    DATASETS[name] = {"X": X, "y": y}
    return name


def logistic_case(name, data, options, sample_weight=None, Xtest=None):
    X, y = DATASETS[data]["X"], DATASETS[data]["y"]
    options = {"tol": 1e-10, "maxIter": 10000, **options}
    kw = {}
    cw = options.get("classWeight")
    if isinstance(cw, dict):
        # JSON keys are strings: map them back to the labels' type.
        labels = {str(v): v for v in np.unique(y).tolist()}
        cw = {labels.get(k, k): v for k, v in cw.items()}
    for key, sk in (("C", "C"), ("fitIntercept", "fit_intercept"), ("multiClass", "multi_class"),
                    ("penalty", "penalty"), ("tol", "tol"), ("maxIter", "max_iter")):
        if key in options:
            kw[sk] = options[key]
    if cw is not None:
        kw["class_weight"] = cw
    model, warns = record_call(lambda: LogisticRegression(**kw).fit(X, y, sample_weight=sample_weight))
    if warns:
        sys.exit(f"logistic {name}: unexpected warnings {warns}")
    classes = model.classes_
    k = classes.size
    mc = options.get("multiClass", "auto")
    multinomial = mc == "multinomial" or (mc == "auto" and k > 2)
    multinomial_binary = multinomial and k == 2
    fit_intercept = options.get("fitIntercept", True)
    C = options.get("C", 1.0) if options.get("penalty", "l2") is not None else math.inf
    sw = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, dtype=float)
    W_sk = np.hstack([model.coef_, model.intercept_[:, None]]) if fit_intercept else model.coef_.copy()

    # Rebuild the per-problem weights exactly as scikit-learn 1.2 does, then polish each problem.
    yi = np.searchsorted(classes, y)
    counts = np.bincount(yi, minlength=k)
    polished = []
    if multinomial:
        w = sw.copy()
        if cw == "balanced":
            w = w * (len(y) / (k * counts))[yi]
        elif isinstance(cw, dict):
            w = w * np.array([cw.get(c, 1.0) for c in classes.tolist()])[yi]
        Y = np.eye(k)[yi]
        W_full = W_sk
        if multinomial_binary:
            # scikit-learn fits two softmax rows and keeps the second; at the optimum (and from a zero start) the
            # first is its negative.
            W_full = np.vstack([-W_sk, W_sk])
        Wn = newton_polish(W_full, X, Y, w, C, fit_intercept, True)
        polished = Wn[1:2] if multinomial_binary else Wn
    else:
        problems = [classes[1]] if k == 2 else classes.tolist()
        rows = []
        for r, pos in enumerate(problems):
            yb = (y == pos).astype(float)
            w = sw.copy()
            if isinstance(cw, dict):
                w = w * np.array([cw.get(c, 1.0) for c in classes.tolist()])[yi]
            elif cw == "balanced":
                nb = np.bincount(yb.astype(int), minlength=2)
                w = w * (len(y) / (2 * nb))[yb.astype(int)]
            Wn = newton_polish(W_sk[r:r + 1], X, yb[:, None], w, C, fit_intercept, False)
            rows.append(Wn[0])
        polished = np.vstack(rows)
    gap = float(np.max(np.abs(polished - W_sk)))
    if gap > 1e-3:
        sys.exit(f"logistic {name}: scikit-learn's coefficients are {gap:.3g} from the Newton optimum")
    if Xtest is None:
        Xtest = X[: min(10, len(X))] + 0.25
    exp = {
        "classes": classes,
        "coef": model.coef_,
        "intercept": model.intercept_,
        "newtonCoef": polished[:, :X.shape[1]],
        "newtonIntercept": polished[:, -1] if fit_intercept else np.zeros(polished.shape[0]),
        "sklearnVsNewton": gap,
        "decision": model.decision_function(Xtest),
        "proba": model.predict_proba(Xtest),
        "predict": model.predict(Xtest),
        "nIter": model.n_iter_,
    }
    case = {"name": name, "data": data, "options": options, "Xtest": Xtest, "expected": exp}
    if sample_weight is not None:
        case["sampleWeight"] = sample_weight
    return case


def logistic_cases():
    cases = []
    X, y = sample_classification("lr_binary_small", 40, 2, 2)
    d_small = dataset("binary_small", X, y)
    cases.append(logistic_case("binary_small", d_small, {}))
    X, y = sample_classification("lr_binary_200x5", 200, 5, 2, sep=0.8)
    d_bin = dataset("binary_200x5", X, y)
    cases.append(logistic_case("binary_200x5", d_bin, {}))
    cases.append(logistic_case("binary_200x5_C0.1", d_bin, {"C": 0.1}))
    cases.append(logistic_case("binary_200x5_C10", d_bin, {"C": 10.0}))
    cases.append(logistic_case("binary_200x5_no_intercept", d_bin, {"fitIntercept": False}))
    g = rng("lr_binary_weights")
    sw = g.uniform(0.2, 3.0, len(y))
    cases.append(logistic_case("binary_200x5_sample_weight", d_bin, {}, sample_weight=sw))
    Xi, yi = sample_classification("lr_binary_imbalanced", 150, 3, 2, sep=0.7)
    yi = np.where(np.arange(150) % 5 == 0, 1, 0)
    Xi = Xi + yi[:, None] * 0.8
    d_imb = dataset("binary_imbalanced", Xi, yi)
    cases.append(logistic_case("binary_imbalanced_balanced", d_imb, {"classWeight": "balanced"}))
    cases.append(logistic_case("binary_imbalanced_dict", d_imb, {"classWeight": {"0": 1.0, "1": 3.5}}))
    cases.append(logistic_case("binary_multinomial", d_imb, {"multiClass": "multinomial"}))
    Xs, ys = sample_classification("lr_strings", 80, 3, 2)
    ys = np.array(["dog", "cat"])[ys]
    d_str = dataset("binary_strings", Xs, ys)
    cases.append(logistic_case("binary_string_labels", d_str, {"C": 0.5}))
    X3, y3 = sample_classification("lr_multi_150x4", 150, 4, 3)
    d_m3 = dataset("multi_150x4", X3, y3)
    cases.append(logistic_case("multinomial_3", d_m3, {}))
    cases.append(logistic_case("multinomial_3_C0.05", d_m3, {"C": 0.05}))
    cases.append(logistic_case("multinomial_3_no_intercept", d_m3, {"fitIntercept": False}))
    cases.append(logistic_case("ovr_3", d_m3, {"multiClass": "ovr"}))
    cases.append(logistic_case("ovr_3_balanced", d_m3, {"multiClass": "ovr", "classWeight": "balanced"}))
    g = rng("lr_multi_weights")
    cases.append(logistic_case("multinomial_3_sample_weight", d_m3, {}, sample_weight=g.uniform(0.1, 2, 150)))
    X5, y5 = sample_classification("lr_multi_300x6", 300, 6, 5, sep=1.2)
    y5 = y5 * 10 + 3  # labels 3, 13, 23, 33, 43
    d_m5 = dataset("multi_300x6", X5, y5)
    cases.append(logistic_case("multinomial_5", d_m5, {}))
    cases.append(logistic_case("multinomial_5_balanced", d_m5, {"classWeight": "balanced", "C": 2.0}))
    cases.append(logistic_case("multinomial_5_dict", d_m5, {"classWeight": {"3": 2.0, "23": 0.5}}))
    Xl, yl = sample_classification("lr_large_scale", 120, 3, 3)
    d_scaled = dataset("multi_scaled_features", Xl * np.array([0.1, 1.0, 5.0]), yl)
    cases.append(logistic_case("multinomial_3_scaled_features", d_scaled, {"C": 0.3}))
    Xo, yo = sample_classification("lr_overlap", 60, 2, 2, sep=0.3)
    d_ovl = dataset("binary_overlap", Xo, yo)
    cases.append(logistic_case("binary_unpenalised", d_ovl, {"penalty": None}))
    defaults = {"tol": 1e-4, "maxIter": 100}
    cases.append(logistic_case("binary_200x5_default_tol", d_bin, defaults))
    cases.append(logistic_case("multinomial_3_default_tol", d_m3, defaults))
    cases.append(logistic_case("ovr_3_default_tol", d_m3, {**defaults, "multiClass": "ovr"}))
    return cases


# ----------------------------------------------------------------------------------------------------------
# KMeans


def planted(name, k, per, d, spread=0.3, gap=10.0):
    g = rng(name)
    centers = g.normal(0, gap, (k, d))
    X = np.vstack([c + g.normal(0, spread, (per, d)) for c in centers])
    truth = np.repeat(np.arange(k), per)
    perm = g.permutation(len(X))
    return X[perm], truth[perm]


def kmeans_case(name, X, options, sample_weight=None, truth=None):
    kw = {"n_clusters": options["nClusters"], "random_state": options["randomState"], "n_init": options.get("nInit", 10)}
    for key, sk in (("init", "init"), ("maxIter", "max_iter"), ("tol", "tol")):
        if key in options:
            kw[sk] = options[key]
    model, warns = record_call(lambda: KMeans(**kw).fit(X, sample_weight=sample_weight))
    warns = [w for w in warns if w["category"] != "FutureWarning"]
    exp = {
        "labels": model.labels_,
        "centers": model.cluster_centers_,
        "inertia": model.inertia_,
        "nIter": model.n_iter_,
        "warnings": warns,
        "predict": model.predict(X[: min(12, len(X))] + 0.1),
        "score": model.score(X),
    }
    case = {"name": name, "X": X, "options": options, "expected": exp}
    if sample_weight is not None:
        case["sampleWeight"] = sample_weight
    if truth is not None:
        case["planted"] = truth
        if not same_partition(model.labels_, truth):
            sys.exit(f"kmeans {name}: scikit-learn did not recover the planted clusters")
    return case


def same_partition(a, b):
    m1, m2 = {}, {}
    for x, y in zip(a.tolist(), b.tolist()):
        if m1.setdefault(x, y) != y or m2.setdefault(y, x) != x:
            return False
    return True


def kmeans_cases():
    cases = []
    for k, per, d, seed in ((2, 20, 2, 0), (3, 30, 2, 1), (4, 25, 3, 7), (5, 40, 5, 42), (8, 15, 4, 3)):
        X, t = planted(f"km_planted_{k}_{d}", k, per, d)
        cases.append(kmeans_case(f"planted_k{k}_d{d}", X, {"nClusters": k, "randomState": seed}, truth=t))
    X, t = planted("km_planted_w", 3, 30, 2)
    sw = rng("km_weights").uniform(0.5, 2.0, len(X))
    cases.append(kmeans_case("planted_sample_weight", X, {"nClusters": 3, "randomState": 5}, sample_weight=sw, truth=t))
    # Unstructured data: the clustering depends on the seeds and on the best-of-nInit choice.
    for n, d, k, seed, extra in ((50, 2, 3, 0, {}), (120, 3, 4, 1, {}), (200, 5, 6, 2, {}), (90, 2, 5, 11, {"nInit": 1}),
                                 (90, 2, 5, 11, {"nInit": 3}), (150, 4, 3, 123, {"init": "random"}),
                                 (60, 3, 7, 9, {"maxIter": 2}), (80, 2, 4, 4, {"tol": 0.0}), (40, 2, 1, 0, {})):
        X = rng(f"km_random_{n}_{d}_{k}").normal(0, 1, (n, d))
        opts = {"nClusters": k, "randomState": seed, **extra}
        suffix = "".join(f"_{key}{v}" for key, v in extra.items())
        cases.append(kmeans_case(f"random_n{n}_d{d}_k{k}_seed{seed}{suffix}", X, opts))
    X = rng("km_weighted_random").normal(0, 1, (70, 3))
    cases.append(kmeans_case("random_sample_weight", X, {"nClusters": 4, "randomState": 8},
                             sample_weight=rng("km_w2").uniform(0.1, 5, 70)))
    Xe = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [10.0, 10.0], [11.0, 10.0]])
    cases.append(kmeans_case("n_equals_k", Xe, {"nClusters": 5, "randomState": 0}))
    return cases


# ----------------------------------------------------------------------------------------------------------
# Silhouette


def silhouette_case(name, X, labels, metric):
    samples = silhouette_samples(X, labels, metric=metric)
    score = silhouette_score(X, labels, metric=metric)
    return {"name": name, "X": X, "labels": labels, "metric": metric, "expected": {"samples": samples, "score": score}}


def silhouette_cases():
    cases = []
    for n, d, k in ((3, 2, 2), (5, 1, 2), (10, 3, 3), (37, 4, 5), (100, 8, 4), (250, 3, 7)):
        g = rng(f"sil_{n}_{d}_{k}")
        labels = g.integers(0, k, n)
        labels[:k] = np.arange(k)
        X = g.normal(0, 1, (n, d)) + labels[:, None] * 1.5
        for metric in ("euclidean", "cosine"):
            cases.append(silhouette_case(f"random_n{n}_d{d}_k{k}_{metric}", X, labels, metric))
    X, t = planted("sil_planted", 4, 12, 3)
    cases.append(silhouette_case("planted_euclidean", X, t, "euclidean"))
    D = euclidean_distances(X)
    D = squareform(pdist(X))  # exact zeros on the diagonal
    cases.append(silhouette_case("planted_precomputed", D, t, "precomputed"))
    g = rng("sil_singleton")
    X = g.normal(0, 1, (12, 2))
    labels = np.array([0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 3, 3])  # cluster 2 has one sample: it scores 0
    cases.append(silhouette_case("singleton_cluster", X, labels, "euclidean"))
    cases.append(silhouette_case("singleton_cluster_cosine", X, labels, "cosine"))
    labels_s = np.array(["b", "b", "a", "a", "a", "c", "c", "b", "c", "a"])
    cases.append(silhouette_case("string_labels", rng("sil_str").normal(0, 1, (10, 3)), labels_s, "euclidean"))
    labels_g = np.array([7, 7, -2, -2, 7, 100, 100, -2])
    cases.append(silhouette_case("gapped_numeric_labels", rng("sil_gap").normal(0, 1, (8, 2)), labels_g, "euclidean"))
    Xdup = np.array([[1.0, 1.0], [1.0, 1.0], [1.0, 1.0], [1.0, 1.0]])
    cases.append(silhouette_case("identical_points", Xdup, np.array([0, 0, 1, 1]), "euclidean"))
    Xz = np.array([[0.0, 0.0], [1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [0.1, 1.0], [0.2, 0.9]])
    cases.append(silhouette_case("cosine_zero_vector", Xz, np.array([0, 0, 0, 1, 1, 1]), "cosine"))
    Xc = np.array([[0.0], [0.0], [3.0], [3.0], [3.0]])
    cases.append(silhouette_case("zero_intra_distance", Xc, np.array([0, 0, 1, 1, 1]), "euclidean"))
    return cases


# ----------------------------------------------------------------------------------------------------------
# Linkage and leaves


def linkage_case(name, data, method, metric="euclidean", condensed=False):
    Z, warns = record_call(lambda: linkage(data, method=method, metric=metric))
    case = {"name": name, "method": method, "expected": {"Z": Z, "leaves": leaves_list(Z), "warnings": warns}}
    if condensed:
        case["y"] = data
    else:
        case["X"] = data
        case["metric"] = metric
    d = Z[:, 2]
    if method != "centroid" and np.any(np.diff(d) < 0):
        sys.exit(f"linkage {name}: distances not monotone")
    return case


def piano_like(name, n, dims):
    """A label matrix like the piano audit's: dims correlated through a few latent factors."""
    g = rng(name)
    latent = g.normal(0, 1, (n, 4))
    load = g.normal(0, 1, (4, dims)) * g.uniform(0.2, 1.5, dims)
    return latent @ load + g.normal(0, 0.7, (n, dims))


def linkage_cases():
    cases = []
    for n, d in ((2, 1), (3, 2), (5, 2), (8, 3), (13, 2), (21, 5), (40, 4), (64, 8)):
        X = rng(f"link_{n}_{d}").normal(0, 1, (n, d))
        cases.append(linkage_case(f"average_n{n}_d{d}", X, "average"))
    X = rng("link_methods").normal(0, 1, (17, 3))
    for method in ("single", "complete", "weighted", "ward"):
        cases.append(linkage_case(f"{method}_n17", X, method))
    cases.append(linkage_case("average_cityblock", X, "average", metric="cityblock"))
    cases.append(linkage_case("average_cosine", X, "average", metric="cosine"))
    cases.append(linkage_case("average_correlation", X, "average", metric="correlation"))
    y = pdist(rng("link_condensed").normal(0, 1, (11, 3)))
    cases.append(linkage_case("average_condensed", y, "average", condensed=True))
    # The documented tie case: points on a line with exactly representable, equal gaps.
    Xt = np.array([[0.0], [1.0], [2.0], [4.0], [5.0], [9.0], [10.0], [11.0]])
    cases.append(linkage_case("average_ties_on_a_line", Xt, "average"))
    cases.append(linkage_case("single_ties_on_a_line", Xt, "single"))
    cases.append(linkage_case("complete_ties_on_a_line", Xt, "complete"))
    Xsq = squareform(pdist(rng("link_square").normal(0, 1, (6, 2))))
    cases.append(linkage_case("square_matrix_as_observations", Xsq, "average"))
    return cases


def correlation_cases():
    cases = []
    for name, n, dims in (("piano_like_19", 300, 19), ("piano_like_8", 120, 8), ("piano_like_3", 50, 3)):
        Y = piano_like(name, n, dims)
        corr = np.corrcoef(Y.T)
        Z, warns = record_call(lambda: linkage(1 - corr, method="average"))
        Zc = linkage(squareform(1 - corr, checks=False), method="average")
        cases.append({"name": name, "corr": corr, "expected": {
            "Z": Z, "leaves": leaves_list(Z), "warnings": warns, "condensedZ": Zc, "condensedLeaves": leaves_list(Zc)}})
    return cases


# ----------------------------------------------------------------------------------------------------------
# Edge cases: what the reference raises or warns


def error_cases():
    X = rng("err").normal(0, 1, (6, 2))
    Xnan = X.copy()
    Xnan[2, 1] = np.nan
    Xinf = X.copy()
    Xinf[0, 0] = np.inf
    y2 = np.array([0, 1, 0, 1, 0, 1])
    out = []

    def add(name, call, args, fn):
        out.append({"name": name, "call": call, "args": args, "outcome": outcome(fn)})

    add("logistic_single_class", "LogisticRegression.fit", {"X": X, "y": [1, 1, 1, 1, 1, 1]},
        lambda: LogisticRegression().fit(X, [1] * 6))
    add("logistic_nan", "LogisticRegression.fit", {"X": Xnan, "y": y2}, lambda: LogisticRegression().fit(Xnan, y2))
    add("logistic_inf", "LogisticRegression.fit", {"X": Xinf, "y": y2}, lambda: LogisticRegression().fit(Xinf, y2))
    add("logistic_mismatched", "LogisticRegression.fit", {"X": X, "y": y2[:5]},
        lambda: LogisticRegression().fit(X, y2[:5]))
    add("logistic_continuous_y", "LogisticRegression.fit", {"X": X, "y": [0.5, 1.5, 0.5, 2.5, 0.5, 1.5]},
        lambda: LogisticRegression().fit(X, [0.5, 1.5, 0.5, 2.5, 0.5, 1.5]))
    add("logistic_class_weight_unknown", "LogisticRegression.fit", {"X": X, "y": y2, "classWeight": {"0": 2, "5": 1}},
        lambda: LogisticRegression(class_weight={0: 2, 5: 1}).fit(X, y2))
    Xh, yh = sample_classification("err_maxiter", 60, 3, 3)
    add("logistic_max_iter_reached", "LogisticRegression.fit", {"X": Xh, "y": yh, "maxIter": 2},
        lambda: LogisticRegression(max_iter=2).fit(Xh, yh).n_iter_)
    add("logistic_bad_C", "LogisticRegression", {"C": 0}, lambda: LogisticRegression(C=0).fit(X, y2))
    add("kmeans_more_clusters_than_samples", "KMeans.fit", {"X": X, "nClusters": 7},
        lambda: KMeans(n_clusters=7, n_init=10).fit(X))
    add("kmeans_nan", "KMeans.fit", {"X": Xnan, "nClusters": 2}, lambda: KMeans(n_clusters=2, n_init=10).fit(Xnan))
    Xdup = np.array([[0.0, 0.0]] * 4 + [[1.0, 1.0]] * 4)
    add("kmeans_duplicates", "KMeans.fit", {"X": Xdup, "nClusters": 3, "randomState": 0},
        lambda: (lambda m: {"labels": m.labels_, "inertia": m.inertia_})(
            KMeans(n_clusters=3, n_init=10, random_state=0).fit(Xdup)))
    add("kmeans_mismatched_weights", "KMeans.fit", {"X": X, "nClusters": 2, "sampleWeight": [1, 1, 1]},
        lambda: KMeans(n_clusters=2, n_init=10).fit(X, sample_weight=[1, 1, 1]))
    add("silhouette_one_cluster", "silhouetteScore", {"X": X, "labels": [0] * 6},
        lambda: silhouette_score(X, [0] * 6))
    add("silhouette_every_sample_its_own", "silhouetteScore", {"X": X, "labels": list(range(6))},
        lambda: silhouette_score(X, list(range(6))))
    add("silhouette_nan", "silhouetteScore", {"X": Xnan, "labels": y2}, lambda: silhouette_score(Xnan, y2))
    add("silhouette_mismatched", "silhouetteScore", {"X": X, "labels": y2[:4]},
        lambda: silhouette_score(X, y2[:4]))
    Dbad = squareform(pdist(X))
    Dbad[1, 1] = 0.5
    add("silhouette_precomputed_diagonal", "silhouetteScore", {"X": Dbad, "labels": y2, "metric": "precomputed"},
        lambda: silhouette_score(Dbad, y2, metric="precomputed"))
    add("linkage_one_observation", "linkage", {"X": [[1.0, 2.0]]}, lambda: linkage([[1.0, 2.0]], "average"))
    add("linkage_nan", "linkage", {"X": Xnan}, lambda: linkage(Xnan, "average"))
    add("linkage_bad_condensed_length", "linkage", {"y": [1.0, 2.0]}, lambda: linkage([1.0, 2.0], "average"))
    add("linkage_empty_condensed", "linkage", {"y": []}, lambda: linkage(np.zeros(0), "average"))
    add("linkage_ward_cosine", "linkage", {"X": X, "method": "ward", "metric": "cosine"},
        lambda: linkage(X, "ward", metric="cosine"))
    add("linkage_square_distance_warning", "linkage", {"X": squareform(pdist(X))},
        lambda: linkage(squareform(pdist(X)), "average"))
    with np.errstate(invalid="ignore"):
        corr_nan = np.corrcoef(np.c_[X, np.ones(6)].T)  # the constant dimension's row and column are NaN
    add("correlation_order_constant_dimension", "correlationOrder", {"corr": corr_nan},
        lambda: leaves_list(linkage(1 - corr_nan, "average")))
    return out


def main():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an unexpected warning in a golden case is a bug of this script
        warnings.filterwarnings("ignore", category=FutureWarning)
        warnings.filterwarnings("ignore", message=".*uncondensed distance matrix.*")
        logistic = logistic_cases()
        kmeans = kmeans_cases()
        silhouette = silhouette_cases()
        links = linkage_cases()
        corr = correlation_cases()
    errors = error_cases()
    doc = {
        "generator": GENERATOR,
        "versions": {"sklearn": sklearn.__version__, "scipy": scipy.__version__, "numpy": np.__version__,
                     "python": sys.version.split()[0]},
        "tolerances": TOLERANCES,
        "datasets": DATASETS,
        "logistic": logistic,
        "kmeans": kmeans,
        "silhouette": silhouette,
        "linkage": links,
        "correlationOrder": corr,
        "errors": errors,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(enc(doc), sort_keys=True, separators=(",", ":"), allow_nan=False)
    OUT.write_text(text + "\n")
    n = len(logistic) + len(kmeans) + len(silhouette) + len(links) + len(corr) + len(errors)
    worst = max(c["expected"]["sklearnVsNewton"] for c in logistic)
    print(f"{n} cases ({len(logistic)} logistic, {len(kmeans)} kmeans, {len(silhouette)} silhouette, "
          f"{len(links)} linkage, {len(corr)} correlation order, {len(errors)} edge cases), "
          f"{len(text) / 1e3:.0f} KB in {OUT.relative_to(REPO)}; worst sklearn-vs-Newton gap {worst:.2g}")
    if len(text) > SIZE_BUDGET_BYTES:
        sys.exit(f"fixtures exceed the {SIZE_BUDGET_BYTES / 1e3:.0f} KB budget")


if __name__ == "__main__":
    main()
