"""Known-wrong: feeds x under the hard-coded name 'x' (right only for models whose forward argument is called x)."""
from __future__ import annotations

from pathlib import Path

import torch
from torch import nn
from torch.export import Dim


def export_onnx(model: nn.Module, example: torch.Tensor, path: str | Path) -> None:
    was_training = model.training
    model.eval()
    try:
        torch.onnx.export(model, (example,), str(path), dynamo=True, verbose=False,
                          dynamic_shapes=({0: Dim("batch")},))
    finally:
        model.train(was_training)


def run_onnx(path: str | Path, x: torch.Tensor) -> torch.Tensor:
    import onnxruntime

    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    name = session.get_inputs()[0].name
    return torch.from_numpy(session.run(None, {"x": x.detach().cpu().numpy()})[0])
