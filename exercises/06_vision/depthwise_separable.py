"""Depthwise separable convolution: the MobileNet trick behind ``groups=in_channels``.

Scenario (003 Q59). Your detector has to run on a phone, and one 3x3 convolution from 128 to 256 channels alone
holds 295,168 parameters. MobileNet splits such a layer in two: a depthwise 3x3 convolution that filters each
input channel on its own (``groups=in_channels``), then a pointwise 1x1 convolution that mixes channels:
1,152 + 33,024 parameters for the same output shape.

Task:
- ``DepthwiseSeparableConv(in_channels, out_channels, kernel_size, stride=1, bias=True)`` with exactly two
  submodules, the tests read them:
  ``self.depthwise``: ``nn.Conv2d`` with one ``kernel_size`` filter per input channel, padding
  ``kernel_size // 2`` (the size is kept at stride 1; ``kernel_size`` is odd), the stride, and no bias (a bias
  before the pointwise conv is redundant: the pointwise bias absorbs it);
  ``self.pointwise``: a 1x1 ``nn.Conv2d`` from ``in_channels`` to ``out_channels``, with a bias if ``bias``.
  ``forward`` applies them in that order, nothing in between (the caller adds normalisation and activations).
- ``as_dense_conv(module)`` returns an ordinary ``nn.Conv2d`` (``groups=1``), on the module's device and in its
  dtype, that computes exactly what ``module`` computes: a separable conv is a dense conv whose weight factorises.
"""

from __future__ import annotations

import torch
from torch import nn


class DepthwiseSeparableConv(nn.Module):
    def __init__(
        self, in_channels: int, out_channels: int, kernel_size: int, stride: int = 1, bias: bool = True
    ) -> None:
        super().__init__()
        # TODO: self.depthwise = nn.Conv2d(...)  and  self.pointwise = nn.Conv2d(...)  (the tests read both names)
        raise NotImplementedError("06_vision/depthwise_separable: create self.depthwise and self.pointwise")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("06_vision/depthwise_separable: depthwise, then pointwise")


def as_dense_conv(module: DepthwiseSeparableConv) -> nn.Conv2d:
    """The ``groups=1`` convolution equal to ``module``: weight[o, c] = pointwise[o, c] * depthwise[c]."""
    raise NotImplementedError("06_vision/depthwise_separable: build the dense conv whose weight factorises")
