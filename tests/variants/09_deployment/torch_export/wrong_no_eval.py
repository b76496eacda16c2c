"""Known-wrong: exports the model in whatever mode it is in (training-mode Dropout/BatchNorm recorded)."""
from __future__ import annotations

from pathlib import Path

import torch
from torch import nn
from torch.export import Dim, ExportedProgram


def export_model(model: nn.Module, example: torch.Tensor, dynamic_batch: bool = True) -> ExportedProgram:
    was_training = model.training
    try:
        shapes = ({0: Dim("batch")},) if dynamic_batch else None
        return torch.export.export(model, (example,), dynamic_shapes=shapes)
    finally:
        model.train(was_training)


def save_program(program: ExportedProgram, path: str | Path) -> None:
    torch.export.save(program, path)


def load_program(path: str | Path) -> ExportedProgram:
    return torch.export.load(path)
