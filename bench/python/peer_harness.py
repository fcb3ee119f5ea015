"""What the Python peers of the dataset benchmarks share (not the work they are measured on): the corpus's WAV
files, a process pool over them, the CSV of rows, and the CPU time of the script and its workers.

The peers import it from their own folder (Python puts a script's folder first on sys.path).
"""
import csv
import json
import os
import resource
from multiprocessing import Pool


def wav_files(root):
    """Every .wav under root, sorted."""
    return sorted(os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs if f.lower().endswith('.wav'))


def pool_map(fn, items, workers):
    """fn over items in `workers` processes, in order; the workers are reaped, so cpu_seconds() counts them."""
    pool = Pool(workers)
    out = pool.map(fn, items, chunksize=8)
    pool.close()
    pool.join()
    return out


def cpu_seconds():
    """User + system CPU seconds of this process and its reaped workers."""
    usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return round(sum(u.ru_utime + u.ru_stime for u in usage), 3)


def qc_flags(s, duration):
    """The manifest's QC flags of a row's statistics (docs/features.md thresholds), and no error."""
    return dict(too_quiet=s['rms_db'] < -50, mostly_silence=s['silence_ratio'] > 0.8, heavily_clipped=s['clip_ratio'] > 0.01,
                too_short=duration < 1, had_error=False, error='')


def rows_main(row, root, out, workers):
    """A manifest peer: row((path, root)) for every WAV file, written as CSV; prints rows, errors and cpu_s as JSON."""
    rows = pool_map(row, [(f, root) for f in wav_files(root)], workers)
    cols = []
    for r in rows:
        cols += [c for c in r if c not in cols]
    with open(out, 'w', newline='') as fh:
        w = csv.DictWriter(fh, fieldnames=cols)
        w.writeheader()
        w.writerows(rows)
    print(json.dumps({'rows': len(rows), 'errors': sum(1 for r in rows if r['had_error']), 'cpu_s': cpu_seconds()}))
