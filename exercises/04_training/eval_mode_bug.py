"""Fix the bug: the pedestrian detector that scores 95% in validation and far less on the road.

Scenario (002 Q9, 001 Q9). Validation numbers jump from run to run, the BatchNorm statistics drift every time
someone evaluates, memory grows during validation, and after a validation pass the training loop suddenly
behaves differently. All of it traces back to the function below.

Task: fix ``evaluate`` so that it
- measures the model as it will be deployed (Dropout off, BatchNorm on its running statistics),
- builds no autograd graph,
- hands the model back in the mode the caller had it in, even if a forward pass raises: ``model.training`` as it
  was, and every submodule back in that mode too (a submodule the caller had put in a mode of its own, like a
  frozen BatchNorm in eval inside a training model, may keep its mode or follow the model's: either is fine),
- returns the accuracy over all samples (a Python float: correct predictions / samples) and the logits of every
  sample, in loader order.
"""

from __future__ import annotations

from typing import Iterable

import torch
from torch import nn


def evaluate(model: nn.Module, loader: Iterable[tuple[torch.Tensor, torch.Tensor]]) -> tuple[float, torch.Tensor]:
    """Return ``(accuracy, logits)`` of ``model`` over every ``(inputs, labels)`` batch in ``loader``."""
    correct, total, all_logits = 0, 0, []
    for inputs, labels in loader:
        logits = model(inputs)
        correct += (logits.argmax(dim=1) == labels).sum().item()
        total += labels.numel()
        all_logits.append(logits)
    model.train()  # back to training for the next epoch
    return correct / total, torch.cat(all_logits)
