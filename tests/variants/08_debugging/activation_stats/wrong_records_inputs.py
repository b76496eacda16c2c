"""Known-wrong: a forward *pre*-hook, so it records each module's input instead of its output."""

from __future__ import annotations

from typing import NamedTuple

import torch
from torch import nn


class ActivationStats(NamedTuple):
    shape: tuple[int, ...]
    mean: float
    std: float


def record_activation_stats(model: nn.Module, x: torch.Tensor) -> dict[str, ActivationStats]:
    stats: dict[str, ActivationStats] = {}

    def recorder(name):
        def hook(module, args):
            value = args[0]
            if isinstance(value, torch.Tensor):
                stats[name] = ActivationStats(tuple(value.shape), value.mean().item(), value.std().item())
        return hook

    handles = [m.register_forward_pre_hook(recorder(n)) for n, m in model.named_modules() if not list(m.children())]
    try:
        with torch.no_grad():
            model(x)
    finally:
        for handle in handles:
            handle.remove()
    return stats
