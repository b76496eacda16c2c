"""Known-wrong: the loop rewritten as three unrolled steps, right for the default steps=3 and wrong for any other count."""

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
        h = h + torch.tanh(self.refiners[0](h))
        h = h + torch.tanh(self.refiners[1](h))
        h = h + torch.tanh(self.refiners[2](h))
        peak = h.abs().amax()
        if peak > self.saturation:  # data-dependent: a trace would freeze one branch
            h = h * (self.saturation / peak)
        return self.head(h)


def to_torchscript(model: nn.Module, example: torch.Tensor) -> torch.jit.ScriptModule:
    """A TorchScript module of ``model`` in eval mode that keeps its data-dependent control flow."""
    # scripting compiles the source, so `example` is not needed; tracing it would freeze the `if` in forward
    was_training = model.training
    model.eval()
    try:
        return torch.jit.script(model)
    finally:
        model.train(was_training)


def save_torchscript(module: torch.jit.ScriptModule, path: str | Path) -> None:
    """Write ``module`` to ``path`` in the format libtorch's ``torch::jit::load`` reads."""
    torch.jit.save(module, str(path))


def load_torchscript(path: str | Path) -> torch.jit.ScriptModule:
    """Read a TorchScript file onto the CPU."""
    return torch.jit.load(str(path), map_location="cpu")
