#!/usr/bin/python3
"""The seed-columns peer of `audiomill manifest` (bench/manifest.mjs): the plain script a user of the
speech/music/noise segment workflow writes for its acoustic stats and QC flags: soundfile + numpy,
scipy.signal.resample_poly to 16 kHz, 2 processes with multiprocessing. It computes only the columns that
workflow uses (file facts, rms_db, silence_ratio, zero_crossing_rate, snr_db, energy_variance, clip_ratio
and the flags too_quiet, mostly_silence, heavily_clipped, too_short, had_error) with the definitions of
docs/features.md (frames of 2048 samples, hop 512, centred), and no spectral columns. The other peer,
manifest_bench.py, reuses this script's statistics and rows and adds peak_db, crest_factor_db, dc_offset and
the spectral means of `manifest --spectral`.

    manifest_seed_bench.py <corpus dir> <out.csv> <workers>

Prints one JSON line: rows, errors, cpu_s (user + system CPU seconds of this process and its workers).
"""
import os
import sys
from math import gcd

import numpy as np
import soundfile as sf
from scipy.signal import resample_poly

from peer_harness import qc_flags, rows_main

RATE = 16000
FRAME, HOP, AMIN = 2048, 512, 1e-10


def acoustic_stats(x):
    """The time-domain statistics of mono samples x at RATE, as docs/features.md defines them."""
    x = x.astype(np.float64)
    half = FRAME // 2
    frames = np.lib.stride_tricks.sliding_window_view(np.pad(x, half), FRAME)[::HOP]
    power = np.mean(frames ** 2, axis=1)
    level = 10 * np.log10(np.maximum(power, AMIN ** 2))
    negative = np.lib.stride_tricks.sliding_window_view(np.pad(x, half, mode='edge'), FRAME)[::HOP] < -1e-10
    zcr = np.sum(negative[:, 1:] != negative[:, :-1], axis=1) / FRAME  # crossings / frame length
    order = np.sort(power)
    k = max(1, int(np.ceil(0.1 * len(order) - 1e-9)))  # the quietest and loudest tenth, k = ceil(0.1 T), as natively
    noise, signal = order[:k].mean(), order[-k:].mean()
    return {
        'rms_db': 20 * np.log10(max(np.sqrt(np.mean(x ** 2)), AMIN)),
        'silence_ratio': float(np.mean(level < -60)),
        'zero_crossing_rate': float(np.mean(zcr)),
        'snr_db': float(10 * np.log10(max(signal, AMIN ** 2) / max(noise, AMIN ** 2))),
        'energy_variance': float(np.var(np.maximum(level, -100))),
        'clip_ratio': float(np.mean(np.abs(x) >= 0.999)),
    }


def row(args, more=None):
    """The row of one file: its facts, acoustic_stats(), then more(x, stats)'s columns if given, then the flags."""
    path, root = args
    out = {'path': os.path.relpath(path, root), 'file_size': os.path.getsize(path)}
    try:
        x, sr = sf.read(path, dtype='float32', always_2d=True)
        out.update(sample_rate=sr, channels=x.shape[1], duration=x.shape[0] / sr)
        x = x.mean(axis=1)
        if sr != RATE:
            g = gcd(sr, RATE)
            x = resample_poly(x, RATE // g, sr // g)
        s = acoustic_stats(x)
        if more is not None:
            s.update(more(x, s))
        out.update(s, **qc_flags(s, out['duration']))
    except Exception as e:  # noqa: BLE001 - a bad file is a row with its error
        out.update(had_error=True, error=str(e))
    return out


if __name__ == '__main__':
    rows_main(row, sys.argv[1], sys.argv[2], int(sys.argv[3]))
