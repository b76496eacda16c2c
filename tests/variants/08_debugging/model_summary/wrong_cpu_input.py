"""Known-wrong variant: builds the input with torch.zeros(input_shape) on the CPU, so a model on another device (cuda, meta) fails."""

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
    shapes: dict[nn.Module, tuple[int, ...] | None] = {}

    def record(module: nn.Module, args: tuple, output: object) -> None:
        shapes[module] = tuple(output.shape) if isinstance(output, torch.Tensor) else None

    modes = {module: module.training for module in model.modules()}
    handles = [module.register_forward_hook(record) for module in model.modules()]
    model.eval()
    try:
        with torch.no_grad():
            model(torch.zeros(input_shape))
    finally:
        for handle in handles:
            handle.remove()
        # model.train(flag) would overwrite every child with the root's flag; restore each one as it was
        for module, training in modes.items():
            module.training = training

    rows: list[SummaryRow] = []
    counted: set[int] = set()
    for name, module in model.named_modules():
        own = [p for p in module.parameters(recurse=False) if id(p) not in counted]
        counted.update(id(p) for p in own)
        rows.append(SummaryRow(
            name=name,
            type=type(module).__name__,
            output_shape=shapes.get(module),
            params=sum(p.numel() for p in own),
            trainable=sum(p.numel() for p in own if p.requires_grad),
        ))
    return rows
