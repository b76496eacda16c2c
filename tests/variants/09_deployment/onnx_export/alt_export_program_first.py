"""Known-correct alternative: torch.export first (on an eval deepcopy), then torch.onnx.export of that ExportedProgram; ORT via SessionOptions."""
from __future__ import annotations

import copy
from pathlib import Path

import torch
from torch import nn
from torch.export import Dim


def export_onnx(model: nn.Module, example: torch.Tensor, path: str | Path) -> None:
    program = torch.export.export(copy.deepcopy(model).eval(), (example,), dynamic_shapes=({0: Dim("batch")},))
    onnx_program = torch.onnx.export(program, (example,), dynamo=True, verbose=False)
    onnx_program.save(str(path))


def run_onnx(path: str | Path, x: torch.Tensor) -> torch.Tensor:
    import numpy as np
    import onnxruntime as ort

    session = ort.InferenceSession(str(path), sess_options=ort.SessionOptions(), providers=["CPUExecutionProvider"])
    (first_input,) = session.get_inputs()[:1]
    (first_output,) = session.get_outputs()[:1]
    result = session.run([first_output.name], {first_input.name: np.ascontiguousarray(x.detach().cpu().numpy())})
    return torch.as_tensor(result[0])
