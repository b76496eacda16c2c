"""Known-correct alternative: Dim.DYNAMIC marker instead of a named Dim, contextlib restore, str paths."""
from __future__ import annotations

import contextlib
from pathlib import Path

import torch
from torch import nn
from torch.export import Dim, ExportedProgram


@contextlib.contextmanager
def _eval_mode(model: nn.Module):
    modes = [(m, m.training) for m in model.modules()]
    model.eval()
    try:
        yield model
    finally:
        for m, flag in modes:
            m.training = flag


def export_model(model: nn.Module, example: torch.Tensor, dynamic_batch: bool = True) -> ExportedProgram:
    dims = [Dim.DYNAMIC if dynamic_batch else Dim.STATIC] + [Dim.STATIC] * (example.dim() - 1)
    with _eval_mode(model):
        return torch.export.export(model, (example,), dynamic_shapes=(dims,))


def save_program(program: ExportedProgram, path: str | Path) -> None:
    torch.export.save(program, str(path))


def load_program(path: str | Path) -> ExportedProgram:
    return torch.export.load(str(path))
