"""Known-wrong: loss.backward() without clearing first, so stale gradients add into the measured norms."""

from __future__ import annotations

import math

import torch
from torch import nn


def gradient_norms(model: nn.Module, loss: torch.Tensor) -> dict[str, float]:
    loss.backward()
    return {n: (p.grad.norm().item() if p.grad is not None else 0.0)
            for n, p in model.named_parameters() if p.requires_grad}


def vanishing_layers(norms: dict[str, float], threshold: float) -> list[str]:
    squared: dict[str, float] = {}
    for name, norm in norms.items():
        layer = name.rpartition(".")[0]
        squared[layer] = squared.get(layer, 0.0) + norm * norm
    return [layer for layer, total in squared.items() if math.sqrt(total) < threshold]
