"""Known-correct alternative: gathers every rank's copy with all_gather and copies their stacked mean back in place."""

from __future__ import annotations

import torch
import torch.distributed as dist
from torch import nn


def all_reduce_mean(tensor: torch.Tensor) -> torch.Tensor:
    """In place on every rank: ``tensor`` becomes its mean over all ranks. Returns ``tensor``."""
    world = dist.get_world_size()
    copies = [torch.empty_like(tensor) for _ in range(world)]
    dist.all_gather(copies, tensor.contiguous())
    total = copies[0].clone()
    for c in copies[1:]:
        total += c
    with torch.no_grad():
        tensor.copy_(total / world)
    return tensor


def average_gradients(model: nn.Module) -> None:
    """Every parameter's gradient becomes its mean over the ranks: the gradient of the full batch."""
    grads = [p.grad for p in model.parameters() if p.grad is not None]
    for g in grads:
        all_reduce_mean(g)
    return None
