"""Known-correct alternative: torch.autograd.grad with materialize_grads=True (unused parameters come back as zeros, no None handling), norms via torch.linalg.vector_norm in one stacked call; layers grouped with a two-pass first-appearance list."""

from __future__ import annotations

import torch
from torch import nn


def gradient_norms(model: nn.Module, loss: torch.Tensor) -> dict[str, float]:
    """The gradient L2 norm of every trainable parameter of ``model``, by name; 0.0 where no gradient reaches."""
    trainable = {name: p for name, p in model.named_parameters() if p.requires_grad}
    if not trainable:
        return {}
    if not loss.requires_grad:
        return {name: 0.0 for name in trainable}
    grads = torch.autograd.grad(loss, tuple(trainable.values()), allow_unused=True, materialize_grads=True,
                                retain_graph=True)
    per_param = torch.stack([torch.linalg.vector_norm(g.detach().to(torch.float64)) for g in grads])
    return dict(zip(trainable, per_param.tolist()))


def _owner(name: str) -> str:
    return name[: name.rfind(".")] if "." in name else ""


def vanishing_layers(norms: dict[str, float], threshold: float) -> list[str]:
    """Layers (owning modules) whose combined gradient norm is below ``threshold``, in order of appearance."""
    order: list[str] = []
    total: dict[str, float] = {}
    for name, value in norms.items():
        layer = _owner(name)
        if layer not in total:
            order.append(layer)
            total[layer] = 0.0
        total[layer] += float(value) ** 2
    return [layer for layer in order if total[layer] ** 0.5 < threshold]
