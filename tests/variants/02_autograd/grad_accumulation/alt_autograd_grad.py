"""Known-correct alternative: per micro-batch torch.autograd.grad over the optimizer's own parameters, summed by hand and written into .grad before one step."""

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
    params = [p for group in optimizer.param_groups for p in group["params"] if p.requires_grad]
    sizes = [int(t.shape[0]) for _, t in batches]
    total = sum(sizes)
    summed: list[torch.Tensor | None] = [None] * len(params)
    weighted = 0.0
    for (inputs, targets), n in zip(batches, sizes):
        loss = loss_fn(model(inputs), targets)
        grads = torch.autograd.grad(loss * (n / total), params, allow_unused=True)
        for i, g in enumerate(grads):
            if g is not None:
                summed[i] = g if summed[i] is None else summed[i] + g
        weighted += loss.item() * n / total
    for p, g in zip(params, summed):
        p.grad = g
    optimizer.step()
    return float(weighted)
