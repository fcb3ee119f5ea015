#!/usr/bin/python3
"""The Python peer of `audiomill manifest` (bench/manifest.mjs): a straightforward script a user
would write with soundfile + numpy + scipy and multiprocessing, computing the same columns
(file facts, the acoustic statistics as docs/features.md defines them, QC flags) at 16 kHz.

    manifest_bench.py <corpus dir> <out.csv> <workers>

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
N_FFT, HOP, AMIN = 2048, 512, 1e-10
WINDOW = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(N_FFT) / N_FFT)


def db(a):
    return 20 * np.log10(max(a, AMIN))


def stats(x, sr):
    n = len(x)
    half = N_FFT // 2
    padded = np.pad(x, half)
    frames = np.lib.stride_tricks.sliding_window_view(padded, N_FFT)[::HOP]
    power = np.mean(frames.astype(np.float64) ** 2, axis=1)
    level = 10 * np.log10(np.maximum(power, AMIN ** 2))
    spec = np.abs(np.fft.rfft(frames * WINDOW, axis=1))
    freqs = np.arange(spec.shape[1]) * sr / N_FFT
    total = spec.sum(axis=1)
    safe = np.where(total > 0, total, 1)
    centroid = (spec * freqs).sum(axis=1) / safe
    bandwidth = np.sqrt((spec * (freqs[None, :] - centroid[:, None]) ** 2).sum(axis=1) / safe)
    cum = np.cumsum(spec, axis=1)
    rolloff = freqs[np.argmax(cum >= 0.85 * total[:, None], axis=1)]
    p = np.maximum(spec ** 2, AMIN)
    flatness = np.exp(np.mean(np.log(p), axis=1)) / np.mean(p, axis=1)
    edge = np.pad(x, half, mode='edge')
    zf = np.lib.stride_tricks.sliding_window_view(edge, N_FFT)[::HOP] < -1e-10
    zcr = np.mean(np.abs(np.diff(zf.astype(np.int8), axis=1)), axis=1)
    order = np.sort(power)
    k = max(1, int(round(0.1 * len(order))))
    noise, signal = order[:k].mean(), order[-k:].mean()
    rms = db(np.sqrt(np.mean(x.astype(np.float64) ** 2)))
    peak = db(np.max(np.abs(x)) if n else 0.0)
    return {
        'duration': n / sr,
        'rms_db': rms,
        'peak_db': peak,
        'crest_factor_db': peak - rms,
        'dc_offset': float(np.mean(x)),
        'clip_ratio': float(np.mean(np.abs(x) >= 0.999)),
        'silence_ratio': float(np.mean(level < -60)),
        'zero_crossing_rate': float(np.mean(zcr)),
        'snr_db': float(10 * np.log10(max(signal, AMIN ** 2) / max(noise, AMIN ** 2))),
        'energy_variance': float(np.var(np.maximum(level, -100))),
        'spectral_centroid': float(np.mean(centroid)),
        'spectral_bandwidth': float(np.mean(bandwidth)),
        'spectral_rolloff': float(np.mean(rolloff)),
        'spectral_flatness': float(np.mean(flatness)),
    }


def row(path_root):
    path, root = path_root
    rel = os.path.relpath(path, root)
    out = {'path': rel, 'file_size': os.path.getsize(path)}
    try:
        info = sf.info(path)
        x, sr = sf.read(path, dtype='float32', always_2d=True)
        x = x.mean(axis=1)
        if sr != RATE:
            g = gcd(sr, RATE)
            x = resample_poly(x, RATE // g, sr // g).astype(np.float32)
        s = stats(x, RATE)
        out.update(sample_rate=info.samplerate, channels=info.channels, format='wav', **s)
        out.update(qc_flags(s, s['duration']))
    except Exception as e:  # noqa: BLE001 - bad files become rows, as in the manifest
        out.update(had_error=True, error=str(e))
    return out


if __name__ == '__main__':
    rows_main(row, sys.argv[1], sys.argv[2], int(sys.argv[3]))
