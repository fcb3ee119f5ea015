#!/usr/bin/python3
"""Golden fixtures for audiomill's classification and ranking metrics (src/eval/metrics/classification.ts,
ranking.ts), made with scikit-learn 1.2.1 (Debian's python3-sklearn, NumPy 1.24, SciPy 1.10).

Run from the repository root with Debian's Python (a pyenv `python3` on PATH lacks these packages), after
make_fixtures.py (which deletes the whole fixtures/ folder, this file included):

    /usr/bin/python3 tests/parity/make_eval_classification_fixtures.py

Writes tests/parity/fixtures/eval/classification.json (that file only; the folder is created if missing):

    { generator, versions, tolerance, encoding, inputs: { id: array }, cases: [ { name, fn, args, options,
      float32, sklearn, audiomill } ] }

- `fn` is the audiomill function (camelCase); `args` its positional arguments and `options` its options object, as
  audiomill takes them. The script derives the scikit-learn call from these (snake_case names; `beta` of
  fbetaScore becomes a keyword), so they are exactly what produced the expected values. `float32` lists the
  arguments passed as float32 arrays (a Float32Array in JavaScript, `{ data: Float32Array, shape }` for a matrix).
- `sklearn` is what scikit-learn did: `{ value }` or `{ error: { type, message } }`, with `warnings`
  ([category, message] pairs) when it warned.
- `audiomill` is what audiomill must do: `{ warns }` (return sklearn's value, to 1e-9 relative or 1e-12 absolute,
  and emit an AUDIOMILL_UNDEFINED_METRIC warning or not) or `{ throws }` ("RangeError", "TypeError" or
  "UNDEFINED_METRIC"), with `note` where audiomill deliberately differs from scikit-learn.

Encoding: JSON has no NaN or infinity, so a non-finite float anywhere (inputs or outputs) is written as
{"$float": "nan" | "inf" | "-inf"}. Other floats are written with Python's repr, which round-trips exactly. An
input array longer than 16 values is stored once under `inputs` and referenced from the case as {"$ref": id}.

Deterministic: fixed seeds (crc32 of the case name); one case per line; two runs give byte-identical files.
"""

import json
import math
import sys
import warnings
import zlib
from pathlib import Path

import numpy as np
import scipy
import sklearn
from sklearn import metrics as M
from sklearn.utils.multiclass import unique_labels

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "tests" / "parity" / "fixtures" / "eval" / "classification.json"
GENERATOR = "tests/parity/make_eval_classification_fixtures.py"
SIZE_BUDGET_BYTES = 1000 * 1000

SNAKE = {
    "sampleWeight": "sample_weight",
    "posLabel": "pos_label",
    "zeroDivision": "zero_division",
    "multiClass": "multi_class",
    "maxFpr": "max_fpr",
    "dropIntermediate": "drop_intermediate",
}
FUNCS = {
    "accuracyScore": M.accuracy_score,
    "balancedAccuracyScore": M.balanced_accuracy_score,
    "confusionMatrix": M.confusion_matrix,
    "precisionScore": M.precision_score,
    "recallScore": M.recall_score,
    "f1Score": M.f1_score,
    "fbetaScore": M.fbeta_score,
    "precisionRecallFscoreSupport": M.precision_recall_fscore_support,
    "rocAucScore": M.roc_auc_score,
    "rocCurve": M.roc_curve,
    "averagePrecisionScore": M.average_precision_score,
    "precisionRecallCurve": M.precision_recall_curve,
    "logLoss": M.log_loss,
}

CASES = []
NAMES = set()
INPUTS = {}  # shared input arrays, referenced from cases as {"$ref": id}


def rng(name):
    return np.random.default_rng(zlib.crc32(name.encode()))


def enc(x):
    """JSON-ready value: non-finite floats as {"$float": ...}, numpy types as Python ones."""
    if isinstance(x, dict):
        return {k: enc(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [enc(v) for v in x]
    if isinstance(x, np.ndarray):
        return enc(x.tolist())
    if isinstance(x, (np.bool_, bool)):
        return bool(x)
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, (float, np.floating)):
        f = float(x)
        if math.isnan(f):
            return {"$float": "nan"}
        if math.isinf(f):
            return {"$float": "inf" if f > 0 else "-inf"}
        return f
    return x


def py_value(fn, args, options, result):
    """sklearn's result in audiomill's shape."""
    if fn == "confusionMatrix":
        labels = options.get("labels")
        if labels is None:
            labels = unique_labels(np.asarray(args[0]), np.asarray(args[1])).tolist() if len(args[0]) else []
        return {"labels": list(labels), "data": np.asarray(result, dtype=float).ravel().tolist(), "shape": list(np.shape(result))}
    if fn == "rocCurve":
        return {"fpr": result[0], "tpr": result[1], "thresholds": result[2]}
    if fn == "precisionRecallCurve":
        return {"precision": result[0], "recall": result[1], "thresholds": result[2]}
    if fn == "precisionRecallFscoreSupport":
        p, r, f, s = result
        return {"precision": p, "recall": r, "fbetaScore": f, "support": None if s is None else np.asarray(s, dtype=float)}
    if isinstance(result, np.ndarray):
        return result.astype(float)
    return float(result)


def dec(x):
    """Inverse of enc for inputs: {"$float": ...} back to a float."""
    if isinstance(x, dict):
        if set(x) == {"$float"}:
            return float(x["$float"])
        return {k: dec(v) for k, v in x.items()}
    if isinstance(x, list):
        return [dec(v) for v in x]
    return x


def call_sklearn(fn, args, options, float32):
    args = dec(args)
    options = dec(options)
    pargs = []
    for i, a in enumerate(args):
        if i in float32:
            pargs.append(np.asarray(a, dtype=np.float32))
        elif isinstance(a, list) and a and isinstance(a[0], list):
            pargs.append(np.asarray(a))
        else:
            pargs.append(a)
    kwargs = {SNAKE.get(k, k): v for k, v in options.items()}
    if fn == "fbetaScore":
        kwargs["beta"] = pargs.pop(2)
    if fn == "averagePrecisionScore" or fn == "rocAucScore":
        pargs = [np.asarray(a) if isinstance(a, list) and a and isinstance(a[0], list) else a for a in pargs]
    return FUNCS[fn](*pargs, **kwargs)


def case(name, fn, args, options=None, float32=(), audiomill=None, note=None):
    """Runs sklearn on one case and records it. `audiomill` overrides the expected audiomill outcome."""
    assert name not in NAMES, name
    NAMES.add(name)
    options = options or {}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = call_sklearn(fn, args, options, set(float32))
            sk = {"value": py_value(fn, args, options, result)}
        except Exception as e:  # noqa: BLE001 - every exception is recorded
            sk = {"error": {"type": type(e).__name__, "message": str(e)}}
    warned = [[w.category.__name__, str(w.message)] for w in caught]
    if warned:
        sk["warnings"] = warned
    if audiomill is None:
        if "error" in sk:
            raise SystemExit(f"{name}: sklearn raised {sk['error']}; say what audiomill does")
        metric_warnings = [w for w in warned if w[0] in ("UndefinedMetricWarning", "UserWarning", "RuntimeWarning")]
        audiomill = {"warns": bool(metric_warnings)}
    elif "throws" not in audiomill:
        assert "value" in sk, name
    if note:
        audiomill = {**audiomill, "note": note}
    CASES.append(enc({
        "name": name,
        "fn": fn,
        "args": [share(a) for a in args],
        "options": {k: share(v) for k, v in options.items()},
        "float32": sorted(float32),
        "sklearn": sk,
        "audiomill": audiomill,
    }))


def share(value):
    """Arrays longer than 16 go to INPUTS once; the case holds {"$ref": id} (id: crc32 of the JSON)."""
    if not isinstance(value, list) or len(value) <= 16:
        return value
    text = json.dumps(enc(value), sort_keys=True, allow_nan=False)
    key = f"{zlib.crc32(text.encode()):08x}"
    assert INPUTS.get(key, text) == text, "crc32 collision"
    INPUTS[key] = text
    return {"$ref": key}


RAISE_RANGE = {"throws": "RangeError"}
RAISE_TYPE = {"throws": "TypeError"}
RAISE_UNDEFINED = {"throws": "UNDEFINED_METRIC"}
WARNS = {"warns": True}


def floats(a, digits=None):
    """Python floats; rounded to `digits` decimals when given (smaller fixtures, same kind of data)."""
    if digits is not None:
        a = np.round(np.asarray(a, dtype=float), digits)
    return [float(v) for v in a]


# ---------------------------------------------------------------------------------------------------------------
# Ranking: binary


def binary_data(name, n, kind="continuous", p=0.4):
    r = rng(name)
    y = (r.random(n) < p).astype(int)
    if n >= 2:  # both classes present
        y[0], y[1] = 0, 1
    if kind == "continuous":
        s = np.round(r.normal(size=n) + 0.8 * y, 7)
    elif kind == "ties":
        s = np.round(r.random(n) * 0.6 + 0.4 * y, 1)
    elif kind == "integers":
        s = r.integers(0, 4, n) + y
    elif kind == "sigmoid":  # many values within 1e-12 of 0 or 1: the bucket sort recurses
        s = 1 / (1 + np.exp(-(r.normal(size=n) * 30 + 10 * y)))
    elif kind == "spread":  # magnitudes from 1e-300 to 1e300: the bucket sort falls back to merge sort
        s = np.sign(r.normal(size=n)) * 10.0 ** r.uniform(-300, 300, n) + 0.0
        s[y == 1] = np.abs(s[y == 1])
    elif kind == "geometric":  # 2^-k: each bucket level peels one value
        s = 2.0 ** -r.permutation(n).astype(float) * (1 + y)
    else:
        raise ValueError(kind)
    return y.tolist(), floats(s)


for kind, sizes in [
    ("continuous", [2, 3, 5, 10, 31, 100, 1000, 2500]),
    ("ties", [4, 10, 100, 1000]),
    ("integers", [10, 200]),
    ("sigmoid", [100, 1000]),
    ("spread", [50, 500]),
    ("geometric", [60, 150]),
]:
    for n in sizes:
        y, s = binary_data(f"bin-{kind}-{n}", n, kind)
        case(f"roc_auc-{kind}-{n}", "rocAucScore", [y, s])
        case(f"ap-{kind}-{n}", "averagePrecisionScore", [y, s])
        if n <= 300 or (n == 1000 and kind == "ties"):
            case(f"roc_curve-{kind}-{n}", "rocCurve", [y, s])
            case(f"pr_curve-{kind}-{n}", "precisionRecallCurve", [y, s])

for n in [10, 100, 1000]:
    y, s = binary_data(f"bin-w-{n}", n)
    w = floats(rng(f"w-{n}").uniform(0.1, 3, n))  # full-precision weights: sums round
    case(f"roc_auc-weighted-{n}", "rocAucScore", [y, s], {"sampleWeight": w})
    case(f"ap-weighted-{n}", "averagePrecisionScore", [y, s], {"sampleWeight": w})
    if n <= 100:
        case(f"roc_curve-weighted-{n}", "rocCurve", [y, s], {"sampleWeight": w})
        case(f"pr_curve-weighted-{n}", "precisionRecallCurve", [y, s], {"sampleWeight": w})
    yt, st = binary_data(f"bin-wt-{n}", n, "ties")
    wi = rng(f"wi-{n}").integers(0, 4, n).tolist()  # integer weights with zeros
    case(f"roc_auc-weighted-zeros-ties-{n}", "rocAucScore", [yt, st], {"sampleWeight": wi})
    case(f"ap-weighted-zeros-ties-{n}", "averagePrecisionScore", [yt, st], {"sampleWeight": wi})
    if n <= 100:
        case(f"roc_curve-weighted-zeros-ties-{n}", "rocCurve", [yt, st], {"sampleWeight": wi})
        case(f"pr_curve-weighted-zeros-ties-{n}", "precisionRecallCurve", [yt, st], {"sampleWeight": wi})

y, s = binary_data("bin-drop", 60, "ties")
case("roc_curve-no-drop", "rocCurve", [y, s], {"dropIntermediate": False})
for mf in [0.05, 0.1, 0.3, 0.5, 0.8, 1]:
    for kind in ["continuous", "ties"]:
        y, s = binary_data(f"bin-maxfpr-{kind}", 300, kind)
        case(f"roc_auc-max_fpr-{mf}-{kind}", "rocAucScore", [y, s], {"maxFpr": mf})
y, s = binary_data("bin-maxfpr-w", 200)
case("roc_auc-max_fpr-weighted", "rocAucScore", [y, s], {"maxFpr": 0.25, "sampleWeight": floats(rng("mfw").uniform(0.5, 2, 200))})

# Label conventions
y, s = binary_data("bin-labels", 40)
case("roc_auc-labels-1-2", "rocAucScore", [[v + 1 for v in y], s])
case("roc_auc-labels-minus1-1", "rocAucScore", [[2 * v - 1 for v in y], s])
case("roc_auc-labels-strings", "rocAucScore", [["neg" if v == 0 else "pos" for v in y], s])
case("roc_auc-labels-bool", "rocAucScore", [[bool(v) for v in y], s])
case("roc_curve-minus1-1-default-pos", "rocCurve", [[2 * v - 1 for v in y], s])
case("roc_curve-bool-default-pos", "rocCurve", [[bool(v) for v in y], s])
case("roc_curve-1-2-pos-2", "rocCurve", [[v + 1 for v in y], s], {"posLabel": 2})
case("roc_curve-strings-pos", "rocCurve", [["b" if v == 0 else "a" for v in y], s], {"posLabel": "a"})
case("roc_curve-multiclass-pos", "rocCurve", [[v + (i % 3 == 0) for i, v in enumerate(y)], s], {"posLabel": 1})
case("pr_curve-strings-pos", "precisionRecallCurve", [["b" if v == 0 else "a" for v in y], s], {"posLabel": "b"})
case("ap-labels-1-2-pos-2", "averagePrecisionScore", [[v + 1 for v in y], s], {"posLabel": 2})
case("ap-strings-pos", "averagePrecisionScore", [["neg" if v == 0 else "pos" for v in y], s], {"posLabel": "pos"})
case("ap-pos-0", "averagePrecisionScore", [y, s], {"posLabel": 0})
case("roc_auc-neg-zero", "rocAucScore", [[0, 1, 0, 1, 1, 0], [0.0, -0.0, 0.0, 0.5, -0.0, -0.5]])
case("roc_curve-neg-zero", "rocCurve", [[0, 1, 0, 1, 1, 0], [0.0, -0.0, 0.0, 0.5, -0.0, -0.5]])
case("roc_auc-all-equal-scores", "rocAucScore", [[0, 1, 1, 0, 1], [0.3] * 5])
case("ap-all-equal-scores", "averagePrecisionScore", [[0, 1, 1, 0, 1], [0.3] * 5])
case("roc_curve-all-equal-scores", "rocCurve", [[0, 1, 1, 0, 1], [0.3] * 5])
case("pr_curve-all-equal-scores", "precisionRecallCurve", [[0, 1, 1, 0, 1], [0.3] * 5])
case("roc_auc-perfect", "rocAucScore", [[0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9]])
case("roc_auc-inverted", "rocAucScore", [[0, 0, 1, 1], [0.9, 0.8, 0.2, 0.1]])
case("roc_curve-large-scores", "rocCurve", [[0, 1, 0, 1], [1e308, 1.5e308, -1e308, 1.7e308]], audiomill={"warns": False},
     note="sklearn's RuntimeWarning is NumPy's overflow in np.diff of the scores, not an undefined metric")

# Edge cases: binary ranking
case("edge-roc_auc-single-class", "rocAucScore", [[1, 1, 1], [0.2, 0.3, 0.4]], audiomill=RAISE_UNDEFINED)
case("edge-roc_auc-single-class-zero", "rocAucScore", [[0, 0], [0.2, 0.3]], audiomill=RAISE_UNDEFINED)
case("edge-roc_auc-empty", "rocAucScore", [[], []], audiomill=RAISE_RANGE)
case("edge-roc_auc-nan-score", "rocAucScore", [[0, 1, 0], [0.1, {"$float": "nan"}, 0.3]], audiomill=RAISE_RANGE)
case("edge-roc_auc-inf-score", "rocAucScore", [[0, 1, 0], [0.1, {"$float": "inf"}, 0.3]], audiomill=RAISE_RANGE)
case("edge-roc_auc-length-mismatch", "rocAucScore", [[0, 1, 0], [0.1, 0.3]], audiomill=RAISE_RANGE)
case("edge-roc_auc-weight-length-mismatch", "rocAucScore", [[0, 1, 0], [0.1, 0.3, 0.2]], {"sampleWeight": [1, 2]}, audiomill=RAISE_RANGE)
case("edge-roc_auc-negative-weight-nan", "rocAucScore", [[0, 1, 0, 1], [0.2, 0.3, 0.1, 0.5]], {"sampleWeight": [1, -1, 2, 1]})
case("edge-roc_auc-negative-weights", "rocAucScore", [[0, 1, 0, 1, 1, 0], [0.2, 0.3, 0.1, 0.5, 0.7, 0.9]], {"sampleWeight": [1, -0.5, 2, 1, 1, 3]})
case("edge-roc_auc-negative-weights-nonmonotonic", "rocAucScore", [[0, 0, 1, 0, 1], [0.9, 0.8, 0.7, 0.6, 0.5]], {"sampleWeight": [1, -2, 1, 3, 1]},
     audiomill=RAISE_UNDEFINED)
case("edge-roc_auc-zero-weight-removes-class", "rocAucScore", [[0, 1, 0, 1], [0.2, 0.3, 0.1, 0.5]], {"sampleWeight": [1, 0, 2, 0]})
case("edge-roc_auc-max_fpr-0", "rocAucScore", [[0, 1], [0.2, 0.3]], {"maxFpr": 0}, audiomill=RAISE_RANGE)
case("edge-roc_auc-max_fpr-above-1", "rocAucScore", [[0, 1], [0.2, 0.3]], {"maxFpr": 1.5}, audiomill=RAISE_RANGE)
case("edge-roc_auc-2d-binary-scores", "rocAucScore", [[0, 1, 0], [[0.8, 0.2], [0.3, 0.7], [0.6, 0.4]]], audiomill=RAISE_RANGE)
case("edge-roc_auc-continuous-labels", "rocAucScore", [[0.5, 1.5, 0.5], [0.2, 0.3, 0.4]], audiomill=RAISE_RANGE)
case("edge-roc_curve-single-class", "rocCurve", [[1, 1, 1], [0.2, 0.3, 0.4]])
case("edge-roc_curve-no-positive", "rocCurve", [[0, 0, 0], [0.2, 0.3, 0.4]])
case("edge-roc_curve-strings-no-pos", "rocCurve", [["a", "b", "a"], [0.2, 0.3, 0.4]], audiomill=RAISE_RANGE)
case("edge-roc_curve-1-2-no-pos", "rocCurve", [[1, 2, 1], [0.2, 0.3, 0.4]], audiomill=RAISE_RANGE)
case("edge-roc_curve-multiclass-no-pos", "rocCurve", [[0, 1, 2], [0.2, 0.3, 0.4]], audiomill=RAISE_RANGE)
case("edge-roc_curve-empty", "rocCurve", [[], []], audiomill=RAISE_RANGE)
case("edge-roc_curve-nan", "rocCurve", [[0, 1], [{"$float": "nan"}, 0.3]], audiomill=RAISE_RANGE)
case("edge-roc_curve-pos-absent", "rocCurve", [[0, 1, 0], [0.2, 0.3, 0.4]], {"posLabel": 5})
case("edge-ap-no-positive", "averagePrecisionScore", [[0, 0, 0], [0.2, 0.3, 0.4]])
case("edge-ap-all-positive", "averagePrecisionScore", [[1, 1, 1], [0.2, 0.3, 0.4]])
case("edge-ap-empty", "averagePrecisionScore", [[], []], audiomill=RAISE_RANGE)
case("edge-ap-strings-default-pos", "averagePrecisionScore", [["a", "b", "a"], [0.2, 0.3, 0.4]], audiomill=RAISE_RANGE)
case("edge-ap-pos-not-a-label", "averagePrecisionScore", [[0, 1, 0], [0.2, 0.3, 0.4]], {"posLabel": 2}, audiomill=RAISE_RANGE)
case("edge-ap-multiclass", "averagePrecisionScore", [[0, 1, 2], [0.2, 0.3, 0.4]], audiomill=RAISE_RANGE)
case("edge-ap-nan", "averagePrecisionScore", [[0, 1], [0.3, {"$float": "-inf"}]], audiomill=RAISE_RANGE)
case("edge-ap-negative-weights", "averagePrecisionScore", [[0, 1, 0, 1, 1], [0.2, 0.3, 0.1, 0.5, 0.4]], {"sampleWeight": [1, 2, -1, 0.5, 1]})
case("edge-pr_curve-no-positive", "precisionRecallCurve", [[0, 0, 0], [0.2, 0.3, 0.2]])
case("edge-pr_curve-empty", "precisionRecallCurve", [[], []], audiomill=RAISE_RANGE)
case("edge-pr_curve-inf", "precisionRecallCurve", [[0, 1], [{"$float": "inf"}, 0.3]], audiomill=RAISE_RANGE)

# ---------------------------------------------------------------------------------------------------------------
# Ranking: multiclass and multilabel


def multiclass_data(name, n, k, ties=False):
    r = rng(name)
    y = r.integers(0, k, n)
    y[:k] = np.arange(k)
    logits = r.normal(size=(n, k))
    logits[np.arange(n), y] += 1.0
    p = np.exp(logits)
    p /= p.sum(axis=1, keepdims=True)
    p = np.round(p, 9)
    if ties:
        p = np.round(p, 1)
        p[:, -1] = 1 - p[:, :-1].sum(axis=1)
    return y.tolist(), p.tolist()


for n, k in [(10, 3), (60, 4), (300, 5), (500, 3)]:
    y, p = multiclass_data(f"mc-{n}-{k}", n, k)
    for avg in ["macro", "weighted", "micro", None]:
        case(f"roc_auc-ovr-{avg}-{n}-{k}", "rocAucScore", [y, p], {"multiClass": "ovr", "average": avg})
    for avg in ["macro", "weighted"]:
        case(f"roc_auc-ovo-{avg}-{n}-{k}", "rocAucScore", [y, p], {"multiClass": "ovo", "average": avg})
    w = floats(rng(f"mcw-{n}").uniform(0.2, 2, n), 4)
    case(f"roc_auc-ovr-weighted-samples-{n}-{k}", "rocAucScore", [y, p], {"multiClass": "ovr", "average": "weighted", "sampleWeight": w})
    case(f"roc_auc-ovr-micro-samples-{n}-{k}", "rocAucScore", [y, p], {"multiClass": "ovr", "average": "micro", "sampleWeight": w})
y, p = multiclass_data("mc-ties", 200, 4, ties=True)
case("roc_auc-ovr-ties", "rocAucScore", [y, p], {"multiClass": "ovr"})
case("roc_auc-ovo-ties", "rocAucScore", [y, p], {"multiClass": "ovo"})
names = ["cat", "dog", "emu"]
y, p = multiclass_data("mc-str", 80, 3)
case("roc_auc-ovr-strings", "rocAucScore", [[names[v] for v in y], p], {"multiClass": "ovr"})
case("roc_auc-ovo-strings-labels", "rocAucScore", [[names[v] for v in y], p], {"multiClass": "ovo", "labels": names})
case("roc_auc-ovr-labels", "rocAucScore", [[v * 2 for v in y], p], {"multiClass": "ovr", "labels": [0, 2, 4]})
y, p = multiclass_data("mc-sub", 50, 4)
y3 = [v if v < 3 else 2 for v in y]
case("roc_auc-ovo-labels-absent-class", "rocAucScore", [y3, p], {"multiClass": "ovo", "labels": [0, 1, 2, 3]})
case("edge-roc_auc-ovr-labels-absent-class", "rocAucScore", [y3, p], {"multiClass": "ovr", "labels": [0, 1, 2, 3]}, audiomill=RAISE_UNDEFINED)
y, p = multiclass_data("mc-edge", 30, 3)
case("edge-roc_auc-multiclass-raise", "rocAucScore", [y, p], audiomill=RAISE_RANGE)
case("edge-roc_auc-multiclass-1d", "rocAucScore", [y, floats(np.asarray(p)[:, 0])], {"multiClass": "ovr"}, audiomill=RAISE_RANGE)
case("edge-roc_auc-multiclass-not-probabilities", "rocAucScore", [y, (np.asarray(p) * 2).tolist()], {"multiClass": "ovr"}, audiomill=RAISE_RANGE)
case("edge-roc_auc-multiclass-max_fpr", "rocAucScore", [y, p], {"multiClass": "ovr", "maxFpr": 0.5}, audiomill=RAISE_RANGE)
case("edge-roc_auc-ovo-sample-weight", "rocAucScore", [y, p], {"multiClass": "ovo", "sampleWeight": [1.0] * 30}, audiomill=RAISE_RANGE)
case("edge-roc_auc-ovo-average-none", "rocAucScore", [y, p], {"multiClass": "ovo", "average": None}, audiomill=RAISE_RANGE)
case("edge-roc_auc-ovo-micro", "rocAucScore", [y, p], {"multiClass": "ovo", "average": "micro"}, audiomill=RAISE_RANGE)
case("edge-roc_auc-columns-mismatch", "rocAucScore", [y, np.asarray(p)[:, :2].tolist()], {"multiClass": "ovr"}, audiomill=RAISE_RANGE)
case("edge-roc_auc-labels-unsorted", "rocAucScore", [y, p], {"multiClass": "ovr", "labels": [0, 2, 1]}, audiomill=RAISE_RANGE)
case("edge-roc_auc-labels-not-unique", "rocAucScore", [y, p], {"multiClass": "ovr", "labels": [0, 1, 1]}, audiomill=RAISE_RANGE)
case("edge-roc_auc-labels-missing-ytrue", "rocAucScore", [y, p], {"multiClass": "ovr", "labels": [0, 1, 3]}, audiomill=RAISE_RANGE)
case("edge-roc_auc-multiclass-nan", "rocAucScore", [y, [[{"$float": "nan"}, 0.5, 0.5]] + p[1:]], {"multiClass": "ovr"},
     audiomill=RAISE_RANGE)


def multilabel_data(name, n, k):
    r = rng(name)
    y = (r.random((n, k)) < 0.35).astype(int)
    y[0, :] = 1
    y[1, :] = 0
    s = np.round(r.normal(size=(n, k)) + y, 7)
    return y.tolist(), s.tolist()


for n, k in [(12, 3), (200, 4)]:
    y, s = multilabel_data(f"ml-{n}", n, k)
    w = floats(rng(f"mlw-{n}").uniform(0.2, 2, n))
    for avg in ["macro", "weighted", "micro", "samples", None]:
        case(f"ap-multilabel-{avg}-{n}", "averagePrecisionScore", [y, s], {"average": avg})
        case(f"ap-multilabel-{avg}-weights-{n}", "averagePrecisionScore", [y, s], {"average": avg, "sampleWeight": w})
y, s = multilabel_data("ml-empty-col", 20, 3)
y = [[r[0], r[1], 0] for r in y]
case("edge-ap-multilabel-column-without-positives", "averagePrecisionScore", [y, s])
case("edge-ap-multilabel-pos-label", "averagePrecisionScore", [y, s], {"posLabel": 0}, audiomill=RAISE_RANGE)
case("edge-ap-multilabel-no-positive-weighted", "averagePrecisionScore", [[[0, 0], [0, 0], [0, 0]], [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]]],
     {"average": "weighted"})

# ---------------------------------------------------------------------------------------------------------------
# Classification


def labels_data(name, n, k, acc=0.6, names=None):
    r = rng(name)
    y = r.integers(0, k, n)
    pred = np.where(r.random(n) < acc, y, r.integers(0, k, n))
    if names:
        return [names[v] for v in y], [names[v] for v in pred]
    return y.tolist(), pred.tolist()


for n, k in [(1, 2), (5, 2), (20, 2), (100, 3), (1000, 5), (2000, 4)]:
    y, p = labels_data(f"cls-{n}-{k}", n, k)
    w = floats(rng(f"clsw-{n}-{k}").uniform(0.1, 3, n), 4 if n > 100 else None)
    case(f"accuracy-{n}-{k}", "accuracyScore", [y, p])
    case(f"accuracy-count-{n}-{k}", "accuracyScore", [y, p], {"normalize": False})
    case(f"accuracy-weighted-{n}-{k}", "accuracyScore", [y, p], {"sampleWeight": w})
    case(f"accuracy-weighted-count-{n}-{k}", "accuracyScore", [y, p], {"sampleWeight": w, "normalize": False})
    case(f"balanced-{n}-{k}", "balancedAccuracyScore", [y, p])
    case(f"balanced-adjusted-{n}-{k}", "balancedAccuracyScore", [y, p], {"adjusted": True})
    case(f"balanced-weighted-{n}-{k}", "balancedAccuracyScore", [y, p], {"sampleWeight": w})
    case(f"confusion-{n}-{k}", "confusionMatrix", [y, p])
    case(f"confusion-weighted-{n}-{k}", "confusionMatrix", [y, p], {"sampleWeight": w})
    for norm in ["true", "pred", "all"]:
        case(f"confusion-{norm}-{n}-{k}", "confusionMatrix", [y, p], {"normalize": norm})
    avgs = ["binary", "micro", "macro", "weighted", None] if k == 2 else ["micro", "macro", "weighted", None]
    for avg in avgs:
        for fn in ["precisionScore", "recallScore", "f1Score"]:
            case(f"{fn}-{avg}-{n}-{k}", fn, [y, p], {"average": avg})
        case(f"fbeta-0.5-{avg}-{n}-{k}", "fbetaScore", [y, p, 0.5], {"average": avg})
        case(f"fbeta-2-{avg}-{n}-{k}", "fbetaScore", [y, p, 2], {"average": avg, "sampleWeight": w})
        case(f"prfs-{avg}-{n}-{k}", "precisionRecallFscoreSupport", [y, p], {"average": avg})
    case(f"prfs-weights-{n}-{k}", "precisionRecallFscoreSupport", [y, p], {"sampleWeight": w})
    case(f"f1-weighted-samples-{n}-{k}", "f1Score", [y, p], {"average": "weighted" if k > 2 else "binary", "sampleWeight": w})

y, p = labels_data("cls-str", 50, 3, names=["ant", "bee", "cow"])
case("accuracy-strings", "accuracyScore", [y, p])
case("confusion-strings", "confusionMatrix", [y, p])
case("confusion-strings-labels", "confusionMatrix", [y, p], {"labels": ["cow", "ant"]})
case("f1-strings-macro", "f1Score", [y, p], {"average": "macro"})
case("precision-strings-labels", "precisionScore", [y, p], {"average": None, "labels": ["bee", "ant", "zzz"]})
y, p = labels_data("cls-str-bin", 30, 2, names=["no", "yes"])
case("precision-strings-binary-pos", "precisionScore", [y, p], {"posLabel": "yes"})
case("recall-strings-binary-pos", "recallScore", [y, p], {"posLabel": "no"})
case("f1-bool", "f1Score", [[bool(v) for v in labels_data("b", 20, 2)[0]], [bool(v) for v in labels_data("b", 20, 2)[1]]])
case("accuracy-bool-vs-int", "accuracyScore", [[True, False, True, True], [1, 0, 0, 1]])
case("confusion-bool", "confusionMatrix", [[True, False, True, True], [True, True, False, True]])
y, p = labels_data("cls-lab", 80, 4)
case("confusion-labels-subset", "confusionMatrix", [y, p], {"labels": [3, 1]})
case("confusion-labels-superset", "confusionMatrix", [y, p], {"labels": [0, 1, 2, 3, 7]})
case("confusion-labels-reordered-weighted-true", "confusionMatrix", [y, p], {"labels": [2, 0, 1, 3], "normalize": "true",
                                                                               "sampleWeight": floats(rng("clw").uniform(0.5, 2, 80))})
case("precision-labels-subset-macro", "precisionScore", [y, p], {"labels": [1, 3], "average": "macro"})
case("recall-labels-subset-micro", "recallScore", [y, p], {"labels": [1, 3], "average": "micro"})
case("f1-labels-superset-none", "f1Score", [y, p], {"labels": [0, 1, 2, 3, 9], "average": None})
case("f1-labels-superset-weighted", "f1Score", [y, p], {"labels": [0, 1, 2, 3, 9], "average": "weighted"})
case("prfs-labels-superset", "precisionRecallFscoreSupport", [y, p], {"labels": [9, 0, 1, 2, 3]})
y, p = labels_data("cls-bin-12", 40, 2)
case("precision-binary-1-2-pos-2", "precisionScore", [[v + 1 for v in y], [v + 1 for v in p]], {"posLabel": 2})
case("recall-binary-pos-0", "recallScore", [y, p], {"posLabel": 0})
case("fbeta-inf", "fbetaScore", [y, p, {"$float": "inf"}])
case("fbeta-0", "fbetaScore", [y, p, 0])
case("fbeta-inf-macro", "fbetaScore", [y, p, {"$float": "inf"}], {"average": "macro"})
for zd in ["warn", 0, 1]:
    case(f"precision-no-pred-zd-{zd}", "precisionScore", [[0, 1, 1, 0], [0, 0, 0, 0]], {"zeroDivision": zd})
    case(f"recall-no-true-zd-{zd}", "recallScore", [[0, 0, 0, 0], [0, 1, 0, 0]], {"zeroDivision": zd})
    case(f"f1-nothing-zd-{zd}", "f1Score", [[0, 0, 0], [0, 0, 0]], {"zeroDivision": zd})
    case(f"f1-macro-pred-only-zd-{zd}", "f1Score", [[0, 1, 1, 0], [0, 2, 1, 0]], {"average": "macro", "zeroDivision": zd})
    case(f"prfs-pred-only-zd-{zd}", "precisionRecallFscoreSupport", [[0, 1, 1, 0], [0, 2, 1, 0]], {"zeroDivision": zd})
    case(f"recall-weighted-no-true-zd-{zd}", "recallScore", [[0, 1], [0, 1]], {"average": "weighted", "labels": [5], "zeroDivision": zd})
    case(f"precision-weighted-no-true-pred-zd-{zd}", "precisionScore", [[0, 1], [5, 1]], {"average": "weighted", "labels": [5],
                                                                                            "zeroDivision": zd})
case("precision-micro-no-pred", "precisionScore", [[0, 1], [0, 1]], {"average": "micro", "labels": [7]})

# Log loss
for n in [2, 10, 100, 1000]:
    r = rng(f"ll-{n}")
    y = (r.random(n) < 0.5).astype(int)
    y[:2] = [0, 1]
    q = np.clip(1 / (1 + np.exp(-(r.normal(size=n) * 2 + y))), 0, 1)
    if n > 100:
        q = np.round(q, 9)
    case(f"log_loss-binary-{n}", "logLoss", [y.tolist(), floats(q)])
    if n <= 100:
        case(f"log_loss-binary-2d-{n}", "logLoss", [y.tolist(), np.stack([1 - q, q], axis=1).tolist()])
    if n <= 100:
        case(f"log_loss-binary-float32-{n}", "logLoss", [y.tolist(), floats(q.astype(np.float32))], float32=[1])
    case(f"log_loss-binary-sum-{n}", "logLoss", [y.tolist(), floats(q)], {"normalize": False})
    w = floats(r.uniform(0.1, 2, n), 4 if n > 100 else None)
    case(f"log_loss-binary-weights-{n}", "logLoss", [y.tolist(), floats(q)], {"sampleWeight": w})
    case(f"log_loss-binary-weights-sum-{n}", "logLoss", [y.tolist(), floats(q)], {"sampleWeight": w, "normalize": False})
for n, k in [(10, 3), (150, 5), (60, 10)]:
    y, p = multiclass_data(f"ll-mc-{n}-{k}", n, k)
    case(f"log_loss-multiclass-{n}-{k}", "logLoss", [y, p])
    case(f"log_loss-multiclass-float32-{n}-{k}", "logLoss", [y, np.asarray(p, dtype=np.float32).astype(float).tolist()], float32=[1])
    unnorm = np.round(np.asarray(p) * rng(f"ll-un-{n}").uniform(0.5, 2, (n, 1)), 9).tolist()
    case(f"log_loss-multiclass-unnormalised-{n}-{k}", "logLoss", [y, unnorm])
    case(f"log_loss-multiclass-unnormalised-float32-{n}-{k}", "logLoss", [y, np.asarray(unnorm, dtype=np.float32).astype(float).tolist()],
         float32=[1])
y, p = multiclass_data("ll-str", 40, 3)
case("log_loss-strings", "logLoss", [[["x", "y", "z"][v] for v in y], p])
case("log_loss-labels", "logLoss", [[v for v in y if v < 2], [row for v, row in zip(y, p) if v < 2]], {"labels": [0, 1, 2]})
case("log_loss-single-class-with-labels", "logLoss", [[1, 1, 1], [0.8, 0.9, 0.6]], {"labels": [0, 1]})
case("log_loss-extreme", "logLoss", [[0, 1, 1, 0], [0.0, 1.0, 0.0, 1.0]])
case("log_loss-extreme-float32", "logLoss", [[0, 1, 1, 0], [0.0, 1.0, 0.0, 1.0]], float32=[1])
case("log_loss-out-of-range", "logLoss", [[0, 1, 1], [-0.5, 1.5, 0.5]])
case("log_loss-eps", "logLoss", [[0, 1, 1, 0], [0.0, 1.0, 0.3, 0.6]], {"eps": 1e-3})
case("log_loss-eps-float32", "logLoss", [[0, 1, 1, 0], [0.0, 1.0, 0.3, 0.6]], {"eps": 1e-3}, float32=[1])
case("log_loss-1col", "logLoss", [[0, 1, 1], [[0.2], [0.7], [0.6]]])
case("log_loss-bool", "logLoss", [[True, False, True], [0.8, 0.3, 0.4]])

# Edge cases: classification
case("edge-accuracy-empty", "accuracyScore", [[], []])
case("edge-accuracy-empty-count", "accuracyScore", [[], []], {"normalize": False})
case("edge-accuracy-zero-weights", "accuracyScore", [[0, 1], [0, 0]], {"sampleWeight": [0, 0]}, audiomill=RAISE_UNDEFINED)
case("edge-accuracy-negative-weights", "accuracyScore", [[0, 1, 1], [0, 0, 1]], {"sampleWeight": [1, -0.5, 2]})
case("edge-accuracy-length-mismatch", "accuracyScore", [[0, 1, 1], [0, 1]], audiomill=RAISE_RANGE)
case("edge-accuracy-strings-vs-numbers", "accuracyScore", [["a", "b"], [0, 1]], audiomill=RAISE_TYPE,
     note="sklearn 1.2.1 returns 0.0 with a NumPy FutureWarning (elementwise comparison failed)")
case("edge-accuracy-strings-vs-numbers-multiclass", "accuracyScore", [["a", "b", "c"], [0, 1, 2]], audiomill=RAISE_TYPE,
     note="sklearn 1.2.1 returns 0.0 with a NumPy FutureWarning")
case("edge-accuracy-mixed-list", "accuracyScore", [["a", 1, "b"], ["a", 1, "b"]], audiomill=RAISE_TYPE,
     note="NumPy turns the list into strings ('a', '1', 'b'); audiomill refuses a mix")
case("edge-accuracy-continuous", "accuracyScore", [[0.5, 1.0], [0.5, 1.0]], audiomill=RAISE_RANGE)
case("edge-accuracy-nan-label", "accuracyScore", [[0, {"$float": "nan"}], [0, 1]], audiomill=RAISE_RANGE)
case("edge-confusion-empty", "confusionMatrix", [[], []])
case("edge-confusion-empty-labels", "confusionMatrix", [[], []], {"labels": [0, 1]})
case("edge-confusion-labels-none-in-ytrue", "confusionMatrix", [[0, 1], [0, 1]], {"labels": [2, 3]}, audiomill=RAISE_RANGE)
case("edge-confusion-labels-empty", "confusionMatrix", [[0, 1], [0, 1]], {"labels": []}, audiomill=RAISE_RANGE)
case("edge-confusion-normalize-zero-row", "confusionMatrix", [[0, 0], [0, 1]], {"labels": [0, 1, 2], "normalize": "true"})
case("edge-confusion-normalize-bad", "confusionMatrix", [[0, 0], [0, 1]], {"normalize": "rows"}, audiomill=RAISE_RANGE)
case("edge-confusion-pred-only", "confusionMatrix", [[0, 0, 1], [0, 2, 1]])
case("edge-balanced-empty", "balancedAccuracyScore", [[], []])
case("edge-balanced-pred-only", "balancedAccuracyScore", [[0, 0, 1], [0, 2, 1]])
case("edge-balanced-adjusted-single-class", "balancedAccuracyScore", [[0, 0], [0, 0]], {"adjusted": True})
case("edge-balanced-adjusted-single-class-wrong", "balancedAccuracyScore", [[0, 0], [0, 1]], {"adjusted": True})
case("edge-balanced-single-class", "balancedAccuracyScore", [[1, 1, 1], [1, 0, 1]])
case("edge-precision-empty", "precisionScore", [[], []])
case("edge-f1-empty-macro", "f1Score", [[], []], {"average": "macro"})
case("edge-precision-empty-labels-none", "precisionScore", [[], []], {"average": None})
case("edge-recall-empty-micro", "recallScore", [[], []], {"average": "micro"})
case("edge-f1-empty-weighted", "f1Score", [[], []], {"average": "weighted"})
case("edge-precision-binary-multiclass", "precisionScore", [[0, 1, 2], [0, 1, 1]], audiomill=RAISE_RANGE)
case("edge-precision-binary-pred-adds-class", "precisionScore", [[0, 1, 1], [0, 2, 1]], audiomill=RAISE_RANGE)
case("edge-precision-strings-default-pos", "precisionScore", [["a", "b"], ["a", "b"]], audiomill=RAISE_RANGE)
case("edge-precision-strings-one-class", "precisionScore", [["a", "a"], ["a", "a"]], audiomill=WARNS)
case("edge-precision-pos-absent-one-class", "precisionScore", [[0, 0], [0, 0]], {"posLabel": 5})
case("edge-precision-pos-not-a-label", "precisionScore", [[0, 1], [0, 1]], {"posLabel": 5}, audiomill=RAISE_RANGE)
case("edge-precision-macro-pos-ignored", "precisionScore", [[0, 1, 1], [0, 1, 0]], {"average": "macro", "posLabel": 0}, audiomill={"warns": False},
     note="the ignored posLabel is reported with an AUDIOMILL_IGNORED_OPTION warning, not an undefined-metric one")
case("edge-precision-labels-wrong-type", "precisionScore", [[0, 1], [0, 1]], {"average": None, "labels": ["a"]}, audiomill=RAISE_TYPE,
     note="sklearn 1.2.1 returns [0.0] with a FutureWarning and an UndefinedMetricWarning")
case("edge-precision-negative-weights", "precisionScore", [[0, 1, 1], [1, 1, 0]], {"sampleWeight": [1, -2, 3]})
case("edge-precision-samples", "precisionScore", [[0, 1, 2], [0, 1, 1]], {"average": "samples"}, audiomill=RAISE_RANGE)
case("edge-precision-zero-division-bad", "precisionScore", [[0, 1], [0, 1]], {"zeroDivision": 2}, audiomill=RAISE_RANGE)
case("edge-fbeta-negative-beta", "fbetaScore", [[0, 1], [0, 1], -1], audiomill=RAISE_RANGE)
case("edge-f1-length-mismatch", "f1Score", [[0, 1, 1], [0, 1]], audiomill=RAISE_RANGE)
case("edge-log_loss-single-class", "logLoss", [[1, 1], [0.2, 0.3]], audiomill=RAISE_UNDEFINED)
case("edge-log_loss-labels-one", "logLoss", [[1, 1], [0.2, 0.3]], {"labels": [1]}, audiomill=RAISE_RANGE)
case("edge-log_loss-empty", "logLoss", [[], []], audiomill=RAISE_RANGE)
case("edge-log_loss-nan", "logLoss", [[0, 1], [{"$float": "nan"}, 0.3]], audiomill=RAISE_RANGE)
case("edge-log_loss-columns-mismatch", "logLoss", [[0, 1, 2], [[0.2, 0.8], [0.3, 0.7], [0.5, 0.5]]], audiomill=RAISE_RANGE)
case("edge-log_loss-label-outside-labels", "logLoss", [[0, 1, 2], [[0.2, 0.8], [0.3, 0.7], [0.5, 0.5]]], {"labels": [0, 1]},
     audiomill=RAISE_RANGE, note="sklearn 1.2.1 silently scores a row whose label is not in labels as 0 loss")
case("edge-log_loss-label-outside-labels-binary", "logLoss", [[0, 2, 0], [0.2, 0.3, 0.5]], {"labels": [0, 1]},
     audiomill=RAISE_RANGE, note="sklearn 1.2.1 silently scores the row of label 2 as class 0")
case("edge-log_loss-zero-weights", "logLoss", [[0, 1], [0.2, 0.3]], {"sampleWeight": [0, 0]}, audiomill=RAISE_UNDEFINED)
case("edge-log_loss-length-mismatch", "logLoss", [[0, 1, 1], [0.2, 0.3]], audiomill=RAISE_RANGE)


def main():
    OUT.parent.mkdir(parents=True, exist_ok=True)
    header = {
        "generator": GENERATOR,
        "versions": {"sklearn": sklearn.__version__, "numpy": np.__version__, "scipy": scipy.__version__,
                     "python": sys.version.split()[0]},
        "tolerance": {"rel": 1e-9, "abs": 1e-12},
        "encoding": 'non-finite floats are {"$float": "nan" | "inf" | "-inf"}; arrays longer than 16 values are '
                    '{"$ref": id} into inputs',
    }
    lines = ["{"]
    for key in sorted(header):
        lines.append(f" {json.dumps(key)}: {json.dumps(header[key], sort_keys=True)},")
    lines.append(' "inputs": {')
    keys = sorted(INPUTS)
    for i, key in enumerate(keys):
        lines.append(f"  {json.dumps(key)}: {INPUTS[key]}" + ("," if i < len(keys) - 1 else ""))
    lines.append(" },")
    lines.append(' "cases": [')
    for i, c in enumerate(CASES):
        lines.append("  " + json.dumps(c, sort_keys=True, allow_nan=False) + ("," if i < len(CASES) - 1 else ""))
    lines.append(" ]")
    lines.append("}")
    OUT.write_text("\n".join(lines) + "\n")
    size = OUT.stat().st_size
    print(f"{len(CASES)} cases, {len(INPUTS)} shared inputs, {size / 1e3:.0f} KB in {OUT.relative_to(REPO)}")
    if size > SIZE_BUDGET_BYTES:
        print(f"warning: fixtures exceed the {SIZE_BUDGET_BYTES / 1e3:.0f} KB budget", file=sys.stderr)


if __name__ == "__main__":
    main()
