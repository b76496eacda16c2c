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
        # groups=in_channels: each input channel gets its own single k x k filter, weight shape (in, 1, k, k)
        self.depthwise = nn.Conv2d(in_channels, in_channels, kernel_size, stride=stride, padding=kernel_size // 2,
                                   groups=in_channels, bias=False)
        self.pointwise = nn.Conv2d(in_channels, out_channels, kernel_size=1, bias=bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.pointwise(self.depthwise(x))


def as_dense_conv(module: DepthwiseSeparableConv) -> nn.Conv2d:
    """The ``groups=1`` convolution equal to ``module``: weight[o, c] = pointwise[o, c] * depthwise[c]."""
    depthwise, pointwise = module.depthwise, module.pointwise
    out_channels, in_channels = pointwise.weight.shape[:2]
    dense = nn.Conv2d(in_channels, out_channels, depthwise.kernel_size, stride=depthwise.stride,
                      padding=depthwise.padding, bias=pointwise.bias is not None,
                      device=pointwise.weight.device, dtype=pointwise.weight.dtype)
    with torch.no_grad():
        # (out, in, 1, 1) * (1, in, k, k): every output channel scales input channel c's filter by its mixing weight
        dense.weight.copy_(pointwise.weight * depthwise.weight.transpose(0, 1))
        if pointwise.bias is not None:
            dense.bias.copy_(pointwise.bias)
    return dense
