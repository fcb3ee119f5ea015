#!/usr/bin/env python3
"""torchaudio 0.13 peer for the audiomill benchmark.

Times torchaudio's idiomatic log-mel (transforms.MelSpectrogram followed by
transforms.AmplitudeToDB(top_db=80)) and compliance.kaldi.fbank (config E) on
the shared signal files written by bench/signal.mjs, with one intra-op thread
(torch.set_num_threads(1)), under torch.no_grad(), pinned to CPU 0. Prints one
JSON object.

Run with the Debian interpreter that has torch: /usr/bin/python3.

  /usr/bin/python3 bench/python/torchaudio_bench.py [--configs A,B,...] [--reps 7]
      [--warmup 2] [--min-time 1.5] [--seconds S] [--dump DIR] [--no-pin]

--dump DIR writes each output as DIR/torchaudio_<config>.f32 (+ .json with the
shape) for the output check in bench/run.mjs, and skips timing.
"""
import argparse
import contextlib
import json
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--configs', default='A,B,C,D,E')
    p.add_argument('--signal-dir', default=os.path.join(BENCH, 'results', 'tmp'))
    p.add_argument('--warmup', type=int, default=2)
    p.add_argument('--reps', type=int, default=7, help='minimum timed repetitions')
    p.add_argument('--max-reps', type=int, default=30)
    p.add_argument('--min-time', type=float, default=1.5, help='keep repeating (up to --max-reps) until this many seconds')
    p.add_argument('--seconds', type=float, default=None, help='use only the first S seconds of the signal')
    p.add_argument('--threads', type=int, default=1)
    p.add_argument('--dump', default=None)
    p.add_argument('--no-pin', action='store_true')
    p.add_argument('--grad-mode', choices=('no_grad', 'inference', 'none'), default='no_grad',
                   help='autograd context; no_grad is the fastest here (inference_mode measured ~1.5x slower on torch 1.13)')
    return p.parse_args()


def main():
    args = parse_args()
    if not args.no_pin and hasattr(os, 'sched_setaffinity'):
        os.sched_setaffinity(0, {0})
    for var in ('OMP_NUM_THREADS', 'MKL_NUM_THREADS', 'OPENBLAS_NUM_THREADS'):
        os.environ.setdefault(var, str(args.threads))

    import numpy as np
    import torch
    import torchaudio
    from torchaudio.compliance import kaldi

    torch.set_num_threads(args.threads)
    with open(os.path.join(BENCH, 'configs.json')) as f:
        configs = json.load(f)

    def load(cfg):
        path = os.path.join(args.signal_dir, 'signal_%d.f32' % cfg['sampleRate'])
        if not os.path.exists(path):
            sys.exit('%s is missing: run `node bench/signal.mjs` first' % path)
        x = np.fromfile(path, dtype='<f4')
        if args.seconds:
            x = x[: int(round(args.seconds * cfg['sampleRate']))]
        w = torch.from_numpy(x.copy()).unsqueeze(0)  # (1, time)
        if cfg['kind'] == 'kaldi':
            w = w * 32768.0  # Kaldi reads int16 samples unscaled
        return w

    def pipeline(cfg):
        if cfg['kind'] == 'kaldi':
            fl, fs, nb = cfg['frameLength'], cfg['frameShift'], cfg['numMelBins']
            sr = cfg['sampleRate']
            return lambda w: kaldi.fbank(w, num_mel_bins=nb, frame_length=fl, frame_shift=fs,
                                         sample_frequency=sr, dither=0.0)
        mel = torchaudio.transforms.MelSpectrogram(
            sample_rate=cfg['sampleRate'], n_fft=cfg['nFft'], win_length=cfg['winLength'],
            hop_length=cfg['hopLength'], n_mels=cfg['nMels'], norm=cfg['norm'], mel_scale=cfg['melScale'],
            pad_mode=cfg['padMode'], center=True, power=2.0)
        db = torchaudio.transforms.AmplitudeToDB(stype='power', top_db=cfg['topDb'])

        def run(w):
            return db(mel(w))
        return run

    out = {
        'contender': 'torchaudio',
        'torch': torch.__version__,
        'torchaudio': torchaudio.__version__,
        'python': sys.version.split()[0],
        'threads': torch.get_num_threads(),
        'affinity': sorted(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else None,
        'blas': {k: os.environ.get(k) for k in ('OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE', 'OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS')},
        'results': [],
    }
    ctx = {'no_grad': torch.no_grad, 'inference': torch.inference_mode}.get(args.grad_mode)
    out['gradMode'] = args.grad_mode
    with (ctx() if ctx else contextlib.nullcontext()):
        for cid in [c for c in args.configs.split(',') if c]:
            cfg = configs[cid]
            w = load(cfg)
            fn = pipeline(cfg)
            audio_seconds = w.shape[-1] / cfg['sampleRate']
            if args.dump:
                y = fn(w)
                y = y.squeeze(0) if cfg['kind'] != 'kaldi' else y
                os.makedirs(args.dump, exist_ok=True)
                base = os.path.join(args.dump, 'torchaudio_%s' % cid)
                y.contiguous().numpy().astype('<f4').tofile(base + '.f32')
                with open(base + '.json', 'w') as f:
                    json.dump({'config': cid, 'shape': list(y.shape)}, f)
                out['results'].append({'config': cid, 'dumped': base + '.f32', 'shape': list(y.shape)})
                continue
            for _ in range(args.warmup):
                y = fn(w)
            times = []
            t_start = time.perf_counter()
            while len(times) < args.reps or (len(times) < args.max_reps and time.perf_counter() - t_start < args.min_time):
                t0 = time.perf_counter()
                y = fn(w)
                times.append((time.perf_counter() - t0) * 1000.0)
            best, med = min(times), statistics.median(times)
            out['results'].append({
                'config': cid, 'shape': list(y.squeeze(0).shape) if cfg['kind'] != 'kaldi' else list(y.shape),
                'audioSeconds': audio_seconds, 'timesMs': times, 'reps': len(times),
                'bestMs': best, 'medianMs': med, 'worstMs': max(times),
                'spread': (max(times) - best) / med if med > 0 else 0,
                'xRealtimeBest': audio_seconds / (best / 1000.0), 'xRealtimeMedian': audio_seconds / (med / 1000.0),
            })
    try:
        import resource
        out['maxRssKb'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    except ImportError:
        pass
    print(json.dumps(out))


if __name__ == '__main__':
    main()
