"""Known-wrong: eval + no_grad, but always calls model.train() at the end, so a caller in eval mode gets a training-mode model."""

from __future__ import annotations

from typing import Iterable

import torch
from torch import nn


def evaluate(model: nn.Module, loader: Iterable[tuple[torch.Tensor, torch.Tensor]]) -> tuple[float, torch.Tensor]:
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
        model.train()
    return correct / total, torch.cat(all_logits)
