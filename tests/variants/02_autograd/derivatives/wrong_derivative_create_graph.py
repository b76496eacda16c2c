"""Known-wrong: create_graph=True "for higher-order use": the returned gradient carries a grad_fn."""

from __future__ import annotations

from typing import Callable

import torch


def derivative(f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor) -> torch.Tensor:
    with torch.enable_grad():
        p = x.detach().requires_grad_()
        (g,) = torch.autograd.grad(f(p), p, create_graph=True)
    return g


def jacobian_vector_product(
    f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor, v: torch.Tensor
) -> torch.Tensor:
    with torch.enable_grad():
        p = x.detach().requires_grad_()
        out = f(p)
        u = torch.zeros_like(out, requires_grad=True)
        (g,) = torch.autograd.grad(out, p, grad_outputs=u, create_graph=True)
        (jv,) = torch.autograd.grad(g, u, grad_outputs=v)
    return jv
