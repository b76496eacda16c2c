"""Known-correct alternative: torch.aminmax for the range and torch.quantize_per_tensor(...).int_repr() for the codes."""
from __future__ import annotations

import torch
from torch import nn

QMIN, QMAX = -128, 127


def _params(x: torch.Tensor, symmetric: bool) -> tuple[float, int]:
    lo_t, hi_t = torch.aminmax(x.detach().float())
    lo, hi = min(float(lo_t), 0.0), max(float(hi_t), 0.0)
    if symmetric:
        amax = max(-lo, hi)
        return (amax / 127 if amax > 0 else 1.0), 0
    scale = (hi - lo) / 255 if hi > lo else 1.0
    return scale, int(max(QMIN, min(QMAX, round(QMIN - lo / scale))))


def quantize_per_tensor(x: torch.Tensor, symmetric: bool = False) -> tuple[torch.Tensor, float, int]:
    scale, zp = _params(x, symmetric)
    q = torch.quantize_per_tensor(x.detach().float(), scale, zp, torch.qint8).int_repr()
    if symmetric:
        q = q.clamp(min=-127)
    return q, scale, zp


def dequantize(q: torch.Tensor, scale: float, zero_point: int) -> torch.Tensor:
    return (q.to(torch.int32) - zero_point).to(torch.float32) * scale


class QuantLinear(nn.Module):
    def __init__(self, linear: nn.Linear) -> None:
        super().__init__()
        q, s, _ = quantize_per_tensor(linear.weight, symmetric=True)
        self.register_buffer("weight_int8", q)
        self.register_buffer("weight_scale", torch.tensor(s, dtype=torch.float32))
        self.register_buffer("bias", None if linear.bias is None else linear.bias.detach().float().clone())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        q_x, s_x, zp_x = quantize_per_tensor(x)
        acc = torch.matmul(q_x.to(torch.int32) - zp_x, self.weight_int8.to(torch.int32).t())
        out = acc.to(torch.float32) * (self.weight_scale * s_x)
        return out if self.bias is None else out + self.bias
