"""Known-wrong variant: not in place: the argument is left holding the SUM and the mean is returned as a new tensor."""

from __future__ import annotations

import torch
import torch.distributed as dist
from torch import nn


def all_reduce_mean(tensor: torch.Tensor) -> torch.Tensor:
    """In place on every rank: ``tensor`` becomes its mean over all ranks. Returns ``tensor``."""
    dist.all_reduce(tensor)
    return tensor / dist.get_world_size()


def average_gradients(model: nn.Module) -> None:
    """Every parameter's gradient becomes its mean over the ranks: the gradient of the full batch."""
    for p in model.parameters():
        if p.grad is not None:
            p.grad = all_reduce_mean(p.grad)
