"""Known-wrong: 64-128-256 channels: works for any size but holds ~390k parameters (budget 100k)."""
from __future__ import annotations

import torch
from torch import nn


def _block(cin: int, cout: int) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class SmallCNN(nn.Module):
    def __init__(self, num_classes: int, in_channels: int = 3) -> None:
        super().__init__()
        self.features = nn.Sequential(_block(in_channels, 16), nn.MaxPool2d(2), _block(16, 32), nn.MaxPool2d(2), _block(32, 64))
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(64, num_classes)
        self.features = nn.Sequential(_block(in_channels, 64), nn.MaxPool2d(2), _block(64, 128), nn.MaxPool2d(2), _block(128, 256))
        self.fc = nn.Linear(256, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(torch.flatten(self.pool(self.features(x)), 1))
