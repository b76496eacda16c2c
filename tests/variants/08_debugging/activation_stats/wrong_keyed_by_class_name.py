"""Known-wrong: keys entries by the module's class name, so two Linear layers overwrite each other."""

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

    def hook(module, args, output):
        if isinstance(output, torch.Tensor):
            stats[type(module).__name__] = ActivationStats(tuple(output.shape), output.mean().item(),
                                                           output.std().item())

    handles = [m.register_forward_hook(hook) for m in model.modules() if not list(m.children())]
    try:
        with torch.no_grad():
            model(x)
    finally:
        for handle in handles:
            handle.remove()
    return stats
