"""Known-wrong: as_dense_conv always builds bias=False, losing the pointwise bias."""
from __future__ import annotations

import torch
from torch import nn


class DepthwiseSeparableConv(nn.Module):
    def __init__(
        self, in_channels: int, out_channels: int, kernel_size: int, stride: int = 1, bias: bool = True
    ) -> None:
        super().__init__()
        self.depthwise = nn.Conv2d(in_channels, in_channels, kernel_size, stride=stride, padding=kernel_size // 2,
                                   groups=in_channels, bias=False)
        self.pointwise = nn.Conv2d(in_channels, out_channels, 1, bias=bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.pointwise(self.depthwise(x))


def as_dense_conv(module: DepthwiseSeparableConv) -> nn.Conv2d:
    """Dense conv."""
    dw, pw = module.depthwise, module.pointwise
    dense = nn.Conv2d(dw.in_channels, pw.out_channels, dw.kernel_size, stride=dw.stride, padding=dw.padding,
                      bias=False, device=dw.weight.device, dtype=dw.weight.dtype)
    with torch.no_grad():
        dense.weight.copy_(pw.weight * dw.weight.transpose(0, 1))
    return dense

