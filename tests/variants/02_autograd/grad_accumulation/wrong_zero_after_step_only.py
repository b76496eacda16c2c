"""Known-wrong variant: never clears .grad first, so stale gradients already in .grad are added into the step."""

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
    total = sum(len(t) for _, t in batches)
    acc = 0.0
    for inputs, targets in batches:
        loss = loss_fn(model(inputs), targets)
        share = len(targets) / total
        (loss * share).backward()
        acc += loss.item() * share
    optimizer.step()
    optimizer.zero_grad()
    return acc
