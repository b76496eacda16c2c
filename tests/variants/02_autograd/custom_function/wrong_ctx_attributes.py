"""Known-wrong: keeps the input tensors as ctx attributes instead of ctx.save_for_backward."""

import torch
from torch.autograd import Function


class SafeLog(Function):
    @staticmethod
    def forward(ctx, x: torch.Tensor, eps: float = 1e-6) -> torch.Tensor:
        ctx.x = x
        ctx.eps = eps
        return torch.log(torch.clamp(x, min=eps))

    @staticmethod
    def backward(ctx, grad_output: torch.Tensor) -> tuple[torch.Tensor, None]:
        x = ctx.x
        grad = grad_output / torch.clamp(x, min=ctx.eps)
        return torch.where(x >= ctx.eps, grad, torch.zeros_like(grad)), None


class StraightThroughSign(Function):
    @staticmethod
    def forward(ctx, x: torch.Tensor) -> torch.Tensor:
        ctx.x = x
        return torch.sign(x)

    @staticmethod
    def backward(ctx, grad_output: torch.Tensor) -> torch.Tensor:
        x = ctx.x
        return grad_output * (x.abs() <= 1).to(grad_output.dtype)


class GradReverse(Function):
    @staticmethod
    def forward(ctx, x: torch.Tensor, lambda_: float) -> torch.Tensor:
        ctx.lambda_ = lambda_
        return x.view_as(x)

    @staticmethod
    def backward(ctx, grad_output: torch.Tensor) -> tuple[torch.Tensor, None]:
        return -ctx.lambda_ * grad_output, None
