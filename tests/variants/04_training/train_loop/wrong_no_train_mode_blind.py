"""Known-wrong: never calls model.train(), so a model handed over in eval mode trains in eval mode."""

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
    total, count = 0.0, 0
    for inputs, labels in loader:
        opt.zero_grad()
        loss = loss_fn(model(inputs), labels)
        loss.backward()
        opt.step()
        total += loss.item() * len(inputs)
        count += len(inputs)
    return total / count
