"""Known-correct alternative: a @torch.no_grad()-decorated private helper over a materialised list, add_ with alpha, gradients zeroed in place; legacy_to_modern uses the torch.set_grad_enabled(False) context manager and Tensor.softmax."""

from __future__ import annotations

from typing import Iterable

import torch
from torch import nn
import torch.nn.functional as F


@torch.no_grad()
def _apply_update(params: list[nn.Parameter], lr: float) -> None:
    for p in params:
        p.add_(p.grad, alpha=-lr)
        p.grad.zero_()


def sgd_step_(params: Iterable[nn.Parameter], lr: float) -> None:
    """Plain SGD, in place, then clear the gradients."""
    with_grad = [p for p in params if p.grad is not None]
    _apply_update(with_grad, lr)


def legacy_to_modern(model: nn.Module, images: torch.Tensor) -> torch.Tensor:
    """Class probabilities for ``images``, computed without recording an autograd graph."""
    with torch.set_grad_enabled(False):
        logits = model(images)
    return logits.softmax(dim=1)
