"""Export a model with torch.export: one graph, a batch dimension left free, saved and loaded as a .pt2 file.

Scenario (004, 003 Q94-Q95). The low-latency inference service wants the model as a self-contained artifact,
not as Python classes: ``torch.export`` traces ``forward`` into a single graph of ATen operations with the
weights attached, which ``torch.export.save`` writes to a ``.pt2`` file and runtimes (AOTInductor,
ExecuTorch, the ONNX exporter) take as input. Two details decide whether the artifact is usable. Shapes are
specialised to the example input unless you mark a dimension as dynamic, so a model exported with a batch of
8 rejects a batch of 1. And export records the module as it is: a model exported in training mode keeps
Dropout active and BatchNorm on batch statistics.

Task: write
- ``export_model(model, example, dynamic_batch=True)``: export ``model`` in eval mode on ``example`` (a
  single tensor whose first dimension is the batch) and return the ``torch.export.ExportedProgram``. With
  ``dynamic_batch`` the batch dimension is a ``torch.export.Dim``, so the program accepts any batch size
  (1 included); without it the program is specialised to ``example``'s shape. Tests pass examples with a
  batch of 2 or more: export treats sizes 0 and 1 as special and cannot keep a batch of 1 dynamic; the dynamic
  batch has no upper bound. The caller's model comes back as it was, also when the export fails: each submodule
  in its own mode (one frozen in eval inside a model in train mode stays in eval).
- ``save_program(program, path)`` and ``load_program(path)``: write and read the program with
  ``torch.export.save`` / ``torch.export.load`` (the file is the standard .pt2 archive other tools read, and
  ``load_program`` reads any such file). Run a loaded program with ``program.module()(x)``.
"""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn
from torch.export import Dim, ExportedProgram


def export_model(model: nn.Module, example: torch.Tensor, dynamic_batch: bool = True) -> ExportedProgram:
    """``torch.export`` of ``model`` in eval mode, with a dynamic batch dimension unless told otherwise."""
    dynamic_shapes = ({0: Dim("batch")},) if dynamic_batch else None
    # model.train(flag) would force one mode on every submodule: remember each one's own
    modes = [(module, module.training) for module in model.modules()]
    model.eval()
    try:
        return torch.export.export(model, (example,), dynamic_shapes=dynamic_shapes)
    finally:
        for module, training in modes:
            module.training = training


def save_program(program: ExportedProgram, path: str | Path) -> None:
    """Write ``program`` to ``path`` (a .pt2 file)."""
    torch.export.save(program, path)


def load_program(path: str | Path) -> ExportedProgram:
    """Read an ExportedProgram written by ``save_program``."""
    return torch.export.load(path)
