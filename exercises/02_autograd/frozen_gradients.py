"""Fix the bug: the pedestrian detector whose weights are not updating.

Scenario (002 Q1). The pedestrian classifier trains for hours and its loss stays stuck high. The learning rate
and the data have been checked twice. A colleague printed the weights after a hundred steps: most of them are
still exactly the values they were initialised with, and only the last layer has moved. The model's outputs
look right; nobody changed ``train_step``, which is correct as written.

Task:
- fix ``PedestrianNet`` so that every one of its parameters learns. Keep its layers (``stem``, ``body``,
  ``head``: the tests use these names) and keep what it computes: for the same weights and inputs, the
  outputs must stay exactly what they are now, in the head's dtype and on the head's device (the head is
  sometimes kept in float64, or moved, on its own).
- write ``dead_parameters(model, loss)``, the check that would have found this in a minute: the names of the
  trainable parameters (``requires_grad=True``, in ``model.named_parameters()`` order) whose gradient of
  ``loss`` is None or all zeros. It runs in the middle of a training step, so it must not disturb it: every
  ``.grad`` is left exactly as it was (stale values in ``.grad`` must not fool it either), and ``loss.backward()``
  still works afterwards. A loss with no autograd graph at all means every trainable parameter is dead.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn


class PedestrianNet(nn.Module):
    """Pedestrian / no pedestrian from a frame's pre-extracted feature vector."""

    def __init__(self, in_features: int = 8, hidden: int = 16, num_classes: int = 2) -> None:
        super().__init__()
        self.stem = nn.Linear(in_features, hidden)
        self.body = nn.Linear(hidden, hidden)
        self.head = nn.Linear(hidden, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.stem(x)
        # ReLU6, exactly as the int8 deployment build clips it
        h = torch.from_numpy(np.clip(h.detach().numpy(), 0.0, 6.0))
        h = torch.relu(self.body(h))
        # the head is sometimes kept in float64 for calibration: hand it features in its own dtype and device
        h = torch.tensor(h, dtype=self.head.weight.dtype, device=self.head.weight.device)
        return self.head(h)


def train_step(model: nn.Module, optimizer: torch.optim.Optimizer, inputs: torch.Tensor, labels: torch.Tensor) -> float:
    """One optimisation step on a batch; returns the batch loss."""
    optimizer.zero_grad()
    loss = nn.functional.cross_entropy(model(inputs), labels)
    loss.backward()
    optimizer.step()
    return loss.item()


def dead_parameters(model: nn.Module, loss: torch.Tensor) -> list[str]:
    """Names of the trainable parameters whose gradient of ``loss`` is None or all zeros."""
    raise NotImplementedError(
        "02_autograd/frozen_gradients: ask autograd for d loss / d param of every trainable parameter "
        "without writing into .grad, and list the names whose gradient is None or all zeros")
