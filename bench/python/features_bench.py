#!/usr/bin/env python3
"""torchaudio 0.13 peer for bench/features.mjs (the dB / long-signal / many-clips workloads).

Times, on one intra-op thread (torch.set_num_threads(1)) under torch.no_grad(), pinned to CPU 0:
  meldb   AmplitudeToDB(top_db=80)(MelSpectrogram(...)(x)) on the whole signal
  logmel  the same idiom (torchaudio has no fused log-mel); the audiomill side runs LogMelSpectrogram
  clips   the same idiom on each of the signal's 5-s pieces, one call per clip
for config A of bench/configs.json. Prints one JSON object. Run with /usr/bin/python3 (Debian torch).

  /usr/bin/python3 bench/python/features_bench.py --signal FILE [--reps 7] [--warmup 2]
      [--clip-seconds 5] [--dump DIR]
"""
import argparse
import json
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--signal', required=True)
    p.add_argument('--config', default='A')
    p.add_argument('--warmup', type=int, default=2)
    p.add_argument('--reps', type=int, default=7)
    p.add_argument('--clip-seconds', type=float, default=5.0)
    p.add_argument('--workloads', default='meldb,logmel,clips')
    p.add_argument('--dump', default=None, help='write the meldb output of the whole signal to DIR and exit')
    args = p.parse_args()
    if hasattr(os, 'sched_setaffinity'):
        os.sched_setaffinity(0, {0})
    for var in ('OMP_NUM_THREADS', 'MKL_NUM_THREADS', 'OPENBLAS_NUM_THREADS'):
        os.environ.setdefault(var, '1')

    import numpy as np
    import torch
    import torchaudio

    torch.set_num_threads(1)
    with open(os.path.join(BENCH, 'configs.json')) as f:
        cfg = json.load(f)[args.config]
    x = np.fromfile(args.signal, dtype='<f4')
    w = torch.from_numpy(x.copy()).unsqueeze(0)
    clip_len = int(round(args.clip_seconds * cfg['sampleRate']))
    clips = [w[:, i:i + clip_len].clone() for i in range(0, w.shape[-1] - clip_len + 1, clip_len)]
    mel = torchaudio.transforms.MelSpectrogram(
        sample_rate=cfg['sampleRate'], n_fft=cfg['nFft'], win_length=cfg['winLength'], hop_length=cfg['hopLength'],
        n_mels=cfg['nMels'], norm=cfg['norm'], mel_scale=cfg['melScale'], pad_mode=cfg['padMode'], center=True,
        power=2.0)
    db = torchaudio.transforms.AmplitudeToDB(stype='power', top_db=cfg['topDb'])

    out = {'torch': torch.__version__, 'torchaudio': torchaudio.__version__, 'threads': torch.get_num_threads(),
           'affinity': sorted(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else None, 'results': {}}
    with torch.no_grad():
        if args.dump:
            y = db(mel(w)).squeeze(0).contiguous().numpy().astype('<f4')
            os.makedirs(args.dump, exist_ok=True)
            y.tofile(os.path.join(args.dump, 'torchaudio_meldb.f32'))
            out['dumped'] = list(y.shape)
            print(json.dumps(out))
            return
        runs = {
            'meldb': lambda: db(mel(w)),
            'logmel': lambda: db(mel(w)),
            'clips': lambda: [db(mel(c)) for c in clips],
        }
        for name in [n for n in args.workloads.split(',') if n]:
            fn = runs[name]
            for _ in range(args.warmup):
                fn()
            times = []
            for _ in range(args.reps):
                t0 = time.perf_counter()
                fn()
                times.append((time.perf_counter() - t0) * 1000.0)
            out['results'][name] = {'timesMs': times, 'bestMs': min(times), 'medianMs': statistics.median(times),
                                    'audioSeconds': w.shape[-1] / cfg['sampleRate'] if name != 'clips' else
                                    len(clips) * clip_len / cfg['sampleRate'], 'clips': len(clips) if name == 'clips' else None}
    print(json.dumps(out))


if __name__ == '__main__':
    sys.exit(main())
