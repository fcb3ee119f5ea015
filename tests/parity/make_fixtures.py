#!/usr/bin/python3
"""Golden fixtures for audiomill's torchaudio-parity tests.

Run from the repository root with Debian's Python (torch 1.13 / torchaudio 0.13.1):

    /usr/bin/python3 tests/parity/make_fixtures.py

Writes tests/parity/fixtures/ from scratch (the folder is deleted first):

    signals/<name>.npy   1-D float32 input signals
    cases/<case>.npy     float32 expected outputs, C order, exactly the tensor torchaudio returns
    attribution/*.txt    licences of the recordings the real excerpts come from
    index.json           the case list the JS tests read

Every case is described by audiomill's camelCase options; `run_case` turns those options into the torchaudio call,
so index.json holds exactly what produced each expected array. Each expected array is also compared with an
independent float64 NumPy implementation of the documented formula (`ref_*` below); the measured error, in the
case's own tolerance metric, is stored as `float64RefError` so the implementers can see how much room a correct
but not bit-identical implementation has. The run fails if any case is out of its own tolerance against that
reference, or if a frame-count sanity check fails.

Deterministic: fixed seeds, no dither, single-threaded torch.
"""

import json
import math
import re
import shutil
import sys
import zlib
from pathlib import Path

import numpy as np
import scipy
import scipy.signal
import soundfile
import torch
import torchaudio
import torchaudio.compliance.kaldi as kaldi
import torchaudio.functional as TAF
import torchaudio.transforms as TAT

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "tests" / "parity" / "fixtures"
AUDIO_DIR = REPO.parent / "shared" / "audio"
if not AUDIO_DIR.is_dir():
    AUDIO_DIR = Path("/work/shared/audio")

GENERATOR = "tests/parity/make_fixtures.py"
SIZE_BUDGET_BYTES = 5 * 1000 * 1000  # at most 5 MB (apparent size); exceeded only with a warning

RATES = (16000, 22050, 44100)
EXCERPT_START_S = 0.5
# Length of noise, chirp, tone_quiet and the real excerpts per rate (silence is 0.5 s everywhere). The 44.1 kHz
# set is 0.5 s to keep fixtures/ under the 5 MB budget.
SIGNAL_SECONDS = {16000: 1.0, 22050: 1.0, 44100: 0.5}
INT16_SCALE = 32768.0

# Short names for the recordings in AUDIO_DIR (anything else gets a slug of its file name).
EXCERPT_NAMES = {
    "198-209-0000": "speech",  # LibriSpeech 198-209-0000
    "456440__inspectorj__bird-whistling-robin-single-13": "robin",
    "sorohanro_-_solo-trumpet-06": "trumpet",
}
# Linear power spectrograms run on these signal kinds only (config A adds one real excerpt, see main()).
POWER_KINDS = {"A": ("noise", "chirp", "speech"), "B": ("noise",), "C": ("noise",), "D": ("noise",)}

FLT_EPS = float(np.finfo(np.float32).eps)

# --------------------------------------------------------------------------------------------------------------
# Tolerances (the JS test applies the same definitions; see tests/parity/README.md)
# --------------------------------------------------------------------------------------------------------------

TOLERANCES = {
    "power": {
        "metric": "relL2",
        "max": 1e-5,
        "text": "||actual - expected||_2 / ||expected||_2 <= 1e-5 over all elements (complex spectra: over the "
        "[..., 2] real/imag pairs). If expected is all zeros, actual must be all zeros.",
    },
    "mel": {
        "metric": "relL2",
        "max": 1e-5,
        "text": "Same as power: relative L2 error <= 1e-5; an all-zero expected (silence) needs an all-zero actual.",
    },
    "db": {
        "metric": "dbAbove",
        "max": 0.01,
        "median": 1e-4,
        "nearFloor": 1.01,
        "text": "Let d = |actual - expected| * dbPerUnit (dbPerUnit = 1 for dB outputs, 40 for the Whisper preset, "
        "whose unit is log10/4). floor = max(expected) - topDb (in output units, topDb/dbPerUnit). Over cells with "
        "expected > floor + 1 dB: max d <= 0.01 dB and median d <= 1e-4 dB. Cells at or within 1 dB of the floor "
        "(clamped cells): d <= 1.01 dB. Cells at the amin floor (-100 dB) are included.",
    },
    "mfcc": {"metric": "maxAbs", "max": 1e-3, "text": "max |actual - expected| <= 1e-3 over all elements."},
    "kaldi": {
        "metric": "maxAbsFrameDepth",
        "max": 1e-3,
        "deepBelow": 10.0,
        "text": "max |actual - expected| <= 1e-3 (natural-log / cepstral units). When toleranceParams.frameDepthNats "
        "is given (log filterbank cases), only cells with expected >= rowMax - frameDepthNats are held to 1e-3, "
        "rowMax = max(expected[frame, :]); deeper cells (more than 15 nats ~ 65 dB below their frame's peak) are "
        "float32 rounding noise in torchaudio itself (a float64 implementation is off by up to 2.3 there on the "
        "chirp) and must only be finite and below rowMax - 10. Without frameDepthNats (cepstra) every cell counts.",
    },
    "delta": {
        "metric": "maxAbsOverRange",
        "max": 1e-5,
        "text": "max |actual - expected| <= 1e-5 * inputRange, inputRange = max(input) - min(input) "
        "(given per case in toleranceParams.inputRange).",
    },
    "fbanks": {
        "metric": "fbanks",
        "atol": 1e-5,
        "rtol": 1e-5,
        "text": "Elementwise |actual - expected| <= 1e-5 * max(expected) + 1e-5 * |expected|. torchaudio builds the "
        "mel corner frequencies in float32, so a bin next to a triangle foot carries an absolute error of up to "
        "5.2e-6 of the peak weight against a float64 build (1e-6 * peak would need rtol 2.4e-3 there).",
    },
    "window": {
        "metric": "maxAbs",
        "max": 1e-6,
        "text": "max |actual - expected| <= 1e-6 (windows peak at 1; torch computes them in float32).",
    },
}


def metric_value(tol_name, actual, expected, params=None):
    """The tolerance metric of `actual` against `expected` (both numpy arrays); <= limit means pass."""
    a = np.asarray(actual, dtype=np.float64)
    e = np.asarray(expected, dtype=np.float64)
    assert a.shape == e.shape, (a.shape, e.shape)
    params = params or {}
    if tol_name in ("power", "mel"):
        ne = np.linalg.norm(e.ravel())
        if ne == 0.0:
            return 0.0 if not np.any(a) else float("inf")
        return float(np.linalg.norm((a - e).ravel()) / ne)
    if tol_name == "db":
        per_unit = params.get("dbPerUnit", 1.0)
        floor = e.max() - params["topDb"] / per_unit
        d = np.abs(a - e) * per_unit
        mask = e > floor + 1.0 / per_unit
        worst = 0.0
        if mask.any():
            worst = max(worst, d[mask].max() / TOLERANCES["db"]["max"])
            worst = max(worst, np.median(d[mask]) / TOLERANCES["db"]["median"])
        if (~mask).any():
            worst = max(worst, d[~mask].max() / TOLERANCES["db"]["nearFloor"])
        return float(worst * TOLERANCES["db"]["max"])  # expressed so that <= 0.01 passes
    if tol_name == "kaldi" and "frameDepthNats" in params:
        if not np.all(np.isfinite(a)):
            return float("inf")
        row_max = e.max(axis=-1, keepdims=True)
        mask = e >= row_max - params["frameDepthNats"]
        deep_ok = np.all(a[~mask] < (row_max - TOLERANCES["kaldi"]["deepBelow"]).repeat(e.shape[-1], -1)[~mask])
        return float(np.abs(a - e)[mask].max()) if deep_ok else float("inf")
    if tol_name in ("mfcc", "kaldi", "window"):
        return float(np.abs(a - e).max())
    if tol_name == "delta":
        return float(np.abs(a - e).max() / params["inputRange"])
    if tol_name == "fbanks":
        t = TOLERANCES["fbanks"]
        peak = np.abs(e).max()
        allowed = t["atol"] * peak + t["rtol"] * np.abs(e)
        ratio = np.abs(a - e) / allowed
        return float(ratio.max() * t["atol"])  # expressed so that <= atol passes
    raise ValueError(tol_name)


def metric_limit(tol_name):
    t = TOLERANCES[tol_name]
    return t["atol"] if tol_name == "fbanks" else t["max"]


# --------------------------------------------------------------------------------------------------------------
# Signals
# --------------------------------------------------------------------------------------------------------------


def rng_for(label):
    """A numpy Generator seeded from a stable hash of `label` (crc32, not Python's salted hash)."""
    return np.random.default_rng(zlib.crc32(label.encode("utf-8")))


def make_noise(sr, seconds, std, label):
    return (rng_for(label).standard_normal(int(round(sr * seconds))) * std).astype(np.float32)


def make_chirp(sr, seconds=1.0, f0=50.0, amp=0.5):
    """Linear chirp from f0 to 0.45*sr over `seconds`: phase = 2*pi*(f0*t + (f1 - f0)*t^2 / (2*seconds))."""
    f1 = 0.45 * sr
    t = np.arange(int(round(sr * seconds)), dtype=np.float64) / sr
    phase = 2.0 * np.pi * (f0 * t + (f1 - f0) * t * t / (2.0 * seconds))
    return (amp * np.sin(phase)).astype(np.float32)


def make_tone_quiet(sr, seconds, label):
    n = int(round(sr * seconds))
    t = np.arange(n, dtype=np.float64) / sr
    x = 1e-3 * np.sin(2.0 * np.pi * 440.0 * t) + 1e-5 * rng_for(label).standard_normal(n)
    return x.astype(np.float32)


def excerpt_name(stem):
    if stem in EXCERPT_NAMES:
        return EXCERPT_NAMES[stem]
    return re.sub(r"[^a-z0-9]+", "_", stem.lower()).strip("_")


def load_excerpt(path, sr, seconds):
    data, file_sr = soundfile.read(str(path), dtype="float64", always_2d=True)
    mono = torch.from_numpy(data.mean(axis=1))
    if file_sr != sr:
        mono = TAF.resample(mono, file_sr, sr)  # default: sinc_interpolation, lowpass_filter_width 6, rolloff 0.99
    start = int(round(EXCERPT_START_S * sr))
    n = int(round(seconds * sr))
    seg = mono[start : start + n].numpy()
    if seg.shape[0] != n:
        raise RuntimeError(f"{path.name} is too short for a {seconds} s excerpt at {EXCERPT_START_S} s")
    return seg.astype(np.float32), file_sr


# --------------------------------------------------------------------------------------------------------------
# camelCase options -> torchaudio
# --------------------------------------------------------------------------------------------------------------

WINDOW_FNS = {"hann": torch.hann_window, "hamming": torch.hamming_window, "blackman": torch.blackman_window}


def spec_kwargs(o):
    return dict(
        n_fft=o["nFft"],
        win_length=o["winLength"],
        hop_length=o["hopLength"],
        pad=o["pad"],
        window_fn=WINDOW_FNS[o["window"]],
        wkwargs={"periodic": o["periodic"]},
        power=o["power"],
        normalized=o["normalized"],
        center=o["center"],
        pad_mode=o["padMode"],
        onesided=o["onesided"],
    )


def mel_kwargs(o, with_rate=True):
    kw = spec_kwargs(o)
    kw.update(f_min=o["fMin"], f_max=o["fMax"], n_mels=o["nMels"], norm=o["norm"], mel_scale=o["melScale"])
    if with_rate:
        kw["sample_rate"] = o["sampleRate"]
    return kw


def kaldi_kwargs(o):
    names = {
        "sampleFrequency": "sample_frequency",
        "frameLengthMs": "frame_length",
        "frameShiftMs": "frame_shift",
        "numMelBins": "num_mel_bins",
        "dither": "dither",
        "preemphasisCoefficient": "preemphasis_coefficient",
        "removeDcOffset": "remove_dc_offset",
        "rawEnergy": "raw_energy",
        "energyFloor": "energy_floor",
        "roundToPowerOfTwo": "round_to_power_of_two",
        "snipEdges": "snip_edges",
        "windowType": "window_type",
        "blackmanCoeff": "blackman_coeff",
        "lowFreq": "low_freq",
        "highFreq": "high_freq",
        "useEnergy": "use_energy",
        "useLogFbank": "use_log_fbank",
        "usePower": "use_power",
        "subtractMean": "subtract_mean",
        "htkCompat": "htk_compat",
        "numCeps": "num_ceps",
        "cepstralLifter": "cepstral_lifter",
    }
    return {names[k]: v for k, v in o.items()}


def whisper_logmel_torch(x):
    """openai/whisper log_mel_spectrogram on an unpadded clip, with torchaudio's Slaney filters."""
    xt = torch.from_numpy(x)
    stft = torch.stft(
        xt, 400, 160, window=torch.hann_window(400), center=True, pad_mode="reflect", return_complex=True
    )
    mags = stft[..., :-1].abs() ** 2
    fb = TAF.melscale_fbanks(201, 0.0, 8000.0, 80, 16000, norm="slaney", mel_scale="slaney")  # (201, 80)
    mel = fb.T @ mags
    log_spec = torch.clamp(mel, min=1e-10).log10()
    log_spec = torch.maximum(log_spec, log_spec.max() - 8.0)
    return (log_spec + 4.0) / 4.0


def run_case(transform, o, x):
    """Run torchaudio for one case. x: float32 numpy input (signal or input array). Returns float32 numpy."""
    xt = torch.from_numpy(np.ascontiguousarray(x)) if x is not None else None
    with torch.no_grad():
        if transform == "Spectrogram":
            y = TAT.Spectrogram(**spec_kwargs(o))(xt)
            if y.is_complex():
                y = torch.view_as_real(y)
        elif transform == "MelSpectrogram":
            y = TAT.MelSpectrogram(**mel_kwargs(o))(xt)
        elif transform == "LogMelSpectrogram":
            if o.get("preset") == "whisper":
                y = whisper_logmel_torch(x)
            else:
                assert o["amin"] == 1e-10 and o["ref"] == 1, "torchaudio 0.13 AmplitudeToDB fixes amin/ref"
                mel = TAT.MelSpectrogram(**mel_kwargs(o))(xt)
                y = TAT.AmplitudeToDB(stype=o["stype"], top_db=o["topDb"])(mel)
        elif transform == "MFCC":
            y = TAT.MFCC(
                sample_rate=o["sampleRate"],
                n_mfcc=o["nMfcc"],
                dct_type=o["dctType"],
                norm=o["norm"],
                log_mels=o["logMels"],
                melkwargs=mel_kwargs(o["melkwargs"], with_rate=False),
            )(xt)
        elif transform == "melscaleFbanks":
            y = TAF.melscale_fbanks(o["nFreqs"], o["fMin"], o["fMax"], o["nMels"], o["sampleRate"], o["norm"], o["melScale"])
        elif transform == "KaldiFbank":
            y = kaldi.fbank(xt.unsqueeze(0), **kaldi_kwargs(o))
        elif transform == "KaldiMfcc":
            y = kaldi.mfcc(xt.unsqueeze(0), **kaldi_kwargs(o))
        elif transform == "computeDeltas":
            y = TAF.compute_deltas(xt, win_length=o["winLength"], mode=o["mode"])
        elif transform == "delta":
            # librosa.feature.delta == scipy savgol_filter(width, polyorder=order, deriv=order, mode="interp"),
            # evaluated in float64 and rounded once to float32 (librosa on float32 input differs by ~1 ulp).
            y64 = scipy.signal.savgol_filter(
                x.astype(np.float64), o["width"], polyorder=o["order"], deriv=o["order"], axis=-1, mode=o["mode"]
            )
            return y64.astype(np.float32)
        elif transform == "window":
            if o["window"] == "povey":
                y = torch.hann_window(o["winLength"], periodic=False).pow(0.85)
            else:
                y = WINDOW_FNS[o["window"]](o["winLength"], periodic=o["periodic"])
        else:
            raise ValueError(transform)
    assert y.dtype == torch.float32, (transform, y.dtype)
    return np.ascontiguousarray(y.numpy(), dtype=np.float32)


# --------------------------------------------------------------------------------------------------------------
# Independent float64 reference (written from the formulas of torchaudio 0.13.1, librosa and Kaldi; docs/features.md)
# --------------------------------------------------------------------------------------------------------------


def ref_window(name, n, periodic):
    if n == 1:
        return np.ones(1)
    m = n if periodic else n - 1
    k = np.arange(n, dtype=np.float64)
    if name == "hann":
        return 0.5 - 0.5 * np.cos(2 * np.pi * k / m)
    if name == "hamming":
        return 0.54 - 0.46 * np.cos(2 * np.pi * k / m)
    if name == "blackman":
        return 0.42 - 0.5 * np.cos(2 * np.pi * k / m) + 0.08 * np.cos(4 * np.pi * k / m)
    if name == "povey":
        return ref_window("hann", n, False) ** 0.85
    raise ValueError(name)


NP_PAD = {"reflect": "reflect", "constant": "constant", "replicate": "edge", "circular": "wrap"}


def ref_stft(x, n_fft, hop, win, center, pad_mode, onesided):
    x = np.asarray(x, dtype=np.float64)
    if center:
        x = np.pad(x, n_fft // 2, mode=NP_PAD[pad_mode])
    w = np.zeros(n_fft)
    left = (n_fft - len(win)) // 2
    w[left : left + len(win)] = win
    n_frames = 1 + (len(x) - n_fft) // hop
    idx = np.arange(n_fft)[None, :] + hop * np.arange(n_frames)[:, None]
    frames = x[idx] * w
    spec = np.fft.rfft(frames, axis=1) if onesided else np.fft.fft(frames, axis=1)
    return spec.T  # (freq, time)


def ref_spectrogram(x, o):
    x = np.asarray(x, dtype=np.float64)
    if o["pad"] > 0:
        x = np.pad(x, o["pad"])
    win = ref_window(o["window"], o["winLength"], o["periodic"])
    s = ref_stft(x, o["nFft"], o["hopLength"], win, o["center"], o["padMode"], o["onesided"])
    if o["normalized"] in (True, "window"):
        s = s / np.sqrt(np.sum(win**2))
    elif o["normalized"] == "frame_length":
        s = s / np.sqrt(o["nFft"])
    if o["power"] is None:
        return np.stack([s.real, s.imag], axis=-1)
    return np.abs(s) ** o["power"]


def hz_to_mel(f, scale):
    f = np.asarray(f, dtype=np.float64)
    if scale == "htk":
        return 2595.0 * np.log10(1.0 + f / 700.0)
    lin = f / (200.0 / 3.0)
    logstep = np.log(6.4) / 27.0
    return np.where(f >= 1000.0, 15.0 + np.log(np.maximum(f, 1e-30) / 1000.0) / logstep, lin)


def mel_to_hz(m, scale):
    m = np.asarray(m, dtype=np.float64)
    if scale == "htk":
        return 700.0 * (10.0 ** (m / 2595.0) - 1.0)
    logstep = np.log(6.4) / 27.0
    return np.where(m >= 15.0, 1000.0 * np.exp(logstep * (m - 15.0)), m * (200.0 / 3.0))


def ref_triangles(bin_freqs, f_pts, norm):
    n_mels = len(f_pts) - 2
    fb = np.zeros((len(bin_freqs), n_mels))
    for m in range(n_mels):
        lo, c, hi = f_pts[m], f_pts[m + 1], f_pts[m + 2]
        rising = (bin_freqs - lo) / (c - lo)
        falling = (hi - bin_freqs) / (hi - c)
        fb[:, m] = np.maximum(0.0, np.minimum(rising, falling))
        if norm == "slaney":
            fb[:, m] *= 2.0 / (hi - lo)
    return fb


def ref_melfb(n_freqs, f_min, f_max, n_mels, sr, norm, scale):
    bin_freqs = np.linspace(0.0, sr // 2, n_freqs)  # torchaudio's convention (not rfftfreq)
    m_pts = np.linspace(hz_to_mel(f_min, scale), hz_to_mel(f_max, scale), n_mels + 2)
    return ref_triangles(bin_freqs, mel_to_hz(m_pts, scale), norm)


def ref_librosa_mel(sr, n_fft, n_mels, f_min, f_max):
    """librosa.filters.mel(htk=False, norm='slaney') semantics: rfftfreq bins, float64. Shape (n_fft//2+1, n_mels)."""
    bin_freqs = np.arange(n_fft // 2 + 1) * sr / n_fft
    m_pts = np.linspace(hz_to_mel(f_min, "slaney"), hz_to_mel(f_max, "slaney"), n_mels + 2)
    return ref_triangles(bin_freqs, mel_to_hz(m_pts, "slaney"), "slaney")


def ref_melspectrogram(x, o):
    spec = ref_spectrogram(x, o)
    fb = ref_melfb(o["nFft"] // 2 + 1, o["fMin"], o["fMax"], o["nMels"], o["sampleRate"], o["norm"], o["melScale"])
    return fb.T @ spec


def ref_power_to_db(s, top_db, amin=1e-10, ref=1.0):
    db = 10.0 * np.log10(np.maximum(s, amin)) - 10.0 * np.log10(max(amin, ref))
    if top_db is not None:
        db = np.maximum(db, db.max() - top_db)
    return db


def ref_dct(n_mfcc, n_mels):
    """Orthonormal DCT-II as an (n_mels, n_mfcc) matrix."""
    n = np.arange(n_mels)[:, None]
    k = np.arange(n_mfcc)[None, :]
    d = np.cos(np.pi / n_mels * (n + 0.5) * k) * np.sqrt(2.0 / n_mels)
    d[:, 0] /= np.sqrt(2.0)
    return d


def ref_mfcc(x, o):
    mo = dict(o["melkwargs"], sampleRate=o["sampleRate"])
    mel = ref_melspectrogram(x, mo)
    feat = np.log(mel + 1e-6) if o["logMels"] else ref_power_to_db(mel, 80.0)
    return ref_dct(o["nMfcc"], mo["nMels"]).T @ feat


def ref_kaldi_fbank(x, o, return_energy=False):
    x = np.asarray(x, dtype=np.float64)
    sr = o["sampleFrequency"]
    size = int(sr * o["frameLengthMs"] * 0.001)
    shift = int(sr * o["frameShiftMs"] * 0.001)
    n_pad = 1 << (size - 1).bit_length() if o["roundToPowerOfTwo"] else size
    if o["snipEdges"]:
        n_frames = 1 + (len(x) - size) // shift
        start = np.arange(n_frames) * shift
        idx = start[:, None] + np.arange(size)[None, :]
    else:
        n_frames = (len(x) + shift // 2) // shift
        start = np.arange(n_frames) * shift + shift // 2 - size // 2
        idx = start[:, None] + np.arange(size)[None, :]
        # Kaldi's reflection repeats the edge sample: index -1 -> 0, -2 -> 1, N -> N-1, N+1 -> N-2.
        idx = np.where(idx < 0, -idx - 1, idx)
        idx = np.where(idx >= len(x), 2 * len(x) - 1 - idx, idx)
    frames = x[idx]
    if o["dither"] != 0:
        raise ValueError("fixtures use dither 0")
    if o["removeDcOffset"]:
        frames = frames - frames.mean(axis=1, keepdims=True)

    def log_energy(fr):
        e = np.log(np.maximum(np.sum(fr**2, axis=1), FLT_EPS))
        return np.maximum(e, math.log(o["energyFloor"])) if o["energyFloor"] > 0 else e

    if o["rawEnergy"]:
        energy = log_energy(frames)
    if o["preemphasisCoefficient"] != 0:
        prev = np.concatenate([frames[:, :1], frames[:, :-1]], axis=1)
        frames = frames - o["preemphasisCoefficient"] * prev
    if o["windowType"] == "povey":
        win = ref_window("povey", size, False)
    elif o["windowType"] == "hamming":
        win = ref_window("hamming", size, False)
    elif o["windowType"] == "hanning":
        win = ref_window("hann", size, False)
    elif o["windowType"] == "rectangular":
        win = np.ones(size)
    elif o["windowType"] == "blackman":
        a = o["blackmanCoeff"]
        k = np.arange(size) * 2 * np.pi / (size - 1)
        win = a - 0.5 * np.cos(k) + (0.5 - a) * np.cos(2 * k)
    frames = frames * win
    frames = np.pad(frames, ((0, 0), (0, n_pad - size)))
    if not o["rawEnergy"]:
        energy = log_energy(frames)
    spec = np.abs(np.fft.rfft(frames, axis=1))
    if o["usePower"]:
        spec = spec**2
    # Kaldi mel banks: triangles linear in mel = 1127 ln(1 + f/700), Nyquist bin weight 0.
    nyq = 0.5 * sr
    hi_f = o["highFreq"] + nyq if o["highFreq"] <= 0 else o["highFreq"]
    kmel = lambda f: 1127.0 * np.log(1.0 + np.asarray(f, dtype=np.float64) / 700.0)  # noqa: E731
    m_lo, m_hi = kmel(o["lowFreq"]), kmel(hi_f)
    delta = (m_hi - m_lo) / (o["numMelBins"] + 1)
    bin_mel = kmel(np.arange(n_pad // 2) * sr / n_pad)
    banks = np.zeros((o["numMelBins"], n_pad // 2 + 1))
    for b in range(o["numMelBins"]):
        left, center, right = m_lo + b * delta, m_lo + (b + 1) * delta, m_lo + (b + 2) * delta
        up = (bin_mel - left) / (center - left)
        down = (right - bin_mel) / (right - center)
        banks[b, : n_pad // 2] = np.maximum(0.0, np.minimum(up, down))
    mel = spec @ banks.T
    if o["useLogFbank"]:
        mel = np.log(np.maximum(mel, FLT_EPS))
    if return_energy:
        return mel, energy
    if o["useEnergy"]:
        col = energy[:, None]
        mel = np.concatenate([mel, col], axis=1) if o["htkCompat"] else np.concatenate([col, mel], axis=1)
    if o["subtractMean"]:
        mel = mel - mel.mean(axis=0, keepdims=True)
    return mel


def ref_kaldi_mfcc(x, o):
    fo = dict(o, useLogFbank=True, usePower=True, useEnergy=False, subtractMean=False)
    for k in ("numCeps", "cepstralLifter"):
        fo.pop(k)
    logmel, energy = ref_kaldi_fbank(x, fo, return_energy=True)
    c = logmel @ ref_dct(o["numCeps"], o["numMelBins"])
    q = o["cepstralLifter"]
    if q != 0:
        c = c * (1.0 + 0.5 * q * np.sin(np.pi * np.arange(o["numCeps"]) / q))[None, :]
    if o["useEnergy"]:
        c[:, 0] = energy
    if o["htkCompat"]:
        c0 = c[:, :1] if o["useEnergy"] else c[:, :1] * np.sqrt(2.0)
        c = np.concatenate([c[:, 1:], c0], axis=1)
    if o["subtractMean"]:
        c = c - c.mean(axis=0, keepdims=True)
    return c


def ref_compute_deltas(x, o):
    n = (o["winLength"] - 1) // 2
    assert o["mode"] == "replicate"
    xp = np.pad(np.asarray(x, dtype=np.float64), ((0, 0), (n, n)), mode="edge")
    t = x.shape[-1]
    acc = sum(k * (xp[:, n + k : n + k + t] - xp[:, n - k : n - k + t]) for k in range(1, n + 1))
    return acc / (2.0 * sum(k * k for k in range(1, n + 1)))


def ref_savgol_deriv(x, width, order):
    """Least-squares polynomial (degree `order`) derivative of order `order`; edges from a fit over the first/last
    `width` frames (librosa's mode='interp'). Written independently of scipy.signal.savgol_filter."""
    x = np.asarray(x, dtype=np.float64)
    half = width // 2
    t_len = x.shape[-1]
    pos = np.arange(-half, half + 1, dtype=np.float64)
    vander = np.vander(pos, order + 1, increasing=True)  # columns 1, p, p^2 ...
    # d^order/dp^order of sum c_j p^j at p = 0 is order! * c_order
    coef = math.factorial(order) * np.linalg.pinv(vander)[order]
    out = np.zeros_like(x)
    for t in range(half, t_len - half):
        out[:, t] = x[:, t - half : t + half + 1] @ coef
    edge_pos = np.arange(width, dtype=np.float64)
    for seg, targets in ((slice(0, width), range(0, half)), (slice(t_len - width, t_len), range(t_len - half, t_len))):
        poly = np.polynomial.polynomial.polyfit(edge_pos, x[:, seg].T, order)  # (order+1, rows)
        deriv = np.polynomial.polynomial.polyder(poly, order)  # constant for deriv == order
        for t in targets:
            p = t - seg.start
            out[:, t] = np.polynomial.polynomial.polyval(p, deriv)
    return out


def ref_whisper(x):
    s = ref_stft(x, 400, 160, ref_window("hann", 400, True), True, "reflect", True)
    mags = np.abs(s[:, :-1]) ** 2
    mel = ref_librosa_mel(16000, 400, 80, 0.0, 8000.0).T @ mags
    log_spec = np.log10(np.maximum(mel, 1e-10))
    log_spec = np.maximum(log_spec, log_spec.max() - 8.0)
    return (log_spec + 4.0) / 4.0


def reference(transform, o, x):
    if transform == "Spectrogram":
        return ref_spectrogram(x, o)
    if transform == "MelSpectrogram":
        return ref_melspectrogram(x, o)
    if transform == "LogMelSpectrogram":
        if o.get("preset") == "whisper":
            return ref_whisper(x)
        return ref_power_to_db(ref_melspectrogram(x, o), o["topDb"], o["amin"], o["ref"])
    if transform == "MFCC":
        return ref_mfcc(x, o)
    if transform == "melscaleFbanks":
        return ref_melfb(o["nFreqs"], o["fMin"], o["fMax"], o["nMels"], o["sampleRate"], o["norm"], o["melScale"])
    if transform == "KaldiFbank":
        return ref_kaldi_fbank(x, o)
    if transform == "KaldiMfcc":
        return ref_kaldi_mfcc(x, o)
    if transform == "computeDeltas":
        return ref_compute_deltas(x, o)
    if transform == "delta":
        return ref_savgol_deriv(x, o["width"], o["order"])
    if transform == "window":
        return ref_window(o["window"], o["winLength"], o["periodic"])
    raise ValueError(transform)


# --------------------------------------------------------------------------------------------------------------
# Case definitions
# --------------------------------------------------------------------------------------------------------------


def spec_opts(n_fft, win_length, hop, pad_mode="reflect", **over):
    o = dict(
        nFft=n_fft,
        winLength=win_length,
        hopLength=hop,
        pad=0,
        window="hann",
        periodic=True,
        power=2.0,
        normalized=False,
        center=True,
        padMode=pad_mode,
        onesided=True,
    )
    o.update(over)
    return o


CONFIGS = {
    # name: (sample rate, spectrogram options, mel extras, nMfcc or None)
    "A": (16000, spec_opts(512, 512, 160), dict(fMin=0.0, fMax=8000.0, nMels=64, norm=None, melScale="htk"), 40),
    "B": (16000, spec_opts(400, 400, 160), dict(fMin=0.0, fMax=8000.0, nMels=80, norm=None, melScale="htk"), None),
    "C": (
        22050,
        spec_opts(2048, 2048, 512, pad_mode="constant"),
        dict(fMin=0.0, fMax=11025.0, nMels=128, norm="slaney", melScale="slaney"),
        20,
    ),
    "D": (44100, spec_opts(1024, 1024, 441), dict(fMin=0.0, fMax=22050.0, nMels=64, norm=None, melScale="htk"), None),
}
CONFIG_NOTES = {
    "A": "config A: 16 kHz, nFft 512, hop 160, 64 HTK mels, torchaudio defaults otherwise",
    "B": "config B: Whisper-like 16 kHz, nFft 400, winLength 400, hop 160, 80 HTK mels (torchaudio style)",
    "C": "config C: librosa defaults in torchaudio terms: 22.05 kHz, nFft 2048, hop 512, 128 Slaney mels, Slaney "
    "norm, constant padding",
    "D": "config D: 44.1 kHz, nFft 1024, hop 441, 64 HTK mels, torchaudio defaults otherwise",
}

KALDI_FBANK_BASE = dict(
    sampleFrequency=16000.0,
    frameLengthMs=25.0,
    frameShiftMs=10.0,
    numMelBins=80,
    dither=0.0,
    preemphasisCoefficient=0.97,
    removeDcOffset=True,
    rawEnergy=True,
    energyFloor=1.0,
    roundToPowerOfTwo=True,
    snipEdges=True,
    windowType="povey",
    blackmanCoeff=0.42,
    lowFreq=20.0,
    highFreq=0.0,
    useEnergy=False,
    useLogFbank=True,
    usePower=True,
    subtractMean=False,
    htkCompat=False,
)
KALDI_MFCC_BASE = dict(
    sampleFrequency=16000.0,
    frameLengthMs=25.0,
    frameShiftMs=10.0,
    numMelBins=23,
    numCeps=13,
    cepstralLifter=22.0,
    dither=0.0,
    preemphasisCoefficient=0.97,
    removeDcOffset=True,
    rawEnergy=True,
    energyFloor=1.0,
    roundToPowerOfTwo=True,
    snipEdges=True,
    windowType="povey",
    blackmanCoeff=0.42,
    lowFreq=20.0,
    highFreq=0.0,
    useEnergy=False,
    htkCompat=False,
    subtractMean=False,
)


def expected_frames_center(length, n_fft, hop):
    return 1 + (length + 2 * (n_fft // 2) - n_fft) // hop


# --------------------------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------------------------


class Writer:
    def __init__(self):
        self.signals = {}  # name -> np array
        self.signal_meta = []
        self.cases = []
        self.failures = []
        self.inputs = {}  # relpath -> array

    def save(self, rel, arr):
        arr = np.ascontiguousarray(arr, dtype=np.float32)
        assert arr.dtype == np.float32 and arr.flags["C_CONTIGUOUS"]
        np.save(OUT / rel, arr, allow_pickle=False)

    def add_signal(self, name, arr, sample_rate, description, source=None):
        assert name not in self.signals, name
        assert arr.ndim == 1 and arr.dtype == np.float32
        self.signals[name] = arr
        self.save(f"signals/{name}.npy", arr)
        meta = dict(
            name=name,
            file=f"signals/{name}.npy",
            sampleRate=sample_rate,
            length=int(arr.shape[0]),
            description=description,
        )
        if source:
            meta["source"] = source
        self.signal_meta.append(meta)

    def add_case(self, name, transform, options, tolerance, signal=None, input_rel=None, input_arr=None,
                 tol_params=None, note=None):
        assert not any(c["name"] == name for c in self.cases), name
        if signal is not None:
            x = self.signals[signal]
        elif input_arr is not None:
            x = input_arr
        else:
            x = None
        y = run_case(transform, options, x)
        rel = f"cases/{name}.npy"
        self.save(rel, y)
        params = dict(tol_params or {})
        if tolerance == "db":
            params.setdefault("topDb", options.get("topDb", 80.0))
            params.setdefault("dbPerUnit", 1.0)
        if tolerance == "delta":
            params["inputRange"] = float(np.max(input_arr) - np.min(input_arr))
        if transform == "KaldiFbank" and options["useLogFbank"]:
            params["frameDepthNats"] = 15.0
        ref = reference(transform, options, x)
        err = metric_value(tolerance, ref, y, params)
        if not err <= metric_limit(tolerance):
            self.failures.append(f"{name}: float64 reference misses tolerance {tolerance}: {err:.3g}")
        case = dict(
            name=name,
            transform=transform,
            options=options,
            signal=f"signals/{signal}.npy" if signal is not None else None,
            input=input_rel,
            expected=rel,
            shape=list(y.shape),
            tolerance=tolerance,
        )
        if params:
            case["toleranceParams"] = params
        case["float64RefError"] = float(f"{err:.3g}")
        if note:
            case["note"] = note
        self.cases.append(case)
        return y


def check(cond, msg, failures):
    if not cond:
        failures.append("sanity: " + msg)


def main():
    torch.set_num_threads(1)
    torch.manual_seed(0)
    if not AUDIO_DIR.is_dir():
        sys.exit(f"missing {AUDIO_DIR}")
    if OUT.exists():
        shutil.rmtree(OUT)
    for sub in ("signals", "cases", "attribution"):
        (OUT / sub).mkdir(parents=True)

    w = Writer()

    # ---- attribution ----
    oggs = sorted(AUDIO_DIR.glob("*.ogg"))
    for txt in sorted(AUDIO_DIR.glob("*.txt")):
        shutil.copyfile(txt, OUT / "attribution" / txt.name)

    # ---- signals ----
    excerpt_names = []
    for sr in RATES:
        secs = SIGNAL_SECONDS[sr]
        w.add_signal(f"noise_{sr}", make_noise(sr, secs, 0.1, f"noise_{sr}"), sr,
                     f"{secs:.1f} s Gaussian noise, std 0.1, numpy default_rng(crc32('noise_{sr}'))")
        w.add_signal(f"chirp_{sr}", make_chirp(sr, secs), sr,
                     f"{secs:.1f} s linear chirp 50 Hz -> {0.45 * sr:g} Hz (0.45 sr) over {secs:.1f} s, "
                     "amplitude 0.5, sine phase from 0")
        w.add_signal(f"silence_{sr}", np.zeros(sr // 2, dtype=np.float32), sr, "0.5 s of zeros")
        w.add_signal(f"tone_quiet_{sr}", make_tone_quiet(sr, secs, f"tone_quiet_{sr}"), sr,
                     f"{secs:.1f} s 440 Hz sine, amplitude 1e-3, plus Gaussian noise std 1e-5, "
                     f"numpy default_rng(crc32('tone_quiet_{sr}'))")
        for path in oggs:
            short = excerpt_name(path.stem)
            seg, file_sr = load_excerpt(path, sr, secs)
            how = "no resampling" if file_sr == sr else f"torchaudio.functional.resample {file_sr} -> {sr} (defaults)"
            w.add_signal(f"{short}_{sr}", seg, sr,
                         f"{secs:.1f} s excerpt from {EXCERPT_START_S:g} s of {path.name} "
                         f"(soundfile decode, channel mean, {how})",
                         source=f"attribution/{path.stem}.txt")
            if sr == RATES[0]:
                excerpt_names.append(short)
    w.add_signal("short_16000", make_noise(16000, 1000 / 16000, 0.1, "short_16000"), 16000,
                 "1000 samples of Gaussian noise, std 0.1, numpy default_rng(crc32('short_16000')); edge frames")
    kaldi_signals = []
    for base in ("speech_16000", "noise_16000", "chirp_16000"):
        if base not in w.signals:
            continue
        name = f"{base}_int16scale"
        w.add_signal(name, w.signals[base] * np.float32(INT16_SCALE), 16000,
                     f"signals/{base}.npy multiplied by 32768 (Kaldi reads int16 sample values unnormalised)")
        kaldi_signals.append(name)

    def signals_at(sr):
        kinds = ["noise", "chirp", "silence", "tone_quiet"] + excerpt_names
        return [f"{k}_{sr}" for k in kinds]

    # ---- configs A-D ----
    for cname, (sr, so, mel_extra, n_mfcc) in CONFIGS.items():
        mo = dict(so, sampleRate=sr, **mel_extra)
        lo = dict(mo, stype="power", topDb=80.0, amin=1e-10, ref=1.0)
        power_signals = {f"{k}_{sr}" for k in POWER_KINDS[cname]}
        for sig in signals_at(sr):
            if sig in power_signals:
                w.add_case(f"{cname}_spectrogram_{sig}", "Spectrogram", dict(so), "power", signal=sig,
                           note=CONFIG_NOTES[cname])
            w.add_case(f"{cname}_melspectrogram_{sig}", "MelSpectrogram", dict(mo), "mel", signal=sig,
                       note=CONFIG_NOTES[cname])
            w.add_case(f"{cname}_logmel_{sig}", "LogMelSpectrogram", dict(lo), "db", signal=sig,
                       note=CONFIG_NOTES[cname] + "; AmplitudeToDB(stype='power', top_db=80) of the mel output, one "
                       "global max for the whole (nMels, T) array")
            if n_mfcc is not None:
                melkw = {k: v for k, v in mo.items() if k != "sampleRate"}
                fo = dict(sampleRate=sr, nMfcc=n_mfcc, dctType=2, norm="ortho", logMels=False, melkwargs=melkw)
                w.add_case(f"{cname}_mfcc_{sig}", "MFCC", fo, "mfcc", signal=sig,
                           note=CONFIG_NOTES[cname] + "; dB mel with top_db 80 (fixed inside torchaudio's MFCC)")
        if cname == "A":
            melkw = {k: v for k, v in mo.items() if k != "sampleRate"}
            fo = dict(sampleRate=sr, nMfcc=n_mfcc, dctType=2, norm="ortho", logMels=True, melkwargs=melkw)
            w.add_case("A_mfcc_logmels_speech_16000", "MFCC", fo, "mfcc", signal="speech_16000",
                       note="logMels true: DCT of ln(mel + 1e-6) (natural log, additive offset, no top_db)")

    # ---- config A variants (on short_16000; center false also on noise_16000) ----
    so_a = CONFIGS["A"][1]
    for sig in ("short_16000", "noise_16000"):
        w.add_case(f"A_spectrogram_{sig}_center_false", "Spectrogram", dict(so_a, center=False), "power",
                   signal=sig, note="center false: no padding, 1 + (L - nFft)//hop frames")
    variants = [
        ("complex", dict(power=None),
         "power null: complex STFT, stored as torch.view_as_real -> [freq, time, 2] (real, imag)"),
        ("normalized_window", dict(normalized="window"), "divided by sqrt(sum(window^2)) before power"),
        ("normalized_frame_length", dict(normalized="frame_length"), "divided by sqrt(nFft) before power"),
        ("power1", dict(power=1.0), "magnitude |X|"),
        ("hamming", dict(window="hamming"), "periodic Hamming 0.54 - 0.46 cos(2 pi n / N)"),
        ("blackman", dict(window="blackman"), "periodic Blackman 0.42 - 0.5 cos + 0.08 cos(2x)"),
        ("win400", dict(winLength=400), "400-sample Hann zero-padded centred in 512 (56 zeros each side)"),
        ("pad_replicate", dict(padMode="replicate"), "center padding repeats the edge sample (F.pad 'replicate')"),
        ("pad_circular", dict(padMode="circular"), "center padding wraps around (F.pad 'circular')"),
        ("twosided", dict(onesided=False), "onesided false: all nFft bins (full FFT), Hermitian-symmetric"),
    ]
    for suffix, over, note in variants:
        w.add_case(f"A_spectrogram_short_16000_{suffix}", "Spectrogram", dict(so_a, **over), "power",
                   signal="short_16000", note=note)

    # ---- mel filterbanks ----
    for name, (nf, fmin, fmax, nm, sr, norm, scale) in {
        "fbanks_257_0_8000_64_16000_none_htk": (257, 0.0, 8000.0, 64, 16000, None, "htk"),
        "fbanks_513_0_11025_64_22050_slaney_slaney": (513, 0.0, 11025.0, 64, 22050, "slaney", "slaney"),
        "fbanks_201_20_7600_80_16000_slaney_htk": (201, 20.0, 7600.0, 80, 16000, "slaney", "htk"),
    }.items():
        o = dict(nFreqs=nf, fMin=fmin, fMax=fmax, nMels=nm, sampleRate=sr, norm=norm, melScale=scale)
        w.add_case(name, "melscaleFbanks", o, "fbanks",
                   note="torchaudio.functional.melscale_fbanks: shape (nFreqs, nMels); bin frequencies "
                   "linspace(0, sampleRate // 2, nFreqs); corner frequencies computed in float32")

    # ---- Kaldi ----
    kaldi_note = ("input is the [-1, 1] float signal multiplied by 32768 (int16 scale, as Kaldi reads wav); "
                  "output (frames, bins)")
    for sig in kaldi_signals:
        w.add_case(f"kaldi_fbank_{sig}", "KaldiFbank", dict(KALDI_FBANK_BASE), "kaldi", signal=sig, note=kaldi_note)
    sp = "speech_16000_int16scale"
    w.add_case(f"kaldi_fbank_{sp}_snip_edges_false", "KaldiFbank", dict(KALDI_FBANK_BASE, snipEdges=False), "kaldi",
               signal=sp, note=kaldi_note + "; snipEdges false: (N + shift//2)//shift frames, edge-repeating reflection")
    w.add_case(f"kaldi_fbank_{sp}_use_energy", "KaldiFbank", dict(KALDI_FBANK_BASE, useEnergy=True), "kaldi",
               signal=sp, note=kaldi_note + "; useEnergy true: raw log-energy prepended as column 0 (81 columns)")
    w.add_case(f"kaldi_fbank_{sp}_hamming", "KaldiFbank", dict(KALDI_FBANK_BASE, windowType="hamming"), "kaldi",
               signal=sp, note=kaldi_note + "; symmetric Hamming (N - 1 denominator)")
    w.add_case(f"kaldi_mfcc_{sp}", "KaldiMfcc", dict(KALDI_MFCC_BASE), "kaldi", signal=sp, note=kaldi_note)
    w.add_case(f"kaldi_mfcc_{sp}_use_energy", "KaldiMfcc", dict(KALDI_MFCC_BASE, useEnergy=True), "kaldi", signal=sp,
               note=kaldi_note + "; useEnergy true: c0 replaced by the raw log-energy")
    w.add_case(f"kaldi_mfcc_{sp}_htk_compat", "KaldiMfcc", dict(KALDI_MFCC_BASE, htkCompat=True), "kaldi", signal=sp,
               note=kaldi_note + "; htkCompat true: c0 * sqrt(2) moved to the last column")

    # ---- deltas ----
    delta_input = run_case("LogMelSpectrogram",
                           dict(CONFIGS["A"][1], sampleRate=16000, **CONFIGS["A"][2], stype="power", topDb=80.0,
                                amin=1e-10, ref=1.0),
                           w.signals["speech_16000"])
    in_rel = "cases/deltas_speech_16000_input.npy"
    w.save(in_rel, delta_input)
    dnote = "input: config A LogMel of speech_16000 (same as A_logmel_speech_16000), deltas along the last axis"
    for wl in (5, 9):
        w.add_case(f"deltas_compute_deltas_w{wl}", "computeDeltas", dict(winLength=wl, mode="replicate"), "delta",
                   input_rel=in_rel, input_arr=delta_input, note=dnote + "; torchaudio.functional.compute_deltas")
    for order in (1, 2):
        w.add_case(f"deltas_librosa_delta_w9_order{order}", "delta", dict(width=9, order=order, mode="interp"), "delta",
                   input_rel=in_rel, input_arr=delta_input,
                   note=dnote + "; librosa.feature.delta convention: scipy.signal.savgol_filter(x, 9, polyorder=order,"
                   " deriv=order, axis=-1, mode='interp') in float64, rounded to float32")

    # ---- Whisper ----
    w.add_case("whisper_logmel_speech_16000", "LogMelSpectrogram", {"preset": "whisper"}, "db", signal="speech_16000",
               tol_params=dict(topDb=80.0, dbPerUnit=40.0),
               note="openai/whisper log_mel_spectrogram on the 1 s clip, NOT padded to 30 s: |stft(nFft 400, hop 160,"
               " periodic hann, center, reflect)|^2 with the last frame dropped, 80 Slaney mels with Slaney norm "
               "(melscale_fbanks(201, 0, 8000, 80, 16000, 'slaney', 'slaney')), log10(max(mel, 1e-10)), "
               "max(x, max(x) - 8), (x + 4) / 4. Output unit = 40 dB, so the db tolerance uses dbPerUnit 40.")

    # ---- windows ----
    for name, wl, periodic in (("hann", 400, True), ("hann", 400, False), ("hamming", 400, True),
                               ("hamming", 400, False), ("blackman", 400, True), ("blackman", 400, False),
                               ("povey", 400, False)):
        tag = "periodic" if periodic else "symmetric"
        w.add_case(f"window_{name}_{wl}_{tag}", "window", dict(window=name, winLength=wl, periodic=periodic), "window",
                   note="torch window function in float32" if name != "povey"
                   else "Kaldi povey window: symmetric Hann ** 0.85 (torchaudio.compliance.kaldi)")

    # ---- sanity checks (frame counts, shapes) ----
    f = w.failures
    shape_of = {c["name"]: c["shape"] for c in w.cases}
    check(expected_frames_center(16000, 400, 160) == 101, "frames L=16000 nFft 400 hop 160", f)
    check(shape_of["B_spectrogram_noise_16000"] == [201, 101], "B spectrogram shape", f)
    check(shape_of["A_spectrogram_noise_16000"] == [257, 101], "A spectrogram shape", f)
    check(shape_of["C_spectrogram_noise_22050"] == [1025, 44], "C spectrogram shape (1 + 22050//512 = 44)", f)
    check(shape_of["D_spectrogram_noise_44100"] == [513, 51], "D spectrogram shape (0.5 s: 1 + 22050//441 = 51)", f)
    check(shape_of["A_spectrogram_noise_16000_center_false"] == [257, 1 + (16000 - 512) // 160], "center false", f)
    check(shape_of["A_spectrogram_short_16000_power1"] == [257, 7], "short_16000 frames (1 + 1000//160 = 7)", f)
    check(shape_of["A_spectrogram_short_16000_twosided"] == [512, 7], "twosided shape", f)
    check(shape_of["A_spectrogram_short_16000_complex"] == [257, 7, 2], "complex shape", f)
    check(shape_of["A_spectrogram_short_16000_center_false"] == [257, 1 + (1000 - 512) // 160], "short center false", f)
    check(shape_of["A_melspectrogram_silence_16000"] == [64, 51], "silence 8000 samples -> 51 frames", f)
    check(shape_of["kaldi_fbank_speech_16000_int16scale"] == [98, 80], "kaldi snip_edges frames 98", f)
    check(shape_of["kaldi_fbank_speech_16000_int16scale_snip_edges_false"] == [100, 80], "kaldi no-snip 100", f)
    check(shape_of["kaldi_fbank_speech_16000_int16scale_use_energy"] == [98, 81], "kaldi use_energy 81 cols", f)
    check(shape_of["kaldi_mfcc_speech_16000_int16scale"] == [98, 13], "kaldi mfcc 13", f)
    check(shape_of["whisper_logmel_speech_16000"] == [80, 100], "whisper 101 frames - last = 100", f)
    check(shape_of["A_mfcc_noise_16000"] == [40, 101] and shape_of["C_mfcc_noise_22050"] == [20, 44], "mfcc shapes", f)
    for c in w.cases:
        if c["transform"] in ("Spectrogram", "MelSpectrogram", "LogMelSpectrogram", "MFCC") and c["signal"]:
            o = c["options"] if c["transform"] != "MFCC" else c["options"]["melkwargs"]
            if "nFft" not in o:
                continue
            L = w.signals[Path(c["signal"]).stem].shape[0]
            T = expected_frames_center(L, o["nFft"], o["hopLength"]) if o["center"] else 1 + (L - o["nFft"]) // o["hopLength"]
            check(c["shape"][1] == T, f"{c['name']}: frames {c['shape'][1]} != {T}", f)

    # Whisper: torchaudio's Slaney filters vs librosa.filters.mel semantics (rfftfreq bins, float64).
    fb_ta = TAF.melscale_fbanks(201, 0.0, 8000.0, 80, 16000, norm="slaney", mel_scale="slaney").numpy()
    fb_lr = ref_librosa_mel(16000, 400, 80, 0.0, 8000.0)
    bins_equal = np.array_equal(np.linspace(0, 8000, 201), np.arange(201) * 16000 / 400)
    whisper_fb_diff = float(np.abs(fb_ta - fb_lr).max() / fb_lr.max())

    # ---- index ----
    index = dict(
        generator=GENERATOR,
        torch=torch.__version__,
        torchaudio=torchaudio.__version__,
        numpy=np.__version__,
        scipy=scipy.__version__,
        soundfile=soundfile.__version__,
        cases=w.cases,
        signals=w.signal_meta,
        tolerances={k: {kk: vv for kk, vv in v.items()} for k, v in TOLERANCES.items()},
    )
    with open(OUT / "index.json", "w", encoding="utf-8") as fh:
        json.dump(index, fh, indent=1, sort_keys=False)
        fh.write("\n")

    total = sum(p.stat().st_size for p in OUT.rglob("*") if p.is_file())
    counts = {}
    for c in w.cases:
        counts[c["transform"]] = counts.get(c["transform"], 0) + 1
    print(f"{len(w.cases)} cases, {len(w.signals)} signals, {total / 1e6:.2f} MB in {OUT.relative_to(REPO)}")
    for k, v in counts.items():
        print(f"  {k}: {v}")
    print(f"whisper filters: linspace bins == rfftfreq bins: {bins_equal}; "
          f"max |torchaudio - librosa-style float64| / max = {whisper_fb_diff:.3g}")
    worst = {}
    for c in w.cases:
        t = c["tolerance"]
        ratio = c["float64RefError"] / metric_limit(t)
        if ratio >= worst.get(t, (-1, ""))[0]:
            worst[t] = (ratio, c["name"])
    for t, (ratio, name) in sorted(worst.items()):
        print(f"  float64 reference uses {ratio:.3g} of the '{t}' tolerance at worst ({name})")
    if total > SIZE_BUDGET_BYTES:
        print(f"WARNING: fixtures take {total / 1e6:.2f} MB, above the 5 MB budget", file=sys.stderr)
    if w.failures:
        for msg in w.failures:
            print("FAIL " + msg, file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
