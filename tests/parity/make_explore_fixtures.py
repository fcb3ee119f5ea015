#!/usr/bin/python3
"""Golden fixtures for audiomill's 2-D maps of embeddings (src/explore/) against scikit-learn 1.2.

Run from the repository root with Debian's Python (python3-sklearn, python3-numpy):

    /usr/bin/python3 tests/parity/make_explore_fixtures.py

Writes tests/parity/fixtures/explore/explore.json: { generator, versions, datasets: [{ x, embeddings }],
trustworthiness: [{ dataset, embedding, metric, nNeighbors, expected }] }.

- trustworthiness: sklearn.manifold.trustworthiness(X, X_embedded, n_neighbors, metric) for clustered random X
  (values with 4 decimals, so both sides read the same numbers) against three embeddings: its first two principal
  components (sklearn's PCA), a random projection, and random points; euclidean and cosine metrics; several
  n_neighbors.

Deterministic: fixed seeds; two runs give byte-identical files.
"""
import json
from pathlib import Path

import numpy as np
import sklearn
from sklearn.decomposition import PCA
from sklearn.manifold import trustworthiness

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "tests" / "parity" / "fixtures" / "explore" / "explore.json"


def main():
    rng = np.random.default_rng(20261205)
    cases, datasets = [], []
    for n, d, k_list in [(60, 8, [3, 5]), (150, 24, [5, 10, 20])]:
        centres = rng.normal(0, 3, (4, d))
        x = np.round(centres[rng.integers(0, 4, n)] + rng.normal(0, 1, (n, d)), 4)
        embeddings = {
            "pca": np.round(PCA(n_components=2, random_state=0).fit_transform(x), 6),
            "projection": np.round(x @ rng.normal(0, 1, (d, 2)), 6),
            "random": np.round(rng.normal(0, 1, (n, 2)), 6),
        }
        datasets.append({"x": x.tolist(), "embeddings": {k: v.tolist() for k, v in embeddings.items()}})
        for name, e in embeddings.items():
            for metric in ["euclidean", "cosine"]:
                for k in k_list:
                    cases.append({"name": f"{n} x {d}, {name}, {metric}, k {k}", "dataset": len(datasets) - 1, "embedding": name, "nNeighbors": k,
                                  "metric": metric, "expected": float(trustworthiness(x, e, n_neighbors=k, metric=metric))})
    doc = {"generator": "tests/parity/make_explore_fixtures.py", "versions": {"numpy": np.__version__, "sklearn": sklearn.__version__},
           "datasets": datasets, "trustworthiness": cases}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(doc, separators=(",", ":")) + "\n")
    print(f"{len(cases)} cases, {OUT.stat().st_size / 1e3:.0f} KB in {OUT.relative_to(REPO)}")


if __name__ == "__main__":
    main()
