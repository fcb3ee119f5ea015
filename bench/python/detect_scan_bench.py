#!/usr/bin/python3
"""The Python peer of `audiomill detect` in bench/detect.mjs: what a user writes to scan a long tape with a window
classifier, as the seed workflow's prediction step does: soundfile reads the tape block by block, windows of 0.4 s
every 0.05 s are cut in batches of 256, torchaudio computes the batch's MelSpectrogram(48 kHz, n_fft 2048, hop 1024,
64 mels) and AmplitudeToDB(top_db 80, per window as audiomill's logmel frontend clamps), the same CNN as
bench/models/scan-cnn(-wide).onnx (bench/python/make_scan_classifier.py, same seed, so the same weights) scores them in
torch, and windows above the threshold are merged into selections. 2 torch threads.

    detect_scan_bench.py <tape.wav> <threshold> [scan-cnn | scan-cnn-wide]

Prints one JSON line: windows, selections, cpu_s.
"""
import json
import os
import resource
import sys

import numpy as np
import soundfile as sf
import torch
import torchaudio

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_scan_classifier import VARIANTS, seeded  # noqa: E402

RATE, WIN, HOP, BATCH = 48000, 19200, 2400, 256


def main():
    tape, threshold = sys.argv[1], float(sys.argv[2])
    variant = sys.argv[3] if len(sys.argv) > 3 else "scan-cnn"
    torch.set_num_threads(2)
    model = seeded(*VARIANTS[variant])
    mel = torchaudio.transforms.MelSpectrogram(sample_rate=RATE, n_fft=2048, hop_length=1024, n_mels=64)
    db = torchaudio.transforms.AmplitudeToDB(top_db=80)
    scores = []
    buf = np.zeros(0, dtype=np.float32)
    start = 0  # tape sample of buf[0]
    nxt = 0
    with sf.SoundFile(tape) as f, torch.no_grad():
        total = f.frames
        while nxt < total:
            block = f.read(RATE * 10, dtype="float32")
            buf = np.concatenate([buf[nxt - start:], block])
            start = nxt
            starts = []
            while nxt < total and (nxt + WIN <= start + len(buf) or len(block) == 0):
                starts.append(nxt)
                nxt += HOP
            for i in range(0, len(starts), BATCH):
                part = starts[i:i + BATCH]
                w = np.zeros((len(part), WIN), dtype=np.float32)
                for k, s in enumerate(part):
                    seg = buf[s - start:s - start + WIN]
                    w[k, :len(seg)] = seg
                # [B, 1, 64, 19]: batched, with top_db per window (AmplitudeToDB takes the max per item of a 4-D input)
                feats = db(mel(torch.from_numpy(w).unsqueeze(1)))
                scores.append(torch.sigmoid(model(feats)).squeeze(1).numpy())
            if len(block) == 0:
                break
    s = np.concatenate(scores) if scores else np.zeros(0)
    hits = s >= threshold
    selections = int(np.sum(hits[1:] & ~hits[:-1]) + (1 if len(hits) and hits[0] else 0))
    ru = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"windows": int(len(s)), "selections": selections, "cpu_s": ru.ru_utime + ru.ru_stime}))


if __name__ == "__main__":
    main()
