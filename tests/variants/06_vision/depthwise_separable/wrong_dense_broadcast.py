"""Known-wrong: multiplies the two weights by plain broadcasting, pairing pointwise[o, c] with filter o."""

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
                      padding=depthwise.padding, bias=pointwise.bias is not None)
    with torch.no_grad():
        # (out, in, 1, 1) * (1, in, k, k): every output channel scales input channel c's filter by its mixing weight
        dense.weight.copy_(pointwise.weight * depthwise.weight)
        if pointwise.bias is not None:
            dense.bias.copy_(pointwise.bias)
    return dense
