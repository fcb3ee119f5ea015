#!/usr/bin/python3
"""The Python peer of the random-forest filter's forest in bench/detect.mjs: scikit-learn's RandomForestClassifier
(100 trees, max_features 'sqrt', n_jobs 2) fitted on a feature table like the filter's (rows x 90 features, two
classes) and asked for every row's probabilities, median of 3 fits; and the held-out accuracy.

    forest_bench.py <data.json>

data.json: { x: [[...]], y: [...], xTest: [[...]], yTest: [...] } written by bench/detect.mjs.
Prints one JSON line: fit_ms, predict_ms, accuracy.
"""
import json
import sys
import time

import numpy as np
from sklearn.ensemble import RandomForestClassifier


def main():
    d = json.load(open(sys.argv[1]))
    x, y = np.asarray(d["x"], dtype=np.float32), np.asarray(d["y"])
    xt, yt = np.asarray(d["xTest"], dtype=np.float32), np.asarray(d["yTest"])
    fits, preds = [], []
    for seed in range(3):
        t0 = time.perf_counter()
        rf = RandomForestClassifier(n_estimators=100, n_jobs=2, random_state=seed).fit(x, y)
        fits.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        p = rf.predict_proba(xt)[:, 1]
        preds.append((time.perf_counter() - t0) * 1000)
    print(json.dumps({"fit_ms": float(np.median(fits)), "predict_ms": float(np.median(preds)), "accuracy": float(np.mean((p >= 0.5) == yt))}))


if __name__ == "__main__":
    main()
