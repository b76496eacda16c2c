"""Known-wrong: hooks every module, so containers (nn.Sequential, the model itself) get entries too."""

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
        def hook(module, args, output):
            if isinstance(output, torch.Tensor):
                stats[name] = ActivationStats(tuple(output.shape), output.mean().item(), output.std().item())
        return hook

    handles = [m.register_forward_hook(recorder(n)) for n, m in model.named_modules()]
    try:
        with torch.no_grad():
            model(x)
    finally:
        for handle in handles:
            handle.remove()
    return stats
