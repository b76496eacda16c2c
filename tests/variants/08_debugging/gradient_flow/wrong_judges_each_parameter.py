"""Known-wrong: flags a layer as soon as any one of its parameters is below the threshold (a zero bias counts)."""

from __future__ import annotations

import torch
from torch import nn


def gradient_norms(model: nn.Module, loss: torch.Tensor) -> dict[str, float]:
    named = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    grads = torch.autograd.grad(loss, [p for _, p in named], allow_unused=True)
    return {n: 0.0 if g is None else g.norm().item() for (n, _), g in zip(named, grads)}


def vanishing_layers(norms: dict[str, float], threshold: float) -> list[str]:
    layers: list[str] = []
    for name, norm in norms.items():
        layer = name.rpartition(".")[0]
        if norm < threshold and layer not in layers:
            layers.append(layer)
    return layers
