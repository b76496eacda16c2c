"""Known-wrong variant: runs the eval-mode forward pass without torch.no_grad(), so autograd records a graph."""

from __future__ import annotations

from typing import NamedTuple

import torch
from torch import nn


class SummaryRow(NamedTuple):
    name: str
    type: str
    output_shape: tuple[int, ...] | None
    params: int
    trainable: int


def summarize(model: nn.Module, input_shape: tuple[int, ...]) -> list[SummaryRow]:
    """One row per module of ``model`` (in ``named_modules()`` order) after one forward pass in eval mode."""
    modules = list(model.named_modules())
    shapes: dict[int, tuple[int, ...] | None] = {}
    handles = []

    def hook(module, inputs, output):
        shapes[id(module)] = tuple(int(s) for s in output.shape) if isinstance(output, torch.Tensor) else None

    first = next(model.parameters(), None)
    device = first.device if first is not None else torch.device("cpu")
    x = torch.zeros(input_shape, dtype=torch.float32, device=device)
    flags = [(m, m.training) for _, m in modules]
    try:
        for _, m in modules:
            handles.append(m.register_forward_hook(hook))
        model.eval()
        model(x)
    finally:
        for h in handles:
            h.remove()
        for m, flag in flags:
            m.training = flag

    rows: list[SummaryRow] = []
    seen: set[int] = set()
    for name, m in modules:
        params = trainable = 0
        for p in m.parameters(recurse=False):
            if id(p) in seen:
                continue
            seen.add(id(p))
            params += p.numel()
            if p.requires_grad:
                trainable += p.numel()
        rows.append(SummaryRow(name, type(m).__name__, shapes.get(id(m)), params, trainable))
    return rows
