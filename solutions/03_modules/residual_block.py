"""Write ResidualBlock: the ResNet basic block, with a shortcut that lets the input skip two convolutions.

Scenario (002 Q2, 003 Q54). The pedestrian detector's backbone is a ResNet. The team wants its own block class
to experiment with, but it must load the torchvision ResNet weights they already trained. A skip connection
cannot be written as an ``nn.Sequential``: the block needs its own ``forward``.

Task: implement ``ResidualBlock(in_ch, out_ch, stride=1)`` computing

    out = relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))

for inputs ``(N, in_ch, H, W)``, with exactly the layout of ``torchvision.models.resnet.BasicBlock`` so that a
BasicBlock's ``state_dict`` loads into it and gives the same outputs, in eval mode and in train mode:
- ``self.conv1``: 3x3 convolution ``in_ch -> out_ch`` with stride ``stride`` and padding 1, no bias (the first
  convolution is the one that downsamples); ``self.bn1``: ``BatchNorm2d(out_ch)``;
- ``self.conv2``: 3x3 convolution ``out_ch -> out_ch``, stride 1, padding 1, no bias; ``self.bn2``;
- the shortcut: when ``stride == 1`` and ``in_ch == out_ch`` it is the identity and has no parameters
  (``self.downsample = None``); otherwise it is a projection
  ``self.downsample = nn.Sequential(1x1 conv in_ch -> out_ch with stride `stride`, no bias, BatchNorm2d(out_ch))``;
- the last ReLU is applied after the addition;
- the input ``x`` is left unchanged (an in-place op may only touch tensors the block itself created).
The output has shape ``(N, out_ch, ceil(H / stride), ceil(W / stride))``.
"""

from __future__ import annotations

import torch
from torch import nn


class ResidualBlock(nn.Module):
    def __init__(self, in_ch: int, out_ch: int, stride: int = 1) -> None:
        super().__init__()
        # the conv feeding BatchNorm needs no bias: BN's own bias (beta) would cancel it
        self.conv1 = nn.Conv2d(in_ch, out_ch, kernel_size=3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(out_ch)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(out_ch, out_ch, kernel_size=3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_ch)
        self.downsample: nn.Module | None = None
        if stride != 1 or in_ch != out_ch:
            # x must reach the same shape as the residual branch before the two can be added
            self.downsample = nn.Sequential(
                nn.Conv2d(in_ch, out_ch, kernel_size=1, stride=stride, bias=False),
                nn.BatchNorm2d(out_ch),
            )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        identity = x if self.downsample is None else self.downsample(x)

        out = self.conv1(x)
        out = self.bn1(out)
        out = self.relu(out)

        out = self.conv2(out)
        out = self.bn2(out)

        # ReLU after the sum, so the shortcut carries x (and its gradient) through unchanged
        out = out + identity
        return self.relu(out)
