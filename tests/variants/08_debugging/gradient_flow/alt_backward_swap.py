"""Known-correct alternative: uses loss.backward(inputs=...) instead of torch.autograd.grad (retain_graph=True, so the caller can still backward), after swapping every trainable parameter's .grad out (the original tensor objects, None included) and putting them back in a finally:; layer norms with math.hypot."""

from __future__ import annotations

import math

import torch
from torch import nn


def gradient_norms(model: nn.Module, loss: torch.Tensor) -> dict[str, float]:
    """The gradient L2 norm of every trainable parameter of ``model``, by name; 0.0 where no gradient reaches."""
    names: list[str] = []
    params: list[torch.Tensor] = []
    for name, p in model.named_parameters():
        if p.requires_grad:
            names.append(name)
            params.append(p)
    result = dict.fromkeys(names, 0.0)
    if not params or not loss.requires_grad:
        return result

    stashed = [p.grad for p in params]
    try:
        for p in params:
            p.grad = None
        loss.backward(inputs=params, retain_graph=True)
        for name, p in zip(names, params):
            if p.grad is not None:
                result[name] = torch.linalg.vector_norm(p.grad.detach()).item()
    finally:
        for p, g in zip(params, stashed):
            p.grad = g
    return result


def vanishing_layers(norms: dict[str, float], threshold: float) -> list[str]:
    """Layers (owning modules) whose combined gradient norm is below ``threshold``, in order of appearance."""
    by_layer: dict[str, list[float]] = {}
    for name, value in norms.items():
        owner, _, _leaf = name.rpartition(".")
        by_layer.setdefault(owner, []).append(value)
    return [owner for owner, values in by_layer.items() if math.hypot(*values) < threshold]
