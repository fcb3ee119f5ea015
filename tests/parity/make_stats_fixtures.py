#!/usr/bin/python3
"""Golden fixtures for audiomill's acoustic statistics (`acousticStats`, native/core/features/acoustic_stats).

Run from the repository root with Debian's Python (numpy, scipy not needed, soundfile), after make_fixtures.py
(which deletes the whole fixtures/ folder, this one included):

    /usr/bin/python3 tests/parity/make_stats_fixtures.py

Writes tests/parity/fixtures/stats/ from scratch (that folder only):

    signals/<name>.npy    1-D float32 inputs
    index.json            { generator, versions, config, tolerances, cases: [{ name, signal, sampleRate, length,
                            expected: { duration, rms_db, ... } }] }

The expected values come from an independent float64 NumPy implementation of the definitions in
docs/features.md ("Acoustic statistics"): the whole spectrogram and all frames are materialised at once (the
native code streams blocks of frames in float32), so the two share no code. The spectral features follow
librosa's definitions (librosa 0.10/0.11 feature/spectral.py) written from the formulas; librosa itself is not needed.

Deterministic: fixed seeds (crc32 of the signal name); two runs give byte-identical files.
"""

import json
import shutil
import sys
import zlib
from pathlib import Path

import numpy as np
import soundfile

from fixture_index import write_index

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "tests" / "parity" / "fixtures" / "stats"
AUDIO_DIR = REPO.parent / "shared" / "audio"
if not AUDIO_DIR.is_dir():
    AUDIO_DIR = Path("/work/shared/audio")

GENERATOR = "tests/parity/make_stats_fixtures.py"
SIZE_BUDGET_BYTES = 1000 * 1000

# Defaults of AcousticStatsConfig (native/core/features/acoustic_stats.h); every case uses them.
CONFIG = {
    "nFft": 2048,
    "hop": 512,
    "amin": 1e-10,
    "clipThreshold": 0.999,
    "silenceThresholdDb": -60.0,
    "energyFloorDb": -100.0,
    "snrFraction": 0.1,
    "zcrThreshold": 1e-10,
    "rollPercent": 0.85,
    "flatnessAmin": 1e-10,
    "flatnessPower": 2.0,
}

# Tolerances for a float32 implementation against these float64 values:
# levels in dB absolute, ratios absolute, spectral means relative; rolloff may move by a bin in some frames.
TOLERANCES = {
    "duration": {"abs": 1e-12},
    "rms_db": {"abs": 1e-4},
    "peak_db": {"abs": 1e-4},
    "crest_factor_db": {"abs": 2e-4},
    "dc_offset": {"abs": 1e-7},
    "clip_ratio": {"abs": 1e-12},
    "silence_ratio": {"abs": 1e-12, "note": "a frame within ~1e-4 dB of the threshold may flip"},
    "zero_crossing_rate": {"abs": 1e-12},
    "snr_db": {"abs": 1e-3},
    "energy_variance": {"rel": 1e-4, "abs": 1e-6},
    "spectral_centroid": {"rel": 1e-4, "abs": 1e-3},
    "spectral_bandwidth": {"rel": 1e-4, "abs": 1e-3, "note": "pure tones: see TONAL_OVERRIDES"},
    "spectral_rolloff": {"rel": 1e-3, "abs": 1e-3, "note": "threshold feature: a frame may move by one bin"},
    "spectral_flatness": {"rel": 1e-3, "abs": 1e-5, "note": "float32 STFT noise floor lifts near-amin bins"},
}

# Pure tones: bandwidth weights every bin by (f - centroid)^2, so the float32 STFT's noise floor (~1e-7 of the
# peak, where float64 Hann sidelobes fall to ~1e-12) lifts it by up to ~1% (measured 0.9% on sine_quiet).
TONAL_OVERRIDES = {"spectral_bandwidth": {"rel": 2e-2, "abs": 1e-3}}
TONAL = {"sine_full", "sine_quiet", "chirp_44k", "nonfinite"}

EXCERPTS = {
    "speech": ("198-209-0000.ogg", 0.5, 1.5),  # file, start s, seconds
    "robin": ("456440__inspectorj__bird-whistling-robin-single-13.ogg", 0.5, 1.5),
    "trumpet": ("sorohanro_-_solo-trumpet-06.ogg", 0.5, 1.5),
}


def rng(name):
    return np.random.default_rng(zlib.crc32(name.encode()))


def synthetic():
    """name -> (float32 signal, sample rate)"""
    sr = 16000
    t = np.arange(sr) / sr
    sig = {}
    sig["noise"] = (rng("noise").uniform(-1, 1, sr) * 0.5, sr)
    sig["sine_full"] = (np.sin(2 * np.pi * 440 * t + 0.3), sr)
    sig["sine_quiet"] = (1e-4 * np.sin(2 * np.pi * 1234.5 * t), sr)  # -83 dBFS: all frames silent
    sig["clipped"] = (np.clip(2.0 * np.sin(2 * np.pi * 440 * t), -1, 1), sr)
    half = rng("half_silent").normal(0, 0.1, sr)
    half[sr // 2:] = 0.0
    sig["half_silent"] = (half, sr)
    # Bursts over a low noise floor (-70 dBFS) with a DC offset.
    b = rng("bursts").normal(0, 10 ** (-70 / 20), sr) + 0.01
    for start in (2000, 7000, 12000):
        b[start:start + 1500] += 0.3 * np.sin(2 * np.pi * 900 * t[:1500])
    sig["bursts"] = (b, sr)
    sig["silence"] = (np.zeros(sr // 2), sr)
    sig["short"] = (rng("short").uniform(-0.5, 0.5, 700), sr)  # shorter than one frame
    sig["one_sample"] = (np.array([0.25]), sr)
    nf = np.sin(2 * np.pi * 300 * t[: sr // 2]) * 0.5
    nf[[0, 1000, 4000, sr // 2 - 1]] = [np.nan, np.inf, -np.inf, np.nan]
    sig["nonfinite"] = (nf, sr)
    sig["chirp_44k"] = (0.5 * np.sin(2 * np.pi * (100 + 5000 * np.arange(22050) / 44100) * np.arange(22050) / 44100),
                        44100)
    return {k: (v.astype(np.float32), r) for k, (v, r) in sig.items()}


def excerpts():
    out = {}
    for name, (fname, start, seconds) in EXCERPTS.items():
        data, sr = soundfile.read(str(AUDIO_DIR / fname), dtype="float32", always_2d=True)
        mono = data.mean(axis=1, dtype=np.float64).astype(np.float32)
        a = int(round(start * sr))
        out[name] = (mono[a:a + int(round(seconds * sr))].copy(), sr)
    return out


def level_db(a, amin):
    return 20.0 * np.log10(np.maximum(a, amin))


def reference(x32, sr, c=CONFIG):
    """Every statistic in float64, whole arrays at once."""
    x = x32.astype(np.float64)
    bad = ~np.isfinite(x)
    x[bad] = 0.0
    n = x.size
    amin = c["amin"]
    if n == 0:
        raise ValueError("empty input is tested natively")
    nfft, hop = c["nFft"], c["hop"]
    half = nfft // 2
    frames_n = 1 + (n + 2 * half - nfft) // hop
    idx = np.arange(nfft)[None, :] + hop * np.arange(frames_n)[:, None]
    fr = np.pad(x, half, mode="constant")[idx]  # (T, nfft), zero centre padding
    fe = np.pad(x, half, mode="edge")[idx]  # edge padding (zero-crossing rate)

    res = {"duration": n / sr}
    rms = np.sqrt(np.mean(x * x))
    peak = np.max(np.abs(x))
    res["rms_db"] = level_db(rms, amin)
    res["peak_db"] = level_db(peak, amin)
    res["crest_factor_db"] = res["peak_db"] - res["rms_db"]
    res["dc_offset"] = float(np.mean(x))
    res["clip_ratio"] = float(np.count_nonzero(np.abs(x32[~bad]) >= np.float32(c["clipThreshold"]))) / n

    power = np.mean(fr * fr, axis=1)
    lev = level_db(np.sqrt(power), amin)
    res["silence_ratio"] = float(np.mean(lev < c["silenceThresholdDb"]))
    res["energy_variance"] = float(np.var(np.maximum(lev, c["energyFloorDb"])))
    k = max(1, min(frames_n, int(np.ceil(c["snrFraction"] * frames_n - 1e-9))))
    sp = np.sort(power)
    lo, hi = sp[:k].mean(), sp[-k:].mean()
    res["snr_db"] = float(10 * np.log10(max(hi, amin * amin) / max(lo, amin * amin)))

    thr = np.float32(c["zcrThreshold"])
    z = np.where(np.abs(fe) <= thr, 0.0, fe)
    neg = np.signbit(z)
    res["zero_crossing_rate"] = float(np.mean(np.count_nonzero(neg[:, 1:] != neg[:, :-1], axis=1) / nfft))

    w = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(nfft) / nfft)  # periodic Hann
    S = np.abs(np.fft.rfft(fr * w, axis=1))  # (T, bins) magnitude
    f = np.arange(S.shape[1]) * sr / nfft
    tot = S.sum(axis=1, keepdims=True)
    Sn = S / np.where(tot > 0, tot, 1.0)
    cen = (Sn * f).sum(axis=1)
    bw = np.sqrt((Sn * (f[None, :] - cen[:, None]) ** 2).sum(axis=1))
    cum = np.cumsum(S, axis=1)
    ro = f[np.argmax(cum >= c["rollPercent"] * cum[:, -1:], axis=1)]
    P = np.maximum(c["flatnessAmin"], S ** c["flatnessPower"])
    flat = np.exp(np.mean(np.log(P), axis=1)) / np.mean(P, axis=1)
    res["spectral_centroid"] = float(cen.mean())
    res["spectral_bandwidth"] = float(bw.mean())
    res["spectral_rolloff"] = float(ro.mean())
    res["spectral_flatness"] = float(flat.mean())
    res = {key: float(v) for key, v in res.items()}
    res["frames"] = int(frames_n)
    res["non_finite"] = int(bad.sum())
    return res


def main():
    if OUT.exists():
        shutil.rmtree(OUT)
    (OUT / "signals").mkdir(parents=True)
    signals = synthetic()
    signals.update(excerpts())
    cases = []
    for name in sorted(signals):
        x, sr = signals[name]
        path = f"signals/{name}.npy"
        np.save(OUT / path, x, allow_pickle=False)
        exp = reference(x, sr)
        # Sanity checks of the reference itself.
        if exp["frames"] != 1 + x.size // CONFIG["hop"]:
            sys.exit(f"{name}: frame count {exp['frames']}")
        if not all(np.isfinite(v) for v in exp.values()):
            sys.exit(f"{name}: non-finite expected value")
        case = {"name": name, "signal": path, "sampleRate": sr, "length": int(x.size), "expected": exp}
        if name in TONAL:
            case["toleranceOverrides"] = TONAL_OVERRIDES
        cases.append(case)
    if abs(next(c for c in cases if c["name"] == "sine_full")["expected"]["rms_db"] + 3.0103) > 1e-3:
        sys.exit("sine_full: rms_db is not -3.01 dB")
    if abs(next(c for c in cases if c["name"] == "silence")["expected"]["spectral_flatness"] - 1.0) > 1e-12:
        sys.exit("silence: flatness must be 1")
    index = {
        "generator": GENERATOR,
        "numpy": np.__version__,
        "soundfile": soundfile.__version__,
        "config": CONFIG,
        "tolerances": TOLERANCES,
        "cases": cases,
    }
    write_index(OUT, REPO, index, SIZE_BUDGET_BYTES)


if __name__ == "__main__":
    main()
