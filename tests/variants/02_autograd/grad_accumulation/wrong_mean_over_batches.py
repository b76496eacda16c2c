"""Known-wrong variant: scales each micro-batch loss by 1/len(batches) instead of its sample share (right only when all micro-batches have the same size)."""

from __future__ import annotations

from typing import Callable, Sequence

import torch
from torch import nn


def accumulated_step(
    model: nn.Module,
    optimizer: torch.optim.Optimizer,
    batches: Sequence[tuple[torch.Tensor, torch.Tensor]],
    loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
) -> float:
    """One optimizer step on the batch formed by ``batches``; returns that batch's mean loss."""
    optimizer.zero_grad()
    total = sum(len(t) for _, t in batches)
    acc = 0.0
    for inputs, targets in batches:
        loss = loss_fn(model(inputs), targets)
        (loss / len(batches)).backward()
        acc += loss.item() * len(targets) / total
    optimizer.step()
    return acc
