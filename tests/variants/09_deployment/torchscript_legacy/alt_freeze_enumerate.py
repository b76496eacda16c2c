"""Known-correct alternative: enumerate loop, torch.jit.freeze of the scripted eval model, module.save, file-handle load."""
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
        for _i, refiner in enumerate(self.refiners):
            h = h + torch.tanh(refiner(h))
        peak = h.abs().amax()
        if peak > self.saturation:
            h = h * (self.saturation / peak)
        return self.head(h)


def to_torchscript(model: nn.Module, example: torch.Tensor) -> torch.jit.ScriptModule:
    modes = {m: m.training for m in model.modules()}
    model.eval()
    try:
        return torch.jit.freeze(torch.jit.script(model))
    finally:
        for m, flag in modes.items():
            m.train(flag)


def save_torchscript(module: torch.jit.ScriptModule, path: str | Path) -> None:
    module.save(str(path))


def load_torchscript(path: str | Path) -> torch.jit.ScriptModule:
    with open(path, "rb") as f:
        return torch.jit.load(f, map_location=torch.device("cpu"))
