"""Known-wrong variant: keeps a (detached, storage-sharing) reference to each output and computes the stats after the pass, so an output later changed in place (nn.ReLU(inplace=True) after a Linear) reports the modified values, not what the module produced."""

from __future__ import annotations

from typing import NamedTuple

import torch
from torch import nn


class ActivationStats(NamedTuple):
    shape: tuple[int, ...]
    mean: float
    std: float


def record_activation_stats(model: nn.Module, x: torch.Tensor) -> dict[str, ActivationStats]:
    """Run ``model(x)`` once and return the output statistics of every leaf module, in the order they ran."""
    kept: dict[str, torch.Tensor] = {}
    handles = []

    def make_hook(name):
        def hook(module, inputs, output):
            if not isinstance(output, torch.Tensor):
                return
            kept[name] = output.detach()
        return hook

    for name, module in model.named_modules():
        if next(module.children(), None) is None:
            handles.append(module.register_forward_hook(make_hook(name)))
    try:
        model(x)
    finally:
        for h in handles:
            h.remove()
    return {name: ActivationStats(tuple(t.shape), float(t.mean()), float(t.std())) for name, t in kept.items()}
