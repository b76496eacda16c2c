"""Known-correct alternative: dynamic_shapes as a dict keyed by forward's argument name, mode restored by a context manager."""
from __future__ import annotations

import contextlib
import inspect
from pathlib import Path

import torch
from torch import nn
from torch.export import Dim


@contextlib.contextmanager
def _evaluating(model: nn.Module):
    flags = [(m, m.training) for m in model.modules()]
    model.eval()
    try:
        yield
    finally:
        for m, flag in flags:
            m.training = flag


def export_onnx(model: nn.Module, example: torch.Tensor, path: str | Path) -> None:
    arg = next(iter(inspect.signature(model.forward).parameters))
    with _evaluating(model):
        torch.onnx.export(model, args=(example,), f=Path(path), dynamo=True, verbose=False,
                          dynamic_shapes={arg: {0: Dim("batch")}})


def run_onnx(path: str | Path, x: torch.Tensor) -> torch.Tensor:
    from onnxruntime import InferenceSession

    sess = InferenceSession(str(path), providers=["CPUExecutionProvider"])
    feeds = {inp.name: x.detach().cpu().numpy() for inp in sess.get_inputs()[:1]}
    return torch.tensor(sess.run(None, feeds)[0])
