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
        # The tests load torchvision BasicBlock weights, so they rely on these attribute names:
        # self.conv1, self.bn1, self.conv2, self.bn2, and self.downsample (None, or the projection Sequential).
        raise NotImplementedError("03_modules/residual_block: create conv1, bn1, conv2, bn2 and the shortcut")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("03_modules/residual_block: return relu(residual branch + shortcut(x))")
