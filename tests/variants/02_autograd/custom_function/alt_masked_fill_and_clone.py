"""Known-correct alternative: masked_fill after division in SafeLog, torch.where in STE, clone() in GradReverse forward."""

from __future__ import annotations

import torch
from torch.autograd import Function


class SafeLog(Function):
    @staticmethod
    def forward(ctx, x: torch.Tensor, eps: float = 1e-6) -> torch.Tensor:
        ctx.save_for_backward(x)
        ctx.eps = float(eps)
        return torch.clamp_min(x, eps).log()

    @staticmethod
    def backward(ctx, grad_output: torch.Tensor) -> tuple[torch.Tensor, None]:
        (x,) = ctx.saved_tensors
        return grad_output.div(x).masked_fill(x < ctx.eps, 0.0), None


class StraightThroughSign(Function):
    @staticmethod
    def forward(ctx, x: torch.Tensor) -> torch.Tensor:
        ctx.save_for_backward(x)
        return x.sign()

    @staticmethod
    def backward(ctx, grad_output: torch.Tensor) -> torch.Tensor:
        (x,) = ctx.saved_tensors
        return torch.where(x.abs() > 1, torch.zeros_like(grad_output), grad_output)


class GradReverse(Function):
    @staticmethod
    def forward(ctx, x: torch.Tensor, lambda_: float) -> torch.Tensor:
        ctx.lambda_ = lambda_
        return x.clone()

    @staticmethod
    def backward(ctx, grad_output: torch.Tensor) -> tuple[torch.Tensor, None]:
        return grad_output.neg().mul(ctx.lambda_), None
