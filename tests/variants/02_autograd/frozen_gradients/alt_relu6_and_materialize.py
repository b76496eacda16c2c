"""Known-correct alternative: F.relu6 and h.to(self.head.weight); per-parameter grads via materialize_grads=True and count_nonzero."""

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
        h = nn.functional.relu6(self.stem(x))
        h = torch.relu(self.body(h))
        h = h.to(self.head.weight)
        return self.head(h)

def train_step(model: nn.Module, optimizer: torch.optim.Optimizer, inputs: torch.Tensor, labels: torch.Tensor) -> float:
    """One optimisation step on a batch; returns the batch loss."""
    optimizer.zero_grad()
    loss = nn.functional.cross_entropy(model(inputs), labels)
    loss.backward()
    optimizer.step()
    return loss.item()


def _trainable(model: nn.Module) -> list[tuple[str, nn.Parameter]]:
    return [(name, p) for name, p in model.named_parameters() if p.requires_grad]


def dead_parameters(model: nn.Module, loss: torch.Tensor) -> list[str]:
    trainable = _trainable(model)
    if not trainable:
        return []
    if loss.grad_fn is None and not loss.requires_grad:
        return [name for name, _ in trainable]
    grads = torch.autograd.grad(loss, [p for _, p in trainable], retain_graph=True,
                                allow_unused=True, materialize_grads=True)
    return [name for (name, _), g in zip(trainable, grads) if torch.count_nonzero(g) == 0]
