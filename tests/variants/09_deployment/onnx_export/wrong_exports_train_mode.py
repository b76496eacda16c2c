"""Known-wrong: exports the model in training mode, so the file keeps Dropout and batch-statistics BatchNorm."""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn
from torch.export import Dim


def export_onnx(model: nn.Module, example: torch.Tensor, path: str | Path) -> None:
    torch.onnx.export(model, (example,), str(path), dynamo=True, dynamic_shapes=({0: Dim("batch")},),
                      verbose=False)


def run_onnx(path: str | Path, x: torch.Tensor) -> torch.Tensor:
    import onnxruntime

    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return torch.from_numpy(session.run(None, {session.get_inputs()[0].name: x.numpy()})[0])
