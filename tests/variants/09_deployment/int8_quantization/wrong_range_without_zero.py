"""Known-wrong: affine range is [x.min(), x.max()], not widened to include 0 (zero not exact for one-signed x)."""
from __future__ import annotations

import torch
from torch import nn

QMIN, QMAX = -128, 127


def quantize_per_tensor(x: torch.Tensor, symmetric: bool = False) -> tuple[torch.Tensor, float, int]:
    if symmetric:
        amax = x.abs().max().item()
        scale = amax / 127 if amax > 0 else 1.0
        zero_point = 0
        q = torch.clamp(torch.round(x / scale), -127, 127)
    else:
        lo = x.min().item()
        hi = x.max().item()
        scale = (hi - lo) / 255 if hi > lo else 1.0
        zero_point = int(min(max(round(QMIN - lo / scale), QMIN), QMAX))
        q = torch.clamp(torch.round(x / scale) + zero_point, QMIN, QMAX)
    return q.to(torch.int8), float(scale), zero_point


def dequantize(q: torch.Tensor, scale: float, zero_point: int) -> torch.Tensor:
    return (q.to(torch.float32) - zero_point) * scale


class QuantLinear(nn.Module):
    def __init__(self, linear: nn.Linear) -> None:
        super().__init__()
        q, s, _ = quantize_per_tensor(linear.weight.detach(), symmetric=True)
        self.register_buffer("weight_int8", q)
        self.register_buffer("weight_scale", torch.tensor(s))
        self.register_buffer("bias", None if linear.bias is None else linear.bias.detach().clone())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        q_x, s_x, zp_x = quantize_per_tensor(x)
        acc = (q_x.to(torch.int32) - zp_x) @ self.weight_int8.to(torch.int32).T
        out = acc.to(torch.float32) * (s_x * self.weight_scale)
        if self.bias is not None:
            out = out + self.bias
        return out
