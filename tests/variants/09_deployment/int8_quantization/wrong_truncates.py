"""Known-wrong: converts x / scale to int8 by truncation (.to(torch.int8)) instead of rounding."""

from __future__ import annotations

import torch
from torch import nn

QMIN, QMAX = -128, 127


def quantize_per_tensor(x: torch.Tensor, symmetric: bool = False) -> tuple[torch.Tensor, float, int]:
    """Quantize ``x`` to int8 with one scale and zero point for the whole tensor."""
    x = x.detach()
    if symmetric:
        max_abs = x.abs().max().item()
        scale = max_abs / QMAX if max_abs > 0 else 1.0
        q = torch.clamp((x / scale).to(torch.int32), -QMAX, QMAX)
        return q.to(torch.int8), scale, 0
    lo, hi = min(x.min().item(), 0.0), max(x.max().item(), 0.0)
    scale = (hi - lo) / (QMAX - QMIN) if hi > lo else 1.0
    zero_point = int(min(max(round(QMIN - lo / scale), QMIN), QMAX))
    q = torch.clamp((x / scale).to(torch.int32) + zero_point, QMIN, QMAX)
    return q.to(torch.int8), scale, zero_point


def dequantize(q: torch.Tensor, scale: float, zero_point: int) -> torch.Tensor:
    """The float32 values ``(q - zero_point) * scale``."""
    return (q.to(torch.float32) - zero_point) * scale


class QuantLinear(nn.Module):
    """``nn.Linear`` with an int8 weight and dynamically quantized int8 inputs."""

    def __init__(self, linear: nn.Linear) -> None:
        super().__init__()
        self.in_features = linear.in_features
        self.out_features = linear.out_features
        weight_int8, weight_scale, _ = quantize_per_tensor(linear.weight, symmetric=True)
        self.register_buffer("weight_int8", weight_int8)
        self.register_buffer("weight_scale", torch.tensor(weight_scale, dtype=torch.float32))
        self.register_buffer("bias", None if linear.bias is None else linear.bias.detach().clone())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        q_x, x_scale, x_zero_point = quantize_per_tensor(x)
        accumulator = (q_x.to(torch.int32) - x_zero_point) @ self.weight_int8.to(torch.int32).T
        out = accumulator.to(torch.float32) * (x_scale * self.weight_scale)
        if self.bias is not None:
            out = out + self.bias
        return out
