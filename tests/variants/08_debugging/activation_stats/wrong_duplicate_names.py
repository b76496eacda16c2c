"""Known-wrong variant: uses named_modules(remove_duplicate=False), so a module registered under two names is reported under both (and hooked twice) instead of once under its named_modules() name."""

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
    stats: dict[str, ActivationStats] = {}
    handles = []

    def make_hook(name):
        def hook(module, inputs, output):
            if not isinstance(output, torch.Tensor):
                return
            out = output.detach()
            stats[name] = ActivationStats(tuple(int(s) for s in out.shape), float(out.mean().item()),
                                          float(out.std().item()))
        return hook

    for name, module in model.named_modules(remove_duplicate=False):
        if next(module.children(), None) is None:
            handles.append(module.register_forward_hook(make_hook(name)))
    try:
        model(x)
    finally:
        for h in handles:
            h.remove()
    return stats
