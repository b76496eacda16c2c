"""Export a model to ONNX with a dynamic batch axis, and run the file with ONNX Runtime.

Scenario (002 Q3, 003 Q96). The smart-home camera runs models with ONNX Runtime, not PyTorch, so the intruder
detector ships as an ``.onnx`` file. The seed's one-liner ``torch.onnx.export(model, dummy_input, path)`` hides
two traps: the file is fixed to the dummy input's batch size unless the batch axis is declared dynamic, and
the model must be in eval mode (Dropout and BatchNorm behave differently in training; the exporter warns when
handed a training-mode model, and a deployment log full of warnings hides the ones that matter). Current
PyTorch exports through ``torch.export`` (``dynamo=True``), so the dynamic axis is declared the torch.export
way, with ``dynamic_shapes`` and a ``torch.export.Dim``.

Needs the optional extra: ``pip install -e ".[onnx]"`` (onnx, onnxscript, onnxruntime); without it these tests
are skipped. Import ``onnxruntime`` inside ``run_onnx``, so this file still loads without the extra.

Task: write
- ``export_onnx(model, example, path)``: export ``model`` in eval mode with ``torch.onnx.export(...,
  dynamo=True)`` on ``example`` (a single tensor whose first dimension is the batch, 2 or more) to ``path``,
  with a dynamic batch dimension, quietly (``verbose=False``: the exporter otherwise prints its progress).
  The caller's model comes back as it was, also when the export fails: each submodule in its own mode (one
  frozen in eval inside a model in train mode stays in eval).
- ``run_onnx(path, x)``: run the file with ``onnxruntime.InferenceSession`` on the CPU and return its first
  output as a ``torch.Tensor``. Feed ``x`` under the input name the file declares (ask the session for it;
  the exporter chooses it), not a hard-coded one.
"""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn
from torch.export import Dim


def export_onnx(model: nn.Module, example: torch.Tensor, path: str | Path) -> None:
    """Write ``model`` (in eval mode, batch dimension dynamic) to the ONNX file ``path``."""
    # model.train(flag) would force one mode on every submodule: remember each one's own
    modes = [(module, module.training) for module in model.modules()]
    model.eval()
    try:
        torch.onnx.export(model, (example,), str(path), dynamo=True, dynamic_shapes=({0: Dim("batch")},),
                          verbose=False)
    finally:
        for module, training in modes:
            module.training = training


def run_onnx(path: str | Path, x: torch.Tensor) -> torch.Tensor:
    """Run the ONNX file at ``path`` on ``x`` with ONNX Runtime (CPU) and return the first output."""
    import onnxruntime  # the optional extra: imported only when an ONNX file is actually run

    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    input_name = session.get_inputs()[0].name
    outputs = session.run(None, {input_name: x.detach().cpu().numpy()})
    return torch.from_numpy(outputs[0])
