#!/usr/bin/python3
"""Golden fixtures for audiomill's cross-validation splitters (src/eval/splitters.ts) and the NumPy legacy
RandomState they shuffle with (src/eval/random.ts).

Run from the repository root with Debian's Python (python3-sklearn 1.2.1, python3-numpy 1.24):

    /usr/bin/python3 tests/parity/make_eval_splitters_fixtures.py

Writes tests/parity/fixtures/eval/splitters.json (that file only; the folder is shared with the other
evaluation fixtures):

    { generator, versions, random, argsort, pairwiseSum, cases, errors }

- random:      per seed, what numpy.random.RandomState(seed) draws: a raw 32-bit stream past the first state
               refill, permutation(n), randint over ranges below, at and above 2^32, random_sample.
- argsort:     numpy.argsort (default kind) of integer arrays with many ties and of median-of-3 "killer"
               sequences (the introsort's heapsort fallback): GroupKFold's order of equal group sizes.
- pairwiseSum: numpy.sum of 1-D float64 arrays (pairwise summation), which StratifiedGroupKFold's std uses.
- cases:       { name, splitter, args, options, nFolds, foldOf, warnings }: the exact folds scikit-learn
               gives, as each row's test fold (-1: never tested), with and without shuffle for several
               integer seeds; `warnings` lists what scikit-learn warned ({ category, message }).
- errors:      { name, splitter, args, options, sklearn: { type, message }, expect }: inputs where
               scikit-learn raises, and what audiomill throws instead (RangeError, TypeError or
               AudiomillError UNDEFINED_METRIC).

`args` and `options` use audiomill's names (`n`, `y`, `groups`, `testFold`; `nSplits`, `shuffle`,
`randomState`), so a test passes them straight to the splitter. Non-finite numbers are written as the
strings "nan", "inf" and "-inf" in cases flagged `nonFinite: true`.

The script checks every scikit-learn result it records: test sets disjoint, each train set the complement
of its test set, both ascending.

Deterministic: inputs come from numpy.random.default_rng(crc32(case name)); two runs give byte-identical
files.
"""

import json
import platform
import sys
import warnings
import zlib
from pathlib import Path

import numpy as np
import sklearn
from sklearn.model_selection import (
    GroupKFold,
    KFold,
    LeaveOneGroupOut,
    PredefinedSplit,
    StratifiedGroupKFold,
    StratifiedKFold,
)

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "tests" / "parity" / "fixtures" / "eval" / "splitters.json"
GENERATOR = "tests/parity/make_eval_splitters_fixtures.py"
SIZE_BUDGET_BYTES = 600 * 1000

SEEDS = [0, 1, 42, 2023, 4294967295]


def rng(name):
    return np.random.default_rng(zlib.crc32(name.encode()))


def py(values):
    """A list of JSON-ready Python scalars (non-finite floats as strings)."""
    out = []
    for v in values:
        if isinstance(v, (bool, np.bool_)):
            out.append(bool(v))
        elif isinstance(v, (int, np.integer)):
            out.append(int(v))
        elif isinstance(v, (float, np.floating)):
            f = float(v)
            out.append("nan" if f != f else "inf" if f == np.inf else "-inf" if f == -np.inf else f)
        else:
            out.append(str(v))
    return out


# ------------------------------------------------------------------------------------------------------
# RandomState, argsort, pairwise sums


def random_fixtures():
    out = []
    ranges = [(0, 1), (0, 2), (0, 3), (0, 7), (0, 100), (-5, 5), (0, 2**31), (0, 2**32 - 1), (0, 2**32),
              (0, 2**32 + 1), (-(2**40), 2**40), (0, 2**53 - 1)]
    for seed in SEEDS + [5489, 2**31]:
        rs = np.random.RandomState(seed)
        stream = rs.randint(0, 2**32, size=700)  # a range of exactly 2^32: raw 32-bit draws
        rs = np.random.RandomState(seed)
        perms = {str(n): rs.permutation(n).tolist() for n in (0, 1, 2, 10, 97)}
        rs = np.random.RandomState(seed)
        draws = [{"low": lo, "high": hi, "values": rs.randint(lo, hi, size=4).tolist()} for lo, hi in ranges]
        samples = rs.random_sample(4).tolist()
        out.append({"seed": seed, "stream": stream.tolist(), "permutations": perms, "randint": draws,
                    "randomSampleAfterRandint": samples})
    return out


def killer(n):
    """Musser's median-of-3 killer sequence (n even): drives the introsort into its heapsort fallback."""
    k = n // 2
    a = [0] * n
    for i in range(1, k + 1):
        if i % 2 == 1:
            a[i - 1] = i
            a[i] = k + i
        a[k + i - 1] = 2 * i
    return a


def argsort_fixtures():
    out = []
    for n, hi in [(1, 1), (5, 2), (16, 3), (17, 3), (40, 2), (100, 5), (257, 10), (1000, 30), (3000, 4)]:
        v = rng(f"argsort_{n}_{hi}").integers(1, hi + 1, n)
        out.append({"values": v.tolist(), "expected": np.argsort(v).tolist()})
    v = np.sort(rng("argsort_sorted").integers(1, 9, 300))
    out.append({"values": v.tolist(), "expected": np.argsort(v).tolist()})
    out.append({"values": v[::-1].tolist(), "expected": np.argsort(v[::-1].copy()).tolist()})
    for n in (64, 200, 580):
        v = np.array(killer(n), dtype=np.int64)
        out.append({"values": v.tolist(), "expected": np.argsort(v).tolist()})
    return out


def pairwise_fixtures():
    out = []
    for n in [1, 3, 7, 8, 9, 15, 16, 17, 100, 128, 129, 200, 300, 1000]:
        r = rng(f"pairwise_{n}")
        v = r.random(n) * 10.0 ** r.integers(-3, 4, n)
        out.append({"values": v.tolist(), "expected": float(np.sum(v))})
    return out


# ------------------------------------------------------------------------------------------------------
# Splitters


def sk_splitter(splitter, opts):
    n_splits = opts.get("nSplits", 5)
    shuffle = opts.get("shuffle", False)
    seed = opts.get("randomState", None)
    if splitter == "kFold":
        return KFold(n_splits=n_splits, shuffle=shuffle, random_state=seed)
    if splitter == "stratifiedKFold":
        return StratifiedKFold(n_splits=n_splits, shuffle=shuffle, random_state=seed)
    if splitter == "groupKFold":
        return GroupKFold(n_splits=n_splits)
    if splitter == "stratifiedGroupKFold":
        return StratifiedGroupKFold(n_splits=n_splits, shuffle=shuffle, random_state=seed)
    if splitter == "leaveOneGroupOut":
        return LeaveOneGroupOut()
    raise ValueError(splitter)


def decode(values):
    return [float(v) if v in ("nan", "inf", "-inf") else v for v in values]


def sk_split(splitter, args, opts):
    """The folds scikit-learn gives, as a list of (train, test) index arrays."""
    if splitter == "predefinedSplit":
        return list(PredefinedSplit(decode(args["testFold"])).split())
    cv = sk_splitter(splitter, opts)
    if splitter == "kFold":
        return list(cv.split(np.zeros((args["n"], 1))))
    if splitter == "stratifiedKFold":
        y = np.asarray(decode(args["y"]))
        return list(cv.split(np.zeros((len(y), 1)), y))
    if splitter in ("groupKFold", "leaveOneGroupOut"):
        g = np.asarray(decode(args["groups"]))
        return list(cv.split(np.zeros((len(g), 1)), None, g))
    if splitter == "stratifiedGroupKFold":
        y = np.asarray(decode(args["y"]))
        g = np.asarray(decode(args["groups"]))
        return list(cv.split(np.zeros((len(y), 1)), y, g))
    raise ValueError(splitter)


def n_rows(splitter, args):
    for key in ("n", "y", "groups", "testFold"):
        if key in args:
            return args[key] if key == "n" else len(args[key])
    raise ValueError(args)


def case(name, splitter, args, opts=None, non_finite=False):
    opts = opts or {}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        folds = sk_split(splitter, args, opts)
    n = n_rows(splitter, args)
    fold_of = np.full(n, -1, dtype=np.int64)
    for f, (train, test) in enumerate(folds):
        train, test = np.asarray(train), np.asarray(test)
        assert np.all(np.diff(test) > 0) and np.all(np.diff(train) > 0), name
        assert np.all(fold_of[test] == -1), f"{name}: test sets overlap"
        fold_of[test] = f
        mask = np.zeros(n, dtype=bool)
        mask[test] = True
        assert np.array_equal(train, np.flatnonzero(~mask)), f"{name}: train is not the complement of test"
    out = {"name": name, "splitter": splitter, "args": args, "options": opts, "nFolds": len(folds),
           "foldOf": fold_of.tolist(),
           "warnings": [{"category": w.category.__name__, "message": str(w.message)} for w in caught]}
    if non_finite:
        out["nonFinite"] = True
    return out


def error(name, splitter, args, opts, expect, non_finite=False):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sk_split(splitter, args, opts)
    except Exception as exc:  # noqa: BLE001 - recording what scikit-learn raised
        out = {"name": name, "splitter": splitter, "args": args, "options": opts,
               "sklearn": {"type": type(exc).__name__, "message": str(exc)}, "expect": expect}
        if non_finite:
            out["nonFinite"] = True
        return out
    raise AssertionError(f"{name}: scikit-learn did not raise")


def labels(name, n, n_classes, kind="int", weights=None):
    r = rng(name)
    p = None if weights is None else np.asarray(weights, dtype=float) / np.sum(weights)
    y = r.choice(n_classes, size=n, p=p)
    if kind == "int":
        return py(y * 3 - 4)  # negative and non-contiguous labels
    if kind == "str":
        names = ["dog", "rain", "Crow", "siren", "b", "a", "clock_tick", "hen", "zz", "Ä", "sea_waves", "cat"]
        return [names[i] for i in y]
    if kind == "bool":
        return [bool(v) for v in y % 2]
    if kind == "float":
        return py(y.astype(float) * 2.0)
    raise ValueError(kind)


def groups_of(name, n_groups, size_lo, size_hi, kind="int"):
    """Row groups: n_groups groups of random sizes, rows interleaved at random."""
    r = rng(name)
    sizes = r.integers(size_lo, size_hi + 1, n_groups)
    g = np.repeat(np.arange(n_groups), sizes)
    r.shuffle(g)
    ids = r.permutation(n_groups * 3)[:n_groups]  # not 0..G-1, not in order of appearance
    g = ids[g]
    if kind == "int":
        return py(g)
    if kind == "str":
        return [f"src{v:04d}.wav" if v % 2 else f"Src{v}" for v in g]
    if kind == "float":
        return py(g * 0.5 - 3.25)
    raise ValueError(kind)


def kfold_cases():
    out = []
    for n in [2, 3, 5, 7, 10, 11, 23, 50, 101, 640]:
        for k in [2, 3, 5, 10]:
            if k > n or (n == 640 and k == 3):
                continue
            out.append(case(f"kfold_n{n}_k{k}", "kFold", {"n": n}, {"nSplits": k}))
            for seed in SEEDS if n in (10, 23, 101, 640) else SEEDS[:2]:
                out.append(case(f"kfold_n{n}_k{k}_seed{seed}", "kFold", {"n": n},
                                {"nSplits": k, "shuffle": True, "randomState": seed}))
    out.append(case("kfold_default_k", "kFold", {"n": 12}))
    return out


def skf_cases():
    out = []
    specs = [
        ("balanced2", 40, 2, "int", None),
        ("imbalanced2", 120, 2, "int", [9, 1]),
        ("multi5", 200, 5, "int", [5, 1, 3, 2, 8]),
        ("multi12", 300, 12, "str", None),
        ("strings_unsorted", 90, 6, "str", [1, 4, 2, 6, 3, 5]),
        ("bools", 33, 2, "bool", [2, 1]),
        ("floats", 47, 3, "float", None),
        ("small", 11, 3, "int", None),
        ("rare_class", 60, 3, "int", [30, 28, 2]),  # warns: fewer members than n_splits
    ]
    for name, n, c, kind, w in specs:
        y = labels(f"skf_{name}", n, c, kind, w)
        for k in [2, 3, 5, 8]:
            if k > max(y.count(v) for v in set(y)):  # every class smaller than k: an error case below
                continue
            out.append(case(f"skf_{name}_k{k}", "stratifiedKFold", {"y": y}, {"nSplits": k}))
        for seed in SEEDS:
            out.append(case(f"skf_{name}_k5_seed{seed}", "stratifiedKFold", {"y": y},
                            {"nSplits": 5, "shuffle": True, "randomState": seed}))
    out.append(case("skf_single_class", "stratifiedKFold", {"y": [7] * 13}, {"nSplits": 4}))
    out.append(case("skf_single_class_seed", "stratifiedKFold", {"y": ["x"] * 13},
                    {"nSplits": 4, "shuffle": True, "randomState": 3}))
    out.append(case("skf_appearance_order", "stratifiedKFold", {"y": [3, 3, 1, 2, 1, 3, 2, 1, 1, 3, 2, 2, 3]},
                    {"nSplits": 3}))
    # One class has fewer members than n_splits (UserWarning), the other enough.
    out.append(case("skf_warn", "stratifiedKFold", {"y": [0] * 10 + [1] * 2}, {"nSplits": 3}))
    out.append(case("skf_warn_seed", "stratifiedKFold", {"y": [0] * 10 + [1] * 2},
                    {"nSplits": 3, "shuffle": True, "randomState": 9}))
    return out


def gkf_cases():
    out = []
    specs = [
        ("equal_sizes", 12, 4, 4, "int"),  # every group the same size: argsort tie order decides
        ("few_sizes", 60, 1, 3, "int"),  # many ties among 60 groups (introsort partitions)
        ("mixed", 40, 1, 20, "int"),
        ("strings", 25, 1, 6, "str"),
        ("floats", 18, 2, 5, "float"),
        ("many", 400, 1, 4, "int"),
    ]
    for name, g, lo, hi, kind in specs:
        groups = groups_of(f"gkf_{name}", g, lo, hi, kind)
        for k in [2, 3, 5, 10]:
            if k > g:
                continue
            out.append(case(f"gkf_{name}_k{k}", "groupKFold", {"groups": groups}, {"nSplits": k}))
    out.append(case("gkf_exact_groups", "groupKFold", {"groups": [5, 5, 1, 9, 9, 9, 1]}, {"nSplits": 3}))
    out.append(case("gkf_bool_groups", "groupKFold", {"groups": [True, False, True, True]}, {"nSplits": 2}))
    return out


def sgkf_table(name, n_groups, n_classes, lo, hi, kind_y="int", kind_g="int", pure=False):
    """y and groups: each group has a dominant class (pure: only that class) plus some others."""
    r = rng(name)
    ids = r.permutation(n_groups * 2)[:n_groups]
    ys, gs = [], []
    for g in range(n_groups):
        size = int(r.integers(lo, hi + 1))
        main = int(r.integers(n_classes))
        for _ in range(size):
            c = main if pure or r.random() < 0.7 else int(r.integers(n_classes))
            ys.append(c)
            gs.append(int(ids[g]))
    order = r.permutation(len(ys))
    ys = [ys[i] for i in order]
    gs = [gs[i] for i in order]
    if kind_y == "str":
        ys = [f"class_{c}" for c in ys]
    if kind_g == "str":
        gs = [f"g{v}" for v in gs]
    return ys, gs


def sgkf_cases():
    out = []
    specs = [
        ("binary", 30, 2, 1, 6, "int", "int", False),
        ("multi4", 50, 4, 2, 8, "str", "int", False),
        ("pure3", 24, 3, 1, 5, "int", "str", True),
        ("classes9", 60, 9, 1, 7, "int", "int", False),  # C >= 8: pairwise row sums in np.std
        ("small_groups", 80, 3, 1, 2, "int", "int", False),
        ("single_class", 15, 1, 1, 4, "int", "int", True),
    ]
    for name, g, c, lo, hi, ky, kg, pure in specs:
        y, groups = sgkf_table(f"sgkf_{name}", g, c, lo, hi, ky, kg, pure)
        for k in [2, 3, 5, 8, 10]:
            if k > len(y) or (k == 10 and g < 40):
                continue
            out.append(case(f"sgkf_{name}_k{k}", "stratifiedGroupKFold", {"y": y, "groups": groups}, {"nSplits": k}))
        for k in (3, 5):
            for seed in SEEDS:
                out.append(case(f"sgkf_{name}_k{k}_seed{seed}", "stratifiedGroupKFold", {"y": y, "groups": groups},
                                {"nSplits": k, "shuffle": True, "randomState": seed}))
    # The scikit-learn user guide's example.
    y = [0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    groups = [1, 2, 3, 3, 4, 4, 1, 1, 2, 2, 3, 4, 5, 5, 5, 6, 6, 6]
    out.append(case("sgkf_user_guide", "stratifiedGroupKFold", {"y": y, "groups": groups}, {"nSplits": 3}))
    # A group in every class: one group holds rows of all classes.
    out.append(case("sgkf_group_in_every_class", "stratifiedGroupKFold",
                    {"y": [0, 1, 2, 0, 1, 2, 0, 0, 1, 1, 2, 2], "groups": ["a", "a", "a", "b", "c", "d", "b", "e", "c", "f", "d", "f"]},
                    {"nSplits": 3}))
    # Fewer groups than splits: scikit-learn 1.2 returns folds with empty test sets (no error).
    out.append(case("sgkf_fewer_groups_than_splits", "stratifiedGroupKFold",
                    {"y": [0, 1, 0, 1, 0, 1, 0, 1], "groups": [1, 1, 1, 1, 2, 2, 2, 2]}, {"nSplits": 3}))
    # A class with fewer members than n_splits: UserWarning.
    out.append(case("sgkf_warn", "stratifiedGroupKFold",
                    {"y": [0] * 9 + [1] * 2, "groups": [1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 4]}, {"nSplits": 3}))
    return out


def logo_cases():
    out = []
    out.append(case("logo_ints", "leaveOneGroupOut", {"groups": groups_of("logo_ints", 7, 1, 5)}))
    out.append(case("logo_strings", "leaveOneGroupOut", {"groups": groups_of("logo_strings", 12, 1, 4, "str")}))
    out.append(case("logo_floats", "leaveOneGroupOut", {"groups": [0.5, -1.25, 0.5, 3.0, -1.25, 2.0]}))
    out.append(case("logo_two", "leaveOneGroupOut", {"groups": ["video_b", "video_a", "video_b"]}))
    out.append(case("logo_bools", "leaveOneGroupOut", {"groups": [True, False, False, True]}))
    # Code-point order: U+FF21 (BMP, above the surrogates) sorts before U+1F600 (astral).
    out.append(case("logo_unicode", "leaveOneGroupOut",
                    {"groups": ["\U0001F600", "\uFF21", "a", "\u00E9", "\U0001F600", "Z", "\uFF21", "\uD7FF"]}))
    return out


def predefined_cases():
    r = rng("predefined_esc50")
    esc = py(np.repeat(np.arange(1, 6), 8)[r.permutation(40)])
    out = [case("predefined_esc50", "predefinedSplit", {"testFold": esc})]
    tf = py(r.integers(-1, 3, 30))
    out.append(case("predefined_with_minus_one", "predefinedSplit", {"testFold": tf}))
    out.append(case("predefined_sklearn_doc", "predefinedSplit", {"testFold": [0, 1, -1, 1]}))
    out.append(case("predefined_negative_folds", "predefinedSplit", {"testFold": [-2, 0, -1, -2, 3, 0]}))
    out.append(case("predefined_only_minus_one", "predefinedSplit", {"testFold": [-1, -1, -1]}))
    out.append(case("predefined_empty", "predefinedSplit", {"testFold": []}))
    return out


def error_cases():
    rs, ts, um = "RangeError", "TypeError", "UNDEFINED_METRIC"
    y10 = [0, 1] * 5
    return [
        error("kfold_one_split", "kFold", {"n": 10}, {"nSplits": 1}, rs),
        error("kfold_zero_splits", "kFold", {"n": 10}, {"nSplits": 0}, rs),
        error("kfold_fraction_splits", "kFold", {"n": 10}, {"nSplits": 2.5}, rs),
        error("kfold_more_splits_than_rows", "kFold", {"n": 3}, {"nSplits": 5}, rs),
        error("kfold_empty", "kFold", {"n": 0}, {}, rs),
        error("kfold_seed_without_shuffle", "kFold", {"n": 10}, {"randomState": 0}, rs),
        error("kfold_negative_seed", "kFold", {"n": 10}, {"shuffle": True, "randomState": -1}, rs),
        error("kfold_seed_too_large", "kFold", {"n": 10}, {"shuffle": True, "randomState": 2**32}, rs),
        error("kfold_shuffle_not_bool", "kFold", {"n": 10}, {"shuffle": "yes"}, ts),
        error("skf_one_split", "stratifiedKFold", {"y": y10}, {"nSplits": 1}, rs),
        error("skf_more_splits_than_rows", "stratifiedKFold", {"y": [0, 1, 1]}, {"nSplits": 4}, rs),
        error("skf_empty", "stratifiedKFold", {"y": []}, {}, rs),
        error("skf_seed_without_shuffle", "stratifiedKFold", {"y": y10}, {"nSplits": 2, "randomState": 1}, rs),
        error("skf_every_class_too_small", "stratifiedKFold", {"y": [0, 0, 1, 1, 2, 2]}, {"nSplits": 3}, um),
        error("skf_continuous", "stratifiedKFold", {"y": [0.5, 1.5, 0.5, 1.5, 0.25, 2.0]}, {"nSplits": 2}, rs),
        error("skf_nan", "stratifiedKFold", {"y": [0.0, 1.0, "nan", 1.0, 0.0, 1.0]}, {"nSplits": 2}, rs, True),
        error("gkf_one_split", "groupKFold", {"groups": [1, 2, 3]}, {"nSplits": 1}, rs),
        error("gkf_more_splits_than_rows", "groupKFold", {"groups": [1, 2, 3]}, {"nSplits": 4}, rs),
        error("gkf_more_splits_than_groups", "groupKFold", {"groups": [1, 1, 2, 2, 3, 3]}, {"nSplits": 4}, um),
        error("gkf_empty", "groupKFold", {"groups": []}, {"nSplits": 2}, rs),
        error("gkf_nan", "groupKFold", {"groups": [1.0, "nan", 2.0, 3.0]}, {"nSplits": 2}, rs, True),
        error("sgkf_mismatched_lengths", "stratifiedGroupKFold", {"y": [0, 1, 0, 1], "groups": [1, 2, 3]},
              {"nSplits": 2}, rs),
        error("sgkf_more_splits_than_rows", "stratifiedGroupKFold", {"y": [0, 1], "groups": [1, 2]},
              {"nSplits": 3}, rs),
        error("sgkf_empty", "stratifiedGroupKFold", {"y": [], "groups": []}, {"nSplits": 2}, rs),
        error("sgkf_every_class_too_small", "stratifiedGroupKFold",
              {"y": [0, 0, 1, 1, 2, 2], "groups": [1, 2, 3, 4, 5, 6]}, {"nSplits": 3}, um),
        error("sgkf_seed_without_shuffle", "stratifiedGroupKFold", {"y": y10, "groups": list(range(10))},
              {"nSplits": 2, "randomState": 0}, rs),
        error("sgkf_continuous", "stratifiedGroupKFold", {"y": [0.5, 1.5, 0.5, 1.5], "groups": [1, 2, 3, 4]},
              {"nSplits": 2}, rs),
        error("logo_one_group", "leaveOneGroupOut", {"groups": [4, 4, 4]}, {}, um),
        error("logo_empty", "leaveOneGroupOut", {"groups": []}, {}, rs),
        error("predefined_strings", "predefinedSplit", {"testFold": ["a", "b"]}, {}, ts),
    ]


def to_json(obj):
    """Compact JSON with one list entry (one case) per line, keys sorted, ASCII only: small, diffable."""
    def one(v):
        return json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=True)

    parts = []
    for key in sorted(obj):
        value = obj[key]
        if isinstance(value, list):
            parts.append(one(key) + ":[\n" + ",\n".join(one(v) for v in value) + "\n]")
        else:
            parts.append(one(key) + ":" + one(value))
    return "{\n" + ",\n".join(parts) + "\n}\n"


def main():
    cases = kfold_cases() + skf_cases() + gkf_cases() + sgkf_cases() + logo_cases() + predefined_cases()
    names = [c["name"] for c in cases]
    assert len(names) == len(set(names)), "duplicate case names"
    fixture = {
        "generator": GENERATOR,
        "versions": {"sklearn": sklearn.__version__, "numpy": np.__version__,
                     "python": platform.python_version()},
        "random": random_fixtures(),
        "argsort": argsort_fixtures(),
        "pairwiseSum": pairwise_fixtures(),
        "cases": cases,
        "errors": error_cases(),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    text = to_json(fixture)
    OUT.write_text(text)
    shuffled = sum(1 for c in cases if c["options"].get("shuffle"))
    print(f"{len(cases)} cases ({shuffled} shuffled), {len(fixture['errors'])} errors, "
          f"{len(text) / 1e3:.0f} KB in {OUT.relative_to(REPO)}")
    if len(text) > SIZE_BUDGET_BYTES:
        print(f"warning: the fixture exceeds the {SIZE_BUDGET_BYTES / 1e3:.0f} KB budget", file=sys.stderr)


if __name__ == "__main__":
    main()
