"""Known-correct alternative: ExitStack of per-module hooks logging every finish event, isnan|isinf test, first bad event picked afterwards; containers walked with an explicit stack."""

from __future__ import annotations

import contextlib

import torch
from torch import nn


def _tensor_bad(t) -> bool:
    return isinstance(t, torch.Tensor) and bool((torch.isnan(t) | torch.isinf(t)).any())


def _output_bad(out) -> bool:
    pending = [out]
    while pending:  # an explicit stack instead of recursion: nested tuples, lists and dict values
        item = pending.pop()
        if isinstance(item, dict):
            pending.extend(item.values())
        elif isinstance(item, (tuple, list)):
            pending.extend(item)
        elif _tensor_bad(item):
            return True
    return False


def first_nonfinite_module(model: nn.Module, x: torch.Tensor) -> str | None:
    """The name of the first module (in finishing order) whose output has a NaN or an Inf, else None."""
    if _tensor_bad(x):
        raise ValueError("x contains NaN or Inf")
    events: list[tuple[str, bool]] = []
    with contextlib.ExitStack() as stack:
        for name, module in model.named_modules():
            def hook(_m, _i, out, _name=name):
                events.append((_name, _output_bad(out)))
            stack.callback(module.register_forward_hook(hook).remove)
        model(x)
    return next((name for name, bad in events if bad), None)
