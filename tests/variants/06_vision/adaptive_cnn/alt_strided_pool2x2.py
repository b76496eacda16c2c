"""Known-correct alternative: stride-2 convs (no MaxPool), AdaptiveAvgPool2d((2, 2)) and a 4x-wider Linear."""
from __future__ import annotations

import torch
from torch import nn


class SmallCNN(nn.Module):
    def __init__(self, num_classes: int, in_channels: int = 3) -> None:
        super().__init__()
        chans = [in_channels, 24, 48, 64]
        self.features = nn.Sequential(*[
            nn.Sequential(nn.Conv2d(a, b, 3, stride=2, padding=1), nn.ReLU()) for a, b in zip(chans, chans[1:])
        ])
        self.pool = nn.AdaptiveAvgPool2d((2, 2))
        self.head = nn.Linear(64 * 4, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.pool(self.features(x)).flatten(start_dim=1))
