"""Known-correct alternative: dense weight read off by pushing unit impulses through the module (no weight algebra)."""
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
    """Dense conv: the response to an impulse in channel c at the kernel centre is weight[:, c] flipped."""
    dw, pw = module.depthwise, module.pointwise
    c_in, k = dw.in_channels, dw.kernel_size[0]
    p = dw.padding[0]
    ref = dw.weight
    probe = DepthwiseSeparableConv(c_in, pw.out_channels, k, 1, bias=False).to(ref)
    with torch.no_grad():
        probe.depthwise.weight.copy_(dw.weight)
        probe.pointwise.weight.copy_(pw.weight)
        x = torch.zeros(c_in, c_in, k, k, dtype=ref.dtype, device=ref.device)
        x[torch.arange(c_in), torch.arange(c_in), k // 2, k // 2] = 1  # impulse at the centre
        resp = probe(x)  # (c_in, out, k, k): resp[c, o, i, j] = w[o, c, p - (i - k//2) ... ]
        weight = resp.flip(-1, -2).transpose(0, 1).contiguous()
        dense = nn.Conv2d(c_in, pw.out_channels, k, dw.stride, p, bias=pw.bias is not None,
                          device=ref.device, dtype=ref.dtype)
        dense.weight.copy_(weight)
        if pw.bias is not None:
            dense.bias.copy_(pw.bias)
    return dense
