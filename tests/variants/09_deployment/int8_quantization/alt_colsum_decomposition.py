"""Known-correct alternative: int32 GEMM on raw codes minus zero_point * precomputed weight row sums."""
from __future__ import annotations

import torch
from torch import nn

QMIN, QMAX = -128, 127


def _zero_point(lo: float, scale: float) -> int:
    return int(torch.tensor(QMIN - lo / scale, dtype=torch.float64).round().clamp(QMIN, QMAX))


def quantize_per_tensor(x: torch.Tensor, symmetric: bool = False) -> tuple[torch.Tensor, float, int]:
    xd = x.detach()
    if symmetric:
        amax = float(xd.abs().amax())
        scale, zp, qmin = (amax / 127 if amax else 1.0), 0, -127
    else:
        lo, hi = min(float(xd.amin()), 0.0), max(float(xd.amax()), 0.0)
        scale = (hi - lo) / 255 if hi != lo else 1.0
        zp, qmin = _zero_point(lo, scale), QMIN
    q = (xd / scale).round().add(zp).clamp(qmin, QMAX).to(torch.int8)
    return q, scale, zp


def dequantize(q: torch.Tensor, scale: float, zero_point: int) -> torch.Tensor:
    return q.float().sub(zero_point).mul(scale)


class QuantLinear(nn.Module):
    def __init__(self, linear: nn.Linear) -> None:
        super().__init__()
        q, s, _ = quantize_per_tensor(linear.weight, symmetric=True)
        self.register_buffer("weight_int8", q)
        self.register_buffer("weight_scale", torch.tensor(s))
        self.register_buffer("bias", None if linear.bias is None else linear.bias.detach().clone())
        self.register_buffer("_row_sums", q.to(torch.int32).sum(dim=1), persistent=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        q_x, s_x, zp_x = quantize_per_tensor(x)
        w = self.weight_int8.to(torch.int32)
        acc = torch.matmul(q_x.to(torch.int32), w.t()) - zp_x * self._row_sums
        out = acc.float() * (s_x * self.weight_scale)
        if self.bias is not None:
            out = out + self.bias
        return out
