"""Known-correct alternative: torch.autograd.functional.vjp/jvp helpers under enable_grad, on a private clone."""

from __future__ import annotations

from typing import Callable

import torch


def _private(x: torch.Tensor) -> torch.Tensor:
    return x.detach().clone()


def derivative(f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor) -> torch.Tensor:
    with torch.enable_grad():
        _, g = torch.autograd.functional.vjp(f, _private(x))
    return g.detach()


def jacobian_vector_product(
    f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor, v: torch.Tensor
) -> torch.Tensor:
    with torch.enable_grad():
        _, jv = torch.autograd.functional.jvp(f, _private(x), _private(v))
    return jv.detach()
