"""Known-wrong: adds torch.no_grad() and the mode restore but never calls model.eval() (Dropout/BatchNorm stay in training behaviour)."""

from __future__ import annotations

from typing import Iterable

import torch
from torch import nn


def evaluate(model: nn.Module, loader: Iterable[tuple[torch.Tensor, torch.Tensor]]) -> tuple[float, torch.Tensor]:
    was_training = model.training
    correct, total, all_logits = 0, 0, []
    try:
        with torch.no_grad():
            for inputs, labels in loader:
                logits = model(inputs)
                correct += (logits.argmax(dim=1) == labels).sum().item()
                total += labels.numel()
                all_logits.append(logits)
    finally:
        model.train(was_training)
    return correct / total, torch.cat(all_logits)
