"""Known-wrong: central finite differences computed in float64 and cast back: close to, but not, the exact answers."""

from __future__ import annotations

from typing import Callable

import torch


def derivative(f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor) -> torch.Tensor:
    h = 1e-5
    with torch.no_grad():
        base = x.detach().double()
        grad = torch.zeros_like(base).view(-1)
        for i in range(base.numel()):
            step = torch.zeros_like(base).view(-1)
            step[i] = h
            step = step.view_as(base)
            grad[i] = (f(base + step) - f(base - step)) / (2 * h)
    return grad.view_as(base).to(x.dtype)


def jacobian_vector_product(
    f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor, v: torch.Tensor
) -> torch.Tensor:
    h = 1e-5
    with torch.no_grad():
        base, direction = x.detach().double(), v.detach().double()
        return ((f(base + h * direction) - f(base - h * direction)) / (2 * h)).to(x.dtype)
