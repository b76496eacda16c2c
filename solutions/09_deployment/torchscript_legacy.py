"""TorchScript for a C++ deployment: script the model (do not trace it), save it, load it back.

Scenario (002 Q6, 003 Q94). The MRI tumour detector runs inside the company's C++ desktop application, which
loads a TorchScript file with libtorch's ``torch::jit::load``. The previous engineer exported it with
``torch.jit.trace`` (the seed's own answer). Tracing runs the model once on an example and records the
operations that example happened to take: an ``if`` on the data is frozen into whichever branch the example
took, and the file silently gives wrong answers on scans that would take the other branch. Scripting compiles
the Python source of ``forward`` instead, so the branches survive.

TorchScript is deprecated in current PyTorch: ``torch.jit.script``, ``trace``, ``save`` and ``load`` warn and
point to ``torch.export`` (see 09_deployment/torch_export), and TorchScript gets no new features. It still
matters because many deployments in the field (libtorch C++ applications, mobile apps, serving backends) run
TorchScript files today: you will read them, keep them correct and migrate them, and the trace-versus-script
bug above is the one you will meet there. (The tests hide the deprecation warnings.)

Task:
- ``RefineNet`` below is the desktop app's model, given. Eager PyTorch runs it, but TorchScript cannot compile
  its ``forward`` as it is written: script it, read the compiler's error and rewrite the offending loop so that
  it compiles and computes exactly the same thing for every ``features``, ``steps`` and ``saturation`` (keep the
  attribute names: saved weights depend on them).
- ``to_torchscript(model, example)``: return a ``torch.jit.ScriptModule`` of ``model`` in eval mode that keeps
  data-dependent control flow. ``example`` is a typical input, which the old export script passed to
  ``torch.jit.trace``; decide whether you need it. The caller's ``model`` comes back as it was: each submodule in
  its own mode (one frozen in eval inside a model in train mode stays in eval), whatever mode the export needed.
- ``save_torchscript(module, path)`` and ``load_torchscript(path)``: write the file the C++ app loads, and read
  it back in Python onto the CPU.
"""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn


class RefineNet(nn.Module):
    """A stem, a few residual refinement steps, and a rescale for saturated (very bright) scans."""

    def __init__(self, features: int = 8, steps: int = 3, saturation: float = 4.0) -> None:
        super().__init__()
        self.stem = nn.Linear(features, features)
        self.refiners = nn.ModuleList([nn.Linear(features, features) for _ in range(steps)])
        self.head = nn.Linear(features, 2)
        self.saturation = saturation

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = torch.relu(self.stem(x))
        # TorchScript unrolls loops over a ModuleList but cannot index one with a loop variable
        for refiner in self.refiners:
            h = h + torch.tanh(refiner(h))
        peak = h.abs().amax()
        if peak > self.saturation:  # data-dependent: a trace would freeze one branch
            h = h * (self.saturation / peak)
        return self.head(h)


def to_torchscript(model: nn.Module, example: torch.Tensor) -> torch.jit.ScriptModule:
    """A TorchScript module of ``model`` in eval mode that keeps its data-dependent control flow."""
    # scripting compiles the source, so `example` is not needed; tracing it would freeze the `if` in forward
    # model.train(flag) would force one mode on every submodule: remember each one's own
    modes = [(module, module.training) for module in model.modules()]
    model.eval()
    try:
        return torch.jit.script(model)
    finally:
        for module, training in modes:
            module.training = training


def save_torchscript(module: torch.jit.ScriptModule, path: str | Path) -> None:
    """Write ``module`` to ``path`` in the format libtorch's ``torch::jit::load`` reads."""
    torch.jit.save(module, str(path))


def load_torchscript(path: str | Path) -> torch.jit.ScriptModule:
    """Read a TorchScript file onto the CPU."""
    return torch.jit.load(str(path), map_location="cpu")
