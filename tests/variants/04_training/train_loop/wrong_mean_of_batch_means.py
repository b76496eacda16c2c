"""Known-wrong: returns the mean of per-batch losses, overweighting a short last batch."""

from __future__ import annotations

from typing import Callable, Iterable

import torch
from torch import nn


def train_one_epoch(model: nn.Module, loader: Iterable, loss_fn: Callable, opt: torch.optim.Optimizer) -> float:
    model.train()
    batch_losses = []
    for inputs, labels in loader:
        opt.zero_grad()
        loss = loss_fn(model(inputs), labels)
        loss.backward()
        opt.step()
        batch_losses.append(loss.item())
    return sum(batch_losses) / len(batch_losses)
