"""Known-wrong: saves/loads the program with torch.save / torch.load(weights_only=False) instead of torch.export.save/load."""
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
        model.train(was_training)


def save_program(program: ExportedProgram, path: str | Path) -> None:
    torch.save(program, path)


def load_program(path: str | Path) -> ExportedProgram:
    return torch.load(path, weights_only=False)
