"""Known-wrong: zeroes the gradients only after each step, so whatever sat in .grad before the epoch leaks in."""

from __future__ import annotations

from typing import Callable, Iterable

import torch
from torch import nn


def train_one_epoch(model: nn.Module, loader: Iterable, loss_fn: Callable, opt: torch.optim.Optimizer) -> float:
    model.train()
    total_loss, total_samples = 0.0, 0
    for inputs, labels in loader:
        loss = loss_fn(model(inputs), labels)
        loss.backward()
        opt.step()
        opt.zero_grad()
        total_loss += loss.item() * inputs.shape[0]
        total_samples += inputs.shape[0]
    return total_loss / total_samples
