"""Known-wrong variant: legacy_to_modern turns grad off with set_grad_enabled(False) and afterwards sets it to True, instead of restoring the caller's mode (wrong when called inside no_grad)."""

from __future__ import annotations

from typing import Iterable

import torch
from torch import nn
import torch.nn.functional as F


def sgd_step_(params: Iterable[nn.Parameter], lr: float) -> None:
    """Plain SGD, in place, then clear the gradients."""
    with torch.no_grad():
        for p in params:
            if p.grad is None:
                continue
            p.sub_(lr * p.grad)
            p.grad = None


def legacy_to_modern(model: nn.Module, images: torch.Tensor) -> torch.Tensor:
    """Class probabilities for ``images``, computed without recording an autograd graph."""
    torch.set_grad_enabled(False)
    probs = F.softmax(model(images), dim=1)
    torch.set_grad_enabled(True)
    return probs
