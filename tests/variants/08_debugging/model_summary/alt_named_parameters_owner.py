"""Known-correct alternative: parameter counts from one pass over model.named_parameters() (already de-duplicated, each tied weight under its first owner's prefix), hooks held in a contextlib.ExitStack, torch.ones input, mode restored in the stack's callbacks."""

from __future__ import annotations

import contextlib
from collections import defaultdict
from typing import NamedTuple

import torch
from torch import nn


class SummaryRow(NamedTuple):
    name: str
    type: str
    output_shape: tuple[int, ...] | None
    params: int
    trainable: int


def _own_counts(model: nn.Module) -> tuple[dict[str, int], dict[str, int]]:
    total: dict[str, int] = defaultdict(int)
    train: dict[str, int] = defaultdict(int)
    for pname, p in model.named_parameters():
        owner = pname.rpartition(".")[0]
        total[owner] += p.numel()
        if p.requires_grad:
            train[owner] += p.numel()
    return total, train


def _restore_modes(saved: list[tuple[nn.Module, bool]]) -> None:
    for module, flag in saved:
        module.training = flag


def summarize(model: nn.Module, input_shape: tuple[int, ...]) -> list[SummaryRow]:
    """One row per module of ``model`` (in ``named_modules()`` order) after one forward pass in eval mode."""
    named = list(model.named_modules())
    outputs: dict[str, tuple[int, ...] | None] = {}
    ref = next(iter(model.parameters()), None)
    if ref is None:
        ref = next(iter(model.buffers()), None)
    device = ref.device if ref is not None else "cpu"
    x = torch.ones(tuple(input_shape), dtype=torch.float32, device=device)

    with contextlib.ExitStack() as stack:
        stack.callback(_restore_modes, [(m, m.training) for _, m in named])
        for name, module in named:
            def record(mod, inp, out, _name=name):
                outputs[_name] = tuple(out.size()) if isinstance(out, torch.Tensor) else None
            stack.callback(module.register_forward_hook(record).remove)
        model.train(False)
        stack.enter_context(torch.no_grad())
        model(x)

    total, train = _own_counts(model)
    return [SummaryRow(name, type(m).__name__, outputs.get(name), total.get(name, 0), train.get(name, 0))
            for name, m in named]
