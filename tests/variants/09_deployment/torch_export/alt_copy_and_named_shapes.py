"""Known-correct alternative: exports an eval-mode deepcopy (caller untouched) with dynamic_shapes keyed by the forward argument's name."""
from __future__ import annotations

import copy
import inspect
from pathlib import Path

import torch
from torch import nn
from torch.export import Dim, ExportedProgram


def _first_arg_name(model: nn.Module) -> str:
    return next(iter(inspect.signature(model.forward).parameters))


def export_model(model: nn.Module, example: torch.Tensor, dynamic_batch: bool = True) -> ExportedProgram:
    frozen = copy.deepcopy(model).eval()
    shapes = {_first_arg_name(model): {0: Dim("batch")}} if dynamic_batch else None
    return torch.export.export(frozen, args=(example,), dynamic_shapes=shapes)


def save_program(program: ExportedProgram, path: str | Path) -> None:
    with open(path, "wb") as f:
        torch.export.save(program, f)


def load_program(path: str | Path) -> ExportedProgram:
    with open(path, "rb") as f:
        return torch.export.load(f)
