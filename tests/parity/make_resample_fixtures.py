#!/usr/bin/python3
"""Golden fixtures for audiomill's Resample (torchaudio 0.13 `F.resample`).

Run from the repository root with Debian's Python (torch 1.13 / torchaudio 0.13.1), after make_fixtures.py
(which deletes the whole fixtures/ folder, this one included):

    /usr/bin/python3 tests/parity/make_resample_fixtures.py

Writes tests/parity/fixtures/resample/ from scratch (that folder only):

    signals/<name>.npy            1-D float32 inputs
    cases/<case>.npy              1-D float32 outputs of torchaudio.functional.resample (the expected arrays)
    cases/<case>_transform.npy    the same through torchaudio.transforms.Resample (informational, see below)
    index.json                    the case list (options in audiomill's camelCase terms, and the torchaudio call)

F.resample computes its kernel in the waveform's dtype, float32 here, while transforms.Resample computes it in
float64 and caches it as float32; the two outputs differ by up to ~1e-5 on these signals. audiomill follows
F.resample. Each expected array is compared with an independent NumPy evaluation of F.resample's windowed-sinc
kernel formula (docs/audio.md, "Resample"; float32 kernel arithmetic, float64 direct sums,
see ref_kernel); the max absolute difference is stored as `float64RefError`. `exactKernelError` is the same
with the exact float64 kernel. The run fails if `float64RefError` is out of tolerance, or if an output length
differs from ceil(new * L / orig).

Deterministic: fixed seeds (crc32 of the signal name), single-threaded torch.
"""

import json
import math
import shutil
import sys
import zlib
from pathlib import Path

import numpy as np
import soundfile
import torch
import torchaudio
import torchaudio.functional as TAF
import torchaudio.transforms as TAT

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "parity" / "fixtures"
OUT = FIXTURES / "resample"
AUDIO_DIR = REPO.parent / "shared" / "audio"
if not AUDIO_DIR.is_dir():
    AUDIO_DIR = Path("/work/shared/audio")

GENERATOR = "tests/parity/make_resample_fixtures.py"
SIZE_BUDGET_BYTES = 1_500_000

TOLERANCE = {
    "metric": "maxAbs",
    "max": 1e-5,
    "text": "max |actual - expected| <= 1e-5 over all samples (inputs lie in [-1, 1])",
}

DEFAULT_BETA = 14.769656459379492
# audiomill presets -> kernel parameters (src/dsp/resample.ts).
PRESETS = {
    "torchaudio": dict(lowpassFilterWidth=6, rolloff=0.99, method="sinc_interp_hann", beta=DEFAULT_BETA),
    "kaiser_best": dict(lowpassFilterWidth=64, rolloff=0.9475937167399596, method="sinc_interp_kaiser", beta=DEFAULT_BETA),
    "fast": dict(lowpassFilterWidth=16, rolloff=0.85, method="sinc_interp_kaiser", beta=8.555504641634386),
}
TA_METHOD = {"sinc_interp_hann": "sinc_interpolation", "sinc_interp_kaiser": "kaiser_window"}  # 0.13 names

PAIRS = [(44100, 16000), (48000, 16000), (22050, 16000), (16000, 44100), (8000, 16000)]
TEST_SECONDS = 0.25
SPEECH_STEM = "198-209-0000"
SPEECH_START_S = 0.5
SPEECH_SECONDS = 0.3
SHORT_LENGTHS = (1, 2, 5, 440, 441, 442)  # output-length rule at 44100 -> 16000 (441/160)


def rng_for(label):
    return np.random.default_rng(zlib.crc32(label.encode("utf-8")))


def make_test_signal(sr, label):
    """0.5 * linear chirp 50 Hz -> 0.45 sr plus Gaussian noise (std 0.1), clipped to [-1, 1], float32."""
    n = int(round(sr * TEST_SECONDS))
    t = np.arange(n, dtype=np.float64) / sr
    f0, f1 = 50.0, 0.45 * sr
    chirp = 0.5 * np.sin(2.0 * np.pi * (f0 * t + (f1 - f0) * t * t / (2.0 * TEST_SECONDS)))
    x = chirp + 0.1 * rng_for(label).standard_normal(n)
    return np.clip(x, -1.0, 1.0).astype(np.float32)


def torchaudio_resample(x, orig, new, o, transform=False):
    """F.resample (the fixture), or transforms.Resample (float64 kernel cached as float32) with transform=True."""
    kw = dict(
        lowpass_filter_width=o["lowpassFilterWidth"],
        rolloff=o["rolloff"],
        resampling_method=TA_METHOD[o["method"]],
        beta=o["beta"] if o["method"] == "sinc_interp_kaiser" else None,
    )
    with torch.no_grad():
        if transform:
            y = TAT.Resample(orig, new, **kw)(torch.from_numpy(np.ascontiguousarray(x)))
            return np.ascontiguousarray(y.numpy(), dtype=np.float32)
        y = TAF.resample(
            torch.from_numpy(np.ascontiguousarray(x)),
            orig,
            new,
            lowpass_filter_width=o["lowpassFilterWidth"],
            rolloff=o["rolloff"],
            resampling_method=TA_METHOD[o["method"]],
            beta=o["beta"] if o["method"] == "sinc_interp_kaiser" else None,
        )
    assert y.dtype == torch.float32
    return np.ascontiguousarray(y.numpy(), dtype=np.float32)


def ref_kernel(on, nn, o, arithmetic):
    """The (nn, 2 * width + on) kernel of the documented formula, written from scratch in NumPy.

    arithmetic="float32": as torchaudio.functional.resample computes it for a float32 waveform. F.resample
    passes waveform.dtype to _get_sinc_resample_kernel, so every tensor op runs in float32 and every Python
    scalar (base, pi, lpw, base / orig, beta) enters its op rounded to float32; here sin, cos and I0 are
    evaluated in float64 and rounded once (within an ulp of torch's float32 functions).
    arithmetic="float64": the exact formula in float64 (what transforms.Resample computes before rounding
    its cached kernel to float32)."""
    lpw = o["lowpassFilterWidth"]
    base = min(on, nn) * o["rolloff"]
    width = math.ceil(lpw * on / base)
    kaiser = o["method"] == "sinc_interp_kaiser"
    if arithmetic == "float64":
        t = (np.arange(-width, width + on)[None, :] / on - np.arange(nn)[:, None] / nn) * base
        t = np.clip(t, -lpw, lpw)
        if kaiser:
            w = np.i0(o["beta"] * np.sqrt(1.0 - (t / lpw) ** 2)) / np.i0(o["beta"])
        else:
            w = np.cos(np.pi * t / (2 * lpw)) ** 2
        return np.sinc(t) * w * base / on, width  # np.sinc(t) = sin(pi t) / (pi t)
    f = np.float32
    idx = np.arange(-width, width + on, dtype=f) / f(on)
    phase = -(np.arange(nn, dtype=f) / f(nn))
    t = (phase[:, None] + idx[None, :]) * f(base)
    t = np.clip(t, f(-lpw), f(lpw))
    if kaiser:
        q = t / f(lpw)
        arg = f(o["beta"]) * np.sqrt(f(1) - q * q)
        w = np.i0(arg.astype(np.float64)).astype(f) / f(np.i0(np.float64(f(o["beta"]))))
    else:
        c = np.cos((t * f(np.pi) / f(lpw) / f(2)).astype(np.float64)).astype(f)
        w = c * c
    tp = t * f(np.pi)
    with np.errstate(invalid="ignore", divide="ignore"):
        sinc = np.where(tp == 0, f(1), np.sin(tp.astype(np.float64)).astype(f) / tp)
    return sinc * (w * f(base / on)), width


def ref_resample(x, orig, new, o, arithmetic="float32"):
    """Direct float64 sums y[b * nn + j] = sum_k K[j, k] x[b * on + k - width] with ref_kernel's kernel."""
    g = math.gcd(orig, new)
    on, nn = orig // g, new // g
    x = np.asarray(x, dtype=np.float64)
    if on == nn:
        return x.copy()
    kern, width = ref_kernel(on, nn, o, arithmetic)
    L = x.shape[0]
    blocks = L // on + 1
    xp = np.concatenate([np.zeros(width), x, np.zeros(width + on + on)])
    idx = np.arange(blocks)[:, None] * on + np.arange(2 * width + on)[None, :]
    y = (xp[idx] @ kern.astype(np.float64).T).reshape(-1)
    return y[: math.ceil(nn * L / on)]


class Writer:
    def __init__(self):
        self.signals = {}
        self.signal_meta = []
        self.cases = []
        self.failures = []

    def save(self, rel, arr):
        arr = np.ascontiguousarray(arr, dtype=np.float32)
        assert arr.ndim == 1 and arr.dtype == np.float32
        np.save(OUT / rel, arr, allow_pickle=False)

    def add_signal(self, name, arr, sr, description, source=None):
        assert name not in self.signals, name
        self.signals[name] = arr
        self.save(f"signals/{name}.npy", arr)
        meta = dict(name=name, file=f"signals/{name}.npy", sampleRate=sr, length=int(arr.shape[0]), description=description)
        if source:
            meta["source"] = source
        self.signal_meta.append(meta)

    def add_case(self, name, signal, orig, new, preset, note=None):
        assert not any(c["name"] == name for c in self.cases), name
        x = self.signals[signal]
        o = dict(PRESETS[preset])
        y = torchaudio_resample(x, orig, new, o)
        rel = f"cases/{name}.npy"
        self.save(rel, y)
        want = math.ceil(new * x.shape[0] / orig)
        if y.shape[0] != want:
            self.failures.append(f"{name}: torchaudio length {y.shape[0]} != ceil(new * L / orig) = {want}")
        ref = ref_resample(x, orig, new, o)
        err = float(np.abs(ref - y.astype(np.float64)).max()) if y.size else 0.0
        if not err <= TOLERANCE["max"]:
            self.failures.append(f"{name}: float64 reference misses the tolerance: {err:.3g}")
        exact = ref_resample(x, orig, new, o, arithmetic="float64")
        exact_err = float(np.abs(exact - y.astype(np.float64)).max()) if y.size else 0.0
        yt = torchaudio_resample(x, orig, new, o, transform=True)
        rel_t = f"cases/{name}_transform.npy"
        self.save(rel_t, yt)
        transform_err = float(np.abs(yt.astype(np.float64) - y).max()) if y.size else 0.0
        transform_ref_err = float(np.abs(exact - yt).max()) if y.size else 0.0
        g = math.gcd(orig, new)
        case = dict(
            name=name,
            transform="Resample",
            options=dict(origFreq=orig, newFreq=new, preset=preset, **o),
            torchaudio=dict(
                call="torchaudio.functional.resample",
                orig_freq=orig,
                new_freq=new,
                lowpass_filter_width=o["lowpassFilterWidth"],
                rolloff=o["rolloff"],
                resampling_method=TA_METHOD[o["method"]],
                beta=o["beta"] if o["method"] == "sinc_interp_kaiser" else None,
            ),
            reduced=[orig // g, new // g],
            signal=f"signals/{signal}.npy",
            expected=rel,
            inputLength=int(x.shape[0]),
            outputLength=int(y.shape[0]),
            tolerance="maxAbs",
            float64RefError=float(f"{err:.3g}"),
            exactKernelError=float(f"{exact_err:.3g}"),
            transformResample=dict(
                expected=rel_t,
                maxAbsDiffFromExpected=float(f"{transform_err:.3g}"),
                float64RefError=float(f"{transform_ref_err:.3g}"),
            ),
        )
        if note:
            case["note"] = note
        self.cases.append(case)


def main():
    torch.set_num_threads(1)
    torch.manual_seed(0)
    if OUT.exists():
        shutil.rmtree(OUT)
    for sub in ("signals", "cases"):
        (OUT / sub).mkdir(parents=True)
    w = Writer()

    # ---- signals ----
    for sr in sorted({orig for orig, _ in PAIRS}):
        name = f"test_{sr}"
        w.add_signal(name, make_test_signal(sr, name), sr,
                     f"{TEST_SECONDS:g} s: 0.5 * linear chirp 50 Hz -> {0.45 * sr:g} Hz plus Gaussian noise std 0.1 "
                     f"(numpy default_rng(crc32('{name}'))), clipped to [-1, 1]")
    speech_path = AUDIO_DIR / f"{SPEECH_STEM}.ogg"
    data, file_sr = soundfile.read(str(speech_path), dtype="float64", always_2d=True)
    if file_sr != 22050:
        sys.exit(f"{speech_path.name}: expected 22050 Hz, got {file_sr}")
    start, n = int(round(SPEECH_START_S * file_sr)), int(round(SPEECH_SECONDS * file_sr))
    speech = data.mean(axis=1)[start : start + n].astype(np.float32)
    # The licence: fixtures/attribution/ (written by make_fixtures.py) when present, else a copy beside the signal.
    shared_lic = FIXTURES / "attribution" / f"{SPEECH_STEM}.txt"
    if shared_lic.is_file():
        source = f"../attribution/{SPEECH_STEM}.txt"
    else:
        shutil.copyfile(AUDIO_DIR / f"{SPEECH_STEM}.txt", OUT / f"{SPEECH_STEM}.txt")
        source = f"{SPEECH_STEM}.txt"
    w.add_signal("speech_22050", speech, 22050,
                 f"{SPEECH_SECONDS:g} s excerpt from {SPEECH_START_S:g} s of {speech_path.name} "
                 "(LibriSpeech, CC-BY 4.0; soundfile decode, channel mean, no resampling)", source=source)
    full = w.signals["test_44100"]
    for L in SHORT_LENGTHS:
        w.add_signal(f"short_{L}_44100", np.ascontiguousarray(full[:L]), 44100,
                     f"the first {L} samples of signals/test_44100.npy")

    # ---- cases ----
    for orig, new in PAIRS:
        for preset in PRESETS:
            w.add_case(f"{preset}_{orig}_{new}", f"test_{orig}", orig, new, preset)
    for preset in PRESETS:
        w.add_case(f"{preset}_speech_22050_16000", "speech_22050", 22050, 16000, preset,
                   note="real speech (LibriSpeech 198-209-0000)")
    for L in SHORT_LENGTHS:
        w.add_case(f"torchaudio_short_{L}_44100_16000", f"short_{L}_44100", 44100, 16000, "torchaudio",
                   note=f"L = {L}: output length ceil(160 * L / 441), all outputs at the signal edges")

    index = dict(
        generator=GENERATOR,
        torch=torch.__version__,
        torchaudio=torchaudio.__version__,
        numpy=np.__version__,
        soundfile=soundfile.__version__,
        tolerances={"maxAbs": TOLERANCE},
        presets=PRESETS,
        cases=w.cases,
        signals=w.signal_meta,
    )
    with open(OUT / "index.json", "w", encoding="utf-8") as fh:
        json.dump(index, fh, indent=1, sort_keys=False)
        fh.write("\n")

    total = sum(p.stat().st_size for p in OUT.rglob("*") if p.is_file())
    print(f"{len(w.cases)} cases, {len(w.signals)} signals, {total / 1e6:.2f} MB in {OUT.relative_to(REPO)}")
    worst = max(w.cases, key=lambda c: c["float64RefError"])
    print(f"  float64 reference: max |ref - torchaudio| = {worst['float64RefError']:.3g} ({worst['name']})")
    worst = max(w.cases, key=lambda c: c["exactKernelError"])
    print(f"  exact float64 kernel instead of F.resample's float32 one: {worst['exactKernelError']:.3g} ({worst['name']})")
    worst = max(w.cases, key=lambda c: c["transformResample"]["maxAbsDiffFromExpected"])
    print(f"  transforms.Resample vs F.resample: {worst['transformResample']['maxAbsDiffFromExpected']:.3g} ({worst['name']})")
    if total > SIZE_BUDGET_BYTES:
        print(f"WARNING: resample fixtures take {total / 1e6:.2f} MB, above the {SIZE_BUDGET_BYTES / 1e6:g} MB budget",
              file=sys.stderr)
    if w.failures:
        for msg in w.failures:
            print("FAIL " + msg, file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
