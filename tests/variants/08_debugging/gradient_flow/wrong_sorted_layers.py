"""Known-wrong variant: returns the vanishing layers sorted by name, so with ten or more layers "10" comes before "2"."""

from __future__ import annotations

import math

import torch
from torch import nn



def gradient_norms(model: nn.Module, loss: torch.Tensor) -> dict[str, float]:
    named = [(name, p) for name, p in model.named_parameters() if p.requires_grad]
    if not named or not loss.requires_grad:
        return {name: 0.0 for name, _ in named}
    grads = torch.autograd.grad(loss, [p for _, p in named], allow_unused=True, retain_graph=True)
    return {name: 0.0 if g is None else g.norm().item() for (name, _), g in zip(named, grads)}


def vanishing_layers(norms: dict[str, float], threshold: float) -> list[str]:
    squared: dict[str, float] = {}
    for name, norm in norms.items():
        layer = name.rpartition(".")[0]
        squared[layer] = squared.get(layer, 0.0) + norm * norm
    return sorted(layer for layer, total in squared.items() if math.sqrt(total) < threshold)
