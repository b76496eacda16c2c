"""Known-wrong variant: gradient and step are right, but the returned loss is the plain mean of the micro-batch losses, not sample-weighted."""

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
    losses = []
    for inputs, targets in batches:
        loss = loss_fn(model(inputs), targets)
        (loss * (len(targets) / total)).backward()
        losses.append(loss.item())
    optimizer.step()
    return sum(losses) / len(losses)
