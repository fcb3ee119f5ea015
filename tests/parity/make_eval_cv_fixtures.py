#!/usr/bin/python3
"""Golden fixtures for audiomill's crossValidate (src/eval/cross-validate.ts) against scikit-learn 1.2.1's
cross_validate and cross_val_predict.

Run from the repository root with Debian's Python (python3-sklearn, python3-numpy):

    /usr/bin/python3 tests/parity/make_eval_cv_fixtures.py

Writes tests/parity/fixtures/eval/cv.json: { generator, versions, cases: [...] }. Each case has the data (X row-major,
y, groups), the model and its options, the cv, the scorings, and what scikit-learn gave: the per-fold test scores,
the out-of-fold predictions (cross_val_predict with the same folds) and the pooled score of those predictions.
Models are fitted with tight tolerances so that any exact minimiser of the same objective agrees to ~1e-9.

Deterministic: fixed seeds; two runs give byte-identical files.
"""
import json
from pathlib import Path

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import accuracy_score, get_scorer, log_loss, r2_score, roc_auc_score
from sklearn.model_selection import GroupKFold, KFold, LeaveOneGroupOut, StratifiedKFold, cross_val_predict, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "tests" / "parity" / "fixtures" / "eval" / "cv.json"


def regression_data(n, d, seed, targets=1):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n, d))
    W = rng.normal(size=(d, targets))
    Y = X @ W + 0.5 * rng.normal(size=(n, targets))
    return X, (Y[:, 0] if targets == 1 else Y)


def classification_data(n, d, k, seed):
    rng = np.random.RandomState(seed)
    centres = rng.normal(scale=1.5, size=(k, d))
    y = rng.randint(0, k, size=n)
    X = centres[y] + rng.normal(size=(n, d))
    return X, y


def splitter(cv, groups):
    kind, k = cv["kind"], cv.get("k")
    if kind == "kfold":
        return KFold(k)
    if kind == "stratified":
        return StratifiedKFold(k)
    if kind == "group":
        return GroupKFold(k)
    return LeaveOneGroupOut()


def case(name, X, y, model, options, cv, scorings, standardize, groups=None, labels=None):
    est = {"ridge": Ridge, "logistic": LogisticRegression}[model](**options)
    if standardize:
        est = make_pipeline(StandardScaler(), est)
    split = splitter(cv, groups)
    res = cross_validate(est, X, y, cv=split, groups=groups, scoring=scorings)
    pred = cross_val_predict(est, X, y, cv=split, groups=groups)
    pooled = {}
    for s in scorings:
        if s == "r2":
            pooled[s] = r2_score(y, pred)
        elif s == "accuracy":
            pooled[s] = accuracy_score(y, pred)
        elif s in ("roc_auc", "neg_log_loss"):
            proba = cross_val_predict(est, X, y, cv=split, groups=groups, method="predict_proba")
            pooled[s] = roc_auc_score(y, proba[:, 1]) if s == "roc_auc" else -log_loss(y, proba)
    out_y = [labels[v] for v in y] if labels is not None else np.asarray(y).tolist()
    return {
        "name": name,
        "X": X.ravel().tolist(),
        "shape": list(X.shape),
        "y": out_y,
        "groups": None if groups is None else np.asarray(groups).tolist(),
        "model": model,
        "options": options,
        "standardize": standardize,
        "cv": cv,
        "scorings": scorings,
        "foldScores": {s: res[f"test_{s}"].tolist() for s in scorings},
        "predictions": [labels[v] for v in pred] if labels is not None else np.asarray(pred).ravel().tolist(),
        "pooled": pooled,
    }


def main():
    cases = []
    X, y = regression_data(60, 5, 1)
    cases.append(case("ridge_kfold4_r2", X, y, "ridge", {"alpha": 1.0}, {"kind": "kfold", "k": 4}, ["r2", "neg_mean_squared_error"], False))
    cases.append(case("ridge_scaled_kfold4", X, y, "ridge", {"alpha": 3.0}, {"kind": "kfold", "k": 4}, ["r2"], True))
    groups = np.repeat(np.arange(12), 5)
    cases.append(case("ridge_logo_scaled", X, y, "ridge", {"alpha": 1.0}, {"kind": "logo"}, ["r2", "neg_mean_absolute_error"], True, groups=groups))
    cases.append(case("ridge_groupkfold3", X, y, "ridge", {"alpha": 0.5}, {"kind": "group", "k": 3}, ["r2"], False, groups=groups))
    X, y = classification_data(80, 4, 2, 2)
    tight = {"C": 1.0, "tol": 1e-10, "max_iter": 10000}
    cases.append(case("logistic_binary_stratified5", X, y, "logistic", tight, {"kind": "stratified", "k": 5}, ["accuracy", "roc_auc", "neg_log_loss"], False, labels=["no", "yes"]))
    X, y = classification_data(90, 4, 3, 3)
    cases.append(case("logistic_3class_stratified3_scaled", X, y, "logistic", {"C": 0.5, "tol": 1e-10, "max_iter": 10000}, {"kind": "stratified", "k": 3}, ["accuracy", "neg_log_loss"], True, labels=["dog", "rain", "siren"]))
    doc = {
        "generator": "tests/parity/make_eval_cv_fixtures.py",
        "versions": {"sklearn": sklearn.__version__, "numpy": np.__version__},
        "cases": cases,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(doc, separators=(",", ":")) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes, {len(cases)} cases)")


if __name__ == "__main__":
    main()
