"""Known-wrong variant: sgd_step_ keeps the legacy .data update (p.data.add_(...)) instead of switching autograd off: values right, but the parameter's version counter is bypassed, so autograd cannot detect the modification."""

from __future__ import annotations

from typing import Iterable

import torch
from torch import nn
import torch.nn.functional as F


def sgd_step_(params: Iterable[nn.Parameter], lr: float) -> None:
    """Plain SGD, in place, then clear the gradients."""
    for p in params:
        if p.grad is None:
            continue
        p.data.add_(p.grad.data, alpha=-lr)
        p.grad = None


def legacy_to_modern(model: nn.Module, images: torch.Tensor) -> torch.Tensor:
    """Class probabilities for ``images``, computed without recording an autograd graph."""
    with torch.no_grad():
        return F.softmax(model(images), dim=1)
