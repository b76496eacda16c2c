"""Known-wrong variant: a loss cut off from every parameter (no grad_fn, requires_grad False) makes torch.autograd.grad raise instead of every parameter reporting 0.0."""

from __future__ import annotations

import math

import torch
from torch import nn


def gradient_norms(model: nn.Module, loss: torch.Tensor) -> dict[str, float]:
    """The gradient L2 norm of every trainable parameter of ``model``, by name; 0.0 where no gradient reaches."""
    named = [(name, p) for name, p in model.named_parameters() if p.requires_grad]
    if not named:
        return {}
    grads = torch.autograd.grad(loss, [p for _, p in named], allow_unused=True)
    norms: dict[str, float] = {}
    for (name, _), g in zip(named, grads):
        norms[name] = 0.0 if g is None else float(g.norm(2).item())
    return norms


def vanishing_layers(norms: dict[str, float], threshold: float) -> list[str]:
    """Layers (owning modules) whose combined gradient norm is below ``threshold``, in order of appearance."""
    squares: dict[str, float] = {}
    for name, value in norms.items():
        layer = name.rsplit(".", 1)[0] if "." in name else ""
        squares[layer] = squares.get(layer, 0.0) + value * value
    return [layer for layer, sq in squares.items() if math.sqrt(sq) < threshold]
