#!/usr/bin/python3
"""Times torchaudio 0.13 decoding + resampling 44.1 kHz -> 16 kHz on one thread (bench/audio.mjs).

    resample_bench.py <file.wav> <out.f32> <reps>

Prints one JSON line: for 'sinc_interp_kaiser' (0.13's 'kaiser_window') and 'sinc_interp_hann'
('sinc_interpolation'), the best and median ms of torchaudio.load + F.resample; writes the
kaiser output as raw float32 to <out.f32> so the caller can compare samples.
"""
import json
import sys
import time

import torch
import torchaudio
import torchaudio.functional as F

torch.set_num_threads(1)
path, out, reps = sys.argv[1], sys.argv[2], int(sys.argv[3])
result = {'torch': torch.__version__, 'torchaudio': torchaudio.__version__}
for name, method in (('sinc_interp_kaiser', 'kaiser_window'), ('sinc_interp_hann', 'sinc_interpolation')):
    times = []
    y = None
    for i in range(reps + 1):
        t0 = time.perf_counter()
        x, sr = torchaudio.load(path)
        y = F.resample(x, sr, 16000, resampling_method=method)
        dt = (time.perf_counter() - t0) * 1e3
        if i > 0:  # the first call warms up
            times.append(dt)
    times.sort()
    result[name] = {'bestMs': times[0], 'medianMs': times[len(times) // 2], 'reps': len(times)}
    if method == 'kaiser_window':
        y[0].numpy().astype('<f4').tofile(out)
print(json.dumps(result))
