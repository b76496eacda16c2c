"""Known-wrong: returns the mean of per-batch mean losses instead of the per-sample mean."""

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
    losses = []
    for inputs, labels in loader:
        opt.zero_grad()
        loss = loss_fn(model(inputs), labels)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return sum(losses) / len(losses)
