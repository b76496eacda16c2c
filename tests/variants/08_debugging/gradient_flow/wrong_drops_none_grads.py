"""Known-wrong: leaves out parameters that got no gradient, so a cut-off layer silently disappears."""

from __future__ import annotations

import math

import torch
from torch import nn


def gradient_norms(model: nn.Module, loss: torch.Tensor) -> dict[str, float]:
    named = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    grads = torch.autograd.grad(loss, [p for _, p in named], allow_unused=True)
    return {n: g.norm().item() for (n, _), g in zip(named, grads) if g is not None}


def vanishing_layers(norms: dict[str, float], threshold: float) -> list[str]:
    squared: dict[str, float] = {}
    for name, norm in norms.items():
        layer = name.rpartition(".")[0]
        squared[layer] = squared.get(layer, 0.0) + norm * norm
    return [layer for layer, total in squared.items() if math.sqrt(total) < threshold]
