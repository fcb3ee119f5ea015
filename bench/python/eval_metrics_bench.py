#!/usr/bin/python3
"""Peer of bench/eval.mjs: scikit-learn's roc_auc_score and average_precision_score on the same binary scores (a
float64 .npy of scores and one of 0/1 labels), timed in-process, best and median of `reps` calls after one warm-up,
and the plain NumPy a user would write for the AUC alone (Mann-Whitney U with tied ranks from scipy.stats.rankdata).

    /usr/bin/python3 bench/python/eval_metrics_bench.py scores.npy labels.npy reps

Prints one JSON line: { auc, ap, auc_numpy, ms: { sklearn_auc: [...], sklearn_ap: [...], numpy_auc: [...] } }.

    /usr/bin/python3 bench/python/eval_metrics_bench.py --probe X.npy y.npy alphas reps

times scikit-learn's cross_validate(RidgeCV(alphas), X, y, cv=KFold(5), scoring='r2') (leave-one-out inside each
training fold) and prints { scores: [...], ms: [...] }.
"""
import json
import sys
import time

import numpy as np
from scipy.stats import rankdata
from sklearn.metrics import average_precision_score, roc_auc_score


def numpy_auc(y, s):
    r = rankdata(s)
    pos = y == 1
    n1 = pos.sum()
    n0 = len(y) - n1
    return (r[pos].sum() - n1 * (n1 + 1) / 2) / (n1 * n0)


def timed(fn, reps):
    fn()
    out = []
    for _ in range(reps):
        t = time.perf_counter()
        v = fn()
        out.append((time.perf_counter() - t) * 1000)
    return v, out


def probe():
    from sklearn.linear_model import RidgeCV
    from sklearn.model_selection import KFold, cross_validate
    X = np.load(sys.argv[2])
    y = np.load(sys.argv[3])
    alphas = [float(a) for a in sys.argv[4].split(',')]
    reps = int(sys.argv[5])
    run = lambda: cross_validate(RidgeCV(alphas=alphas), X, y, cv=KFold(5), scoring='r2')['test_score']
    scores, ms = timed(run, reps)
    print(json.dumps({'scores': scores.tolist(), 'ms': ms}))


def main():
    if sys.argv[1] == '--probe':
        return probe()
    s = np.load(sys.argv[1])
    y = np.load(sys.argv[2])
    reps = int(sys.argv[3])
    auc, t_auc = timed(lambda: roc_auc_score(y, s), reps)
    ap, t_ap = timed(lambda: average_precision_score(y, s), reps)
    auc2, t_np = timed(lambda: numpy_auc(y, s), reps)
    print(json.dumps({'auc': auc, 'ap': ap, 'auc_numpy': auc2, 'ms': {'sklearn_auc': t_auc, 'sklearn_ap': t_ap, 'numpy_auc': t_np}}))


if __name__ == '__main__':
    main()
