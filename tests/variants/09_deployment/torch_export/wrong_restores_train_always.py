"""Known-wrong: hands the model back in train mode whatever mode the caller had it in."""
from __future__ import annotations

from pathlib import Path

import torch
from torch import nn
from torch.export import Dim, ExportedProgram


def export_model(model: nn.Module, example: torch.Tensor, dynamic_batch: bool = True) -> ExportedProgram:
    was_training = model.training
    model.eval()
    try:
        shapes = ({0: Dim("batch")},) if dynamic_batch else None
        return torch.export.export(model, (example,), dynamic_shapes=shapes)
    finally:
        model.train()


def save_program(program: ExportedProgram, path: str | Path) -> None:
    torch.export.save(program, path)


def load_program(path: str | Path) -> ExportedProgram:
    return torch.export.load(path)
