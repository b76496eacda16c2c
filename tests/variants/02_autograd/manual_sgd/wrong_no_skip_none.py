"""Known-wrong variant: sgd_step_ does not skip parameters whose .grad is None (a frozen or unused layer makes it raise)."""

from __future__ import annotations

from typing import Iterable

import torch
from torch import nn
import torch.nn.functional as F


def sgd_step_(params: Iterable[nn.Parameter], lr: float) -> None:
    """Plain SGD, in place, then clear the gradients."""
    with torch.no_grad():
        for p in params:
            p.sub_(lr * p.grad)
            p.grad.zero_()


def legacy_to_modern(model: nn.Module, images: torch.Tensor) -> torch.Tensor:
    """Class probabilities for ``images``, computed without recording an autograd graph."""
    with torch.no_grad():
        return F.softmax(model(images), dim=1)
