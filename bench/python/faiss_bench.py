#!/usr/bin/python3
"""FAISS IndexFlatIP peer of bench/search.mjs: exact inner-product top-k on the same random,
L2-normalised float32 data (read from the .npy files the JS side wrote), one thread by default.

    faiss_bench.py <rows.npy> <queries.npy> <k> <reps> [threads]

Prints one JSON line: best and median seconds per search of all queries, and every id found
(nq x k, to check both sides agree).
"""
import json
import sys
import time

import faiss
import numpy as np


def main():
    rows = np.load(sys.argv[1])
    queries = np.load(sys.argv[2])
    k, reps = int(sys.argv[3]), int(sys.argv[4])
    threads = int(sys.argv[5]) if len(sys.argv) > 5 else 1
    faiss.omp_set_num_threads(threads)
    index = faiss.IndexFlatIP(rows.shape[1])
    index.add(rows)
    index.search(queries[:10], k)  # warm-up
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        _, ids = index.search(queries, k)
        times.append(time.perf_counter() - t)
    times.sort()
    print(json.dumps({"best": times[0], "median": times[len(times) // 2], "all_ids": ids.ravel().tolist(), "threads": threads}))


if __name__ == "__main__":
    main()
