"""Known-wrong: averages per-batch accuracies, overweighting a short last batch."""

from __future__ import annotations

from typing import Iterable

import torch
from torch import nn


def evaluate(model: nn.Module, loader: Iterable) -> tuple[float, torch.Tensor]:
    was_training = model.training
    model.eval()
    accuracies, all_logits = [], []
    try:
        with torch.no_grad():
            for inputs, labels in loader:
                logits = model(inputs)
                accuracies.append((logits.argmax(dim=1) == labels).float().mean().item())
                all_logits.append(logits)
    finally:
        model.train(was_training)
    return sum(accuracies) / len(accuracies), torch.cat(all_logits)
