#!/usr/bin/python3
"""The all-columns Python peer of `audiomill manifest --spectral` (bench/manifest.mjs): a straightforward script
a user would write with soundfile + numpy + scipy and multiprocessing. Its rows are those of
manifest_seed_bench.py (file facts, the time-domain statistics of docs/features.md, QC flags, at 16 kHz), with
the columns that script leaves out: peak_db, crest_factor_db, dc_offset and the spectral means (centroid,
bandwidth, rolloff, flatness; Hann frames of 2048 samples, hop 512, centred).

    manifest_bench.py <corpus dir> <out.csv> <workers>

Prints one JSON line: rows, errors, cpu_s (user + system CPU seconds of this process and its workers).
"""
import sys

import numpy as np

from manifest_seed_bench import AMIN, FRAME, HOP, RATE, row as seed_row
from peer_harness import rows_main

WINDOW = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(FRAME) / FRAME)


def db(a):
    return 20 * np.log10(max(a, AMIN))


def more_stats(x, s):
    """The columns beyond the seed script's: levels from the samples, spectral means from the Hann-windowed frames."""
    x = x.astype(np.float64)
    peak = db(np.max(np.abs(x)) if len(x) else 0.0)
    frames = np.lib.stride_tricks.sliding_window_view(np.pad(x, FRAME // 2), FRAME)[::HOP]
    spec = np.abs(np.fft.rfft(frames * WINDOW, axis=1))
    freqs = np.arange(spec.shape[1]) * RATE / FRAME
    total = spec.sum(axis=1)
    safe = np.where(total > 0, total, 1)
    centroid = (spec * freqs).sum(axis=1) / safe
    bandwidth = np.sqrt((spec * (freqs[None, :] - centroid[:, None]) ** 2).sum(axis=1) / safe)
    rolloff = freqs[np.argmax(np.cumsum(spec, axis=1) >= 0.85 * total[:, None], axis=1)]
    p = np.maximum(spec ** 2, AMIN)
    flatness = np.exp(np.mean(np.log(p), axis=1)) / np.mean(p, axis=1)
    return {
        'format': 'wav',
        'peak_db': peak,
        'crest_factor_db': peak - s['rms_db'],
        'dc_offset': float(np.mean(x)),
        'spectral_centroid': float(np.mean(centroid)),
        'spectral_bandwidth': float(np.mean(bandwidth)),
        'spectral_rolloff': float(np.mean(rolloff)),
        'spectral_flatness': float(np.mean(flatness)),
    }


def row(path_root):
    return seed_row(path_root, more_stats)


if __name__ == '__main__':
    rows_main(row, sys.argv[1], sys.argv[2], int(sys.argv[3]))
