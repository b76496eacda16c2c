"""Known-wrong: checks torch.isnan only, so the -inf from log(0) slips through and a later layer is blamed."""

from __future__ import annotations

import torch
from torch import nn


def _has_nan(value) -> bool:
    if isinstance(value, torch.Tensor):
        return bool(torch.isnan(value).any())
    if isinstance(value, (tuple, list)):
        return any(_has_nan(item) for item in value)
    return False


def first_nonfinite_module(model: nn.Module, x: torch.Tensor) -> str | None:
    if not bool(torch.isfinite(x).all()):
        raise ValueError("the input is not finite")
    culprits: list[str] = []

    def watcher(name):
        def hook(module, args, output):
            if not culprits and _has_nan(output):
                culprits.append(name)
        return hook

    handles = [m.register_forward_hook(watcher(n)) for n, m in model.named_modules()]
    try:
        with torch.no_grad():
            model(x)
    finally:
        for handle in handles:
            handle.remove()
    return culprits[0] if culprits else None
