"""Known-wrong: accumulates the loss tensors themselves, keeping every batch graph alive until the end."""

from __future__ import annotations

from typing import Callable, Iterable

import torch
from torch import nn


def train_one_epoch(
    model: nn.Module,
    loader: Iterable[tuple[torch.Tensor, torch.Tensor]],
    loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    opt: torch.optim.Optimizer,
) -> float:
    model.train()
    total, count = 0.0, 0
    for inputs, labels in loader:
        opt.zero_grad()
        loss = loss_fn(model(inputs), labels)
        loss.backward(retain_graph=True)
        opt.step()
        total = total + loss * len(inputs)
        count += len(inputs)
    return float(total / count)
