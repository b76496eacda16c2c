"""Known-wrong: removes the hooks after a successful forward only; a forward that raises leaves them registered."""

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

    handles = [m.register_forward_hook(recorder(n)) for n, m in model.named_modules() if not list(m.children())]
    with torch.no_grad():
        model(x)
    for handle in handles:
        handle.remove()
    return stats
