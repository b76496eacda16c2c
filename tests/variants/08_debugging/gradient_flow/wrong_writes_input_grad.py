"""Known-wrong variant: swaps the parameters' .grad out and back, but runs loss.backward() without inputs=, so an input that requires grad gets a .grad."""

from __future__ import annotations

import math

import torch
from torch import nn


def gradient_norms(model: nn.Module, loss: torch.Tensor) -> dict[str, float]:
    named = [(name, p) for name, p in model.named_parameters() if p.requires_grad]
    if not named or not loss.requires_grad:
        return {name: 0.0 for name, _ in named}
    saved = [p.grad for _, p in named]
    try:
        for _, p in named:
            p.grad = None
        loss.backward(retain_graph=True)
        return {name: 0.0 if p.grad is None else p.grad.norm().item() for name, p in named}
    finally:
        for (_, p), g in zip(named, saved):
            p.grad = g


def vanishing_layers(norms: dict[str, float], threshold: float) -> list[str]:
    squared: dict[str, float] = {}
    for name, norm in norms.items():
        layer = name.rpartition(".")[0]
        squared[layer] = squared.get(layer, 0.0) + norm * norm
    return [layer for layer, total in squared.items() if math.sqrt(total) < threshold]

