"""Known-wrong: a layer's norm is the plain sum of its parameters' norms, not the root of the sum of squares."""

from __future__ import annotations

import torch
from torch import nn


def gradient_norms(model: nn.Module, loss: torch.Tensor) -> dict[str, float]:
    named = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    grads = torch.autograd.grad(loss, [p for _, p in named], allow_unused=True)
    return {n: 0.0 if g is None else g.norm().item() for (n, _), g in zip(named, grads)}


def vanishing_layers(norms: dict[str, float], threshold: float) -> list[str]:
    totals: dict[str, float] = {}
    for name, norm in norms.items():
        layer = name.rpartition(".")[0]
        totals[layer] = totals.get(layer, 0.0) + norm
    return [layer for layer, total in totals.items() if total < threshold]
