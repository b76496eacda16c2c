"""Known-wrong: torch.func.jvp on the caller's x: when x requires grad the result carries autograd history."""

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
    _, jv = torch.func.jvp(f, (x,), (v,))
    return jv
