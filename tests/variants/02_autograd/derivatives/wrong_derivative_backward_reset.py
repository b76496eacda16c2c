"""Known-wrong: uses backward() on x, then resets requires_grad to False and .grad to None: restores only the caller-had-nothing case."""

from __future__ import annotations

from typing import Callable

import torch


def derivative(f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor) -> torch.Tensor:
    x.grad = None
    x.requires_grad_(True)
    with torch.enable_grad():
        f(x).backward()
    g = x.grad.detach().clone()
    x.grad = None
    x.requires_grad_(False)
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
