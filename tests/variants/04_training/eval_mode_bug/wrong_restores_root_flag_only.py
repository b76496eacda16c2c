"""Known-wrong: restores only the root's `training` attribute, so every submodule (Dropout, BatchNorm) stays in eval."""

from __future__ import annotations

from typing import Iterable

import torch
from torch import nn


def evaluate(model: nn.Module, loader: Iterable[tuple[torch.Tensor, torch.Tensor]]) -> tuple[float, torch.Tensor]:
    """Return ``(accuracy, logits)`` of ``model`` over every ``(inputs, labels)`` batch in ``loader``."""
    was_training = model.training
    model.eval()
    correct, total, all_logits = 0, 0, []
    try:
        with torch.no_grad():
            for inputs, labels in loader:
                logits = model(inputs)
                correct += (logits.argmax(dim=1) == labels).sum().item()
                total += labels.numel()
                all_logits.append(logits)
    finally:
        # restore exactly what the caller had: a blanket model.train() would flip an eval-mode caller
        model.training = was_training  # the root's flag only: submodules stay in eval
    return correct / total, torch.cat(all_logits)
