#!/usr/bin/python3
"""Makes the decoding fixtures in tests/audio/fixtures/ (committed; tests need no Python).

Run from the repository root with Debian's python3 (numpy, soundfile) and sox + ffmpeg:
    apt-get install python3-numpy python3-soundfile sox libsox-fmt-all ffmpeg
    /usr/bin/python3 tests/audio/make_audio_fixtures.py

What it writes:
  files/       small audio files in every format and encoding loadAudio reads, made from excerpts
               of the CC-licensed recordings in ../shared/audio (stereo: left trumpet, right bird),
               by soundfile (WAV variants, FLAC), sox (WAV from another writer) and ffmpeg
               (MP3 with and without a Xing tag, Ogg Vorbis, Opus)
  shared/      copies of the recordings in ../shared/audio with their attribution files
  refs/        what soundfile (libsndfile 1.2) decodes from each file: <name>.npy, float32, shaped
               (channels, frames); for the full recordings in shared/, excerpts plus whole-file
               statistics, to keep the fixtures small
  index.json   per file: format, codec, rate, channels, frames as soundfile reports them
"""
import json
import os
import shutil
import subprocess
import sys

import numpy as np
import soundfile as sf

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, 'fixtures')
SHARED = os.path.normpath(os.path.join(HERE, '..', '..', '..', 'shared', 'audio'))
RECORDINGS = ['198-209-0000', '456440__inspectorj__bird-whistling-robin-single-13', 'sorohanro_-_solo-trumpet-06']


def run(*cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def save_ref(name, x):
    np.save(os.path.join(OUT, 'refs', name + '.npy'), np.ascontiguousarray(x.T.astype('<f4')))


def main():
    for tool in ('sox', 'ffmpeg'):
        if shutil.which(tool) is None:
            sys.exit(f'{tool} is missing: apt-get install sox libsox-fmt-all ffmpeg')
    shutil.rmtree(OUT, ignore_errors=True)
    for d in ('files', 'shared', 'refs'):
        os.makedirs(os.path.join(OUT, d))
    index = {}

    # The shared recordings themselves (Ogg Vorbis, 22.05 kHz mono) with their licences.
    for rec in RECORDINGS:
        for ext in ('.ogg', '.txt'):
            shutil.copy(os.path.join(SHARED, rec + ext), os.path.join(OUT, 'shared', rec + ext))
        x, sr = sf.read(os.path.join(SHARED, rec + '.ogg'), dtype='float32', always_2d=True)
        n = x.shape[0]
        mid = n // 2
        index['shared/' + rec + '.ogg'] = {
            'format': 'ogg', 'codec': 'VORBIS', 'sampleRate': sr, 'channels': x.shape[1], 'numFrames': n,
            'excerpts': {'0': 22050, str(mid): 4096, str(n - 4096): 4096},
            'sum': float(np.sum(x, dtype=np.float64)), 'sumSquares': float(np.sum(x.astype(np.float64) ** 2)),
        }
        for start, length in ((0, 22050), (mid, 4096), (n - 4096, 4096)):
            save_ref(f'{rec}.{start}', x[start:start + length])

    # A 0.3 s stereo test signal: left a trumpet excerpt, right a bird excerpt, at 22.05 kHz.
    trumpet, sr = sf.read(os.path.join(SHARED, 'sorohanro_-_solo-trumpet-06.ogg'), dtype='float64')
    bird, _ = sf.read(os.path.join(SHARED, '456440__inspectorj__bird-whistling-robin-single-13.ogg'), dtype='float64')
    n = int(0.3 * sr)
    stereo = np.stack([trumpet[sr:sr + n], bird[sr // 2:sr // 2 + n]], axis=1)
    stereo *= 0.95 / np.max(np.abs(stereo))
    stereo[10, 0], stereo[11, 1] = 1.0, -1.0  # full-scale samples exercise the scaling ends

    def add(name, fmt, codec, extra=None):
        info = sf.info(os.path.join(OUT, 'files', name)) if codec is not None else None
        x, rate = sf.read(os.path.join(OUT, 'files', name), dtype='float32', always_2d=True)
        save_ref(name, x)
        index['files/' + name] = {'format': fmt, 'codec': codec or (info and info.subtype), 'sampleRate': rate,
                                  'channels': x.shape[1], 'numFrames': x.shape[0], **(extra or {})}

    # WAV written by libsndfile in every encoding, plus WAVE_FORMAT_EXTENSIBLE and RF64.
    for subtype in ('PCM_U8', 'PCM_16', 'PCM_24', 'PCM_32', 'FLOAT', 'DOUBLE', 'ULAW', 'ALAW'):
        name = f'stereo_{subtype.lower()}.wav'
        sf.write(os.path.join(OUT, 'files', name), stereo, sr, subtype=subtype, format='WAV')
        add(name, 'wav', subtype)
    sf.write(os.path.join(OUT, 'files', 'stereo_pcm_24.wavex.wav'), stereo, sr, subtype='PCM_24', format='WAVEX')
    add('stereo_pcm_24.wavex.wav', 'wav', 'PCM_24')
    sf.write(os.path.join(OUT, 'files', 'stereo_float.rf64.wav'), stereo, sr, subtype='FLOAT', format='RF64')
    add('stereo_float.rf64.wav', 'wav', 'FLOAT')
    # WAV from another writer (sox: 44.1 kHz, 16-bit, a LIST chunk from its comment).
    run('sox', os.path.join(OUT, 'files', 'stereo_pcm_16.wav'), '-r', '44100', '--comment', 'made by sox',
        os.path.join(OUT, 'files', 'sox_44k_pcm_16.wav'))
    add('sox_44k_pcm_16.wav', 'wav', 'PCM_16')

    # FLAC (exact), 16- and 24-bit.
    for subtype in ('PCM_16', 'PCM_24'):
        name = f'stereo_{subtype.lower()}.flac'
        sf.write(os.path.join(OUT, 'files', name), stereo, sr, subtype=subtype, format='FLAC')
        add(name, 'flac', subtype)

    # Lossy codecs from ffmpeg at 44.1 / 48 kHz.
    src = os.path.join(OUT, 'files', 'sox_44k_pcm_16.wav')
    ff = ['ffmpeg', '-nostdin', '-loglevel', 'error', '-y', '-bitexact', '-i', src]
    run(*ff, '-c:a', 'libmp3lame', '-b:a', '128k', os.path.join(OUT, 'files', 'stereo_lame.mp3'))
    add('stereo_lame.mp3', 'mp3', 'MPEG_LAYER_III')
    run(*ff, '-c:a', 'libmp3lame', '-b:a', '96k', '-ac', '1', '-write_xing', '0', os.path.join(OUT, 'files', 'mono_noxing.mp3'))
    add('mono_noxing.mp3', 'mp3', 'MPEG_LAYER_III')
    run(*ff, '-c:a', 'libvorbis', '-q:a', '3', os.path.join(OUT, 'files', 'stereo_vorbis.ogg'))
    add('stereo_vorbis.ogg', 'ogg', 'VORBIS')
    run(*ff, '-c:a', 'libopus', '-b:a', '64k', os.path.join(OUT, 'files', 'stereo_opus.opus'))
    add('stereo_opus.opus', 'opus', 'OPUS')

    with open(os.path.join(OUT, 'index.json'), 'w') as f:
        json.dump(index, f, indent=1, sort_keys=True)
        f.write('\n')
    total = sum(os.path.getsize(os.path.join(r, x)) for r, _, fs in os.walk(OUT) for x in fs)
    print(f'wrote {len(index)} fixtures, {total / 1e6:.2f} MB, to {OUT}')


if __name__ == '__main__':
    main()
