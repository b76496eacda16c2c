"""Known-wrong: returns v @ J (grad_outputs=v): right only when J is symmetric and f(x) is shaped like x (e.g. elementwise f)."""

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
    with torch.enable_grad():
        p = x.detach().requires_grad_()
        (vj,) = torch.autograd.grad(f(p), p, grad_outputs=v)
    return vj
