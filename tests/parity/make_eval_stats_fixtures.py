#!/usr/bin/python3
"""Golden fixtures for audiomill's regression metrics, correlation statistics, d' and special functions
(src/eval/metrics/regression.ts, correlation.ts, special.ts).

Run from the repository root with Debian's Python (python3-sklearn 1.2.1, python3-scipy 1.10.1, python3-numpy 1.24,
python3-mpmath):

    /usr/bin/python3 tests/parity/make_eval_stats_fixtures.py

Writes tests/parity/fixtures/eval/stats.json (that file only), read by tests/parity/eval-stats.test.ts:

    { generator, versions, tolerances, scipyAccuracy,
      datasets:  { name: { x, y, w?, ... } }            inputs shared by the cases below (values rounded to a few
                                                        decimals to keep the file small; ties come from integers)
      pearsonr, spearmanr, rankdata, regression, dPrime  one object per call: the inputs (arrays inline, or
                                                        "dataset.field" references), audiomill's options, and what
                                                        SciPy / scikit-learn did: `expected` (the value), `warnings`
                                                        (the warning categories raised), or `error` ({type, message})
                                                        with `audiomillError` (the error audiomill throws instead:
                                                        RangeError, or the AudiomillError code UNDEFINED_METRIC),
                                                        `deviation` where audiomill deliberately differs, and
                                                        `audiomillWarns` where SciPy is silent but audiomill warns
      pearsonrPvalue, spearmanrPvalue                   p-values as functions of (r, n, alternative): [r, n, alt, p, truth]
      special: { gammaln, betaln, beta, stdtr, ndtr, ndtri, erf, erfc }   SciPy's value and a 40-digit value (truth)
    }

NaN and infinities are written as the strings "nan", "inf" and "-inf" (JSON has none). `truth` values come from
mpmath at 40+ significant digits (the incomplete beta function from its continued fraction, DLMF 8.17.22, summed
at 60 digits), so the test can show both audiomill's and SciPy's own accuracy; `scipyAccuracy` records the largest
relative error of SciPy's values against them.

Deterministic: fixed seeds (crc32 of the dataset name), values rounded before use; two runs give byte-identical
files. About 0.6 MB.
"""

import json
import math
import platform
import sys
import warnings
import zlib
from pathlib import Path

import mpmath as mp
import numpy as np
import scipy
import scipy.special as sc
import scipy.stats as st
import sklearn
from scipy.stats import _stats_py
from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "tests" / "parity" / "fixtures" / "eval" / "stats.json"
GENERATOR = "tests/parity/make_eval_stats_fixtures.py"
SIZE_BUDGET_BYTES = 800 * 1000

TOLERANCES = {
    "rel": 1e-9,
    "abs": 1e-12,
    "note": "audiomill vs SciPy / scikit-learn: |a - e| <= max(abs, rel * |e|). Special functions and p-value "
    "grids are also held to `truthRel` against the mpmath values (relative, or absolute below 1 for gammaln).",
    "truthRel": 2e-13,
}


def rng(name):
    return np.random.default_rng(zlib.crc32(name.encode()))


def enc(v):
    """JSON-safe copy: floats as repr-exact floats, NaN / infinities as strings, numpy types as Python's."""
    if isinstance(v, dict):
        return {k: enc(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [enc(x) for x in v]
    if isinstance(v, np.ndarray):
        return enc(v.tolist())
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        f = float(v)
        if math.isnan(f):
            return "nan"
        if math.isinf(f):
            return "inf" if f > 0 else "-inf"
        return f
    return v


def call(fn, *args, **kwargs):
    """Runs fn, returning {expected} or {error}, plus the warning categories it raised."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            out = {"expected": fn(*args, **kwargs)}
        except Exception as e:  # noqa: BLE001 - every exception is recorded
            out = {"error": {"type": type(e).__name__, "message": str(e)}}
    cats = sorted({w.category.__name__ for w in caught})
    if cats:
        out["warnings"] = cats
    return out


def audiomill_error(err):
    """The error audiomill throws where SciPy / scikit-learn raise (see the TSDoc of each function)."""
    if err["type"] == "ValueError" and "at least 3 entries" in err["message"]:
        return "UNDEFINED_METRIC"  # too few pairs left after nan_policy='omit': the data leave rs undefined
    return "RangeError"  # malformed arguments: lengths, empty or non-finite input, weights summing to zero, options


# ---------------------------------------------------------------------------------------------------
# Datasets

DATASETS = {}


def normal(name, n, decimals=4):
    return np.round(rng(name).normal(size=n), decimals)


def add(name, **fields):
    DATASETS[name] = {k: np.asarray(v, dtype=float) for k, v in fields.items()}
    return name


def build_datasets():
    # Random pairs of many sizes, weakly correlated (y = 0.3 x + noise; the largest 0.03 x + noise).
    for n in (2, 3, 5, 10, 100, 1000, 10000):
        g = rng(f"rand_{n}")
        x = np.round(g.normal(size=n), 4)
        slope = 0.03 if n == 10000 else 0.3
        y = np.round(slope * x + g.normal(size=n), 4)
        fields = {"x": x, "y": y}
        if n <= 1000:
            fields["w"] = np.round(g.uniform(0.1, 2.0, size=n), 3)
        add(f"rand_{n}", **fields)
    # Negative and strong correlations (small p-values, down to underflow).
    for n, rho in ((10, -0.5), (100, -0.5), (1000, -0.2), (30, 0.999), (100, 0.9), (100, 0.99), (300, 0.95), (1000, 0.7), (1000, 0.85)):
        name = f"corr_{n}_{rho}".replace(".", "p")
        g = rng(name)
        x = np.round(g.normal(size=n), 4)
        y = np.round(rho * x + math.sqrt(1 - rho * rho) * g.normal(size=n), 4)
        add(name, x=x, y=y)
    # Ties (integers), for spearmanr and rankdata.
    for n in (5, 10, 100, 1000):
        name = f"ties_{n}"
        g = rng(name)
        x = g.integers(0, 5, size=n)
        y = np.clip(x + g.integers(-2, 3, size=n), 0, 6)
        add(name, x=x, y=y)
    # Perfect correlations: exact in floating point (centred values ±1 or ±2 over power-of-two norms) ...
    add("perfect_pos_4", x=[-1, -1, 1, 1], y=[1, 1, 5, 5])
    add("perfect_neg_4", x=[-1, -1, 1, 1], y=[3, 3, -1, -1])
    add("perfect_pos_16", x=[-2] * 4 + [-1] * 4 + [1] * 4 + [2] * 4, y=[-4] * 4 + [-2] * 4 + [2] * 4 + [4] * 4)
    # ... and not exact (r may be 1 - 1 ulp): the p-value then depends on the last bit of r.
    add("linear_10", x=np.arange(10.0), y=3 * np.arange(10.0) + 1)
    add("linear_neg_7", x=np.arange(7.0), y=-0.5 * np.arange(7.0) + 2)
    x = np.round(rng("monotone_50").uniform(size=50), 4)
    add("monotone_50", x=x, y=np.round(np.exp(3 * x), 4))
    # Constant and nearly constant inputs.
    add("const_x", x=[2.5] * 10, y=normal("const_x_y", 10))
    add("const_y", x=normal("const_y_x", 10), y=[-1.0] * 10)
    add("near_const", x=[1.0, 1.0, 1.0 + 2 ** -52, 1.0, 1.0 + 2 ** -51, 1.0], y=[1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    # Tiny samples.
    add("empty", x=[], y=[])
    add("single", x=[1.5], y=[2.5])
    add("two", x=[1.0, 3.0], y=[5.0, 2.0])
    add("two_nan", x=[1.0, float("nan")], y=[5.0, 2.0])
    add("two_inf", x=[1.0, float("inf")], y=[5.0, 2.0])
    add("three", x=[1.0, 2.0, 4.0], y=[1.0, 3.0, 2.0])
    add("mismatch", x=[1.0, 2.0, 3.0], y=[1.0, 2.0])
    # NaN and infinities.
    add("nan_6", x=[1, 2, float("nan"), 4, 5, 6], y=[2, 1, 4, 3, float("nan"), 5])
    add("nan_first", x=[float("nan"), 2, 3, 4, 5], y=[1, 2, 3, 5, 4])
    add("inf_6", x=[1, 2, float("inf"), 4, 5, 6], y=[2, 1, 4, 3, 7, 5])
    add("pm_inf_6", x=[1, 2, float("inf"), 4, 5, 6], y=[2, 1, 4, -float("inf"), 7, 5])
    add("nan_inf_8", x=[1, 2, float("nan"), 4, 5, 6, float("inf"), 8], y=[2, 1, 4, 3, 7, 5, 8, 6])
    add("omit_const", x=[1, 1, 1, float("nan")], y=[1, 2, 3, 4])
    add("omit_two_left", x=[1, 2, float("nan")], y=[1, 2, 3])
    add("omit_one_left", x=[1, float("nan"), float("nan")], y=[1, 2, 3])
    add("omit_zeros", x=[0, 0, float("nan")], y=[0, 0, 3])
    add("omit_none_left", x=[float("nan"), 1, 2], y=[1, float("nan"), float("nan")])
    g = rng("nan_100")
    x = np.round(g.normal(size=100), 4)
    y = np.round(0.5 * x + g.normal(size=100), 4)
    x[g.choice(100, 7, replace=False)] = np.nan
    y[g.choice(100, 5, replace=False)] = np.nan
    add("nan_100", x=x, y=y)
    # Regression: multi-output targets [n, 3], one with a constant column, and all-constant columns.
    g = rng("multi_50")
    yt = np.round(g.normal(size=(50, 3)) * [1.0, 10.0, 0.1] + [0.0, 5.0, -1.0], 4)
    yp = np.round(yt + g.normal(size=(50, 3)) * [0.5, 3.0, 0.2], 4)
    add("multi_50", yTrue=yt, yPred=yp, w=np.round(g.uniform(0.1, 2.0, size=50), 3))
    g = rng("multi_const")
    yt = np.round(g.normal(size=(20, 3)), 4)
    yt[:, 1] = 3.0
    yp = np.round(yt + g.normal(size=(20, 3)) * 0.3, 4)
    yp[:, 1] = 3.0  # perfect on the constant column
    yp2 = yp.copy()
    yp2[:, 1] = np.round(3.0 + g.normal(size=20) * 0.1, 4)  # imperfect on it
    add("multi_const", yTrue=yt, yPred=yp, yPred2=yp2)
    yt = np.tile([1.0, 2.0], (6, 1))
    yp = np.round(yt + rng("multi_allconst").normal(size=(6, 2)) * 0.1, 4)
    add("multi_allconst", yTrue=yt, yPred=yp)
    g = rng("col_1")
    yt = np.round(g.normal(size=(30, 1)), 4)
    add("col_1", yTrue=yt, yPred=np.round(yt + g.normal(size=(30, 1)) * 0.4, 4))
    add("const_true", yTrue=[2.0, 2.0, 2.0, 2.0], yPred=[2.0, 2.0, 2.0, 2.0], yPred2=[1.0, 2.0, 3.0, 4.0])
    add("neg_weights", yTrue=[1.0, 2.0, 3.0, 4.0, 6.0], yPred=[1.5, 1.5, 3.5, 4.0, 5.0], w=[1.0, -0.5, 2.0, 0.5, 1.0])
    add("zero_weights", yTrue=[1.0, 2.0, 3.0], yPred=[1.0, 2.5, 2.0], w=[0.0, 0.0, 0.0], w2=[1.0, -1.0, 0.0], w3=[1.0, float("nan"), 1.0])
    add("bad_values", yTrue=[1.0, float("nan"), 3.0], yPred=[1.0, 2.0, float("inf")], ok=[1.0, 2.0, 3.0])
    yt = np.round(1e8 + rng("big_offset").normal(size=200), 4)
    add("big_offset", yTrue=yt, yPred=np.round(yt + rng("big_offset_p").normal(size=200) * 0.5, 4))


def data(ref):
    name, field = ref.split(".")
    return DATASETS[name][field]


# ---------------------------------------------------------------------------------------------------
# pearsonr / spearmanr / rankdata / dPrime

ALTS = ("two-sided", "less", "greater")


def pearson_cases():
    names = [n for n in DATASETS if "x" in DATASETS[n] and "y" in DATASETS[n]]
    out = []
    for name in names:
        for alt in ALTS:
            res = call(st.pearsonr, data(f"{name}.x"), data(f"{name}.y"), alternative=alt)
            if "expected" in res:
                r = res["expected"]
                res["expected"] = {"statistic": float(r.statistic), "pvalue": float(r.pvalue)}
            else:
                res["audiomillError"] = audiomill_error(res["error"])
            out.append({"x": f"{name}.x", "y": f"{name}.y", "alternative": alt, **res})
    return out


def spearman_cases():
    names = [n for n in DATASETS if "x" in DATASETS[n] and "y" in DATASETS[n]]

    def has_nan(n):  # SciPy's own test: isnan(sum(column_stack((a, b))))
        if len(data(f"{n}.x")) != len(data(f"{n}.y")):
            return False
        with np.errstate(invalid="ignore"):
            return bool(np.isnan(np.sum(np.column_stack((data(f"{n}.x"), data(f"{n}.y"))))))

    out = []
    for name in names:
        policies = ("propagate", "raise", "omit") if has_nan(name) else ("propagate",)
        for policy in policies:
            for alt in ALTS:
                res = call(st.spearmanr, data(f"{name}.x"), data(f"{name}.y"), nan_policy=policy, alternative=alt)
                if "expected" in res:
                    r = res["expected"]
                    res["expected"] = {"statistic": float(r.statistic), "pvalue": float(r.pvalue)}
                else:
                    res["audiomillError"] = audiomill_error(res["error"])
                case = {"a": f"{name}.x", "b": f"{name}.y", "alternative": alt, "nanPolicy": policy, **res}
                if name == "omit_const" and policy == "omit":
                    case["audiomillWarns"] = "constant after omitting NaN: SciPy returns statistic 0 silently, audiomill warns"
                out.append(case)
    return out


def rankdata_cases():
    arrays = {
        "pi": [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5],
        "signed_zero": [0.0, -0.0, 1.0, -0.0, -1.0],
        "floats": [0.5, -1.25, 0.5, 3.0, 0.5, -1.25, 7.0],
        "single": [42.0],
        "empty": [],
        "ints_1000": rng("rank_ints").integers(0, 50, size=1000).astype(float),
        "normal_500": normal("rank_normal", 500, 2),
        "normal_2100": np.round(rng("rank_normal_2100").normal(size=2100), 1),  # many ties, both signs (radix path)
        "with_nan": [3.0, float("nan"), 1.0, 3.0, float("nan"), 2.0],
        "with_inf": [1.0, float("inf"), -2.0, float("inf"), 0.0],
        "pm_inf": [1.0, float("inf"), -float("inf"), 2.0, 1.0],
    }
    out = []
    for name, a in arrays.items():
        a = np.asarray(a, dtype=float)
        ref = a if len(a) <= 20 else add(f"rank_{name}", a=a) + ".a"  # long arrays once, in datasets
        with np.errstate(invalid="ignore"):
            bad = bool(np.isnan(np.sum(a)))
        for method in ("average", "min", "max", "dense", "ordinal"):
            for policy in ("propagate", "raise", "omit") if bad else ("propagate",):
                res = call(st.rankdata, a, method=method, nan_policy=policy)
                if "expected" in res:
                    res["expected"] = np.asarray(res["expected"], dtype=float)
                else:
                    res["audiomillError"] = audiomill_error(res["error"])
                out.append({"name": name, "a": ref, "method": method, "nanPolicy": policy, **res})
    return out


def dprime_cases():
    from sklearn.metrics import roc_auc_score

    aucs = [0.0, 1e-300, 1e-10, 0.02, 0.25, 0.5, 0.6180339887, 0.75, 0.9, 0.999999, 1 - 2 ** -53, 1.0]
    for i, n in enumerate((20, 200, 2000)):
        g = rng(f"dprime_{n}")
        y = g.integers(0, 2, size=n)
        s = np.round(y * 0.8 + g.normal(size=n), 3)
        aucs.append(float(roc_auc_score(y, s)))
    out = [{"auc": a, "expected": float(st.norm().ppf(a) * np.sqrt(2.0))} for a in aucs]
    # HEAR's macro d' over classes (heareval.score.DPrime): mean of the per-class values.
    g = rng("dprime_hear")
    targets = np.eye(4)[g.integers(0, 4, size=300)]
    preds = np.round(targets * 0.7 + g.normal(size=(300, 4)), 3)
    auc = roc_auc_score(targets, preds, average=None)
    hear = {"aucs": auc, "expected": float(np.mean(st.norm().ppf(auc) * np.sqrt(2.0)))}
    return out, hear


# ---------------------------------------------------------------------------------------------------
# Regression

def reg_call(fn_name, y_true, y_pred, options):
    fn = {"r2Score": r2_score, "meanSquaredError": mean_squared_error, "meanAbsoluteError": mean_absolute_error}[fn_name]
    kwargs = {}
    for key, value in options.items():
        if key == "sampleWeight":
            kwargs["sample_weight"] = data(value) if isinstance(value, str) else value
        elif key == "multioutput":
            kwargs["multioutput"] = value
        elif key == "forceFinite":
            kwargs["force_finite"] = value
        elif key == "squared":
            kwargs["squared"] = value
    yt = data(y_true) if isinstance(y_true, str) else y_true
    yp = data(y_pred) if isinstance(y_pred, str) else y_pred
    res = call(fn, yt, yp, **kwargs)
    if "expected" in res and isinstance(res["expected"], np.ndarray):
        res["expected"] = res["expected"].astype(float)
    if "error" in res:
        res["audiomillError"] = audiomill_error(res["error"])
    return {"fn": fn_name, "yTrue": y_true, "yPred": y_pred, "options": options, **res}


def regression_cases():
    fns = ("r2Score", "meanSquaredError", "meanAbsoluteError")
    out = []
    for n in (2, 3, 5, 10, 100, 1000, 10000):
        for fn in fns:
            out.append(reg_call(fn, f"rand_{n}.x", f"rand_{n}.y", {}))
            if n <= 1000:
                out.append(reg_call(fn, f"rand_{n}.x", f"rand_{n}.y", {"sampleWeight": f"rand_{n}.w"}))
        out.append(reg_call("meanSquaredError", f"rand_{n}.x", f"rand_{n}.y", {"squared": False}))
    for fn in fns:
        out.append(reg_call(fn, "big_offset.yTrue", "big_offset.yPred", {}))
        out.append(reg_call(fn, "single.x", "single.y", {}))
        out.append(reg_call(fn, "col_1.yTrue", "col_1.yPred", {}))
        out.append(reg_call(fn, "col_1.yTrue", "col_1.yPred", {"multioutput": "raw_values"}))
        out.append(reg_call(fn, "neg_weights.yTrue", "neg_weights.yPred", {"sampleWeight": "neg_weights.w"}))
        modes = ["uniform_average", "raw_values", [0.2, 0.3, 0.5]] + (["variance_weighted"] if fn == "r2Score" else [])
        for mode in modes:
            for sw in (None, "multi_50.w"):
                opts = {"multioutput": mode}
                if sw:
                    opts["sampleWeight"] = sw
                out.append(reg_call(fn, "multi_50.yTrue", "multi_50.yPred", opts))
        # Errors and edge cases.
        out.append(reg_call(fn, [], [], {}))
        out.append(reg_call(fn, "bad_values.yTrue", "bad_values.ok", {}))
        out.append(reg_call(fn, "bad_values.ok", "bad_values.yPred", {}))
        out.append(reg_call(fn, "mismatch.x", "mismatch.y", {}))
        out.append(reg_call(fn, "multi_50.yTrue", "multi_50.yPred", {"multioutput": [0.5, 0.5]}))
        out.append(reg_call(fn, "rand_5.x", "rand_5.y", {"multioutput": [1.0]}))
        out.append(reg_call(fn, "multi_50.yTrue", "multi_50.yPred", {"multioutput": [1.0, -1.0, 0.0]}))
        out.append(reg_call(fn, "multi_50.yTrue", "rand_100.x", {}))
        out.append(reg_call(fn, "zero_weights.yTrue", "zero_weights.yPred", {"sampleWeight": "zero_weights.w"}))
        out.append(reg_call(fn, "zero_weights.yTrue", "zero_weights.yPred", {"sampleWeight": "zero_weights.w2"}))
        c = reg_call(fn, "zero_weights.yTrue", "zero_weights.yPred", {"sampleWeight": "zero_weights.w3"})
        c["audiomillError"] = "RangeError"
        c["deviation"] = "a NaN sample weight: scikit-learn returns NaN; audiomill refuses non-finite weights"
        out.append(c)
    # squared=False with several outputs; variance_weighted refused by the error metrics.
    for mode in ("uniform_average", "raw_values", [0.2, 0.3, 0.5]):
        out.append(reg_call("meanSquaredError", "multi_50.yTrue", "multi_50.yPred", {"multioutput": mode, "squared": False, "sampleWeight": "multi_50.w"}))
    for fn in ("meanSquaredError", "meanAbsoluteError"):
        out.append(reg_call(fn, "multi_50.yTrue", "multi_50.yPred", {"multioutput": "variance_weighted"}))
    # r2 with constant yTrue outputs, forceFinite true and false.
    for ff in (True, False):
        out.append(reg_call("r2Score", "const_true.yTrue", "const_true.yPred", {"forceFinite": ff}))
        out.append(reg_call("r2Score", "const_true.yTrue", "const_true.yPred2", {"forceFinite": ff}))
        for pred in ("multi_const.yPred", "multi_const.yPred2"):
            for mode in ("uniform_average", "raw_values", "variance_weighted"):
                out.append(reg_call("r2Score", "multi_const.yTrue", pred, {"forceFinite": ff, "multioutput": mode}))
        for mode in ("uniform_average", "variance_weighted", "raw_values"):
            out.append(reg_call("r2Score", "multi_allconst.yTrue", "multi_allconst.yPred", {"forceFinite": ff, "multioutput": mode}))
    out.append(reg_call("r2Score", "single.x", "single.y", {"multioutput": "raw_values"}))
    return out


# ---------------------------------------------------------------------------------------------------
# Special functions and p-value grids (SciPy's value and an mpmath value)

mp.mp.dps = 40


def ibeta_mp(a, b, x):
    """(I_x(a, b), 1 - I_x(a, b)) at 60 digits by the continued fraction DLMF 8.17.22 (x exact as given)."""
    with mp.workdps(60):
        a, b, x = mp.mpf(a), mp.mpf(b), mp.mpf(x)
        if x == 0:
            return mp.mpf(0), mp.mpf(1)
        if x == 1:
            return mp.mpf(1), mp.mpf(0)
        swap = x > (a + 1) / (a + b + 2)
        if swap:
            a, b, x = b, a, 1 - x
        c, d = mp.mpf(1), 1 - (a + b) * x / (a + 1)
        d = 1 / d
        h = d
        m = 1
        tol = mp.mpf(10) ** -57
        while True:
            m2 = 2 * m
            aa = m * (b - m) * x / ((a - 1 + m2) * (a + m2))
            d = 1 / (1 + aa * d)
            c = 1 + aa / c
            h *= d * c
            aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + 1 + m2))
            d = 1 / (1 + aa * d)
            c = 1 + aa / c
            de = d * c
            h *= de
            if abs(de - 1) < tol:
                break
            m += 1
        w = mp.exp(a * mp.log(x) + b * mp.log1p(-x) - mp.log(mp.beta(a, b))) * h / a
        return (1 - w, w) if swap else (w, 1 - w)


def t_cdf_mp(df, t):
    if t == 0:
        return mp.mpf(0.5)
    if math.isinf(t):
        return mp.mpf(0) if t < 0 else mp.mpf(1)
    with mp.workdps(60):
        tt = mp.mpf(t) ** 2
        x = mp.mpf(df) / (df + tt)
        lower = ibeta_mp(df / 2, 0.5, x)[0] / 2 if x < 0.5 else ibeta_mp(0.5, df / 2, tt / (df + tt))[1] / 2
        return lower if t < 0 else 1 - lower


def f(v):
    return float(v)


def rel_err(a, b):
    if b == 0:
        return 0.0 if a == 0 else math.inf
    return abs(a - b) / abs(b)


def special_cases():
    out = {}
    xs = [1e-300, 1e-100, 1e-10, 1e-3, 0.1, 0.5, 0.9, 1.0, 1.0000001, 1.5, 1.9999, 2.0, 2.5, 3.0, 3.7, 5.5, 9.99, 10.0, 10.5, 12.0,
          33.3, 100.0, 1000.5, 4999.0, 1e5, 1e10, 1e100, 1e300, -0.5, -1.5, -2.5, -10.3, -100.7]
    out["gammaln"] = [[x, f(sc.gammaln(x)), f(mp.log(abs(mp.gamma(x))))] for x in xs]
    pairs = [(0.5, 0.5), (1, 1), (2.5, 7.5), (0.5, 4999), (4999, 4999), (1e5, 3), (10, 10), (30, 9.5), (1e-5, 2), (1e6, 1e6), (12.5, 0.5), (3, 1e10)]
    out["betaln"] = [[a, b, f(sc.betaln(a, b)), f(mp.log(mp.beta(a, b)))] for a, b in pairs]
    beta = []
    grid = [(0.5, 0.5, 0.1), (0.5, 0.5, 1e-10), (1, 1, 0.3), (4, 4, 1e-5), (4, 4, 0.4999), (49, 49, 0.01), (49, 49, 0.3), (499, 499, 0.2),
            (499, 499, 0.45), (4999, 4999, 0.4), (4999, 4999, 0.49), (4999, 4999, 0.5), (4999, 0.5, 0.999), (4999, 0.5, 0.99), (0.5, 4999, 1e-3),
            (1.5, 0.5, 0.9), (12, 3, 0.7), (3, 12, 0.01), (49999, 49999, 0.495), (2.5, 7.5, 0.999999), (10, 10, 0.2), (9.5, 30, 0.1),
            (0.5, 0.5, 0.999999999), (20, 0.5, 0.05), (1e4, 0.5, 0.9995), (2, 3, 0.0), (2, 3, 1.0)]
    for a, b, x in grid:
        t, tc = ibeta_mp(a, b, x)
        beta.append([a, b, x, f(st.beta.cdf(x, a, b)), f(st.beta.sf(x, a, b)), f(t), f(tc)])
    out["beta"] = beta
    stdtr = []
    for df in (1, 2, 3, 4, 5, 8, 10, 30, 98, 998, 9998, 99998, 999998, 0.5, 2.5):
        for t in (-1e10, -1e5, -300.0, -40.0, -10.0, -4.0, -2.0001, -2.0, -1.0, -0.3, -1e-8, 0.0, 0.7, 2.0, 5.0, 50.0):
            stdtr.append([df, t, f(sc.stdtr(df, t)), f(t_cdf_mp(df, t))])
    out["stdtr"] = stdtr
    zs = [-38.4, -37.0, -30.0, -20.0, -10.0, -5.0, -1.5, -0.6, -1e-5, 0.0, 0.3, 1.0, 2.5, 6.0, 9.0, 40.0]
    out["ndtr"] = [[z, f(sc.ndtr(z)), f(mp.ncdf(z))] for z in zs]
    ps = [1e-300, 1e-200, 1e-100, 1e-50, 1e-20, 1e-10, 1e-5, 0.01, 0.05, 0.07, 0.075, 0.1, 0.3, 0.49, 0.5, 0.51, 0.9, 0.925, 0.95, 0.99,
          1 - 1e-10, 1 - 2 ** -53]
    ndtri = []
    for p in ps:
        with mp.workdps(60):
            truth = mp.findroot(lambda z: mp.ncdf(z) - mp.mpf(p), mp.mpf(float(sc.ndtri(p))))
        ndtri.append([p, f(sc.ndtri(p)), f(truth)])
    out["ndtri"] = ndtri
    es = [-5.0, -1.0, -0.3, 1e-20, 0.1, 0.46875, 0.47, 1.0, 2.0, 3.9, 4.0, 4.1, 6.0, 10.0, 26.0, 27.0]
    out["erf"] = [[x, f(sc.erf(x)), f(mp.erf(x))] for x in es]
    out["erfc"] = [[x, f(sc.erfc(x)), f(mp.erfc(x))] for x in es]
    return out


def pearson_pvalue_grid():
    rows = []
    for n in (3, 4, 5, 6, 7, 10, 11, 30, 100, 1000, 10000, 100000, 1000000):
        ab = n / 2 - 1
        dist = st.beta(ab, ab, loc=-1, scale=2)
        rs = {0.0}
        for target in (0.9, 0.5, 0.1, 1e-3, 1e-6, 1e-10, 1e-20, 1e-50, 1e-100, 1e-200, 1e-300):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # Boost's root finder gives up where the target is out of reach
                r = float(dist.isf(target / 2))
            if 0 <= r < 1:
                rs.add(r)
        for r in sorted(rs):
            for sign in (1, -1) if r else (1,):
                rr = sign * r
                for alt in ALTS:
                    if alt == "two-sided":
                        p = 2 * dist.sf(abs(rr))
                        xs = (abs(rr) + 1) / 2
                        truth = 2 * ibeta_mp(ab, ab, xs)[1]
                    else:
                        xs = (rr + 1) / 2
                        lo, hi = ibeta_mp(ab, ab, xs)
                        p = dist.cdf(rr) if alt == "less" else dist.sf(rr)
                        truth = lo if alt == "less" else hi
                    rows.append([rr, n, alt, f(p), f(truth)])
    return rows


def spearman_pvalue_grid():
    rows = []
    for n in (3, 4, 5, 10, 30, 100, 1000, 10000, 100000):
        df = n - 2
        rs_set = {0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99, 0.999, 0.9999, 1 - 1e-8, 1.0}
        for target in (1e-3, 1e-10, 1e-50, 1e-100, 1e-200, 1e-300):
            t = float(sc.stdtrit(df, target / 2))  # negative
            r = -t / math.sqrt(df + t * t)
            if r < 1:
                rs_set.add(r)
        for r in sorted(rs_set):
            for rr in (r, -r) if r else (r,):
                with np.errstate(divide="ignore"):
                    rr64 = np.float64(rr)
                    t = rr64 * np.sqrt((df / ((rr64 + 1.0) * (1.0 - rr64))).clip(0))
                for alt in ALTS:
                    _, p = _stats_py._ttest_finish(df, np.float64(t), alt)
                    tt = float(t)
                    if alt == "less":
                        truth = t_cdf_mp(df, tt)
                    elif alt == "greater":
                        truth = t_cdf_mp(df, -tt)
                    else:
                        truth = 2 * t_cdf_mp(df, -abs(tt))
                    rows.append([rr, n, alt, f(p), f(truth)])
    return rows


def scipy_accuracy(special, pgrid, sgrid):
    acc = {}
    for key in ("gammaln", "betaln", "ndtr", "ndtri", "erf", "erfc"):
        col = 2 if key == "betaln" else 1
        acc[key] = max(rel_err(row[col], row[col + 1]) for row in special[key] if row[col + 1] != 0 and abs(row[col + 1]) > 1e-300)
    acc["betaCdf"] = max(rel_err(r[3], r[5]) for r in special["beta"] if r[5] > 1e-300)
    acc["betaSf"] = max(rel_err(r[4], r[6]) for r in special["beta"] if r[6] > 1e-300)
    acc["stdtr"] = max(rel_err(r[2], r[3]) for r in special["stdtr"] if r[3] > 1e-300)
    acc["pearsonrPvalue"] = max(rel_err(r[3], r[4]) for r in pgrid if r[4] > 1e-300)
    acc["spearmanrPvalue"] = max(rel_err(r[3], r[4]) for r in sgrid if r[4] > 1e-300)
    return {k: float(f"{v:.3g}") for k, v in acc.items()}


# ---------------------------------------------------------------------------------------------------

def dumps(v):
    return json.dumps(enc(v), sort_keys=True, separators=(",", ":"), allow_nan=False)


def main():
    build_datasets()
    special = special_cases()
    pgrid = pearson_pvalue_grid()
    sgrid = spearman_pvalue_grid()
    dcases, hear = dprime_cases()
    doc = {
        "generator": GENERATOR,
        "versions": {"python": platform.python_version(), "numpy": np.__version__, "scipy": scipy.__version__, "sklearn": sklearn.__version__,
                     "mpmath": mp.__version__},
        "tolerances": TOLERANCES,
        "scipyAccuracy": scipy_accuracy(special, pgrid, sgrid),
        "datasets": DATASETS,
        "pearsonr": pearson_cases(),
        "spearmanr": spearman_cases(),
        "rankdata": rankdata_cases(),
        "regression": regression_cases(),
        "dPrime": dcases,
        "dPrimeHear": hear,
        "pearsonrPvalue": pgrid,
        "spearmanrPvalue": sgrid,
        "special": special,
    }
    # One line per case (or per dataset / grid row) so that diffs stay readable.
    lines = ["{"]
    keys = sorted(doc)
    for i, key in enumerate(keys):
        value = doc[key]
        sep = "," if i < len(keys) - 1 else ""
        if isinstance(value, list):
            lines.append(f"{json.dumps(key)}:[")
            lines += [dumps(item) + ("," if j < len(value) - 1 else "") for j, item in enumerate(value)]
            lines.append("]" + sep)
        elif key in ("datasets", "special"):
            lines.append(f"{json.dumps(key)}:{{")
            sub = sorted(value)
            lines += [f"{json.dumps(k)}:{dumps(value[k])}" + ("," if j < len(sub) - 1 else "") for j, k in enumerate(sub)]
            lines.append("}" + sep)
        else:
            lines.append(f"{json.dumps(key)}:{dumps(value)}{sep}")
    lines.append("}")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines) + "\n")
    size = OUT.stat().st_size
    counts = {k: len(doc[k]) for k in ("pearsonr", "spearmanr", "rankdata", "regression", "dPrime", "pearsonrPvalue", "spearmanrPvalue")}
    print(f"{counts}, special {sum(len(v) for v in special.values())} rows, {size / 1e3:.0f} KB in {OUT.relative_to(REPO)}")
    print("SciPy vs mpmath, max relative error:", doc["scipyAccuracy"])
    if size > SIZE_BUDGET_BYTES:
        print(f"warning: {size / 1e3:.0f} KB exceeds the {SIZE_BUDGET_BYTES / 1e3:.0f} KB budget", file=sys.stderr)


if __name__ == "__main__":
    main()
