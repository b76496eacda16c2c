"""Known-wrong: GradReverse backward returns -grad, ignoring lambda_ (right only for lambda_ = 1)."""

from __future__ import annotations

import torch
from torch.autograd import Function


class SafeLog(Function):
    @staticmethod
    def forward(ctx, x: torch.Tensor, eps: float = 1e-6) -> torch.Tensor:
        ctx.save_for_backward(x)
        ctx.eps = eps
        return torch.log(x.clamp(min=eps))

    @staticmethod
    def backward(ctx, grad_output: torch.Tensor) -> tuple[torch.Tensor, None]:
        (x,) = ctx.saved_tensors
        safe = x.clamp(min=ctx.eps)
        return torch.where(x >= ctx.eps, grad_output / safe, torch.zeros_like(grad_output)), None


class StraightThroughSign(Function):
    @staticmethod
    def forward(ctx, x: torch.Tensor) -> torch.Tensor:
        ctx.save_for_backward(x)
        return torch.sign(x)

    @staticmethod
    def backward(ctx, grad_output: torch.Tensor) -> torch.Tensor:
        (x,) = ctx.saved_tensors
        return grad_output * (x.abs() <= 1)


class GradReverse(Function):
    @staticmethod
    def forward(ctx, x: torch.Tensor, lambda_: float) -> torch.Tensor:
        return x.view_as(x)

    @staticmethod
    def backward(ctx, grad_output: torch.Tensor) -> tuple[torch.Tensor, None]:
        return -grad_output, None
