"""Tiny ONNX encoders for fast tests of OnnxEncoder's layouts, windows and errors (tests/unit/onnx-layouts.test.ts).

Run from the repository root with Debian's python3-torch (1.13): /usr/bin/python3 tests/models/make_tiny_encoders.py
Writes tests/models/tiny_*.onnx (a few kB each) and tests/models/tiny_expected.json, all committed.

- tiny_frames_<layout>.onnx: one function of a window of mel frames (a 3x3 convolution over bands x frames, ReLU,
  a linear map of each frame to 6 values, the mean over frames), exported once per input layout with the same
  weights: [B, T, F], [B, T, F, 1], [B, 1, F, T] and [B, F, T]. Fed the same frames, every layout must give the
  same embedding; a wrong transposition would not.
- tiny_wave.onnx: a 1-D convolution (kernel 64, stride 32) over raw samples [B, N], ReLU, mean over time, a
  linear map to 5 values. tiny_expected.json holds torch's output for 1,600-sample windows every 800 samples of a
  fixed test signal, so the waveform path is checked against torch itself.
"""
import json
import math
import os

import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)))
F = 8  # mel bands


class Frames(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(1, 3, 3, padding=1)
        self.proj = torch.nn.Linear(3 * F, 6)

    def core(self, x):  # x [B, 1, F, T]
        y = torch.relu(self.conv(x))  # [B, 3, F, T]
        y = y.permute(0, 3, 1, 2).flatten(2)  # [B, T, 3F]
        return self.proj(y).mean(1)  # [B, 6]


class Layout(torch.nn.Module):
    def __init__(self, core, layout):
        super().__init__()
        self.core = core
        self.layout = layout

    def forward(self, x):
        if self.layout == 'batch,frames,features':
            x = x.permute(0, 2, 1).unsqueeze(1)
        elif self.layout == 'batch,frames,features,1':
            x = x.squeeze(3).permute(0, 2, 1).unsqueeze(1)
        elif self.layout == 'batch,features,frames':
            x = x.unsqueeze(1)
        return self.core.core(x)


class Wave(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv1d(1, 4, 64, stride=32)
        self.proj = torch.nn.Linear(4, 5)

    def forward(self, x):  # [B, N]
        y = torch.relu(self.conv(x.unsqueeze(1)))  # [B, 4, T]
        return self.proj(y.mean(2))  # [B, 5]


def main():
    torch.manual_seed(7)
    core = Frames().eval()
    shapes = {
        'batch,frames,features': (1, 20, F),
        'batch,frames,features,1': (1, 20, F, 1),
        'batch,1,features,frames': (1, 1, F, 20),
        'batch,features,frames': (1, F, 20),
    }
    time_axis = {'batch,frames,features': 1, 'batch,frames,features,1': 1, 'batch,1,features,frames': 3, 'batch,features,frames': 2}
    for layout, shape in shapes.items():
        name = 'tiny_frames_' + layout.replace(',', '_') + '.onnx'
        torch.onnx.export(Layout(core, layout).eval(), torch.zeros(*shape), os.path.join(OUT, name), input_names=['x'], output_names=['emb'],
                          dynamic_axes={'x': {0: 'batch', time_axis[layout]: 'frames'}, 'emb': {0: 'batch'}}, opset_version=13)
    wave = Wave().eval()
    torch.onnx.export(wave, torch.zeros(1, 1600), os.path.join(OUT, 'tiny_wave.onnx'), input_names=['samples'], output_names=['emb'],
                      dynamic_axes={'samples': {0: 'batch', 1: 'n'}, 'emb': {0: 'batch'}}, opset_version=13)
    # The test signal: 0.5 s at 16 kHz, a 440 Hz tone plus a slow ramp (float32).
    n = 8000
    sig = torch.tensor([0.5 * math.sin(2 * math.pi * 440 * i / 16000) + i / n - 0.5 for i in range(n)], dtype=torch.float32)
    starts = list(range(0, n - 1600 + 1, 800))
    with torch.no_grad():
        windows = torch.stack([sig[s:s + 1600] for s in starts])
        emb = wave(windows)
    with open(os.path.join(OUT, 'tiny_expected.json'), 'w') as f:
        json.dump({'signal': 'x[i] = 0.5 sin(2 pi 440 i / 16000) + i / 8000 - 0.5, i < 8000, float32', 'starts': starts,
                   'wave': [[float(v) for v in row] for row in emb]}, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main()
