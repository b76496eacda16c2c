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


class SmallCNN(nn.Module):
    def __init__(self, num_classes: int, in_channels: int = 3) -> None:
        super().__init__()
        # TODO: a few conv blocks, an adaptive pooling layer, a linear classifier
        raise NotImplementedError("06_vision/adaptive_cnn: build the layers, ending in adaptive pooling + Linear")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("06_vision/adaptive_cnn: features -> adaptive pool -> flatten -> classifier")
