"""Known-correct alternative: forward without ctx + setup_context (the torch.func-compatible style), mask saved as reciprocal multiplier."""

from __future__ import annotations

import torch
from torch.autograd import Function


class SafeLog(Function):
    @staticmethod
    def forward(x: torch.Tensor, eps: float = 1e-6) -> torch.Tensor:
        return torch.log(torch.maximum(x, torch.full_like(x, eps)))

    @staticmethod
    def setup_context(ctx, inputs, output):
        x, *rest = inputs
        ctx.eps = rest[0] if rest else 1e-6
        ctx.save_for_backward(x)

    @staticmethod
    def backward(ctx, grad_output: torch.Tensor) -> tuple[torch.Tensor, None]:
        (x,) = ctx.saved_tensors
        inv = torch.where(x >= ctx.eps, x.reciprocal(), torch.zeros_like(x))
        return grad_output * inv, None


class StraightThroughSign(Function):
    @staticmethod
    def forward(x: torch.Tensor) -> torch.Tensor:
        return torch.sign(x)

    @staticmethod
    def setup_context(ctx, inputs, output):
        (x,) = inputs
        ctx.save_for_backward(x)

    @staticmethod
    def backward(ctx, grad_output: torch.Tensor) -> torch.Tensor:
        (x,) = ctx.saved_tensors
        return grad_output * (x.abs() <= 1).to(grad_output.dtype)


class GradReverse(Function):
    @staticmethod
    def forward(x: torch.Tensor, lambda_: float) -> torch.Tensor:
        return x.view_as(x)

    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.lambda_ = inputs[1]

    @staticmethod
    def backward(ctx, grad_output: torch.Tensor) -> tuple[torch.Tensor, None]:
        return grad_output * (-ctx.lambda_), None
