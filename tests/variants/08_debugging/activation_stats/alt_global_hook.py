"""Known-correct alternative: one global module forward hook (torch.nn.modules.module.register_module_forward_hook) filtered by an id -> name map of the leaf modules, instead of one hook per module; first-run order kept in a separate list."""

from __future__ import annotations

from typing import NamedTuple

import torch
from torch import nn
from torch.nn.modules.module import register_module_forward_hook


class ActivationStats(NamedTuple):
    shape: tuple[int, ...]
    mean: float
    std: float


def _leaf_names(model: nn.Module) -> dict[int, str]:
    names: dict[int, str] = {}
    for name, module in model.named_modules():
        if len(list(module.children())) == 0:
            names.setdefault(id(module), name)
    return names


def record_activation_stats(model: nn.Module, x: torch.Tensor) -> dict[str, ActivationStats]:
    """Run ``model(x)`` once and return the output statistics of every leaf module, in the order they ran."""
    leaves = _leaf_names(model)
    first_seen: list[str] = []
    last: dict[str, ActivationStats] = {}

    def hook(module, inputs, output):
        name = leaves.get(id(module))
        if name is None or not torch.is_tensor(output):
            return
        with torch.no_grad():
            std, mean = torch.std_mean(output, correction=1)
        if name not in last:
            first_seen.append(name)
        last[name] = ActivationStats(tuple(output.size()), mean.item(), std.item())

    handle = register_module_forward_hook(hook)
    try:
        model(x)
    finally:
        handle.remove()
    return {name: last[name] for name in first_seen}
