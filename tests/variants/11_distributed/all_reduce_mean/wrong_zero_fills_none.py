"""Known-wrong variant: gives parameters whose .grad is None a zero gradient and reduces it, instead of skipping them."""

from __future__ import annotations

import torch
import torch.distributed as dist
from torch import nn


def all_reduce_mean(tensor: torch.Tensor) -> torch.Tensor:
    """In place on every rank: ``tensor`` becomes its mean over all ranks. Returns ``tensor``."""
    dist.all_reduce(tensor)
    tensor.div_(dist.get_world_size())
    return tensor


def average_gradients(model: nn.Module) -> None:
    """Every parameter's gradient becomes its mean over the ranks: the gradient of the full batch."""
    for p in model.parameters():
        if p.grad is None:
            p.grad = torch.zeros_like(p)  # "so every rank reduces the same list"
        all_reduce_mean(p.grad)
