"""Known-correct alternative: loop moved into a scripted helper method; restores each submodule's own training flag."""
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

    def _refine(self, h: torch.Tensor) -> torch.Tensor:
        for refiner in self.refiners:
            h = h + torch.tanh(refiner(h))
        return h

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = torch.relu(self.stem(x))
        h = self._refine(h)
        peak = h.abs().amax()
        if peak > self.saturation:
            h = h * (self.saturation / peak)
        return self.head(h)


def to_torchscript(model: nn.Module, example: torch.Tensor) -> torch.jit.ScriptModule:
    saved = {m: m.training for m in model.modules()}
    model.eval()
    try:
        scripted = torch.jit.script(model)
    finally:
        for m, flag in saved.items():
            m.training = flag
    return scripted


def save_torchscript(module: torch.jit.ScriptModule, path: str | Path) -> None:
    torch.jit.save(module, str(path))


def load_torchscript(path: str | Path) -> torch.jit.ScriptModule:
    return torch.jit.load(str(path), map_location="cpu")
