"""Known-wrong variant: legacy_to_modern scores in eval mode and restores the flag afterwards: the mode looks unchanged, but a model in training mode was scored without its dropout."""

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
    was_training = model.training
    model.eval()  # restores the flag afterwards, but the scores were computed in eval mode, not the caller's
    with torch.no_grad():
        probs = torch.softmax(model(images), dim=1)
    model.train(was_training)
    return probs
