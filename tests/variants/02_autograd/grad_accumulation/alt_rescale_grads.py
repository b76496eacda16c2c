"""Known-correct alternative: backward on loss * n_i (a per-sample sum), then divides every .grad by the total sample count before the step; grads cleared with set_to_none on the parameters directly."""

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
    for p in model.parameters():
        p.grad = None
    total = 0
    weighted = 0.0
    for inputs, targets in batches:
        n = targets.shape[0]
        loss = loss_fn(model(inputs), targets)
        (loss * n).backward()
        weighted += float(loss.detach()) * n
        total += n
    with torch.no_grad():
        for p in model.parameters():
            if p.grad is not None:
                p.grad.div_(total)
    optimizer.step()
    return weighted / total
