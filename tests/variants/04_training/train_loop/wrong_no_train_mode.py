"""Known-wrong: trusts the caller's mode, so a model handed over in eval mode trains with Dropout/BN off."""

from __future__ import annotations

from typing import Callable, Iterable

import torch
from torch import nn


def train_one_epoch(model: nn.Module, loader: Iterable, loss_fn: Callable, opt: torch.optim.Optimizer) -> float:
    total_loss, total_samples = 0.0, 0
    for inputs, labels in loader:
        opt.zero_grad()
        loss = loss_fn(model(inputs), labels)
        loss.backward()
        opt.step()
        total_loss += loss.item() * inputs.shape[0]
        total_samples += inputs.shape[0]
    return total_loss / total_samples
