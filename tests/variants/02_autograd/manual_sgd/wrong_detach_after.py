"""Known-wrong variant: legacy_to_modern runs the model with grad enabled and detaches the result: the output has no graph, but a full graph is recorded while the model runs."""

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
    probs = F.softmax(model(images), dim=1)
    return probs.detach()
