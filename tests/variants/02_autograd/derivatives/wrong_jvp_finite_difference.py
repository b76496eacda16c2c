"""Known-wrong: forward finite difference (f(x + h v) - f(x)) / h: only approximately J @ v."""

from __future__ import annotations

from typing import Callable

import torch


def derivative(f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor) -> torch.Tensor:
    with torch.enable_grad():
        p = x.detach().requires_grad_()
        (g,) = torch.autograd.grad(f(p), p)
    return g


def jacobian_vector_product(
    f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor, v: torch.Tensor
) -> torch.Tensor:
    h = 1e-4
    with torch.no_grad():
        return (f(x + h * v) - f(x)) / h
