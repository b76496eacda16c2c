"""Known-wrong variant: legacy_to_modern calls model.eval(), changing the caller's model mode (and dropout) where the 0.3 code did not."""

from __future__ import annotations

from typing import Iterable

import torch
from torch import nn


def sgd_step_(params: Iterable[nn.Parameter], lr: float) -> None:
    """Plain SGD, in place, then clear the gradients."""
    with torch.no_grad():  # the update itself must not become part of any graph
        for param in params:  # a single pass: params may be a generator
            if param.grad is None:
                continue
            param.add_(param.grad, alpha=-lr)
            param.grad = None


def legacy_to_modern(model: nn.Module, images: torch.Tensor) -> torch.Tensor:
    """Class probabilities for ``images``, computed without recording an autograd graph."""
    model.eval()  # "inference means eval mode": but the 0.3 code never changed the caller's model
    with torch.no_grad():
        return torch.softmax(model(images), dim=1)
