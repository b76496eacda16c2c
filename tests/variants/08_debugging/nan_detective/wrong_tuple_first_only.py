"""Known-wrong variant: for a tuple/list output only element 0 is checked, so a non-finite second element (e.g. a hidden state) is missed."""

from __future__ import annotations

import torch
from torch import nn


def _bad(out) -> bool:
    if isinstance(out, torch.Tensor):
        return not bool(torch.isfinite(out).all())
    if isinstance(out, (tuple, list)):
        return len(out) > 0 and isinstance(out[0], torch.Tensor) and not bool(torch.isfinite(out[0]).all())
    return False


def first_nonfinite_module(model: nn.Module, x: torch.Tensor) -> str | None:
    """The name of the first module (in finishing order) whose output has a NaN or an Inf, else None."""
    if not bool(torch.isfinite(x).all()):
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
