"""Known-wrong: returns a 0-d tensor (detached accumulation) instead of a Python float."""

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
    total, count = torch.zeros(()), 0
    for inputs, labels in loader:
        opt.zero_grad()
        loss = loss_fn(model(inputs), labels)
        loss.backward()
        opt.step()
        total = total + loss.detach() * len(inputs)
        count += len(inputs)
    return total / count
