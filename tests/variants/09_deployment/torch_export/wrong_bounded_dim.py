"""Known-wrong: Dim('batch', min=2, max=64) copied from an example, so batches above 64 are rejected."""
from __future__ import annotations

from pathlib import Path

import torch
from torch import nn
from torch.export import Dim, ExportedProgram


def export_model(model: nn.Module, example: torch.Tensor, dynamic_batch: bool = True) -> ExportedProgram:
    was_training = model.training
    model.eval()
    try:
        shapes = ({0: Dim("batch", min=2, max=64)},) if dynamic_batch else None
        return torch.export.export(model, (example,), dynamic_shapes=shapes)
    finally:
        model.train(was_training)


def save_program(program: ExportedProgram, path: str | Path) -> None:
    torch.export.save(program, path)


def load_program(path: str | Path) -> ExportedProgram:
    return torch.export.load(path)
