#!/usr/bin/python3
"""Golden fixtures for audiomill's event matching and window-score post-processing (src/events/) against SciPy 1.10.

Run from the repository root with Debian's Python (python3-scipy, python3-numpy):

    /usr/bin/python3 tests/parity/make_events_fixtures.py

Writes tests/parity/fixtures/events/events.json: { generator, versions, matching: [...], median: [...] }.

- matching: random detection and truth boxes per file (clustered so that many overlap, with tied IoUs from
  repeated boxes), labels, scores. For each threshold, mode and byLabel setting, the optimal one-to-one matching
  from scipy.optimize.linear_sum_assignment on the weights K + IoU for pairs with IoU >= threshold (K above any
  total IoU, so the number of pairs comes first, then the total IoU): its pair count and total IoU per file. The
  pairs themselves are not compared (several matchings can share both numbers).
- median: scipy.ndimage.median_filter(x, size=k) (mode 'reflect') for several lengths and window sizes.

Deterministic: fixed seeds; two runs give byte-identical files.
"""
import json
from pathlib import Path

import numpy as np
import scipy
from scipy.ndimage import median_filter
from scipy.optimize import linear_sum_assignment

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "tests" / "parity" / "fixtures" / "events" / "events.json"


def iou(a, b, mode):
    ti = min(a["end"], b["end"]) - max(a["begin"], b["begin"])
    if not ti > 0:
        return 0.0
    if mode == "time":
        return ti / ((a["end"] - a["begin"]) + (b["end"] - b["begin"]) - ti)
    fi = min(a["highFreq"], b["highFreq"]) - max(a["lowFreq"], b["lowFreq"])
    if not fi > 0:
        return 0.0
    inter = ti * fi
    return inter / ((a["end"] - a["begin"]) * (a["highFreq"] - a["lowFreq"]) + (b["end"] - b["begin"]) * (b["highFreq"] - b["lowFreq"]) - inter)


def boxes(rng, n, labels, duplicate_from=None):
    out = []
    centres = rng.uniform(0, 30, size=max(1, n // 3))
    for i in range(n):
        if duplicate_from and rng.uniform() < 0.15:
            b = dict(duplicate_from[rng.randint(len(duplicate_from))])
            b["score"] = round(float(rng.uniform()), 3)
            out.append(b)
            continue
        c = centres[rng.randint(len(centres))] + rng.normal(0, 0.6)
        dur = float(np.round(rng.uniform(0.1, 1.5), 3))
        begin = float(np.round(max(0.0, c), 3))
        lo = float(np.round(rng.uniform(0, 4000), 1))
        out.append({"begin": begin, "end": float(np.round(begin + dur, 3)), "lowFreq": lo,
                    "highFreq": float(np.round(lo + rng.uniform(200, 6000), 1)),
                    "label": labels[rng.randint(len(labels))], "score": round(float(rng.uniform()), 3)})
    return out


def optimal(dets, truths, thr, mode, by_label):
    n, m = len(dets), len(truths)
    if n == 0 or m == 0:
        return 0, 0.0
    k = min(n, m) + 1
    w = np.zeros((n, m))
    for i, d in enumerate(dets):
        for j, t in enumerate(truths):
            if by_label and d["label"] != t["label"]:
                continue
            v = iou(d, t, mode)
            if v > 0 and v >= thr:
                w[i, j] = k + v
    r, c = linear_sum_assignment(w, maximize=True)
    sel = w[r, c] > 0
    return int(sel.sum()), float(sum(w[r, c][sel] - k))


def main():
    rng = np.random.RandomState(20261205)
    matching = []
    for case in range(12):
        files = {}
        for f in range(1 + case % 4):
            nt = int(rng.randint(0, 25))
            nd = int(rng.randint(0, 30))
            labels = ["a", "b", "c"][: 1 + case % 3]
            truths = boxes(rng, nt, labels)
            dets = boxes(rng, nd, labels, duplicate_from=truths)
            files[f"tape{f}.wav"] = {"detections": dets, "truth": truths}
        if case == 5:
            files["only-detections.wav"] = {"detections": boxes(rng, 4, ["a"]), "truth": []}
            files["only-truth.wav"] = {"detections": [], "truth": boxes(rng, 3, ["a"])}
        results = []
        for thr in (0.1, 0.4, 0.7):
            for mode in ("time", "time-frequency"):
                for by_label in (False, True):
                    per_file = {}
                    for name, ft in files.items():
                        tp, total = optimal(ft["detections"], ft["truth"], thr, mode, by_label)
                        per_file[name] = {"tp": tp, "totalIou": total}
                    results.append({"iou": thr, "mode": mode, "byLabel": by_label, "perFile": per_file})
        matching.append({"name": f"random_{case}", "files": files, "results": results})

    median = []
    for n in (1, 2, 5, 9, 40):
        x = np.round(rng.uniform(size=n), 4)
        for k in (1, 3, 5, 7, 11):
            median.append({"x": x.tolist(), "k": k, "expected": median_filter(x, size=k, mode="reflect").tolist()})

    OUT.parent.mkdir(parents=True, exist_ok=True)
    doc = {"generator": "tests/parity/make_events_fixtures.py", "versions": {"numpy": np.__version__, "scipy": scipy.__version__},
           "matching": matching, "median": median}
    OUT.write_text(json.dumps(doc, separators=(",", ":")) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
