"""Known-wrong variant: returns the result of dist.all_reduce (None) instead of the tensor; values are right."""

from __future__ import annotations

import torch
import torch.distributed as dist
from torch import nn


def all_reduce_mean(tensor: torch.Tensor) -> torch.Tensor:
    """In place on every rank: ``tensor`` becomes its mean over all ranks. Returns ``tensor``."""
    tensor.div_(dist.get_world_size())
    return dist.all_reduce(tensor)


def average_gradients(model: nn.Module) -> None:
    """Every parameter's gradient becomes its mean over the ranks: the gradient of the full batch."""
    for p in model.parameters():
        if p.grad is not None:
            all_reduce_mean(p.grad)
