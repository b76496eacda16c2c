"""Known-wrong: restores the caller's mode only when export succeeds (no finally on the error path)."""
from __future__ import annotations

from pathlib import Path

import torch
from torch import nn
from torch.export import Dim, ExportedProgram


def export_model(model: nn.Module, example: torch.Tensor, dynamic_batch: bool = True) -> ExportedProgram:
    was_training = model.training
    model.eval()
    shapes = ({0: Dim("batch")},) if dynamic_batch else None
    program = torch.export.export(model, (example,), dynamic_shapes=shapes)
    model.train(was_training)
    return program


def save_program(program: ExportedProgram, path: str | Path) -> None:
    torch.export.save(program, path)


def load_program(path: str | Path) -> ExportedProgram:
    return torch.export.load(path)
