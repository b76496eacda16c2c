"""Known-wrong variant: returns the batch loss as a 0-d tensor (detached) instead of a Python float."""

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
    acc = torch.zeros(())
    for inputs, targets in batches:
        loss = loss_fn(model(inputs), targets)
        share = len(targets) / total
        (loss * share).backward()
        acc = acc + loss.detach() * share
    optimizer.step()
    return acc
