"""Known-correct alternative: F.hardtanh(0, 6) and type_as/to(device); dead_parameters asks autograd one parameter at a time."""

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
        h = nn.functional.hardtanh(self.stem(x), min_val=0.0, max_val=6.0)
        h = torch.relu(self.body(h))
        w = self.head.weight
        return self.head(h.to(device=w.device).type_as(w))

def train_step(model: nn.Module, optimizer: torch.optim.Optimizer, inputs: torch.Tensor, labels: torch.Tensor) -> float:
    """One optimisation step on a batch; returns the batch loss."""
    optimizer.zero_grad()
    loss = nn.functional.cross_entropy(model(inputs), labels)
    loss.backward()
    optimizer.step()
    return loss.item()


def dead_parameters(model: nn.Module, loss: torch.Tensor) -> list[str]:
    dead = []
    for name, p in model.named_parameters():
        if not p.requires_grad:
            continue
        if not loss.requires_grad:
            dead.append(name)
            continue
        (g,) = torch.autograd.grad(loss, p, retain_graph=True, allow_unused=True)
        if g is None or bool((g == 0).all()):
            dead.append(name)
    return dead
