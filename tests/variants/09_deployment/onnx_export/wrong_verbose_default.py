"""Known-wrong: leaves verbose at its default, so the dynamo exporter prints its [torch.onnx] progress lines."""
from __future__ import annotations

from pathlib import Path

import torch
from torch import nn
from torch.export import Dim


def export_onnx(model: nn.Module, example: torch.Tensor, path: str | Path) -> None:
    was_training = model.training
    model.eval()
    try:
        torch.onnx.export(model, (example,), str(path), dynamo=True,
                          dynamic_shapes=({0: Dim("batch")},))
    finally:
        model.train(was_training)


def run_onnx(path: str | Path, x: torch.Tensor) -> torch.Tensor:
    import onnxruntime

    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    name = session.get_inputs()[0].name
    return torch.from_numpy(session.run(None, {name: x.detach().cpu().numpy()})[0])
