"""Known-wrong variant: averages only parameters named "*weight" (biases keep the local-slice gradient)."""

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
    for name, p in model.named_parameters():
        if name.endswith("weight") and p.grad is not None:
            all_reduce_mean(p.grad)
