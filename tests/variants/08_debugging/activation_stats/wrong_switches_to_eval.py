"""Known-wrong variant: switches the model to eval for the pass (and restores every flag afterwards), so a BatchNorm in train mode reports running-statistics outputs, not what model(x) gives."""

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

    def recorder(name: str):
        def hook(module: nn.Module, args: tuple, output: object) -> None:
            if isinstance(output, torch.Tensor):
                values = output.detach().float()
                stats[name] = ActivationStats(tuple(output.shape), values.mean().item(), values.std().item())
        return hook

    handles = [module.register_forward_hook(recorder(name))
               for name, module in model.named_modules() if next(module.children(), None) is None]
    modes = {module: module.training for module in model.modules()}
    model.eval()
    try:
        # statistics only: no graph is needed, and none should stay alive through the recorded tensors
        with torch.no_grad():
            model(x)
    finally:
        for handle in handles:
            handle.remove()
        for module, training in modes.items():
            module.training = training
    return stats
