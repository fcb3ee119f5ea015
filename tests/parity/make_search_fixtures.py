#!/usr/bin/python3
"""Golden fixtures for audiomill's exact vector search (VectorIndex) from FAISS, the reference its users know.

Run from the repository root with Debian's Python (apt-get install python3-faiss python3-numpy), after
make_fixtures.py (which deletes the whole fixtures/ folder, this one included):

    /usr/bin/python3 tests/parity/make_search_fixtures.py

Writes tests/parity/fixtures/search/ from scratch (that folder only):

    rows.npy, queries.npy   float32 [n, dim] and [nq, dim]: clustered random vectors (embedding-like:
                            a few hundred near-duplicates around shared centres, the rest spread out)
    index.json              { generator, versions, n, dim, nq, k, cases: [{ name, metric, faiss, ids, scores }],
                            range: { metric, threshold, lims, ids, scores } }

Cases: IndexFlatIP on L2-normalised rows and queries (audiomill metric 'cosine', which normalises for itself),
IndexFlatIP on the raw vectors ('ip'), IndexFlatL2 ('l2', squared distances), and IndexFlatIP.range_search on
the normalised vectors. FAISS runs on one thread. Deterministic: fixed seed; two runs give identical files.
"""

import json
import shutil
import sys
from pathlib import Path

import faiss
import numpy as np

from fixture_index import write_index

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "tests" / "parity" / "fixtures" / "search"
GENERATOR = "tests/parity/make_search_fixtures.py"
SIZE_BUDGET_BYTES = 400 * 1000

N, DIM, NQ, K = 1500, 40, 24, 10
RANGE_THRESHOLD = 0.55


def data():
    rng = np.random.default_rng(20261201)
    centres = rng.standard_normal((30, DIM))
    rows = rng.standard_normal((N, DIM)) * 1.5
    # 600 rows near 30 centres: close neighbours with well-separated scores, as real embeddings have
    near = rng.integers(0, 30, 600)
    rows[:600] = centres[near] + 0.3 * rng.standard_normal((600, DIM))
    queries = np.concatenate([centres[:12] + 0.3 * rng.standard_normal((12, DIM)), rng.standard_normal((NQ - 12, DIM))])
    return rows.astype(np.float32), queries.astype(np.float32)


def search(index_type, x, q):
    index = index_type(DIM)
    index.add(x)
    d, i = index.search(q, K)
    return i, d


def main():
    faiss.omp_set_num_threads(1)
    rows, queries = data()
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    np.save(OUT / "rows.npy", rows)
    np.save(OUT / "queries.npy", queries)
    xn, qn = rows.copy(), queries.copy()
    faiss.normalize_L2(xn)
    faiss.normalize_L2(qn)
    cases = []
    for name, metric, index_type, x, q in [
        ("cosine", "cosine", faiss.IndexFlatIP, xn, qn),
        ("ip", "ip", faiss.IndexFlatIP, rows, queries),
        ("l2", "l2", faiss.IndexFlatL2, rows, queries),
    ]:
        ids, scores = search(index_type, x, q)
        if (ids < 0).any():
            sys.exit(f"{name}: FAISS returned fewer than k results")
        cases.append({"name": name, "metric": metric, "faiss": index_type.__name__,
                      "ids": ids.astype(int).ravel().tolist(), "scores": [float(s) for s in scores.ravel()]})
    index = faiss.IndexFlatIP(DIM)
    index.add(xn)
    lims, dist, labels = index.range_search(qn, RANGE_THRESHOLD)
    if lims[-1] == 0:
        sys.exit("range search found nothing: raise the data's clustering or lower the threshold")
    range_case = {"metric": "cosine", "faiss": "IndexFlatIP.range_search", "threshold": RANGE_THRESHOLD,
                  "lims": lims.astype(int).tolist(), "ids": labels.astype(int).tolist(), "scores": [float(s) for s in dist]}
    index_json = {
        "generator": GENERATOR,
        "versions": {"faiss": faiss.__version__, "numpy": np.__version__},
        "n": N, "dim": DIM, "nq": NQ, "k": K,
        "rows": "rows.npy", "queries": "queries.npy",
        "cases": cases,
        "range": range_case,
    }
    write_index(OUT, REPO, index_json, SIZE_BUDGET_BYTES)


if __name__ == "__main__":
    main()
