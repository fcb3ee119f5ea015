#!/usr/bin/python3
"""The Python peer of `audiomill embed --model builtin:logmel-stats` (bench/embed.mjs): what a user writes for a
classic log-mel statistics embedding of a folder of clips: soundfile to read, torchaudio to resample to 16 kHz
(F.resample, its default kernel) and for MelSpectrogram(n_fft=400, hop_length=160, n_mels=64) + AmplitudeToDB
(no top_db), numpy for the mean and the (ddof 1) standard deviation of every band over time, np.save of the
[N, 128] matrix; 2 processes with multiprocessing, one torch thread each.

    embed_logmel_bench.py <corpus dir> <out.npy> <workers>

Prints one JSON line: rows, errors, cpu_s (user + system CPU seconds of this process and its workers).
"""
import json
import sys

import numpy as np
import soundfile as sf
import torch
import torchaudio

from peer_harness import cpu_seconds, pool_map, wav_files

RATE = 16000
_mel = None


def embed(path):
    global _mel
    if _mel is None:
        torch.set_num_threads(1)
        _mel = torch.nn.Sequential(torchaudio.transforms.MelSpectrogram(sample_rate=RATE, n_fft=400, hop_length=160, n_mels=64),
                                   torchaudio.transforms.AmplitudeToDB())
    try:
        x, sr = sf.read(path, dtype='float32', always_2d=True)
        w = torch.from_numpy(x.mean(axis=1))
        if sr != RATE:
            w = torchaudio.functional.resample(w, sr, RATE)
        with torch.no_grad():
            m = _mel(w).numpy()  # [64, T]
        return np.concatenate([m.mean(axis=1), m.std(axis=1, ddof=1)]).astype(np.float32)
    except Exception:  # noqa: BLE001 - a bad file is skipped and counted
        return None


def main():
    root, out, workers = sys.argv[1], sys.argv[2], int(sys.argv[3])
    vecs = pool_map(embed, wav_files(root), workers)
    good = [v for v in vecs if v is not None]
    np.save(out, np.stack(good))
    print(json.dumps({'rows': len(good), 'errors': len(vecs) - len(good), 'cpu_s': cpu_seconds()}))


if __name__ == '__main__':
    main()
