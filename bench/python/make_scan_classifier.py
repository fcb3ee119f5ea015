#!/usr/bin/python3
"""The window classifier of the detection scan benchmark (bench/detect.mjs): a small CNN of the kind bioacoustic
detectors run on every window of a long tape, exported to ONNX.

Run from the repository root with Debian's python3-torch: /usr/bin/python3 bench/python/make_scan_classifier.py
Writes bench/models/scan-cnn.onnx and scan-cnn-wide.onnx (committed, 0.2 and 1.4 MB). Their specs,
bench/models/scan-cnn*.json, give them the seed workflow's windows: 0.4 s at 48 kHz, log-mel of n_fft 2048 every
1024 samples (19 frames), 64 mel bands.

Input [batch, 1, 64, 19] (mel bands x frames); four 3x3 convolution blocks (batch norm, ReLU, 2x2 max pooling after
the first three), global average pooling, one linear unit: the logit of "call". scan-cnn: 16, 32, 64, 64 channels,
one convolution a block, about 3.3 million multiply-adds per window; scan-cnn-wide: 32, 64, 128, 128 channels, two
convolutions a block, about 46 million (still small next to the ResNets bioacoustic detectors usually run). The weights are seeded random ones (the benchmark times the scan, it does not
judge the detections); batch norm is folded into the convolutions by the export.
"""
import os

import torch

MODELS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "models")


def block(cin, cout, pool, convs=1):
    layers = []
    for k in range(convs):
        layers += [torch.nn.Conv2d(cin if k == 0 else cout, cout, 3, padding=1), torch.nn.BatchNorm2d(cout), torch.nn.ReLU()]
    if pool:
        layers.append(torch.nn.MaxPool2d(2))
    return layers


class ScanCNN(torch.nn.Module):
    def __init__(self, widths=(16, 32, 64, 64), convs=1):
        super().__init__()
        a, b, c, d = widths
        self.features = torch.nn.Sequential(*block(1, a, True, convs), *block(a, b, True, convs), *block(b, c, True, convs), *block(c, d, False, convs))
        self.head = torch.nn.Linear(d, 1)

    def forward(self, x):  # [B, 1, 64, 19]
        return self.head(self.features(x).mean(dim=(2, 3)))  # [B, 1]


def seeded(widths=(16, 32, 64, 64), convs=1):
    """The model with the benchmark's weights (the Python peer builds it the same way)."""
    torch.manual_seed(20261205)
    m = ScanCNN(widths, convs).eval()
    with torch.no_grad():  # non-trivial batch-norm statistics, so the folding is exercised
        for mod in m.modules():
            if isinstance(mod, torch.nn.BatchNorm2d):
                mod.running_mean.uniform_(-0.5, 0.5)
                mod.running_var.uniform_(0.5, 2.0)
    return m


VARIANTS = {"scan-cnn": ((16, 32, 64, 64), 1), "scan-cnn-wide": ((32, 64, 128, 128), 2)}


def main():
    for name, (widths, convs) in VARIANTS.items():
        out = os.path.join(MODELS, f"{name}.onnx")
        torch.onnx.export(seeded(widths, convs), torch.zeros(2, 1, 64, 19), out, input_names=["logmel"], output_names=["logit"],
                          dynamic_axes={"logmel": {0: "batch"}, "logit": {0: "batch"}}, opset_version=13)
        print(f"wrote {out} ({os.path.getsize(out) / 1e3:.0f} kB)")


if __name__ == "__main__":
    main()
