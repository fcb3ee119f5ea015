#!/usr/bin/python3
"""Golden fixtures for audiomill's per-frame spectral features (`SpectralFeatures`, native/core/features/spectral).

Run from the repository root with Debian's Python (numpy and soundfile), after make_fixtures.py (which deletes the
whole fixtures/ folder, this one included):

    /usr/bin/python3 tests/parity/make_spectral_fixtures.py

Writes tests/parity/fixtures/spectral/ from scratch (that folder only):

    signals/<name>.npy            1-D float32 inputs
    cases/<case>_spectral.npy     float32 (4 + 2 (n_bands + 1), T): rows centroid, bandwidth, rolloff, flatness,
                                  the n_bands + 1 contrast rows, then per contrast cell its depth:
                                  10*log10(frame's largest |S|) - 10*log10(valley), how far the valley lies below
                                  the frame's peak bin on power_to_db's scale (float32 STFT rounding dominates
                                  deep valleys)
    cases/<case>_time.npy         float32 (2, T'): rows zcr, rms (T' frames of frameLength)
    index.json                    { generator, numpy, soundfile, features, tolerances, signals, cases }

The expected values come from an independent float64 NumPy implementation of librosa's definitions
(librosa/feature/spectral.py, 0.10/0.11: spectral_centroid, spectral_bandwidth, spectral_rolloff,
spectral_flatness, spectral_contrast, zero_crossing_rate, rms), written from the
formulas: the whole spectrogram is materialised at once in float64, the native code streams float32 blocks, so the
two share no code. librosa itself is not needed.

Deterministic: fixed seeds (crc32 of the signal name); two runs give byte-identical files.
"""

import json
import shutil
import sys
import zlib
from pathlib import Path

import numpy as np

from fixture_index import write_index

try:
    import soundfile
except ImportError:  # then the speech excerpt comes from make_fixtures.py's identical decode
    soundfile = None

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "tests" / "parity" / "fixtures" / "spectral"
AUDIO_DIR = REPO.parent / "shared" / "audio"
if not AUDIO_DIR.is_dir():
    AUDIO_DIR = Path("/work/shared/audio")

GENERATOR = "tests/parity/make_spectral_fixtures.py"
SIZE_BUDGET_BYTES = 300 * 1000
FEATURES = ["centroid", "bandwidth", "rolloff", "flatness", "contrast", "zcr", "rms"]

# audiomill defaults (camelCase options of SpectralFeatures); a case overrides some of them.
DEFAULTS = {
    "nFft": 2048,
    "hopLength": 512,
    "winLength": None,
    "center": True,
    "frameLength": None,
    "rollPercent": 0.85,
    "flatnessAmin": 1e-10,
    "flatnessPower": 2.0,
    "contrast": {"fMin": 200.0, "nBands": 6, "quantile": 0.02, "linear": False, "topDb": 80.0},
    "zcrThreshold": 1e-10,
}

# How a float32 implementation is compared with these float64 values; the test
# reads these. |a - e| <= abs + rel * |e| unless said otherwise.
TOLERANCES = {
    "centroid": {"rel": 1e-4, "abs": 1e-3},
    "bandwidth": {"rel": 1e-4, "abs": 1e-3, "tonalRel": 2e-2, "tonalNyquistAbs": 2e-4,
                  "note": "pure tones (tonal cases): the float32 STFT noise floor (~1e-7 of the peak) weighs far bins "
                          "by (f - c)^2 and adds up to ~1.2e-4 of Nyquist to a bandwidth of a few Hz; those cases "
                          "get |a - e| <= tonalRel |e| + tonalNyquistAbs sr / 2"},
    "rolloff": {"exactShare": 0.99, "maxBins": 1,
                "note": "threshold feature: >= 99% of frames exact, the rest within one bin (sr / nFft)"},
    "flatness": {"rel": 2e-3, "abs": 1e-5, "note": "the float32 STFT noise floor lifts bins near amin"},
    "contrast": {"tiers": [{"maxDepth": 40.0, "abs": 1e-3}, {"maxDepth": 50.0, "abs": 1e-2},
                           {"maxDepth": 60.0, "abs": 0.25}],
                 "linear": {"rel": 1e-4, "abs": 1e-6},
                 "note": "dB; a cell's tier is its valley's depth below the frame's peak bin (10 log10 of |S|, so "
                         "40 is 80 dB of power): float32 STFT rounding grows with depth; deeper cells are rounding "
                         "noise and are only held to be finite and >= 0"},
    "zcr": {"abs": 1e-7},
    "rms": {"rel": 1e-6, "abs": 1e-9},
}


def rng(name):
    return np.random.default_rng(zlib.crc32(name.encode()))


def signals():
    """name -> (float32 signal, sample rate, note)"""
    sig = {}
    sr = 16000
    t = np.arange(sr) / sr
    sig["sine"] = (0.5 * np.sin(2 * np.pi * 440 * t[: sr // 2] + 0.3), sr, "440 Hz, amplitude 0.5, 0.5 s")
    sig["noise"] = (rng("noise").uniform(-0.5, 0.5, 12000), sr, "uniform white noise in [-0.5, 0.5), 0.75 s")
    sr2 = 22050
    n2 = sr2 // 2
    t2 = np.arange(n2) / sr2
    sig["chirp"] = (0.5 * np.sin(2 * np.pi * (100 * t2 + (8000 - 100) * t2 ** 2 / (2 * t2[-1]))), sr2,
                    "linear chirp 100 Hz -> 8 kHz over 0.5 s, amplitude 0.5")
    sig["silence"] = (np.zeros(3200), sr, "0.2 s of zeros")
    sig["short"] = (rng("short").uniform(-0.5, 0.5, 700), sr, "700 samples of noise (shorter than n_fft)")
    nf = 0.3 * np.sin(2 * np.pi * 1000 * t[:4000]) + rng("nonfinite").normal(0, 0.01, 4000)
    nf[[0, 10, 1500, 3999]] = [np.nan, np.inf, -np.inf, np.nan]
    sig["nonfinite"] = (nf, sr, "1 kHz tone plus noise with NaN/Inf samples (read as 0)")
    sig["speech"] = (speech_excerpt(0.75), 22050, "LibriSpeech 198-209-0000 (CC-BY 4.0), 0.5-1.25 s")
    return {k: (v.astype(np.float32), r, note) for k, (v, r, note) in sig.items()}


def speech_excerpt(seconds):
    """seconds of 198-209-0000.ogg (22.05 kHz) from the 0.5 s mark, decoded with soundfile and the channels
    averaged; without soundfile, the same samples from fixtures/signals/speech_22050.npy, which make_fixtures.py
    decodes the same way (1.0 s from the 0.5 s mark, not resampled)."""
    sr = 22050
    if soundfile is not None:
        data, fsr = soundfile.read(str(AUDIO_DIR / "198-209-0000.ogg"), dtype="float32", always_2d=True)
        assert fsr == sr
        mono = data.mean(axis=1, dtype=np.float64).astype(np.float32)
        a = int(round(0.5 * sr))
        return mono[a:a + int(round(seconds * sr))].copy()
    x = np.load(REPO / "tests" / "parity" / "fixtures" / "signals" / "speech_22050.npy")
    return x[: int(round(seconds * sr))].copy()


CASES = [
    # name, signal, option overrides
    ("sine", "sine", {}),
    ("noise", "noise", {}),
    ("chirp", "chirp", {}),
    ("silence", "silence", {}),
    ("short", "short", {}),
    ("nonfinite", "nonfinite", {}),
    ("speech", "speech", {}),
    ("noise_512_160_nocenter", "noise", {"nFft": 512, "hopLength": 160, "center": False}),
    ("speech_512_160_nocenter", "speech", {"nFft": 512, "hopLength": 160, "center": False}),
    ("speech_512_160", "speech", {"nFft": 512, "hopLength": 160}),
    ("chirp_win400_frame1024", "chirp", {"nFft": 512, "hopLength": 128, "winLength": 400, "frameLength": 1024}),
    ("noise_options", "noise", {"nFft": 1024, "hopLength": 256, "rollPercent": 0.95, "flatnessPower": 1.0,
                                "contrast": {"fMin": 100.0, "nBands": 5, "quantile": 0.05, "linear": False,
                                             "topDb": 80.0}}),
    ("speech_linear_contrast", "speech", {"contrast": {"fMin": 200.0, "nBands": 6, "quantile": 0.02,
                                                       "linear": True, "topDb": 80.0}}),
]
TONAL = {"sine", "chirp", "nonfinite", "chirp_win400_frame1024"}


def options_for(over):
    o = json.loads(json.dumps(DEFAULTS))
    o.update(json.loads(json.dumps(over)))
    return o


def frame(xp, length, hop):
    t = 1 + (xp.size - length) // hop
    return xp[np.arange(length)[None, :] + hop * np.arange(t)[:, None]]  # (T, length)


def power_to_db(s, amin, top_db):
    d = 10.0 * np.log10(np.maximum(amin, s))
    if top_db is not None and top_db >= 0:
        d = np.maximum(d, d.max() - top_db)
    return d


def reference(x32, sr, o):
    x = x32.astype(np.float64)
    x[~np.isfinite(x)] = 0.0
    nfft, hop = o["nFft"], o["hopLength"]
    win = o["winLength"] or nfft
    flen = o["frameLength"] or nfft
    # --- |STFT| (librosa.stft: periodic Hann, pad_center into n_fft, zero centre padding)
    xp = np.pad(x, nfft // 2, mode="constant") if o["center"] else x
    w = np.zeros(nfft)
    lpad = (nfft - win) // 2
    w[lpad:lpad + win] = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(win) / win)
    S = np.abs(np.fft.rfft(frame(xp, nfft, hop) * w, axis=1)).T  # (bins, T)
    freq = np.fft.rfftfreq(nfft, d=1.0 / sr)
    out = {}
    tot = S.sum(axis=0, keepdims=True)
    Sn = S / np.where(tot > 0, tot, 1.0)  # librosa normalize(norm=1): zero columns stay zero
    cen = (freq[:, None] * Sn).sum(axis=0, keepdims=True)
    out["centroid"] = cen
    out["bandwidth"] = np.sqrt((Sn * (freq[:, None] - cen) ** 2).sum(axis=0, keepdims=True))
    cum = np.cumsum(S, axis=0)
    reach = np.where(cum < o["rollPercent"] * cum[-1:], np.nan, 1.0)
    out["rolloff"] = np.nanmin(reach * freq[:, None], axis=0, keepdims=True)
    P = np.maximum(o["flatnessAmin"], S ** o["flatnessPower"])
    out["flatness"] = np.exp(np.mean(np.log(P), axis=0, keepdims=True)) / np.mean(P, axis=0, keepdims=True)
    # --- contrast: octave bands [0, fmin], [fmin, 2 fmin], ...; the last runs to Nyquist
    c = o["contrast"]
    nb = c["nBands"]
    octa = np.zeros(nb + 2)
    octa[1:] = c["fMin"] * 2.0 ** np.arange(nb + 1)
    assert np.all(octa[:-1] < 0.5 * sr)
    peak = np.zeros((nb + 1, S.shape[1]))
    valley = np.zeros_like(peak)
    for k in range(nb + 1):
        inside = np.flatnonzero((freq >= octa[k]) & (freq <= octa[k + 1]))
        first = inside[0] - 1 if k > 0 else inside[0]
        last = S.shape[0] - 1 if k == nb else inside[-1]
        n_band = last - first + 1
        rows = np.arange(first, last + 1 if k == nb else last)  # below the top band its top bin is left out
        q = int(max(1, np.rint(c["quantile"] * n_band)))
        srt = np.sort(S[rows], axis=0)
        valley[k] = srt[:q].mean(axis=0)
        peak[k] = srt[-q:].mean(axis=0)
    if c["linear"]:
        out["contrast"] = peak - valley
    else:
        out["contrast"] = power_to_db(peak, 1e-10, c["topDb"]) - power_to_db(valley, 1e-10, c["topDb"])
    depth = 10 * np.log10(np.maximum(S.max(axis=0, keepdims=True), 1e-30)) - 10 * np.log10(np.maximum(valley, 1e-30))
    # --- time domain
    xz = np.pad(x, flen // 2, mode="edge") if o["center"] else x
    fz = frame(xz, flen, hop)
    z = np.where(np.abs(fz) <= np.float32(o["zcrThreshold"]), 0.0, fz)
    neg = np.signbit(z)
    out["zcr"] = np.mean(np.concatenate([np.zeros((fz.shape[0], 1), bool), neg[:, 1:] != neg[:, :-1]], axis=1),
                         axis=1)[None, :]
    xr = np.pad(x, flen // 2, mode="constant") if o["center"] else x
    out["rms"] = np.sqrt(np.mean(frame(xr, flen, hop) ** 2, axis=1))[None, :]
    return out, depth


def main():
    if OUT.exists():
        shutil.rmtree(OUT)
    (OUT / "signals").mkdir(parents=True)
    (OUT / "cases").mkdir()
    sigs = signals()
    sig_index = {}
    for name in sorted(sigs):
        x, sr, note = sigs[name]
        np.save(OUT / "signals" / f"{name}.npy", x, allow_pickle=False)
        sig_index[name] = {"path": f"signals/{name}.npy", "sampleRate": sr, "length": int(x.size), "note": note}
    cases = []
    for name, signal, over in CASES:
        x, sr, _ = sigs[signal]
        o = options_for(over)
        exp, depth = reference(x, sr, o)
        flen = o["frameLength"] or o["nFft"]
        frames = 1 + x.size // o["hopLength"] if o["center"] else 1 + (x.size - o["nFft"]) // o["hopLength"]
        if exp["centroid"].shape[1] != frames:
            sys.exit(f"{name}: frame count {exp['centroid'].shape[1]} != {frames}")
        for key, v in exp.items():
            if not np.all(np.isfinite(v)):
                sys.exit(f"{name}: non-finite expected {key}")
        spectral = np.concatenate([exp["centroid"], exp["bandwidth"], exp["rolloff"], exp["flatness"],
                                   exp["contrast"], depth])
        np.save(OUT / f"cases/{name}_spectral.npy", spectral.astype(np.float32), allow_pickle=False)
        np.save(OUT / f"cases/{name}_time.npy", np.concatenate([exp["zcr"], exp["rms"]]).astype(np.float32),
                allow_pickle=False)
        cases.append({
            "name": name,
            "signal": signal,
            "sampleRate": sr,
            "options": o,
            "frames": int(frames),
            "timeFrames": int(exp["zcr"].shape[1]),
            "contrastRows": int(exp["contrast"].shape[0]),
            "spectral": f"cases/{name}_spectral.npy",
            "time": f"cases/{name}_time.npy",
            "tonal": name in TONAL,
            "frameLength": flen,
        })
    sil = next(c for c in cases if c["name"] == "silence")
    if not np.all(np.load(OUT / sil["spectral"])[3] == 1.0):
        sys.exit("silence: flatness must be 1")
    index = {
        "generator": GENERATOR,
        "numpy": np.__version__,
        "soundfile": soundfile.__version__ if soundfile is not None else None,
        "features": FEATURES,
        "tolerances": TOLERANCES,
        "signals": sig_index,
        "cases": cases,
    }
    write_index(OUT, REPO, index, SIZE_BUDGET_BYTES)


if __name__ == "__main__":
    main()
