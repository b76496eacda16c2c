"""Known-wrong: zero_grad() + loss.backward() and reads .grad: right norms, but the caller's .grad is clobbered."""

from __future__ import annotations

import math

import torch
from torch import nn


def gradient_norms(model: nn.Module, loss: torch.Tensor) -> dict[str, float]:
    model.zero_grad(set_to_none=True)
    loss.backward()
    return {n: (p.grad.norm().item() if p.grad is not None else 0.0)
            for n, p in model.named_parameters() if p.requires_grad}


def vanishing_layers(norms: dict[str, float], threshold: float) -> list[str]:
    squared: dict[str, float] = {}
    for name, norm in norms.items():
        layer = name.rpartition(".")[0]
        squared[layer] = squared.get(layer, 0.0) + norm * norm
    return [layer for layer, total in squared.items() if math.sqrt(total) < threshold]
