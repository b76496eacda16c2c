"""Known-wrong: removes the hooks and restores the modes only when the forward pass succeeds."""

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
    shapes = {}

    def record(module, args, output):
        shapes[module] = tuple(output.shape) if isinstance(output, torch.Tensor) else None

    modes = {m: m.training for m in model.modules()}
    handles = [m.register_forward_hook(record) for m in model.modules()]
    model.eval()
    with torch.no_grad():
        model(torch.zeros(input_shape))
    for handle in handles:
        handle.remove()
    for m, training in modes.items():
        m.training = training
    rows, counted = [], set()
    for name, m in model.named_modules():
        own = [p for p in m.parameters(recurse=False) if id(p) not in counted]
        counted.update(id(p) for p in own)
        rows.append(SummaryRow(name, type(m).__name__, shapes.get(m), sum(p.numel() for p in own),
                               sum(p.numel() for p in own if p.requires_grad)))
    return rows
