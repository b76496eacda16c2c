"""Known-wrong: removes its hooks only when the forward pass succeeds."""

from __future__ import annotations

import torch
from torch import nn


def _is_nonfinite(value) -> bool:
    if isinstance(value, torch.Tensor):
        return not bool(torch.isfinite(value).all())
    if isinstance(value, (tuple, list)):
        return any(_is_nonfinite(item) for item in value)
    return False


def first_nonfinite_module(model: nn.Module, x: torch.Tensor) -> str | None:
    if not bool(torch.isfinite(x).all()):
        raise ValueError("the input is not finite")
    culprits: list[str] = []

    def watcher(name):
        def hook(module, args, output):
            if not culprits and _is_nonfinite(output):
                culprits.append(name)
        return hook

    handles = [m.register_forward_hook(watcher(n)) for n, m in model.named_modules()]
    with torch.no_grad():
        model(x)
    for handle in handles:
        handle.remove()
    return culprits[0] if culprits else None
