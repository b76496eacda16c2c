"""Known-wrong: counts module.parameters() recursively, so every container repeats its children's parameters."""

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
    try:
        with torch.no_grad():
            model(torch.zeros(input_shape))
    finally:
        for handle in handles:
            handle.remove()
        for m, training in modes.items():
            m.training = training
    return [SummaryRow(name, type(m).__name__, shapes.get(m), sum(p.numel() for p in m.parameters()),
                       sum(p.numel() for p in m.parameters() if p.requires_grad))
            for name, m in model.named_modules()]
