"""Known-wrong: divides by len(loader) * first batch size, wrong when the last batch is short."""

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
    total, n_batches, bs = 0.0, 0, None
    for inputs, labels in loader:
        opt.zero_grad()
        loss = loss_fn(model(inputs), labels)
        loss.backward()
        opt.step()
        bs = bs or len(inputs)
        total += loss.item() * len(inputs)
        n_batches += 1
    return total / (n_batches * bs)
