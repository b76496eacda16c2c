"""Known-wrong: a plain flatten and a Linear sized for 32x32 inputs (4x4 maps), no adaptive pooling."""

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
        self.pool = nn.Identity()
        self.classifier = nn.Linear(64 * 4 * 4, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.features(x)
        x = self.pool(x)
        # flatten from dim 1, never squeeze(): a batch of one must stay a batch
        return self.classifier(torch.flatten(x, 1))
