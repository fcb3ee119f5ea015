#!/usr/bin/python3
"""Golden fixtures for audiomill's random forest (src/forest/, native/core/forest/) against scikit-learn 1.2.

Run from the repository root with Debian's Python (python3-sklearn, python3-numpy):

    /usr/bin/python3 tests/parity/make_forest_fixtures.py

Writes tests/parity/fixtures/forest/forest.json: { generator, versions, trees: [...], forests: [...] }.

- trees: single trees that must match node for node. DecisionTreeClassifier (no bootstrap, every feature searched)
  on float32 data with distinct values, shallow enough that no two features tie on the best split (the one choice
  where scikit-learn's random feature order and audiomill's differ): node count, depth, predict_proba on held-out
  rows, feature_importances_. Cases: three classes; two classes with class_weight='balanced' on imbalanced data;
  min_samples_leaf / min_samples_split limits; a feature with repeated values (boundaries only between distinct
  values).
- forests: RandomForestClassifier(n_estimators=300, max_features='sqrt', bootstrap) on a harder set (800 x 12). The random
  draws differ by design, so the test compares what the draws should not change: held-out accuracy and ROC AUC,
  and the most important features (scikit-learn's averaged over five random states, audiomill's over three seeds).

Deterministic: fixed seeds; two runs give byte-identical files.
"""
import json
from pathlib import Path

import numpy as np
import sklearn
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score
from sklearn.tree import DecisionTreeClassifier

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "tests" / "parity" / "fixtures" / "forest" / "forest.json"


def f32(a):
    # Values with 3 decimals: both sides read them as float32 (scikit-learn's trees cast X; the test uses Float32Array).
    return [float(v) for v in np.asarray(a, dtype=np.float64).ravel()]


def blobs(rng, n, p, classes, informative, spread):
    y = rng.integers(0, classes, n)
    centres = rng.normal(0, 1, (classes, informative))
    x = rng.normal(0, 1, (n, p))
    x[:, :informative] = x[:, :informative] * spread + centres[y]
    return np.round(x, 3), y


def tree_case(name, x, y, xt, **kw):
    t = DecisionTreeClassifier(random_state=0, **kw).fit(x, y)
    return {
        "name": name, "options": kw, "cols": int(x.shape[1]),
        "x": f32(x), "y": [int(v) for v in y], "xTest": f32(xt),
        "nodeCount": int(t.tree_.node_count), "depth": int(t.get_depth()),
        "proba": [float(v) for v in t.predict_proba(xt).ravel()],
        "importances": [float(v) for v in t.feature_importances_],
    }


def main():
    rng = np.random.default_rng(20261205)
    trees = []
    x, y = blobs(rng, 400, 6, 3, 4, 1.2)
    xt, _ = blobs(rng, 120, 6, 3, 4, 1.2)
    trees.append(tree_case("three classes, depth 4", x, y, xt, max_depth=4))
    x2, y2 = blobs(rng, 300, 5, 2, 3, 1.5)
    keep = (y2 == 0) | (rng.random(300) < 0.25)  # about 4:1
    trees.append(tree_case("balanced class weights, depth 3", x2[keep], y2[keep], xt[:, :5], max_depth=3, class_weight="balanced"))
    trees.append(tree_case("min samples leaf 20, split 50", x, y, xt, min_samples_leaf=20, min_samples_split=50))
    x3 = x.copy()
    x3[:, 0] = np.round(x3[:, 0] * 2) / 2  # repeated values
    trees.append(tree_case("repeated values, depth 3", x3, y, xt, max_depth=3))

    forests = []
    xf, yf = blobs(rng, 800, 12, 2, 3, 1.5)
        # held-out rows around the training set's class centres
    rng2 = np.random.default_rng(7)
    yt = rng2.integers(0, 2, 500)
    centres = np.array([xf[yf == c, :3].mean(axis=0) for c in (0, 1)])
    xtf = rng2.normal(0, 1, (500, 12))
    xtf[:, :3] = rng2.normal(0, 1, (500, 3)) * 1.5 + centres[yt]
    xtf = np.round(xtf, 3)
    # The mean over five random states: one forest's held-out accuracy moves by about 0.01 with its seed.
    accs, aucs, imps = [], [], []
    for state in range(5):
        rf = RandomForestClassifier(n_estimators=300, random_state=state).fit(xf, yf)
        p = rf.predict_proba(xtf)[:, 1]
        accs.append(np.mean((p > 0.5) == yt))
        aucs.append(roc_auc_score(yt, p))
        imps.append(rf.feature_importances_)
    forests.append({
        "name": "two classes, 12 features (3 informative)", "cols": 12, "trees": 300,
        "x": f32(xf), "y": [int(v) for v in yf], "xTest": f32(xtf), "yTest": [int(v) for v in yt],
        "accuracy": float(np.mean(accs)), "auc": float(np.mean(aucs)),
        "topFeatures": [int(v) for v in np.argsort(-np.mean(imps, axis=0))[:3]],
    })
    doc = {"generator": "tests/parity/make_forest_fixtures.py", "versions": {"numpy": np.__version__, "sklearn": sklearn.__version__},
           "trees": trees, "forests": forests}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(doc, separators=(",", ":")) + "\n")
    print(f"{len(trees)} trees, {len(forests)} forests, {OUT.stat().st_size / 1e3:.0f} KB in {OUT.relative_to(REPO)}")


if __name__ == "__main__":
    main()
