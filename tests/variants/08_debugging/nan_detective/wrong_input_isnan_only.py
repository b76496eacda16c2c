"""Known-wrong variant: the up-front input check uses torch.isnan, so an input holding +-inf (but no NaN) is not rejected with ValueError."""

from __future__ import annotations

import torch
from torch import nn


def _bad(out) -> bool:
    if isinstance(out, torch.Tensor):
        return not bool(torch.isfinite(out).all())
    if isinstance(out, (tuple, list)):
        return any(isinstance(t, torch.Tensor) and not bool(torch.isfinite(t).all()) for t in out)
    return False


def first_nonfinite_module(model: nn.Module, x: torch.Tensor) -> str | None:
    """The name of the first module (in finishing order) whose output has a NaN or an Inf, else None."""
    if bool(torch.isnan(x).any()):
        raise ValueError("input is not finite")
    found: list[str] = []
    handles = []

    def make_hook(name):
        def hook(module, inputs, output):
            if not found and _bad(output):
                found.append(name)
        return hook

    try:
        for name, module in model.named_modules():
            handles.append(module.register_forward_hook(make_hook(name)))
        model(x)
    finally:
        for h in handles:
            h.remove()
    return found[0] if found else None
