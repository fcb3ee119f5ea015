#!/usr/bin/python3
"""Raven-style selection measurement fixtures (tests/parity/fixtures/raven/).

An independent float64 NumPy implementation of the Raven Pro 1.4/1.5 selection measurements (as
tabulated in PeerJ 2020;8:e10197) with the choices documented in native/core/features/raven.h and docs/features.md ("Raven selection
measurements"). Run it after make_fixtures.py, which deletes fixtures/ entirely:

    /usr/bin/python3 tests/parity/make_fixtures.py
    /usr/bin/python3 tests/parity/make_raven_fixtures.py   # rewrites fixtures/raven/ only

Deterministic: fixed seeds (crc32 of the signal name); two runs give byte-identical files.
"""
import json
import math
import os
import shutil
import sys
import zlib

import numpy as np
import soundfile

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, 'fixtures', 'raven')
ROBIN = '456440__inspectorj__bird-whistling-robin-single-13'

COLUMNS = ['Dur 50% (s)', 'Dur 90% (s)', 'Center Freq (Hz)', 'Freq 5% (Hz)', 'Freq 25% (Hz)', 'Freq 75% (Hz)',
           'Freq 95% (Hz)', 'BW 50% (Hz)', 'BW 90% (Hz)', 'Avg Entropy (bits)', 'Agg Entropy (bits)',
           'Peak Freq (Hz)']


def find_audio(name):
    for root in (os.path.join(HERE, '..', '..', '..', 'shared', 'audio'), '/work/shared/audio'):
        p = os.path.join(root, name + '.ogg')
        if os.path.exists(p):
            return p
    sys.exit('cannot find shared/audio/%s.ogg' % name)


def rng(name):
    return np.random.default_rng(zlib.crc32(name.encode()))


def window(kind, n):
    a = 2.0 * np.pi * np.arange(n) / n  # periodic forms (denominator n)
    if kind == 'hann':
        return 0.5 - 0.5 * np.cos(a)
    if kind == 'hamming':
        return 0.54 - 0.46 * np.cos(a)
    if kind == 'blackman':
        return 0.42 - 0.5 * np.cos(a) + 0.08 * np.cos(2 * a)
    if kind == 'rectangular':
        return np.ones(n)
    raise ValueError(kind)


def round_half_up(v):
    return int(math.floor(v + 0.5))  # v >= 0 here, so this is round half away from zero


def first_reaching(e, total, frac):
    idx = np.nonzero(np.cumsum(e) >= frac * total)[0]
    return int(idx[0]) if idx.size else len(e) - 1


def entropy(p, total):
    q = p[p > 0] / total
    return float(-(q * np.log2(q)).sum())


def measure(x, sr, sel, cfg):
    """x: float64 signal; sel: (begin_s, end_s, low_hz, high_hz)."""
    begin, end, low, high = sel
    n = len(x)
    dur = n / sr
    assert end > begin and high > low >= 0 and high <= sr / 2 and end > 0 and begin < dur
    b = min(max(round_half_up(max(0.0, begin) * sr), 0), n)
    e = min(max(round_half_up(min(dur, end) * sr), 0), n)
    assert e > b
    W, N, hop = cfg['windowSize'], cfg['fftSize'], cfg['hop']
    slices = 1 + -(-max(0, (e - b) - W) // hop)
    df = sr / N
    nb = N // 2 + 1
    inside = [j for j in range(nb) if low <= j * df <= high]
    if inside:
        lo, hi = inside[0], inside[-1]
    else:
        lo = hi = min(max(int(math.floor((low + high) / 2 / df + 0.5)), 0), nb - 1)
    box = np.zeros(slices * hop + W)
    box[:e - b] = x[b:e]  # samples at or after e count as zeros
    frames = np.stack([box[i * hop:i * hop + W] for i in range(slices)]) * window(cfg['window'], W)
    P = np.abs(np.fft.rfft(frames, n=N, axis=1)[:, lo:hi + 1]) ** 2
    ef, et = P.sum(axis=0), P.sum(axis=1)
    total = ef.sum()
    geometry = {'firstSample': b, 'endSample': e, 'slices': slices, 'firstBin': lo, 'bins': hi - lo + 1}
    if not total > 0:
        return dict({c: None for c in COLUMNS}, **geometry)
    f = {p: (lo + first_reaching(ef, total, p / 100)) * df for p in (5, 25, 50, 75, 95)}
    t = {p: first_reaching(et, total, p / 100) * hop / sr for p in (5, 25, 75, 95)}
    i_pk, j_pk = np.unravel_index(int(np.argmax(P)), P.shape)  # first maximum in row-major order
    avg = [entropy(P[i], et[i]) for i in range(slices) if et[i] > 0]
    out = {
        'Dur 50% (s)': t[75] - t[25], 'Dur 90% (s)': t[95] - t[5], 'Center Freq (Hz)': f[50],
        'Freq 5% (Hz)': f[5], 'Freq 25% (Hz)': f[25], 'Freq 75% (Hz)': f[75], 'Freq 95% (Hz)': f[95],
        'BW 50% (Hz)': f[75] - f[25], 'BW 90% (Hz)': f[95] - f[5],
        'Avg Entropy (bits)': float(np.mean(avg)), 'Agg Entropy (bits)': entropy(ef, total),
        'Peak Freq (Hz)': (lo + int(j_pk)) * df,
    }
    out.update(geometry)
    return out


def signals():
    sr = 22050
    out = {}
    # Tone at 3 kHz for 0.2-0.7 s over quiet noise, then a 6 kHz burst at 0.75-0.95 s.
    t = np.arange(sr) / sr
    x = rng('tones_22050').normal(0.0, 1e-3, sr)
    x += np.where((t >= 0.2) & (t < 0.7), 0.5 * np.sin(2 * np.pi * 3000 * t), 0.0)
    x += np.where((t >= 0.75) & (t < 0.95), 0.3 * np.sin(2 * np.pi * 6000 * t), 0.0)
    out['tones_22050'] = (x.astype(np.float32), sr, None, [
        (0.0, 1.0, 0.0, 11025.0), (0.15, 0.75, 1000.0, 5000.0), (0.7, 1.0, 4000.0, 8000.0),
        (0.3, 0.32, 2500.0, 3500.0), (0.9, 1.4, 100.0, 9000.0)])
    # White Gaussian noise at 16 kHz, with a 2-4 kHz band-limited segment at 0.5-1.0 s.
    sr2 = 16000
    r = rng('noise_16000')
    y = r.normal(0.0, 0.1, sr2)
    spec = np.fft.rfft(r.normal(0.0, 0.3, sr2))
    fr = np.fft.rfftfreq(sr2, 1 / sr2)
    spec[(fr < 2000) | (fr > 4000)] = 0
    band = np.fft.irfft(spec, n=sr2)
    y[sr2 // 2:] = band[sr2 // 2:]
    out['noise_16000'] = (y.astype(np.float32), sr2, None, [
        (0.0, 0.5, 0.0, 8000.0), (0.1, 0.4, 1000.0, 3000.0), (0.5, 1.0, 0.0, 8000.0),
        (0.55, 0.95, 1500.0, 5000.0), (-0.1, 0.2, 3000.0, 3010.0)])
    # The robin call: 0.1-2.1 s of the recording (22.05 kHz mono), channels averaged.
    z, zsr = soundfile.read(find_audio(ROBIN), dtype='float64', always_2d=True)
    assert zsr == 22050
    z = z.mean(axis=1)[int(0.1 * zsr):int(2.1 * zsr)]
    out['robin_22050'] = (z.astype(np.float32), zsr, 'attribution/%s.txt' % ROBIN, [
        (0.05, 0.35, 1000.0, 10000.0), (0.35, 0.65, 2000.0, 9000.0), (0.6, 1.1, 1500.0, 8000.0),
        (1.2, 1.55, 2000.0, 10000.0), (1.6, 1.9, 3000.0, 7000.0), (0.0, 2.0, 0.0, 11025.0),
        (1.8, 2.5, 500.0, 11025.0)])
    return out


CONFIGS = {
    'default': {'windowSize': 512, 'fftSize': 512, 'hop': 256, 'window': 'hann'},
    'hamming400': {'windowSize': 400, 'fftSize': 1024, 'hop': 100, 'window': 'hamming'},
}


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(os.path.join(OUT, 'signals'))
    cases, sigs = [], {}
    for name, (x, sr, source, selections) in signals().items():
        path = 'signals/%s.npy' % name
        np.save(os.path.join(OUT, path), x)
        sigs[name] = {'path': path, 'sampleRate': sr, 'length': int(len(x)), 'source': source}
        for cname, cfg in CONFIGS.items():
            xd = x.astype(np.float64)
            cases.append({
                'name': '%s_%s' % (name, cname), 'signal': name, 'sampleRate': sr, 'config': cfg,
                'selections': [{'begin': s[0], 'end': s[1], 'low': s[2], 'high': s[3]} for s in selections],
                'expected': [measure(xd, sr, s, cfg) for s in selections],
            })
    index = {
        'generator': 'tests/parity/make_raven_fixtures.py', 'numpy': np.__version__,
        'soundfile': soundfile.__version__, 'columns': COLUMNS, 'signals': sigs, 'cases': cases,
        'tolerances': {
            'frequency': 'within one bin (sampleRate / fftSize): threshold and argmax measures may move by one bin',
            'duration': 'within one hop (hop / sampleRate)',
            'entropy': 'abs <= 1e-4 bits',
        },
    }
    with open(os.path.join(OUT, 'index.json'), 'w') as fh:
        json.dump(index, fh, indent=1, sort_keys=True)
        fh.write('\n')
    size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(OUT) for f in fs)
    print('raven fixtures: %d cases, %d selections, %.1f KB' % (
        len(cases), sum(len(c['selections']) for c in cases), size / 1024))
    if size > 500 * 1024:
        print('warning: raven fixtures above 500 KB', file=sys.stderr)


if __name__ == '__main__':
    main()
