"""Known-wrong: overwrites the culprit on every non-finite output, so it reports the last module (the model)."""

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
    culprit: list[str | None] = [None]

    def watcher(name):
        def hook(module, args, output):
            if _is_nonfinite(output):
                culprit[0] = name
        return hook

    handles = [m.register_forward_hook(watcher(n)) for n, m in model.named_modules()]
    try:
        with torch.no_grad():
            model(x)
    finally:
        for handle in handles:
            handle.remove()
    return culprit[0]
