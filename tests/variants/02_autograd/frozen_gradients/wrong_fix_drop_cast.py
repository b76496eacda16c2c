"""Known-wrong: deletes the dtype/device cast: fine while all layers share a dtype, fails when the head is float64."""

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
        h = nn.functional.relu6(h)
        h = torch.relu(self.body(h))
        return self.head(h)

def train_step(model: nn.Module, optimizer: torch.optim.Optimizer, inputs: torch.Tensor, labels: torch.Tensor) -> float:
    """One optimisation step on a batch; returns the batch loss."""
    optimizer.zero_grad()
    loss = nn.functional.cross_entropy(model(inputs), labels)
    loss.backward()
    optimizer.step()
    return loss.item()


def dead_parameters(model: nn.Module, loss: torch.Tensor) -> list[str]:
    named = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    if not loss.requires_grad:
        return [n for n, _ in named]
    grads = torch.autograd.grad(loss, [p for _, p in named], retain_graph=True, allow_unused=True)
    return [n for (n, _), g in zip(named, grads) if g is None or not g.any()]
