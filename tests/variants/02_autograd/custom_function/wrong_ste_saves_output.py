"""Known-wrong: StraightThroughSign saves sign(x) and clips on |sign(x)| <= 1, which is always true: no clip at all."""

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
        out = torch.sign(x)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad_output: torch.Tensor) -> torch.Tensor:
        (out,) = ctx.saved_tensors
        return grad_output * (out.abs() <= 1)


class GradReverse(Function):
    @staticmethod
    def forward(ctx, x: torch.Tensor, lambda_: float) -> torch.Tensor:
        ctx.lambda_ = lambda_
        return x.view_as(x)

    @staticmethod
    def backward(ctx, grad_output: torch.Tensor) -> tuple[torch.Tensor, None]:
        return -ctx.lambda_ * grad_output, None
