"""A CNN that accepts any image size: adaptive pooling instead of a flatten sized for one resolution.

Scenario (003 Q55-Q56). A classifier trained on 32x32 crops ends in ``nn.Flatten()`` and a ``nn.Linear`` whose
input size was computed for 32x32. The product team now sends 48x64 frames and every call fails with
"mat1 and mat2 shapes cannot be multiplied". The fix is not a new head per resolution: pool the feature map
to a fixed size with ``nn.AdaptiveAvgPool2d``, whatever size comes in.

Task: write ``SmallCNN(num_classes, in_channels=3)``:
- input ``(N, in_channels, H, W)`` with any ``H >= 32`` and ``W >= 32`` (square or not, odd or even),
  output logits of shape ``(N, num_classes)``, also for ``N == 1``, in train mode as in eval mode;
- convolutions (the layout is up to you), then an adaptive pooling layer, then a linear classifier;
- at most 100,000 parameters for ``in_channels=3, num_classes=10`` (a small edge model).
"""

from __future__ import annotations

import torch
from torch import nn


def _conv_bn_relu(in_channels: int, out_channels: int) -> nn.Sequential:
    # padding=1 keeps the size, so only the pooling layers shrink the map
    return nn.Sequential(
        nn.Conv2d(in_channels, out_channels, kernel_size=3, padding=1, bias=False),
        nn.BatchNorm2d(out_channels),
        nn.ReLU(inplace=True),
    )


class SmallCNN(nn.Module):
    def __init__(self, num_classes: int, in_channels: int = 3) -> None:
        super().__init__()
        # three halvings: a 32x32 input still leaves a 4x4 map, so no input of 32 or more collapses to zero
        self.features = nn.Sequential(
            _conv_bn_relu(in_channels, 16),
            nn.MaxPool2d(2),
            _conv_bn_relu(16, 32),
            nn.MaxPool2d(2),
            _conv_bn_relu(32, 64),
            nn.MaxPool2d(2),
            _conv_bn_relu(64, 64),
        )
        # the only layer that sees the input size: whatever H x W, it hands the classifier 64 x 1 x 1
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Linear(64, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.features(x)
        x = self.pool(x)
        # flatten from dim 1, never squeeze(): a batch of one must stay a batch
        return self.classifier(torch.flatten(x, 1))
