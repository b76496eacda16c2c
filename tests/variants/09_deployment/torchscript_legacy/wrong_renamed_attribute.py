"""Known-wrong: the rewrite renames refiners to blocks, so existing state_dicts (refiners.*) no longer load."""
from __future__ import annotations

from pathlib import Path

import torch
from torch import nn


class RefineNet(nn.Module):
    """A stem, a few residual refinement steps, and a rescale for saturated (very bright) scans."""

    def __init__(self, features: int = 8, steps: int = 3, saturation: float = 4.0) -> None:
        super().__init__()
        self.stem = nn.Linear(features, features)
        self.blocks = nn.ModuleList([nn.Linear(features, features) for _ in range(steps)])
        self.head = nn.Linear(features, 2)
        self.saturation = saturation

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = torch.relu(self.stem(x))
        for refiner in self.blocks:
            h = h + torch.tanh(refiner(h))
        peak = h.abs().amax()
        if peak > self.saturation:
            h = h * (self.saturation / peak)
        return self.head(h)


def to_torchscript(model: nn.Module, example: torch.Tensor) -> torch.jit.ScriptModule:
    was_training = model.training
    model.eval()
    try:
        return torch.jit.script(model)
    finally:
        model.train(was_training)


def save_torchscript(module: torch.jit.ScriptModule, path: str | Path) -> None:
    torch.jit.save(module, str(path))


def load_torchscript(path: str | Path) -> torch.jit.ScriptModule:
    return torch.jit.load(str(path), map_location="cpu")
