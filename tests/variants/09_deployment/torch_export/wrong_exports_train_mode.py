"""Known-wrong: exports the model in the mode it is in, baking training-mode Dropout and BatchNorm into the graph."""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn
from torch.export import Dim, ExportedProgram


def export_model(model: nn.Module, example: torch.Tensor, dynamic_batch: bool = True) -> ExportedProgram:
    dynamic_shapes = ({0: Dim("batch")},) if dynamic_batch else None
    return torch.export.export(model, (example,), dynamic_shapes=dynamic_shapes)


def save_program(program: ExportedProgram, path: str | Path) -> None:
    torch.export.save(program, path)


def load_program(path: str | Path) -> ExportedProgram:
    return torch.export.load(path)
