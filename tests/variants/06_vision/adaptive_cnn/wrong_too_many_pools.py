"""Known-wrong: six MaxPool2d(2) stages: fine from 64x64 up, crashes for 32..63 pixel sides."""
from __future__ import annotations

import torch
from torch import nn


def _block(cin: int, cout: int) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class SmallCNN(nn.Module):
    def __init__(self, num_classes: int, in_channels: int = 3) -> None:
        super().__init__()
        layers = [_block(in_channels, 16)]
        for cin, cout in [(16, 16), (16, 32), (32, 32), (32, 48), (48, 64), (64, 64)]:
            layers += [nn.MaxPool2d(2), _block(cin, cout)]
        self.features = nn.Sequential(*layers)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(64, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(torch.flatten(self.pool(self.features(x)), 1))
